"""Errors users see: one line each, naming the file and the problem."""

from __future__ import annotations


class CatalogError(Exception):
    """An input that cannot be read as a catalog.

    ``kind`` names the problem class (``empty``, ``binary``, ``encoding``, ``no_table``,
    ``no_known_column``, ``encrypted``, ``scanned``, ``corrupt``, ``unsupported``, ``too_large``);
    ``str()`` gives the one line shown to users: ``FILE: problem``.
    """

    def __init__(self, file: str, message: str, kind: str = "invalid") -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
        self.kind = kind
