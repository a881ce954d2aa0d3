import codecs
import csv
import io
import json
import subprocess
import sys

import pytest

from archday_nlp import __version__, load_model
from archday_nlp._cli import _Progress, main
from conftest import ROOT
from samples import COLLECTION, TITLES

SAMPLE = ROOT / "data" / "sample_report.txt"


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_classify_prints_a_block_per_report_with_display_names(capsys):
    assert main(["classify", str(SAMPLE), "--sentences"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"== {SAMPLE} #1  青石县档案馆2024年")
    assert "   短信 sms" in out and "约20000条" in out
    assert "[ 8] sms " in out
    assert "present: exhibition, leafleting, sms, open_access, training, media" in out
    assert err == ""  # no progress bar outside a terminal


def _encoded(text: str, encoding: str) -> bytes:
    return b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-be+bom" else text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16", "utf-16-be+bom", "utf-16-le"])
def test_eight_reports_in_one_file_give_eight_rows_in_any_encoding(tmp_path, capsys, encoding):
    path = tmp_path / "collection.txt"
    path.write_bytes(_encoded(COLLECTION.replace("\n", "\r\n"), encoding))
    assert main(["classify", str(path), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = csv_rows(out)
    assert [(r["file"], r["report"], r["title"]) for r in rows] == [(str(path), str(i), t) for i, t in enumerate(TITLES)]
    assert rows[2]["短信 sms"] == "1" and rows[2]["短信 sms figures"] == "约8000条"
    assert err == ""


def test_eight_reports_from_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(COLLECTION.encode("gbk"))))
    assert main(["classify", "-", "--format", "csv"]) == 0
    rows = csv_rows(capsys.readouterr().out)
    assert [(r["file"], r["title"]) for r in rows] == [("<stdin>", t) for t in TITLES]


def test_offsets_index_the_decoded_file_crlf_included(tmp_path, capsys):
    document = COLLECTION.replace("\n", "\r\n")
    path = tmp_path / "collection.txt"
    path.write_bytes(document.encode("gbk"))
    assert main(["classify", str(path), "--format", "jsonl"]) == 0
    reports = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(reports) == 8
    for report in reports:
        assert report["title"] in document[report["start"] : report["end"]]
        for s in report["sentences"]:
            assert document[s["start"] : s["end"]] == s["text"]
    assert reports[1]["start"] == document.index(TITLES[1])


def test_a_folder_with_bad_files_gives_the_good_row_names_the_bad_ones_and_exits_1(tmp_path, capsys):
    folder = tmp_path / "district"
    (folder / "unit").mkdir(parents=True)
    (folder / "unit" / "good.txt").write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gbk"))
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip archive")
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    assert main(["classify", str(folder), "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert [r["file"] for r in csv_rows(out)] == [str(folder / "unit" / "good.txt")]
    lines = err.splitlines()
    assert lines[0] == f"archday-nlp: skipped 1 file(s) that are not .txt, .md or .docx: {folder / 'photo.jpg'}"
    assert lines[1].startswith(f"archday-nlp: {folder / 'broken.docx'}: not a readable .docx file (")
    assert lines[2] == f"archday-nlp: {folder / 'scan.txt'}: a binary file, not text (it holds NUL bytes and is not UTF-16)"
    assert len(lines) == 3


def test_a_missing_file_is_named_and_the_others_are_still_classified(tmp_path, capsys):
    assert main(["classify", str(tmp_path / "none.txt"), str(SAMPLE), "--json"]) == 1  # --json: the old flag, JSON lines
    out, err = capsys.readouterr()
    assert err == f"archday-nlp: {tmp_path / 'none.txt'}: no such file or folder\n"
    (report,) = [json.loads(line) for line in out.splitlines()]
    assert report["file"] == str(SAMPLE) and report["sentences"][5]["labels"] == ["leafleting"]


def test_the_output_file_format_follows_its_suffix(tmp_path, capsys):
    assert main(["classify", str(SAMPLE), "--out", str(tmp_path / "reports.csv")]) == 0
    data = (tmp_path / "reports.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and "展览 exhibition".encode() in data
    assert main(["classify", str(SAMPLE), "-o", str(tmp_path / "page.html")]) == 0
    assert (tmp_path / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["classify", str(SAMPLE), "-f", "json", "-o", str(tmp_path / "x.csv")]) == 0
    assert json.loads((tmp_path / "x.csv").read_text(encoding="utf-8"))["reports"][0]["file"] == str(SAMPLE)
    assert capsys.readouterr() == ("", "")


def test_a_closed_pipe_ends_quietly(tmp_path):
    source = tmp_path / "many.txt"
    source.write_text(COLLECTION * 20, encoding="utf-8")  # 160 reports, far more JSON than a pipe holds
    with open(source, "rb") as stdin:
        process = subprocess.Popen([sys.executable, "-m", "archday_nlp", "classify", "-", "--format", "jsonl"],
                                   stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        first = json.loads(process.stdout.readline())
        process.stdout.close()  # what `| head -1` does
        assert process.wait(timeout=60) == 141
    assert first["file"] == "<stdin>" and first["title"] == TITLES[0]
    assert process.stderr.read() == b""


def test_version_help_and_usage_errors(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"archday-nlp {__version__}\n"
    with pytest.raises(SystemExit):
        main(["classify", "--help"])
    assert "examples:\n  archday-nlp classify report.txt" in capsys.readouterr().out
    for bad in (["--encoding", "no-such-codec"], ["--jobs", "0"]):
        with pytest.raises(SystemExit) as done:
            main(["classify", str(SAMPLE), *bad])
        assert done.value.code == 2
    assert "unknown encoding 'no-such-codec'" in capsys.readouterr().err


def test_a_progress_bar_only_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    progress = _Progress()
    progress.start(3)
    assert progress.bar is None
    monkeypatch.setattr(sys, "stderr", Terminal())
    progress = _Progress()
    progress.start(3)
    assert progress.bar is not None
    progress.advance(3)
    progress.close()


def test_train_from_doccano_with_a_new_label_then_evaluate(tmp_path, with_contest, capsys):
    rows = with_contest
    data = tmp_path / "doccano.jsonl"
    data.write_text("\n".join(json.dumps({"id": i, "text": r["text"], "label": r["labels"]}, ensure_ascii=False)
                              for i, r in enumerate(rows)), encoding="utf-8")
    assert main(["train", str(data), "--out", str(tmp_path / "m"), "--joblib", str(tmp_path / "m.joblib")]) == 0
    assert "-- cross validation" in capsys.readouterr().out
    assert load_model(tmp_path / "m").labels[-1] == "contest"
    assert (tmp_path / "m.joblib").is_file()
    assert main(["evaluate", str(data), "--model", str(tmp_path / "m")]) == 0
    assert capsys.readouterr().out.splitlines()[7].split()[0] == "contest"


def test_failed_training_writes_nothing(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "举办展览。", "labels": ["exhibition"]}\n{"text": "发放资料。", "labels": [}\n', encoding="utf-8")
    assert main(["train", str(data), "--out", str(tmp_path / "m")]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {data}:2: invalid JSON: Expecting value (column 30)\n"
    assert not (tmp_path / "m").exists()


def test_validate_prints_the_counts_table():
    done = subprocess.run([sys.executable, "-m", "archday_nlp", "validate", str(ROOT / "data" / "corpus.jsonl")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("| what | train | test | all |")
    assert "PROBLEM" not in done.stdout


@pytest.mark.parametrize("minimal", [False, True])
def test_train_from_label_studio_with_a_new_label(tmp_path, with_contest, capsys, minimal):
    rows = with_contest
    if minimal:
        tasks = [{"id": i, "text": r["text"], "activity": {"choices": r["labels"]}, "annotator": 1} for i, r in enumerate(rows)]
    else:
        tasks = [{"id": i, "data": {"text": r["text"]}, "annotations": [{"result": [
            {"from_name": "activity", "to_name": "text", "type": "choices", "value": {"choices": r["labels"]}}]}]}
            for i, r in enumerate(rows)]
    data = tmp_path / "export.json"
    data.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["train", str(data), "--out", str(tmp_path / "m")]) == 0
    model = load_model(tmp_path / "m")
    assert model.labels == ("exhibition", "leafleting", "sms", "open_access", "training", "media", "contest")
    assert model.classify("学校开展“档案伴我成长”征文比赛,收到作品60余篇。").profile.present == ("contest",)
