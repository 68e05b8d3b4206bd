"""``catalog-graph viz``: the self-contained page's data and escaping, the png/svg chart, errors.

On a real build of the sample catalog and a catalog whose cells hold ``<script>``.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from catalog_graph.viz import graph_data, load_graph, script_json, write_chart, write_picture
from tests.web_support import HOSTILE, SCRIPT_ITEM, build_sample, items, items_citing

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("viz"))


@pytest.fixture(scope="module")
def page(built_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("page") / "graph.html"
    write_picture(built_dir, out)
    return out.read_text(encoding="utf-8")


def embedded_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "catalog_graph.cli", *args], capture_output=True,
                          text=True, timeout=120)


# --------------------------------------------------------------------------- the page


def test_the_page_needs_nothing_from_the_network(page: str) -> None:
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert "<link rel=\"stylesheet\"" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "connect-src" not in csp
    assert "Copyright (c) 2016-2026, The Cytoscape Consortium" in page  # its licence kept


def test_text_from_catalogs_is_never_markup(page: str) -> None:
    assert "window.pwned" in page  # the hostile text is there …
    assert "<script>window.pwned" not in page  # … but never as a tag
    assert "<img src=x" not in page
    assert len(re.findall(r"<script\b", page)) == 3  # data, cytoscape, the page's code
    data = embedded_data(page)
    assert HOSTILE in [c["label"] for c in data["catalogs"]]
    assert SCRIPT_ITEM in [i["l"] for i in data["items"]]


def test_script_json_cannot_end_its_element() -> None:
    value = {"t": "</script><!-- <script>alert(1)</script> & \u2028"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_the_page_holds_the_whole_graph(page: str, built_dir: Path) -> None:
    graph = load_graph(built_dir)
    data = embedded_data(page)
    kinds = {kind: sum(1 for _, d in graph.nodes(data=True) if d["kind"] == kind)
             for kind in ("catalog", "item", "regulation", "provision", "issuer")}
    assert data["counts"]["nodes"] == graph.number_of_nodes() == sum(kinds.values())
    assert data["counts"]["kinds"] == kinds
    assert data["counts"]["edges"] == graph.number_of_edges()
    assert [len(data[kind + "s"]) for kind in kinds] == list(kinds.values())


def test_regulations_are_sized_by_the_items_citing_them(page: str, built_dir: Path) -> None:
    graph = load_graph(built_dir)
    data = embedded_data(page)
    cited = {graph.nodes[r["id"]]["regulation_id"]: r["items"] for r in data["regulations"]}
    assert cited == items_citing(built_dir)
    assert sum(n for _, _, n in data["links"]) == sum(items_citing(built_dir).values())


def test_items_carry_their_source(page: str, built_dir: Path) -> None:
    data = embedded_data(page)
    shown = {(data["catalogs"][i["c"]]["label"], i["n"], i["r"]) for i in data["items"]}
    expected = {(i["catalog"], i["number"], i["source"]["row"]) for i in items(built_dir)}
    assert shown == expected
    files = {data["catalogs"][i["c"]]["file"] for i in data["items"]}
    assert files == {i["source"]["file"] for i in items(built_dir)}


def test_the_same_build_gives_the_same_page(built_dir: Path, tmp_path: Path, page: str) -> None:
    write_picture(built_dir, tmp_path / "again.html")
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == page


def test_focus_keeps_one_regulations_neighbourhood(built_dir: Path, tmp_path: Path) -> None:
    graph = load_graph(built_dir)
    cited = items_citing(built_dir)
    top = max(sorted(cited), key=cited.get)
    node = next(n for n, d in graph.nodes(data=True) if d.get("regulation_id") == top)
    number = graph.nodes[node]["doc_number"]
    out = tmp_path / "focus.html"
    write_picture(built_dir, out, focus=number)
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["focus"]["kind"] == "regulation"
    assert data["regulations"][data["focus"]["index"]]["id"] == node
    assert len(data["items"]) == cited[top]
    regulation = data["focus"]["index"]
    assert all(regulation in i["g"]
               or any(data["provisions"][p]["regulation"] == regulation for p in i["v"])
               for i in data["items"])
    assert len(data["catalogs"]) == len({i["c"] for i in data["items"]})


def test_max_nodes_reaches_the_page(built_dir: Path, tmp_path: Path) -> None:
    write_picture(built_dir, tmp_path / "small.html", max_nodes=10)
    assert embedded_data((tmp_path / "small.html").read_text(encoding="utf-8"))["max_nodes"] == 10


# --------------------------------------------------------------------------- the chart


def test_png_chart(built_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "top.png"
    picture = write_picture(built_dir, out, top=10)
    data = out.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert 1000 <= width <= 4000 and 600 <= height <= 8000
    assert 10_000 < len(data) < 10_000_000
    assert picture.drawn == 10
    assert picture.warnings == []  # a CJK font is installed (fonts-noto-cjk)


def test_svg_chart_is_xml_without_scripts(built_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "top.svg"
    picture = write_picture(built_dir, out)
    root = ElementTree.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert b"<script" not in out.read_bytes()
    assert picture.drawn == min(20, len(items_citing(built_dir)))
    again = tmp_path / "again.svg"
    write_picture(built_dir, again)
    assert again.read_bytes() == out.read_bytes()


def test_chart_without_a_cjk_font_still_draws_and_warns(built_dir: Path, tmp_path: Path) -> None:
    data = graph_data(load_graph(built_dir))
    out = tmp_path / "plain.png"
    bars, problems = write_chart(data, out, top=5, fonts=())
    assert bars == 5
    assert out.read_bytes()[:8] == PNG_SIGNATURE
    assert len(problems) == 1 and "fonts-noto-cjk" in problems[0]


# --------------------------------------------------------------------------- the command


def test_viz_command_writes_html(built_dir: Path, tmp_path: Path) -> None:
    done = cli("viz", str(built_dir), "-o", str(tmp_path / "g.html"))
    nodes = load_graph(built_dir).number_of_nodes()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote {tmp_path / 'g.html'}: {nodes} nodes"


def test_viz_of_a_folder_without_a_build_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = cli("viz", str(tmp_path), "-o", str(tmp_path / "g.html"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "build" in done.stderr
    assert not (tmp_path / "g.html").exists()


@pytest.mark.parametrize("name", ["graph.pdf", "graph", "graph.HTML.txt"])
def test_viz_to_an_unknown_type_is_exit_2(built_dir: Path, tmp_path: Path, name: str) -> None:
    done = cli("viz", str(built_dir), "-o", str(tmp_path / name))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and ".html, .png or .svg" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_viz_focus_on_nothing_is_exit_2(built_dir: Path, tmp_path: Path) -> None:
    done = cli("viz", str(built_dir), "-o", str(tmp_path / "g.html"), "--focus", "不存在的文件")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no regulation or catalog matches" in done.stderr
