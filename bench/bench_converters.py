"""Which long-lived LibreOffice converter: the Basic spool converter catalog-graph uses
(:mod:`catalog_graph.readers.converter`) against unoserver, and both against a cold
``soffice --convert-to`` per file, in one run, conversions interleaved (median of ``--repeat``).

    python bench/bench_converters.py --unoserver-python /tmp/unovenv/bin/python --repeat 7

unoserver needs Python-UNO: Debian's ``python3-uno`` and the system Python with the
``unoserver`` package (e.g. a venv made with ``--system-site-packages``); give that Python
with ``--unoserver-python``. Its client is plain XML-RPC, called here from this Python.
Each converter also reports its start-up (start + first conversion). Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from catalog_graph.readers import converter  # noqa: E402

FILES = [ROOT / "tests" / "fixtures" / "legacy" / n for n in ("sample.doc", "preamble.doc",
                                                              "sample.rtf")]


def cold(path: Path, profile: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}",
                        "--headless", "--convert-to", "docx", "--outdir", out, str(path)],
                       check=True, capture_output=True, timeout=300)
        seconds = time.perf_counter() - started
        assert any(Path(out).iterdir()), "no output"
    return seconds


def spool(path: Path) -> float:
    started = time.perf_counter()
    out, folder = converter.convert(path, path.name, "a document", path.suffix, ".docx",
                                    "MS Word 2007 XML")
    seconds = time.perf_counter() - started
    folder.cleanup()
    return seconds


class Unoserver:
    def __init__(self, python: str, work: Path) -> None:
        self.proc = subprocess.Popen([python, "-m", "unoserver.server", "--port", "2913",
                                      "--uno-port", "2912", "--user-installation",
                                      str(work / "uno-profile")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        self.proxy = xmlrpc.client.ServerProxy("http://127.0.0.1:2913", allow_none=True)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.proxy.info()
                return
            except (ConnectionError, OSError, xmlrpc.client.Fault):
                time.sleep(0.1)
        raise RuntimeError("unoserver did not start")

    def convert(self, path: Path) -> float:
        with tempfile.TemporaryDirectory() as out:
            target = Path(out) / "out.docx"
            started = time.perf_counter()
            self.proxy.convert(str(path), None, str(target), "docx")
            seconds = time.perf_counter() - started
            assert target.exists()
        return seconds

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unoserver-python", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cg-converters-"))
    profile = work / "cold-profile"
    cold(FILES[1], profile)  # the cold runs reuse a made profile, as a warm machine would
    started = time.perf_counter()
    spool(FILES[1])
    spool_start = time.perf_counter() - started
    started = time.perf_counter()
    uno = Unoserver(args.unoserver_python, work)
    uno.wait_ready()
    uno.convert(FILES[1])
    uno_start = time.perf_counter() - started
    times: dict[tuple[str, str], list[float]] = {}
    try:
        for _ in range(args.repeat):
            for path in FILES:
                times.setdefault(("cold", path.name), []).append(cold(path, profile))
                times.setdefault(("spool", path.name), []).append(spool(path))
                times.setdefault(("unoserver", path.name), []).append(uno.convert(path))
    finally:
        uno.stop()
        converter.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f}; median of {args.repeat}; start + first conversion: "
          f"spool {spool_start:.2f} s, unoserver {uno_start:.2f} s")
    print("| file | cold `soffice --convert-to` | spool (ours) | unoserver |")
    print("|---|---|---|---|")
    for path in FILES:
        row = [statistics.median(times[(k, path.name)]) for k in ("cold", "spool", "unoserver")]
        print(f"| {path.name} | " + " | ".join(f"{v * 1000:.0f} ms" for v in row) + " |")


if __name__ == "__main__":
    main()
