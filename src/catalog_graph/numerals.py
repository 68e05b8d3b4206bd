"""Chinese and full-width numerals to integers: 二十 → 20, 七十三 → 73, 一百零八 → 108, ２０１８ → 2018."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3,
           "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
           "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)

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


_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十 (0 < number < 10000)."""
    if not 0 < number < 10000:
        return str(number)
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        if not (unit == "十" and digit == 1 and not out):
            out += _CN_DIGITS[digit]
        out += unit
    return out
