"""The authority: the regulations and documents we know, from CSV files.

Built in: every ``ontology/authority/*.csv`` (national laws and regulations, a selection of
State Council documents on 政务公开, local documents cited in the sample catalog). Users add
their own files with the same columns, through ``Resolver(extra_authority=[…])``,
``catalog-graph cite --authority FILE`` or the environment variable
``CATALOG_GRAPH_AUTHORITY`` (paths separated by ``os.pathsep``; a directory means every
``*.csv`` in it). Files are read in that order (built-in first, each group in the order
given, a directory's files sorted by name); a later row replaces an earlier one with the
same doc number, or with the same title when neither has a number.

Columns (a header row is required; only ``title`` must be filled):

=============  ===================================================================
title          the full, official title (no 《》)
doc_number     发文字号, any spelling (it is normalized): 国办发〔2017〕47号, 国务院令第711号
issuer         issuing bodies, separated by ``|``
doc_type       kind (条例, 意见, 通知 …); empty: read from the title's ending
date           ISO date of issue (YYYY-MM-DD), or empty
in_force       true / false (also yes/no, 是/否, 1/0), or empty when unknown
replaced_by    the doc number or title of the document that replaced it
aliases        other titles it is cited by, separated by ``|``
url            where the text is published
note           free text
=============  ===================================================================
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from catalog_graph.citations.docnumbers import parse_doc_number, short_hash
from catalog_graph.citations.titles import doc_kind, enclosed_title, headless_key, title_key
from catalog_graph.errors import CatalogError
from catalog_graph.paths import ontology_dir

AUTHORITY_ENV = "CATALOG_GRAPH_AUTHORITY"
COLUMNS = ("title", "doc_number", "issuer", "doc_type", "date", "in_force", "replaced_by",
           "aliases", "url", "note")
_TRUE = {"true", "yes", "1", "是", "y", "t"}
_FALSE = {"false", "no", "0", "否", "n", "f"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def regulation_id(doc_number: str | None, title: str | None) -> str | None:
    """The stable id of a regulation: from its normalized doc number when that is a key
    (``guobanfa-2022-8``, ``guowuyuanling-711``), else from its title's key
    (``t-<12 hex>``); None with neither."""
    if doc_number:
        number = parse_doc_number(doc_number)
        if number is not None:
            rid = number.regulation_id()
            if rid is not None:
                return rid
    if title:
        return f"t-{short_hash(title_key(title), 12)}"
    return None


@dataclass(frozen=True, slots=True)
class AuthorityEntry:
    """One known regulation or document (one row of an authority file)."""

    title: str
    doc_number: str | None = None
    issuer: tuple[str, ...] = ()
    doc_type: str | None = None
    date: str | None = None
    in_force: bool | None = None
    replaced_by: str | None = None
    aliases: tuple[str, ...] = ()
    url: str | None = None
    note: str | None = None
    source: str = ""

    @property
    def id(self) -> str:
        return _entry_id(self)

    @property
    def keys(self) -> frozenset[str]:
        """Every key the entry is known by: its title, its aliases, and the document a
        notice issues (关于印发〈X〉的通知 → X)."""
        return _entry_keys(self)

    @property
    def headless_keys(self) -> frozenset[str]:
        return _entry_headless_keys(self)


@lru_cache(maxsize=1 << 16)
def _entry_id(entry: AuthorityEntry) -> str:
    rid = regulation_id(entry.doc_number, entry.title)
    assert rid is not None
    return rid


@lru_cache(maxsize=1 << 16)
def _entry_keys(entry: AuthorityEntry) -> frozenset[str]:
    keys = {title_key(entry.title)} | {title_key(a) for a in entry.aliases}
    for t in (entry.title, *entry.aliases):
        inner = enclosed_title(t)
        if inner:
            keys.add(inner)
    return frozenset(keys)


@lru_cache(maxsize=1 << 16)
def _entry_headless_keys(entry: AuthorityEntry) -> frozenset[str]:
    return frozenset(k for k in (headless_key(t) for t in (entry.title, *entry.aliases)) if k)


def _cell(row: dict[str, str | None], name: str) -> str:
    return (row.get(name) or "").strip()


def read_authority_file(path: Path) -> list[AuthorityEntry]:
    """The entries of one authority CSV; a bad row is a CatalogError naming file and line.

    Files are read once per process while unchanged (a Resolver per catalog costs nothing)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise CatalogError(path.as_posix(), f"cannot read the authority file "
                                            f"({exc.strerror or exc})", "authority") from exc
    return list(_read_authority_file(path.as_posix(), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _read_authority_file(name: str, _mtime_ns: int, _size: int) -> tuple[AuthorityEntry, ...]:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise CatalogError(name, f"cannot read the authority file ({reason or exc})",
                           "authority") from exc
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "title" not in [f.strip() for f in reader.fieldnames]:
        raise CatalogError(name, "an authority file needs a header row with a title column "
                                 f"(columns: {', '.join(COLUMNS)})", "authority")
    entries: list[AuthorityEntry] = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): v for k, v in raw.items()}
        title = _cell(row, "title")
        if not title:
            if any(_cell(row, c) for c in COLUMNS):
                raise CatalogError(name, f"line {line}: no title", "authority")
            continue
        number_text = _cell(row, "doc_number")
        doc_number = None
        if number_text:
            number = parse_doc_number(number_text)
            if number is None:
                raise CatalogError(name, f"line {line}: {number_text} is not a 发文字号", "authority")
            doc_number = number.normalized
        in_force_text = _cell(row, "in_force").lower()
        if in_force_text in _TRUE:
            in_force: bool | None = True
        elif in_force_text in _FALSE:
            in_force = False
        elif not in_force_text:
            in_force = None
        else:
            raise CatalogError(name, f"line {line}: in_force must be true, false or empty, "
                                     f"not {in_force_text}", "authority")
        date = _cell(row, "date") or None
        if date and not _DATE.fullmatch(date):
            raise CatalogError(name, f"line {line}: date must be YYYY-MM-DD, not {date}",
                               "authority")
        replaced = _cell(row, "replaced_by")
        if replaced and parse_doc_number(replaced) is not None:
            replaced = parse_doc_number(replaced).normalized  # type: ignore[union-attr]
        entries.append(AuthorityEntry(
            title=title,
            doc_number=doc_number,
            issuer=tuple(p.strip() for p in _cell(row, "issuer").split("|") if p.strip()),
            doc_type=_cell(row, "doc_type") or doc_kind(title),
            date=date,
            in_force=in_force,
            replaced_by=replaced or None,
            aliases=tuple(p.strip() for p in _cell(row, "aliases").split("|") if p.strip()),
            url=_cell(row, "url") or None,
            note=_cell(row, "note") or None,
            source=path.name,
        ))
    return tuple(entries)


def builtin_authority_paths() -> list[Path]:
    """The authority files shipped in ``ontology/authority/``, sorted by name."""
    return sorted((ontology_dir() / "authority").glob("*.csv"))


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Paths as given, each directory replaced by its ``*.csv`` files sorted by name."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        out.extend(sorted(p.glob("*.csv")) if p.is_dir() else [p])
    return out


def env_authority_paths() -> list[Path]:
    """The files named by ``$CATALOG_GRAPH_AUTHORITY`` (``os.pathsep``-separated)."""
    value = os.environ.get(AUTHORITY_ENV, "")
    return expand_paths(p for p in value.split(os.pathsep) if p.strip())


def _by_preference(entries: list[AuthorityEntry]) -> None:
    """Order entries sharing a title as a citation without a number means them: in force
    first, then unknown, then repealed; the latest first; then by doc number (in place)."""
    entries.sort(key=lambda e: (e.doc_number or "", e.title))
    entries.sort(key=lambda e: e.date or "", reverse=True)
    entries.sort(key=lambda e: {True: 0, None: 1, False: 2}[e.in_force])


class Authority:
    """Known regulations, looked up by doc number or by title."""

    def __init__(self, paths: Iterable[Path | str] = ()) -> None:
        self.paths = [Path(p) for p in paths]
        by_number: dict[str, AuthorityEntry] = {}
        by_title: dict[str, AuthorityEntry] = {}
        for path in self.paths:
            for entry in read_authority_file(path):
                if entry.doc_number:
                    by_number[entry.doc_number] = entry
                else:
                    by_title[title_key(entry.title)] = entry
        self.entries: list[AuthorityEntry] = sorted(
            [*by_number.values(), *by_title.values()], key=lambda e: (e.id, e.title))
        self.by_number = by_number
        self.by_id: dict[str, AuthorityEntry] = {e.id: e for e in self.entries}

    @cached_property
    def _by_key(self) -> dict[str, list[AuthorityEntry]]:
        index: dict[str, list[AuthorityEntry]] = {}
        for entry in self.entries:
            for key in entry.keys:
                index.setdefault(key, []).append(entry)
        for found in index.values():
            _by_preference(found)
        return index

    @cached_property
    def _by_headless(self) -> dict[str, list[AuthorityEntry]]:
        index: dict[str, list[AuthorityEntry]] = {}
        for entry in self.entries:
            for key in entry.headless_keys:
                index.setdefault(key, []).append(entry)
        return index

    def __len__(self) -> int:
        return len(self.entries)

    def by_doc_number(self, doc_number: str | None) -> AuthorityEntry | None:
        return self.by_number.get(doc_number) if doc_number else None

    def by_title(self, title: str | None, *, headless: bool = True) -> AuthorityEntry | None:
        """The entry a title names: by its key, an alias or an issued document's title; with
        ``headless``, also a title without its issuers (关于X) that only one entry has."""
        if not title:
            return None
        found = self._by_key.get(title_key(title))
        if found:
            return found[0]
        if headless:
            key = headless_key(title)
            if key is not None and title_key(title).startswith("关于"):
                candidates = self._by_headless.get(key, [])
                if len(candidates) == 1:
                    return candidates[0]
        return None

    @staticmethod
    def title_agrees(entry: AuthorityEntry, title: str) -> str | None:
        """How a cited title agrees with an entry: ``"same"``, ``"truncated"`` (the start of
        the entry's title, cut off), or None (it names something else)."""
        key = title_key(title)
        if key in entry.keys:
            return "same"
        head = headless_key(title)
        entry_heads = entry.headless_keys
        if head is not None and head in entry_heads:
            return "same"
        if len(key) >= 6:
            if any(k.startswith(key) for k in entry.keys):
                return "truncated"
            if head is not None and len(head) >= 6 and any(h.startswith(head) for h in entry_heads):
                return "truncated"
        return None
