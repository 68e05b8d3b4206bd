"""Lines of text in a printed cell → the cell's text.

A PDF holds the lines a cell was printed in, not the text that was typed. A line ends either
because the next word did not fit (a wrap: the break is not in the text) or because the author
broke it (a hard break: kept as "\n"). The two are told apart the way the printer decided: a
break is a wrap when the next line's first unbreakable piece would not have fitted in the room
left on the line. Printers keep some pieces together that the rules here split (LibreOffice
keeps ``〔2022〕14号`` whole), so a line must leave room for two more characters before its
break counts as typed — except before a list marker (``2.`` ``（二）`` ``■``), where the piece
alone decides. A wrap is then joined:

- between two CJK characters (``政府信息公`` + ``开指南``): nothing — no stray breaks in words;
- before punctuation that may not start a line (``地址`` + ``、办公时间``): nothing;
- between ASCII words (``Open`` + ``Government``): one space;
- before a bullet (``■政府网站`` + ``■政务新媒体``): one space, as the bullets were typed;
- before a list marker (``；`` + ``2.《…》``): nothing, the marker follows the text it ended.

A hard break stays ``"\n"``: numbered lists typed one item per line (``1.…`` / ``2.…``,
``（一）…`` / ``（二）…``, ``■…`` / ``■…``) keep their lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Characters a line may not start with (Chinese line breaking, GB/T 15834 kinsoku): they
# travel with the character before them.
NO_LINE_START = set("、，。；：？！）》〉」』】〕］｝…—～·.,;:?!)]}%％℃")
# Characters a line may not end with: they travel with the character after them.
NO_LINE_END = set("（《〈「『【〔［｛([{")
# Quotation marks (Unicode line breaking class QU) hold on to both neighbours.
QUOTES = set("“”‘’\"'")
BULLETS = set("■□●○◆◇▪▫•◼◻☐☑✓✔√")

LIST_MARKER = re.compile(
    r"(?:\d{1,3}[.．、)）]|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]"
    r"|[一二三四五六七八九十]{1,3}、|[■□●○◆◇▪•√✓])"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of a cell: its text and where its glyphs start and end."""

    text: str
    x0: float
    x1: float
    first_piece: float  # width of the line's first unbreakable piece (see piece_end)
    size: float  # font size
    trailing_space: bool = False  # the line ended in a space glyph the wrap consumed

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul, CJK punctuation and full-width forms."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def piece_end(text: str) -> int:
    """Length of the first piece of ``text`` a printer cannot break (Unicode line breaking,
    simplified): opening brackets, an ASCII word or one character, closing punctuation; a
    quotation mark binds the piece to what follows it (``例》“（三）`` is one piece)."""
    i = 0
    n = len(text)
    while i < n:
        while i < n and (text[i] in NO_LINE_END or text[i] in QUOTES):
            i += 1
        if i < n and text[i].isascii() and text[i].isalnum():
            while i < n and text[i].isascii() and (text[i].isalnum() or text[i] in "-_/'"):
                i += 1
        elif i < n:
            i += 1
        while i < n and (text[i] in NO_LINE_START or text[i] in QUOTES):
            i += 1
        if i >= n or not (text[i - 1] in QUOTES or text[i - 1] in NO_LINE_END):
            break
    return max(i, 1)


def is_wrap(line: Line, following: Line, usable: float, slack: float) -> bool:
    """Did the printer break here because ``following``'s first piece would not fit?"""
    room = usable - line.width
    if LIST_MARKER.match(following.text):
        return following.first_piece > room - slack
    return following.first_piece > room - max(slack, 2 * following.size)


def joiner(before: str, after: str, trailing_space: bool = False) -> str:
    """What a wrap between ``before`` and ``after`` stood for in the typed text."""
    if not before or not after:
        return ""
    a, b = before[-1], after[0]
    if b in BULLETS:
        return "" if a in NO_LINE_START and is_cjk(a) else " "
    if trailing_space:
        return " "
    if a.isascii() and b.isascii() and (a.isalnum() or a in ".,;:!?)]}%") and b.isalnum():
        word = before.rsplit(" ", 1)
        # one ASCII token filling a whole line (a long URL or number) was cut, not wrapped
        return " " if len(word) > 1 or not before.isascii() else ""
    return ""


def join_lines(lines: Sequence[Line], left: float, right: float, pad: float,
               slack: float) -> str:
    """The text of a cell from its printed lines, between borders ``left`` and ``right``
    with ``pad`` of padding inside each; ``slack`` absorbs rounding in glyph widths."""
    if not lines:
        return ""
    usable = (right - left) - 2 * pad
    parts = [lines[0].text]
    for prev, line in zip(lines, lines[1:], strict=False):
        if is_wrap(prev, line, usable, slack):
            parts.append(joiner(prev.text, line.text, prev.trailing_space))
        else:
            parts.append("\n")
        parts.append(line.text)
    return "".join(parts)
