"""The formats offices actually publish: .xls/.et, .ods, .doc/.wps, .odt, .rtf and .mht give the
same table and the same items as the .xlsx, .docx or .html of the same catalog (merged cells
included), names that lie are read by content, and broken files give one clear line.

The fixtures (tests/fixtures/legacy, made by tools/make_legacy_fixtures.py) are LibreOffice
saving tests/fixtures/*.xlsx and *.docx as Excel 97, Word 97, ODF and RTF, and the .mht files
are the .html fixtures saved as Chrome and IE8 save them. The Word formats go through the real
LibreOffice (headless Writer must be installed: .ci/run installs it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.models import Catalog, RawTable
from catalog_graph.pipeline import parse_file
from catalog_graph.readers import converter, doc, read_table

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy"
BROKEN = LEGACY / "broken"
ROOT = Path(__file__).resolve().parents[1]


@cache
def table(path: Path) -> tuple[RawTable, str]:
    return read_table(path, path.name)


@cache
def items(path: Path) -> Catalog:
    return parse_file(path, display=path.name, citations=False)


def comparable(catalog: Catalog) -> list[dict]:
    """Every field of every item but the file it came from (and the id made from it)."""
    out = []
    for item in catalog.items:
        d = item.to_dict()
        d.pop("id")
        d["source"] = {k: v for k, v in d["source"].items() if k != "file"}
        out.append(d)
    return out


TWINS = [
    # (legacy file, the file it was saved from, the format its content is)
    ("sample.xls", "sample.xlsx", "xls"),
    ("levels.xls", "levels.xlsx", "xls"),
    ("pagebreak.xls", "pagebreak.xlsx", "xls"),
    ("sample.et", "sample.xlsx", "xls"),
    ("sample.ods", "sample.xlsx", "ods"),
    ("levels.ods", "levels.xlsx", "ods"),
    ("pagebreak.ods", "pagebreak.xlsx", "ods"),
    ("sample_spreadsheetml.xls", "sample.xlsx", "spreadsheetml"),
    ("sample.odt", "sample.docx", "odt"),
    ("preamble.odt", "preamble.docx", "odt"),
    ("sample.doc", "sample.docx", "doc"),
    ("preamble.doc", "preamble.docx", "doc"),
    ("sample.wps", "sample.docx", "doc"),
    ("sample.rtf", "sample.docx", "rtf"),
    ("preamble.rtf", "preamble.docx", "rtf"),
    ("sample.mht", "sample.html", "mht"),
    ("sample_gbk.mht", "sample.html", "mht"),
    ("levels.mht", "levels.html", "mht"),
]


@pytest.mark.parametrize(("legacy", "twin", "fmt"), TWINS)
def test_a_legacy_file_gives_the_same_table_as_its_twin(legacy, twin, fmt):
    got, got_fmt = table(LEGACY / legacy)
    want, _ = table(FIXTURES / twin)
    assert got_fmt == fmt
    assert got.rows == want.rows  # texts and merged markers (up / left), cell by cell
    assert got.title == want.title


@pytest.mark.parametrize(("legacy", "twin", "fmt"), TWINS)
def test_a_legacy_file_gives_the_same_items_as_its_twin(legacy, twin, fmt):
    got, want = items(LEGACY / legacy), items(FIXTURES / twin)
    assert len(got.items) == len(want.items) > 0
    assert comparable(got) == comparable(want)
    assert {i.source.file for i in got.items} == {legacy}


def test_the_sheet_holding_the_catalog_is_read_from_an_xls_as_from_an_xlsx():
    # levels.xlsx starts with a 填报说明 sheet; the catalog is on 标准目录
    t, _ = table(LEGACY / "levels.xls")
    assert "read sheet '标准目录', the one holding the catalog, not the first sheet '填报说明'" in t.warnings


def test_merged_cells_of_the_xls_sit_where_openpyxl_reads_them_in_the_xlsx():
    import openpyxl

    sheet = openpyxl.load_workbook(FIXTURES / "sample.xlsx").worksheets[0]
    covered = sum((r.max_row - r.min_row + 1) * (r.max_col - r.min_col + 1) - 1
                  for r in sheet.merged_cells.ranges if r.min_row > 1)  # row 1: the title
    t, _ = table(LEGACY / "sample.xls")
    markers = sum(1 for row in t.rows for c in row if c.merged is not None)
    assert markers == covered


def test_rtf_hairline_grid_columns_are_folded_away(tmp_path):
    # LibreOffice gives the RTF a 1-twip grid column; without folding, cells shift a column
    out, folder = converter.convert(LEGACY / "sample.rtf", "sample.rtf", "an RTF document", ".rtf",
                                    ".docx", "MS Word 2007 XML")
    try:
        assert doc.snap_narrow_columns(out) >= 1
        assert doc.snap_narrow_columns(out) == 0  # nothing narrow is left
    finally:
        folder.cleanup()


# --------------------------------------------------------------------------- names that lie


@pytest.mark.parametrize(("name", "twin", "fmt", "warning"), [
    ("sample_html.xls", "sample.html", "html", "it is named .xls but holds a web page"),
    ("sample_spreadsheetml.xls", "sample.xlsx", "spreadsheetml",
     "it is named .xls but holds an Excel 2003 XML spreadsheet"),
    ("sample_tsv.xls", "sample.xlsx", "text", "it is named .xls but holds text"),
    ("sample_tsv.pdf", "sample.xlsx", "text", "it is named .pdf but holds text"),
    ("preamble_rtf.doc", "preamble.docx", "rtf", "it is named .doc but holds an RTF document"),
    ("preamble_docx.doc", "preamble.docx", "docx", "it is named .doc but holds a Word document"),
])
def test_a_file_whose_name_lies_is_read_by_its_content(name, twin, fmt, warning):
    got, got_fmt = table(LEGACY / name)
    assert got_fmt == fmt
    assert warning in got.warnings
    assert comparable(items(LEGACY / name)) == comparable(items(FIXTURES / twin))


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize(("name", "kind", "words"), [
    ("truncated.xls", "corrupt", "truncated or damaged Office 97-2003 file"),
    ("truncated.doc", "corrupt", "truncated or damaged Office 97-2003 file"),
    ("encrypted.xls", "encrypted", "password-protected Excel 97-2003 workbook"),
    ("encrypted.doc", "encrypted", "password-protected Word 97-2003 document"),
    ("encrypted.xlsx", "encrypted", "password-protected"),
    ("notable.doc", "no_table", "holds no table"),
    ("unknown.wps", "unsupported", "Kingsoft (WPS Office) .wps file in a format no reader understands"),
    ("unknown.et", "unsupported", "Kingsoft (WPS Office) .et file in a format no reader understands"),
])
def test_a_broken_legacy_file_gives_one_clear_error(name, kind, words):
    with pytest.raises(CatalogError) as err:
        read_table(BROKEN / name, name)
    assert err.value.kind == kind
    assert words in err.value.message
    assert str(err.value).startswith(f"{name}: ")


def _cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    code = "import sys; from catalog_graph.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {}),
                               "PYTHONPATH": str(ROOT / "src")}, cwd=cwd, timeout=300)


@pytest.mark.parametrize("name", ["truncated.xls", "truncated.doc", "encrypted.xls", "encrypted.doc",
                                  "notable.doc", "unknown.wps"])
def test_parse_of_a_broken_legacy_file_exits_2_with_one_line_and_writes_nothing(name, tmp_path):
    out = tmp_path / "items.jsonl"
    run = _cli("parse", str(BROKEN / name), "-o", str(out))
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_without_libreoffice_a_doc_names_the_debian_package_and_the_rest_still_reads(tmp_path):
    bare = tmp_path / "bin"  # a PATH with no soffice on it
    bare.mkdir()
    env = {"PATH": str(bare)}
    run = _cli("parse", str(LEGACY / "sample.doc"), env=env)
    assert run.returncode == 2
    assert "install the Debian package libreoffice-writer-nogui" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    for name in ("sample.xls", "sample.odt", "sample.ods", "sample.mht"):
        run = _cli("parse", str(LEGACY / name), env=env)
        assert run.returncode == 0, run.stderr
        assert len(run.stdout.splitlines()) == len(items(LEGACY / name).items)


# --------------------------------------------------------------------------- the converter


def test_a_hung_conversion_fails_that_input_and_the_next_gets_a_fresh_libreoffice():
    with pytest.raises(CatalogError) as err:
        converter.convert(LEGACY / "sample.doc", "slow.doc", "a Word 97-2003 document", ".doc",
                          ".docx", "MS Word 2007 XML", timeout=0.001)
    assert "did not convert it within" in err.value.message and str(err.value).startswith("slow.doc: ")
    assert converter._converter is not None and not converter._converter.alive()  # killed
    before = converter.starts
    t, _ = read_table(LEGACY / "preamble.doc", "preamble.doc")
    assert t.rows == table(FIXTURES / "preamble.docx")[0].rows
    assert converter.starts > before  # started again


def test_a_libreoffice_that_dies_is_restarted_for_the_next_file():
    read_table(LEGACY / "preamble.doc", "preamble.doc")  # LibreOffice is running
    running = converter._converter
    assert running is not None and running.alive()
    os.killpg(running.proc.pid, signal.SIGKILL)  # as the out-of-memory killer would
    running.proc.wait()
    t, _ = read_table(LEGACY / "preamble.doc", "preamble.doc")
    assert t.rows == table(FIXTURES / "preamble.docx")[0].rows
    assert running.alive()


def test_a_libreoffice_over_its_memory_bound_fails_the_file_with_one_line(monkeypatch):
    converter.shutdown()
    monkeypatch.setattr(converter, "MEMORY", 128 * 1024 * 1024)  # LibreOffice needs ~500 MB
    try:
        with pytest.raises(CatalogError) as err:
            read_table(LEGACY / "preamble.doc", "preamble.doc")
        assert "could not be converted" in err.value.message
        assert "\n" not in str(err.value)
    finally:
        converter.shutdown()
    monkeypatch.undo()
    t, _ = read_table(LEGACY / "preamble.doc", "preamble.doc")  # a normal bound: it reads
    assert t.rows == table(FIXTURES / "preamble.docx")[0].rows


def test_conversions_happen_in_a_temporary_folder_never_beside_the_input(tmp_path):
    source = tmp_path / "catalog.doc"
    source.write_bytes((LEGACY / "sample.doc").read_bytes())
    read_table(source, "catalog.doc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.doc"]
