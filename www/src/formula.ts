/**
 * A KPI's formula in words, from its definition in the catalog's format
 * (docs/kpi-format.md, the `measure`): what is counted or summed, over what,
 * within which window. For the glossary; it reads the definition, it does
 * not compute anything. A measure type it does not know is shown as written.
 */
import { formatColumn } from "./format";

type Measure = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function conditions(m: Measure): string {
  const list = Array.isArray(m.filter) ? (m.filter as Measure[]) : [];
  if (list.length === 0) return "";
  const parts = list.map((c) => {
    const op = Object.keys(c).find((k) => k !== "column") ?? "eq";
    return `${str(c.column)} ${op === "eq" ? "=" : op} ${JSON.stringify(c[op])}`;
  });
  return ` where ${parts.join(" and ")}`;
}

/** One aggregate: `sum of spend.cost by date`. */
function aggregate(m: Measure): string {
  const agg = str(m.agg) || "count";
  const table = str(m.table);
  const of = m.column ? `${table}.${str(m.column)}` : table;
  const anchor = m.anchor ? ` (in the period of ${formatColumn(str(m.anchor))})` : "";
  return `${agg} of ${of}${anchor}${conditions(m)}`;
}

/** The formula of a measure, in one line. */
export function formulaText(measure: unknown): string {
  if (typeof measure !== "object" || measure === null) return "";
  const m = measure as Measure;
  const window = typeof m.window_days === "number" ? ` within ${m.window_days} days` : "";
  switch (m.type) {
    case "simple":
      return aggregate(m);
    case "ratio":
      return `${aggregate(m.numerator as Measure)} ÷ ${aggregate(m.denominator as Measure)}`;
    case "difference":
      return `${aggregate(m.of as Measure)} − ${aggregate(m.minus as Measure)}`;
    case "per_day":
      return `${aggregate(m)} ÷ days in the period`;
    case "cohort":
      return `people of the period's ${formatColumn(str(m.base))} cohort who reached ${formatColumn(str(m.target))}${window} ÷ people in the cohort${conditions(m)}`;
    case "funnel": {
      const steps = Array.isArray(m.steps) ? (m.steps as string[]).map(formatColumn) : [];
      return `for each step of ${steps.join(" → ")}: people lost before it ÷ people who reached the step before${window}`;
    }
    case "duration": {
      const stat = str(m.stat) === "share_within" ? `share within ${String(m.within_hours)} h` : str(m.stat);
      return `${stat} of the time from ${formatColumn(str(m.from))} to ${formatColumn(str(m.to))}${m.in ? ` in ${str(m.in)}` : " in hours"}${conditions(m)}`;
    }
    case "all_tasks":
      return `people of the period's ${formatColumn(str(m.base))} cohort who did every key task${window} ÷ people in the cohort`;
    case "task_score":
      return `weighted share of the key tasks done${window} of ${formatColumn(str(m.base))}, averaged over the cohort`;
    case "growth":
      return `(this period − previous period) ÷ previous period, of: ${formulaText(m.of)}`;
    case "revenue":
      return m.denominator ? `${str(m.numerator)} ÷ ${str(m.denominator)} (revenue symbols, docs/kpi-format.md)` : `${str(m.numerator)} (revenue symbols, docs/kpi-format.md)`;
    default:
      return JSON.stringify(m);
  }
}
