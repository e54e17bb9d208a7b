/**
 * The one engine (one worker, one WASM instance) every `<kpi-dash>` on a
 * page shares. The engine holds one set of files and one configuration at a
 * time, so widgets take turns: a widget's job runs after the jobs queued
 * before it, and first loads the widget's data and configuration unless the
 * engine holds them already — widgets showing the same data with the same
 * configuration (the same `key`) load it once. After a trap the engine is
 * restarted with the files of the widget whose turn it is (worker-client.ts).
 */
import type { HeldFile } from "../files";
import type { FileInfo } from "../types";
import { Engine } from "../worker-client";

/** What a widget reports over. */
export interface Dataset {
  /** Equal for widgets with the same files and configuration. */
  key: string;
  files: HeldFile[];
  /** The configuration text (`{}` for the defaults). */
  config: string;
}

let engine: Engine | null = null;
/** The dataset the engine holds, and what it read of its files. */
let holding: { key: string; files: FileInfo[] } | null = null;
let current: Dataset | null = null;
let tail: Promise<unknown> = Promise.resolve();

function theEngine(): Engine {
  engine ??= new Engine(() => current?.files ?? []);
  return engine;
}

/**
 * Runs `job` on the engine holding `dataset`, after every job queued
 * before it. Resolves to the job's answer and what the engine read of the
 * dataset's files. A file the engine refuses rejects the turn.
 */
export function withDataset<T>(dataset: Dataset, job: (engine: Engine) => Promise<T>): Promise<{ value: T; files: FileInfo[] }> {
  const run = async () => {
    const e = theEngine();
    if (holding?.key !== dataset.key) {
      holding = null;
      current = { ...dataset, files: [] };
      await e.clear();
      await e.setConfig(dataset.config);
      const read: FileInfo[] = [];
      for (const file of dataset.files) {
        read.push(await e.load(file.name, file.blob, file.kind));
        current.files.push(file);
      }
      holding = { key: dataset.key, files: read };
    }
    return { value: await job(e), files: holding.files };
  };
  const result = tail.then(run);
  tail = result.catch(() => undefined);
  return result;
}

/** The engine's vocabulary (grains, built-in breakdowns), read once. */
let vocabulary: ReturnType<Engine["vocabulary"]> | null = null;
export function engineVocabulary(): ReturnType<Engine["vocabulary"]> {
  vocabulary ??= theEngine().vocabulary();
  return vocabulary;
}

/** Fetches of the same URL shared by the widgets of a page. */
const fetched = new Map<string, Promise<Blob>>();

/** A same-origin file's bytes, fetched once per page. */
export function fetchOnce(url: URL): Promise<Blob> {
  if (url.origin !== location.origin) return Promise.reject(new Error(`${url.href} is not on this page's origin; kpi-dash reads data only from its own server`));
  const key = url.href;
  let blob = fetched.get(key);
  if (!blob) {
    blob = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
      return await r.blob();
    });
    fetched.set(key, blob);
    blob.catch(() => fetched.delete(key));
  }
  return blob;
}
