"""Pages per second of the PDF reader, with each engine, against pdfplumber's ``extract_tables``.

All read the same catalog PDF in the same process, alternating, several times:

- **pdfium**: ``catalog_graph.readers.pdf.read`` with its default engine (PDFium through
  pypdfium2) — the whole reader: visible characters, doubled ones removed, ruled tables with
  merges, lines joined, pages stitched, title;
- **plumber-engine**: the same reader with ``engine="pdfplumber"`` (pdfminer's clip-aware
  layout: the reference the PDFium engine is tested against);
- **pdfplumber**: ``page.extract_tables()`` on every page (default ``lines`` settings).

The two engines must give the same table (checked before timing).

The PDF is the sample catalog repeated (``--copies``) as an office prints it: an .xlsx with
merged cells printed by LibreOffice (made once by tools/make_fixtures.py into out/bench/,
which needs LibreOffice), or any PDF given with ``--pdf``. The report gives the median time of
each, pages per second and the ratios to pdfplumber (the goal: pdfplumber ÷ pdfium ≥ 5).

    python bench/bench_pdf.py                 # ~40 pages, 5 runs each
    python bench/bench_pdf.py --runs 9 --pdf tests/fixtures/sample.pdf
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_pdf(copies: int) -> Path:
    """The long catalog PDF, made on first use."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_fixtures

    return make_fixtures.make_bench_pdf(ROOT / "out" / "bench", copies)


def ours(path: Path, engine: str = "pdfium"):
    from catalog_graph.readers import pdf

    return pdf.read(path, path.name, settings={"engine": engine})


def plumber_engine(path: Path):
    return ours(path, "pdfplumber")


def pdfplumber_tables(path: Path) -> int:
    import pdfplumber

    rows = 0
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            rows += sum(len(t) for t in page.extract_tables())
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, help="a PDF to read (default: the generated catalog)")
    parser.add_argument("--copies", type=int, default=16, help="sample copies in the generated PDF")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (after a warm-up)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import pdfplumber

    path = args.pdf or bench_pdf(args.copies)
    with pdfplumber.open(path) as doc:
        pages = len(doc.pages)
    if ours(path) != plumber_engine(path):
        print("the two engines read different tables", file=sys.stderr)
        return 1
    contenders = {"pdfium": ours, "plumber-engine": plumber_engine, "pdfplumber": pdfplumber_tables}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm-up: imports, font caches
        fn(path)
    for _ in range(args.runs):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn(path)
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in times.items()}
    report = {
        "pdf": str(path), "pages": pages, "runs": args.runs,
        "seconds": {name: [round(t, 3) for t in ts] for name, ts in times.items()},
        "median_seconds": {name: round(m, 3) for name, m in median.items()},
        "pages_per_second": {name: round(pages / m, 1) for name, m in median.items()},
        "speedup_over_pdfplumber": {name: round(median["pdfplumber"] / m, 2)
                                    for name, m in median.items()},
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{path.name}: {pages} pages, {args.runs} runs each (median)")
        for name in contenders:
            print(f"  {name:<15} {median[name]:7.3f} s   {pages / median[name]:6.1f} pages/s")
        for name in ("pdfium", "plumber-engine"):
            print(f"  pdfplumber / {name} = {median['pdfplumber'] / median[name]:.2f}×"
                  + ("  (goal ≥ 5)" if name == "pdfium" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
