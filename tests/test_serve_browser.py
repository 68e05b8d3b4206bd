"""The query page of ``catalog-graph serve`` in headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium with the driver path given, so nothing is downloaded).

These tests skip only when Chromium is genuinely absent and ``CI`` is not set; under CI they run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog_graph.serve.http import CatalogServer, make_server

from .test_serve import CATALOG, HOSTILE, SCRIPT_ITEM, build_sample

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--window-size=1400,1000")
WAIT = 30  # seconds the page may take to show what a test waits for


def chromium_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver), or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    return (browser, driver) if browser and driver else None


def new_driver(user_data_dir: str) -> Any:
    """A headless Chromium under Selenium, logging the browser console; skips without Chromium
    unless CI is set."""
    paths = chromium_paths()
    if paths is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are required under CI "
                        "(apt-get install chromium chromium-driver)")
        pytest.skip("chromium and chromium-driver are not installed")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=paths[1]), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with tempfile.TemporaryDirectory(prefix="catalog-graph-chromium-") as profile:
        driver = new_driver(profile)
        try:
            yield driver
        finally:
            driver.quit()


def console_errors(driver: Any) -> list[dict]:
    """The browser console's errors since the last call."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


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


def wait_for_rows(driver: Any) -> list[Any]:
    """The rows of the results table once a query has answered (fails on an error box)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, "status").get_attribute("data-rows") is not None
        or d.find_element(By.ID, "error").is_displayed())
    error = driver.find_element(By.ID, "error")
    assert not error.is_displayed(), error.text
    return driver.find_elements(By.CSS_SELECTOR, "#results-table tbody tr")


def set_query(driver: Any, text: str) -> None:
    """Put ``text`` in the page's editor (CodeMirror) and run it with Ctrl+Enter, as a user
    would after pasting it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-content"))
    driver.execute_script("window.catalogGraphEditor.value = arguments[0]", text)
    content = driver.find_element(By.CSS_SELECTOR, ".cm-content")
    content.click()
    content.send_keys(Keys.CONTROL, Keys.ENTER)


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
