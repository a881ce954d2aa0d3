"""How fast: the shipped model against the keyword baseline on every corpus report, in one run.

    python benchmarks/speed.py [--repeat N]

Prints a table and writes benchmarks/results/speed.json and speed.md.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import archday_nlp
from archday_nlp._segment import sentence_spans

sys.path.insert(0, str(Path(__file__).resolve().parent))
from keywords import keyword_tags  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each system; the fastest counts")
    args = parser.parse_args()
    reports = [json.loads(line)["text"] for line in (ROOT / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    characters = sum(len(t) for t in reports)
    sentences = sum(len(sentence_spans(t)) for t in reports)

    cold = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import archday_nlp; archday_nlp.classify('群发短信。')"], check=True)
    cold = time.perf_counter() - cold
    archday_nlp.classify("warm up")

    systems = {
        "model": lambda: archday_nlp.classify_many(reports),
        "keyword baseline": lambda: [[keyword_tags(t[a:b]) for a, b in sentence_spans(t)] for t in reports],
    }
    seconds = {name: min(_time(run) for _ in range(args.repeat)) for name, run in systems.items()}
    rows = ["| system | seconds | reports/s | sentences/s | characters/s | time vs keyword baseline |", "|---|---:|---:|---:|---:|---:|"]
    for name, s in seconds.items():
        rows.append(f"| {name} | {s:.3f} | {len(reports) / s:,.0f} | {sentences / s:,.0f} | {characters / s:,.0f} | {s / seconds['keyword baseline']:.1f}x |")
    text = (
        f"{len(reports)} reports, {sentences} sentences, {characters:,} characters; best of {args.repeat} runs\n\n"
        + "\n".join(rows)
        + f"\n\nnew process, import, load the model and classify one sentence: {cold:.2f} s\n"
    )
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.md").write_text(text, encoding="utf-8")
    (RESULTS / "speed.json").write_text(json.dumps({"seconds": seconds, "cold_start_seconds": cold, "reports": len(reports),
                                                    "sentences": sentences, "characters": characters}, indent=1) + "\n", encoding="utf-8")


def _time(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
