"""The label set of the annotation guideline (shared/ANNOTATION.md), in model order."""

LABELS: tuple[str, ...] = ("exhibition", "leafleting", "sms", "open_access", "training", "media")
