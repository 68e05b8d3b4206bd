// The page of `catalog-graph viz FILE.html`: the graph of catalogs, items, regulations,
// provisions and issuers, drawn with cytoscape.js. Data comes from the JSON block
// #graph-data; every value from it is put in the page with textContent, never innerHTML.
//
// Scale: the page never draws more than `max_nodes` nodes at once. The overview aggregates
// (catalog → regulation edges weighted by how many items cite it; items are not drawn) and keeps
// the most-cited regulations and the catalogs citing most. Items appear when focusing on one
// catalog, regulation, provision or issuer (double-click, the filters, or search).
"use strict";

(function () {
  const DATA = JSON.parse(document.getElementById("graph-data").textContent);
  const $ = (id) => document.getElementById(id);

  const KINDS = {
    catalog: { name: "目录 catalog", color: "#1f6feb", shape: "round-rectangle", prefix: "c" },
    regulation: { name: "法规文件 regulation", color: "#cf222e", shape: "diamond", prefix: "r" },
    provision: { name: "条款 provision", color: "#bc4c00", shape: "triangle", prefix: "p" },
    issuer: { name: "制定机关 issuer", color: "#1a7f37", shape: "hexagon", prefix: "s" },
    item: { name: "公开事项 item", color: "#8c959f", shape: "ellipse", prefix: "i" },
  };

  const catalogs = DATA.catalogs;
  const regulations = DATA.regulations;
  const provisions = DATA.provisions;
  const issuers = DATA.issuers;
  const items = DATA.items;
  const links = DATA.links; // [catalog, regulation, items]

  function records(kind) {
    return { catalog: catalogs, regulation: regulations, provision: provisions,
             issuer: issuers, item: items }[kind];
  }

  // ---- indexes

  const itemsOfCatalog = catalogs.map(() => []);
  const itemsOfRegulation = regulations.map(() => []);
  const itemsOfProvision = provisions.map(() => []);
  const provisionsOfRegulation = regulations.map(() => []);
  const regulationsOfIssuer = issuers.map(() => []);
  items.forEach((item, i) => {
    itemsOfCatalog[item.c].push(i);
    for (const r of item.g) itemsOfRegulation[r].push(i);
    for (const p of item.v) itemsOfProvision[p].push(i);
  });
  provisions.forEach((p, i) => provisionsOfRegulation[p.regulation].push(i));
  regulations.forEach((r, i) => r.issuers.forEach((s) => regulationsOfIssuer[s].push(i)));

  let maxNodes = DATA.max_nodes;
  let current = { view: "overview" };

  // ---- small DOM helpers (text only)

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function labelOf(kind, index) {
    const record = records(kind)[index];
    return kind === "item" ? record.l : record.label;
  }

  // the label drawn on a node: short, so that labels do not pile up (a regulation's 发文字号, or
  // the start of a title); the full name is the node's hover title and in the details panel
  const SHORT = { catalog: 14, regulation: 14, provision: 12, issuer: 10, item: 10 };

  function clip(text, limit) {
    const chars = Array.from(String(text || ""));
    return chars.length > limit ? chars.slice(0, limit - 1).join("") + "…" : chars.join("");
  }

  function shortLabelOf(kind, index) {
    const record = records(kind)[index];
    if (kind === "regulation" && record.doc_number) return record.doc_number;
    return clip(labelOf(kind, index), SHORT[kind] || 12);
  }

  function fullLabelOf(kind, index) {
    const record = records(kind)[index];
    const label = labelOf(kind, index);
    if (kind === "regulation" && record.doc_number) return label + "（" + record.doc_number + "）";
    if (kind === "provision") return regulations[record.regulation].label + " " + label;
    return label;
  }

  function fmt(n) {
    return Number(n).toLocaleString("en-US");
  }

  // ---- graph elements

  function key(kind, index) {
    return KINDS[kind].prefix + index;
  }

  function sizeOf(kind, index) {
    const r = records(kind)[index];
    // logarithmic, so that a regulation cited ten thousand times does not hide the rest
    const grow = (base, step, cap) => Math.min(cap, base + step * Math.log2(1 + r.items));
    switch (kind) {
      case "catalog": return grow(20, 3, 48);
      case "regulation": return grow(12, 6, 72);
      case "provision": return grow(10, 4, 40);
      case "issuer": return grow(14, 3, 44);
      default: return 9;
    }
  }

  function nodeElement(kind, index, position) {
    return {
      group: "nodes",
      data: { id: key(kind, index), kind, index, label: shortLabelOf(kind, index),
              full: fullLabelOf(kind, index), size: sizeOf(kind, index) },
      position: position ? { x: position.x, y: position.y } : { x: 0, y: 0 },
      classes: kind,
    };
  }

  // ---- positions: computed here, in linear time, so that thousands of nodes lay out at once

  const GOLDEN = Math.PI * (3 - Math.sqrt(5));

  // the i-th point of a sunflower (phyllotaxis) disc around (cx, cy): dense, even, no overlap
  function sunflower(i, spacing, cx, cy, skip) {
    const k = i + (skip || 0);
    const r = spacing * Math.sqrt(k + 0.5);
    return { x: cx + r * Math.cos(k * GOLDEN), y: cy + r * Math.sin(k * GOLDEN) };
  }

  function discRadius(count, spacing, skip) {
    return spacing * Math.sqrt(count + (skip || 0) + 0.5);
  }

  function onRing(i, count, radius, cx, cy) {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, count);
    return { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
  }

  // a ring radius at which `count` nodes sit `gap` apart, at least `least`
  function ringRadius(count, gap, least) {
    return Math.max(least, (count * gap) / (2 * Math.PI));
  }

  // groups (catalogs with their items) around a centre: each group a sunflower disc on a ring,
  // angles in proportion to the discs' sizes; returns the centre of each group's disc
  function groupsOnRing(sizes, spacing, least) {
    const radii = sizes.map((n) => discRadius(n, spacing, 3) + spacing * 2);
    const total = radii.reduce((a, b) => a + 2 * b, 0);
    const radius = Math.max(least, total / (2 * Math.PI));
    const centres = [];
    let along = 0;
    for (const r of radii) {
      const angle = -Math.PI / 2 + (2 * Math.PI * (along + r)) / Math.max(total, 1);
      centres.push({ x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
      along += 2 * r;
    }
    return centres;
  }

  function edgeElement(source, target, kind, weight) {
    return {
      group: "edges",
      data: { id: source + ">" + target + ":" + kind, source, target, kind, weight: weight || 1,
              width: weight ? 1 + 1.5 * Math.log2(1 + weight) : 1 },
    };
  }

  const STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "width": "data(size)", "height": "data(size)",
      "font-size": 11, "text-wrap": "ellipsis", "text-max-width": "120px",
      "text-valign": "bottom", "text-margin-y": 3, "color": "#1f2328",
      "text-outline-color": "#ffffff", "text-outline-width": 2,
      "min-zoomed-font-size": 7, "border-width": 0,
    } },
    ...Object.entries(KINDS).map(([kind, k]) => ({
      selector: "node." + kind, style: { "background-color": k.color, "shape": k.shape },
    })),
    { selector: "node.item", style: { "font-size": 8, "min-zoomed-font-size": 10 } },
    { selector: "node.item.quiet", style: { "label": "" } },
    { selector: "node.item.named", style: { "font-size": 9, "min-zoomed-font-size": 0,
                                            "text-max-width": "80px" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#0550ae" } },
    { selector: "node.focus", style: { "border-width": 3, "border-color": "#24292f" } },
    { selector: "edge", style: {
      "width": "data(width)", "line-color": "#c7ccd1", "curve-style": "haystack",
      "haystack-radius": 0, "opacity": 0.8,
    } },
    { selector: "edge[kind = 'passed_by']", style: { "line-color": "#a3d9b1" } },
    { selector: "edge[kind = 'part_of']", style: { "line-color": "#f0b68a" } },
    { selector: "edge:selected", style: { "line-color": "#0550ae" } },
  ];

  const cy = cytoscape({
    container: $("graph"),
    elements: [],
    style: STYLE,
    minZoom: 0.02,
    maxZoom: 5,
    boxSelectionEnabled: false,
    textureOnViewport: items.length + regulations.length > 3000,
    hideEdgesOnViewport: items.length + regulations.length > 3000,
  });

  // the full name of the node under the pointer, as the graph's hover title
  cy.on("mouseover", "node", (event) => { $("graph").title = event.target.data("full"); });
  cy.on("mouseout", "node", () => { $("graph").title = ""; });

  // ---- views

  function byItemsDesc(list) {
    return (a, b) => list[b].items - list[a].items || (list[a].label < list[b].label ? -1 : 1);
  }

  function range(n) {
    return Array.from({ length: n }, (_, i) => i);
  }

  const OVERVIEW_NODES = 400; // the overview draws at most this many nodes (or max_nodes if less)
  const FORCE_LAYOUT_NODES = 120; // overviews this small get a force-directed layout
  const QUIET_ITEMS = 600; // more items than this in a view are drawn without labels
  const NAMED_ITEMS = 80; // a focused catalog with at most this many items shows their names

  function overviewElements() {
    const budget = Math.max(2, Math.min(maxNodes, OVERVIEW_NODES));
    const regOrder = range(regulations.length).sort(byItemsDesc(regulations));
    const catOrder = range(catalogs.length).sort(byItemsDesc(catalogs));
    let nCat = Math.min(catalogs.length, Math.ceil(budget * 0.4));
    const nReg = Math.min(regulations.length, budget - nCat);
    nCat = Math.min(catalogs.length, budget - nReg);
    const shownReg = regOrder.slice(0, nReg);
    const shownCat = catOrder.slice(0, nCat);
    const regSet = new Set(shownReg);
    const catSet = new Set(shownCat);
    const issuerScore = new Map();
    for (const r of shownReg) {
      for (const s of regulations[r].issuers) issuerScore.set(s, (issuerScore.get(s) || 0) + regulations[r].items);
    }
    const room = budget - nReg - nCat;
    const shownIssuers = [...issuerScore.keys()]
      .sort((a, b) => issuerScore.get(b) - issuerScore.get(a) || a - b).slice(0, Math.max(0, room));
    const elements = [];
    // the most-cited regulations in the middle, catalogs around them, issuers outside
    const inner = discRadius(nReg, 44, 1);
    shownReg.forEach((r, i) => elements.push(nodeElement("regulation", r, sunflower(i, 44, 0, 0, 1))));
    const catRadius = ringRadius(nCat, 46, inner + 160);
    shownCat.forEach((c, i) => elements.push(nodeElement("catalog", c, onRing(i, nCat, catRadius, 0, 0))));
    const issuerRadius = ringRadius(shownIssuers.length, 60, catRadius + 160);
    shownIssuers.forEach((s, i) => elements.push(nodeElement("issuer", s, onRing(i, shownIssuers.length, issuerRadius, 0, 0))));
    // the heaviest catalog → regulation edges, at most three per node drawn
    const candidate = links.filter(([c, r]) => catSet.has(c) && regSet.has(r))
      .sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
    const edgeBudget = 3 * (nReg + nCat);
    for (const [c, r, n] of candidate.slice(0, edgeBudget)) {
      elements.push(edgeElement(key("catalog", c), key("regulation", r), "cites", n));
    }
    const issuerSet = new Set(shownIssuers);
    for (const r of shownReg) {
      for (const s of regulations[r].issuers) {
        if (issuerSet.has(s)) elements.push(edgeElement(key("regulation", r), key("issuer", s), "passed_by"));
      }
    }
    const hidden = (regulations.length - nReg) + (catalogs.length - nCat) +
                   (issuers.length - shownIssuers.length);
    const placed = nReg + nCat + shownIssuers.length > FORCE_LAYOUT_NODES;
    let note = (placed ? "Overview: catalogs (around) → the regulations they cite (middle; edge width: items), " +
                         "regulations → issuers (outside). "
                       : "Overview: catalogs → the regulations they cite (edge width: items), " +
                         "regulations → issuers. ") + fmt(items.length) + " items and " +
               fmt(provisions.length) + " provisions show when you focus on a catalog or regulation " +
               "(double-click, filters, search).";
    if (hidden > 0 || candidate.length > edgeBudget) {
      note = "Overview of the " + fmt(nReg) + " most-cited regulations (middle) and the " + fmt(nCat) +
             " largest catalogs (around)";
      if (hidden > 0) note += "; " + fmt(hidden) + " more regulations, catalogs and issuers are reached by search and filters";
      if (candidate.length > edgeBudget) note += "; the " + fmt(edgeBudget) + " heaviest of " + fmt(candidate.length) + " catalog → regulation edges drawn";
      note += ". Double-click a node to focus on it and see its items.";
    }
    return { elements, note };
  }

  function capItems(list, room) {
    const sorted = [...list].sort((a, b) => items[a].c - items[b].c || items[a].r - items[b].r);
    return { shown: sorted.slice(0, Math.max(0, room)), hidden: Math.max(0, sorted.length - Math.max(0, room)) };
  }

  // items grouped by catalog, each catalog in the middle of a disc of its items
  function placeCatalogGroups(elements, shown, least) {
    const byCatalog = new Map();
    for (const i of shown) {
      if (!byCatalog.has(items[i].c)) byCatalog.set(items[i].c, []);
      byCatalog.get(items[i].c).push(i);
    }
    const groups = [...byCatalog.keys()].sort((a, b) => a - b);
    const centres = groupsOnRing(groups.map((c) => byCatalog.get(c).length), 14, least);
    groups.forEach((c, g) => {
      const centre = centres[g];
      elements.push(nodeElement("catalog", c, centre));
      byCatalog.get(c).forEach((i, k) => elements.push(nodeElement("item", i, sunflower(k, 14, centre.x, centre.y, 3))));
    });
    return groups;
  }

  function focusRegulation(r) {
    const elements = [nodeElement("regulation", r, { x: 0, y: 0 })];
    const provs = provisionsOfRegulation[r];
    const provRadius = ringRadius(provs.length, 50, 90);
    provs.forEach((p, i) => {
      elements.push(nodeElement("provision", p, onRing(i, provs.length, provRadius, 0, 0)));
      elements.push(edgeElement(key("provision", p), key("regulation", r), "part_of"));
    });
    regulations[r].issuers.forEach((s, i) => {
      elements.push(nodeElement("issuer", s, { x: 70 * i, y: -(provRadius + 70) }));
      elements.push(edgeElement(key("regulation", r), key("issuer", s), "passed_by"));
    });
    const citing = new Set(itemsOfRegulation[r]);
    for (const p of provs) for (const i of itemsOfProvision[p]) citing.add(i);
    const cats = new Set([...citing].map((i) => items[i].c));
    const room = maxNodes - elements.filter((e) => e.group === "nodes").length - cats.size;
    const { shown, hidden } = capItems(citing, room);
    placeCatalogGroups(elements, shown, provRadius + 200);
    const provSet = new Set(provs);
    for (const i of shown) {
      const item = items[i];
      if (item.g.includes(r)) elements.push(edgeElement(key("item", i), key("regulation", r), "legal_basis"));
      for (const p of item.v) if (provSet.has(p)) elements.push(edgeElement(key("item", i), key("provision", p), "legal_provision"));
      elements.push(edgeElement(key("item", i), key("catalog", item.c), "in_catalog"));
    }
    let note = "Focus on the regulation " + regulations[r].label + ": " + fmt(citing.size) +
               " items in " + fmt(cats.size) + " catalogs cite it (grouped around their catalogs), " +
               fmt(provs.length) + " of its provisions (inner ring).";
    if (hidden) note += " " + fmt(hidden) + " items not drawn (node limit).";
    return { elements, note };
  }

  function focusCatalog(c) {
    const own = itemsOfCatalog[c];
    const regCount = new Map();
    const provs = new Set();
    for (const i of own) {
      items[i].g.forEach((r) => regCount.set(r, (regCount.get(r) || 0) + 1));
      items[i].v.forEach((p) => provs.add(p));
    }
    const regs = [...regCount.keys()].sort((a, b) => regCount.get(b) - regCount.get(a) || a - b);
    const room = maxNodes - 1 - regs.length - provs.size;
    const { shown, hidden } = capItems(own, room);
    const elements = [nodeElement("catalog", c, { x: 0, y: 0 })];
    // a catalog's few items are spread out and named; many are packed, named on hover
    const named = shown.length <= NAMED_ITEMS;
    const spacing = named ? 46 : 16;
    shown.forEach((i, k) => {
      const element = nodeElement("item", i, sunflower(k, spacing, 0, 0, 3));
      if (named) element.classes += " named";
      elements.push(element);
    });
    const regRadius = ringRadius(regs.length, 70, discRadius(shown.length, spacing, 3) + 200);
    const regAngle = new Map();
    regs.forEach((r, i) => {
      const position = onRing(i, regs.length, regRadius, 0, 0);
      regAngle.set(r, Math.atan2(position.y, position.x));
      elements.push(nodeElement("regulation", r, position));
    });
    const provsOf = new Map();
    for (const p of provs) {
      const r = provisions[p].regulation;
      if (!provsOf.has(r)) provsOf.set(r, []);
      provsOf.get(r).push(p);
    }
    for (const [r, list] of provsOf) {
      const angle = regAngle.has(r) ? regAngle.get(r) : 0;
      list.forEach((p, k) => {
        const radius = regRadius + 70 + 34 * k;
        elements.push(nodeElement("provision", p, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) }));
        if (regAngle.has(r)) elements.push(edgeElement(key("provision", p), key("regulation", r), "part_of"));
      });
    }
    for (const i of shown) {
      elements.push(edgeElement(key("item", i), key("catalog", c), "in_catalog"));
      for (const r of items[i].g) elements.push(edgeElement(key("item", i), key("regulation", r), "legal_basis"));
      for (const p of items[i].v) elements.push(edgeElement(key("item", i), key("provision", p), "legal_provision"));
    }
    let note = "Focus on the catalog " + catalogs[c].label + ": " + fmt(own.length) + " items (middle) citing " +
               fmt(regs.length) + " regulations (ring) and " + fmt(provs.size) + " of their provisions (outside).";
    if (hidden) note += " " + fmt(hidden) + " items not drawn (node limit).";
    return { elements, note };
  }

  function focusIssuer(s) {
    const elements = [nodeElement("issuer", s, { x: 0, y: 0 })];
    const regs = [...regulationsOfIssuer[s]].sort(byItemsDesc(regulations));
    const catWeight = new Map();
    const regSet = new Set(regs);
    for (const [c, r, n] of links) if (regSet.has(r)) catWeight.set(c, (catWeight.get(c) || 0) + n);
    const regRoom = Math.max(1, Math.floor((maxNodes - 1) * 0.6));
    const shownRegs = regs.slice(0, regRoom);
    shownRegs.forEach((r, i) => {
      elements.push(nodeElement("regulation", r, sunflower(i, 34, 0, 0, 2)));
      elements.push(edgeElement(key("regulation", r), key("issuer", s), "passed_by"));
    });
    const room = Math.max(0, maxNodes - elements.length);
    const cats = [...catWeight.keys()].sort((a, b) => catWeight.get(b) - catWeight.get(a) || a - b).slice(0, room);
    const catRadius = ringRadius(cats.length, 46, discRadius(shownRegs.length, 34, 2) + 160);
    cats.forEach((c, i) => elements.push(nodeElement("catalog", c, onRing(i, cats.length, catRadius, 0, 0))));
    const catSet = new Set(cats);
    const shownSet = new Set(shownRegs);
    for (const [c, r, n] of links) {
      if (shownSet.has(r) && catSet.has(c)) elements.push(edgeElement(key("catalog", c), key("regulation", r), "cites", n));
    }
    let note = "Focus on the issuer " + issuers[s].label + ": " + fmt(regs.length) +
               " cited regulations (middle), cited in " + fmt(catWeight.size) + " catalogs (around).";
    const hidden = (regs.length - shownRegs.length) + (catWeight.size - cats.length);
    if (hidden) note += " " + fmt(hidden) + " more not drawn (node limit).";
    return { elements, note };
  }

  function draw(view) {
    let built;
    if (view.view === "regulation") built = focusRegulation(view.index);
    else if (view.view === "catalog") built = focusCatalog(view.index);
    else if (view.view === "issuer") built = focusIssuer(view.index);
    else built = overviewElements();
    current = view;
    document.body.dataset.ready = "false";
    // thousands of items: their labels are left to the hover title and the details panel (at
    // that scale they would pile up, and measuring them costs seconds)
    const itemNodes = built.elements.filter((e) => e.group === "nodes" && e.data.kind === "item");
    if (itemNodes.length > QUIET_ITEMS) for (const e of itemNodes) e.classes += " quiet";
    cy.startBatch();
    cy.elements().remove();
    cy.add(built.elements);
    cy.endBatch();
    if (view.view !== "overview") cy.getElementById(key(view.view, view.index)).addClass("focus");
    $("view-note").textContent = built.note;
    $("catalog-filter").value = view.view === "catalog" ? String(view.index) : "";
    $("regulation-filter").value = view.view === "regulation" ? String(view.index) : "";
    runLayout(false);
    if (view.select) selectNode(view.select.kind, view.select.index);
  }

  // computed positions ("preset"); a force-directed layout (cose) for small overviews or on demand
  function runLayout(force) {
    const n = cy.nodes().length;
    let options;
    if (force || (current.view === "overview" && n <= FORCE_LAYOUT_NODES)) {
      options = { name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: false,
                  idealEdgeLength: () => 60, nodeRepulsion: () => 60000, numIter: n > 1000 ? 300 : 1000,
                  padding: 20 };
    } else {
      // the positions were computed in advance: fit the view to them directly (cytoscape's fit
      // measures every label first, seconds at thousands of nodes)
      options = { name: "preset", fit: false };
    }
    const layout = cy.layout(options);
    layout.one("layoutstop", () => {
      if (options.name === "preset") fitToPositions(20);
      else cy.fit(undefined, 20);
      publish();
    });
    layout.run();
  }

  function fitToPositions(padding) {
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    cy.nodes().forEach((n) => {
      const p = n.position();
      const r = n.data("size") / 2;
      x1 = Math.min(x1, p.x - r); y1 = Math.min(y1, p.y - r);
      x2 = Math.max(x2, p.x + r); y2 = Math.max(y2, p.y + r);
    });
    if (!Number.isFinite(x1)) return;
    const width = cy.width(), height = cy.height();
    const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(),
      Math.min((width - 2 * padding) / Math.max(1, x2 - x1), (height - 2 * padding) / Math.max(1, y2 - y1))));
    cy.viewport({ zoom, pan: { x: (width - zoom * (x1 + x2)) / 2, y: (height - zoom * (y1 + y2)) / 2 } });
  }

  function publish() {
    const counts = {};
    for (const kind of Object.keys(KINDS)) counts[kind] = cy.nodes("." + kind).length;
    window.catalogGraph = {
      nodes: DATA.counts.nodes, edges: DATA.counts.edges, kinds: DATA.counts.kinds,
      drawn: cy.nodes().length, drawnEdges: cy.edges().length, drawnKinds: counts,
      view: current.view, ready: true,
      // the drawn nodes' [kind, label drawn, full name, x, y on screen], for scripts reading the page
      labels: () => cy.nodes().map((n) => [n.data("kind"), n.data("label"), n.data("full"),
                                           n.renderedPosition().x, n.renderedPosition().y]),
    };
    document.body.dataset.nodes = String(DATA.counts.nodes);
    document.body.dataset.drawn = String(cy.nodes().length);
    document.body.dataset.view = current.view;
    document.body.dataset.ready = "true";
  }

  // ---- details

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "") return;
    if (Array.isArray(value)) {
      if (!value.length) return;
      value = value.join("、");
    }
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", value));
  }

  function focusButton(text, view) {
    const button = el("button", text);
    button.type = "button";
    button.addEventListener("click", () => draw(view));
    return button;
  }

  function showDetails(kind, index) {
    const box = $("details");
    const record = records(kind)[index];
    const badge = el("span", KINDS[kind].name, "kind");
    badge.style.backgroundColor = KINDS[kind].color;
    const title = el("h2", labelOf(kind, index));
    const dl = el("dl");
    const parts = [badge, title, dl];
    if (kind === "catalog") {
      field(dl, "发布机关 body", record.body);
      field(dl, "公开事项 items", fmt(record.items));
      field(dl, "来源 source", record.file + (record.format ? " (" + record.format + ")" : ""));
      field(dl, "IRI", record.id);
      parts.push(focusButton("Focus on this catalog", { view: "catalog", index }));
    } else if (kind === "regulation") {
      field(dl, "发文字号 doc number", record.doc_number);
      field(dl, "文种 kind", record.doc_type);
      field(dl, "制定机关 issuer", record.issuers.map((s) => issuers[s].label));
      field(dl, "日期 date", record.date);
      field(dl, "有效 in force", record.in_force === null || record.in_force === undefined ? null : (record.in_force ? "yes 是" : "no 否"));
      field(dl, "被引用 cited by", fmt(record.items) + " items in " + fmt(record.catalogs) + " catalogs");
      field(dl, "其他写法 also written", record.aliases);
      field(dl, "IRI", record.id);
      parts.push(focusButton("Focus on this regulation", { view: "regulation", index }));
    } else if (kind === "provision") {
      const r = record.regulation;
      field(dl, "法规文件 regulation", regulations[r].label);
      field(dl, "被引用 cited by", fmt(record.items) + " items");
      field(dl, "IRI", record.id);
      parts.push(focusButton("Focus on its regulation", { view: "regulation", index: r, select: { kind, index } }));
    } else if (kind === "issuer") {
      field(dl, "法规文件 regulations", fmt(record.regulations) + " cited");
      field(dl, "被引用 items resting on them", fmt(record.items));
      field(dl, "IRI", record.id);
      parts.push(focusButton("Focus on this issuer", { view: "issuer", index }));
    } else {
      field(dl, "目录 catalog", catalogs[record.c].label);
      field(dl, "序号 number", record.n);
      field(dl, "事项 path", record.p.join(" › "));
      field(dl, "公开内容 content", record.t);
      field(dl, "公开依据 basis", record.b);
      field(dl, "公开时限 time limit", record.tl);
      field(dl, "公开主体 subject", record.s);
      field(dl, "依据 cites", record.g.map((r) => regulations[r].label));
      field(dl, "条款 provisions", record.v.map((p) => regulations[provisions[p].regulation].label + " " + provisions[p].label));
      let source = record.f || catalogs[record.c].file;
      if (record.pg !== null && record.pg !== undefined) source += ", page " + record.pg;
      source += ", row " + record.r;
      field(dl, "来源 source", source);
      field(dl, "IRI", record.id);
      parts.push(focusButton("Focus on its catalog", { view: "catalog", index: record.c, select: { kind, index } }));
    }
    box.replaceChildren(...parts);
    box.dataset.kind = kind;
  }

  function selectNode(kind, index) {
    cy.elements().unselect();
    const node = cy.getElementById(key(kind, index));
    if (node.nonempty()) {
      node.select();
      cy.center(node);
    }
    showDetails(kind, index);
  }

  function focusOn(kind, index) {
    if (kind === "regulation" || kind === "catalog" || kind === "issuer") {
      draw({ view: kind, index });
      showDetails(kind, index);
    } else if (kind === "provision") {
      draw({ view: "regulation", index: provisions[index].regulation, select: { kind, index } });
    } else {
      draw({ view: "catalog", index: items[index].c, select: { kind, index } });
    }
  }

  cy.on("tap", "node", (event) => {
    const node = event.target;
    showDetails(node.data("kind"), node.data("index"));
  });
  cy.on("dbltap", "node", (event) => {
    const node = event.target;
    focusOn(node.data("kind"), node.data("index"));
  });

  // ---- search and filters

  function searchIndex() {
    const entries = [];
    catalogs.forEach((c, i) => entries.push(["catalog", i, (c.label + " " + (c.body || "") + " " + c.file).toLowerCase()]));
    regulations.forEach((r, i) => entries.push(["regulation", i, (r.label + " " + (r.doc_number || "") + " " + r.aliases.join(" ")).toLowerCase()]));
    issuers.forEach((s, i) => entries.push(["issuer", i, s.label.toLowerCase()]));
    provisions.forEach((p, i) => entries.push(["provision", i, (regulations[p.regulation].label + p.label).toLowerCase()]));
    items.forEach((item, i) => entries.push(["item", i, (item.p.join(" ") + " " + (item.n || "")).toLowerCase()]));
    return entries;
  }
  let searchEntries = null;

  function search(text) {
    const list = $("search-results");
    const needle = text.trim().toLowerCase();
    if (!needle) {
      list.replaceChildren();
      return;
    }
    searchEntries = searchEntries || searchIndex();
    const found = [];
    for (const [kind, i, haystack] of searchEntries) {
      if (haystack.includes(needle)) {
        found.push([kind, i]);
        if (found.length >= 50) break;
      }
    }
    const rows = found.map(([kind, i]) => {
      const button = el("button");
      button.type = "button";
      const badge = el("span", kind, "kind");
      badge.style.backgroundColor = KINDS[kind].color;
      button.appendChild(badge);
      let label = labelOf(kind, i);
      if (kind === "item") label += " — " + catalogs[items[i].c].label;
      if (kind === "provision") label = regulations[provisions[i].regulation].label + " " + label;
      button.appendChild(document.createTextNode(label));
      button.addEventListener("click", () => focusOn(kind, i));
      const li = el("li");
      li.appendChild(button);
      return li;
    });
    if (!rows.length) rows.push(el("li", "No match.", "muted"));
    list.replaceChildren(...rows);
  }

  function fillSelect(select, list, order) {
    for (const i of order) {
      const option = el("option", list[i].label + " (" + fmt(list[i].items) + ")");
      option.value = String(i);
      select.appendChild(option);
    }
  }

  function start() {
    const k = DATA.counts.kinds;
    $("summary").textContent = fmt(DATA.counts.nodes) + " nodes: " + fmt(k.catalog || 0) + " catalogs, " +
      fmt(k.item || 0) + " items, " + fmt(k.regulation || 0) + " regulations, " + fmt(k.provision || 0) +
      " provisions, " + fmt(k.issuer || 0) + " issuers" + (DATA.focus ? " · focus: " + DATA.focus.label : "");
    const legend = $("legend");
    for (const [kind, spec] of Object.entries(KINDS)) {
      const swatch = el("span", null, "swatch " + spec.shape);
      swatch.style.backgroundColor = spec.color;
      const li = el("li");
      li.appendChild(swatch);
      li.appendChild(el("span", spec.name + " (" + fmt(k[kind] || 0) + ")"));
      legend.appendChild(li);
    }
    fillSelect($("catalog-filter"), catalogs, range(catalogs.length).sort((a, b) => (catalogs[a].label < catalogs[b].label ? -1 : 1)));
    fillSelect($("regulation-filter"), regulations, range(regulations.length).sort(byItemsDesc(regulations)));
    $("catalog-filter").addEventListener("change", (e) => {
      if (e.target.value) focusOn("catalog", Number(e.target.value));
      else draw({ view: "overview" });
    });
    $("regulation-filter").addEventListener("change", (e) => {
      if (e.target.value) focusOn("regulation", Number(e.target.value));
      else draw({ view: "overview" });
    });
    $("overview").addEventListener("click", () => draw({ view: "overview" }));
    $("relayout").addEventListener("click", () => runLayout(true));
    const limit = $("max-nodes");
    limit.value = String(maxNodes);
    limit.addEventListener("change", () => {
      const value = parseInt(limit.value, 10);
      if (value >= 10) {
        maxNodes = value;
        draw(current);
      }
    });
    let timer = null;
    $("search").addEventListener("input", (e) => {
      clearTimeout(timer);
      timer = setTimeout(() => search(e.target.value), 150);
    });
    if (DATA.focus) focusOn(DATA.focus.kind, DATA.focus.index);
    else draw({ view: "overview" });
  }

  start();
})();
