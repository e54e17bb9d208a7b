/**
 * The page's handle on the WASM worker: promise-based calls, transferred
 * buffers, and recovery when the WASM instance traps (out of memory, or a
 * panic): the worker is replaced, and the configuration and the files the
 * engine held are loaded again from their Blobs (the page's list of files,
 * files.ts, says which). Calls run one at a time, so none reaches a worker
 * that is about to trap or one still being restored.
 */
import { readWithProgress } from "./read-file";
import { spawnWorker } from "./spawn-worker";
import type { HeldFile } from "./files";
import type { Answers, Envelope, Reply, Request } from "./protocol";
import type { DimensionChoices, Draft, FileInfo, KpiDefinition, ReportOptions, ResultDoc, Vocabulary } from "./types";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** What the restarted engine holds again after a trap. */
export interface Restored {
  /** The files loaded again, in loading order. */
  files: FileInfo[];
  /** Files that had loaded before but could not be loaded again. */
  lost: { name: string; error: string }[];
}

/**
 * A failed allocation traps with `unreachable`, as a panic does; the memory
 * in use tells them apart. Files are at most 1 GB (read-file.ts), so an
 * allocation that fails with less in use is not the 4 GB limit.
 */
const OUT_OF_MEMORY_BYTES = 2 ** 30;

/** Error from the engine; `fatal` when the worker trapped and was replaced. */
export class EngineError extends Error {
  /** Set when `fatal`: what the new worker holds again. */
  restored: Restored | null = null;

  constructor(
    message: string,
    readonly fatal: boolean,
    /** The trap was the browser running out of memory for this data. */
    readonly outOfMemory = false,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

function isOutOfMemory(error: string, memory: number | null): boolean {
  return /allocation failed|out of memory|maximum memory/i.test(error) || (memory !== null && memory >= OUT_OF_MEMORY_BYTES);
}

/** What the page hears about a restart while it happens. */
export interface EngineEvents {
  /** The worker trapped and was replaced; these files are being read again. */
  restarting?(files: string[]): void;
  /** Progress (0–1) of reading a file again. */
  progress?(name: string, fraction: number): void;
}

export class Engine {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** The configuration the engine accepted last, replayed on restart. */
  private config: string | null = null;
  /** Settles when the last queued call has (calls run one after another). */
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * `held` lists the files the engine holds, in the order it loaded them, to
   * load again after a trap; a file being loaded is not among them, so one
   * whose loading traps is not loaded again.
   */
  constructor(
    private readonly held: () => HeldFile[],
    private readonly events: EngineEvents = {},
    private readonly make: () => Worker = spawnWorker,
  ) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.make();
    worker.onmessage = (event: MessageEvent<Reply>) => this.settle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.failAll(`the engine stopped: ${event.message || "worker error"}`, true);
    };
    return worker;
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new EngineError(reply.error, reply.fatal, reply.fatal && isOutOfMemory(reply.error, reply.memory)));
  }

  private failAll(message: string, fatal: boolean): void {
    for (const [, waiting] of this.pending) waiting.reject(new EngineError(message, fatal));
    this.pending.clear();
  }

  /** Posts one request to the current worker. */
  private send<K extends Request["op"]>(request: Extract<Request, { op: K }>, transfer: Transferable[] = []): Promise<Answers[K]> {
    const id = this.nextId++;
    const envelope = { ...request, id } as Envelope;
    return new Promise<Answers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(envelope, transfer);
    });
  }

  /**
   * Runs `job` after every call queued before it. When it traps, the worker
   * is replaced and restored before the error reaches the caller.
   */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        return await job();
      } catch (err) {
        if (err instanceof EngineError && err.fatal) err.restored = await this.restart();
        throw err;
      }
    };
    const result = this.tail.then(run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Replaces a trapped worker: the configuration and every file the engine
   * held are loaded again. A trap while restoring drops the file it happened
   * on and starts over, so this ends.
   */
  private async restart(): Promise<Restored> {
    const lost: Restored["lost"] = [];
    for (;;) {
      this.worker.terminate();
      this.failAll("the engine restarted", false);
      this.worker = this.start();
      const held = this.held().filter((f) => !lost.some((l) => l.name === f.name));
      this.events.restarting?.(held.map((f) => f.name));
      if (this.config !== null) await this.send({ op: "setConfig", json: this.config }).catch(() => undefined);
      const files: FileInfo[] = [];
      let trapped = false;
      for (const { name, blob, kind } of held) {
        try {
          const progress = this.events.progress;
          const bytes = await readWithProgress(blob, progress && ((fraction) => progress(name, fraction)));
          files.push(await this.send({ op: "load", name, bytes, kind }, [bytes]));
        } catch (err) {
          lost.push({ name, error: err instanceof Error ? err.message : String(err) });
          if (err instanceof EngineError && err.fatal) {
            trapped = true;
            break;
          }
        }
      }
      if (!trapped) return { files, lost };
    }
  }

  /** Any request, in turn with the others (the methods below name them). */
  request<K extends Request["op"]>(request: Extract<Request, { op: K }>): Promise<Answers[K]> {
    return this.serial(() => this.send(request));
  }

  version(): Promise<string> {
    return this.request({ op: "version" });
  }

  /** The engine's table kinds, grains and built-in breakdowns. */
  vocabulary(): Promise<Vocabulary> {
    return this.request({ op: "vocabulary" });
  }

  /** Load one file (replacing any file of the same name). */
  async load(name: string, blob: Blob, kind: string | null = null, onProgress?: (fraction: number) => void): Promise<FileInfo> {
    const bytes = await readWithProgress(blob, onProgress);
    return this.serial(() => this.send({ op: "load", name, bytes, kind }, [bytes]));
  }

  remove(name: string): Promise<boolean> {
    return this.request({ op: "remove", name });
  }

  clear(): Promise<null> {
    return this.request({ op: "clear" });
  }

  files(): Promise<FileInfo[]> {
    return this.request({ op: "files" });
  }

  /** Sets the configuration; an invalid one is refused and the old one kept. */
  setConfig(json: string): Promise<null> {
    return this.serial(async () => {
      const done = await this.send({ op: "setConfig", json });
      this.config = json;
      return done;
    });
  }

  /** The configuration in force, as JSON text. */
  configJson(): Promise<string> {
    return this.request({ op: "configJson" });
  }

  /** The KPI definitions in force (built-in, overridden, custom). */
  catalog(): Promise<KpiDefinition[]> {
    return this.request({ op: "catalog" });
  }

  /** The mapping editor's draft of a file as `kind` (null: its best fit)
   * with these column roles and date range; nothing is loaded. */
  async draft(name: string, blob: Blob, kind: string | null, columns: Record<string, string>, dateRange: string | null): Promise<Draft> {
    const bytes = await blob.arrayBuffer();
    return this.serial(() => this.send({ op: "draft", name, bytes, kind, columns, dateRange }, [bytes]));
  }

  /** The breakdowns the loaded files offer, recognised and other columns. */
  dimensionChoices(): Promise<DimensionChoices> {
    return this.request({ op: "dimensionChoices" });
  }

  /** Computes the report. A report that traps is not computed again by the restart. */
  report(options: ReportOptions = {}): Promise<ResultDoc> {
    return this.request({ op: "report", options });
  }

  /** The report as Markdown, for the same options; null when the engine cannot write it. */
  markdown(options: ReportOptions = {}): Promise<string | null> {
    return this.request({ op: "markdown", options });
  }
}
