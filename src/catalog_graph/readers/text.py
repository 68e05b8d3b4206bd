"""Tab-separated text, as a clerk pastes a catalog from Word or Excel.

Encodings: UTF-8 with or without BOM, UTF-16 (with BOM, or LE/BE told by where its NUL
bytes fall), GB18030 (and so GBK and GB2312), and files pasted together from both (each
line read in its own encoding, with a warning). CRLF, LF or CR; cells holding line breaks
quoted the way Excel copies them, while a quote typed in a cell (``"放管服"改革``, or one
never closed) stays text. Comma-separated text (.csv) is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import Cell, RawTable
from catalog_graph.readers.clean import clean_cell
from catalog_graph.readers.rows import MAX_COLS, MAX_ROWS

MAX_BYTES = 200 * 1024 * 1024


def decode(data: bytes, display: str, warnings: list[str] | None = None) -> str:
    """Bytes → text, trying the encodings government files come in; CatalogError if none fits.

    A file of UTF-8 and GB18030 lines (two files pasted together) is read line by line, and
    ``warnings`` is told so."""
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _mixed(data, display, warnings)
    if text is None:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise CatalogError(display, "is not text in UTF-8, UTF-16 or GB18030",
                               "encoding") from None
    _reject_binary(text, display)
    return text


_UTF8_CJK = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")


def _mixed(data: bytes, display: str, warnings: list[str] | None) -> str | None:
    """The text of a file whose lines are partly UTF-8 (those that decode as UTF-8 and hold
    a three-byte character, which GB18030 text almost never does) and partly GB18030;
    None when no line is UTF-8 (then the whole file is tried as GB18030)."""
    lines = data.split(b"\n")  # neither encoding has a multi-byte character holding \n
    out: list[str] = []
    gb_lines = 0
    utf8_lines = 0
    for number, line in enumerate(lines, 1):
        try:
            out.append(line.decode("utf-8"))
            utf8_lines += _UTF8_CJK.search(line) is not None
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(line.decode("gb18030"))
        except UnicodeDecodeError as exc:
            raise CatalogError(display, f"is not text in UTF-8, UTF-16 or GB18030 (line {number}, "
                               f"byte {exc.start + 1})", "encoding") from None
        gb_lines += 1
    if not utf8_lines:
        return None
    if warnings is not None:
        warnings.append(f"mixed encodings: {gb_lines} of {len(lines)} lines are GB18030, the "
                        "others UTF-8; each line read in its own")
    return "\n".join(out)


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


def read(path: Path, display: str) -> RawTable:
    """Read a delimited text catalog into rows of cells (title and header lines included)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB "
                           "limit for a text catalog", "too_large")
    warnings: list[str] = []
    text = decode(path.read_bytes(), display, warnings)
    delimiter = _delimiter(text, path.suffix.lower())
    if delimiter is None:
        raise CatalogError(display, "holds no table (no tab-separated columns)", "no_table")
    rows: list[list[Cell]] = []
    beyond = False
    for record in records(text, delimiter):
        if len(rows) >= MAX_ROWS:
            warnings.append(f"the table has more than {MAX_ROWS} rows; read the first {MAX_ROWS}")
            break
        if len(record) > MAX_COLS:
            beyond = beyond or any(v.strip() for v in record[MAX_COLS:])
            record = record[:MAX_COLS]
        rows.append([Cell(clean_cell(value)) for value in record])
    if beyond:
        warnings.append(f"cells beyond column {MAX_COLS} ignored")
    return RawTable(file=display, rows=rows, pages=[None] * len(rows), warnings=warnings)


def records(text: str, delimiter: str) -> Iterator[list[str]]:
    """The rows of delimited text, each a list of field texts.

    A field that starts with a quote and whose closing quote comes right before a delimiter
    or a line end is quoted, as Excel writes a cell it copies: ``""`` inside stands for ``"``,
    and it may hold line breaks (and, on one line, delimiters). Any other quote is text: a
    cell typed as ``"放管服"改革``, or an opening quote never closed. So is a quoted field that
    would run over a line break past a tab, since that would swallow the rows below it. Lines
    end in LF, CRLF or CR; an empty line is an empty row."""
    boundary = re.compile(f"[{re.escape(delimiter)}\r\n]")
    n = len(text)
    pos = 0
    record: list[str] = []
    while pos < n:
        quoted = _quoted(text, pos, delimiter) if text[pos] == '"' else None
        if quoted is not None:
            value, pos = quoted
        else:
            found = boundary.search(text, pos)
            end = found.start() if found is not None else n
            value, pos = text[pos:end], end
        record.append(value)
        if pos >= n:
            break
        if text[pos] == delimiter:
            pos += 1
            if pos == n:
                record.append("")
            continue
        pos += 2 if text.startswith("\r\n", pos) else 1
        yield [] if record == [""] and quoted is None else record
        record = []
    if record:
        yield record


def _quoted(text: str, pos: int, delimiter: str) -> tuple[str, int] | None:
    """The quoted field starting at ``pos`` (its text and where it ends), or None when the
    quote there does not open one (see :func:`records`)."""
    n = len(text)
    k = pos + 1
    while True:
        close = text.find('"', k)
        if close < 0:
            return None
        if text.startswith('""', close):
            k = close + 2
            continue
        after = close + 1
        if after < n and text[after] not in (delimiter, "\r", "\n"):
            return None
        body = text[pos + 1:close]
        if delimiter == "\t" and "\t" in body and ("\n" in body or "\r" in body):
            return None
        return body.replace('""', '"'), after


def _delimiter(text: str, ext: str) -> str | None:
    lines = [ln for ln in text.splitlines()[:400] if ln.strip()]
    if any("\t" in ln for ln in lines):
        return "\t"
    commas = sum(1 for ln in lines if ln.count(",") >= 2)
    if lines and (ext == ".csv" or commas >= max(2, len(lines) // 2)) and commas:
        return ","
    return None
