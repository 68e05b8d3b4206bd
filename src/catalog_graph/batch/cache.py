"""The build cache in ``DIR/.cache``: what each input contributed, so an unchanged input is not
read again.

One entry per input, named by a key that changes whenever the result could:

- the input's content (SHA-256 of its bytes) and the path it is shown as (its IRIs and
  ``source.file`` are made from that path);
- the IRI base;
- the :func:`fingerprint` of everything else the result depends on: this package's code, the
  ``ontology/`` folder (authority, vocabularies, patterns; not the example queries and SHACL
  shapes, which build does not read), the extra authority files (``build --authority``,
  ``$CATALOG_GRAPH_AUTHORITY``), and the versions of the libraries that read the files.

An entry (:class:`Entry`) holds the input's report entry, its items (JSON lines), its named
graph (N-Quads and Turtle), its GraphML and GEXF pieces, and what it cites from the shared
graphs (regulation records, provisions, minted concepts, time limits). Entries are written
under a temporary name and renamed: complete or absent. They end in a SHA-256 of what they
hold, so a damaged entry is noticed and the input read again. Entries no longer used by the
last build are removed when it finishes. An input's failure is cached too when it is the
file's fault (a damaged PDF stays damaged), never when the build's (a crash, out of memory).

A lock (``DIR/.cache/lock``) keeps two builds from writing one DIR at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from catalog_graph.atomic import write_atomic
from catalog_graph.errors import CatalogError
from catalog_graph.paths import ontology_dir
from catalog_graph.resolve.authority import env_authority_paths

CACHE_DIR = ".cache"
ENTRIES_DIR = "entries"
_MAGIC = b"catalog-graph cache entry 2\n"  # 2: blobs compressed with zstd, not zlib
_CHUNK = 1 << 20

BLOBS = ("items", "nquads", "turtle", "jsonld", "graphml_nodes", "graphml_edges", "gexf_nodes",
         "gexf_edges", "nodelink_nodes", "nodelink_edges", "items_csv", "citations_csv")

# in ontology/: what query and validate read, not build
_NOT_READ_BY_BUILD = ("queries", "shapes.ttl")

# libraries whose version can change what a file is read as
_LIBRARIES = ("pyoxigraph", "zstandard", "jieba", "pdfplumber", "pdfminer.six", "openpyxl", "python-docx",
              "lxml", "networkx")


# --------------------------------------------------------------------------- keys


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """SHA-256 of this package's files (web assets and the packaged ontology aside: fingerprint
    hashes what build reads of it) and the readers' library versions."""
    from importlib import metadata

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if (not path.is_file() or rel.parts[0] in ("ontology", "__pycache__")
                or rel.parts[:2] == ("serve", "web")
                or "__pycache__" in rel.parts or path.suffix == ".pyc"):
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


def fingerprint(extra_authority: Iterable[Path | str] = ()) -> str:
    """What every result depends on besides its input: code, ontology data, and the extra
    authority files (``$CATALOG_GRAPH_AUTHORITY``, then ``extra_authority``), by content: the
    same on every machine whatever the files' paths."""
    digest = hashlib.sha256(_code_digest().encode())
    ontology = ontology_dir()
    for path in sorted(ontology.rglob("*")):
        rel = path.relative_to(ontology)
        if path.is_file() and rel.parts[0] not in _NOT_READ_BY_BUILD:
            digest.update(rel.as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for group, paths in ((b"env", env_authority_paths()), (b"extra", extra_authority)):
        for path in paths:
            try:
                content = Path(path).read_bytes()
            except OSError:
                content = b"(unreadable)"
            digest.update(group + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def content_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def entry_key(fingerprint: str, base: str, display: str, content: str) -> str:
    """The name of an input's entry."""
    material = json.dumps([fingerprint, base, display, content], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------- entries


@dataclass
class Entry:
    """What one input contributes to a build, as stored in the cache."""

    report: dict[str, Any]
    cacheable: bool = True
    blobs: dict[str, bytes] = field(default_factory=dict)
    regulations: list[dict[str, Any]] = field(default_factory=list)
    provisions: list[tuple[str, tuple[int | None, ...]]] = field(default_factory=list)
    concepts: list[tuple[str, str]] = field(default_factory=list)
    time_limits: list[tuple[Any, ...]] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # graph file keys
    citing: dict[str, int] = field(default_factory=dict)  # regulation id → items citing it

    def blob(self, name: str) -> bytes:
        return self.blobs.get(name, b"")

    def to_bytes(self) -> bytes:
        """The entry as stored: a header line, JSON, compressed blobs, a SHA-256 of it all."""
        import zstandard

        compressor = zstandard.ZstdCompressor(level=1)  # ~10x zlib's speed at its level 1
        packed = [(name, compressor.compress(self.blobs[name])) for name in BLOBS
                  if self.blobs.get(name)]
        header = json.dumps({
            "report": self.report, "cacheable": self.cacheable,
            "regulations": self.regulations, "provisions": [list(p) for p in self.provisions],
            "concepts": self.concepts, "time_limits": self.time_limits, "cited": self.cited,
            "attributes": self.attributes, "citing": self.citing,
            "blobs": [[name, len(data)] for name, data in packed],
        }, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        body = b"".join([_MAGIC, b"%d\n" % len(header), header, *(data for _, data in packed)])
        return body + hashlib.sha256(body).digest()

    @staticmethod
    def sound(data: bytes) -> bool:
        """Whether stored bytes are a whole, undamaged entry."""
        body, check = data[:-32], data[-32:]
        return body.startswith(_MAGIC) and hashlib.sha256(body).digest() == check

    @staticmethod
    def _header_span(data: bytes) -> tuple[int, int]:
        newline = data.index(b"\n", len(_MAGIC))
        return newline + 1, newline + 1 + int(data[len(_MAGIC):newline])

    @staticmethod
    def peek(data: bytes) -> dict[str, Any]:
        """The header of stored bytes (report, cacheable …), blobs left packed and unchecked."""
        start, end = Entry._header_span(data)
        return json.loads(data[start:end].decode("utf-8", "surrogatepass"))

    @classmethod
    def from_bytes(cls, data: bytes) -> Entry:
        """An entry from its stored bytes; ValueError when they are damaged."""
        if not cls.sound(data):
            raise ValueError("damaged cache entry")
        body = data[:-32]
        header = cls.peek(body)
        offset = cls._header_span(body)[1]
        import zstandard

        decompressor = zstandard.ZstdDecompressor()
        blobs = {}
        for name, size in header["blobs"]:
            blobs[name] = decompressor.decompress(body[offset:offset + size])
            offset += size
        return cls(
            report=header["report"], cacheable=header["cacheable"], blobs=blobs,
            regulations=header["regulations"],
            provisions=[(reg, tuple(key)) for reg, key in header["provisions"]],
            concepts=[tuple(c) for c in header["concepts"]],
            time_limits=[tuple(t) for t in header["time_limits"]], cited=header["cited"],
            attributes=[tuple(a) for a in header["attributes"]], citing=header["citing"],
        )


# --------------------------------------------------------------------------- the folder


class Cache:
    """The entries of one output folder (``DIR/.cache/entries``)."""

    def __init__(self, out_dir: Path) -> None:
        self.root = Path(out_dir) / CACHE_DIR
        self.entries = self.root / ENTRIES_DIR

    @contextmanager
    def locked(self) -> Iterator[Cache]:
        """Hold the folder's lock; CatalogError when another build holds it."""
        self.entries.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX: no lock
            yield self
            return
        fd = os.open(self.root / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CatalogError(str(self.root.parent), "another build is writing this folder "
                                   "(wait for it to finish)", "busy") from None
            yield self
        finally:
            os.close(fd)  # releases the lock

    def clean(self) -> None:
        """Remove what a killed build left: temporary entries."""
        for path in self.entries.glob(".*.tmp"):
            path.unlink(missing_ok=True)

    def path(self, key: str) -> Path:
        return self.entries / key

    def load(self, key: str) -> Entry | None:
        """The entry stored under ``key``, or None when there is none or it is damaged."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        import zstandard

        try:
            return Entry.from_bytes(data)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, zstandard.ZstdError):
            return None

    def has(self, key: str) -> bool:
        """Whether a sound entry is stored under ``key``."""
        try:
            return Entry.sound(self.path(key).read_bytes())
        except OSError:
            return False

    def store(self, key: str, data: bytes) -> None:
        write_atomic(self.path(key), data, sync=False)  # a torn entry fails its SHA-256

    def prune(self, keep: set[str]) -> int:
        """Remove every entry not in ``keep``; how many were removed."""
        removed = 0
        for path in self.entries.iterdir():
            if path.name not in keep and not path.name.startswith("."):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
