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
#: Shape of the tagged sentences, as real reports have it (issue 7, shared/REAL_REPORTS.md).
SHAPE = {"median_length": 55, "share_80_chars": 0.25, "share_enumerating": 0.25, "share_multi_label": 0.20}
#: Real-report wording (shared/REAL_REPORTS.md): each in at least this many distinct sentences
#: carrying its label, by at least this many writers.
WORDING_MIN_SENTENCES, WORDING_MIN_WRITERS = 5, 3
REAL_WORDING = (
    ("exhibition", "线上展厅", r"线上展厅"), ("exhibition", "网上展厅", r"网上展厅"), ("exhibition", "挂图展", r"挂图展"),
    ("exhibition", "移入展厅", r"移入展厅"), ("exhibition", "陈列室", r"陈列室"), ("exhibition", "展示厅", r"展示厅"),
    ("exhibition", "校史馆", r"校史馆"), ("exhibition", "展出……挂图", r"展出[^。]{0,25}挂图"),
    ("exhibition", "系列展览", r"系列展览"), ("exhibition", "专题展区", r"专题展区"), ("exhibition", "观展", r"观展"),
    ("leafleting", "分发", r"分发"), ("leafleting", "制发……文创品/纪念品/记事本/专刊", r"制发[^。]{0,25}(文创|纪念品|记事本|专刊)"),
    ("leafleting", "宣传彩页", r"宣传彩页"), ("leafleting", "宣传画", r"宣传画"), ("leafleting", "宣传栏", r"宣传栏"),
    ("leafleting", "宣传咨询台", r"宣传咨询台"), ("leafleting", "现场解答", r"现场解答"), ("leafleting", "答疑解惑", r"答疑解惑"),
    ("sms", "发送宣传短信", r"发送[^。，,]{0,8}宣传短信"),
    ("open_access", "公众开放日", r"公众开放日"), ("open_access", "档案室开放日", r"档案室开放日"),
    ("open_access", "进馆参观", r"进馆参观"), ("open_access", "进馆体验", r"进馆体验"),
    ("open_access", "零距离接触档案", r"零距离接触档案"), ("open_access", "向社会开放一批馆藏档案", r"向社会开放[^。，,]{0,6}馆藏档案"),
    ("open_access", "协助居民查询档案", r"协助[^。]{0,8}查询[^。]{0,4}档案"),
    ("open_access", "库房/阅览室参观", r"(库房|阅览室)[^。]{0,6}参观|参观[^。]{0,10}(库房|阅览室)"),
    ("training", "集体学习了《…》", r"集体学习(了)?《"), ("training", "特邀……讲解/作专题讲座", r"特邀[^。]{0,30}(讲解|专题讲座)"),
    ("training", "志愿讲师向居民讲解", r"志愿讲师[^。]{0,15}讲解"),
    ("training", "观看线上专题讲座/视频会", r"观看[^。]{0,10}(线上|网上|在线)[^。]{0,10}(讲座|视频会)|视频会"),
    ("training", "知识竞答", r"知识竞答"), ("training", "趣味答题", r"趣味答题"),
    ("media", "LED屏", r"led屏"), ("media", "大屏", r"大屏"), ("media", "电子显示屏滚动播放", r"电子显示屏[^。]{0,12}滚动播放"),
    ("media", "宣传片", r"宣传片"), ("media", "纪录片", r"纪录片"), ("media", "动漫宣传片", r"动漫宣传片"),
    ("media", "微视频展播", r"微视频展播"), ("media", "开设专栏", r"开设[^。]{0,10}专栏"), ("media", "互联网", r"互联网"),
    ("media", "邻里群", r"邻里群"), ("media", "推广微信公众号", r"推广[^。]{0,10}微信公众号"), ("media", "网络直播", r"网络直播"),
)
_REAL_WORDING = tuple((label, name, re.compile(pattern)) for label, name, pattern in REAL_WORDING)
#: Untagged page furniture and template noise (issue 7): placeholders, captions, bylines, editors,
#: sources, copyright and site lines, lone menu entries, dates and time stamps.
NOISE = re.compile(
    r"^(?:图片\s*\d+|图为|.{0,30}(?:摄|供图|供稿)[)）]?$|.{0,20}记者|责任编辑|编辑[:：]|来源[:：]|本文来源|出处|版权所有|copyright|©|.*icp备"
    r"|首页|当前位置|分享到|打印|关闭窗口|【字体|字号|浏览次数|发布时间|\d{2,4}[-./年]\d{1,2}[-./月]\d{1,2}|.{0,12}活动现场$"
    r"|.{0,10}[|>]$|微信公众号$|微博$)",
    re.IGNORECASE,
)
MINIMUM_REALISM = {"noise": 150, "quoted_speech": 10, "hard_wrapped": 10, "traditional_reports": 10, "pinyin_glossed_reports": 2, "held_out_writers": 2}
_QUOTED_SPEECH = re.compile(r"^[“「『].*[。！？!?][”」』]$", re.DOTALL)
_PINYIN_GLOSS = re.compile(r"[\u3400-\u9fff][(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
_ENUMERATION = re.compile(r"一是.*二是", re.DOTALL)
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
    shape: dict = field(default_factory=dict)
    realism: Counter = field(default_factory=Counter)
    wording: dict = field(default_factory=dict)
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
        lines.append("")
        lines.append("| tagged sentences | corpus | needed |")
        lines.append("|---|---:|---:|")
        for key, name in (
            ("median_length", "median length (characters)"),
            ("share_80_chars", "share of 80 characters or more"),
            ("share_enumerating", "share enumerating (two or more 、, or 一是……二是)"),
            ("share_multi_label", "share carrying two or more tags"),
        ):
            value, need = self.shape.get(key, 0), SHAPE[key]
            lines.append(f"| {name} | {value:.0f} | {need} |" if key == "median_length" else f"| {name} | {value:.0%} | {need:.0%} |")
        lines.append("")
        lines.append("real-report features (heuristic counts): " + "; ".join(f"{k.replace('_', ' ')} {self.realism[k]}" for k in MINIMUM_REALISM))
        rarest = sorted(self.wording.items(), key=lambda kv: (kv[1][0], kv[1][1]))[:3]
        lines.append(
            f"real-report wordings: {len(self.wording)}, each in {WORDING_MIN_SENTENCES}+ sentences by {WORDING_MIN_WRITERS}+ writers; "
            "rarest: " + "; ".join(f"{name} {n} sentences, {w} writers" for name, (n, w) in rarest)
        )
        lines.extend(f"PROBLEM: {p}" for p in self.problems)
        return "\n".join(lines)


def validate_corpus(path) -> CorpusCheck:
    """Read the corpus at ``path``, count it, and list every rule it breaks."""
    path = Path(path)
    check = CorpusCheck()
    split_of_text: dict[str, set[str]] = {}
    texts = []
    reports = []
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
        reports.append(report)
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
    _check_realism(reports, check)
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


def _check_realism(reports: list[dict], check: CorpusCheck) -> None:
    """The shape, wording, noise and script figures of issue 7, for the reports that parsed."""
    import statistics

    from ._features import normalize_many

    tagged = [s for r in reports for s in r.get("sentences", []) if s.get("labels")]
    if tagged:
        lengths = [len(s["text"]) for s in tagged]
        check.shape = {
            "median_length": statistics.median(lengths),
            "share_80_chars": sum(n >= 80 for n in lengths) / len(tagged),
            "share_enumerating": sum(s["text"].count("、") >= 2 or bool(_ENUMERATION.search(s["text"])) for s in tagged) / len(tagged),
            "share_multi_label": sum(len(s["labels"]) >= 2 for s in tagged) / len(tagged),
        }
    for key, need in SHAPE.items():
        if check.shape.get(key, 0) < need:
            check.problems.append(f"tagged sentences: {key.replace('_', ' ')} {check.shape.get(key, 0):.3g}, at least {need} needed")
    hits: dict[str, tuple[set, set]] = {name: (set(), set()) for _, name, _ in _REAL_WORDING}
    writers_in: dict[str, set] = {}
    normalized = iter(normalize_many([s["text"] for r in reports for s in r.get("sentences", [])]))
    for report in reports:
        if report.get("writer"):
            writers_in.setdefault(report["writer"], set()).add(report.get("split"))
        text = report.get("text", "")
        if _traditional_share(text) > 0.03:
            check.realism["traditional_reports"] += 1
            check.realism["pinyin_glossed_reports"] += bool(_PINYIN_GLOSS.search(text))
        for sentence, simple in zip(report.get("sentences", []), normalized):
            raw, labels = sentence["text"], sentence.get("labels", [])
            if not labels and NOISE.search(simple.strip()):
                check.realism["noise"] += 1
            check.realism["quoted_speech"] += not labels and bool(_QUOTED_SPEECH.match(raw))
            check.realism["hard_wrapped"] += "\n" in raw
            for label, name, pattern in _REAL_WORDING:
                if label in labels and pattern.search(simple):
                    hits[name][0].add(simple)
                    hits[name][1].add(report.get("writer"))
    check.realism["held_out_writers"] = sum(splits == {"test"} for splits in writers_in.values())
    check.wording = {name: (len(texts), len(writers)) for name, (texts, writers) in hits.items()}
    for name, (n, w) in check.wording.items():
        if n < WORDING_MIN_SENTENCES or w < WORDING_MIN_WRITERS:
            check.problems.append(f"wording {name!r} in {n} sentences by {w} writers, at least {WORDING_MIN_SENTENCES} by {WORDING_MIN_WRITERS} needed")
    for key, need in MINIMUM_REALISM.items():
        if check.realism[key] < need:
            check.problems.append(f"{key.replace('_', ' ')}: {check.realism[key]}, at least {need} needed")


def _traditional_share(text: str) -> float:
    """The share of a text's characters that OpenCC's traditional→simplified conversion changes."""
    from ._features import _converter

    converted = _converter().convert(text)
    return sum(a != b for a, b in zip(text, converted)) / max(1, len(text))


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
