"""The long fuzzing run: what the test suite checks in seconds, for as long as you let it.

Three campaigns, each in child processes limited to 2 GB of memory, each input under an alarm:

``properties``
    the property tests of tests/test_fuzz_readers.py with ``CATALOG_GRAPH_FUZZ_EXAMPLES`` raised,
    and the citation and layout properties (spans point into the text, nothing but CatalogError
    escapes, the same input gives the same output) over many more examples than the suite runs.
``files``
    mutation fuzzing: seed files of every format (tests/fixtures, tests/hostile, the sample) cut,
    overwritten, spliced and repeated, then read by ``parse_file``. A crash (an exception other
    than CatalogError), a hang (no answer within ``--hang`` seconds), a dead child (out of memory)
    or an error of more than one line is a finding.
``long``
    long texts for the citation extractor and the layout: fragments of real 公开依据 text
    repeated and mixed up to ``--length`` characters. A text taking more than ``--slow`` seconds
    is a finding (something in the extractor grows faster than the text).

Findings are written to ``--out`` (default ``fuzz-findings/``): the input and what happened. Rerun
a file finding with ``catalog-graph --debug parse FILE``.

Usage::

    python tools/fuzz.py                           # all three, 10 minutes in all
    python tools/fuzz.py --minutes 60 files        # one campaign for an hour
    python tools/fuzz.py --examples 20000 properties
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEMORY = 2 * 1024 ** 3

# A child that parses the files named on its stdin, one JSON answer per line.
FILE_CHILD = r"""
import json, resource, signal, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from pathlib import Path
from catalog_graph.errors import CatalogError
from catalog_graph.pipeline import parse_file

def alarm(signum, frame):
    raise TimeoutError("hung")

signal.signal(signal.SIGALRM, alarm)
for line in sys.stdin:
    path = Path(line.rstrip("\n"))
    signal.alarm(int(sys.argv[2]))
    try:
        catalog = parse_file(path, display=path.name)
        for item in catalog.items:
            for c in item.citations:
                assert item.basis[c.start:c.end] == c.text, "citation span"
        answer = {"ok": len(catalog.items)}
    except CatalogError as exc:
        text = str(exc)
        answer = {"error": exc.kind} if "\n" not in text and text.startswith(path.name + ": ") \
            else {"crash": "error line: " + repr(text)[:300]}
    except BaseException as exc:
        import traceback
        answer = {"crash": f"{type(exc).__name__}: {exc}"[:300], "trace": traceback.format_exc()[-3000:]}
    finally:
        signal.alarm(0)
    print(json.dumps(answer), flush=True)
"""

# A child that runs find_citations and the layout on the texts on its stdin (JSON lines).
TEXT_CHILD = r"""
import json, resource, signal, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from catalog_graph.resolve import cite
from catalog_graph.errors import CatalogError
from catalog_graph.layout.table import build_catalog
from catalog_graph.models import Cell, RawTable

HEADER = [["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体"]]

def alarm(signum, frame):
    raise TimeoutError("hung")

signal.signal(signal.SIGALRM, alarm)
cite("预热《条例》")
for line in sys.stdin:
    text = json.loads(line)
    signal.alarm(int(sys.argv[2]))
    started = time.monotonic()
    try:
        for c in cite(text):
            assert text[c.start:c.end] == c.text, "citation span"
        rows = [[Cell(t) for t in r] for r in HEADER] + [[Cell("1"), Cell("事项"), Cell(text[:200]),
                Cell(text), Cell(text[-50:]), Cell("县局")]]
        try:
            build_catalog(RawTable("long.txt", rows, [None] * len(rows)))
        except CatalogError:
            pass
        answer = {"seconds": time.monotonic() - started}
    except BaseException as exc:
        import traceback
        answer = {"crash": f"{type(exc).__name__}: {exc}"[:300], "trace": traceback.format_exc()[-3000:]}
    finally:
        signal.alarm(0)
    print(json.dumps(answer), flush=True)
"""


class Child:
    """A long-lived child process answering one JSON line per input line; restarted when it
    dies or hangs."""

    def __init__(self, code: str, hang: float) -> None:
        self.code = code
        self.hang = hang
        self.process: subprocess.Popen[str] | None = None

    def ask(self, line: str) -> dict:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-c", self.code, str(MEMORY), str(int(self.hang))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdin and self.process.stdout
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return {"crash": "the child died (out of memory?)"}
        answer = self.process.stdout.readline()
        if not answer:
            code = self.process.wait(timeout=10)
            self.process = None
            return {"crash": f"the child died (exit {code}: out of memory or a crash in C)"}
        return json.loads(answer)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


# --------------------------------------------------------------------------- properties


def properties(examples: int, out: Path) -> int:
    """The property tests with many more examples; the number of failed tests."""
    env = {**os.environ, "CATALOG_GRAPH_FUZZ_EXAMPLES": str(examples)}
    code = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
from hypothesis import HealthCheck, given, settings
from tests import test_citations_properties as C, test_layout_properties as L
from catalog_graph.citations import find_citations
from catalog_graph.citations.docnumbers import normalize_doc_number
from catalog_graph.errors import CatalogError
from catalog_graph.layout.table import build_catalog

S = settings(max_examples={examples}, deadline=None, database=None,
             suppress_health_check=list(HealthCheck))

@S
@given(C.texts)
def citations(text):
    C.test_extraction_never_raises_and_spans_point_into_the_text.hypothesis.inner_test(text)
    C.test_normalizing_twice_changes_nothing.hypothesis.inner_test(text)
    assert [c.to_dict() for c in find_citations(text)] == [c.to_dict() for c in find_citations(text)]

@S
@given(L.st.lists(L.row, max_size=40), L.st.booleans())
def layout(rows, with_header):
    L.test_any_table_gives_items_or_one_clear_error.hypothesis.inner_test(rows, with_header)
    L.test_layout_is_deterministic.hypothesis.inner_test(rows) if rows else None

citations()
layout()
print("citation and layout properties: {examples} examples each, no failure")
"""
    failed = 0
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True,
                         text=True)
    print(run.stdout.strip() or run.stderr[-3000:])
    if run.returncode:
        failed += 1
        (out / "properties-citations-layout.txt").write_text(run.stdout + run.stderr)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_fuzz_readers.py"], env=env, cwd=REPO, capture_output=True,
                         text=True)
    print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:])
    if run.returncode:
        failed += 1
        (out / "properties-readers.txt").write_text(run.stdout + run.stderr)
    return failed


# --------------------------------------------------------------------------- files


def seeds() -> list[Path]:
    found = [REPO / "raw" / "changzhi_education_catalog.txt"]
    for folder in (REPO / "tests" / "fixtures", REPO / "tests" / "fixtures" / "broken",
                   REPO / "tests" / "hostile"):
        found += [p for p in sorted(folder.glob("*")) if p.is_file() and p.suffix != ".md"
                  and p.stat().st_size < 2_000_000]
    return found


def mutate(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 6)):
        at = rnd.randrange(len(out)) if out else 0
        how = rnd.choice(["cut", "flip", "junk", "repeat", "zero", "splice"])
        if how == "cut" and out:
            del out[at:]
        elif how == "flip" and out:
            out[at] ^= rnd.randint(1, 255)
        elif how == "junk":
            out[at:at] = rnd.randbytes(rnd.randint(1, 64))
        elif how == "repeat":
            out[at:at] = out[at:at + rnd.randint(1, 1024)] * rnd.randint(2, 100)
        elif how == "zero":
            out[at:at + rnd.randint(1, 256)] = bytes(rnd.randint(1, 256))
        else:  # bytes from elsewhere in the file
            src = rnd.randrange(len(out)) if out else 0
            out[at:at] = out[src:src + rnd.randint(1, 256)]
    return bytes(out)


def files(deadline: float, hang: float, out: Path, seed: int) -> tuple[int, int]:
    """Mutation fuzzing until ``deadline``; (inputs, findings)."""
    rnd = random.Random(seed)
    pool = seeds()
    child = Child(FILE_CHILD, hang)
    count = findings = 0
    with tempfile.TemporaryDirectory() as tmp:
        try:
            while time.monotonic() < deadline:
                source = rnd.choice(pool)
                data = mutate(source.read_bytes(), rnd)
                path = Path(tmp) / f"m{count}{source.suffix}"
                path.write_bytes(data)
                started = time.monotonic()
                answer = child.ask(str(path))
                elapsed = time.monotonic() - started
                count += 1
                if "crash" in answer:
                    findings += 1
                    name = f"file-{findings:03d}-{source.stem}{source.suffix}"
                    (out / name).write_bytes(data)
                    (out / (name + ".txt")).write_text(
                        f"from {source}\n{answer['crash']}\n{answer.get('trace', '')}\n"
                        f"{elapsed:.1f} s\n", encoding="utf-8")
                    print(f"  finding {name}: {answer['crash']}")
                path.unlink()
        finally:
            child.stop()
    return count, findings


# --------------------------------------------------------------------------- long texts

FRAGMENTS = [
    "《中华人民共和国政府信息公开条例》", "第二十条", "第（五）项", "“（一）行政法规、规章”", "；", "、",
    "国办发〔2022〕8号", "（国发〔2019〕14号）", "国务院令第711号", "国务院令第七十三号", "《条例》",
    "国务院办公厅关于做好政务公开工作的通知", "关于印发《办法》的通知", "依据", "1.", "（二）", "\n",
    "《", "》", "〈", "〉", "（", "）", "〔", "〕", "“", "”", "中华人民共和国", "法", "国", "发", "号",
    "2022", "第", "条", "款", "项", "章", "至", " ", "　", "晋政办发", "长政发", "财预", "教基",
]


def long_texts(deadline: float, length: int, slow: float, out: Path, seed: int) -> tuple[int, int]:
    """Long texts through the citation extractor and the layout; (texts, findings)."""
    rnd = random.Random(seed)
    child = Child(TEXT_CHILD, max(slow * 10, 60))
    count = findings = 0
    try:
        while time.monotonic() < deadline:
            size = rnd.choice([1_000, 10_000, length])
            unit = [rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 12))]
            if rnd.random() < 0.5:  # one fragment repeated: the shape of quadratic blow-ups
                text = "".join(unit) * (size // max(1, len("".join(unit))) + 1)
            else:
                text = "".join(rnd.choice(FRAGMENTS) for _ in range(size // 4))
            text = text[:size]
            answer = child.ask(json.dumps(text, ensure_ascii=False))
            count += 1
            problem = answer.get("crash") or (answer["seconds"] > slow and
                                              f"slow: {answer['seconds']:.1f} s for {len(text)} characters")
            if problem:
                findings += 1
                name = f"text-{findings:03d}.txt"
                (out / name).write_text(text, encoding="utf-8")
                (out / (name + ".why")).write_text(f"{problem}\n{answer.get('trace', '')}\n",
                                                   encoding="utf-8")
                print(f"  finding {name}: {problem}")
    finally:
        child.stop()
    return count, findings


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("campaigns", nargs="*", metavar="CAMPAIGN",
                        help="properties, files or long (default: all three)")
    parser.add_argument("--minutes", type=float, default=10.0, help="time for files and long, in all")
    parser.add_argument("--examples", type=int, default=5000, help="examples per property")
    parser.add_argument("--hang", type=float, default=60.0, help="seconds before a file is hung")
    parser.add_argument("--length", type=int, default=200_000, help="longest text for 'long'")
    parser.add_argument("--slow", type=float, default=10.0, help="seconds a long text may take")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the time)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"),
                        help="folder for the findings (default fuzz-findings/)")
    args = parser.parse_args(argv)
    campaigns = args.campaigns or ["properties", "files", "long"]
    unknown = set(campaigns) - {"properties", "files", "long"}
    if unknown:
        parser.error(f"no campaign {', '.join(sorted(unknown))}: choose properties, files, long")
    seed = args.seed if args.seed is not None else int(time.time())
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"fuzzing {', '.join(campaigns)} (seed {seed}); findings go to {args.out}/")
    total = 0
    timed = [c for c in campaigns if c != "properties"]
    share = args.minutes * 60 / max(1, len(timed))
    if "properties" in campaigns:
        failed = properties(args.examples, args.out)
        print(f"properties: {failed} failed test files")
        total += failed
    if "files" in campaigns:
        count, found = files(time.monotonic() + share, args.hang, args.out, seed)
        print(f"files: {count} mutated files, {found} findings")
        total += found
    if "long" in campaigns:
        count, found = long_texts(time.monotonic() + share, args.length, args.slow, args.out, seed)
        print(f"long: {count} long texts, {found} findings")
        total += found
    print("no findings" if not total else f"{total} findings in {args.out}/")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
