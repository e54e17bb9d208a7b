/** Starts the WASM worker as a separate module file (the served site). */
export function spawnWorker(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "kpidash" });
}
