"""GraphML, GEXF and node-link JSON files written piece by piece, so a build never holds the
whole graph.

The nodes, edges and attributes are those of :class:`catalog_graph.graph.nx.GraphBuilder` (the same
graph networkx would write; ``networkx.read_graphml`` and ``read_gexf`` give it back). A worker
turns each catalog into :class:`Pieces` — its catalog and item nodes, and the edges from its
items — with :func:`catalog_pieces`; the regulations, provisions and issuers the catalogs cite
are made once, at the end, by :func:`shared_pieces`. :class:`GraphFiles` appends the pieces in
the order given (catalogs in input order, then the shared nodes) to temporary files and writes
each file with its attribute declarations on :meth:`GraphFiles.write`:

- GraphML: every node, then every edge; key ids name the attribute (``node.kind``), an edge's
  ``id`` is its networkx key;
- GEXF 1.2: ``<nodes>`` then ``<edges>``, edges numbered from 0 in file order, the networkx
  key in the ``networkx_key`` attribute as networkx writes it;
- node-link JSON (``networkx.node_link_graph(data, edges="edges")`` reads it): ``nodes`` then
  ``edges``, one object a line.

Within a piece, nodes are sorted by id, edges by (source, target, key), attributes by name:
the same pieces always give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from catalog_graph.atomic import temporary_beside
from catalog_graph.graph.iris import Iris
from catalog_graph.models import Catalog, Regulation

_EDGE_ID = b"\x00"  # stands for an edge's number in a GEXF piece (XML text never holds NUL)

GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">\n'
    "  <meta>\n    <creator>catalog-graph</creator>\n  </meta>\n"
    '  <graph defaultedgetype="directed" mode="static" name="">\n'
)

# --------------------------------------------------------------------------- XML text


_ESCAPED_TEXT = re.compile(r"[&<>]")
_ESCAPED_ATTR = re.compile(r"[&<>\"\n\r\t]")


def _text(value: str) -> str:
    if _ESCAPED_TEXT.search(value) is None:  # most values: nothing to escape
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """An attribute value, quoted, its line breaks and tabs kept (as character references)."""
    if _ESCAPED_ATTR.search(value) is None:
        return '"' + value + '"'
    return '"' + (_text(value).replace('"', "&quot;").replace("\n", "&#10;")
                  .replace("\r", "&#13;").replace("\t", "&#09;")) + '"'


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _value(value: Any) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


@lru_cache(maxsize=4096)
def _key_id(scope: str, name: str) -> str:
    """The id declaring attribute ``name`` of nodes or edges (the same in every piece)."""
    if _SIMPLE.fullmatch(name):
        return f"{scope}.{name}"
    from catalog_graph.graph.iris import digest

    return f"{scope}.x{digest(name, 16)}"


# --------------------------------------------------------------------------- pieces


@dataclass
class Pieces:
    """Part of a graph as GraphML and GEXF text, and the attributes it uses."""

    graphml_nodes: bytes = b""
    graphml_edges: bytes = b""
    gexf_nodes: bytes = b""
    gexf_edges: bytes = b""  # edge numbers left as a placeholder
    nodelink_nodes: bytes = b""  # one JSON object a line, each followed by a comma
    nodelink_edges: bytes = b""
    attributes: set[tuple[str, str, str]] = field(default_factory=set)  # (scope, name, type)


def pieces(nodes: Iterable[tuple[str, Mapping[str, Any]]],
           edges: Iterable[tuple[str, str, str, Mapping[str, Any]]]) -> Pieces:
    """GraphML and GEXF text of some nodes ``(id, attributes)`` and edges
    ``(source, target, key, attributes)``, each sorted."""
    out = Pieces()
    gm: list[str] = []
    gx: list[str] = []
    nl: list[str] = []
    for node, data in sorted(nodes, key=lambda n: n[0]):
        items = sorted(data.items())
        nl.append(_json_line({**dict(items), "id": node}))
        gm.append(f"<node id={_attr(node)}>\n")
        for name, value in items:
            out.attributes.add(("node", name, _type(value)))
            gm.append(f'  <data key="{_key_id("node", name)}">{_text(_value(value))}</data>\n')
        gm.append("</node>\n")
        label = str(data.get("label", node))
        gx.append(f"      <node id={_attr(node)} label={_attr(label)}>\n")
        rest = [(k, v) for k, v in items if k != "label"]
        if rest:
            gx.append("        <attvalues>\n")
            for name, value in rest:
                gx.append(f'          <attvalue for="{_key_id("node", name)}" '
                          f"value={_attr(_value(value))} />\n")
            gx.append("        </attvalues>\n")
        gx.append("      </node>\n")
    out.graphml_nodes = "".join(gm).encode("utf-8")
    out.gexf_nodes = "".join(gx).encode("utf-8")
    out.nodelink_nodes = "".join(nl).encode("utf-8")
    gm, gx, nl = [], [], []
    for source, target, key, data in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        items = sorted(data.items())
        nl.append(_json_line({**dict(items), "source": source, "target": target, "key": key}))
        gm.append(f"<edge source={_attr(source)} target={_attr(target)} id={_attr(key)}>\n")
        for name, value in items:
            out.attributes.add(("edge", name, _type(value)))
            gm.append(f'  <data key="{_key_id("edge", name)}">{_text(_value(value))}</data>\n')
        gm.append("</edge>\n")
        out.attributes.add(("edge", "networkx_key", "string"))
        gx.append(f'      <edge source={_attr(source)} target={_attr(target)} id="\x00">\n'
                  "        <attvalues>\n")
        for name, value in [*items, ("networkx_key", key)]:
            gx.append(f'          <attvalue for="{_key_id("edge", name)}" '
                      f"value={_attr(_value(value))} />\n")
        gx.append("        </attvalues>\n      </edge>\n")
    out.graphml_edges = "".join(gm).encode("utf-8")
    out.gexf_edges = "".join(gx).encode("utf-8")
    out.nodelink_edges = "".join(nl).encode("utf-8")
    return out


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # as json.dumps with these


def _json_line(value: Mapping[str, Any]) -> str:
    return _JSON.encode(value) + ",\n"


def catalog_pieces(catalog: Catalog, iris: Iris) -> Pieces:
    """One catalog's nodes (the catalog, its items) and its items' edges."""
    from catalog_graph.graph.nx import GraphBuilder

    builder = GraphBuilder(iris)
    builder.add_catalog(catalog)
    graph = builder.graph
    # nodes without attributes are the regulations and provisions cited: shared, written once
    return pieces(((n, d) for n, d in graph.nodes(data=True) if d),
                  ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)))


def shared_pieces(regulations: Mapping[str, Regulation], cited: Iterable[str],
                  provisions: Iterable[tuple[str, tuple[int | None, ...]]], iris: Iris,
                  laws: Any = None) -> Pieces:
    """The nodes every catalog shares: regulations cited, their provisions (with ``laws``, the
    user's law texts, their articles' texts) and issuers."""
    from catalog_graph.graph.nx import GraphBuilder

    builder = GraphBuilder(iris)
    builder.cited = set(cited)
    builder.provisions = set(provisions)
    builder.add_regulations(regulations, laws)
    graph = builder.graph
    return pieces(graph.nodes(data=True),
                  ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)))


# --------------------------------------------------------------------------- the files


class _Spool:
    """A temporary file beside the outputs, removed on :meth:`close`."""

    def __init__(self, folder: Path, name: str) -> None:
        self.fh, self.path = temporary_beside(folder / name, "w+b")

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def copy_to(self, out: IO[bytes], drop_last: int = 0) -> None:
        """Copy what was written to ``out``, but for its last ``drop_last`` bytes."""
        self.fh.flush()
        size = self.fh.seek(0, os.SEEK_END) - drop_last
        self.fh.seek(0)
        while size > 0:
            chunk = self.fh.read(min(size, 1 << 20))
            out.write(chunk)
            size -= len(chunk)

    def close(self) -> None:
        self.fh.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class GraphFiles:
    """``graph.graphml``, ``graph.gexf`` and ``graph.nodelink.json`` assembled from pieces (see
    the module docstring)."""

    def __init__(self, folder: Path,
                 formats: Iterable[str] = ("graphml", "gexf", "nodelink")) -> None:
        """``formats``: the files to be written (the pieces of the others are dropped)."""
        self.folder = Path(folder)
        self.attributes: dict[tuple[str, str], set[str]] = {}
        self.edges = 0
        self._spools = {f"{fmt}_{part}": _Spool(self.folder, f"graph.{fmt}_{part}")
                        for fmt in formats for part in ("nodes", "edges")}

    def add(self, piece: Pieces, attributes: Iterable[tuple[str, str, str]] | None = None) -> None:
        """Append one piece (``attributes``: its attribute types, when it came from the cache)."""
        for scope, name, kind in (piece.attributes if attributes is None else attributes):
            self.attributes.setdefault((scope, name), set()).add(kind)
        spools = self._spools
        if "graphml_nodes" in spools:
            spools["graphml_nodes"].write(piece.graphml_nodes)
            spools["graphml_edges"].write(piece.graphml_edges)
        if "nodelink_nodes" in spools:
            spools["nodelink_nodes"].write(piece.nodelink_nodes)
            spools["nodelink_edges"].write(piece.nodelink_edges)
        if "gexf_nodes" not in spools:
            return
        spools["gexf_nodes"].write(piece.gexf_nodes)
        if piece.gexf_edges:
            parts = piece.gexf_edges.split(_EDGE_ID)
            out = [parts[0]]
            for part in parts[1:]:
                out.append(b"%d" % self.edges)
                out.append(part)
                self.edges += 1
            spools["gexf_edges"].write(b"".join(out))

    def _declared(self) -> list[tuple[str, str, str]]:
        """(scope, name, type) of every attribute; a name seen with several types is a string."""
        return sorted((scope, name, next(iter(kinds)) if len(kinds) == 1 else "string")
                      for (scope, name), kinds in self.attributes.items())

    def write_graphml(self, out: IO[bytes]) -> None:
        head = [GRAPHML_HEAD]
        for scope, name, kind in self._declared():
            head.append(f'<key id="{_key_id(scope, name)}" for="{scope}" attr.name={_attr(name)} '
                        f'attr.type="{kind}"/>\n')
        head.append('<graph edgedefault="directed">\n')
        out.write("".join(head).encode("utf-8"))
        self._spools["graphml_nodes"].copy_to(out)
        self._spools["graphml_edges"].copy_to(out)
        out.write(b"</graph>\n</graphml>\n")

    def write_gexf(self, out: IO[bytes]) -> None:
        head = [GEXF_HEAD]
        declared = self._declared()
        for scope in ("edge", "node"):
            head.append(f'    <attributes mode="static" class="{scope}">\n')
            for s, name, kind in declared:
                if s == scope and not (scope == "node" and name == "label"):
                    head.append(f'      <attribute id="{_key_id(s, name)}" title={_attr(name)} '
                                f'type="{kind}" />\n')
            head.append("    </attributes>\n")
        head.append("    <nodes>\n")
        out.write("".join(head).encode("utf-8"))
        self._spools["gexf_nodes"].copy_to(out)
        out.write(b"    </nodes>\n    <edges>\n")
        self._spools["gexf_edges"].copy_to(out)
        out.write(b"    </edges>\n  </graph>\n</gexf>\n")

    def write_node_link(self, out: IO[bytes]) -> None:
        out.write(b'{"directed":true,"multigraph":true,"graph":{},"nodes":[\n')
        for name in ("nodelink_nodes", "nodelink_edges"):
            spool = self._spools[name]
            spool.copy_to(out, drop_last=2 if spool.fh.tell() else 0)  # the last ",\n"
            out.write(b'\n],"edges":[\n' if name == "nodelink_nodes" else b"\n]}\n")

    def close(self) -> None:
        """Remove the temporary files."""
        for spool in self._spools.values():
            spool.close()
