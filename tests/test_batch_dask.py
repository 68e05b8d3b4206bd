"""``build --scheduler``: the same build on a real Dask cluster (a ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1) gives the same files as a local build."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from click.testing import CliRunner  # noqa: E402

from catalog_graph.batch.build import build  # noqa: E402
from catalog_graph.cli import main  # noqa: E402
from tests.support import (
    BAD,
    COUNTY,
    GOOD,
    LOCAL_AUTHORITY,
    LOCAL_RULES,
    SAMPLE,
    assert_same,
    in_authority,
    make_corpus,
    snapshot,
)

START_LIMIT = 120  # seconds for the cluster to come up


def start_cluster(work: Path, env: dict[str, str] | None = None,
                  workers: int = 2) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and ``workers`` worker processes; their address and processes."""
    work.mkdir(parents=True, exist_ok=True)
    address_file = work / "scheduler.json"
    log = open(work / "cluster.log", "ab")  # noqa: SIM115 - closed with the processes
    common = {"stdout": log, "stderr": subprocess.STDOUT, "start_new_session": True,
              "env": {**os.environ, **(env or {})}}
    scheduler = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1",
                                  "--port", "0", "--no-dashboard", "--scheduler-file",
                                  str(address_file)], **common)
    processes = [scheduler]
    deadline = time.monotonic() + START_LIMIT
    while not address_file.exists():
        if scheduler.poll() is not None or time.monotonic() > deadline:
            stop(processes)
            raise RuntimeError((work / "cluster.log").read_text(errors="replace"))
        time.sleep(0.1)
    address = json.loads(address_file.read_text())["address"]
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "dask", "worker", address, "--nworkers", str(workers),
         "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
         "--local-directory", str(work / "workers")], **common))
    from distributed import Client

    with Client(address, timeout=START_LIMIT) as client:
        client.wait_for_workers(workers, timeout=START_LIMIT)
    return address, processes


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop the processes this test started (workers first), killing what does not stop."""
    for process in reversed(processes):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in reversed(processes):
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    address, processes = start_cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield address
    finally:
        stop(processes)


def test_a_dask_cluster_builds_the_same_files_as_local_processes(cluster: str,
                                                                 tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "crawl")
    local = tmp_path / "local"
    build([corpus], local, workers=1)

    out = tmp_path / "dask"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "--scheduler", cluster])
    assert result.exit_code == 1, result.output  # the bad files
    assert_same(snapshot(out), snapshot(local))
    errors = [line for line in result.stderr.splitlines() if line.startswith("catalog-graph: error:")]
    assert len(errors) == len(BAD)

    # and the cache it filled is the local build's: nothing is read again
    summary = build([corpus], out, workers=1)
    assert summary.parsed == 0 and summary.cached == len(GOOD + BAD)


def test_authority_files_are_sent_to_the_cluster(cluster: str, tmp_path: Path) -> None:
    """The workers have no copy of --authority files: each task carries them."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "county.txt").write_text(
        COUNTY.replace("《政府信息公开条例》第二十条第一款第（五）项", LOCAL_RULES), encoding="utf-8")
    shutil.copy(SAMPLE, tmp_path / "in" / "changzhi.txt")
    authority = tmp_path / "private" / "local.csv"
    authority.parent.mkdir()
    authority.write_text(LOCAL_AUTHORITY, encoding="utf-8")
    local = tmp_path / "local"
    build([tmp_path / "in"], local, workers=1, authority=[authority])
    out = tmp_path / "dask"
    build([tmp_path / "in"], out, scheduler=cluster, authority=[authority])
    assert_same(snapshot(out), snapshot(local))
    assert in_authority(out, "长治市教育局政务公开工作规定") == ["true"]


def test_workers_set_up_differently_are_refused(tmp_path: Path) -> None:
    """A worker reading another authority would give other results: the build stops, exit 2."""
    extra = tmp_path / "extra.csv"
    extra.write_text("title,doc_number\n某县教育局政务公开工作规定,县教发〔2023〕1号\n", encoding="utf-8")
    address, processes = start_cluster(tmp_path / "dask", env={"CATALOG_GRAPH_AUTHORITY": str(extra)},
                                       workers=1)
    try:
        corpus = make_corpus(tmp_path / "crawl")
        result = CliRunner().invoke(main, ["build", str(corpus / "b"), "-o", str(tmp_path / "out"),
                                           "--scheduler", address])
    finally:
        stop(processes)
    assert result.exit_code == 2, result.output
    assert "another version of catalog-graph" in result.stderr
    assert "Traceback" not in result.stderr
