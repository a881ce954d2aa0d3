"""A plain (non-editable) install carries the shipped model and classifies with it."""
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_ships_the_model_and_classifies_outside_the_checkout(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("archday_nlp-*.whl")
    shipped = {p.name: p.read_bytes() for p in (ROOT / "models" / "default").iterdir()}
    with zipfile.ZipFile(wheel) as archive:
        packed = {n.rsplit("/", 1)[1]: archive.read(n) for n in archive.namelist() if n.startswith("archday_nlp/models/default/")}
    assert packed == shipped

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    code = "import archday_nlp; print(archday_nlp.DEFAULT_MODEL.parent.parent == __import__('pathlib').Path(archday_nlp.__file__).parent, archday_nlp.classify('群发短信一万余条。').profile.present)"
    done = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                          capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout == "True ('sms',)\n"
