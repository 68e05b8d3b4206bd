"""Shared fixtures: the project root, the sample catalog, a way to write small catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "changzhi_education_catalog.txt"

HEADER = (
    "序号\t公开事项\t\t\t公开内容（要素）\t公开依据\t公开时限\t公开主体\t公开渠道和载体\t公开对象\t\t公开方式\n"
    "\t一级事项\t二级事项\t三级事项\t\t\t\t\t\t全社会\t特定群众\t\n"
)


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
