"""Provisions (第N章/条/款/项) and the quotation after a citation, read where they are written.

Forms: ``第十二条``, ``第二十条第一款第（五）项``, ``第二十条第（五）项、第（六）项``,
``第十九条、第二十条``, ``第十九、二十条``, ``第十九条、二十条``, ``第十九条至第二十一条``,
``第二十条第五项``, ``第二十条（五）``, ``第20条``, ``第三章``, ``第三章第十条`` (a bare ``（二）``
right before a 《 numbers a list, it is no item); a quotation after them
(``第二十条“（五）办理行政许可……”``) and the item it opens with.
"""

from __future__ import annotations

import re

from catalog_graph.models import Provision
from catalog_graph.numerals import LIST_NUMERALS, PROVISION_NUMERALS, parse_int

_QUOTES = {"“": "”", "\"": "\"", "「": "」", "『": "』", "‘": "’", "”": "”"}
_WS = re.compile(r"[\s\u3000]*")
NUMBER = rf"[0-9０-９]+|[{PROVISION_NUMERALS}]+"


def skip_space(text: str, pos: int) -> int:
    """Where the white space (ideographic spaces too) starting at ``pos`` ends."""
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


_UNIT_LEVEL = {"章": 0, "条": 1, "款": 2, "项": 3}
_FIELDS = ("chapter", "article", "paragraph", "item")
_PROVISION = re.compile(
    rf"第[\s\u3000]*(?P<n>{NUMBER})(?P<more>(?:[\s\u3000]*[、，,和及][\s\u3000]*(?:{NUMBER}))*)"
    rf"[\s\u3000]*(?P<unit>章|节|条|款|项)(?:[\s\u3000]*之[\s\u3000]*(?:{NUMBER}))?"
    rf"|(?P<di>第)?[\s\u3000]*[（(][\s\u3000]*(?P<pn>{NUMBER})[\s\u3000]*[）)]"
    rf"(?:[\s\u3000]*(?P<punit>项))?"
)
# a sibling written without its 第 after a separator: 第十九条、二十条
_SIBLING = re.compile(rf"(?P<n>{NUMBER})[\s\u3000]*(?P<unit>条|款|项)")
_PROVISION_SEP = re.compile(r"[\s\u3000]*(?:(?P<range>至|到|—|～|~|-)|以及|[、，,和及与])[\s\u3000]*")
_MORE_NUMBERS = re.compile(NUMBER)


def provisions_at(text: str, pos: int) -> tuple[list[Provision], int] | None:
    """Provisions written at ``pos`` (see the module doc), and where they end."""
    tokens: list[tuple[int, int]] = []  # (level, number); level -1 marks a range
    end = pos
    at = pos
    while True:
        m = _PROVISION.match(text, at) or (_SIBLING.match(text, at) if tokens else None)
        if m is None:
            break
        groups = m.groupdict()
        if groups.get("pn") is not None:
            prev_level = tokens[-1][0] if tokens else None
            bare = not (m.group("di") or m.group("punit"))
            if bare and (prev_level not in (1, 2, 3) or
                         text[skip_space(text, m.end()):skip_space(text, m.end()) + 1] in
                         ("《", "〈", "<", "＜")):
                break  # 第二十条（二）《…》: （二） numbers a list
            value = parse_int(m.group("pn"))
            if value is None:
                break
            tokens.append((3, value))
        else:
            unit = m.group("unit")
            values = [parse_int(m.group("n"))]
            values += [parse_int(x) for x in _MORE_NUMBERS.findall(groups.get("more") or "")]
            if unit != "节":
                for v in values:
                    if v is not None:
                        tokens.append((_UNIT_LEVEL[unit], v))
        end = m.end()
        glued = skip_space(text, end)
        if _PROVISION.match(text, glued) is not None:  # 第二十条第一款
            at = glued
            continue
        sep = _PROVISION_SEP.match(text, end)
        if sep is None or not (_PROVISION.match(text, sep.end()) or
                               _SIBLING.match(text, sep.end())):
            break
        if sep.group("range") and tokens:
            tokens.append((-1, 0))
        at = sep.end()
    if not tokens:
        return None
    return _build_provisions(tokens), end


def _build_provisions(tokens: list[tuple[int, int]]) -> list[Provision]:
    expanded: list[tuple[int, int]] = []
    for k, (level, value) in enumerate(tokens):
        if level == -1:
            continue
        if k >= 2 and tokens[k - 1][0] == -1 and tokens[k - 2][0] == level \
                and 0 < value - tokens[k - 2][1] <= 50:
            expanded.extend((level, v) for v in range(tokens[k - 2][1] + 1, value))
        expanded.append((level, value))
    provisions: list[Provision] = []
    current: dict[int, int] = {}
    for level, value in expanded:
        if current and any(lv >= level for lv in current):
            provisions.append(_provision(current))
            current = {lv: v for lv, v in current.items() if lv < level}
        current[level] = value
    if current:
        provisions.append(_provision(current))
    return provisions


def _provision(levels: dict[int, int]) -> Provision:
    return Provision(**{_FIELDS[lv]: v for lv, v in levels.items()})


_QUOTE_ITEM = re.compile(
    rf"[\s\u3000]*(?:[{LIST_NUMERALS}]+[\s\u3000]*[、.．][^（(“”\n]{{0,40}}?)?"
    rf"[（(][\s\u3000]*(?P<n>{NUMBER})[\s\u3000]*[）)]")


def quoted_item(text: str, start: int, end: int) -> int | None:
    """The item a quotation opens with (``“（五）办理…”``, ``“三、…，（八）开展…”``), read in
    ``text[start:end]``; None when it opens with none."""
    m = _QUOTE_ITEM.match(text, start, end)
    return parse_int(m.group("n")) if m is not None else None


def quote_at(text: str, pos: int) -> tuple[int, int, int] | None:
    """A quotation at ``pos`` (after spaces and a colon): (open, close, end after it)."""
    q = skip_space(text, pos)
    if q < len(text) and text[q] in "：:":
        q = skip_space(text, q + 1)
    if q >= len(text) or text[q] not in _QUOTES:
        return None
    closer = _QUOTES[text[q]]
    close = text.find(closer, q + 1)
    if close < 0 and closer != "”":
        close = text.find("”", q + 1)
    if close < 0:  # unclosed: to the end of the sentence
        stop = q + 1
        while stop < len(text) and text[stop] not in "；;\n《":
            stop += 1
        return q, stop, stop
    return q, close, close + 1

