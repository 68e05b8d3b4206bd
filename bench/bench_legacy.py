"""Benchmark the legacy formats against their modern twins: per-file time of .xls against .xlsx
and of .doc against .docx (the same catalogs: tests/fixtures/legacy/sample.xls and sample.doc
are LibreOffice's saves of tests/fixtures/sample.xlsx and sample.docx), in the same run.

    python bench/bench_legacy.py --repeat 5 --batch 200 --workers 2 --work /tmp/cg-legacy

- alone: ``catalog-graph parse FILE`` as a whole process (start-up, imports, for .doc the
  LibreOffice start), median wall time of ``--repeat`` runs, formats interleaved so that the
  machine's load falls on all alike;
- in a batch: ``catalog-graph build`` of ``--batch`` copies of the file (distinct names, so
  every one is converted) with ``--workers`` workers from an empty output folder; the whole
  build's wall time divided by the number of files, median of ``--repeat // 2 + 1`` builds.
  LibreOffice starts during the .doc builds are counted through a ``soffice`` on PATH that logs
  each start.

Prints a Markdown table (with the load average, which inflates every figure on a busy
machine); results also go to WORK/bench_legacy.json. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "xlsx": ROOT / "tests" / "fixtures" / "sample.xlsx",
    "xls": ROOT / "tests" / "fixtures" / "legacy" / "sample.xls",
    "docx": ROOT / "tests" / "fixtures" / "sample.docx",
    "doc": ROOT / "tests" / "fixtures" / "legacy" / "sample.doc",
}
CLI = [sys.executable, "-c", "import sys; from catalog_graph.cli import main; sys.exit(main())"]


def _env(bin_dir: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT / "src")}


def _wrapper(work: Path) -> tuple[Path, Path]:
    """A ``soffice`` that logs each start, then runs the real one."""
    real = shutil.which("soffice")
    if real is None:
        sys.exit("LibreOffice (soffice) is needed for the .doc figures")
    bin_dir, log = work / "bin", work / "soffice-starts.log"
    bin_dir.mkdir(parents=True, exist_ok=True)
    wrapper = bin_dir / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    return bin_dir, log


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/cg-legacy"))
    args = parser.parse_args()
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    bin_dir, log = _wrapper(work)
    env = _env(bin_dir)
    alone: dict[str, list[float]] = {fmt: [] for fmt in FILES}
    for _ in range(args.repeat):
        for fmt, path in FILES.items():
            alone[fmt].append(_timed([*CLI, "parse", str(path)], env, work))
    corpora = {}
    for fmt, path in FILES.items():
        folder = work / f"batch-{fmt}"
        folder.mkdir()
        for i in range(args.batch):
            shutil.copy(path, folder / f"目录{i:04d}{path.suffix}")
        corpora[fmt] = folder
    builds = args.repeat // 2 + 1
    batch: dict[str, list[float]] = {fmt: [] for fmt in FILES}
    starts: list[int] = []
    for run in range(builds):
        for fmt, folder in corpora.items():
            out = work / f"out-{fmt}-{run}"
            before = len(log.read_text().splitlines()) if log.exists() else 0
            seconds = _timed([*CLI, "build", str(folder), "-o", str(out), "--workers",
                              str(args.workers)], env, work)
            batch[fmt].append(seconds / args.batch)
            if fmt == "doc":
                starts.append(len(log.read_text().splitlines()) - before)
            report = json.loads((out / "report.json").read_text("utf-8"))
            failed = [e for e in report if e["status"] != "ok"]
            if failed:
                sys.exit(f"{fmt}: {len(failed)} inputs failed: {failed[0]['error']}")
            shutil.rmtree(out)
    load = os.getloadavg()
    result = {
        "alone_seconds": {f: statistics.median(v) for f, v in alone.items()},
        "batch_seconds_per_file": {f: statistics.median(v) for f, v in batch.items()},
        "raw": {"alone": alone, "batch": batch}, "soffice_starts_per_doc_build": starts,
        "batch": args.batch, "workers": args.workers, "repeat": args.repeat, "loadavg": load,
    }
    (work / "bench_legacy.json").write_text(json.dumps(result, indent=2))
    a, b = result["alone_seconds"], result["batch_seconds_per_file"]
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; alone: median of "
          f"{args.repeat}; batch: {args.batch} files, {args.workers} workers, median of {builds}")
    print("| file | alone (whole process) | per file in a batch | LibreOffice starts per batch |")
    print("|---|---|---|---|")
    for fmt in FILES:
        extra = ", ".join(map(str, starts)) if fmt == "doc" else "0"
        print(f"| sample.{fmt} | {a[fmt]:.2f} s | {b[fmt] * 1000:.0f} ms | {extra} |")
    print(f"| .xls / .xlsx | {a['xls'] / a['xlsx']:.2f}× | {b['xls'] / b['xlsx']:.2f}× | |")
    print(f"| .doc / .docx | {a['doc'] / a['docx']:.2f}× | {b['doc'] / b['docx']:.2f}× | |")


if __name__ == "__main__":
    main()
