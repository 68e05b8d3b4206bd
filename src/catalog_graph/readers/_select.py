"""Which table of a file is the catalog, and which line above it is its title.

A file holds more than the catalog: a workbook a notes sheet, a web page its banner and
navigation tables, a document its covering letter. The catalog is the table whose first rows
carry the words catalog headers are made of (序号 公开事项 公开内容 公开依据 公开时限 …); its title
is the line above it that names it (…目录, …清单) or, failing that, the first short line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

HEADER_WORDS = (
    "序号", "公开事项", "事项名称", "一级事项", "二级事项", "三级事项", "一级指标", "二级指标",
    "类别", "公开内容", "公开要素", "公开依据", "依据", "公开时限", "时限", "公开主体",
    "责任主体", "公开部门", "责任单位", "公开渠道", "公开载体", "公开对象", "全社会", "特定群",
    "公开方式", "主动", "依申请", "公开层级", "县级", "乡级", "备注",
)
_TITLE_WORDS = ("目录", "目錄", "清单", "一览表", "事项表", "标准目录")
_WS = re.compile(r"\s+")


def header_score(rows: Iterable[Sequence[str]], depth: int = 8) -> int:
    """How many distinct catalog header words the first ``depth`` rows hold (as short cells)."""
    found: set[str] = set()
    for i, row in enumerate(rows):
        if i >= depth:
            break
        for text in row:
            t = _WS.sub("", text)
            if not t or len(t) > 16:
                continue
            for word in HEADER_WORDS:
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
