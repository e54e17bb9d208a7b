/** Where the worker gets the WASM module: a file next to the page. */
import wasmUrl from "../../pkg/kpidash_bg.wasm?url";

export function wasmSource(): string | Uint8Array {
  return wasmUrl;
}
