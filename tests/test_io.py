import json

import pytest

from archday_nlp import DataError
from archday_nlp._io import read_examples, read_file


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
        ("layout.jsonl", '{"sentence": "甲。", "tags": []}\n', "unknown field layout ['sentence', 'tags']", 1),
        ("labels.jsonl", '{"text": "甲。", "labels": [1]}\n', "'labels' must be a list of label names", 1),
        ("header.csv", "content,labels\n甲。,sms\n", "needs a text column", 1),
        ("blank.csv", "text,labels\n甲。,sms\n ,sms\n", "'text' must be a non-blank string", 3),
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
    with pytest.raises(DataError, match="not UTF-8 text"):
        (tmp_path / "gbk.csv").write_bytes("text,labels\n发放,sms\n".encode("gbk"))
        read_file(tmp_path / "gbk.csv")
