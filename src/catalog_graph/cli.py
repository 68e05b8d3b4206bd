"""The ``catalog-graph`` command line.

Exit status: 0 all went well; 1 some input failed (the others are still done);
2 bad usage or unreadable input. Errors are one line on stderr, no traceback
unless ``--debug``. Heavy libraries are imported inside the commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from catalog_graph.errors import CatalogError


def _unwritable(folder: Path) -> str | None:
    """Why ``folder`` cannot be made or written in, or None when it can (tried by making and
    removing a folder in it, or in its nearest existing parent; nothing is left behind)."""
    import tempfile

    probe = Path(folder).absolute()
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file"
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".catalog-graph-probe-", dir=probe))
    except OSError as exc:
        where = "" if probe == Path(folder).absolute() else f" in {probe}"
        return f"{(exc.strerror or str(exc)).lower()}{where}"
    return None


def fail(message: str, code: int = 2) -> None:
    """Print one error line and exit."""
    click.echo(f"catalog-graph: error: {message}", err=True)
    sys.exit(code)


class Group(click.Group):
    """Turns any unexpected exception into one line (a traceback only with --debug)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            fail(str(exc))
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if ctx.obj and ctx.obj.get("debug"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", 1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="catalog-graph")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Government information-disclosure catalogs (政务公开事项目录) into a legal knowledge graph."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


PDF_ENGINE = click.option(
    "--pdf-engine", type=click.Choice(["pdfium", "pdfplumber"]), default="pdfium", show_default=True,
    help="Engine reading PDF pages: PDFium (fast) or pdfplumber (pdfminer: the reference). "
         "Both give the same items.")


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
@PDF_ENGINE
def parse(input_file: Path, fmt: str, output: Path | None, pdf_engine: str) -> None:
    """One catalog (txt/tsv, pdf, xlsx/xls/et/ods, docx/doc/wps/odt/rtf, html/mht) → its items,
    with citations; an archive (zip, 7z, rar) → the items of every catalog inside it."""
    from catalog_graph.output import write_items
    from catalog_graph.pipeline import parse_archive, parse_file
    from catalog_graph.readers.sniff import archive_kind

    if not input_file.exists():
        fail(f"{input_file}: no such file")
    if input_file.is_file() and archive_kind(input_file) is not None:  # every catalog inside
        catalogs, notes = parse_archive(input_file)
        write_items([item for c in catalogs for item in c.items], fmt, output)
        for catalog in catalogs:
            for warning in catalog.warnings:
                click.echo(f"catalog-graph: warning: {catalog.file}: {warning}", err=True)
        for note in notes:
            click.echo(f"catalog-graph: note: {note}", err=True)
        return
    catalog = parse_file(input_file, pdf_settings={"engine": pdf_engine})
    write_items(catalog.items, fmt, output)
    for warning in catalog.warnings:
        click.echo(f"catalog-graph: warning: {input_file}: {warning}", err=True)


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one self-contained HTML page (the table as read, cells coloured by "
                   "field, repairs explained, PDF pages with their cell boxes) instead.")
def explain(input_file: Path, output: Path | None) -> None:
    """How a table was read: header rows, the field of each column, repairs, merged cells,
    sub-catalogs."""
    from catalog_graph.explain import explain_file, render_html, render_text

    if not input_file.exists():
        fail(f"{input_file}: no such file")
    exp = explain_file(input_file)
    if output is None:
        sys.stdout.write(render_text(exp))
        sys.stdout.flush()
    else:
        _write_report(render_html(exp), output)
        click.echo(f"catalog-graph: wrote {output}", err=True)


@main.command()
@click.argument("text", metavar="TEXT")
@click.option("--authority", "authority", multiple=True, metavar="CSV",
              type=click.Path(path_type=Path),
              help="Another authority file (or a directory of them), read after the built-in "
                   "one; repeatable.")
@click.option("--no-resolve", is_flag=True,
              help="Only find the citations (regulation stays null, no authority checks).")
@click.option("--laws", "laws", metavar="DIR", type=click.Path(path_type=Path),
              help="Your own folder of law texts, laid out as the LawRefBook collection (Markdown, "
                   "one file per law and version): each cited article's text is attached.")
def cite(text: str, authority: tuple[Path, ...], no_resolve: bool, laws: Path | None) -> None:
    """Citations in one text (TEXT, or - for stdin) → a JSON array on stdout.

    Offsets (start, end) count characters of the text as given.
    """
    import json

    from catalog_graph.citations import find_citations
    from catalog_graph.resolve import LawTexts, Resolver
    from catalog_graph.resolve import cite as cite_text

    if text == "-":
        try:
            text = sys.stdin.buffer.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            fail(f"stdin is not UTF-8 text ({exc.reason} at byte {exc.start})")
    for path in authority:
        if not path.exists():
            fail(f"{path}: no such file")
    texts = LawTexts(laws) if laws is not None else None
    if no_resolve:
        citations = find_citations(text)
    else:
        citations = cite_text(text, Resolver(authority) if authority else None, texts)
    click.echo(json.dumps([c.to_dict() for c in citations], ensure_ascii=False, indent=2))


@main.command()
@click.argument("directory", metavar="[DIR]", required=False, default="out",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; mind who can reach it).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) sent per answer; more are cut (X-Result-Truncated: true).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Query processes, i.e. queries run at once (default: the cores, 2 to 4).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@click.option("--laws", "laws", metavar="DIR", type=click.Path(path_type=Path),
              help="Your own folder of law texts, laid out as the LawRefBook collection (Markdown, "
                   "one file per law and version): each cited article's text is attached.")
def serve(directory: Path, host: str, port: int, timeout: float, max_rows: int,
          workers: int | None, quiet: bool, laws: Path | None) -> None:
    """A SPARQL endpoint at /sparql and a query page at / for the graph built in DIR (default out/)."""
    from catalog_graph.resolve import LawTexts
    from catalog_graph.serve import make_server, serve_until_stopped

    texts = LawTexts(laws) if laws is not None else None
    server = make_server(directory, host, port, timeout=timeout, max_rows=max_rows,
                         workers=workers, quiet=quiet, laws=texts)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"catalog-graph: warning: listening on {host}: whoever can reach this machine "
                   "can query the graph", err=True)
    click.echo(f"Serving {directory} at {server.url} (SPARQL endpoint {server.url}sparql); "
               "Ctrl+C stops")
    sys.stdout.flush()
    serve_until_stopped(server)


@main.command()
@click.argument("directory", metavar="[DIR]", required=False, default="out",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.html: an interactive page; FILE.png or FILE.svg: a chart of the "
                   "most-cited regulations.")
@click.option("--max-nodes", default=2000, show_default=True, type=click.IntRange(min=10),
              help="Most nodes the page draws at once; search, filters and focus reach the rest.")
@click.option("--focus", metavar="TEXT",
              help="Only one regulation's or catalog's neighbourhood: its IRI, id, 发文字号 or "
                   "(part of) its title.")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=1),
              help="Regulations in a png/svg chart.")
def viz(directory: Path, output: Path, max_nodes: int, focus: str | None, top: int) -> None:
    """A picture of the graph built in DIR (default out/): an interactive page or a chart."""
    if output.suffix.lower() not in (".html", ".png", ".svg"):
        fail(f"{output}: unknown picture type {output.suffix or '(none)'}: use .html, .png or .svg")
    from catalog_graph.viz import write_picture

    picture = write_picture(directory, output, max_nodes=max_nodes, focus=focus, top=top)
    for warning in picture.warnings:
        click.echo(f"catalog-graph: warning: {warning}", err=True)
    what = (f"{picture.nodes} nodes" if output.suffix.lower() == ".html"
            else f"the {picture.drawn} most-cited regulations")
    click.echo(f"Wrote {output}: {what}")


@main.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the graph in.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes reading inputs (default: the number of cores; 1: no subprocesses).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Read the inputs on the Dask cluster whose scheduler is at ADDRESS "
                   "(tcp://HOST:8786) instead of local processes; needs catalog-graph[dask].")
@click.option("--base", default=None, metavar="IRI",
              help="Base of the IRIs minted for catalogs, items, regulations "
                   "(default https://w3id.org/catalog-graph/id/).")
@click.option("--authority", "authority", multiple=True, metavar="CSV",
              type=click.Path(path_type=Path),
              help="Another authority file (or a directory of them), read after the built-in "
                   "one; repeatable.")
@click.option("--laws", "laws", metavar="DIR", type=click.Path(path_type=Path),
              help="Your own folder of law texts, laid out as the LawRefBook collection (Markdown, "
                   "one file per law and version): each cited article's text is attached.")
@click.option("--formats", "formats_text", default="all", show_default=True, metavar="LIST",
              help="What to write, comma-separated: jsonl (items.jsonl), nq, ttl, nt, jsonld, "
                   "graphml, gexf, nodelink (graph.*), csv (items.csv, citations.csv, "
                   "regulations.csv), store (store/, which query, validate and serve read), or "
                   "all. report.json is always written.")
@click.option("--compress", type=click.Choice(["none", "gzip", "zstd"]), default="none",
              show_default=True,
              help="Write the text outputs compressed (NAME.gz, NAME.zst); report.json and "
                   "store/ stay as they are.")
@PDF_ENGINE
def build(inputs: tuple[Path, ...], out_dir: Path, workers: int | None, scheduler: str | None,
          base: str | None, authority: tuple[Path, ...], laws: Path | None, formats_text: str,
          compress: str, pdf_engine: str) -> None:
    """Files and folders of catalogs → the graph in DIR: items.jsonl, graph.nq, graph.ttl,
    graph.nt, graph.jsonld, graph.graphml, graph.gexf, graph.nodelink.json, store/,
    report.json.

    Folders are searched recursively for catalogs of every format (hidden and temporary files
    skipped). Inputs unchanged since the last build into DIR are taken from DIR/.cache, not
    read again; a build that was interrupted picks up where it stopped.
    """
    from rich.console import Console

    from catalog_graph.batch.assemble import parse_formats
    from catalog_graph.batch.build import build as run_build
    from catalog_graph.batch.progress import BarProgress, Progress, summary_table
    from catalog_graph.graph.iris import DEFAULT_BASE, check_base
    from catalog_graph.paths import as_typed_anywhere

    try:
        base = check_base(base or DEFAULT_BASE)
    except ValueError as exc:
        fail(str(exc))
    try:
        formats = parse_formats(formats_text)
    except ValueError as exc:
        fail(f"--formats {formats_text}: {exc}")
    if out_dir.exists() and not out_dir.is_dir():
        fail(f"{out_dir}: is a file, not a folder")
    missing = [str(p) for p in inputs if not os.path.lexists(p)]
    if missing and len(missing) == len(inputs):  # nothing to build: no output folder at all
        fail(f"{missing[0]}: no such file or folder"
             + (f" (nor the {len(missing) - 1} other inputs)" if len(missing) > 1 else ""))
    problem = _unwritable(out_dir)
    if problem:
        fail(f"{out_dir}: cannot write the output folder ({problem})")
    progress = BarProgress() if sys.stderr.isatty() else Progress()
    summary = run_build([as_typed_anywhere(p) for p in inputs], out_dir, workers=workers,
                        base=base, scheduler=scheduler, progress=progress, authority=authority,
                        laws=laws, formats=formats,
                        compress=None if compress == "none" else compress, pdf_engine=pdf_engine)
    for entry in summary.failed:
        click.echo(f"catalog-graph: error: {entry['error']}", err=True)
    Console(soft_wrap=True).print(summary_table(summary))
    if summary.failed:
        sys.exit(1)


@main.command()
@click.argument("args", metavar="[DIR] [SPARQL]", nargs=-1)
@click.option("--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from F.rq.")
@click.option("--example", metavar="NAME", help="Run a bundled example query (see --list).")
@click.option("--list", "list_examples", is_flag=True, help="List the example queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "sparql-tsv", "json"]),
              default="table", show_default=True,
              help="Output format: tsv has plain values for spreadsheets, sparql-tsv the SPARQL "
                   "1.1 TSV form (?var headers, \"…\"@zh values).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Stop a query still running after SECONDS (exit 2, nothing "
              "written). Default: no limit (Ctrl-C stops it).")
def query(args: tuple[str, ...], query_file: Path | None, example: str | None,
          list_examples: bool, fmt: str, timeout: float | None) -> None:
    """SPARQL over the graph built in DIR (default out/): inline, --file F.rq or --example NAME.

    SPARQL `-` reads the query from stdin. The prefixes cg eli dcterms skos prov time rdf rdfs
    xsd owl are predeclared; the default graph is the union of all graphs.
    """
    from catalog_graph.store.query import answer, examples, query_text

    if list_examples:
        found = examples()
        width = max((len(name) for name in found), default=0)
        for name, ex in found.items():
            click.echo(f"{name.ljust(width)}  {ex.description}")
        return
    named = query_file is not None or example is not None
    if len(args) > 2 or (named and len(args) > 1):
        fail("too many arguments: give [DIR] and one of SPARQL, --file F.rq, --example NAME")
    directory, sparql = Path("out"), None
    if named:
        directory = Path(args[0]) if args else directory
    elif len(args) == 2:
        directory, sparql = Path(args[0]), args[1]
        if not directory.is_dir() and Path(args[1]).is_dir():
            directory, sparql = Path(args[1]), args[0]  # `query 'SELECT …' out/`: either order
    elif len(args) == 1:
        if Path(args[0]).is_dir():
            fail(f"no query given for {args[0]}: add SPARQL, --file F.rq or --example NAME")
        sparql = args[0]
    else:
        fail("no query given: add SPARQL, --file F.rq or --example NAME (--list lists examples)")
    if sparql == "-":
        sparql = sys.stdin.read()
    text = query_text(sparql, query_file, example)
    answer(directory, text, fmt, timeout=timeout)


@main.command()
@click.argument("directory", metavar="[DIR]", required=False, default="out",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on data-quality findings too.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=0),
              help="Rows shown per finding (text format).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes checking graphs (default: the number of cores).")
def validate(directory: Path, fmt: str, strict: bool, limit: int, workers: int | None) -> None:
    """SHACL conformance and data-quality findings of the graph built in DIR (default out/).

    Exit 1 when the graph does not conform to ontology/shapes.ttl (or, with --strict, when
    there is any finding).
    """
    import json
    import os

    from catalog_graph.store.validate import render
    from catalog_graph.store.validate import validate as run_validate

    report = run_validate(directory, workers=workers or os.cpu_count() or 1)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(report, limit), nl=False)
    if not report.conforms or (strict and any(f.rows for f in report.findings)):
        sys.exit(1)


def _write_report(text: str, output: Path | None) -> None:
    from catalog_graph.atomic import write_atomic

    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text.encode("utf-8"))


def _existing(*paths: Path) -> None:
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file")


@main.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]),
              default="table", show_default=True,
              help="table for the terminal, json (the public report), csv (one row per change), "
                   "html (the two catalogs side by side).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
def diff(old: Path, new: Path, fmt: str, output: Path | None) -> None:
    """What changed between two versions of a catalog (any formats): items added, removed,
    renamed, changed (fields and citations, compared by regulation and article), split, merged.

    Exit status 0 when nothing changed, 1 when something did, 2 on bad input.
    """
    from catalog_graph.compare import diff as run_diff
    from catalog_graph.compare.render import render_diff

    _existing(old, new)
    report = run_diff(old, new)
    _write_report(render_diff(report, fmt), output)
    sys.exit(0 if report.same else 1)


@main.command()
@click.argument("catalog", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--standard", required=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="REF", help="The standard or model catalog (any format): your copy of the "
              "field's 基层政务公开标准指引, or a model catalog.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]),
              default="table", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
def coverage(catalog: Path, standard: Path, fmt: str, output: Path | None) -> None:
    """A catalog against a standard: the standard's items it lacks, its items beyond the
    standard, and matched items whose basis lacks a regulation the standard cites there.

    Exit status 0 when the catalog covers the standard, 1 when something is lacking, 2 on bad
    input.
    """
    from catalog_graph.compare import compare_to_standard
    from catalog_graph.compare.render import render_coverage

    _existing(catalog, standard)
    report = compare_to_standard(catalog, standard)
    _write_report(render_coverage(report, fmt), output)
    sys.exit(0 if report.complete else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
