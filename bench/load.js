#!/usr/bin/env node
// Runs bench/load.html in headless Chromium (system /usr/bin/chromium via
// www/node_modules/playwright-core; never downloads a browser) and prints the
// load throughput table of issue 3: a plain copy of each file's bytes next to
// loading them through the WASM Session.
//   node bench/load.js [DIR] [REPS]      DIR default bench-out/load, REPS 7
// DIR holds people.arrow, people.lz4.arrow and people.csv, written by
// `cargo run --release --example bench_load -- --write DIR` (bench/load.sh).
// A tiny static server on 127.0.0.1 (random port) serves the repository's
// bench/ at /bench, pkg/ at /pkg and DIR at /data, nothing else; PKG_DIR=path
// serves another wasm-bindgen output at /pkg. JSON=1 also prints the page's raw result as one JSON line.
'use strict';
const fs = require('fs');
const path = require('path');
const { ROOT, serve, launch, runPage } = require('./chromium');

const dir = path.resolve(process.argv[2] || path.join(ROOT, 'bench-out/load'));
const reps = Number(process.argv[3] || 7);
const pkgDir = path.resolve(process.env.PKG_DIR || path.join(ROOT, 'pkg'));
const timeoutMs = Number(process.env.BENCH_BROWSER_TIMEOUT || 600) * 1000;
const FILES = ['people.arrow', 'people.lz4.arrow', 'people.csv'];
const LABELS = { 'people.arrow': 'Arrow IPC, uncompressed', 'people.lz4.arrow': 'Arrow IPC, LZ4', 'people.csv': 'CSV' };
function table(result, version) {
  const f1 = (x) => x.toFixed(1);
  const ratio = (a, b) => (b > 0 ? f1(a / b) : '-');
  const row = (cells, widths) => cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(' ');
  const widths = [24, 6, 13, 13, 13, 9, 7, 11, 10, 10];
  const lines = [
    `headless ${version}${process.env.JS_FLAGS ? ` (js-flags ${process.env.JS_FLAGS})` : ''}, WASM on the page's main thread; median / min of ${result.reps} runs after one warm-up`,
    '',
    row(['input', 'MB', 'copy (slice)', 'set', 'load', '1st load', 'MB/s', 'rows/s', 'load/copy', 'load/set'], widths),
  ];
  for (const r of result.files) {
    const mb = r.bytes / 1e6;
    const s = r.load.median / 1000;
    lines.push(row([
      LABELS[r.name] || r.name, f1(mb),
      `${f1(r.slice.median)} / ${f1(r.slice.min)}`, `${f1(r.set.median)} / ${f1(r.set.min)}`,
      `${f1(r.load.median)} / ${f1(r.load.min)}`, f1(r.first_load_ms),
      (mb / s).toFixed(0), (r.rows / s).toFixed(0),
      ratio(r.load.median, r.slice.median), ratio(r.load.median, r.set.median),
    ], widths));
  }
  lines.push('', `times in ms; MB/s, rows/s and the ratios from medians; ${result.files[0] ? result.files[0].rows : 0} rows each;`,
    'copy = bytes.slice() (fresh buffer + one copy, like native to_vec); set = dst.set(bytes) into a written buffer (warm memcpy);',
    `load = session.load(name, bytes, 'people'), including wasm-bindgen's copy into WASM memory; WASM memory ${Math.max(...result.files.map((r) => r.wasm_mb))} MB at the end`);
  return lines.join('\n');
}

async function main() {
  for (const f of FILES) {
    if (!fs.existsSync(path.join(dir, f))) throw new Error(`${path.join(dir, f)} missing: run bench/load.sh`);
  }
  const server = await serve([['/bench/', path.join(ROOT, 'bench')], ['/pkg/', pkgDir], ['/data/', dir]]);
  const port = server.address().port;
  const browser = await launch();
  let result;
  try {
    result = await runPage(browser,
      `http://127.0.0.1:${port}/bench/load.html?dir=/data/&reps=${reps}&files=${FILES.join(',')}`, timeoutMs);
    if (process.env.JSON) console.log(JSON.stringify(result));
    const rows = new Set((result.files || []).map((r) => r.rows));
    if (!result.error && rows.size !== 1) result.error = `the files loaded different row counts: ${[...rows].join(', ')}`;
    if (result.error) {
      console.error(`load benchmark failed${result.stage ? ` at ${result.stage}` : ''}: ${result.error}`);
    } else {
      console.log(table(result, `Chromium ${browser.version()}`));
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(result && !result.error ? 0 : 1);
}
main().catch((e) => { console.error(String((e && e.message) || e)); process.exit(2); });
