// kpidash report benchmark in the browser (WASM, page main thread).
// Fetches the benchmark's Arrow files, loads them into a Session and times
// session.report({grain: 'month', by: 'channel'}). Results go to the console as
// one line "BENCH {json}" (read by bench/browser.js); failures as "BENCH_ERROR …".
import init, { Session } from '/pkg/kpidash.js';

const params = new URLSearchParams(location.search);
// ?files=people.arrow,spend.arrow,... (kind = the name up to the first '-' or '.')
const FILES = (params.get('files') || 'people.arrow,spend.arrow,revenue.arrow,series.arrow')
  .split(',').map((f) => [f, f.split(/[-.]/)[0]]);
const dir = params.get('dir') || '/bench-out/1000000/';
const mb = (n) => Math.round(n / 1048576);

async function main() {
  const r = { dir };
  r0 = r;
  let t = performance.now();
  const wasm = await init({ module_or_path: '/pkg/kpidash_bg.wasm' });
  r.init_s = (performance.now() - t) / 1000;
  wasmMemory = wasm.memory;
  const memory = () => mb(wasm.memory.buffer.byteLength);

  t = performance.now();
  const bytes = [];
  for (const [file, kind] of FILES) {
    r.stage = `fetch ${file}`;
    const resp = await fetch(dir + file);
    if (!resp.ok) throw new Error(`${file}: HTTP ${resp.status}`);
    bytes.push([file, kind, new Uint8Array(await resp.arrayBuffer())]);
  }
  r.fetch_s = (performance.now() - t) / 1000;
  r.bytes_mb = mb(bytes.reduce((a, [, , b]) => a + b.byteLength, 0));

  const session = new Session();
  r.load_s = {};
  r.wasm_mb_before_load = memory();
  let loadTotal = 0;
  for (const [file, kind, b] of bytes) {
    r.stage = `load ${file}`;
    t = performance.now();
    session.load(file, b, kind);
    const s = (performance.now() - t) / 1000;
    r.load_s[file] = s;
    loadTotal += s;
    r.wasm_mb_after_load = memory();
  }
  r.load_total_s = loadTotal;
  bytes.length = 0;

  r.stage = 'report';
  t = performance.now();
  const doc = session.report({ grain: 'month', by: 'channel' });
  r.report_s = (performance.now() - t) / 1000;
  t = performance.now();
  const json = JSON.stringify(doc);
  r.stringify_s = (performance.now() - t) / 1000;
  r.json_kb = Math.round(json.length / 1024);
  r.kpis = doc.kpis.length;
  r.points = doc.kpis.reduce((a, k) => a + k.points.length, 0);
  r.wasm_mb = memory();
  delete r.stage;
  session.free();
  console.log('BENCH ' + JSON.stringify(r));
}

let r0 = null;
let wasmMemory = null;
main().catch((e) => {
  // everything measured before the failure, and the WASM memory at that point
  let mem = null;
  try { mem = wasmMemory ? Math.round(wasmMemory.buffer.byteLength / 1048576) : null; } catch (_) { /* */ }
  console.log('BENCH_ERROR ' + JSON.stringify({ ...(r0 || { dir }), error: String(e && e.message || e), wasm_mb_at_error: mem }));
});
