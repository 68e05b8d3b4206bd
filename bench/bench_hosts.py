"""Benchmark ``build --scheduler`` across hosts: the speed-up from one worker host to two.

The hosts are network namespaces on a private LAN (tests/netns.py; needs root): a scheduler, a
client that runs the build, and worker hosts of one process and one thread each, which cannot
see the corpus or the output (hidden in their mount namespace), so every input travels as bytes.
The same corpus is built with one worker host, then with two, each from an empty folder, and
``--repeat`` times (medians); both outputs are compared byte for byte (the store by its quads).

    python bench/bench_hosts.py --catalogs 200 --work /tmp/cg-hosts

The corpus is bench/gen_corpus.py's mixed one (as bench_batch.py makes it). Not a test.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.bench_batch import ensure_corpus  # noqa: E402
from tests.netns import netns_unavailable  # noqa: E402
from tests.test_batch_hosts import Cluster  # noqa: E402


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _same(left: Path, right: Path) -> list[str]:
    """Names of the outputs that differ (the store compared by its sorted quads)."""
    import pyoxigraph as ox

    differ = []
    for path in sorted(left.iterdir()):
        if path.is_file() and not filecmp.cmp(path, right / path.name, shallow=False):
            differ.append(path.name)

    def quads(out: Path) -> list[bytes]:
        store = ox.Store.read_only(str(out / "store"))
        return sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())

    if quads(left) != quads(right):
        differ.append("store")
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/catalog-graph-hosts"))
    parser.add_argument("--compress", default=None)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="an existing folder of catalogs instead of a generated corpus")
    args = parser.parse_args()
    why = netns_unavailable()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus or args.work / f"corpus-{args.catalogs}"
    if args.corpus is None:
        ensure_corpus(corpus, args.catalogs, args.seed)
    os.environ.setdefault("PYTHONPATH", str(HERE.parent / "src"))
    cluster = Cluster(args.work if args.corpus is None else args.corpus.parent)
    extra = ["--compress", args.compress] if args.compress else []
    timings: dict[int, list[float]] = {1: [], 2: []}
    items = 0
    try:
        for hosts in (1, 2):
            while cluster.workers < hosts:
                cluster.add_worker()
            for run in range(args.repeat):
                out = args.work / f"out-{hosts}-{run}"
                shutil.rmtree(out, ignore_errors=True)
                started = time.monotonic()
                result = cluster.build(corpus, out, *extra)
                timings[hosts].append(time.monotonic() - started)
                if result.returncode not in (0, 1):
                    print(result.stderr.decode(errors="replace")[-3000:], file=sys.stderr)
                    return 1
                report = json.loads((out / "report.json").read_text(encoding="utf-8"))
                items = sum(entry["items"] for entry in report)
                print(f"{hosts} worker host(s), run {run + 1}: {timings[hosts][-1]:.1f} s, "
                      f"{items:,} items, load average {os.getloadavg()[0]:.1f}", flush=True)
        differ = _same(args.work / "out-1-0", args.work / "out-2-0")
    finally:
        cluster.close()
    one, two = _median(timings[1]), _median(timings[2])
    print(f"\n| worker hosts | wall time (median of {args.repeat}) | items/s |\n|---:|---:|---:|")
    print(f"| 1 | {one:.1f} s | {items / one:,.0f} |\n| 2 | {two:.1f} s | {items / two:,.0f} |")
    print(f"\nspeed-up 1→2 worker hosts: {one / two:.2f}×; outputs "
          + ("identical, byte for byte" if not differ else f"DIFFER: {differ}"))
    left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert cluster.lan.tag not in left, left
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
