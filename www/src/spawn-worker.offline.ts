/**
 * Starts the WASM worker from code inlined in the page (the offline,
 * single-file build: a file:// page cannot load worker scripts from disk).
 */
import InlineWorker from "./worker.ts?worker&inline";

export function spawnWorker(): Worker {
  return new InlineWorker({ name: "kpidash" });
}
