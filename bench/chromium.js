// What the benchmark runners (browser.js, load.js) share: a tiny static
// server on 127.0.0.1 (random port) that serves only the folders it is given,
// headless /usr/bin/chromium through www/node_modules/playwright-core (never
// downloads a browser), and running one page until it logs its result.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const { chromium } = require(path.join(ROOT, 'www/node_modules/playwright-core'));

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.arrow': 'application/vnd.apache.arrow.file', '.csv': 'text/csv' };

/** Serves each [url prefix, folder] of `mounts` (prefixes end with `/`), nothing else. */
function serve(mounts) {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const mount = mounts.find(([prefix]) => p.startsWith(prefix));
    const file = mount ? path.resolve(mount[1], '.' + p.slice(mount[0].length - 1)) : null;
    const ok = mount && file.startsWith(mount[1] + path.sep);
    if (!ok || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404); res.end(); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'content-length': fs.statSync(file).size, 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Headless system Chromium; JS_FLAGS=… passes V8 flags. */
function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run']
      .concat(process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : []),
  });
}

/**
 * Opens `url` in a new page and resolves with what the page logs as
 * `BENCH {json}` or `BENCH_ERROR {json}`, or `{error}` on a page error, a
 * crash or after `timeoutMs`. BENCH_VERBOSE=1 echoes the page's other logs.
 */
async function runPage(browser, url, timeoutMs) {
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
    page.goto(url).catch((e) => done({ error: String(e) }));
  });
  await page.close().catch(() => {});
  return result;
}

module.exports = { ROOT, serve, launch, runPage };
