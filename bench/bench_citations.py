"""How fast citations are found and resolved, and what jieba costs to start.

    .venv/bin/python bench/bench_citations.py [--runs 7] [--repeat 20]

Texts: every 公开依据 cell of tests/data/citation_cases.json (the sample catalog's cells and
catalog-style cells around real titles and numbers). Throughput is citations per second,
the median of several runs, each run going over the cells ``--repeat`` times; start-up
costs are measured in fresh processes. Not a test: it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "citation_cases.json"


def cells() -> list[str]:
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    return [c["text"] for c in cases if c["text"]]


def throughput(texts: list[str], runners: dict[str, Callable[[str], list]], runs: int,
               repeat: int) -> dict[str, float]:
    """Median citations per second of each runner over ``runs`` runs; the runners take turns
    within each run, so a busy machine slows them alike."""
    per_pass = {name: sum(len(run(t)) for t in texts) for name, run in runners.items()}  # warm
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(runs):
        for name, run in runners.items():
            start = time.perf_counter()
            for _ in range(repeat):
                for t in texts:
                    run(t)
            rates[name].append(per_pass[name] * repeat / (time.perf_counter() - start))
    return {name: statistics.median(r) for name, r in rates.items()}


def in_fresh_process(code: str, env: dict[str, str] | None = None, runs: int = 3) -> float:
    """Median seconds a snippet reports (it prints one float), each in a new interpreter."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, **(env or {})})
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


TIME = "import time\nt = time.perf_counter()\n"
DONE = "print(time.perf_counter() - t)\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from catalog_graph.citations import find_citations
    from catalog_graph.resolve import Resolver, cite

    texts = cells()
    marked = [t for t in texts if "《" in t or "〈" in t]
    resolver = Resolver(use_env=False)
    rows: list[tuple[str, str]] = []
    for label, subset in (("all cells", texts), ("cells with 《》 only", marked)):
        rates = throughput(subset, {"find": find_citations, "cite": lambda t: cite(t, resolver)},
                           args.runs, args.repeat)
        n = sum(len(find_citations(t)) for t in subset)
        rows.append((f"find_citations, {label} ({len(subset)} cells, {n} citations)",
                     f"{rates['find']:,.0f} citations/s"))
        rows.append((f"cite (find + resolve), {label}", f"{rates['cite']:,.0f} citations/s"))

    with tempfile.TemporaryDirectory() as cold:
        jieba_init = (TIME + "from catalog_graph.citations.titles import jieba_tokenizer\n"
                      "jieba_tokenizer()\n" + DONE)
        first = in_fresh_process(jieba_init, {"CATALOG_GRAPH_CACHE": cold}, runs=1)
        warm = in_fresh_process(jieba_init, {"CATALOG_GRAPH_CACHE": cold})
    rows += [
        ("import catalog_graph.citations.find (fresh process)",
         f"{in_fresh_process(TIME + 'import catalog_graph.citations.find' + chr(10) + DONE) * 1000:.0f} ms"),
        ("import jieba (fresh process)",
         f"{in_fresh_process(TIME + 'import jieba' + chr(10) + DONE) * 1000:.0f} ms"),
        ("jieba ready, no cache yet (first run on a machine)", f"{first * 1000:.0f} ms"),
        ("jieba ready, from its cache", f"{warm * 1000:.0f} ms"),
        ("Resolver() the first time (authority files read)",
         f"{in_fresh_process(TIME + 'from catalog_graph.resolve.resolver import Resolver' + chr(10) + 'Resolver(use_env=False)' + chr(10) + DONE) * 1000:.0f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 20}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
