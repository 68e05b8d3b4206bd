"""``build --scheduler`` across hosts: the scheduler, each worker and the build on hosts of their
own (network namespaces on a private LAN, tests/netns.py), the workers unable to see the corpus
or the output folder (hidden in their mount namespace): every input travels as bytes, every
result comes back over the network, and the files are byte for byte those of a local build,
with one worker host and with two."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from catalog_graph.batch.build import build  # noqa: E402
from tests.netns import Lan, netns_unavailable  # noqa: E402
from tests.support import BAD, GOOD, assert_same, make_corpus, snapshot  # noqa: E402

PORT = 8786
WAIT = 180  # seconds for workers to join


class Cluster:
    """A LAN with a scheduler host, a client host and worker hosts added on demand."""

    def __init__(self, hidden: Path) -> None:
        self.hidden = hidden  # what the workers must not see: the tests' temporary folders
        self.logs = Path(tempfile.mkdtemp(prefix="cg-hosts-"))
        self.lan = Lan()
        self.scheduler_ip = self.lan.add_host("sched")
        self.lan.add_host("client")
        self.address = f"tcp://{self.scheduler_ip}:{PORT}"
        self.lan.start("sched", [sys.executable, "-m", "dask", "scheduler", "--host",
                                 self.scheduler_ip, "--port", str(PORT), "--no-dashboard"],
                       self.logs / "scheduler.log")
        self.workers = 0

    def add_worker(self) -> str:
        """One more worker host (one process, one thread) that cannot see ``hidden``."""
        self.workers += 1
        name = f"w{self.workers}"
        ip = self.lan.add_host(name)
        scratch = self.logs / name
        scratch.mkdir()
        self.lan.start(name, [sys.executable, "-m", "dask", "worker", self.address, "--host", ip,
                              "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                              "--local-directory", str(scratch)],
                       self.logs / f"{name}.log", private=[self.hidden])
        self.wait_for(self.workers)
        return ip

    def on_client(self, code: str) -> str:
        """Python run on the client host; its output."""
        result = self.lan.run("client", [sys.executable, "-c", code], timeout=WAIT + 60)
        if result.returncode != 0:
            logs = "\n".join(p.read_text(errors="replace")[-2000:]
                             for p in sorted(self.logs.glob("*.log")))
            raise RuntimeError(result.stderr.decode(errors="replace")[-3000:] + logs)
        return result.stdout.decode()

    def wait_for(self, count: int) -> None:
        self.on_client(f"from distributed import Client\n"
                       f"with Client({self.address!r}, timeout={WAIT}) as c:\n"
                       f"    c.wait_for_workers({count}, timeout={WAIT})\n")

    def worker_hosts(self) -> list[str]:
        """The addresses of the workers the scheduler knows."""
        out = self.on_client("import json\nfrom distributed import Client\n"
                             f"with Client({self.address!r}, timeout={WAIT}) as c:\n"
                             "    print(json.dumps(sorted(w['host'] for w in "
                             "c.scheduler_info(n_workers=-1)['workers'].values())))\n")
        return json.loads(out.strip().splitlines()[-1])

    def build(self, corpus: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
        """``catalog-graph build`` run on the client host."""
        return self.lan.run("client", [sys.executable, "-m", "catalog_graph.cli", "build",
                                       str(corpus), "-o", str(out), "--scheduler", self.address,
                                       *args], timeout=900)

    def close(self) -> None:
        self.lan.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    why = netns_unavailable()
    if why is not None:
        pytest.skip(f"separate hosts need network namespaces: {why}")
    made = Cluster(tmp_path_factory.getbasetemp())
    try:
        yield made
    finally:
        made.close()
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert made.lan.tag not in left, f"namespaces left behind: {left}"


def test_worker_hosts_cannot_see_the_corpus(cluster: Cluster, tmp_path: Path) -> None:
    """The set-up itself: what the build reads is not on the workers' file system."""
    corpus = make_corpus(tmp_path / "crawl")
    if not cluster.workers:
        cluster.add_worker()
    probe = cluster.lan.command("w1", ["ls", str(corpus)], private=[cluster.hidden])
    assert subprocess.run(probe, capture_output=True).returncode != 0
    # and the workers answer from their own addresses on the LAN, not this machine's
    assert cluster.worker_hosts() == ["10.213.0.4"]


def test_one_then_two_worker_hosts_build_the_same_files_as_a_local_build(
        cluster: Cluster, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "crawl")
    local = tmp_path / "local"
    build([corpus], local, workers=1)
    if not cluster.workers:
        cluster.add_worker()

    one = tmp_path / "one"
    result = cluster.build(corpus, one)
    assert result.returncode == 1, result.stderr.decode(errors="replace")  # the bad files
    errors = [line for line in result.stderr.decode().splitlines()
              if line.startswith("catalog-graph: error:")]
    assert len(errors) == len(BAD)
    assert_same(snapshot(one), snapshot(local))

    cluster.add_worker()
    assert cluster.worker_hosts() == ["10.213.0.4", "10.213.0.5"]
    two = tmp_path / "two"
    result = cluster.build(corpus, two)
    assert result.returncode == 1, result.stderr.decode(errors="replace")
    assert_same(snapshot(two), snapshot(local))

    # compressed outputs too; and the cache filled over the network is the local one's
    packed_local, packed = tmp_path / "packed-local", tmp_path / "packed"
    build([corpus], packed_local, workers=2, compress="zstd")
    result = cluster.build(corpus, packed, "--compress", "zstd")
    assert result.returncode == 1
    names = sorted(p.name for p in packed_local.iterdir() if p.is_file())
    assert names == sorted(p.name for p in packed.iterdir() if p.is_file())
    for name in names:
        assert (packed / name).read_bytes() == (packed_local / name).read_bytes(), name
    summary = build([corpus], two, workers=1)
    assert summary.parsed == 0 and summary.cached == len(GOOD + BAD)
