import csv
import io
import json
from html.parser import HTMLParser

import numpy as np
import pytest

from archday_nlp import LABELS
from archday_nlp._files import FileReport
from archday_nlp._profile import Report
from archday_nlp._segment import sentence_spans
from archday_nlp._render import FORMATS, render

DOCUMENT = (
    "青石县档案馆国际档案日活动总结\r\n"
    "6月9日,在广场发放宣传折页800余份。县电视台播出专题节目,并在网站发布消息3条。\r\n"
    "有居民留言:<script>alert('x')</script> & \"好\"。\r\n"
)
# tags per sentence, in LABELS order: exhibition, leafleting, sms, open_access, training, media
TAGS = [(), ("leafleting",), ("media",), ()]


def file_report(document=DOCUMENT, tags=TAGS, source="reports/青石.txt", offset=0) -> FileReport:
    """A report made from fixed tags and scores: no model, so the outputs are exact."""
    text = document[offset:]
    spans = np.array(sentence_spans(text), dtype=np.int64).reshape(-1, 2)
    tag_matrix = np.array([[label in t for label in LABELS] for t in tags], dtype=bool).reshape(-1, len(LABELS))
    scores = np.where(tag_matrix, 0.9, 0.1)
    report = Report(text, spans, LABELS, scores, tag_matrix)._within(document, offset)
    return FileReport(source, 0, "青石县档案馆国际档案日活动总结", offset, len(document.rstrip()), report, document)


def output(fmt, reports, **options) -> str:
    return "".join(render(fmt, reports, labels=LABELS, **options))


class Page(HTMLParser):
    """Collects what the tests look at: element counts, classes, attributes and the text outside scripts."""

    def __init__(self):
        super().__init__()
        self.tags, self.classes, self.attributes, self.text, self.stack = [], [], [], [], []
        self.report_texts: list[str] = []  # what each <div class="text"> holds

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.classes.append((tag, attrs.get("class", "")))
        self.attributes.append((tag, attrs))
        if tag not in ("meta", "br"):
            self.stack.append((tag, attrs.get("class")))
        if (tag, attrs.get("class")) == ("div", "text"):
            self.report_texts.append("")

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "script" not in tags and "style" not in tags:
            self.text.append(data)
        if ("div", "text") in self.stack:
            self.report_texts[-1] += data


def test_html_page_structure_escaping_and_self_containment():
    second = file_report(source="<b>evil</b>.txt")
    page_html = output("html", [file_report(), second])
    page = Page()
    page.feed(page_html)
    page.close()
    assert page.stack == []  # every element closed, in order
    assert page.tags.count("script") == 1 and page.tags.count("table") == 1
    assert [c for t, c in page.classes if t == "section"] == ["overview", "report", "report"]
    rows = page_html.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2 and rows.count('class="bar"') == 2 * len(LABELS)
    text = "".join(page.text)
    assert "<script>alert('x')</script> & \"好\"" in text  # the report's script is text, not an element
    assert "<b>evil</b>.txt" in text
    # sentences: one span each, coloured by tags, scores in the title, figures marked
    sentences = [a for t, a in page.attributes if t == "span" and a.get("class", "").split()[0:1] == ["s"]]
    assert len(sentences) == 2 * 4
    assert [s["class"] for s in sentences[:4]] == ["s none", "s t1", "s t5", "s none"]
    assert sentences[1]["data-tags"] == "发放资料"
    assert "发放资料 leafleting  0.90" in sentences[1]["title"] and "短信 sms  0.10" in sentences[1]["title"]
    marks = [a for t, a in page.attributes if t == "mark"]
    assert [m["title"] for m in marks[:2]] == ["约800 份", "3 条"]
    # nothing fetched from elsewhere
    assert not [a for t, a in page.attributes if "src" in a or t == "link"]
    assert all(a["href"].startswith("#r") for t, a in page.attributes if t == "a")


def test_html_shows_each_report_as_the_document_between_its_offsets():
    document = "篇1\r\n举办展览。\r\n篇2\r\n" + DOCUMENT
    page = Page()
    page.feed(output("html", [file_report(document=document, offset=document.index("青石"))]))
    assert page.report_texts == [DOCUMENT.strip()]


def test_csv_has_a_byte_order_mark_chinese_headings_and_a_row_per_report():
    text = output("csv", [file_report(), file_report(source="b.txt")])
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 2
    row = rows[0]
    assert row["file"] == "reports/青石.txt" and row["title"] == "青石县档案馆国际档案日活动总结"
    assert (row["发放资料 leafleting"], row["媒体 media"], row["短信 sms"]) == ("1", "1", "0")
    assert row["labels present"] == "leafleting;media"
    assert row["发放资料 leafleting figures"] == "约800份" and row["媒体 media figures"] == "3条"
    assert row["untagged share"] == "0.5"
    assert (row["start"], row["end"], row["sentences"]) == ("0", str(len(DOCUMENT.rstrip())), "4")


def test_csv_sentences_give_a_row_per_sentence_with_a_column_per_label():
    rows = list(csv.DictReader(io.StringIO(output("csv", [file_report()], sentences=True)[1:])))
    assert [r["text"] for r in rows] == [DOCUMENT[a:b] for a, b in sentence_spans(DOCUMENT)]
    assert [(r["发放资料 leafleting"], r["媒体 media"]) for r in rows] == [("0", "0"), ("1", "0"), ("0", "1"), ("0", "0")]
    assert rows[1]["figures"] == "800余份"
    assert all(DOCUMENT[int(r["start"]) : int(r["end"])] == r["text"] for r in rows)


def test_json_is_one_document_and_jsonl_one_line_per_report_or_sentence():
    reports = [file_report(), file_report(source="b.txt")]
    document = json.loads(output("json", reports))
    assert document["labels"] == list(LABELS) and document["display_names"]["sms"] == "短信"
    assert [r["file"] for r in document["reports"]] == ["reports/青石.txt", "b.txt"]
    first = document["reports"][0]
    assert first["profile"]["figures"]["leafleting"] == {"份": {"value": 800.0, "approximate": True, "count": 1}}
    for s in first["sentences"]:
        assert DOCUMENT[s["start"] : s["end"]] == s["text"]
    lines = output("jsonl", reports).splitlines()
    assert [json.loads(line) for line in lines] == document["reports"]
    sentences = [json.loads(line) for line in output("jsonl", reports, sentences=True).splitlines()]
    assert len(sentences) == 8 and sentences[1]["labels"] == ["leafleting"] and sentences[1]["sentence"] == 1
    assert sentences[1]["file"] == "reports/青石.txt" and sentences[1]["figures"][0]["text"] == "800余份"


def test_offsets_of_a_later_report_index_the_whole_document():
    document = "篇1\r\n举办展览。\r\n篇2\r\n" + DOCUMENT
    offset = document.index("青石")
    item = file_report(document=document, offset=offset)
    for s in item.report.sentences:
        assert document[s.start : s.end] == s.text
    assert item.report.sentences[0].start == offset


def test_text_caps_evidence_and_shows_display_names():
    document = "".join("通过移动公司向全县手机用户群发档案日主题短信8000余条。\n" for _ in range(12))
    item = file_report(document=document, tags=[("sms",)] * 12)
    text = output("text", [item])
    sms = next(line for line in text.splitlines() if "短信 sms" in line)
    assert "0, 1, 2, 3, 4, 5, 6, 7, … (+4)" in sms and "约96000条" in sms
    assert "present: sms" in text
    assert "[11] sms" in output("text", [item], sentences=True)


def test_unknown_format_is_a_value_error():
    assert FORMATS == ("text", "json", "jsonl", "csv", "html")
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", [], labels=LABELS)
