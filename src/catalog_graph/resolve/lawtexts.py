"""Article texts from the user's own copy of the laws (``--laws DIR``).

The folder is laid out as the public LawRefBook collection lays it out: Markdown files, one per
law and version, in any sub-folders, named after the law's short title and the date of the
version (``行政法规/政府信息公开条例(2019-04-03).md``). Each file holds the title (``# …``), the
history lines, then the text: chapters (``## 第一章 总则``), sections (``### 第一节 …``) and
articles, each opening a line with ``第N条`` (one paragraph per line after it; items
``（一）…`` on lines of their own)::

    # 中华人民共和国政府信息公开条例
    2007年4月5日中华人民共和国国务院令第492号公布 …
    <!-- INFO END -->
    ## 第一章 总则
    第一条 为了保障公民、法人和其他组织依法获取政府信息，……

A law is found by its title (``中华人民共和国`` or not, as the file name has it); its version by
date: a version the structure data knows (``ontology/structure``) takes the file dated from its
promulgation up to the next version's; any other citation takes the latest file. The project
ships no law texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from catalog_graph.citations.titles import title_key
from catalog_graph.errors import CatalogError
from catalog_graph.models import Citation
from catalog_graph.numerals import parse_int
from catalog_graph.resolve.structure import Structures, Version

__all__ = ["LawText", "LawTexts", "attach_texts", "parse_law_text", "provision_text"]

_FILE = re.compile(r"(?P<name>.+?)[(（](?P<date>\d{4}-\d{2}-\d{2})[)）]$")
_ARTICLE = re.compile(r"^[\s\u3000]*第(?P<n>[0-9零〇一二三四五六七八九十百千两]+)条(?P<suffix>之[一二三四五六七八九十]+)?"
                      r"(?:[\s\u3000]+|$)(?P<rest>.*)$")
_HEADING = re.compile(r"^#{1,6}\s")


@dataclass(frozen=True, slots=True)
class LawText:
    """One file of the collection: the law's title, the version's date, its articles."""

    title: str
    date: str | None
    path: str
    articles: dict[int, str]


def parse_law_text(text: str) -> tuple[str | None, dict[int, str]]:
    """The title (first ``# `` line) and the articles (number → text, paragraphs joined by
    line breaks) of a law text in LawRefBook's layout. ``第N条之一`` is kept out (it has no
    integer number)."""
    title = None
    articles: dict[int, list[str]] = {}
    current: list[str] | None = None
    body = "<!-- INFO END -->" not in text
    for raw in text.splitlines():
        line = raw.strip()
        if not body:
            if title is None and line.startswith("# "):
                title = line[2:].strip()
            if line == "<!-- INFO END -->":
                body = True
            continue
        if title is None and line.startswith("# "):
            title = line[2:].strip()
            continue
        if not line or line.startswith("<!--"):
            continue
        if _HEADING.match(line):
            current = None
            continue
        m = _ARTICLE.match(line)
        if m is not None:
            number = parse_int(m.group("n"))
            if m.group("suffix") or number is None:
                current = None
                continue
            current = articles.setdefault(number, [])
            if m.group("rest").strip():
                current.append(m.group("rest").strip())
            continue
        if current is not None:
            current.append(line)
    return title, {n: "\n".join(lines) for n, lines in sorted(articles.items())}


class LawTexts:
    """The law texts of one folder, found by title and version."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise CatalogError(str(folder), "--laws needs a folder of law texts (Markdown, "
                               "one file per law and version)", "laws")
        self._by_key: dict[str, list[LawText]] = {}
        for path in sorted(self.folder.rglob("*.md")):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc.strerror
                raise CatalogError(path.as_posix(), f"cannot read the law text ({reason})",
                                   "laws") from exc
            m = _FILE.match(path.stem)
            name, date = (m.group("name"), m.group("date")) if m else (path.stem, None)
            title, articles = parse_law_text(text)
            if not articles:
                continue
            law = LawText(title or name, date, path.relative_to(self.folder).as_posix(),
                          articles)
            for key in {title_key(name), title_key(law.title)}:
                self._by_key.setdefault(key, []).append(law)
        for found in self._by_key.values():
            found.sort(key=lambda law: (law.date or "", law.path))

    def __len__(self) -> int:
        return len({law.path for found in self._by_key.values() for law in found})

    def law(self, titles: list[str], version: Version | None = None,
            structures: Structures | None = None) -> LawText | None:
        """The file of the law with one of ``titles``: of ``version`` when given (dated from
        its promulgation up to the next version's), else the latest."""
        found: list[LawText] = []
        for title in titles:
            found = self._by_key.get(title_key(title), [])
            if found:
                break
        if not found:
            return None
        if version is None or structures is None:
            return found[-1]
        later = [v.promulgated for v in structures.versions[version.family]
                 if v.promulgated and version.promulgated and v.promulgated > version.promulgated]
        start, end = version.promulgated or "", min(later, default="9999")
        dated = [law for law in found if law.date and start <= law.date < end]
        return dated[-1] if dated else None

    def article(self, titles: list[str], article: int, version: Version | None = None,
                structures: Structures | None = None) -> str | None:
        """The text of an article of the law with one of ``titles`` (see :meth:`law`)."""
        law = self.law(titles, version, structures)
        return law.articles.get(article) if law is not None else None


def provision_text(laws: LawTexts, structures: Structures, regulation: str, titles: list[str],
                   article: int, numbering: str | None = None) -> str | None:
    """The text of an article of a regulation (by its id and titles), in the version it reads
    in: ``numbering`` (a version key, ``zfxxgk-2007``) when given, else the regulation's."""
    version = structures.version_for(regulation)
    if numbering is not None and version is not None:
        version = next((v for v in structures.versions[version.family] if v.key == numbering),
                       version)
    if version is not None:
        titles = [version.title, *titles]
    return laws.article(titles, article, version, structures)


def attach_texts(citations: list[Citation], laws: LawTexts, structures: Structures,
                 titles: dict[str, list[str]] | None = None) -> None:
    """Set each cited article's ``text`` (``Provision.text``) from ``laws``; ``titles``: the
    titles each regulation id is known by (its canonical title first), besides the cited one."""
    for c in citations:
        if c.regulation is None:
            continue
        names = [*(titles or {}).get(c.regulation, []), *([c.title] if c.title else [])]
        for provision in c.provisions:
            if provision.article is not None:
                provision.text = provision_text(laws, structures, c.regulation, names,
                                                provision.article, c.numbering)
