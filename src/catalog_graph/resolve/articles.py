"""Cited articles checked against the structure of the version they read in
(``catalog_graph.resolve.structure``: data in ``ontology/structure/``).

Checks, reported as citation warnings (short, deterministic English sentences):

- an article beyond the version's last one: ``《政府信息公开条例》第五十七条`` → the 2019 text has
  56 articles;
- an article cited in a chapter it is not in (``第三章第十条``), where chapters are known;
- a paragraph (款) beyond what the article has, where known: ``第二十条第二款`` → 1 paragraph;
- an item (项) beyond what the article lists: ``第二十条第（十六）项`` → 15 items; an item of an
  article that lists none (``第十九条第（二）项``);
- a citation of the current version whose article, read with an older numbering, fits far
  better: the cited item is not in the current article but is in the old article of that
  number (``《政府信息公开条例》第十条第（五）项``: 2019 第十条 lists no items, 2007 第十条 lists 11)
  → which version the numbering belongs to and the article (and item) it is now
  (``第二十条第（八）项``); the citation's ``numbering`` becomes that version's key;
- a citation naming an old version's decree (``国务院令第492号``): which version the numbering
  belongs to and the article it is now, besides the checks above against that version; when
  the article (or item) is not in the old version but is in the current one
  (``（国务院令第492号）第四十九条``), the decree is more likely the slip, and that is said.

A provision the data knows nothing of (an article without counts, a regulation without
structure data) is never warned about: a correct citation stays silent.
"""

from __future__ import annotations

from catalog_graph.models import Citation, Provision
from catalog_graph.numerals import chinese_numeral
from catalog_graph.resolve.structure import Structures, Version

__all__ = ["check_citation", "problems"]


def _article(n: int) -> str:
    return f"第{chinese_numeral(n)}条"


def _item(n: int) -> str:
    return f"第（{chinese_numeral(n)}）项"


def _count(n: int, one: str, many: str) -> str:
    return f"no {many}" if n == 0 else f"1 {one}" if n == 1 else f"{n} {many}"


def problems(provision: Provision, version: Version) -> list[str]:
    """What does not exist of ``provision`` in ``version``, as warnings ([] when it exists or
    the data does not know)."""
    out: list[str] = []
    if provision.article is None:
        if provision.chapter is not None and version.chapters and \
                provision.chapter > len(version.chapters):
            out.append(f"{provision.label()} does not exist: {version.label()} has "
                       f"{_count(len(version.chapters), 'chapter', 'chapters')}")
        return out
    if version.article_count is not None and provision.article > version.article_count:
        out.append(f"{provision.label()} does not exist: {version.label()} has "
                   f"{_count(version.article_count, 'article', 'articles')}")
        return out
    article = version.articles.get(provision.article)
    if article is None:
        return out
    label = provision.label
    if provision.chapter is not None and article.chapter is not None and \
            provision.chapter != article.chapter:
        out.append(f"{label()} does not exist: {_article(article.number)} of {version.label()} "
                   f"is in 第{chinese_numeral(article.chapter)}章")
        return out
    if provision.paragraph is not None and article.paragraphs is not None and \
            provision.paragraph > article.paragraphs:
        out.append(f"{label()} does not exist: {_article(article.number)} of {version.label()} "
                   f"has {_count(article.paragraphs, 'paragraph', 'paragraphs')}")
        return out
    if provision.item is not None:
        listed = article.items_in(provision.paragraph)
        if listed is not None and provision.item > listed:
            where = f"{_article(article.number)} of {version.label()}"
            if provision.paragraph is not None:
                where = f"第{chinese_numeral(provision.paragraph)}款 of {where}"
            out.append(f"{label()} does not exist: {where} lists "
                       f"{_count(listed, 'item', 'items')}")
    return out


def _known(provision: Provision, version: Version) -> bool:
    """Whether the data knows enough of ``version`` to say ``provision`` exists in it."""
    if provision.article is None or version.article_count is None:
        return False
    article = version.articles.get(provision.article)
    if article is None:
        return False
    if provision.item is not None and article.items_in(provision.paragraph) is None:
        return False
    return provision.paragraph is None or article.paragraphs is not None


def _now(structures: Structures, old: Version, provision: Provision) -> str:
    """Where ``old``'s provision is in the latest version, as a clause."""
    assert provision.article is not None
    current = structures.current(old)
    moved = structures.renumbered(old, provision.article, provision.item)
    if not moved:
        return f"the data records no counterpart in {current.label()}"
    if all(m.article is None for m in moved):
        return f"it was deleted in {current.label()}"
    places = []
    items = provision.item is not None and all(m.item is not None for m in moved)
    for m in moved:
        if m.article is None:
            continue
        place = _article(m.article)
        if items:
            place += _item(m.item)  # type: ignore[arg-type]
        places.append(place)
    what = "it" if items or provision.item is None else f"its {_article(provision.article)}"
    return f"{what} is now {' and '.join(dict.fromkeys(places))} of {current.label()}"


def _old_fit(structures: Structures, current: Version,
             provision: Provision) -> tuple[Version, int] | None:
    """An older version in whose numbering the cited item exists when it does not in the
    current one (the data knowing both), the latest such, and how many items it lists."""
    if provision.article is None or provision.item is None:
        return None
    for old in structures.older(current):
        if old.article_count is not None and provision.article > old.article_count:
            continue
        article = old.articles.get(provision.article)
        listed = article.items_in(provision.paragraph) if article is not None else None
        if listed is not None and provision.item <= listed and \
                structures.renumbered(old, provision.article):
            return old, listed
    return None


def check_citation(citation: Citation, structures: Structures) -> None:
    """Add warnings for cited provisions that do not exist in the version the citation reads
    in, or that follow an older numbering; set ``numbering`` when they do."""
    version = structures.version_for(citation.regulation)
    if version is None or not citation.provisions:
        return
    current = structures.current(version)
    found: list[str] = []
    for provision in citation.provisions:
        if version is not current:
            missing = problems(provision, version)
            found += missing
            if provision.article is None:
                continue
            if missing:  # not in the old text: in the current one, the decree is the slip
                if _known(provision, current) and not problems(provision, current):
                    found.append(f"{provision.label()} is in {current.label()}: "
                                 f"the decree {version.decree or version.version} may be the "
                                 "slip")
                continue
            citation.numbering = version.key
            found.append(f"{provision.label()} is in the {version.version} numbering "
                         f"({version.decree or version.version}): "
                         f"{_now(structures, version, provision)}")
            continue
        missing = problems(provision, version)
        fit = _old_fit(structures, version, provision) if missing else None
        if fit is not None:
            old, listed = fit
            citation.numbering = old.key
            found.append(f"{provision.label()} reads as the {old.version} numbering "
                         f"({old.decree or old.version}): {missing[0].split(': ', 1)[1]}, "
                         f"while {old.version} {_article(provision.article)} "  # type: ignore[arg-type]
                         f"lists {_count(listed, 'item', 'items')}; "
                         f"{_now(structures, old, provision)}")
            continue
        found += missing
    for warning in found:
        if warning not in citation.warnings:
            citation.warnings.append(warning)
