"""Repairs of OCR'd catalog text that cannot change what a correct reading says.

Each rule fires only in a context where the printed form is fixed:

- 发文字号 ``机关代字〔年份〕序号号``: any bracket pair OCR makes of 〔〕 ([ ] ( ) （ ） 【】 〈〉
  「」 {} and mixes) around a 4-digit year (19xx/20xx) that is followed by a number and 号 is
  put back to 〔〕; a missing opening or closing bracket there is restored; inside the year and
  the serial number, O o 〇 Ｏ → 0, l I | → 1, full-width digits → ASCII, spaces dropped.
- half-width ( ) next to CJK characters → （ ） (catalogs set brackets full-width in Chinese
  text); half-width , ; : between CJK characters → ，；：.
- a cell that is only a check mark read as √ V v ✔ → ✓.

Not done (not safe): S→5, B→8, Z→2 (they occur in real text), 0→〇 in Chinese numerals,
anything in free text outside a 发文字号.
"""

from __future__ import annotations

import re

_OPEN = r"\[\(（【〈「{〔［"
_CLOSE = r"\]\)）】〉」}〕］"
_DIGITISH = "0-9O o〇Ｏ０-９lI|"
_DIG = str.maketrans({"O": "0", "o": "0", "〇": "0", "Ｏ": "0", "l": "1", "I": "1", "|": "1",
                      **{chr(0xFF10 + i): str(i) for i in range(10)}})
# 机关代字 ends in a CJK character (发, 字, 函, 令, 办 ...), then 〔year〕 number 号
_DOCNO = re.compile(
    rf"(?P<pre>[\u4e00-\u9fff])\s*(?P<o>[{_OPEN}]?)\s*(?P<year>(?:1[9９]|2[0０OoＯ〇])[{_DIGITISH}]{{2}})"
    rf"\s*(?P<c>[{_CLOSE}]?)\s*(?P<num>[{_DIGITISH}]{{1,4}})\s*(?P<hao>号)")
_CJK = r"\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"


def _docno(m: re.Match) -> str:
    year = m["year"].replace(" ", "").translate(_DIG)
    num = m["num"].replace(" ", "").translate(_DIG)
    if not (year.isdigit() and num.isdigit()) or not (m["o"] or m["c"]):
        return m[0]  # not a 发文字号 as printed (no bracket at all): leave it
    return f"{m['pre']}〔{year}〕{num}号"


def normalize_citation(text: str) -> str:
    text = _DOCNO.sub(_docno, text)
    text = re.sub(rf"\((?=[{_CJK}《“])", "（", text)
    text = re.sub(rf"(?<=[{_CJK}》”])\)", "）", text)
    text = re.sub(rf"(?<=[{_CJK}])\((?=[^)]*[{_CJK}])", "（", text)
    text = re.sub(rf"(?<=[{_CJK}0-9])\)(?=[{_CJK}“《])", "）", text)
    text = re.sub(rf"(?<=[{_CJK}]),(?=[{_CJK}])", "，", text)
    text = re.sub(rf"(?<=[{_CJK}]);(?=[{_CJK}0-9])", "；", text)
    text = re.sub(rf"(?<=[{_CJK}]):(?=[{_CJK}])", "：", text)
    if text.strip() in {"√", "V", "v", "✔", "✓", "丿"}:
        return "✓"
    return text
