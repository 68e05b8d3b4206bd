"""Exploring without writing SPARQL, in headless Chromium: the item browser's facets and
search, following a citation to its regulation and back, exporting a view, completing a
property in the editor, an error marked in the editor, labels linked in results; on the sample
and on a generated corpus (bench/gen_corpus.py). Every page is checked for console errors, and
a screenshot of each is written to ``$CATALOG_GRAPH_SCREENSHOTS`` (or the test's temporary
folder) to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from catalog_graph.batch.build import build
from catalog_graph.serve.http import CatalogServer, make_server
from tests.support import COUNTY, SAMPLE
from tests.web_support import (
    HOSTILE_CATALOG,
    WAIT,
    console_errors,
    new_driver,
    set_query,
    wait_for_rows,
)

CHANGZHI = "长治市教育局主动公开事项目录"
GIOR = "中华人民共和国政府信息公开条例"

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with tempfile.TemporaryDirectory(prefix="catalog-graph-chromium-") as profile:
        driver = new_driver(profile)
        try:
            yield driver
        finally:
            driver.quit()


def serving(directory: Path) -> Iterator[CatalogServer]:
    srv = make_server(directory, "127.0.0.1", 0, timeout=30, workers=2, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogServer]:
    root = tmp_path_factory.mktemp("explore-browser")
    shutil.copy(SAMPLE, root / "changzhi.txt")
    (root / "county.txt").write_text(COUNTY, encoding="utf-8")
    (root / "hostile.txt").write_text(HOSTILE_CATALOG, encoding="utf-8")
    out = tmp_path_factory.mktemp("explore-browser-out")
    build([root], out, workers=1)
    yield from serving(out)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(corpus),
                    "--catalogs", "40", "--seed", "3"], check=True, capture_output=True)
    out = tmp_path_factory.mktemp("generated-out")
    build([corpus], out, workers=1)
    return out


@pytest.fixture(scope="module")
def corpus_server(corpus_dir: Path) -> Iterator[CatalogServer]:
    yield from serving(corpus_dir)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("CATALOG_GRAPH_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_page(driver: Any, url: str, ready: str) -> None:
    """Go to ``url`` and wait for the element matching the CSS selector ``ready``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))


def click_and_wait(driver: Any, element: Any, ready: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, WAIT).until(staleness_of(page))
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))


def facet_link(driver: Any, facet: str, label: str) -> Any:
    from selenium.webdriver.common.by import By

    for link in driver.find_elements(By.CSS_SELECTOR, f'section.facet[data-facet="{facet}"] li a'):
        if link.text == label:
            return link
    raise AssertionError(f"no {facet} facet value {label!r}")


def facet_counts(driver: Any, facet: str) -> dict[str, int]:
    from selenium.webdriver.common.by import By

    counts = {}
    for li in driver.find_elements(By.CSS_SELECTOR, f'section.facet[data-facet="{facet}"] li'):
        link = li.find_element(By.CSS_SELECTOR, "a")
        counts[link.text] = int(li.find_element(By.CSS_SELECTOR, ".count").text)
    return counts


def total(driver: Any) -> int:
    from selenium.webdriver.common.by import By

    return int(driver.find_element(By.ID, "total").text)


def fetch_text(driver: Any, href: str) -> str:
    """What the page's own fetch of ``href`` gives (an export, as the browser downloads it)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));", href)


# ---------------------------------------------------------------------------- the sample


def test_facet_search_and_follow_a_citation_to_its_regulation_and_back(
        browser: Any, sample_server: CatalogServer, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, sample_server.url + "items", "#total")
    click_and_wait(browser, facet_link(browser, "catalog", CHANGZHI), "#total")
    assert total(browser) == 28
    assert facet_counts(browser, "category")["机构职能"] == 3
    click_and_wait(browser, facet_link(browser, "category", "机构职能"), "#total")
    assert total(browser) == 3
    search = browser.find_element(By.CSS_SELECTOR, "form.search input[type=search]")
    search.send_keys("工作部门", Keys.ENTER)
    WebDriverWait(browser, WAIT).until(lambda d: total(d) == 1)
    browser.save_screenshot(str(shots / "items-facet-search.png"))
    item = browser.find_element(By.CSS_SELECTOR, "table.items a.item")
    assert item.text == "工作部门"
    click_and_wait(browser, item, "#item-name")
    browser.save_screenshot(str(shots / "item.png"))
    citation = browser.find_element(By.CSS_SELECTOR, "#basis a.cite")
    assert citation.text == f"《{GIOR}》第二十条"
    click_and_wait(browser, citation, "#regulation-title")
    assert browser.find_element(By.ID, "regulation-title").text == GIOR
    assert "国务院令第711号" in browser.page_source
    browser.save_screenshot(str(shots / "regulation.png"))
    browser.back()
    WebDriverWait(browser, WAIT).until(lambda d: d.find_elements(By.ID, "item-name"))
    assert browser.find_element(By.ID, "item-name").text == "工作部门"
    assert console_errors(browser) == []


def test_export_the_current_view(browser: Any, sample_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, sample_server.url + "items?" + urlencode(
        {"catalog": CHANGZHI, "category": "机构职能"}), "#total")
    csv_text = fetch_text(browser, browser.find_element(By.ID, "export-csv").get_attribute("href"))
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("id,catalog,number,path,name")
    assert [line.split(",")[4] for line in lines[1:]] == ["领导信息", "工作部门", "直属事业单位"]
    document = json.loads(fetch_text(
        browser, browser.find_element(By.ID, "export-json").get_attribute("href")))
    assert document["total"] == 3
    assert console_errors(browser) == []


def test_complete_a_property_in_the_editor(browser: Any, sample_server: CatalogServer,
                                           shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, sample_server.url, ".cm-content")
    WebDriverWait(browser, WAIT).until(
        lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-terms") or 0) > 0)
    content = browser.find_element(By.CSS_SELECTOR, ".cm-content")
    content.click()
    content.send_keys(Keys.CONTROL, "a")
    content.send_keys(Keys.DELETE)
    content.send_keys("SELECT ?t ?k WHERE { ?t cg:timeLimitK")
    options = WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-tooltip-autocomplete li"))
    labels = [o.find_element(By.CSS_SELECTOR, ".cm-completionLabel").text for o in options]
    assert "cg:timeLimitKind" in labels
    browser.save_screenshot(str(shots / "editor-completion.png"))
    content.send_keys(Keys.ENTER, " ?k")
    text = browser.execute_script("return window.catalogGraphEditor.value")
    assert "cg:timeLimitKind ?k" in text
    content.send_keys(Keys.CONTROL, Keys.ENTER)
    rows = wait_for_rows(browser)
    kinds = {r.find_elements(By.TAG_NAME, "td")[1].text for r in rows}
    assert any("time-limit-kind" in k or "实时" in k or "realtime" in k for k in kinds), kinds
    assert console_errors(browser) == []


def test_a_syntax_error_is_marked_where_it_is(browser: Any, sample_server: CatalogServer,
                                              shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, sample_server.url, ".cm-content")
    set_query(browser, "SELECT ?item WHERE {\n  ?item a ?kind ?extra .\n  ?item cg:number ?n\n}")
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "error").is_displayed())
    assert "error at 2:" in browser.find_element(By.ID, "error").text
    marks = WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-lintRange-error"))
    line = marks[0].find_element(By.XPATH, "ancestor::div[contains(@class, 'cm-line')]")
    assert line.text == "  ?item a ?kind ?extra ."  # the line with one term too many
    assert browser.find_elements(By.CSS_SELECTOR, ".cm-gutter-lint .cm-lint-marker-error")
    browser.save_screenshot(str(shots / "editor-error.png"))
    # the console holds the 400 answer, and nothing else
    assert all("400" in e["message"] for e in console_errors(browser))


def test_a_guessed_term_that_finds_nothing_is_named_with_the_real_one(
        browser: Any, sample_server: CatalogServer) -> None:
    """The issue's stumble: cg:kind gives 0 rows; the page says the store never uses cg:kind
    and offers cg:timeLimitKind."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, sample_server.url, ".cm-content")
    WebDriverWait(browser, WAIT).until(
        lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-terms") or 0) > 0)
    set_query(browser, "SELECT ?t ?k WHERE { ?t cg:kind ?k }")
    assert wait_for_rows(browser) == []
    status = browser.find_element(By.ID, "status").text
    assert "cg:kind is not used in this store" in status
    assert "cg:timeLimitKind" in status
    assert console_errors(browser) == []


def test_example_results_link_labels_to_their_pages(browser: Any, sample_server: CatalogServer,
                                                    shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, sample_server.url, "#examples button.example")
    button = next(b for b in browser.find_elements(By.CSS_SELECTOR, "#examples button.example")
                  if b.get_attribute("data-name") == "most-cited-regulations")
    button.click()
    rows = wait_for_rows(browser)
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results-table th")]
    assert header[0] == "regulation" and "regulationLabel" not in header
    first = rows[0].find_element(By.CSS_SELECTOR, "td a")
    assert first.text == GIOR and "@" not in rows[0].text
    assert "/regulation/" in first.get_attribute("href")
    browser.save_screenshot(str(shots / "results-labels.png"))
    click_and_wait(browser, first, "#regulation-title")
    assert browser.find_element(By.ID, "regulation-title").text == GIOR
    WebDriverWait(browser, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.catalogs"))
    assert console_errors(browser) == []


def test_describe_shows_the_labels_of_linked_nodes(browser: Any, sample_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, sample_server.url + "items?" + urlencode(
        {"catalog": CHANGZHI, "category": "机构职能"}), "#total")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "table.items a.item"),
                   "#item-name")
    describe = next(a for a in browser.find_elements(By.TAG_NAME, "a")
                    if "/describe?iri=" in (a.get_attribute("href") or ""))
    click_and_wait(browser, describe, "#results-table")
    rows = wait_for_rows(browser)
    cells = {r.find_elements(By.TAG_NAME, "td")[1].text: r.find_elements(By.TAG_NAME, "td")[2].text
             for r in rows}
    assert cells["cg:inCatalog"] == CHANGZHI  # the catalog's title, not its hash
    assert cells["cg:topCategory"] == "机构职能"
    assert console_errors(browser) == []


def test_the_schema_page_opens_an_example_query(browser: Any, sample_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, sample_server.url + "schema", "#properties")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#properties a.term")
                if a.text == "cg:timeLimitKind")
    click_and_wait(browser, link, ".cm-content")
    rows = wait_for_rows(browser)
    assert rows
    assert console_errors(browser) == []


# ---------------------------------------------------------------------------- a generated corpus


def test_the_generated_corpus_browses_like_the_sample(browser: Any, corpus_server: CatalogServer,
                                                      corpus_dir: Path, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    items = [json.loads(line) for line in
             (corpus_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    open_page(browser, corpus_server.url + "items", "#total")
    assert total(browser) == len(items)
    catalogs = Counter(it["catalog"] for it in items)
    shown = facet_counts(browser, "catalog")
    assert all(shown[name] == catalogs[name] for name in shown)
    citing = Counter(reg for it in items for reg in
                     {c["regulation"] for c in it["citations"] if c.get("regulation")})
    top, count = citing.most_common(1)[0]
    first = browser.find_element(By.CSS_SELECTOR, 'section.facet[data-facet="regulation"] li a')
    assert f"regulation={top}" in first.get_attribute("href")  # the most cited comes first
    assert facet_counts(browser, "regulation")[first.text] == count
    click_and_wait(browser, first, "#total")
    assert total(browser) == count
    browser.save_screenshot(str(shots / "corpus-items.png"))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "table.items a.item"),
                   "#item-name")
    cite = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#basis a.cite")
                if a.get_attribute("href").endswith(f"/regulation/{top}"))
    click_and_wait(browser, cite, "#regulation-title")
    assert browser.current_url.endswith(f"/regulation/{top}")
    listed = browser.find_elements(By.CSS_SELECTOR, "ul.citing li")
    assert len(listed) == min(count, 500)
    browser.save_screenshot(str(shots / "corpus-regulation.png"))
    assert console_errors(browser) == []


def test_the_graph_view_draws_in_serve(browser: Any, sample_server: CatalogServer,
                                       shots: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(sample_server.url + "graph?" + urlencode({"focus": CHANGZHI}))
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return !!(window.catalogGraph && window.catalogGraph.ready)"))
    state = browser.execute_script("return window.catalogGraph")
    assert state["view"] == "catalog" and state["drawnKinds"]["item"] == 28
    labels = browser.execute_script("return window.catalogGraph.labels()")
    items = [label for kind, label, *_ in labels if kind == "item"]
    assert "政府信息公开指南" in items and all(len(label) <= 10 for label in items)
    browser.save_screenshot(str(shots / "graph-catalog.png"))
    assert console_errors(browser) == []
