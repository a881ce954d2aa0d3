"""What to label next: the sentences of unlabelled reports that the model is least sure of.

A sentence is uncertain when one of its scores sits close to that label's
threshold; closeness is measured in logits, where a step means the same
whatever the threshold. The most uncertain sentences are taken in order,
spread across files (no file gives more than its share until every file has
given what it can) and skipping near-duplicates of those already taken, then
written for an annotation tool with the model's labels pre-filled: doccano
JSONL or Label Studio tasks with ``predictions``. Both exports, once
labelled, train as they are.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


FORMATS = ("doccano", "labelstudio")
#: Two sentences sharing more than this share of their character 3-grams count as near-duplicates.
NEAR_DUPLICATE = 0.8
#: Label Studio's names for the choices control and the text it labels, as in :func:`label_studio_config`.
LABEL_STUDIO_NAMES = ("label", "text")


@dataclass(frozen=True)
class Suggestion:
    """A sentence to label: where it is, what the model says, how unsure it is.

    ``start``/``end`` index the file's decoded text (``text == document[start:end]``);
    ``report`` counts the reports of the file from 0. ``margin`` is the
    smallest distance, in logits, between a score and its label's threshold;
    ``closest`` names that label.
    """

    text: str
    source: str
    report: int
    start: int
    end: int
    labels: tuple[str, ...]
    scores: Mapping[str, float]
    margin: float
    closest: str

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "source": self.source,
            "report": self.report,
            "start": self.start,
            "end": self.end,
            "labels": list(self.labels),
            "scores": dict(self.scores),
            "margin": self.margin,
            "closest": self.closest,
        }


def suggest(model, reports: Sequence, n: int = 50, *, min_chars: int = 5) -> list[Suggestion]:
    """The ``n`` sentences of ``reports`` most worth labelling next.

    Parameters
    ----------
    model : Model
    reports : sequence of ReportText, or of ``(source, text)`` pairs
        Unlabelled reports and where each came from, as
        :func:`archday_nlp._files.read_reports` reads them from files; a pair
        is one report, the whole of its text, the ones of a source counted in order.
    n : int
        How many sentences to suggest (fewer when the reports hold fewer).
    min_chars : int
        Sentences shorter than this, white space aside, are never suggested.

    Returns
    -------
    list of Suggestion
        Most uncertain first.

    Examples
    --------
    >>> import archday_nlp
    >>> from archday_nlp._suggest import suggest
    >>> model = archday_nlp.load_model(archday_nlp.DEFAULT_MODEL)
    >>> reports = [("a.txt", "群发短信八千条。在社区活动室摆放几块展板。"), ("b.txt", "举办档案图片展。")]
    >>> picked = suggest(model, reports, n=2)
    >>> sorted(s.source for s in picked)  # one from each file before a second from either
    ['a.txt', 'b.txt']
    >>> s = picked[0]
    >>> dict(reports)[s.source][s.start : s.end] == s.text
    True
    """
    from ._files import ReportText

    if n < 0:
        raise ValueError(f"n must be a non-negative number of sentences, got {n}")
    texts, counted = [], Counter()
    for item in reports:
        if not isinstance(item, ReportText):
            source, text = item
            item = ReportText(source, counted[source], "", 0, len(text), text)
            counted[source] += 1
        texts.append(item)
    classified = model.classify_many([t.text for t in texts])
    candidates = [
        (t.source, t.index, sentence.text, t.start + sentence.start, t.start + sentence.end, sentence)
        for t, report in zip(texts, classified)
        for sentence in report.sentences
    ]
    if not candidates:
        return []
    scores = np.array([[c[5].scores[label] for label in model.labels] for c in candidates])
    thresholds = [model.thresholds[label] for label in model.labels]
    chosen = choose([c[2] for c in candidates], [c[0] for c in candidates], scores, thresholds, n, min_chars=min_chars)
    distance = logit_distances(scores[chosen], thresholds)
    return [
        Suggestion(
            text=text,
            source=source,
            report=index,
            start=start,
            end=end,
            labels=sentence.labels,
            scores=sentence.scores,
            margin=float(d.min()),
            closest=model.labels[int(d.argmin())],
        )
        for i, d in zip(chosen, distance)
        for source, index, text, start, end, sentence in [candidates[i]]
    ]


def choose(
    texts: Sequence[str], groups: Sequence[str], scores: np.ndarray, thresholds: Sequence[float], n: int, *, min_chars: int = 5
) -> list[int]:
    """Indices of the ``n`` texts most worth labelling, given their scores: what :func:`suggest`
    picks, for texts already split into sentences (``groups``: the file or report of each)."""
    eligible = [i for i, t in enumerate(texts) if len("".join(t.split())) >= min_chars]
    if not eligible:
        return []
    margins = logit_distances(np.asarray(scores)[eligible], thresholds).min(axis=1)
    return [eligible[k] for k in pick([texts[i] for i in eligible], [groups[i] for i in eligible], margins.tolist(), n)]


def logit_distances(scores: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """``|logit(score) - logit(threshold)|`` for each sentence (row) and label (column)."""
    return np.abs(_logit(np.asarray(scores, dtype=np.float64)) - _logit(np.asarray(thresholds, dtype=np.float64)))


def pick(texts: Sequence[str], groups: Sequence[str], margins: Sequence[float], n: int) -> list[int]:
    """Indices of up to ``n`` texts: smallest margin first, spread across groups, no near-duplicates.

    Each group (a file, a report) may give ``ceil(n / groups)`` texts; when
    that leaves fewer than ``n``, the allowance grows by as much again, and so
    on. A text whose character 3-grams overlap those of a text already taken
    by more than :data:`NEAR_DUPLICATE` (Jaccard) is skipped.

    >>> texts = ["在人民广场发放宣传资料三百余份。", "在人民广场发放宣传资料三百余份!", "举办图片展。", "群发短信。"]
    >>> pick(texts, ["a", "a", "a", "b"], [0.1, 0.2, 0.3, 0.9], 2)  # one from each group first
    [0, 3]
    >>> pick(texts, ["a", "a", "a", "b"], [0.1, 0.2, 0.3, 0.9], 3)  # 1 is a near-duplicate of 0
    [0, 2, 3]
    """
    from ._features import normalize_many

    order = sorted(range(len(texts)), key=lambda i: (margins[i], i))
    shingles = [_shingles(t) for t in normalize_many(list(texts))] if texts else []
    step = max(1, math.ceil(n / max(1, len(set(groups)))))
    allowance, taken = step, Counter()
    chosen: list[int] = []
    skipped = set()
    largest = max(Counter(groups).values(), default=0)
    while len(chosen) < n:
        for i in order:
            if len(chosen) == n:
                break
            if i in skipped or taken[groups[i]] >= allowance:
                continue
            if any(_jaccard(shingles[i], shingles[j]) > NEAR_DUPLICATE for j in chosen):
                skipped.add(i)
                continue
            chosen.append(i)
            skipped.add(i)
            taken[groups[i]] += 1
        if allowance >= largest:
            break
        allowance += step
    return sorted(chosen, key=lambda i: (margins[i], i))


def to_doccano(suggestions: Sequence[Suggestion]) -> list[dict]:
    """doccano text-classification records: the predicted labels under ``label``, where the sentence came from under ``meta``."""
    return [{"text": s.text, "label": list(s.labels), "meta": _meta(s)} for s in suggestions]


def to_label_studio(suggestions: Sequence[Suggestion], model_version: str) -> list[dict]:
    """Label Studio tasks: the sentence and where it came from under ``data``, the model's labels as ``predictions``."""
    from_name, to_name = LABEL_STUDIO_NAMES
    tasks = []
    for s in suggestions:
        result = [{"from_name": from_name, "to_name": to_name, "type": "choices", "value": {"choices": list(s.labels)}}] if s.labels else []
        tasks.append({
            "data": {"text": s.text, **{k: v for k, v in _meta(s).items() if k != "scores"}},
            "meta": {"scores": dict(s.scores)},
            "predictions": [{"model_version": model_version, "score": s.margin, "result": result}],
        })
    return tasks


def label_studio_config(labels: Sequence[str]) -> str:
    """A Label Studio labelling interface that reads the tasks of :func:`to_label_studio`."""
    from_name, to_name = LABEL_STUDIO_NAMES
    choices = "\n".join(f'    <Choice value="{label}"/>' for label in labels)
    return (
        f'<View>\n  <Text name="{to_name}" value="${to_name}"/>\n'
        f'  <Choices name="{from_name}" toName="{to_name}" choice="multiple" showInline="true">\n{choices}\n  </Choices>\n</View>'
    )


def write_suggestions(suggestions: Sequence[Suggestion], path, format: str, model_version: str) -> None:
    """Write suggestions as doccano JSONL or a Label Studio JSON task list."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if format == "doccano":
        content = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in to_doccano(suggestions))
    else:
        content = json.dumps(to_label_studio(suggestions, model_version), ensure_ascii=False, indent=1) + "\n"
    Path(path).write_text(content, encoding="utf-8")


def _meta(s: Suggestion) -> dict:
    return {"source": s.source, "report": s.report, "start": s.start, "end": s.end, "scores": dict(s.scores), "margin": s.margin}


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


def _shingles(text: str) -> frozenset[str]:
    compact = "".join(text.split())
    return frozenset(compact[i : i + 3] for i in range(max(1, len(compact) - 2)))


def _jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0

