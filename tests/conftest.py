import json
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
