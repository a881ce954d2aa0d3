"""Fit the model with scikit-learn, tune a threshold per label, and keep plain arrays."""
from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from ._errors import DataError
from ._evaluate import evaluate_examples, report_groups, score_predictions, score_tags
from ._features import FeatureSettings, analyze, documents, tokens
from ._io import DEFAULT_CORPUS, Example, label_matrix, read_examples
from ._labels import LABELS
from ._model import Model, best_per_sentence
from ._version import __version__

SOLVER = "liblinear"
#: liblinear's dual coordinate descent: on this data it reaches the optimum to about 4e-3 in the
#: weights (of up to 27) many times faster than the primal Newton solver, and its
#: result does not depend on BLAS.
DUAL = True
TOLERANCE = 1e-2
_CONSTANT = 50.0  # the intercept of a label that a fold's data holds on no row (or on every row)
#: Candidate decision thresholds tried for each label.
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)


def train(
    data,
    *,
    labels: Sequence[str] | None = None,
    seed: int = 0,
    format: str | None = None,
    encoding: str | None = None,
    min_examples: int = 5,
    folds: int = 5,
    C: float = 100.0,
    settings: FeatureSettings | None = None,
    base: str | os.PathLike | Sequence | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Model:
    """Train a model on labelled sentences.

    Sentences of the corpus's ``"test"`` split are held out: the model is scored on
    them and the figures kept in its manifest. Thresholds are tuned per label on
    predictions cross-validated by report (by sentence text for data without reports).

    Parameters
    ----------
    data : path, sequence of paths, or sequence of ``{"text", "labels"}`` mappings
        In any format of :data:`archday_nlp._io.FORMATS`; detected unless ``format`` names one.
        Files are decoded with ``encoding`` (``"gbk"``, ``"utf-16"``, …) when given, else as detected.
    labels : sequence of str, optional
        The label set and its order. Default: the labels found in the data, the
        guideline's six first. A label in the data outside this set is an error.
        Without ``base``, data that lacks some of the guideline's six labels
        gives a model without them, with a warning that names them.
    seed : int
        Seeds the cross-validation folds and the solver; the same data and seed
        give the same model, byte for byte once saved.
    min_examples : int
        A label on fewer training sentences is an error that names it (a typo
        such as ``medai`` shows up this way).
    folds : int
        Cross-validation folds for the thresholds.
    C : float
        Inverse regularisation strength of the logistic regressions.
    settings : FeatureSettings, optional
        Tokenization: word and character n-gram sizes, sublinear tf, minimum document frequency.
    base : ``"default"``, path, or data, optional
        Labelled data to train on before ``data``: ``"default"`` is the
        project's corpus, shipped inside the package, so that a user's
        sentences and new labels join the guideline's six. Its ``test`` split
        is held out and scored.
    progress : callable, optional
        Called as ``progress(done, total, message)`` as training advances:
        tokenizing, fitting the models (one per cross-validation fold and the
        final one, side by side) as each finishes, scoring the held-out split,
        and once at the end with ``done == total``; the command line draws it
        as a progress line.

    Returns
    -------
    Model

    Warns
    -----
    UserWarning
        When, without ``base`` or ``labels``, the data lacks some of the guideline's labels.

    Examples
    --------
    >>> import archday_nlp
    >>> rows = [{"text": t, "labels": ["sms"]} for t in ("群发短信一千余条。", "发送手机短信八百条。", "通过短信平台发送信息。")]
    >>> rows += [{"text": t, "labels": []} for t in ("成立领导小组。", "召开部署会议。", "印发实施方案。")]
    >>> model = archday_nlp.train(rows, labels=["sms"], min_examples=3, folds=3)
    >>> model.labels
    ('sms',)
    >>> model.classify("向居民群发短信。").profile.present
    ('sms',)
    """
    import sklearn.linear_model  # noqa: F401  (loads BLAS now, so that the thread limit below reaches it)
    from threadpoolctl import threadpool_limits

    settings = settings or FeatureSettings()
    examples = read_examples(data, format=format, encoding=encoding)
    if base is not None:
        examples = read_examples(DEFAULT_CORPUS if _is_default(base) else base) + examples
    training = [e for e in examples if e.split != "test"]
    held_out = [e for e in examples if e.split == "test"]
    if not training:
        raise DataError("no training sentences: every sentence is in the test split")
    labels_from_data = labels is None
    labels = _label_set(training, held_out, labels, min_examples)
    if labels_from_data and base is None:
        _warn_missing_guideline_labels(labels)
    texts = [e.text for e in training]
    gold = label_matrix(training, labels)
    groups = [e.group for e in training]
    n_folds = _fold_count(groups, folds)
    steps = Steps(progress, 1 + (n_folds + 1) + bool(held_out))  # tokenizing, each fit (the folds, the final one), scoring

    steps.report(0, f"tokenizing {len(texts)} sentences")
    warming = _start_workers()
    token_lists = [analyze(t, settings) for t in texts]
    warming.join()
    # One BLAS thread: the same bits whatever the core count, and no threads idling in liblinear's calls.
    with threadpool_limits(limits=1):
        out_of_fold, weights = _fit_with_cross_validation(texts, token_lists, gold, groups, labels, settings, C, seed, n_folds, steps)
    thresholds = [_best_threshold(gold[:, j], out_of_fold[:, j]) for j in range(len(labels))]
    cv = score_tags(labels, gold, out_of_fold >= np.array(thresholds), report_groups(training), split="train")
    model = Model(labels=labels, thresholds=thresholds, settings=settings, info={}, **weights)
    training_info = {
        "data_sha256": data_hash(examples),
        "sentences": len(training),
        "held_out_sentences": len(held_out),
        "label_counts": {label: int(gold[:, j].sum()) for j, label in enumerate(labels)},
        "seed": seed,
        "C": C,
        "folds": folds,
        "solver": SOLVER,
        "dual": DUAL,
        "tolerance": TOLERANCE,
    }
    if base is not None:
        training_info["base"] = "default" if _is_default(base) else (os.fspath(base) if isinstance(base, (str, os.PathLike)) else "data")
    if held_out:
        steps.report(steps.total - 1, f"scoring the {len(held_out)} held-out sentences")
    model.info = {
        "library_version": __version__,
        "training": training_info,
        "evaluation": {
            "cross_validation": cv.to_dict(),
            "test": evaluate_examples(model, held_out, split="test").to_dict() if held_out else None,
        },
    }
    steps.report(steps.total, "done")
    return model


class Steps:
    """A ``progress(done, total, message)`` callback, or none."""

    def __init__(self, callback: Callable[[int, int, str], None] | None, total: int):
        self.callback = callback
        self.total = total

    def report(self, done: int, message: str) -> None:
        if self.callback is not None:
            self.callback(done, self.total, message)


def fit_pipeline(tokens: Sequence[list[str]], gold: np.ndarray, settings: FeatureSettings, C: float, seed: int):
    """The reference: the scikit-learn pipeline that training reproduces and a :class:`Model` serves,
    TF-IDF then one-vs-rest logistic regression. Tests hold :func:`train` and :class:`Model` to it."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    analyzer=_given_tokens,
                    min_df=settings.min_df,
                    sublinear_tf=settings.sublinear_tf,
                    dtype=np.float64,
                ),
            ),
            ("clf", OneVsRestClassifier(_estimator(C, seed))),
        ]
    ).fit(tokens, gold if gold.shape[1] > 1 else gold.ravel())


def label_probabilities(pipeline, token_lists: Sequence[list[str]]) -> np.ndarray:
    """The pipeline's probabilities, one column per label (one label is fitted as a binary problem)."""
    probabilities = pipeline.predict_proba(token_lists)
    return probabilities[:, 1:] if len(pipeline.named_steps["clf"].estimators_) == 1 else probabilities


def pipeline_scores(pipeline, sentences: Sequence[str], settings: FeatureSettings) -> np.ndarray:
    """What :meth:`Model.scores` computes, on the scikit-learn pipeline: the reference path."""
    docs, owner = documents(sentences, settings)
    return best_per_sentence(label_probabilities(pipeline, [tokens(d, settings) for d in docs]), owner, len(sentences))


def from_pipeline(pipeline, labels: Sequence[str], thresholds: Sequence[float], settings: FeatureSettings, info) -> Model:
    """Copy a fitted pipeline's arrays into a :class:`Model`."""
    vectorizer = pipeline.named_steps["tfidf"]
    estimators = pipeline.named_steps["clf"].estimators_
    return Model(
        labels=labels,
        thresholds=thresholds,
        vocabulary=vectorizer.get_feature_names_out().tolist(),
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        coef=np.vstack([e.coef_ for e in estimators]).astype(np.float64),
        intercept=np.concatenate([e.intercept_ for e in estimators]).astype(np.float64),
        settings=settings,
        info=info,
    )


def data_hash(examples: Sequence[Example]) -> str:
    """SHA-256 of the sentences, labels and splits, independent of file layout."""
    rows = [[e.text, list(e.labels), e.report, e.split] for e in examples]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def _given_tokens(tokens: list[str]) -> list[str]:
    """The vectorizer's analyzer: sentences arrive already tokenized."""
    return tokens


def _is_default(base) -> bool:
    return isinstance(base, str) and base == "default"


def _warn_missing_guideline_labels(labels: Sequence[str]) -> None:
    missing = [label for label in LABELS if label not in labels]
    if missing:
        warnings.warn(
            f"the data has no sentence labelled {', '.join(missing)}: the model will not tag "
            f"{'it' if len(missing) == 1 else 'them'}. To keep the guideline's labels, train on the shipped "
            "corpus plus your data (base='default', or --base default on the command line)",
            stacklevel=3,
        )


def _label_set(training: list[Example], held_out: list[Example], labels, min_examples: int) -> tuple[str, ...]:
    counts = Counter(label for e in training for label in e.labels)
    first_seen = {}
    for e in training + held_out:
        for label in e.labels:
            first_seen.setdefault(label, e.source)
    if labels is None:
        labels = [label for label in LABELS if label in counts]
        labels += [label for label in first_seen if label not in labels]
    else:
        labels = list(dict.fromkeys(labels))
        unknown = [label for label in first_seen if label not in labels]
        if unknown:
            raise DataError(f"label {unknown[0]!r} (first at {first_seen[unknown[0]]}) is not in labels={labels}")
    if not labels:
        raise DataError("the data has no labels: every sentence is untagged")
    for label in labels:
        if counts[label] < min_examples:
            where = f" (first at {first_seen[label]})" if label in first_seen else ""
            raise DataError(
                f"label {label!r} is on {counts[label]} training sentence(s){where}; "
                f"at least {min_examples} needed (a typo? else lower min_examples / --min-examples)"
            )
        if counts[label] == len(training):
            raise DataError(f"label {label!r} is on every training sentence: nothing to tell it from")
    return tuple(labels)


def _fold_count(groups: list[str], folds: int) -> int:
    n_groups = len(set(groups))
    if n_groups < 2:
        raise DataError("cross-validation needs at least two reports or sentences")
    return min(folds, n_groups)


def _fit_with_cross_validation(texts, token_lists, gold, groups, labels, settings, C, seed, folds, steps: Steps) -> tuple[np.ndarray, dict]:
    """Out-of-fold probabilities, scored as :meth:`Model.scores` scores them with folds grouped by
    report, and the weights fitted on everything (see :func:`_fit`)."""
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold

    counts, vocabulary = _count_tokens(token_lists)
    splits = list(GroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(texts, groups=groups))
    rows = [np.arange(len(texts))] + [fit_rows for fit_rows, _ in splits]
    steps.report(1, f"fitting {len(rows)} models: {folds} cross-validation folds and the final one")
    # The folds and the final fit in processes (one per core): each fit is sequential and seeded, so
    # the result is the same however many run at once. A fold scores its held-out sentences where it
    # was fitted and sends back only their scores; they come back as they finish, for the progress line.
    held_out = [None] + [[texts[i] for i in val_rows] for _, val_rows in splits]
    fitted = [None] * len(rows)
    finished = Parallel(n_jobs=_cores(), return_as="generator_unordered")(
        delayed(_fit_and_score)(i, counts[r], vocabulary, gold[r], labels, settings, C, seed, held_out[i])
        for i, r in enumerate(rows)
    )
    for k, (i, result) in enumerate(finished, 1):
        fitted[i] = result
        if k < len(rows):
            steps.report(1 + k, f"fitted {k} of {len(rows)} models")
    out_of_fold = np.zeros(gold.shape, dtype=np.float64)
    for scores, (_, val_rows) in zip(fitted[1:], splits):
        out_of_fold[val_rows] = scores
    return out_of_fold, fitted[0]


def _start_workers():
    """Start the worker processes of the fits (and their imports) in the background, while the
    sentences are tokenized: the fits' Parallel call then finds them ready."""
    import threading

    from joblib import Parallel, delayed

    thread = threading.Thread(target=lambda: Parallel(n_jobs=_cores())(delayed(_warm_up)() for _ in range(_cores())))
    thread.start()
    return thread


def _warm_up() -> None:
    import sklearn.linear_model  # noqa: F401

    from ._features import _load

    _load()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _count_tokens(token_lists):
    """Token counts, one row per sentence, and the tokens in column order (sorted, as scikit-learn sorts them)."""
    import scipy.sparse as sp

    index: dict[str, int] = {}
    found = np.fromiter(
        (index.setdefault(token, len(index)) for tokens in token_lists for token in tokens),
        dtype=np.int64,
    )
    vocabulary = np.array(sorted(index), dtype=object)
    rank = np.empty(len(index), dtype=np.int64)
    rank[np.fromiter((index[t] for t in vocabulary), dtype=np.int64, count=len(index))] = np.arange(len(index))
    rows = np.repeat(np.arange(len(token_lists)), [len(tokens) for tokens in token_lists])
    counts = sp.csr_matrix((np.ones(len(found)), (rows, rank[found])), shape=(len(token_lists), len(index)))
    counts.sum_duplicates()
    return counts, vocabulary


def _fit_and_score(i: int, counts, vocabulary, gold, labels, settings, C, seed, held_out: list[str] | None):
    """The ``i``-th fit: its weights, or, for a fold, its scores of the sentences it held out."""
    weights = _fit(counts, vocabulary, gold, settings, C, seed)
    if held_out is None:
        return i, weights
    return i, Model(labels=labels, thresholds=[0.5] * len(labels), settings=settings, info={}, **weights).scores(held_out)


def _fit(counts, vocabulary, gold: np.ndarray, settings: FeatureSettings, C: float, seed: int) -> dict:
    """TF-IDF as ``TfidfVectorizer(min_df, sublinear_tf)`` computes it on these rows, then one
    logistic regression per label: :func:`fit_pipeline`'s weights, without counting tokens again.
    Returns the :class:`Model` arguments ``vocabulary``, ``idf``, ``coef`` and ``intercept``."""
    from sklearn.preprocessing import normalize

    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(df >= settings.min_df)
    idf = np.log((1 + n_docs) / (1 + df[keep])) + 1.0
    features = counts[:, keep].tocsr()
    if settings.sublinear_tf:
        np.log(features.data, out=features.data)
        features.data += 1.0
    features = normalize(features.multiply(idf).tocsr(), norm="l2", copy=False)
    coef = np.zeros((gold.shape[1], len(keep)))
    intercept = np.zeros(gold.shape[1])
    for j in range(gold.shape[1]):
        y = gold[:, j]
        if y.all() or not y.any():
            # A label missing from (or on every row of) a fold: predict the constant, as OneVsRestClassifier does.
            intercept[j] = _CONSTANT if y.all() else -_CONSTANT
            continue
        estimator = _estimator(C, seed).fit(features, y)
        coef[j], intercept[j] = estimator.coef_[0], estimator.intercept_[0]
    return {"vocabulary": vocabulary[keep].tolist(), "idf": idf, "coef": coef, "intercept": intercept}


def _estimator(C: float, seed: int):
    """The logistic regression of one label, in training and in the reference pipeline alike."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver=SOLVER, dual=DUAL, tol=TOLERANCE, max_iter=5000, random_state=seed)


def _best_threshold(gold: np.ndarray, probabilities: np.ndarray) -> float:
    """The threshold with the best F1; among ties, the middle one."""
    f1 = np.array([score_predictions(gold, probabilities >= t).f1 for t in THRESHOLDS])
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(THRESHOLDS[best[len(best) // 2]])
