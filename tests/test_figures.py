import pytest

from archday_nlp import Figure, extract_figures

# sentence, then (value, unit, approximate, text) for each figure it reports, in order.
CASES = [
    # the report genre's own wording
    ("发放宣传资料300余份。", [(300, "份", True, "300余份")]),
    ("向手机用户发送短信一千余条。", [(1000, "条", True, "一千余条")]),
    ("共接待查阅利用者112人次。", [(112, "人次", False, "112人次")]),
    ("共接待查档群众92人次,提供档案利用300余卷次。", [(92, "人次", False, "92人次"), (300, "卷次", True, "300余卷次")]),
    ("在线观看1.2万人次。", [(12000, "人次", False, "1.2万人次")]),
    ("发放宣传折页2.5万份。", [(25000, "份", False, "2.5万份")]),
    ("印制档案知识手册1,200册。", [(1200, "册", False, "1,200册")]),
    ("群发公益短信三万多条。", [(30000, "条", True, "三万多条")]),
    ("吸引近百名群众驻足观看。", [(100, "名", True, "近百名")]),
    ("吸引近千名群众参观。", [(1000, "名", True, "近千名")]),
    ("发放《档案法》宣传单两千份。", [(2000, "份", False, "两千份")]),
    ("展出老照片和珍贵档案复制件150余幅。", [(150, "幅", True, "150余幅")]),
    ("推送专题文章3篇,阅读量达2300次。", [(3, "篇", False, "3篇"), (2300, "次", False, "2300次")]),
    ("悬挂横幅10条,张贴海报20张,摆放展板8块。", [(10, "条", False, "10条"), (20, "张", False, "20张"), (8, "块", False, "8块")]),
    ("参训人员110人。", [(110, "人", False, "110人")]),
    ("举办两场专题讲座。", [(2, "场", False, "两场")]),
    ("联合5家单位开展宣传。", [(5, "家", False, "5家")]),
    ("举办讲座3场次,培训档案员45名。", [(3, "场次", False, "3场次"), (45, "名", False, "45名")]),
    # Chinese numerals
    ("发放宣传单一万二千份。", [(12000, "份", False, "一万二千份")]),
    ("发送短信一万二条。", [(12000, "条", False, "一万二条")]),
    ("发放资料三千五百余份。", [(3500, "份", True, "三千五百余份")]),
    ("发放资料一千零五十份。", [(1050, "份", False, "一千零五十份")]),
    ("接待群众三百零八人次。", [(308, "人次", False, "三百零八人次")]),
    ("受众达三十余万人次。", [(300000, "人次", True, "三十余万人次")]),
    ("覆盖群众30余万人。", [(300000, "人", True, "30余万人")]),
    ("发放宣传品百余套。", [(100, "套", True, "百余套")]),
    ("吸引上千人次参与。", [(1000, "人次", True, "上千人次")]),
    ("十几名志愿者参与服务。", [(10, "名", True, "十几名")]),
    ("二十来人参加座谈。", [(20, "人", True, "二十来人")]),
    ("现场解答三四百人的咨询。", [(300, "人", True, "三四百人")]),
    ("发放资料３００份。", [(300, "份", False, "３００份")]),
    # qualifiers before and after
    ("约200人参加。", [(200, "人", True, "约200人")]),
    ("参与群众超过3000人。", [(3000, "人", True, "超过3000人")]),
    ("现场参与群众100人以上。", [(100, "人", True, "100人以上")]),
    ("发放折页200份左右。", [(200, "份", True, "200份左右")]),
    ("接待群众300-500人。", [(300, "人", True, "300-500人")]),
    ("通过网上预约查档30人次。", [(30, "人次", False, "30人次")]),
    ("线上3000人参与答题。", [(3000, "人", False, "3000人")]),
    # not figures: dates, years, document numbers, ordinals, phones, durations, rates, set phrases
    ("6月9日当天,我馆在广场发放折页400余份。", [(400, "份", True, "400余份")]),
    ("2021年6月9日是第十五个国际档案日。", []),
    ("20__年国际档案日宣传活动总结", []),
    ("根据《关于做好国际档案日工作的通知》(档发〔2021〕5号)要求。", []),
    ("在第2期工作简报中刊登活动消息。", []),
    ("咨询电话:0571-87654321。", []),
    ("拨打13800138000预约。", []),
    ("县电视台连续三天播出宣传片。", []),
    ("开展为期一周的宣传活动。", []),
    ("开展为期两个月的档案宣传,每次用时3个小时。", []),
    ("每人发放1份,每周推送2篇。", []),
    ("让档案知识走进千家万户。", []),
    ("增强“四个意识”。", []),
    ("发放《档案里的100个故事》读本200本。", [(200, "本", False, "200本")]),
    ("打造了一个展示平台,一次性发放。", []),
    ("分为3部分展出。", []),
    ("于09.06.2017 23:36发布,满意度达95%。", []),
    ("吸引数百人参观。", []),
    ("G20期间开展宣传。", []),
    ("二〇二一年六月九日", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_figures(sentence, expected):
    figures = extract_figures(sentence)
    assert [(f.value, f.unit, f.approximate, f.text) for f in figures] == [(float(v), u, a, t) for v, u, a, t in expected]
    for f in figures:
        assert sentence[f.start : f.end] == f.text
        assert isinstance(f.value, float)


def test_figures_are_frozen_and_plain_data():
    (figure,) = extract_figures("发放资料300余份。")
    assert figure == Figure(value=300.0, text="300余份", start=4, end=9, unit="份", approximate=True)
    assert figure.to_dict() == {"value": 300.0, "text": "300余份", "start": 4, "end": 9, "unit": "份", "approximate": True}
    with pytest.raises(AttributeError):
        figure.value = 1.0


def test_extract_figures_rejects_non_str():
    with pytest.raises(TypeError, match="extract_figures expects str, got bytes"):
        extract_figures("300份".encode())


def test_the_profile_sums_figures_per_label_and_unit():
    import numpy as np

    from archday_nlp import LABELS
    from archday_nlp._profile import Report
    from archday_nlp._segment import sentence_spans

    text = "发放宣传折页800余份,接待群众60人次。又发放手册200份。在网站发布消息3条,群发短信两千条。成立领导小组3个。"
    tags = [("leafleting",), ("leafleting",), ("sms", "media"), ()]
    spans = np.array(sentence_spans(text), dtype=np.int64)
    matrix = np.array([[label in t for label in LABELS] for t in tags])
    report = Report(text, spans, LABELS, matrix * 0.9, matrix)
    figures = report.profile.figures
    assert list(figures) == list(LABELS)
    assert {unit: (t.value, t.approximate, t.count) for unit, t in figures["leafleting"].items()} == {
        "份": (1000.0, True, 2), "人次": (60.0, False, 1),
    }
    assert list(figures["leafleting"]) == ["份", "人次"]  # units in order of first mention
    assert dict(figures["sms"]) == dict(figures["media"]) and set(figures["media"]) == {"条"}
    assert figures["media"]["条"].value == 2003.0
    assert dict(figures["exhibition"]) == {}  # the untagged sentence's 3个 counts nowhere
    assert [f.text for f in report.sentences[2].figures] == ["3条", "两千条"]
    data = report.to_dict()
    assert data["profile"]["figures"]["leafleting"]["份"] == {"value": 1000.0, "approximate": True, "count": 2}
    assert data["sentences"][0]["figures"][0] == {"value": 800.0, "text": "800余份", "start": 6, "end": 11, "unit": "份", "approximate": True}
