/**
 * Shapes of what the WASM module returns, as the page uses them.
 * They mirror the Rust transfer structs in src/wasm.rs and the result
 * contract (docs: /work/shared/reference/result-contract.md).
 */

/** The table kinds of the catalog, in the order the page lists them. */
export const TABLE_KINDS = [
  "people",
  "events",
  "spend",
  "revenue",
  "series",
  "survey",
  "accounts",
] as const;

export type TableKind = (typeof TABLE_KINDS)[number];

export interface ColumnInfo {
  /** Header as it appears in the file. */
  source: string;
  /** Canonical name after mapping. */
  name: string;
  /** Role in the table kind, or null for a plain dimension / ignored column. */
  role: string | null;
  /** Arrow data type, e.g. "Utf8", "Timestamp(Millisecond, None)". */
  data_type: string;
}

export interface FileQuality {
  rows_read: number;
  rows_dropped: number;
  notes: string[];
  unparsed_cells?: number;
  ambiguous_date_columns?: string[];
  [extra: string]: unknown;
}

export interface FileInfo {
  name: string;
  kind: TableKind;
  /** True when the kind was guessed from the columns, false when given. */
  kind_detected: boolean;
  rows: number;
  columns: ColumnInfo[];
  quality: FileQuality;
}

export interface ReportOptions {
  grain?: string;
  by?: string | null;
  asOf?: string | null;
  tz?: string | null;
}

/** One KPI value of the result contract. */
export interface KpiPoint {
  period: string;
  segment: string | null;
  step: string | null;
  value: number | null;
  previous: number | null;
  change: number | null;
  numerator: number | null;
  denominator: number | null;
  incomplete: boolean;
}

export interface Kpi {
  id: string;
  name: string;
  /** One sentence for people (from the KPI definition). */
  definition?: string;
  unit: string;
  area: string;
  stage: string;
  indicator: string;
  better: string;
  available: boolean;
  reason: string | null;
  target?: number | null;
  owner?: string | null;
  window_days?: number | null;
  inputs?: string[];
  points: KpiPoint[];
}

/** Data quality of one table in a report. */
export interface TableQuality {
  file: string;
  kind: string;
  rows_read: number;
  rows_dropped: number;
  dropped_reasons: string[];
  unparsed_cells: number;
  unparsed_examples?: { row: number; column: string; text: string }[];
  ambiguous_date_columns: string[];
  notes: string[];
  rows: number;
  null_times: Record<string, number>;
  coverage: [string, string] | null;
  coverage_gaps: number;
  currencies: string[];
  /** A Stripe subscription list expanded into customer-month MRR rows. */
  subscriptions?: {
    subscriptions: number;
    expanded: number;
    rows: number;
    skipped: number;
    skipped_reasons: string[];
    last_month: string;
  };
}

/** Data quality of the whole report. */
export interface ReportQuality {
  tables: TableQuality[];
  duplicates_merged: number;
  people_from_events?: number;
  out_of_order: { base: string; target: string; people: number }[];
  mixed_currencies: string[];
}

/** The result contract JSON document. */
export interface ResultDoc {
  as_of: string;
  grain: string;
  by: string | null;
  tz?: string;
  kpis: Kpi[];
  quality: ReportQuality;
}
