"""发文字号: finding, normalizing and reading document numbers.

A 发文字号 names one document: the issuer's prefix (机关代字), the year and a serial
(``国办发〔2022〕8号``), or, for decrees, the body and a serial (``国务院令第711号``).

Forms handled (each normalizes to the form on the right):

- ``国办发〔2022〕8号`` with any year bracket: 〔〕 [] ［］ 【】 () （） ﹝﹞ 〈〉 <> → ``国办发〔2022〕8号``
- stray spaces, ideographic spaces or line breaks anywhere: ``国办发〔2017〕42 号``,
  ``国办发〔2017〕\\n42号`` → ``国办发〔2017〕42号``
- full-width digits: ``晋政办发〔２０１８〕７９号`` → ``晋政办发〔2018〕79号``
- Chinese numerals: ``国务院令第七十三号`` → ``国务院令第73号``; ``〔二〇一八〕`` → ``〔2018〕``
- leading zeros: ``国办发〔2022〕08号`` → ``国办发〔2022〕8号``
- decrees with the state name or an abbreviation: ``中华人民共和国国务院令第711号``,
  ``国令第711号`` → ``国务院令第711号``; ``中华人民共和国教育部令第50号`` → ``教育部令第50号``
- prefixes glued to the text before them: ``…的通知国办发〔2014〕46号``, ``依据国办发〔2014〕46号``
  (the prefix is cut at a known 机关代字, a title's ending or a verb such as 依据)

Malformed numbers are still read, with a warning: a two-digit year (``国办发〔22〕8号``), a
year out of range, ``第`` before a yearly serial, a missing ``号``, a zero serial.

The prefixes, their issuers and id slugs are data: ``ontology/issuer_codes.tsv``.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

from catalog_graph.lexicon import STATE_NAME, alternation, body_words, title_words
from catalog_graph.numerals import SERIAL_NUMERALS, YEAR_DIGITS, parse_int, to_halfwidth_digits
from catalog_graph.paths import ontology_dir

# --------------------------------------------------------------------------- the code table


@dataclass(frozen=True, slots=True)
class IssuerCode:
    """One row of ontology/issuer_codes.tsv."""

    code: str  # as written; for wildcard rows the prefix without the *
    issuer: str
    slug: str
    numbering: str  # yearly | decree | term
    canonical: str  # the code's normal spelling
    wildcard: bool = False
    shared: bool = False  # other bodies use the same prefix


class IssuerCodes:
    """The 机关代字 table: exact codes, and wildcard prefixes (``教*``) matched longest first."""

    def __init__(self, rows: list[IssuerCode]) -> None:
        self.exact: dict[str, IssuerCode] = {}
        self.wildcards: list[IssuerCode] = []
        for row in rows:
            if row.wildcard:
                self.wildcards.append(row)
            else:
                self.exact[row.code] = row
        self.wildcards.sort(key=lambda r: (-len(r.code), r.code))
        self.decree_codes = {c for c, r in self.exact.items() if r.numbering in ("decree", "term")}

    def lookup(self, code: str) -> IssuerCode | None:
        """The row for a prefix: an exact row, else the longest wildcard it starts with."""
        row = self.exact.get(code)
        if row is not None:
            return row
        for wild in self.wildcards:
            if code.startswith(wild.code):
                return wild
        return None


@cache
def issuer_codes() -> IssuerCodes:
    """The table in ``ontology/issuer_codes.tsv`` (read once)."""
    rows: list[IssuerCode] = []
    path = ontology_dir() / "issuer_codes.tsv"
    header_seen = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t") + [""] * 7
        if not header_seen:
            header_seen = True
            if fields[0] == "code":
                continue
        code, issuer, slug, numbering, canonical, shared = (f.strip() for f in fields[:6])
        wildcard = code.endswith("*")
        code = code.rstrip("*")
        rows.append(IssuerCode(code, issuer, slug, numbering or "yearly", canonical or code,
                               wildcard, shared == "yes"))
    return IssuerCodes(rows)


# --------------------------------------------------------------------------- the number itself

MIN_YEAR, MAX_YEAR = 1949, 2100


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A 发文字号, read. ``year`` is None for decrees (令第N号)."""

    code: str  # the 机关代字 in its canonical spelling: 国办发, 国务院令
    year: int | None
    serial: int
    warnings: tuple[str, ...] = ()

    @property
    def is_decree(self) -> bool:
        return self.year is None

    @property
    def normalized(self) -> str:
        """``国办发〔2022〕8号`` or ``国务院令第711号``."""
        if self.year is None:
            return f"{self.code}第{self.serial}号"
        return f"{self.code}〔{self.year}〕{self.serial}号"

    @property
    def issuer_code(self) -> IssuerCode | None:
        return issuer_codes().lookup(self.code)

    @property
    def issuer(self) -> str | None:
        """The body the prefix names (国办发 → 国务院办公厅), when the prefix is known."""
        row = self.issuer_code
        if row is not None:
            return row.issuer
        if self.year is None and _BODY_END_RE.search(self.code[:-1]):
            return self.code[:-1]  # 山西省人民政府令 → 山西省人民政府
        return None

    @property
    def numbering(self) -> str:
        row = self.issuer_code
        if row is not None:
            return row.numbering
        return "decree" if self.year is None else "yearly"

    def regulation_id(self) -> str | None:
        """A stable ASCII id for the document this number names; None when the number is not
        a key (``主席令`` numbers restart with each term of office).

        ``国办发〔2022〕8号`` → ``guobanfa-2022-8``; ``国务院令第711号`` → ``guowuyuanling-711``;
        a wildcard prefix adds a hash of the exact prefix (``教基厅函`` → ``jiao-<hash>-…``); an
        unknown prefix gives ``doc-<hash>-<year>-<serial>`` / ``decree-<hash>-<serial>``.
        """
        row = self.issuer_code
        if row is not None and row.numbering == "term":
            return None
        if row is None:
            stem = ("decree-" if self.year is None else "doc-") + short_hash(self.code)
        elif row.wildcard:
            stem = f"{row.slug}-{short_hash(self.code)}"
        else:
            stem = row.slug
        if self.year is None:
            return f"{stem}-{self.serial}"
        return f"{stem}-{self.year}-{self.serial}"


def short_hash(text: str, length: int = 8) -> str:
    """A short, stable hex digest of a text (for ids)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


# --------------------------------------------------------------------------- patterns

_WS = r"[\s\u3000]*"
_OPEN = r"[〔\[［【(（﹝〈<＜{｛〖]"
_CLOSE = r"[〕\]］】)）﹞〉>＞}｝〗]"
_YEAR = rf"(?P<year>[0-9０-９]{{4}}|[{YEAR_DIGITS}]{{4}}|[0-9０-９]{{2}})"
_SERIAL = rf"(?P<serial>[0-9０-９]{{1,5}}|[{SERIAL_NUMERALS}]{{1,8}})"
_HAN = r"[\u4e00-\u9fff]"

#: A yearly number: prefix, 〔year〕, serial, 号.
YEARLY_RE = re.compile(
    rf"(?P<run>{_HAN}{{1,20}}){_WS}{_OPEN}{_WS}{_YEAR}{_WS}{_CLOSE}{_WS}"
    rf"(?P<di>第{_WS})?{_SERIAL}(?:{_WS}(?P<hao>号))?"
)
#: A decree: body, 令, 第, serial, 号 (an optional 〔year〕 after 令 is kept out of the key).
DECREE_RE = re.compile(
    rf"(?P<run>{_HAN}{{1,24}}?)令{_WS}(?:{_OPEN}{_WS}[0-9０-９]{{4}}{_WS}{_CLOSE}{_WS})?"
    rf"第{_WS}{_SERIAL}{_WS}号"
)
# The same without the prefix, to search a text in one pass; the prefix is then read
# backwards from where the match starts.
_YEARLY_CORE = re.compile(
    rf"{_OPEN}{_WS}{_YEAR}{_WS}{_CLOSE}{_WS}(?P<di>第{_WS})?{_SERIAL}(?:{_WS}(?P<hao>号))?")
_DECREE_CORE = re.compile(
    rf"令{_WS}(?:{_OPEN}{_WS}[0-9０-９]{{4}}{_WS}{_CLOSE}{_WS})?第{_WS}{_SERIAL}{_WS}号")
_SPACE = frozenset(" \t\n\r\f\v\u3000")
_ANY_SPACE = re.compile(r"[\s\u3000]")

# Words that may stand glued before a prefix and are no part of it (a verb such as 依据, a
# title's ending such as 通知), and the endings of a decree's body: ontology/lexicon/.
_BEFORE_NUMBER = title_words("before_number")
_BODY_END_RE = re.compile(f"(?:{alternation(body_words('decree'))})$")
_DIGIT_ONLY = re.compile(r"[0-9０-９]")


def _split_after_words(run: str) -> int:
    """Where a prefix can start in a run of Han characters: after the last title ending or
    lead word in it (0 when there is none)."""
    best = 0
    for word in _BEFORE_NUMBER:
        i = run.rfind(word)
        while i >= 0:
            end = i + len(word)
            if end < len(run) and end > best:
                best = end
                break
            i = run.rfind(word, 0, i)
    return best


def _yearly_code_start(run: str) -> int:
    """Offset in ``run`` where the 机关代字 starts."""
    table = issuer_codes()
    for i in range(len(run)):
        suffix = run[i:]
        if suffix in table.exact and table.exact[suffix].numbering == "yearly":
            rest = run[:i]
            if not rest or len(rest) >= 4 or rest.endswith(_BEFORE_NUMBER):
                return i
    start = _split_after_words(run)
    if len(run) - start > 10:
        start = len(run) - 4
    return start


def _decree_code_start(run: str) -> int | None:
    """Offset in ``run`` (the text before 令) where the decree's body starts; None when the run
    names no body (责令第…)."""
    table = issuer_codes()
    for i in range(len(run)):
        if run[i:] + "令" in table.decree_codes:
            return i
    start = _split_after_words(run)
    body = run[start:]
    if body.startswith(STATE_NAME):
        body = body[len(STATE_NAME):]
    if len(body) >= 2 and _BODY_END_RE.search(body) and len(body) <= 20:
        return start
    return None


def _int(text: str) -> int | None:
    return parse_int(_ANY_SPACE.sub("", text))


@dataclass(frozen=True, slots=True)
class DocNumberMatch:
    """A 发文字号 found in a text: ``text[start:end]`` is the number as written."""

    start: int
    end: int
    number: DocNumber


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _run_before(text: str, pos: int, limit: int, spaces: bool) -> int:
    """Where the run of (at most ``limit``) Han characters ending at ``pos`` starts, spaces
    before ``pos`` skipped when allowed; ``pos`` itself when there is none."""
    j = pos
    if spaces:
        while j > 0 and text[j - 1] in _SPACE:
            j -= 1
    k = j
    while k > 0 and j - k < limit and _is_han(text[k - 1]):
        k -= 1
    return k if k < j else pos


def _written(text: str) -> str:
    return _ANY_SPACE.sub("", text)


def _read_yearly(text: str, run_start: int, run: str, m: re.Match[str]) -> DocNumberMatch | None:
    offset = _yearly_code_start(run)
    code = run[offset:]
    year_text = to_halfwidth_digits(m.group("year"))
    year = _int(year_text)
    serial = _int(m.group("serial"))
    if not code or year is None or serial is None:
        return None
    warnings: list[str] = []
    written = _written(text[run_start + offset:m.end()])
    row = issuer_codes().lookup(code)
    if m.group("hao") is None:
        if row is None:  # an unknown prefix without 号 is too weak to be a number
            return None
        warnings.append(f"malformed doc number {written}: no 号")
    if len(year_text) == 2:
        warnings.append(f"malformed doc number {written}: the year has two digits")
    elif not MIN_YEAR <= year <= MAX_YEAR:
        warnings.append(f"malformed doc number {written}: year {year} is out of range")
    if m.group("di"):
        warnings.append(f"malformed doc number {written}: 第 before the serial")
    if serial == 0:
        warnings.append(f"malformed doc number {written}: serial 0")
    canonical = row.canonical if row is not None and not row.wildcard else code
    return DocNumberMatch(run_start + offset, m.end(),
                          DocNumber(canonical, year, serial, tuple(warnings)))


def _read_decree(text: str, run_start: int, run: str, m: re.Match[str]) -> DocNumberMatch | None:
    offset = _decree_code_start(run)
    serial = _int(m.group("serial"))
    if offset is None or serial is None:
        return None
    code = run[offset:] + "令"
    row = issuer_codes().lookup(code)
    if row is not None and not row.wildcard:
        code = row.canonical
    elif code.startswith(STATE_NAME):
        code = code[len(STATE_NAME):]
    warnings: tuple[str, ...] = ()
    if serial == 0:
        written = _written(text[run_start + offset:m.end()])
        warnings = (f"malformed doc number {written}: serial 0",)
    return DocNumberMatch(run_start + offset, m.end(), DocNumber(code, None, serial, warnings))


def find_doc_numbers(text: str) -> list[DocNumberMatch]:
    """Every 发文字号 in a text, in order, not overlapping (see the module doc for the forms)."""
    found: list[DocNumberMatch] = []
    for m in _DECREE_CORE.finditer(text):
        start = _run_before(text, m.start(), 24, spaces=False)
        if start < m.start():
            dm = _read_decree(text, start, text[start:m.start()], m)
            if dm is not None:
                found.append(dm)
    # A yearly number must not overlap a decree or an earlier yearly number. Both are found in
    # order, so the decrees starting before it and the last yearly one are all it can meet
    # (checking every number found so far cost the square of their count).
    found.sort(key=lambda d: d.start)
    decree_starts = [d.start for d in found]
    reach = []  # reach[k]: the furthest end of decrees 0..k
    for d in found:
        reach.append(max(d.end, reach[-1] if reach else 0))
    yearly_end = 0
    for m in _YEARLY_CORE.finditer(text):
        start = _run_before(text, m.start(), 20, spaces=True)
        if start == m.start() or start < yearly_end:
            continue
        before = bisect_left(decree_starts, m.end())
        if before and start < reach[before - 1]:
            continue
        run = text[start:m.start()].rstrip(" \t\n\r\f\v\u3000")
        dm = _read_yearly(text, start, run, m)
        if dm is not None:
            found.append(dm)
            yearly_end = max(yearly_end, dm.end)
    found.sort(key=lambda d: d.start)
    return found


@lru_cache(maxsize=8192)
def parse_doc_number(text: str) -> DocNumber | None:
    """Read a text that is exactly one 发文字号 (surrounding brackets and spaces allowed)."""
    stripped = text.strip().strip("（）()[]［］【】")
    for pattern, reader in ((DECREE_RE, _read_decree), (YEARLY_RE, _read_yearly)):
        m = pattern.fullmatch(stripped)
        if m is not None:
            dm = reader(stripped, 0, m.group("run"), m)
            if dm is not None and dm.start == 0:
                return dm.number
    return None


def normalize_doc_number(text: str) -> str | None:
    """The normalized spelling of one 发文字号 (``国办发〔2022〕8号``, ``国务院令第711号``), or
    None when the text is not one. Normalizing a normalized number changes nothing."""
    number = parse_doc_number(text)
    return number.normalized if number is not None else None
