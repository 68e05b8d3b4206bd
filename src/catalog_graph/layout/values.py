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
    raw = " ".join(text.split())
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

    When a cell has both ticked (■) and unticked (□) boxes, only the ticked ones count.
    """
    if not text or not text.strip():
        return []
    has_boxes = any(ch in _UNTICKED for ch in text) or any(ch in _TICKED for ch in text)
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
            out.extend(tok for tok in _SPLIT.split(part) if tok)
    else:
        out = [tok for tok in _SPLIT.split(text) if tok]
    seen: set[str] = set()
    return [c for c in (tok.strip("：:。.") for tok in out) if c and not (c in seen or seen.add(c))]


def split_methods(text: str | None) -> list[str]:
    """A 公开方式 text → its methods: 主动 and/or 依申请 (other words kept as written)."""
    out: list[str] = []
    for tok in _SPLIT.split(text or ""):
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
    for tok in _SPLIT.split(text):
        tok = tok.strip("：:。.■□✓√")
        if tok and tok not in out:
            out.append(tok)
    return out
