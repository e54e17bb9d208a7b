/**
 * Small Observable Plot line charts of one KPI over its periods: the total,
 * one line per segment, or one line per funnel step. SVG only (prints well);
 * incomplete periods are drawn dashed with hollow dots. Rendering only.
 */
import * as Plot from "@observablehq/plot";
import { formatTick, formatValue } from "./format";
import type { KpiPoint } from "./types";

export interface Series {
  label: string;
  points: KpiPoint[];
}

interface Row {
  period: string;
  series: string;
  value: number | null;
  incomplete: boolean;
}

export interface ChartOptions {
  unit: string;
  /** Accessible name of the chart. */
  label: string;
  width?: number;
  height?: number;
  /** Periods in order (the x axis). */
  periods: string[];
  /** Show a legend (several series). */
  legend?: boolean;
}

/** Thins period labels to about five ticks, keeping the first and last. */
function ticks(periods: string[]): string[] {
  if (periods.length <= 5) return periods;
  const step = Math.ceil((periods.length - 1) / 4);
  const out = periods.filter((_, i) => i % step === 0);
  const last = periods[periods.length - 1];
  if (out[out.length - 1] !== last) {
    // Keep the labels apart: drop the one just before the last if too close.
    if (periods.indexOf(out[out.length - 1]) >= periods.length - step) out.pop();
    out.push(last);
  }
  return out;
}

export function lineChart(series: Series[], options: ChartOptions): SVGSVGElement | HTMLElement {
  const complete: Row[] = [];
  const tail: Row[] = [];
  const all: Row[] = [];
  for (const s of series) {
    const rows = s.points.map((p) => ({ period: p.period, series: s.label, value: p.value, incomplete: p.incomplete }));
    all.push(...rows);
    const firstIncomplete = rows.findIndex((r) => r.incomplete);
    if (firstIncomplete < 0) {
      complete.push(...rows);
    } else {
      complete.push(...rows.slice(0, firstIncomplete));
      tail.push(...rows.slice(Math.max(0, firstIncomplete - 1)));
    }
  }
  const many = series.length > 1;
  const stroke = many ? "series" : "var(--accent)";
  const title = (r: Row) => `${many ? `${r.series} · ` : ""}${r.period}: ${formatValue(r.value, options.unit)}${r.incomplete ? " (cohort still maturing)" : ""}`;
  const values = all.map((r) => r.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const zeroBased = values.length > 0 && Math.min(...values) >= 0;
  const span = values.length > 0 ? Math.max(...values) - (zeroBased ? 0 : Math.min(...values)) : 0;

  return Plot.plot({
    width: options.width ?? 300,
    height: options.height ?? 120,
    marginLeft: 44,
    marginRight: 12,
    marginTop: 10,
    marginBottom: 24,
    ariaLabel: options.label,
    style: { background: "transparent", color: "var(--muted)", fontSize: "10px", overflow: "visible" },
    x: { type: "point", domain: options.periods, ticks: ticks(options.periods), label: null, tickSize: 0, padding: 0.2 },
    y: { label: null, nice: true, ticks: 3, zero: zeroBased, tickFormat: (v: number) => formatTick(v, options.unit, span), grid: true },
    color: many ? { legend: options.legend ?? true, domain: series.map((s) => s.label) } : undefined,
    marks: [
      Plot.line(complete, { x: "period", y: "value", z: "series", stroke, strokeWidth: many ? 1.5 : 2, curve: "monotone-x" }),
      Plot.line(tail, { x: "period", y: "value", z: "series", stroke, strokeWidth: many ? 1.5 : 2, strokeDasharray: "4,3", curve: "monotone-x" }),
      Plot.dot(
        all.filter((r) => r.value !== null && !r.incomplete),
        { x: "period", y: "value", stroke, fill: stroke, r: many ? 1.5 : 2.5, title },
      ),
      Plot.dot(
        all.filter((r) => r.value !== null && r.incomplete),
        { x: "period", y: "value", stroke, fill: "var(--surface)", strokeWidth: 1.5, r: many ? 2.5 : 3, title },
      ),
    ],
  });
}
