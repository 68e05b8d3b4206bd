// The query page of `catalog-graph serve`: an editor, the bundled examples, a results table.
// It is a plain client of the /sparql endpoint. Every value from the data is put in the page
// with textContent (never innerHTML), so text such as "<script>" shows as text.
"use strict";

(function () {
  const ENDPOINT = "/sparql";
  const DISPLAY_LIMIT = 1000; // rows drawn in the table; downloads give all of them
  const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;

  // ---- prefixes: the server's (/namespaces.json, from catalog_graph.graph.namespaces), never
  // a copy kept here. [prefix, namespace] pairs, tried in order; empty until the server answers
  // (or if it cannot: IRIs are then shown in full).

  let PREFIXES = [];
  const prefixesLoaded = loadPrefixes();

  async function loadPrefixes() {
    try {
      const response = await fetch("/namespaces.json");
      if (response.ok) PREFIXES = Object.entries(await response.json());
    } catch (e) {
      PREFIXES = [];
    }
  }

  function namespace(prefix) {
    const found = PREFIXES.find(([p]) => p === prefix);
    return found ? found[1] : null;
  }

  function defaultQuery() {
    const prologue = ["cg", "dcterms"].filter((p) => namespace(p))
      .map((p) => "PREFIX " + p + ": <" + namespace(p) + ">");
    return [
      ...prologue,
      "",
      "# Catalogs and how many items each lists",
      "SELECT ?catalog ?title (COUNT(?item) AS ?items) WHERE {",
      "  ?catalog a cg:Catalog ; dcterms:title ?title .",
      "  OPTIONAL { ?item a cg:DisclosureItem ; cg:inCatalog ?catalog }",
      "}",
      "GROUP BY ?catalog ?title",
      "ORDER BY DESC(?items)",
      "",
    ].join("\n");
  }

  const $ = (id) => document.getElementById(id);
  const textarea = $("query");
  // The editor: CodeMirror (cm-editor.bundle.js) when it loaded, else the plain textarea.
  // Both are driven through the same three calls: value, setValue, markError.
  const editor = makeEditor();
  // for scripts driving the page (and its tests): the editor's value, read and set
  window.catalogGraphEditor = editor;
  let schemaTerms = [];

  function makeEditor() {
    const bundle = window.CatalogGraphEditor;
    if (!bundle) {
      return { get value() { return textarea.value; }, set value(text) { textarea.value = text; },
               markError() {}, clearErrors() {}, addEventListener: (...a) => textarea.addEventListener(...a) };
    }
    const holder = document.createElement("div");
    holder.id = "editor";
    textarea.after(holder);
    textarea.hidden = true;
    const cm = bundle.create({
      parent: holder, doc: textarea.value,
      prefixes: () => PREFIXES, terms: () => schemaTerms,
      onRun: () => submit(),
      onChange: (text) => { textarea.value = text; setDownloads(text); },
    });
    return { get value() { return cm.getValue(); },
             set value(text) { cm.setValue(text); textarea.value = text; },
             markError: (l, c, m) => cm.markError(l, c, m), clearErrors: () => cm.clearErrors(),
             addEventListener() {} };
  }

  async function loadSchemaTerms() {
    try {
      const response = await fetch("/schema.json");
      if (!response.ok) return;
      const schema = await response.json();
      schemaTerms = [...schema.classes, ...schema.properties]
        .filter((t) => t.name !== t.iri)
        .map((t) => ({ name: t.name, kind: t.kind, count: t.count,
                       label: [t.label, t.label_en].filter(Boolean).join(" "),
                       definition: t.definition }));
    } catch (e) {
      schemaTerms = [];
    }
    document.body.dataset.terms = String(schemaTerms.length); // completion is ready
  }
  const statusBox = $("status");
  const errorBox = $("error");
  const results = $("results");
  let running = null;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function shorten(iri) {
    for (const [prefix, ns] of PREFIXES) {
      if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function decodeForDisplay(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  // the page of an IRI: the item and regulation pages for the graph's own items and
  // regulations, the describe view for everything else
  const ITEM_IRI = /\/catalog\/[^/#]+\/item\/([^/#]+)$/;
  const REGULATION_IRI = /\/regulation\/([^/#]+)$/;

  const CATALOG_IRI = /\/catalog\/[^/#]+$/;

  function describeHref(iri, label) {
    const base = namespace("id");
    if (base && iri.startsWith(base)) {
      // a catalog with its title: its items, in the item browser
      if (label && CATALOG_IRI.test(iri)) return "/items?" + new URLSearchParams({ catalog: label });
      const item = ITEM_IRI.exec(iri);
      if (item) return "/item/" + item[1];
      const regulation = REGULATION_IRI.exec(iri);
      if (regulation) return "/regulation/" + regulation[1];
    }
    return "/describe?iri=" + encodeURIComponent(iri);
  }

  // ---- rendering terms and tables

  function termNode(term, label) {
    if (!term) return el("span", "");
    if (term.type === "uri") {
      const a = el("a", label && label.value ? label.value : decodeForDisplay(shorten(term.value)));
      a.href = describeHref(term.value, label && label.value);
      a.title = term.value;
      return a;
    }
    if (term.type === "bnode") return el("span", "_:" + term.value, "bnode");
    if (term.type === "triple") {
      const span = el("span", "<< ");
      const v = term.value;
      for (const part of [v.subject, v.predicate, v.object]) {
        span.appendChild(termNode(part));
        span.appendChild(document.createTextNode(" "));
      }
      span.appendChild(document.createTextNode(">>"));
      return span;
    }
    const span = el("span");
    span.appendChild(document.createTextNode(term.value));
    if (term["xml:lang"]) span.lang = term["xml:lang"]; // the tag is the element's, not the text's
    else if (term.datatype && !NUMERIC.test(term.datatype)) {
      span.appendChild(el("span", shorten(term.datatype), "tag"));
    }
    return span;
  }

  // A variable ?xLabel next to ?x is x's label: the column of ?x shows it, linked to x's page,
  // and the ?xLabel column is left out (as YASGUI does).
  function renderTable(vars, rows) {
    const labelled = new Set(vars.filter((v) => vars.includes(v + "Label")).map((v) => v + "Label"));
    const shown = vars.filter((v) => !labelled.has(v));
    const table = el("table");
    table.id = "results-table";
    const head = table.createTHead().insertRow();
    for (const v of shown) head.appendChild(el("th", v));
    const body = table.createTBody();
    for (const row of rows.slice(0, DISPLAY_LIMIT)) {
      const tr = body.insertRow();
      for (const v of shown) {
        const td = tr.insertCell();
        const term = row[v];
        if (term && term.type === "literal" && term.datatype && NUMERIC.test(term.datatype)) {
          td.className = "num";
        }
        const label = labelled.has(v + "Label") ? row[v + "Label"] : null;
        if (term && term.type === "uri" && !label) {
          // no label asked for: the IRI's own label when the page knows it (describe view)
          td.appendChild(termNode(term, knownLabels.get(term.value)));
        } else {
          td.appendChild(termNode(term || label, term ? label : null));
        }
      }
    }
    results.replaceChildren(table);
  }

  // ---- N-Triples (the answer to CONSTRUCT and DESCRIBE), parsed into subject/predicate/object

  function unescapeNT(text) {
    return text.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (m, u4, u8, c) => {
      if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
      return { t: "\t", b: "\b", n: "\n", r: "\r", f: "\f", '"': '"', "'": "'", "\\": "\\" }[c] ?? c;
    });
  }

  function parseNTriplesLine(line) {
    let i = 0;
    const ws = () => { while (i < line.length && /\s/.test(line[i])) i++; };
    function term() {
      ws();
      if (line.startsWith("<<", i)) {
        i += 2; ws();
        if (line[i] === "(") { i++; }
        const s = term(), p = term(), o = term();
        ws();
        if (line[i] === ")") i++;
        ws();
        if (!line.startsWith(">>", i)) throw new Error("bad triple term");
        i += 2;
        return { type: "triple", value: { subject: s, predicate: p, object: o } };
      }
      if (line[i] === "<") {
        const end = line.indexOf(">", i);
        if (end < 0) throw new Error("bad IRI");
        const value = unescapeNT(line.slice(i + 1, end));
        i = end + 1;
        return { type: "uri", value };
      }
      if (line.startsWith("_:", i)) {
        const m = /^_:(\S+)/.exec(line.slice(i));
        i += m[0].length;
        return { type: "bnode", value: m[1] };
      }
      if (line[i] === '"') {
        let j = i + 1;
        while (j < line.length && line[j] !== '"') j += line[j] === "\\" ? 2 : 1;
        const value = unescapeNT(line.slice(i + 1, j));
        i = j + 1;
        const out = { type: "literal", value };
        if (line[i] === "@") {
          const m = /^@([A-Za-z0-9-]+(?:--[a-z]+)?)/.exec(line.slice(i));
          out["xml:lang"] = m[1];
          i += m[0].length;
        } else if (line.startsWith("^^<", i)) {
          const end = line.indexOf(">", i);
          out.datatype = unescapeNT(line.slice(i + 3, end));
          i = end + 1;
        }
        return out;
      }
      throw new Error("unexpected text at " + i);
    }
    const subject = term(), predicate = term(), object = term();
    return { subject, predicate, object };
  }

  function parseNTriples(text) {
    const rows = [];
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("#")) continue;
      try {
        rows.push(parseNTriplesLine(line));
      } catch (e) {
        rows.push({ subject: { type: "literal", value: line } });
      }
    }
    return rows;
  }

  // ---- running a query

  function setDownloads(query) {
    const share = $("share");
    if (share) share.href = shareHref(query);
    for (const a of document.querySelectorAll("#downloads a")) {
      const params = new URLSearchParams({ query, format: a.dataset.format });
      a.href = ENDPOINT + "?" + params.toString();
    }
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function clearOutput() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    results.replaceChildren();
    statusBox.replaceChildren();
  }

  function describeStatus(count, response, seconds, noun) {
    const parts = [];
    const shown = Math.min(count, DISPLAY_LIMIT);
    parts.push(el("span", count + " " + noun + (count === 1 ? "" : "s") + " · " + seconds.toFixed(2) + " s"));
    if (count > DISPLAY_LIMIT) {
      parts.push(el("span", " · showing the first " + shown + "; download for all"));
    }
    if (response.headers.get("X-Result-Truncated") === "true") {
      parts.push(el("span", " · truncated by the server's result cap", "warn"));
    }
    if (count === 0) {
      for (const hint of unknownTermHints(lastQuery)) parts.push(el("span", " · " + hint, "hint"));
    }
    statusBox.replaceChildren(...parts);
    statusBox.dataset.rows = String(count);
  }

  // ---- "0 rows": name the query's terms the store never uses, and the store's nearest ones

  function editDistance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const kept = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = kept;
      }
    }
    return row[b.length];
  }

  function unknownTermHints(query) {
    if (!schemaTerms.length) return [];
    const known = new Set(schemaTerms.map((t) => t.name));
    const prefixes = new Set(schemaTerms.map((t) => t.name.split(":")[0]));
    const code = query.replace(/#[^\n]*/g, " ").replace(/"(?:[^"\\]|\\.)*"|<[^>\s]*>/g, " ");
    const used = new Set(code.match(/\b[A-Za-z][\w-]*:[A-Za-z_][\w-]*/g) || []);
    const hints = [];
    for (const name of used) {
      const [prefix, local] = name.split(":");
      if (known.has(name) || !prefixes.has(prefix)) continue;
      const wanted = local.toLowerCase();
      const near = schemaTerms.filter((t) => t.name.startsWith(prefix + ":"))
        .map((t) => {
          const other = t.name.slice(prefix.length + 1).toLowerCase();
          const contains = other.includes(wanted) || wanted.includes(other);
          return [contains ? 0 : editDistance(wanted, other), t.name];
        })
        .filter(([d]) => d <= Math.max(2, Math.floor(wanted.length / 3)))
        .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
        .slice(0, 3).map(([, n]) => n);
      hints.push(name + " is not used in this store" +
                 (near.length ? "; did you mean " + near.join(", ") + "?" : " (see /schema)"));
    }
    return hints;
  }

  let lastQuery = "";

  async function run(query) {
    lastQuery = query;
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    clearOutput();
    editor.clearErrors();
    statusBox.textContent = "Running…";
    delete statusBox.dataset.rows;
    setDownloads(query);
    const started = performance.now();
    let response;
    try {
      response = await fetch(ENDPOINT, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
        body: new URLSearchParams({ query }),
        signal: controller.signal,
      });
    } catch (e) {
      if (e.name === "AbortError") return;
      statusBox.textContent = "";
      showError("Could not reach the endpoint: " + e.message);
      return;
    }
    const text = await response.text();
    await prefixesLoaded;
    if (running !== controller) return;
    running = null;
    const seconds = (performance.now() - started) / 1000;
    if (!response.ok) {
      statusBox.textContent = "";
      showError(response.status + " " + response.statusText + ": " + text);
      const at = /error at (\d+):(\d+): ?(.*)/.exec(text);
      if (at) editor.markError(Number(at[1]), Number(at[2]), at[3] || text);
      return;
    }
    if (!describing) remember(query);
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      const data = JSON.parse(text);
      if (typeof data.boolean === "boolean") {
        results.replaceChildren(el("p", data.boolean ? "true" : "false", "boolean"));
        statusBox.textContent = "ASK · " + seconds.toFixed(2) + " s";
        statusBox.dataset.rows = "1";
        return;
      }
      let rows = data.results.bindings;
      if (describing) rows = describedRows(rows);
      renderTable(data.head.vars.filter((v) => v !== "valueLabel" || !describing), rows);
      if (describing) nameDescribed(rows);
      describeStatus(rows.length, response, seconds, "row");
    } else if (type.startsWith("application/n-triples")) {
      const rows = parseNTriples(text);
      renderTable(["subject", "predicate", "object"], rows);
      describeStatus(rows.length, response, seconds, "triple");
    } else {
      results.replaceChildren(el("pre", text));
      statusBox.textContent = type;
    }
  }

  // ---- history (this browser's last queries that ran) and the shareable link

  const HISTORY_KEY = "catalog-graph.history";
  const HISTORY_SIZE = 30;

  function readHistory() {
    try {
      const list = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(list) ? list.filter((q) => typeof q === "string") : [];
    } catch (e) {
      return [];
    }
  }

  function remember(query) {
    const list = [query, ...readHistory().filter((q) => q !== query)].slice(0, HISTORY_SIZE);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list)); } catch (e) { /* full */ }
    showHistory();
  }

  function showHistory() {
    const list = $("history");
    if (!list) return;
    const items = readHistory().map((query) => {
      const firstLine = query.split("\n").find((l) => l.trim() && !/^\s*PREFIX/i.test(l)) || query;
      const button = el("button", firstLine.trim().slice(0, 80));
      button.type = "button";
      button.className = "example";
      button.title = query;
      button.addEventListener("click", () => { editor.value = query; submit(); });
      const li = el("li");
      li.appendChild(button);
      return li;
    });
    list.replaceChildren(...items);
    $("history-panel").hidden = items.length === 0;
  }

  function shareHref(query) {
    return "/?" + new URLSearchParams({ query }).toString();
  }

  function submit() {
    const query = editor.value;
    const url = new URL(window.location.href);
    if (url.pathname === "/") {
      url.search = new URLSearchParams({ query }).toString();
      if (url.href.length < 8000) history.replaceState(null, "", url.href);
    }
    run(query);
  }

  // ---- examples

  async function loadExamples() {
    const list = $("examples");
    let examples = [];
    try {
      const response = await fetch("/examples.json");
      if (response.ok) examples = await response.json();
    } catch (e) {
      examples = [];
    }
    if (!examples.length) {
      $("no-examples").hidden = false;
      return examples;
    }
    for (const example of examples) {
      const button = el("button", example.title);
      button.type = "button";
      button.className = "example";
      button.dataset.name = example.name;
      button.title = example.name;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        for (const b of list.querySelectorAll("button")) b.setAttribute("aria-pressed", "false");
        button.setAttribute("aria-pressed", "true");
        editor.value = example.query;
        submit();
      });
      const li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    }
    return examples;
  }

  // ---- describe view: every triple with the IRI as subject or object

  const BAD_IRI = /[\u0000-\u0020<>"{}|^`\\]/;
  const LABELS = [["rdfs", "label"], ["dcterms", "title"], ["skos", "prefLabel"]];
  let describing = null;

  function nameDescribed(rows) {
    const labels = LABELS.filter(([p]) => namespace(p)).map(([p, name]) => namespace(p) + name);
    const label = rows.find((r) => r.direction && r.direction.value === "→" && r.property &&
                            labels.includes(r.property.value) && r.value);
    if (!label) return;
    const title = $("describe-title");
    title.textContent = label.value.value + " · " + decodeForDisplay(shorten(describing));
    document.title = label.value.value + " · catalog-graph";
  }

  // the describe view's rows, one per statement, the label of each linked node remembered
  const knownLabels = new Map();

  function describedRows(rows) {
    const out = [];
    const seen = new Set();
    for (const row of rows) {
      const value = row.value;
      if (value && value.type === "uri" && row.valueLabel && !knownLabels.has(value.value)) {
        knownLabels.set(value.value, row.valueLabel);
      }
      const key = JSON.stringify([row.direction, row.property, row.value, row.graph]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(row);
    }
    return out;
  }

  function describeQuery(iri) {
    return [
      "# Every statement about <" + iri + ">, with the labels of the nodes it links to",
      "SELECT ?direction ?property ?value ?valueLabel ?graph WHERE {",
      "  { GRAPH ?graph { <" + iri + "> ?property ?value } BIND(\"→\" AS ?direction) }",
      "  UNION",
      "  { GRAPH ?graph { ?value ?property <" + iri + "> } BIND(\"←\" AS ?direction) }",
      "  OPTIONAL { ?value rdfs:label|skos:prefLabel|dcterms:title ?valueLabel",
      "             FILTER(!isLiteral(?value) && (lang(?valueLabel) = \"\" || langMatches(lang(?valueLabel), \"zh\"))) }",
      "}",
      "ORDER BY DESC(?direction) ?property ?value",
      "LIMIT 4000",
      "",
    ].join("\n");
  }

  async function start() {
    showHistory();
    loadSchemaTerms();
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submit();
      }
    });
    editor.addEventListener("input", () => setDownloads(editor.value));
    $("query-form").addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    const examplesLoaded = loadExamples();
    await prefixesLoaded;
    const params = new URLSearchParams(window.location.search);
    if (window.location.pathname === "/describe") {
      const iri = params.get("iri") || "";
      const title = $("describe-title");
      title.hidden = false;
      if (!iri || BAD_IRI.test(iri)) {
        title.textContent = "Describe";
        editor.value = defaultQuery();
        showError("Not an IRI: " + JSON.stringify(iri));
        return;
      }
      title.textContent = decodeForDisplay(shorten(iri));
      title.title = iri;
      document.title = shorten(iri) + " · catalog-graph";
      describing = iri;
      editor.value = describeQuery(iri);
      run(editor.value);
      return;
    }
    if (params.get("query")) {
      editor.value = params.get("query");
      run(editor.value);
      return;
    }
    const examples = await examplesLoaded;
    editor.value = examples.length ? examples[0].query : defaultQuery();
    setDownloads(editor.value);
  }

  start();
})();
