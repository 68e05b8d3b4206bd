"""Prove a refactoring changed nothing: build the same inputs with two checkouts, compare bytes.

Both checkouts run with the same Python (the one running this script, or ``--python``), each with
its own ``src/`` first on ``PYTHONPATH`` and its own ``ontology/``. The inputs are the sample in
every format the fixtures hold (text, PDF printed by Calc and by Writer, xlsx, docx, html) and a
generated mixed corpus (``bench/gen_corpus.py --mix``, made once with the NEW checkout's
generator so both sides read the same files). For each side it runs

- ``catalog-graph parse FILE --format jsonl|json|csv`` on every sample file, and
- ``catalog-graph build CORPUS -o DIR --workers 2`` (the sample files included),

then compares every output file byte for byte. The store is compared by its content: every quad
it holds, dumped sorted (RocksDB's own files differ run to run), and the graph names its manifest
lists (``store/catalog-graph.json`` maps each to a cache key, which hashes the code itself and so
changes with any change of code). Exit 0 when all is identical, 1 with a list of the differing
files otherwise.

    python tools/compare_checkouts.py OLD_CHECKOUT NEW_CHECKOUT [--catalogs 200] [--work DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLE_FILES = ("raw/changzhi_education_catalog.txt", "tests/fixtures/sample.pdf",
                "tests/fixtures/sample_writer.pdf", "tests/fixtures/sample.xlsx",
                "tests/fixtures/sample.docx", "tests/fixtures/sample.html",
                "tests/fixtures/levels.xlsx", "tests/fixtures/levels.html",
                "tests/fixtures/pagebreak.pdf", "tests/fixtures/preamble.docx")
STORE_DB_SKIP = {"LOCK", "LOG", "IDENTITY", "CURRENT"}


def run(checkout: Path, python: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"), PYTHONHASHSEED="0")
    env.pop("CATALOG_GRAPH_ONTOLOGY", None)
    return subprocess.run([python, "-m", "catalog_graph.cli", *args], cwd=cwd, env=env,
                          capture_output=True)


def outputs(folder: Path) -> dict[str, Path]:
    """Every file below ``folder`` that a build promises to be deterministic."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or rel.parts[0] == ".cache":
            continue
        if rel.parts[0] == "store":
            continue  # compared by content: see store_content()
        found[rel.as_posix()] = path
    return found


def store_content(build: Path, into: Path) -> None:
    """The store's quads (sorted N-Quads) and manifest graph names, as files in ``into``."""
    import json

    import pyoxigraph as ox

    into.mkdir(parents=True, exist_ok=True)
    store = ox.Store.read_only(str(build / "store"))
    lines = sorted(ox.serialize(store, format=ox.RdfFormat.N_QUADS).splitlines())
    (into / "store.nq").write_bytes(b"\n".join(lines) + b"\n")
    manifest = json.loads((build / "store" / "catalog-graph.json").read_text(encoding="utf-8"))
    names = {part: sorted(graphs) for part, graphs in manifest.items()}
    (into / "store-graphs.json").write_text(json.dumps(names, ensure_ascii=False, indent=0))


def compare(old: Path, new: Path, label: str) -> list[str]:
    a, b = outputs(old), outputs(new)
    problems = [f"{label}: only in old: {n}" for n in sorted(set(a) - set(b))]
    problems += [f"{label}: only in new: {n}" for n in sorted(set(b) - set(a))]
    for name in sorted(set(a) & set(b)):
        if not filecmp.cmp(a[name], b[name], shallow=False):
            problems.append(f"{label}: differs: {name}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the checkout before the change")
    parser.add_argument("new", type=Path, help="the checkout after the change")
    parser.add_argument("--catalogs", type=int, default=200, help="generated catalogs (default 200)")
    parser.add_argument("--python", default=sys.executable, help="the Python with the dependencies")
    parser.add_argument("--work", type=Path, default=None, help="keep the outputs here")
    args = parser.parse_args()
    old, new = args.old.resolve(), args.new.resolve()
    work = args.work or Path(tempfile.mkdtemp(prefix="compare-"))
    work.mkdir(parents=True, exist_ok=True)

    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    gen = subprocess.run([args.python, str(new / "bench/gen_corpus.py"), str(corpus),
                          "--catalogs", str(args.catalogs), "--seed", "7", "--mix",
                          "txt=40,xlsx=25,html=20,docx=14,pdf=1", "--broken", "0.02"],
                         env=dict(os.environ, PYTHONPATH=str(new / "src")), capture_output=True)
    if gen.returncode != 0:
        sys.stderr.write(gen.stderr.decode(errors="replace"))
        return 2
    samples = corpus / "samples"
    samples.mkdir()
    for rel in SAMPLE_FILES:
        shutil.copy(new / rel, samples / Path(rel).name)

    problems: list[str] = []
    counts = {"parse": 0, "build files": 0}
    for side, checkout in (("old", old), ("new", new)):
        out = work / side
        if out.exists():
            shutil.rmtree(out)
        (out / "parse").mkdir(parents=True)
        for rel in SAMPLE_FILES:
            for fmt in ("jsonl", "json", "csv"):
                name = f"{Path(rel).name}.{fmt}"
                result = run(checkout, args.python,
                             ["parse", str(samples / Path(rel).name), "--format", fmt, "-o",
                              str(out / "parse" / name)], cwd=corpus)
                (out / "parse" / f"{name}.exit").write_text(
                    f"{result.returncode}\n{result.stderr.decode(errors='replace')}")
        result = run(checkout, args.python, ["build", ".", "-o", str(out / "build"),
                                             "--workers", "2"], cwd=corpus)
        (out / "build.exit").write_text(str(result.returncode))
        print(f"{side}: build exit {result.returncode}", file=sys.stderr)
    problems += compare(work / "old" / "parse", work / "new" / "parse", "parse")
    problems += compare(work / "old" / "build", work / "new" / "build", "build")
    problems += compare(work / "old" / "store", work / "new" / "store", "store")
    if (work / "old" / "build.exit").read_text() != (work / "new" / "build.exit").read_text():
        problems.append("build: exit status differs")
    counts["parse"] = len(outputs(work / "new" / "parse"))
    counts["build files"] = len(outputs(work / "new" / "build")) + 2
    inputs = sum(1 for p in corpus.rglob("*") if p.is_file())
    if problems:
        print("\n".join(problems))
        print(f"DIFFERENT: {len(problems)} problem(s); outputs kept in {work}")
        return 1
    print(f"IDENTICAL: {counts['parse']} parse outputs and {counts['build files']} build files "
          f"from {inputs} input files ({args.catalogs} generated catalogs + "
          f"{len(SAMPLE_FILES)} sample files); outputs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
