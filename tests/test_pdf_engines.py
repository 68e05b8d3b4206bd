"""The two PDF engines: PDFium (the default) reads every PDF as the pdfplumber engine (pdfminer,
the reference) does — the same table, title, pages and warnings, the same refusals — while
doing the work in C. What it hands the shared steps is pdfminer's: the same characters with the
same boxes, the same ruling edges, the same counts against the limits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.readers import pdf
from catalog_graph.readers.pdf import pdfium
from catalog_graph.readers.pdf.clip import clip_aware_layout
from catalog_graph.readers.pdf.limits import FileBudget, PageBudget, PageTooBusy
from catalog_graph.readers.pdf.settings import PdfSettings

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = sorted([*TESTS.glob("fixtures/*.pdf"), *TESTS.glob("fixtures/broken/*.pdf"),
                   *TESTS.glob("hostile/*.pdf")])
PRINTED = sorted(TESTS.glob("fixtures/*.pdf"))  # catalogs as LibreOffice prints them


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile PDFs the hostile tests generate: 2,000 pages of content, 300 of text."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_hostile

    root = tmp_path_factory.mktemp("engines")
    make_hostile.write_heavy_pages(root / "heavy_pages.pdf")
    make_hostile.write_heavy_text_pages(root / "heavy_text_pages.pdf")
    return root


def outcome(path: Path, engine: str, **settings):
    """What the reader makes of ``path``: its table, or its error's kind and message. The cell
    boxes kept for explain's drawings are compared on their own (box_grid): the engines measure
    a few glyphs a fraction of a point apart, which moves a box edge, never a cell."""
    from dataclasses import replace

    try:
        table = pdf.read(path, path.name, settings={"engine": engine, **settings})
    except CatalogError as exc:
        return (exc.kind, str(exc))
    return replace(table, boxes=[]), box_grid(table)


def box_grid(table) -> list[tuple]:
    """Each box's page, row and column, and its edges to the nearest point."""
    return [(b.page, b.row, b.col, round(b.x0), round(b.top), round(b.x1), round(b.bottom))
            for b in table.boxes]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_both_engines_read_every_fixture_alike(path: Path) -> None:
    assert outcome(path, "pdfium") == outcome(path, "pdfplumber")


@pytest.mark.parametrize("name", ["heavy_pages.pdf", "heavy_text_pages.pdf"])
def test_both_engines_refuse_the_generated_hostile_files_alike(generated: Path, name: str) -> None:
    pdfium_says = outcome(generated / name, "pdfium")
    assert pdfium_says == outcome(generated / name, "pdfplumber")
    assert pdfium_says[0] == "too_large"


@pytest.mark.parametrize("settings", [{"max_file_chars": 2000}, {"max_chars": 1000},
                                      {"max_segments": 50}, {"max_file_segments": 150},
                                      {"max_content": 20_000}])
def test_a_lower_limit_cuts_the_sample_at_the_same_place_with_either_engine(settings) -> None:
    sample = TESTS / "fixtures" / "sample.pdf"
    assert outcome(sample, "pdfium", **settings) == outcome(sample, "pdfplumber", **settings)


def reading(chars: list[dict]) -> list[dict]:
    """Characters in reading order: by line, then from the left."""
    return sorted(chars, key=lambda ch: (round(ch["top"], 1), round(ch["x0"], 1), ch["text"]))


def _plumber_pages(path: Path):
    import pdfplumber

    return pdfplumber.open(path)


@pytest.mark.parametrize("path", PRINTED, ids=lambda p: p.name)
def test_pdfium_reads_the_printed_pages_itself_with_pdfminers_characters(path: Path) -> None:
    """Every page of a LibreOffice printout is read by PDFium (no page left to pdfminer), and
    its visible characters are pdfminer's: the same text, font size and box, to a hundredth
    of a point (PDFium computes in single precision) — except the advance of a glyph whose
    width PDFium takes from the font program rather than the PDF's /Widths (the ✓ of the
    fixtures: 0.7% wider, up to 0.05 pt), which moves its right edge only."""
    doc = pdfium.Document(path)
    with _plumber_pages(path) as plumbed:
        for page in plumbed.pages:
            ours = pdfium.page_objects(doc, page, FileBudget(PdfSettings()))
            assert ours is not None, f"page {page.page_number} left to pdfminer"
            clip_aware_layout(page, FileBudget(PdfSettings()))
            # PDFium may take a line's text objects in another order than they were drawn:
            # the same characters, compared in reading order
            mine_chars, theirs = reading(ours.chars), reading(page.chars)
            assert [c["text"] for c in mine_chars] == [c["text"] for c in theirs]
            for mine, ref in zip(mine_chars, theirs, strict=True):
                for key in ("x0", "top", "bottom", "size"):
                    assert mine[key] == pytest.approx(ref[key], abs=0.01), (key, mine, ref)
                assert mine["x1"] == pytest.approx(ref["x1"], abs=0.05), (mine, ref)
    doc.close()


@pytest.mark.parametrize("path", PRINTED, ids=lambda p: p.name)
def test_pdfium_gives_pdfplumbers_ruling_edges(path: Path) -> None:
    doc = pdfium.Document(path)
    with _plumber_pages(path) as plumbed:
        for page in plumbed.pages:
            ours = pdfium.page_objects(doc, page, FileBudget(PdfSettings()))
            assert ours is not None

            theirs = list(page.edges)
            assert len(ours.edges) == len(theirs)
            for edge in ours.edges:  # each matches one of pdfplumber's, to a hundredth of a point
                match = next(e for e in theirs if e["orientation"] == edge["orientation"]
                             and e["object_type"] == edge["object_type"]
                             and all(abs(e[k] - edge[k]) <= 0.01 for k in ("x0", "x1", "top", "bottom")))
                theirs.remove(match)
            assert ours.drawings == len(page.lines) + len(page.rects) + len(page.curves)
    doc.close()


@pytest.mark.parametrize("path", PRINTED, ids=lambda p: p.name)
def test_the_content_scan_counts_what_pdfminer_counts(path: Path) -> None:
    """Segments, characters and content of each page, as the pdfplumber engine's interpreter
    counts them while it draws."""
    doc = pdfium.Document(path)
    with _plumber_pages(path) as plumbed:
        for page in plumbed.pages:
            scanned, drawn = FileBudget(PdfSettings()), FileBudget(PdfSettings())
            assert pdfium.page_objects(doc, page, scanned) is not None
            clip_aware_layout(page, drawn)
            assert (scanned.segments, scanned.chars, scanned.content) == \
                (drawn.segments, drawn.chars, drawn.content) != (0, 0, 0)
    doc.close()


def scan(content: bytes, **settings) -> FileBudget:
    spent = FileBudget(PdfSettings(**settings))
    pdfium.scan_content(content, PageBudget(spent), spent.settings.max_operands,
                        {"Im1": "Image", "Fm1": "Form"})
    return spent


def test_the_scan_counts_bytes_shown_and_path_operators_run() -> None:
    # (ab\051) is 3 bytes, <414243> 3, (x) 1; m, l and re are a segment each
    spent = scan(b"BT /F1 12 Tf (ab\\051) Tj [(x) -250 <414243>] TJ ET 1 2 m 3 4 l 0 0 5 5 re S")
    assert (spent.chars, spent.segments) == (7, 3)


def test_the_scan_skips_what_pdfminer_skips() -> None:
    # an operator short of operands is not run; strings in a property list are not shown;
    # a comment is nothing
    spent = scan(b"/P <</ActualText (abcdef)>> BDC 5 m % 1 2 l (zz) Tj\n(ab) Tj EMC")
    assert (spent.chars, spent.segments) == (2, 0)


def test_the_scan_stops_a_page_at_the_same_segment_as_pdfminer() -> None:
    with pytest.raises(PageTooBusy, match="over 3 path segments"):
        scan(b"0 0 m 1 1 l 2 2 l 3 3 l S", max_segments=3)


@pytest.mark.parametrize("content, why", [
    (b"q /Fm1 Do Q", "form XObject"),
    (b"BI /W 1 /H 1 ID \x00 EI", "inline image"),
    (b"BT (a(b)c) Tj ET", "nested parentheses"),
    (b"BT 50 Tz (a) Tj ET", "horizontal scaling"),
    (b"BT 3 Ts (a) Tj ET", "text rise"),
])
def test_what_pdfium_cannot_read_as_pdfminer_is_left_to_pdfminer(content: bytes, why: str) -> None:
    with pytest.raises(pdfium.Unsupported, match=why):
        scan(content)


def test_an_image_drawn_is_read_by_pdfium() -> None:
    assert scan(b"q 10 0 0 10 0 0 cm /Im1 Do Q").segments == 0


def test_the_engine_is_a_setting_refusing_an_unknown_one() -> None:
    assert PdfSettings().engine == "pdfium"
    assert PdfSettings.resolve({"engine": "pdfplumber"}).engine == "pdfplumber"
    with pytest.raises(ValueError, match="'engine' must be one of pdfium, pdfplumber"):
        PdfSettings.resolve({"engine": "mupdf"})


def test_parse_gives_the_same_items_with_either_engine() -> None:
    def parse(*options: str) -> bytes:
        return subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse",
                               str(TESTS / "fixtures" / "pagebreak.pdf"), *options],
                              capture_output=True, check=True).stdout

    pdfium_items = parse()
    assert pdfium_items == parse("--pdf-engine", "pdfplumber")
    assert pdfium_items.count(b"\n") > 5


def test_build_takes_the_engine_and_builds_the_same_items(tmp_path: Path) -> None:
    from catalog_graph.batch.build import build

    sample = TESTS / "fixtures" / "sample.pdf"
    build([sample], tmp_path / "a", workers=1, pdf_engine="pdfium")
    build([sample], tmp_path / "b", workers=1, pdf_engine="pdfplumber")
    items = (tmp_path / "a" / "items.jsonl").read_bytes()
    assert items == (tmp_path / "b" / "items.jsonl").read_bytes() and items
