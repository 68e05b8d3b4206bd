"""Batch builds: whole folders of mixed formats, bad files among them, in parallel, incremental,
byte-identical whatever the workers, the cache or the order, and resumable after a kill."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from catalog_graph.batch.build import build
from catalog_graph.batch.cache import CACHE_DIR, ENTRIES_DIR, Cache
from catalog_graph.batch.inputs import collect_inputs
from catalog_graph.batch.progress import BarProgress
from catalog_graph.batch.workers import Died, Done, run_local
from catalog_graph.cli import main
from catalog_graph.errors import CatalogError
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


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built once in this process, with no cache."""
    out = tmp_path_factory.mktemp("reference")
    build([corpus], out, workers=1)
    return out


# --------------------------------------------------------------------------- inputs


def test_folders_give_every_format_found_by_extension_or_content_and_skip_litter(corpus: Path) -> None:
    found = [display for display, _ in collect_inputs([corpus])]
    assert found == sorted(f"{corpus.as_posix()}/{name}" for name in GOOD + BAD)


def test_a_file_named_on_the_command_line_is_read_whatever_its_name(corpus: Path) -> None:
    lock = corpus / "a" / "~$sample.xlsx"
    found = [display for display, _ in collect_inputs([lock, corpus / "a" / "sub"])]
    assert found == [f"{corpus.as_posix()}/a/sub/sample.docx", lock.as_posix()]


def test_links_to_folders_are_followed_once_and_a_loop_ends(tmp_path: Path) -> None:
    (tmp_path / "crawl" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(SAMPLE, tmp_path / "crawl" / "changzhi.txt")
    (tmp_path / "elsewhere" / "county.txt").write_text(COUNTY, encoding="utf-8")
    (tmp_path / "crawl" / "sub" / "up").symlink_to(tmp_path / "crawl")  # a loop
    (tmp_path / "crawl" / "linked").symlink_to(tmp_path / "elsewhere")
    found = [display for display, _ in collect_inputs([tmp_path / "crawl"])]
    assert found == [f"{tmp_path.as_posix()}/crawl/changzhi.txt",
                     f"{tmp_path.as_posix()}/crawl/linked/county.txt"]


def test_the_output_folder_inside_an_input_folder_is_not_read(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "changzhi.txt")
    build([tmp_path], tmp_path / "out", workers=1)
    (tmp_path / "out" / "copy.txt").write_text(COUNTY, encoding="utf-8")
    summary = build([tmp_path], tmp_path / "out", workers=1)
    assert summary.inputs == 1


# --------------------------------------------------------------------------- bad files


def test_bad_files_are_reported_and_the_others_built_exit_1(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in report] == sorted(f"{corpus.as_posix()}/{n}" for n in GOOD + BAD)
    failed = {r["path"].removeprefix(corpus.as_posix() + "/"): r["error"] for r in report
              if r["status"] == "failed"}
    assert sorted(failed) == BAD
    assert "damaged" in failed["bad/catalog.pdf"] and "is empty" in failed["bad/empty.txt"]
    ok = [r for r in report if r["status"] == "ok"]
    assert all(r["items"] > 0 and r["error"] is None for r in ok)
    items = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(items) == sum(r["items"] for r in ok)
    errors = [line for line in result.stderr.splitlines() if line.startswith("catalog-graph: error:")]
    assert len(errors) == len(BAD) and "Traceback" not in result.stderr
    assert "from the cache" in result.stdout and "━" not in result.stderr  # table, no bar


# --------------------------------------------------------------------------- determinism


def test_outputs_are_byte_identical_whatever_the_workers_and_the_order(corpus: Path,
                                                                       reference: Path,
                                                                       tmp_path: Path) -> None:
    """The reference is built in this process; this build by two worker processes, its inputs
    named in another order (and one folder twice), so results come in another order."""
    out = tmp_path / "out"
    build([corpus / "bad", corpus / "b", corpus / "a", corpus], out, workers=2)
    assert_same(snapshot(out), snapshot(reference))


def test_report_json_is_one_json_list_as_json_dumps_writes_it(reference: Path) -> None:
    text = (reference / "report.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_graph_files_read_back_as_the_graph_networkx_would_write(reference: Path,
                                                                 tmp_path: Path) -> None:
    """GraphML and GEXF are written piece by piece; networkx reads them back as the graph
    nx.build_graph makes of the same catalogs."""
    from catalog_graph.graph import nx as graphs
    from catalog_graph.pipeline import parse_file
    from catalog_graph.resolve.resolver import Resolver

    report = json.loads((reference / "report.json").read_text(encoding="utf-8"))
    catalogs, records = [], []
    for entry in report:
        if entry["status"] == "ok":
            resolver = Resolver()
            catalogs.append(parse_file(Path(entry["path"]), resolver, display=entry["path"]))
            records.extend(resolver.regulations())
    whole = graphs.build_graph(catalogs, records)
    graphs.write_graphml(whole, tmp_path / "nx.graphml")
    graphs.write_gexf(whole, tmp_path / "nx.gexf")

    def edges(g: nx.Graph) -> list:
        data = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
        return sorted(repr((*e[:-1], sorted((k, v) for k, v in e[-1].items() if k != "id")))
                      for e in data)

    for name, read in (("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
                       ("gexf", nx.read_gexf)):
        ours, theirs = read(reference / f"graph.{name}"), read(tmp_path / f"nx.{name}")
        assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True)), name
        assert edges(ours) == edges(theirs), name
        assert ours.number_of_nodes() > 100


# --------------------------------------------------------------------------- incremental


def test_a_second_build_reads_nothing_again_and_writes_the_same_bytes(corpus: Path,
                                                                      reference: Path) -> None:
    before = snapshot(reference)
    summary = build([corpus], reference, workers=1)
    assert summary.parsed == 0 and summary.cached == len(GOOD + BAD)
    assert_same(snapshot(reference), before)


def test_one_changed_and_one_removed_input_update_the_graph(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "crawl")
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    entries = out / CACHE_DIR / ENTRIES_DIR
    stamps = {p.name: p.stat().st_mtime_ns for p in entries.iterdir()}

    county = corpus / "b" / "county.txt"
    county.write_text(COUNTY.replace("县教育局\t■政府网站\t", "县教育局\t■政府网站 ■政务新媒体\t"),
                      encoding="utf-8")
    (corpus / "a" / "sample.xlsx").unlink()
    summary = build([corpus], out, workers=1)

    assert summary.read == [county.as_posix()]  # only the changed file was read again
    assert summary.cached == len(GOOD + BAD) - 2
    fresh = tmp_path / "fresh"
    build([corpus], fresh, workers=1)
    assert_same(snapshot(out), snapshot(fresh))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert f"{corpus.as_posix()}/a/sample.xlsx" not in [r["path"] for r in report]
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(i["source"]["file"] != f"{corpus.as_posix()}/a/sample.xlsx" for i in items)
    assert ["政府网站", "政务新媒体"] in [i["channels"] for i in items
                                   if i["source"]["file"] == county.as_posix()]
    after = {p.name: p.stat().st_mtime_ns for p in entries.iterdir()}
    assert len(after) == len(stamps) - 1  # the changed file's entry replaced, the removed one gone
    assert sum(1 for name, stamp in after.items() if stamps.get(name) == stamp) == len(after) - 1


def _hold_tables(out: Path, folder: Path) -> set[int]:
    """The inodes of the store's tables, each kept alive by a hard link in ``folder`` (so that
    no new file gets its number once the store is replaced)."""
    folder.mkdir()
    for table in (out / "store").glob("*.sst"):
        os.link(table, folder / table.name)
    return {table.stat().st_ino for table in folder.iterdir()}


def test_the_store_is_updated_in_place_of_being_loaded_again(tmp_path: Path) -> None:
    """A rebuild starts from a checkpoint of the old store (hard links to its tables) and drops
    or adds only the graphs of inputs that changed: the store it ends with holds exactly the
    quads of a build from nothing, through changes, additions, removals and a change undone."""
    corpus = make_corpus(tmp_path / "crawl")
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    county = corpus / "b" / "county.txt"
    added = corpus / "b" / "added.txt"
    steps = [
        lambda: county.write_text(COUNTY.replace("县教育局\t■政府网站\t", "县教育局\t■村公示栏\t"),
                                  encoding="utf-8"),
        lambda: added.write_text(COUNTY.replace("某县", "另一县"), encoding="utf-8"),
        lambda: (corpus / "a" / "sample.xlsx").unlink(),
        lambda: county.write_text(COUNTY, encoding="utf-8"),  # back to the first build's
    ]
    for number, step in enumerate(steps):
        tables = _hold_tables(out, tmp_path / f"held{number}")
        step()
        build([corpus], out, workers=1)
        assert tables & {p.stat().st_ino for p in (out / "store").glob("*.sst")}, number
        fresh = tmp_path / f"fresh{number}"
        build([corpus], fresh, workers=1)
        assert not tables & {p.stat().st_ino for p in (fresh / "store").glob("*.sst")}
        assert_same(snapshot(out), snapshot(fresh))


def test_a_rebuild_with_most_inputs_changed_loads_the_store_afresh(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "crawl")
    out = tmp_path / "out"
    build([corpus], out, workers=1, base="https://example.org/a/")
    tables = _hold_tables(out, tmp_path / "held")
    build([corpus], out, workers=1, base="https://example.org/b/")  # every key changes
    assert not tables & {p.stat().st_ino for p in (out / "store").glob("*.sst")}
    fresh = tmp_path / "fresh"
    build([corpus], fresh, workers=1, base="https://example.org/b/")
    assert_same(snapshot(out), snapshot(fresh))


def test_an_authority_change_reads_every_input_again(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SAMPLE, tmp_path / "changzhi.txt")
    (tmp_path / "county.txt").write_text(COUNTY, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "changzhi.txt", tmp_path / "county.txt"], out, workers=1)
    extra = tmp_path / "local.csv"
    extra.write_text("title,doc_number,issuer,doc_type,date,in_force\n"
                     "某县教育局政务公开工作规定,县教发〔2023〕1号,某县教育局,规定,2023-01-05,true\n",
                     encoding="utf-8")
    monkeypatch.setenv("CATALOG_GRAPH_AUTHORITY", str(extra))
    summary = build([tmp_path / "changzhi.txt", tmp_path / "county.txt"], out, workers=1)
    assert summary.parsed == 2 and summary.cached == 0
    again = build([tmp_path / "changzhi.txt", tmp_path / "county.txt"], out, workers=1)
    assert again.parsed == 0


def test_authority_files_given_to_build_resolve_and_read_every_input_again(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "county.txt").write_text(
        COUNTY.replace("《政府信息公开条例》第二十条第一款第（五）项", LOCAL_RULES), encoding="utf-8")
    shutil.copy(SAMPLE, tmp_path / "in" / "changzhi.txt")
    (tmp_path / "local.csv").write_text(LOCAL_AUTHORITY, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "in"], out, workers=1)
    assert in_authority(out, "长治市教育局政务公开工作规定") == ["false"]

    result = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "-o", str(out),
                                       "--workers", "1", "--authority", str(tmp_path / "local.csv")])
    assert result.exit_code == 0, result.output
    assert in_authority(out, "长治市教育局政务公开工作规定") == ["true"]
    assert re.search(r"read now\s*│\s*2\s*│", result.stdout), result.stdout  # both read again
    again = build([tmp_path / "in"], out, workers=1, authority=[tmp_path / "local.csv"])
    assert again.parsed == 0

    missing = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "-o", str(out),
                                        "--authority", str(tmp_path / "nowhere.csv")])
    assert missing.exit_code == 2 and "nowhere.csv" in missing.stderr


def test_a_damaged_cache_entry_is_read_again(corpus: Path, reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    entry = sorted((out / CACHE_DIR / ENTRIES_DIR).iterdir())[0]
    entry.write_bytes(entry.read_bytes()[:-100])
    summary = build([corpus], out, workers=1)
    assert summary.parsed == 1
    assert_same(snapshot(out), snapshot(reference))


def test_two_builds_cannot_write_one_folder_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Cache(out).locked():
        result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 2
    assert "another build is writing" in result.stderr


# --------------------------------------------------------------------------- workers


def die_on_three(task: int) -> int:
    """A worker function whose process dies (SIGKILL) on task 3, as a crash would kill it."""
    import signal

    if task == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return task * 10


def test_a_worker_process_that_dies_fails_only_its_task() -> None:
    tasks = iter([(i, i) for i in range(8)] + [(8, Done(-1))])
    results = dict(run_local(die_on_three, tasks, workers=2))
    assert isinstance(results.pop(3), Died)
    assert results == {i: i * 10 for i in range(8) if i != 3} | {8: -1}


# --------------------------------------------------------------------------- progress


def test_the_progress_bar_counts_files_items_and_failures(corpus: Path, tmp_path: Path) -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), force_terminal=True, width=160)
    summary = build([corpus], tmp_path / "out", workers=1, progress=BarProgress(console=console))
    shown = console.file.getvalue()
    assert f"{summary.inputs}/{summary.inputs}" in shown
    assert f"{summary.items:,} items" in shown and f"{len(BAD)} failed" in shown


def test_no_catalog_at_all_is_bad_usage(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "~$x.xlsx").write_bytes(b"x")
    with pytest.raises(CatalogError, match="no catalog files found"):
        build([tmp_path / "in"], tmp_path / "out", workers=1)
