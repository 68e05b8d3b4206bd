"""catalog-graph: government information-disclosure catalogs (政务公开事项目录) into a legal
knowledge graph.

The Python API, for notebooks and scripts (everything not in ``__all__`` may move):

>>> import catalog_graph as cg
>>> catalog = cg.parse("raw/changzhi_education_catalog.txt")
>>> catalog.title, len(catalog.items)
('长治市教育局主动公开事项目录', 28)
>>> [c.doc_number for c in cg.cite("依据《政府信息公开条例》和国办发〔2022〕8号")]
[None, '国办发〔2022〕8号']

Importing the package is instant: each function imports what it needs when called.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Graph", "build", "cite", "compare_to_standard", "diff", "open_graph", "parse",
           "to_networkx", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pyoxigraph

    from catalog_graph.batch.build import BuildSummary
    from catalog_graph.compare import CatalogDiff, Coverage
    from catalog_graph.models import Catalog, Citation

_SUFFIXES = {"text": ".txt", "txt": ".txt", "tsv": ".tsv", "csv": ".csv", "pdf": ".pdf",
             "xlsx": ".xlsx", "docx": ".docx", "html": ".html"}


def parse(source: str | Path | bytes, *, format: str | None = None) -> Catalog:  # noqa: A002
    """Read one catalog, any format, into a :class:`~catalog_graph.models.Catalog`: its title,
    publishing body and items, each item with its citations resolved (the same objects
    ``catalog-graph parse`` prints).

    ``source`` is a path, or the file's bytes (``format`` names the format then, e.g. ``"xlsx"``;
    without it the bytes are sniffed). Raises :class:`~catalog_graph.errors.CatalogError` with one
    clear message for a file that holds no catalog.

    >>> import catalog_graph as cg
    >>> catalog = cg.parse("raw/changzhi_education_catalog.txt")
    >>> item = catalog.items[0]
    >>> item.number, item.path, item.time_limit.kind, item.time_limit.days
    ('1', ['政府信息公开指南'], 'within_days', 20)
    >>> item.citations[0].title, item.citations[0].provisions[0].article
    ('中华人民共和国政府信息公开条例', 12)
    >>> records = catalog.to_records()          # plain dicts, one per item
    >>> records[0]["subject"], records[0]["channels"]
    ('市教育局', '政府网站；政务新媒体')
    >>> data = Path("raw/changzhi_education_catalog.txt").read_bytes()
    >>> cg.parse(data).title                    # bytes work too
    '长治市教育局主动公开事项目录'
    """
    from catalog_graph.pipeline import parse_file

    if isinstance(source, bytes | bytearray):
        import tempfile

        suffix = _SUFFIXES.get((format or "").lower().lstrip("."), "")
        with tempfile.TemporaryDirectory(prefix="catalog-graph-") as tmp:
            path = Path(tmp) / f"catalog{suffix}"
            path.write_bytes(bytes(source))
            return parse_file(path, display="<bytes>")
    return parse_file(Path(source))


def cite(text: str, *, resolve: bool = True, authority: Iterable[str | Path] = (),
         laws: str | Path | None = None) -> list[Citation]:
    """The citations in one text (a 公开依据 cell, a sentence): titles, 发文字号, articles,
    issuers, kinds; with ``resolve`` each is resolved to its regulation node and checked against
    the authority (the built-in one and ``authority`` files) and its articles against the
    structure of the version cited (``ontology/structure``); ``laws``, a folder of your own law
    texts in LawRefBook's layout, gives each cited article its ``text``.

    >>> import catalog_graph as cg
    >>> c = cg.cite("《中华人民共和国政府信息公开条例》第二十条第（五）项")[0]
    >>> c.title, [(p.article, p.item) for p in c.provisions], c.regulation
    ('中华人民共和国政府信息公开条例', [(20, 5)], 'guowuyuanling-711')
    >>> c = cg.cite("《重大行政决策程序暂行条例》（国务院令第七十三号）")[0]
    >>> c.doc_number, c.warnings
    ('国务院令第73号', ['doc number 国务院令第73号 does not match 《重大行政决策程序暂行条例》, which is 国务院令第713号'])
    >>> cg.cite("国办发〔2017〕42 号", resolve=False)[0].regulation is None
    True
    >>> cg.cite("《政府信息公开条例》第二十条第（十六）项")[0].warnings
    ['第二十条第（十六）项 does not exist: 第二十条 of 《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号) lists 15 items']
    """
    from catalog_graph.citations import find_citations
    from catalog_graph.resolve import LawTexts, Resolver
    from catalog_graph.resolve import cite as cite_text

    if not resolve:
        return find_citations(text)
    authority = tuple(authority)
    texts = LawTexts(laws) if laws is not None else None
    return cite_text(text, Resolver(authority) if authority else None, texts)


def build(inputs: str | Path | Iterable[str | Path], out_dir: str | Path = "out", *,
          workers: int | None = 1, **options: Any) -> BuildSummary:
    """Build the graph of every catalog under ``inputs`` (files and folders, any format) into
    ``out_dir``, as ``catalog-graph build`` does: items.jsonl, the RDF files, GraphML, the SPARQL
    store, report.json. Returns a summary (counts, failed inputs).

    ``workers``: processes converting inputs (default 1 here: a notebook needs no ``__main__``
    guard then; more need one). ``options``: ``base``, ``scheduler``, ``authority``, ``laws``, as
    the CLI.

    >>> import catalog_graph as cg, tempfile
    >>> out = tempfile.mkdtemp()
    >>> summary = cg.build("raw/", out)
    >>> summary.inputs, summary.items, summary.failed
    (1, 28, [])
    """
    from catalog_graph.batch.build import build as run_build
    from catalog_graph.paths import as_typed_anywhere

    if isinstance(inputs, str | Path):
        inputs = [inputs]
    paths = [as_typed_anywhere(p) for p in inputs]
    return run_build(paths, Path(out_dir), workers=workers, **options)


class Graph:
    """A built graph, opened read-only: SPARQL over its store from Python.

    ``store`` is the pyoxigraph Store (the union of all catalog graphs is the default graph;
    the usual prefixes cg eli dcterms skos prov … are predeclared by :meth:`query`).
    """

    def __init__(self, out_dir: str | Path) -> None:
        from catalog_graph.store.db import open_store

        self.out_dir = Path(out_dir)
        self.store: pyoxigraph.Store = open_store(self.out_dir)

    def query(self, sparql: str) -> list[dict[str, Any]] | bool:
        """Rows of a SELECT as dicts of plain Python values (a literal's value, an IRI as
        text); True/False for an ASK.

        >>> import catalog_graph as cg, tempfile
        >>> out = tempfile.mkdtemp(); _ = cg.build("raw/", out)
        >>> rows = cg.open_graph(out).query(
        ...     "SELECT ?title (COUNT(?i) AS ?n) WHERE { ?i cg:legalBasis ?r . ?r rdfs:label ?title }"
        ...     " GROUP BY ?title ORDER BY DESC(?n) ?title LIMIT 1")
        >>> rows[0]["title"], rows[0]["n"]   # 8 rows cite it, 8 continuation rows inherit it
        ('中华人民共和国政府信息公开条例', 16)
        """
        import pyoxigraph as ox

        from catalog_graph.store.db import on_big_stack, run_query

        def run() -> list[dict[str, Any]] | bool:
            result = run_query(self.store, sparql)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            if isinstance(result, ox.QueryTriples):
                raise ValueError("query() answers SELECT and ASK; use .store.query() for CONSTRUCT")
            names = [v.value for v in result.variables]
            return [{n: _plain(s[n]) for n in names} for s in result]

        return on_big_stack(run)

    def __repr__(self) -> str:
        return f"Graph({str(self.out_dir)!r})"


def _plain(term: Any) -> Any:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype.endswith(("#integer", "#int", "#long", "#decimal")) and term.value.lstrip(
                "-").isdigit():
            return int(term.value)
        if datatype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def open_graph(out_dir: str | Path = "out") -> Graph:
    """The graph built in ``out_dir``, for SPARQL from Python (see :class:`Graph`)."""
    return Graph(out_dir)


def to_networkx(out_dir: str | Path = "out") -> networkx.MultiDiGraph:
    """The graph built in ``out_dir`` as a networkx MultiDiGraph: nodes ``catalog``, ``item``,
    ``regulation``, ``provision``, ``issuer`` (attribute ``kind``), keyed edges ``in_catalog``,
    ``legal_basis``, ``legal_provision``, ``part_of``, ``passed_by``.

    >>> import catalog_graph as cg, tempfile
    >>> out = tempfile.mkdtemp(); _ = cg.build("raw/", out)
    >>> g = cg.to_networkx(out)
    >>> def citing(node):   # items whose legal basis is this regulation
    ...     return sum(1 for _, _, key in g.in_edges(node, keys=True) if key == "legal_basis")
    >>> regulations = [n for n, kind in g.nodes(data="kind") if kind == "regulation"]
    >>> top = max(regulations, key=citing)
    >>> g.nodes[top]["label"], citing(top)
    ('中华人民共和国政府信息公开条例', 16)
    """
    import networkx as nx

    from catalog_graph.atomic import open_read

    with open_read(Path(out_dir) / "graph.graphml") as data:  # or its .gz, .zst
        return nx.read_graphml(data, force_multigraph=True)


def diff(old: str | Path | Catalog, new: str | Path | Catalog) -> CatalogDiff:
    """What changed between two versions of a catalog (files in any format, or parsed
    catalogs): ``.added``, ``.removed``, ``.renamed``, ``.changed``, ``.split``, ``.merged``,
    ``.unchanged``, ``.to_dict()`` (the ``diff --format json`` report).

    >>> import catalog_graph as cg
    >>> report = cg.diff("raw/changzhi_education_catalog.txt",
    ...                  "tests/fixtures/revisions/sample_2024.xlsx")
    >>> [r["path"] for r in report.removed], report.unchanged
    ([['法定主动公开内容', '建议提案办理']], 21)
    """
    from catalog_graph.compare import diff as run_diff

    return run_diff(old, new)


def compare_to_standard(catalog: str | Path | Catalog,
                        standard: str | Path | Catalog) -> Coverage:
    """What ``catalog`` lacks against ``standard`` (a field's 标准指引 or a model catalog):
    ``.lacking``, ``.extra``, ``.matched`` (with scores and bases lacking), ``.to_dict()``."""
    from catalog_graph.compare import compare_to_standard as run

    return run(catalog, standard)
