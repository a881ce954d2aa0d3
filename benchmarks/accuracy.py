"""How good: the shipped model against the keyword baseline on the corpus's test split,
and the model retrained with each writer's reports held out (leave-one-writer-out).

    python benchmarks/accuracy.py [--skip-writers]

Prints the tables and writes benchmarks/results/accuracy.json and accuracy.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

import archday_nlp
from archday_nlp._evaluate import score_tags
from archday_nlp._io import label_matrix, read_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from keywords import keyword_tags  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus.jsonl"
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-writers", action="store_true", help="skip the leave-one-writer-out retraining")
    args = parser.parse_args()

    model = archday_nlp.load_model(archday_nlp.DEFAULT_MODEL)
    test = [e for e in read_file(CORPUS) if e.split == "test"]
    groups = [e.group for e in test]
    gold = label_matrix(test, model.labels)
    results = {
        "test_split": {
            "model": score_tags(model.labels, gold, model.tags(model.scores([e.text for e in test])), groups),
            "keyword baseline": score_tags(model.labels, gold, label_matrix_of(test, model.labels), groups),
        }
    }
    if not args.skip_writers:
        results["leave_one_writer_out"] = {"model": leave_one_writer_out(model.labels)}

    lines = []
    for split, systems in results.items():
        lines.append(f"## {split.replace('_', ' ')} ({next(iter(systems.values())).n_sentences} sentences)\n")
        lines.append(side_by_side(systems, model.labels))
        lines.append("")
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "accuracy.md").write_text(text, encoding="utf-8")
    figures = {split: {name: e.to_dict() for name, e in systems.items()} for split, systems in results.items()}
    (RESULTS / "accuracy.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


def label_matrix_of(examples, labels) -> np.ndarray:
    return np.array([[label in keyword_tags(e.text) for label in labels] for e in examples], dtype=bool)


def leave_one_writer_out(labels):
    """Train on every writer but one, tag that writer's reports; pool the predictions."""
    reports = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
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


def side_by_side(systems: dict, labels) -> str:
    names = list(systems)
    header = "| label | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " | support |"
    rows = [header, "|---|" + "---:|" * (3 * len(names) + 1)]
    keys = [*labels, "macro", "micro", "report"]
    for key in keys:
        cells = []
        for name in names:
            e = systems[name]
            s = e.per_label[key] if key in e.per_label else getattr(e, key)
            cells.append(f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}")
        support = (systems[names[0]].per_label[key] if key in labels else getattr(systems[names[0]], key)).support
        rows.append(f"| {key} | " + " | ".join(cells) + f" | {support} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
