"""Does labelling the sentences that `archday-nlp suggest` picks raise macro-F1 faster than labelling random ones?

A learning curve on the corpus: start from the sentences of 20% of the
training reports, then add sentences of the other training reports in rounds,
either those the current model suggests (scores closest to the thresholds,
spread across reports, no near-duplicates: ``archday_nlp._suggest.choose``) or
random ones; retrain after each round (as ``archday_nlp.train`` does, thresholds
and all) and score macro-F1 on the held-out test split. Repeated over several
draws of the starting reports.

    python benchmarks/active_learning.py [--rounds 8] [--batch 150] [--repeats 4] [--smoke]

Prints the table and writes benchmarks/results/active_learning.md and .json.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import archday_nlp
from archday_nlp._evaluate import score_tags
from archday_nlp._io import DEFAULT_CORPUS, label_matrix, read_file
from archday_nlp._labels import LABELS
from archday_nlp._suggest import choose

RESULTS = Path(__file__).resolve().parent / "results"
STRATEGIES = ("suggested", "random")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--start", type=float, default=0.2, help="share of the training reports labelled at the start")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--batch", type=int, default=150, help="sentences labelled per round")
    parser.add_argument("--repeats", type=int, default=4, help="draws of the starting reports")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds for the thresholds")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for active_learning.md and .json")
    parser.add_argument("--smoke", action="store_true", help="2 rounds of 10 sentences, 1 draw, 2 folds: checks that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rounds, args.batch, args.repeats, args.folds = 2, 10, 1, 2

    started = time.monotonic()
    examples = read_file(args.corpus)
    test = [e for e in examples if e.split == "test"]
    training = [e for e in examples if e.split != "test"]
    curves = {strategy: [] for strategy in STRATEGIES}
    for repeat in range(args.repeats):
        for strategy, curve in learning_curves(training, test, repeat, args).items():
            curves[strategy].append(curve)
        print(f"draw {repeat + 1} of {args.repeats} done ({time.monotonic() - started:.0f} s)", file=sys.stderr)

    results = {
        "corpus": str(args.corpus),
        "settings": {k: getattr(args, k) for k in ("start", "rounds", "batch", "repeats", "folds")},
        "test_sentences": len(test),
        "added": [n - curves["suggested"][0]["labelled"][0] for n in curves["suggested"][0]["labelled"]],
        "start_sentences": [c["labelled"][0] for c in curves["suggested"]],
        "macro_f1": {s: [c["macro_f1"] for c in curves[s]] for s in STRATEGIES},
        "seconds": round(time.monotonic() - started, 1),
    }
    text = table(results)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "active_learning.md").write_text(text + "\n", encoding="utf-8")
    (args.results / "active_learning.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


def learning_curves(training, test, repeat: int, args) -> dict[str, dict]:
    """Both strategies from the same starting reports (drawn with seed ``repeat``)."""
    rng = random.Random(repeat)
    reports = sorted({e.report for e in training})
    rng.shuffle(reports)
    start = set(reports[: max(1, math.ceil(args.start * len(reports)))])
    first = [e for e in training if e.report in start]
    pool = [e for e in training if e.report not in start]
    first_model = fit(first, repeat, args.folds)
    first_f1 = macro_f1(first_model, test)
    curves = {}
    for strategy in STRATEGIES:
        labelled, rest, model = list(first), list(pool), first_model
        curve = {"labelled": [len(labelled)], "macro_f1": [first_f1]}
        pick_rng = random.Random(1000 + repeat)
        for _ in range(args.rounds):
            if not rest:
                break
            if strategy == "suggested":
                scores = model.scores([e.text for e in rest])
                thresholds = [model.thresholds[label] for label in model.labels]
                chosen = choose([e.text for e in rest], [e.report for e in rest], scores, thresholds, args.batch)
            else:
                chosen = pick_rng.sample(range(len(rest)), min(args.batch, len(rest)))
            taken = set(chosen)
            labelled += [rest[i] for i in sorted(taken)]
            rest = [e for i, e in enumerate(rest) if i not in taken]
            model = fit(labelled, repeat, args.folds)
            curve["labelled"].append(len(labelled))
            curve["macro_f1"].append(macro_f1(model, test))
        curves[strategy] = curve
    return curves


def fit(examples, seed: int, folds: int):
    """:func:`archday_nlp.train` on the labelled sentences, with every guideline label they hold."""
    present = {label for e in examples for label in e.labels}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a fold may miss a rare label
        return archday_nlp.train(examples, labels=[l for l in LABELS if l in present], min_examples=1, folds=folds, seed=seed)


def macro_f1(model, test) -> float:
    """Macro-F1 over the guideline's six labels on the test split (a label the model lacks is never predicted)."""
    predicted = np.zeros((len(test), len(LABELS)), dtype=bool)
    tags = model.tags(model.scores([e.text for e in test]))
    for j, label in enumerate(model.labels):
        predicted[:, LABELS.index(label)] = tags[:, j]
    return score_tags(LABELS, label_matrix(test, LABELS), predicted, None).macro.f1


def table(results: dict) -> str:
    f1 = {s: np.array(results["macro_f1"][s]) for s in STRATEGIES}
    mean = {s: f1[s].mean(axis=0) for s in STRATEGIES}
    settings, added = results["settings"], results["added"]
    lines = [
        f"Macro-F1 on the test split ({results['test_sentences']} sentences). Start: the sentences of "
        f"{settings['start']:.0%} of the training reports ({min(results['start_sentences'])}–{max(results['start_sentences'])} "
        f"sentences); then {settings['rounds']} rounds of {settings['batch']} sentences, retraining after each. "
        f"Mean of {settings['repeats']} draws of the starting reports, min–max in brackets; {results['seconds']:.0f} s.",
        "",
        "| sentences added | suggested | random | suggested − random |",
        "|---:|---:|---:|---:|",
    ]
    for k, n in enumerate(added):
        cells = [f"{mean[s][k]:.3f} ({f1[s][:, k].min():.3f}–{f1[s][:, k].max():.3f})" for s in STRATEGIES]
        lines.append(f"| {n} | {cells[0]} | {cells[1]} | {mean['suggested'][k] - mean['random'][k]:+.3f} |")
    gain = {s: mean[s][-1] - mean[s][0] for s in STRATEGIES}
    lines += [
        "",
        f"Adding {added[-1]} sentences raised macro-F1 by {gain['suggested']:+.3f} when they were the suggested ones "
        f"and by {gain['random']:+.3f} when they were random.",
    ]
    reached = next((n for n, value in zip(added, mean["suggested"]) if value >= mean["random"][-1]), None)
    if reached is not None:
        lines[-1] += f" Suggested sentences matched the final random-labelling figure after {reached} sentences instead of {added[-1]}."
    return "\n".join(lines)


if __name__ == "__main__":
    main()
