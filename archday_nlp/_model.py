"""The trained model: TF-IDF weights, one logistic regression per label, thresholds."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ._features import FeatureSettings, Vectorizer, documents
from ._profile import FrozenMap, Report
from ._segment import sentence_spans


_BATCH = 1024  # documents vectorized at once: bounds the memory of the (features × labels) gather


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
        self._weights = np.ascontiguousarray(coef.T)  # features x labels, for gathering rows
        self._fingerprint = None
        self._state = None  # pickled on the first trip to another process
        self._cut = np.array([self.thresholds[label] for label in self.labels])

    def __repr__(self) -> str:
        return f"Model(labels={self.labels!r}, features={len(self.vocabulary)})"

    def __reduce__(self):
        # A worker process that already holds this model reuses it: it is sent as its fingerprint and
        # its state pickled once (bytes, copied as they are), and unpickled only where it is new.
        if self._state is None:
            state = {
                "labels": self.labels,
                "thresholds": [self.thresholds[label] for label in self.labels],
                "vocabulary": self.vocabulary,
                "idf": self.idf,
                "coef": self.coef,
                "intercept": self.intercept,
                "settings": self.settings,
                "info": self.info,
            }
            self._state = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        return (_received_model, (self.fingerprint, self._state))

    @property
    def fingerprint(self) -> str:
        """SHA-256 of everything that decides the model's answers."""
        if self._fingerprint is None:
            digest = hashlib.sha256()
            for array in (self.coef, self.intercept, self.idf):
                digest.update(np.ascontiguousarray(array).tobytes())
            described = [self.labels, [self.thresholds[label] for label in self.labels], self.settings.to_dict(), self.vocabulary]
            digest.update(json.dumps(described, ensure_ascii=False).encode())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

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
        if not len(sentences):
            return np.zeros((0, len(self.labels)))
        docs, owner = documents(sentences, self.settings)
        probabilities = np.empty((len(docs), len(self.labels)))
        for start in range(0, len(docs), _BATCH):
            batch = docs[start : start + _BATCH]
            rows, columns, values = self._vectorizer.transform(batch)
            logits = np.zeros((len(batch), len(self.labels)))
            if len(rows):
                # rows are sorted: sum each row's run of features, for every label at once
                first = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
                logits[rows[first]] = np.add.reduceat(self._weights[columns] * values[:, None], first, axis=0)
            probabilities[start : start + len(batch)] = logits + self.intercept
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
        if isinstance(texts, str):
            raise TypeError("classify_many expects an iterable of str, got one str; use classify for a single text")
        texts = list(texts)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"classify expects str, got {type(text).__name__} (item {i})")
        if n_jobs != 1 and len(texts) > 1:
            from joblib import Parallel, delayed

            # Workers send back arrays, not reports: the texts are here already.
            parts = Parallel(n_jobs=n_jobs)(delayed(self._score_texts)(chunk) for chunk in _chunks(texts, n_jobs))
        else:
            parts = [self._score_texts(texts)]
        reports: list[Report] = []
        for spans, counts, scores, tags in parts:
            row = 0
            for count in counts.tolist():
                end = row + count
                reports.append(Report(texts[len(reports)], spans[row:end], self.labels, scores[row:end], tags[row:end]))
                row = end
        return reports

    def _score_texts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sentence offsets (n, 2), sentences per text, scores and tags of ``texts``."""
        per_text = [sentence_spans(t) for t in texts]
        sentences = [t[a:b] for t, spans in zip(texts, per_text) for a, b in spans]
        spans = np.array([span for spans in per_text for span in spans], dtype=np.int64).reshape(-1, 2)
        scores = self.scores(sentences)
        return spans, np.array([len(s) for s in per_text], dtype=np.int64), scores, self.tags(scores)

    def evaluate(self, data, *, format: str | None = None, encoding: str | None = None, split: str | None = None):
        """Score the model on labelled data (any format :func:`archday_nlp.train` reads).

        Corpus-format data is scored on its ``"test"`` split unless ``split`` says
        ``"train"`` or ``"all"``; other data is scored whole. Returns an
        :class:`Evaluation` with per-label precision, recall, F1 and support,
        macro and micro averages (over the labels with support), and
        report-level F1 where the data groups sentences into reports.
        """
        from ._evaluate import evaluate_data

        return evaluate_data(self, data, format=format, encoding=encoding, split=split)

    def explain(self, sentence: str, top: int | None = 5):
        """Per label, the features that raised and lowered the score of ``sentence``,
        and the piece of it that scored highest; see :func:`archday_nlp._explain.explain`."""
        from ._explain import explain

        return explain(self, sentence, top=top)

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


_RECEIVED: dict[str, Model] = {}


def _received_model(fingerprint: str, state: bytes) -> Model:
    """Unpickle a model, reusing the copy this process already built from the same fingerprint."""
    model = _RECEIVED.get(fingerprint)
    if model is None:
        if len(_RECEIVED) >= 4:
            _RECEIVED.pop(next(iter(_RECEIVED)))
        model = _RECEIVED[fingerprint] = Model(**pickle.loads(state))
        model._fingerprint = fingerprint
    return model


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
