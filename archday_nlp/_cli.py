"""``archday-nlp``: classify reports, train and evaluate models, validate the corpus."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._errors import ArchdayError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ArchdayError as e:
        print(f"archday-nlp: error: {e}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    from ._io import FORMATS

    parser = argparse.ArgumentParser(prog="archday-nlp", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    classify = commands.add_parser("classify", help="tag the sentences of report files and print their profiles")
    classify.add_argument("files", nargs="+", type=Path, metavar="FILE")
    classify.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    classify.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    classify.set_defaults(run=_classify)

    train = commands.add_parser("train", help="train a model on labelled sentences and save it")
    train.add_argument("data", nargs="+", type=Path, metavar="DATA")
    train.add_argument("--out", type=Path, required=True, help="model directory to write")
    train.add_argument("--format", choices=FORMATS, help="data format (default: detected)")
    train.add_argument("--labels", help="comma-separated label set and order (default: from the data)")
    train.add_argument("--min-examples", type=int, default=5, help="fewest sentences a label needs (default 5)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--joblib", type=Path, help="also export a joblib pickle of the model (opt-in; never loaded by default)")
    train.set_defaults(run=_train)

    evaluate = commands.add_parser("evaluate", help="print precision, recall and F1 of a model on labelled data")
    evaluate.add_argument("data", nargs="+", type=Path, metavar="DATA")
    evaluate.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    evaluate.add_argument("--format", choices=FORMATS, help="data format (default: detected)")
    evaluate.set_defaults(run=_evaluate)

    validate = commands.add_parser("validate", help="check the labelled corpus and print its counts")
    validate.add_argument("corpus", nargs="?", type=Path, default=Path("data/corpus.jsonl"))
    validate.set_defaults(run=_validate)
    return parser


def _model(directory: Path | None):
    from ._api import default_model, load_model

    return default_model() if directory is None else load_model(directory)


def _classify(args) -> int:
    model = _model(args.model)
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise ArchdayError(f"{path}: cannot read as UTF-8 text ({e})") from None
        report = model.classify(text)
        if args.json:
            print(json.dumps({"file": str(path), **report.to_dict()}, ensure_ascii=False))
            continue
        print(f"== {path}")
        for i, sentence in enumerate(report.sentences):
            print(f"[{i:>2}] {', '.join(sentence.labels) or '-':<24} {sentence.text}")
        print(f"{'label':<14}{'sentences':>10}{'share':>8}{'max score':>11}  evidence")
        for label, p in report.profile.by_label.items():
            print(f"{label:<14}{p.count:>10}{p.share:>8.0%}{p.max_score:>11.3f}  {list(p.evidence)}")
        print(f"present: {', '.join(report.profile.present) or '(none)'}")
    return 0


def _train(args) -> int:
    from ._train import train

    labels = [label.strip() for label in args.labels.split(",")] if args.labels else None
    model = train(args.data, labels=labels, seed=args.seed, format=args.format, min_examples=args.min_examples)
    model.save(args.out)
    if args.joblib:
        model.export_joblib(args.joblib)
    _print_evaluations(model.info["evaluation"])
    print(f"saved {len(model.labels)} labels, {len(model.vocabulary)} features to {args.out}")
    return 0


def _evaluate(args) -> int:
    evaluation = _model(args.model).evaluate(args.data, format=args.format)
    print(evaluation.format())
    return 0


def _validate(args) -> int:
    from ._corpus import validate_corpus

    check = validate_corpus(args.corpus)
    print(check.format())
    return 1 if check.problems else 0


def _print_evaluations(evaluations: dict) -> None:
    from ._evaluate import Evaluation

    for name, figures in evaluations.items():
        if figures is not None:
            print(f"-- {name.replace('_', ' ')} ({figures['n_sentences']} sentences)")
            print(Evaluation.from_dict(figures).format())
