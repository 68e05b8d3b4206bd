"""``catalog-graph query``: SPARQL over a built folder, and the bundled example queries.

Examples are the ``*.rq`` files of ``ontology/queries``: the name is the file's stem, the
description its leading ``#`` comment. Queries see the union of all named graphs as the default
graph, and the prefixes ``cg eli dcterms skos prov time rdf rdfs xsd owl`` are predeclared.

Formats: ``table`` (aligned for terminals, CJK-width aware); ``csv`` (SPARQL 1.1 CSV: plain
values); ``tsv``, plain values for spreadsheets (the bare variable names as headers, a literal's
text without quotes or language tag, IRIs in full; a tab, line break or backslash inside a value
written ``\t`` ``\n`` ``\r`` ``\\``); ``sparql-tsv``, the SPARQL 1.1 TSV form (``?var``
headers, values as RDF terms: ``"…"@zh``, ``<iri>``); ``json`` (SPARQL 1.1 JSON). ASK prints true
or false; CONSTRUCT and DESCRIBE print Turtle (table), N-Triples (csv, tsv, sparql-tsv) or
JSON-LD (json). Every format ends with a line break.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from catalog_graph.errors import CatalogError
from catalog_graph.graph.namespaces import PREFIXES

FORMATS = ("table", "csv", "tsv", "sparql-tsv", "json")


class QueryError(CatalogError):
    """A query that cannot run: bad SPARQL, an unknown example, an unreadable file."""

    def __init__(self, message: str) -> None:
        super().__init__("query", message, "query")

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Example:
    """A bundled query."""

    name: str
    description: str
    path: Path

    @property
    def sparql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def examples(folder: Path | None = None) -> dict[str, Example]:
    """The example queries by name, sorted."""
    if folder is None:
        from catalog_graph.paths import ontology_dir

        folder = ontology_dir() / "queries"
    found: dict[str, Example] = {}
    for path in sorted(Path(folder).glob("*.rq")):
        comment = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("#").strip())
        found[path.stem] = Example(path.stem, " ".join(c for c in comment if c), path)
    return found


def query_text(sparql: str | None = None, file: Path | None = None,
               example: str | None = None) -> str:
    """The SPARQL to run: given inline, read from a file, or a bundled example by name."""
    given = [x for x in (sparql, file, example) if x is not None]
    if len(given) != 1:
        raise QueryError("give exactly one of SPARQL, --file F.rq or --example NAME")
    if file is not None:
        try:
            return Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{file}: cannot read the query ({exc})") from None
    if example is not None:
        found = examples()
        if example not in found:
            raise QueryError(f"no example named {example!r}; `catalog-graph query --list` lists them")
        return found[example].sparql
    assert sparql is not None
    return sparql


def answer(directory: Path, sparql: str, fmt: str = "table", out: IO[bytes] | None = None,
           console_width: int | None = None, timeout: float | None = None) -> int | None:
    """Run SPARQL over the store of a built folder and write its result in ``fmt``, as
    :func:`write_result` does; QueryError for bad SPARQL, QueryTimeout when it is still running
    after ``timeout`` seconds (then nothing is written: results are written once complete; the
    query's thread runs on until the process ends, see :func:`store.on_big_stack_within`).

    The query runs, and its results are read, on a big stack (:func:`store.on_big_stack`): a
    query that is a long flat chain of terms (``?o = 1 || ?o = 2 || …`` 10,000 times) would
    otherwise overflow the main thread's stack and kill the process.
    """
    from catalog_graph.store.db import on_big_stack_within

    return on_big_stack_within(
        timeout, lambda: write_result(run(directory, sparql), fmt, out, console_width))


def run(directory: Path, sparql: str) -> Any:
    """Run SPARQL over the store of a built folder; QueryError for bad SPARQL.

    The results are lazy and bound to this thread. On the main thread a query that is a long
    flat chain of terms overflows the stack: :func:`answer` runs one safely.
    """
    from catalog_graph.store.db import READ_ONLY, is_update, open_store, run_query, unknown_prefixes

    if is_update(sparql):
        raise QueryError(f"{READ_ONLY}; ask with SELECT, ASK, CONSTRUCT or DESCRIBE")
    store = open_store(directory)
    try:
        return run_query(store, sparql)
    except SyntaxError as exc:
        unknown = unknown_prefixes(sparql)
        if unknown:
            names = ", ".join(f"{p}:" for p in unknown)
            known = " ".join(PREFIXES)
            raise QueryError(f"bad SPARQL: unknown prefix {names} (predeclared: {known}; declare "
                             f"others with PREFIX {unknown[0]}: <…>)") from None
        raise QueryError(f"bad SPARQL: {_one_line(exc)}") from None
    except OSError as exc:
        raise QueryError(f"the query failed: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def show_term(term: Any) -> str:
    """A term for people: the value of a literal, a prefixed or full IRI, _:id for a blank node."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def write_result(result: Any, fmt: str, out: IO[bytes] | None = None,
                 console_width: int | None = None) -> int | None:
    """Write a query result in ``fmt``; the number of rows or triples written (None: not counted)."""
    import pyoxigraph as ox

    out = out if out is not None else sys.stdout.buffer
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            out.write(result.serialize(format=ox.QueryResultsFormat.JSON) + b"\n")
        else:
            out.write(b"true\n" if bool(result) else b"false\n")
        return 1
    if isinstance(result, ox.QueryTriples):
        triples = list(result)
        rdf_format = {"table": ox.RdfFormat.TURTLE, "json": ox.RdfFormat.JSON_LD}.get(
            fmt, ox.RdfFormat.N_TRIPLES)
        prefixes = PREFIXES if rdf_format is ox.RdfFormat.TURTLE else None
        data = (ox.serialize(triples, format=rdf_format, prefixes=prefixes)
                if prefixes else ox.serialize(triples, format=rdf_format))
        out.write(_ending_with_newline(data))
        return len(triples)
    if fmt == "tsv":
        return _write_plain_tsv(result, out)
    if fmt != "table":
        results_format = {"csv": ox.QueryResultsFormat.CSV,
                          "sparql-tsv": ox.QueryResultsFormat.TSV,
                          "json": ox.QueryResultsFormat.JSON}[fmt]
        out.write(_ending_with_newline(result.serialize(format=results_format)))
        return None
    variables = [v.value for v in result.variables]
    rows = [[show_term(solution[name]) for name in variables] for solution in result]
    _write_table(variables, rows, out, console_width)
    return len(rows)


def _ending_with_newline(data: bytes) -> bytes:
    return data if not data or data.endswith(b"\n") else data + b"\n"


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _plain(term: Any) -> str:
    """A term as a spreadsheet cell: a literal's text, an IRI in full, _:id for a blank node."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value.translate(_TSV_ESCAPES)


def _write_plain_tsv(result: Any, out: IO[bytes]) -> int:
    variables = [v.value for v in result.variables]
    lines = ["\t".join(variables)]
    for solution in result:
        lines.append("\t".join(_plain(solution[name]) for name in variables))
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(lines) - 1


def _write_table(variables: list[str], rows: list[list[str]], out: IO[bytes],
                 console_width: int | None) -> None:
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", show_lines=False, box=None,
                  pad_edge=False)
    for name in variables:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    buffer = io.StringIO()
    terminal = sys.stdout.isatty() if out is sys.stdout.buffer else False
    width = console_width or (None if terminal else 200)
    console = Console(file=buffer, width=width, force_terminal=terminal, no_color=not terminal,
                      highlight=False, soft_wrap=False)
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")
    out.write(buffer.getvalue().encode("utf-8"))
