"""Where titles stand in a text: in 《》 (nested marks allowed, an unclosed 《 ended at the
next stop), in 〈〉 ``<>`` ``＜＞`` when what they hold reads as a title, and a law's full name
written without marks (``中华人民共和国政府信息公开条例第二十条``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from catalog_graph.citations.titles import doc_kind
from catalog_graph.lexicon import STATE_NAME

OPEN_BRACKETS = "（(［[【〔﹝"
CLOSE_BRACKETS = "）)］]】〕﹞"
HARD_STOPS = frozenset("。；;！？!?\n\r：:，,“”\"「」『』")
_ALT_MARKS = {"〈": "〉", "<": ">", "＜": "＞"}


@dataclass(frozen=True, slots=True)
class TitleSpan:
    """A title in the text: ``text[start:end]`` with its marks, ``text[inner_start:inner_end]``
    without them."""

    start: int
    end: int
    inner_start: int
    inner_end: int


_OPENING_MARK = re.compile(r"[《〈<＜]")


def looks_like_title(inner: str) -> bool:
    """Whether a text reads as a title: it ends with a kind (…的通知) or says 关于."""
    return len(inner) >= 2 and (doc_kind(inner) is not None or "关于" in inner)


def _matching_marks(text: str) -> dict[int, int]:
    """Where each 《 is closed: the 》 that brings the nesting depth counted from it back to
    zero. One pass with a stack (a 《 never closed has no entry), so that a text of many
    unclosed 《 costs no more than its length."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for m in _BOOK_MARK.finditer(text):
        if m.group() == "《":
            stack.append(m.start())
        elif stack:
            closing[stack.pop()] = m.start()
    return closing


_BOOK_MARK = re.compile("[《》]")


def book_titles(text: str) -> list[TitleSpan]:
    """Top-level titles in 《》 (balanced, nesting allowed; an unclosed 《 ends at the next
    hard stop or doc-number bracket), and in 〈〉 <> ＜＞ when they read as titles."""
    spans: list[TitleSpan] = []
    n = len(text)
    closing = _matching_marks(text)
    i = 0
    while i < n:
        found = _OPENING_MARK.search(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch == "《":
            j = closing.get(i, n)
            if j < n:
                if text[i + 1:j].strip():
                    spans.append(TitleSpan(i, j + 1, i + 1, j))
                i = j + 1
                continue
            stop = i + 1  # unclosed: up to a hard stop, a new 《 or a bracket
            while stop < n and text[stop] not in "。；;\n《" and text[stop] not in OPEN_BRACKETS:
                stop += 1
            end = stop
            while end > i + 1 and text[end - 1].isspace():
                end -= 1
            if end > i + 1:
                spans.append(TitleSpan(i, end, i + 1, end))
            i = max(stop, i + 1)
            continue
        if ch in _ALT_MARKS:
            close = text.find(_ALT_MARKS[ch], i + 1, i + 120)
            if close > i + 1:
                inner = text[i + 1:close]
                if not any(c in HARD_STOPS or c in "《》" for c in inner) and \
                        looks_like_title(inner.strip()):
                    spans.append(TitleSpan(i, close + 1, i + 1, close))
                    i = close + 1
                    continue
        i += 1
    return spans


_BARE_LAW = re.compile(re.escape(STATE_NAME) + r"[\u4e00-\u9fff]{2,40}")


def bare_laws(text: str, titles: list[TitleSpan]) -> list[TitleSpan]:
    """Full names of laws and regulations written without marks: 中华人民共和国…法/条例,
    followed by an article (第…) or by nothing more of the name."""
    found: list[TitleSpan] = []
    for m in _BARE_LAW.finditer(text):
        k = bisect_right(titles, m.start(), key=lambda t: t.start) - 1  # titles do not overlap
        if k >= 0 and m.start() < titles[k].end:
            continue
        run = m.group(0)
        for k in range(len(run), 8, -1):
            head, rest = run[:k], run[k:]
            if (rest == "" or rest.startswith("第")) and head.endswith(("法", "条例")) \
                    and not head.endswith("令"):
                found.append(TitleSpan(m.start(), m.start() + k, m.start(), m.start() + k))
                break
    return found

