import pytest

from archday_nlp import split_reports
from archday_nlp._segment import sentence_spans


def pieces(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_splits_on_full_and_half_width_terminators_and_line_breaks():
    text = "发放资料。接待群众\uff01有奖问答\uff1f一是办展\uff1b二是培训;三是直播!好吗?\n一、领导重视\n  (一)开展讲座  "
    assert pieces(text) == [
        "发放资料。", "接待群众\uff01", "有奖问答\uff1f", "一是办展\uff1b", "二是培训;", "三是直播!", "好吗?",
        "一、领导重视", "(一)开展讲座",
    ]


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
    assert pieces("出处 http://www.example.com/a.php?id=3&p=1;下一句。") == [
        "出处 http://www.example.com/a.php?id=3&p=1;",
        "下一句。",
    ]


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
