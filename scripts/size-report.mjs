#!/usr/bin/env node
// The size report of the built page (scripts/build runs it last): every file
// of www/dist, raw, gzip (level 9) and brotli (quality 11), and the total of
// the first page — what a visitor downloads before the first report: the
// HTML, the scripts and stylesheets it links, the worker and the .wasm (not
// the sample data, not the offline single file). It fails when that total,
// gzip, grows past the budget in size-budget.json; the budget is raised
// there, on purpose, in the same commit as what made the page bigger.
//
//   node scripts/size-report.mjs            (after scripts/build steps 4–5)
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "www/dist");
const budget = JSON.parse(readFileSync(join(root, "size-budget.json"), "utf8"));

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/**
 * The files the first page loads: index.html and every asset it names,
 * then every asset those scripts name (the worker, the .wasm), and so on.
 */
function firstPage() {
  const assets = readdirSync(join(dist, "assets"));
  const named = new Set(["index.html"]);
  const queue = ["index.html"];
  while (queue.length > 0) {
    const text = readFileSync(join(dist, queue.pop()), "utf8");
    for (const asset of assets) {
      const path = `assets/${asset}`;
      if (!named.has(path) && text.includes(asset)) {
        named.add(path);
        if (/\.(js|css)$/.test(asset)) queue.push(path);
      }
    }
  }
  return named;
}

const kb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);
const first = firstPage();
const rows = [];
for (const path of files(dist)) {
  const name = relative(dist, path);
  const bytes = readFileSync(path);
  rows.push({
    file: name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
    firstPage: first.has(name),
  });
}
const total = (key) => rows.filter((r) => r.firstPage).reduce((sum, r) => sum + r[key], 0);
const sum = { raw: total("raw"), gzip: total("gzip"), brotli: total("brotli") };

console.log("sizes (www/dist; * = the first page)");
console.log(`  ${"file".padEnd(44)} ${"raw".padStart(10)} ${"gzip".padStart(10)} ${"brotli".padStart(10)}`);
for (const r of rows) console.log(`${r.firstPage ? "*" : " "} ${r.file.padEnd(44)} ${kb(r.raw).padStart(10)} ${kb(r.gzip).padStart(10)} ${kb(r.brotli).padStart(10)}`);
console.log(`  ${"first page total".padEnd(44)} ${kb(sum.raw).padStart(10)} ${kb(sum.gzip).padStart(10)} ${kb(sum.brotli).padStart(10)}`);
console.log(`  budget (size-budget.json)                    ${" ".repeat(10)} ${kb(budget.firstPageGzipBytes).padStart(10)}`);
mkdirSync(join(root, "target"), { recursive: true });
writeFileSync(join(root, "target/size-report.json"), `${JSON.stringify({ files: rows, firstPage: sum, budget }, null, 2)}\n`);

if (sum.gzip > budget.firstPageGzipBytes) {
  console.error(`size report: the first page is ${sum.gzip} bytes gzip, past the budget of ${budget.firstPageGzipBytes} (size-budget.json)`);
  process.exit(1);
}
