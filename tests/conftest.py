import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus.jsonl"


@pytest.fixture(scope="session")
def corpus_reports() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def corpus_sentences(corpus_reports) -> list[dict]:
    """Every gold sentence of the corpus, with its report's split."""
    return [{**s, "split": r["split"]} for r in corpus_reports for s in r["sentences"]]


@pytest.fixture(scope="session")
def small_rows(corpus_sentences) -> list[dict]:
    """A seeded quarter of the corpus's training sentences, as ``{"text", "labels"}`` rows."""
    import random

    rows = [{"text": s["text"], "labels": s["labels"]} for s in corpus_sentences if s["split"] == "train"]
    return random.Random(7).sample(rows, len(rows) // 4)


@pytest.fixture(scope="session")
def with_contest(small_rows) -> list[dict]:
    """The small set plus a label of the user's own: essay contests."""
    contest = [
        "组织开展“我与档案”征文比赛,共收到作品86篇。",
        "举办档案故事征文活动,评出一等奖3名。",
        "面向全县中小学生开展“家庭档案”主题征文。",
        "征文比赛共收到来稿一百二十余篇。",
        "开展“档案里的家乡”征文活动,征集作品40余篇。",
        "社区组织居民参加“我家的老物件”征文。",
    ]
    return small_rows + [{"text": t, "labels": ["contest"]} for t in contest]


def run_python(code: str) -> tuple[str, str]:
    """Run ``code`` in a new interpreter; return what it printed to stdout and stderr."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout, done.stderr
