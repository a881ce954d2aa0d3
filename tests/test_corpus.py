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
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports), encoding="utf-8")
    problems = validate_corpus(path).problems
    for expected in [
        "corpus.jsonl:1: sentence 1 has labels outside the guideline: ['flyers']",
        "corpus.jsonl:2: duplicate id 'r1'",
        "corpus.jsonl:2: kind 'farm' is not one of",
        "corpus.jsonl:2: no 'writer'",
        "corpus.jsonl:2: text after the last sentence is not covered: '多出来的'",
        "2 reports, at least 80 needed",
        "1 sentence texts in both splits, e.g. '举办展览。'",
    ]:
        assert any(p.startswith(expected) for p in problems), expected


def test_near_duplicates_are_counted_by_character_trigrams():
    texts = ["在人民广场发放宣传资料三百余份。", "在人民广场发放宣传资料三百余份!", "县电视台播出专题新闻。"]
    assert near_duplicate_pairs(texts) == (1, 3)
