// kpidash load throughput in the browser (WASM, page main thread), issue 3.
// Fetches people.arrow, people.lz4.arrow and people.csv (written by
// `cargo run --release --example bench_load -- --write DIR`) once each, then
// for each file times, REPS times over:
//   slice  `bytes.slice()`: a fresh ArrayBuffer and one copy into it, the
//          browser's `bytes.to_vec()` (the "copy" of the table);
//   set    `dst.set(bytes)` into an array allocated and written beforehand,
//          the native example's warm memcpy;
//   load   `session.load(name, bytes, 'people')`, which is wasm-bindgen's copy
//          of the bytes into WASM memory, the load, and the returned FileInfo;
//          `session.remove(name)` after each (untimed) frees the table.
// One untimed warm-up of each comes first. Results go to the console as one
// line "BENCH {json}" (read by bench/load.js); failures as "BENCH_ERROR {json}".
import init, { Session } from '/pkg/kpidash.js';

const params = new URLSearchParams(location.search);
const dir = params.get('dir') || '/data/';
const reps = Number(params.get('reps') || 7);
const FILES = (params.get('files') || 'people.arrow,people.lz4.arrow,people.csv').split(',');

/** Milliseconds of each of `reps` calls of `f`, after one untimed call; `after` runs untimed. */
function time(f, after = () => {}) {
  f();
  after();
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
    after();
  }
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (ms) => ({ median: median(ms), min: Math.min(...ms), all: ms.map((x) => +x.toFixed(2)) });

let out = { dir, reps, files: [] };

async function main() {
  const wasm = await init({ module_or_path: '/pkg/kpidash_bg.wasm' });
  const memoryMb = () => Math.round(wasm.memory.buffer.byteLength / 1048576);
  out.user_agent = navigator.userAgent;
  const session = new Session();
  for (const name of FILES) {
    out.stage = `fetch ${name}`;
    const resp = await fetch(dir + name);
    if (!resp.ok) throw new Error(`${name}: HTTP ${resp.status}`);
    const bytes = new Uint8Array(await resp.arrayBuffer());
    const r = { name, bytes: bytes.byteLength };

    out.stage = `copy ${name}`;
    let copy = null;
    r.slice = summary(time(() => { copy = bytes.slice(); }, () => { copy = null; }));
    {
      const dst = new Uint8Array(bytes.byteLength).fill(1);
      r.set = summary(time(() => dst.set(bytes)));
    }

    out.stage = `load ${name}`;
    let info = null;
    // the first load of a file, before the warm-up: WASM memory grows to hold it
    let t = performance.now();
    info = session.load(name, bytes, 'people');
    r.first_load_ms = performance.now() - t;
    session.remove(name);
    r.load = summary(time(() => { info = session.load(name, bytes, 'people'); }, () => session.remove(name)));
    r.rows = info.rows;
    r.wasm_mb = memoryMb();
    out.files.push(r);
  }
  delete out.stage;
  session.free();
  console.log('BENCH ' + JSON.stringify(out));
}

main().catch((e) => {
  console.log('BENCH_ERROR ' + JSON.stringify({ ...out, error: String((e && e.message) || e) }));
});
