"""The page of ``catalog-graph viz FILE.html`` in headless Chromium: it draws, counts the whole
graph, shows an item's source on a click, keeps catalog text as text, logs no console errors.

Skips only when Chromium is genuinely absent and ``CI`` is not set; under CI it runs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog_graph.viz import load_graph, write_picture
from tests.web_support import HOSTILE, SCRIPT_ITEM, WAIT, build_sample, console_errors, new_driver

KIND_COLOURS = {"catalog": (0x1F, 0x6F, 0xEB), "regulation": (0xCF, 0x22, 0x2E)}


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("viz-browser"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with tempfile.TemporaryDirectory(prefix="catalog-graph-chromium-") as profile:
        driver = new_driver(profile)
        try:
            yield driver
        finally:
            driver.quit()


def open_page(driver: Any, path: Path) -> dict:
    """Load a page and wait until its first view is drawn; its window.catalogGraph."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return !!(window.catalogGraph && window.catalogGraph.ready)"))
    return driver.execute_script("return window.catalogGraph")


def wait_for_view(driver: Any, view: str) -> dict:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
        "return document.body.dataset.ready === 'true' && document.body.dataset.view === arguments[0]",
        view))
    return driver.execute_script("return window.catalogGraph")


def has_colour(png: Path, colour: tuple[int, int, int]) -> bool:
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return any(abs(c[0] - colour[0]) + abs(c[1] - colour[1]) + abs(c[2] - colour[2]) < 24
               for _, c in colours)


def test_the_page_draws_the_graph_and_counts_every_node(browser: Any, built_dir: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    write_picture(built_dir, out)
    graph = load_graph(built_dir)
    state = open_page(browser, out)
    assert state["nodes"] == graph.number_of_nodes()
    assert state["edges"] == graph.number_of_edges()
    assert state["view"] == "overview"
    kinds = {k: sum(1 for _, d in graph.nodes(data=True) if d["kind"] == k) for k in state["kinds"]}
    assert state["kinds"] == kinds
    # the overview: every catalog, regulation and issuer, no items (they show on focus)
    assert state["drawnKinds"] == {"catalog": kinds["catalog"], "regulation": kinds["regulation"],
                                   "issuer": kinds["issuer"], "provision": 0, "item": 0}
    shot = Path(os.environ.get("CATALOG_GRAPH_SCREENSHOTS", tmp_path)) / "viz-overview.png"
    browser.save_screenshot(str(shot))
    assert has_colour(shot, KIND_COLOURS["catalog"]) and has_colour(shot, KIND_COLOURS["regulation"])
    legend = browser.find_element("id", "legend").text
    assert all(word in legend for word in ("catalog", "item", "regulation", "provision", "issuer"))
    assert console_errors(browser) == []


def test_search_an_item_and_see_its_source_as_text(browser: Any, built_dir: Path,
                                                    tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out = tmp_path / "graph.html"
    write_picture(built_dir, out)
    open_page(browser, out)
    browser.find_element(By.ID, "search").send_keys("pwned")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results button"))
    results = browser.find_elements(By.CSS_SELECTOR, "#search-results button")
    item = next(r for r in results if r.text.startswith("item" + SCRIPT_ITEM))
    item.click()
    state = wait_for_view(browser, "catalog")
    assert state["drawnKinds"]["item"] == 2  # the hostile catalog's two items
    details = browser.find_element(By.ID, "details")
    assert details.find_element(By.TAG_NAME, "h2").text == SCRIPT_ITEM
    assert "raw/hostile.txt, row 1" in details.text
    assert HOSTILE in details.text
    assert details.find_elements(By.CSS_SELECTOR, "script, img") == []
    assert browser.execute_script("return window.pwned === undefined")
    title = browser.find_element(By.ID, "view-note").text
    assert title.startswith("Focus on the catalog " + HOSTILE)
    assert console_errors(browser) == []


def test_filters_focus_and_the_node_limit_holds(browser: Any, built_dir: Path,
                                                 tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out = tmp_path / "small.html"
    write_picture(built_dir, out, max_nodes=12)
    state = open_page(browser, out)
    assert state["nodes"] == load_graph(built_dir).number_of_nodes()
    assert state["drawn"] <= 12
    regulations = Select(browser.find_element(By.ID, "regulation-filter"))
    regulations.select_by_index(1)  # the most-cited regulation
    state = wait_for_view(browser, "regulation")
    assert state["drawn"] <= 12 and state["drawnKinds"]["regulation"] == 1
    assert "not drawn (node limit)" in browser.find_element(By.ID, "view-note").text
    browser.find_element(By.ID, "overview").click()
    assert wait_for_view(browser, "overview")["drawn"] <= 12
    assert console_errors(browser) == []


def test_labels_are_short_and_the_full_name_is_the_hover_title(browser: Any, built_dir: Path,
                                                              tmp_path: Path) -> None:
    """Labels do not pile up: a regulation is drawn by its 发文字号 (or the start of its title),
    a catalog by the start of its title; the full title is the node's hover title."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.by import By

    page = tmp_path / "graph.html"
    write_picture(built_dir, page)
    open_page(browser, page)
    labels = browser.execute_script("return window.catalogGraph.labels()")
    regulations = {full: label for kind, label, full, *_ in labels if kind == "regulation"}
    assert regulations["中华人民共和国政府信息公开条例（国务院令第711号）"] == "国务院令第711号"
    assert all(len(label) <= 14 for kind, label, *_ in labels if kind in ("catalog", "issuer"))
    catalogs = [label for kind, label, *_ in labels if kind == "catalog"]
    # 长治市教育局主动公开事项目录 is 14 characters: whole; the <script> catalog's title is cut
    assert sorted(catalogs) == sorted(["长治市教育局主动公开事项目录", HOSTILE[:13] + "…"])
    # the pointer over the regulation shows its full title
    graph = browser.find_element(By.ID, "graph")
    _, _, full, x, y = next(entry for entry in labels if entry[1] == "国务院令第711号")
    size = graph.size
    ActionChains(browser).move_to_element_with_offset(
        graph, int(x - size["width"] / 2), int(y - size["height"] / 2)).perform()
    assert graph.get_attribute("title") == full
    assert console_errors(browser) == []
