"""Shared fixtures (constants and helpers shared by several modules are in support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import HEADER


@pytest.fixture
def write_catalog(tmp_path: Path):
    """Write a small catalog (title line + the sample's two-row header + rows) and return its path."""

    def write(rows: str, title: str = "某县交通运输局主动公开事项目录", header: str = HEADER,
              name: str = "catalog.txt", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        text = (f"{title}\n\n" if title else "") + header + rows
        path.write_bytes(text.encode(encoding))
        return path

    return write
