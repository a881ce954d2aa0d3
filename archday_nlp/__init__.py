"""archday-nlp: which International Archives Day activities a Chinese report says were carried out.

>>> import archday_nlp
>>> archday_nlp.classify("通过移动公司向全县手机用户群发档案日主题短信8000余条。").profile.present
('sms',)
"""
from ._api import DEFAULT_MODEL, classify, classify_many, load_model
from ._errors import ArchdayError, DataError, ModelFormatError
from ._figures import Figure, FigureTotal, extract_figures
from ._labels import LABELS
from ._profile import LabelProfile, Profile, Report, Sentence
from ._segment import ReportSpan, find_reports, split_reports
from ._version import __version__

__all__ = [
    "DEFAULT_MODEL",
    "LABELS",
    "ArchdayError",
    "DataError",
    "Figure",
    "FigureTotal",
    "LabelProfile",
    "Model",
    "ModelFormatError",
    "Profile",
    "Report",
    "ReportSpan",
    "Sentence",
    "classify",
    "classify_many",
    "extract_figures",
    "find_reports",
    "load_model",
    "split_reports",
    "train",
]


def __getattr__(name: str):
    # These need numpy: imported when asked for, so that `import archday_nlp` stays instant.
    if name == "Model":
        from ._model import Model

        return Model
    if name == "train":
        from ._train import train

        return train
    raise AttributeError(f"module 'archday_nlp' has no attribute {name!r}")
