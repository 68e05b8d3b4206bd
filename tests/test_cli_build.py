"""`catalog-graph build` from the command line: what it refuses (one line, exit 2, nothing written)
and how it names its inputs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalog_graph.cli import main
from tests.support import ROOT


def test_a_missing_input_is_one_line_exit_2_and_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"catalog-graph: error: {tmp_path / 'nope'}: no such file or folder"
    assert not out.exists()


def test_when_no_input_exists_it_is_one_line_naming_the_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a"), str(tmp_path / "b"),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"catalog-graph: error: {tmp_path / 'a'}: no such file or "
                                     "folder (nor the 1 other inputs)")
    assert not (tmp_path / "out").exists()


def test_a_missing_input_among_others_fails_alone_and_the_rest_is_built(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw"), str(tmp_path / "a"),
                                       "-o", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 1  # some input failed; the others are still done
    assert "no such file" in result.stderr or "cannot be opened" in result.stderr
    assert (tmp_path / "out" / "items.jsonl").read_text(encoding="utf-8").count("\n") == 28


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


def test_the_same_files_get_the_same_names_and_iris_however_the_path_is_typed(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    outputs = []
    for typed in ("raw/", str(ROOT / "raw"), "./raw", "raw/../raw"):
        out = tmp_path / f"out{len(outputs)}"
        result = CliRunner().invoke(main, ["build", typed, "-o", str(out), "--workers", "1"])
        assert result.exit_code == 0, result.stderr
        outputs.append(out)
    first = (outputs[0] / "graph.nq").read_bytes()
    assert b"raw/changzhi_education_catalog.txt" in first
    for out in outputs[1:]:
        assert (out / "graph.nq").read_bytes() == first
        assert (out / "items.jsonl").read_bytes() == (outputs[0] / "items.jsonl").read_bytes()


def test_dot_dot_through_a_link_is_not_folded(tmp_path: Path, monkeypatch) -> None:
    from catalog_graph.paths import as_typed_anywhere

    (tmp_path / "real" / "deep").mkdir(parents=True)
    (tmp_path / "real" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "deep").symlink_to(tmp_path / "real" / "deep")
    monkeypatch.chdir(tmp_path)
    # in/deep/.. is real/, so in/deep/../x.txt is real/x.txt, not in/x.txt
    assert as_typed_anywhere("in/deep/../x.txt") == Path("in/deep/../x.txt")
    assert as_typed_anywhere("./real/deep/../x.txt") == Path("real/x.txt")
    assert as_typed_anywhere(tmp_path / "real") == Path("real")
