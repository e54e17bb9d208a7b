/**
 * The Web Worker that owns the WASM module, so parsing and computing never
 * block the page. It holds one `Session`; the page talks to it with the
 * messages of protocol.ts and gets small JSON-able answers back.
 */
import init, { Session, version } from "../../pkg/kpidash.js";
import { wasmSource } from "./wasm-source";
import type { Envelope, Reply } from "./protocol";

/** The worker global scope, typed as much as this file uses it (the DOM lib
 * and the WebWorker lib cannot both be in one TypeScript program). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Envelope>) => void) | null;
  postMessage(message: Reply): void;
};

const ready: Promise<Session> = init({ module_or_path: wasmSource() }).then(() => new Session());

async function handle(msg: Envelope): Promise<unknown> {
  const session = await ready;
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
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

scope.onmessage = async (event: MessageEvent<Envelope>) => {
  const msg = event.data;
  let reply: Reply;
  try {
    reply = { id: msg.id, ok: true, value: await handle(msg) };
  } catch (err) {
    // A RuntimeError is a WASM trap (a Rust panic with panic = "abort"):
    // the instance is unusable afterwards and the page must start a new worker.
    const fatal = err instanceof WebAssembly.RuntimeError;
    reply = { id: msg.id, ok: false, error: describe(err), fatal };
  }
  scope.postMessage(reply);
};
