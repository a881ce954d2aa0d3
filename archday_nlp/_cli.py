"""``archday-nlp``: classify reports, train and evaluate models, validate the corpus."""
from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import os
import sys
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


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _parser() -> argparse.ArgumentParser:
    from ._io import FORMATS
    from ._render import FORMATS as RENDER_FORMATS

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
    classify.add_argument("--json", action="store_const", const="jsonl", dest="format", help=argparse.SUPPRESS)  # the old flag
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
        reports = _classified(texts, model, args.jobs, progress)
        with _output(args.out) as out:
            for chunk in render(fmt, reports, labels=model.labels, sentences=args.sentences):
                progress.write(out, chunk)
        progress.close()
    return 1 if failures else 0


def _classified(texts, model, n_jobs: int, progress):
    """Classify the reports of ``texts`` in batches, yielding one FileReport each, in order."""
    batch, size = [], 0
    for text in texts:
        batch.append(text)
        size += text.end - text.start
        if size >= _BATCH_CHARS or len(batch) >= _BATCH_REPORTS:
            yield from _classified_batch(batch, model, n_jobs, progress)
            batch, size = [], 0
    if batch:
        yield from _classified_batch(batch, model, n_jobs, progress)


def _classified_batch(batch, model, n_jobs: int, progress):
    from ._files import FileReport

    for t, report in zip(batch, model.classify_many([t.text for t in batch], n_jobs=n_jobs)):
        progress.advance((t.end - t.start) / len(t.document))  # the share of its file this report is
        yield FileReport(t.source, t.index, t.title, t.start, t.end, report._within(t.document, t.start), t.document)


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
