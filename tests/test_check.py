import json

import pytest

from archday_nlp._check import check_data, edit_distance_is_one


@pytest.mark.parametrize(
    ("a", "b", "one"),
    [("medai", "media", True), ("media", "medi", True), ("sms", "sns", True), ("training", "trainings", True),
     ("sms", "sms", False), ("exhibition", "exhibit", False), ("ab", "ba", True), ("abc", "cba", False)],
)
def test_one_edit(a, b, one):
    assert edit_distance_is_one(a, b) is one and edit_distance_is_one(b, a) is one


def rows(*pairs):
    return [{"text": t, "labels": list(l)} for t, l in pairs]


def test_likely_typos_point_at_the_established_label():
    check = check_data(rows(
        ("县电视台播出新闻。", ["medai"]), ("在网站发布消息。", ["Media"]),
        *[(f"征文比赛{i}。", ["contest"]) for i in range(6)], ("征文活动。", ["contset"]),
    ), min_examples=1)
    assert [(t.label, t.resembles) for t in check.typos] == [("medai", "media"), ("Media", "media"), ("contset", "contest")]
    assert check.missing == ("exhibition", "leafleting", "sms", "open_access", "training", "media")


def test_duplicates_conflicts_and_empty_texts_across_files(tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("text,labels\n发放宣传册300份。,leafleting\n举办图片展。,exhibition\n,sms\n", encoding="utf-8")
    jsonl_path = tmp_path / "b.jsonl"
    lines = [{"text": "发放宣传册 300份。", "labels": ["leafleting"]}, {"text": "举办图片展.", "labels": ["exhibition"]},
             {"text": "举办图片展。", "labels": []}]
    jsonl_path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    check = check_data([csv_path, jsonl_path], min_examples=1)
    assert [(r.text, dict(r.by_labels)) for r in check.duplicates] == [
        ("发放宣传册300份。", {("leafleting",): (f"{csv_path}:2", f"{jsonl_path}:1")})]
    assert [(r.text, dict(r.by_labels)) for r in check.conflicts] == [
        ("举办图片展。", {("exhibition",): (f"{csv_path}:3",), (): (f"{jsonl_path}:3",)})]
    assert check.empty == (f"{csv_path}:4",)
    assert check.files == ((str(csv_path), "csv", 3), (str(jsonl_path), "jsonl", 3))
    assert check.problems == ["1 text(s) with different labels in different places", "1 empty text(s)"]
    assert json.loads(json.dumps(check.to_dict(), ensure_ascii=False))["problems"] == check.problems


def test_no_quotas_for_small_clean_data():
    check = check_data(rows(("举办图片展。", ["exhibition"]), ("群发短信。", ["sms", "media"]), ("成立领导小组。", [])), min_examples=1)
    assert check.problems == []
    assert (check.sentences, check.untagged, check.multi_label) == (3, 1, 1)
    assert dict(check.label_counts) == {"exhibition": 1, "sms": 1, "media": 1}
    assert check.format().endswith("no problems found")


def test_rare_labels_are_listed_as_training_would_refuse_them():
    check = check_data(rows(*[(f"举办图片展{i}。", ["exhibition"]) for i in range(5)], ("组织征文。", ["contest"])))
    assert dict(check.rare) == {"contest": 1}
    assert check.problems == ["label 'contest' is on 1 sentence(s), fewer than 5"]


def test_the_corpus_format_is_checked_too(corpus_reports, tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in corpus_reports[:3]), encoding="utf-8")
    check = check_data(path, min_examples=1)
    assert check.files[0][1] == "corpus"
    assert check.sentences == sum(len(r["sentences"]) for r in corpus_reports[:3])
