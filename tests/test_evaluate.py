import json

import numpy as np
import pytest

from archday_nlp import DEFAULT_MODEL, DataError, load_model
from archday_nlp._evaluate import Evaluation, evaluate_data, score_tags, select_split
from archday_nlp._io import Example


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


def test_macro_leaves_out_labels_with_no_support_and_names_them():
    gold = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=bool)
    predicted = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 1]], dtype=bool)
    e = score_tags(["a", "b", "c"], gold, predicted, groups=None)
    assert e.per_label["c"].support == 0
    assert e.macro.f1 == pytest.approx(0.5)  # (1 + 0) / 2, not (1 + 0 + 0) / 3
    assert e.no_support == ("c",)
    assert e.micro.precision == 0.5  # c's false positive still counts here
    assert e.format().splitlines()[-1] == "macro leaves out the labels with no support: c"
    assert Evaluation.from_dict(e.to_dict()) == e


def test_figures_saved_before_no_support_existed_still_load():
    e = score_tags(["a"], np.array([[True]]), np.array([[True]]), groups=None)
    old = {k: v for k, v in e.to_dict().items() if k not in ("no_support", "split")}
    assert Evaluation.from_dict(old) == e


def example(text, split=None, labels=()):
    return Example(text, tuple(labels), f"x:{text}", "r" if split else None, split)


def test_corpus_data_is_scored_on_its_test_split_unless_asked():
    examples = [example("甲", "train"), example("乙", "test"), example("丙", "train")]
    assert [(len(chosen), split) for chosen, split in (select_split(examples, None), select_split(examples, "all"))] == [(1, "test"), (3, "all")]
    assert [e.text for e in select_split(examples, "train")[0]] == ["甲", "丙"]
    plain = [example("甲"), example("乙")]
    assert select_split(plain, None) == (plain, "all")
    with pytest.raises(DataError, match="the data has no train/test split to pick 'test' from"):
        select_split(plain, "test")
    with pytest.raises(DataError, match="no sentences in the 'test' split"):
        select_split([example("甲", "train")], "test")
    with pytest.raises(ValueError, match="unknown split 'dev'"):
        select_split(plain, "dev")


def test_evaluating_a_corpus_file_scores_the_test_split(tmp_path, corpus_reports):
    """The trap: `evaluate data/corpus.jsonl` scored the training sentences too, and said nothing."""
    reports = [next(r for r in corpus_reports if r["split"] == s) for s in ("train", "test")]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports), encoding="utf-8")
    model = load_model(DEFAULT_MODEL)
    scored = model.evaluate(path)
    assert (scored.split, scored.n_sentences, scored.n_reports) == ("test", len(reports[1]["sentences"]), 1)
    everything = evaluate_data(model, path, split="all")
    assert (everything.split, everything.n_sentences) == ("all", sum(len(r["sentences"]) for r in reports))
