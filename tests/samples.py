"""Test documents: a template collection of eight reports, as essay sites publish them."""

_BODIES = [
    ("xx社区", "6月9日当天,我馆在人民广场设立咨询台,向过往市民发放档案法宣传折页400余份。"),
    ("xx镇", "镇档案室联合文化站举办\"百年变迁\"老照片展,展出照片120余幅。"),
    ("xx县档案局", "通过移动公司向全县手机用户群发档案日主题短信8000余条。"),
    ("xx区档案馆", "宣传周期间,档案馆阅览室向社会免费开放,共接待查档群众65人次。"),
    ("xx街道", "邀请市档案馆业务骨干为各单位兼职档案员开展业务培训。"),
    ("xx融媒体中心", "在区融媒体中心微信公众号推送专题文章3篇,阅读量达2300次。"),
    ("xx学校", "志愿者在街口摆放宣传展板,接待过往群众300余人次。"),
    ("xx医院", "成立了由分管副局长任组长的活动领导小组,明确了任务分工。"),
]

TITLES = [f"20__年{unit}国际档案日宣传活动总结 篇{n}" for n, (unit, _) in enumerate(_BODIES, 1)]

#: Eight reports in one document, with a collection title first; lines end in "\n".
COLLECTION = "国际档案日宣传活动总结(精选8篇)\n\n" + "\n\n".join(
    f"{title}\n为进一步增强全民档案意识,{unit}开展了国际档案日宣传活动。\n{body}\n通过此次活动,进一步增强了广大群众的档案意识。"
    for title, (unit, body) in zip(TITLES, _BODIES)
) + "\n"
