"""IRIs for everything the graph names: stable, deterministic, safe for any text.

The same regulation gets the same IRI from every catalog (it is built from ``Regulation.id``
alone); the same catalog, item, category or concept gets the same IRI on every run (built from
the catalog's source path, the item's ``id``, the names of the levels above an item, the value
as written). Text of any kind — spaces, ``<>"{}|\\^```, line breaks, control characters, emoji, a
100,000-character title — becomes a path segment that is a valid IRI in every serialization:

- short text is percent-encoded UTF-8 (``市教育局`` → ``%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80``),
  ASCII letters, digits and ``-._~`` kept as they are;
- empty text, or text whose encoding is longer than :data:`MAX_SEGMENT`, becomes ``!`` and the
  first 24 hex digits of its SHA-256 (``!`` never survives percent-encoding, so the two forms
  cannot collide).

Layout under a base (default :data:`DEFAULT_BASE`)::

    catalog/{key}                                  a catalog; key = hash of its source path
    catalog/{key}/item/{item id}                   an item
    catalog/{key}/item/{item id}#source            … its source row (#citation-N: its citations)
    catalog/{key}/category/{hash of the levels}    an item category (the levels above an item)
    catalog/{key}/source/{hash of path}            a source file
    regulation/{regulation id}                     a regulation (eli:LegalResource)
    regulation/{id}/chp_3/art_20/par_1/item_5      a provision (eli:LegalResourceSubdivision)
    version/{family}-{version}                     a version of a regulation (cg:RegulationVersion)
    agent/{name}                                   an issuer
    time-limit/{hash of text and reading}          a time limit (#duration: its OWL-Time duration)
    concept/{scheme}/{label}                       a value no vocabulary lists (a new channel …)
    graph/regulations, graph/vocabulary            the shared named graphs
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from urllib.parse import quote

from catalog_graph.graph.namespaces import CG
from catalog_graph.models import Provision

DEFAULT_BASE = "https://w3id.org/catalog-graph/id/"
ONTOLOGY = CG  # the ontology namespace

MAX_SEGMENT = 120  # longest percent-encoded segment kept readable; longer ones are hashed

_SURROGATES = re.compile("[\ud800-\udfff]")
_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*/")


def clean_text(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates become U+FFFD."""
    return _SURROGATES.sub("\ufffd", text)


def digest(text: str, length: int = 24) -> str:
    """The first ``length`` hex digits of the SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(clean_text(text).encode("utf-8")).hexdigest()[:length]


def segment(text: str) -> str:
    """One IRI path segment for any text: percent-encoded when short, hashed when long or empty."""
    encoded = quote(clean_text(text), safe="", encoding="utf-8")
    if not encoded or len(encoded) > MAX_SEGMENT:
        return "!" + digest(text)
    return encoded


def check_base(base: str) -> str:
    """``base`` if it can prefix IRIs (absolute, ASCII, ending in ``/``); ValueError otherwise."""
    if not _BASE.fullmatch(base):
        raise ValueError(
            f"IRI base must be an absolute http(s)-style IRI of ASCII characters ending in '/': {base!r}"
        )
    return base


def provision_path(provision: Provision) -> str:
    """The path of a provision below its regulation: ``chp_3/art_20/par_1/item_5`` ('' if none)."""
    parts = []
    for name, value in (("chp", provision.chapter), ("art", provision.article),
                        ("par", provision.paragraph), ("item", provision.item)):
        if value is not None:
            parts.append(f"{name}_{int(value)}")
    return "/".join(parts)


class Iris:
    """Mints the IRIs of one graph under one base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)
        self.regulations_graph = f"{base}graph/regulations"
        self.vocabulary_graph = f"{base}graph/vocabulary"

    def catalog(self, source: str) -> str:
        """A catalog, from the path of the file it was read from (as given to the build)."""
        return f"{self.base}catalog/{digest(source, 16)}"

    def item(self, catalog_iri: str, item_id: str) -> str:
        """An item of a catalog, from its ``id``."""
        return f"{catalog_iri}/item/{segment(item_id)}"

    def source_file(self, catalog_iri: str, path: str) -> str:
        """A file a catalog (or one of its rows) was read from."""
        return f"{catalog_iri}/source/{digest(path, 16)}"

    def time_limit(self, key: str) -> str:
        """A time limit, from what it says (its text and how it was read)."""
        return f"{self.base}time-limit/{digest(key, 16)}"

    def category(self, catalog_iri: str, path: Sequence[str]) -> str:
        """The category named by the first levels of an item path."""
        return f"{catalog_iri}/category/" + digest("\x1f".join(path), 16)

    def regulation(self, regulation_id: str) -> str:
        """A regulation, from its stable ``Regulation.id``."""
        return f"{self.base}regulation/{segment(regulation_id)}"

    def provision(self, regulation_id: str, provision: Provision) -> str | None:
        """A provision of a regulation; None when the provision names no part."""
        path = provision_path(provision)
        return f"{self.regulation(regulation_id)}/{path}" if path else None

    def version(self, key: str) -> str:
        """A version of a regulation, from its key in ``ontology/structure`` (``zfxxgk-2019``)."""
        return f"{self.base}version/{segment(key)}"

    def agent(self, name: str) -> str:
        """An issuer, from its name."""
        return f"{self.base}agent/{segment(name)}"

    def concept(self, scheme: str, label: str) -> str:
        """A concept minted for a value no vocabulary lists."""
        return f"{self.base}concept/{scheme}/{segment(label)}"
