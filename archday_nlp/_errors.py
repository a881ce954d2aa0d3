"""The library's errors: one family under :class:`ArchdayError`."""
from __future__ import annotations

import os


class ArchdayError(Exception):
    """Base class of every error this library raises on purpose."""


class DataError(ArchdayError, ValueError):
    """Training or evaluation data that cannot be used; names the file and line."""

    def __init__(self, message: str, *, path: str | os.PathLike | None = None, line: int | None = None):
        self.path = None if path is None else os.fspath(path)
        self.line = line
        where = self.path or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class ModelFormatError(ArchdayError, ValueError):
    """A model directory that is missing, changed, truncated or too new; names the file."""

    def __init__(self, message: str, *, path: str | os.PathLike):
        self.path = os.fspath(path)
        super().__init__(f"{self.path}: {message}")
