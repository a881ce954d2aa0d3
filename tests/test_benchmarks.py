"""The benchmark scripts run end to end on a tiny corpus (their figures are not checked here: timings and
scores belong to the full runs under benchmarks/results)."""
import json
import subprocess
import sys

import pytest

import archday_nlp
from conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, corpus_reports):
    """Twelve corpus reports, three of them test, with a model trained on them."""
    directory = tmp_path_factory.mktemp("tiny")
    train = [r for r in corpus_reports if r["split"] == "train"][:9]
    test = [r for r in corpus_reports if r["split"] == "test"][:3]
    corpus = directory / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in train + test) + "\n", encoding="utf-8")
    archday_nlp.train(corpus, min_examples=1).save(directory / "model")
    return directory


def run(*args):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, check=True, cwd=ROOT)


def test_accuracy_script_writes_every_set(tiny):
    run(BENCHMARKS / "accuracy.py", "--skip-writers", "--corpus", tiny / "corpus.jsonl", "--model", tiny / "model", "--results", tiny / "acc")
    figures = json.loads((tiny / "acc" / "accuracy.json").read_text(encoding="utf-8"))
    assert {"test split", "joined", "traditional"} <= set(figures)
    assert {"model", "keyword baseline", "obvious pipeline, 0.5", "obvious pipeline, tuned"} <= set(figures["test split"])
    assert "| set |" in (tiny / "acc" / "accuracy.md").read_text(encoding="utf-8")


def test_speed_script_compares_the_systems(tiny):
    run(BENCHMARKS / "speed.py", "--texts", 30, "--repeat", 1, "--cold", 1, "--corpus", tiny / "corpus.jsonl", "--results", tiny / "speed")
    figures = json.loads((tiny / "speed" / "speed.json").read_text(encoding="utf-8"))
    assert {"archday-nlp, n_jobs=1", "archday-nlp, n_jobs=2", "obvious pipeline"} <= set(figures)
    for row in figures.values():
        assert row["characters_per_s"] > 0 and row["cold_start_s"] > 0 and row["peak_rss_mb"] > 0
    assert "throughput vs obvious" in (tiny / "speed" / "speed.md").read_text(encoding="utf-8")


def test_active_learning_script_draws_both_curves(tiny):
    run(BENCHMARKS / "active_learning.py", "--smoke", "--corpus", tiny / "corpus.jsonl", "--results", tiny / "al")
    results = json.loads((tiny / "al" / "active_learning.json").read_text(encoding="utf-8"))
    assert results["added"] == [0, 10, 20] and results["settings"]["rounds"] == 2
    corpus = [json.loads(line) for line in (tiny / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert results["test_sentences"] == sum(len(r["sentences"]) for r in corpus if r["split"] == "test")
    (suggested,), (random,) = results["macro_f1"]["suggested"], results["macro_f1"]["random"]
    assert len(suggested) == len(random) == 3 and all(0.0 <= f <= 1.0 for f in suggested + random)
    assert suggested[0] == random[0]  # one starting model
    assert "| sentences added | suggested | random | suggested − random |" in (tiny / "al" / "active_learning.md").read_text(encoding="utf-8")
