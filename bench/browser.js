#!/usr/bin/env node
// Runs bench/browser.html in headless Chromium (system /usr/bin/chromium via
// www/node_modules/playwright-core; never downloads a browser) and prints one
// JSON line per repetition.
//   node bench/browser.js DIR [REPS]      DIR e.g. bench-out/1000000
// A tiny static server on 127.0.0.1 (random port) serves /bench, /pkg and
// /bench-out of the repository, nothing else; PKG_DIR=path serves another
// wasm-bindgen output at /pkg (e.g. one built by bench/snapshot.sh).
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const { chromium } = require(path.join(ROOT, 'www/node_modules/playwright-core'));

const dir = (process.argv[2] || 'bench-out/1000000').replace(/\/+$/, '');
const reps = Number(process.argv[3] || 3);
const pkgDir = path.resolve(process.env.PKG_DIR || path.join(ROOT, 'pkg'));
const timeoutMs = Number(process.env.BENCH_BROWSER_TIMEOUT || 900) * 1000;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.arrow': 'application/vnd.apache.arrow.file' };

function serve() {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = p.startsWith('/pkg/') ? path.resolve(pkgDir, '.' + p.slice(4)) : path.resolve(ROOT, '.' + p);
    const ok = [path.join(ROOT, 'bench'), pkgDir, path.join(ROOT, 'bench-out')]
      .some((d) => file.startsWith(d + path.sep));
    if (!ok || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404); res.end(); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'content-length': fs.statSync(file).size, 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// people.arrow or people-01.arrow, people-02.arrow, ... (name order), then the others
const files = fs.readdirSync(path.resolve(ROOT, dir)).filter((f) => /^people.*\.arrow$/.test(f)).sort()
  .concat(['spend.arrow', 'revenue.arrow', 'series.arrow']);

async function main() {
  const server = await serve();
  const port = server.address().port;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  let failed = false;
  try {
    for (let i = 0; i < reps; i++) {
      const page = await browser.newPage();
      const result = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ error: `timeout after ${timeoutMs / 1000}s` }), timeoutMs);
        const done = (r) => { clearTimeout(timer); resolve(r); };
        page.on('console', (m) => {
          const t = m.text();
          if (t.startsWith('BENCH ')) done(JSON.parse(t.slice(6)));
          else if (t.startsWith('BENCH_ERROR ')) done(JSON.parse(t.slice(12)));
          else if (process.env.BENCH_VERBOSE) process.stderr.write(`[page] ${t}\n`);
        });
        page.on('pageerror', (e) => done({ error: `page error: ${e.message}` }));
        page.on('crash', () => done({ error: 'page crashed (renderer died: out of memory?)' }));
        page.goto(`http://127.0.0.1:${port}/bench/browser.html?dir=/${dir}/&files=${files.join(',')}`).catch((e) => done({ error: String(e) }));
      });
      result.rep = i + 1;
      console.log(JSON.stringify(result));
      await page.close().catch(() => {});
      if (result.error) { failed = true; break; }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(2); });
