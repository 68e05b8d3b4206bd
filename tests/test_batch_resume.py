"""A build killed at any moment (a real SIGKILL of the running command) and run again ends with
exactly the files of a build never interrupted, and leaves nothing behind."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from catalog_graph.batch.build import build
from catalog_graph.batch.cache import CACHE_DIR, ENTRIES_DIR
from tests.support import COUNTY, FIXTURES, SAMPLE, assert_same, snapshot

LIMIT = 300  # seconds any one build may take before the test calls it hung


def make_corpus(root: Path) -> Path:
    """Eleven catalogs in three formats, one broken file."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(4):
        shutil.copy(SAMPLE, root / f"changzhi_{n}.txt")
    for n in range(2):
        shutil.copy(FIXTURES / "sample.xlsx", root / f"sample_{n}.xlsx")
        shutil.copy(FIXTURES / "sample.html", root / f"sample_{n}.html")
    shutil.copy(FIXTURES / "levels.xlsx", root / "levels.xlsx")
    (root / "county.txt").write_text(COUNTY, encoding="utf-8")
    shutil.copy(FIXTURES / "broken" / "truncated.docx", root / "broken.docx")
    return root


def start_build(corpus: Path, out: Path, workers: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "catalog_graph.cli", "build", str(corpus),
                             "-o", str(out), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_when(process: subprocess.Popen, condition: Callable[[], bool]) -> bool:
    """SIGKILL the build as soon as ``condition`` holds; False when it finished first.

    Its worker processes are not killed: they must go away by themselves.
    """
    deadline = time.monotonic() + LIMIT
    workers: set[int] = set()
    while process.poll() is None:
        workers |= children(process.pid)
        if condition():
            process.kill()
            process.wait()
            orphans = deadline + 60
            while any(alive(pid) for pid in workers):
                assert time.monotonic() < orphans, "worker processes outlived the killed build"
                time.sleep(0.05)
            return True
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError("the build hung")
        time.sleep(0.002)
    return False


def finish(corpus: Path, out: Path, workers: int) -> None:
    process = start_build(corpus, out, workers)
    try:
        _, stderr = process.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError("the build hung") from None
    assert process.returncode == 1, stderr.decode()  # broken.docx fails, the rest is built


def entries(out: Path) -> int:
    folder = out / CACHE_DIR / ENTRIES_DIR
    return sum(1 for p in folder.glob("[0-9a-f]*")) if folder.is_dir() else 0


def exists(out: Path, pattern: str) -> Callable[[], bool]:
    return lambda: out.is_dir() and any(out.glob(pattern))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("resume") / "corpus")


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "out"
    build([corpus], out, workers=1)
    return snapshot(out)


def test_killed_while_reading_writing_and_loading_then_resumed(corpus: Path, tmp_path: Path,
                                                                reference: dict[str, bytes]) -> None:
    out = tmp_path / "out"
    points = [  # each later in a build than the one before, so never met by what it left
        ("reading: two inputs cached", lambda: entries(out) >= 2),
        ("items.jsonl written, the rest not", exists(out, "items.jsonl")),
        ("graph files written, the store still loading", exists(out, "graph.gexf")),
    ]
    for what, condition in points:
        assert kill_when(start_build(corpus, out, workers=2), condition), f"never {what}"
    finish(corpus, out, workers=2)
    assert_same(snapshot(out), reference)


def test_killed_at_random_moments_over_an_older_build_then_resumed(corpus: Path, tmp_path: Path,
                                                                   reference: dict[str, bytes]) -> None:
    older = tmp_path / "older"
    shutil.copytree(corpus, older)
    (older / "changzhi_0.txt").write_text(COUNTY, encoding="utf-8")  # since changed
    shutil.copy(SAMPLE, older / "gone.txt")  # since removed
    (older / "sample_1.html").unlink()  # since added
    out = tmp_path / "out"
    build([older], out, workers=1)
    shutil.rmtree(older)
    older.mkdir()
    for path in corpus.iterdir():  # the corpus, now at the old inputs' path
        shutil.copy(path, older / path.name)

    started = time.monotonic()
    finish(older, tmp_path / "timing", workers=1)
    seconds = time.monotonic() - started
    rng = random.Random(6)
    for _ in range(3):
        delay = rng.uniform(0.3, seconds)
        deadline = time.monotonic() + delay
        kill_when(start_build(older, out, workers=1), lambda d=deadline: time.monotonic() > d)
    finish(older, out, workers=1)
    expected = tmp_path / "expected"
    build([older], expected, workers=1)
    assert_same(snapshot(out), snapshot(expected))


def test_a_kill_between_the_two_renames_of_the_store_is_repaired(corpus: Path, tmp_path: Path,
                                                                 reference: dict[str, bytes]) -> None:
    """What a kill leaves after ``store/`` was moved aside and before the new one moved in."""
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    (out / "store").rename(out / ".store.old-4242")
    shutil.copytree(out / ".store.old-4242", out / ".store.tmp-4242")
    (out / ".report.json.x1y2.tmp").write_text("[", encoding="utf-8")
    (out / CACHE_DIR / ENTRIES_DIR / ".0123abcd.x1y2.tmp").write_bytes(b"half")
    finish(corpus, out, workers=1)
    assert_same(snapshot(out), reference)
