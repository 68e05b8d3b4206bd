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

``--formats``/``--compress`` are passed to the build (the output's bytes per item are recorded).
``--baseline CHECKOUT`` runs every build a second time with that checkout's ``src/`` (e.g. a
worktree at the commit before a change), interleaved with this one's, ``--repeat`` times each:
the table then gives both, their medians and the ratio, measured in the same run on the same
machine. ``--copies N`` builds N copies of the sample (raw/changzhi_education_catalog.txt)
instead of a generated corpus: the text-only throughput benchmark.

    python bench/bench_batch.py --copies 200 --workers 1 --repeat 3 --baseline ../base
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


def ensure_copies(folder: Path, copies: int) -> None:
    """``copies`` copies of the sample catalog (text), named copy0001.txt …"""
    sample = (HERE.parent / "raw" / "changzhi_education_catalog.txt").read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        path.unlink()
    for number in range(1, copies + 1):
        (folder / f"copy{number:04d}.txt").write_bytes(sample)


def run_build(corpus: Path, out: Path, workers: int, src: Path | None = None,
              extra: list[str] | None = None) -> dict:
    """One ``catalog-graph build`` (with ``src`` first on PYTHONPATH, when given); its wall time
    and the peak memory of each process."""
    command = [sys.executable, "-m", "catalog_graph.cli", "build", str(corpus), "-o", str(out),
               "--workers", str(workers), *(extra or [])]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
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
    output = sum(p.stat().st_size for p in out.rglob("*")
                 if p.is_file() and p.relative_to(out).parts[0] != ".cache")
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
        "output_bytes": output,  # every output, the store included, the cache not
        "summary": stdout.decode(),
    }


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogs", type=int, nargs="+", default=[1000])
    parser.add_argument("--copies", type=int, default=None,
                        help="N copies of the sample instead of a generated corpus")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/catalog-graph-batch"))
    parser.add_argument("--skip", nargs="*", default=[], metavar="N:W",
                        help="(catalogs, workers) pairs not to run, e.g. 10000:1")
    parser.add_argument("--formats", default=None, help="passed to build --formats")
    parser.add_argument("--compress", default=None, help="passed to build --compress")
    parser.add_argument("--baseline", type=Path, default=None, metavar="CHECKOUT",
                        help="also run each build with this checkout's src/, interleaved")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind (medians)")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="skip the second, all-cached build")
    parser.add_argument("--keep", action="store_true", help="keep the output folders")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results_path = args.work / "bench_batch.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    skip = set(args.skip)
    extra = ([f"--formats={args.formats}"] if args.formats else []) + (
        [f"--compress={args.compress}"] if args.compress else [])
    sides = [("new", None)] + ([("baseline", (args.baseline / "src").resolve())]
                               if args.baseline else [])
    sizes = [args.copies] if args.copies else args.catalogs
    for catalogs in sizes:
        if args.copies:
            corpus = args.work / f"copies-{catalogs}"
            ensure_copies(corpus, catalogs)
        else:
            corpus = args.work / f"corpus-{catalogs}"
            ensure_corpus(corpus, catalogs, args.seed)
        for workers in args.workers:
            if f"{catalogs}:{workers}" in skip:
                continue
            runs: dict[str, list[dict]] = {name: [] for name, _ in sides}
            cached: dict[str, dict] = {}
            for _ in range(args.repeat):
                for name, src in sides:  # interleaved: both see the same machine
                    out = args.work / f"out-{catalogs}-w{workers}-{name}"
                    shutil.rmtree(out, ignore_errors=True)
                    runs[name].append(run_build(corpus, out, workers, src, extra))
                    if not args.no_rebuild and name not in cached:
                        cached[name] = run_build(corpus, out, workers, src, extra)
                    if not args.keep:
                        shutil.rmtree(out, ignore_errors=True)
            for name, _ in sides:
                fresh = dict(runs[name][-1])
                fresh["seconds"] = _median([r["seconds"] for r in runs[name]])
                fresh["all_seconds"] = [r["seconds"] for r in runs[name]]
                fresh["main_peak_mib"] = max(r["main_peak_mib"] for r in runs[name])
                key = f"{'copies-' if args.copies else ''}{catalogs}:{workers}" + (
                    "" if name == "new" else ":baseline")
                results[key] = {"catalogs": catalogs, "workers": workers, "side": name,
                                "copies": bool(args.copies), "formats": args.formats,
                                "compress": args.compress, "fresh": fresh,
                                "cached": cached.get(name),
                                "output_mib": fresh["output_bytes"] / 2**20,
                                "bytes_per_item": fresh["output_bytes"] / max(fresh["items"], 1)}
                print(f"{name}: {catalogs} {'copies' if args.copies else 'catalogs'}, {workers} "
                      f"workers: {fresh['seconds']:.1f} s (median of {fresh['all_seconds']}), "
                      f"{fresh['items'] / fresh['seconds']:,.0f} items/s, build process "
                      f"{fresh['main_peak_mib']:,.0f} MiB, worker "
                      f"{fresh['worker_peak_mib']:,.0f} MiB, output "
                      f"{fresh['output_bytes'] / max(fresh['items'], 1):,.0f} bytes/item",
                      flush=True)
            if args.baseline:
                new, old = results[f"{'copies-' if args.copies else ''}{catalogs}:{workers}"], \
                    results[f"{'copies-' if args.copies else ''}{catalogs}:{workers}:baseline"]
                print(f"ratio (items/s, new / baseline): "
                      f"{old['fresh']['seconds'] / new['fresh']['seconds']:.2f}x", flush=True)
            results_path.write_text(json.dumps(results, indent=2))
    print()
    print("| catalogs | workers | side | items | wall time | items/s | CPU time | peak memory: build "
          "process | peak memory: per worker | bytes/item | rebuild, all cached | load avg |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in sorted(results):
        r = results[key]
        fresh, cached = r["fresh"], r.get("cached")
        worker = f"{fresh['worker_peak_mib']:,.0f} MiB" if fresh["workers_seen"] else "(in process)"
        print(f"| {r['catalogs']:,}{' copies' if r.get('copies') else ''} | {r['workers']} | "
              f"{r.get('side', 'new')} | {fresh['items']:,} | "
              f"{fresh['seconds']:,.1f} s | {fresh['items'] / fresh['seconds']:,.0f} | "
              f"{fresh.get('cpu_seconds', 0):,.0f} s | {fresh['main_peak_mib']:,.0f} MiB | "
              f"{worker} | {r.get('bytes_per_item', 0):,.0f} | "
              f"{cached['seconds'] if cached else 0:,.0f} s | "
              f"{fresh.get('load_average', 0):.1f} |")


if __name__ == "__main__":
    main()
