/**
 * Shapes of what the WASM module returns, as the page uses them: the
 * vocabulary (src/vocabulary.rs), file descriptions (`FileInfo`, from
 * `inspect` and `load`) and the result document (docs/result.md; kinds and
 * roles in docs/data-model.md). www/tests/types.test.mjs checks them against
 * real answers of the engine, so they cannot drift from the Rust types.
 */

/** What the engine knows of table kinds, grains and breakdowns (`vocabulary()`). */
export interface Vocabulary {
  /** Every table kind, in the order the page lists them. */
  kinds: KindEntry[];
  /** Grain names (`day` … `year`), in increasing size. */
  grains: string[];
  /** Breakdowns every report offers; loaded files add their own dimension columns. */
  dimensions: string[];
}

/** One table kind and the roles its columns can have. */
export interface KindEntry {
  name: TableKind;
  /** The roles a table of this kind must have. */
  required: string[];
  roles: RoleEntry[];
}

/** One canonical role and the type its column is loaded as. */
export interface RoleEntry {
  role: string;
  /** `dimension`: kept as text and offered as a breakdown. */
  type: "id" | "text" | "time" | "number" | "flag" | "task" | "dimension";
}

/** A table kind's name (`people`, `spend`, …): one of `Vocabulary.kinds`. */
export type TableKind = string;

export interface ColumnInfo {
  /** Header as it appears in the file. */
  source: string;
  /** Canonical name after mapping. */
  name: string;
  /** Role in the table kind, or null for a plain dimension / ignored column. */
  role: string | null;
  /** The type after loading, in words ("text", "number", "true/false",
   * "date/time", "timestamp (UTC)"), or an Arrow type name for any other. */
  data_type: string;
}

/** One cell that could not be read. */
export interface CellIssue {
  /** 1-based data row. */
  row: number;
  /** Column header as written in the file. */
  column: string;
  /** The text that was not understood. */
  text: string;
}

/** What loading one file found. */
export interface FileQuality {
  /** Rows read before dropping (data rows, total rows, banner lines). */
  rows_read: number;
  rows_dropped: number;
  dropped_reasons: string[];
  /** Cells that could not be read and were taken as empty. */
  unparsed_cells: number;
  /** The first of them. */
  unparsed_examples: CellIssue[];
  /** Columns whose day/month order could not be told apart. */
  ambiguous_date_columns: string[];
  notes: string[];
  /** A Stripe subscription list expanded into customer-month MRR rows. */
  subscriptions?: SubscriptionExpansion;
}

/** How a subscription list became customer-month MRR rows. */
export interface SubscriptionExpansion {
  subscriptions: number;
  expanded: number;
  rows: number;
  skipped: number;
  skipped_reasons: string[];
  /** `YYYY-MM`. */
  last_month: string;
}

export interface FileInfo {
  name: string;
  kind: TableKind;
  /** True when the kind was guessed from the columns, false when given. */
  kind_detected: boolean;
  /** Another kind the columns fit nearly as well, when the kind was detected. */
  kind_alternative: TableKind | null;
  rows: number;
  columns: ColumnInfo[];
  quality: FileQuality;
}

/** How well a file's headers fit one kind (`Draft.kinds`). */
export interface KindFit {
  kind: TableKind;
  score: number;
  /** Every required role is there: a candidate. */
  complete: boolean;
}

/** The mapping editor's view of a file for one kind (`Session.draft`). */
export interface Draft {
  name: string;
  kind: TableKind;
  /** Every kind, candidates first, best first. */
  kinds: KindFit[];
  /** The file's headers and what their values are without a role. */
  columns: { header: string; type: string }[];
  roles: RoleChoice[];
  /** Header → role in force: the `files[name].columns` to save. */
  mapping: Record<string, string>;
  /** A campaign report without dates: it needs a date range. */
  needs_date_range: boolean;
  preview: { columns: string[]; rows: (string | null)[][] };
  /** Rows once loaded; null when it does not load so. */
  rows: number | null;
  /** Why it does not load with this mapping. */
  error: string | null;
}

/** One role of a draft's kind and the header that takes it. */
export interface RoleChoice {
  role: string;
  type: string;
  required: boolean;
  header: string | null;
  /** Headers whose values can take the role, likeliest first. */
  guesses: { header: string; score: number }[];
  /** Names of the KPIs this role adds. */
  enables: string[];
}

/** The breakdowns the loaded files offer (`Session.dimensionChoices`). */
export interface DimensionChoices {
  recognised: string[];
  /** Other text columns: never ids or free text. */
  other: string[];
}

/** The options of `Session.report`; the engine refuses any other field. */
export interface ReportOptions {
  grain?: string;
  by?: string | null;
  asOf?: string | null;
  tz?: string | null;
  /** The review period's label at the grain (`2026-05`); absent or null for
   * the default (docs/review.md). */
  period?: string | null;
}

/** One KPI value of the result document. */
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
  /** Run-rate projection to the period's end, for a count or sum in the
   * period containing the as-of; null elsewhere. */
  forecast: number | null;
  /** Against the KPI's target for the grain; null without a target. */
  status: "on_track" | "off_track" | null;
}

export interface Kpi {
  id: string;
  name: string;
  /** One sentence for people (from the KPI definition). */
  definition: string;
  unit: string;
  area: string;
  /** Null for KPIs outside the funnel (budget pacing). */
  stage: string | null;
  indicator: string;
  better: string;
  /** The tables and columns the KPI reads (`kind.column`). */
  inputs: string[];
  window_days: number | null;
  /** The target at the report's grain, which `status` compares with. */
  target: number | null;
  owner: string | null;
  /** Rank among its area's top KPIs (1 leads); null for a diagnostic. */
  top: number | null;
  available: boolean;
  reason: string | null;
  points: KpiPoint[];
}

/** Data quality of one table in a report: what loading found, and more. */
export interface TableQuality extends FileQuality {
  file: string;
  kind: TableKind;
  rows: number;
  /** Rows without a value in each time column. */
  null_times: Record<string, number>;
  /** First and last date of the main time column. */
  coverage: [string, string] | null;
  coverage_gaps: number;
  currencies: string[];
  /** Deals: closed deals without a close date (left out of close-anchored KPIs). */
  closed_without_close_date?: number;
  /** Deals: open deals whose expected close date is before the as-of. */
  open_past_close_date?: number;
}

/** Months (× channel) that one of budget and spend has and the other lacks. */
export interface MonthGaps {
  count: number;
  /** The first of them (at most 20); `channel` only when compared per channel. */
  months: { month: string; channel?: string }[];
}

/** Budget against spend, when both are loaded and some months differ. */
export interface BudgetVsSpend {
  by_channel: boolean;
  budget_without_spend: MonthGaps;
  spend_without_budget: MonthGaps;
}

/** Data quality of the whole report. */
export interface ReportQuality {
  tables: TableQuality[];
  duplicates_merged: number;
  duplicates_by_id: number;
  duplicates_by_email: number;
  people_from_events: number;
  /** Deal rows dropped as duplicates of an earlier deal with the same id. */
  duplicate_deals?: number;
  out_of_order: { base: string; target: string; people: number }[];
  mixed_currencies: string[];
  budget_vs_spend?: BudgetVsSpend;
}

/** A KPI definition in the catalog's format (docs/kpi-format.md), as
 * `catalog()` returns it; the page reads its `measure` for the glossary. */
export interface KpiDefinition {
  id: string;
  name: string;
  definition: string;
  measure: unknown;
  [key: string]: unknown;
}

/** The result document (docs/result.md). */
export interface ResultDoc {
  /** RFC 3339, UTC. */
  as_of: string;
  grain: string;
  by: string | null;
  /** `+HH:MM`. */
  tz: string;
  kpis: Kpi[];
  quality: ReportQuality;
  /** The review of one period (docs/review.md); absent from engines before it. */
  review?: Review;
}

/** The review: what happened in one period, why, for which segment, what to
 * do (docs/review.md). */
export interface Review {
  /** The review period's label at the grain (`2026-05`). */
  period: string;
  /** The same period for people (`May 2026`). */
  label: string;
  grain: string;
  /** First and last day, `YYYY-MM-DD`. */
  start: string;
  end: string;
  /** The as-of time falls before the period's last day has ended. */
  running: boolean;
  previous_period: string;
  /** Null at year and day grain. */
  year_ago_period: string | null;
  /** Every period of the report, oldest first (the period chooser). */
  periods: string[];
  by: string | null;
  currency: string | null;
  headlines: Headline[];
  findings: Finding[];
  /** Three to five sentences. */
  summary: string[];
  /** ICP against non-ICP, when the data has an `icp` dimension. */
  icp: IcpComparison | null;
  /** Spend against budget in the review period, when both are loaded. */
  pacing: Pacing | null;
  /** The configuration's action items, echoed. */
  actions: Action[];
  thresholds: ReviewThresholds;
}

/** One top KPI in the review period. */
export interface Headline {
  kpi: string;
  area: string;
  rank: number;
  available: boolean;
  reason: string | null;
  /** The period the value is for: the review period, or a cohort KPI's
   * latest complete cohort; null when unavailable. */
  period: string | null;
  /** For a funnel KPI, the step shown (the largest drop-off). */
  step: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  previous_period: string | null;
  previous: number | null;
  change: number | null;
  year_ago_period: string | null;
  year_ago: number | null;
  year_ago_change: number | null;
  forecast: number | null;
  target: number | null;
  status: "on_track" | "off_track" | null;
  /** The review period's cohort, still maturing: its value so far. */
  maturing: { period: string; value: number | null; first: string } | null;
  note: string | null;
}

/** An opportunity or a risk. */
export interface Finding {
  id: string;
  kind: "off_target" | "move" | "segment_gap" | "early_warning" | "data_quality";
  polarity: "risk" | "opportunity";
  kpi: string | null;
  dimension: string | null;
  /** Null for the total. */
  segment: string | null;
  /** For a funnel KPI, the step. */
  step: string | null;
  period: string | null;
  value: number | null;
  compared: number | null;
  compared_with: "previous" | "target" | "rest" | null;
  change: number | null;
  z: number | null;
  impact: number;
  impact_unit: string;
  weight: number;
  drivers: Driver[];
  sentence: string;
}

/** A segment's contribution to the change of a total. */
export interface Driver {
  segment: string;
  /** Change of the numerator and denominator, for ratios. */
  numerator: number | null;
  denominator: number | null;
  /** Change of the value, for counts and sums. */
  value: number | null;
  contribution: number;
  share: number | null;
}

/** ICP and non-ICP accounts side by side. */
export interface IcpComparison {
  rows: IcpRow[];
}

/** Spend against budget in one period (the weekly review's pacing table). */
export interface Pacing {
  period: string;
  label: string;
  /** Share of the period elapsed at the as-of time (0–1). */
  elapsed: number;
  /** The total, then by channel, then by campaign. */
  rows: PacingRow[];
}

export interface PacingRow {
  /** `channel`, `campaign`, or null for the total. */
  dimension: string | null;
  segment: string | null;
  spend_to_date: number | null;
  budget_to_date: number | null;
  budget: number | null;
  remaining: number | null;
  projected: number | null;
  /** Spend to date ÷ budget to date. */
  pacing: number | null;
  status: "on_track" | "off_track" | null;
}

export interface IcpRow {
  kpi: string;
  period: string;
  icp: number | null;
  non_icp: number | null;
  icp_denominator: number | null;
  non_icp_denominator: number | null;
}

/** An action item of a review (the configuration's `actions`). */
export interface Action {
  id: string;
  text: string;
  owner?: string | null;
  /** `YYYY-MM-DD`. */
  due?: string | null;
  kpi?: string | null;
  /** The id of the finding it came from. */
  finding?: string | null;
  status: "open" | "done";
  /** The review period it was written in. */
  created?: string | null;
}

/** When a difference is a finding. */
export interface ReviewThresholds {
  z: number;
  move_change: number;
  gap_relative: number;
  duplicates_share: number;
  /** Least expected count on each side for a test of significance. */
  min_expected: number;
}
