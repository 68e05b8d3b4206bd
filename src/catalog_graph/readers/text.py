"""Tab-separated text, as a clerk pastes a catalog from Word or Excel.

Encodings: UTF-8 with or without BOM, UTF-16 (with BOM, or LE/BE told by where its NUL
bytes fall), GB18030 (and so GBK and GB2312). CRLF or LF; cells holding line breaks
quoted the way Excel copies them. Comma-separated text (.csv) is read the same way.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import CatalogError
from ..models import Cell, RawTable

MAX_BYTES = 200 * 1024 * 1024


def decode(data: bytes, display: str) -> str:
    """Bytes → text, trying the encodings government files come in; CatalogError if none fits."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise CatalogError(display, "is empty", "empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:], "utf-8", display)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data, "utf-16", display)
    sample = data[:8192]
    if b"\x00" in sample:
        # UTF-16 without a BOM: the byte order whose text reads as text.
        best = max((_plausibility(sample, enc), enc) for enc in ("utf-16-le", "utf-16-be"))
        if best[0] >= 0.9:
            try:
                return _checked(data, best[1], display)
            except CatalogError:
                pass
        raise CatalogError(display, "holds binary data, not a text catalog", "binary")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _reject_binary(text, display)
        return text
    raise CatalogError(display, "is not text in UTF-8, UTF-16 or GB18030", "encoding")


def _plausibility(sample: bytes, encoding: str) -> float:
    """The share of characters that ordinary catalog text is made of (0 when it does not decode)."""
    text = sample[: len(sample) // 2 * 2].decode(encoding, errors="replace")
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch in "\t\r\n" or " " <= ch <= "~" or "\u3000" <= ch <= "\u9fff"
               or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u27bf")
    return good / len(text)


def _checked(data: bytes, encoding: str, display: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CatalogError(display, f"is not valid {encoding.upper()} text (byte {exc.start})",
                           "encoding") from None
    _reject_binary(text, display)
    return text


def _reject_binary(text: str, display: str) -> None:
    """Text decoded from junk is full of control and private-use characters."""
    sample = text[:20000]
    odd = sum(1 for ch in sample
              if (ch < " " and ch not in "\t\r\n\f\v") or "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    if odd > max(3, len(sample) // 100):
        raise CatalogError(display, "holds binary data, not a text catalog", "binary")


_SPECIAL = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u3000\xa0\r\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None)


def clean_cell(text: str) -> str:
    """A cell's text with invisible characters removed, odd spaces made plain, ends trimmed."""
    if not _SPECIAL.search(text):
        return text.strip()
    text = text.translate(_INVISIBLE).replace("\u3000", " ").replace("\xa0", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def read(path: Path, display: str) -> RawTable:
    """Read a delimited text catalog into rows of cells (title and header lines included)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB "
                           "limit for a text catalog", "too_large")
    text = decode(path.read_bytes(), display)
    delimiter = _delimiter(text, path.suffix.lower())
    if delimiter is None:
        raise CatalogError(display, "holds no table (no tab-separated columns)", "no_table")
    csv.field_size_limit(MAX_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    rows: list[list[Cell]] = []
    try:
        for record in reader:
            rows.append([Cell(clean_cell(value)) for value in record])
    except csv.Error as exc:
        raise CatalogError(display, f"is not well-formed delimited text ({exc})", "corrupt") from None
    return RawTable(file=display, rows=rows, pages=[None] * len(rows))


def _delimiter(text: str, ext: str) -> str | None:
    lines = [ln for ln in text.splitlines()[:400] if ln.strip()]
    if any("\t" in ln for ln in lines):
        return "\t"
    commas = sum(1 for ln in lines if ln.count(",") >= 2)
    if lines and (ext == ".csv" or commas >= max(2, len(lines) // 2)) and commas:
        return ","
    return None
