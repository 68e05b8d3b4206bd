"""Benchmark batch builds: wall time, items per second, peak memory of the build process and of
each worker process, and the speed-up from 1 to 2 workers, on generated corpora of mixed formats.

    python bench/bench_batch.py --catalogs 1000 10000 --workers 1 2 --work /tmp/cg-batch

For each corpus size, the corpus is generated once with bench/gen_corpus.py ``--mix --broken``
into WORK/corpus-N and reused by later runs. Each (size, workers) pair runs
``catalog-graph build WORK/corpus-N -o WORK/out-N-wW --workers W`` from an empty output folder,
then once more into the same folder (every input in the cache: the cost of assembling and
loading the store alone). Peak memory is each process's VmHWM (peak resident set), sampled from
/proc every 0.2 s over the build's process tree; CPU time is the build's and its workers'
(user + system), and the machine's load average is recorded, since a busy machine makes wall
times and speed-ups say little. ``--skip W`` on the largest corpus leaves out
slow pairs (e.g. ``--skip 10000:1``). Prints a Markdown table; results also go to
WORK/bench_batch.json. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIX = "txt=45,xlsx=25,html=19.5,docx=10,pdf=0.5"
BROKEN = 0.005


def ensure_corpus(folder: Path, catalogs: int, seed: int) -> None:
    """Generate the corpus unless a finished one with the same arguments is there."""
    stamp = folder.with_name(folder.name + ".done")
    wanted = f"{catalogs} {seed} {MIX} {BROKEN}\n"
    if stamp.exists() and stamp.read_text() == wanted:
        return
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(folder), "--catalogs",
                    str(catalogs), "--seed", str(seed), "--mix", MIX, "--broken", str(BROKEN)],
                   check=True)
    print(f"generated {catalogs} catalogs in {time.monotonic() - started:.0f} s", flush=True)
    stamp.write_text(wanted)


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(parents.get(pid, []))
    return out


def _peak_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run_build(corpus: Path, out: Path, workers: int) -> dict:
    """One ``catalog-graph build``; its wall time and the peak memory of each process."""
    command = [sys.executable, "-m", "catalog_graph.cli", "build", str(corpus), "-o", str(out),
               "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}
    while process.poll() is None:
        for pid in _tree(process.pid):
            peak = _peak_kib(pid)
            if peak is not None:
                peaks[pid] = max(peak, peaks.get(pid, 0))
        time.sleep(0.2)
    seconds = time.monotonic() - started
    stdout, stderr = process.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode not in (0, 1):
        raise SystemExit(f"build failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    main_peak = peaks.pop(process.pid, 0)
    return {
        "seconds": seconds,
        "inputs": len(report),
        "failed": sum(1 for r in report if r["status"] != "ok"),
        "items": sum(r["items"] for r in report),
        "triples": sum(r["triples"] for r in report),
        "main_peak_mib": main_peak / 1024,
        "worker_peak_mib": max(peaks.values(), default=0) / 1024,
        "workers_seen": len(peaks),
        "cpu_seconds": cpu,  # the build process and its workers, user + system
        "load_average": os.getloadavg()[0],  # the machine's, over the last minute
        "summary": stdout.decode(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogs", type=int, nargs="+", default=[1000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/catalog-graph-batch"))
    parser.add_argument("--skip", nargs="*", default=[], metavar="N:W",
                        help="(catalogs, workers) pairs not to run, e.g. 10000:1")
    parser.add_argument("--keep", action="store_true", help="keep the output folders")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results_path = args.work / "bench_batch.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    skip = set(args.skip)
    for catalogs in args.catalogs:
        corpus = args.work / f"corpus-{catalogs}"
        ensure_corpus(corpus, catalogs, args.seed)
        for workers in args.workers:
            if f"{catalogs}:{workers}" in skip:
                continue
            out = args.work / f"out-{catalogs}-w{workers}"
            shutil.rmtree(out, ignore_errors=True)
            fresh = run_build(corpus, out, workers)
            cached = run_build(corpus, out, workers)
            key = f"{catalogs}:{workers}"
            results[key] = {"catalogs": catalogs, "workers": workers, "fresh": fresh,
                            "cached": cached,
                            "output_mib": sum(p.stat().st_size for p in out.rglob("*")
                                              if p.is_file()) / 2**20}
            print(f"{catalogs} catalogs, {workers} workers: {fresh['seconds']:.0f} s, "
                  f"{fresh['items'] / fresh['seconds']:,.0f} items/s, build process "
                  f"{fresh['main_peak_mib']:,.0f} MiB, worker {fresh['worker_peak_mib']:,.0f} MiB; "
                  f"all cached: {cached['seconds']:.0f} s", flush=True)
            results_path.write_text(json.dumps(results, indent=2))
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
    print()
    print("| catalogs | workers | items | wall time | items/s | CPU time | peak memory: build "
          "process | peak memory: per worker | speed-up 1→2 | rebuild, all cached | load avg |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in sorted(results, key=lambda k: tuple(map(int, k.split(":")))):
        r = results[key]
        fresh, cached = r["fresh"], r["cached"]
        one = results.get(f"{r['catalogs']}:1")
        speedup = (f"{one['fresh']['seconds'] / fresh['seconds']:.2f}×"
                   if one and r["workers"] == 2 else "")
        worker = f"{fresh['worker_peak_mib']:,.0f} MiB" if fresh["workers_seen"] else "(in process)"
        print(f"| {r['catalogs']:,} | {r['workers']} | {fresh['items']:,} | "
              f"{fresh['seconds']:,.0f} s | {fresh['items'] / fresh['seconds']:,.0f} | "
              f"{fresh.get('cpu_seconds', 0):,.0f} s | {fresh['main_peak_mib']:,.0f} MiB | "
              f"{worker} | {speedup} | {cached['seconds']:,.0f} s | "
              f"{fresh.get('load_average', 0):.1f} |")


if __name__ == "__main__":
    main()
