/**
 * The `<kpi-dash>` element's public surface, for portal developers: its
 * attributes, its events and its JavaScript API. Types only; the build ships
 * this file as `kpi-dash.d.ts` beside `kpi-dash.js` (with the result
 * document's types as `kpidash-types.d.ts`), and kpi-dash.ts implements it,
 * so the two cannot drift apart. docs/embedding.md shows it in use.
 */
import type { FileInfo, ReportOptions, ResultDoc } from "./kpidash-types";

/** What the widget shows (its `view` attribute). */
export type KpiDashView = "summary" | "full" | "kpi" | "findings";

/** A file handed to `load()`: a `File`, or a name with its bytes. */
export type KpiDashFile = File | { name: string; data: Blob | ArrayBuffer | Uint8Array; kind?: string | null };

/** The events the widget fires (they bubble and cross the shadow root). */
export interface KpiDashEventMap {
  /** The widget's data and configuration are loaded into the engine. */
  "kpidash:ready": CustomEvent<{ files: FileInfo[] }>;
  /** A report was computed and rendered. */
  "kpidash:report": CustomEvent<{ doc: ResultDoc; options: ReportOptions }>;
  /** Something failed: fetching data, the configuration, a file, the report. */
  "kpidash:error": CustomEvent<{ message: string }>;
}

/** The `<kpi-dash>` element. */
export interface KpiDashElement extends HTMLElement {
  /**
   * Loads these files as the widget's data (in place of its `src` or
   * `manifest`) and reports again; resolves to what the engine read.
   */
  load(files: KpiDashFile[]): Promise<FileInfo[]>;
  /**
   * Sets the widget's configuration (an object or its JSON text; older
   * versions migrated). A refused one throws and the previous one stays.
   */
  setConfig(config: object | string): Promise<void>;
  /**
   * Computes the report with these options over the attributes' (grain,
   * by, asOf, tz, period), renders it and resolves to the result document.
   */
  report(options?: ReportOptions): Promise<ResultDoc>;
  /** The last result document rendered, or null. */
  readonly result: ResultDoc | null;

  addEventListener<K extends keyof KpiDashEventMap>(type: K, listener: (this: KpiDashElement, ev: KpiDashEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "kpi-dash": KpiDashElement;
  }
}
