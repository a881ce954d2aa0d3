"""``archday-nlp``: classify reports, train and evaluate models, check labelled data, suggest what to label, validate the corpus."""
from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import json
import os
import sys
import warnings
from pathlib import Path

from ._errors import ArchdayError
from ._version import __version__

_CLASSIFY_EXAMPLES = """\
examples:
  archday-nlp classify report.txt                      a readable summary of each report
  archday-nlp classify reports/ --out reports.csv      every .txt/.md/.docx under reports/, one CSV row per report
  archday-nlp classify a.docx b.txt --format html --out page.html
  archday-nlp classify collection.txt --sentences      a file of several reports (篇1 … 篇8), sentence by sentence
  cat report.txt | archday-nlp classify - --format jsonl   read standard input
  archday-nlp classify old.txt --encoding gbk          when detection guesses wrong

Encodings are detected (UTF-8, UTF-16, GB18030/GBK, Big5). A file that cannot
be read is named on standard error and the others are still classified; the
exit status is then 1.
"""


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
        except BrokenPipeError:
            # The reader left (`| head`): stop quietly, and point stdout at nothing so
            # that the interpreter's last flush does not fail again.
            _silence_stdout()
            return 141  # 128 + SIGPIPE, as a shell reports a command stopped by a closed pipe
        except KeyboardInterrupt:
            return 130


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"archday-nlp: warning: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _parser() -> argparse.ArgumentParser:
    from ._evaluate import SPLITS
    from ._io import FORMATS
    from ._render import FORMATS as RENDER_FORMATS
    from ._suggest import FORMATS as SUGGEST_FORMATS

    parser = argparse.ArgumentParser(
        prog="archday-nlp",
        description=__doc__,
        epilog="Run 'archday-nlp COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"archday-nlp {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    classify = commands.add_parser(
        "classify",
        help="tag the sentences of report files and print their profiles",
        description="Tag each sentence of each report with the activities it reports, and profile the reports.",
        epilog=_CLASSIFY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    classify.add_argument("paths", nargs="+", metavar="PATH", help="a .txt, .md or .docx file, a folder searched for them, or - for standard input")
    classify.add_argument("--format", "-f", choices=RENDER_FORMATS, help="output format (default: from the --out suffix, else text)")
    classify.add_argument("--out", "-o", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    classify.add_argument("--model", type=Path, metavar="DIR", help="model directory (default: the shipped model)")
    classify.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N", help="processes to classify with (-1: one per core; default 1)")
    classify.add_argument("--encoding", type=_encoding, metavar="ENC", help="read text files in ENC (gbk, utf-16, …) instead of detecting it")
    classify.add_argument("--sentences", action="store_true", help="one row per sentence (csv, jsonl); list each report's sentences (text)")
    classify.add_argument("--explain", action="store_true",
                          help="say why each sentence got its tags: the features that raised and lowered each score "
                               "(text: under each sentence, implies --sentences; json/jsonl: per sentence; html: on hover)")
    classify.add_argument("--json", action="store_const", const="jsonl", dest="format", help=argparse.SUPPRESS)  # the old flag
    classify.set_defaults(run=_classify)

    train = commands.add_parser("train", help="train a model on labelled sentences and save it")
    train.add_argument("data", nargs="+", type=Path, metavar="DATA")
    train.add_argument("--out", type=Path, required=True,
                       help="model directory to write: new, empty, or a model to replace (checked before training)")
    train.add_argument("--force", action="store_true", help="write into a non-empty folder that is not a model folder")
    train.add_argument("--base", choices=["default"],
                       help="train on the shipped corpus plus DATA: your sentences and labels join the guideline's six")
    train.add_argument("--format", choices=FORMATS, help="data format (default: detected)")
    train.add_argument("--encoding", type=_encoding, metavar="ENC", help="read DATA in ENC (gbk, utf-16, …) instead of detecting it")
    train.add_argument("--labels", help="comma-separated label set and order (default: from the data)")
    train.add_argument("--min-examples", type=int, default=5, help="fewest sentences a label needs (default 5)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--joblib", type=Path, help="also export a joblib pickle of the model (opt-in; never loaded by default)")
    train.set_defaults(run=_train)

    evaluate = commands.add_parser("evaluate", help="print precision, recall and F1 of a model on labelled data")
    evaluate.add_argument("data", nargs="+", type=Path, metavar="DATA")
    evaluate.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    evaluate.add_argument("--format", choices=FORMATS, help="data format (default: detected)")
    evaluate.add_argument("--encoding", type=_encoding, metavar="ENC", help="read DATA in ENC instead of detecting it")
    evaluate.add_argument("--split", choices=SPLITS,
                          help="which sentences of corpus-format data to score (default: test; data without splits is scored whole)")
    evaluate.set_defaults(run=_evaluate)

    validate = commands.add_parser("validate", help="check the project's labelled corpus against its rules and print its counts")
    validate.add_argument("corpus", nargs="?", type=Path, help="corpus file (default: the corpus shipped with the package)")
    validate.set_defaults(run=_validate)

    check = commands.add_parser("check", help="check your own labelled data: counts, duplicates, conflicts, rare labels, typos")
    check.add_argument("data", nargs="+", type=Path, metavar="DATA")
    check.add_argument("--format", choices=FORMATS, help="data format (default: detected)")
    check.add_argument("--encoding", type=_encoding, metavar="ENC", help="read DATA in ENC instead of detecting it")
    check.add_argument("--min-examples", type=int, default=5, help="labels on fewer sentences are listed (default 5)")
    check.set_defaults(run=_check)

    suggest = commands.add_parser("suggest", help="pick the sentences of report files most worth labelling next")
    suggest.add_argument("paths", nargs="+", metavar="PATH", help="report files (.txt, .md, .docx), folders of them, or - for standard input")
    suggest.add_argument("--model", type=Path, help="model directory (default: the shipped model)")
    suggest.add_argument("-n", type=int, default=50, help="how many sentences (default 50)")
    suggest.add_argument("--out", type=Path, required=True, help="file to write (refused if it exists, unless --force)")
    suggest.add_argument("--format", choices=SUGGEST_FORMATS,
                         help="doccano JSONL or Label Studio JSON tasks (default: labelstudio for .json, else doccano)")
    suggest.add_argument("--encoding", type=_encoding, metavar="ENC", help="read text files in ENC instead of detecting it")
    suggest.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    suggest.set_defaults(run=_suggest)
    return parser


def _model(directory: Path | None):
    from ._api import default_model, load_model

    return default_model() if directory is None else load_model(directory)


def _jobs(value: str) -> int:
    jobs = int(value)
    if jobs == 0:
        raise argparse.ArgumentTypeError("0 processes: give 1 or more, or -1 for one per core")
    return jobs


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {value!r}") from None
    return value


_SUFFIX_FORMATS = {".txt": "text", ".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".html": "html", ".htm": "html"}
_BATCH_CHARS = 200_000  # characters classified at once: big enough to be quick, small enough for a progress bar to move
_BATCH_REPORTS = 256


def _classify(args) -> int:
    from ._files import find_files, read_reports
    from ._render import render

    fmt = args.format or (_SUFFIX_FORMATS.get(args.out.suffix.lower()) if args.out else None) or "text"
    progress = _Progress()
    failures = []

    def failed(error) -> None:
        failures.append(error)
        progress.say(f"archday-nlp: {error}")

    skipped = []
    files = find_files(args.paths, on_error=failed, on_skip=skipped.append)
    if skipped:
        names = ", ".join(str(p) for p in skipped[:3]) + (", …" if len(skipped) > 3 else "")
        progress.say(f"archday-nlp: skipped {len(skipped)} file(s) that are not .txt, .md or .docx: {names}")
    if files:
        model = _model(args.model)
        progress.start(len(files))
        texts = read_reports(files, encoding=args.encoding, on_error=failed)
        reports = _classified(texts, model, args.jobs, progress, args.explain)
        with _output(args.out) as out:
            for chunk in render(fmt, reports, labels=model.labels, sentences=args.sentences or (args.explain and fmt == "text")):
                progress.write(out, chunk)
        progress.close()
    return 1 if failures else 0


def _classified(texts, model, n_jobs: int, progress, explain: bool):
    """Classify the reports of ``texts`` in batches, yielding one FileReport each, in order."""
    batch, size = [], 0
    for text in texts:
        batch.append(text)
        size += text.end - text.start
        if size >= _BATCH_CHARS or len(batch) >= _BATCH_REPORTS:
            yield from _classified_batch(batch, model, n_jobs, progress, explain)
            batch, size = [], 0
    if batch:
        yield from _classified_batch(batch, model, n_jobs, progress, explain)


def _classified_batch(batch, model, n_jobs: int, progress, explain: bool):
    from ._files import FileReport

    for t, report in zip(batch, model.classify_many([t.text for t in batch], n_jobs=n_jobs)):
        progress.advance((t.end - t.start) / len(t.document))  # the share of its file this report is
        why = tuple(model.explain(s.text) for s in report.sentences) if explain else None
        yield FileReport(t.source, t.index, t.title, t.start, t.end, report._within(t.document, t.start), t.document, why)


@contextlib.contextmanager
def _output(path: Path | None):
    """Standard output, or a file written as UTF-8 (the CSV renderer puts its own byte order mark first)."""
    if path is None:
        yield sys.stdout
        return
    try:
        file = open(path, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise ArchdayError(f"{path}: cannot write: {e.strerror}") from None
    with file:
        yield file


class _Progress:
    """A progress bar on standard error, only when that is a terminal, and only once work takes a moment."""

    def __init__(self):
        self.bar = None

    def start(self, files: int) -> None:
        if not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=files, file=sys.stderr, delay=0.5, leave=False, unit="file", desc="classifying",
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")

    def advance(self, files: float) -> None:
        if self.bar is not None:
            self.bar.update(files)

    def say(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def write(self, out, chunk: str) -> None:
        if self.bar is not None and out is sys.stdout and sys.stdout.isatty():
            with self.bar.external_write_mode(file=sys.stdout):
                out.write(chunk)
        else:
            out.write(chunk)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
        encoding=args.encoding,
        min_examples=args.min_examples,
        base=args.base,
        progress=training_progress(sys.stderr),
    )
    model.save(args.out)
    if args.joblib:
        model.export_joblib(args.joblib)
    _print_evaluations(model.info["evaluation"])
    print(f"saved {len(model.labels)} labels ({', '.join(model.labels)}), {len(model.vocabulary)} features to {args.out}")
    return 0


def _evaluate(args) -> int:
    from ._evaluate import evaluate_data

    evaluation = evaluate_data(_model(args.model), args.data, format=args.format, encoding=args.encoding, split=args.split)
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

    check = check_data(args.data, format=args.format, encoding=args.encoding, min_examples=args.min_examples)
    print(check.format())
    return 1 if check.problems else 0


def _suggest(args) -> int:
    from ._files import find_files, read_reports
    from ._suggest import label_studio_config, suggest, write_suggestions

    fmt = args.format or ("labelstudio" if args.out.suffix.lower() == ".json" else "doccano")
    _check_file_out(args.out, args.force)
    if args.n < 1:
        raise ArchdayError(f"-n must be at least 1, got {args.n}")
    reports = list(read_reports(find_files(args.paths), encoding=args.encoding))
    model = _model(args.model)
    suggestions = suggest(model, reports, n=args.n)
    write_suggestions(suggestions, args.out, fmt, model_version=f"archday-nlp {__version__} {model.fingerprint[:12]}")
    files = len({s.source for s in suggestions})
    print(f"wrote {len(suggestions)} sentences from {files} of {len({r.source for r in reports})} file(s) to {args.out} ({fmt}), "
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


def training_progress(stream):
    """A ``progress(done, total, message)`` callback that draws a bar on ``stream``, or ``None``
    when ``stream`` is not a terminal (a log file gets no progress bar)."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    from tqdm import tqdm

    bar = None

    def show(done: int, total: int, message: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, file=stream, leave=False, desc="training", postfix=message,
                       bar_format="{desc}: {n}/{total} |{bar}| {elapsed}{postfix}")
        bar.n = done
        bar.set_postfix_str(message)  # redraws
        if done >= total:
            bar.close()

    return show


def _print_evaluations(evaluations: dict) -> None:
    from ._evaluate import Evaluation

    for name, figures in evaluations.items():
        if figures is not None:
            print(f"-- {name.replace('_', ' ')} ({figures['n_sentences']} sentences)")
            print(Evaluation.from_dict(figures).format())
