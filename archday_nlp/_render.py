"""Rendering out: classified reports as text, JSON, JSON lines, CSV or one HTML page.

Each renderer takes :class:`~archday_nlp._files.FileReport` objects and yields
the output piece by piece, so that text, JSON, JSON lines and CSV are written
while later reports are still being classified; the HTML page needs every
report for its table and waits for them. Label names stay the model's
identifiers; a Chinese display name (:data:`DISPLAY_NAMES`) stands beside
them where people read: text, CSV headers, HTML.
"""
from __future__ import annotations

import csv
import html
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from ._figures import FigureTotal
from ._files import FileReport
from ._labels import DISPLAY_NAMES
from ._version import __version__

FORMATS = ("text", "json", "jsonl", "csv", "html")
_EVIDENCE_SHOWN = 8  # sentence indices listed per label in text; more are counted


def render(format: str, reports: Iterable[FileReport], *, labels: Sequence[str], sentences: bool = False) -> Iterator[str]:
    """Yield ``reports`` written in ``format`` (one of :data:`FORMATS`).

    ``sentences`` lists each report's sentences in ``text`` and gives one row
    (``csv``) or line (``jsonl``) per sentence instead of per report; ``json``
    and ``html`` always hold the sentences.
    """
    try:
        renderer = _RENDERERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}") from None
    return renderer(reports, tuple(labels), sentences)


def heading(label: str) -> str:
    """A label as people read it: ``展览 exhibition``; a label without a Chinese name as it is."""
    name = DISPLAY_NAMES.get(label)
    return f"{name} {label}" if name else label


def format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def format_total(unit: str, total: FigureTotal) -> str:
    """``约800份`` for an approximate total, ``112人次`` for an exact one."""
    return f"{'约' if total.approximate else ''}{format_number(total.value)}{unit}"


def format_figures(units: Mapping[str, FigureTotal]) -> str:
    return ", ".join(format_total(unit, total) for unit, total in units.items())


def _untagged(report: FileReport) -> tuple[int, float]:
    sentences = report.report.sentences
    n = sum(1 for s in sentences if not s.labels)
    return n, (n / len(sentences) if sentences else 0.0)


# -- text ---------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _text(reports: Iterable[FileReport], labels: tuple[str, ...], sentences: bool) -> Iterator[str]:
    column = max([_width(heading(label)) for label in labels] + [5]) + 2
    for i, report in enumerate(reports):
        yield ("\n" if i else "") + _text_block(report, labels, sentences, column)


def _text_block(item: FileReport, labels: tuple[str, ...], sentences: bool, column: int) -> str:
    report = item.report
    n = len(report.sentences)
    untagged, share = _untagged(item)
    title = f"  {item.title}" if item.title else ""
    lines = [
        f"== {item.source} #{item.index + 1}{title}",
        f"   {n} sentences, {untagged} untagged ({share:.0%}); characters {item.start}-{item.end}",
        f"   {_pad('label', column)}{'sentences':>9}{'share':>7}{'top score':>11}  {_pad('evidence', 22)}figures",
    ]
    profile = report.profile
    for label in labels:
        p = profile.by_label[label]
        shown = ", ".join(map(str, p.evidence[:_EVIDENCE_SHOWN]))
        if len(p.evidence) > _EVIDENCE_SHOWN:
            shown += f", … (+{len(p.evidence) - _EVIDENCE_SHOWN})"
        figures = format_figures(profile.figures.get(label, {}))
        lines.append(
            f"   {_pad(heading(label), column)}{p.count:>9}{p.share:>7.0%}{p.max_score:>11.3f}  {_pad(shown or '-', 22)}{figures}".rstrip()
        )
    lines.append(f"   present: {', '.join(profile.present) or '(none)'}")
    if sentences:
        for j, s in enumerate(report.sentences):
            lines.append(f"   [{j:>2}] {', '.join(s.labels) or '-':<24} {s.text}")
            if item.explanations is not None:
                lines.extend("        " + line for line in item.explanations[j].format().splitlines())
    return "\n".join(lines) + "\n"


# -- JSON ---------------------------------------------------------------------------------------


def _json(reports: Iterable[FileReport], labels: tuple[str, ...], sentences: bool) -> Iterator[str]:
    names = {label: DISPLAY_NAMES.get(label, label) for label in labels}
    yield f'{{"version": {json.dumps(__version__)}, "labels": {json.dumps(list(labels))}, "display_names": {json.dumps(names, ensure_ascii=False)},\n "reports": ['
    for i, report in enumerate(reports):
        yield ("," if i else "") + "\n  " + json.dumps(report.to_dict(), ensure_ascii=False)
    yield "\n]}\n"


def _jsonl(reports: Iterable[FileReport], labels: tuple[str, ...], sentences: bool) -> Iterator[str]:
    for report in reports:
        if not sentences:
            yield json.dumps(report.to_dict(), ensure_ascii=False) + "\n"
            continue
        where = {"file": report.source, "index": report.index, "title": report.title}
        yield "".join(
            json.dumps({**where, "sentence": j, **s.to_dict()}, ensure_ascii=False) + "\n"
            for j, s in enumerate(report.report.sentences)
        )


# -- CSV ----------------------------------------------------------------------------------------


def _csv(reports: Iterable[FileReport], labels: tuple[str, ...], sentences: bool) -> Iterator[str]:
    """UTF-8 with a byte order mark first, so that spreadsheet software reads the Chinese text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def taken() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    headings = [heading(label) for label in labels]
    if sentences:
        writer.writerow(["file", "report", "title", "sentence", "start", "end", "text", *headings, "figures"])
    else:
        writer.writerow(
            ["file", "report", "title", "start", "end", "sentences", *headings, "labels present",
             *(f"{h} figures" for h in headings), "untagged share"]
        )
    yield "\ufeff" + taken()
    for item in reports:
        report = item.report
        if sentences:
            for j, s in enumerate(report.sentences):
                figures = ", ".join(f.text for f in s.figures)
                writer.writerow([item.source, item.index, item.title, j, s.start, s.end, s.text,
                                 *(int(label in s.labels) for label in labels), figures])
        else:
            profile = report.profile
            writer.writerow(
                [item.source, item.index, item.title, item.start, item.end, len(report.sentences),
                 *(profile.by_label[label].count for label in labels), ";".join(profile.present),
                 *(format_figures(profile.figures.get(label, {})) for label in labels), round(_untagged(item)[1], 4)]
            )
        yield taken()


# -- HTML ---------------------------------------------------------------------------------------

# (strong, tint) per label, in model order; labels beyond these take the grey ones in turn.
_COLOURS = (
    ("#e8590c", "#ffe3c4"),  # orange
    ("#2f9e44", "#d3f9d8"),  # green
    ("#1c7ed6", "#d0ebff"),  # blue
    ("#7048e8", "#e5dbff"),  # violet
    ("#c48a00", "#fff0b3"),  # amber
    ("#d6336c", "#ffdeeb"),  # pink
)
_MORE_COLOURS = (("#5c677d", "#e3e7ee"), ("#8b5a2b", "#f1e3d3"))

_CSS = """
:root { --ink: #1f2328; --muted: #687078; --line: #e4e7eb; --paper: #fbfaf7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 22px 32px 14px; position: sticky; top: 0; z-index: 2; }
h1 { margin: 0; font-size: 22px; font-weight: 650; }
h2 { font-size: 17px; margin: 0 0 4px; }
.meta, .where { color: var(--muted); font-size: 13px; }
.legend { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
.legend button { font: inherit; font-size: 13px; border: 1px solid var(--line); background: #fff; border-radius: 999px;
  padding: 2px 12px 2px 8px; cursor: pointer; display: inline-flex; align-items: center; gap: 6px; }
.legend button[aria-pressed="true"] { border-color: var(--ink); box-shadow: 0 0 0 1px var(--ink); }
.legend code, .chip code { color: var(--muted); font-size: 12px; }
.dot { width: 11px; height: 11px; border-radius: 3px; display: inline-block; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 32px 60px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 18px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th { white-space: nowrap; text-align: left; font-weight: 600; color: var(--muted); font-size: 12.5px; border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: middle; }
tbody tr:hover { background: #f6f8fa; }
td.bars { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td a { color: var(--ink); text-decoration: none; font-weight: 550; }
td a:hover { text-decoration: underline; }
td .where { display: block; font-weight: 400; }
.bar { display: inline-block; width: 56px; height: 8px; background: #eef0f2; border-radius: 4px; overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; border-radius: 4px; }
.count { display: inline-block; min-width: 1.6em; text-align: right; margin-left: 6px; font-variant-numeric: tabular-nums; color: var(--muted); }
.zero .count { color: #c3c8cd; }
.summary { display: flex; flex-wrap: wrap; gap: 6px 10px; margin: 10px 0 14px; }
.chip { font-size: 13px; border-radius: 6px; padding: 2px 9px; }
.chip b { font-weight: 650; }
.text { white-space: pre-wrap; line-height: 2.05; font-size: 16px; max-width: 46em; }
.s { border-radius: 3px; padding: 2px 1px; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.s.none { color: #59616a; }
.s:hover { outline: 1px solid #9aa3ad; }
.s[data-tags]::after { content: attr(data-tags); color: var(--c); font-size: 11px; font-weight: 600; vertical-align: super;
  line-height: 0; margin-left: 2px; white-space: nowrap; }
mark.fig { background: none; color: inherit; font-weight: 650; border-bottom: 2px dotted #1f2328; }
.focusing .s:not(.hit) { opacity: .28; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding-bottom: 30px; }
"""

_JS = """
document.querySelectorAll('.legend button').forEach(function (button) {
  button.addEventListener('click', function () {
    var on = button.getAttribute('aria-pressed') !== 'true';
    document.querySelectorAll('.legend button').forEach(function (b) { b.setAttribute('aria-pressed', 'false'); });
    button.setAttribute('aria-pressed', String(on));
    document.body.classList.toggle('focusing', on);
    document.querySelectorAll('.s').forEach(function (s) {
      s.classList.toggle('hit', on && s.classList.contains('t' + button.dataset.label));
    });
  });
});
"""


def _colours(labels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [_COLOURS[j] if j < len(_COLOURS) else _MORE_COLOURS[(j - len(_COLOURS)) % len(_MORE_COLOURS)] for j in range(len(labels))]


def _html(reports: Iterable[FileReport], labels: tuple[str, ...], sentences: bool) -> Iterator[str]:
    reports = list(reports)
    e = html.escape
    colours = _colours(labels)
    files = len({r.source for r in reports})
    n_sentences = sum(len(r.report.sentences) for r in reports)
    yield (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="archday-nlp {e(__version__)}">\n'
        "<title>国际档案日宣传活动 · 报告分析</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<header>\n<h1>国际档案日宣传活动 · 报告分析</h1>\n"
        f'<div class="meta">{len(reports)} 篇报告 · {files} 个文件 · {n_sentences} 个句子 · '
        "句子按活动着色，悬停可见各活动得分，<b>加粗</b>为数字；点击下方活动只看该类句子</div>\n"
        '<div class="legend">'
        + "".join(
            f'<button type="button" data-label="{j}" aria-pressed="false"><span class="dot" style="background:{colours[j][0]}"></span>'
            f"{e(DISPLAY_NAMES.get(label, label))} <code>{e(label)}</code></button>"
            for j, label in enumerate(labels)
        )
        + "</div>\n</header>\n<main>\n"
    )
    yield _html_table(reports, labels, colours)
    for number, item in enumerate(reports, 1):
        yield _html_report(number, item, labels, colours)
    yield f'</main>\n<footer>archday-nlp {e(__version__)}</footer>\n<script>{_JS}</script>\n</body>\n</html>\n'


def _html_table(reports: list[FileReport], labels: tuple[str, ...], colours: list[tuple[str, str]]) -> str:
    e = html.escape
    top = max((r.report.profile.by_label[label].share for r in reports for label in labels), default=0.0) or 1.0
    head = "".join(f'<th title="{e(label)}">{e(DISPLAY_NAMES.get(label, label))}</th>' for label in labels)
    rows = []
    for number, item in enumerate(reports, 1):
        profile = item.report.profile
        cells = []
        for j, label in enumerate(labels):
            p = profile.by_label[label]
            figures = format_figures(profile.figures.get(label, {}))
            tip = f"{heading(label)}: {p.count} 句 ({p.share:.0%})" + (f" · {figures}" if figures else "")
            cells.append(
                f'<td class="bars{" zero" if not p.count else ""}" title="{e(tip)}"><span class="bar"><span style="width:{100 * p.share / top:.1f}%;'
                f'background:{colours[j][0]}"></span></span><span class="count">{p.count}</span></td>'
            )
        untagged = _untagged(item)[1]
        rows.append(
            f'<tr><td class="num">{number}</td><td><a href="#r{number}">{e(item.title or "(无标题)")}</a>'
            f'<span class="where">{e(item.source)} · 第 {item.index + 1} 篇</span></td>'
            f'<td class="num">{len(item.report.sentences)}</td>{"".join(cells)}<td class="num">{untagged:.0%}</td></tr>'
        )
    return (
        '<section class="overview">\n<h2>报告一览</h2>\n<table class="reports">\n'
        f'<thead><tr><th class="num">#</th><th>报告</th><th class="num">句子</th>{head}<th class="num">未标注</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</section>\n"
    )


def _html_report(number: int, item: FileReport, labels: tuple[str, ...], colours: list[tuple[str, str]]) -> str:
    e = html.escape
    report = item.report
    profile = report.profile
    index = {label: j for j, label in enumerate(labels)}
    chips = []
    for label in profile.present:
        j = index[label]
        figures = format_figures(profile.figures.get(label, {}))
        chips.append(
            f'<span class="chip" style="background:{colours[j][1]}"><b style="color:{colours[j][0]}">{e(DISPLAY_NAMES.get(label, label))}</b> '
            f'{profile.by_label[label].count} 句' + (f" · {e(figures)}" if figures else "") + "</span>"
        )
    if not chips:
        chips.append('<span class="chip" style="background:#f1f3f5">没有标注的活动</span>')
    document = item.document
    parts, position = [], item.start
    for j, s in enumerate(report.sentences):
        parts.append(e(document[position : s.start]))
        parts.append(_html_sentence(s, labels, index, colours, None if item.explanations is None else item.explanations[j]))
        position = s.end
    parts.append(e(document[position : item.end]))
    untagged, share = _untagged(item)
    return (
        f'<section class="report" id="r{number}">\n<h2>{number}. {e(item.title or "(无标题)")}</h2>\n'
        f'<div class="where">{e(item.source)} · 第 {item.index + 1} 篇 · 字符 {item.start}–{item.end} · '
        f"{len(report.sentences)} 句，未标注 {untagged} 句 ({share:.0%})</div>\n"
        f'<div class="summary">{"".join(chips)}</div>\n<div class="text">{"".join(parts)}</div>\n</section>\n'
    )


def _html_sentence(s, labels: tuple[str, ...], index: Mapping[str, int], colours: list[tuple[str, str]], why=None) -> str:
    e = html.escape
    tip = "\n".join(f"{heading(label)}  {s.scores[label]:.2f}" for label in labels)
    if why is not None:
        tip += "\n\n" + why.format()
    text, pieces, position = s.text, [], 0
    for f in s.figures:
        pieces.append(e(text[position : f.start]))
        meaning = f"{'约' if f.approximate else ''}{format_number(f.value)} {f.unit}"
        pieces.append(f'<mark class="fig" title="{e(meaning)}">{e(f.text)}</mark>')
        position = f.end
    pieces.append(e(text[position:]))
    if not s.labels:
        return f'<span class="s none" title="{e(tip)}">{"".join(pieces)}</span>'
    tints = [colours[index[label]][1] for label in s.labels]
    if len(tints) == 1:
        background = tints[0]
    else:  # one band per label, top to bottom
        step = 100 / len(tints)
        background = "linear-gradient(" + ", ".join(f"{t} {k * step:.0f}% {(k + 1) * step:.0f}%" for k, t in enumerate(tints)) + ")"
    classes = " ".join(f"t{index[label]}" for label in s.labels)
    tags = "·".join(DISPLAY_NAMES.get(label, label) for label in s.labels)  # shown by CSS, so that copied text stays the report's
    style = f"background:{background};--c:{colours[index[s.labels[0]]][0]}"
    return f'<span class="s {classes}" style="{style}" data-tags="{e(tags)}" title="{e(tip)}">{"".join(pieces)}</span>'


_RENDERERS: dict[str, Callable[[Iterable[FileReport], tuple[str, ...], bool], Iterator[str]]] = {
    "text": _text,
    "json": _json,
    "jsonl": _jsonl,
    "csv": _csv,
    "html": _html,
}
