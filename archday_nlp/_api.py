"""The front door's functions; heavy modules are imported on first use."""
from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from ._profile import Report

_PACKAGE = Path(__file__).resolve().parent
#: The shipped model: inside the installed package, or ``models/default`` of a source checkout.
DEFAULT_MODEL = next(
    (d for d in (_PACKAGE / "models" / "default", _PACKAGE.parent / "models" / "default") if (d / "manifest.json").is_file()),
    _PACKAGE.parent / "models" / "default",
)
_default = None
_default_lock = threading.Lock()


def classify(text: str) -> Report:
    """Tag each sentence of a report with the activities it reports, on the shipped model.

    Parameters
    ----------
    text : str
        One report. Empty or blank text gives a report with no sentences.

    Returns
    -------
    Report
        ``sentences`` (text, offsets, labels, scores) and ``profile`` (per label:
        count, share, evidence sentence indices, highest score; labels present).

    Raises
    ------
    TypeError
        If ``text`` is not a str.

    Examples
    --------
    >>> import archday_nlp
    >>> report = archday_nlp.classify("6月9日,我馆在广场设立咨询台,发放宣传折页400余份。通过此次活动,增强了群众的档案意识。")
    >>> [s.labels for s in report.sentences]
    [('leafleting',), ()]
    >>> report.profile.present
    ('leafleting',)
    """
    return default_model().classify(text)


def classify_many(texts: Iterable[str], n_jobs: int = 1) -> list[Report]:
    """:func:`classify` for several reports; ``n_jobs`` > 1 (or -1 for every core) uses processes.

    Examples
    --------
    >>> import archday_nlp
    >>> [r.profile.present for r in archday_nlp.classify_many(["县电视台播出档案日专题节目。", "   "])]
    [('media',), ()]
    """
    return default_model().classify_many(texts, n_jobs=n_jobs)


def load_model(directory):
    """Load a model directory written by :meth:`Model.save`, verifying every file.

    Raises
    ------
    ModelFormatError
        If a file is missing, changed or truncated, or was written by a newer format version.

    Examples
    --------
    >>> import archday_nlp
    >>> archday_nlp.load_model(archday_nlp.DEFAULT_MODEL).labels
    ('exhibition', 'leafleting', 'sms', 'open_access', 'training', 'media')
    """
    from ._store import load

    return load(directory)


def default_model():
    """The shipped model, loaded once on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = load_model(DEFAULT_MODEL)
    return _default
