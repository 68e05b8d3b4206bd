"""Time the browsing pages of ``catalog-graph serve`` over HTTP on a built folder: the item
browser's facet pages, search, an item, regulation pages and the schema, each ``--runs`` times
after the workers have read the items; prints the medians as a Markdown table. Not a test.

    python bench/bench_explore.py /tmp/catalog-graph-bench/out --runs 11

The million-triple folder is what ``bench/bench_graph.py --catalogs 860`` builds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode


def fetch(url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - start, status, len(body)


def main() -> None:
    from catalog_graph.serve.http import make_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    server = make_server(args.directory, port=0, workers=args.workers, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = server.url.rstrip("/")
    try:
        ready = time.perf_counter() - started
        first, _, _ = fetch(base + "/items")
        print(f"server listening after {ready:.2f} s; the first /items, answered once a worker "
              f"has read items.jsonl, {first:.2f} s later")
        for _ in range(args.workers):  # every worker has read the items
            fetch(base + "/items.json?_size=1")
        overview = json.loads(urllib.request.urlopen(base + "/items.json?_size=1").read())
        top = overview["facets"]["regulation"][0]["key"]
        rare = overview["facets"]["regulation"][-1]["key"]
        catalog = overview["facets"]["catalog"][0]["key"]
        article = overview["facets"]["article"][0]["key"]
        item = overview["items"][0]["id"]
        pages = {
            "/items (all items, 8 facets)": "/items",
            "/items?regulation=most cited": "/items?" + urlencode({"regulation": top}),
            "/items?catalog&regulation": "/items?" + urlencode({"catalog": catalog,
                                                                 "regulation": top}),
            "/items?article=most cited": "/items?" + urlencode({"article": article}),
            "/items?q=公示 (search)": "/items?" + urlencode({"q": "公示"}),
            "/items?_sort=name&_page=20": "/items?_sort=name&_page=20",
            "/items.csv?regulation=most cited": "/items.csv?" + urlencode({"regulation": top}),
            "/item/ID": f"/item/{quote(item)}",
            "/regulation/most cited": f"/regulation/{quote(top)}",
            "/regulation/least cited": f"/regulation/{quote(rare)}",
            "/schema (counted once per worker)": "/schema",
        }
        print(f"\n{overview['total']:,} items; most cited regulation {top}\n")
        print("| page | median | min | max | bytes |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, path in pages.items():
            times, size = [], 0
            for _ in range(args.runs):
                seconds, status, size = fetch(base + path)
                assert status == 200, (path, status)
                times.append(seconds)
            print(f"| {name} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms"
                  f" | {max(times) * 1000:.0f} ms | {size:,} |")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
