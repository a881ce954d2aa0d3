"""The systems the benchmarks compare this library with, trained on the corpus's training split.

- the obvious pipeline: what a user would write in ten minutes,
  ``TfidfVectorizer(tokenizer=jieba.lcut)`` + one-vs-rest ``LogisticRegression``,
  saved and loaded with joblib, tagging at a 0.5 cut (or at thresholds tuned by
  cross-validation, for the accuracy table);
- fastText supervised, one-vs-all over jieba words with character n-grams
  (``pip install '.[bench]'``).

Each system is a ``fit``/``load``/``tag`` triple so that the speed benchmark can
time its training, its cold start and its throughput the same way.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np

from archday_nlp import LABELS

_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def jieba_words(text: str) -> list[str]:
    """The obvious tokenizer; a module-level function, so that the pipeline pickles."""
    import jieba

    return jieba.lcut(text)


def sentences_of(text: str) -> list[str]:
    """The obvious splitter: after 。！？ and at line breaks."""
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


class Obvious:
    name = "obvious pipeline"

    @staticmethod
    def fit(texts: list[str], gold: np.ndarray, directory: Path) -> Path:
        import joblib
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline

        pipeline = make_pipeline(
            TfidfVectorizer(tokenizer=jieba_words, token_pattern=None),
            OneVsRestClassifier(LogisticRegression(max_iter=1000)),
        ).fit(texts, gold)
        path = directory / "obvious.joblib"
        joblib.dump(pipeline, path)
        return path

    @staticmethod
    def load(path: Path):
        import joblib

        return joblib.load(path)

    @staticmethod
    def probabilities(pipeline, sentences: list[str]) -> np.ndarray:
        return pipeline.predict_proba(sentences)

    @classmethod
    def tag(cls, pipeline, texts: list[str]) -> list[np.ndarray]:
        sentences = [sentences_of(t) for t in texts]
        flat = [s for group in sentences for s in group]
        tags = cls.probabilities(pipeline, flat) >= 0.5 if flat else np.zeros((0, len(LABELS)), bool)
        bounds = np.cumsum([0] + [len(g) for g in sentences])
        return [tags[a:b] for a, b in zip(bounds, bounds[1:])]


class FastText:
    name = "fastText"

    @staticmethod
    def available() -> bool:
        try:
            import fasttext  # noqa: F401
        except ImportError:
            return False
        return True

    @staticmethod
    def line(sentence: str) -> str:
        return " ".join(w for w in jieba_words(sentence.replace("\n", " ")) if w.strip())

    @classmethod
    def fit(cls, texts: list[str], gold: np.ndarray, directory: Path) -> Path:
        import fasttext

        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
            for text, row in zip(texts, gold):
                labels = [f"__label__{label}" for label, on in zip(LABELS, row) if on] or ["__label__none"]
                f.write(" ".join(labels) + " " + cls.line(text) + "\n")
        model = fasttext.train_supervised(
            input=f.name, loss="ova", epoch=25, lr=0.5, wordNgrams=1, minn=1, maxn=3, dim=50, bucket=200_000, thread=1, seed=0, verbose=0
        )
        Path(f.name).unlink()
        path = directory / "fasttext.bin"
        model.save_model(str(path))
        return path

    @staticmethod
    def load(path: Path):
        import fasttext

        return fasttext.load_model(str(path))

    @classmethod
    def probabilities(cls, model, sentences: list[str]) -> np.ndarray:
        column = {f"__label__{label}": j for j, label in enumerate(LABELS)}
        out = np.zeros((len(sentences), len(LABELS)))
        if sentences:
            labels, probabilities = model.predict([cls.line(s) for s in sentences], k=-1, threshold=0.0)
            for i, (names, values) in enumerate(zip(labels, probabilities)):
                for name, p in zip(names, values):
                    if name in column:
                        out[i, column[name]] = p
        return out

    @classmethod
    def tag(cls, model, texts: list[str]) -> list[np.ndarray]:
        sentences = [sentences_of(t) for t in texts]
        flat = [s for group in sentences for s in group]
        tags = cls.probabilities(model, flat) >= 0.5
        bounds = np.cumsum([0] + [len(g) for g in sentences])
        return [tags[a:b] for a, b in zip(bounds, bounds[1:])]
