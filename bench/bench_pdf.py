"""Pages per second of the PDF reader against pdfplumber's own ``extract_tables``.

Both read the same long catalog PDF in the same process, alternating, several times:

- **ours**: ``catalog_graph.readers.pdf.read`` — the whole reader: clip-aware layout, doubled
  characters removed, ruled tables with merges, lines joined, pages stitched, title;
- **pdfplumber**: ``page.extract_tables()`` on every page (default ``lines`` settings).

The PDF is the sample catalog repeated (``--copies``) as an office prints it: an .xlsx with
merged cells printed by LibreOffice (made once by tools/make_fixtures.py into out/bench/,
which needs LibreOffice), or any PDF given with ``--pdf``. The report gives the median time of
each, pages per second and ours/pdfplumber (the goal: at most 1.25).

    python bench/bench_pdf.py                 # ~40 pages, 5 runs each
    python bench/bench_pdf.py --runs 9 --pdf some_catalog.pdf
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


def ours(path: Path) -> int:
    from catalog_graph.readers import pdf

    return len(pdf.read(path, path.name).rows)


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
    contenders = {"ours": ours, "pdfplumber": pdfplumber_tables}
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
        "ratio_ours_to_pdfplumber": round(median["ours"] / median["pdfplumber"], 3),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{path.name}: {pages} pages, {args.runs} runs each (median)")
        for name in contenders:
            print(f"  {name:<11} {median[name]:7.3f} s   {pages / median[name]:6.1f} pages/s")
        print(f"  ours / pdfplumber = {report['ratio_ours_to_pdfplumber']:.3f}  (goal ≤ 1.25)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
