"""Two catalogs' items → which item of one is which item of the other.

Catalogs are revised (修订版) every year or two: items are renumbered, reordered, moved under
another level, renamed, split or merged, their bases and time limits edited. An item is
recognized by what it is, not where it stands:

- **its name and levels** (``path``), compared as characters (``rapidfuzz``'s normalized Indel
  similarity, so 政府信息公开指南 and 政府信息公开指南和目录 are close);
- **its content**, compared as characters and as words (jieba; the Dice overlap of the words of
  two or more characters), whichever says more: a reworded content keeps its words, a lightly
  edited one its characters;
- **its legal basis**, compared by the regulations it cites (the resolved nodes: 《政府信息公开条例》
  and 《中华人民共和国政府信息公开条例》 are the same), else as text.

The three similarities (0–1) are weighted into one score (:data:`WEIGHTS`; a part both items
lack is left out and the rest re-weighted). Identical items are paired first; the rest get the
one-to-one assignment of highest total score (``scipy.optimize.linear_sum_assignment``), keeping
pairs scoring at least :data:`THRESHOLD`. What is left is then looked at for a split (one old
item now two: the second new item's text is covered by the old one) or a merge (two old items
now one). Word and regulation overlaps are weighted by rarity (a regulation every item cites
says nothing about which item is which). Everything is computed on whole matrices
(``rapidfuzz.process.cdist``, sparse products for the sets), and only for the items left after
the identical ones, so two catalogs of 500 items align in a fraction of a second; the result
depends only on the two item lists: the same input always aligns the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from catalog_graph.models import DisclosureItem

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

WEIGHTS = {"path": 0.35, "content": 0.45, "basis": 0.20}
THRESHOLD = 0.55  # lowest score of two items taken as one item
SPLIT_THRESHOLD = 0.5  # lowest score of a left-over item with the item it split from or merged into

_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_SPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Text as compared: wrap spaces between Chinese characters dropped, other runs one space."""
    if not text:
        return ""
    return _SPACE.sub(" ", _WRAP.sub("", text)).strip()


@dataclass
class Alignment:
    """Which old item is which new item, and what was left over."""

    pairs: list[tuple[int, int, float]] = field(default_factory=list)  # (old, new, score)
    splits: list[tuple[int, list[int]]] = field(default_factory=list)  # old → new items
    merges: list[tuple[list[int], int]] = field(default_factory=list)  # old items → new
    removed: list[int] = field(default_factory=list)  # old items with no counterpart
    added: list[int] = field(default_factory=list)  # new items with no counterpart


def path_text(item: DisclosureItem) -> str:
    return "／".join(fold(p) for p in item.path)


def regulations(item: DisclosureItem) -> frozenset[str]:
    return frozenset(c.regulation for c in item.citations if c.regulation)


def _words(texts: list[str]) -> list[frozenset[str]]:
    """Each text's words (jieba), single characters and punctuation left out: the words that say
    what an item is about (的 和 及 say nothing)."""
    from catalog_graph.citations.titles import jieba_tokenizer

    tokenizer = jieba_tokenizer()
    return [frozenset(w for w in tokenizer.cut(t) if len(w.strip()) > 1) for t in texts]


def rarity(*catalogs: list[frozenset[str]]) -> dict[str, float]:
    """How rare each member is among the catalogs' items: log(items / items having it), its
    inverse document frequency."""
    import math
    from collections import Counter

    counts: Counter[str] = Counter()
    total = 0
    for sets in catalogs:
        total += len(sets)
        for members in sets:
            counts.update(members)
    return {name: math.log(total / n) for name, n in counts.items()}


def _set_matrix(old: list[frozenset[str]], new: list[frozenset[str]], measure: str,
                rare: dict[str, float]) -> np.ndarray:
    """``dice`` or ``jaccard`` similarity of every old set with every new one (sparse products),
    each member weighted by its :func:`rarity`; NaN where either set is empty or holds only
    members every item has."""
    import numpy as np
    from scipy import sparse

    names = sorted(set().union(*old, *new))
    if not names:
        return np.full((len(old), len(new)), np.nan, dtype=np.float32)
    index = {name: k for k, name in enumerate(names)}
    weights = np.array([rare.get(name, 0.0) for name in names], dtype=np.float32)

    def incidence(sets: list[frozenset[str]], weighted: bool) -> sparse.csr_matrix:
        rows = [r for r, s in enumerate(sets) for _ in s]
        cols = [index[n] for s in sets for n in sorted(s)]
        values = weights[cols] if weighted else np.ones(len(cols), dtype=np.float32)
        return sparse.csr_matrix((values, (rows, cols)), shape=(len(sets), len(names)))

    a, b = incidence(old, True), incidence(new, True)
    inter = (a @ incidence(new, False).T).toarray()  # the weight of the members both have
    size_a = np.asarray(a.sum(axis=1)).ravel()
    size_b = np.asarray(b.sum(axis=1)).ravel()
    total = size_a[:, None] + size_b[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        if measure == "dice":
            value = np.where(total > 0, 2 * inter / total, np.nan)
        else:
            union = total - inter
            value = np.where(union > 0, inter / union, np.nan)
    both = np.outer(size_a > 0, size_b > 0)
    return np.where(both, value, np.nan).astype(np.float32)


def _text_matrix(old: list[str], new: list[str]) -> np.ndarray:
    """Similarity 0–1 of every old text with every new one, as characters (normalized Indel);
    NaN where either is empty."""
    import numpy as np
    from rapidfuzz import fuzz, process

    chars = process.cdist(old, new, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0
    chars[np.array([not t for t in old], dtype=bool), :] = np.nan
    chars[:, np.array([not t for t in new], dtype=bool)] = np.nan
    return chars


class Features:
    """What the similarities of two catalogs' items are computed from (made once per pair)."""

    def __init__(self, old: list[DisclosureItem], new: list[DisclosureItem]) -> None:
        self.paths = ([path_text(i) for i in old], [path_text(i) for i in new])
        self.contents = ([fold(i.content) for i in old], [fold(i.content) for i in new])
        self.bases = ([fold(i.basis) for i in old], [fold(i.basis) for i in new])
        self.regulations = ([regulations(i) for i in old], [regulations(i) for i in new])
        self.cited_rarity = rarity(*self.regulations)
        self._words: dict[str, frozenset[str]] = {}
        self._word_rarity: dict[str, float] | None = None

    def words(self, texts: list[str]) -> list[frozenset[str]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._words]
        for text, found in zip(missing, _words(missing), strict=True):
            self._words[text] = found
        return [self._words[t] for t in texts]

    def word_rarity(self) -> dict[str, float]:
        """Rarity of the content words; counted over the items whose words are known (the
        items being compared), which is all of them or the ones not identical."""
        if self._word_rarity is None:
            self._word_rarity = rarity(self.words(self.contents[0]), self.words(self.contents[1]))
        return self._word_rarity


def score_matrix(old: list[DisclosureItem], new: list[DisclosureItem],
                 rows: list[int] | None = None, cols: list[int] | None = None,
                 features: Features | None = None) -> np.ndarray:
    """The similarity 0–1 of the old items ``rows`` (default all) with the new items ``cols``
    (default all), as the module docstring says; rarity counts over both whole catalogs."""
    import numpy as np

    rows = list(range(len(old))) if rows is None else rows
    cols = list(range(len(new))) if cols is None else cols
    if not rows or not cols:
        return np.zeros((len(rows), len(cols)), dtype=np.float32)
    f = features or Features(old, new)

    def pick(pair: tuple[list, list]) -> tuple[list, list]:
        return [pair[0][i] for i in rows], [pair[1][j] for j in cols]

    content_old, content_new = pick(f.contents)
    by_words = _set_matrix(f.words(content_old), f.words(content_new), "dice", f.word_rarity())
    cited = _set_matrix(*pick(f.regulations), "jaccard", f.cited_rarity)
    parts = {
        "path": _text_matrix(*pick(f.paths)),
        "content": np.fmax(_text_matrix(content_old, content_new), by_words),
        "basis": np.where(np.isnan(cited), _text_matrix(*pick(f.bases)), cited),
    }
    total = np.zeros((len(rows), len(cols)), dtype=np.float32)
    weight = np.zeros_like(total)
    for name, matrix in parts.items():
        known = ~np.isnan(matrix)
        total += np.where(known, matrix, 0.0) * WEIGHTS[name]
        weight += known * WEIGHTS[name]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, 0.0).astype(np.float32)


def _identity(item: DisclosureItem) -> tuple:
    return (path_text(item), fold(item.content), fold(item.basis))


def align(old: list[DisclosureItem], new: list[DisclosureItem],
          threshold: float = THRESHOLD) -> Alignment:
    """The alignment of two catalogs' items (indexes into ``old`` and ``new``)."""
    from scipy.optimize import linear_sum_assignment

    result = Alignment()
    # identical items first, in order (duplicates pair up in order)
    waiting: dict[tuple, list[int]] = {}
    for j, item in enumerate(new):
        waiting.setdefault(_identity(item), []).append(j)
    paired_old: set[int] = set()
    paired_new: set[int] = set()
    for i, item in enumerate(old):
        queue = waiting.get(_identity(item))
        if queue:
            j = queue.pop(0)
            result.pairs.append((i, j, 1.0))
            paired_old.add(i)
            paired_new.add(j)
    rest_old = [i for i in range(len(old)) if i not in paired_old]
    rest_new = [j for j in range(len(new)) if j not in paired_new]
    features = Features(old, new)
    # every old item against the new items left (for the assignment and splits), and the old
    # items left against every new item (for merges): most items of a revision are unchanged
    by_new = score_matrix(old, new, None, rest_new, features)
    by_old = score_matrix(old, new, rest_old, None, features)
    if rest_old and rest_new:
        sub = by_new[rest_old, :]
        rows, cols = linear_sum_assignment(sub, maximize=True)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            if sub[r, c] >= threshold:
                result.pairs.append((rest_old[r], rest_new[c], round(float(sub[r, c]), 3)))
                paired_old.add(rest_old[r])
                paired_new.add(rest_new[c])
    result.pairs.sort()
    _splits_and_merges(old, new, by_new, rest_new, by_old, rest_old, result, paired_old,
                       paired_new)
    result.removed = [i for i in range(len(old)) if i not in paired_old]
    result.added = [j for j in range(len(new)) if j not in paired_new]
    return result


def _covers(whole: str, kept: str, piece: str, piece_first: bool) -> bool:
    """Whether ``whole`` reads as ``kept`` and ``piece`` together (in document order) clearly
    better than as ``kept`` alone, and ``piece`` was taken from it: the test of a split (``whole``
    the old item) or a merge (``whole`` the new one)."""
    from rapidfuzz import fuzz

    if not whole or not kept or not piece:
        return False
    together = piece + kept if piece_first else kept + piece
    return (fuzz.ratio(whole, together) > fuzz.ratio(whole, kept) + 5
            and fuzz.partial_ratio(piece, whole) >= 70)


def _splits_and_merges(old: list[DisclosureItem], new: list[DisclosureItem], by_new: np.ndarray,
                       rest_new: list[int], by_old: np.ndarray, rest_old: list[int],
                       result: Alignment, paired_old: set[int], paired_new: set[int]) -> None:
    partner_of_old = {i: j for i, j, _ in result.pairs}
    partner_of_new = {j: i for i, j, _ in result.pairs}
    splits: dict[int, list[int]] = {}
    for col, j in enumerate(rest_new):
        if j in paired_new or not old:
            continue
        i = int(by_new[:, col].argmax())
        if by_new[i, col] < SPLIT_THRESHOLD or i not in partner_of_old:
            continue
        first = partner_of_old[i]
        if _covers(fold(old[i].content), fold(new[first].content), fold(new[j].content),
                   j < first):
            splits.setdefault(i, [first]).append(j)
    split_new = {k for ks in splits.values() for k in ks}
    merges: dict[int, list[int]] = {}
    for row, i in enumerate(rest_old):
        if i in paired_old or not new:
            continue
        j = int(by_old[row, :].argmax())
        if by_old[row, j] < SPLIT_THRESHOLD or j not in partner_of_new or j in split_new:
            continue
        first = partner_of_new[j]
        if first in splits:
            continue
        if _covers(fold(new[j].content), fold(old[first].content), fold(old[i].content),
                   i < first):
            merges.setdefault(j, [first]).append(i)
    for i, js in sorted(splits.items()):
        result.splits.append((i, sorted(js)))
        paired_new.update(js)
    for j, is_ in sorted(merges.items()):
        result.merges.append((sorted(is_), j))
        paired_old.update(is_)
    grouped_old = {i for i, _ in result.splits} | {i for is_, _ in result.merges for i in is_}
    grouped_new = {j for _, js in result.splits for j in js} | {j for _, j in result.merges}
    result.pairs = [(i, j, s) for i, j, s in result.pairs
                    if i not in grouped_old and j not in grouped_new]
