import json

from archday_nlp._corpus import near_duplicate_pairs, validate_corpus
from conftest import CORPUS


def test_the_corpus_passes_every_rule():
    check = validate_corpus(CORPUS)
    assert check.problems == []
    assert check.reports["all"] >= 80 and check.sentences["all"] >= 2000
    assert check.reports["test"] >= 0.2 * check.reports["all"]


def test_a_broken_corpus_is_reported(tmp_path):
    reports = [
        {"id": "r1", "kind": "school", "split": "train", "writer": "w1", "text": "举办展览。发放资料。",
         "sentences": [{"text": "举办展览。", "labels": ["exhibition"]}, {"text": "发放资料。", "labels": ["flyers"]}]},
        {"id": "r1", "kind": "farm", "split": "test", "text": "举办展览。多出来的",
         "sentences": [{"text": "举办展览。", "labels": ["exhibition"]}]},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports) + "\n{broken", encoding="utf-8")
    problems = validate_corpus(path).problems
    for expected in [
        "corpus.jsonl:1: sentence 1 has labels outside the guideline: ['flyers']",
        "corpus.jsonl:2: duplicate id 'r1'",
        "corpus.jsonl:2: kind 'farm' is not one of",
        "corpus.jsonl:2: no 'writer'",
        "corpus.jsonl:2: text after the last sentence is not covered: '多出来的'",
        "corpus.jsonl:3: invalid JSON",
        "2 reports, at least 80 needed",
        "1 sentence texts in both splits, e.g. '举办展览。'",
        "tagged sentences: median length 5, at least 55 needed",
        "tagged sentences: share 80 chars 0, at least 0.25 needed",
        "wording '线上展厅' in 0 sentences by 0 writers, at least 5 by 3 needed",
        "noise: 0, at least 150 needed",
        "traditional reports: 0, at least 10 needed",
        "held out writers: 0, at least 2 needed",
    ]:
        assert any(p.startswith(expected) for p in problems), expected


def test_near_duplicates_are_counted_by_character_trigrams():
    texts = ["在人民广场发放宣传资料三百余份。", "在人民广场发放宣传资料三百余份!", "县电视台播出专题新闻。"]
    assert near_duplicate_pairs(texts) == (1, 3)


def test_real_report_features_are_counted(tmp_path):
    text = "圖片1\n“这张照片我家也有一张。”\n我们在广场摆放展板，发放资料，\n接待群众三百余人次。\n在线上展厅推出老照片展。"
    report = {"id": "r1", "kind": "news", "split": "test", "writer": "w1", "text": text, "sentences": [
        {"text": "圖片1", "labels": []},
        {"text": "“这张照片我家也有一张。”", "labels": []},
        {"text": "我们在广场摆放展板，发放资料，\n接待群众三百余人次。", "labels": ["leafleting"]},
        {"text": "在线上展厅推出老照片展。", "labels": ["exhibition", "media"]},
    ]}
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    check = validate_corpus(path)
    assert (check.realism["noise"], check.realism["quoted_speech"], check.realism["hard_wrapped"]) == (1, 1, 1)
    assert check.realism["held_out_writers"] == 1
    assert check.wording["线上展厅"] == (1, 1)
    assert check.shape["share_multi_label"] == 0.5
