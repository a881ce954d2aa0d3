"""How good: the shipped model beside the keyword baseline, the obvious pipeline and fastText.

    python benchmarks/accuracy.py [--skip-writers] [--results DIR]

Every figure is on data the model never trained on:
- the corpus's test split (reports held out whole);
- the reports of the wave-4 writers held out whole (every report of theirs is in the test split);
- "joined": 2–4 consecutive test sentences of one report joined with ， into one
  sentence that carries the union of their labels, as real reports list activities;
- "traditional": the test split converted to traditional script (OpenCC s2t);
- leave one writer out: the model retrained once per writer without that writer's reports.

Prints the tables and writes accuracy.md and accuracy.json under benchmarks/results (or --results).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

import archday_nlp
from archday_nlp._evaluate import score_tags
from archday_nlp._io import label_matrix, read_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from keywords import keyword_tags  # noqa: E402
from systems import FastText, Obvious  # noqa: E402

CORPUS = HERE.parent / "data" / "corpus.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-writers", action="store_true", help="skip the leave-one-writer-out retraining")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="labelled corpus (default: data/corpus.jsonl)")
    parser.add_argument("--model", type=Path, default=archday_nlp.DEFAULT_MODEL, help="model directory (default: the shipped model)")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="where to write accuracy.md and accuracy.json")
    args = parser.parse_args()

    model = archday_nlp.load_model(args.model)
    labels = model.labels
    reports = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = read_file(args.corpus)
    training = [e for e in examples if e.split != "test"]
    test = [e for e in examples if e.split == "test"]
    held_out_writers = sorted(
        {r["writer"] for r in reports} - {r["writer"] for r in reports if r["split"] != "test"}
    )
    writer_of = {f"{args.corpus.name}#{r['id']}": r["writer"] for r in reports}

    sets = {
        "test split": test,
        f"held-out writers ({', '.join(held_out_writers)})": [e for e in test if writer_of[e.report] in held_out_writers],
        "joined": joined(test),
        "traditional": traditional(test),
    }
    systems = {"model": lambda texts: model.tags(model.scores(texts))}
    systems["keyword baseline"] = lambda texts: np.array([[label in keyword_tags(t) for label in labels] for t in texts], dtype=bool).reshape(-1, len(labels))
    with tempfile.TemporaryDirectory() as tmp:
        gold = label_matrix(training, labels)
        texts = [e.text for e in training]
        print("training the obvious pipeline ...", file=sys.stderr)
        obvious = Obvious.load(Obvious.fit(texts, gold, Path(tmp)))
        systems["obvious pipeline, 0.5"] = lambda t: Obvious.probabilities(obvious, t) >= 0.5
        cut = tuned_thresholds(Obvious, texts, gold, [e.group for e in training], Path(tmp))
        systems["obvious pipeline, tuned"] = lambda t: Obvious.probabilities(obvious, t) >= cut
        if FastText.available():
            print("training fastText ...", file=sys.stderr)
            fasttext = FastText.load(FastText.fit(texts, gold, Path(tmp)))
            systems["fastText"] = lambda t: FastText.probabilities(fasttext, t) >= 0.5
        else:
            print("fastText is not installed (pip install '.[bench]'): left out", file=sys.stderr)

        results = {}
        for name, rows in sets.items():
            if not rows:
                continue
            gold_rows = label_matrix(rows, labels)
            sentences = [e.text for e in rows]
            groups = [e.group for e in rows]
            results[name] = {system: score_tags(labels, gold_rows, tag(sentences), groups) for system, tag in systems.items()}
    if not args.skip_writers:
        results["leave one writer out"] = {"model": leave_one_writer_out(reports, labels)}

    lines = [summary(results), ""]
    for name, by_system in results.items():
        lines.append(f"#### {name} ({next(iter(by_system.values())).n_sentences} sentences)\n")
        lines.append(side_by_side(by_system, labels))
        lines.append("")
    text = "\n".join(lines)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "accuracy.md").write_text(text, encoding="utf-8")
    figures = {name: {system: e.to_dict() for system, e in by_system.items()} for name, by_system in results.items()}
    (args.results / "accuracy.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def joined(examples, seed: int = 0):
    """Runs of 2–4 consecutive sentences of one report, joined with ，, carrying the union of their labels."""
    from archday_nlp._io import Example

    rng = random.Random(seed)
    out, i = [], 0
    while i < len(examples):
        size = rng.randint(2, 4)
        run = [e for e in examples[i : i + size] if e.report == examples[i].report]
        i += len(run)
        if len(run) >= 2:
            text = "，".join(e.text.rstrip("。；;，,!！?？") for e in run) + "。"
            labels = tuple(dict.fromkeys(label for e in run for label in e.labels))
            out.append(Example(text, labels, run[0].source, run[0].report, run[0].split))
    return out


def traditional(examples):
    """The same sentences in traditional script."""
    import dataclasses

    import opencc

    converter = opencc.OpenCC("s2t")
    return [dataclasses.replace(e, text=converter.convert(e.text)) for e in examples]


def tuned_thresholds(system, texts, gold, groups, directory: Path, folds: int = 5) -> np.ndarray:
    """Per-label F1-best thresholds on report-grouped cross-validated probabilities, as the library tunes its own."""
    from sklearn.model_selection import GroupKFold

    from archday_nlp._train import _best_threshold

    out_of_fold = np.zeros(gold.shape)
    for k, (fit, val) in enumerate(GroupKFold(folds, shuffle=True, random_state=0).split(texts, groups=groups)):
        fold_dir = directory / f"fold{k}"
        fold_dir.mkdir()
        fitted = system.load(system.fit([texts[i] for i in fit], gold[fit], fold_dir))
        out_of_fold[val] = system.probabilities(fitted, [texts[i] for i in val])
    return np.array([_best_threshold(gold[:, j], out_of_fold[:, j]) for j in range(gold.shape[1])])


def leave_one_writer_out(reports, labels):
    """Train on every writer but one, tag that writer's reports; pool the predictions."""
    gold_rows, predicted_rows, groups = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for writer in sorted({r["writer"] for r in reports}):
            train_path = Path(tmp) / "train.jsonl"
            held_out = [r for r in reports if r["writer"] == writer]
            rest = [{**r, "split": "train"} for r in reports if r["writer"] != writer]
            train_path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rest), encoding="utf-8")
            model = archday_nlp.train(train_path, labels=labels)
            sentences = [s for r in held_out for s in r["sentences"]]
            gold_rows.append(np.array([[label in s["labels"] for label in labels] for s in sentences], dtype=bool))
            predicted_rows.append(model.tags(model.scores([s["text"] for s in sentences])))
            groups += [r["id"] for r in held_out for _ in r["sentences"]]
            print(f"writer {writer}: {len(held_out)} reports held out", file=sys.stderr)
    return score_tags(labels, np.vstack(gold_rows), np.vstack(predicted_rows), groups)


def summary(results) -> str:
    """Macro-F1 and report-level F1 of every system on every set, in one table."""
    systems = list(next(iter(results.values())))
    header = "| set | " + " | ".join(f"{s} macro | {s} report" for s in systems) + " |"
    rows = [header, "|---|" + "---:|" * (2 * len(systems))]
    for name, by_system in results.items():
        cells = []
        for system in systems:
            e = by_system.get(system)
            cells.append(" | " if e is None else f"{e.macro.f1:.3f} | {'' if e.report is None else f'{e.report.f1:.3f}'}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def side_by_side(systems: dict, labels) -> str:
    names = list(systems)
    header = "| label | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " | support |"
    rows = [header, "|---|" + "---:|" * (3 * len(names) + 1)]
    for key in [*labels, "macro", "micro", "report"]:
        cells = []
        for name in names:
            e = systems[name]
            s = e.per_label[key] if key in e.per_label else getattr(e, key)
            cells.append(f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}")
        first = systems[names[0]]
        support = (first.per_label[key] if key in labels else getattr(first, key)).support
        rows.append(f"| {key} | " + " | ".join(cells) + f" | {support} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
