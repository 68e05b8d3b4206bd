"""Citations → regulations: ``cite`` finds the citations in a text and resolves them.

``cite`` = ``catalog_graph.citations.find_citations`` + a ``Resolver``
(``catalog_graph.resolve.resolver``), checked against the authority
(``catalog_graph.resolve.authority``: data in ``ontology/authority/``). Without a resolver of
its own, ``cite`` uses the default one, made on first use.
"""

from __future__ import annotations

import threading

from catalog_graph.citations import find_citations
from catalog_graph.models import Citation
from catalog_graph.resolve.lawtexts import LawTexts, attach_texts
from catalog_graph.resolve.resolver import Resolver

__all__ = ["LawTexts", "Resolver", "cite", "default_resolver"]

_DEFAULT_LOCK = threading.Lock()
_DEFAULT: Resolver | None = None


def default_resolver() -> Resolver:
    """The default Resolver (built-in authority plus ``$CATALOG_GRAPH_AUTHORITY``), made on
    first use."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Resolver()
    return _DEFAULT


def cite(text: str, resolver: Resolver | None = None,
         laws: LawTexts | None = None) -> list[Citation]:
    """Find the citations in a text and resolve them (with ``resolver``, else the default
    one); with ``laws`` (the user's law texts), attach each cited article's text."""
    citations = find_citations(text)
    resolver = resolver or default_resolver()
    resolver.resolve(citations)
    if laws is not None:
        titles = {}
        for rid in {c.regulation for c in citations if c.regulation}:
            reg = resolver.regulation(rid)
            titles[rid] = [reg.title, *reg.aliases]
        attach_texts(citations, laws, resolver.structures, titles)
    return citations
