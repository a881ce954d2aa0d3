"""Report files in: text in the encodings reports arrive in, ``.docx``, folders, standard input.

Text is decoded from its bytes, without translating line ends, so that
offsets index the file as decoded, CRLF included. A byte order mark decides
(UTF-8, UTF-16, UTF-32); otherwise UTF-8 is tried, then UTF-16 without a mark,
then GB18030 (a superset of GBK and GB2312, the encoding of mainland offices)
when it gives common simplified characters, then charset-normalizer's choice
between GB18030 and Big5. Each guess must give ordinary text (CJK characters
and punctuation, ASCII, full-width forms), not kana, box drawing or private-use
characters, which is what a wrong guess gives.

A ``.docx`` file gives its paragraphs and the paragraphs of its table cells
in document order, one per line. A file that holds several reports gives one
:class:`ReportText` per report (:func:`archday_nlp.find_reports`).
"""
from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import ArchdayError
from ._profile import Report
from ._segment import find_reports

#: What a folder is searched for.
SUFFIXES = (".txt", ".md", ".docx")
#: The path that names standard input.
STDIN = "-"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 4096  # characters looked at to judge a UTF-16 guess
_PLAUSIBLE = 0.95


class ReportFileError(ArchdayError, OSError):
    """A report file that cannot be read; ``path`` names it (``"-"`` for standard input)."""

    def __init__(self, reason: str, *, path: str | os.PathLike):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{display_name(self.path)}: {reason}")

    def __str__(self) -> str:  # OSError's own __str__ would show its arguments as a tuple
        return self.args[0]


@dataclass(frozen=True)
class ReportText:
    """One report of a file, before classification: ``document[start:end]`` is its text.

    ``index`` counts the reports of the file from 0; ``title`` is ``""`` when the report has none.
    """

    source: str
    index: int
    title: str
    start: int
    end: int
    document: str = field(repr=False)

    @property
    def text(self) -> str:
        return self.document[self.start : self.end]


@dataclass(frozen=True)
class FileReport:
    """A classified report of a file.

    The offsets of the report and of its sentences index ``document``, the file's decoded text.
    ``explanations``, when asked for, holds one :class:`~archday_nlp._explain.Explanation` per sentence.
    """

    source: str
    index: int
    title: str
    start: int
    end: int
    report: Report
    document: str = field(repr=False)
    explanations: tuple | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        data = {"file": self.source, "index": self.index, "title": self.title, "start": self.start, "end": self.end, **self.report.to_dict()}
        if self.explanations is not None:
            for sentence, why in zip(data["sentences"], self.explanations):
                sentence["explanation"] = why.to_dict()
        return data


def display_name(path: str | os.PathLike) -> str:
    return "<stdin>" if os.fspath(path) == STDIN else os.fspath(path)


def find_files(
    paths: Iterable[str | os.PathLike],
    *,
    on_error: Callable[[ReportFileError], None] | None = None,
    on_skip: Callable[[Path], None] | None = None,
) -> list[str]:
    """The report files that ``paths`` name: files as given, folders searched recursively for :data:`SUFFIXES`.

    Hidden files and folders and Word's lock files (``~$…``) are passed over;
    other files in a folder go to ``on_skip``. A path that does not exist, or a
    folder holding no report file, goes to ``on_error`` (default: raise).
    """
    found: list[str] = []
    for path in paths:
        path = os.fspath(path)
        try:
            if path == STDIN or os.path.isfile(path):
                found.append(path)
            elif os.path.isdir(path):
                files = list(_search(Path(path), on_skip))
                if not files:
                    raise ReportFileError(f"no {', '.join(SUFFIXES[:-1])} or {SUFFIXES[-1]} file in this folder", path=path)
                found.extend(files)
            elif os.path.lexists(path):
                raise ReportFileError("not a regular file" if os.path.exists(path) else "a broken link", path=path)
            else:
                raise ReportFileError("no such file or folder", path=path)
        except ReportFileError as e:
            if on_error is None:
                raise
            on_error(e)
    return found


def _search(folder: Path, on_skip: Callable[[Path], None] | None) -> Iterator[str]:
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            if name.startswith((".", "~$")):
                continue
            if name.lower().endswith(SUFFIXES):
                yield os.path.join(root, name)
            elif on_skip is not None:
                on_skip(Path(root, name))


def read_document(path: str | os.PathLike, *, encoding: str | None = None) -> str:
    """The text of one report file (``.docx`` or text in any encoding), or of standard input for ``"-"``.

    Parameters
    ----------
    path : str or os.PathLike
        A file, or ``"-"``.
    encoding : str, optional
        Decode text with this codec instead of detecting the encoding.

    Raises
    ------
    ReportFileError
        If the file is missing, a folder, binary, a damaged ``.docx`` or cannot be decoded.
    """
    path = os.fspath(path)
    if path == STDIN:
        return decode(sys.stdin.buffer.read(), encoding=encoding, path=path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".doc", ".wps"):
        raise ReportFileError(f"a {suffix} file cannot be read: save it as .docx or .txt", path=path)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        raise ReportFileError("no such file", path=path) from None
    except IsADirectoryError:
        raise ReportFileError("is a folder, not a file", path=path) from None
    except OSError as e:
        raise ReportFileError(f"cannot read: {e.strerror}", path=path) from None
    return decode(data, encoding=encoding, path=path)


def decode(data: bytes, *, encoding: str | None = None, path: str | os.PathLike = "<bytes>") -> str:
    """Decode a text file's bytes, detecting the encoding unless ``encoding`` names one; see the module notes.

    Examples
    --------
    >>> from archday_nlp._files import decode
    >>> text = "发放宣传资料300余份。\\r\\n"
    >>> [decode(text.encode(e)) == text for e in ("utf-8", "utf-8-sig", "gbk", "utf-16", "utf-16-le")]
    [True, True, True, True, True]
    """
    if encoding is not None:
        codec = codecs.lookup(encoding).name
        try:
            return data.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as e:
            raise ReportFileError(f"not {encoding} text ({e.reason} at byte {e.start})", path=path) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise ReportFileError(f"starts with a {codec} byte order mark but is not {codec} text ({e.reason} at byte {e.start})", path=path) from None
    has_nul = b"\x00" in data
    if not has_nul:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    if has_nul:
        raise ReportFileError("a binary file, not text (it holds NUL bytes and is not UTF-16)", path=path)
    text = _chinese(data)
    if text is None:
        raise ReportFileError("cannot tell its encoding: it is not UTF-8, UTF-16, GB18030 (GBK) or Big5 text; name it with --encoding", path=path)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """The text, when the bytes read as UTF-16 (either byte order) give ordinary text."""
    if len(data) < 2 or len(data) % 2:
        return None
    best, best_score = None, _PLAUSIBLE
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _ordinary(text[:_SAMPLE])
        if score >= best_score:
            best, best_score = text, score
    return best


def _chinese(data: bytes) -> str | None:
    """GB18030 when it gives common simplified characters (short texts above all, where a
    statistical detector guesses poorly); else the first of charset-normalizer's answers,
    GB18030 and Big5 that gives ordinary text."""
    try:
        text = data.decode("gb18030")
        if _ordinary(text[:_SAMPLE]) >= _PLAUSIBLE and _common_simplified(text[:_SAMPLE]) >= _PLAUSIBLE:
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    detected = [m.encoding for m in from_bytes(data, cp_isolation=["gb18030", "big5"])]
    for codec in dict.fromkeys([*detected, "gb18030", "big5"]):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _ordinary(text[:_SAMPLE]) >= _PLAUSIBLE:
            return text
    return None


# What Chinese reports are written in: CJK ideographs and punctuation, full-width forms, Latin-1,
# general punctuation (“” — …), circled numbers, shapes and signs (● ★). A wrong decoding also
# gives kana, box drawing, Yi or private-use characters.
_ORDINARY = re.compile(r"[\s\x20-\x7e\xa0-\xff\u2000-\u206f\u2460-\u24ff\u25a0-\u26ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _ordinary(text: str) -> float:
    return len(_ORDINARY.findall(text)) / len(text) if text else 0.0


def _common_simplified(text: str) -> float:
    """The share of the Chinese characters of ``text`` that are among GB2312's 3,755 common ones (its first level)."""
    hanzi = common = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            hanzi += 1
            try:
                common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
            except UnicodeEncodeError:
                pass
    return common / hanzi if hanzi else 0.0


def _read_docx(path: str) -> str:
    try:
        import docx
    except ImportError:
        raise ReportFileError("reading .docx needs python-docx: pip install python-docx", path=path) from None
    if not os.path.exists(path):
        raise ReportFileError("no such file", path=path)
    if os.path.isdir(path):
        raise ReportFileError("is a folder, not a file", path=path)
    try:
        document = docx.Document(path)
    except Exception as e:  # python-docx lets zipfile, lxml and its own errors through for a damaged file
        reason = str(e) or type(e).__name__
        raise ReportFileError(f"not a readable .docx file ({reason})", path=path) from None
    lines: list[str] = []
    _docx_lines(document, lines)
    return "\n".join(lines)


def _docx_lines(container, lines: list[str]) -> None:
    """Paragraphs of ``container`` in order; each table cell once, row by row, nested tables included."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell appears once per grid column it spans
                        seen.add(cell._tc)  # the set keeps each element alive, so identity stays meaningful
                        _docx_lines(cell, lines)
        else:
            lines.append(block.text)


def read_reports(
    paths: Iterable[str | os.PathLike],
    *,
    encoding: str | None = None,
    on_error: Callable[[ReportFileError], None] | None = None,
) -> Iterator[ReportText]:
    """The reports of each file in ``paths`` (files or ``"-"``; see :func:`find_files` for folders), in order.

    A file that cannot be read, or holds no text, goes to ``on_error`` (default:
    raise) and the next file is read.
    """
    for path in paths:
        path = os.fspath(path)
        try:
            document = read_document(path, encoding=encoding)
            reports = find_reports(document)
            if not reports:
                raise ReportFileError("holds no text", path=path)
        except ReportFileError as e:
            if on_error is None:
                raise
            on_error(e)
            continue
        source = display_name(path)
        for index, span in enumerate(reports):
            yield ReportText(source, index, span.title, span.start, span.end, document)
