"""Check a user's own labelled sentences before training on them.

Unlike :mod:`archday_nlp._corpus`, which holds the project's corpus to the
quotas of its issue, this applies no quotas: it counts what the data holds and
lists what would spoil a model trained on it — the same sentence with
different labels, labels too rare to learn, labels one edit away from another
(``medai`` beside ``media``), empty texts — and notes exact duplicates and the
guideline labels the data lacks.
"""
from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ._io import Example, open_labelled, read_examples
from ._labels import LABELS


@dataclass(frozen=True)
class Repeat:
    """A text that occurs more than once: its sources, grouped by the labels each gives it."""

    text: str
    by_labels: Mapping[tuple[str, ...], tuple[str, ...]]

    def to_dict(self) -> dict:
        return {"text": self.text, "by_labels": [{"labels": list(k), "sources": list(v)} for k, v in self.by_labels.items()]}


@dataclass(frozen=True)
class Typo:
    """A label that is one edit (or a change of case) away from a more established one."""

    label: str
    count: int
    resembles: str
    resembles_count: int

    def to_dict(self) -> dict:
        return {"label": self.label, "count": self.count, "resembles": self.resembles, "resembles_count": self.resembles_count}


@dataclass(frozen=True)
class DataCheck:
    """What :func:`check_data` found; ``problems`` lists what should be fixed before training."""

    files: tuple[tuple[str, str, int], ...]
    sentences: int
    untagged: int
    multi_label: int
    label_counts: Mapping[str, int]
    duplicates: tuple[Repeat, ...]
    conflicts: tuple[Repeat, ...]
    rare: Mapping[str, int]
    typos: tuple[Typo, ...]
    empty: tuple[str, ...]
    missing: tuple[str, ...]
    min_examples: int

    @property
    def problems(self) -> list[str]:
        found = [f"{len(self.conflicts)} text(s) with different labels in different places"] if self.conflicts else []
        found += [f"label {label!r} is on {n} sentence(s), fewer than {self.min_examples}" for label, n in self.rare.items()]
        found += [f"label {t.label!r} ({t.count}) is one edit from {t.resembles!r} ({t.resembles_count}): a typo?" for t in self.typos]
        found += [f"{len(self.empty)} empty text(s)"] if self.empty else []
        return found

    def to_dict(self) -> dict:
        return {
            "files": [{"path": p, "format": f, "sentences": n} for p, f, n in self.files],
            "sentences": self.sentences,
            "untagged": self.untagged,
            "multi_label": self.multi_label,
            "label_counts": dict(self.label_counts),
            "duplicates": [r.to_dict() for r in self.duplicates],
            "conflicts": [r.to_dict() for r in self.conflicts],
            "rare": dict(self.rare),
            "typos": [t.to_dict() for t in self.typos],
            "empty": list(self.empty),
            "missing": list(self.missing),
            "min_examples": self.min_examples,
            "problems": self.problems,
        }

    def format(self) -> str:
        """The counts, then each finding with where it is."""
        lines = [f"{path}: {n} sentences ({fmt})" for path, fmt, n in self.files]
        share = self.untagged / self.sentences if self.sentences else 0.0
        lines.append(f"{self.sentences} sentences: {self.untagged} untagged ({share:.0%}), {self.multi_label} with two or more labels")
        lines += ["", "| label | sentences |", "|---|---:|"]
        for label, n in self.label_counts.items():
            lines.append(f"| {label}{'' if label in LABELS else ' (not in the guideline)'} | {n} |")
        lines.append("")
        if self.missing:
            lines.append(
                f"guideline labels not in the data: {', '.join(self.missing)} (a model trained on this data alone "
                "will not have them; train with --base default to keep them)"
            )
        if self.duplicates:
            lines.append(f"duplicates: {len(self.duplicates)} text(s) repeated with the same labels")
            lines += [f"  {r.text!r} ({_names(k)}) at {', '.join(v)}" for r in self.duplicates for k, v in r.by_labels.items()]
        if self.conflicts:
            lines.append(f"conflicts: {len(self.conflicts)} text(s) with different labels")
            for r in self.conflicts:
                lines.append(f"  {r.text!r}: " + "; ".join(f"{_names(k)} at {', '.join(v)}" for k, v in r.by_labels.items()))
        if self.rare:
            lines.append(f"labels on fewer than {self.min_examples} sentences: " + ", ".join(f"{k} ({n})" for k, n in self.rare.items()))
        if self.typos:
            lines.append("likely typos: " + "; ".join(f"{t.label} ({t.count}) is one edit from {t.resembles} ({t.resembles_count})" for t in self.typos))
        if self.empty:
            lines.append(f"empty texts: {', '.join(self.empty)}")
        lines += [f"PROBLEM: {p}" for p in self.problems] or ["no problems found"]
        return "\n".join(lines)


def check_data(data, *, format: str | None = None, encoding: str | None = None, min_examples: int = 5) -> DataCheck:
    """Count a user's labelled data and list what would spoil a model trained on it.

    Parameters
    ----------
    data : path, sequence of paths, or sequence of ``{"text", "labels"}`` mappings
        As :func:`archday_nlp.train` reads it (the corpus format too); blank
        texts are reported rather than refused.
    min_examples : int
        Labels on fewer sentences are listed, as :func:`archday_nlp.train` would refuse them.

    Examples
    --------
    >>> rows = [{"text": "群发短信。", "labels": ["sms"]}, {"text": "群发短信。", "labels": []},
    ...         {"text": "县电视台播出新闻。", "labels": ["medai"]}, {"text": "举办展览。", "labels": ["media"]}]
    >>> check = check_data(rows, min_examples=1)
    >>> check.problems
    ['1 text(s) with different labels in different places', "label 'medai' (1) is one edit from 'media' (1): a typo?"]
    """
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    files, examples = [], []
    for item in data:
        if isinstance(item, (str, os.PathLike)):
            read = open_labelled(item, format=format, encoding=encoding, keep_blank=True)
            files.append((read.path, read.format, len(read.examples)))
            examples.extend(read.examples)
        else:
            examples.extend(read_examples([item], keep_blank=True))
    counts = Counter(label for e in examples for label in e.labels)
    ordered = [label for label in LABELS if label in counts] + sorted(label for label in counts if label not in LABELS)
    duplicates, conflicts = _repeats(examples)
    return DataCheck(
        files=tuple(files),
        sentences=len(examples),
        untagged=sum(not e.labels for e in examples),
        multi_label=sum(len(e.labels) > 1 for e in examples),
        label_counts={label: counts[label] for label in ordered},
        duplicates=duplicates,
        conflicts=conflicts,
        rare={label: counts[label] for label in ordered if counts[label] < min_examples},
        typos=_typos(counts),
        empty=tuple(e.source for e in examples if not e.text),
        missing=tuple(label for label in LABELS if label not in counts),
        min_examples=min_examples,
    )


def edit_distance_is_one(a: str, b: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``.

    >>> [edit_distance_is_one("medai", "media"), edit_distance_is_one("sms", "smss"), edit_distance_is_one("sms", "media")]
    [True, True, False]
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _repeats(examples: list[Example]) -> tuple[tuple[Repeat, ...], tuple[Repeat, ...]]:
    by_text: dict[str, list[Example]] = {}
    for e in examples:
        if e.text:
            by_text.setdefault(_key(e.text), []).append(e)
    duplicates, conflicts = [], []
    for found in by_text.values():
        if len(found) < 2:
            continue
        by_labels: dict[tuple[str, ...], list[str]] = {}
        for e in found:
            by_labels.setdefault(tuple(sorted(e.labels)), []).append(e.source)
        repeat = Repeat(found[0].text, {k: tuple(v) for k, v in by_labels.items()})
        (conflicts if len(by_labels) > 1 else duplicates).append(repeat)
    return tuple(duplicates), tuple(conflicts)


def _typos(counts: Counter) -> tuple[Typo, ...]:
    """Labels of the data one edit (or a case) away from a guideline label or a more frequent label."""
    known = list(dict.fromkeys([*LABELS, *counts]))
    typos = []
    for label in counts:
        for other in known:
            if other == label or not (edit_distance_is_one(label.lower(), other.lower()) or label.lower() == other.lower()):
                continue
            guideline = other in LABELS and label not in LABELS
            if guideline or (label not in LABELS and (counts[label], label) < (counts[other], other)):
                typos.append(Typo(label, counts[label], other, counts[other]))
                break
    return tuple(typos)


def _names(labels: tuple[str, ...]) -> str:
    return ", ".join(labels) or "(none)"
