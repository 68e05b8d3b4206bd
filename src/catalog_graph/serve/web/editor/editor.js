// The SPARQL editor of `catalog-graph serve`: CodeMirror 6 with the SPARQL mode of
// @codemirror/legacy-modes, completion of SPARQL keywords, of the server's prefixes and of the
// store's own classes and properties, and the position of a syntax error marked in the text.
// Built into ../cm-editor.bundle.js by `npm run build`; the page uses window.CatalogGraphEditor.
import { EditorState, Compartment } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
         drawSelection, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching,
         indentOnInput } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap }
  from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";

const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "PREFIX", "BASE",
  "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "UNION", "MINUS", "GRAPH", "BIND",
  "VALUES", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "ASK", "CONSTRUCT",
  "DESCRIBE", "NOT EXISTS", "EXISTS", "DESC", "ASC", "LANG", "LANGMATCHES", "STR", "REGEX",
  "CONTAINS", "STRSTARTS", "BOUND", "IF", "COALESCE", "SERVICE", "AS", "a"];

// terms: [{name: "cg:timeLimitKind", kind: "property", label, definition, count}]
function sparqlCompletions(getPrefixes, getTerms) {
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:[\w-]*|[A-Za-z_][\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    const options = [];
    if (text.includes(":")) {
      const prefix = text.slice(0, text.indexOf(":"));
      for (const t of getTerms()) {
        if (!t.name.startsWith(prefix + ":")) continue;
        options.push({ label: t.name, type: t.kind === "class" ? "class" : "property",
                       detail: [t.label, t.count != null ? t.count + "×" : ""].filter(Boolean).join(" · "),
                       info: t.definition || undefined, boost: t.count ? 1 : 0 });
      }
    } else {
      for (const [p, ns] of getPrefixes()) {
        options.push({ label: p + ":", type: "namespace", detail: ns });
      }
      for (const t of getTerms()) {
        options.push({ label: t.name, type: t.kind === "class" ? "class" : "property",
                       detail: t.label || "", info: t.definition || undefined });
      }
      for (const k of KEYWORDS) options.push({ label: k, type: "keyword" });
    }
    return { from: word.from, options, validFor: /^[\w:-]*$/ };
  };
}

export function create({ parent, doc = "", prefixes = () => [], terms = () => [], onRun = null,
                         onChange = null }) {
  const runKeys = onRun ? [{ key: "Mod-Enter", run: () => { onRun(); return true; } }] : [];
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(),
      bracketMatching(), closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
      StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      autocompletion({ override: [sparqlCompletions(prefixes, terms)], activateOnTyping: true }),
      lintGutter(), placeholder("SELECT … WHERE { … }"),
      keymap.of([...runKeys, ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap,
                 ...historyKeymap, ...completionKeymap, indentWithTab]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) {
          if (onChange) onChange(update.view.state.doc.toString());
        }
      }),
      EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
    ],
  });
  const view = new EditorView({ state, parent });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
    // mark the error at line, column (both from 1, as pyoxigraph reports them)
    markError(line, column, message) {
      const doc = view.state.doc;
      const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
      // pyoxigraph reports where its parser stopped: past the end of a line, the line's last
      // character is marked, so that the mark shows
      let from = l.from + Math.max(0, column - 1);
      if (from >= l.to) from = Math.max(l.from, l.to - 1);
      const to = Math.min(from + 1, l.to);
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(to, from), severity: "error",
                                                  message, source: "SPARQL" }]));
    },
    clearErrors() { view.dispatch(setDiagnostics(view.state, [])); },
  };
}
