/**
 * The Web Worker that owns the WASM module, so parsing and computing never
 * block the page. It holds one `Session`; the page talks to it with the
 * messages of protocol.ts and gets small JSON-able answers back.
 */
import init, { inspect, Session, version, vocabulary as engineVocabulary } from "../../pkg/kpidash.js";
import { wasmSource } from "./wasm-source";
import type { EngineRequest, Envelope, Reply } from "./protocol";
import { exhaustMemory, testHook } from "./test-hooks";
import type { Vocabulary } from "./types";

/** The worker global scope, typed as much as this file uses it (the DOM lib
 * and the WebWorker lib cannot both be in one TypeScript program). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Envelope>) => void) | null;
  postMessage(message: Reply): void;
};

let memory: WebAssembly.Memory | null = null;
/** The started engine: its one session, and its vocabulary, read once. */
const ready: Promise<{ session: Session; vocabulary: Vocabulary }> = init({ module_or_path: wasmSource() }).then((wasm) => {
  memory = wasm.memory;
  return { session: new Session(), vocabulary: engineVocabulary() as Vocabulary };
});

async function handle(msg: Envelope): Promise<unknown> {
  const engine = await ready;
  if (__KPIDASH_TEST_HOOKS__ && testHook(msg, () => exhaustMemory(memory, (bytes) => inspect("(simulated out of memory)", bytes)))) return null;
  return answer(engine.session, engine.vocabulary, msg as EngineRequest);
}

function answer(session: Session, vocabulary: Vocabulary, msg: EngineRequest): unknown {
  switch (msg.op) {
    case "version":
      return version();
    case "vocabulary":
      return vocabulary;
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
    case "catalog":
      return session.catalog();
    case "draft":
      return session.draft(msg.name, new Uint8Array(msg.bytes), msg.kind, msg.columns, msg.dateRange);
    case "dimensionChoices":
      return session.dimensionChoices();
    case "report":
      return session.report(msg.options);
    case "markdown":
      return markdown(session, msg.options);
    default: {
      const unknown: never = msg;
      throw new Error(`unknown request ${(unknown as { op?: unknown }).op}`);
    }
  }
}

/** `Session.markdown(options)`, or null from an engine built before it existed. */
function markdown(session: Session, options: unknown): string | null {
  const write = (session as unknown as { markdown?: (options: unknown) => string }).markdown;
  return typeof write === "function" ? write.call(session, options) : null;
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
