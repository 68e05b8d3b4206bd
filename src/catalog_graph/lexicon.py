"""The word tables in ``ontology/lexicon/``, read once: the words catalogs and citations are made of.

Each table is a TSV file: ``#`` comment lines saying what the table is, a header line naming
the columns, then one row per word (empty lines are skipped). Every table has a ``word``
column first and an ``example`` column whose text the tests run (``tests/test_lexicon.py``).
A column listing ``roles`` holds names separated by commas.

- ``headers.tsv``: header names and the field each maps to, the words inside a header, the
  labels of mark columns, and the words that tell the catalog among a file's tables;
- ``marks.tsv``: tick marks (✓ √ ■ …) in mark columns and in channel lists, ticked or not;
- ``time_limits.tsv``: the words of a 公开时限 cell (工作日, 实时, 每年 …);
- ``title_words.tsv``: the words around a title: issuing verbs (印发, 转发 …), head words
  (关于), words before a title or a doc number (依据, 根据 …), generic words (该, 本 …);
- ``body_words.tsv``: the words bodies' names end with or are made of (局, 委员会, 人民政府 …);
- ``numerals.tsv``: the Chinese numerals and their values.

The tables are read from ``catalog_graph.paths.ontology_dir()`` (``$CATALOG_GRAPH_ONTOLOGY``
moves it), once per directory. A malformed row raises ``LexiconError`` naming the file and
the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from catalog_graph.paths import ontology_dir

#: The state's name: a law's full name opens with it (中华人民共和国政府信息公开条例), and so do
#: decrees (中华人民共和国国务院令); titles and doc numbers are matched without it.
STATE_NAME = "中华人民共和国"

TABLES = ("headers", "marks", "time_limits", "title_words", "body_words", "numerals")


class LexiconError(ValueError):
    """A word table that cannot be read: ``FILE:LINE: problem``."""


@dataclass(frozen=True, slots=True)
class Row(Mapping[str, str]):
    """One row of a word table: its values by column, and where it was written."""

    file: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def word(self) -> str:
        return self.values["word"]

    @property
    def roles(self) -> tuple[str, ...]:
        """The names in the row's ``roles`` column (comma separated), if it has one."""
        return tuple(r.strip() for r in self.values.get("roles", "").split(",") if r.strip())


def table(name: str) -> tuple[Row, ...]:
    """The rows of ``ontology/lexicon/<name>.tsv``, in file order (read once per directory)."""
    return _read(ontology_dir() / "lexicon" / f"{name}.tsv")


@cache
def _read(path: Path) -> tuple[Row, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read ({exc})") from None
    return parse(text, str(path))


def parse(text: str, file: str) -> tuple[Row, ...]:
    """The rows of a word table's text (``file`` names it in errors)."""
    columns: list[str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if columns is None:
            columns = [f.strip() for f in fields]
            if columns[0] != "word" or "example" not in columns or len(set(columns)) != len(columns):
                raise LexiconError(f"{file}:{number}: the header line must name the columns, "
                                   f"word first, one of them example (found {line!r})")
            continue
        if len(fields) != len(columns):
            raise LexiconError(f"{file}:{number}: {len(fields)} columns where the header has "
                               f"{len(columns)} ({', '.join(columns)}); columns are separated "
                               f"by tabs (found {line!r})")
        if not fields[0] or fields[0] != fields[0].strip():
            raise LexiconError(f"{file}:{number}: the word is empty or has spaces around it "
                               f"(found {line!r})")
        rows.append(Row(file, number, dict(zip(columns, fields, strict=True))))
    if columns is None:
        raise LexiconError(f"{file}: no header line")
    return tuple(rows)


def words(name: str, role: str) -> tuple[str, ...]:
    """The words of a table that have ``role`` among their roles, in file order."""
    return _words(ontology_dir(), name, role)


@cache
def _words(directory: Path, name: str, role: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.word for r in table(name) if role in r.roles))


@dataclass(frozen=True, slots=True)
class HeaderWords:
    """What ``headers.tsv`` says: whole header names, words inside a header (in file order:
    the first that a header holds wins), mark-column labels, and the catalog words."""

    names: Mapping[str, str]  # header name → field
    parts: tuple[tuple[str, str], ...]  # (word, field)
    labels: Mapping[str, str]  # a mark column's label → field (全社会 → audience)
    catalog: tuple[str, ...]  # words that tell the catalog among a file's tables


def header_words() -> HeaderWords:
    """The header names and words of ``headers.tsv`` (read once per ontology directory)."""
    return _header_words(ontology_dir())


_MATCHES = ("name", "part", "label", "catalog")


@cache
def _header_words(directory: Path) -> HeaderWords:
    names: dict[str, str] = {}
    parts: list[tuple[str, str]] = []
    labels: dict[str, str] = {}
    for row in table("headers"):
        match, field = row["match"], row["field"]
        if match not in _MATCHES:
            raise LexiconError(f"{row.file}:{row.line}: match is {match!r}, not one of "
                               f"{', '.join(_MATCHES)}")
        if match != "catalog" and not field:
            raise LexiconError(f"{row.file}:{row.line}: {row.word} names no field")
        if match == "name":
            names.setdefault(row.word, field)
        elif match == "part":
            parts.append((row.word, field))
        elif match == "label":
            labels.setdefault(row.word, field)
    catalog = tuple(dict.fromkeys(r.word for r in table("headers") if r["catalog"] == "yes"))
    return HeaderWords(names, tuple(parts), labels, catalog)


@dataclass(frozen=True, slots=True)
class Marks:
    """What ``marks.tsv`` says: the ticks of a mark column (symbols, alone or repeated, and
    whole-cell words) and the boxes of a channel list, ticked and unticked."""

    symbols: frozenset[str]
    words: frozenset[str]
    ticked_boxes: str
    unticked_boxes: str


def marks() -> Marks:
    """The marks of ``marks.tsv`` (read once per ontology directory)."""
    return _marks(ontology_dir())


@cache
def _marks(directory: Path) -> Marks:
    rows = table("marks")
    for row in rows:
        if row["meaning"] not in ("ticked", "unticked"):
            raise LexiconError(f"{row.file}:{row.line}: meaning is {row['meaning']!r}, not "
                               f"ticked or unticked")
    ticked = [r for r in rows if r["meaning"] == "ticked"]
    boxes = [r for r in rows if "channel_box" in r.roles]
    for row in boxes:
        if len(row.word) != 1:
            raise LexiconError(f"{row.file}:{row.line}: a channel box is one character "
                               f"(found {row.word!r})")
    return Marks(symbols=frozenset(r.word for r in ticked if "mark_column" in r.roles),
                 words=frozenset(r.word for r in ticked if "mark_word" in r.roles),
                 ticked_boxes="".join(r.word for r in boxes if r["meaning"] == "ticked"),
                 unticked_boxes="".join(r.word for r in boxes if r["meaning"] == "unticked"))


def title_words(role: str) -> tuple[str, ...]:
    """Words of ``title_words.tsv`` with a role (``embedding_verb``, ``head``, ``lead`` …)."""
    return words("title_words", role)


def body_words(role: str) -> tuple[str, ...]:
    """Endings of ``body_words.tsv`` with a role (``issuer``, ``decree``, ``subject`` …)."""
    return words("body_words", role)


def alternation(found: tuple[str, ...]) -> str:
    """A regular expression matching any of the words (longest first, so that a word is never
    cut short by a shorter one it starts with)."""
    return "|".join(re.escape(w) for w in sorted(found, key=lambda w: (-len(w), w)))
