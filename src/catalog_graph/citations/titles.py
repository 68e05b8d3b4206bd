"""What a document's title says: its kind, its issuers, where it starts, and a key to match it.

- ``doc_kind``: the kind (文种) from the title's ending, by ``ontology/doc_types.tsv``
  (``…的指导意见`` → 意见; ``…暂行条例（试行）`` → 条例; ``…关于印发〈X意见〉的通知`` → 通知, and
  so is ``…关于印发〈X意见〉`` cut off after the enclosed title).
- ``title_issuers``: the bodies a title opens with, before 关于 / 印发 / 转发 / 批转:
  ``国务院办公厅关于…`` → [国务院办公厅]; ``中共中央办公厅 国务院办公厅关于印发…`` and
  ``中共中央办公厅国务院办公厅…`` → [中共中央办公厅, 国务院办公厅]; ``教育部等九部门关于…`` →
  [教育部]; bodies listed in ``ontology/bodies.txt`` or of the form <place>省/市/县…人民政府
  (办公厅/办公室), <place>…教育厅/局/委员会.
- ``bare_title_start``: where a title written without 《》 starts, before a 发文字号
  (``依据国务院办公厅关于…的通知（国办发〔2014〕46号）`` starts at 国务院办公厅). Uses jieba with
  the bodies as a user dictionary; jieba is imported and initialized only here, on first use.
- ``is_generic_title``: a title that names only a kind (``通知``, ``该意见``, ``的通知``), which
  tells no document from another.
- ``title_key`` / ``enclosed_title`` / ``headless_key``: spellings folded for matching
  (《》〈〉<>＜＞ dropped, full-width folded, a leading 中华人民共和国 dropped).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache, lru_cache
from typing import Any

from catalog_graph.lexicon import STATE_NAME, alternation, body_words, title_words
from catalog_graph.numerals import to_halfwidth_digits
from catalog_graph.paths import cache_dir, ontology_dir

# --------------------------------------------------------------------------- marks

OPEN_MARKS = "《〈<＜"
CLOSE_MARKS = "》〉>＞"
_FOLD_NESTED = str.maketrans({"《": "〈", "》": "〉", "<": "〈", ">": "〉", "＜": "〈", "＞": "〉"})


def fold_nested_marks(title: str) -> str:
    """Nested title marks 《》 < > ＜＞ folded to 〈〉 (the contract's spelling of a title)."""
    return title.translate(_FOLD_NESTED)


# --------------------------------------------------------------------------- kinds


@cache
def _doc_types() -> tuple[tuple[str, str | None, bool], ...]:
    rows: list[tuple[str, str | None, bool]] = []
    path = ontology_dir() / "doc_types.tsv"
    header_seen = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t") + ["", ""]
        if not header_seen:
            header_seen = True
            if fields[0] == "suffix":
                continue
        suffix, kind, articles = (f.strip() for f in fields[:3])
        rows.append((suffix, kind or None, articles == "yes"))
    rows.sort(key=lambda r: (-len(r[0]), r[0]))
    return tuple(rows)


@cache
def _article_kinds() -> frozenset[str]:
    return frozenset(kind for _, kind, articles in _doc_types() if kind and articles)


@cache
def short_titles() -> frozenset[str]:
    """Titles that name only a kind (条例, 实施细则, 意见 …): a reference to a document named
    earlier in the same text (本条例, 该办法, 上述意见)."""
    names = {suffix for suffix, kind, _ in _doc_types() if kind}
    return frozenset(names | {word + n for word in title_words("reference") for n in names})


_GENERIC_WORDS = title_words("generic")


@cache
def _generic_title() -> re.Pattern[str]:
    words = sorted({s for s, kind, _ in _doc_types() if kind} | set(_GENERIC_WORDS),
                   key=lambda w: (-len(w), w))
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")+")


@lru_cache(maxsize=8192)
def is_generic_title(title: str | None) -> bool:
    """True for a title that names only a kind, with nothing to tell one document of that kind
    from another: ``通知``, ``《意见》``, ``该通知``, ``指导意见``, ``实施办法（试行）``, and the
    fragments left of a title cut short: ``的通知``, ``关于的通知``, ``规划的通知``.

    A doc number written with such a title is the only key to the document it names."""
    if not title:
        return False
    key = title_key(_TRAILING_NOTE.sub("", title.strip()))
    return doc_kind(key) is not None and _generic_title().fullmatch(key) is not None


_TRAILING_NOTE = re.compile(r"(?:[（(][^（）()]{1,20}[）)]|\s)+$")
_ISSUING = re.compile(f"(?:{alternation(title_words('issuing'))})" + r"[《〈<＜][^《》〈〉<>＜＞]*[》〉>＞]$")


def doc_kind(title: str | None) -> str | None:
    """The kind (文种) a title's ending names, or None (see the module doc)."""
    return _doc_kind(title) if title else None


@lru_cache(maxsize=8192)
def _doc_kind(title: str) -> str | None:
    t = _TRAILING_NOTE.sub("", title.strip())
    if _ISSUING.search(t):
        return "通知"
    t = t.rstrip("》〉>＞\"”'’")
    for suffix, kind, _ in _doc_types():
        if t.endswith(suffix):
            return kind
    return None


def is_article_kind(kind: str | None) -> bool:
    """True for kinds written in numbered articles (法, 条例, 办法, 规定 …)."""
    return kind is not None and kind in _article_kinds()


# --------------------------------------------------------------------------- bodies


@cache
def bodies() -> frozenset[str]:
    """The body names of ``ontology/bodies.txt``."""
    names: set[str] = set()
    for line in (ontology_dir() / "bodies.txt").read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name.split()[0])
    return frozenset(names)


_PLACE = r"[\u4e00-\u9fff]{1,10}?(?:省|市|自治区|自治州|地区|州|盟|县|自治县|区|旗|镇|乡|街道)"
_BODY_TAIL = (r"(?:人民政府|政府|人大常委会|委员会|委|办公厅|办公室|厅|局|办|院|会|中心|"
              r"[\u4e00-\u9fff]{1,10}?(?:厅|局|委员会|委|办公室|办|中心|院|会))")
_GENERIC_BODY = re.compile(
    rf"(?:中共|中国共产党)?{_PLACE}{_BODY_TAIL}(?:办公厅|办公室)?"
    rf"|国家[\u4e00-\u9fff]{{1,14}}?(?:局|委员会|署|总局|中心)"
    rf"|国务院[\u4e00-\u9fff]{{1,14}}?(?:办公室|委员会|领导小组|小组)"
)
_BODY_END = re.compile(f"(?:{alternation(body_words('issuer'))})$")
_HEADS = title_words("head")
_HEAD = re.compile(alternation(_HEADS))
_ETC = re.compile(r"等[0-9一二三四五六七八九十]*(?:个)?(?:部门|单位|部委|机关)?$")
_SEPARATORS = re.compile(r"[\s\u3000、，,]+")
_CONNECTORS = title_words("connector")


def is_body(name: str) -> bool:
    """A listed body, or a name of a body's form (长治市人民政府办公室, 国家数据局)."""
    return name in bodies() or _GENERIC_BODY.fullmatch(name) is not None


def _cover(chunk: str) -> list[str] | None:
    """Split a run of body names written together into the fewest bodies, or None."""
    n = len(chunk)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            piece = chunk[i:j]
            if piece in _CONNECTORS:
                cand = best[i]
            elif is_body(piece):
                cand = best[i] + [piece]  # type: ignore[operator]
            else:
                continue
            if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                best[j] = cand
    return best[n] if best[n] else None


def _issuer_names(part: str, strict: bool) -> tuple[str, ...]:
    """The bodies named in ``part`` (a title's opening, before 关于); with ``strict``, every
    name must be a listed body or of a body's form, else a name only needs a body's ending."""
    issuers: list[str] = []
    for chunk in _SEPARATORS.split(part):
        chunk = _ETC.sub("", chunk)
        if not chunk:
            continue
        if is_body(chunk):
            issuers.append(chunk)
            continue
        covered = _cover(chunk)
        if covered:
            issuers.extend(covered)
        elif not strict and _BODY_END.search(chunk) and len(chunk) <= 24:
            issuers.append(chunk)
        else:
            return ()
    return tuple(dict.fromkeys(issuers))


@lru_cache(maxsize=4096)
def _title_issuers(title: str) -> tuple[str, ...]:
    m = _HEAD.search(title)
    if m is None or m.start() == 0:
        return ()
    return _issuer_names(title[: m.start()], strict=False)


@lru_cache(maxsize=4096)
def issuers_before(text: str) -> tuple[str, ...]:
    """Bodies written just before a title's marks (国务院办公厅《关于…的通知》,
    中共中央办公厅、国务院办公厅《关于…》): the longest ending of ``text`` that is nothing but
    listed bodies or names of a body's form."""
    for k in range(len(text) - 1):
        if text[k].isspace() or text[k] in "、，,":
            continue
        found = _issuer_names(text[k:].rstrip(), strict=True)
        if found:
            return found
    return ()


def title_issuers(title: str | None) -> list[str]:
    """The bodies a title opens with (see the module doc); [] when it names none."""
    if not title:
        return []
    return list(_title_issuers(fold_nested_marks(title.strip())))


# --------------------------------------------------------------------------- keys

_KEY_DROP = re.compile(r"[\s\u3000《》〈〉<>＜＞“”\"‘’'「」『』·•]")
_KEY_FOLD = str.maketrans({"（": "(", "）": ")", "—": "-", "–": "-", "－": "-", "―": "-",
                           "～": "-", "~": "-", "，": ",", "、": ",", "：": ":"})


@lru_cache(maxsize=8192)
def title_key(title: str) -> str:
    """A title folded for matching: marks, quotes and spaces dropped, full-width folded, a
    leading 中华人民共和国 dropped, a 印发 notice cut off after its enclosed title completed
    with 的通知."""
    t = title.strip()
    if _ISSUING.search(_TRAILING_NOTE.sub("", t)):
        t = t + "的通知"
    t = _KEY_DROP.sub("", t)
    t = to_halfwidth_digits(t).translate(_KEY_FOLD)
    if t.startswith(STATE_NAME) and len(t) > len(STATE_NAME) + 1:
        t = t[len(STATE_NAME):]
    return t


_ENCLOSED_MARKED = re.compile(f"(?:{alternation(title_words('enclosing_marked'))})"
                              + r"[《〈<＜](.+)[》〉>＞]的?通知$")
_ENCLOSED_PLAIN = re.compile(f"(?:{alternation(title_words('enclosing'))})" + r"(.+?)的通知$")


def enclosed_title(title: str) -> str | None:
    """The key of the document a notice issues: ``关于印发〈X〉的通知`` → key of X."""
    t = title.strip()
    if _ISSUING.search(_TRAILING_NOTE.sub("", t)):
        t = t + "的通知"
    m = _ENCLOSED_MARKED.search(t) or _ENCLOSED_PLAIN.search(t)
    if m is None:
        return None
    inner = title_key(m.group(1))
    return inner if len(inner) >= 4 else None


def headless_key(title: str) -> str | None:
    """The key from 关于 on, when all before it are issuers (国务院办公厅关于X → 关于X)."""
    key = title_key(title)
    m = _HEAD.search(key)
    if m is None or m.group() != "关于":
        return None
    i = m.start()
    if i > 0 and not title_issuers(key[:i] + "关于"):
        return None
    return key[i:]


# --------------------------------------------------------------------------- jieba

_JIEBA_LOCK = threading.Lock()
_JIEBA: Any = None
_LEAD_TOKENS = frozenset(title_words("lead"))
_BODY_WORDS = frozenset(body_words("token"))
_PLACE_TOKEN = re.compile(rf"{_PLACE}")


def jieba_tokenizer() -> Any:
    """A private jieba Tokenizer with the bodies as a user dictionary (built once, on first use).

    jieba's start-up messages are silenced; its prefix-dictionary cache goes to the user's
    cache directory (``catalog_graph.paths.cache_dir``) under a fixed name, not to a
    temporary directory, and is written atomically by jieba.
    """
    global _JIEBA
    if _JIEBA is not None:
        return _JIEBA
    with _JIEBA_LOCK:
        if _JIEBA is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            directory = cache_dir()
            if directory is not None:
                tokenizer.tmp_dir = str(directory)
                tokenizer.cache_file = f"jieba-{getattr(jieba, '__version__', 'x')}.cache"
            tokenizer.initialize()
            for name in sorted(bodies()):
                tokenizer.add_word(name, tag="nt")
            _JIEBA = tokenizer
    return _JIEBA


def _is_body_token(word: str) -> bool:
    if word in _BODY_WORDS or is_body(word):
        return True
    return _PLACE_TOKEN.fullmatch(word) is not None and word not in _LEAD_TOKENS


def bare_title_start(segment: str) -> int:
    """Where a title written without 《》 starts in ``segment`` (the text between the last
    boundary and the 发文字号 that ends the title): at the run of bodies before the first
    关于 / 印发 / 转发 / 批转, at that word when no body precedes it, else after leading verbs
    such as 依据 / 根据 / 按照. Returns ``len(segment)`` when no title is left."""
    tokens = [(w, s, e) for w, s, e in jieba_tokenizer().tokenize(segment)]
    head = next((k for k, (w, _, _) in enumerate(tokens) if w in _HEADS), None)
    if head is not None:
        k = head
        while k > 0:
            word = tokens[k - 1][0]
            if _is_body_token(word):
                k -= 1
            elif (word.strip() == "" or word in _CONNECTORS) and k >= 2 and \
                    _is_body_token(tokens[k - 2][0]):
                k -= 1
            else:
                break
        while k < head and (tokens[k][0].strip() == "" or tokens[k][0] in _CONNECTORS):
            k += 1
        return tokens[k][1]
    k = 0
    while k < len(tokens):
        word = tokens[k][0]
        if word.strip() == "" or word in _LEAD_TOKENS or not re.search(r"[\u4e00-\u9fff0-9A-Za-z]",
                                                                      word):
            k += 1
            continue
        break
    return tokens[k][1] if k < len(tokens) else len(segment)
