"""The real-catalog corpus in tests/real/: each folder a catalog found on a government site, with
the items a person wrote down by reading it (``expected.json``). Not every real table is read
right yet; the scores say how well, and ``tests/real/floors.json`` holds the scores reached so
far, so a change that reads any catalog worse fails here.

    python tests/test_real_corpus.py            # the score table
    python tests/test_real_corpus.py --floors   # raise the floors to today's scores (never lowers)

Scores, per catalog and in all:
- items: items read ÷ items expected (more than expected counts as fewer: |read − expected|);
- fields: of the aligned items, the share of fields equal to what was written down (path,
  content, basis, time-limit kind and days, subject, channels, audience, method; number where the
  catalog has a 序号 column), whitespace between Chinese characters folded as a reader must;
- citation recall and precision: a citation is its doc number when it has one, else its title
  (outer marks dropped, 〈〉 <> ＜＞ folded); articles likewise, as (citation, article) pairs.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent / "real"
FLOORS = REAL / "floors.json"
CASES = sorted(p.parent.name for p in REAL.glob("*/expected.json"))
FIELDS = ("number", "path", "content", "basis", "time_limit", "subject", "channels", "audience",
          "method")
SCORES = ("items", "fields", "citation_recall", "citation_precision", "article_recall",
          "article_precision")

_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\u3000\u00a0]+(?=[\u3000-\u9fff\uff00-\uffef])")
_SPACE = re.compile(r"\s+")


def fold(text: str | None) -> str | None:
    """Text as compared: wrap spaces between Chinese characters dropped, other runs one space."""
    if text is None:
        return None
    text = _WRAP.sub("", text.replace("<br>", "\n"))
    text = _SPACE.sub(" ", text).strip()
    return text or None


def _catalog_file(folder: Path) -> Path:
    files = [p for p in folder.iterdir() if p.name.startswith("catalog.")]
    assert len(files) == 1, f"{folder}: expected one catalog.* file"
    return files[0]


def _field(item: dict, name: str):
    value = item.get(name)
    if name == "time_limit":
        if not value:
            return None
        return (value.get("kind"), value.get("days"))
    if name == "path":
        return tuple(fold(v) for v in value or [])
    if name in ("channels", "audience", "method"):
        return tuple(sorted(fold(v) for v in value or []))
    if name in ("content", "basis", "subject"):
        return fold(value)
    return value


def _key(item: dict) -> str:
    return "|".join(filter(None, [*(fold(p) or "" for p in item.get("path") or []),
                                  fold(item.get("content")) or ""]))


def align(expected: list[dict], read: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of (expected, read) items: in order, by what they name (robust to an item missed or
    an extra row read)."""
    a = [_key(i) for i in expected]
    b = [_key(i) for i in read]
    pairs = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs += list(zip(expected[i1:i2], read[j1:j2], strict=True))
        elif op == "replace":
            # unequal runs: pair by best similarity, in order
            j = j1
            for i in range(i1, i2):
                best, best_ratio = None, 0.5
                for k in range(j, j2):
                    r = difflib.SequenceMatcher(None, a[i], b[k], autojunk=False).ratio()
                    if r > best_ratio:
                        best, best_ratio = k, r
                if best is not None:
                    pairs.append((expected[i], read[best]))
                    j = best + 1
    return pairs


_MARKS = str.maketrans({"<": "〈", ">": "〉", "＜": "〈", "＞": "〉"})


def citation_keys(item: dict) -> set[str]:
    keys = set()
    for c in item.get("citations") or []:
        if c.get("doc_number"):
            keys.add("no:" + re.sub(r"\s", "", c["doc_number"]))
        elif c.get("title"):
            keys.add("title:" + re.sub(r"\s", "", c["title"].strip("《》").translate(_MARKS)))
    return keys


def article_keys(item: dict) -> set[tuple[str, int]]:
    keys = set()
    for c in item.get("citations") or []:
        ref = (c.get("doc_number") or re.sub(r"\s", "", (c.get("title") or "")).translate(_MARKS))
        for p in c.get("provisions") or []:
            if p.get("article") is not None:
                keys.add((ref, p["article"]))
    return keys


def score(case: str) -> dict[str, float | None]:
    from catalog_graph.pipeline import parse_file

    folder = REAL / case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["items"]
    catalog = parse_file(_catalog_file(folder))
    read = [json.loads(json.dumps(item.to_dict(), ensure_ascii=False)) for item in catalog.items]
    pairs = align(expected, read)
    has_number = any(i.get("number") for i in expected)
    fields = [f for f in FIELDS if f != "number" or has_number]
    right = total = 0
    for e, r in pairs:
        for f in fields:
            total += 1
            right += _field(e, f) == _field(r, f)
    total += len(fields) * (len(expected) - len(pairs))  # items not read: every field wrong
    found = {"cit": [0, 0, 0], "art": [0, 0, 0]}  # true positives, expected, read
    for e, r in pairs:
        for name, keys in (("cit", citation_keys), ("art", article_keys)):
            ke, kr = keys(e), keys(r)
            found[name][0] += len(ke & kr)
            found[name][1] += len(ke)
            found[name][2] += len(kr)
    for e in expected[len(pairs):] if len(pairs) < len(expected) else []:
        found["cit"][1] += len(citation_keys(e))
        found["art"][1] += len(article_keys(e))

    def ratio(a: int, b: int) -> float | None:
        return None if b == 0 else round(a / b, 3)

    return {
        "items": round(1 - abs(len(read) - len(expected)) / len(expected), 3),
        "fields": ratio(right, total),
        "citation_recall": ratio(found["cit"][0], found["cit"][1]),
        "citation_precision": ratio(found["cit"][0], found["cit"][2]),
        "article_recall": ratio(found["art"][0], found["art"][1]),
        "article_precision": ratio(found["art"][0], found["art"][2]),
    }


def score_or_error(case: str) -> dict[str, float | None]:
    from catalog_graph.errors import CatalogError

    try:
        return score(case)
    except CatalogError:
        return {name: 0.0 for name in SCORES}


def _floors() -> dict[str, dict[str, float | None]]:
    if not FLOORS.exists():
        return {}
    return json.loads(FLOORS.read_text(encoding="utf-8"))


def test_every_real_catalog_has_its_source_and_expected_items() -> None:
    assert len(CASES) >= 15
    for case in CASES:
        folder = REAL / case
        assert (folder / "SOURCE.md").read_text(encoding="utf-8").strip(), case
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        assert expected["items"], case
        _catalog_file(folder)


@pytest.mark.parametrize("case", CASES)
def test_real_catalog_reads_at_least_as_well_as_before(case: str) -> None:
    floors = _floors().get(case)
    assert floors is not None, f"{case}: no floor recorded (python tests/test_real_corpus.py --floors)"
    scores = score_or_error(case)
    worse = {name: (scores[name], floor) for name, floor in floors.items()
             if floor is not None and (scores[name] or 0.0) < floor}
    assert not worse, f"{case} reads worse than before (now, floor): {worse}"


def report(update_floors: bool = False) -> None:
    floors = _floors()
    totals: dict[str, list[float]] = {name: [] for name in SCORES}
    print(f"{'catalog':32} " + " ".join(f"{n[:9]:>9}" for n in SCORES))
    for case in CASES:
        scores = score_or_error(case)
        for name in SCORES:
            if scores[name] is not None:
                totals[name].append(scores[name])
        print(f"{case:32} " + " ".join(
            f"{'-' if scores[n] is None else format(scores[n], '.2f'):>9}" for n in SCORES))
        if update_floors:
            old = floors.get(case, {})
            floors[case] = {n: (max(scores[n], old.get(n) or 0.0) if scores[n] is not None
                                else None) for n in SCORES}
    print(f"{'mean of ' + str(len(CASES)) + ' catalogs':32} " + " ".join(
        f"{sum(v) / len(v):9.3f}" if v else f"{'-':>9}" for v in totals.values()))
    if update_floors:
        FLOORS.write_text(json.dumps(floors, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")


if __name__ == "__main__":
    report(update_floors="--floors" in sys.argv)
