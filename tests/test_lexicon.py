"""The word tables of ontology/lexicon/: every example row is run, a malformed row is named by
its file and line, and one row added teaches catalog-graph a word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog_graph.citations import find_citations
from catalog_graph.citations.docnumbers import parse_doc_number
from catalog_graph.citations.titles import bare_title_start, title_issuers
from catalog_graph.layout.header import (
    SUBJECT,
    TIME,
    header_field,
    is_mark,
    looks_like,
    subheader_kind,
)
from catalog_graph.layout.table import body_of
from catalog_graph.layout.values import parse_time_limit, split_channels
from catalog_graph.lexicon import TABLES, LexiconError, Row, header_words, parse, table
from catalog_graph.numerals import parse_int
from catalog_graph.paths import ontology_dir
from catalog_graph.pipeline import parse_file
from catalog_graph.readers._select import header_score
from tests.support import HEADER


def rows(name: str) -> list:
    return [pytest.param(r, id=f"{r.line}-{r.word}") for r in table(name)]


# --------------------------------------------------------------------------- every example


@pytest.mark.parametrize("row", rows("headers"))
def test_a_header_example_maps_to_its_field(row: Row) -> None:
    example, match = row["example"], row["match"]
    if match in ("name", "part"):
        assert header_field(example) == row["field"]
    elif match == "label":
        assert subheader_kind(example) == row["field"]
    if row["catalog"] == "yes" or match == "catalog":
        assert row.word in header_words().catalog
        assert header_score([[example]]) >= 1


@pytest.mark.parametrize("row", rows("marks"))
def test_a_mark_example_reads_as_ticked_or_not(row: Row) -> None:
    ticked = row["meaning"] == "ticked"
    if {"mark_column", "mark_word"} & set(row.roles):
        assert is_mark(row.word) is ticked
    if "mark_column" in row.roles:
        assert is_mark(row.word * 3) is ticked
    if "channel_box" in row.roles:
        assert split_channels(row["example"]) == [row["expect"]]
    else:
        assert is_mark(row["example"]) is ticked


@pytest.mark.parametrize("row", rows("time_limits"))
def test_a_time_limit_example_parses_to_its_kind(row: Row) -> None:
    example = row["example"]
    assert row.word in example
    limit = parse_time_limit(example)
    assert limit is not None and limit.kind == row["kind"]
    if "cue" in row.roles:
        assert TIME in looks_like(example)
    if "working_days" in row.roles:
        assert limit.working_days is True
    if "days" in row.roles:
        assert limit.working_days is False


@pytest.mark.parametrize("row", rows("title_words"))
def test_a_title_word_example_cites_what_it_expects(row: Row) -> None:
    assert row.word in row["example"]
    found = find_citations(row["example"])
    assert found and (found[0].title or found[0].doc_number) == row["expect"]


@pytest.mark.parametrize("row", rows("body_words"))
def test_a_body_word_example_is_read_as_a_body_in_each_role(row: Row) -> None:
    body = row["example"]
    assert row.word in body
    if "issuer" in row.roles:
        assert title_issuers(f"{body}关于做好政务公开工作的通知") == [body]
    if "decree" in row.roles:
        assert parse_doc_number(f"{body}令第5号") is not None
    if "subject" in row.roles:
        assert SUBJECT in looks_like(body)
    if "token" in row.roles:
        assert bare_title_start(f"依据{body}关于做好政务公开工作的通知") == len("依据")
    if "before_government" in row.roles:
        assert body_of(f"{body}政府信息公开目录") == body + "政府"


@pytest.mark.parametrize("row", rows("numerals"))
def test_a_numeral_example_is_worth_what_it_means(row: Row) -> None:
    assert row.word in row["example"]
    assert parse_int(row["example"]) == int(row["means"])


def test_every_table_has_rows_and_examples() -> None:
    for name in TABLES:
        found = table(name)
        assert found, name
        assert all(r["example"] for r in found), name


# --------------------------------------------------------------------------- reading the tables


def test_a_row_with_a_missing_column_is_named_by_file_and_line() -> None:
    text = "# a comment\nword\tfield\texample\n序号\tnumber\t序号\n公开期限\ttime_limit\n"
    with pytest.raises(LexiconError, match=r"^headers\.tsv:4: 2 columns where the header has 3"):
        parse(text, "headers.tsv")


def test_a_table_without_a_header_line_is_refused() -> None:
    with pytest.raises(LexiconError, match=r"^marks\.tsv:2: the header line"):
        parse("# marks\n✓\tticked\n", "marks.tsv")


def test_a_word_with_spaces_around_it_is_refused() -> None:
    with pytest.raises(LexiconError, match=r"^t\.tsv:2: the word is empty"):
        parse("word\texample\n 序号\t序号\n", "t.tsv")


@pytest.fixture
def ontology_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the ontology that ``$CATALOG_GRAPH_ONTOLOGY`` points to."""
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), copy)
    monkeypatch.setenv("CATALOG_GRAPH_ONTOLOGY", str(copy))
    return copy


def test_a_malformed_row_in_the_ontology_names_its_file_and_line(ontology_copy: Path) -> None:
    headers = ontology_copy / "lexicon" / "headers.tsv"
    with headers.open("a", encoding="utf-8") as fh:
        fh.write("公开期限 time_limit name\n")  # spaces, not tabs
    line = len(headers.read_text(encoding="utf-8").splitlines())
    with pytest.raises(LexiconError, match=rf"headers\.tsv:{line}: 1 columns"):
        header_field("公开期限")


# --------------------------------------------------------------------------- teaching a word

ROW = ("1\t机构职能\t\t\t机构设置\t《中华人民共和国政府信息公开条例》第二十条\t"
       "自该信息形成或者变更之日起20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n")


def test_a_new_header_name_is_taught_by_adding_one_row(write_catalog, ontology_copy: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # 披露事宜 is no header name headers.tsv knows (公开期限, once the example here, now is)
    path = write_catalog(ROW, header=HEADER.replace("公开内容", "披露事宜"))
    monkeypatch.delenv("CATALOG_GRAPH_ONTOLOGY")
    [unknown] = parse_file(path, citations=False).items
    assert unknown.content is None
    assert unknown.extra["披露事宜（要素）"] == "机构设置"

    with (ontology_copy / "lexicon" / "headers.tsv").open("a", encoding="utf-8") as fh:
        fh.write("披露事宜\tcontent\tname\t\t披露事宜\n")
    monkeypatch.setenv("CATALOG_GRAPH_ONTOLOGY", str(ontology_copy))
    [taught] = parse_file(path, citations=False).items
    assert taught.content == "机构设置"
    assert "披露事宜（要素）" not in taught.extra


def test_the_build_cache_fingerprints_the_word_tables(ontology_copy: Path) -> None:
    from catalog_graph.batch.cache import fingerprint

    before = fingerprint()
    with (ontology_copy / "lexicon" / "headers.tsv").open("a", encoding="utf-8") as fh:
        fh.write("公开期限\ttime_limit\tname\t\t公开期限\n")
    assert fingerprint() != before
