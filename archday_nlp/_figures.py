"""Figures: the quantities a sentence reports, such as 发放宣传资料300余份 (300 份, approximate).

A figure is a number followed by a counting unit (份, 条, 人次, 名, 场 …, see
:data:`UNITS`). The number is written in Arabic digits (300, 1,200, 2.5万,
full-width ３００) or in Chinese numerals (一千余, 三万多, 两千, 一千零五十,
一万二 = 12,000, 三四百 = 300 to 400); 余/多/几/来 after it, 近/约/逾/超过/上
before it, or 以上/左右 after the unit make it approximate. A range
(300-500人, 三四百人) gives its lower bound, approximate.

What is not a figure, and why:

- a number without a unit from the list: years (2021年, 20__年), dates
  (6月9日, 6·9), times, percentages, phone numbers and document numbers
  (〔2021〕5号) carry none, so they never count;
- durations of the event (连续三天, 为期一周, 两个月, 3个小时): 天, 周, 月
  and 小时 are not units here, and 个 before them is no unit either. A
  duration says how long, not how much, and summing the durations of several
  sentences gives nothing a reader would quote;
- ordinals (第十五个, 第2期), rates (每人1份, 每周2篇) and vague counts
  (数百人, 几十人);
- 一 alone before a unit, which is mostly the article "a" (一个平台, 一次性,
  一条龙), not a count;
- numbers inside set phrases (千家万户, “四个意识”) and inside book or
  document titles in 《》.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Counting units, longest first so that 人次 wins over 人.
UNITS: tuple[str, ...] = (
    "人次", "卷次", "件次", "场次", "人", "名", "位", "份", "条", "篇", "期", "幅", "块", "场", "次",
    "套", "册", "本", "张", "件", "卷", "家", "个", "所", "处", "项", "部",
)
# A unit followed by these is another word (个月 is a duration, 部分 a part, 张贴 a verb).
_NOT_UNIT = {
    "个": "月|多月|半月|小时|钟头|工作日|星期|礼拜",
    "人": "民",
    "期": "间",
    "场": "所|馆|地|景|面",
    "本": "次|年|届|单位",
    "部": "门|分|署",
    "张": "贴",
    "条": "例|件",
    "项": "目",
    "所": "有|以|在",
    "位": "置",
}
_UNIT = "|".join(f"{u}(?!{_NOT_UNIT[u]})" if u in _NOT_UNIT else u for u in UNITS)
_DIGIT = "[0-9\uff10-\uff19]"
_ARABIC = rf"{_DIGIT}{{1,3}}(?:,{_DIGIT}{{3}})+(?!{_DIGIT})|{_DIGIT}+(?:[.\uff0e]{_DIGIT}+)?"
_CHINESE = "[零〇一二两三四五六七八九十百千万亿]+"
_FIGURE = re.compile(
    rf"""
    (?P<pre>大约|将近|接近|超过|不少于|不下|约|近|逾|上(?=[百千万]))?
    (?:(?P<arabic>{_ARABIC})(?:\s*[-~～—–至到]\s*(?:{_ARABIC}))?|(?P<chinese>{_CHINESE}))
    (?P<mult>[万千百亿])?
    (?P<more>余|多|几|来)?
    (?P<mult2>[万千亿])?
    (?P<unit>{_UNIT})
    (?P<post>以上|左右|上下|之多|有余)?
    """,
    re.VERBOSE,
)
_ARABIC_RANGE = re.compile(rf"(?:{_ARABIC})\s*[-~～—–至到]")
# What may not stand right before a figure: a digit, letter or digit with a
# separator (G20, 0571-8765, 9:30, a code); an ordinal (第); a rate (每人, 每个单位).
_BAD_BEFORE = re.compile(rf"(?:[0-9A-Za-z_#\uff10-\uff19]|{_DIGIT}[.,:\-/]|第|每\w{{0,3}})$")
# Before a Chinese numeral, also a vague count: 数百, 几十, 若干, 好几.
_VAGUE_BEFORE = frozenset("数几若好")
# 预约 (booking) and 附近 (nearby) end in a qualifier character without being one.
_NOT_QUALIFIER = frozenset({"预约", "邀约", "签约", "节约", "制约", "合约", "相约", "公约", "条约", "附近", "最近", "临近", "靠近", "亲近"})
_NOT_ABOVE = frozenset("线网以晚早会台墙屏之马")  # 线上千人: 上 belongs to 线上
_SET_PHRASES = re.compile(
    "千家万户|千方百计|千千万万|成千上万|万众一心|万家灯火|百家讲坛|百家争鸣|一家一户|一人一档|一条龙|一次性|"
    "成百上千|三个代表|四个意识|四个自信|四个全面|两个维护|两个确立|五位一体"
)
_TITLE = re.compile("《[^《》]*》")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_MULTIPLIER = {**_SMALL, **_BIG}
_MAX_DIGITS = 9  # longer digit runs are codes and phone numbers, not counts


@dataclass(frozen=True)
class Figure:
    """A quantity in a sentence: ``sentence[start:end] == text``.

    ``value`` is the number (300.0 for 300余份, 12000.0 for 1.2万人次), ``unit``
    its counting unit, and ``approximate`` is true for 余/多/近/约/以上 and ranges.
    """

    value: float
    text: str
    start: int
    end: int
    unit: str
    approximate: bool

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "unit": self.unit,
            "approximate": self.approximate,
        }


@dataclass(frozen=True)
class FigureTotal:
    """The figures of one unit summed over a report's sentences that carry one label.

    ``approximate`` is true when any of the ``count`` figures summed is.
    """

    value: float
    approximate: bool
    count: int

    def to_dict(self) -> dict:
        return {"value": self.value, "approximate": self.approximate, "count": self.count}


def extract_figures(sentence: str) -> tuple[Figure, ...]:
    """Return the figures that ``sentence`` reports, in order.

    Parameters
    ----------
    sentence : str
        One sentence (any text works; offsets index it).

    Returns
    -------
    tuple of Figure
        Value, matched text, offsets, unit and whether the figure is approximate.
        Dates, years, ordinals, phone and document numbers and durations are left out.

    Examples
    --------
    >>> from archday_nlp import extract_figures
    >>> [(f.value, f.unit, f.approximate) for f in extract_figures("6月9日,发放宣传资料300余份,发送短信一千余条,接待112人次。")]
    [(300.0, '份', True), (1000.0, '条', True), (112.0, '人次', False)]
    >>> extract_figures("第十五个国际档案日,县电视台连续三天播出宣传片。")
    ()
    """
    if not isinstance(sentence, str):
        raise TypeError(f"extract_figures expects str, got {type(sentence).__name__}")
    masked = _SET_PHRASES.sub(lambda m: "\x00" * len(m.group()), sentence)
    masked = _TITLE.sub(lambda m: "《" + "\x00" * (len(m.group()) - 2) + "》", masked)
    figures = []
    for match in _FIGURE.finditer(masked):
        figure = _figure(sentence, match)
        if figure is not None:
            figures.append(figure)
    return tuple(figures)


def _figure(sentence: str, match: re.Match) -> Figure | None:
    start, approximate = match.start(), False
    pre = match.group("pre")
    if pre:
        number_start = match.start("arabic") if match.group("arabic") is not None else match.start("chinese")
        if sentence[start - 1 : start + 1] in _NOT_QUALIFIER or (pre == "上" and sentence[start - 1 : start] in _NOT_ABOVE):
            start = number_start  # 预约30人次: the figure starts at the number, and is exact
        else:
            approximate = True
    if _BAD_BEFORE.search(sentence[:start]) or (match.group("chinese") and sentence[start - 1 : start] in _VAGUE_BEFORE):
        return None
    arabic, chinese = match.group("arabic"), match.group("chinese")
    if arabic is not None:
        digits = arabic.replace(",", "")
        if len(digits.split(".")[0].split("\uff0e")[0]) > _MAX_DIGITS:
            return None
        value = float(digits.replace("\uff0e", "."))  # float() reads full-width digits
        if _ARABIC_RANGE.match(sentence, match.start("arabic")):
            approximate = True
    else:
        if chinese == "一" and not (match.group("more") or match.group("mult2")):
            return None  # 一个平台, 一次性: the article, not a count
        parsed = _chinese_number(chinese)
        if parsed is None:
            return None
        value, is_range = parsed
        approximate = approximate or is_range
    for group in ("mult", "mult2"):
        if match.group(group):
            value *= _MULTIPLIER[match.group(group)]
    if match.group("more") or match.group("post"):
        approximate = True
    end = match.end()
    return Figure(value=value, text=sentence[start:end], start=start, end=end, unit=match.group("unit"), approximate=approximate)


def _chinese_number(text: str) -> tuple[float, bool] | None:
    """The value of a Chinese numeral and whether it is a range (三四百); None if it is no number.

    一万二 is 12,000 and 三百五 is 350: a digit after the last multiplier
    counts in the next smaller place, unless 零 stands before it (一千零五 is 1,005).
    """
    if all(ch in _DIGITS for ch in text):
        if len(text) == 1:
            return float(_DIGITS[text]), False
        if len(text) == 2 and _DIGITS[text[1]] - _DIGITS[text[0]] == 1 and _DIGITS[text[0]]:
            return float(_DIGITS[text[0]]), True  # 三四人
        return None  # 二〇二一 is a year written digit by digit
    total, section, number = 0, 0, None
    last_multiplier, zero_seen, is_range = 0, False, False
    previous = ""
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            if previous in _DIGITS and number is not None:
                if digit - number == 1 and number:
                    is_range = True  # 三四百: keep the lower bound
                    previous = ch
                    continue
                return None
            if digit == 0:
                zero_seen, number, previous = True, None, ch
                continue
            number = digit
        elif ch in _SMALL:
            if number is None and previous in _SMALL:
                return None  # 十百: not a numeral
            section += (1 if number is None else number) * _SMALL[ch]
            number, last_multiplier, zero_seen = None, _SMALL[ch], False
        else:
            amount = section + (number or 0)
            total += (amount or 1) * _BIG[ch]
            section, number, last_multiplier, zero_seen = 0, None, _BIG[ch], False
        previous = ch
    if number is not None:
        if last_multiplier and not zero_seen and previous in _DIGITS:
            section += number * last_multiplier // 10
        else:
            section += number
    return float(total + section), is_range
