"""The browsing pages of ``catalog-graph serve``, computed in a query worker (so the server's
deadline and worker pool apply to them as to ``/sparql``):

    /items[.json|.csv]            every item, with facets and counts, ``?q=`` search, paging, sorting
    /item/<id>[.json]             one item: fields, source, basis with its citations linked, warnings,
                                  the other items of its group
    /regulation/<id>[.json]       one regulation: its facts, cited articles, the catalogs and items
                                  citing it
    /schema[.json]                every class and property in the store, with counts and the
                                  ontology's labels and definitions
    /graph[?focus=…]              the picture of ``catalog-graph viz`` (its own page, own scripts)

Items come from the build's ``items.jsonl`` (:class:`~catalog_graph.serve.facets.ItemIndex`),
regulation facts, IRIs and the schema from the store. Every value from a catalog is escaped.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from catalog_graph.graph.namespaces import DCTERMS, ELI, PREFIXES, RDFS, SKOS
from catalog_graph.serve.answer import Answer, Limits, text_answer
from catalog_graph.serve.facets import FACETS, SORTS, TIME_LIMIT_KINDS, ItemIndex, article_label
from catalog_graph.store.db import run_query

PAGE_SIZE = 50
FACET_TITLES = {f.name: f.title.split(" ")[0] for f in FACETS}
LABEL_PROPERTIES = (f"{RDFS}label", f"{SKOS}prefLabel", f"{DCTERMS}title")
HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
CSV_TYPE = "text/csv; charset=utf-8"
CSV_FIELDS = ("id", "catalog", "number", "path", "name", "content", "basis", "time_limit",
              "time_limit_kind", "subject", "channels", "audience", "method", "regulations",
              "warnings", "source_file", "source_page", "source_row")


# --------------------------------------------------------------------------- the page frame


def short(iri: str) -> str:
    """``iri`` with a known namespace as its prefix (``cg:Catalog``)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def describe_href(iri: str) -> str:
    return "/describe?iri=" + quote(iri, safe="")


def query_href(sparql: str) -> str:
    return "/?" + urlencode({"query": sparql})


def frame(title: str, body: str, here: str = "") -> bytes:
    """A whole page: the header with the site's sections, then ``body`` (already escaped)."""
    links = (("/items", "事项 Items"), ("/schema", "模式 Schema"), ("/graph", "图 Graph"),
             ("/", "SPARQL"))
    nav = " ".join(f'<a href="{href}"{" aria-current=page" if href == here else ""}>{name}</a>'
                   for href, name in links)
    return (
        '<!doctype html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · catalog-graph</title>\n"
        '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="/static/app.css">\n'
        '<link rel="stylesheet" href="/static/explore.css">\n</head>\n<body>\n'
        f'<header><h1><a href="/">catalog-graph</a></h1><nav class="site">{nav}</nav></header>\n'
        f'<main class="explore">\n{body}\n</main>\n</body>\n</html>\n').encode()


def html_answer(title: str, body: str, here: str = "", status: int = 200) -> Answer:
    return Answer(status, HTML_TYPE, frame(title, body, here))


def json_answer(document: Any) -> Answer:
    return Answer(200, JSON_TYPE, json.dumps(document, ensure_ascii=False, indent=1).encode())


def not_found(what: str) -> Answer:
    return html_answer("Not found", f"<h2>Not found</h2><p>{escape(what)}</p>", status=404)


# --------------------------------------------------------------------------- annotate


def annotate(basis: str, citations: Sequence[Mapping[str, Any]],
             titles: Mapping[str, str] | None = None) -> str:
    """``basis`` as escaped HTML with each citation's span (``start``..``end``) marked, and linked
    to its regulation when it was resolved to one (eyecite's ``annotate``, for our spans).
    Overlapping or out-of-range spans are left unmarked."""
    titles = titles or {}
    out: list[str] = []
    at = 0
    for citation in sorted(citations, key=lambda c: (c.get("start") or 0, c.get("end") or 0)):
        start, end = citation.get("start"), citation.get("end")
        if start is None or end is None or start < at or end > len(basis) or end <= start:
            continue
        out.append(escape(basis[at:start]))
        text = escape(basis[start:end])
        reg = citation.get("regulation")
        if reg:
            title = titles.get(reg) or citation.get("title") or reg
            out.append(f'<a class="cite" href="/regulation/{quote(reg, safe="")}" '
                       f'title="{escape(title)}">{text}</a>')
        else:
            out.append(f'<mark class="cite" title="not resolved to a regulation">{text}</mark>')
        at = end
    out.append(escape(basis[at:]))
    return "".join(out)


# --------------------------------------------------------------------------- the explorer


class Explorer:
    """The browsing pages over one build: the item index and the store, read once per worker."""

    def __init__(self, store: Any, directory: Path, limits: Limits) -> None:
        self.store = store
        self.directory = Path(directory)
        self.limits = limits
        self.regulations: dict[str, dict[str, str]] = {}  # id → iri, title, doc_number
        for row in self._select(
                "SELECT ?r ?id ?title ?number WHERE { ?r a eli:LegalResource ; "
                "dcterms:identifier ?id . OPTIONAL { ?r rdfs:label ?title } "
                "OPTIONAL { ?r eli:id_local ?number } }"):
            self.regulations.setdefault(row["id"], {"iri": row["r"], "title": row.get("title", ""),
                                                    "doc_number": row.get("number", "")})
        titles = {k: (v["title"], v["doc_number"]) for k, v in self.regulations.items()}
        self.index = ItemIndex.read(self.directory, titles)
        self._schema: dict[str, Any] | None = None
        self._graph_page: bytes | None = None

    def _select(self, sparql: str) -> list[dict[str, str]]:
        """Rows of a SELECT, each variable's value as a string (absent when unbound)."""
        results = run_query(self.store, sparql)
        names = [v.value for v in results.variables]
        rows = []
        for solution in results:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term.value
            rows.append(row)
        return rows

    def answer(self, path: str, params: Mapping[str, Sequence[str]]) -> Answer:
        """The page at ``path`` (``/items``, ``/item/ID.json`` …) for the query ``params``."""
        suffix = ""
        for ext in (".json", ".csv"):
            if path.endswith(ext):
                path, suffix = path[: -len(ext)], ext
        if path == "/items":
            return self.items_page(params, suffix)
        if path.startswith("/item/") and suffix != ".csv":
            return self.item_page(path[len("/item/"):], suffix)
        if path.startswith("/regulation/") and suffix != ".csv":
            return self.regulation_page(path[len("/regulation/"):], suffix)
        if path == "/schema" and suffix != ".csv":
            return self.schema_page(suffix)
        if path == "/graph" and not suffix:
            return self.graph_page(params)
        return text_answer(404, f"no page {path}{suffix}")

    # ---- /items

    def items_page(self, params: Mapping[str, Sequence[str]], suffix: str) -> Answer:
        selected = {f.name: [v for v in params.get(f.name, []) if v] for f in FACETS}
        selected = {k: v for k, v in selected.items() if v}
        q = (params.get("q") or [""])[0].strip()
        sort = (params.get("_sort") or [""])[0]
        sort = sort if sort.lstrip("-") in SORTS else ""

        def number(name: str, default: int) -> int:
            try:
                return int((params.get(name) or [default])[0])
            except ValueError:
                return default

        page, size = number("_page", 1), number("_size", PAGE_SIZE)
        view = self.index.view(selected, q, sort, page, size)
        state: list[tuple[str, str]] = [(k, v) for k, vs in selected.items() for v in vs]
        if q:
            state.append(("q", q))
        if sort:
            state.append(("_sort", sort))
        if size != PAGE_SIZE:
            state.append(("_size", str(size)))
        if suffix == ".csv":
            return self._items_csv(view.matching)
        pages = max(1, -(-view.total // view.size))
        if suffix == ".json":
            return json_answer({
                "total": view.total, "page": view.page, "pages": pages, "size": view.size,
                "q": q, "sort": sort, "selected": selected,
                "items": [self._item_summary(it) for it in view.items],
                "facets": {name: [vars(c) for c in counts] for name, counts in view.facets.items()},
                "next": (f"/items.json?{urlencode(state + [('_page', str(view.page + 1))])}"
                         if view.page < pages else None)})
        return html_answer("Items", self._items_html(view, selected, q, sort, state, pages),
                           "/items")

    def _item_summary(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"id": item.get("id"), "catalog": item.get("catalog"), "number": item.get("number"),
                "path": item.get("path"), "subject": item.get("subject"),
                "time_limit": (item.get("time_limit") or {}).get("text"),
                "regulations": sorted({c["regulation"] for c in item.get("citations") or []
                                       if c.get("regulation")}),
                "warnings": len(item.get("warnings") or []),
                "url": f"/item/{quote(str(item.get('id')), safe='')}"}

    def _items_csv(self, positions: Sequence[int]) -> Answer:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_FIELDS)
        truncated = len(positions) > self.limits.max_rows
        for position in positions[: self.limits.max_rows]:
            it = self.index.items[position]
            limit = it.get("time_limit") or {}
            source = it.get("source") or {}
            path = it.get("path") or []
            writer.writerow([
                it.get("id"), it.get("catalog"), it.get("number"), " / ".join(path),
                path[-1] if path else "", it.get("content"), it.get("basis"), limit.get("text"),
                limit.get("kind"), it.get("subject"), "; ".join(it.get("channels") or []),
                "; ".join(it.get("audience") or []), "; ".join(it.get("method") or []),
                "; ".join(sorted({c["regulation"] for c in it.get("citations") or []
                                  if c.get("regulation")})),
                "; ".join(it.get("warnings") or []), source.get("file"), source.get("page"),
                source.get("row")])
        answer = Answer(200, CSV_TYPE, buffer.getvalue().encode("utf-8"))
        answer.headers["X-Result-Count"] = str(min(len(positions), self.limits.max_rows))
        answer.headers["X-Result-Truncated"] = "true" if truncated else "false"
        return answer

    def _items_html(self, view: Any, selected: Mapping[str, list[str]], q: str, sort: str,
                    state: list[tuple[str, str]], pages: int) -> str:
        def href(pairs: list[tuple[str, str]], base: str = "/items") -> str:
            return base + ("?" + urlencode(pairs) if pairs else "")

        facets = []
        for facet in FACETS:
            counts = view.facets[facet.name]
            if not counts:
                continue
            rows = []
            for c in counts:
                pair = (facet.name, c.key)
                if c.selected:
                    link = href([p for p in state if p != pair])
                    rows.append(f'<li class="selected"><a href="{escape(link)}" title="remove">'
                                f'{escape(c.label)}</a> <span class="count">{c.count}</span>'
                                f' <a class="remove" href="{escape(link)}" aria-label="remove">×</a></li>')
                else:
                    link = href([p for p in state if p[0] != "_page"] + [pair])
                    rows.append(f'<li><a href="{escape(link)}">{escape(c.label)}</a> '
                                f'<span class="count">{c.count}</span></li>')
            facets.append(f'<section class="facet" data-facet="{facet.name}"><h3>'
                          f'{escape(facet.title)}</h3><ul>{"".join(rows)}</ul></section>')
        hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                         for k, v in state if k not in ("q", "_page"))
        search = (f'<form class="search" action="/items" method="get">{hidden}'
                  f'<input type="search" name="q" value="{escape(q)}" placeholder="搜索 名称、内容、依据 search names, content, basis">'
                  f'<button type="submit">搜索 Search</button></form>')
        base_state = [p for p in state if p[0] != "_page"]
        exports = (f'<span class="exports">导出 Export: <a id="export-csv" href="'
                   f'{escape(href(base_state, "/items.csv"))}">CSV</a> '
                   f'<a id="export-json" href="{escape(href(base_state, "/items.json"))}">JSON</a></span>')
        chips = "".join(
            f'<a class="chip" href="{escape(href([p for p in state if p != (k, v)]))}">'
            f'{escape(FACET_TITLES.get(k, k))}: '
            f'{escape(self.index.labels.get(k, {}).get(v, v))} ×</a>'
            for k, v in state if k in selected)
        summary = (f'<p class="summary"><strong id="total">{view.total}</strong> 项 items'
                   f'{" matching " + escape(repr(q)) if q else ""} {chips} {exports}</p>')

        def sort_link(name: str, title: str) -> str:
            new = "-" + name if sort == name else name
            pairs = [p for p in state if p[0] not in ("_sort", "_page")] + [("_sort", new)]
            mark = " ▲" if sort == name else " ▼" if sort == "-" + name else ""
            return f'<a href="{escape(href(pairs))}">{title}{mark}</a>'

        head = ("<tr><th>" + sort_link("catalog", "目录 Catalog") + "</th><th>"
                + sort_link("number", "序号") + "</th><th>" + sort_link("name", "事项 Item")
                + "</th><th>" + sort_link("subject", "主体 Subject") + "</th><th>"
                + sort_link("time_limit", "时限 Time limit") + "</th><th>依据 Cites</th><th>"
                + "⚠</th></tr>")
        rows = []
        for it in view.items:
            item_id = quote(str(it.get("id")), safe="")
            path = it.get("path") or [""]
            regs = []
            for reg in dict.fromkeys(c["regulation"] for c in it.get("citations") or []
                                     if c.get("regulation")):
                info = self.regulations.get(reg, {})
                label = info.get("doc_number") or info.get("title") or reg
                regs.append(f'<a href="/regulation/{quote(reg, safe="")}" '
                            f'title="{escape(info.get("title") or reg)}">{escape(label)}</a>')
            warned = len(it.get("warnings") or [])
            rows.append(
                f'<tr><td>{escape(it.get("catalog") or "")}</td><td class="num">'
                f'{escape(str(it.get("number") or ""))}</td><td><a class="item" href="/item/{item_id}">'
                f'{escape(path[-1] or "")}</a><div class="path">{escape(" › ".join(path[:-1]))}</div></td>'
                f'<td>{escape(it.get("subject") or "")}</td>'
                f'<td>{escape((it.get("time_limit") or {}).get("text") or "")}</td>'
                f'<td class="regs">{"<br>".join(regs)}</td><td class="num">{warned or ""}</td></tr>')
        pager = []
        if view.page > 1:
            pager.append(f'<a rel="prev" href="{escape(href(base_state + [("_page", str(view.page - 1))]))}">← 上一页</a>')
        pager.append(f"<span>第 {view.page} / {pages} 页</span>")
        if view.page < pages:
            pager.append(f'<a rel="next" id="next-page" href="{escape(href(base_state + [("_page", str(view.page + 1))]))}">下一页 →</a>')
        table = (f'<table class="items"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
                 if rows else '<p class="empty">没有事项 No items match.</p>')
        return (f'<aside class="facets">{"".join(facets)}</aside><section class="listing">'
                f'<h2>公开事项 Items</h2>{search}{summary}{table}'
                f'<p class="pager">{" ".join(pager)}</p></section>')

    # ---- /item/<id>

    def item_page(self, item_id: str, suffix: str) -> Answer:
        from urllib.parse import unquote

        item_id = unquote(item_id)
        item = self.index.item(item_id)
        if item is None:
            return not_found(f"no item {item_id}")
        neighbours = self.index.neighbours(item)
        iri = next((row["i"] for row in self._select(
            "SELECT ?i WHERE { ?i dcterms:identifier " + json.dumps(item_id)
            + " ; a cg:DisclosureItem } LIMIT 1")), None)
        if suffix == ".json":
            return json_answer({**item, "iri": iri,
                                "group": [self._item_summary(n) for n in neighbours]})
        path = item.get("path") or [""]
        limit = item.get("time_limit") or {}
        source = item.get("source") or {}
        catalog = item.get("catalog") or ""
        fields = [
            ("目录 catalog", f'<a href="/items?{escape(urlencode({"catalog": catalog}))}">{escape(catalog)}</a>'),
            ("序号 number", escape(str(item.get("number") or ""))),
            ("事项 levels", " › ".join(
                f'<a href="/items?{escape(urlencode({"catalog": catalog, "category": p}))}">{escape(p)}</a>'
                if i == 0 else escape(p) for i, p in enumerate(path))),
            ("公开内容 content", escape(item.get("content") or "")),
            ("公开时限 time limit", escape(limit.get("text") or "")
             + (f' <span class="muted">({escape(TIME_LIMIT_KINDS.get(limit.get("kind"), limit.get("kind") or ""))})</span>'
                if limit.get("kind") else "")),
            ("公开主体 subject", escape(item.get("subject") or "")),
            ("公开渠道 channels", ", ".join(escape(c) for c in item.get("channels") or [])),
            ("公开对象 audience", ", ".join(escape(c) for c in item.get("audience") or [])),
            ("公开方式 method", ", ".join(escape(c) for c in item.get("method") or [])),
            ("来源 source", escape(f'{source.get("file") or ""}'
                                  + (f', page {source["page"]}' if source.get("page") else "")
                                  + (f', row {source["row"]}' if source.get("row") else ""))),
        ]
        titles = {k: v["title"] for k, v in self.regulations.items()}
        basis = item.get("basis") or ""
        citations = item.get("citations") or []
        cited = []
        for c in citations:
            reg = c.get("regulation")
            articles = ", ".join(f"第{p['article']}条" for p in c.get("provisions") or []
                                 if p.get("article") is not None)
            if reg:
                info = self.regulations.get(reg, {})
                cited.append(f'<li><a href="/regulation/{quote(reg, safe="")}">'
                             f'{escape(info.get("title") or c.get("title") or reg)}</a> '
                             f'{escape(info.get("doc_number") or "")} {escape(articles)}</li>')
            else:
                cited.append(f'<li>{escape(c.get("text") or "")} <span class="muted">'
                             f'(not resolved)</span></li>')
        warnings = list(item.get("warnings") or []) + [w for c in citations
                                                       for w in c.get("warnings") or []]
        group = "".join(
            f'<li><a href="/item/{quote(str(n.get("id")), safe="")}">{escape((n.get("path") or [""])[-1])}</a>'
            f' <span class="muted">{escape(" › ".join((n.get("path") or [])[:-1]))}</span></li>'
            for n in neighbours)
        body = (
            f'<article class="record"><h2 id="item-name">{escape(path[-1])}</h2>'
            f'<table class="fields">{"".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)}'
            f'<tr><th>公开依据 basis</th><td id="basis" class="basis">{annotate(basis, citations, titles)}</td></tr>'
            f'</table>'
            + (f'<h3>所引法规 Cites</h3><ul class="cited">{"".join(cited)}</ul>' if cited else "")
            + (f'<h3>警告 Warnings</h3><ul class="warnings">{"".join(f"<li>{escape(w)}</li>" for w in warnings)}</ul>'
               if warnings else "")
            + (f'<h3>同组事项 Same group</h3><ul class="group">{group}</ul>' if group else "")
            + (f'<p class="muted">RDF: <a href="{escape(describe_href(iri))}">{escape(iri)}</a></p>'
               if iri else "")
            + "</article>")
        return html_answer(path[-1] or item_id, body, "/items")

    # ---- /regulation/<id>

    def regulation_page(self, reg_id: str, suffix: str) -> Answer:
        from urllib.parse import unquote

        reg_id = unquote(reg_id)
        info = self.regulations.get(reg_id)
        if info is None:
            return not_found(f"no regulation {reg_id}")
        iri = info["iri"]
        facts: dict[str, list[tuple[str, str]]] = {}
        for row in self._select(
                f"SELECT ?p ?o ?label WHERE {{ <{iri}> ?p ?o . OPTIONAL {{ ?o rdfs:label|skos:prefLabel ?label "
                f"FILTER(lang(?label) = '' || langMatches(lang(?label), 'zh')) }} }}"):
            facts.setdefault(row["p"], []).append((row["o"], row.get("label", "")))
        items = self.index.citing(reg_id)
        articles: Counter[int] = Counter()
        catalogs: Counter[str] = Counter()
        for it in items:
            catalogs[it.get("catalog") or ""] += 1
            seen = set()
            for c in it.get("citations") or []:
                if c.get("regulation") != reg_id:
                    continue
                for p in c.get("provisions") or []:
                    if p.get("article") is not None:
                        seen.add(p["article"])
            articles.update(seen)
        replaced_by = replacement(info["title"], info["doc_number"])
        replacing = next((k for k, v in self.regulations.items() if replaced_by
                          and replaced_by in (v["title"], v["doc_number"])), None)
        if replacing and self.regulations[replacing]["doc_number"] == replaced_by:
            replaced_by = (f'{self.regulations[replacing]["title"]}（{replaced_by}）')

        def one(prop: str) -> tuple[str, str]:
            values = facts.get(prop) or [("", "")]
            return values[0]

        in_force = one(f"{ELI}in_force")[0]
        in_force_text = ("现行有效 in force" if in_force.endswith("#InForce-inForce") else
                         "已失效 no longer in force" if in_force.endswith("#InForce-notInForce") else "unknown")
        issuers = [label or value for value, label in facts.get(f"{ELI}passed_by", [])]
        kind = one(f"{ELI}type_document")
        document = {
            "id": reg_id, "iri": iri, "title": info["title"], "doc_number": info["doc_number"],
            "issuers": issuers, "kind": kind[1] or short(kind[0]) if kind[0] else "",
            "date": one(f"{ELI}date_document")[0], "in_force": in_force_text,
            "replaced_by": replaced_by, "replaced_by_id": replacing,
            "other_titles": sorted(v for v, _ in facts.get(f"{SKOS}altLabel", [])),
            "articles": [{"article": a, "items": n} for a, n in sorted(articles.items())],
            "catalogs": [{"catalog": c, "items": n} for c, n in catalogs.most_common()],
        }
        if suffix == ".json":
            document["items"] = [self._item_summary(it) for it in items[: self.limits.max_rows]]
            return json_answer(document)
        replaced = ""
        if replaced_by:
            target = (f'<a href="/regulation/{quote(replacing, safe="")}">{escape(replaced_by)}</a>'
                      if replacing else escape(replaced_by))
            replaced = f" · 被取代 replaced by {target}"
        fields = [
            ("发文字号 number", escape(document["doc_number"])),
            ("制定机关 issuer", escape("、".join(issuers))),
            ("文种 kind", escape(document["kind"])),
            ("日期 date", escape(document["date"])),
            ("效力 in force", f'<span id="in-force">{escape(in_force_text)}</span>{replaced}'),
            ("其他标题 also cited as", escape("；".join(document["other_titles"]))),
        ]
        article_rows = "".join(
            f'<tr><td><a href="/items?{escape(urlencode({"article": f"{reg_id}/{a}"}))}">'
            f'{escape(article_label(info["title"], a, info["doc_number"]))}</a></td><td class="num">{n}</td></tr>'
            for a, n in sorted(articles.items()))
        catalog_rows = "".join(
            f'<tr><td><a href="/items?{escape(urlencode({"catalog": c, "regulation": reg_id}))}">'
            f'{escape(c)}</a></td><td class="num">{n}</td></tr>' for c, n in catalogs.most_common())
        item_rows = "".join(
            f'<li><a href="/item/{quote(str(it.get("id")), safe="")}">{escape((it.get("path") or [""])[-1])}</a>'
            f' <span class="muted">{escape(it.get("catalog") or "")}</span></li>'
            for it in items[:500])
        more = (f'<p><a href="/items?{escape(urlencode({"regulation": reg_id}))}">all {len(items)} '
                f'items, with facets</a></p>')
        body = (
            f'<article class="record"><h2 id="regulation-title">{escape(info["title"] or reg_id)}</h2>'
            f'<table class="fields">{"".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)}</table>'
            f'<h3>被引条款 Cited articles</h3>'
            + (f'<table class="articles"><tr><th>条款</th><th>items</th></tr>{article_rows}</table>'
               if article_rows else '<p class="muted">No article cited.</p>')
            + f'<h3>引用它的目录 Catalogs citing it ({len(catalogs)})</h3>'
            f'<table class="catalogs"><tr><th>目录</th><th>items</th></tr>{catalog_rows}</table>'
            f'<h3>引用它的事项 Items citing it ({len(items)})</h3>{more}<ul class="citing">{item_rows}</ul>'
            f'<p class="muted">RDF: <a href="{escape(describe_href(iri))}">{escape(iri)}</a></p></article>')
        return html_answer(info["title"] or reg_id, body)

    # ---- /graph

    def graph_page(self, params: Mapping[str, Sequence[str]]) -> Answer:
        """The picture of ``catalog-graph viz`` (the whole graph, or ``?focus=`` a regulation's or
        catalog's neighbourhood: an id, 发文字号 or title); the whole one is made once per worker."""
        from catalog_graph.errors import CatalogError
        from catalog_graph.viz import find_focus, graph_data, load_graph, neighbourhood, page_html

        focus = (params.get("focus") or [""])[0].strip()
        if not focus and self._graph_page is not None:
            return Answer(200, HTML_TYPE, self._graph_page)
        try:
            graph = load_graph(self.directory)
            node = None
            if focus:
                node = find_focus(graph, focus)
                graph = graph.subgraph(neighbourhood(graph, node)).copy()
        except CatalogError as exc:
            return html_answer("Graph", f"<h2>No picture</h2><p>{escape(exc.message)}</p>",
                               status=404)
        data = graph_data(graph, focus=node)
        title = f"catalog-graph · {self.directory.resolve().name}"
        if node:
            title += f" · {data['focus']['label']}"
        page = page_html(data, title).encode("utf-8")
        if not focus:
            self._graph_page = page
        return Answer(200, HTML_TYPE, page)

    # ---- /schema

    def schema(self) -> dict[str, Any]:
        """Classes and properties in the store with counts, labels and definitions (cached:
        the store is read-only)."""
        if self._schema is None:
            ontology = ontology_terms()
            classes = [(row["c"], int(row["n"])) for row in self._select(
                "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)")]
            properties = [(row["p"], int(row["n"])) for row in self._select(
                "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)")]

            def entry(iri: str, count: int, kind: str) -> dict[str, Any]:
                known = ontology.get(iri, {})
                if kind == "class":
                    sparql = (f"# Examples of {short(iri)}\nSELECT ?s ?sLabel WHERE {{\n"
                              f"  ?s a {short(iri)} .\n  OPTIONAL {{ ?s rdfs:label|skos:prefLabel|"
                              f"dcterms:title ?sLabel }}\n}}\nLIMIT 50\n")
                else:
                    sparql = (f"# Examples of {short(iri)}\nSELECT ?s ?sLabel ?o ?oLabel WHERE {{\n"
                              f"  ?s {short(iri)} ?o .\n  OPTIONAL {{ ?s rdfs:label|skos:prefLabel|"
                              f"dcterms:title ?sLabel }}\n  OPTIONAL {{ ?o rdfs:label|skos:prefLabel"
                              f" ?oLabel }}\n}}\nLIMIT 50\n")
                return {"iri": iri, "name": short(iri), "count": count, "kind": kind,
                        "label": known.get("label", ""), "label_en": known.get("label_en", ""),
                        "definition": known.get("definition", ""), "query": sparql}

            self._schema = {"classes": [entry(i, n, "class") for i, n in classes],
                            "properties": [entry(i, n, "property") for i, n in properties]}
        return self._schema

    def schema_page(self, suffix: str) -> Answer:
        schema = self.schema()
        if suffix == ".json":
            return json_answer(schema)

        def table(entries: list[dict[str, Any]], id_: str) -> str:
            rows = "".join(
                f'<tr><td><a class="term" href="{escape(query_href(e["query"]))}" title="{escape(e["iri"])}">'
                f'{escape(e["name"])}</a></td><td class="num">{e["count"]:,}</td>'
                f'<td>{escape(e["label"])}<div class="muted">{escape(e["label_en"])}</div></td>'
                f'<td>{escape(e["definition"])}</td></tr>' for e in entries)
            return (f'<table id="{id_}" class="schema"><thead><tr><th>term</th><th>count</th>'
                    f'<th>label</th><th>definition</th></tr></thead><tbody>{rows}</tbody></table>')

        body = (f'<section class="listing"><h2>类 Classes</h2><p class="muted">Click a term for a '
                f'query showing examples of it.</p>{table(schema["classes"], "classes")}'
                f'<h2>属性 Properties</h2>{table(schema["properties"], "properties")}</section>')
        return html_answer("Schema", body, "/schema")


# --------------------------------------------------------------------------- ontology data


def ontology_terms() -> dict[str, dict[str, str]]:
    """IRI → ``label`` (zh), ``label_en``, ``definition`` (zh, else en) from the ontology."""
    import pyoxigraph as ox

    from catalog_graph.paths import ontology_dir

    terms: dict[str, dict[str, str]] = {}
    path = ontology_dir() / "catalog-graph.ttl"
    if not path.is_file():
        return terms
    graph = ox.Store()
    graph.load(path=str(path), format=ox.RdfFormat.TURTLE)
    for quad in graph.quads_for_pattern(None, None, None):
        if not isinstance(quad.object, ox.Literal) or not isinstance(quad.subject, ox.NamedNode):
            continue
        entry = terms.setdefault(quad.subject.value, {})
        lang = quad.object.language or ""
        if quad.predicate.value == f"{RDFS}label":
            entry["label" if lang == "zh" else "label_en"] = quad.object.value
        elif quad.predicate.value == f"{SKOS}definition":
            if lang == "zh" or "definition" not in entry:
                entry["definition"] = quad.object.value
    return terms


def replacement(title: str, doc_number: str) -> str:
    """What replaced a regulation (a title or 发文字号), by the ``replaced_by`` column of the
    authority files in ``ontology/authority``; '' when none says. A regulation is matched by its
    发文字号 when it has one (revisions share a title), else by title."""
    from catalog_graph.paths import ontology_dir

    folder = ontology_dir() / "authority"
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        with path.open(encoding="utf-8-sig", newline="") as rows:
            for row in csv.DictReader(rows):
                same = (row.get("doc_number") == doc_number if doc_number
                        else bool(title) and row.get("title") == title)
                if row.get("replaced_by") and same:
                    return row["replaced_by"]
    return ""


__all__ = ["Explorer", "annotate"]
