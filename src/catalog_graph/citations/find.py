"""A 公开依据 text → the citations in it (``find_citations``), unresolved.

Forms found (spans always point back into the text: ``text[c.start:c.end] == c.text``; a
span covers the title with its marks, its doc number and its provisions, not a quotation
that follows them):

Titles (``catalog_graph.citations.title_spans``; line breaks inside a title, left by a wrapped
table cell, are dropped)
  - ``《中华人民共和国政府信息公开条例》`` — a title in 《》; nested 〈〉 ``<>`` ``＜＞`` or 《》 inside
    it (``《中共中央办公厅 国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉》``), and its
    own （…） (``《提升行政执法质量三年行动计划（2023—2025年）》``); a 《 left unclosed ends at
    the next doc number, sentence end or title.
  - ``〈政府信息公开条例〉``, ``<…>``, ``＜…＞`` used as the outer marks, when what they hold
    reads as a title (ends with a kind or says 关于).
  - ``国务院办公厅关于做好……公开工作的通知（国办发〔2014〕46号）`` — a title without marks,
    ended by its 发文字号: it starts at the bodies before 关于 / 印发 / 转发 (found with jieba),
    after verbs such as 依据 / 根据, and after any list number, sentence end or earlier
    citation; a 《X》 inside it (``国务院办公厅关于印发《X》的通知（国办发…）``, and after any
    words following a 关于 / 印发 / 批转 / 公布 of its clause: ``国务院批转国家教育委员会《X》的
    通知``, ``关于印发2016年《X》量化指标任务分工的通知``) belongs to it, and such a title is
    found without a number too (``…关于印发《X》的通知``); so do quoted words
    (``关于服务“六稳”“六保”进一步做好“放管服”改革有关工作的意见``). Only a kind before the
    number (``该通知（国办发…）``, ``的通知（…）``) is no title: the citation is the number.
  - ``国务院办公厅《关于…的通知》`` — bodies written before the marks are the issuers.
  - ``中华人民共和国政府信息公开条例第二十条`` — a law's full name without marks, when an
    article follows or nothing does.
  - ``《条例》``, ``《意见》`` — a title that is only a kind, a reference to an earlier
    document (resolved by ``catalog_graph.resolve``).
Doc numbers (``catalog_graph.citations.docnumbers``)
  - after the title in any bracket (``（国办发〔2022〕8号）``), bare after it, inside its 《》,
    or before it (``国办发〔2022〕8号《…》``); every year-bracket variant, spaces and line breaks,
    full-width digits, Chinese numerals (``国务院令第七十三号``), normalized (``国办发〔2022〕8号``,
    ``国务院令第73号``); a bracket naming a regulation's first and revised texts
    (``（…国务院令第492号公布，…国务院令第711号修订）``) gives the last.
  - a number alone (``依据国办发〔2014〕46号``): a citation without a title.
Provisions (``catalog_graph.citations.provisions``)
  - ``第十二条``, ``第二十条第一款第（五）项``, ``第二十条第（五）项、第（六）项``,
    ``第十九条、第二十条``, ``第十九、二十条``, ``第十九条、二十条``, ``第十九条至第二十一条``,
    ``第二十条第五项``, ``第二十条（五）``, ``第20条``,
    ``第三章``, ``第三章第十条`` — after the title or doc number (a bare ``（二）`` right
    before a 《 numbers a list, it is no item);
  - a quote after them (``第二十条“（五）办理行政许可……”``) gives the item of that article;
    a quote after a title alone (``“三、…，（八）开展…”``) gives an item of the document
    (warned about for kinds written in articles, where an article number is expected).
    Citations inside such a quote are not extracted: they are quoted text, not a basis.
Lists
  - ``1.… 2.… 3.…`` with missing, repeated or run-together numbers (``…14号）3.《…``),
    separated by ``；`` ``、`` ``，`` or nothing: list numbers are never read as part of a
    title, number or provision.
Issuers and kinds
  - issuers from the title (``catalog_graph.citations.titles.title_issuers``), else the bodies written
    before its marks, else the doc number's prefix (``ontology/issuer_codes.tsv``); an
    unknown prefix with no issuer in the title is warned about, and so is a prefix naming a
    body the title contradicts. A 主席令 names no issuer (the law's maker comes from the
    authority when resolved).
  - the kind from the title's ending (``ontology/doc_types.tsv``); the kind of
    ``关于印发〈X意见〉的通知`` is 通知 (the document the number belongs to).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from catalog_graph.citations.docnumbers import DocNumberMatch, find_doc_numbers
from catalog_graph.citations.provisions import (
    NUMBER,
    provisions_at,
    quote_at,
    quoted_item,
    skip_space,
)
from catalog_graph.citations.title_spans import (
    CLOSE_BRACKETS,
    HARD_STOPS,
    OPEN_BRACKETS,
    TitleSpan,
    bare_laws,
    book_titles,
    looks_like_title,
)
from catalog_graph.citations.titles import (
    bare_title_start,
    doc_kind,
    fold_nested_marks,
    is_article_kind,
    is_generic_title,
    issuers_before,
    title_issuers,
)
from catalog_graph.lexicon import title_words
from catalog_graph.models import Citation, Provision
from catalog_graph.numerals import LIST_NUMERALS, parse_int

__all__ = ["find_citations"]

_LIST_MARKER_END = re.compile(
    r"(?:(?<![0-9０-９.．])[0-9０-９]{1,2}[.．、](?![0-9０-９])"
    rf"|[（(][0-9０-９{LIST_NUMERALS}]{{1,3}}[）)]|[①-⑳])$")
# A title without marks is looked for in at most this many characters before its number (the
# longest titles are about 100): jieba's segmentation of a run grows with the square of its
# length, so a 100,000-character run before a 发文字号 took half a minute.
MAX_BARE_TITLE = 300
# Words right before a 《X》 that make it part of a longer title (关于印发《X》的通知), and head
# words that do so from earlier in its clause (国务院批转国家教育委员会《X》的通知, 关于公布《X》的
# 通知, 关于印发2016年《X》…分工的通知): ontology/lexicon/title_words.tsv.
_EMBEDDING_VERBS = title_words("embedding_verb")
_EMBEDDING_HEADS = title_words("embedding_head")
_CLAUSE_STOPS = set("。；;！？!?\n\r：:，,、》）)")
_MAX_CLAUSE = 60
# Quoted words inside a title without marks (关于服务“六稳”“六保”进一步做好…的意见): the
# quote that closes them, what opens it, and how long they may be.
_QUOTE_OPENERS = {"”": "“", "」": "「", "』": "『", "’": "‘", "\"": "\""}
_MAX_QUOTED_WORD = 30

# --------------------------------------------------------------------------- doc numbers


class _Numbers(list):
    """The doc numbers of a text, in order, looked up by where they start (a text may hold
    thousands; scanning them all for every title cost their square)."""

    def __init__(self, found: list[DocNumberMatch]) -> None:
        super().__init__(found)
        self.starts = [n.start for n in found]

    def at(self, pos: int) -> DocNumberMatch | None:
        """The number starting at ``pos``."""
        k = bisect_left(self.starts, pos)
        return self[k] if k < len(self) and self.starts[k] == pos else None

    def starting_in(self, lo: int, hi: int) -> list[DocNumberMatch]:
        """The numbers starting at ``lo`` or after, before ``hi``."""
        return self[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]


def _number_at(text: str, pos: int, numbers: _Numbers) -> tuple[DocNumberMatch, int] | None:
    """A doc number at ``pos``: bare, or in a bracket (possibly with dates and 公布/修订 around
    it; of several, the last). Returns it and where the citation then ends."""
    found = numbers.at(pos)
    if found is not None:
        return found, found.end
    if pos >= len(text) or text[pos] not in OPEN_BRACKETS:
        return None
    depth, close = 0, -1
    for j in range(pos, min(len(text), pos + 120)):
        ch = text[j]
        if ch in "《》；;。":
            break
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth -= 1
            if depth == 0:
                close = j
                break
    if close >= 0:
        inside = [n for n in numbers.starting_in(pos + 1, close) if n.end <= close]
        if inside:
            return inside[-1], close + 1
        return None
    near = [n for n in numbers.starting_in(pos + 1, pos + 25)
            if not any(c in "《》；;。" for c in text[pos:n.start])]
    return (near[0], near[0].end) if near else None


# --------------------------------------------------------------------------- finding


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    title: str | None
    number: DocNumberMatch | None
    provisions: list[Provision]
    quoted_item_only: bool = False
    issuers_before: tuple[str, ...] = ()  # bodies written before the 《
    kind_before: bool = False  # only a kind (的通知) written before the number: no title


def _tail(text: str, pos: int, numbers: _Numbers, number: DocNumberMatch | None
          ) -> tuple[DocNumberMatch | None, list[Provision], int, int, bool]:
    """What follows a title: a doc number, provisions, a quote. Returns the number, the
    provisions, where the citation ends, where the text it owns ends (after a quote), and
    whether an item came from a quote with no article."""
    provisions: list[Provision] = []
    end = pos
    while True:
        p = skip_space(text, end)
        if number is None:
            got = _number_at(text, p, numbers)
            if got is not None:
                number, end = got
                continue
        got_p = provisions_at(text, p)
        if got_p is None and not provisions and p < len(text) and text[p] in _COMMAS:
            # 《…条例》国务院令第711号，第十九条: the articles after a comma are still its own
            got_p = provisions_at(text, skip_space(text, p + 1))
        if got_p is None and not provisions:
            got_p = _bare_article(text, p)
        if got_p is not None:
            provisions.extend(got_p[0])
            end = got_p[1]
            continue
        break
    owned = end
    item_only = False
    quote = quote_at(text, end)
    if quote is not None:
        q_open, q_close, owned = quote
        body_start = q_open + 1
        inner = provisions_at(text, skip_space(text, body_start))
        if inner is not None and not provisions:
            provisions.extend(inner[0])
        else:
            value = quoted_item(text, body_start, q_close)
            if value is not None:
                if provisions and provisions[-1].item is None and \
                        provisions[-1].article is not None:
                    provisions[-1].item = value
                elif not provisions:
                    provisions.append(Provision(item=value))
                    item_only = True
    return number, provisions, end, owned, item_only


_COMMAS = "，,、"
_BARE_ARTICLE = re.compile(rf"第[\s\u3000]*(?P<n>{NUMBER})(?=[。；;，,、\s]|$)")


def _bare_article(text: str, pos: int) -> tuple[list[Provision], int] | None:
    """``第四十八。`` right after a title or doc number: an article written without its 条."""
    m = _BARE_ARTICLE.match(text, pos)
    if m is None:
        return None
    value = parse_int(m.group("n"))
    return ([Provision(article=value)], m.end()) if value else None


def _is_title_tail(tail: str) -> bool:
    t = tail.strip()
    return (0 < len(t) <= 16 and re.fullmatch(r"[\u4e00-\u9fff]+", t) is not None
            and doc_kind(t) is not None)


def _embeds(text: str, title: TitleSpan, lo: int) -> bool:
    """Whether the text just before a 《X》 makes it part of a longer title: a verb right
    before it (关于印发《X》…), or a head word earlier in its clause, with only words between
    (国务院批转国家教育委员会《X》…, 关于公布《X》…, 关于印发2016年《X》…)."""
    before = text[lo:title.start].rstrip()
    if before.endswith(_EMBEDDING_VERBS):
        return True
    if not before or not (_is_han(before[-1]) or before[-1].isdigit()):
        return False
    end = lo + len(before)
    floor = max(lo, end - _MAX_CLAUSE)
    if not any(head in text[floor:end] for head in _EMBEDDING_HEADS):
        return False
    k = end
    while k > floor and text[k - 1] not in _CLAUSE_STOPS and \
            not _LIST_MARKER_END.search(text, max(lo, k - 4), k):
        k -= 1
    clause = text[k:end]
    return any(head in clause for head in _EMBEDDING_HEADS)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _quote_opener(text: str, lo: int, k: int) -> int | None:
    """Where the quoted word closed at ``k`` opens (a short quote in one clause, as in a
    title's “放管服”), or None."""
    opener = _QUOTE_OPENERS.get(text[k])
    if opener is None:
        return None
    j = k - 1
    while j >= lo and k - j <= _MAX_QUOTED_WORD:
        ch = text[j]
        if ch == opener:
            return j if j < k - 1 else None
        if ch in HARD_STOPS or ch in "《》":
            return None
        j -= 1
    return None


def _number_bounds(text: str, n: DocNumberMatch) -> tuple[int, int, bool]:
    """Where the title before a bare number must end, where the citation ends, and whether
    the number is in brackets."""
    k = n.start
    while k > 0 and text[k - 1].isspace():
        k -= 1
    if k > 0 and text[k - 1] in OPEN_BRACKETS:
        j = skip_space(text, n.end)
        limit = min(len(text), j + 12)
        while j < limit and text[j] not in CLOSE_BRACKETS and text[j] not in "《》；;。":
            j += 1
        if j < len(text) and text[j] in CLOSE_BRACKETS:
            return k - 1, j + 1, True
        return k - 1, n.end, True
    return n.start, n.end, False


def _line_continues(text: str, lo: int, k: int) -> bool:
    """Whether the line break at ``k`` cuts a title in two (a table cell wrapped by a PDF):
    the line before ends in the middle of words, not with a title, number or sentence."""
    j = k
    while j > lo and text[j - 1] in "\r\n \u3000":
        j -= 1
    if j == lo or not "\u4e00" <= text[j - 1] <= "\u9fff":
        return False
    line_start = max(text.rfind("\n", lo, j), text.rfind("\r", lo, j)) + 1
    return doc_kind(text[max(line_start, lo):j]) is None


def _left_boundary(text: str, lo: int, hi: int, titles: list[TitleSpan]) -> int:
    """How far left a title without marks ending at ``hi`` can reach."""
    k = hi - 1
    while k >= lo:
        ch = text[k]
        if ch in "\r\n" and _line_continues(text, lo, k):
            k -= 1
            continue
        if ch in _QUOTE_OPENERS:
            opener = _quote_opener(text, lo, k)
            if opener is not None:  # a quoted word inside the title: “放管服”
                k = opener - 1
                continue
        if ch in HARD_STOPS:
            return k + 1
        found = bisect_left(titles, k + 1, key=lambda t: t.end) if ch == "》" else len(titles)
        if found < len(titles) and titles[found].end == k + 1:
            t = titles[found]
            if t.start >= lo and _is_title_tail(text[k + 1:hi]) and _embeds(text, t, lo):
                k = t.start - 1
                continue
            return k + 1
        if _LIST_MARKER_END.search(text, max(lo, k - 4), k + 1):
            return k + 1
        k -= 1
    return lo


def _bare_draft(text: str, n: DocNumberMatch, lo: int, titles: list[TitleSpan]) -> _Draft:
    seg_end, end, bracketed = _number_bounds(text, n)
    seg_end = max(seg_end, lo)
    left = max(_left_boundary(text, lo, seg_end, titles), seg_end - MAX_BARE_TITLE)
    segment = text[left:seg_end]
    title = None
    start = seg_end if bracketed else n.start
    kind_only = False
    if segment.strip():
        offset = bare_title_start(segment)
        candidate = segment[offset:].rstrip()
        if is_generic_title(candidate):  # 通知（国办发…）, 该意见（…）: the number names it
            kind_only = True
        elif candidate and (looks_like_title(candidate) or title_issuers(candidate)):
            title = candidate
            start = left + offset
    if not bracketed and title is None:
        start = n.start
    return _Draft(start, end, title, n, [], kind_before=kind_only)


def _finish(text: str, d: _Draft) -> Citation:
    title = fold_nested_marks(_LINE_BREAK.sub("", d.title.strip())) if d.title else None
    number = d.number.number if d.number else None
    issuers = title_issuers(title) or list(d.issuers_before)
    warnings: list[str] = list(number.warnings) if number else []
    if number is not None:
        row = number.issuer_code
        # a 主席令 promulgates a law the NPC made: its issuer comes from the authority
        code_issuer = None if row is not None and row.numbering == "term" else number.issuer
        if not issuers and code_issuer:
            issuers = [code_issuer]
        elif not issuers and row is None and code_issuer is None:
            warnings.append(f"unknown issuer code {number.code} in {number.normalized}")
        elif row is not None and not row.wildcard and not row.shared and code_issuer and \
                not any(_same_body(code_issuer, i) for i in issuers):
            warnings.append(f"doc number {number.normalized} is issued by {code_issuer}, "
                            f"but the title names {'、'.join(issuers)}")
    kind = doc_kind(title)
    bare = _BARE_ARTICLE.search(text, d.start, d.end)
    if bare is not None and d.provisions and bare.end() == d.end:
        warnings.append(f"article number {bare.group(0).strip()} written without 条; read as "
                        f"article {parse_int(bare.group('n'))}")
    if d.quoted_item_only and is_article_kind(kind):
        warnings.append(f"quoted item ({d.provisions[0].item}) without an article number")
    return Citation(text=text[d.start:d.end], start=d.start, end=d.end, title=title,
                    doc_number=number.normalized if number else None,
                    provisions=d.provisions, issuer=issuers, doc_type=kind, warnings=warnings)


def _body_form(name: str) -> str:
    return name.replace("人民政府", "政府").replace("办公室", "办公厅")


def _same_body(a: str, b: str) -> bool:
    """Whether two names may be one body, one the other's short form (省政府办公厅 and
    山西省人民政府办公厅; 办公室 and 办公厅 taken as one)."""
    fa, fb = _body_form(a), _body_form(b)
    return fa.endswith(fb) or fb.endswith(fa)


def find_citations(text: str) -> list[Citation]:
    """The citations in a text, in order, unresolved (``regulation`` is None).

    See the module doc for the forms handled. Never raises on any string."""
    if not text:
        return []
    titles = book_titles(text)
    numbers = _Numbers(find_doc_numbers(text))
    laws = bare_laws(text, titles)
    anchors: list[tuple[int, int, object]] = [(t.start, 0, t) for t in titles + laws]
    anchors += [(n.start, 1, n) for n in numbers]
    anchors.sort(key=lambda a: (a[0], a[1]))

    drafts: list[_Draft] = []
    cursor = 0
    pending: DocNumberMatch | None = None  # a number written before its title
    for k, (start, _, anchor) in enumerate(anchors):
        if start < cursor:
            continue
        if isinstance(anchor, TitleSpan):
            inside = [n for n in numbers.starting_in(anchor.inner_start, anchor.inner_end)
                      if n.end <= anchor.inner_end]
            number = inside[-1] if inside else None
            title_end = anchor.inner_end
            if number is not None:
                title_end, _, _ = _number_bounds(text, number)
            elif _number_at(text, skip_space(text, anchor.end), numbers) is None:
                if _embedded_in_following(text, anchor, numbers, cursor, titles):
                    continue  # the number after it ends a longer title: see there
                outer = _embedding_title(text, anchor, cursor, titles)
                if outer is not None:  # 长治市教育局关于印发《X》的通知, with no number
                    d = _Draft(outer[0], outer[1], text[outer[0]:outer[1]], None, [])
                    d.number, d.provisions, d.end, cursor, d.quoted_item_only = \
                        _tail(text, d.end, numbers, None)
                    drafts.append(d)
                    pending = None
                    continue
            title_text = text[anchor.inner_start:title_end].strip() or None
            number, provisions, end, owned, item_only = _tail(text, anchor.end, numbers, number)
            if title_text is None and number is None:
                continue
            begin = anchor.start
            if number is None and pending is not None:
                number, begin = pending, pending.start
            pending = None
            before = _preceding_issuers(text, cursor, anchor.start)
            drafts.append(_Draft(begin, end, title_text, number, provisions, item_only, before))
            cursor = owned
        else:
            n = anchor
            assert isinstance(n, DocNumberMatch)
            d = _bare_draft(text, n, cursor, titles)
            if d.title is None and not d.kind_before and _next_is_title(text, d.end, anchors, k):
                pending = n
                cursor = d.end
                continue
            number, provisions, end, owned, item_only = _tail(text, d.end, numbers, n)
            d.end, d.provisions, d.quoted_item_only = end, provisions, item_only
            drafts.append(d)
            cursor = owned
    if pending is not None:  # the title it seemed to precede took another number
        drafts.append(_Draft(pending.start, pending.end, None, pending, []))
        drafts.sort(key=lambda d: d.start)
    return [_finish(text, d) for d in drafts]


def _preceding_issuers(text: str, lo: int, start: int) -> tuple[str, ...]:
    """Bodies written right before a title's 《 (国务院办公厅《关于…》), within its clause."""
    if start == 0 or not "\u4e00" <= text[start - 1] <= "\u9fff":
        return ()
    k = start
    while k > lo and start - k < 40 and text[k - 1] not in HARD_STOPS and \
            text[k - 1] not in "》）)" and not _LIST_MARKER_END.search(text, max(lo, k - 4), k):
        k -= 1
    return issuers_before(text[k:start])


_LINE_BREAK = re.compile(r"[ \t\u3000]*[\r\n]+[ \t\u3000]*")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{1,16}")


def _embedding_title(text: str, title: TitleSpan, lo: int, titles: list[TitleSpan]
                     ) -> tuple[int, int] | None:
    """A title without marks around 《X》 and ended by its kind, with no number after it
    (长治市教育局关于印发《政务公开制度》的通知): its (start, end), or None."""
    if not _embeds(text, title, lo):
        return None
    run = _HAN_RUN.match(text, title.end)
    if run is None:
        return None
    tail = next((run.group()[:j] for j in range(len(run.group()), 0, -1)
                 if doc_kind(run.group()[:j]) is not None), None)
    if tail is None:
        return None
    left = max(_left_boundary(text, lo, title.start, titles), title.start - MAX_BARE_TITLE)
    start = left + bare_title_start(text[left:title.start])
    end = title.end + len(tail)
    outer = text[start:end]
    if start >= title.start or not ("关于" in outer[:outer.find("《") + 1] or
                                    title_issuers(outer)):
        return None
    return start, end


def _embedded_in_following(text: str, title: TitleSpan, numbers: _Numbers,
                           lo: int, titles: list[TitleSpan]) -> bool:
    """Whether 《X》 is part of a title without marks that the next doc number ends."""
    k = bisect_left(numbers.starts, title.end)
    following = numbers[k] if k < len(numbers) else None
    if following is None:
        return False
    seg_end, _, _ = _number_bounds(text, following)
    return seg_end > title.end and _is_title_tail(text[title.end:seg_end]) and \
        _embeds(text, title, lo) and _left_boundary(text, lo, seg_end, titles) <= title.start


def _next_is_title(text: str, pos: int, anchors: list, k: int) -> bool:
    p = skip_space(text, pos)
    return any(isinstance(a, TitleSpan) and s == p for s, _, a in anchors[k + 1:k + 3])


