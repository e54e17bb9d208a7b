/** Messages between the page and the WASM worker (see worker.ts). */
import type { DimensionChoices, Draft, FileInfo, KpiDefinition, ReportOptions, ResultDoc, Vocabulary } from "./types";

/** What the engine does. */
export type EngineRequest =
  | { op: "version" }
  | { op: "vocabulary" }
  | { op: "load"; name: string; bytes: ArrayBuffer; kind: string | null }
  | { op: "remove"; name: string }
  | { op: "clear" }
  | { op: "files" }
  | { op: "setConfig"; json: string }
  | { op: "configJson" }
  | { op: "catalog" }
  /** The mapping editor's draft of a file (nothing is loaded). */
  | { op: "draft"; name: string; bytes: ArrayBuffer; kind: string | null; columns: Record<string, string>; dateRange: string | null }
  | { op: "dimensionChoices" }
  | { op: "report"; options: ReportOptions }
  /** The report as Markdown (`Session.markdown`); null from an engine without it. */
  | { op: "markdown"; options: ReportOptions };

/** Test hook of the e2e build only (test-hooks.ts): the next matching
 * request (`load:<file name>` or `report`) first uses up the WASM memory, so
 * it traps as a real out-of-memory does. */
export type TestHookRequest = { op: "simulateOutOfMemory"; on: string };

export type Request = EngineRequest | TestHookRequest;

/** What each request answers with. */
export interface Answers {
  version: string;
  vocabulary: Vocabulary;
  load: FileInfo;
  remove: boolean;
  clear: null;
  files: FileInfo[];
  setConfig: null;
  configJson: string;
  catalog: KpiDefinition[];
  draft: Draft;
  dimensionChoices: DimensionChoices;
  report: ResultDoc;
  markdown: string | null;
  simulateOutOfMemory: null;
}

export type Envelope = Request & { id: number };

export type Reply =
  | { id: number; ok: true; value: unknown }
  /** `fatal`: the WASM instance trapped and the worker must be replaced;
   * `memory`: the bytes of WASM memory in use then (null when unknown). */
  | { id: number; ok: false; error: string; fatal: boolean; memory: number | null };
