"""The repairs layout makes to a table, each with a code and the message it writes.

An item's ``warnings`` stay plain strings (the public contract); every string a repair writes
begins with its message template's fixed opening, so that :func:`code_of` gives the code back
from the text, ``catalog-graph explain`` shows it, and ``store/validate.py`` finds the items a
repair touched by their code, never by matching a sentence.

    >>> note = say("SUBJECT_FILLED", body="某县教育局")
    >>> note
    '公开主体 is empty; filled with the catalog\\'s own body (某县教育局)'
    >>> code_of(note)
    'SUBJECT_FILLED'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Repair:
    """One kind of repair: its code, the message (a ``str.format`` template) and what it means."""

    code: str
    template: str
    explains: str

    @property
    def opening(self) -> str:
        """The template's fixed text before its first field: every message begins with it."""
        return self.template.split("{", 1)[0]


REPAIRS: dict[str, Repair] = {r.code: r for r in (
    Repair("SUBJECT_FILLED", "公开主体 is empty; filled with the catalog's own body ({body})",
           "The row's 公开主体 cell was empty; the body the catalog's title names was used."),
    Repair("SUBJECT_UNKNOWN", "公开主体 is empty and the catalog's title names no body",
           "The row's 公开主体 cell was empty and no body could be taken from the title."),
    Repair("SHIFTED", "row has {found} item levels where the header has {declared}; its later "
           "cells were shifted back into place",
           "The row holds more item-level cells than the header declares; the cells after them "
           "were read one or two columns to the left, where their values belong."),
    Repair("MARK_RESTORED", "the mark cell the shift pushed off the row was put back where this "
           "catalog's rows have their empty one",
           "A shifted row lost a mark cell at its end; it was put back where this catalog's rows "
           "usually have their empty one."),
    Repair("CONTENT_FROM_LEVEL", "descriptive text in the {column} column was read as 公开内容",
           "An item-level cell held a description while 公开内容 was empty: it was read as the "
           "content."),
    Repair("LEVELS_SPLIT", "the cell {text} holds {count} item levels joined by {sep}; read as "
                           "separate levels",
           "One cell named several item levels joined by a separator (/ ／ \\ — - >), as its "
           "header or its column's other cells say; each became its own level."),
    Repair("SAME_AS_ABOVE", "同上: the {column} cell says {word}; the value above was taken",
           "同上 / 同左 / 同前 mean the value of the cell above (or to the left)."),
    Repair("METHOD_FROM_TITLE", "the table has no 公开方式 column; the title says {method}",
           "With no column for the method, the catalog's title (…主动公开…目录) gives it."),
    Repair("COLUMN_FROM_CELLS", "column {column} ({label}) was read as {field} by what its "
                                "cells hold",
           "The column's header names no known field (or was cut short); its cells all look like "
           "one field the table had no column for."),
    Repair("NO_NUMBER", "the table has no 序号 column; items are grouped by their merged item "
                        "levels",
           "Without a 序号 column, number is null and a row continues the item above when its "
           "first level cell is merged from above."),
)}


def say(code: str, **fields: object) -> str:
    """The message of repair ``code`` with its fields filled in."""
    return REPAIRS[code].template.format(**fields)


def code_of(warning: str) -> str | None:
    """The code of the repair a warning says, or None for a warning no repair wrote."""
    best: Repair | None = None
    for repair in REPAIRS.values():
        if warning.startswith(repair.opening) and (best is None or
                                                   len(repair.opening) > len(best.opening)):
            best = repair
    return best.code if best else None
