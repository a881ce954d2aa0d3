import codecs
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import archday_nlp
from archday_nlp import __version__, load_model
from archday_nlp._cli import _Progress, main
from archday_nlp._io import DEFAULT_CORPUS, read_file
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


def test_explain_says_why_in_text_json_and_html(tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text("通过移动公司向全县手机用户群发档案日主题短信8000余条。\n成立了活动领导小组。", encoding="utf-8")
    assert main(["classify", "--explain", str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if "[ 0] sms" in line)
    assert lines[at + 1].strip().startswith("sms: ") and "tagged (whole sentence)" in lines[at + 1]
    assert "c:短信" in lines[at + 2] or "w:短信" in lines[at + 2]
    assert main(["classify", "--explain", "--format", "jsonl", str(report)]) == 0
    data = json.loads(capsys.readouterr().out)
    why = data["sentences"][0]["explanation"]["by_label"]["sms"]
    assert why["tagged"] and abs(why["intercept"] + sum(c["contribution"] for c in why["raising"] + why["lowering"]) + why["rest"] - why["logit"]) < 1e-9
    assert main(["classify", "--explain", "--out", str(tmp_path / "page.html"), str(report)]) == 0
    assert "vs threshold" in (tmp_path / "page.html").read_text(encoding="utf-8")


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
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"scored every sentence: {len(rows)} sentences"
    assert out[8].split()[0] == "contest"


def test_failed_training_writes_nothing(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "举办展览。", "labels": ["exhibition"]}\n{"text": "发放资料。", "labels": [}\n', encoding="utf-8")
    assert main(["train", str(data), "--out", str(tmp_path / "m")]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {data}:2: invalid JSON: Expecting value (column 30)\n"
    assert not (tmp_path / "m").exists()


def test_validate_prints_the_counts_table_of_the_packaged_corpus_from_anywhere(tmp_path):
    """The trap: `validate` outside the repository gave a traceback (it looked for data/corpus.jsonl)."""
    done = subprocess.run([sys.executable, "-m", "archday_nlp", "validate"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("| what | train | test | all |")
    assert "PROBLEM" not in done.stdout


def test_validate_a_missing_corpus_is_one_line(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere.jsonl")]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {tmp_path / 'nowhere.jsonl'}: no such corpus file\n"


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


def write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "labels"])
    writer.writerows([r["text"], ";".join(r["labels"])] for r in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_train_on_a_csv_with_unquoted_commas_stops_at_the_line(tmp_path, small_rows, capsys):
    """The trap: extra fields were dropped and the error blamed a label; its hint then trained on fragments."""
    path = write_csv(tmp_path / "mine.csv", [r for r in small_rows if "\n" not in r["text"]][:50])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "在广场设立咨询台,发放宣传折页400余份。,leafleting")
    path.write_text("\n".join(lines), encoding="utf-8")
    for extra in ([], ["--min-examples", "1"]):
        assert main(["train", str(path), "--out", str(tmp_path / "m"), *extra]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"archday-nlp: error: {path}:6: 3 field(s) where the header has 2 (text, labels): ")
        assert "double quotes" in err
    assert not (tmp_path / "m").exists()


def test_train_on_a_gbk_csv_and_name_the_labels_it_lacks(tmp_path, small_rows, capsys):
    rows = [r for r in small_rows if "training" not in r["labels"]][:200]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gb18030")
    assert main(["train", str(path), "--out", str(tmp_path / "m")]) == 0
    captured = capsys.readouterr()
    assert "archday-nlp: warning: the data has no sentence labelled training: the model will not tag it" in captured.err
    assert "--base default" in captured.err
    assert "training" not in load_model(tmp_path / "m").labels
    assert "saved 5 labels (exhibition, leafleting, sms, open_access, media)" in captured.out


def test_train_base_default_keeps_the_six_and_adds_a_new_label(tmp_path, with_contest, small_rows, capsys, monkeypatch):
    """The command passes --base on; tests/test_train.py trains on the real base, tests/test_packaging.py from a wheel."""
    import archday_nlp._train

    real, given = archday_nlp._train.train, {}

    def spy(data, **kwargs):
        given.update(kwargs)
        held_out = [e for e in read_file(DEFAULT_CORPUS) if e.split == "test"][:300]  # scored, as the corpus's test split is
        return real(data, **{**kwargs, "base": small_rows + held_out})

    monkeypatch.setattr(archday_nlp._train, "train", spy)
    contest = [r for r in with_contest if r["labels"] == ["contest"]]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in contest), encoding="utf-8")
    assert main(["train", str(path), "--base", "default", "--out", str(tmp_path / "m")]) == 0
    assert given["base"] == "default"
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    assert "macro leaves out the labels with no support: contest" in captured.out
    assert load_model(tmp_path / "m").labels == ("exhibition", "leafleting", "sms", "open_access", "training", "media", "contest")


@pytest.fixture
def tiny(tmp_path, small_rows):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in small_rows[:120]), encoding="utf-8")
    return path


def test_train_refuses_an_existing_file_before_training(tmp_path, tiny, capsys, monkeypatch):
    import archday_nlp._train

    monkeypatch.setattr(archday_nlp._train, "train", lambda *a, **k: pytest.fail("trained before checking --out"))
    out = tmp_path / "model.bin"
    out.write_text("mine", encoding="utf-8")
    assert main(["train", str(tiny), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {out}: a file is in the way; --out names a model folder (new, empty, or a model to replace)\n"
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["train", str(tiny), "--out", str(out / "m")]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {out / 'm'}: cannot be created, {out} is a file\n"
    (tmp_path / "m.joblib").write_text("old", encoding="utf-8")
    assert main(["train", str(tiny), "--out", str(tmp_path / "new"), "--joblib", str(tmp_path / "m.joblib")]) == 1
    assert "m.joblib: the file exists" in capsys.readouterr().err


def test_train_refuses_a_folder_of_other_files_unless_forced(tmp_path, tiny, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["train", str(tiny), "--out", str(folder), "--min-examples", "1"]) == 1
    assert "a folder that holds other files and no model" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert main(["train", str(tiny), "--out", str(folder), "--min-examples", "1", "--force"]) == 0
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert load_model(folder).labels
    # A model folder, and an empty one, are fine without --force.
    assert main(["train", str(tiny), "--out", str(folder), "--min-examples", "1", "--seed", "1"]) == 0
    (tmp_path / "empty").mkdir()
    assert main(["train", str(tiny), "--out", str(tmp_path / "empty"), "--min-examples", "1"]) == 0


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_training_progress_is_a_bar_on_a_terminal_only():
    from archday_nlp._cli import training_progress

    assert training_progress(io.StringIO()) is None
    stream = FakeTerminal()
    show = training_progress(stream)
    show(0, 4, "tokenizing 10 sentences")
    show(2, 4, "fitted 1 of 3 models")
    show(4, 4, "done")
    frames = [f for f in stream.getvalue().split("\r") if f.strip()]
    assert frames[0].startswith("training: 0/4 |") and frames[0].rstrip().endswith("00:00, tokenizing 10 sentences")
    assert any(f.startswith("training: 2/4 |#####") and "fitted 1 of 3 models" in f for f in frames)
    assert frames[-1].startswith("training: 4/4 |##########|")
    assert stream.getvalue().split("\r")[-2].strip() == ""  # the line is cleared at the end


def test_evaluate_says_which_split_it_scored(tmp_path, corpus_reports, capsys):
    reports = [next(r for r in corpus_reports if r["split"] == s) for s in ("train", "test")]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"scored the test split: {len(reports[1]['sentences'])} sentences"
    assert main(["evaluate", str(path), "--split", "all"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"scored every sentence: {sum(len(r['sentences']) for r in reports)} sentences"
    with pytest.raises(SystemExit):
        main(["evaluate", str(path), "--split", "dev"])


def test_check_lists_what_would_spoil_a_model(tmp_path, capsys):
    path = tmp_path / "mine.csv"
    path.write_text(
        "text,labels\n"
        "群发短信八千条。,sms\n"
        "群发短信八千条。,sms;media\n"
        "举办图片展。,exhibition\n"
        "举办图片展。,exhibition\n"
        "县电视台播出新闻。,medai\n"
        "县电视台播出专题片。,media\n"
        " ,training\n",
        encoding="gbk",
    )
    assert main(["check", str(path), "--min-examples", "2"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}: 7 sentences (csv)"
    assert "| media | 2 |" in out and "| medai (not in the guideline) | 1 |" in out
    assert "guideline labels not in the data: leafleting, open_access" in out
    assert f"'举办图片展。' (exhibition) at {path}:4, {path}:5" in out
    assert f"'群发短信八千条。': sms at {path}:2; media, sms at {path}:3" in out
    assert "labels on fewer than 2 sentences: training (1), medai (1)" in out
    assert "likely typos: medai (1) is one edit from media (2)" in out
    assert f"empty texts: {path}:8" in out
    assert "PROBLEM: label 'medai' (1) is one edit from 'media' (2): a typo?" in out


def test_check_of_clean_data_passes(tiny, capsys):
    assert main(["check", str(tiny), "--min-examples", "1"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("no problems found")


def test_suggest_writes_doccano_or_label_studio_and_never_overwrites(tmp_path, capsys):
    folder = tmp_path / "reports"
    (folder / "more").mkdir(parents=True)
    (folder / "a.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "more" / "b.txt").write_text("在社区活动室摆放了几块展板。组织居民观看。群发短信八千条。", encoding="utf-8")
    out = tmp_path / "next.jsonl"
    assert main(["suggest", str(folder), "-n", "4", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote 4 sentences from 2 of 2 file(s) to {out} (doccano)")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4 and {r["meta"]["source"] for r in records} == {str(folder / "a.txt"), str(folder / "more" / "b.txt")}
    for r in records:
        text = Path(r["meta"]["source"]).read_text(encoding="utf-8")
        assert text[r["meta"]["start"] : r["meta"]["end"]] == r["text"]
        assert set(r["label"]) <= set(load_model(archday_nlp.DEFAULT_MODEL).labels)
    assert main(["suggest", str(folder), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {out}: the file exists; give a new name, or --force to overwrite it\n"
    tasks_path = tmp_path / "next.json"
    assert main(["suggest", str(folder / "a.txt"), "-n", "2", "--out", str(tasks_path)]) == 0
    assert '<Choices name="label" toName="text" choice="multiple"' in capsys.readouterr().out
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert [set(t) for t in tasks] == [{"data", "meta", "predictions"}] * 2
    assert main(["suggest", str(tmp_path / "none.txt"), "--out", str(tmp_path / "x.jsonl")]) == 1
    assert capsys.readouterr().err == f"archday-nlp: error: {tmp_path / 'none.txt'}: no such file or folder\n"
    assert not (tmp_path / "x.jsonl").exists()
