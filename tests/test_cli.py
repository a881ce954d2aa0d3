import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import archday_nlp
from archday_nlp import load_model
from archday_nlp._io import DEFAULT_CORPUS, read_file
from archday_nlp._cli import main
from conftest import ROOT

SAMPLE = ROOT / "data" / "sample_report.txt"


def test_classify_prints_tags_and_profile(capsys):
    assert main(["classify", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "[ 8] sms " in out
    assert "present: exhibition, leafleting, sms, open_access, training, media" in out


def test_classify_json_is_one_object_per_file(capsys):
    assert main(["classify", "--json", str(SAMPLE), str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    data = json.loads(lines[0])
    assert data["file"] == str(SAMPLE)
    assert data["sentences"][5]["labels"] == ["leafleting"]


def test_classify_a_missing_file_is_an_error(capsys, tmp_path):
    assert main(["classify", str(tmp_path / "none.txt")]) == 1
    assert "archday-nlp: error:" in capsys.readouterr().err


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


def test_train_base_default_keeps_the_six_and_adds_a_new_label(tmp_path, with_contest, capsys):
    contest = [r for r in with_contest if r["labels"] == ["contest"]]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in contest), encoding="utf-8")
    assert main(["train", str(path), "--base", "default", "--out", str(tmp_path / "m")]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    held_out = sum(e.split == "test" for e in read_file(DEFAULT_CORPUS))
    assert f"-- test ({held_out} sentences)" in captured.out
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


def test_progress_is_a_line_on_a_terminal_only():
    from archday_nlp._cli import progress_line

    assert progress_line(io.StringIO()) is None
    stream = FakeTerminal()
    show = progress_line(stream)
    show(0, 4, "tokenizing 10 sentences")
    show(2, 4, "fitted 1 of 3 models")
    show(4, 4, "done")
    frames = stream.getvalue().split("\r")[1:]
    assert frames[0].startswith("training [....................] 0/4 tokenizing 10 sentences (0 s)")
    assert frames[1].startswith("training [##########..........] 2/4 fitted 1 of 3 models")
    assert frames[2].startswith("training [####################] 4/4 done") and frames[2].endswith("\n")


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
    assert out.splitlines()[0] == f"{path}: 7 sentences (csv, GB18030)"
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
    assert "none.txt: no such file" in capsys.readouterr().err
