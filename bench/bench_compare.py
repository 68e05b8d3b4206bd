"""Alignment speed and accuracy: two catalogs of N items, revised the way clerks revise them.

The items come from a generated corpus (``bench/gen_corpus.py``: real titles, item names,
contents and citation forms), pooled and made distinct as a catalog's are (no two with the same
levels, no two with the same content). The old catalog is N of them; the new
one is a revision with a known answer:

- 5 % of the items removed and 5 % new ones added (from the rest of the pool);
- 5 % renamed (the item's name changes: 情况 / 信息 added, a level renamed);
- 10 % with their content edited (characters deleted, inserted or replaced);
- 5 % with a citation dropped or the article changed;
- the rest moved about: every item shifted, a tenth of them swapped with another.

It reports the median time of :func:`catalog_graph.compare.align.align` over several runs (jieba
warmed first; the time to read the catalogs is not counted) and the precision and recall of the
pairs it makes against the known answer.

    python bench/bench_compare.py [--items 500] [--runs 7] [--seed 1] [--pool generated]
    python bench/bench_compare.py --pool real --items 170
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def distinct(items: list) -> list:
    """Items as a catalog holds them: no two with the same levels, none with the same content."""
    seen_paths, seen_contents, out = set(), set(), []
    for item in items:
        name, content = "／".join(item.path), item.content or ""
        if name not in seen_paths and content not in seen_contents:
            seen_paths.add(name)
            seen_contents.add(content)
            out.append(item)
    return out


def pool(kind: str, items_wanted: int, seed: int) -> list:
    """``real``: the items of the real catalogs in tests/real and raw/, made distinct;
    ``generated``: items of a generated corpus, only de-duplicated (its items repeat real parts
    in new combinations, so many share a name or a content: a harder, confusable pool)."""
    from catalog_graph.errors import CatalogError
    from catalog_graph.pipeline import parse_file

    if kind == "real":
        items = []
        files = [ROOT / "raw" / "changzhi_education_catalog.txt",
                 *sorted((ROOT / "tests" / "real").glob("*/catalog.*"))]
        for path in files:
            try:
                items += parse_file(path).items
            except CatalogError:
                continue
        return distinct(items)
    with tempfile.TemporaryDirectory() as tmp:
        catalogs = max(8, items_wanted // 12)
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), tmp, "--catalogs",
                        str(catalogs), "--seed", str(seed)], check=True, capture_output=True)
        seen, out = set(), []
        for path in sorted(Path(tmp).rglob("*.txt")):
            for item in parse_file(path).items:
                key = ("／".join(item.path), item.content, item.basis)
                if key not in seen:
                    seen.add(key)
                    out.append(item)
    return out


def edit_text(text: str, rng: random.Random) -> str:
    chars = list(text or "公开内容")
    for _ in range(max(1, len(chars) // 12)):
        k = rng.randrange(len(chars))
        op = rng.choice("did")
        if op == "d" and len(chars) > 4:
            del chars[k]
        elif op == "i":
            chars.insert(k, rng.choice("的和及等相关有关情况"))
        else:
            chars[k] = rng.choice("的和及等相关有关情况")
    return "".join(chars)


def revise(old: list, extra: list, rng: random.Random) -> tuple[list, dict[int, int]]:
    n = len(old)
    order = list(range(n))
    removed = set(rng.sample(order, n // 20))
    kept = [k for k in order if k not in removed]
    new = []
    truth_new_of_old: dict[int, int] = {}
    sample = set(rng.sample(kept, len(kept) // 4))
    kinds = {}
    for k, idx in enumerate(sorted(sample)):
        kinds[idx] = ("rename", "content", "content", "cite")[k % 4]
    for idx in kept:
        item = copy.deepcopy(old[idx])
        kind = kinds.get(idx)
        if kind == "rename" and item.path:
            item.path = item.path[:-1] + [item.path[-1] + rng.choice(["情况", "信息", "事项"])]
        elif kind == "content":
            item.content = edit_text(item.content, rng)
        elif kind == "cite" and item.citations:
            item.citations = item.citations[:-1] if len(item.citations) > 1 else [
                copy.deepcopy(item.citations[0])]
            for p in item.citations[-1].provisions:
                if p.article:
                    p.article += 1
        truth_new_of_old[idx] = len(new)
        new.append(item)
    for item in extra[: n // 20]:
        new.append(copy.deepcopy(item))
    # move things about: swap a tenth of the items with another
    positions = list(range(len(new)))
    for _ in range(len(new) // 10):
        a, b = rng.randrange(len(new)), rng.randrange(len(new))
        positions[a], positions[b] = positions[b], positions[a]
    shuffled = [new[p] for p in positions]
    where = {p: k for k, p in enumerate(positions)}
    truth = {o: where[nk] for o, nk in truth_new_of_old.items()}
    return shuffled, truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", choices=["real", "generated"], default="generated",
                        help="where the items come from (see pool())")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from catalog_graph.compare.align import align

    rng = random.Random(args.seed)
    items = pool(args.pool, args.items * 2, args.seed)
    rng.shuffle(items)
    if len(items) < args.items * 1.1:
        print(f"only {len(items)} distinct items in the {args.pool} pool", file=sys.stderr)
        return 2
    old, extra = items[: args.items], items[args.items:]
    new, truth = revise(old, extra, rng)
    align(old[:20], new[:20])  # warm jieba and the libraries
    times, result = [], None
    for _ in range(args.runs):
        start = time.perf_counter()
        result = align(old, new)
        times.append(time.perf_counter() - start)
    pairs = {(i, j) for i, j, _ in result.pairs}
    for i, js in result.splits:
        pairs.update((i, j) for j in js)
    for is_, j in result.merges:
        pairs.update((i, j) for i in is_)
    right = len(pairs & set(truth.items()))
    print(f"{len(old)} × {len(new)} items: align median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {args.runs} runs)")
    print(f"pairs made {len(pairs)}, true pairs {len(truth)}, right {right}: "
          f"precision {right / max(1, len(pairs)):.3f}, recall {right / max(1, len(truth)):.3f}")
    print(f"removed reported {len(result.removed)} (true {len(old) - len(truth)}), "
          f"added reported {len(result.added)} (true {len(new) - len(truth)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
