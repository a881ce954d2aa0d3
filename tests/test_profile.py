import numpy as np
import pytest

from archday_nlp import LABELS, classify_many
from archday_nlp._profile import Report


def report(tags) -> Report:
    spans = np.array([(2 * i, 2 * i + 1) for i in range(len(tags))], dtype=np.int64).reshape(-1, 2)
    matrix = np.array([[label in t for label in LABELS] for t in tags], dtype=bool).reshape(-1, len(LABELS))
    return Report("甲。" * len(tags), spans, LABELS, matrix * 0.8 + 0.1, matrix)


def test_repr_is_one_line_with_the_sentence_count_and_the_labels_present():
    assert repr(report([("media",), (), ("sms", "media")] * 300)) == "<Report: 900 sentences; present: sms, media>"
    assert repr(report([])) == "<Report: 0 sentences; present: none>"


def test_classify_many_refuses_one_str():
    with pytest.raises(TypeError, match="got one str; use classify for a single text"):
        classify_many("一个字符串")


def test_a_report_placed_within_a_document_indexes_it():
    inner = report([("media",), ()])
    document = "标题\r\n" + "甲。" * 2
    placed = inner._within(document, 4)
    assert [(s.start, s.end, s.labels) for s in placed.sentences] == [(4, 5, ("media",)), (6, 7, ())]
    assert all(document[s.start : s.end] == s.text for s in placed.sentences)
    assert placed.profile == inner.profile
