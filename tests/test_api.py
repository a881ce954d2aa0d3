import dataclasses
import json

import pytest

import archday_nlp
from archday_nlp import LABELS, classify, classify_many
from conftest import run_python

# The guideline's own examples (shared/ANNOTATION.md), with their tags.
GUIDELINE_EXAMPLES = [
    ("6月9日当天,我馆在人民广场设立咨询台,向过往市民发放档案法宣传折页400余份。", ("leafleting",)),
    ("镇档案室联合文化站举办\"百年变迁\"老照片展,展出照片120余幅。", ("exhibition",)),
    ("通过移动公司向全县手机用户群发档案日主题短信8000余条。", ("sms",)),
    ("宣传周期间,档案馆阅览室向社会免费开放,共接待查档群众65人次。", ("open_access",)),
    ("邀请市档案馆业务骨干为各单位兼职档案员开展业务培训。", ("training",)),
    ("在区融媒体中心微信公众号推送专题文章3篇,阅读量达2300次。", ("media",)),
    ("县电视台连续三天在新闻栏目播出档案日宣传片,并在城区LED屏滚动播放宣传标语。", ("media",)),
    ("志愿者在街口摆放宣传展板,接待过往群众300余人次。", ("leafleting",)),
    ("区档案馆通过视频号直播\"档案里的老城\"专题讲座,在线观看1.2万人次。", ("training", "media")),
    ("下一步,我们计划在国庆期间举办档案精品展。", ()),
    ("组织开展\"我家的老照片\"征文活动,共收到投稿60余篇。", ()),
    ("成立了由分管副局长任组长的活动领导小组,明确了任务分工。", ()),
    ("通过此次活动,进一步增强了广大群众的档案意识。", ()),
]


def test_public_names_are_pinned():
    assert archday_nlp.__all__ == [
        "DEFAULT_MODEL", "LABELS", "ArchdayError", "DataError", "Figure", "FigureTotal", "LabelProfile", "Model",
        "ModelFormatError", "Profile", "Report", "ReportSpan", "Sentence", "classify", "classify_many",
        "extract_figures", "find_reports", "load_model", "split_reports", "train",
    ]
    assert archday_nlp.Model.__name__ == "Model"
    assert LABELS == ("exhibition", "leafleting", "sms", "open_access", "training", "media")


def test_import_is_silent_and_loads_nothing_heavy():
    code = "import sys, archday_nlp; print(sorted(m for m in ('numpy', 'rjieba', 'opencc', 'sklearn', 'scipy') if m in sys.modules))"
    assert run_python(code) == ("[]\n", "")


def test_classifying_needs_no_scikit_learn_and_prints_nothing():
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import archday_nlp\n"
        "print(archday_nlp.classify('通过移动公司群发档案日短信8000余条。').profile.present)"
    )
    assert run_python(code) == ("('sms',)\n", "")


@pytest.mark.parametrize(("sentence", "tags"), GUIDELINE_EXAMPLES)
def test_guideline_examples_get_their_tags(sentence, tags):
    (only,) = classify(sentence).sentences
    assert only.labels == tags


def test_sentences_slice_back_to_the_input_and_carry_every_score():
    text = "  关于开展国际档案日活动的总结\n\n6月9日,在广场发放宣传册500份。同时举办图片展。\n通过此次活动,增强了群众的档案意识。"
    report = classify(text)
    assert [s.text for s in report.sentences] == [
        "关于开展国际档案日活动的总结", "6月9日,在广场发放宣传册500份。", "同时举办图片展。", "通过此次活动,增强了群众的档案意识。",
    ]
    for s in report.sentences:
        assert text[s.start : s.end] == s.text
        assert list(s.scores) == list(LABELS)
        assert all(0.0 <= p <= 1.0 for p in s.scores.values())
    assert [s.labels for s in report.sentences] == [(), ("leafleting",), ("exhibition",), ()]


def test_profile_counts_shares_evidence_and_top_score():
    text = "举办档案图片展。发放宣传折页300余份。在广场展出老照片80幅。成立领导小组。"
    report = classify(text)
    exhibition = report.profile.by_label["exhibition"]
    assert (exhibition.count, exhibition.share, exhibition.evidence) == (2, 0.5, (0, 2))
    assert exhibition.max_score == max(report.sentences[i].scores["exhibition"] for i in (0, 2))
    assert report.profile.present == ("exhibition", "leafleting")
    assert report.profile.by_label["sms"].evidence == ()
    assert list(report.profile.by_label) == list(LABELS)


def test_to_dict_is_plain_json():
    report = classify("县电视台播出档案日专题节目。")
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["sentences"][0]["labels"] == ["media"]
    assert data["sentences"][0]["start"] == 0
    assert data["profile"]["present"] == ["media"]
    assert data["profile"]["by_label"]["media"]["evidence"] == [0]


def test_results_are_immutable():
    report = classify("县电视台播出档案日专题节目。")
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.sentences[0].labels = ()
    with pytest.raises(TypeError):
        report.sentences[0].scores["media"] = 0.0
    with pytest.raises(TypeError):
        report.profile.by_label["sms"] = None


@pytest.mark.parametrize("text", ["", "   \n\u3000\t"])
def test_empty_or_blank_text_gives_no_sentences(text):
    report = classify(text)
    assert report.sentences == ()
    assert report.profile.present == ()
    assert report.profile.by_label["sms"].count == 0
    assert report.profile.by_label["sms"].share == 0.0


@pytest.mark.parametrize("value", [None, 12, b"\xe5\xb1\x95", ["发放资料。"]])
def test_non_str_is_a_type_error(value):
    with pytest.raises(TypeError, match=f"classify expects str, got {type(value).__name__}"):
        classify(value)


def test_classify_many_matches_classify_in_one_process_or_several():
    texts = ["举办档案图片展。发放宣传折页。", "", "通过短信平台群发短信两千余条。", "组织档案业务培训。"]
    expected = [classify(t).to_dict() for t in texts]
    assert [r.to_dict() for r in classify_many(texts)] == expected
    assert [r.to_dict() for r in classify_many(iter(texts), n_jobs=2)] == expected


def test_classify_many_names_the_bad_item():
    with pytest.raises(TypeError, match=r"got int \(item 1\)"):
        classify_many(["发放资料。", 3])


def test_the_default_model_loads_once():
    from archday_nlp._api import default_model

    classify("举办图片展。")
    first = default_model()
    classify("发放资料。")
    assert default_model() is first
