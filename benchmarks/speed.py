"""How fast: this library (n_jobs 1 and 2) beside the obvious pipeline and fastText, in one run.

    python benchmarks/speed.py [--texts 20000] [--repeat 5] [--cold 5] [--results DIR]

Every system tags the same distinct two-sentence texts drawn from the corpus,
each in a fresh process of its own (so that peak memory is its own); the
fastest of ``--repeat`` runs counts, after one warm-up run that also starts
the worker processes. Cold start is the median of ``--cold`` new processes
that import, load the model and tag one report. Training times are for the
corpus's training split. Prints a table and writes ``speed.md`` and
``speed.json`` under ``benchmarks/results`` (or ``--results``).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT / "data" / "corpus.jsonl"
sys.path.insert(0, str(HERE))

#: What each system's fresh process runs: load the artifact at ``path`` as ``model``, tag ``texts``.
LOAD = {
    "library": "import archday_nlp; model = archday_nlp.load_model(path)",
    "obvious": "from systems import Obvious as S; model = S.load(path)",
    "fasttext": "from systems import FastText as S; model = S.load(path)",
}
TAG = {
    "library": "model.classify_many(texts, n_jobs=jobs)",
    "obvious": "S.tag(model, texts)",
    "fasttext": "S.tag(model, texts)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=20000, help="distinct two-sentence texts to tag (default 20000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per system; the fastest counts")
    parser.add_argument("--cold", type=int, default=5, help="fresh processes for the cold start; the median counts")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="where to write speed.md and speed.json")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="labelled corpus to draw texts from and train on")
    parser.add_argument("--measure", nargs=4, metavar=("KIND", "PATH", "TEXTS", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return _measure(*args.measure, repeat=args.repeat)

    from systems import FastText, Obvious

    import archday_nlp
    from archday_nlp._io import label_matrix, read_file
    from archday_nlp._segment import sentence_spans

    texts = two_sentence_texts(args.texts, args.corpus)
    characters = sum(map(len, texts))
    n_sentences = sum(len(sentence_spans(t)) for t in texts)
    training = [e for e in read_file(args.corpus) if e.split != "test"]
    gold = label_matrix(training, archday_nlp.LABELS)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        texts_file = tmp / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        systems = [("archday-nlp, n_jobs=1", "library", 1), ("archday-nlp, n_jobs=2", "library", 2), (Obvious.name, "obvious", 1)]
        if FastText.available():
            systems.append((FastText.name, "fasttext", 1))
        else:
            print("fastText is not installed (pip install '.[bench]'): left out", file=sys.stderr)

        artifacts, trained = {}, {}
        start = time.perf_counter()
        archday_nlp.train(args.corpus).save(tmp / "library")
        trained["library"], artifacts["library"] = time.perf_counter() - start, tmp / "library"
        for kind, system in (("obvious", Obvious), ("fasttext", FastText)):
            if any(k == kind for _, k, _ in systems):
                start = time.perf_counter()
                artifacts[kind] = system.fit([e.text for e in training], gold, tmp)
                trained[kind] = time.perf_counter() - start

        rows = {}
        for name, kind, jobs in systems:
            print(f"timing {name} ...", file=sys.stderr)
            measured = _run_measure(kind, artifacts[kind], texts_file, jobs, args.repeat)
            rows[name] = {
                "characters_per_s": characters / measured["seconds"],
                "sentences_per_s": n_sentences / measured["seconds"],
                "seconds": measured["seconds"],
                "peak_rss_mb": measured["peak_rss_mb"],
                "cold_start_s": _cold_start(kind, artifacts[kind], args.cold),
                "model_mb": _size(artifacts[kind]) / 2**20,
                "training_s": trained[kind],
            }

    table = _table(rows, Obvious.name)
    text = (
        f"{len(texts):,} distinct two-sentence texts from the corpus: {n_sentences:,} sentences, {characters:,} characters; "
        f"fastest of {args.repeat} runs after a warm-up; cold start: median of {args.cold} new processes "
        f"(import, load, tag one report); training: the corpus's training split, {len(training):,} sentences.\n\n"
        f"{table}\n\nRatios are against the obvious pipeline in the same run; timings on a shared machine vary, ratios less.\n"
    )
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "speed.md").write_text(text, encoding="utf-8")
    (args.results / "speed.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def two_sentence_texts(n: int, corpus: Path = CORPUS, seed: int = 0) -> list[str]:
    """``n`` distinct texts, each two corpus sentences drawn at random."""
    sentences = [s["text"] for line in corpus.read_text(encoding="utf-8").splitlines() for s in json.loads(line)["sentences"]]
    rng = random.Random(seed)
    texts: dict[str, None] = {}
    while len(texts) < n:
        texts[rng.choice(sentences) + rng.choice(sentences)] = None
    return list(texts)


def _run_measure(kind: str, path: Path, texts_file: Path, jobs: int, repeat: int) -> dict:
    command = [sys.executable, __file__, "--measure", kind, str(path), str(texts_file), str(jobs), "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=_environment())
    return json.loads(done.stdout.splitlines()[-1])


def _measure(kind: str, path: str, texts_file: str, jobs: str, repeat: int) -> None:
    """In a fresh process: load, warm up, time ``repeat`` runs, report the fastest and the peak memory
    of this process (VmHWM; worker processes of n_jobs > 1 hold their own)."""
    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    jobs = int(jobs)
    scope = {"path": path, "texts": texts, "jobs": jobs}
    exec(LOAD[kind], scope)
    exec(TAG[kind], scope)  # warm-up: caches filled, worker processes started
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        exec(TAG[kind], scope)
        best = min(best, time.perf_counter() - start)
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    print(json.dumps({"seconds": best, "peak_rss_mb": peak_kb / 1024}))


def _cold_start(kind: str, path: Path, runs: int) -> float:
    report = "6月9日,我馆在广场设立咨询台,发放宣传折页400余份。通过此次活动,增强了群众的档案意识。"
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); path = {str(path)!r}; texts = [{report!r}]; jobs = 1\n"
    code += LOAD[kind] + "\n" + TAG[kind]
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=_environment())
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def _environment() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def _table(rows: dict, reference: str) -> str:
    ref = rows[reference]
    lines = [
        "| system | characters/s | sentences/s | throughput vs obvious | cold start (s) | vs obvious | peak RSS (MB) | vs obvious | model on disk (MB) | training (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['characters_per_s']:,.0f} | {r['sentences_per_s']:,.0f} | {r['characters_per_s'] / ref['characters_per_s']:.2f}x "
            f"| {r['cold_start_s']:.2f} | {r['cold_start_s'] / ref['cold_start_s']:.2f}x | {r['peak_rss_mb']:.0f} "
            f"| {r['peak_rss_mb'] / ref['peak_rss_mb']:.2f}x | {r['model_mb']:.1f} | {r['training_s']:.1f} |"
        )
    one, two = rows.get("archday-nlp, n_jobs=1"), rows.get("archday-nlp, n_jobs=2")
    if one and two:
        lines.append(f"\nn_jobs=2 against n_jobs=1: {two['characters_per_s'] / one['characters_per_s']:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
