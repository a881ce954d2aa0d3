"""Model directories: a JSON manifest and an ``.npz`` of arrays, both plain data.

Saving is atomic: the arrays go to a new file named after their SHA-256, and
the manifest that points at them replaces the old one in a single rename, so a
save that fails half-way leaves the previous model loadable. Loading checks
every file's SHA-256 and the manifest's own checksum before using anything,
and reads arrays with ``allow_pickle=False``: nothing in a model runs code.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from ._errors import ModelFormatError
from ._features import FeatureSettings
from ._model import Model
from ._version import __version__

FORMAT_VERSION = 2  # 2: features.piece_size; a version-1 manifest loads with piece scoring off
MANIFEST = "manifest.json"
_ARRAYS = ("coef", "idf", "intercept")
_WEIGHTS_NAME = re.compile(r"weights-[0-9a-f]{16}\.npz")


def save(model: Model, directory) -> None:
    """Write ``model`` into ``directory`` (created if needed); see the module docstring."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights = _npz_bytes({"coef": model.coef, "idf": model.idf, "intercept": model.intercept})
    digest = hashlib.sha256(weights).hexdigest()
    weights_name = f"weights-{digest[:16]}.npz"
    manifest = {
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "labels": list(model.labels),
        "thresholds": [model.thresholds[label] for label in model.labels],
        "features": model.settings.to_dict(),
        "info": model.info,
        "files": {weights_name: digest},
        "vocabulary": list(model.vocabulary),
    }
    manifest["checksum"] = _checksum(manifest)
    _write_atomically(directory / weights_name, weights)
    _write_atomically(directory / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode())
    for stale in directory.glob("weights-*.npz"):
        if stale.name != weights_name:
            stale.unlink()


def load(directory) -> Model:
    """Read and verify a model directory written by :func:`save`."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not directory.is_dir():
        raise ModelFormatError("no such model directory", path=directory)
    try:
        manifest = json.loads(manifest_path.read_bytes())
    except FileNotFoundError:
        raise ModelFormatError("missing: not a model directory, or a save never finished", path=manifest_path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelFormatError(f"not valid JSON, truncated or changed ({e})", path=manifest_path) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format_version"), int):
        raise ModelFormatError("not an archday-nlp model manifest (no format_version)", path=manifest_path)
    if manifest["format_version"] > FORMAT_VERSION:
        raise ModelFormatError(
            f"model format version {manifest['format_version']} needs a newer archday-nlp; "
            f"archday-nlp {__version__} reads format version {FORMAT_VERSION}",
            path=manifest_path,
        )
    if manifest.get("checksum") != _checksum({k: v for k, v in manifest.items() if k != "checksum"}):
        raise ModelFormatError("changed after it was saved (checksum mismatch)", path=manifest_path)
    arrays = _read_weights(directory, manifest.get("files"))
    try:
        model = Model(
            labels=manifest["labels"],
            thresholds=manifest["thresholds"],
            vocabulary=manifest["vocabulary"],
            settings=FeatureSettings.from_dict(manifest["features"]),
            info=manifest["info"],
            **arrays,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ModelFormatError(f"incomplete manifest ({e!r})", path=manifest_path) from None
    n_labels, n_features = len(model.labels), len(model.vocabulary)
    if (
        model.coef.shape != (n_labels, n_features)
        or model.idf.shape != (n_features,)
        or model.intercept.shape != (n_labels,)
        or len(manifest["thresholds"]) != n_labels
    ):
        raise ModelFormatError("arrays do not match the manifest's labels and vocabulary", path=directory)
    return model


def _read_weights(directory: Path, files) -> dict[str, np.ndarray]:
    if not isinstance(files, dict) or len(files) != 1:
        raise ModelFormatError("manifest must list exactly one weights file", path=directory / MANIFEST)
    (name, digest), = files.items()
    path = directory / name
    if not _WEIGHTS_NAME.fullmatch(name):
        raise ModelFormatError(f"unexpected file name {name!r} in manifest", path=directory / MANIFEST)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ModelFormatError("missing", path=path) from None
    if hashlib.sha256(content).hexdigest() != digest:
        raise ModelFormatError("changed or truncated (SHA-256 differs from the manifest)", path=path)
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in _ARRAYS}
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as e:
        raise ModelFormatError(f"unreadable arrays ({e})", path=path) from None
    if any(a.dtype != np.float64 for a in arrays.values()):
        raise ModelFormatError("arrays must be float64", path=path)
    return arrays


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` with fixed timestamps and no compression, so the same arrays give the same
    bytes whatever the clock or the zlib version."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            array = io.BytesIO()
            np.lib.format.write_array(array, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            archive.writestr(info, array.getvalue())
    return buffer.getvalue()


def _checksum(manifest: dict) -> str:
    canonical = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over ``path``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o644)  # mkstemp makes 0600 files; a model is meant to be shared
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
