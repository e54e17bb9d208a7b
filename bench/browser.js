#!/usr/bin/env node
// Runs bench/browser.html in headless Chromium (system /usr/bin/chromium via
// www/node_modules/playwright-core; never downloads a browser) and prints one
// JSON line per repetition.
//   node bench/browser.js DIR [REPS]      DIR e.g. bench-out/1000000
// A tiny static server on 127.0.0.1 (random port) serves /bench, /pkg and
// /bench-out of the repository, nothing else; PKG_DIR=path serves another
// wasm-bindgen output at /pkg (e.g. one built by bench/snapshot.sh).
'use strict';
const fs = require('fs');
const path = require('path');
const { ROOT, serve, launch, runPage } = require('./chromium');

const dir = (process.argv[2] || 'bench-out/1000000').replace(/\/+$/, '');
const reps = Number(process.argv[3] || 3);
const pkgDir = path.resolve(process.env.PKG_DIR || path.join(ROOT, 'pkg'));
const timeoutMs = Number(process.env.BENCH_BROWSER_TIMEOUT || 900) * 1000;
// people.arrow or people-01.arrow, people-02.arrow, ... (name order), then the others
const files = fs.readdirSync(path.resolve(ROOT, dir)).filter((f) => /^people.*\.arrow$/.test(f)).sort()
  .concat(['spend.arrow', 'revenue.arrow', 'series.arrow']);

async function main() {
  const server = await serve([['/bench/', path.join(ROOT, 'bench')], ['/pkg/', pkgDir],
    ['/bench-out/', path.join(ROOT, 'bench-out')]]);
  const port = server.address().port;
  const browser = await launch();
  let failed = false;
  try {
    for (let i = 0; i < reps; i++) {
      const result = await runPage(browser,
        `http://127.0.0.1:${port}/bench/browser.html?dir=/${dir}/&files=${files.join(',')}`, timeoutMs);
      result.rep = i + 1;
      console.log(JSON.stringify(result));
      if (result.error) { failed = true; break; }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(2); });
