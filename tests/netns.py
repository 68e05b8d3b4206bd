"""Hosts on a private network, for Dask builds across machines (tests/test_batch_hosts.py,
bench/bench_hosts.py): Linux network namespaces joined by veth pairs to a bridge.

Each host is a network namespace with its own loopback and one address on the LAN
(10.213.0.N/24); the LAN's bridge lives in a namespace of its own, so nothing is added to the
machine's own network, and addresses, routes and firewall rules of the machine play no part. A
host's processes are started with ``ip netns exec``; with ``private=`` folders, in a mount
namespace of their own where those folders are hidden under an empty tmpfs: a worker host then
cannot read the corpus or the output folder, and gets every input as bytes over the network.
:meth:`Lan.close` stops every process started on the LAN and deletes the namespaces (which
deletes their interfaces). Needs root and ``ip`` (iproute2).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path


def netns_unavailable() -> str | None:
    """Why network namespaces cannot be made here, or None when they can."""
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2)"
    if os.geteuid() != 0:
        return "making network namespaces needs root"
    if shutil.which("unshare") is None:
        return "no `unshare` command (util-linux)"
    probe = f"cg-probe-{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Lan:
    """A bridge and hosts on it; see the module docstring."""

    SUBNET = "10.213.0"

    def __init__(self, tag: str | None = None) -> None:
        self.tag = tag or str(os.getpid())
        self.switch = f"cg-lan-{self.tag}"
        self.hosts: dict[str, str] = {}  # name → address
        self.processes: list[subprocess.Popen] = []
        self.namespaces: list[str] = []
        _ip("netns", "add", self.switch)
        self.namespaces.append(self.switch)
        self._in(self.switch, "link", "add", "br0", "type", "bridge")
        self._in(self.switch, "link", "set", "br0", "up")

    def _in(self, namespace: str, *args: str) -> None:
        _ip("-n", namespace, *args)

    def namespace(self, host: str) -> str:
        return f"cg-{host}-{self.tag}"

    def add_host(self, host: str) -> str:
        """A new host on the LAN; its address."""
        number = len(self.hosts) + 2
        address = f"{self.SUBNET}.{number}"
        namespace = self.namespace(host)
        _ip("netns", "add", namespace)
        self.namespaces.append(namespace)
        outside, inside = f"cgv{number}-{self.tag}"[:15], "eth0"
        _ip("link", "add", outside, "type", "veth", "peer", "name", f"{outside}p"[:15])
        _ip("link", "set", outside, "netns", self.switch)
        _ip("link", "set", f"{outside}p"[:15], "netns", namespace)
        self._in(self.switch, "link", "set", outside, "master", "br0")
        self._in(self.switch, "link", "set", outside, "up")
        self._in(namespace, "link", "set", f"{outside}p"[:15], "name", inside)
        self._in(namespace, "addr", "add", f"{address}/24", "dev", inside)
        self._in(namespace, "link", "set", inside, "up")
        self._in(namespace, "link", "set", "lo", "up")
        self.hosts[host] = address
        return address

    def command(self, host: str, args: Sequence[str], private: Sequence[Path] = ()) -> list[str]:
        """``args`` as run on ``host`` (``private``: folders it must not see)."""
        prefix = ["ip", "netns", "exec", self.namespace(host)]
        if not private:
            return [*prefix, *args]
        mounts = " && ".join(f"mount -t tmpfs -o size=1m,mode=0700 none {_quote(str(p))}"
                             for p in private)
        return [*prefix, "unshare", "--mount", "--propagation", "private", "sh", "-c",
                f'{mounts} && exec "$@"', "sh", *args]

    def start(self, host: str, args: Sequence[str], log: Path, env: dict[str, str] | None = None,
              private: Sequence[Path] = ()) -> subprocess.Popen:
        """A process on ``host``, in a session of its own, its output to ``log``."""
        with open(log, "ab") as out:
            process = subprocess.Popen(self.command(host, args, private), stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True,
                                       env={**os.environ, **(env or {})})
        self.processes.append(process)
        return process

    def run(self, host: str, args: Sequence[str], env: dict[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(host, args), capture_output=True, timeout=timeout,
                              env={**os.environ, **(env or {})})

    def close(self) -> None:
        """Stop every process started on the LAN, then delete its namespaces."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        for namespace in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        self.namespaces.clear()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
