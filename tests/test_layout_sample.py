"""The sample catalog, read field by field against a reading made by hand (tests/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_graph.pipeline import parse_file
from tests.support import SAMPLE

EXPECTED = json.loads((Path(__file__).parent / "data" / "sample_expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def catalog():
    return parse_file(SAMPLE, display="raw/changzhi_education_catalog.txt", citations=False)


def test_title_and_body_come_from_the_line_above_the_table(catalog):
    assert catalog.title == EXPECTED["catalog"]
    assert catalog.body == EXPECTED["body"]


def test_every_data_row_is_one_item(catalog):
    assert len(catalog.items) == len(EXPECTED["items"])


@pytest.mark.parametrize("index", range(len(EXPECTED["items"])))
def test_item_matches_the_hand_reading(catalog, index):
    want = EXPECTED["items"][index]
    got = catalog.items[index].to_dict()
    assert got["catalog"] == EXPECTED["catalog"]
    assert got["number"] == want["number"]
    assert got["path"] == want["path"]
    assert got["content"] == want["content"]
    assert got["basis"] == want["basis"]
    assert got["time_limit"] == want["time_limit"]
    assert got["subject"] == want["subject"]
    assert got["channels"] == want["channels"]
    assert got["audience"] == want["audience"]
    assert got["method"] == want["method"]
    assert got["source"] == {"file": "raw/changzhi_education_catalog.txt", "page": None, "row": want["row"]}
    for word in want["warning_about"]:
        assert any(word in w for w in got["warnings"]), (word, got["warnings"])
    if not want["warning_about"]:
        assert got["warnings"] == []


def test_ids_are_unique_and_stable_across_runs(catalog):
    again = parse_file(SAMPLE, display="raw/changzhi_education_catalog.txt", citations=False)
    ids = [i.id for i in catalog.items]
    assert len(set(ids)) == len(ids)
    assert ids == [i.id for i in again.items]
