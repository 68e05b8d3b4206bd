// Prints the licences of every package bundled into ../cm-editor.bundle.js.
const fs = require("fs");
const path = require("path");
const pkg = require("./package.json");
const seen = new Set();
function walk(name) {
  if (seen.has(name)) return;
  seen.add(name);
  const dir = path.join(__dirname, "node_modules", name);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  process.stdout.write(`${name} ${meta.version} (${meta.license})\n`);
  if (file) process.stdout.write(fs.readFileSync(path.join(dir, file), "utf8").trim() + "\n");
  process.stdout.write("\n" + "-".repeat(72) + "\n\n");
  for (const dep of Object.keys(meta.dependencies || {})) walk(dep);
}
process.stdout.write("The SPARQL editor bundle (cm-editor.bundle.js) contains these packages:\n\n");
for (const dep of Object.keys(pkg.dependencies)) walk(dep);
