import hashlib
import io
import json
import shutil

import numpy as np
import pytest

import archday_nlp
from archday_nlp import ModelFormatError, load_model
from archday_nlp._store import FORMAT_VERSION, MANIFEST, _checksum, _npz_bytes


@pytest.fixture(scope="module")
def model(small_rows):
    return archday_nlp.train(small_rows, seed=3)


@pytest.fixture
def saved(model, tmp_path):
    model.save(tmp_path / "m")
    return tmp_path / "m"


def weights_file(directory):
    (path,) = directory.glob("weights-*.npz")
    return path


def rewrite_manifest(directory, change):
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    change(manifest)
    manifest.pop("checksum")
    manifest["checksum"] = _checksum(manifest)
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_round_trip_gives_the_same_model(model, saved, corpus_sentences):
    loaded = load_model(saved)
    assert loaded.labels == model.labels
    assert dict(loaded.thresholds) == dict(model.thresholds)
    assert loaded.info == json.loads(json.dumps(model.info))
    texts = [s["text"] for s in corpus_sentences[:300]]
    assert np.array_equal(loaded.scores(texts), model.scores(texts))


def test_directory_holds_plain_data_only(saved):
    assert sorted(p.name for p in saved.iterdir()) == [MANIFEST, weights_file(saved).name]
    manifest = json.loads((saved / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["library_version"] == archday_nlp.__version__
    assert set(manifest) >= {"labels", "thresholds", "features", "vocabulary", "files", "checksum", "info"}
    assert set(manifest["info"]["training"]) >= {"data_sha256", "seed"}
    assert manifest["files"] == {weights_file(saved).name: hashlib.sha256(weights_file(saved).read_bytes()).hexdigest()}
    with np.load(weights_file(saved), allow_pickle=False) as npz:
        assert sorted(npz.files) == ["coef", "idf", "intercept"]


def test_changed_weights_are_refused(saved):
    path = weights_file(saved)
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 1
    path.write_bytes(bytes(content))
    with pytest.raises(ModelFormatError, match=rf"{path.name}: changed or truncated"):
        load_model(saved)


def test_truncated_weights_are_refused(saved):
    path = weights_file(saved)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelFormatError, match=rf"{path.name}: changed or truncated") as caught:
        load_model(saved)
    assert caught.value.path == str(path)


def test_missing_files_are_named(saved):
    path = weights_file(saved)
    path.unlink()
    with pytest.raises(ModelFormatError, match=rf"{path.name}: missing"):
        load_model(saved)
    (saved / MANIFEST).unlink()
    with pytest.raises(ModelFormatError, match=rf"{MANIFEST}: missing"):
        load_model(saved)
    with pytest.raises(ModelFormatError, match="no such model directory"):
        load_model(saved / "nowhere")


def test_changed_manifest_is_refused(saved):
    path = saved / MANIFEST
    path.write_text(path.read_text(encoding="utf-8").replace('"thresholds": [\n  0.', '"thresholds": [\n  0.0', 1), encoding="utf-8")
    with pytest.raises(ModelFormatError, match=rf"{MANIFEST}: changed after it was saved"):
        load_model(saved)


def test_truncated_manifest_is_refused(saved):
    path = saved / MANIFEST
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(ModelFormatError, match=rf"{MANIFEST}: not valid JSON"):
        load_model(saved)


def test_newer_format_says_which_version_it_needs(saved):
    rewrite_manifest(saved, lambda m: m.update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(ModelFormatError, match=f"model format version {FORMAT_VERSION + 1} needs a newer archday-nlp; "
                       f"archday-nlp {archday_nlp.__version__} reads format version {FORMAT_VERSION}"):
        load_model(saved)


def test_a_version_1_model_loads_with_piece_scoring_off(model, saved):
    def as_version_1(manifest):
        manifest["format_version"] = 1
        del manifest["features"]["piece_size"]

    rewrite_manifest(saved, as_version_1)
    old = load_model(saved)
    assert old.settings.piece_size is None and model.settings.piece_size == 45
    long_sentence = "活动期间，我馆在人民广场设立咨询台，向过往市民发放档案法宣传折页四百余份，同时在馆内阅览室免费开放，接待查档群众六十五人次。"
    whole = model.scores([long_sentence.replace("，", "")])  # no clause marks: one piece, the sentence itself
    assert np.allclose(old.scores([long_sentence.replace("，", "")]), whole)
    assert (model.scores([long_sentence]) >= old.scores([long_sentence]) - 1e-12).all()


def test_pickled_arrays_are_never_loaded(saved):
    """A consistent directory whose arrays hold Python objects still runs no code."""
    buffer = io.BytesIO()
    np.savez(buffer, coef=np.array([object()], dtype=object), idf=np.zeros(1), intercept=np.zeros(1))
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    name = f"weights-{digest[:16]}.npz"
    (saved / name).write_bytes(content)
    rewrite_manifest(saved, lambda m: m.update(files={name: digest}))
    with pytest.raises(ModelFormatError, match=rf"{name}: unreadable arrays \(Object arrays cannot be loaded when allow_pickle=False"):
        load_model(saved)


def test_file_names_outside_the_directory_are_refused(saved):
    rewrite_manifest(saved, lambda m: m.update(files={"../../etc/passwd": "0" * 64}))
    with pytest.raises(ModelFormatError, match="unexpected file name '../../etc/passwd'"):
        load_model(saved)


def test_a_save_broken_half_way_leaves_the_previous_model(model, saved, monkeypatch, small_rows):
    before = {p.name: p.read_bytes() for p in saved.iterdir()}
    other = archday_nlp.train(small_rows[: len(small_rows) // 2], seed=1)
    real_write = archday_nlp._store._write_atomically

    def fail_on_manifest(path, content):
        if path.name == MANIFEST:
            raise OSError("disk full")
        real_write(path, content)

    monkeypatch.setattr(archday_nlp._store, "_write_atomically", fail_on_manifest)
    with pytest.raises(OSError, match="disk full"):
        other.save(saved)
    monkeypatch.undo()
    assert load_model(saved).thresholds == model.thresholds
    assert {name: (saved / name).read_bytes() for name in before} == before
    other.save(saved)
    assert load_model(saved).vocabulary == other.vocabulary
    assert len(list(saved.glob("weights-*.npz"))) == 1


def test_same_data_and_seed_give_byte_identical_files(small_rows, saved, tmp_path):
    archday_nlp.train(small_rows, seed=3).save(tmp_path / "again")
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == {p.name: p.read_bytes() for p in saved.iterdir()}


def test_npz_bytes_do_not_depend_on_the_clock(monkeypatch):
    arrays = {"a": np.arange(3.0)}
    first = _npz_bytes(arrays)
    monkeypatch.setattr("time.time", lambda: 4e9)
    assert _npz_bytes(arrays) == first


def test_joblib_export_is_opt_in_and_separate(model, tmp_path):
    import joblib

    model.export_joblib(tmp_path / "model.joblib")
    assert joblib.load(tmp_path / "model.joblib").labels == model.labels
    shutil.copy(tmp_path / "model.joblib", tmp_path / "m.joblib")
    with pytest.raises(ModelFormatError, match="no such model directory"):
        load_model(tmp_path / "m.joblib")


def test_a_manifest_without_files_is_refused(saved):
    rewrite_manifest(saved, lambda m: m.pop("files"))
    with pytest.raises(ModelFormatError, match=rf"{MANIFEST}: manifest must list exactly one weights file"):
        load_model(saved)
