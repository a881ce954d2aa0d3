"""Why a sentence got its tags: per label, the features that raised or lowered its score.

A label's score is the sigmoid of a logit, and the logit of a document is a sum:
the intercept plus, for each feature the document holds, its TF-IDF value times
its weight. A sentence longer than ``piece_size`` is scored whole and in clause
pieces, and each label takes the document that scored highest
(:meth:`archday_nlp.Model.scores`); so the explanation of a label is the sum of
that document, with the piece of the sentence it came from.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._features import documents
from ._profile import FrozenMap

_CLAUSE_MARKS = re.compile(r"[,;:]+")


@dataclass(frozen=True)
class Contribution:
    """One feature of the scored document: ``contribution == value * weight``.

    ``feature`` is ``w:`` and a word, or ``c:`` and one to three characters,
    written as the model sees them (simplified, lower case, digits as ``0``).
    """

    feature: str
    value: float
    weight: float
    contribution: float

    def to_dict(self) -> dict:
        return {"feature": self.feature, "value": self.value, "weight": self.weight, "contribution": self.contribution}


@dataclass(frozen=True)
class LabelExplanation:
    """Why one label scored as it did.

    ``raising`` holds the features that added most to the logit, largest first;
    ``lowering`` those that took most away, most negative first; ``rest`` is the
    sum of every other feature's contribution, so that
    ``intercept + sum(raising) + sum(lowering) + rest == logit`` and
    ``score == 1 / (1 + exp(-logit))``. ``piece`` is the part of the sentence
    whose document scored highest (the whole sentence, or a run of its
    clauses) and ``start``/``end`` its offsets in the sentence; they are
    ``None``, and ``piece`` is the normalized text, in the rare case where the
    clause marks of the normalized text cannot be matched with the sentence's.
    """

    label: str
    score: float
    threshold: float
    tagged: bool
    logit: float
    intercept: float
    piece: str
    start: int | None
    end: int | None
    raising: tuple[Contribution, ...]
    lowering: tuple[Contribution, ...]
    rest: float

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "score": self.score,
            "threshold": self.threshold,
            "tagged": self.tagged,
            "logit": self.logit,
            "intercept": self.intercept,
            "piece": self.piece,
            "start": self.start,
            "end": self.end,
            "raising": [c.to_dict() for c in self.raising],
            "lowering": [c.to_dict() for c in self.lowering],
            "rest": self.rest,
        }


@dataclass(frozen=True)
class Explanation:
    """A sentence, the labels it is tagged with, and per label (in model order) why."""

    text: str
    labels: tuple[str, ...]
    by_label: Mapping[str, LabelExplanation]

    def to_dict(self) -> dict:
        return {"text": self.text, "labels": list(self.labels), "by_label": {k: v.to_dict() for k, v in self.by_label.items()}}

    def format(self, labels: Sequence[str] | None = None) -> str:
        """Plain text, a few lines per label: by default the tagged labels, or, when
        none is, the label that came closest to its threshold."""
        if labels is None:
            labels = self.labels or [max(self.by_label.values(), key=_closeness).label] if self.by_label else []
        lines = []
        for label in labels:
            e = self.by_label[label]
            verdict = "tagged" if e.tagged else "not tagged"
            where = "whole sentence" if (e.start, e.end) == (0, len(self.text)) else f"piece {e.piece!r}"
            lines.append(f"{label}: {e.score:.3f} vs threshold {e.threshold:.2f}, {verdict} ({where})")
            for sign, found in (("+", e.raising), ("-", e.lowering)):
                if found:
                    lines.append(f"  {sign} " + "  ".join(f"{c.feature} {c.contribution:+.2f}" for c in found))
            lines.append(f"  intercept {e.intercept:+.2f}, other features {e.rest:+.2f}, logit {e.logit:+.2f}")
        return "\n".join(lines)


def explain(model, sentence: str, *, top: int | None = 5) -> Explanation:
    """Per label of ``model``, the features that raised and lowered the score of ``sentence``.

    Parameters
    ----------
    model : Model
    sentence : str
        One sentence, as :meth:`Model.scores` takes it.
    top : int or None
        How many raising and how many lowering features to list per label;
        ``None`` lists every feature (``rest`` is then 0).

    Returns
    -------
    Explanation

    Examples
    --------
    >>> import archday_nlp
    >>> model = archday_nlp.load_model(archday_nlp.DEFAULT_MODEL)
    >>> why = model.explain("通过移动公司向全县手机用户群发档案日主题短信8000余条。", top=3)
    >>> why.labels
    ('sms',)
    >>> sms = why.by_label["sms"]
    >>> any("短信" in c.feature for c in sms.raising)
    True
    >>> total = sms.intercept + sum(c.contribution for c in sms.raising + sms.lowering) + sms.rest
    >>> abs(total - sms.logit) < 1e-9
    True
    """
    if not isinstance(sentence, str):
        raise TypeError(f"explain expects str, got {type(sentence).__name__}")
    if top is not None and top < 0:
        raise ValueError(f"top must be a non-negative number of features or None, got {top}")
    docs, _ = documents([sentence], model.settings)
    rows, columns, values = model._vectorizer.transform(docs)
    spans = _piece_spans(sentence, docs)
    by_label = {}
    for j, label in enumerate(model.labels):
        contributions = values * model.coef[j, columns]
        logits = np.bincount(rows, weights=contributions, minlength=len(docs)) + model.intercept[j]
        best = int(np.argmax(logits))
        logit = float(logits[best])
        score = float(1.0 / (1.0 + np.exp(-logits[best])))
        mine = rows == best
        features = [
            Contribution(model.vocabulary[c], float(v), float(model.coef[j, c]), float(x))
            for c, v, x in zip(columns[mine].tolist(), values[mine].tolist(), contributions[mine].tolist())
            if x != 0.0
        ]
        raising = sorted((f for f in features if f.contribution > 0), key=lambda f: (-f.contribution, f.feature))
        lowering = sorted((f for f in features if f.contribution < 0), key=lambda f: (f.contribution, f.feature))
        if top is not None:
            raising, lowering = raising[:top], lowering[:top]
        listed = {f.feature for f in raising + lowering}
        rest = float(sum(f.contribution for f in features if f.feature not in listed))
        span = spans[best]
        threshold = model.thresholds[label]
        by_label[label] = LabelExplanation(
            label=label,
            score=score,
            threshold=threshold,
            tagged=score >= threshold,
            logit=logit,
            intercept=float(model.intercept[j]),
            piece=docs[best] if span is None else sentence[span[0] : span[1]],
            start=None if span is None else span[0],
            end=None if span is None else span[1],
            raising=tuple(raising),
            lowering=tuple(lowering),
            rest=rest,
        )
    tagged = tuple(label for label in model.labels if by_label[label].tagged)
    return Explanation(text=sentence, labels=tagged, by_label=FrozenMap(by_label))


def _closeness(e: LabelExplanation) -> float:
    return e.score / e.threshold if e.threshold else e.score


def _piece_spans(sentence: str, docs: list[str]) -> list[tuple[int, int] | None]:
    """The offsets in ``sentence`` of each document: the whole sentence, then its pieces.

    Pieces are runs of clauses of the normalized text, cut after , ; : marks.
    Normalizing changes lengths (numbers become ``0``, pinyin glosses go) but
    keeps the clause marks, folding full-width ones: a piece is found in the
    sentence by counting the runs of marks before and within it.
    """
    spans: list[tuple[int, int] | None] = [(0, len(sentence))]
    if len(docs) == 1:
        return spans
    whole = docs[0]
    normalized_ends = [m.end() for m in _CLAUSE_MARKS.finditer(whole)]
    marks = [any(c in ",;:" for c in unicodedata.normalize("NFKC", ch)) for ch in sentence]
    sentence_ends = [i + 1 for i, is_mark in enumerate(marks) if is_mark and (i + 1 == len(sentence) or not marks[i + 1])]
    if "".join(docs[1:]) != whole or len(normalized_ends) != len(sentence_ends):
        return spans + [None] * (len(docs) - 1)
    boundary = dict(zip([0, *normalized_ends, len(whole)], [0, *sentence_ends, len(sentence)]))
    start = 0
    for piece in docs[1:]:
        end = start + len(piece)
        spans.append((boundary[start], boundary[end]) if start in boundary and end in boundary else None)
        start = end
    return spans
