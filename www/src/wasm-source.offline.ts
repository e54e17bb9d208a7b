/** The WASM module inlined as base64 (the offline, single-file build). */
import wasmDataUrl from "../../pkg/kpidash_bg.wasm?inline";

export function wasmSource(): string | Request | Uint8Array {
  const base64 = wasmDataUrl.slice(wasmDataUrl.indexOf(",") + 1);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
