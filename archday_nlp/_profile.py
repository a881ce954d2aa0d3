"""Result types: a sentence with its tags, and a report with its profile."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass


class FrozenMap(Mapping):
    """A read-only mapping that, unlike ``types.MappingProxyType``, can be pickled."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping):
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Sentence:
    """One sentence of a report: ``text == report_text[start:end]``."""

    text: str
    start: int
    end: int
    labels: tuple[str, ...]
    scores: Mapping[str, float]

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "labels": list(self.labels),
            "scores": dict(self.scores),
        }


@dataclass(frozen=True)
class LabelProfile:
    """What a report says about one label."""

    label: str
    count: int
    share: float
    evidence: tuple[int, ...]
    max_score: float

    def to_dict(self) -> dict:
        return {
            "count": self.count,
            "share": self.share,
            "evidence": list(self.evidence),
            "max_score": self.max_score,
        }


@dataclass(frozen=True)
class Profile:
    """Per label: how many sentences carry it, their share, which ones, the top score.

    ``present`` lists the labels carried by at least one sentence, in model order.
    """

    present: tuple[str, ...]
    by_label: Mapping[str, LabelProfile]

    def to_dict(self) -> dict:
        return {
            "present": list(self.present),
            "by_label": {label: p.to_dict() for label, p in self.by_label.items()},
        }


@dataclass(frozen=True)
class Report:
    """A classified report: its sentences in order, and its profile."""

    sentences: tuple[Sentence, ...]
    profile: Profile

    def to_dict(self) -> dict:
        return {
            "sentences": [s.to_dict() for s in self.sentences],
            "profile": self.profile.to_dict(),
        }


def build_report(text: str, spans: Sequence[tuple[int, int]], labels: Sequence[str], scores, tags) -> Report:
    """Assemble a :class:`Report` from sentence spans, a score matrix and a tag matrix.

    ``scores`` and ``tags`` have one row per span and one column per label.
    """
    sentences = tuple(
        Sentence(
            text=text[start:end],
            start=start,
            end=end,
            labels=tuple(label for label, on in zip(labels, tag_row) if on),
            scores=FrozenMap({label: float(p) for label, p in zip(labels, score_row)}),
        )
        for (start, end), score_row, tag_row in zip(spans, scores, tags)
    )
    by_label = {}
    for j, label in enumerate(labels):
        evidence = tuple(i for i, s in enumerate(sentences) if label in s.labels)
        by_label[label] = LabelProfile(
            label=label,
            count=len(evidence),
            share=len(evidence) / len(sentences) if sentences else 0.0,
            evidence=evidence,
            max_score=max((s.scores[label] for s in sentences), default=0.0),
        )
    present = tuple(label for label in labels if by_label[label].count)
    return Report(sentences=sentences, profile=Profile(present=present, by_label=FrozenMap(by_label)))
