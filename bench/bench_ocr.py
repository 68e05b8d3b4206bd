"""How well and how fast scans are read: every scan fixture against its text version.

    .venv/bin/python bench/bench_ocr.py                 # every fixture in tests/fixtures/scans
    .venv/bin/python bench/bench_ocr.py sample_200dpi.pdf --json scores.json

For each scan in ``tests/fixtures/scans`` (``manifest.json`` names the printed PDF it was made
from and its pages) the items read from the scan are scored against the items read from the
printed PDF's text layer, on the same pages:

- **items found**: text-version items with a scanned item matched to them (by their path,
  content and basis, compared as characters, similarity at least 0.6);
- **fields exact**: of the nine fields (number, path, content, basis, time limit, subject,
  channels, audience, method) of every text-version item, the share the scan gives exactly
  (an item not found counts all nine wrong);
- **citation recall / precision**: citations compared by title, 发文字号 and provisions, within
  matched items;
- **doc numbers exact**: the text version's 发文字号 found verbatim in the matched item's.

Speed: the engine's load (once per process) is timed apart, then each file's read; wall-clock
seconds and CPU seconds (all threads) per page. Run it on a quiet machine: other jobs on the
same cores inflate the wall-clock figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from catalog_graph.pipeline import parse_file  # noqa: E402

SCANS = ROOT / "tests" / "fixtures" / "scans"
FIELDS = ("number", "path", "content", "basis", "time_limit", "subject", "channels", "audience",
          "method")


def reference(source: str, pages: list[int]) -> list[dict]:
    """The items of the printed PDF on the given pages, as its text layer gives them."""
    catalog = parse_file(ROOT / "tests" / "fixtures" / source)
    return [i.to_dict() for i in catalog.items if i.source.page in pages]


def _key(item: dict) -> str:
    return "|".join(["/".join(item["path"]), item["content"] or "", (item["basis"] or "")[:60]])


def match(ref: list[dict], got: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each reference item with the scanned item most like it (each used once), in order."""
    from rapidfuzz.fuzz import ratio

    used: set[int] = set()
    out = []
    for r in ref:
        best, score = None, 0.0
        for j, g in enumerate(got):
            if j in used:
                continue
            s = ratio(_key(r), _key(g)) / 100
            if s > score:
                best, score = j, s
        if best is not None and score >= 0.6:
            used.add(best)
            out.append((r, got[best]))
        else:
            out.append((r, None))
    return out


def _field(item: dict, name: str):
    value = item[name]
    if name == "time_limit" and value:
        return (value["kind"], value["days"], value["working_days"], value["deadline"])
    return value


def _cites(item: dict) -> Counter:
    return Counter((c["title"], c["doc_number"], json.dumps(c["provisions"], sort_keys=True))
                   for c in item["citations"])


def score(pairs: list[tuple[dict, dict | None]], got: list[dict]) -> dict:
    found = sum(1 for _, g in pairs if g is not None)
    exact = sum(1 for r, g in pairs if g is not None for f in FIELDS
                if _field(r, f) == _field(g, f))
    cites_ref = cites_got = cites_hit = docs_ref = docs_hit = 0
    for r, g in pairs:
        want = _cites(r)
        cites_ref += sum(want.values())
        numbers = [c["doc_number"] for c in r["citations"] if c["doc_number"]]
        docs_ref += len(numbers)
        if g is None:
            continue
        have = _cites(g)
        cites_hit += sum((want & have).values())
        read = Counter(c["doc_number"] for c in g["citations"] if c["doc_number"])
        docs_hit += sum((Counter(numbers) & read).values())
    cites_got = sum(sum(_cites(g).values()) for g in got)
    return {
        "items": len(pairs), "items_read": len(got), "items_found": found,
        "fields_exact": round(exact / (len(FIELDS) * len(pairs)), 4) if pairs else None,
        "citation_recall": round(cites_hit / cites_ref, 4) if cites_ref else None,
        "citation_precision": round(cites_hit / cites_got, 4) if cites_got else None,
        "doc_numbers": f"{docs_hit}/{docs_ref}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="fixture names (default: all in the manifest)")
    parser.add_argument("--json", help="write the scores here too")
    args = parser.parse_args()
    manifest = json.loads((SCANS / "manifest.json").read_text("utf-8"))
    names = args.files or [n for n in manifest if not n.startswith("broken/")]

    from catalog_graph.readers.image import engine as engines

    t0, c0 = time.perf_counter(), time.process_time()
    engines.engine()
    load = (time.perf_counter() - t0, time.process_time() - c0)
    print(f"engine load: {load[0]:.2f} s wall, {load[1]:.2f} s CPU", flush=True)
    rows = []
    for name in names:
        entry = manifest[name]
        t0, c0 = time.perf_counter(), time.process_time()
        got = [i.to_dict() for i in parse_file(SCANS / name).items]
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        ref = reference(entry["source"], entry["pages"])
        row = {"file": name, **score(match(ref, got), got), "pages": len(entry["pages"]),
               "wall_s_per_page": round(wall / len(entry["pages"]), 2),
               "cpu_s_per_page": round(cpu / len(entry["pages"]), 2)}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print()
    print("| scan | items found | fields exact | citation recall | citation precision | "
          "doc numbers exact | CPU s/page | wall s/page |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        pct = (lambda v: "—" if v is None else f"{100 * v:.1f} %")  # noqa: E731
        print(f"| {r['file']} | {r['items_found']}/{r['items']} | {pct(r['fields_exact'])} | "
              f"{pct(r['citation_recall'])} | {pct(r['citation_precision'])} | "
              f"{r['doc_numbers']} | {r['cpu_s_per_page']} | {r['wall_s_per_page']} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"load": load, "rows": rows}, ensure_ascii=False,
                                              indent=1), "utf-8")


if __name__ == "__main__":
    main()
