"""Precision, recall and F1: per label, macro, micro, and per report."""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._errors import DataError

#: What :func:`evaluate_examples` can score: the corpus's held-out split, its training split, or everything.
SPLITS = ("test", "train", "all")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int

    def to_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "support": self.support}


@dataclass(frozen=True)
class Evaluation:
    """How well predicted tags match gold tags.

    ``report`` scores the labels present in each report (a label is present when
    any of its sentences carries it), micro-averaged over reports and labels; it
    is ``None`` when the data does not group sentences into reports.

    ``macro`` averages the labels that the gold tags carry at least once;
    ``no_support`` names the others, whose F1 would be 0 whatever the model
    did. ``split`` says which sentences were scored: ``"test"``, ``"train"``
    or ``"all"`` (``None``: not recorded).
    """

    per_label: Mapping[str, Scores]
    macro: Scores
    micro: Scores
    report: Scores | None
    n_sentences: int
    n_reports: int | None
    no_support: tuple[str, ...] = ()
    split: str | None = None

    def to_dict(self) -> dict:
        return {
            "per_label": {label: s.to_dict() for label, s in self.per_label.items()},
            "macro": self.macro.to_dict(),
            "micro": self.micro.to_dict(),
            "report": None if self.report is None else self.report.to_dict(),
            "n_sentences": self.n_sentences,
            "n_reports": self.n_reports,
            "no_support": list(self.no_support),
            "split": self.split,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Evaluation:
        """The inverse of :meth:`to_dict` (as kept in a model's manifest)."""
        report = data["report"]
        return cls(
            per_label={label: Scores(**s) for label, s in data["per_label"].items()},
            macro=Scores(**data["macro"]),
            micro=Scores(**data["micro"]),
            report=None if report is None else Scores(**report),
            n_sentences=data["n_sentences"],
            n_reports=data["n_reports"],
            no_support=tuple(data.get("no_support", ())),
            split=data.get("split"),
        )

    def format(self) -> str:
        """A plain-text table, one row per label, then the averages, then the labels macro leaves out."""
        rows = [f"{'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
        named = [*self.per_label.items(), ("macro", self.macro), ("micro", self.micro)]
        if self.report is not None:
            named.append((f"report ({self.n_reports})", self.report))
        for name, s in named:
            rows.append(f"{name:<14}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.support:>10d}")
        if self.no_support:
            rows.append(f"macro leaves out the labels with no support: {', '.join(self.no_support)}")
        return "\n".join(rows)


def score_tags(
    labels: Sequence[str], gold: np.ndarray, predicted: np.ndarray, groups: Sequence[str] | None, *, split: str | None = None
) -> Evaluation:
    """Compare boolean tag matrices (sentences × labels); ``groups`` names each sentence's report.

    >>> e = score_tags(["sms", "media"], np.array([[1, 0], [0, 0]]), np.array([[1, 0], [0, 1]]), None)
    >>> e.macro.f1, e.no_support, e.per_label["media"].precision
    (1.0, ('media',), 0.0)
    """
    gold = np.asarray(gold, dtype=bool)
    predicted = np.asarray(predicted, dtype=bool)
    per_label = {label: score_predictions(gold[:, j], predicted[:, j]) for j, label in enumerate(labels)}
    supported = [s for s in per_label.values() if s.support]
    macro = Scores(
        precision=_mean(s.precision for s in supported),
        recall=_mean(s.recall for s in supported),
        f1=_mean(s.f1 for s in supported),
        support=int(gold.sum()),
    )
    report, n_reports = None, None
    if groups is not None:
        names = sorted(set(groups))
        n_reports = len(names)
        row = {name: i for i, name in enumerate(names)}
        index = np.array([row[g] for g in groups])
        gold_reports = np.zeros((n_reports, len(labels)), dtype=bool)
        predicted_reports = np.zeros_like(gold_reports)
        np.logical_or.at(gold_reports, index, gold)
        np.logical_or.at(predicted_reports, index, predicted)
        report = score_predictions(gold_reports.ravel(), predicted_reports.ravel())
    return Evaluation(
        per_label=per_label,
        macro=macro,
        micro=score_predictions(gold.ravel(), predicted.ravel()),
        report=report,
        n_sentences=len(gold),
        n_reports=n_reports,
        no_support=tuple(label for label, s in per_label.items() if not s.support),
        split=split,
    )


def evaluate_examples(model, examples, *, split: str | None = None) -> Evaluation:
    """Tag the examples' sentences with ``model`` and score them against their labels.

    ``split``: which sentences to score (see :func:`select_split`); by default
    the ``test`` split of corpus-format data, every sentence of other data.
    """
    from ._io import label_matrix

    examples, split = select_split(examples, split)
    unknown = sorted({label for e in examples for label in e.labels} - set(model.labels))
    if unknown:
        warnings.warn(f"labels that the model does not know are not scored: {unknown}", stacklevel=3)
    probabilities = model.scores([e.text for e in examples])
    gold = label_matrix(examples, model.labels)
    return score_tags(model.labels, gold, model.tags(probabilities), report_groups(examples), split=split)


def evaluate_data(model, data, *, format: str | None = None, encoding: str | None = None, split: str | None = None) -> Evaluation:
    """:meth:`Model.evaluate` with a choice of split: read ``data`` (any format
    :func:`archday_nlp.train` reads) and score ``model`` on it."""
    from ._io import read_examples

    return evaluate_examples(model, read_examples(data, format=format, encoding=encoding), split=split)


def select_split(examples, split: str | None) -> tuple[list, str]:
    """The examples to score and the split's name.

    Scoring the training split of the corpus flatters a model trained on it
    (the shipped model scores macro-F1 0.994 there against 0.925 held out), so data that
    has splits (the corpus format) is scored on ``"test"`` unless ``split``
    says ``"train"`` or ``"all"``; data without splits is scored whole. The
    training split is every sentence not in ``"test"``, as :func:`archday_nlp.train` has it.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    examples = list(examples)
    has_splits = any(e.split is not None for e in examples)
    if split is None:
        split = "test" if has_splits else "all"
    if split == "all":
        return examples, split
    if not has_splits:
        raise DataError(f"the data has no train/test split to pick {split!r} from (only the corpus format has one); score it all")
    chosen = [e for e in examples if (e.split == "test") == (split == "test")]
    if not chosen:
        raise DataError(f"no sentences in the {split!r} split; score them all instead")
    return chosen, split


def report_groups(examples) -> list[str] | None:
    """Each example's report, for the report-level figure; ``None`` when the data has no reports."""
    return [e.group for e in examples] if any(e.report for e in examples) else None


def score_predictions(gold: np.ndarray, predicted: np.ndarray) -> Scores:
    """Precision, recall, F1 and support of boolean predictions against boolean gold."""
    tp = int(np.sum(gold & predicted))
    n_predicted = int(predicted.sum())
    n_gold = int(gold.sum())
    precision = tp / n_predicted if n_predicted else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision=precision, recall=recall, f1=f1, support=n_gold)


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
