"""Cut a report into sentences, and a document into reports.

A sentence ends after 。!? (full or half width), taking any closing quotes
or brackets that follow; ；and ; join clauses, they do not end sentences.
A terminator does not end a sentence inside a 《》“”「」『』 pair that
closes later in the paragraph, nor in a date such as 6。9 (a 。 between two
digits), nor an ASCII ``?!`` glued to a web address.  A quotation that ends
on a terminator ends its sentence when it opened the sentence or followed a
colon: “……。”他说。 and :“……。” both end at the closing quote, while
以“档案,让生活更美好!”为主题 does not.

A line break ends a sentence, except a hard wrap: a prose line (one with a
comma, semicolon or terminator in it, or one as long as the text's other
wrapped lines), not the first line, of at least :data:`WRAP_MIN` characters,
that ends without a terminator or colon, followed directly by an unindented
line that starts no heading, list item, caption or page-furniture field;
headings, list items, titles and captions stay their own sentences.
Offsets are into the original text and never include the white space around
a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_TERMINATORS = frozenset("。\uff01\uff1f!?")  # 。！？ and their half-width forms
_CLOSERS = frozenset("”’」』》】)\uff09\"'")
_PAIRS = {"《": "》", "“": "”", "「": "」", "『": "』"}
_QUOTES = frozenset("“「『")
#: The only characters that can open, close or end anything.
_SIGNIFICANT = re.compile("[" + re.escape("".join(sorted(_TERMINATORS | set(_PAIRS) | set(_PAIRS.values())))) + "]")
_URL_CHARS = re.compile(r"[A-Za-z0-9_=&%/#.\-]")
_LINE = re.compile(r"[^\r\n\u2028\u2029]+")
#: The shortest line that a hard wrap can continue.
WRAP_MIN = 20
_PROSE_MARK = re.compile(r"[，,；;！？]|(?<![0-9０-９])。|。(?![0-9０-９])")  # not 、: titles list with it
_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]\s*")  # a whole line in brackets, such as （共印60份）: a note
_NOT_PROSE_END = re.compile(r"[A-Za-z/.=&%#?\-]")  # a web address or a file name ends the line
_NOT_PROSE = re.compile(r"^(?:图为|圖為)| [>|] |^(?:文|图|圖)\s*/")  # captions, breadcrumbs and menus, bylines
#: A line of page furniture: a field (发布时间：…), a byline, a date or a time stamp.
_FIELD = re.compile(
    r"[ \t\u3000]*(?:[\u4e00-\u9fff]{1,6}\s*[:：|｜]|记者|記者|(?:文|图|圖)\s*/|责任编辑|責任編輯|来源|來源|版权所有|版權所有|©|\d{4}[-./年]\d)"
    r"|[^，,、；;。！？!?]*\d{1,2}:\d{2}(?!\d)[^，,、；;。！？!?]*$"
)
_TRAILING_GLOSS = re.compile(r"\([a-zü\u0100-\u01dc]{1,7}\)$")
_HEADING = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]+[、.．是]|[(（][一二三四五六七八九十\d０-９]+[)）]|[\d０-９]+[、.．)）](?![\d０-９])"
    r"|[①-⑳]|第[一二三四五六七八九十百\d]+[章节部条篇]|篇[一二三四五六七八九十\d０-９]|[-—·•●◆■□★※]|图为|圖為|【)"
)
#: What a continuation line cannot start with: an indent (a new paragraph), a heading, list item or caption.
_CONTINUES_NOT = re.compile(rf"[ \t\u3000]|{_HEADING.pattern}")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences in ``text``."""
    spans: list[tuple[int, int]] = []
    for begin, end in _paragraphs(text):
        start = begin
        for cut in _cuts(text, begin, end):
            _add_stripped(text, start, cut, spans)
            start = cut
        _add_stripped(text, start, end, spans)
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Runs of lines that hard wraps join, as ``(begin, end)`` offsets."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    width = _wrap_width(text, lines)
    runs: list[tuple[int, int]] = []
    joined = False  # whether the previous line continued a wrapped paragraph
    for k, (begin, end) in enumerate(lines):
        # The first line is the title: it never runs on.
        joined = k > 1 and _wraps(text, lines[k - 1], (begin, end), joined, width)
        if joined:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((begin, end))
    return runs


def _wrap_width(text: str, lines: list[tuple[int, int]]) -> float:
    """The width a hard-wrapped text was broken at, or infinity for a text that is not.

    A hard-wrapped text has at least five unfinished prose lines of
    :data:`WRAP_MIN` characters or more, most of them within a few characters
    of the longest (the 90th percentile): that length is the width.
    """
    unfinished = sorted(
        len(content)
        for content in (text[a:b].strip() for a, b in lines)
        if len(content) >= WRAP_MIN and content[-1] not in _TERMINATORS and _PROSE_MARK.search(content)
    )
    if len(unfinished) < 5:
        return float("inf")
    width = unfinished[int(0.9 * (len(unfinished) - 1))]
    near = sum(width - 4 <= n <= width + 2 for n in unfinished)
    return width if near >= 5 and near >= 0.5 * len(unfinished) else float("inf")


def _wraps(text: str, line: tuple[int, int], following: tuple[int, int], continued: bool, width: float) -> bool:
    """True when ``line`` is prose broken mid-sentence that ``following`` continues.

    Prose is a line with a comma, semicolon or terminator in it (not 、: titles list with it); a
    line that continues a wrapped paragraph, or that fills the text's wrap width,
    needs none of its own. A line ending on a comma or enumeration mark goes on
    even into what looks like a list item (……一是……，⏎二是……).
    """
    content = text[line[0] : line[1]].strip()
    last = _TRAILING_GLOSS.sub("", content).rstrip("".join(_CLOSERS))[-1:]
    if (
        len(content) < WRAP_MIN
        or text[line[1] : following[0]] not in ("\n", "\r\n", "\r")
        or last in _TERMINATORS
        or last in (":", "\uff1a")
        or _NOT_PROSE_END.match(last)
        or _NOT_PROSE.search(content)
        or _BRACKETED.fullmatch(text, following[0], following[1])
        or _FIELD.match(text, following[0], following[1])
    ):
        return False
    if last in "，,、" and not text[following[0]].isspace():
        return True
    heading = _HEADING.match(content) is not None and len(content) < 25
    return (
        (continued or len(content) >= width - 4 or (_PROSE_MARK.search(content) is not None and not heading))
        and not _CONTINUES_NOT.match(text, following[0])
    )


def _cuts(text: str, begin: int, end: int) -> list[int]:
    """Offsets in ``text[begin:end]`` (one paragraph) after which a sentence ends."""
    cuts = []
    expected: list[tuple[str, bool]] = []  # closers awaited, and whether the quote may end its sentence
    next_closer: dict[str, int] = {}  # closer -> its next position (-1: none), so each paragraph is searched once
    sentence_start = begin
    for match in _SIGNIFICANT.finditer(text, begin, end):
        i = match.start()
        if i < sentence_start:  # taken into the previous sentence's ending
            continue
        ch = text[i]
        if expected and ch == expected[-1][0]:
            _, may_end = expected.pop()
            ends = not expected and may_end and text[i - 1] in _TERMINATORS
        elif ch in _PAIRS and _closes_later(text, i, end, _PAIRS[ch], next_closer):
            expected.append((_PAIRS[ch], ch in _QUOTES and _opens_sentence(text, sentence_start, i)))
            ends = False
        else:
            ends = not expected and ch in _TERMINATORS and not _is_glued(text, i, begin, end)
        if ends:
            i += 1
            while i < end and (text[i] in _TERMINATORS or text[i] in _CLOSERS):
                i += 1
            cuts.append(i)
            sentence_start = i
    return cuts


def _closes_later(text: str, i: int, end: int, closer: str, next_closer: dict[str, int]) -> bool:
    position = next_closer.get(closer)
    if position is None or (position != -1 and position <= i):
        position = next_closer[closer] = text.find(closer, i + 1, end)
    return position != -1


def _opens_sentence(text: str, sentence_start: int, i: int) -> bool:
    """True when only white space precedes ``i`` in its sentence, or a colon does."""
    before = text[sentence_start:i].rstrip()
    return not before or before[-1] in (":", "\uff1a")


def _is_glued(text: str, i: int, begin: int, end: int) -> bool:
    """True for a terminator that is part of a date (6。9) or a web address."""
    after = text[i + 1] if i + 1 < end else ""
    if text[i] == "。":
        return i > begin and text[i - 1].isdigit() and after.isdigit()
    if text[i] in "?!":
        return bool(after) and _URL_CHARS.match(after) is not None
    return False


def _add_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + len(piece) - len(piece.lstrip())
        spans.append((offset, offset + len(stripped)))
_NUMBER = r"[0-9\uff10-\uff19一二三四五六七八九十]{1,3}"
_SPACE = "[ \\t\u3000]"
# A numbered title, as template collections write them: "……总结 篇3", "……总结(第3篇)",
# "篇二:……", "【篇一】……". A title line may end in \r: offsets index CRLF text.
_NUMBERED_TITLE = re.compile(
    rf"^{_SPACE}*(?:\S[^\r\n]*?{_SPACE}*[【\[〔(\uff08]?(?:篇{_SPACE}*{_NUMBER}|第{_NUMBER}篇)[】\]〕)\uff09]?"
    rf"|[【\[〔]篇{_SPACE}*{_NUMBER}[】\]〕][^\r\n]*"
    rf"|篇{_SPACE}*{_NUMBER}(?:[:\uff1a、 \t\u3000][^\r\n]*)?){_SPACE}*\r*$",
    re.MULTILINE,
)
# An unnumbered report title: a short line about archives that ends as a report's name does,
# such as "xx社区2021年国际档案日活动总结". Repeated, it separates the reports of a collection.
_NAMED_TITLE = re.compile(
    rf"^{_SPACE}*([^\r\n]{{0,48}}档案[^\r\n]{{0,48}}(?:总结|小结|报告|汇报|情况|综述|简报)[”\"》)\uff09]?){_SPACE}*\r*$",
    re.MULTILINE,
)
_TITLE_MAX = 60  # the longest first line that can title a report
_TITLE_ENDS_NOT = _TERMINATORS | frozenset("，,、；;：:")


@dataclass(frozen=True)
class ReportSpan:
    """One report of a document: ``text == document[start:end]``.

    ``title`` is its title line, or ``""`` when its first line is not a title.
    """

    title: str
    start: int
    end: int
    text: str


def find_reports(text: str) -> list[ReportSpan]:
    """Find the reports of a document, with their titles and offsets.

    A document holds several reports when it has numbered titles (a line
    ending in ``篇3`` or ``(第3篇)``, or starting with ``篇二:`` or ``【篇一】``),
    or, failing those, when it opens with a report title ("……档案日活动总结")
    that recurs: each title starts a report. Text before the first numbered
    title belongs to the first report. Reports never include the white space
    around them; a document without titles is one report, and a blank one none.

    Examples
    --------
    >>> from archday_nlp import find_reports
    >>> document = "档案日活动总结 篇1\\r\\n发放资料。\\r\\n档案日活动总结 篇2\\r\\n举办展览。\\r\\n"
    >>> [(r.title, r.start, r.end) for r in find_reports(document)]
    [('档案日活动总结 篇1', 0, 17), ('档案日活动总结 篇2', 19, 36)]
    >>> document[19:36] == find_reports(document)[1].text
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"find_reports expects str, got {type(text).__name__}")
    titles = [(m.start(), m.group().strip()) for m in _NUMBERED_TITLE.finditer(text)] or _named_titles(text)
    if not titles:
        titles = [(0, "")]
    bounds = [0, *(start for start, _ in titles[1:]), len(text)]
    reports = []
    for (a, b), (_, title) in zip(zip(bounds, bounds[1:]), titles):
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            start = a + len(piece) - len(piece.lstrip())
            reports.append(ReportSpan(title or _first_line_title(stripped), start, start + len(stripped), stripped))
    return reports


def _named_titles(text: str) -> list[tuple[int, str]]:
    """Unnumbered titles, when the document opens with one and holds two or more, each followed by text."""
    titles = [(m.start(), m.group().strip()) for m in _NAMED_TITLE.finditer(text) if not _HEADING.match(m.group())]
    if len(titles) < 2 or text[: titles[0][0]].strip():
        return []
    ends = [start for start, _ in titles[1:]] + [len(text)]
    if any(not text[start:end].strip().replace(title, "", 1).strip() for (start, title), end in zip(titles, ends)):
        return []  # a title with nothing under it: a table of contents, not a collection
    return titles


def _first_line_title(report: str) -> str:
    line = report.split("\n", 1)[0].strip()
    if "\n" in report and len(line) <= _TITLE_MAX and line[-1] not in _TITLE_ENDS_NOT:
        return line
    return ""


def split_reports(text: str) -> list[str]:
    """Split a document holding several reports at their titles; :func:`find_reports` gives titles and offsets too.

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
    return [report.text for report in find_reports(text)]
