"""Read labelled sentences from the formats users have.

One reader per format, each yielding :class:`Example` rows that remember
their file and line, so that a :class:`DataError` can say where a problem is:

- ``corpus``: this project's corpus, one report a line with its sentences;
- ``jsonl``: one sentence a line, ``{"text": …, "labels": [...]}`` (``sentence`` for ``text`` too);
- ``csv`` / ``tsv``: a header with a text and a labels column, labels joined by ``;`` or ``|``;
  a row must have as many fields as the header;
- ``doccano``: doccano's text-classification export, ``{"text": …, "label": [...]}`` a line;
- ``labelstudio``: Label Studio's JSON export of a choices task;
- ``labelstudio-min``: Label Studio's JSON-MIN export of a choices task.

Files are decoded as report files are (:func:`archday_nlp._files.decode`):
UTF-8 with or without a byte-order mark, UTF-16, GB18030 (which includes GBK)
or Big5, detected; spreadsheet software on Chinese Windows saves CSV as GBK,
and its "Unicode text" as UTF-16.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._errors import DataError

FORMATS = ("corpus", "jsonl", "csv", "tsv", "doccano", "labelstudio", "labelstudio-min")
_TEXT_COLUMNS = ("text", "sentence", "句子", "文本")
_LABEL_COLUMNS = ("labels", "label", "tags", "标签")
_LABEL_SEPARATORS = re.compile(r"[;|]")
_LABEL_STUDIO_META = frozenset({"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"})
_PACKAGE = Path(__file__).resolve().parent
#: The project's labelled corpus: inside the installed package, or ``data/`` of a source checkout.
DEFAULT_CORPUS = next(
    (p for p in (_PACKAGE / "data" / "corpus.jsonl", _PACKAGE.parent / "data" / "corpus.jsonl") if p.is_file()),
    _PACKAGE.parent / "data" / "corpus.jsonl",
)


@dataclass(frozen=True)
class Example:
    """One labelled sentence and where it came from.

    ``report`` names the report it belongs to (corpus format only); ``split`` is
    the corpus's ``"train"`` or ``"test"``, ``None`` elsewhere.
    """

    text: str
    labels: tuple[str, ...]
    source: str
    report: str | None = None
    split: str | None = None

    @property
    def group(self) -> str:
        """The unit that cross-validation keeps together: the report, else the sentence's text.

        Grouping by text rather than by file and line gives the same folds, and
        so the same model, whatever file format holds the sentences, and keeps
        repeated sentences in one fold.
        """
        return self.report or self.text


@dataclass(frozen=True)
class LabelledFile:
    """One file of labelled sentences, with the format it was read as."""

    path: str
    format: str
    examples: tuple[Example, ...]


def read_examples(data, *, format: str | None = None, encoding: str | None = None, keep_blank: bool = False) -> list[Example]:
    """Read one path, several paths, in-memory ``{"text", "labels"}`` mappings, or :class:`Example` rows.

    Files are decoded with ``encoding`` when given, else as detected. A blank
    text is a :class:`DataError` unless ``keep_blank``, which keeps it as an
    example with ``text == ""`` (for :mod:`archday_nlp._check`).
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    examples: list[Example] = []
    for i, item in enumerate(data):
        if isinstance(item, (str, os.PathLike)):
            examples.extend(open_labelled(item, format=format, encoding=encoding, keep_blank=keep_blank).examples)
        elif isinstance(item, Mapping):
            example = _sentence(item, "<data>", i + 1, _TEXT_COLUMNS, _LABEL_COLUMNS)
            if not keep_blank:
                _refuse_blank([example])
            examples.append(example)
        elif isinstance(item, Example):
            examples.append(item)
        else:
            raise TypeError(f"data items must be paths, mappings or Examples, got {type(item).__name__} (item {i})")
    return examples


def read_file(path, *, format: str | None = None, encoding: str | None = None) -> list[Example]:
    """Read one file, detecting its format and encoding unless ``format`` and ``encoding`` name them."""
    return list(open_labelled(path, format=format, encoding=encoding).examples)


def open_labelled(path, *, format: str | None = None, encoding: str | None = None, keep_blank: bool = False) -> LabelledFile:
    """Read one file of labelled sentences; see :func:`read_examples`."""
    from ._files import ReportFileError, decode

    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no such file", path=path) from None
    except IsADirectoryError:
        raise DataError("a folder, not a file of labelled sentences", path=path) from None
    except OSError as e:
        raise DataError(f"cannot read: {e.strerror}", path=path) from None
    try:
        raw = decode(content, encoding=encoding, path=path)
    except ReportFileError as e:
        raise DataError(e.reason, path=path) from None
    if not raw.strip():
        raise DataError("the file is empty", path=path)
    fmt = format or detect_format(path, raw)
    examples = _READERS[fmt](path, raw)
    if not keep_blank:
        _refuse_blank(examples)
    if not examples:
        raise DataError(f"no labelled sentences found (read as {fmt})", path=path)
    return LabelledFile(str(path), fmt, tuple(examples))


def detect_format(path: Path, raw: str) -> str:
    """Guess the format from the file name and the first record."""
    if path.suffix.lower() in (".csv", ".tsv"):
        return path.suffix.lower()[1:]
    first = raw.lstrip()[0]
    if first == "[":
        head = next(_json_array(path, raw), (0, {}))[1]
        full = isinstance(head, Mapping) and ("annotations" in head or isinstance(head.get("data"), Mapping))
        return "labelstudio" if full else "labelstudio-min"
    if first == "{":
        line, record = next(_json_lines(path, raw))
        keys = set(record)
        if "sentences" in keys:
            return "corpus"
        if keys & set(_TEXT_COLUMNS) and keys & set(_LABEL_COLUMNS):
            return "doccano" if "label" in keys else "jsonl"
        raise DataError(
            f"unknown field layout {sorted(keys)}: expected 'sentences' (corpus), or a text "
            f"({'/'.join(_TEXT_COLUMNS)}) with labels ({'/'.join(_LABEL_COLUMNS)}; 'label' is doccano's)",
            path=path,
            line=line,
        )
    return "tsv" if "\t" in raw.lstrip().splitlines()[0] else "csv"


def label_matrix(examples: Sequence[Example], labels: Sequence[str]) -> np.ndarray:
    """Boolean matrix of the examples' labels, one column per name in ``labels``."""
    column = {label: j for j, label in enumerate(labels)}
    matrix = np.zeros((len(examples), len(labels)), dtype=bool)
    for i, example in enumerate(examples):
        for label in example.labels:
            if label in column:
                matrix[i, column[label]] = True
    return matrix


def _read_corpus(path: Path, raw: str) -> list[Example]:
    examples = []
    for line, record in _json_lines(path, raw):
        report = record.get("id")
        if not isinstance(report, str) or not report:
            raise DataError("corpus record without an 'id'", path=path, line=line)
        sentences = record.get("sentences")
        if not isinstance(sentences, list):
            raise DataError("corpus record without a 'sentences' list", path=path, line=line)
        split = record.get("split")
        if split not in (None, "train", "test"):
            raise DataError(f"split must be 'train' or 'test', got {split!r}", path=path, line=line)
        for sentence in sentences:
            if not isinstance(sentence, Mapping):
                raise DataError("each sentence must be an object with 'text' and 'labels'", path=path, line=line)
            example = _sentence(sentence, path, line, ("text",), ("labels",))
            examples.append(Example(example.text, example.labels, example.source, f"{path.name}#{report}", split))
    return examples


def _read_json_lines(path: Path, raw: str) -> list[Example]:
    """jsonl and doccano: one object a line, a text and a labels field of any accepted name."""
    return [_sentence(record, path, line, _TEXT_COLUMNS, _LABEL_COLUMNS) for line, record in _json_lines(path, raw)]


def _read_delimited(path: Path, raw: str, delimiter: str) -> list[Example]:
    rows = _csv_rows(path, raw, delimiter)
    header_line, fieldnames = next(rows, (1, []))
    header = [name.strip().lower() for name in fieldnames]
    text_column = next((c for c in _TEXT_COLUMNS if c in header), None)
    label_column = next((c for c in _LABEL_COLUMNS if c in header), None)
    if text_column is None or label_column is None:
        raise DataError(
            f"header {fieldnames} needs a text column ({'/'.join(_TEXT_COLUMNS)}) "
            f"and a labels column ({'/'.join(_LABEL_COLUMNS)})",
            path=path,
            line=header_line,
        )
    text_at, labels_at = header.index(text_column), header.index(label_column)
    separator = "a comma" if delimiter == "," else "a tab"
    examples = []
    for line, row in rows:
        if len(row) != len(header):
            raise DataError(
                f"{len(row)} field(s) where the header has {len(header)} ({', '.join(fieldnames)}): "
                f'a text that holds {separator} or a line break must be in double quotes: "在广场发放资料,接待群众。"',
                path=path,
                line=line,
            )
        record = {"text": row[text_at], "labels": _LABEL_SEPARATORS.split(row[labels_at])}
        examples.append(_sentence(record, path, line, ("text",), ("labels",)))
    return examples


def _csv_rows(path: Path, raw: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of a CSV/TSV text, each with the line it starts on."""
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise DataError(f"unreadable {'CSV' if delimiter == ',' else 'TSV'} ({e})", path=path, line=start) from None
        if any(field.strip() for field in row):
            yield start, row
        start = reader.line_num + 1


def _read_label_studio(path: Path, raw: str) -> list[Example]:
    examples, unannotated = [], 0
    for line, task in _json_array(path, raw):
        data = task.get("data") if isinstance(task, Mapping) else None
        if not isinstance(data, Mapping):
            raise DataError("Label Studio task without a 'data' object", path=path, line=line)
        annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not annotations:
            unannotated += 1
            continue
        labels = [
            choice
            for result in annotations[0].get("result") or []
            if result.get("type") == "choices"
            for choice in result.get("value", {}).get("choices", [])
        ]
        examples.append(_sentence({"text": _task_text(data, path, line), "labels": labels}, path, line, ("text",), ("labels",)))
    if unannotated:
        warnings.warn(f"{path}: skipped {unannotated} task(s) with no annotation", stacklevel=3)
    return examples


def _read_label_studio_min(path: Path, raw: str) -> list[Example]:
    examples = []
    for line, task in _json_array(path, raw):
        if not isinstance(task, Mapping):
            raise DataError("expected a task object", path=path, line=line)
        fields = [k for k in task if k != "text" and k not in _LABEL_STUDIO_META]
        if len(fields) > 1:
            raise DataError(f"more than one choices field: {fields}", path=path, line=line)
        value = task[fields[0]] if fields else []
        if isinstance(value, Mapping):
            value = value.get("choices", [])
        labels = [value] if isinstance(value, str) else value
        examples.append(_sentence({"text": task.get("text"), "labels": labels}, path, line, ("text",), ("labels",)))
    return examples


def _task_text(data: Mapping, path: Path, line: int) -> str:
    if "text" in data:
        return data["text"]
    texts = [v for v in data.values() if isinstance(v, str)]
    if len(texts) != 1:
        raise DataError(f"cannot tell the text field among {sorted(data)}", path=path, line=line)
    return texts[0]


def _sentence(record, path, line: int, text_keys: Sequence[str], label_keys: Sequence[str]) -> Example:
    """Check one record and make it an :class:`Example`: its text under the first of
    ``text_keys`` it has, its labels under the first of ``label_keys`` (none: untagged).
    A blank text is kept as ``""``; :func:`_refuse_blank` decides about it."""
    if not isinstance(record, Mapping):
        raise DataError(f"expected an object, got {type(record).__name__}", path=path, line=line)
    text_key = next((k for k in text_keys if k in record), text_keys[0])
    text = record.get(text_key)
    if text is None:
        raise DataError(f"missing '{text_key}'", path=path, line=line)
    if not isinstance(text, str):
        raise DataError(f"'{text_key}' must be a string, got {text!r}", path=path, line=line)
    label_key = next((k for k in label_keys if k in record), label_keys[0])
    labels = record.get(label_key, [])
    if isinstance(labels, str):
        labels = _LABEL_SEPARATORS.split(labels)
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise DataError(f"'{label_key}' must be a list of label names, got {labels!r}", path=path, line=line)
    names = tuple(dict.fromkeys(label.strip() for label in labels if label.strip()))
    return Example(text=text.strip(), labels=names, source=f"{path}:{line}")


def _refuse_blank(examples: Sequence[Example]) -> None:
    for example in examples:
        if not example.text:
            path, _, line = example.source.rpartition(":")
            raise DataError("the text is blank", path=path, line=int(line))


def _json_lines(path: Path, raw: str) -> Iterator[tuple[int, dict]]:
    for line, content in enumerate(raw.splitlines(), 1):
        if not content.strip():
            continue
        try:
            record = json.loads(content)
        except json.JSONDecodeError as e:
            raise DataError(f"invalid JSON: {e.msg} (column {e.colno})", path=path, line=line) from None
        if not isinstance(record, dict):
            raise DataError(f"expected a JSON object a line, got {type(record).__name__}", path=path, line=line)
        yield line, record


def _json_array(path: Path, raw: str) -> Iterator[tuple[int, object]]:
    """The items of a JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    pos = raw.index("[") + 1
    while True:
        pos = _skip_space(raw, pos)
        if pos < len(raw) and raw[pos] == "]":
            return
        try:
            item, end = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError as e:
            raise DataError(f"invalid JSON: {e.msg} (column {e.colno})", path=path, line=e.lineno) from None
        yield raw.count("\n", 0, pos) + 1, item
        pos = _skip_space(raw, end)
        if pos < len(raw) and raw[pos] == ",":
            pos += 1
        elif pos >= len(raw) or raw[pos] != "]":
            raise DataError("invalid JSON: expected ',' or ']'", path=path, line=raw.count("\n", 0, pos) + 1)


def _skip_space(raw: str, pos: int) -> int:
    while pos < len(raw) and raw[pos] in " \t\r\n":
        pos += 1
    return pos


_READERS = {
    "corpus": _read_corpus,
    "jsonl": _read_json_lines,
    "doccano": _read_json_lines,
    "csv": lambda path, raw: _read_delimited(path, raw, ","),
    "tsv": lambda path, raw: _read_delimited(path, raw, "\t"),
    "labelstudio": _read_label_studio,
    "labelstudio-min": _read_label_studio_min,
}
