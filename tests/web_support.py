"""What the serve, page and picture tests share: a build of the sample and a catalog whose
cells hold <script>, and a headless Chromium driven by Selenium (Debian's chromium and
chromium-driver, the driver path given, so nothing is downloaded). Test modules import these
from here; no test module imports another."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import SAMPLE

CATALOG = "长治市教育局主动公开事项目录"


HOSTILE = "某县<script>window.pwned=1</script>交通运输局主动公开事项目录"


SCRIPT_ITEM = "<script>window.pwned=1</script>"


HOSTILE_CATALOG = (
    f"{HOSTILE}\n\n"
    "序号\t公开事项\t\t\t公开内容（要素）\t公开依据\t公开时限\t公开主体\t公开渠道和载体\t公开对象\t\t公开方式\n"
    "\t一级事项\t二级事项\t三级事项\t\t\t\t\t\t全社会\t特定群众\t\n"
    f"1\t法定主动公开内容\t{SCRIPT_ITEM}\t\t<img src=x onerror=\"window.pwned=2\">许可内容\t"
    "《中华人民共和国政府信息公开条例》第二十条\t20个工作日内\t县交通运输局\t政府网站\t✓\t\t主动\n"
    "2\t法定主动公开内容\t道路运输许可\t\t许可结果\t"
    "《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）\t实时更新\t县交通运输局\t政府网站\t✓\t\t主动\n"
)


def build_sample(root: Path) -> Path:
    """``catalog-graph build`` of the sample catalog and a catalog whose cells hold <script>."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    (raw / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (raw / "hostile.txt").write_text(HOSTILE_CATALOG, encoding="utf-8")
    out = root / "out"
    done = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "build", str(raw), "-o",
                           str(out), "--workers", "1"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return out


def items(directory: Path) -> list[dict]:
    """The items of a build, from items.jsonl."""
    lines = (directory / "items.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def items_citing(directory: Path) -> dict[str, int]:
    """Regulation id → how many items cite it, from items.jsonl."""
    counts: dict[str, set[str]] = {}
    for item in items(directory):
        for citation in item["citations"]:
            if citation["regulation"]:
                counts.setdefault(citation["regulation"], set()).add(item["catalog"] + item["id"])
    return {reg: len(ids) for reg, ids in counts.items()}


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


def console_errors(driver: Any) -> list[dict]:
    """The browser console's errors since the last call."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


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
