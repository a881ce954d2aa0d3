"""The trained model: TF-IDF weights, one logistic regression per label, thresholds."""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ._features import FeatureSettings, Vectorizer, documents
from ._profile import FrozenMap, Report, build_report
from ._segment import sentence_spans


_BATCH = 4096  # documents vectorized at once, to bound memory


class Model:
    """A sentence tagger: text → per-label probabilities → tags at per-label thresholds.

    Made by :func:`archday_nlp.train` or :func:`archday_nlp.load_model`; needs
    numpy, OpenCC and jieba-rs to classify, not scikit-learn.

    Parameters
    ----------
    labels : sequence of str
        The label names, in the order of the weight rows.
    thresholds : sequence of float
        One decision threshold per label: a sentence carries a label when its
        probability is at least the threshold.
    vocabulary : sequence of str
        The feature tokens, in column order.
    idf, coef, intercept : numpy.ndarray
        Inverse document frequencies (n_features,), weights (n_labels, n_features)
        and intercepts (n_labels,).
    settings : FeatureSettings
        How sentences were tokenized.
    info : mapping
        Training and evaluation facts, saved in the manifest.
    """

    def __init__(
        self,
        *,
        labels: Sequence[str],
        thresholds: Sequence[float],
        vocabulary: Sequence[str],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        settings: FeatureSettings,
        info: Mapping,
    ):
        self.labels = tuple(labels)
        self.thresholds = FrozenMap(dict(zip(self.labels, map(float, thresholds))))
        self.vocabulary = tuple(vocabulary)
        self.idf = idf
        self.coef = coef
        self.intercept = intercept
        self.settings = settings
        self.info = info
        self._vectorizer = Vectorizer(self.vocabulary, idf, settings)
        self._cut = np.array([self.thresholds[label] for label in self.labels])

    def __repr__(self) -> str:
        return f"Model(labels={self.labels!r}, features={len(self.vocabulary)})"

    def scores(self, sentences: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per sentence and one column per label.

        A sentence longer than ``settings.piece_size`` is also scored in
        clause-sized pieces; each label takes its highest score.

        Examples
        --------
        >>> import archday_nlp
        >>> model = archday_nlp.load_model(archday_nlp.DEFAULT_MODEL)
        >>> p = model.scores(["通过移动公司向全县手机用户群发档案日主题短信8000余条。"])
        >>> bool(p[0, model.labels.index("sms")] > 0.5)
        True
        """
        docs, owner = documents(sentences, self.settings)
        probabilities = np.empty((len(docs), len(self.labels)))
        for start in range(0, len(docs), _BATCH):
            batch = docs[start : start + _BATCH]
            rows, columns, values = self._vectorizer.transform(batch)
            for j in range(len(self.labels)):
                logits = np.bincount(rows, weights=values * self.coef[j, columns], minlength=len(batch))
                probabilities[start : start + len(batch), j] = logits + self.intercept[j]
        probabilities = 1.0 / (1.0 + np.exp(-probabilities))
        return best_per_sentence(probabilities, owner, len(sentences))

    def tags(self, scores: np.ndarray) -> np.ndarray:
        """Boolean tags for a score matrix from :meth:`scores`."""
        return scores >= self._cut

    def classify(self, text: str) -> Report:
        """Split ``text`` into sentences and tag each; see :func:`archday_nlp.classify`."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Iterable[str], n_jobs: int = 1) -> list[Report]:
        """Classify several reports; ``n_jobs`` > 1 spreads them over processes.

        Examples
        --------
        >>> import archday_nlp
        >>> model = archday_nlp.load_model(archday_nlp.DEFAULT_MODEL)
        >>> [r.profile.present for r in model.classify_many(["举办老照片展。", ""])]
        [('exhibition',), ()]
        """
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"classify expects str, got {type(text).__name__} (item {i})")
        if n_jobs != 1 and len(texts) > 1:
            from joblib import Parallel, delayed

            chunks = Parallel(n_jobs=n_jobs)(delayed(self._classify_batch)(c) for c in _chunks(texts, n_jobs))
            return [report for chunk in chunks for report in chunk]
        return self._classify_batch(texts)

    def _classify_batch(self, texts: list[str]) -> list[Report]:
        spans = [sentence_spans(t) for t in texts]
        sentences = [t[a:b] for t, s in zip(texts, spans) for a, b in s]
        scores = self.scores(sentences) if sentences else np.zeros((0, len(self.labels)))
        tags = self.tags(scores)
        reports, row = [], 0
        for text, report_spans in zip(texts, spans):
            end = row + len(report_spans)
            reports.append(build_report(text, report_spans, self.labels, scores[row:end], tags[row:end]))
            row = end
        return reports

    def evaluate(self, data, *, format: str | None = None):
        """Score the model on labelled data (any format :func:`archday_nlp.train` reads).

        Returns an :class:`Evaluation` with per-label precision, recall, F1 and
        support, macro and micro averages, and report-level F1 where the data
        groups sentences into reports.
        """
        from ._evaluate import evaluate_examples
        from ._io import read_examples

        return evaluate_examples(self, read_examples(data, format=format))

    def save(self, directory) -> None:
        """Write the model to ``directory`` as plain data (JSON + ``.npz``), atomically."""
        from ._store import save

        save(self, directory)

    def export_joblib(self, path) -> None:
        """Opt-in pickle export for joblib users; :func:`load_model` never reads it.

        A pickle runs code when loaded: share :meth:`save` directories instead.
        """
        import joblib

        joblib.dump(self, path)


def best_per_sentence(probabilities: np.ndarray, owner: np.ndarray, n_sentences: int) -> np.ndarray:
    """Each label's highest probability over a sentence's documents (``owner`` is sorted)."""
    if not n_sentences:
        return np.zeros((0, probabilities.shape[1]))
    return np.maximum.reduceat(probabilities, np.searchsorted(owner, np.arange(n_sentences)), axis=0)


def _chunks(items: list, n_jobs: int) -> list[list]:
    """Split ``items`` into one contiguous chunk per worker (``n_jobs`` < 0: every core)."""
    n = max(1, min(len(items), n_jobs if n_jobs > 0 else os.cpu_count() or 1))
    size = -(-len(items) // n)
    return [items[i : i + size] for i in range(0, len(items), size)]
