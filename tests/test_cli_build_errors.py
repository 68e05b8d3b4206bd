"""`catalog-graph build` refuses what it cannot do with one line, exit 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalog_graph.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_input_is_one_line_exit_2_and_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"catalog-graph: error: {tmp_path / 'nope'}: no such file or folder"
    assert not out.exists()


def test_several_missing_inputs_are_counted_on_the_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw"), str(tmp_path / "a"),
                                       str(tmp_path / "b"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "(and 1 more inputs missing)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_output_folder_under_a_file_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw"), "-o", str(blocker / "out")])
    assert result.exit_code == 2
    assert "cannot write the output folder" in result.stderr and "is a file" in result.stderr
    assert "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_output_folder_where_nothing_can_be_made_is_one_clear_line() -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw"), "-o", "/proc/catalog-graph/out"])
    assert result.exit_code == 2
    assert "cannot write the output folder" in result.stderr
    assert "internal error" not in result.stderr
