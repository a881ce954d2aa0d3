import json
import math

import numpy as np
import pytest

from archday_nlp import LABELS
from archday_nlp._explain import _piece_spans
from archday_nlp._features import FeatureSettings, analyze, documents, normalize, tokens
from archday_nlp._io import label_matrix, read_examples
from archday_nlp._train import fit_pipeline, from_pipeline

LONG = "活动期间，我馆在人民广场设立咨询台，发放宣传折页３００余份；同时在大厅举办老照片展，展出照片80幅，并通过微信公众号推送文章3篇。"
SENTENCES = [LONG, "通过移动公司向全县手机用户群发档案日主题短信8000余条。", "成立領導小組。", "组织学(xué)习(xí)《档案法》,参加干部50人"]


@pytest.fixture(scope="module")
def fitted(small_rows):
    """A seeded model and the scikit-learn pipeline it was copied from; short pieces, so that long sentences have some."""
    settings = FeatureSettings(piece_size=30)
    examples = read_examples(small_rows)
    pipeline = fit_pipeline([analyze(e.text, settings) for e in examples], label_matrix(examples, LABELS), settings, C=100.0, seed=0)
    return pipeline, from_pipeline(pipeline, LABELS, [0.5] * len(LABELS), settings, info={})


def pipeline_logits(pipeline, sentence, settings):
    """scikit-learn's own logits of each document (the sentence, then its pieces), one column per label."""
    docs, _ = documents([sentence], settings)
    rows = pipeline.named_steps["tfidf"].transform([tokens(d, settings) for d in docs])
    return np.column_stack([e.decision_function(rows) for e in pipeline.named_steps["clf"].estimators_]), docs


@pytest.mark.parametrize("sentence", SENTENCES)
def test_contributions_and_intercept_add_up_to_the_logit_of_the_best_document(fitted, sentence):
    pipeline, model = fitted
    logits, docs = pipeline_logits(pipeline, sentence, model.settings)
    everything = model.explain(sentence, top=None)
    listed = model.explain(sentence, top=3)
    scores = model.scores([sentence])[0]
    for j, label in enumerate(model.labels):
        e = everything.by_label[label]
        assert abs(e.logit - logits[:, j].max()) < 1e-9
        assert abs(e.intercept + sum(c.contribution for c in e.raising + e.lowering) - e.logit) < 1e-9
        assert e.rest == 0.0
        assert e.score == pytest.approx(scores[j], abs=1e-12) and e.score == pytest.approx(1 / (1 + math.exp(-e.logit)), abs=1e-12)
        assert e.tagged == (e.score >= 0.5) and (label in everything.labels) == e.tagged
        short = listed.by_label[label]
        assert len(short.raising) <= 3 and len(short.lowering) <= 3
        assert abs(short.intercept + sum(c.contribution for c in short.raising + short.lowering) + short.rest - short.logit) < 1e-9
        assert [c.contribution for c in short.raising] == sorted((c.contribution for c in short.raising), reverse=True)
        assert all(c.contribution > 0 for c in short.raising) and all(c.contribution < 0 for c in short.lowering)
        assert short.raising == e.raising[:3] and short.lowering == e.lowering[:3]
        for c in e.raising + e.lowering:
            assert c.feature[:2] in ("w:", "c:") and c.feature in model.vocabulary
            assert c.contribution == pytest.approx(c.value * c.weight, rel=1e-12)
        # The piece is the document that scored highest, given back as the sentence wrote it.
        best = int(np.argmax(logits[:, j]))
        assert sentence[e.start : e.end] == e.piece
        assert normalize(e.piece) == docs[best]


def test_a_long_sentence_is_explained_by_its_pieces(fitted):
    _, model = fitted
    e = model.explain(LONG)
    pieces = {label: (x.start, x.end) for label, x in e.by_label.items()}
    assert any(span != (0, len(LONG)) for span in pieces.values())
    assert all(LONG[a:b] in LONG for a, b in pieces.values())


def test_piece_offsets_survive_full_width_marks_numbers_and_glosses():
    sentence = "組織學(xué)習(xí)，發放折頁３００余份；同時在大廳舉辦老照片展：展出照片80幅。"
    docs, _ = documents([sentence], FeatureSettings(piece_size=12))
    spans = _piece_spans(sentence, docs)
    assert len(docs) > 2 and spans[0] == (0, len(sentence))
    assert [normalize(sentence[a:b]) for a, b in spans] == docs
    assert "".join(sentence[a:b] for a, b in spans[1:]) == sentence
    assert _piece_spans("甲,乙", ["甲,乙", "x", "y"]) == [(0, 3), None, None]


def test_explanations_are_plain_data_and_print(fitted):
    _, model = fitted
    e = model.explain(SENTENCES[1])
    data = json.loads(json.dumps(e.to_dict(), ensure_ascii=False))
    assert list(data["by_label"]) == list(LABELS)
    assert set(data["by_label"]["sms"]) >= {"score", "threshold", "logit", "intercept", "piece", "raising", "lowering", "rest"}
    text = e.format()
    shown = e.labels or ("sms",)
    assert text.splitlines()[0].startswith(f"{shown[0]}: ")
    assert "intercept" in text and "logit" in text
    assert e.format(["media"]).startswith("media: ")


def test_explain_takes_one_str(fitted):
    _, model = fitted
    with pytest.raises(TypeError, match="explain expects str, got list"):
        model.explain(["发放资料。"])
    with pytest.raises(ValueError, match="top must be"):
        model.explain("发放资料。", top=-1)
