/**
 * Test hooks of the e2e tests, in the e2e build only (`vite build --mode
 * e2e`, see vite.config.ts). Every use is behind `if (__KPIDASH_TEST_HOOKS__)`,
 * which is `false` in the page's own builds, so this file is dropped from
 * them; scripts/build checks that nothing of it is left in www/dist.
 *
 * `?simulate-out-of-memory=load:<file name>` (or `=report`) on the page's
 * address makes that one request run out of WASM memory for real, once.
 *
 * Every result document the page renders is kept as `window.simulateSeen`:
 * the tests compare what the page shows with it.
 */
import type { Request } from "./protocol";
import type { ResultDoc } from "./types";
import type { Engine } from "./worker-client";

/** Page side: passes the address's hook on to the worker. */
export function armTestHooks(engine: Engine, search: string): void {
  const on = new URLSearchParams(search).get("simulate-out-of-memory");
  if (on) void engine.request({ op: "simulateOutOfMemory", on });
}

/** What a test may set on the page's window. */
interface HookedWindow {
  simulateSeen?: ResultDoc;
}

/** Page side, for each result document before it is rendered. */
export function reportHook(doc: ResultDoc): ResultDoc {
  (window as unknown as HookedWindow).simulateSeen = doc;
  return doc;
}

/** Worker side: the request (`load:<file name>` or `report`) to run out of memory on. */
let simulated: string | null = null;

/**
 * Worker side, before each request: answers the hook's own request (returns
 * true), and before the request it names calls `exhaust`.
 */
export function testHook(msg: Request, exhaust: () => void): boolean {
  if (msg.op === "simulateOutOfMemory") {
    simulated = msg.on;
    return true;
  }
  if (simulated !== null && simulated === (msg.op === "load" ? `load:${msg.name}` : msg.op)) {
    simulated = null;
    exhaust();
  }
  return false;
}

/**
 * Makes the engine run out of memory for real: grows the WASM memory to the
 * most the browser gives (4 GB; untouched pages cost no RAM), then asks the
 * Rust allocator for 64 MB through `allocate`, which cannot grow the memory
 * any more and aborts the instance with the `RuntimeError` a real
 * out-of-memory gives.
 */
export function exhaustMemory(memory: WebAssembly.Memory | null, allocate: (bytes: Uint8Array) => unknown): void {
  const PAGE = 65536;
  if (memory) {
    for (let step = 65536 - memory.buffer.byteLength / PAGE; step > 0; ) {
      try {
        memory.grow(step);
      } catch {
        step >>= 1;
      }
    }
  }
  allocate(new Uint8Array(64 << 20));
}
