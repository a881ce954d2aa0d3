import numpy as np
import pytest

from archday_nlp._evaluate import Evaluation, score_tags


def test_scores_per_label_macro_micro_and_report():
    gold = np.array([[1, 0], [1, 1], [0, 0], [0, 1]], dtype=bool)
    predicted = np.array([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=bool)
    e = score_tags(["a", "b"], gold, predicted, groups=["r1", "r1", "r2", "r2"])
    assert (e.per_label["a"].precision, e.per_label["a"].recall, e.per_label["a"].support) == (0.5, 0.5, 2)
    assert (e.per_label["b"].precision, e.per_label["b"].recall, e.per_label["b"].f1) == (1.0, 1.0, 1.0)
    assert e.macro.f1 == pytest.approx(0.75)
    assert (e.micro.precision, e.micro.recall) == (0.75, 0.75)
    # r1 has a and b, predicted a and b; r2 has b, predicted a and b.
    assert (e.report.precision, e.report.recall, e.report.support) == (0.75, 1.0, 3)
    assert e.n_reports == 2
    assert Evaluation.from_dict(e.to_dict()) == e


def test_no_report_figure_without_reports():
    e = score_tags(["a"], np.array([[True]]), np.array([[False]]), groups=None)
    assert e.report is None and e.per_label["a"].f1 == 0.0
    assert "report" not in e.format()
