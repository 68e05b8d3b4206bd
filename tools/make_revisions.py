"""Make a revised version of the sample catalog the way a clerk revises one, in every format.

The old version is the sample (``raw/`` and its fixtures in ``tests/fixtures``). The revision,
``tests/fixtures/revisions/sample_2024.{txt,xlsx,docx,html}``, makes these edits, and nothing else
(``tests/data/revision_expected.json`` is the report a person writes from this list):

1. item 1 is renamed: 政府信息公开指南 → 政府信息公开指南和目录;
2. item 7 (计划规划) gets its own 公开主体, 市教育局规划科 (it had none);
3. item 11 (建议提案办理) is removed, and the items after it are renumbered;
4. items 12 (重大决策预公开) and 13 (重大行政决策项目目录) are merged into one item, keeping the
   name of the first, both contents in one cell;
5. item 14 (网站年度报表) cites 国办发〔2022〕8号 instead of 国办发〔2017〕47号;
6. item 15 (部门信息公开年报) must be out by 1月15日 instead of 1月31日;
7. a new item is added at the end: 依申请公开 › 政府信息公开申请办理.

    python tools/make_revisions.py        # writes tests/fixtures/revisions/

Needs what tools/make_fixtures.py needs for xlsx, docx and html (no LibreOffice).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_fixtures as mf  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "revisions"
TITLE = "长治市教育局主动公开事项目录（2024年修订版）"


def revised_spec() -> mf.Spec:
    spec = copy.deepcopy(mf.sample_spec())
    spec.name = "sample_2024"
    spec.title = TITLE
    rows = spec.rows
    by_number = {r[0]: k for k, r in enumerate(rows) if r[0]}

    rows[by_number["1"]][1] = "政府信息公开指南和目录"
    rows[by_number["7"]][7] = "市教育局规划科"
    r14 = rows[by_number["14"]]
    r14[5] = "《国务院办公厅关于印发2022年政务公开工作要点的通知》（国办发〔2022〕8号）"
    rows[by_number["15"]][6] = "每年1月15日前"
    r12, r13 = rows[by_number["12"]], rows[by_number["13"]]
    r12[4] = r12[4] + "；" + r13[4]
    drop = {by_number["11"], by_number["13"]}
    kept = [r for k, r in enumerate(rows) if k not in drop]
    kept.append(["16", "依申请公开", "政府信息公开申请办理", "", "公民、法人或者其他组织申请获取政府信息的受理、办理和答复情况",
                 "《中华人民共和国政府信息公开条例》第二十七条、第三十三条",
                 "自收到申请之日起20个工作日内", "市教育局", "■政府网站", "✓", "", "✓"])
    number = 0
    for row in kept:  # renumbered from 1, as a clerk's table does
        if row[0]:
            number += 1
            row[0] = str(number)
    spec.rows = kept
    return spec


def write_text(spec: mf.Spec, path: Path) -> None:
    lines = [spec.title, ""] + ["\t".join(r) for r in spec.header + spec.rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    spec = revised_spec()
    write_text(spec, OUT / "sample_2024.txt")
    mf.write_xlsx(spec, OUT / "sample_2024.xlsx")
    mf.write_docx(spec, OUT / "sample_2024.docx")
    mf.write_html(spec, OUT / "sample_2024.html")
    for p in sorted(OUT.iterdir()):
        print(p.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
