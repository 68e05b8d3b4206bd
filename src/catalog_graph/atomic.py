"""Files that are complete or absent: written under a temporary name beside them, then renamed.

Every file catalog-graph writes goes through here: ``parse -o``, the build's outputs and its
cache entries (:func:`write_atomic` for bytes in hand, :class:`AtomicFile` for a file written
piece by piece), and the build's scratch files (:func:`temporary_beside`). A temporary file is
named ``.NAME.*.tmp`` in the folder of NAME, so that a build killed half way leaves only names
the next build knows to remove.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO


def temporary_beside(path: Path, mode: str = "wb") -> tuple[IO[bytes], str]:
    """A new temporary file in ``path``'s folder, open in ``mode``, and its name; it has the
    permissions a new file would get (not mkstemp's owner-only ones)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    return os.fdopen(fd, mode), tmp


class AtomicFile:
    """``path`` written under a temporary name and renamed into place on :meth:`commit`;
    :meth:`discard` removes what was not committed. As a context manager it commits when the
    block ends without an error and discards in every case.

    ``sync=False`` skips the fsync before the rename, for files checked when read (the build
    cache's entries, whose checksum a torn write fails)."""

    def __init__(self, path: Path, sync: bool = True) -> None:
        self.path = Path(path)
        self.sync = sync
        self.fh, self.tmp = temporary_beside(self.path)

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        """Flush (and fsync) the file, then rename it into place."""
        if self.sync:
            self.fh.flush()
            os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Close and remove the temporary file, if it is still there."""
        if not self.fh.closed:
            self.fh.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            if kind is None:
                self.commit()
        finally:
            self.discard()


def write_atomic(path: Path, data: str | bytes, sync: bool = True) -> None:
    """Write a file (text as UTF-8) so that it is either complete or absent, making its folder
    if needed. ``sync=False``: no fsync (see :class:`AtomicFile`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with AtomicFile(path, sync=sync) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
