/**
 * The Web Worker that owns the WASM module, so parsing and computing never
 * block the page. It holds one `Session`; the page talks to it with the
 * messages of protocol.ts and gets small JSON-able answers back.
 */
import init, { inspect, Session, version } from "../../pkg/kpidash.js";
import { wasmSource } from "./wasm-source";
import type { Envelope, Reply } from "./protocol";

/** The worker global scope, typed as much as this file uses it (the DOM lib
 * and the WebWorker lib cannot both be in one TypeScript program). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Envelope>) => void) | null;
  postMessage(message: Reply): void;
};

let memory: WebAssembly.Memory | null = null;
const ready: Promise<Session> = init({ module_or_path: wasmSource() }).then((wasm) => {
  memory = wasm.memory;
  return new Session();
});

/** Set by the `simulateOutOfMemory` test hook: `load:<file name>` or `report`. */
let simulated: string | null = null;

/**
 * Makes the engine run out of memory for real: grows the WASM memory to the
 * most the browser gives (4 GB; untouched pages cost no RAM), then asks the
 * Rust allocator for 64 MB, which cannot grow the memory any more and aborts
 * the instance with the `RuntimeError` a real out-of-memory gives.
 */
function exhaustMemory(): void {
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
  inspect("(simulated out of memory)", new Uint8Array(64 << 20));
}

async function handle(msg: Envelope): Promise<unknown> {
  const session = await ready;
  if (simulated !== null && simulated === (msg.op === "load" ? `load:${msg.name}` : msg.op)) {
    simulated = null;
    exhaustMemory();
  }
  switch (msg.op) {
    case "version":
      return version();
    case "load":
      return session.load(msg.name, new Uint8Array(msg.bytes), msg.kind);
    case "remove":
      return session.remove(msg.name);
    case "clear":
      session.clear();
      return null;
    case "files":
      return session.files();
    case "setConfig":
      session.setConfig(msg.json);
      return null;
    case "configJson":
      return session.configJson();
    case "report":
      return session.report(msg.options);
    case "simulateOutOfMemory":
      simulated = msg.on;
      return null;
  }
}

function describe(err: unknown): string {
  // The engine's own errors are plain `Error`s; name the others (RuntimeError: unreachable).
  if (err instanceof Error) return err.name === "Error" ? err.message : `${err.name}: ${err.message}`;
  return String(err);
}

scope.onmessage = async (event: MessageEvent<Envelope>) => {
  const msg = event.data;
  let reply: Reply;
  try {
    reply = { id: msg.id, ok: true, value: await handle(msg) };
  } catch (err) {
    // A RuntimeError is a WASM trap: an allocation that failed (out of
    // memory) or a Rust panic, both abort. A RangeError out of a WASM call
    // (stack overflow, a JS allocation that failed in the middle of it) leaves
    // Rust's state half-updated. Either way the instance is unusable
    // afterwards and the page must start a new worker.
    const fatal = err instanceof WebAssembly.RuntimeError || err instanceof RangeError;
    reply = { id: msg.id, ok: false, error: describe(err), fatal, memory: memory?.buffer.byteLength ?? null };
  }
  scope.postMessage(reply);
};
