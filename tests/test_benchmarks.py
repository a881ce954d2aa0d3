"""The benchmarks run: a smoke test of the active-learning curve on a tiny corpus."""
import importlib.util
import json

from conftest import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_active_learning_smoke_run_on_a_tiny_corpus(tmp_path, corpus_reports):
    train = [r for r in corpus_reports if r["split"] == "train"][:10]
    test = [r for r in corpus_reports if r["split"] == "test"][:3]
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in train + test), encoding="utf-8")
    results = load("active_learning").main(["--corpus", str(corpus), "--smoke", "--results", str(tmp_path / "results")])
    assert results["added"] == [0, 10, 20]
    assert results["test_sentences"] == sum(len(r["sentences"]) for r in test)
    for strategy in ("suggested", "random"):
        (curve,) = results["macro_f1"][strategy]
        assert len(curve) == 3 and all(0.0 <= f <= 1.0 for f in curve)
    assert results["macro_f1"]["suggested"][0][0] == results["macro_f1"]["random"][0][0]  # one starting model
    table = (tmp_path / "results" / "active_learning.md").read_text(encoding="utf-8")
    assert "| sentences added | suggested | random | suggested − random |" in table
    assert json.loads((tmp_path / "results" / "active_learning.json").read_text(encoding="utf-8"))["settings"]["rounds"] == 2
