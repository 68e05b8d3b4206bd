"""``catalog-graph explain``: how a table was read, in the terminal and as one HTML page shown in
headless Chromium (Debian's chromium and chromium-driver under Selenium, as the serve tests)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from catalog_graph.explain import explain_file, render_html, render_text
from tests.web_support import new_driver

ROOT = Path(__file__).resolve().parent
REAL = ROOT / "real"
FIXTURES = ROOT / "fixtures"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "catalog_graph.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_the_terminal_shows_columns_fields_extra_and_each_rows_repairs() -> None:
    # 崇明区教育局: a 类别 column left of one 公开事项(一级/二级) column holding 政府信息公开/…
    text = render_text(explain_file(REAL / "p1-shcm-edu-2024" / "catalog.html"))
    assert "     2  level       公开事项(一级/二级)" in text
    assert "kept in extra: 链接" in text
    assert "LEVELS_SPLIT: the cell 政府信息公开/依申请公开 holds 2 item levels" in text
    assert "item   1  综合政务 > 政府信息公开 > 依申请公开" in text


def test_the_terminal_lists_sub_catalogs_and_marks_inherited_cells() -> None:
    # 九龙街道: three sub-catalogs in one table, each under its own title row
    text = render_text(explain_file(REAL / "p2-jiulong-street" / "catalog.html"))
    assert "sub-catalogs found: 3" in text
    assert "  2. (二)公共资源交易领域基层政务公开标准目录" in text
    assert text.count("header rows") == 3
    haitan = render_text(explain_file(REAL / "pt-haitan-2020" / "catalog.html"))
    assert "↑level" in haitan  # a level merged down from the row above


def test_explain_on_the_command_line_writes_one_page_or_fails_in_one_line(tmp_path) -> None:
    out = tmp_path / "explain.html"
    done = _cli("explain", str(REAL / "p1-hbdj-scjg" / "catalog.html"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "COLUMN_FROM_CELLS" in page
    missing = _cli("explain", str(tmp_path / "none.pdf"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "no such file" in missing.stderr


@pytest.fixture(scope="module")
def driver():
    with tempfile.TemporaryDirectory() as profile:
        d = new_driver(profile)
        try:
            yield d
        finally:
            d.quit()


def test_the_page_colours_each_cell_by_field_and_explains_repairs(driver, tmp_path) -> None:
    page = tmp_path / "explain.html"
    page.write_text(render_html(explain_file(REAL / "p2-gaizhou-socialassist" / "catalog.html")),
                    encoding="utf-8")
    driver.get(page.as_uri())
    assert driver.find_element("id", "item-count").text == "2"
    cells = driver.execute_script("""
        return [...document.querySelectorAll('#read tr.item td.cell')].map(td => [
            td.dataset.field, getComputedStyle(td).backgroundColor, td.textContent]);""")
    colours = {}
    for field, colour, _ in cells:
        colours.setdefault(field, set()).add(colour)
    assert all(len(c) == 1 for c in colours.values())  # one colour a field
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # fields differ
    assert [f for f, _, t in cells if t.startswith("盖州市民政局")] == ["subject", "subject"]
    inherited = driver.execute_script(
        "return [...document.querySelectorAll('#read tr.item td.inh')].map(td => td.title)")
    assert inherited and all("inherited" in t for t in inherited)
    driver.save_screenshot(str(tmp_path / "explain.png"))
    assert (tmp_path / "explain.png").stat().st_size > 10_000


def test_a_pdf_page_is_drawn_with_the_cell_boxes_found(driver, tmp_path) -> None:
    exp = explain_file(FIXTURES / "sample.pdf")
    assert exp.table.boxes and {b.page for b in exp.table.boxes} == {1, 2, 3}  # its 3 pages
    page = tmp_path / "explain.html"
    page.write_text(render_html(exp), encoding="utf-8")
    driver.get(page.as_uri())
    sizes = driver.execute_script("""
        return [...document.querySelectorAll('.page img')].map(i => [i.complete,
                                                                    i.naturalWidth]);""")
    assert len(sizes) == 3 and all(done and width > 500 for done, width in sizes)
    driver.execute_script("document.querySelector('.page').scrollIntoView()")
    driver.save_screenshot(str(tmp_path / "pdf-page.png"))
