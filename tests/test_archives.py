"""Catalogs inside .zip, .7z and .rar attachments: every catalog inside is read, one level of
nesting deep, named ``archive.zip!/inner/path`` in ``source.file``, the report and the graph;
GBK names written by Chinese Windows without the UTF-8 flag come out right; cover letters are
skipped with a note; an archive holding no catalog, or a bomb, is one clear error. And a build
of many .doc files starts LibreOffice once per worker, not once per file (counted from the
processes started, through a ``soffice`` on PATH that logs each start)."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.pipeline import parse_archive
from catalog_graph.readers import archives

ROOT = Path(__file__).resolve().parents[1]
LEGACY = ROOT / "tests" / "fixtures" / "legacy"
CATALOG = "附件2-主动公开事项目录"
LETTER = "附件1-关于印发目录的通知.txt"
FOLDER = "长治市教育局政务公开目录"


def _cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    code = "import sys; from catalog_graph.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT / "src")},
                          cwd=cwd, timeout=600)


def test_gbk_names_without_the_utf8_flag_are_decoded():
    with zipfile.ZipFile(LEGACY / "catalog_gbk.zip") as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())  # as Chinese Windows writes
    names = [m.name for m in archives.members(LEGACY / "catalog_gbk.zip", "catalog_gbk.zip")]
    assert names == [f"{FOLDER}/附件/{CATALOG}.xls", f"{FOLDER}/{LETTER}"]


@pytest.mark.parametrize(("archive", "inner"), [
    ("catalog_gbk.zip", f"{FOLDER}/附件/{CATALOG}.xls"),
    ("catalog_utf8.zip", f"{CATALOG}.doc"),
    ("nested.zip", f"政务公开目录材料.zip!/{FOLDER}/附件/{CATALOG}.xls"),
    ("catalog.7z", f"{CATALOG}.xls"),
    ("catalog.rar", f"{FOLDER}/{CATALOG}.xls"),
])
def test_parse_reads_the_catalog_inside_with_its_provenance(archive, inner, tmp_path):
    run = _cli("parse", archive, cwd=LEGACY)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert {r["source"]["file"] for r in rows} == {f"{archive}!/{inner}"}
    twin = ROOT / "tests" / "fixtures" / ("sample.docx" if inner.endswith(".doc") else "sample.xlsx")
    want = _cli("parse", str(twin)).stdout.splitlines()
    assert len(rows) == len(want) == 28
    assert [r["path"] for r in rows] == [json.loads(w)["path"] for w in want]
    assert f"{LETTER}: skipped, holds no catalog" in run.stderr  # the cover letter, as a note


def test_an_archive_with_no_catalog_is_one_error_line_and_exit_2(tmp_path):
    for name in ("nocatalog.zip", "nocatalog.7z"):
        out = tmp_path / "items.jsonl"
        run = _cli("parse", str(LEGACY / "broken" / name), "-o", str(out))
        assert run.returncode == 2
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "is an archive holding no catalog" in lines[0]
        assert "单位标识.png" in lines[0] and not out.exists()


def test_a_zip_bomb_inside_an_archive_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "附件.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("目录.xls", b"\0" * (8 * 1024 * 1024))  # packs ~1000 times
    with pytest.raises(CatalogError) as err:
        parse_archive(path, display="附件.zip")
    assert err.value.kind == "too_large" and "zip bomb" in err.value.message


def test_an_archive_with_too_many_files_is_refused(tmp_path):
    path = tmp_path / "many.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(archives.MAX_MEMBERS + 1):
            zf.writestr(f"{i}.txt", b"")
    path.write_bytes(buf.getvalue())
    with pytest.raises(CatalogError) as err:
        archives.members(path, "many.zip")
    assert err.value.kind == "too_large"


def test_build_reads_archives_names_their_catalogs_and_fails_one_with_none(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("catalog_gbk.zip", "nested.zip", "catalog.rar", "broken/nocatalog.zip"):
        shutil.copy(LEGACY / name, inputs)
    run = _cli("build", "in", "-o", "out", "--workers", "1", cwd=tmp_path)
    assert run.returncode == 1  # one input failed: the archive with no catalog
    report = {e["path"]: e for e in json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))}
    gbk = f"in/catalog_gbk.zip!/{FOLDER}/附件/{CATALOG}.xls"
    assert report[gbk]["status"] == "ok" and report[gbk]["items"] == 28
    assert report[f"in/nested.zip!/政务公开目录材料.zip!/{FOLDER}/附件/{CATALOG}.xls"]["items"] == 28
    assert report[f"in/catalog.rar!/{FOLDER}/{CATALOG}.xls"]["items"] == 28
    letter = report[f"in/catalog_gbk.zip!/{FOLDER}/{LETTER}"]
    assert letter["status"] == "ok" and letter["items"] == 0
    assert letter["warnings"][0].startswith("skipped, holds no catalog")
    assert report["in/nocatalog.zip"]["status"] == "failed"
    assert "is an archive holding no catalog" in report["in/nocatalog.zip"]["error"]
    items = [json.loads(x) for x in (tmp_path / "out" / "items.jsonl").read_text("utf-8").splitlines()]
    assert sum(1 for i in items if i["source"]["file"] == gbk) == 28
    assert gbk in (tmp_path / "out" / "graph.nq").read_text("utf-8")


def test_a_build_of_doc_files_starts_libreoffice_once_per_worker_not_per_file(tmp_path):
    real = shutil.which("soffice")
    assert real is not None, "LibreOffice is needed (.ci/run installs libreoffice-writer-nogui)"
    bin_dir, log = tmp_path / "bin", tmp_path / "starts.log"
    bin_dir.mkdir()
    wrapper = bin_dir / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    inputs = tmp_path / "in"
    inputs.mkdir()
    data = (LEGACY / "preamble.doc").read_bytes()
    for i in range(8):
        (inputs / f"目录{i}.doc").write_bytes(data)
    shutil.copy(LEGACY / "sample.wps", inputs)
    run = _cli("build", "in", "-o", "out", "--workers", "2", cwd=tmp_path,
               env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert [e["items"] for e in report] == [28] + [7] * 8  # sample.wps, then the eight 目录N.doc
    starts = log.read_text().splitlines()
    serving = [s for s in starts if "macro:///" in s]
    assert 1 <= len(serving) <= 2  # one LibreOffice per worker, for nine files
    assert len(starts) <= 4  # and each worker's profile made once
