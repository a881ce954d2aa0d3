"""Check the project's labelled corpus (``data/corpus.jsonl``) and count what it holds.

``archday-nlp validate`` runs :func:`validate_corpus` and prints its table; a
test runs it too, so a corpus that breaks a rule of its issue cannot land.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ._labels import LABELS

KINDS = ("archives", "township", "community", "agency", "school", "hospital", "company", "news")
#: What the corpus must hold (issue 2).
MINIMUM = {"reports": 80, "sentences": 2000, "per_label": 120, "multi_label": 150, "hard_case": 10}
MIN_UNTAGGED_SHARE = 0.40
MIN_TEST_SHARE = 0.20
MAX_NEAR_DUPLICATE_SHARE = 0.03
NEAR_DUPLICATE_JACCARD = 0.8

_ACTIVITY_WORD = re.compile(r"展览|展出|发放|短信|开放|查阅|培训|讲座|竞赛|答题|宣传|报道|播放|微信")
_PURPOSE_OR_EFFECT = re.compile(r"^(为了?|通过|旨在|此次活动|活动的开展)")
_PLANNING = re.compile(r"领导小组|部署|实施方案|工作方案|通知|党组会|经费")
_FUTURE = re.compile(r"下一步|将继续|今后|计划|拟|明年")
#: Heuristic finders for the guideline's "looks like an activity" cases: (text, labels) -> bool.
HARD_CASES = {
    "开展/展开 without exhibition": lambda t, labels: ("开展" in t or "展开" in t) and "exhibition" not in labels,
    "改革开放 without open_access": lambda t, labels: "改革开放" in t and "open_access" not in labels,
    "purpose/effect naming an activity": lambda t, labels: not labels and bool(_PURPOSE_OR_EFFECT.search(t) and _ACTIVITY_WORD.search(t)),
    "planning and leadership": lambda t, labels: not labels and bool(_PLANNING.search(t)),
    "future plan naming an activity": lambda t, labels: not labels and bool(_FUTURE.search(t) and _ACTIVITY_WORD.search(t)),
}


@dataclass
class CorpusCheck:
    """Counts of a corpus and the rules it breaks (``problems`` empty: it passes)."""

    reports: Counter = field(default_factory=Counter)
    sentences: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    writers: Counter = field(default_factory=Counter)
    hard_cases: Counter = field(default_factory=Counter)
    near_duplicate_pairs: int = 0
    pairs: int = 0
    problems: list[str] = field(default_factory=list)

    def format(self) -> str:
        """The counts table, then any problems."""
        total = self.sentences["all"]
        lines = [
            "| what | train | test | all |",
            "|---|---:|---:|---:|",
            f"| reports | {self.reports['train']} | {self.reports['test']} | {self.reports['all']} |",
            f"| sentences | {self.sentences['train']} | {self.sentences['test']} | {total} |",
        ]
        for label in LABELS:
            lines.append(f"| `{label}` | {self.labels['train', label]} | {self.labels['test', label]} | {self.labels['all', label]} |")
        for key, name in (("multi", "two or more tags"), ("none", "no tag")):
            lines.append(f"| {name} | {self.labels['train', key]} | {self.labels['test', key]} | {self.labels['all', key]} |")
        lines.append("")
        lines.append("| kind | " + " | ".join(KINDS) + " |")
        lines.append("|---|" + "---:|" * len(KINDS))
        lines.append("| reports (test) | " + " | ".join(f"{self.kinds['all', k]} ({self.kinds['test', k]})" for k in KINDS) + " |")
        lines.append("")
        lines.append(f"writers: {len(self.writers)}, {min(self.writers.values(), default=0)} to {max(self.writers.values(), default=0)} reports each")
        lines.append(f"untagged share: {self.labels['all', 'none'] / max(total, 1):.1%}")
        lines.append(
            f"near-duplicate sentence pairs (3-gram Jaccard > {NEAR_DUPLICATE_JACCARD}): "
            f"{self.near_duplicate_pairs} of {self.pairs} ({self.near_duplicate_pairs / max(self.pairs, 1):.3%})"
        )
        lines.append("hard cases (heuristic counts): " + "; ".join(f"{k} {self.hard_cases[k]}" for k in HARD_CASES))
        lines.extend(f"PROBLEM: {p}" for p in self.problems)
        return "\n".join(lines)


def validate_corpus(path) -> CorpusCheck:
    """Read the corpus at ``path``, count it, and list every rule it breaks."""
    path = Path(path)
    check = CorpusCheck()
    split_of_text: dict[str, set[str]] = {}
    texts = []
    ids = set()
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{line_number}"
        try:
            report = json.loads(line)
        except json.JSONDecodeError as e:
            check.problems.append(f"{where}: invalid JSON ({e.msg})")
            continue
        if report.get("id") in ids:
            check.problems.append(f"{where}: duplicate id {report.get('id')!r}")
        ids.add(report.get("id"))
        split, kind = report.get("split"), report.get("kind")
        if split not in ("train", "test"):
            check.problems.append(f"{where}: split {split!r} is not train or test")
        if kind not in KINDS:
            check.problems.append(f"{where}: kind {kind!r} is not one of {KINDS}")
        check.reports.update(["all", split])
        check.kinds.update([("all", kind), (split, kind)])
        if not report.get("writer"):
            check.problems.append(f"{where}: no 'writer'")
        check.writers[report.get("writer")] += 1
        _check_sentences(report, where, check)
        for sentence in report.get("sentences", []):
            labels = sentence["labels"]
            check.sentences.update(["all", split])
            tags = [*labels, "multi"] if len(labels) > 1 else labels or ["none"]
            check.labels.update([("all", t) for t in tags] + [(split, t) for t in tags])
            split_of_text.setdefault(sentence["text"], set()).add(split)
            texts.append(sentence["text"])
            check.hard_cases.update(name for name, found in HARD_CASES.items() if found(sentence["text"], labels))
    _check_counts(check, split_of_text)
    check.near_duplicate_pairs, check.pairs = near_duplicate_pairs(texts)
    if check.near_duplicate_pairs > MAX_NEAR_DUPLICATE_SHARE * check.pairs:
        check.problems.append(f"near-duplicate pairs above {MAX_NEAR_DUPLICATE_SHARE:.0%} of all pairs")
    return check


def near_duplicate_pairs(texts: list[str]) -> tuple[int, int]:
    """How many pairs of ``texts`` share over 80% of their character 3-grams, of how many pairs."""
    import numpy as np
    import scipy.sparse as sp

    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for i, text in enumerate(texts):
        compact = "".join(text.split())
        grams = {compact[j : j + 3] for j in range(max(1, len(compact) - 2))}
        for gram in grams:
            rows.append(i)
            columns.append(vocabulary.setdefault(gram, len(vocabulary)))
    grams = sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(texts), len(vocabulary)))
    shared = sp.triu(grams @ grams.T, k=1).tocoo()
    sizes = np.asarray(grams.sum(axis=1)).ravel()
    jaccard = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
    n = len(texts)
    return int(np.sum(jaccard > NEAR_DUPLICATE_JACCARD)), n * (n - 1) // 2


def _check_sentences(report: dict, where: str, check: CorpusCheck) -> None:
    text, position = report.get("text", ""), 0
    for k, sentence in enumerate(report.get("sentences", [])):
        bad = [label for label in sentence.get("labels", []) if label not in LABELS]
        if bad:
            check.problems.append(f"{where}: sentence {k} has labels outside the guideline: {bad}")
        found = text.find(sentence["text"], position)
        if found < 0 or text[position:found].strip():
            check.problems.append(f"{where}: sentence {k} is not the next text of the report: {sentence['text'][:30]!r}")
            return
        position = found + len(sentence["text"])
    if text[position:].strip():
        check.problems.append(f"{where}: text after the last sentence is not covered: {text[position:][:30]!r}")


def _check_counts(check: CorpusCheck, split_of_text: dict[str, set[str]]) -> None:
    total = check.sentences["all"]
    need = MINIMUM
    if check.reports["all"] < need["reports"]:
        check.problems.append(f"{check.reports['all']} reports, at least {need['reports']} needed")
    if total < need["sentences"]:
        check.problems.append(f"{total} sentences, at least {need['sentences']} needed")
    for label in LABELS:
        if check.labels["all", label] < need["per_label"]:
            check.problems.append(f"{label} on {check.labels['all', label]} sentences, at least {need['per_label']} needed")
    if check.labels["all", "multi"] < need["multi_label"]:
        check.problems.append(f"{check.labels['all', 'multi']} sentences with several tags, at least {need['multi_label']} needed")
    if check.labels["all", "none"] < MIN_UNTAGGED_SHARE * total:
        check.problems.append(f"untagged sentences below {MIN_UNTAGGED_SHARE:.0%}")
    if check.reports["test"] < MIN_TEST_SHARE * check.reports["all"]:
        check.problems.append(f"test split holds {check.reports['test']} reports, below {MIN_TEST_SHARE:.0%}")
    missing = [k for k in KINDS if not check.kinds["test", k]]
    if missing:
        check.problems.append(f"kinds missing from the test split: {missing}")
    shared = [t for t, splits in split_of_text.items() if len(splits) > 1]
    if shared:
        check.problems.append(f"{len(shared)} sentence texts in both splits, e.g. {shared[0]!r}")
    for name in HARD_CASES:
        if check.hard_cases[name] < need["hard_case"]:
            check.problems.append(f"hard case '{name}' found {check.hard_cases[name]} times, at least {need['hard_case']} needed")
