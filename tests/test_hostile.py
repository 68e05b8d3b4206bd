"""Hostile and broken inputs (tests/hostile, made by tools/make_hostile.py, and the big ones made
here): each gives one clear error line naming the file and the problem, or a correct result with
warnings, in bounded time and memory; in a batch, the others still convert.

Every file is read by ``parse_file`` in a child process limited to 2 GB of address space (a bomb
that expands fails its test, not the machine) and a per-file alarm; a subset goes through the
real ``catalog-graph parse`` and ``catalog-graph build``. The time limits are guards against
hangs, not timing assertions.
"""

from __future__ import annotations

import importlib.util
import json
import resource
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.support import ROOT, SAMPLE

HOSTILE = ROOT / "tests" / "hostile"
MEMORY = 2 * 1024 ** 3  # address space of every child process
PER_FILE = 60  # seconds before a file counts as hung
ENORMOUS = 300_000  # characters in the enormous cell (a basis cell holds a few hundred)

_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "tools" / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)  # type: ignore[union-attr]

# file → what it must give: ("error", kind, words in the message) or ("items", count, words in a
# warning or None). tests/hostile/README.md lists the same.
EXPECTED: dict[str, tuple] = {
    # text
    "empty.txt": ("error", "empty", "is empty"),
    "blank.tsv": ("error", "empty", "is empty"),
    "junk.txt": ("error", "binary", "binary data"),
    "png_named.txt": ("error", "corrupt", "damaged or truncated picture"),  # a PNG: the scan reader
    "one_column.txt": ("error", "no_table", "no tab-separated columns"),
    "pdf_named.tsv": ("error", "no_table", "named .tsv but holds a PDF"),
    "mixed_encoding.txt": ("items", 3, "mixed encodings"),
    "control_chars.txt": ("items", 3, None),
    "stray_quote.tsv": ("items", 3, None),
    "utf16_no_bom.txt": ("items", 3, None),
    "cr_only.txt": ("items", 3, None),
    "wide_row.tsv": ("items", 3, "beyond column 200"),
    # pdf
    "empty.pdf": ("error", "empty", "is empty"),
    "junk.pdf": ("error", "corrupt", "damaged PDF"),
    "truncated.pdf": ("error", "corrupt", "truncated PDF"),
    "encrypted.pdf": ("error", "encrypted", "password"),
    "image_only.pdf": ("error", "no_table", "no ruled table found"),  # read with OCR
    "no_pages.pdf": ("error", "corrupt", "no pages"),
    "page_loop.pdf": ("error", "corrupt", "no pages"),
    "no_table.pdf": ("error", "no_table", "no ruled table"),
    "flate_bomb.pdf": ("error", "too_large", "MiB of content"),
    "drawing_storm.pdf": ("error", "too_large", "path segments"),
    "operand_pile.pdf": ("error", "no_table", "no ruled table"),
    "text_named.pdf": ("items", 3, "named .pdf but holds text"),
    # xlsx
    "empty.xlsx": ("error", "empty", "is empty"),
    "truncated.xlsx": ("error", "corrupt", "truncated"),
    "bomb.xlsx": ("error", "too_large", "zip bomb"),
    "bomb_parts.xlsx": ("error", "too_large", "over the 512 MiB limit"),
    "bomb_lying.xlsx": ("error", "corrupt", "damaged Excel workbook"),
    "laughs.xlsx": ("error", "corrupt", "amplification"),
    "xxe.xlsx": ("error", "corrupt", "undefined entity"),
    "zip_version.xlsx": ("error", "corrupt", "damaged Excel workbook"),
    "no_sheets.xlsx": ("error", "no_table", "no worksheet"),
    "merge_storm.xlsx": ("items", 2, "merged ranges overlapping others ignored"),
    "html_named.xlsx": ("items", 3, "named .xlsx but holds a web page"),
    # docx
    "empty.docx": ("error", "empty", "is empty"),
    "truncated.docx": ("error", "corrupt", "truncated"),
    "bomb.docx": ("error", "too_large", "zip bomb"),
    "grid_before.docx": ("error", "no_table", "no table"),
    "deep_tables.docx": ("error", "corrupt", "depth"),
    "laughs.docx": ("error", "corrupt", "amplification"),
    "xlsx_named.docx": ("items", 3, "named .docx but holds an Excel workbook"),
    # html
    "empty.html": ("error", "empty", "is empty"),
    "junk.html": ("error", "no_table", "no catalog table"),
    "deep_nesting.html": ("error", "too_large", "more than 256 deep"),
    "bad_charset.html": ("items", 3, None),
    "idna_charset.html": ("items", 3, None),
    "span_storm.html": ("items", 66, "beyond column 200"),
    "script_cells.html": ("items", 3, None),
    "docx_named.html": ("items", 3, "named .html but holds a Word document"),
}

# made at test time: too big to commit
GENERATED: dict[str, tuple] = {
    "docnumber_100k.txt": ("items", 2, None),
    "rows_50000.txt": ("items", 50_000, None),
    **{f"enormous_cell.{ext}": ("items", 3, None) for ext in ("txt", "xlsx", "docx", "html")},
    **{f"oversized.{ext}": ("error", "too_large", "limit") for ext in ("txt", "pdf", "xlsx", "docx", "html")},
    "heavy_pages.pdf": ("error", "too_large", "2000 pages unpack to over 64 MiB of content"),
    "heavy_text_pages.pdf": ("error", "too_large", "by page 11 of 300 it has over 1000000 characters"),
    "many_parts.xlsx": ("error", "too_large", "zip directory listing 25006 parts"),
    "lying_directory.xlsx": ("error", "too_large", "zip directory listing 5000000 parts"),
    "directory_bomb.docx": ("error", "too_large", "zip directory listing 1000000 parts"),
}
OVERSIZED = {".txt": 201 << 20, ".pdf": 301 << 20, ".xlsx": 201 << 20, ".docx": 201 << 20,
             ".html": 51 << 20}

# The child: parse each file given, one JSON line per file; a hang is an alarm, not a wait.
CHILD = r"""
import json, resource, signal, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from catalog_graph.errors import CatalogError
from catalog_graph.pipeline import parse_file

class Hung(Exception):
    pass

def alarm(signum, frame):
    raise Hung()

signal.signal(signal.SIGALRM, alarm)
for name in sys.argv[3:]:
    path = Path(name)
    out = {"file": path.name}
    started = time.monotonic()
    signal.alarm(int(sys.argv[2]))
    try:
        catalog = parse_file(path, display=path.name)
        out["items"] = len(catalog.items)
        out["warnings"] = catalog.warnings
        out["title"] = catalog.title
        if len(catalog.items) <= 100:
            out["dicts"] = [i.to_dict() for i in catalog.items]
        if len(catalog.items) <= 100 and path.stat().st_size < 1_000_000:
            again = parse_file(path, display=path.name)
            out["deterministic"] = out["dicts"] == [i.to_dict() for i in again.items]
    except CatalogError as exc:
        out["error"] = {"kind": exc.kind, "line": str(exc), "file": exc.file}
    except Hung:
        out["crash"] = "hung (no answer within the alarm)"
    except BaseException as exc:
        out["crash"] = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        signal.alarm(0)
    out["seconds"] = round(time.monotonic() - started, 2)  # for the reader; never asserted
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def parse_in_children(*groups: list[Path]) -> dict[str, dict]:
    """``parse_file`` of each path, a memory-limited child per group of paths, the children
    running side by side; file name → outcome."""
    children = [(paths, subprocess.Popen([sys.executable, "-c", CHILD, str(MEMORY), str(PER_FILE),
                                          *map(str, paths)], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True))
                for paths in groups]
    results = {}
    for paths, child in children:
        try:
            stdout, stderr = child.communicate(timeout=PER_FILE * 5)
        except subprocess.TimeoutExpired:
            child.kill()
            stdout, stderr = child.communicate()
        for line in stdout.splitlines():
            outcome = json.loads(line)
            results[outcome["file"]] = outcome
        missing = [p.name for p in paths if p.name not in results]
        assert not missing, f"the child died (exit {child.returncode}) before {missing}: {stderr[-2000:]}"
    return results


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    make_hostile.write_long_doc_number(root / "docnumber_100k.txt")
    make_hostile.write_many_rows(root / "rows_50000.txt")
    for ext in ("txt", "xlsx", "docx", "html"):
        make_hostile.write_enormous_cell(root / f"enormous_cell.{ext}", ENORMOUS)
    for suffix, size in OVERSIZED.items():
        make_hostile.write_oversized(root / f"oversized{suffix}", size)
    make_hostile.write_heavy_pages(root / "heavy_pages.pdf")
    make_hostile.write_heavy_text_pages(root / "heavy_text_pages.pdf")
    make_hostile.write_many_parts(root / "many_parts.xlsx")
    (root / "lying_directory.xlsx").write_bytes(make_hostile.lying_directory())
    make_hostile.write_directory_bomb(root / "directory_bomb.docx")
    return root


@pytest.fixture(scope="module")
def outcomes(generated: Path) -> dict[str, dict]:
    return parse_in_children([HOSTILE / name for name in EXPECTED],
                             [generated / name for name in GENERATED])


# --------------------------------------------------------------------------- the corpus


def test_the_corpus_is_the_table_above_made_by_the_script_and_small() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "README.md"}
    assert on_disk == set(EXPECTED)
    script = (ROOT / "tools" / "make_hostile.py").read_text(encoding="utf-8")
    assert all(f'files["{name}"]' in script for name in EXPECTED)
    assert sum((HOSTILE / name).stat().st_size for name in on_disk) < 5_000_000
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in [*EXPECTED, *GENERATED])


def _check(name: str, outcome: dict, expected: tuple) -> None:
    assert "crash" not in outcome, f"{name}: {outcome['crash']}"
    if expected[0] == "error":
        _, kind, words = expected
        assert "error" in outcome, f"{name} gave {outcome.get('items')} items, not an error"
        error = outcome["error"]
        line = error["line"]
        assert "\n" not in line and "\r" not in line
        assert line.startswith(f"{name}: ") and error["file"] == name
        assert error["kind"] == kind, line
        assert words in line
    else:
        _, count, words = expected
        assert "error" not in outcome, f"{name}: {outcome.get('error')}"
        assert outcome["items"] == count
        assert all("\n" not in w for w in outcome["warnings"])
        if words is None:
            assert outcome["warnings"] == []
        else:
            assert any(words in w for w in outcome["warnings"]), outcome["warnings"]
        if "dicts" in outcome:
            assert outcome["deterministic"]
            for item in outcome["dicts"]:
                for c in item["citations"]:
                    assert 0 <= c["start"] < c["end"] <= len(item["basis"])
                    assert item["basis"][c["start"]:c["end"]] == c["text"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_gives_one_error_line_or_a_result(outcomes: dict[str, dict], name: str) -> None:
    _check(name, outcomes[name], EXPECTED[name])


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_each_big_file_gives_one_error_line_or_a_result(outcomes: dict[str, dict], name: str) -> None:
    _check(name, outcomes[name], GENERATED[name])


# --------------------------------------------------------------------------- what the results hold


def _texts(item: dict) -> list[str]:
    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(item)
    return out


def test_control_zero_width_and_bidi_characters_are_gone_from_the_items(outcomes) -> None:
    outcome = outcomes["control_chars.txt"]
    for item in outcome["dicts"]:
        for text in _texts(item):
            odd = [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n"]
            assert not odd, (text, odd)
    assert [i["path"][-1] for i in outcome["dicts"]][0] == "机构信息"
    assert outcome["title"] == make_hostile.TITLE
    assert {i["subject"] for i in outcome["dicts"]} == {"县交通运输局"}


def test_a_stray_quote_stays_in_its_cell_and_swallows_no_row(outcomes) -> None:
    items = outcomes["stray_quote.tsv"]["dicts"]
    assert items[0]["content"] == '"机构名称、办公地址、办公时间、联系方式'
    assert items[1]["content"] == '"放管服"改革中制定的规范性文件'
    assert [i["number"] for i in items] == ["1", "2", "3"]


def test_mixed_encodings_and_other_encodings_read_the_same_items(outcomes) -> None:
    def plain(name: str) -> list[dict]:
        return [{**i, "source": None, "id": None} for i in outcomes[name]["dicts"]]

    reference = plain("utf16_no_bom.txt")
    for name in ("mixed_encoding.txt", "cr_only.txt", "bad_charset.html", "idna_charset.html",
                 "html_named.xlsx", "xlsx_named.docx", "docx_named.html"):
        assert plain(name) == reference, name


def test_script_in_a_page_is_not_read_and_escaped_markup_stays_text(outcomes) -> None:
    items = outcomes["script_cells.html"]["dicts"]
    texts = [t for i in items for t in _texts(i)]
    assert not any("pwned" in t or "td{}" in t or "<td>x</td>" in t for t in texts)
    assert items[0]["path"][-1] == "<script>alert(1)</script>机构信息"


def test_an_external_entity_is_never_fetched(outcomes) -> None:
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in json.dumps(outcomes["xxe.xlsx"])
    assert outcomes["xxe.xlsx"]["error"]["kind"] == "corrupt"


def test_a_100000_character_doc_number_keeps_its_whole_basis(outcomes) -> None:
    item = outcomes["docnumber_100k.txt"]["dicts"][1]
    assert len(item["basis"]) == len("《国务院办公厅关于某事项的通知》（）") + 100_000
    assert item["citations"][0]["title"] == "国务院办公厅关于某事项的通知"


def test_an_enormous_cell_arrives_whole_in_every_format(outcomes) -> None:
    text = make_hostile.enormous_text(ENORMOUS)
    for ext in ("txt", "xlsx", "docx", "html"):
        item = outcomes[f"enormous_cell.{ext}"]["dicts"][0]
        assert item["basis"] == text, ext
        assert len(item["citations"]) > 5_000


def test_a_zip_directory_of_millions_of_parts_is_refused_from_its_end_record(generated) -> None:
    # zipfile spends 5 s and 400 MB reading a directory of a million parts, 21 s and 1.6 GB on
    # the four million a 200 MiB file holds: the end record says how many before any is read
    from catalog_graph.errors import CatalogError
    from catalog_graph.pipeline import parse_file

    for name in ("directory_bomb.docx", "lying_directory.xlsx", "many_parts.xlsx"):
        with pytest.raises(CatalogError) as refused:
            parse_file(generated / name, display=name)
        # the end record's words: zipfile's listing (check_archive: "holds N parts") never ran
        assert refused.value.kind == "too_large" and "zip directory listing" in str(refused.value)


def test_a_folder_of_hostile_files_under_names_that_say_nothing_is_searched_whole(
        generated, tmp_path) -> None:
    # with no catalog extension, each file's first bytes (and a zip's directory) are looked at:
    # zip_version.xlsx made zipfile raise NotImplementedError there and stopped the whole scan
    from catalog_graph.batch.inputs import scan_inputs

    folder = tmp_path / "crawl"
    folder.mkdir()
    for source in [*HOSTILE.iterdir(), *generated.iterdir()]:
        if source.is_file() and source.name != "README.md":
            shutil.copy(source, folder / f"{source.name}.download-1")
    found = {path.name.removesuffix(".download-1") for _, path in scan_inputs([folder]).files}
    assert "zip_version.xlsx" not in found  # its directory cannot be read: not a catalog
    assert {"many_parts.xlsx", "directory_bomb.docx"}.isdisjoint(found)  # refused from the end
    assert "encrypted.pdf" in found and "bomb.xlsx" in found  # by their first bytes


# --------------------------------------------------------------------------- the command line

CLI_FILES = ["encrypted.pdf", "flate_bomb.pdf", "bomb.xlsx", "grid_before.docx",
             "deep_nesting.html"]


@pytest.mark.parametrize("name", CLI_FILES)
def test_parse_command_refuses_with_one_line_naming_the_file_and_exit_2(tmp_path, name) -> None:
    out = tmp_path / "items.jsonl"
    run = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse", str(HOSTILE / name),
                          "-o", str(out)], capture_output=True, text=True, timeout=120,
                         preexec_fn=limit_memory)
    lines = run.stderr.splitlines()
    assert run.returncode == 2, run.stderr
    assert len(lines) == 1 and lines[0].startswith("catalog-graph: error: ")
    assert str(HOSTILE / name) in lines[0] and EXPECTED[name][2] in lines[0]
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["stray_quote.tsv", "merge_storm.xlsx"])
def test_parse_command_gives_the_items_and_one_line_per_warning(name) -> None:
    run = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse", str(HOSTILE / name)],
                         capture_output=True, text=True, timeout=120, preexec_fn=limit_memory)
    assert run.returncode == 0, run.stderr
    items = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(items) == EXPECTED[name][1]
    for line in run.stderr.splitlines():
        assert line.startswith(f"catalog-graph: warning: {HOSTILE / name}: ")
    words = EXPECTED[name][2]
    assert (words is None and run.stderr == "") or (words is not None and words in run.stderr)


# --------------------------------------------------------------------------- a batch

BATCH_BAD = ["empty.pdf", "encrypted.pdf", "flate_bomb.pdf", "bomb.xlsx", "laughs.docx",
             "deep_nesting.html", "junk.txt", "truncated.docx", "image_only.pdf"]
BATCH_GOOD = ["stray_quote.tsv", "mixed_encoding.txt", "merge_storm.xlsx", "script_cells.html",
              "xlsx_named.docx"]


def test_a_batch_with_hostile_files_builds_the_others_and_reports_each_bad_one(tmp_path) -> None:
    import pyoxigraph as ox

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in BATCH_BAD + BATCH_GOOD:
        shutil.copy(HOSTILE / name, inputs / name)
    shutil.copy(SAMPLE, inputs / "changzhi.txt")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "build", str(inputs), "-o",
                          str(out), "--workers", "2"], capture_output=True, text=True,
                         timeout=300, preexec_fn=limit_memory)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("catalog-graph: error: ")]
    assert len(errors) == len(BATCH_BAD)

    report = {Path(r["path"]).name: r for r in json.loads((out / "report.json").read_text("utf-8"))}
    assert set(report) == {*BATCH_BAD, *BATCH_GOOD, "changzhi.txt"}
    for name in BATCH_BAD:
        entry = report[name]
        assert entry["status"] == "failed" and entry["items"] == 0
        assert name in entry["error"] and EXPECTED[name][2] in entry["error"]
        assert "\n" not in entry["error"]
        assert any(name in line and EXPECTED[name][2] in line for line in errors)
    for name in [*BATCH_GOOD, "changzhi.txt"]:
        assert report[name]["status"] == "ok" and report[name]["error"] is None
        assert report[name]["items"] > 0

    items = [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()]
    by_file: dict[str, int] = {}
    for item in items:
        by_file[Path(item["source"]["file"]).name] = by_file.get(Path(item["source"]["file"]).name, 0) + 1
    assert by_file == {name: report[name]["items"] for name in [*BATCH_GOOD, "changzhi.txt"]}

    store = ox.Store.read_only(str(out / "store"))
    catalogs = store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/"
                           "catalog-graph/ontology#Catalog> }", use_default_graph_as_union=True)
    assert int(next(iter(catalogs))["n"].value) == len(BATCH_GOOD) + 1
    assert not [p for p in out.iterdir() if ".tmp" in p.name]  # no temporary left behind
