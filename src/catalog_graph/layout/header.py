"""What a header cell names and what a data cell looks like.

Header texts vary by body and year (DOMAIN.md lists those seen); they map to fields
here. Cell classifiers recognise a cell by what it holds, so that rows whose cells
sit in the wrong columns can be put right.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Fields a column can hold.
NUMBER, LEVEL, CONTENT, BASIS, TIME, SUBJECT, CHANNELS, AUDIENCE, METHOD, TIER = (
    "number", "level", "content", "basis", "time_limit", "subject", "channels", "audience",
    "method", "level_tier",
)

# Header text (whitespace and trailing （…） removed) → field. Exact names first.
HEADER_NAMES: dict[str, str] = {
    "序号": NUMBER, "编号": NUMBER, "序": NUMBER, "序列": NUMBER,
    "公开事项": LEVEL, "事项": LEVEL, "事项名称": LEVEL, "事项类别": LEVEL, "类别": LEVEL,
    "公开类别": LEVEL, "信息类别": LEVEL, "目录名称": LEVEL, "公开目录": LEVEL, "公开项目": LEVEL,
    "一级事项": LEVEL, "二级事项": LEVEL, "三级事项": LEVEL, "四级事项": LEVEL, "五级事项": LEVEL,
    "一级指标": LEVEL, "二级指标": LEVEL, "三级指标": LEVEL, "四级指标": LEVEL,
    "一级目录": LEVEL, "二级目录": LEVEL, "三级目录": LEVEL, "一级分类": LEVEL, "二级分类": LEVEL,
    "三级分类": LEVEL, "一级类别": LEVEL, "二级类别": LEVEL, "三级类别": LEVEL,
    "公开内容": CONTENT, "公开要素": CONTENT, "内容": CONTENT, "具体内容": CONTENT,
    "公开内容要素": CONTENT, "信息内容": CONTENT, "主要内容": CONTENT,
    "公开依据": BASIS, "依据": BASIS, "政策依据": BASIS, "法律依据": BASIS, "公开依据文件": BASIS,
    "法规依据": BASIS, "设定依据": BASIS,
    "公开时限": TIME, "时限": TIME, "公开时间": TIME, "时限要求": TIME, "公开时限要求": TIME,
    "更新时限": TIME,
    "公开主体": SUBJECT, "责任主体": SUBJECT, "公开部门": SUBJECT, "责任单位": SUBJECT,
    "责任部门": SUBJECT, "公开单位": SUBJECT, "主体": SUBJECT, "公开责任主体": SUBJECT,
    "发布主体": SUBJECT, "牵头单位": SUBJECT,
    "公开渠道和载体": CHANNELS, "公开渠道": CHANNELS, "公开载体": CHANNELS, "渠道": CHANNELS,
    "载体": CHANNELS, "公开途径": CHANNELS, "公开渠道及载体": CHANNELS, "公开形式": CHANNELS,
    "渠道和载体": CHANNELS, "公开平台": CHANNELS,
    "公开对象": AUDIENCE, "对象": AUDIENCE, "公开范围": AUDIENCE,
    "公开方式": METHOD, "方式": METHOD,
    "公开层级": TIER, "层级": TIER, "适用层级": TIER,
}

# Sub-header texts: a mark column's label, under a field's top header.
AUDIENCE_LABELS = ("全社会", "特定群众", "特定群体", "特定对象", "特定人群", "社会公众")
METHOD_LABELS = ("主动", "依申请", "主动公开", "依申请公开")
TIER_PATTERN = re.compile(r"^(?:国家|省|市|县|乡|镇|村|区|街道|乡镇|乡（镇）|乡\(镇\))级?$")
LEVEL_SUBHEADER = re.compile(r"^(?:[一二三四五六七八九]|[1-9])级(?:事项|指标|目录|分类|类别|名称)?$")

MARKS = frozenset("✓√●■✔☑★▲◆♦●✅*")
MARK_WORDS = frozenset({"是", "Y", "y", "yes", "Yes", "有", "○", "〇"})
UNMARKED = frozenset({"", "□", "×", "✗", "否", "N", "n", "无", "-", "—", "/"})

_SPACE = re.compile(r"\s+")


def normalize_header(text: str) -> str:
    """A header text with white space and a trailing （…） gloss removed: 公开内容（要素） → 公开内容."""
    text = _SPACE.sub("", text)
    return _without_gloss(text) or text


def _without_gloss(text: str) -> str:
    """``text`` without the （…） that ends it: from the first opening bracket after the last
    closing one before the end (what ``[（(][^）)]*[）)]$`` removes, found without the regex's
    backtracking, which cost the square of a long cell's length)."""
    if not text or text[-1] not in "）)":
        return text
    body = text[:-1]
    after = max(body.rfind("）"), body.rfind(")")) + 1
    opens = [i for i in (body.find("（", after), body.find("(", after)) if i >= 0]
    return text[:min(opens)] if opens else text


def header_field(text: str) -> str | None:
    """The field a header text names, or None if it names none we know."""
    name = normalize_header(text)
    if not name:
        return None
    if name in HEADER_NAMES:
        return HEADER_NAMES[name]
    full = _SPACE.sub("", text)
    if full in HEADER_NAMES:
        return HEADER_NAMES[full]
    if LEVEL_SUBHEADER.match(name):
        return LEVEL
    if len(name) > 12:  # a long text is data, not a header
        return None
    for needle, field in (("依据", BASIS), ("时限", TIME), ("渠道", CHANNELS), ("载体", CHANNELS),
                          ("主体", SUBJECT), ("责任单位", SUBJECT), ("公开部门", SUBJECT),
                          ("对象", AUDIENCE), ("方式", METHOD), ("层级", TIER), ("序号", NUMBER),
                          ("内容", CONTENT), ("要素", CONTENT), ("事项", LEVEL), ("指标", LEVEL)):
        if needle in name:
            return field
    return None


def subheader_kind(text: str) -> str | None:
    """What a second header row's cell labels: a level, or a mark column of a field."""
    name = normalize_header(text)
    if not name:
        return None
    if LEVEL_SUBHEADER.match(name):
        return LEVEL
    if name in AUDIENCE_LABELS:
        return AUDIENCE
    if name in METHOD_LABELS:
        return METHOD
    if TIER_PATTERN.match(name):
        return TIER
    return None


# ---------------------------------------------------------------- cell classifiers

_BASIS = re.compile(
    r"《|〔\s*(?:19|20)\d\d|[\[［【﹝(（]\s*(?:19|20)\d\d\s*[\]］】﹞)）]\s*\d|"
    r"第[一二三四五六七八九十百零〇\d]+条|[发令函字]\s*[〔\[［【﹝(（]|令第|条例|办法》|规定》"
)
_TIME = re.compile(
    r"工作日|个?日内|天内|实时|每年|每季|每月|每半年|季度|及时|常态|长期|月底|日前|日之前|年底|"
    r"之日起|随时|动态更新|定期|即时|当日|次日|年内|月内|周内"
)
_CHANNELS = re.compile(
    r"[■□]|网站|新媒体|公示栏|公告栏|公开栏|政务服务|报刊|报纸|广播|电视|微信|微博|两微一端|客户端|"
    r"APP|App|app|纸质|查阅点|媒体|便民服务|平台|公众号|发布会|信息屏|显示屏|宣传栏|橱窗"
)
_SUBJECT = re.compile(
    r"(?:局|委|办|政府|中心|厅|部|院|所|站|科|处|镇|乡|街道|委员会|单位|部门|公司|馆|队|室|"
    r"办公室|股|组|会|社区|村|村委会|居委会|管委会|分局|支队|大队)$"
)
_NUMBER = re.compile(r"^(?:\d+(?:[.．]\d+)*[.．、]?|[一二三四五六七八九十]+[、.．]?|[（(][一二三四五六七八九十\d]+[）)])$")


@lru_cache(maxsize=65536)
def is_mark(text: str) -> bool:
    """A ✓-style mark (✓ √ ● ■ …) meaning 'yes' in a mark column."""
    t = text.strip()
    return bool(t) and (t in MARK_WORDS or all(ch in MARKS for ch in t))


@lru_cache(maxsize=65536)
def looks_like(text: str) -> frozenset[str]:
    """The fields a cell's text could belong to, judged by what it holds."""
    t = text.strip()
    if not t:
        return frozenset()
    kinds = set()
    if is_mark(t):
        return frozenset({"mark"})
    if _NUMBER.match(t):
        kinds.add(NUMBER)
    if _BASIS.search(t):
        kinds.add(BASIS)
    if len(t) <= 60 and _TIME.search(t) and "《" not in t:
        kinds.add(TIME)
    if len(t) <= 80 and _CHANNELS.search(t) and "《" not in t:
        kinds.add(CHANNELS)
    if len(t) <= 30 and _SUBJECT.search(t) and not ({BASIS, TIME} & kinds):
        kinds.add(SUBJECT)
    return frozenset(kinds)


def is_descriptive(text: str) -> bool:
    """Text that describes what is disclosed rather than naming an item level.

    A level names a category (政府信息公开制度, 社会救助和社会福利领域); descriptive text is long
    and enumerates (国家、省、市出台政务公开相关制度规定).
    """
    t = text.strip()
    if len(t) >= 30:
        return True
    return len(t) >= 16 and any(ch in t for ch in "、，。；：,;")
