"""``archday-nlp``: classify reports, train and evaluate models, check labelled data, suggest what to label."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

from ._errors import ArchdayError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        # A warning is a notice for the user: one line, as errors are, not a source location.
        warnings.showwarning = _show_warning
        try:
            return args.run(args)
        except ArchdayError as e:
            print(f"archday-nlp: error: {e}", file=sys.stderr)
            return 1


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"archday-nlp: warning: {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    from ._evaluate import SPLITS
    from ._io import FORMATS
    from ._suggest import FORMATS as SUGGEST_FORMATS

    parser = argparse.ArgumentParser(prog="archday-nlp", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    classify = commands.add_parser("classify", help="tag the sentences of report files and print their profiles")
    classify.add_argument("files", nargs="+", type=Path, metavar="FILE")
    classify.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    classify.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    classify.set_defaults(run=_classify)

    train = commands.add_parser("train", help="train a model on labelled sentences and save it")
    train.add_argument("data", nargs="+", type=Path, metavar="DATA")
    train.add_argument("--out", type=Path, required=True,
                       help="model directory to write: new, empty, or a model to replace (checked before training)")
    train.add_argument("--force", action="store_true", help="write into a non-empty folder that is not a model folder")
    train.add_argument("--base", choices=["default"],
                       help="train on the shipped corpus plus DATA: your sentences and labels join the guideline's six")
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
    evaluate.add_argument("--split", choices=SPLITS,
                          help="which sentences of corpus-format data to score (default: test; data without splits is scored whole)")
    evaluate.set_defaults(run=_evaluate)

    validate = commands.add_parser("validate", help="check the project's labelled corpus against its rules and print its counts")
    validate.add_argument("corpus", nargs="?", type=Path, help="corpus file (default: the corpus shipped with the package)")
    validate.set_defaults(run=_validate)

    check = commands.add_parser("check", help="check your own labelled data: counts, duplicates, conflicts, rare labels, typos")
    check.add_argument("data", nargs="+", type=Path, metavar="DATA")
    check.add_argument("--format", choices=FORMATS, help="data format (default: detected)")
    check.add_argument("--min-examples", type=int, default=5, help="labels on fewer sentences are listed (default 5)")
    check.set_defaults(run=_check)

    suggest = commands.add_parser("suggest", help="pick the sentences of report files most worth labelling next")
    suggest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files (UTF-8 .txt) or folders of them")
    suggest.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    suggest.add_argument("-n", type=int, default=50, help="how many sentences (default 50)")
    suggest.add_argument("--out", type=Path, required=True, help="file to write (refused if it exists, unless --force)")
    suggest.add_argument("--format", choices=SUGGEST_FORMATS,
                         help="doccano JSONL or Label Studio JSON tasks (default: labelstudio for .json, else doccano)")
    suggest.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    suggest.set_defaults(run=_suggest)
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

    _check_model_out(args.out, args.force)
    if args.joblib:
        _check_file_out(args.joblib, args.force)
    labels = [label.strip() for label in args.labels.split(",")] if args.labels else None
    model = train(
        args.data,
        labels=labels,
        seed=args.seed,
        format=args.format,
        min_examples=args.min_examples,
        base=args.base,
        progress=progress_line(sys.stderr),
    )
    model.save(args.out)
    if args.joblib:
        model.export_joblib(args.joblib)
    _print_evaluations(model.info["evaluation"])
    print(f"saved {len(model.labels)} labels ({', '.join(model.labels)}), {len(model.vocabulary)} features to {args.out}")
    return 0


def _evaluate(args) -> int:
    from ._evaluate import evaluate_data

    evaluation = evaluate_data(_model(args.model), args.data, format=args.format, split=args.split)
    scored = "every sentence" if evaluation.split == "all" else f"the {evaluation.split} split"
    print(f"scored {scored}: {evaluation.n_sentences} sentences")
    print(evaluation.format())
    return 0


def _validate(args) -> int:
    from ._corpus import validate_corpus
    from ._io import DEFAULT_CORPUS

    path = args.corpus or DEFAULT_CORPUS
    if not path.is_file():
        raise ArchdayError(f"{path}: no such corpus file")
    try:
        check = validate_corpus(path)
    except (OSError, UnicodeDecodeError) as e:
        raise ArchdayError(f"{path}: cannot read the corpus ({e})") from None
    print(check.format())
    return 1 if check.problems else 0


def _check(args) -> int:
    from ._check import check_data

    check = check_data(args.data, format=args.format, min_examples=args.min_examples)
    print(check.format())
    return 1 if check.problems else 0


def _suggest(args) -> int:
    from ._suggest import label_studio_config, read_reports, suggest, write_suggestions
    from ._version import __version__

    fmt = args.format or ("labelstudio" if args.out.suffix.lower() == ".json" else "doccano")
    _check_file_out(args.out, args.force)
    if args.n < 1:
        raise ArchdayError(f"-n must be at least 1, got {args.n}")
    reports = read_reports(args.paths)
    model = _model(args.model)
    suggestions = suggest(model, reports, n=args.n)
    write_suggestions(suggestions, args.out, fmt, model_version=f"archday-nlp {__version__} {model.fingerprint[:12]}")
    files = len({s.source for s in suggestions})
    print(f"wrote {len(suggestions)} sentences from {files} of {len(reports)} file(s) to {args.out} ({fmt}), "
          "the model's labels filled in: correct them, then train on the file")
    if fmt == "labelstudio":
        print("Label Studio labelling interface for these tasks:")
        print(label_studio_config(model.labels))
    return 0


def _check_model_out(out: Path, force: bool) -> None:
    """Refuse, before any training, an ``--out`` that would overwrite or mix with other files."""
    if out.exists() and not out.is_dir():
        raise ArchdayError(f"{out}: a file is in the way; --out names a model folder (new, empty, or a model to replace)")
    if out.is_dir():
        if any(out.iterdir()) and not _is_model_folder(out) and not force:
            raise ArchdayError(
                f"{out}: a folder that holds other files and no model; give a new or empty folder, "
                "or --force to write the model into it anyway"
            )
        if not os.access(out, os.W_OK):
            raise ArchdayError(f"{out}: cannot write into this folder")
        return
    _check_creatable(out)


def _check_file_out(out: Path, force: bool) -> None:
    if out.is_dir():
        raise ArchdayError(f"{out}: a folder; give a file name")
    if out.exists() and not force:
        raise ArchdayError(f"{out}: the file exists; give a new name, or --force to overwrite it")
    _check_creatable(out)


def _check_creatable(out: Path) -> None:
    """The nearest existing folder above ``out`` must be a writable folder."""
    parent = out.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ArchdayError(f"{out}: cannot be created, {parent} is a file")
    if not os.access(parent, os.W_OK):
        raise ArchdayError(f"{out}: cannot be created, {parent} is not writable")


def _is_model_folder(directory: Path) -> bool:
    try:
        manifest = json.loads((directory / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "format_version" in manifest


def progress_line(stream):
    """A ``progress(done, total, step)`` callback that redraws one line on ``stream``, or
    ``None`` when ``stream`` is not a terminal (a log file gets no progress bar)."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    started = time.monotonic()

    def show(done: int, total: int, step: str) -> None:
        width = 20
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        stream.write(f"\rtraining [{bar}] {done}/{total} {step} ({time.monotonic() - started:.0f} s)\x1b[K")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def _print_evaluations(evaluations: dict) -> None:
    from ._evaluate import Evaluation

    for name, figures in evaluations.items():
        if figures is not None:
            print(f"-- {name.replace('_', ' ')} ({figures['n_sentences']} sentences)")
            print(Evaluation.from_dict(figures).format())
