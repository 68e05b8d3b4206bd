"""A non-editable install works: the sdist and the wheel carry ``ontology/`` and the web assets,
and the commands run from the unpacked wheel read its ontology, not the checkout's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT, SAMPLE

pytest.importorskip("setuptools")

# what a build reads from the checkout (pyproject.toml names README.md as the readme)
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "src", "ontology")
ONTOLOGY_FILES = ("catalog-graph.ttl", "shapes.ttl", "issuer_codes.tsv", "bodies.txt",
                  "doc_types.tsv")
WEB_FILES = ("index.html", "app.js", "viz.html", "viz.js", "cytoscape.min.js",
             "cytoscape.LICENSE.txt")


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=timeout)
    assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist built from a copy of the checkout, and the wheel built from that sdist."""
    work = tmp_path_factory.mktemp("packaging")
    tree = work / "checkout"
    tree.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore)
        else:
            shutil.copy2(source, tree / name)
    dist = work / "dist"
    _run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
          "build_meta.build_sdist(sys.argv[1])", str(dist)], cwd=tree)
    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as tar:
        tar.extractall(work / "unpacked", filter="data")
    (unpacked,) = (work / "unpacked").iterdir()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--disable-pip-version-check", "-w", str(dist), "."], cwd=unpacked)
    wheel = next(dist.glob("*.whl"))
    site = work / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return {"work": work, "sdist": sdist, "wheel": wheel, "site": site}


@pytest.fixture
def wheel_env(built: dict[str, Path], tmp_path: Path) -> dict[str, str]:
    """An environment where ``import catalog_graph`` finds the unpacked wheel first."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CATALOG_GRAPH_ONTOLOGY", "CATALOG_GRAPH_AUTHORITY", "PYTHONPATH")}
    env["PYTHONPATH"] = str(built["site"])
    env["CATALOG_GRAPH_CACHE"] = str(tmp_path / "cache")
    return env


def test_sdist_carries_the_ontology(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as tar:
        names = {Path(*Path(n).parts[1:]).as_posix() for n in tar.getnames()}
    for name in ONTOLOGY_FILES:
        assert f"ontology/{name}" in names
    assert "setup.py" in names and "MANIFEST.in" in names


def test_wheel_carries_the_ontology_and_the_web_assets(built: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    for name in ONTOLOGY_FILES:
        assert f"catalog_graph/ontology/{name}" in names
    for folder, pattern in (("queries", "*.rq"), ("authority", "*.csv"), ("vocabularies", "*.ttl")):
        expected = {f"catalog_graph/ontology/{folder}/{p.name}"
                    for p in (ROOT / "ontology" / folder).glob(pattern)}
        assert expected and expected <= names
    for name in WEB_FILES:
        assert f"catalog_graph/serve/web/{name}" in names


def test_the_installed_package_reads_its_own_ontology(built: dict[str, Path],
                                                      wheel_env: dict[str, str],
                                                      tmp_path: Path) -> None:
    script = ("import json, catalog_graph\n"
              "from catalog_graph.paths import ontology_dir\n"
              "print(json.dumps([catalog_graph.__file__, str(ontology_dir())]))\n")
    found = json.loads(_run([sys.executable, "-c", script], cwd=tmp_path, env=wheel_env).stdout)
    site = built["site"].resolve()
    assert Path(found[0]).resolve().is_relative_to(site)
    assert Path(found[1]).resolve() == site / "catalog_graph" / "ontology"


def test_parse_from_the_installed_package_resolves_citations(wheel_env: dict[str, str],
                                                             tmp_path: Path) -> None:
    result = _run([sys.executable, "-m", "catalog_graph.cli", "parse", str(SAMPLE)],
                  cwd=tmp_path, env=wheel_env)
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) > 20
    assert items[0]["citations"][0]["regulation"] == "guowuyuanling-711"


def test_query_list_from_the_installed_package_lists_the_examples(wheel_env: dict[str, str],
                                                                   tmp_path: Path) -> None:
    result = _run([sys.executable, "-m", "catalog_graph.cli", "query", "--list"],
                  cwd=tmp_path, env=wheel_env)
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert listed == {p.stem for p in (ROOT / "ontology" / "queries").glob("*.rq")}


def test_the_cache_fingerprint_covers_the_installed_ontology(built: dict[str, Path],
                                                            wheel_env: dict[str, str],
                                                            tmp_path: Path) -> None:
    script = "from catalog_graph.batch.cache import fingerprint; print(fingerprint())"
    before = _run([sys.executable, "-c", script], cwd=tmp_path, env=wheel_env).stdout
    authority = built["site"] / "catalog_graph" / "ontology" / "authority" / "shanxi.csv"
    original = authority.read_bytes()
    try:
        authority.write_bytes(original + b"\n")
        after = _run([sys.executable, "-c", script], cwd=tmp_path, env=wheel_env).stdout
    finally:
        authority.write_bytes(original)
    assert before != after
