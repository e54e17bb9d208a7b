/**
 * The page's handle on the WASM worker: promise-based calls, transferred
 * buffers, and recovery when the WASM instance traps (the worker is replaced
 * and the files loaded so far are loaded again from their Blobs).
 */
import { readWithProgress } from "./read-file";
import { spawnWorker } from "./spawn-worker";
import type { Answers, Envelope, Reply, Request } from "./protocol";
import type { FileInfo, ReportOptions, ResultDoc } from "./types";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Error from the engine; `fatal` when the worker had to be restarted. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = "EngineError";
  }
}


export class Engine {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Files that loaded, kept as Blobs (cheap references) for replay. */
  private loaded = new Map<string, { blob: Blob; kind: string | null }>();
  /** The configuration the engine accepted last, replayed on restart. */
  private config: string | null = null;

  constructor(private readonly make: () => Worker = spawnWorker) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.make();
    worker.onmessage = (event: MessageEvent<Reply>) => this.settle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.failAll(`the engine stopped: ${event.message || "worker error"}`);
    };
    return worker;
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new EngineError(reply.error, reply.fatal));
  }

  private failAll(message: string): void {
    for (const [, waiting] of this.pending) waiting.reject(new EngineError(message, true));
    this.pending.clear();
  }

  private call<K extends Request["op"]>(request: Extract<Request, { op: K }>, transfer: Transferable[] = []): Promise<Answers[K]> {
    const id = this.nextId++;
    const envelope = { ...request, id } as Envelope;
    return new Promise<Answers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(envelope, transfer);
    });
  }

  /** Replace a trapped worker and load again every file that had loaded. */
  private async restart(): Promise<void> {
    this.worker.terminate();
    this.failAll("the engine restarted");
    this.worker = this.start();
    if (this.config !== null) await this.call({ op: "setConfig", json: this.config }).catch(() => undefined);
    for (const [name, { blob, kind }] of this.loaded) {
      try {
        const bytes = await blob.arrayBuffer();
        await this.call({ op: "load", name, bytes, kind }, [bytes]);
      } catch {
        this.loaded.delete(name);
      }
    }
  }

  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof EngineError && err.fatal) await this.restart();
      throw err;
    }
  }

  version(): Promise<string> {
    return this.call({ op: "version" });
  }

  /** Load one file (replacing any file of the same name). */
  load(name: string, blob: Blob, kind: string | null = null, onProgress?: (fraction: number) => void): Promise<FileInfo> {
    return this.guarded(async () => {
      const bytes = await readWithProgress(blob, onProgress);
      const info = await this.call({ op: "load", name, bytes, kind }, [bytes]);
      this.loaded.set(name, { blob, kind });
      return info;
    });
  }

  remove(name: string): Promise<boolean> {
    this.loaded.delete(name);
    return this.guarded(() => this.call({ op: "remove", name }));
  }

  clear(): Promise<null> {
    this.loaded.clear();
    return this.guarded(() => this.call({ op: "clear" }));
  }

  files(): Promise<FileInfo[]> {
    return this.guarded(() => this.call({ op: "files" }));
  }

  /** Sets the configuration; an invalid one is refused and the old one kept. */
  setConfig(json: string): Promise<null> {
    return this.guarded(async () => {
      const done = await this.call({ op: "setConfig", json });
      this.config = json;
      return done;
    });
  }

  /** The configuration in force, as JSON text. */
  configJson(): Promise<string> {
    return this.guarded(() => this.call({ op: "configJson" }));
  }

  report(options: ReportOptions = {}): Promise<ResultDoc> {
    return this.guarded(() => this.call({ op: "report", options }));
  }
}
