"""A plain (non-editable) install carries the shipped model and the corpus, and works outside the checkout."""
import json
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel, and a folder it is installed into (no checkout on the path)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("archday_nlp-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    return wheel, site


def run_installed(site, code, cwd):
    return subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                          capture_output=True, text=True, cwd=cwd)


def test_wheel_ships_the_model_and_classifies_outside_the_checkout(installed, tmp_path):
    wheel, site = installed
    shipped = {p.name: p.read_bytes() for p in (ROOT / "models" / "default").iterdir()}
    with zipfile.ZipFile(wheel) as archive:
        packed = {n.rsplit("/", 1)[1]: archive.read(n) for n in archive.namelist() if n.startswith("archday_nlp/models/default/")}
        corpus = archive.read("archday_nlp/data/corpus.jsonl")
    assert packed == shipped
    assert corpus == (ROOT / "data" / "corpus.jsonl").read_bytes()

    code = "import archday_nlp; print(archday_nlp.DEFAULT_MODEL.parent.parent == __import__('pathlib').Path(archday_nlp.__file__).parent, archday_nlp.classify('群发短信一万余条。').profile.present)"
    done = run_installed(site, code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "True ('sms',)\n"


def test_base_default_and_validate_work_from_the_installed_wheel(installed, tmp_path, with_contest):
    """The trap: after a pip install the corpus was not there to add one's own labels to, and `validate` failed."""
    _, site = installed
    mine = tmp_path / "mine.jsonl"
    mine.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in with_contest if r["labels"] == ["contest"]), encoding="utf-8")
    code = (
        "from archday_nlp._cli import main; from archday_nlp._io import DEFAULT_CORPUS; import archday_nlp; "
        "print(DEFAULT_CORPUS.is_relative_to(__import__('pathlib').Path(archday_nlp.__file__).parent)); "
        "print(archday_nlp.train('mine.jsonl', base='default', folds=2).labels); sys.exit(main(['validate']))"
    )
    done = run_installed(site, code, tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == "True"
    assert "('exhibition', 'leafleting', 'sms', 'open_access', 'training', 'media', 'contest')" in out
    assert "| what | train | test | all |" in out and not any(line.startswith("PROBLEM") for line in out)
