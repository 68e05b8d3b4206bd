"""Citations → regulations: one node per regulation, however it is spelled.

A ``Resolver`` takes the citations of one text (one 公开依据 cell) at a time and sets each
citation's ``regulation`` to a stable id, checking it against the authority
(``catalog_graph.resolve.authority``):

- A doc number is the key where there is one: ``国办发〔2022〕8号`` → ``guobanfa-2022-8``.
- Titles are matched folded: ``《政府信息公开条例》`` and ``《中华人民共和国政府信息公开条例》``
  are one law; ``《2022年政务公开工作要点》`` is the notice that issued it; a title that
  names several versions means the one in force.
- ``《条例》`` (a title that is only a kind: 条例, 办法, 实施细则 …) is the nearest document of
  that kind named before it in the same text; a title cited twice in one text is one
  document, the number of one mention serving both.
- A title that is only a kind, written with a doc number (``《通知》（国办发〔2023〕5号）``,
  or a fragment left of a title cut short: ``的通知``), is resolved by the number alone:
  such a title tells no document from another, so it neither refers back nor is matched.
- Titles alone never join citations whose doc numbers disagree: a doc number that names a
  document is its key, and a title cited twice in one text with two numbers lends neither to
  a mention without one (which is warned about).
- A title cut off (``国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度``) with the
  same doc number is the same document, with a warning that the title is incomplete.

Checks, reported as citation warnings (short, deterministic English sentences):

- a doc number that disagrees with the authority: ``《重大行政决策程序暂行条例》
  （国务院令第七十三号）`` → resolved by title to 国务院令第713号, with a warning;
- a title that disagrees with its doc number (resolved by the number);
- a document that is no longer in force (and what replaced it);
- a title shared by several documents (the latest is taken);
- a title starting 关于 with neither issuer nor doc number (it may name several documents);
- a short title with nothing before it to refer to;
- a title cited in the same text with several doc numbers, then once without one;
- a cited article, paragraph or item the version cited does not have, or that follows an
  older numbering (``catalog_graph.resolve.articles``, against ``ontology/structure/``).

Ids depend only on the regulation (its normalized doc number, or the key of its title when
it has none) and on the authority, never on what was seen before: every catalog, run and
worker process gives the same id. ``regulations()`` returns the nodes seen, sorted by id.

A node's canonical title is the authority's title. For documents the authority does not
know, it is the longest title seen for it (the most complete spelling), ties broken by the
smallest in code-point order; a document only ever cited by number is titled by its number.
Its issuers are the fullest list seen (joint issuers over one), then the smallest; its kind
the smallest seen. Each choice is an extreme over everything seen, so resolvers merged in
any order (``Resolver.merge``, ``merge_regulations``) agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_graph.citations.docnumbers import parse_doc_number
from catalog_graph.citations.titles import (
    doc_kind,
    is_generic_title,
    short_titles,
    title_issuers,
    title_key,
)
from catalog_graph.models import Citation, Regulation
from catalog_graph.resolve.articles import check_citation
from catalog_graph.resolve.authority import (
    Authority,
    AuthorityEntry,
    builtin_authority_paths,
    env_authority_paths,
    expand_paths,
    regulation_id,
)
from catalog_graph.resolve.structure import Structures, structures

__all__ = ["Resolver", "merge_regulations", "regulation_id"]


def _best_title(titles: Iterable[str]) -> str | None:
    """The most complete spelling: the longest, then the smallest in code-point order."""
    return min(titles, key=lambda t: (-len(t), t), default=None)


def _best_issuer(issuers: Iterable[Iterable[str]]) -> list[str]:
    """The fullest list of issuers seen (joint issuers over one), then the smallest."""
    return list(min((tuple(i) for i in issuers if i), key=lambda i: (-len(i), i), default=()))


@dataclass(slots=True)
class _Seen:
    """What was seen of one regulation: its authority entry, or the spellings cited."""

    id: str
    entry: AuthorityEntry | None = None
    doc_number: str | None = None
    observations: set[tuple[str | None, tuple[str, ...], str | None]] = field(default_factory=set)

    def regulation(self) -> Regulation:
        titles = {t for t, _, _ in self.observations if t and not is_generic_title(t)}
        if self.entry is not None:
            e = self.entry
            aliases = (set(e.aliases) | titles) - {e.title}
            return Regulation(id=self.id, title=e.title, doc_number=e.doc_number,
                              issuer=list(e.issuer), doc_type=e.doc_type, date=e.date,
                              in_force=e.in_force, aliases=sorted(aliases), in_authority=True,
                              replaced_by=e.replaced_by)
        title = _best_title(titles) or self.doc_number or self.id
        return Regulation(id=self.id, title=title, doc_number=self.doc_number,
                          issuer=_best_issuer(o[1] for o in self.observations),
                          doc_type=min((o[2] for o in self.observations if o[2]), default=None),
                          aliases=sorted(titles - {title}), in_authority=False)


def _entry_label(entry: AuthorityEntry) -> str:
    return entry.doc_number or f"《{entry.title}》"


def _short_kind(title: str) -> str:
    """The kind a short title refers back to: 本条例 → 条例; 的通知 → 通知."""
    for prefix in ("上述", "本", "该"):
        if title.startswith(prefix):
            title = title[len(prefix):]
            break
    if title in short_titles():
        return title
    return doc_kind(title) or title


# a title's key in one text → the regulations cited by it there: id → (entry, doc number)
_ByKey = dict[str, dict[str, tuple[AuthorityEntry | None, str | None]]]


class Resolver:
    """Resolves citations against the authority and collects the regulations they name.

    ``extra_authority``: more authority CSV files (or directories of them), read after the
    built-in ones and those named by ``$CATALOG_GRAPH_AUTHORITY``; later rows win.
    ``builtin=False`` leaves out ``ontology/authority/``; ``use_env=False`` ignores the
    environment variable.
    """

    def __init__(self, extra_authority: Iterable[Path | str] = (), *, builtin: bool = True,
                 use_env: bool = True) -> None:
        paths: list[Path] = []
        if builtin:
            paths += builtin_authority_paths()
        if use_env:
            paths += env_authority_paths()
        paths += expand_paths(extra_authority)
        self.authority = Authority(paths)
        self.structures: Structures = structures()
        self._seen: dict[str, _Seen] = {}

    # ------------------------------------------------------------------ public

    def resolve(self, citations: list[Citation]) -> None:
        """Resolve the citations of one text, in order: set ``regulation``, add warnings, and
        fill ``issuer`` and ``doc_type`` where the citation has none (``title`` and
        ``doc_number`` stay as written)."""
        # numbered and authority-known citations first, so a bare title cited again in the
        # same text can borrow their resolution whatever the order of mention
        back: list[bool] = []
        deferred: list[Citation] = []
        by_key: _ByKey = {}
        for c in citations:
            generic = is_generic_title(c.title) and self._generic(c.title)
            refers_back = generic and self._refers_back(c)
            back.append(refers_back)
            if not refers_back and not self._resolve_one(c, by_key, generic):
                deferred.append(c)
        for c in deferred:
            found = by_key.get(title_key(c.title)) if c.title else None
            if found is not None and len(found) == 1:
                [(rid, (entry, number))] = found.items()
                self._attach(c, rid, entry, number)
                continue
            if found:  # one title, several numbers: the mention without one is none of them
                numbers = ", ".join(n or (e.doc_number if e else None) or rid
                                    for rid, (e, n) in found.items())
                c.warnings.append(f"title is cited in this text with {len(found)} doc numbers "
                                  f"({numbers}); this mention, without one, is none of them")
            self._attach_new(c, by_key)
        self._resolve_shorts(citations, back)
        for c in citations:
            check_citation(c, self.structures)

    def regulations(self) -> list[Regulation]:
        """The regulations cited so far, sorted by id."""
        return [self._seen[k].regulation() for k in sorted(self._seen)]

    def regulation(self, regulation_id: str) -> Regulation:
        """The node with this id: one cited so far, or one the authority knows."""
        if regulation_id in self._seen:
            return self._seen[regulation_id].regulation()
        entry = self.authority.by_id.get(regulation_id)
        if entry is not None:
            return _Seen(regulation_id, entry).regulation()
        raise KeyError(regulation_id)

    def merge(self, other: Resolver) -> None:
        """Take in what another resolver has seen (e.g. a worker's), as if seen here."""
        for rid, seen in other._seen.items():
            mine = self._seen.setdefault(rid, _Seen(rid, seen.entry, seen.doc_number))
            mine.observations |= seen.observations
            mine.entry = mine.entry or seen.entry
            mine.doc_number = mine.doc_number or seen.doc_number

    # ------------------------------------------------------------------ steps

    def _generic(self, title: str | None) -> bool:
        """A title that names only a kind (``通知``, ``本办法``, ``的通知``), unless the authority
        knows a document by it (``宪法``)."""
        return is_generic_title(title) and self.authority.by_title(title, headless=False) is None

    def _refers_back(self, c: Citation) -> bool:
        """Whether a title that is only a kind refers to a document named earlier in the text:
        unless its doc number names the document (``《通知》（国办发〔2023〕5号）``)."""
        number = parse_doc_number(c.doc_number) if c.doc_number else None
        return number is None or (number.regulation_id() is None and
                                  self.authority.by_doc_number(number.normalized) is None)

    def _resolve_one(self, c: Citation, by_key: _ByKey, generic: bool) -> bool:
        """Resolve by number and by authority; False when only a new title-keyed node
        would do (left for after the whole text is seen). A title that is only a kind
        (``generic``) is not matched: the number alone decides."""
        auth = self.authority
        title = None if generic else c.title
        number = parse_doc_number(c.doc_number) if c.doc_number else None
        by_number = auth.by_doc_number(number.normalized) if number else None
        by_title = auth.by_title(title, headless=number is None) if title else None
        entry: AuthorityEntry | None = None
        if by_number is not None:
            agreement = Authority.title_agrees(by_number, title) if title else "same"
            if agreement is not None or by_title is None:
                entry = by_number
                if agreement == "truncated":
                    c.warnings.append(f"title is incomplete: {by_number.doc_number} is "
                                      f"《{by_number.title}》")
                elif agreement is None:
                    c.warnings.append(f"title does not match {by_number.doc_number}, which is "
                                      f"《{by_number.title}》")
            else:
                entry = by_title
                c.warnings.append(f"doc number {number.normalized} does not match "  # type: ignore[union-attr]
                                  f"《{by_title.title}》, which is {_entry_label(by_title)}")
        elif by_title is not None:
            if number is None:
                entry = by_title
                self._warn_ambiguous(c, by_title)
            elif number.numbering == "term" or by_title.doc_number is None:
                entry = by_title
            else:
                theirs = parse_doc_number(by_title.doc_number)
                same_issuer = theirs is not None and (
                    theirs.code == number.code
                    or (theirs.issuer is not None and theirs.issuer == number.issuer))
                if same_issuer:  # a slip in the number: the title decides
                    entry = by_title
                    c.warnings.append(f"doc number {number.normalized} does not match "
                                      f"《{by_title.title}》, which is {by_title.doc_number}")
        if entry is not None:
            self._attach(c, entry.id, entry, entry.doc_number)
        elif number is not None and number.regulation_id() is not None:
            self._attach(c, number.regulation_id(), None, number.normalized)  # type: ignore[arg-type]
        else:
            return False
        if title:
            assert c.regulation is not None
            by_key.setdefault(title_key(title), {}).setdefault(
                c.regulation, (entry, None if entry else (number.normalized if number else None)))
        return True

    def _warn_ambiguous(self, c: Citation, entry: AuthorityEntry) -> None:
        found = self.authority._by_key.get(title_key(c.title or ""), [])
        if len(found) > 1 and not (entry.in_force and
                                   sum(1 for e in found if e.in_force) == 1):
            c.warnings.append(f"title names {len(found)} documents; taken as the latest, "
                              f"{_entry_label(entry)}")

    def _attach(self, c: Citation, rid: str, entry: AuthorityEntry | None,
                doc_number: str | None) -> None:
        c.regulation = rid
        seen = self._seen.setdefault(rid, _Seen(rid, entry, doc_number))
        seen.observations.add((c.title, tuple(c.issuer), c.doc_type))
        if entry is not None:
            if entry.in_force is False:
                replaced = f", replaced by {entry.replaced_by}" if entry.replaced_by else ""
                c.warnings.append(f"not in force: 《{entry.title}》 ({_entry_label(entry)})"
                                  f"{replaced}")
            if not c.issuer and entry.issuer:
                c.issuer = list(entry.issuer)
            if not c.doc_type and entry.doc_type:
                c.doc_type = entry.doc_type

    def _attach_new(self, c: Citation, by_key: _ByKey) -> None:
        """A node keyed by the title alone: with the issuers written before its marks when
        the title names none (国务院办公厅《关于…》 is keyed as 国务院办公厅关于…)."""
        if not c.title:
            c.warnings.append(f"{c.doc_number} names no document by itself: its numbers "
                              f"restart with each term of office")
            return
        keyed = c.title
        if c.title.startswith("关于"):
            if c.issuer and not title_issuers(c.title):
                keyed = "".join(c.issuer) + c.title
            elif not c.issuer:
                c.warnings.append("no issuer and no doc number: the title alone may name "
                                  "several documents")
        rid = regulation_id(None, keyed)
        assert rid is not None
        self._attach(c, rid, None, None)
        by_key.setdefault(title_key(c.title), {rid: (None, None)})

    def _resolve_shorts(self, citations: list[Citation], back: list[bool]) -> None:
        """Resolve each short title (《条例》; ``back`` marks them) to the latest citation
        before it, resolved and not itself short, of its kind (same doc_type, or a title
        ending in the kind), unless their doc numbers disagree.

        One pass, remembering the latest such citation per doc_type and per kind (looking back
        from every short title cost the square of their number in a long text)."""
        if True not in back:
            return
        kinds = {_short_kind(c.title) for c, b in zip(citations, back, strict=True)
                 if b and c.title}
        by_type: dict[str | None, Citation] = {}
        by_kind: dict[str, tuple[int, Citation]] = {}
        typed: dict[str | None, int] = {}
        for k, c in enumerate(citations):
            if back[k] and c.title:
                kind = _short_kind(c.title)
                found = [(typed[c.doc_type], by_type[c.doc_type])] if c.doc_type in typed else []
                if kind in by_kind:
                    found.append(by_kind[kind])
                earlier = max(found, key=lambda f: f[0])[1] if found else None
                if earlier is not None and c.doc_number and earlier.doc_number and \
                        c.doc_number != earlier.doc_number:
                    c.warnings.append(f"《{c.title}》 ({c.doc_number}) is not the document "
                                      f"named before it ({earlier.doc_number}), and its number "
                                      "names no document by itself")
                elif earlier is not None:
                    self._take_earlier(c, earlier)
                else:
                    c.warnings.append(f"《{c.title}》 refers to no document named earlier in "
                                      "the text")
            elif c.regulation is not None:
                by_type[c.doc_type] = c
                typed[c.doc_type] = k
                key = title_key(c.title or "")
                for kind in kinds:
                    if key.endswith(kind):
                        by_kind[kind] = (k, c)

    def _take_earlier(self, c: Citation, earlier: Citation) -> None:
        assert earlier.regulation is not None
        c.regulation = earlier.regulation
        self._seen[earlier.regulation].observations.add((c.title, tuple(c.issuer), c.doc_type))
        if not c.issuer:
            c.issuer = list(earlier.issuer)


def merge_regulations(*groups: Iterable[Regulation]) -> list[Regulation]:
    """Regulations from several resolvers (e.g. worker processes) combined into one node per
    id, sorted: the same result in any order of groups. Titles combine as in ``Resolver``
    (authority title, else the most complete spelling); aliases are united."""
    by_id: dict[str, list[Regulation]] = {}
    for group in groups:
        for reg in group:
            by_id.setdefault(reg.id, []).append(reg)
    out: list[Regulation] = []
    for rid in sorted(by_id):
        regs = by_id[rid]
        known = [r for r in regs if r.in_authority]
        # a node titled by its number or id (nothing else seen) has no spelling to give
        spellings = {t for r in regs for t in (r.title, *r.aliases)
                     if t not in (r.doc_number, r.id)}
        if known:
            base = known[0]
            out.append(Regulation(
                id=rid, title=base.title, doc_number=base.doc_number, issuer=list(base.issuer),
                doc_type=base.doc_type, date=base.date, in_force=base.in_force,
                aliases=sorted(spellings - {base.title}), in_authority=True,
                replaced_by=base.replaced_by))
            continue
        title = _best_title(spellings) or min(r.title for r in regs)
        out.append(Regulation(
            id=rid, title=title,
            doc_number=min((r.doc_number for r in regs if r.doc_number), default=None),
            issuer=_best_issuer(r.issuer for r in regs),
            doc_type=min((r.doc_type for r in regs if r.doc_type), default=None),
            aliases=sorted(spellings - {title}), in_authority=False))
    return out

