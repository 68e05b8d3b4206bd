"""The structure of the regulations catalogs cite most, version by version: data in
``ontology/structure/``.

Three files (see ``ontology/structure/README.md`` for every column and source):

- ``versions.csv``: one row per version of a regulation: its decree (国务院令第711号 …), dates,
  number of articles and chapters;
- ``articles.csv``: one row per article per version: chapter, paragraphs (款), items (项) in all
  and per paragraph;
- ``renumbering.csv``: for a revision that renumbered articles, old article (and item) → new.

Every fact carries a ``confidence``: ``parsed`` (counted in a public text), ``sourced`` (read
on a public page), ``compared`` (a correspondence read in both texts), ``recalled`` (from
memory, unchecked). Recalled facts stay in the files for reference but are left out here: no
check and no graph statement rests on them.

A citation's version follows from the regulation it resolved to: a decree that names one
version (国务院令第492号) is that version; a title alone (《政府信息公开条例》,
《中华人民共和国行政处罚法》) is the latest version.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from catalog_graph.paths import ontology_dir
from catalog_graph.resolve.authority import regulation_id

__all__ = ["Article", "Renumbered", "Structures", "Version", "structures"]


def _recalled(confidence: str) -> bool:
    return confidence.strip().startswith("recalled")


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@dataclass(frozen=True, slots=True)
class Article:
    """One article of one version: what the data knows of it (None: not known)."""

    number: int
    chapter: int | None = None
    chapter_title: str | None = None
    paragraphs: int | None = None
    items: int | None = None
    items_by_paragraph: tuple[int, ...] | None = None

    def items_in(self, paragraph: int | None) -> int | None:
        """Items the article lists (in ``paragraph`` when given and known)."""
        if paragraph is None:
            return self.items
        by = self.items_by_paragraph
        if by is None or not 0 < paragraph <= len(by):
            return None
        return by[paragraph - 1]


@dataclass(frozen=True, slots=True)
class Chapter:
    number: int
    title: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Renumbered:
    """Where an old article (or item) went: ``article`` None means it was deleted."""

    article: int | None
    item: int | None = None


@dataclass(slots=True)
class Version:
    """One version of a regulation (``family`` is the data's short id, ``zfxxgk``)."""

    family: str
    title: str
    version: str
    decree: str | None
    promulgated: str | None
    effective: str | None
    article_count: int | None
    confidence: str = ""
    articles: dict[int, Article] = field(default_factory=dict)
    chapters: list[Chapter] = field(default_factory=list)

    @property
    def key(self) -> str:
        """``zfxxgk-2019``: the version's key (and the last part of its IRI)."""
        return f"{self.family}-{self.version}"

    def label(self) -> str:
        """``《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号)``."""
        decree = f", {self.decree}" if self.decree else ""
        return f"《{self.title}》 ({self.version}{decree})"

    def chapter_of(self, article: int) -> Chapter | None:
        for chapter in self.chapters:
            if chapter.first <= article <= chapter.last:
                return chapter
        return None


class Structures:
    """The versions the data knows, looked up by the id of the regulation a citation names."""

    def __init__(self, folder: Path) -> None:
        self.versions: dict[str, list[Version]] = {}  # family → versions, oldest first
        self._renumbering: dict[tuple[str, str], dict[tuple[int, int | None], list[Renumbered]]] = {}
        self._by_id: dict[str, Version] = {}
        self._read_versions(folder / "versions.csv")
        self._read_articles(folder / "articles.csv")
        self._read_renumbering(folder / "renumbering.csv")
        for family, versions in self.versions.items():
            versions.sort(key=lambda v: (v.promulgated or "", v.version))
            current = versions[-1]
            for v in versions:
                rid = regulation_id(v.decree, None) if v.decree else None
                if rid is not None:
                    self._by_id[rid] = v
            for title in {v.title for v in versions}:
                rid = regulation_id(None, title)
                if rid is not None:
                    self._by_id.setdefault(rid, current)
            del family

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as fh:
            return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(fh)]

    def _read_versions(self, path: Path) -> None:
        for row in self._rows(path):
            version_known = not _recalled(row["confidence"])
            self.versions.setdefault(row["id"], []).append(Version(
                family=row["id"], title=row["title"], version=row["version"],
                decree=(row["decree"] or None) if not _recalled(row["decree_confidence"]) else None,
                promulgated=row["promulgated"] or None, effective=row["effective"] or None,
                article_count=_int(row["articles"]) if version_known else None,
                confidence=row["confidence"]))

    def _version(self, family: str, version: str) -> Version | None:
        for v in self.versions.get(family, []):
            if v.version == version:
                return v
        return None

    def _read_articles(self, path: Path) -> None:
        chapters: dict[tuple[str, str], dict[int, Chapter]] = {}
        for row in self._rows(path):
            version = self._version(row["regulation"], row["version"])
            number = _int(row["article"])
            if version is None or number is None:
                continue  # 第N条之一: none in the data yet
            counts, _, chapter_conf = row["confidence"].partition("/chapter:")
            chapter_known = not _recalled(chapter_conf or counts)
            counts_known = not _recalled(counts)
            by_paragraph = None
            if counts_known and row["items_by_paragraph"].strip():
                by_paragraph = tuple(int(x) for x in row["items_by_paragraph"].split(";"))
            chapter = _int(row["chapter"]) if chapter_known else None
            article = Article(
                number=number, chapter=chapter,
                chapter_title=row["chapter_title"] or None if chapter_known else None,
                paragraphs=_int(row["paragraphs"]) if counts_known else None,
                items=_int(row["items"]) if counts_known else None,
                items_by_paragraph=by_paragraph)
            version.articles[number] = article
            if chapter is not None:
                known = chapters.setdefault((version.family, version.version), {})
                old = known.get(chapter)
                known[chapter] = Chapter(chapter, row["chapter_title"],
                                         min(number, old.first) if old else number,
                                         max(number, old.last) if old else number)
        for (family, name), found in chapters.items():
            version = self._version(family, name)
            assert version is not None
            version.chapters = [found[k] for k in sorted(found)]

    def _read_renumbering(self, path: Path) -> None:
        for row in self._rows(path):
            if _recalled(row["confidence"]):
                continue
            old = _int(row["old_article"])
            if old is None:
                continue
            key = (row["regulation"], row["old_version"])
            target = Renumbered(_int(row["new_article"]), _int(row["new_item"]))
            self._renumbering.setdefault(key, {}).setdefault(
                (old, _int(row["old_item"])), []).append(target)

    # ------------------------------------------------------------------ looking up

    def version_for(self, regulation: str | None) -> Version | None:
        """The version a citation resolved to ``regulation`` reads in; None when unknown."""
        return self._by_id.get(regulation) if regulation else None

    def current(self, version: Version) -> Version:
        """The latest version of ``version``'s regulation."""
        return self.versions[version.family][-1]

    def older(self, version: Version) -> list[Version]:
        """The versions before ``version`` whose renumbering into it is known, latest first."""
        return [v for v in reversed(self.versions[version.family])
                if (v.promulgated or "") < (version.promulgated or "")
                and (v.family, v.version) in self._renumbering]

    def renumbered(self, old: Version, article: int, item: int | None = None) -> list[Renumbered]:
        """Where ``old``'s article (and item, when the data maps items) went in the latest
        version; [] when the data does not say."""
        table = self._renumbering.get((old.family, old.version), {})
        if item is not None and (article, item) in table:
            return table[(article, item)]
        return table.get((article, None), [])

    def ids(self) -> dict[str, Version]:
        """Regulation id → the version it reads in."""
        return dict(self._by_id)


@lru_cache(maxsize=4)
def _load(folder: str) -> Structures:
    return Structures(Path(folder))


def structures(folder: Path | None = None) -> Structures:
    """The structure data of ``ontology/structure/`` (read once per process)."""
    return _load(str(folder or ontology_dir() / "structure"))
