"""The ``catalog-graph cite`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from catalog_graph.cli import main

CELL = "1.《重大行政决策程序暂行条例》（国务院令第七十三号）；2.《条例》第十条"


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_cite_prints_a_json_array_of_citations() -> None:
    result = run("cite", CELL)
    assert result.exit_code == 0, result.output
    citations = json.loads(result.output)
    assert [c["regulation"] for c in citations] == ["guowuyuanling-713", "guowuyuanling-713"]
    assert citations[0]["doc_number"] == "国务院令第73号"
    assert citations[0]["warnings"] == ["doc number 国务院令第73号 does not match "
                                        "《重大行政决策程序暂行条例》, which is 国务院令第713号"]
    assert list(citations[0]) == ["text", "start", "end", "title", "doc_number", "provisions",
                                  "issuer", "doc_type", "regulation", "warnings"]
    assert "重大行政决策" in result.output  # not \\u-escaped
    assert result.output.startswith("[\n  {")  # indented


def test_cite_reads_stdin_with_a_dash() -> None:
    result = run("cite", "-", stdin=CELL.encode("utf-8"))
    assert result.exit_code == 0
    citations = json.loads(result.output)
    assert CELL[citations[1]["start"]:citations[1]["end"]] == "《条例》第十条"


def test_cite_only_finds_with_no_resolve() -> None:
    citations = json.loads(run("cite", "--no-resolve", CELL).output)
    assert [c["regulation"] for c in citations] == [None, None]
    assert citations[0]["warnings"] == []


def test_cite_adds_an_authority_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("title,doc_number,issuer\n长治市教育局政务公开工作制度,长教发〔2020〕3号,长治市教育局\n",
                    encoding="utf-8")
    [c] = json.loads(run("cite", "--authority", str(path), "《长治市教育局政务公开工作制度》").output)
    assert c["doc_number"] is None and c["issuer"] == ["长治市教育局"]
    assert c["regulation"].startswith("doc-")


def test_cite_errors_are_one_line_with_status_2(tmp_path: Path) -> None:
    missing = run("cite", "--authority", str(tmp_path / "none.csv"), "x")
    assert missing.exit_code == 2
    assert missing.output.strip().count("\n") == 0 and "no such file" in missing.output
    (tmp_path / "bad.csv").write_text("title,doc_number\n某文件,不是文号\n", encoding="utf-8")
    bad = run("cite", "--authority", str(tmp_path / "bad.csv"), "x")
    assert bad.exit_code == 2 and "line 2" in bad.output
    assert run("cite", "-", stdin=b"\xff\xfe\xfa").exit_code == 2


def test_text_without_citations_gives_an_empty_array() -> None:
    assert json.loads(run("cite", "按照上级有关规定执行").output) == []


def test_help_and_cite_with_marks_do_not_import_jieba() -> None:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom catalog_graph.cli import main\n"
            "CliRunner().invoke(main, ['--help'])\n"
            f"CliRunner().invoke(main, ['cite', {CELL!r}])\n"
            "print('jieba' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
