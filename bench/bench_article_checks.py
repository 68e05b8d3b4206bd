"""What the article checks (issue #20) add to find + resolve: ``check_citation`` alone per
citation against ``cite`` per citation; and the same cells resolved with the checks and with them
switched off, alternately in one process (the median of several runs: noisier, as the difference
is below the noise of find + resolve).

    .venv/bin/python bench/bench_article_checks.py [--runs 11] [--repeat 30]

Cells: every 公开依据 cell of tests/data/citation_cases.json. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import catalog_graph.resolve.resolver as resolver_module  # noqa: E402
from catalog_graph.citations import find_citations  # noqa: E402
from catalog_graph.resolve import Resolver, cite  # noqa: E402
from catalog_graph.resolve.articles import check_citation  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    cases = json.loads((ROOT / "tests" / "data" / "citation_cases.json").read_text("utf-8"))
    cells = [c["text"] for c in cases["cases"] if c["text"]]
    citations = sum(len(find_citations(t)) for t in cells)
    real = resolver_module.check_citation

    def run(check) -> float:
        resolver_module.check_citation = check
        resolver = Resolver(use_env=False)
        start = time.perf_counter()
        for _ in range(args.repeat):
            for text in cells:
                resolver.resolve(find_citations(text))
        return time.perf_counter() - start

    resolver = Resolver(use_env=False)
    resolved = [c for text in cells for c in cite(text, resolver)]
    alone, whole = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        for _ in range(args.repeat):
            for c in resolved:
                c.warnings = []
                check_citation(c, resolver.structures)
        alone.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text in cells:
            cite(text, resolver)
        whole.append((time.perf_counter() - start) * args.repeat)
    per_check = statistics.median(alone) / (args.repeat * len(resolved)) * 1e6
    per_cite = statistics.median(whole) / (args.repeat * len(resolved)) * 1e6
    print(f"check_citation alone: {per_check:.1f} µs per citation; cite (find + resolve + checks): "
          f"{per_cite:.1f} µs per citation ({per_check / per_cite:.1%})")

    run(real)  # warm up: the authority and the structure data read
    on, off = [], []
    for _ in range(args.runs):
        on.append(run(real))
        off.append(run(lambda citation, structures: None))
    resolver_module.check_citation = real
    a, b = statistics.median(on), statistics.median(off)
    print(f"{len(cells)} cells, {citations} citations, {args.repeat} passes, median of {args.runs}")
    print(f"find + resolve with the article checks:    {a * 1000:.0f} ms")
    print(f"find + resolve without the article checks: {b * 1000:.0f} ms")
    print(f"ratio: {a / b:.3f}")


if __name__ == "__main__":
    main()
