"""The keyword baseline: a sentence takes a label when it contains one of the
guideline's typical words for it (shared/ANNOTATION.md, "typical words")."""
from __future__ import annotations

import re

from archday_nlp import LABELS

TYPICAL_WORDS = {
    "exhibition": "展览 图片展 档案展 展板 展牌 陈列 巡展 展厅 校史馆 网上展厅 云展览",
    "leafleting": "发放 张贴 悬挂 横幅 标语 彩页 折页 手册 挂图 海报 明白纸 黑板报 咨询台 现场咨询",
    "sms": "短信 彩信 手机短信平台 向手机用户发送",
    "open_access": "开放日 开放周 免费查阅 查阅利用 接待查档 提供利用 库房",
    "training": "培训 讲座 组织学习 以会代训 知识竞赛 有奖问答 答题 业务指导",
    "media": "电视台 广播 报纸 专栏 网站 信息网 微信公众号 公众号 推文 微博 微信群 抖音 短视频 直播 电子屏 显示屏 宣传片 报道 投稿 刊登",
}
_PATTERNS = {label: re.compile("|".join(TYPICAL_WORDS[label].split())) for label in LABELS}


def keyword_tags(sentence: str) -> tuple[str, ...]:
    """The labels whose typical words occur in ``sentence``.

    >>> keyword_tags("在广场发放宣传折页,并通过短信平台群发短信。")
    ('leafleting', 'sms')
    """
    return tuple(label for label in LABELS if _PATTERNS[label].search(sentence))
