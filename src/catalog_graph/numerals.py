"""Chinese and full-width numerals to integers: 二十 → 20, 七十三 → 73, 一百零八 → 108, ２０１８ → 2018.

The characters and their values are data (``ontology/lexicon/numerals.tsv``); the sets of them
that patterns look for in running text are named here, each as the code before the table had it.
"""

from __future__ import annotations

from catalog_graph.lexicon import table

_ROWS = tuple((r.word, int(r["value"]), r["kind"], r["spelling"]) for r in table("numerals"))
_DIGITS = {word: value for word, value, kind, _ in _ROWS if kind == "digit"}
_UNITS = {word: value for word, value, kind, _ in _ROWS if kind == "unit"}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def numeral_chars(top: int, *spellings: str, lowest: int = 0) -> str:
    """The plain numeral characters worth ``lowest`` to ``top`` (digits, and units up to
    ``top``), with those of the other ``spellings`` named (``ideographic_zero``, ``colloquial`` …)
    in that range: ``numeral_chars(10, lowest=1)`` is 一二三四五六七八九十."""
    return "".join(word for word, value, _, spelling in _ROWS
                   if lowest <= value <= top and (spelling == "plain" or spelling in spellings))


#: 一 to 九: a level's rank (二级事项).
DIGITS_1_9 = numeral_chars(9, lowest=1)
#: 一 to 十: list numbers (一、 （二）).
LIST_NUMERALS = numeral_chars(10, lowest=1)
#: provisions (第二十条, 第一百零八条, 第两款): no ○ or Ｏ.
PROVISION_NUMERALS = numeral_chars(1000, "ideographic_zero", "colloquial")
#: an article number in a cell (第十条) that marks it as a 公开依据.
BASIS_NUMERALS = numeral_chars(100, "ideographic_zero")
#: a doc number's year, digit by digit (〔二〇一八〕, 〔二○一八〕).
YEAR_DIGITS = numeral_chars(9, "ideographic_zero", "circle_zero")
#: a doc number's serial (国务院令第七十三号).
SERIAL_NUMERALS = numeral_chars(1000, "ideographic_zero", "circle_zero", "colloquial")

MAX_LENGTH = 20

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def to_halfwidth_digits(text: str) -> str:
    """Replace full-width digits ０-９ with ASCII digits."""
    return text.translate(_FULLWIDTH)


def parse_int(text: str) -> int | None:
    """An integer written in Arabic, full-width or Chinese numerals; None if it is none of them.

    Forms: ``20``, ``２０``, ``二十``, ``十二``, ``七十三``, ``一百零八``, ``二〇一八`` (digit by digit).
    A numeral longer than :data:`MAX_LENGTH` characters is none: no article, year or serial is
    written so (and Python refuses to convert more than 4,300 digits).
    """
    s = to_halfwidth_digits(text.strip())
    if not s or len(s) > MAX_LENGTH:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        return None
    if not any(ch in _UNITS for ch in s):  # 二〇一八: digit by digit
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit == 10000:
            section = (section + (digit or 0)) * unit
            total += section
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


_CN_DIGITS = "".join(sorted((w for w, v, kind, spelling in _ROWS
                             if kind == "digit" and spelling == "plain"), key=_DIGITS.__getitem__))
_CN_UNITS = {v: w for w, v, kind, spelling in _ROWS if kind == "unit" and spelling == "plain"}


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十 (0 < number < 10000)."""
    if not 0 < number < 10000:
        return str(number)
    out = ""
    zero = False
    for value, unit in ((1000, _CN_UNITS[1000]), (100, _CN_UNITS[100]), (10, _CN_UNITS[10]),
                        (1, "")):
        digit = number // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        if not (value == 10 and digit == 1 and not out):
            out += _CN_DIGITS[digit]
        out += unit
    return out
