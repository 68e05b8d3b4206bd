"""Scanned catalogs read with OCR (RapidOCR, offline): the fixtures in tests/fixtures/scans
were made by tools/make_scans.py from the printed fixtures (rotated, noisy, stamped, JPEG'd).

The sample scanned at 200 dpi is scored against the hand reading of the sample
(tests/data/sample_expected.json). OCR is costly (seconds of CPU a page), so each file is read
once per module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.pipeline import parse_file
from catalog_graph.readers import read_table
from catalog_graph.readers.image import engine as engines
from catalog_graph.readers.image.normalize import normalize_citation
from catalog_graph.readers.sniff import detect_format, image_kind

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "fixtures" / "scans"
EXPECTED = json.loads((ROOT / "tests" / "data" / "sample_expected.json").read_text("utf-8"))
FIELDS = ("number", "path", "content", "basis", "time_limit", "subject", "channels", "audience",
          "method")


@pytest.fixture(scope="module")
def sample_scan():
    """The whole sample printed, stamped and scanned at 200 dpi: an image-only PDF, 3 pages."""
    return parse_file(SCANS / "sample_200dpi.pdf", display="sample_200dpi.pdf")


def _value(item: dict, field: str):
    value = item[field]
    if field == "time_limit" and value is not None:
        return {k: value[k] for k in ("kind", "days", "working_days", "deadline")}
    return value


# ------------------------------------------------------------------ the sample, scanned


def test_scanned_sample_gives_its_28_items_in_order(sample_scan):
    assert sample_scan.title == EXPECTED["catalog"]
    assert sample_scan.body == EXPECTED["body"]
    assert len(sample_scan.items) == len(EXPECTED["items"]) == 28
    assert [i.number for i in sample_scan.items] == [w["number"] for w in EXPECTED["items"]]
    assert [i.source.row for i in sample_scan.items] == [w["row"] for w in EXPECTED["items"]]


def test_scanned_sample_fields_score_against_the_hand_reading(sample_scan):
    exact = {f: 0 for f in FIELDS}
    for got, want in zip(sample_scan.items, EXPECTED["items"], strict=True):
        d = got.to_dict()
        for f in FIELDS:
            exact[f] += _value(d, f) == _value(want, f)
    # the structure comes from the rulings: every item's 序号 (merged down its group, item 6's
    # cut by the page break and read with its two halves put together) is right
    assert exact["number"] == 28
    assert exact["path"] >= 25 and exact["subject"] >= 27 and exact["time_limit"] >= 26, exact
    assert exact["audience"] >= 26 and exact["channels"] >= 18, exact
    assert sum(exact.values()) >= 0.85 * 28 * len(FIELDS), exact


def test_scanned_sample_citations_and_doc_numbers(sample_scan):
    from catalog_graph.resolve import cite

    want_docs: list[str] = []
    got_docs: list[str] = []
    want_regs: list[str] = []
    got_regs: list[str] = []
    for got, want in zip(sample_scan.items, EXPECTED["items"], strict=True):
        ref = cite(want["basis"]) if want["basis"] else []
        want_docs += [c.doc_number for c in ref if c.doc_number]
        got_docs += [c.doc_number for c in got.citations if c.doc_number]
        want_regs += [c.regulation for c in ref]
        got_regs += [c.regulation for c in got.citations]
    # every 发文字号 comes back as printed, brackets 〔〕 restored from what OCR made of them
    assert sorted(got_docs) == sorted(want_docs)
    hits = sum(min(want_regs.count(r), got_regs.count(r)) for r in set(want_regs))
    assert hits / len(want_regs) >= 0.9, (hits, len(want_regs))  # recall
    assert hits / len(got_regs) >= 0.9, (hits, len(got_regs))  # precision


def test_scanned_items_say_they_were_read_by_ocr_with_their_lowest_confidence(sample_scan):
    for item in sample_scan.items:
        source = item.to_dict()["source"]
        assert source["file"] == "sample_200dpi.pdf"
        assert source["page"] in (1, 2, 3)
        assert source["ocr"]["engine"].startswith("rapidocr_onnxruntime 1.4.4")
        assert 0 < source["ocr"]["confidence"] <= 1
    assert {i.source.page for i in sample_scan.items} == {1, 2, 3}
    # a low-confidence cell is named in its item's warnings, with what was read
    for item in sample_scan.items:
        for w in item.warnings:
            if w.startswith("OCR read the cell"):
                assert item.source.ocr.confidence < 0.8
                assert "page" in w and "「" in w


def test_the_table_across_pages_drops_repeated_headers(sample_scan):
    # the header (序号 公开事项 …) is printed on each of the 3 pages; no item is made of it
    assert not any(i.number == "序号" or "公开事项" in i.path for i in sample_scan.items)


def test_ocr_facts_say_so_in_the_built_graph_which_conforms(tmp_path):
    import pyoxigraph as ox

    from catalog_graph.batch.build import build
    from catalog_graph.store.validate import validate

    out = tmp_path / "out"
    build([SCANS / "pagebreak_200dpi.jpg"], out, workers=1)
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert [e["status"] for e in report] == ["ok"], report
    store = ox.Store()
    store.load(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    rows = list(store.query("""
        PREFIX cg: <https://w3id.org/catalog-graph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?conf ?engine ?path WHERE { GRAPH ?g {
          ?item a cg:DisclosureItem ; prov:wasDerivedFrom ?row .
          ?row cg:ocrConfidence ?conf ; prov:wasGeneratedBy ?reading .
          ?reading a cg:OcrReading ; cg:ocrEngine ?engine ; prov:used ?file .
          ?file cg:filePath ?path } }"""))
    items = [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == len(items) >= 1
    assert {float(r["conf"].value) for r in rows} == {i["source"]["ocr"]["confidence"] for i in items}
    assert all(r["engine"].value.startswith("rapidocr_onnxruntime") for r in rows)
    assert validate(out).conforms


# ------------------------------------------------------------------ pictures


def test_pictures_are_found_by_their_content(tmp_path):
    jpeg = SCANS / "sample_200dpi_p1.jpg"
    misnamed = tmp_path / "catalog.download"
    misnamed.write_bytes(jpeg.read_bytes())
    assert detect_format(misnamed) == "image"
    assert image_kind((SCANS / "levels_150dpi.png").read_bytes()[:64]) == "png"
    assert image_kind((SCANS / "sample_200dpi_g4.tif").read_bytes()[:64]) == "tiff"
    text = tmp_path / "notes.txt"
    text.write_text("BM 公开事项目录\n", "utf-8")  # text beginning like a bitmap
    assert detect_format(text) == "text"
    fake = tmp_path / "scan.jpg"
    fake.write_text("序号\t公开事项\n", "utf-8")
    assert detect_format(fake) == "text"  # a text catalog under a picture's name: read as text
    binary = tmp_path / "broken.jpg"
    binary.write_bytes(b"\x00\x01\x02junk\x00" * 50)
    with pytest.raises(CatalogError, match="its content is not a picture"):
        detect_format(binary)


def test_a_multipage_tiff_is_pages_each_with_its_table():
    from catalog_graph.readers.image.grid import find_grid
    from catalog_graph.readers.image.pages import picture_pages

    pages = list(picture_pages(SCANS / "sample_200dpi_g4.tif", "g4.tif"))
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(abs(p.points_per_pixel - 72 / 200) < 1e-6 for p in pages)  # its 200 dpi
    grids = [find_grid(p.image) for p in pages]
    # the printed sample's pages: 12 columns; the header repeated on top of each page
    assert [len(g.xs) - 1 for g in grids] == [12, 12, 12]
    assert len(grids[2].ys) - 1 == 7  # page 3: the two header rows and items 11 to 15


def test_a_photographed_page_is_rectified_and_read():
    table, fmt = read_table(SCANS / "sample_photo.jpg", "sample_photo.jpg")
    assert fmt == "image"
    assert any("perspective" in w for w in table.warnings)
    texts = ["".join(c.text.split()) for row in table.rows for c in row]
    # page 2 of the sample: items 7 to 10 (计划规划, 行政权力, 依法行政, 双随机、一公开)
    assert any("中办发〔2016〕8号" in t for t in texts)
    assert any("国办发〔2018〕118号" in t for t in texts)
    assert len({"7", "8", "9", "10"} & set(texts)) >= 3  # a 序号 or two may be misread


def test_a_150_dpi_png_with_a_two_row_header_gives_its_levels():
    catalog = parse_file(SCANS / "levels_150dpi.png")
    assert catalog.items
    assert all(i.source.page == 1 and i.source.ocr is not None for i in catalog.items)
    assert any(i.level for i in catalog.items)  # the 公开层级 columns (县级, 乡级) were found


# ------------------------------------------------------------------ PDFs partly scanned


def test_a_pdf_with_one_scanned_page_among_printed_ones_is_one_catalog(tmp_path):
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    scan = pdfium.PdfDocument(str(SCANS / "sample_200dpi.pdf"))
    printed = pdfium.PdfDocument(str(ROOT / "tests" / "fixtures" / "sample.pdf"))
    mixed.import_pages(scan, [0])
    mixed.import_pages(printed, [1, 2])
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    for doc in (mixed, scan, printed):
        doc.close()
    catalog = parse_file(path)
    assert len(catalog.items) == 28
    # item 6 is cut by the break between the scanned page and the printed one: the scan holds
    # the top halves of its merged cells' line, which are not mended against a printed page
    numbers = [i.number for i in catalog.items]
    want = [w["number"] for w in EXPECTED["items"]]
    assert [n for n, w in zip(numbers, want, strict=True) if w != "6"] == [w for w in want if w != "6"]
    by_page = {p: [i.source.ocr is not None for i in catalog.items if i.source.page == p]
               for p in (1, 2, 3)}
    assert all(by_page[1]) and not any(by_page[2]) and not any(by_page[3])


# ------------------------------------------------------------------ the broken cases


@pytest.mark.parametrize(("name", "says"), [
    ("broken/blank.jpg", "blank (no ink found)"),
    ("broken/tiny.png", "60x40 pixels is too small"),
    ("broken/blurred.jpg", "too blurred to read"),
    ("broken/notable.jpg", "no ruled table found"),
])
def test_a_picture_with_no_readable_table_is_one_clear_line(name, says):
    with pytest.raises(CatalogError) as err:
        read_table(SCANS / name, name)
    line = str(err.value)
    assert line.startswith(f"{name}: ") and says in line and "\n" not in line


def test_a_truncated_picture_is_one_clear_line(tmp_path):
    cut = tmp_path / "cut.jpg"
    cut.write_bytes((SCANS / "sample_200dpi_p1.jpg").read_bytes()[:5000])
    with pytest.raises(CatalogError, match="cut.jpg: is a damaged or truncated picture"):
        read_table(cut, "cut.jpg")


def test_without_the_engine_a_scan_says_what_to_install(monkeypatch):
    monkeypatch.setattr(engines, "available", lambda: False)
    with pytest.raises(CatalogError, match=r"scanned image; reading it needs an OCR engine: "
                                           r"pip install 'catalog-graph\[ocr\]'"):
        read_table(SCANS / "sample_200dpi_p1.jpg", "p1.jpg")


def test_the_engine_loads_once_per_process():
    first = parse_file(SCANS / "pagebreak_200dpi.jpg")
    loaded = engines.loads
    again = parse_file(SCANS / "pagebreak_200dpi.jpg")
    assert loaded == engines.loads == 1
    assert [i.to_dict() for i in first.items] == [i.to_dict() for i in again.items]  # same input, same output
    assert engines.engine() is engines.engine()


# ------------------------------------------------------------------ OCR repairs


@pytest.mark.parametrize(("read", "printed"), [
    # what RapidOCR and tesseract made of 〔〕 on the fixtures
    ("（国办发（2022]8号）", "（国办发〔2022〕8号）"),
    ("国办发2022）8号", "国办发〔2022〕8号"),
    ("晋政办发[2O2l）13号", "晋政办发〔2021〕13号"),
    ("长政办发【2018】l0号", "长政办发〔2018〕10号"),
    ("(国发〔2022〕14号)", "（国发〔2022〕14号）"),
    ("第二十条(五)", "第二十条（五）"),
    ("V", "✓"),
])
def test_ocr_misreadings_of_doc_numbers_and_brackets_are_repaired(read, printed):
    assert normalize_citation(read) == printed


@pytest.mark.parametrize("text", [
    "2022年8号文件",  # no bracket at all: not a 发文字号 as printed, left alone
    "SOS热线", "B2B平台",  # letters that look like digits outside a 发文字号 stay letters
    "国办发2022年8号",
])
def test_what_is_not_surely_a_misreading_is_left_alone(text):
    assert normalize_citation(text) == text


def test_a_wrong_number_after_repair_is_flagged_by_the_authority():
    from catalog_graph.resolve import cite

    # OCR read 国办发〔2022〕8号 as 国办发(2022]9号: the brackets are repaired, the digit cannot
    # be, and the authority check says the number does not match the title
    basis = normalize_citation("《国务院办公厅关于印发2022年政务公开工作要点的通知》（国办发(2022]9号）")
    [citation] = cite(basis)
    assert citation.doc_number == "国办发〔2022〕9号"
    assert any("国办发〔2022〕8号" in w for w in citation.warnings), citation.warnings
