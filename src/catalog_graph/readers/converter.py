"""One long-lived LibreOffice per process, converting Word 97-2003 (.doc, .wps) and RTF files
to .docx for the docx reader.

Starting LibreOffice takes 1-4 s; converting a file in a running one a tenth of that. So a
process (the command, or each worker of a build) starts one headless ``soffice`` the first time
it needs it and keeps it: a small Basic macro (``converter.xba``, installed in the process's own
LibreOffice profile) polls a spool folder for jobs and answers each with ``.done`` or ``.err``.
No Python-UNO is needed on either side. Every conversion:

- runs in its own temporary folder (the input copied in as ``input.doc``, the output written
  beside it), never beside the input, removed afterwards;
- has a time limit (:data:`TIMEOUT`, ``CATALOG_GRAPH_CONVERT_TIMEOUT`` seconds): a conversion
  that does not finish in time gets LibreOffice's whole process group killed, fails that input
  with one line, and the next conversion starts a fresh LibreOffice;
- runs under a memory bound: LibreOffice is started with an address-space limit
  (:data:`MEMORY`, ``CATALOG_GRAPH_CONVERT_MEMORY_MB``), so a file that makes it grow without
  end aborts it, not the machine. A LibreOffice that dies fails the input it was converting and
  is started again for the next.

LibreOffice is recycled after :data:`RECYCLE` conversions (it grows by about 2 MB a file) and
stopped when the process exits; one left behind by a killed process stops itself after
:data:`IDLE` seconds without work or as soon as its spool folder is gone. :data:`starts` counts
the LibreOffice starts of this process.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from catalog_graph.errors import CatalogError

TIMEOUT = float(os.environ.get("CATALOG_GRAPH_CONVERT_TIMEOUT", "60"))
MEMORY = int(os.environ.get("CATALOG_GRAPH_CONVERT_MEMORY_MB", "2048")) * 1024 * 1024
RECYCLE = 200  # conversions before LibreOffice is restarted
IDLE = 300  # seconds without work before an orphaned LibreOffice stops itself
START_TIMEOUT = 120  # seconds for the first start (it writes a new profile)
DEBIAN_PACKAGE = "libreoffice-writer-nogui"
_MODULE = Path(__file__).with_name("converter.xba")

starts = 0
"""How many times this process started LibreOffice (a profile's first run included)."""


class ConversionError(Exception):
    """A conversion failed; the message says why (one line)."""


def soffice() -> str | None:
    """The LibreOffice program, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_message(what: str) -> str:
    """What to say when LibreOffice is needed for ``what`` and missing."""
    return (f"is {what}, which is read through LibreOffice, and LibreOffice is not installed: "
            f"install the Debian package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE})")


class Converter:
    """One headless LibreOffice and its spool folder and profile (see the module docstring)."""

    def __init__(self, program: str) -> None:
        self.program = program
        self.home = Path(tempfile.mkdtemp(prefix="catalog-graph-soffice-"))
        self.spool = self.home / "spool"
        self.profile = self.home / "profile"
        self.proc: subprocess.Popen | None = None
        self.jobs = 0
        self.lock = threading.Lock()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _run(self, args: list[str], wait: float | None) -> subprocess.Popen:
        global starts
        starts += 1
        limit = MEMORY

        def bounded() -> None:  # in the child: inherited by oosplash and soffice.bin
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        proc = subprocess.Popen([self.program, f"-env:UserInstallation={self.profile.as_uri()}",
                                 "--headless", "--invisible", "--norestore", "--nologo",
                                 "--nodefault", "--nolockcheck", *args],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, preexec_fn=bounded,
                                start_new_session=True)
        if wait is not None:
            try:
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                _kill(proc)
                raise ConversionError(f"LibreOffice did not start within {wait:.0f} s") from None
        return proc

    def start(self) -> None:
        """Start LibreOffice serving the spool folder (its profile made on the first start)."""
        self.spool.mkdir(parents=True, exist_ok=True)
        (self.spool / "STOP").unlink(missing_ok=True)
        module = self.profile / "user" / "basic" / "Standard" / "CatalogGraph.xba"
        if not module.exists():
            self._run(["--terminate_after_init"], wait=START_TIMEOUT)
            library = module.parent / "script.xlb"
            if not library.exists():
                raise ConversionError("LibreOffice made no profile (is it installed whole?)")
            text = library.read_text("utf-8")
            if "CatalogGraph" not in text:
                text = text.replace("</library:library>",
                                    ' <library:element library:name="CatalogGraph"/>\n'
                                    "</library:library>")
                library.write_text(text, "utf-8")
            shutil.copyfile(_MODULE, module)
        polls = int(IDLE * 100)  # the macro waits 10 ms between polls
        self.proc = self._run([f'macro:///Standard.CatalogGraph.Serve("{self.spool}", {polls})'],
                              wait=None)
        self.jobs = 0

    def convert(self, source: Path, target: Path, filter_name: str, timeout: float) -> None:
        """Convert ``source`` to ``target`` with LibreOffice's export filter ``filter_name``;
        ConversionError when it fails, hangs (LibreOffice is then killed) or LibreOffice dies."""
        with self.lock:
            if self.jobs >= RECYCLE:
                self.stop()
            if not self.alive():
                self.start()
            self.jobs += 1
            job = uuid.uuid4().hex
            pending = self.spool / f"{job}.part"
            pending.write_text(f"{source}\n{target}\n{filter_name}\n", "utf-8")
            pending.rename(self.spool / f"{job}.job")
            done, err = self.spool / f"{job}.done", self.spool / f"{job}.err"
            deadline = time.monotonic() + timeout
            pause = 0.002
            while time.monotonic() < deadline:
                if done.exists():
                    done.unlink()
                    return
                if err.exists():
                    message = err.read_text("utf-8", errors="replace").strip()
                    err.unlink()
                    raise ConversionError(f"LibreOffice could not open it ({message})")
                if not self.alive():
                    self.proc = None
                    raise ConversionError("LibreOffice crashed converting it")
                time.sleep(pause)
                pause = min(pause * 1.5, 0.02)
            self.kill()
            (self.spool / f"{job}.job").unlink(missing_ok=True)
            raise ConversionError(f"LibreOffice did not convert it within {timeout:.0f} s "
                                  "(stopped)")

    def kill(self) -> None:
        if self.proc is not None:
            _kill(self.proc)
            self.proc = None

    def stop(self) -> None:
        """Ask LibreOffice to finish, kill it if it does not."""
        if self.proc is None:
            return
        if self.alive():
            (self.spool / "STOP").touch()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


def _kill(proc: subprocess.Popen) -> None:
    """Kill a LibreOffice and everything it started (oosplash, soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait long
        pass


_converter: Converter | None = None
_guard = threading.Lock()


def convert(path: Path, display: str, what: str, suffix: str, target_suffix: str,
            filter_name: str, timeout: float | None = None) -> tuple[Path, tempfile.TemporaryDirectory]:
    """``path`` converted by this process's LibreOffice: the output's path, in a temporary
    folder the caller cleans up (``.cleanup()``). CatalogError naming ``display`` when
    LibreOffice is missing or the conversion fails."""
    global _converter
    program = soffice()
    if program is None:
        raise CatalogError(display, missing_message(what), "unsupported")
    folder = tempfile.TemporaryDirectory(prefix="catalog-graph-convert-")
    try:
        source = Path(folder.name) / f"input{suffix}"
        target = Path(folder.name) / f"output{target_suffix}"
        shutil.copyfile(path, source)
        with _guard:
            if _converter is None or _converter.program != program:
                if _converter is not None:
                    _converter.close()
                else:
                    atexit.register(shutdown)
                _converter = Converter(program)
            converter = _converter
        converter.convert(source, target, filter_name, TIMEOUT if timeout is None else timeout)
        if not target.exists() or target.stat().st_size == 0:
            raise ConversionError("LibreOffice wrote nothing")
    except ConversionError as exc:
        folder.cleanup()
        raise CatalogError(display, f"is {what} that could not be converted: {exc}",
                           "corrupt") from None
    except BaseException:
        folder.cleanup()
        raise
    return target, folder


def shutdown() -> None:
    """Stop this process's LibreOffice, if it started one."""
    global _converter
    with _guard:
        if _converter is not None:
            _converter.close()
            _converter = None
