"""What a header cell names and what a data cell looks like.

Header texts vary by body and year (DOMAIN.md lists those seen); they map to fields by
the table ``ontology/lexicon/headers.tsv`` (a row added there teaches a new name). Cell
classifiers recognise a cell by what it holds, so that rows whose cells
sit in the wrong columns can be put right.
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalog_graph.lexicon import alternation, body_words, header_words, marks, words
from catalog_graph.numerals import BASIS_NUMERALS, DIGITS_1_9, LIST_NUMERALS

# Fields a column can hold.
NUMBER, LEVEL, CONTENT, BASIS, TIME, SUBJECT, CHANNELS, AUDIENCE, METHOD, TIER = (
    "number", "level", "content", "basis", "time_limit", "subject", "channels", "audience",
    "method", "level_tier",
)

# The header names, the words inside a header, the labels of mark columns and the marks are
# data: ontology/lexicon/headers.tsv and marks.tsv (read once per ontology directory).
# 县级, 乡镇（街道）级, 乡、村级, 村（社区）级: one or more tiers, glossed or not, then 级.
TIER_PATTERN = re.compile(
    r"^(?:(?:国家|省|市|县|区|乡镇|乡|镇|村|街道|社区)(?:[（(][^）)]{1,4}[）)])?[、/／]?)+级?$")
LEVEL_SUBHEADER = re.compile(rf"^(?:[{DIGITS_1_9}]|[1-9])级(?:事项|指标|目录|分类|类别|名称)?$")

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
    known = header_words()
    if name in known.names:
        return known.names[name]
    full = _SPACE.sub("", text)
    if full in known.names:
        return known.names[full]
    if LEVEL_SUBHEADER.match(name):
        return LEVEL
    if len(name) > 12:  # a long text is data, not a header
        return None
    for needle, field in known.parts:
        if needle in name:
            return field
    return None


def known_names() -> frozenset[str]:
    """Every header name and mark label headers.tsv knows (whole names)."""
    known = header_words()
    return frozenset(known.names) | frozenset(known.labels)


def complete_label(text: str, field: str | None) -> str:
    """A mark column's label cut short by its cell (``全`` for 全社会, ``依`` for 依申请) made
    whole: the one known label of the field it begins; else the text as it is."""
    name = normalize_header(text)
    labels = header_words().labels
    if not name or name in labels or field is None:
        return name
    fits = sorted({w for w, f in labels.items() if f == field and w.startswith(name)}, key=len)
    return fits[0] if fits and all(w.startswith(fits[0]) for w in fits) else name


def subheader_kind(text: str) -> str | None:
    """What a second header row's cell labels: a level, or a mark column of a field."""
    name = normalize_header(text)
    if not name:
        return None
    if LEVEL_SUBHEADER.match(name):
        return LEVEL
    label = header_words().labels.get(name)
    if label is not None:  # 全社会 → audience, 主动 → method
        return label
    if TIER_PATTERN.match(name):
        return TIER
    return None


# ---------------------------------------------------------------- cell classifiers

_BASIS = re.compile(
    r"《|〔\s*(?:19|20)\d\d|[\[［【﹝(（]\s*(?:19|20)\d\d\s*[\]］】﹞)）]\s*\d|"
    rf"第[{BASIS_NUMERALS}\d]+条|[发令函字]\s*[〔\[［【﹝(（]|令第|条例|办法》|规定》"
)
_TIME = re.compile(alternation(words("time_limits", "cue")))
_CHANNELS = re.compile(
    r"[■□]|网站|新媒体|公示栏|公告栏|公开栏|政务服务|报刊|报纸|广播|电视|微信|微博|两微一端|客户端|"
    r"APP|App|app|纸质|查阅点|媒体|便民服务|平台|公众号|发布会|信息屏|显示屏|宣传栏|橱窗"
)
_SUBJECT = re.compile(f"(?:{alternation(body_words('subject'))})$")
_NUMBER = re.compile(rf"^(?:\d+(?:[.．]\d+)*[.．、]?|[{LIST_NUMERALS}]+[、.．]?|[（(][{LIST_NUMERALS}\d]+[）)])$")


@lru_cache(maxsize=65536)
def is_mark(text: str) -> bool:
    """A ✓-style mark (✓ √ ● ■ …) meaning 'yes' in a mark column."""
    t = text.strip()
    known = marks()
    return bool(t) and (t in known.words or all(ch in known.symbols for ch in t))


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
