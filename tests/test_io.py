import json
import re

import pytest

from archday_nlp import DataError
from archday_nlp._io import DEFAULT_CORPUS, open_labelled, read_examples, read_file


def write(path, content):
    path.write_text(content, encoding="utf-8")
    return path


def labelled(examples):
    return [(e.text, e.labels) for e in examples]


EXPECTED = [("发放宣传册300份。", ("leafleting",)), ("群发短信并在网站发布。", ("sms", "media")), ("成立领导小组。", ())]


def test_sentence_per_line_jsonl(tmp_path):
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps({"text": t, "labels": list(l)}, ensure_ascii=False) for t, l in EXPECTED) + "\n\n")
    examples = read_file(path)
    assert labelled(examples) == EXPECTED
    assert examples[1].source == f"{path}:2"
    assert examples[0].report is None and examples[0].split is None


@pytest.mark.parametrize(("name", "delimiter", "joiner"), [("a.csv", ",", ";"), ("a.tsv", "\t", "|"), ("a.txt", "\t", ";")])
def test_delimited_files_with_either_label_separator(tmp_path, name, delimiter, joiner):
    rows = [f"Text{delimiter}Labels"] + [f"{t}{delimiter}{joiner.join(l)}" for t, l in EXPECTED]
    assert labelled(read_file(write(tmp_path / name, "\n".join(rows)))) == EXPECTED


def test_csv_with_quoted_commas_and_chinese_header(tmp_path):
    path = write(tmp_path / "a.csv", '句子,标签\n"在广场发放资料,接待群众。",leafleting\n')
    assert labelled(read_file(path)) == [("在广场发放资料,接待群众。", ("leafleting",))]


def test_doccano_export(tmp_path):
    lines = [json.dumps({"id": i, "text": t, "label": list(l)}, ensure_ascii=False) for i, (t, l) in enumerate(EXPECTED)]
    path = write(tmp_path / "admin.jsonl", "\n".join(lines))
    assert labelled(read_file(path)) == EXPECTED


def label_studio_task(text, choices, *, cancelled=False):
    result = [{"from_name": "tags", "to_name": "text", "type": "choices", "value": {"choices": choices}}] if choices is not None else []
    return {"id": 1, "data": {"text": text}, "annotations": [{"result": result, "was_cancelled": cancelled}]}


def test_label_studio_json_single_and_multiple_choice(tmp_path):
    tasks = [
        label_studio_task("发放宣传册300份。", ["leafleting"]),
        label_studio_task("群发短信并在网站发布。", ["sms", "media"]),
        label_studio_task("成立领导小组。", None),
        {"id": 4, "data": {"text": "还没标注。"}, "annotations": []},
    ]
    path = write(tmp_path / "project.json", json.dumps(tasks, ensure_ascii=False, indent=2))
    with pytest.warns(UserWarning, match="skipped 1 task"):
        assert labelled(read_file(path)) == EXPECTED


def test_label_studio_json_min(tmp_path):
    tasks = [
        {"id": 1, "text": "发放宣传册300份。", "tags": "leafleting", "annotator": 1, "annotation_id": 1},
        {"id": 2, "text": "群发短信并在网站发布。", "tags": {"choices": ["sms", "media"]}, "annotator": 1},
        {"id": 3, "text": "成立领导小组。", "annotator": 1},
    ]
    path = write(tmp_path / "project-min.json", json.dumps(tasks, ensure_ascii=False))
    assert labelled(read_file(path)) == EXPECTED


def test_corpus_format_keeps_reports_and_splits(tmp_path):
    report = {"id": "r1", "kind": "school", "split": "test", "text": "甲。乙。", "sentences": [
        {"text": "甲。", "labels": ["media"]}, {"text": "乙。", "labels": []}]}
    path = write(tmp_path / "c.jsonl", json.dumps(report, ensure_ascii=False))
    examples = read_file(path)
    assert [(e.text, e.report, e.split) for e in examples] == [("甲。", "c.jsonl#r1", "test"), ("乙。", "c.jsonl#r1", "test")]


def test_format_can_be_forced(tmp_path):
    path = write(tmp_path / "export.data", json.dumps({"text": "举办图片展。", "label": ["exhibition"]}, ensure_ascii=False))
    assert labelled(read_file(path, format="doccano")) == [("举办图片展。", ("exhibition",))]
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        read_examples(path, format="xml")


def test_in_memory_rows():
    assert labelled(read_examples([{"text": "举办图片展。", "labels": ["exhibition"]}])) == [("举办图片展。", ("exhibition",))]


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        ("bad.jsonl", '{"text": "甲。", "labels": []}\n{"text": "乙。", "labels": [}\n', "invalid JSON", 2),
        ("missing.jsonl", '{"text": "甲。", "labels": []}\n{"labels": ["sms"]}\n', "missing 'text'", 2),
        ("layout.jsonl", '{"content": "甲。", "tags": []}\n', "unknown field layout ['content', 'tags']", 1),
        ("labels.jsonl", '{"text": "甲。", "labels": [1]}\n', "'labels' must be a list of label names", 1),
        ("header.csv", "content,labels\n甲。,sms\n", "needs a text column", 1),
        ("blank.csv", "text,labels\n甲。,sms\n ,sms\n", "the text is blank", 3),
        ("blank.jsonl", '{"text": "甲。", "labels": []}\n{"text": "  ", "labels": []}\n', "the text is blank", 2),
        ("number.jsonl", '{"text": 3, "labels": []}\n', "'text' must be a string, got 3", 1),
        ("array.json", '[\n {"text": "甲。", "tags": "sms"},\n {"text": "乙。" "tags": "sms"}\n]', "invalid JSON", 3),
        ("ls.json", '[\n {"id": 1, "annotations": [], "data": {"a": "甲", "b": "乙"}},\n {"id": 2, "annotations": [{"result": []}], "data": {"a": "甲", "b": "乙"}}\n]', "cannot tell the text field", 3),
    ],
)
def test_bad_data_names_file_and_line(tmp_path, name, content, message, line):
    path = write(tmp_path / name, content)
    with pytest.raises(DataError) as caught:
        read_file(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
    assert (caught.value.path, caught.value.line) == (str(path), line)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(DataError, match="empty.jsonl: the file is empty"):
        read_file(write(tmp_path / "empty.jsonl", " \n\n"))
    with pytest.raises(DataError, match="nowhere.jsonl: no such file"):
        read_file(tmp_path / "nowhere.jsonl")
    with pytest.raises(DataError, match="folder.jsonl: a folder"):
        (tmp_path / "folder.jsonl").mkdir()
        read_file(tmp_path / "folder.jsonl")


def test_an_unquoted_comma_is_an_error_at_its_line_with_a_quoting_hint(tmp_path):
    """The trap: extra fields were dropped, and training then made labels of sentence fragments."""
    path = write(tmp_path / "a.csv", "text,labels\n举办图片展。,exhibition\n在广场发放资料,接待群众300人次。,leafleting\n")
    with pytest.raises(DataError) as caught:
        read_file(path)
    assert str(caught.value).startswith(f"{path}:3: 3 field(s) where the header has 2 (text, labels): ")
    assert "must be in double quotes" in str(caught.value)
    assert (caught.value.path, caught.value.line) == (str(path), 3)


@pytest.mark.parametrize(
    ("name", "content", "line", "fields"),
    [
        ("few.csv", "id,text,labels\n1,举办图片展。,exhibition\n2,成立领导小组。\n", 3, "2 field(s) where the header has 3"),
        ("tab.tsv", "text\tlabels\n举办\t图片展。\texhibition\n", 2, "3 field(s) where the header has 2"),
        # A quoted line break: the next row's line number still counts physical lines.
        ("wrapped.csv", 'text,labels\n"举办图片展,\n展出照片80幅。",exhibition\n发放资料,接待群众。,leafleting\n', 4, "3 field(s)"),
        ("unclosed.csv", 'text,labels\n"举办图片展。,exhibition\n发放资料。,leafleting\n', 2, "1 field(s)"),
    ],
)
def test_rows_with_more_or_fewer_fields_than_the_header(tmp_path, name, content, line, fields):
    path = write(tmp_path / name, content)
    with pytest.raises(DataError, match=rf"^{re.escape(str(path))}:{line}: {re.escape(fields)}.*double quotes"):
        read_file(path)


def test_extra_columns_in_the_header_are_fine(tmp_path):
    path = write(tmp_path / "a.csv", 'id,text,labels,note\n1,"发放宣传册300份。",leafleting,\n2,成立领导小组。,,审核过\n\n,,,\n')
    assert labelled(read_file(path)) == [("发放宣传册300份。", ("leafleting",)), ("成立领导小组。", ())]


def csv_text(rows, delimiter=","):
    return "\n".join([f"text{delimiter}labels"] + [f"{t}{delimiter}{';'.join(l)}" for t, l in rows]) + "\n"


def jsonl_text(rows):
    return "\n".join(json.dumps({"text": t, "labels": list(l)}, ensure_ascii=False) for t, l in rows) + "\n"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(("suffix", "make"), [(".csv", csv_text), (".tsv", lambda rows: csv_text(rows, "\t")), (".jsonl", jsonl_text)])
def test_encodings_are_detected(tmp_path, codec, suffix, make):
    """A CSV saved as GBK by a spreadsheet on Chinese Windows, or as UTF-16 'Unicode text', reads as UTF-8 does."""
    path = tmp_path / f"a{suffix}"
    path.write_bytes(make(EXPECTED).encode(codec))
    read = open_labelled(path)
    assert labelled(read.examples) == EXPECTED
    assert read.format == suffix[1:]


def test_an_encoding_can_be_named(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_text(EXPECTED).encode("gbk"))
    assert labelled(read_file(path, encoding="gbk")) == EXPECTED
    with pytest.raises(DataError, match=rf"^{re.escape(str(path))}: not utf-8 text"):
        read_file(path, encoding="utf-8")


def test_undecodable_bytes_are_an_error_that_says_what_was_tried(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"text,labels\n\xff\xfe\xff,sms\n")
    with pytest.raises(DataError, match=rf"^{re.escape(str(path))}: cannot tell its encoding: it is not UTF-8, UTF-16, GB18030"):
        read_file(path)


def test_jsonl_takes_sentence_and_the_csv_names(tmp_path):
    lines = [
        {"sentence": "发放宣传册300份。", "labels": ["leafleting"]},
        {"句子": "群发短信并在网站发布。", "tags": ["sms", "media"]},
        {"sentence": "成立领导小组。", "labels": []},
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in lines))
    assert labelled(read_file(path)) == EXPECTED


def test_groups_come_from_reports_else_from_the_text(tmp_path):
    """CSV and JSONL of the same sentences give the same cross-validation groups (the header no longer shifts them)."""
    from_csv = read_file(write(tmp_path / "a.csv", csv_text(EXPECTED)))
    from_jsonl = read_file(write(tmp_path / "a.jsonl", jsonl_text(EXPECTED)))
    assert [e.group for e in from_csv] == [e.group for e in from_jsonl] == [t for t, _ in EXPECTED]
    report = {"id": "r1", "split": "train", "text": "甲。乙。", "sentences": [{"text": "甲。", "labels": []}, {"text": "乙。", "labels": []}]}
    assert {e.group for e in read_file(write(tmp_path / "c.jsonl", json.dumps(report, ensure_ascii=False)))} == {"c.jsonl#r1"}


def test_blank_texts_can_be_kept_for_checking(tmp_path):
    path = write(tmp_path / "a.csv", "text,labels\n甲。,sms\n ,media\n")
    assert [(e.text, e.labels) for e in read_examples(path, keep_blank=True)] == [("甲。", ("sms",)), ("", ("media",))]
    with pytest.raises(DataError, match=r"<data>:2: the text is blank"):
        read_examples([{"text": "甲。", "labels": []}, {"text": " ", "labels": []}])


def test_the_corpus_is_found_in_the_checkout_or_the_package():
    assert DEFAULT_CORPUS.is_file()
    assert DEFAULT_CORPUS.name == "corpus.jsonl"


def test_examples_pass_through_with_their_reports_and_splits():
    from archday_nlp._io import Example

    kept = Example("甲。", ("sms",), "c.jsonl:1", "c.jsonl#r1", "test")
    assert read_examples([kept, {"sentence": "乙。", "labels": []}]) == [kept, Example("乙。", (), "<data>:2")]
    with pytest.raises(TypeError, match="data items must be paths, mappings or Examples, got int"):
        read_examples([3])
