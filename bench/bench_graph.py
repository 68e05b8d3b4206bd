"""Benchmark the graph: build time, triples per second, and every example query's latency in the
pyoxigraph store against plain rdflib in memory, on the same data (a generated corpus).

    python bench/bench_graph.py --catalogs 800 --workers 2 --work /tmp/cg-bench

Generates the corpus with bench/gen_corpus.py (if WORK/corpus does not hold it yet), builds it with
``catalog_graph.batch.build``, loads graph.nq into an rdflib Dataset (default graph = union, as the store
queries), then runs each example query in rounds — ``--runs`` times in the store, once in rdflib,
``--runs`` times in the store again — ``--rdflib-runs`` rounds (one when rdflib takes longer than
``--slow`` seconds; rdflib is stopped after ``--limit`` seconds), reading every row, so that a busy
machine slows both alike, and prints the medians and their ratio as a Markdown table. Results also go to WORK/bench.json. Not a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def ensure_corpus(folder: Path, catalogs: int, seed: int) -> None:
    if folder.is_dir() and len(list(folder.glob("*.txt"))) == catalogs:
        return
    subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(folder), "--catalogs",
                    str(catalogs), "--seed", str(seed)], check=True)


def query_runs(run, runs: int, slow: float) -> tuple[list[float], int]:
    """Times of ``runs`` runs (one when the first is slower than ``slow``) and the row count."""
    times: list[float] = []
    rows = -1
    for _ in range(runs):
        seconds, rows = timed(run)
        times.append(seconds)
        if seconds > slow:
            break
    return times, rows


def forked_runs(run, runs: int, slow: float, limit: float) -> tuple[list[float], int, bool]:
    """Like :func:`query_runs`, each run in a forked child (sharing the loaded data copy-on-write)
    that is killed after ``limit`` seconds; returns (times, rows, finished)."""
    import signal

    times: list[float] = []
    rows = -1
    for _ in range(runs):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: run once, report, leave without cleanup
            os.close(read)
            seconds, count = timed(run)
            os.write(write, json.dumps([seconds, count]).encode())
            os._exit(0)
        os.close(write)
        start = time.perf_counter()
        while True:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() - start > limit:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(read)
                return [limit], rows, False
            time.sleep(0.05)
        with os.fdopen(read, "rb") as fh:
            seconds, rows = json.loads(fh.read() or b"[0, -1]")
        times.append(seconds)
        if seconds > slow:
            break
    return times, rows, True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogs", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3,
                        help="store runs before and after each rdflib run")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="runs per query in rdflib")
    parser.add_argument("--slow", type=float, default=60.0,
                        help="seconds after which a query is not run again")
    parser.add_argument("--limit", type=float, default=600.0,
                        help="seconds after which an rdflib query is stopped (reported as > limit)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/catalog-graph-bench"))
    parser.add_argument("--skip-build", action="store_true", help="reuse WORK/out")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these example queries")
    args = parser.parse_args()

    from catalog_graph.batch.build import build
    from catalog_graph.store.db import open_store, run_query
    from catalog_graph.store.query import examples

    corpus, out = args.work / "corpus", args.work / "out"
    ensure_corpus(corpus, args.catalogs, args.seed)
    results: dict = {"catalogs": args.catalogs, "workers": args.workers}
    if not args.skip_build:
        seconds, summary = timed(build, [corpus], out, workers=args.workers)
        results.update(build_seconds=seconds, triples=summary.triples, items=summary.items,
                       regulations=summary.regulations, triples_per_second=summary.triples / seconds)
        print(f"build: {args.catalogs} catalogs, {summary.items} items, {summary.triples} triples "
              f"in {seconds:.1f} s with {args.workers} workers = {summary.triples / seconds:,.0f} triples/s",
              flush=True)
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    results["file_sizes"] = sizes

    store = open_store(out)
    import rdflib

    gc.collect()
    dataset = rdflib.Dataset(default_union=True)
    seconds, _ = timed(dataset.parse, str(out / "graph.nq"), format="nquads")
    results["rdflib_load_seconds"] = seconds
    print(f"rdflib: parsed graph.nq ({len(dataset):,} triples in the union) in {seconds:.1f} s",
          flush=True)

    rows = []
    for name, example in examples().items():
        if args.only and name not in args.only:
            continue
        sparql = example.sparql
        ox_times: list[float] = []
        rdf_times: list[float] = []
        finished = True
        ox_rows = rdf_rows = -1
        # rounds of (store, rdflib, store) so that a busy machine slows both alike
        for _ in range(args.rdflib_runs):
            times, ox_rows = query_runs(lambda s=sparql: len(list(run_query(store, s))),
                                        args.runs, args.slow)
            ox_times += times
            times, rdf_rows, finished = forked_runs(lambda s=sparql: len(list(dataset.query(s))),
                                                    1, args.slow, args.limit)
            rdf_times += times
            times, ox_rows = query_runs(lambda s=sparql: len(list(run_query(store, s))),
                                        args.runs, args.slow)
            ox_times += times
            if not finished or rdf_times[-1] > args.slow:
                break
        ox_ms = statistics.median(ox_times) * 1000
        rdf_ms = statistics.median(rdf_times) * 1000
        row = {"query": name, "rows": ox_rows, "rdflib_rows": rdf_rows, "pyoxigraph_ms": ox_ms,
               "pyoxigraph_runs": len(ox_times), "rdflib_ms": rdf_ms, "rdflib_runs": len(rdf_times),
               "ratio": rdf_ms / ox_ms if ox_ms else float("inf"), "rdflib_finished": finished}
        rows.append(row)
        print(f"  {name}: {ox_ms:.1f} ms vs {'' if finished else '> '}{rdf_ms:.0f} ms "
              f"({'' if finished else '> '}{row['ratio']:.0f}x)", flush=True)
    results["queries"] = rows

    print()
    print("| query | rows | pyoxigraph (ms, median) | rdflib (ms, median) | rdflib / pyoxigraph |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        same = "" if r["rows"] == r["rdflib_rows"] or not r["rdflib_finished"] else f" (rdflib: {r['rdflib_rows']})"
        more = "" if r["rdflib_finished"] else "> "
        print(f"| {r['query']} | {r['rows']}{same} | {r['pyoxigraph_ms']:.1f} | "
              f"{more}{r['rdflib_ms']:,.0f} (n={r['rdflib_runs']}) | {more}{r['ratio']:,.0f}× |")
    ratios = [r["ratio"] for r in rows]
    print(f"\nslowest ratio {min(ratios):,.0f}×, median {statistics.median(ratios):,.0f}×")
    (args.work / ("bench-only.json" if args.only else "bench.json")).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
