"""Files that are complete or absent: written under a temporary name beside them, then renamed.

Every file catalog-graph writes goes through here: ``parse -o``, the build's outputs and its
cache entries (:func:`write_atomic` for bytes in hand, :class:`AtomicFile` for a file written
piece by piece), and the build's scratch files (:func:`temporary_beside`). A temporary file is
named ``.NAME.*.tmp`` in the folder of NAME, so that a build killed half way leaves only names
the next build knows to remove.

A file can be written compressed (``compress="gzip"`` or ``"zstd"``: NAME.gz or NAME.zst), and
deterministically so: the same bytes in give the same file (gzip: no file name, modification
time 0; zstd: one thread, the content size left out). :func:`open_read` reads NAME whichever
way it was written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

COMPRESSIONS = {"gzip": ".gz", "zstd": ".zst"}  # --compress → the suffix of the files written
GZIP_LEVEL = 6  # zlib's default: most of level 9's size at a fraction of its time
ZSTD_LEVEL = 3  # zstd's default


def compressed_name(path: Path, compress: str | None) -> Path:
    """The name a file is written under with ``compress`` (None: ``path`` itself)."""
    return path if not compress else path.with_name(path.name + COMPRESSIONS[compress])


def variants(path: Path) -> list[Path]:
    """``path`` and its compressed names (NAME, NAME.gz, NAME.zst)."""
    return [path, *(path.with_name(path.name + suffix) for suffix in COMPRESSIONS.values())]


def find_variant(path: Path) -> Path | None:
    """Which of ``path``, ``path.gz`` and ``path.zst`` exists (in that order), or None."""
    for candidate in variants(path):
        if candidate.is_file():
            return candidate
    return None


def open_read(path: Path) -> IO[bytes]:
    """``path`` for reading in binary, decompressed when its name ends in .gz or .zst; when
    ``path`` does not exist, its compressed variant that does (FileNotFoundError if none)."""
    path = Path(path)
    if not path.exists() and not path.name.endswith(tuple(COMPRESSIONS.values())):
        found = find_variant(path)
        if found is not None:
            path = found
    if path.name.endswith(".gz"):
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    if path.name.endswith(".zst"):
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(open(path, "rb"),  # noqa: SIM115
                                                          closefd=True)
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def _compressor(fh: IO[bytes], compress: str | None) -> Any:
    """A writer compressing into ``fh`` (left open when the writer is closed), or None."""
    if not compress:
        return None
    if compress == "gzip":
        import gzip

        return gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0,
                             compresslevel=GZIP_LEVEL)
    if compress == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=ZSTD_LEVEL, threads=0).stream_writer(
            fh, closefd=False)
    raise ValueError(f"unknown compression {compress!r}; one of {', '.join(COMPRESSIONS)}")


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
    cache's entries, whose checksum a torn write fails). ``compress``: None, "gzip" or "zstd":
    what is written is compressed, into ``path`` + .gz or .zst (:attr:`path`)."""

    def __init__(self, path: Path, sync: bool = True, compress: str | None = None) -> None:
        self.path = compressed_name(Path(path), compress)
        self.sync = sync
        self.raw, self.tmp = temporary_beside(self.path)
        self._packer = _compressor(self.raw, compress)
        self.fh: IO[bytes] = self._packer if self._packer is not None else self.raw

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        """Flush (and fsync) the file, then rename it into place."""
        if self._packer is not None:
            self._packer.close()  # its last block; the file itself stays open
            self._packer = None
        self.fh = self.raw
        if self.sync:
            self.fh.flush()
            os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Close and remove the temporary file, if it is still there."""
        if not self.raw.closed:
            self.raw.close()
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
