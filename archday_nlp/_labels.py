"""The label set of the annotation guideline (shared/ANNOTATION.md), in model order."""

LABELS: tuple[str, ...] = ("exhibition", "leafleting", "sms", "open_access", "training", "media")

#: A Chinese name per label, for people reading the output; the identifiers stay English.
DISPLAY_NAMES: dict[str, str] = {
    "exhibition": "展览",
    "leafleting": "发放资料",
    "sms": "短信",
    "open_access": "开放",
    "training": "培训",
    "media": "媒体",
}
