"""Which table of a file is the catalog, and which line above it is its title.

A file holds more than the catalog: a workbook a notes sheet, a web page its banner and
navigation tables, a document its covering letter. The catalog is the table whose first rows
carry the words catalog headers are made of (序号 公开事项 公开内容 公开依据 公开时限 …); its title
is the line above it that names it (…目录, …清单) or, failing that, the first short line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from catalog_graph.lexicon import header_words

MIN_SEVERAL = 4  # header words a further table needs to be read as a catalog of its own
_TITLE_WORDS = ("目录", "目錄", "清单", "一览表", "事项表", "标准目录")
_WS = re.compile(r"\s+")


def header_score(rows: Iterable[Sequence[str]], depth: int = 8) -> int:
    """How many distinct catalog header words the first ``depth`` rows hold (as short cells)."""
    found: set[str] = set()
    words = header_words().catalog  # ontology/lexicon/headers.tsv, column catalog
    for i, row in enumerate(rows):
        if i >= depth:
            break
        for text in row:
            t = _WS.sub("", text)
            if not t or len(t) > 16:
                continue
            for word in words:
                if word in t:
                    found.add(word)
    return len(found)


def squash(text: str) -> str:
    """Text with all whitespace removed, for comparing printed and typed versions."""
    return _WS.sub("", text)


def names_catalog(line: str) -> bool:
    """Does the line name a catalog (…目录, …清单, …一览表)?"""
    return any(w in line for w in _TITLE_WORDS)


def pick_title(lines: Sequence[str]) -> str | None:
    """The title among the lines above a table (top first): the nearest that names a catalog
    (…目录, …清单) and is not a sentence (现将目录公布如下：), else the nearest naming one at all,
    else the first short line that is not a sentence."""
    clean = [_WS.sub(" ", ln).strip() for ln in lines]
    clean = [ln for ln in clean if ln]
    names = names_catalog

    def sentence(line: str) -> bool:
        return line.endswith(_SENTENCE_END)

    for line in reversed(clean):
        if len(line) <= 60 and names(line) and not sentence(line):
            return line
    for line in reversed(clean):
        if len(line) <= 80 and names(line):
            return line
    for line in clean:
        if len(line) <= 40 and not sentence(line):
            return line
    return None


_SENTENCE_END = ("。", "：", ":", "；", ";", "，", ",")
