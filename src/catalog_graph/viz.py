"""``catalog-graph viz``: pictures of the graph a build wrote (``DIR/graph.graphml``).

``FILE.html``  one self-contained interactive page (cytoscape.js inlined, no network needed):
               catalogs, items, regulations, provisions and issuers as distinct shapes and
               colours, sized by how often they are cited; search, filter by catalog or
               regulation, click for details and source (file, page, row), double-click to focus.
``FILE.png``   a chart for a report: the most-cited regulations, as bars of how many items cite
``FILE.svg``   each, coloured by the catalogs they come from (matplotlib, with a CJK font).

Scale: the page embeds the whole graph but never draws more than ``max_nodes`` nodes at once.
Its overview aggregates items away (catalog → regulation edges weighted by the number of items,
regulation → issuer edges) and keeps the most-cited regulations and the largest catalogs; items
and provisions are drawn when focusing on one catalog, regulation or issuer. For corpora too big
to embed, ``focus`` keeps only one regulation's or catalog's neighbourhood.

Text from catalogs is never markup: the page's data is JSON inside ``<script
type="application/json">`` with ``<``, ``>`` and ``&`` escaped, and the page's script puts it in
the document with ``textContent`` only. A Content-Security-Policy allows the page's own two
scripts (by hash) and nothing else, no network access either.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import tempfile
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalog_graph.errors import CatalogError

if TYPE_CHECKING:  # pragma: no cover
    import networkx

KINDS = ("catalog", "item", "regulation", "provision", "issuer")
FORMATS = (".html", ".png", ".svg")
DEFAULT_MAX_NODES = 2000
DEFAULT_TOP = 20
TEXT_LIMIT = 400  # characters of an item's content or basis kept in the page
WEB_DIR = Path(__file__).resolve().parent / "serve" / "web"

# fonts that hold Chinese, best first (Debian's fonts-noto-cjk gives the first)
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
             "Hiragino Sans GB", "SimHei", "Noto Serif CJK SC", "Source Han Serif SC",
             "AR PL UMing CN", "Noto Sans CJK JP", "Noto Sans CJK TC")
NO_CJK_FONT = ("no CJK font found (install fonts-noto-cjk); Chinese labels in the chart may show "
               "as empty boxes")


@dataclass
class Picture:
    """What :func:`write_picture` wrote."""

    path: Path
    nodes: int  # nodes of the graph pictured
    drawn: int  # nodes drawn (html: at first sight; png/svg: bars)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def load_graph(directory: Path) -> networkx.MultiDiGraph:
    """The graph a build wrote in ``directory`` (``graph.graphml``); CatalogError without one."""
    import xml.etree.ElementTree as ElementTree

    import networkx as nx

    from catalog_graph.atomic import find_variant, open_read

    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogError(str(directory), "no such folder (run `catalog-graph build` first)",
                           "missing")
    path = find_variant(directory / "graph.graphml")  # or .gz, .zst (build --compress)
    if path is None:
        raise CatalogError(str(directory), "no graph.graphml here (run `catalog-graph build` "
                                           "first)", "missing")
    try:
        with open_read(path) as data:
            return nx.read_graphml(data, force_multigraph=True)
    except (ElementTree.ParseError, nx.NetworkXError, OSError, ValueError, KeyError) as exc:
        raise CatalogError(str(path), f"cannot read the graph ({exc})", "unreadable") from None


def _list(value: Any) -> list[Any]:
    """A list attribute as nx.py writes it (JSON text), or [] when absent or unreadable."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value:
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def _clip(text: Any, limit: int = TEXT_LIMIT) -> str | None:
    if text is None:
        return None
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- focus


def find_focus(graph: networkx.MultiDiGraph, text: str) -> str:
    """The regulation or catalog node ``text`` names: its IRI, id, 发文字号, title or file
    (exactly), else the one whose title contains it. CatalogError when none or several do."""
    wanted = text.strip()
    candidates = [(n, d) for n, d in graph.nodes(data=True)
                  if d.get("kind") in ("regulation", "catalog")]

    def names(node: str, data: dict[str, Any]) -> set[str]:
        return {node, *(str(data[k]) for k in ("regulation_id", "doc_number", "title", "label",
                                               "file") if data.get(k))}

    exact = sorted(n for n, d in candidates if wanted in names(n, d))
    if len(exact) == 1:
        return exact[0]
    partial = exact or sorted(
        n for n, d in candidates
        if wanted and any(wanted in str(t) for t in [d.get("label") or "", *_list(d.get("aliases"))]))
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise CatalogError("--focus", f"no regulation or catalog matches {wanted!r}", "usage")
    shown = "; ".join(str(graph.nodes[n].get("label", n)) for n in partial[:3])
    raise CatalogError("--focus", f"{wanted!r} matches {len(partial)} regulations or catalogs "
                                  f"({shown}{'; …' if len(partial) > 3 else ''}); be more specific",
                       "usage")


def neighbourhood(graph: networkx.MultiDiGraph, node: str) -> set[str]:
    """The nodes around one regulation (its provisions, issuers, the items citing it and their
    catalogs) or one catalog (its items, what they cite, the issuers of that)."""
    kind = graph.nodes[node].get("kind")
    keep = {node}
    if kind == "regulation":
        provisions = {u for u, _, d in graph.in_edges(node, data=True) if d.get("kind") == "part_of"}
        keep |= provisions
        keep |= {v for _, v, d in graph.out_edges(node, data=True) if d.get("kind") == "passed_by"}
        citing = {u for target in (node, *provisions) for u, _, d in graph.in_edges(target, data=True)
                  if d.get("kind") in ("legal_basis", "legal_provision")}
        keep |= citing
        keep |= {v for item in citing for _, v, d in graph.out_edges(item, data=True)
                 if d.get("kind") == "in_catalog"}
    else:
        own = {u for u, _, d in graph.in_edges(node, data=True) if d.get("kind") == "in_catalog"}
        keep |= own
        cited = {v for item in own for _, v, d in graph.out_edges(item, data=True)
                 if d.get("kind") in ("legal_basis", "legal_provision")}
        keep |= cited
        regulations = {v for p in cited for _, v, d in graph.out_edges(p, data=True)
                       if d.get("kind") == "part_of"}
        keep |= regulations
        keep |= {v for r in cited | regulations for _, v, d in graph.out_edges(r, data=True)
                 if d.get("kind") == "passed_by"}
    return keep


# --------------------------------------------------------------------------- the page's data


def graph_data(graph: networkx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES,
               focus: str | None = None) -> dict[str, Any]:
    """The graph as the page's JSON: records by kind (sorted by IRI), items pointing at them by
    index, and the catalog → regulation links weighted by items."""
    nodes = {k: sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == k) for k in KINDS}
    index = {k: {n: i for i, n in enumerate(nodes[k])} for k in KINDS}
    item_catalog: dict[str, str] = {}
    item_regulations: dict[str, set[str]] = defaultdict(set)
    item_provisions: dict[str, set[str]] = defaultdict(set)
    provision_regulation: dict[str, str] = {}
    regulation_issuers: dict[str, set[str]] = defaultdict(set)
    edges = 0
    for u, v, d in graph.edges(data=True):
        edges += 1
        kind = d.get("kind")
        if kind == "in_catalog" and v in index["catalog"]:
            item_catalog[u] = v
        elif kind == "legal_basis" and v in index["regulation"]:
            item_regulations[u].add(v)
        elif kind == "legal_provision" and v in index["provision"]:
            item_provisions[u].add(v)
        elif kind == "part_of" and v in index["regulation"]:
            provision_regulation[u] = v
        elif kind == "passed_by" and v in index["issuer"]:
            regulation_issuers[u].add(v)

    catalog_items: Counter[str] = Counter()
    regulation_items: Counter[str] = Counter()
    regulation_catalogs: dict[str, set[str]] = defaultdict(set)
    provision_items: Counter[str] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    items = []
    for node in nodes["item"]:
        d = graph.nodes[node]
        catalog = item_catalog.get(node)
        if catalog is None:  # an item outside any catalog cannot be placed
            continue
        catalog_items[catalog] += 1
        regs = sorted(item_regulations.get(node, ()))
        provs = sorted(item_provisions.get(node, ()))
        for r in regs:
            regulation_items[r] += 1
            regulation_catalogs[r].add(catalog)
            pairs[(index["catalog"][catalog], index["regulation"][r])] += 1
        for p in provs:
            provision_items[p] += 1
        record: dict[str, Any] = {
            "id": node, "l": str(d.get("label") or d.get("name") or ""),
            "c": index["catalog"][catalog], "n": d.get("number"),
            "p": [str(x) for x in _list(d.get("path"))], "t": _clip(d.get("content")),
            "b": _clip(d.get("basis")), "tl": d.get("time_limit"), "s": d.get("subject"),
            "pg": _int(d.get("source_page")), "r": _int(d.get("source_row")),
            "g": [index["regulation"][r] for r in regs],
            "v": [index["provision"][p] for p in provs],
        }
        source = d.get("source_file")
        if source and source != graph.nodes[catalog].get("file"):
            record["f"] = source
        items.append(record)

    def text(d: dict[str, Any], key: str) -> str | None:
        value = d.get(key)
        return None if value is None else str(value)

    catalogs = [{"id": n, "label": str(graph.nodes[n].get("label") or n),
                 "body": text(graph.nodes[n], "body"), "file": text(graph.nodes[n], "file") or "",
                 "format": text(graph.nodes[n], "format"), "items": catalog_items[n]}
                for n in nodes["catalog"]]
    regulations = []
    for n in nodes["regulation"]:
        d = graph.nodes[n]
        in_force = d.get("in_force")
        regulations.append({
            "id": n, "label": str(d.get("label") or d.get("title") or n),
            "doc_number": text(d, "doc_number"), "doc_type": text(d, "doc_type"),
            "date": text(d, "date"), "in_force": None if in_force is None else bool(in_force),
            "aliases": [str(a) for a in _list(d.get("aliases"))],
            "issuers": sorted(index["issuer"][s] for s in regulation_issuers.get(n, ())),
            "items": regulation_items[n], "catalogs": len(regulation_catalogs[n]),
        })
    provisions = [{"id": n, "label": str(graph.nodes[n].get("label") or n),
                   "regulation": index["regulation"][provision_regulation[n]],
                   "items": provision_items[n]}
                  for n in nodes["provision"] if n in provision_regulation]
    provision_index = {p["id"]: i for i, p in enumerate(provisions)}
    if len(provisions) != len(nodes["provision"]):  # provisions of no known regulation
        for item in items:
            item["v"] = [provision_index[nodes["provision"][p]] for p in item["v"]
                         if nodes["provision"][p] in provision_index]
    issuer_regulations: Counter[str] = Counter()
    issuer_items: Counter[str] = Counter()
    for r, found in regulation_issuers.items():
        for s in found:
            issuer_regulations[s] += 1
            issuer_items[s] += regulation_items[r]
    issuers = [{"id": n, "label": str(graph.nodes[n].get("label") or n),
                "regulations": issuer_regulations[n], "items": issuer_items[n]}
               for n in nodes["issuer"]]

    kinds = Counter(d.get("kind") for _, d in graph.nodes(data=True))
    data: dict[str, Any] = {
        "counts": {"nodes": graph.number_of_nodes(), "edges": edges,
                   "kinds": {k: kinds.get(k, 0) for k in KINDS}},
        "max_nodes": max_nodes,
        "focus": None,
        "catalogs": catalogs, "regulations": regulations, "provisions": provisions,
        "issuers": issuers, "items": items,
        "links": [[c, r, n] for (c, r), n in sorted(pairs.items())],
    }
    if focus is not None:
        kind = graph.nodes[focus].get("kind")
        data["focus"] = {"kind": kind, "index": index[kind][focus],
                         "label": str(graph.nodes[focus].get("label") or focus)}
    return data


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line
    separators can end the element or start markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _inline_script(code: str) -> str:
    """Code for an inline ``<script>``; refuses code that would end the element early."""
    lowered = code.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("script text holds </script or <!--; it cannot be inlined as is")
    return code


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def page_html(data: dict[str, Any], title: str) -> str:
    """The self-contained interactive page for :func:`graph_data`'s ``data``."""
    template = (WEB_DIR / "viz.html").read_text(encoding="utf-8")
    library = _inline_script((WEB_DIR / "cytoscape.min.js").read_text(encoding="utf-8"))
    code = _inline_script((WEB_DIR / "viz.js").read_text(encoding="utf-8"))
    csp = ("default-src 'none'; "
           f"script-src {_csp_hash(library)} {_csp_hash(code)}; "
           "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'")
    parts = {
        "{{CSP}}": html.escape(csp, quote=True),
        "{{TITLE}}": html.escape(title, quote=True),
        "{{CSS}}": (WEB_DIR / "viz.css").read_text(encoding="utf-8").replace("</", "<\\/"),
        "{{DATA}}": script_json(data),
        "{{CYTOSCAPE}}": library,
        "{{VIZ_JS}}": code,
    }
    out = []
    rest = template
    # one pass, in template order, so nothing inserted is ever read as a placeholder
    while True:
        positions = [(rest.find(marker), marker) for marker in parts if marker in rest]
        if not positions:
            out.append(rest)
            break
        at, marker = min(positions)
        out.append(rest[:at])
        out.append(parts[marker])
        rest = rest[at + len(marker):]
    return "".join(out)


# --------------------------------------------------------------------------- the chart


def cjk_font(candidates: Iterable[str] = CJK_FONTS) -> str | None:
    """The name of an installed font that holds Chinese, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in candidates:
        if name in installed:
            return name
    return None


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_chart(data: dict[str, Any], path: Path, top: int = DEFAULT_TOP,
                fonts: Iterable[str] = CJK_FONTS, title: str | None = None) -> tuple[int, list[str]]:
    """A horizontal bar chart of the ``top`` most-cited regulations (bars: citing items,
    stacked by catalog) as PNG or SVG by ``path``'s suffix, in the first of ``fonts`` installed
    (matplotlib's default, with a warning, when none is). Returns (bars drawn, warnings)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    problems: list[str] = []
    font = cjk_font(fonts)
    if font is None:
        problems.append(NO_CJK_FONT)
    regulations = data["regulations"]
    catalogs = data["catalogs"]
    ranked = sorted(range(len(regulations)),
                    key=lambda r: (-regulations[r]["items"], regulations[r]["label"]))
    ranked = [r for r in ranked if regulations[r]["items"] > 0][:top]
    by_pair = {(c, r): n for c, r, n in data["links"]}
    shown = set(ranked)
    catalog_weight: Counter[int] = Counter()
    for (c, r), n in by_pair.items():
        if r in shown:
            catalog_weight[c] += n
    palette = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
               "#8C8C8C", "#CCB974", "#64B5CD"]
    named = [c for c, _ in sorted(catalog_weight.items(), key=lambda x: (-x[1], x[0]))][:9]
    others = [c for c in catalog_weight if c not in named]

    rc = {"svg.hashsalt": "catalog-graph", "svg.fonttype": "path", "axes.unicode_minus": False}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    height = 1.8 + 0.42 * max(len(ranked), 3)
    with warnings.catch_warnings(), matplotlib.rc_context(rc):
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from (current )?font")
        warnings.filterwarnings("ignore", message=r"findfont: Font family .* not found")
        figure = Figure(figsize=(12, height), dpi=150, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = list(range(len(ranked)))
        left = [0] * len(ranked)
        for colour, group, name in [*((palette[i], [c], catalogs[c]["label"])
                                      for i, c in enumerate(named)),
                                    (palette[9], others, f"其他目录 other catalogs ({len(others)})")]:
            if not group:
                continue
            widths = [sum(by_pair.get((c, r), 0) for c in group) for r in ranked]
            axes.barh(positions, widths, left=left, color=colour, label=_short(name, 30),
                      edgecolor="white", linewidth=0.5)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        labels = []
        for r in ranked:
            reg = regulations[r]
            label = _short(reg["label"], 34)
            if reg.get("doc_number"):
                label += f"\n{reg['doc_number']}"
            labels.append(label)
        axes.set_yticks(positions, labels, fontsize=8)
        axes.invert_yaxis()
        for y, total in zip(positions, left, strict=True):
            axes.text(total, y, f" {total}", va="center", fontsize=8)
        axes.set_xlabel("引用该文件的公开事项数  items citing the regulation")
        total_items = len(data["items"])
        heading = title or "被引用最多的法规文件  The most-cited regulations"
        axes.set_title(f"{heading}\n(top {len(ranked)} of {len(regulations)} regulations; "
                       f"{len(catalogs)} catalogs, {total_items} items)", fontsize=11)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(x=0.08)
        if ranked:
            axes.legend(loc="lower right", fontsize=8, frameon=False, title="目录 catalog",
                        title_fontsize=8)
        else:
            axes.text(0.5, 0.5, "没有被引用的法规文件  no cited regulations", ha="center",
                      va="center", transform=axes.transAxes)
            axes.set_yticks([])
        suffix = Path(path).suffix.lower()
        metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
        figure.savefig(path, format=suffix[1:], metadata=metadata)
    return len(ranked), problems


# --------------------------------------------------------------------------- writing


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file next to ``path``, renamed into place when complete."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_picture(directory: Path, output: Path, max_nodes: int = DEFAULT_MAX_NODES,
                  focus: str | None = None, top: int = DEFAULT_TOP) -> Picture:
    """Picture the build in ``directory`` as ``output`` (.html, .png or .svg)."""
    suffix = Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise CatalogError(str(output), f"unknown picture type {suffix or '(none)'}: use "
                                        ".html, .png or .svg", "usage")
    if not Path(output).parent.is_dir():
        raise CatalogError(str(output), "no such folder to write in", "missing")
    graph = load_graph(directory)
    focus_node = None
    if focus:
        focus_node = find_focus(graph, focus)
        graph = graph.subgraph(neighbourhood(graph, focus_node)).copy()
    data = graph_data(graph, max_nodes, focus_node)
    title = f"catalog-graph · {Path(directory).resolve().name}"
    if focus_node:
        title += f" · {data['focus']['label']}"
    if suffix == ".html":
        page = page_html(data, title)
        _write_atomic(Path(output), lambda p: p.write_text(page, encoding="utf-8"))
        drawn = min(graph.number_of_nodes(), max_nodes)
        return Picture(Path(output), graph.number_of_nodes(), drawn)
    result: dict[str, Any] = {}

    def chart(path: Path) -> None:
        result["bars"], result["warnings"] = write_chart(
            data, path, top, title=None if not focus_node else data["focus"]["label"])

    _write_atomic(Path(output), chart)
    return Picture(Path(output), graph.number_of_nodes(), result["bars"], result["warnings"])
