"""The Python API at the top of the package: its docstring examples and the README's "From
Python" walk-through run as written, importing it loads no heavy library, and it is typed."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import catalog_graph
from tests.support import ROOT


def test_every_docstring_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples name raw/ and tests/fixtures/ as a user in the checkout
    result = doctest.testmod(catalog_graph, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 20
    assert result.failed == 0


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_walk_through_runs_and_prints_what_its_comments_say(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    blocks = readme_python_blocks()
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - our own documentation
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "长治市教育局主动公开事项目录 28"
    assert "市教育局 政府网站；政务新媒体" in out
    assert "28 []" in out and "16" in out and "1 1 21" in out


def test_everything_public_is_listed_and_documented() -> None:
    for name in catalog_graph.__all__:
        obj = getattr(catalog_graph, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 40, name


def test_the_package_is_typed() -> None:
    assert (Path(catalog_graph.__file__).parent / "py.typed").is_file()


def test_importing_the_package_loads_no_heavy_library() -> None:
    code = ("import sys, catalog_graph\n"
            "heavy = ['pyoxigraph', 'rdflib', 'jieba', 'pdfplumber', 'networkx', 'numpy', 'scipy',"
            " 'rapidfuzz', 'openpyxl', 'lxml', 'docx', 'matplotlib', 'click', 'rich', 'pandas']\n"
            "print([m for m in heavy if m in sys.modules])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_to_dataframe_without_pandas_says_how_to_get_it() -> None:
    try:
        import pandas  # noqa: F401
    except ImportError:
        catalog = catalog_graph.parse(ROOT / "raw" / "changzhi_education_catalog.txt")
        with pytest.raises(ImportError, match="pip install pandas"):
            catalog.to_dataframe()
    else:
        catalog = catalog_graph.parse(ROOT / "raw" / "changzhi_education_catalog.txt")
        frame = catalog.to_dataframe()
        assert len(frame) == 28 and frame.loc[0, "subject"] == "市教育局"


def test_parse_of_bytes_names_the_problem_when_there_is_no_catalog() -> None:
    from catalog_graph.errors import CatalogError

    with pytest.raises(CatalogError, match="<bytes>"):
        catalog_graph.parse("这里没有表格。\n".encode())
