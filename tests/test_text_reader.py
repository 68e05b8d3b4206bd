"""Text catalogs in every encoding they come in, and the ones that are not catalogs at all."""

from __future__ import annotations

import subprocess
import sys

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.pipeline import parse_file
from tests.support import HEADER, SAMPLE

ROWS = "1\t政府信息公开指南\t\t\t政府信息公开指南\t《中华人民共和国政府信息公开条例》第十二条\t20个工作日内\t县教育局\t■政府网站\t✓\t\t✓\n"
TITLE = "某县教育局主动公开事项目录"


def _items(path):
    return [i.to_dict() | {"source": None, "id": None} for i in parse_file(path, citations=False).items]


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b""),
    ("utf-16-be", b""), ("gb18030", b""), ("gbk", b""),
])
def test_every_encoding_gives_the_same_items(tmp_path, encoding, prefix):
    text = f"{TITLE}\n{HEADER}{ROWS}".replace("✓", "√")  # GBK has √, not ✓
    reference = tmp_path / "ref.txt"
    reference.write_text(text, "utf-8")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert _items(path) == _items(reference)
    assert parse_file(path, citations=False).title == TITLE


def test_crlf_and_fullwidth_spaces_change_nothing(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text(f"{TITLE}\n{HEADER}{ROWS}", "utf-8")
    messy = tmp_path / "messy.txt"
    messy.write_bytes(f"\u3000{TITLE}\u3000\r\n{HEADER}{ROWS}".replace("\n", "\r\n").replace("县教育局\t", "\u3000县教育局\u200b\t").encode("utf-8"))
    assert _items(messy) == _items(plain)


def test_a_cell_with_line_breaks_quoted_as_excel_copies_it(tmp_path):
    path = tmp_path / "quoted.txt"
    row = ROWS.replace("《中华人民共和国政府信息公开条例》第十二条", '"1.《中华人民共和国政府信息公开条例》第十二条\n2.《中华人民共和国档案法》"')
    path.write_text(f"{TITLE}\n{HEADER}{row}", "utf-8")
    (item,) = parse_file(path, citations=False).items
    assert item.basis == "1.《中华人民共和国政府信息公开条例》第十二条\n2.《中华人民共和国档案法》"


@pytest.mark.parametrize("content,kind", [
    (b"", "empty"),
    (b"   \r\n\r\n", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200) + b"IHDR", "corrupt"),  # a PNG: a damaged picture
    ("这是一份通知，没有表格。\n第二行文字。\n".encode(), "no_table"),
    ("名称\t数量\t单价\n苹果\t3\t5\n".encode(), "no_known_column"),
    (b"\xff\xfe\x00\xd8\x00\xd8", "encoding"),
])
def test_bad_input_raises_one_clear_error(tmp_path, content, kind):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CatalogError) as err:
        parse_file(path, citations=False)
    assert err.value.kind == kind
    assert str(err.value).startswith(str(path))
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("content,words", [
    (b"", "empty"),
    (bytes(range(256)) * 20, "binary"),
    ("这是一份通知，没有表格。\n".encode(), "no table"),
    ("名称\t数量\t单价\n苹果\t3\t5\n".encode(), "no known column"),
])
def test_parse_command_fails_with_one_line_exit_2_and_writes_nothing(tmp_path, content, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    out = tmp_path / "out" / "items.jsonl"
    proc = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse", str(path), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists() and not out.parent.exists()
    assert proc.stdout == ""


def test_parse_command_reports_a_missing_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse", str(tmp_path / "nope.txt")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "nope.txt" in proc.stderr and "no such file" in proc.stderr


def test_the_sample_is_utf8_with_a_title_and_a_two_row_header():
    catalog = parse_file(SAMPLE, citations=False)
    assert catalog.title == "长治市教育局主动公开事项目录"
    assert catalog.items[0].path == ["政府信息公开指南"]
