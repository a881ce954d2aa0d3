"""Result types: a sentence with its tags, and a report with its profile."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ._figures import Figure, FigureTotal, extract_figures


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
    """One sentence of a report: ``text == report_text[start:end]``.

    ``figures`` are the quantities it reports; their offsets index ``text``.
    """

    text: str
    start: int
    end: int
    labels: tuple[str, ...]
    scores: Mapping[str, float]
    figures: tuple[Figure, ...] = ()

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "labels": list(self.labels),
            "scores": dict(self.scores),
            "figures": [f.to_dict() for f in self.figures],
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
    ``figures`` maps each label to its figures summed per unit (label → unit →
    :class:`FigureTotal`, units in order of first mention): a figure counts for
    every label of its sentence.
    """

    present: tuple[str, ...]
    by_label: Mapping[str, LabelProfile]
    figures: Mapping[str, Mapping[str, FigureTotal]] = field(default_factory=lambda: FrozenMap({}))

    def to_dict(self) -> dict:
        return {
            "present": list(self.present),
            "by_label": {label: p.to_dict() for label, p in self.by_label.items()},
            "figures": {label: {unit: t.to_dict() for unit, t in units.items()} for label, units in self.figures.items()},
        }


class Report:
    """A classified report: its sentences in order, and its profile.

    Immutable. Made from the model's score and tag matrices; the
    :class:`Sentence` and :class:`Profile` objects are built on first access,
    so that classifying thousands of reports and keeping only some of their
    figures stays cheap, and a report travels between processes as a few arrays.

    Parameters
    ----------
    text : str
        The report as given; every sentence is ``text[start:end]``.
    spans : numpy.ndarray
        The sentences' offsets, one ``(start, end)`` row per sentence.
    labels : sequence of str
        The model's labels, the columns of ``scores`` and ``tags``.
    scores, tags : numpy.ndarray
        Probabilities and boolean tags, one row per span.
    """

    def __init__(self, text: str, spans, labels: Sequence[str], scores, tags):
        for name, value in (("_text", text), ("_spans", spans), ("_labels", tuple(labels)), ("_scores", scores), ("_tags", tags)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"Report is immutable: cannot set {name!r}")

    def __reduce__(self):
        return (Report, (self._text, self._spans, self._labels, self._scores, self._tags))

    def __repr__(self) -> str:
        return f"<Report: {len(self._spans)} sentences; present: {', '.join(self.profile.present) or 'none'}>"

    def _within(self, document: str, offset: int) -> Report:
        """This report as the part of ``document`` that starts at ``offset``: its offsets then index ``document``."""
        return Report(document, self._spans + offset, self._labels, self._scores, self._tags)

    @cached_property
    def _figures(self) -> tuple[tuple[Figure, ...], ...]:
        return tuple(extract_figures(self._text[start:end]) for start, end in self._spans.tolist())

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        score_rows, tag_rows = self._scores.tolist(), self._tags.tolist()
        return tuple(
            Sentence(
                text=self._text[start:end],
                start=start,
                end=end,
                labels=tuple(label for label, on in zip(self._labels, tag_row) if on),
                scores=FrozenMap(dict(zip(self._labels, score_row))),
                figures=figures,
            )
            for (start, end), score_row, tag_row, figures in zip(self._spans.tolist(), score_rows, tag_rows, self._figures)
        )

    @cached_property
    def profile(self) -> Profile:
        n = len(self._spans)
        by_label = {}
        for j, label in enumerate(self._labels):
            evidence = tuple(int(i) for i in self._tags[:, j].nonzero()[0]) if n else ()
            by_label[label] = LabelProfile(
                label=label,
                count=len(evidence),
                share=len(evidence) / n if n else 0.0,
                evidence=evidence,
                max_score=float(self._scores[:, j].max()) if n else 0.0,
            )
        present = tuple(label for label in self._labels if by_label[label].count)
        return Profile(present=present, by_label=FrozenMap(by_label), figures=self._figure_totals(by_label))

    def _figure_totals(self, by_label: Mapping[str, LabelProfile]) -> FrozenMap:
        totals = {}
        for label in self._labels:
            units: dict[str, FigureTotal] = {}
            for i in by_label[label].evidence:
                for f in self._figures[i]:
                    was = units.get(f.unit, FigureTotal(0.0, False, 0))
                    units[f.unit] = FigureTotal(was.value + f.value, was.approximate or f.approximate, was.count + 1)
            totals[label] = FrozenMap(units)
        return FrozenMap(totals)

    def to_dict(self) -> dict:
        return {
            "sentences": [s.to_dict() for s in self.sentences],
            "profile": self.profile.to_dict(),
        }
