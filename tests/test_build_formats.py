"""``build --formats`` and ``--compress``: the user chooses what a build writes, and can have its
text outputs compressed (gzip or zstd), deterministically and atomically, still read by the
commands that read them."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
import zstandard
from click.testing import CliRunner

from catalog_graph import to_networkx
from catalog_graph.batch.assemble import OUTPUTS
from catalog_graph.batch.build import build
from catalog_graph.cli import main
from catalog_graph.store.db import load_store
from catalog_graph.viz import load_graph
from tests.support import COUNTY, SAMPLE

TEXT_OUTPUTS = [name for name in OUTPUTS if name != "report.json"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formats-corpus")
    shutil.copy(SAMPLE, root / "changzhi.txt")
    (root / "county.txt").write_text(COUNTY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def plain(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build with today's defaults: every output, nothing compressed."""
    out = tmp_path_factory.mktemp("plain")
    build([corpus], out, workers=1)
    return out


def listing(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name != ".cache")


def test_the_default_writes_every_output_uncompressed(plain: Path) -> None:
    assert listing(plain) == sorted([*OUTPUTS, "store"])


def test_gzip_files_are_the_plain_bytes_compressed_without_name_or_time(
        corpus: Path, plain: Path, tmp_path: Path) -> None:
    out = tmp_path / "gz"
    build([corpus], out, workers=1, compress="gzip")
    assert listing(out) == sorted([*(f"{n}.gz" for n in TEXT_OUTPUTS), "report.json", "store"])
    for name in TEXT_OUTPUTS:
        data = (out / f"{name}.gz").read_bytes()
        # RFC 1952 header: magic, deflate, flags (no FNAME bit 0x08), MTIME all zero
        assert data[:3] == b"\x1f\x8b\x08", name
        assert data[3] & 0x08 == 0, f"{name}: the gzip header names a file"
        assert data[4:8] == b"\0\0\0\0", f"{name}: the gzip header has a time"
        assert gzip.decompress(data) == (plain / name).read_bytes(), name
    assert (out / "report.json").read_bytes() == (plain / "report.json").read_bytes()


def test_zstd_builds_are_byte_identical_run_to_run_and_across_workers(
        corpus: Path, plain: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build([corpus], one, workers=1, compress="zstd")
    build([corpus], two, workers=2, compress="zstd")
    shutil.rmtree(one / ".cache")
    build([corpus], one, workers=1, compress="zstd")  # every input read again
    unpack = zstandard.ZstdDecompressor()
    for name in TEXT_OUTPUTS:
        packed = (one / f"{name}.zst").read_bytes()
        assert packed == (two / f"{name}.zst").read_bytes(), name
        with unpack.stream_reader(packed) as reader:
            assert reader.read() == (plain / name).read_bytes(), name
    assert not list(one.glob(".*.tmp")), "a temporary file was left"


def test_only_the_formats_chosen_are_written_and_older_ones_removed(
        corpus: Path, plain: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(plain, out)  # an earlier, complete build into the same folder
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "--workers", "1",
                                       "--formats", "jsonl,nq", "--compress", "zstd"])
    assert result.exit_code == 0, result.output
    assert listing(out) == ["graph.nq.zst", "items.jsonl.zst", "report.json"]
    # without a store, query says why instead of reading a stale one
    result = CliRunner().invoke(main, ["query", str(out), "SELECT * WHERE { ?s ?p ?o } LIMIT 1"])
    assert result.exit_code == 2
    assert "built without one" in result.output and "--formats" in result.output
    # the N-Quads file loads into a store as it is
    size = load_store(out / "graph.nq.zst", tmp_path / "store")
    assert size == len({line for line in (plain / "graph.nq").read_bytes().splitlines()})


def test_store_and_tables_alone(corpus: Path, plain: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out, workers=1, formats=["store", "csv"], compress="gzip")
    assert listing(out) == ["citations.csv.gz", "items.csv.gz", "regulations.csv.gz",
                            "report.json", "store"]
    result = CliRunner().invoke(main, ["query", str(out), "--format", "json",
                                       "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    triples = sum(entry["triples"] for entry in report)
    # the catalogs' quads, plus the shared graphs' (regulations, vocabulary)
    assert int(json.loads(result.output)["results"]["bindings"][0]["n"]["value"]) >= triples


def test_compressed_graphml_is_read_by_viz_and_the_api(corpus: Path, plain: Path,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out, workers=1, formats=["graphml"], compress="zstd")
    assert listing(out) == ["graph.graphml.zst", "report.json"]
    expected = to_networkx(plain)
    for graph in (load_graph(out), to_networkx(out)):
        assert sorted(graph.nodes) == sorted(expected.nodes)
        assert graph.number_of_edges() == expected.number_of_edges()


@pytest.mark.parametrize("args, message", [
    (["--formats", "nq,pdf"], "unknown format pdf"),
    (["--formats", ","], "unknown format (none)"),
    (["--compress", "bz2"], "Invalid value for '--compress'"),
])
def test_bad_formats_exit_2_with_one_line_and_nothing_written(
        corpus: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_a_store_loaded_in_many_pieces_holds_every_quad(corpus: Path, plain: Path,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of 64 KB: the sample's 300 KB of N-Quads go in several bulk loads, and a piece may
    wait while another loads; the store holds exactly graph.nq's quads."""
    import pyoxigraph as ox

    from catalog_graph.store import load

    monkeypatch.setattr(load, "PIECE", 64 * 1024)
    out = tmp_path / "out"
    build([corpus], out, workers=1, formats=["nq", "store"])
    store = ox.Store.read_only(str(out / "store"))
    held = sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())
    assert held == sorted(set((plain / "graph.nq").read_bytes().splitlines()))
    assert (out / "graph.nq").read_bytes() == (plain / "graph.nq").read_bytes()
