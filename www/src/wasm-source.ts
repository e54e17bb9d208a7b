/** Where the worker gets the WASM module: a file next to the page. */
import wasmUrl from "../../pkg/kpidash_bg.wasm?url";

/** The .wasm's request, with its subresource integrity: a changed file is refused. */
export function wasmSource(): string | Request | Uint8Array {
  return __KPIDASH_WASM_INTEGRITY__ ? new Request(new URL(wasmUrl, import.meta.url), { integrity: __KPIDASH_WASM_INTEGRITY__ }) : wasmUrl;
}
