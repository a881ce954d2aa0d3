import json
import subprocess
import sys

import pytest

from archday_nlp import load_model
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
