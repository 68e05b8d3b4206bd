"""A cell's text as every reader gives it: invisible characters removed, odd spaces made plain.

Catalogs are typed in Word and Excel and pasted between systems, and carry what cannot be
seen: zero-width spaces, soft hyphens, bidirectional controls, ideographic and no-break spaces,
carriage returns, control characters. Every reader (text, xlsx, docx, html) passes a cell's
text through :func:`clean_cell` before it becomes a Cell.
"""

from __future__ import annotations

import re

# zero-width and soft hyphen; bidirectional embeddings, overrides and isolates (which can make
# a cell display other than it reads); invisible operators; interlinear annotation marks
_FORMAT = ("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u061c"
           "\u180e\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufff9\ufffa\ufffb")
_SPECIAL = re.compile(f"[{_FORMAT}\u3000\xa0\r\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = dict.fromkeys(map(ord, _FORMAT), None)


def clean_cell(text: str) -> str:
    """A cell's text with invisible characters removed, odd spaces made plain, ends trimmed."""
    if not _SPECIAL.search(text):
        return text.strip()
    text = text.translate(_INVISIBLE).replace("\u3000", " ").replace("\xa0", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
