import json

import numpy as np
import pytest

import archday_nlp
from archday_nlp import DataError, load_model
from archday_nlp._io import read_file
from archday_nlp._suggest import label_studio_config, logit_distances, pick, suggest, to_doccano, to_label_studio, write_suggestions


@pytest.fixture(scope="module")
def model():
    return load_model(archday_nlp.DEFAULT_MODEL)


@pytest.fixture(scope="module")
def reports(corpus_reports):
    """Six test reports of the corpus, as unlabelled files would give them."""
    chosen = [r for r in corpus_reports if r["split"] == "test"][:6]
    return [(f"{r['id']}.txt", r["text"]) for r in chosen]


def test_logit_distance_is_zero_at_the_threshold_and_symmetric():
    d = logit_distances(np.array([[0.3, 0.5], [0.7, 0.9]]), [0.3, 0.5])
    assert d[0].tolist() == [0.0, 0.0]
    assert d[1, 1] == pytest.approx(np.log(9))
    assert logit_distances(np.array([[0.0, 1.0]]), [0.5, 0.5]).max() < 30  # clipped, not infinite


def test_pick_spreads_across_groups_before_taking_a_second_from_one():
    texts = [f"第{i}句不同的内容{'甲乙丙丁戊己庚辛'[i]}。" for i in range(8)]
    groups = ["a"] * 6 + ["b", "c"]
    margins = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9, 0.8]
    assert pick(texts, groups, margins, 3) == [0, 7, 6]
    assert pick(texts, groups, margins, 5) == [0, 1, 2, 7, 6]
    assert pick(texts, groups, margins, 20) == [0, 1, 2, 3, 4, 5, 7, 6]  # the allowance grows until every text is in
    assert pick(texts, ["a"] * 8, margins, 2) == [0, 1]
    assert pick([], [], [], 5) == []


def test_pick_skips_near_duplicates_of_what_it_took():
    texts = ["在人民广场发放宣传资料三百余份。", "在人民广场发放宣传资料三百余份!", "在人民廣場發放宣傳資料三百余份。", "县电视台播出专题新闻。"]
    assert pick(texts, ["a", "b", "c", "d"], [0.1, 0.2, 0.3, 0.4], 4) == [0, 3]


def test_suggest_picks_the_sentences_closest_to_a_threshold(model, reports):
    picked = suggest(model, reports, n=12)
    assert len(picked) == 12
    assert len({s.source for s in picked}) == len(reports)  # two from each of the six reports
    text_of = dict(reports)
    margins = []
    for s in picked:
        assert text_of[s.source][s.start : s.end] == s.text and s.report == 0
        distance = logit_distances(np.array([[s.scores[label] for label in model.labels]]), [model.thresholds[label] for label in model.labels])[0]
        assert s.margin == pytest.approx(distance.min()) and s.closest == model.labels[int(distance.argmin())]
        assert s.labels == tuple(label for label in model.labels if s.scores[label] >= model.thresholds[label])
        margins.append(s.margin)
    assert margins == sorted(margins)
    # Every sentence not picked, in a report that gave no more than the others, is at least as sure as the least sure picked.
    everything = suggest(model, reports, n=10_000)
    assert {s.text for s in picked} <= {s.text for s in everything}
    assert max(margins) <= sorted(s.margin for s in everything)[len(everything) // 2]


def test_suggest_leaves_out_short_sentences_and_can_give_none(model):
    assert [s.text for s in suggest(model, [("a.txt", "图片4。群发短信八千条。")], n=5)] == ["群发短信八千条。"]
    assert suggest(model, [("a.txt", "图片4。")], n=5) == [] and suggest(model, [("a.txt", "群发短信八千条。")], n=0) == []
    with pytest.raises(ValueError, match="n must be"):
        suggest(model, [], n=-1)


def test_one_file_of_several_reports_counts_its_reports(model):
    picked = suggest(model, [("x.txt", "群发短信八千条。"), ("x.txt", "举办档案图片展览。")], n=2)
    assert sorted((s.source, s.report) for s in picked) == [("x.txt", 0), ("x.txt", 1)]


def edit(labels_of, text):
    return ["media"] if "网" in text or "微信" in text else labels_of(text)


def test_round_trip_through_doccano(model, reports, small_rows, tmp_path):
    """suggest → doccano → labels corrected → train, on the file as it is."""
    picked = suggest(model, reports, n=10)
    path = tmp_path / "next.jsonl"
    write_suggestions(picked, path, "doccano", model_version="test")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records == to_doccano(picked)
    assert set(records[0]) == {"text", "label", "meta"} and set(records[0]["meta"]) >= {"source", "report", "start", "end"}
    corrected = [{**r, "label": ["contest"] if i < 5 else []} for i, r in enumerate(records)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in corrected), encoding="utf-8")
    assert [(e.text, e.labels) for e in read_file(path)] == [(r["text"], tuple(r["label"])) for r in corrected]
    trained = archday_nlp.train(path, base=small_rows, folds=2)
    assert trained.labels[-1] == "contest" and trained.info["training"]["label_counts"]["contest"] == 5


def label_studio_export(tasks, choose):
    """What Label Studio's JSON export gives once each task has been annotated."""
    return [
        {"id": i + 1, **task, "annotations": [{"id": i + 1, "was_cancelled": False, "result": [
            {"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": choose(i)}}]}]}
        for i, task in enumerate(tasks)
    ]


def test_round_trip_through_label_studio(model, reports, small_rows, tmp_path):
    picked = suggest(model, reports, n=10)
    path = tmp_path / "tasks.json"
    write_suggestions(picked, path, "labelstudio", model_version="archday-nlp test")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert tasks == to_label_studio(picked, "archday-nlp test")
    for task, s in zip(tasks, picked):
        assert task["data"]["text"] == s.text and task["data"]["source"] == s.source
        (prediction,) = task["predictions"]
        assert [c for r in prediction["result"] for c in r["value"]["choices"]] == list(s.labels)
    # Not yet labelled: predictions are not labels.
    with pytest.warns(UserWarning, match="skipped 10 task"), pytest.raises(DataError, match="no labelled sentences found"):
        read_file(path)
    path.write_text(json.dumps(label_studio_export(tasks, lambda i: ["contest"] if i < 5 else []), ensure_ascii=False), encoding="utf-8")
    trained = archday_nlp.train(path, base=small_rows, folds=2)
    assert trained.labels[-1] == "contest" and trained.info["training"]["label_counts"]["contest"] == 5


def test_label_studio_config_names_every_label():
    config = label_studio_config(["sms", "contest"])
    assert '<Text name="text" value="$text"/>' in config
    assert '<Choice value="sms"/>' in config and '<Choice value="contest"/>' in config


def test_reports_read_from_files_keep_their_offsets_in_the_file(model, tmp_path):
    from archday_nlp._files import read_reports

    document = "活动总结 篇1\r\n群发短信八千条。举办档案图片展览。\r\n\r\n活动总结 篇2\r\n在社区活动室摆放了几块展板。"
    path = tmp_path / "two.txt"
    path.write_bytes(document.encode("gbk"))
    texts = list(read_reports([path]))
    picked = suggest(model, texts, n=10)
    assert {s.report for s in picked} == {0, 1} and len(texts) == 2
    for s in picked:
        assert document[s.start : s.end] == s.text and s.source == str(path)
