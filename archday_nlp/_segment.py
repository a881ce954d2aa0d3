"""Cut a report into sentences, and a document into reports.

Sentences end after 。!?; (full or half width) and at line breaks, taking
any closing quotes or brackets that follow.  A terminator does not end a
sentence inside a 《》“”「」『』 pair that closes on the same line (but a
quotation introduced by a colon, :“……。”, ends its sentence when it
closes on a terminator), nor in a
date such as 6。9 (a 。 between two digits), nor an ASCII ``?!;`` glued to a
web address.  Offsets are into the original text and never include the
white space around a sentence.
"""
from __future__ import annotations

import re

_TERMINATORS = frozenset("。\uff01\uff1f\uff1b!?;")  # 。！？； and their half-width forms
_CLOSERS = frozenset("”’」』》】)\uff09\"'")
_PAIRS = {"《": "》", "“": "”", "「": "」", "『": "』"}
_URL_CHARS = re.compile(r"[A-Za-z0-9_=&%/#.\-]")
_LINE = re.compile(r"[^\r\n\u2028\u2029]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences in ``text``."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for cut in _cuts(text, line.start(), line.end()):
            _add_stripped(text, start, cut, spans)
            start = cut
        _add_stripped(text, start, line.end(), spans)
    return spans


def _cuts(text: str, begin: int, end: int) -> list[int]:
    """Offsets in ``text[begin:end]`` (one line) after which a sentence ends."""
    cuts = []
    expected: list[tuple[str, bool]] = []  # closers awaited, and whether a colon introduced the quote
    next_closer: dict[str, int] = {}  # closer -> its next position on the line (-1: none), so each line is searched once
    i = begin
    while i < end:
        ch = text[i]
        if expected and ch == expected[-1][0]:
            _, after_colon = expected.pop()
            ends = not expected and after_colon and text[i - 1] in _TERMINATORS
        elif ch in _PAIRS and _closes_later(text, i, end, _PAIRS[ch], next_closer):
            expected.append((_PAIRS[ch], _after_colon(text, begin, i)))
            ends = False
        else:
            ends = not expected and ch in _TERMINATORS and not _is_glued(text, i, begin, end)
        i += 1
        if ends:
            while i < end and (text[i] in _TERMINATORS or text[i] in _CLOSERS):
                i += 1
            cuts.append(i)
    return cuts


def _closes_later(text: str, i: int, end: int, closer: str, next_closer: dict[str, int]) -> bool:
    position = next_closer.get(closer)
    if position is None or (position != -1 and position <= i):
        position = next_closer[closer] = text.find(closer, i + 1, end)
    return position != -1


def _after_colon(text: str, begin: int, i: int) -> bool:
    """True when the last non-blank character before ``i`` on the line is a colon."""
    i -= 1
    while i >= begin and text[i].isspace():
        i -= 1
    return i >= begin and text[i] in (":", "\uff1a")


def _is_glued(text: str, i: int, begin: int, end: int) -> bool:
    """True for a terminator that is part of a date (6。9) or a web address."""
    after = text[i + 1] if i + 1 < end else ""
    if text[i] == "。":
        return i > begin and text[i - 1].isdigit() and after.isdigit()
    if text[i] in "?!;":
        return bool(after) and _URL_CHARS.match(after) is not None
    return False


def _add_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + len(piece) - len(piece.lstrip())
        spans.append((offset, offset + len(stripped)))


_NUMBER = r"[0-9\uff10-\uff19一二三四五六七八九十]{1,3}"
_REPORT_TITLE = re.compile(
    rf"^[ \t\u3000]*(?:\S[^\n]*?[ \t\u3000]*篇[ \t]*{_NUMBER}|篇[ \t]*{_NUMBER}(?:[:\uff1a、 \t\u3000][^\n]*)?)[ \t\u3000]*$",
    re.MULTILINE,
)


def split_reports(text: str) -> list[str]:
    """Split a document holding several reports at their numbered titles.

    A title is a line ending in ``篇3`` / ``篇二`` or starting with ``篇一:``, as
    template collections number their reports. Text before the first title
    belongs to the first report; each report is returned without surrounding
    white space, and a document with no numbered titles is one report.

    Examples
    --------
    >>> from archday_nlp import split_reports
    >>> split_reports("档案日活动总结 篇1\\n发放资料。\\n档案日活动总结 篇2\\n举办展览。")
    ['档案日活动总结 篇1\\n发放资料。', '档案日活动总结 篇2\\n举办展览。']
    >>> split_reports("   ")
    []
    """
    if not isinstance(text, str):
        raise TypeError(f"split_reports expects str, got {type(text).__name__}")
    later_titles = [m.start() for m in _REPORT_TITLE.finditer(text)][1:]
    bounds = [0, *later_titles, len(text)]
    return [piece for a, b in zip(bounds, bounds[1:]) if (piece := text[a:b].strip())]
