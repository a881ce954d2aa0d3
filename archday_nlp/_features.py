"""Sentence → tokens → TF-IDF rows, computed with numpy and scipy alone.

Training fits scikit-learn's ``TfidfVectorizer`` on the same tokens; this module
repeats its arithmetic (raw counts, optional ``1 + log(tf)``, times idf, rows
scaled to unit length) so that a saved model serves without scikit-learn.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp

_DIGITS = re.compile(r"\d+")
_tokenizer = None
_tokenizer_lock = threading.Lock()


@dataclass(frozen=True)
class FeatureSettings:
    """How a sentence becomes tokens; saved with the model."""

    word_ngrams: tuple[int, int] = (1, 1)
    char_ngrams: tuple[int, int] = (1, 3)
    sublinear_tf: bool = True
    min_df: int = 2

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> FeatureSettings:
        return cls(
            word_ngrams=tuple(data["word_ngrams"]),
            char_ngrams=tuple(data["char_ngrams"]),
            sublinear_tf=bool(data["sublinear_tf"]),
            min_df=int(data["min_df"]),
        )


def normalize(text: str) -> str:
    """Fold full-width forms and case, and write every number as ``0``.

    >>> normalize("发放资料300余份,接待ABC")
    '发放资料0余份,接待abc'
    """
    return _DIGITS.sub("0", unicodedata.normalize("NFKC", text).lower())


def words(text: str) -> list[str]:
    """Cut normalized text into words with a private, quiet jieba tokenizer."""
    return [w for w in _jieba().lcut(text, HMM=False) if not w.isspace()]


def analyze(text: str, settings: FeatureSettings) -> list[str]:
    """The tokens of one sentence: word n-grams (``w:``) and character n-grams (``c:``)."""
    text = normalize(text)
    tokens = _ngrams(words(text), settings.word_ngrams, "w:", " ")
    tokens += _ngrams(list("".join(text.split())), settings.char_ngrams, "c:", "")
    return tokens


def tfidf(
    token_lists: Iterable[Sequence[str]],
    vocabulary: Mapping[str, int],
    idf: np.ndarray,
    sublinear_tf: bool,
) -> sp.csr_matrix:
    """TF-IDF rows for tokenized sentences, as scikit-learn's ``TfidfVectorizer`` computes them."""
    indptr, indices, counts = [0], [], []
    for tokens in token_lists:
        row = Counter(vocabulary[t] for t in tokens if t in vocabulary)
        indices.extend(row.keys())
        counts.extend(row.values())
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(indptr) - 1, len(idf)),
    )
    matrix.sort_indices()
    if sublinear_tf:
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1
    matrix.data *= idf[matrix.indices]
    lengths = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1.0
    matrix.data /= np.repeat(lengths, np.diff(matrix.indptr))
    return matrix


def _ngrams(items: list[str], sizes: tuple[int, int], prefix: str, joiner: str) -> list[str]:
    low, high = sizes
    return [
        prefix + joiner.join(items[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(items) - n + 1)
    ]


def _jieba():
    """jieba's dictionary takes most of a second to load: once, on first use, without logging."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            import jieba

            log = logging.getLogger("jieba")
            level = log.level
            log.setLevel(logging.WARNING)
            try:
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
            finally:
                log.setLevel(level)
            _tokenizer = tokenizer
    return _tokenizer
