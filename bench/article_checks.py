"""How many citations of a corpus get each article warning (issue #20), with a sample to check.

    python bench/article_checks.py tests/real                # the real catalogs
    python bench/gen_corpus.py /tmp/gen --catalogs 300 --seed 1
    python bench/article_checks.py /tmp/gen --sample 20 --seed 7

Reads every catalog under the folders given (as ``build`` finds them), counts the citations,
those with provisions, those whose regulation has structure data (ontology/structure), and the
citations getting each kind of article warning; then prints a random sample of each kind (the
citation as written and its warning) for a hand check of precision.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from catalog_graph.batch.inputs import collect_inputs  # noqa: E402
from catalog_graph.errors import CatalogError  # noqa: E402
from catalog_graph.pipeline import parse_file  # noqa: E402
from catalog_graph.resolve import Resolver  # noqa: E402

KINDS = [
    ("article beyond the last", re.compile(r"does not exist: .* has \d+ articles$")),
    ("chapter beyond the last", re.compile(r"does not exist: .* has \d+ chapters$")),
    ("article in another chapter", re.compile(r"does not exist: .* is in 第.+章$")),
    ("paragraph beyond the article", re.compile(r"does not exist: .* has (no|\d+) paragraphs?$")),
    ("item beyond the list", re.compile(r"does not exist: .* lists (no|\d+) items?$")),
    ("reads as an older numbering", re.compile(r" reads as the \d{4} numbering ")),
    ("names an old version's decree", re.compile(r" is in the \d{4} numbering ")),
    ("old decree, current numbering", re.compile(r"may be the slip$")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=10, help="citations shown per kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    resolver = Resolver(use_env=False)
    totals: Counter[str] = Counter()
    found: dict[str, list[tuple[str, str]]] = {name: [] for name, _ in KINDS}
    for display, path in collect_inputs(args.folders):
        try:
            catalog = parse_file(path, resolver, display)
        except CatalogError:
            totals["inputs failed"] += 1
            continue
        totals["catalogs"] += 1
        for item in catalog.items:
            for c in item.citations:
                totals["citations"] += 1
                if c.provisions:
                    totals["with provisions"] += 1
                    if resolver.structures.version_for(c.regulation) is not None:
                        totals["with provisions, structure known"] += 1
                kinds = set()
                for w in c.warnings:
                    for name, pattern in KINDS:
                        if pattern.search(w):
                            kinds.add(name)
                            found[name].append((c.text, w))
                totals["with an article warning"] += bool(kinds)
    for key in ("catalogs", "inputs failed", "citations", "with provisions",
                "with provisions, structure known", "with an article warning"):
        print(f"{key}: {totals[key]}")
    rng = random.Random(args.seed)
    for name, _ in KINDS:
        rows = found[name]
        print(f"\n{name}: {len(rows)}")
        for text, warning in rng.sample(rows, min(args.sample, len(rows))):
            print(f"  {text}\n    → {warning}")


if __name__ == "__main__":
    main()
