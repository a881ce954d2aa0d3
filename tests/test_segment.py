import pytest

from archday_nlp import find_reports, split_reports
from archday_nlp._segment import sentence_spans


def pieces(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_splits_on_full_and_half_width_terminators_and_line_breaks():
    text = "发放资料。接待群众\uff01有奖问答\uff1f一是办展\uff1b二是培训;三是直播!好吗?\n一、领导重视\n  (一)开展讲座  "
    assert pieces(text) == [
        "发放资料。", "接待群众\uff01", "有奖问答\uff1f", "一是办展\uff1b二是培训;三是直播!", "好吗?",
        "一、领导重视", "(一)开展讲座",
    ]


def test_quotations_that_end_on_a_terminator_end_their_sentence():
    assert pieces("“这张照片我家也有一张。”王大爷说。“能查到我父亲的档案吗?”“几点开门?”") == [
        "“这张照片我家也有一张。”", "王大爷说。", "“能查到我父亲的档案吗?”", "“几点开门?”",
    ]
    assert pieces("以“档案,让生活更美好!”为主题发放资料。") == ["以“档案,让生活更美好!”为主题发放资料。"]
    assert pieces("发放《档案是什么?》手册。群众说好。") == ["发放《档案是什么?》手册。", "群众说好。"]


def test_a_hard_wrapped_line_continues_its_sentence():
    text = "国际档案日活动总结\n活动期间，志愿者在广场向群众讲解档案法等知识，进一步\n增强了群众的档案意识。\n二、主要做法\n图为志愿者向群众讲解档案知识，现场气氛热烈\n6月9日，举办展览。"
    assert pieces(text) == [
        "国际档案日活动总结",
        "活动期间，志愿者在广场向群众讲解档案法等知识，进一步\n增强了群众的档案意识。",
        "二、主要做法",
        "图为志愿者向群众讲解档案知识，现场气氛热烈",
        "6月9日，举办展览。",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "关于开展2021年国际档案日宣传活动的情况总结\n6月9日，我局在广场发放资料。",  # a title: no clause mark
        "我局在广场发放资料，接待群众三百余人次\n\u3000\u3000同时在网站发布消息。",  # the next line is indented
        "我局在广场发放资料，主要做了以下几件事：\n举办展览。",  # a colon introduces what follows
        "为增强群众的档案意识，我局开展了以下活动\n一、举办展览。",  # a heading follows
        "本次活动覆盖面广，群众参与热情高。出处 http://example.com/a.html\n活动照片略。",  # the last sentence has no clause mark
        "我局在广场发放资料，接待群众三百余人次\n\n同时在网站发布消息。",  # a blank line
    ],
)
def test_lines_that_are_not_hard_wraps_end_their_sentence(text):
    assert "\n" not in "".join(pieces(text))


def test_offsets_slice_back_and_exclude_white_space():
    text = "　　第一句。\r\n\n 第二句!  第三句"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["第一句。", "第二句!", "第三句"]
    assert spans[0] == (2, 6)


@pytest.mark.parametrize(
    "text",
    [
        "我馆于6。9当天在广场设立咨询台。",
        "在线观看1.2万人次。",
        "以“档案,让生活更美好!”为主题发放资料。",
        "发放《档案法(修订)。解读》手册300份。",
        "张贴「档案记录历史。」海报20张。",
    ],
)
def test_does_not_split_inside_dates_decimals_and_quotations(text):
    assert pieces(text) == [text]


def test_a_quotation_after_a_colon_ends_with_its_terminator():
    text = "发送短信:“请妥善保管家庭档案。”当天又群发了第二轮。"
    assert pieces(text) == ["发送短信:“请妥善保管家庭档案。”", "当天又群发了第二轮。"]


def test_unclosed_quote_does_not_swallow_the_line():
    assert pieces("标语“档案日。发放资料。") == ["标语“档案日。", "发放资料。"]


def test_terminators_in_web_addresses_do_not_split():
    assert pieces("出处 http://www.example.com/a.php?id=3 下一句。") == ["出处 http://www.example.com/a.php?id=3 下一句。"]


def test_closing_marks_and_repeated_terminators_stay_with_the_sentence():
    assert pieces("他说:“好!!”)后面。") == ["他说:“好!!”)", "后面。"]


def test_splitter_reproduces_every_gold_sentence_of_the_corpus(corpus_reports):
    for report in corpus_reports:
        assert pieces(report["text"]) == [s["text"] for s in report["sentences"]], report["id"]


def test_split_reports_at_numbered_titles():
    document = "国际档案日活动总结(精选3篇)\n篇一:社区总结\n发放资料。\n\n篇二:街道总结\n举办展览。\n 档案日活动总结 篇3 \n群发短信。"
    assert split_reports(document) == [
        "国际档案日活动总结(精选3篇)\n篇一:社区总结\n发放资料。",
        "篇二:街道总结\n举办展览。",
        "档案日活动总结 篇3 \n群发短信。",
    ]


def test_split_reports_keeps_a_document_without_titles_whole():
    assert split_reports(" 发放资料。\n举办展览。\n") == ["发放资料。\n举办展览。"]
    assert split_reports("") == []


def test_split_reports_rejects_non_str():
    with pytest.raises(TypeError, match="split_reports expects str, got bytes"):
        split_reports("篇1".encode())


def test_find_reports_gives_titles_and_offsets_into_the_document():
    from samples import COLLECTION, TITLES

    crlf = COLLECTION.replace("\n", "\r\n")
    for document in (COLLECTION, crlf):
        reports = find_reports(document)
        assert [r.title for r in reports] == TITLES
        for r in reports:
            assert document[r.start : r.end] == r.text == r.text.strip()
        assert reports[0].start == 0  # the collection's own title belongs to the first report
        assert reports[1].text.startswith(TITLES[1])
        assert reports[-1].text.endswith("档案意识。")
    assert split_reports(crlf) == [r.text for r in find_reports(crlf)]


@pytest.mark.parametrize(
    ("document", "titles"),
    [
        ("【篇一】档案日活动总结\n发放资料。\n【篇二】档案日活动总结\n举办展览。", ["【篇一】档案日活动总结", "【篇二】档案日活动总结"]),
        ("档案日活动总结(第1篇)\n发放资料。\n档案日活动总结（第2篇）\n举办展览。", ["档案日活动总结(第1篇)", "档案日活动总结（第2篇）"]),
        ("篇一：社区\n发放资料。\n篇 2\n举办展览。", ["篇一：社区", "篇 2"]),
        # one unnumbered title, repeated: each starts a report
        ("xx社区国际档案日活动总结\n一、活动情况\n发放资料。\nyy街道国际档案日宣传活动情况报告\n举办展览。",
         ["xx社区国际档案日活动总结", "yy街道国际档案日宣传活动情况报告"]),
    ],
)
def test_find_reports_knows_the_title_forms_of_template_collections(document, titles):
    assert [r.title for r in find_reports(document)] == titles


@pytest.mark.parametrize(
    "document",
    [
        "xx社区国际档案日活动总结\n一、活动开展情况\n发放资料。\n二、国际档案日活动总结\n举办展览。",  # headings are not titles
        "发放资料。\nxx社区国际档案日活动总结\n举办展览。\nyy街道档案日活动总结\n群发短信。",  # the document does not open with one
        "推送文章3篇,阅读量达2300次。\n共发布信息12篇。",  # "3篇" is a count, not "篇3"
    ],
)
def test_find_reports_does_not_split_a_single_report(document):
    assert len(find_reports(document)) == 1


def test_a_report_without_a_numbered_title_is_titled_by_its_first_line_if_that_is_a_title():
    assert find_reports("  青石县档案馆国际档案日活动总结\n发放资料。")[0].title == "青石县档案馆国际档案日活动总结"
    assert find_reports("县电视台播出档案日专题节目。\n发放资料。")[0].title == ""
    assert find_reports("举办展览")[0].title == ""
    assert find_reports(" \n ") == []


def test_find_reports_rejects_non_str():
    with pytest.raises(TypeError, match="find_reports expects str, got bytes"):
        find_reports(b"")
