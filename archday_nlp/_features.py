"""Sentence → normalized text → documents (the sentence and its pieces) → tokens → TF-IDF.

The reference is scikit-learn's ``TfidfVectorizer`` on the tokens of :func:`tokens`;
:class:`Vectorizer` repeats its arithmetic (raw counts, optional ``1 + log(tf)``,
times idf, rows scaled to unit length) with numpy alone, looking character
n-grams and short words up as integer keys in a hash table, all at once instead
of token by token, so that a saved model serves fast and without scikit-learn.
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

_DIGITS = re.compile(r"\d+")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
#: A pinyin gloss printed after a character, as in 學(xué)習(xí): at least one tone mark.
_PINYIN_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])\((?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[1-5]?\)")
#: Pieces are cut after these (full-width forms are folded to them first).
_CLAUSE = re.compile(r"[^,;:]*[,;:]+|[^,;:]+")
_ONE_LINE = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_BITS = 21  # every code point fits in 21 bits, so up to three characters make one 63-bit key
_tools = None
_tools_lock = threading.Lock()


@dataclass(frozen=True)
class FeatureSettings:
    """How a sentence becomes tokens; saved with the model.

    ``piece_size``: a sentence longer than this many characters is also scored
    in clause-sized pieces of at most this size, and each label takes its
    highest score; ``None`` scores whole sentences only.
    """

    word_ngrams: tuple[int, int] = (1, 1)
    char_ngrams: tuple[int, int] = (1, 3)
    sublinear_tf: bool = True
    min_df: int = 2
    piece_size: int | None = 45

    def __post_init__(self):
        if not 1 <= self.char_ngrams[0] <= self.char_ngrams[1] <= 3:
            raise ValueError(f"char_ngrams must lie within (1, 3), got {self.char_ngrams}")
        if self.piece_size is not None and self.piece_size < 1:
            raise ValueError(f"piece_size must be a positive number of characters or None, got {self.piece_size}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> FeatureSettings:
        """Read saved settings; a model saved before pieces existed scores whole sentences."""
        return cls(
            word_ngrams=tuple(data["word_ngrams"]),
            char_ngrams=tuple(data["char_ngrams"]),
            sublinear_tf=bool(data["sublinear_tf"]),
            min_df=int(data["min_df"]),
            piece_size=data.get("piece_size"),
        )


def normalize(text: str) -> str:
    """One form for every way of writing the same sentence.

    Full-width forms are folded (NFKC), letters lowered, traditional characters
    converted to simplified (OpenCC), inline pinyin glosses dropped, and every
    number written ``0``.

    >>> normalize("發放資料３００余份,學(xué)習(xí)ABC")
    '发放资料0余份,学习abc'
    """
    return normalize_many([text])[0]


def normalize_many(texts: Sequence[str]) -> list[str]:
    """:func:`normalize` for many texts at once: one pass over their joined text."""
    joined = "\x00".join(t.replace("\x00", "") for t in texts).translate(_nfkc_table())
    if not unicodedata.is_normalized("NFKC", joined):  # rare: what the table does not cover
        joined = unicodedata.normalize("NFKC", joined)
    joined = joined.lower()
    joined = _PINYIN_GLOSS.sub("", _converter().convert(joined))
    return _DIGITS.sub("0", joined).split("\x00")


@functools.lru_cache(maxsize=1)
def _nfkc_table() -> dict[int, str]:
    """NFKC of the characters reports use that it changes (full-width forms, the ideographic space,
    punctuation such as …, circled numbers, ℃), one by one: translating with it and then applying
    NFKC gives NFKC's result, and the second step is skipped when the text is then normal already."""
    ranges = (range(0x2000, 0x2070), range(0x2100, 0x2150), range(0x2460, 0x2500), range(0x3000, 0x3001),
              range(0x3200, 0x3400), range(0xF900, 0xFB00), range(0xFE30, 0xFE70), range(0xFF00, 0xFFF0))
    table = {}
    for code in (c for r in ranges for c in r):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            table[code] = folded
    return table


def pieces(text: str, size: int | None) -> list[str]:
    """Clause-sized pieces of a normalized sentence longer than ``size``: cut after , ; :
    and packed, in order, into pieces of at most ``size`` characters (a longer
    clause stays whole). A sentence that yields fewer than two pieces gives none.

    >>> pieces("在广场发放资料0余份,接待群众0人次;同时举办图片展,展出照片0幅。", 20)
    ['在广场发放资料0余份,接待群众0人次;', '同时举办图片展,展出照片0幅。']
    """
    if size is None or len(text) <= size:
        return []
    packed: list[str] = []
    for clause in _CLAUSE.findall(text):
        if packed and len(packed[-1]) + len(clause) <= size:
            packed[-1] += clause
        else:
            packed.append(clause)
    return packed if len(packed) > 1 else []


def documents(sentences: Sequence[str], settings: FeatureSettings) -> tuple[list[str], np.ndarray]:
    """The normalized texts to score: each sentence, then its pieces; and the sentence each belongs to."""
    docs: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(normalize_many(sentences) if sentences else []):
        parts = [text, *pieces(text, settings.piece_size)]
        docs.extend(parts)
        owner.extend([i] * len(parts))
    return docs, np.asarray(owner, dtype=np.intp)


def words(text: str) -> list[str]:
    """Cut normalized text into words with a private jieba-rs segmenter (jieba's dictionary, HMM off)."""
    return [w for w in _segmenter().cut(text, False) if not w.isspace()]


def tokens(text: str, settings: FeatureSettings) -> list[str]:
    """The tokens of one normalized document: word n-grams (``w:``) and character n-grams (``c:``)."""
    found = _ngrams(words(text), settings.word_ngrams, "w:", " ")
    found += _ngrams(list(_compact(text)), settings.char_ngrams, "c:", "")
    return found


def analyze(text: str, settings: FeatureSettings) -> list[str]:
    """:func:`tokens` of a raw sentence, normalized first."""
    return tokens(normalize(text), settings)


class Vectorizer:
    """TF-IDF rows for normalized documents, as scikit-learn's ``TfidfVectorizer`` computes them.

    Character n-grams and words of up to three characters become integer keys
    (code points packed 21 bits apart), looked up in :class:`_KeyTable` hash
    tables; longer words in a dictionary.
    """

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, settings: FeatureSettings):
        self.settings = settings
        self.idf = idf
        self.n_features = len(vocabulary)
        self._long_words: dict[str, int] = {}  # words of four characters or more
        word_keys: dict[int, tuple[list[int], list[str]]] = {}
        char_keys: dict[int, tuple[list[int], list[str]]] = {}
        low, high = settings.char_ngrams
        for column, token in enumerate(vocabulary):
            size = len(token) - 2
            if token.startswith("w:"):
                if size > 3 or " " in token:
                    self._long_words[token[2:]] = column
                else:
                    _add(word_keys, size, column, token[2:])
            elif token.startswith("c:") and low <= size <= high:
                _add(char_keys, size, column, token[2:])
        self._words = _KeyTable(word_keys)
        self._chars = _KeyTable(char_keys)

    def transform(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse rows as ``(row, column, value)`` arrays, sorted by row then column."""
        word_rows, word_columns = self._word_hits(docs)
        char_rows, char_columns = self._char_hits(docs)
        rows = np.concatenate([word_rows, char_rows])
        columns = np.concatenate([word_columns, char_columns])
        # Count each (row, column) once: cell numbers fit 32 bits for any batch of a usual model, and sort twice as fast.
        cell_type = np.uint32 if len(docs) * self.n_features < 2**32 else np.int64
        cells, counts = np.unique((rows * self.n_features + columns).astype(cell_type), return_counts=True)
        rows, columns = np.divmod(cells.astype(np.int64), self.n_features)
        values = counts.astype(np.float64)
        if self.settings.sublinear_tf:
            values = np.log(values) + 1.0
        values *= self.idf[columns]
        lengths = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(docs)))
        lengths[lengths == 0] = 1.0
        return rows, columns, values / lengths[rows]

    def _word_hits(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        if self.settings.word_ngrams != (1, 1):
            found = [
                (row, self._column_of_word(gram))
                for row, doc in enumerate(docs)
                for gram in _ngrams(words(doc), self.settings.word_ngrams, "", " ")
            ]
            found = [(row, column) for row, column in found if column >= 0]
            return np.asarray([r for r, _ in found], dtype=np.int64), np.asarray([c for _, c in found], dtype=np.int64)
        # One cut over all documents, a line break between each (jieba never joins words across it);
        # the words tile the text, so their lengths give their offsets, and their code points their keys.
        text = "\n".join(_ONE_LINE.sub(" ", d) for d in docs)
        cut = _segmenter().cut(text, False)
        lengths = np.fromiter(map(len, cut), dtype=np.int64, count=len(cut))
        starts = np.cumsum(lengths) - lengths
        codes = _codes(text)
        columns = np.full(len(cut), -1, dtype=np.int64)
        for n in range(1, 4):
            at = starts[lengths == n]
            columns[lengths == n] = self._words.lookup(_pack([codes[at + m] for m in range(n)]))
        if self._long_words:
            for i in np.flatnonzero(lengths > 3).tolist():
                columns[i] = self._long_words.get(cut[i], -1)
        doc_starts = np.cumsum([0] + [len(d) + 1 for d in docs[:-1]])
        rows = np.searchsorted(doc_starts, starts, side="right") - 1
        found = columns >= 0
        return rows[found], columns[found]

    def _column_of_word(self, word: str) -> int:
        if len(word) > 3 or " " in word:
            return self._long_words.get(word, -1)
        return int(self._words.lookup(_pack(list(_codes(word)[:, None])))[0])

    def _char_hits(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        codes = _codes("\x00".join(map(_compact, docs)))
        row_of = np.cumsum(codes == 0)
        rows, columns = [], []
        low, high = self.settings.char_ngrams
        for n in range(low, high + 1):
            count = len(codes) - n + 1
            if count <= 0:
                continue
            found = self._chars.lookup(_pack([codes[m : m + count] for m in range(n)]))
            # an n-gram that starts on or runs over a separator (code 0) is none
            found[(codes[:count] == 0) | (row_of[n - 1 : n - 1 + count] != row_of[:count])] = -1
            hit = found >= 0
            rows.append(row_of[:count][hit])
            columns.append(found[hit])
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows).astype(np.int64), np.concatenate(columns)


class _KeyTable:
    """Columns of strings of one to three characters, found by their packed keys in an
    open-addressing hash table (multiplicative hashing, linear probing), all queries at once."""

    def __init__(self, by_size: Mapping[int, tuple[list[int], list[str]]]):
        keys, columns = [], []
        for n, (columns_of, strings) in by_size.items():
            # All n-character strings at once: their code points as an (k, n) array, packed into keys.
            keys.append(_pack(list(_codes("".join(strings)).reshape(-1, n).T)))
            columns.append(np.asarray(columns_of, dtype=np.int64))
        keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
        columns = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        self.bits = max(4, int(len(keys) * 3).bit_length())  # at most a third full
        self.keys = np.zeros(1 << self.bits, dtype=np.uint64)  # 0 marks an empty slot: no key is 0
        self.columns = np.full(1 << self.bits, -1, dtype=np.int64)
        self.probes = 0
        slots, pending = self._hash(keys), np.arange(len(keys))
        while len(pending):  # place every key; those that meet a taken slot move one slot on
            self.probes += 1
            order = np.unique(slots, return_index=True)[1]  # one key per slot in this round
            chosen = pending[order]
            free = self.keys[slots[order]] == 0
            self.keys[slots[order][free]] = keys[chosen[free]]
            self.columns[slots[order][free]] = columns[chosen[free]]
            placed = np.zeros(len(pending), dtype=bool)
            placed[order[free]] = True
            pending, slots = pending[~placed], (slots[~placed] + 1) & ((1 << self.bits) - 1)

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - self.bits)).astype(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The column of each key, -1 where the table does not hold it."""
        found = np.full(len(keys), -1, dtype=np.int64)
        slots, waiting = self._hash(keys), np.arange(len(keys))
        for _ in range(self.probes):
            stored = self.keys[slots]
            match = stored == keys[waiting]
            found[waiting[match]] = self.columns[slots[match]]
            going_on = ~match & (stored != 0)
            waiting, slots = waiting[going_on], (slots[going_on] + 1) & ((1 << self.bits) - 1)
            if not len(waiting):
                break
        return found


def _add(by_size: dict, size: int, column: int, string: str) -> None:
    columns_of, strings = by_size.setdefault(size, ([], []))
    columns_of.append(column)
    strings.append(string)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _pack(code_columns: Sequence[np.ndarray]) -> np.ndarray:
    """Keys of strings of one to three characters, given as the arrays of their first, second, …
    code points: the code points packed 21 bits apart."""
    keys = code_columns[0]
    for following in code_columns[1:]:
        keys = (keys << np.uint64(_BITS)) | following
    return keys


def _compact(text: str) -> str:
    return "".join(text.split())


def _ngrams(items: list[str], sizes: tuple[int, int], prefix: str, joiner: str) -> list[str]:
    low, high = sizes
    if (low, high) == (1, 1):
        return [prefix + item for item in items]
    return [
        prefix + joiner.join(items[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(items) - n + 1)
    ]


def _converter():
    return _load()[0]


def _segmenter():
    return _load()[1]


def _load():
    """The OpenCC converter and a private jieba-rs segmenter: built once, on first use."""
    global _tools
    with _tools_lock:
        if _tools is None:
            import opencc
            import rjieba

            _tools = (opencc.OpenCC("t2s"), rjieba.Jieba())
    return _tools
