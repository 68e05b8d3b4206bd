"""The query page of ``catalog-graph serve`` in headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium with the driver path given, so nothing is downloaded).

These tests skip only when Chromium is genuinely absent and ``CI`` is not set; under CI they run.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog_graph.serve.http import CatalogServer, make_server
from tests.web_support import (
    CATALOG,
    HOSTILE,
    SCRIPT_ITEM,
    WAIT,
    build_sample,
    console_errors,
    new_driver,
    set_query,
    wait_for_rows,
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with tempfile.TemporaryDirectory(prefix="catalog-graph-chromium-") as profile:
        driver = new_driver(profile)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("serve-browser"))


@pytest.fixture(scope="module")
def page_server(built_dir: Path) -> Iterator[CatalogServer]:
    srv = make_server(built_dir, "127.0.0.1", 0, timeout=20, workers=2, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


def editor_text(driver: Any) -> str:
    return driver.execute_script("return window.catalogGraphEditor.value")


def test_pick_an_example_run_it_and_see_its_rows(browser: Any, page_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page_server.url)
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#examples button.example"))
    buttons = browser.find_elements(By.CSS_SELECTOR, "#examples button.example")
    example = next(b for b in buttons if b.get_attribute("data-name") == "catalog-summary")
    example.click()
    rows = wait_for_rows(browser)
    assert len(rows) == 2  # one per catalog
    assert editor_text(browser).startswith("#")
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results-table th")]
    assert header[:2] == ["catalog", "items"]
    first_cells = [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows]
    assert sorted(first_cells) == sorted([CATALOG, HOSTILE])
    assert example.get_attribute("aria-pressed") == "true"
    assert console_errors(browser) == []


def test_run_an_edited_query_and_follow_an_iri(browser: Any, page_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By

    browser.get(page_server.url)
    set_query(browser, "SELECT ?c ?t WHERE { ?c a cg:Catalog ; dcterms:title ?t } ORDER BY ?t")
    rows = wait_for_rows(browser)
    assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == \
        sorted([CATALOG, HOSTILE])
    csv_link = browser.find_element(By.CSS_SELECTOR, '#downloads a[data-format="csv"]')
    assert "/sparql?query=" in csv_link.get_attribute("href")
    rows[0].find_element(By.CSS_SELECTOR, "td a").click()
    triples = wait_for_rows(browser)
    assert browser.current_url.startswith(page_server.url + "describe?iri=")
    cells = [r.find_elements(By.TAG_NAME, "td") for r in triples]
    assert any(c[1].text == "dcterms:title" for c in cells)
    assert console_errors(browser) == []


def test_text_from_catalogs_shows_as_text(browser: Any, page_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By

    browser.get(page_server.url)
    set_query(browser, "SELECT ?name ?content WHERE { ?i a cg:DisclosureItem ; skos:prefLabel "
                       "?name ; cg:content ?content } ORDER BY ?name")
    wait_for_rows(browser)
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#results-table td")]
    assert SCRIPT_ITEM in cells  # the language tag is the cell's lang attribute, not text
    assert any(c.startswith('<img src=x onerror="window.pwned=2">') for c in cells)
    assert browser.find_elements(By.CSS_SELECTOR, "#results script, #results img") == []
    assert browser.execute_script("return window.pwned === undefined")
    assert console_errors(browser) == []


def test_construct_results_show_as_a_table_of_triples(browser: Any,
                                                      page_server: CatalogServer) -> None:
    from selenium.webdriver.common.by import By

    browser.get(page_server.url)
    set_query(browser, "CONSTRUCT WHERE { ?c a cg:Catalog ; dcterms:title ?t }")
    rows = wait_for_rows(browser)
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results-table th")]
    assert header == ["subject", "predicate", "object"]
    objects = {r.find_elements(By.TAG_NAME, "td")[2].text for r in rows}
    assert {CATALOG, HOSTILE, "cg:Catalog"} <= objects
    assert console_errors(browser) == []
