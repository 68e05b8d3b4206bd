"""Cell values understood: time limits, channel lists, audiences and methods.

Forms handled:
- time limits: ``自该信息形成或者变更之日起20个工作日内`` (within 20 working days),
  ``15日内`` / ``十五个工作日`` / ``7天内``, ``实时更新`` / ``即时`` (realtime),
  ``每年1月31日前`` / ``每年3月底前`` (annual deadline MM-DD), anything else ``other``;
- channels: ``■政府网站 ■政务新媒体``, ``政府网站、村公示栏``, ``□`` marking an unticked box;
- audience and method as text: ``全社会``, ``特定群众``, ``主动公开``, ``依申请``.
"""

from __future__ import annotations

import calendar
import re

from catalog_graph.lexicon import alternation, marks, words
from catalog_graph.models import TimeLimit
from catalog_graph.numerals import CHINESE_NUMERAL_CHARS, parse_int, to_halfwidth_digits

# Characters of Chinese text (ideographs, CJK punctuation 《》、。, full-width forms): a space
# between two of them is where a line wrapped in Word or a PDF, never a separator.
WIDE = "\u2e80-\u2fff\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_WRAP_SPACE = re.compile(rf"(?<=[{WIDE}])[ \t\u3000\u00a0]+(?=[{WIDE}])")


def fold_wraps(text: str) -> str:
    """Spaces left by line wrapping removed: a space between two Chinese characters
    (``政务 新媒体``, ``15个工 作日内``, ``特 定 群 众``) goes; other spaces stay."""
    return _WRAP_SPACE.sub("", text)


def join_lines(text: str) -> str:
    """A cell's lines as one line: wrap spaces folded within each line (``15个工 作日内``), the
    lines kept apart by one space (a line break in a cell is the writer's, not a wrap)."""
    return " ".join(" ".join(fold_wraps(line).split()) for line in text.splitlines()
                    if line.strip())


def _wide(ch: str) -> bool:
    return bool(re.match(f"[{WIDE}]", ch))


_NUM = rf"(\d+|[{CHINESE_NUMERAL_CHARS}]+)"
# The words are data: ontology/lexicon/time_limits.tsv.
_WORKING_DAYS = words("time_limits", "working_days")
_DAY_UNITS = alternation(_WORKING_DAYS + words("time_limits", "days"))
_WITHIN = re.compile(rf"(?<![月\d{CHINESE_NUMERAL_CHARS}])" + _NUM + rf"\s*个?\s*({_DAY_UNITS})")
_ANNUAL = re.compile(r"每年\s*(?:的)?\s*" + _NUM + r"\s*月\s*(?:" + _NUM + r"\s*[日号]|(底|末))")
_REALTIME = re.compile(alternation(words("time_limits", "realtime")))


def parse_time_limit(text: str | None) -> TimeLimit | None:
    """A 公开时限 cell → TimeLimit (None for an empty cell)."""
    if text is None or not text.strip():
        return None
    raw = " ".join(fold_wraps(text).split())
    t = to_halfwidth_digits(raw)
    candidates: list[tuple[int, TimeLimit]] = []
    m = _WITHIN.search(t)
    if m:
        days = parse_int(m.group(1))
        if days is not None:
            candidates.append((m.start(), TimeLimit(raw, "within_days", days, m.group(2) in _WORKING_DAYS)))
    m = _ANNUAL.search(t)
    if m:
        month = parse_int(m.group(1))
        if month is not None and 1 <= month <= 12:
            if m.group(3):
                day = calendar.monthrange(2001, month)[1]  # a common year: 02-28
            else:
                day = parse_int(m.group(2)) or 0
            if 1 <= day <= 31:
                candidates.append((m.start(), TimeLimit(raw, "annual_deadline", deadline=f"{month:02d}-{day:02d}")))
    m = _REALTIME.search(t)
    if m:
        candidates.append((m.start(), TimeLimit(raw, "realtime")))
    if not candidates:
        return TimeLimit(raw, "other")
    return min(candidates, key=lambda c: c[0])[1]


# The boxes of a channel list: ontology/lexicon/marks.tsv.
_TICKED = marks().ticked_boxes
_UNTICKED = marks().unticked_boxes
_SPLIT = re.compile(r"[\s、，,；;／/|]+")


def split_channels(text: str | None) -> list[str]:
    """A 公开渠道 cell → the channels ticked or named, in order, without duplicates.

    When a cell has ticked boxes (■), only the ticked channels count, not those after □; a
    cell of unticked boxes only (``☐县政府门户网站``) uses them as bullets: all its names count.
    """
    if not text or not text.strip():
        return []
    # only unticked boxes (☐县政府门户网站): nothing is ticked, so the boxes are bullets
    has_boxes = any(ch in _TICKED for ch in text)
    out: list[str] = []
    if has_boxes:
        # Split before every box; the text after a box belongs to it.
        parts = re.split(f"([{_TICKED}{_UNTICKED}])", text)
        ticked = None  # text before the first box counts as named
        for part in parts:
            if len(part) == 1 and part in _TICKED + _UNTICKED:
                ticked = part in _TICKED
                continue
            if ticked is False:
                continue
            out.extend(_channel_tokens(part))
    else:
        out = _channel_tokens(re.sub(f"[{_UNTICKED}]", " ", text))
    seen: set[str] = set()
    return [c for c in (tok.strip("：:。.") for tok in out) if c and not (c in seen or seen.add(c))]


# What a channel's name holds (a piece without any is the wrapped half of a name).
CHANNEL_WORDS = re.compile(
    r"[■□]|网站|新媒体|公示栏|公告栏|公开栏|政务服务|报刊|报纸|广播|电视|微信|微博|两微一端|客户端|"
    r"APP|App|app|纸质|查阅点|媒体|便民服务|平台|公众号|发布会|信息屏|显示屏|宣传栏|橱窗|公报|"
    r"服务中心|服务站|大厅|栏|屏|会议|入户|现场")
_HARD_SPLIT = re.compile(r"[\n、，,；;／/|]+")
_LIST_NUMBER = re.compile(r"^(?:\d+[.．、]|[（(]\d+[）)])\s*")


def _channel_tokens(text: str) -> list[str]:
    """The channels of a piece of a channel cell: split at list separators and line breaks;
    a space splits too, unless a side holds no channel word: a name ends with its channel word,
    so a piece without one is the first half of the next (``政务 新媒体`` is one name wrapped,
    ``政府网站 政务新媒体`` two); list numbers (``1.政府网站``) dropped."""
    out: list[str] = []
    for piece in _HARD_SPLIT.split(text):
        words = [w for w in piece.split() if w]
        merged: list[str] = []
        carry = ""  # a wrapped first half (政务) waiting for the rest of its name (新媒体)
        for w in words:
            if carry and _wide(carry[-1]) and _wide(w[0]):
                w = carry + w
            elif carry:
                merged.append(carry)
            carry = ""
            if not CHANNEL_WORDS.search(w):
                carry = w
            else:
                merged.append(w)
        if carry:
            if merged and _wide(merged[-1][-1]) and _wide(carry[0]):
                merged[-1] += carry
            else:
                merged.append(carry)
        out.extend(_LIST_NUMBER.sub("", m) for m in merged)
    return [t for t in out if t]


def split_methods(text: str | None) -> list[str]:
    """A 公开方式 text → its methods: 主动 and/or 依申请 (other words kept as written)."""
    out: list[str] = []
    for tok in _SPLIT.split(fold_wraps(text or "")):
        tok = tok.strip("：:。.")
        found = sorted((tok.find(name), name) for name in ("主动", "依申请") if name in tok)
        for name in [name for _, name in found] or ([tok] if tok else []):
            if name not in out:
                out.append(name)
    return out


def split_list(text: str | None) -> list[str]:
    """A cell listing several values (全社会、特定群众) → the values."""
    if not text or not text.strip():
        return []
    out: list[str] = []
    for tok in _SPLIT.split(fold_wraps(text)):
        tok = tok.strip("：:。.■□✓√")
        if tok and tok not in out:
            out.append(tok)
    return out
