import json

import numpy as np
import pytest

import archday_nlp
from archday_nlp import DataError, LABELS, load_model
from archday_nlp._features import analyze
from archday_nlp._io import label_matrix, read_file
from archday_nlp._train import fit_pipeline, from_pipeline, pipeline_scores
from conftest import CORPUS, ROOT


def test_a_users_label_is_carried_everywhere(with_contest, tmp_path):
    model = archday_nlp.train(with_contest)
    assert model.labels == (*LABELS, "contest")
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    report = loaded.classify("学校开展“档案伴我成长”征文比赛,收到作品60余篇。")
    assert report.sentences[0].labels == ("contest",)
    assert list(report.sentences[0].scores) == [*LABELS, "contest"]
    assert report.profile.by_label["contest"].evidence == (0,)
    assert report.to_dict()["profile"]["present"] == ["contest"]


def test_label_order_can_be_given(with_contest):
    with pytest.raises(DataError, match=r"label '(exhibition|leafleting|open_access|training|media)' \(first at <data>:\d+\) is not in labels=\['contest', 'sms'\]"):
        archday_nlp.train(with_contest, labels=["contest", "sms"])
    only = [r for r in with_contest if set(r["labels"]) <= {"contest", "sms"}]
    assert archday_nlp.train(only, labels=["contest", "sms"]).labels == ("contest", "sms")


def test_a_rare_label_is_an_error_that_names_it(small_rows, tmp_path):
    path = tmp_path / "typo.jsonl"
    rows = small_rows + [{"text": "县电视台播出专题新闻。", "labels": ["medai"]}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with pytest.raises(DataError, match=rf"label 'medai' is on 1 training sentence\(s\) \(first at {path}:{len(rows)}\); at least 5 needed"):
        archday_nlp.train(path)
    assert "medai" in archday_nlp.train(path, min_examples=1).labels


def test_data_without_labels_is_an_error():
    with pytest.raises(DataError, match="every sentence is untagged"):
        archday_nlp.train([{"text": "成立领导小组。", "labels": []}, {"text": "召开部署会。", "labels": []}])


def test_probabilities_equal_the_scikit_learn_pipeline(corpus_sentences):
    examples = read_file(CORPUS)
    training = [e for e in examples if e.split == "train"]
    settings = archday_nlp._features.FeatureSettings()
    tokens = [analyze(e.text, settings) for e in training]
    pipeline = fit_pipeline(tokens, label_matrix(training, LABELS), settings, C=100.0, seed=0)
    model = from_pipeline(pipeline, LABELS, [0.5] * len(LABELS), settings, info={})
    texts = [s["text"] for s in corpus_sentences]
    assert settings.piece_size is not None and any(len(t) > settings.piece_size for t in texts)
    assert np.abs(model.scores(texts) - pipeline_scores(pipeline, texts, settings)).max() < 1e-9


#: How far a retrained model's probabilities may drift from the shipped ones: liblinear's BLAS
#: calls round differently on other CPU code paths (seen: 4e-7 between SkylakeX and Haswell).
SHIPPED_TOLERANCE = 1e-5


def test_the_shipped_model_is_what_train_produces(corpus_sentences):
    """`archday-nlp train data/corpus.jsonl --out models/default` made the shipped model: on any CPU,
    the same labels, thresholds and vocabulary, identical tags on the whole corpus, and
    probabilities within SHIPPED_TOLERANCE."""
    retrained = archday_nlp.train(CORPUS)
    shipped = load_model(archday_nlp.DEFAULT_MODEL)
    assert retrained.labels == shipped.labels
    assert dict(retrained.thresholds) == dict(shipped.thresholds)
    assert retrained.vocabulary == shipped.vocabulary
    assert retrained.info["training"] == shipped.info["training"]
    texts = [s["text"] for s in corpus_sentences]
    new, old = retrained.scores(texts), shipped.scores(texts)
    assert np.abs(new - old).max() < SHIPPED_TOLERANCE
    assert (retrained.tags(new) == shipped.tags(old)).all()


def test_shipped_model_figures_on_the_held_out_split():
    test = load_model(archday_nlp.DEFAULT_MODEL).info["evaluation"]["test"]
    assert test["macro"]["f1"] >= 0.90
    assert test["report"]["f1"] >= 0.95


def test_evaluate_reports_every_figure(with_contest, tmp_path):
    model = archday_nlp.train(with_contest)
    data = tmp_path / "eval.jsonl"
    rows = [
        {"text": "举办档案图片展。", "labels": ["exhibition"]},
        {"text": "群发短信两千条。", "labels": ["sms"]},
        {"text": "成立领导小组。", "labels": []},
        {"text": "组织征文比赛。", "labels": ["contest"]},
    ]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    evaluation = model.evaluate(data)
    assert evaluation.n_sentences == 4 and evaluation.report is None
    assert evaluation.per_label["sms"].support == 1
    table = evaluation.format()
    assert table.splitlines()[0].split() == ["label", "precision", "recall", "f1", "support"]
    assert [line.split()[0] for line in table.splitlines()[1:]] == [*LABELS, "contest", "macro", "micro"]


def test_a_single_label_model(small_rows):
    rows = [{"text": r["text"], "labels": [l for l in r["labels"] if l == "sms"]} for r in small_rows]
    model = archday_nlp.train(rows)
    assert model.labels == ("sms",)
    assert model.classify("通过短信平台群发短信两千余条。").sentences[0].labels == ("sms",)


def test_evaluating_labels_the_model_does_not_know_warns(tmp_path):
    data = tmp_path / "eval.jsonl"
    data.write_text('{"text": "组织征文比赛。", "labels": ["contest"]}\n{"text": "举办图片展。", "labels": ["exhibition"]}\n', encoding="utf-8")
    model = load_model(archday_nlp.DEFAULT_MODEL)
    with pytest.warns(UserWarning, match=r"labels that the model does not know are not scored: \['contest'\]"):
        evaluation = model.evaluate(data)
    assert evaluation.per_label["exhibition"].support == 1
