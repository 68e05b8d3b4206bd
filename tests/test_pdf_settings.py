"""The PDF reader's settings: one named, documented object of limits and tolerances whose
defaults are the reader's own, which refuses a key it does not know, and whose values the
reader really uses (the sample catalog, read with lower limits, is refused or cut)."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.readers import pdf, read_table
from catalog_graph.readers.pdf import PdfSettings

SAMPLE_PDF = Path(__file__).parent / "fixtures" / "sample.pdf"  # 3 pages, 1,184 to 1,491 characters each

DOCUMENTED = {
    "engine": "pdfium", "max_bytes": 300 * 1024 * 1024, "max_pages": 3000,
    "max_file_segments": 1_500_000, "max_file_chars": 1_000_000, "max_file_content": 64 * 1024 * 1024,
    "max_segments": 60_000, "max_chars": 100_000, "max_content": 32 * 1024 * 1024,
    "max_drawings": 20_000, "max_crossings": 1_000_000, "max_intersections": 5_000,
    "max_operands": 64, "max_damaged": 64 * 1024,
    "snap_tolerance": 3, "join_tolerance": 3, "edge_min_length": 3, "intersection_tolerance": 3,
    "grid_tolerance": 1.0, "edge_tolerance": 2.0, "column_tolerance": 4.0,
    "dedupe_tolerance": 1.0, "watermark_ratio": 3.0,
}


def test_the_defaults_are_the_documented_values() -> None:
    assert asdict(PdfSettings()) == DOCUMENTED


def test_every_setting_is_documented_with_its_default() -> None:
    doc = PdfSettings.__doc__ or ""
    for f in fields(PdfSettings):
        assert f"``{f.name}``" in doc, f.name


def test_resolve_takes_none_a_dict_of_changes_or_an_instance() -> None:
    assert PdfSettings.resolve(None) == PdfSettings()
    changed = PdfSettings.resolve({"max_pages": 500})
    assert changed.max_pages == 500 and changed.max_chars == DOCUMENTED["max_chars"]
    assert PdfSettings.resolve(changed) is changed


def test_an_unknown_key_is_refused_with_a_message_naming_it() -> None:
    with pytest.raises(ValueError, match="unknown PDF setting 'max_charz'") as refused:
        PdfSettings.resolve({"max_charz": 500})
    assert "max_chars" in str(refused.value)  # the settings it could have meant are listed
    with pytest.raises(ValueError, match="'page_limit'"):
        pdf.read(SAMPLE_PDF, "sample.pdf", settings={"page_limit": 2})


@pytest.mark.parametrize("key, value", [("max_pages", 0), ("max_chars", -1), ("max_bytes", 1.5),
                                        ("edge_tolerance", -2.0), ("dedupe_tolerance", 0)])
def test_a_value_no_reader_could_use_is_refused_naming_its_key(key: str, value: float) -> None:
    with pytest.raises(ValueError, match=key):
        PdfSettings.resolve({key: value})


def test_the_defaults_are_what_every_pdf_is_read_with() -> None:
    assert pdf.read(SAMPLE_PDF, "sample.pdf") == read_table(SAMPLE_PDF, "sample.pdf")[0]
    assert pdf.read(SAMPLE_PDF, "sample.pdf", settings=PdfSettings()).rows == \
        read_table(SAMPLE_PDF, "sample.pdf")[0].rows


def test_a_lower_file_character_limit_refuses_the_sample() -> None:
    with pytest.raises(CatalogError) as refused:
        pdf.read(SAMPLE_PDF, "sample.pdf", settings={"max_file_chars": 2000})
    assert refused.value.kind == "too_large"
    assert "by page 2 of 3 it has over 2000 characters in all" in str(refused.value)


def test_a_lower_page_character_limit_skips_the_pages_over_it() -> None:
    table = pdf.read(SAMPLE_PDF, "sample.pdf", settings={"max_chars": 1000})
    assert set(table.pages) == {3}
    assert table.warnings[:2] == [
        f"page {n} skipped: it has over 1000 characters, more than a catalog page holds"
        for n in (1, 2)]


def test_a_lower_page_limit_refuses_a_longer_catalog() -> None:
    with pytest.raises(CatalogError, match="has 3 pages, over the 2 page limit"):
        pdf.read(SAMPLE_PDF, "sample.pdf", settings={"max_pages": 2})
