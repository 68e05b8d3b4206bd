"""Errors users see: one line each, naming the file and the problem."""

from __future__ import annotations

import re

# C0 and C1 controls (NEL \x85 breaks lines in some terminals), line and paragraph separators,
# and the bidirectional controls that would show a file name reversed
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def one_line(text: str) -> str:
    """Text made safe for one line of a terminal: breaks, control and bidirectional
    characters become a space."""
    return _BREAKS.sub(" ", text)


class CatalogError(Exception):
    """An input that cannot be read as a catalog.

    ``kind`` names the problem class (``empty``, ``binary``, ``encoding``, ``no_table``,
    ``no_known_column``, ``encrypted``, ``scanned``, ``corrupt``, ``unsupported``, ``too_large``);
    ``str()`` gives the one line shown to users: ``FILE: problem``.
    """

    def __init__(self, file: str, message: str, kind: str = "invalid") -> None:
        super().__init__(one_line(f"{file}: {message}"))
        self.file = file
        self.message = one_line(message)
        self.kind = kind
