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
  unit: string;
  area: string;
  stage: string;
  indicator: string;
  better: string;
  available: boolean;
  reason: string | null;
  points: KpiPoint[];
}

/** The result contract JSON document. */
export interface ResultDoc {
  as_of: string;
  grain: string;
  by: string | null;
  kpis: Kpi[];
  quality: Record<string, unknown>;
}
