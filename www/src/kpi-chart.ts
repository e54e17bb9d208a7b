/**
 * Small Observable Plot line charts of one KPI over its periods: the total,
 * one line per segment, or one line per funnel step; and a sparkline of the
 * total. SVG only (prints and exports well). The charts draw only what the
 * document has: straight lines between points (no curve that invents values,
 * so a rate never dips below 0% between two points), the period axis in the
 * grain's own labels (`2026-W11`, `2026-03`, `2026-Q1`, never re-formatted),
 * maturing cohorts hollow on a lighter dashed segment, the running period's
 * run-rate `forecast` as a dashed continuation to the period's end, and the
 * KPI's target as a labelled horizontal rule. Every line chart carries its
 * numbers as a table behind a "Numbers" disclosure (its text alternative;
 * the SVG is one image named by its label). Rendering only.
 */
import * as Plot from "@observablehq/plot";
import { h } from "./dom";
import { formatTick, formatValue } from "./format";
import "./plot.css";
import type { Kpi, KpiPoint } from "./types";

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
  /** The KPI's target at the report's grain, drawn as a horizontal rule. */
  target?: number | null;
  /** ISO 4217 code for currency amounts; by default the document's (format.ts `useCurrency`). */
  currency?: string | null;
}

/** How the lines of a chart are drawn, and what the chart's key says. */
export const MATURING_KEY = "◌ maturing";
export const FORECAST_KEY = "┄ forecast";

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

/** A series cut into what each mark draws. */
interface Parts {
  /** Complete periods: the solid line and filled dots. */
  solid: Row[];
  /** From the last complete period through the maturing ones: lighter, dashed. */
  maturing: Row[];
  /** The running period's value so far (hollow dot, not on the line). */
  soFar: Row[];
  /** From the last drawn period to the running period's forecast: dashed. */
  forecast: Row[];
}

/**
 * Splits one series for drawing. A point with a `forecast` is the running
 * period: its value so far is a dot off the line (a half-finished period
 * would draw a fall that is not there), and the line continues dashed to
 * the forecast. Maturing cohorts (`incomplete`) continue the line lighter
 * and dashed.
 */
export function splitSeries(series: Series): Parts {
  const rows: Row[] = series.points.map((p) => ({ period: p.period, series: series.label, value: p.value, incomplete: p.incomplete }));
  const out: Parts = { solid: [], maturing: [], soFar: [], forecast: [] };
  const running = series.points.findIndex((p) => p.forecast !== null && Number.isFinite(p.forecast));
  const drawn = running >= 0 ? rows.slice(0, running) : rows;
  const firstMaturing = drawn.findIndex((r) => r.incomplete);
  if (firstMaturing < 0) {
    out.solid = drawn;
  } else {
    out.solid = drawn.slice(0, firstMaturing);
    out.maturing = drawn.slice(Math.max(0, firstMaturing - 1));
  }
  if (running >= 0) {
    const point = series.points[running];
    out.soFar = [rows[running]];
    const from = drawn[drawn.length - 1];
    const to = { ...rows[running], value: point.forecast };
    out.forecast = from && from.value !== null ? [from, to] : [to];
  }
  return out;
}

/** The y domain's ends from every value drawn; rates that stay within 0–100% keep the axis there. */
function yDomain(values: number[], unit: string): [number, number] | undefined {
  if (values.length === 0) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const low = min >= 0 ? 0 : min;
  if (unit === "rate" && min >= 0 && max <= 1) return [0, max > 0 ? max : 1];
  return [low, max > low ? max : low + 1];
}

export function lineChart(series: Series[], options: ChartOptions): SVGSVGElement | HTMLElement {
  const parts = series.map(splitSeries);
  const solid = parts.flatMap((p) => p.solid);
  const maturing = parts.flatMap((p) => p.maturing);
  const soFar = parts.flatMap((p) => p.soFar);
  const forecast = parts.flatMap((p) => p.forecast);
  const forecastEnds = parts.flatMap((p) => p.forecast.slice(-1));
  const many = series.length > 1;
  const stroke = many ? "series" : "var(--accent)";
  const width = many ? 1.5 : 2;
  const money = (v: number | null) => (options.currency === undefined ? formatValue(v, options.unit) : formatValue(v, options.unit, options.currency));
  const title = (r: Row) => `${many ? `${r.series} · ` : ""}${r.period}: ${money(r.value)}${r.incomplete ? " (cohort still maturing)" : ""}`;
  const target = options.target ?? null;
  const values = [...solid, ...maturing, ...soFar, ...forecastEnds]
    .map((r) => r.value)
    .concat(target !== null ? [target] : [])
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const domain = yDomain(values, options.unit);
  const span = domain ? domain[1] - domain[0] : 0;
  const key = [maturing.length > 0 ? MATURING_KEY : null, forecast.length > 0 ? FORECAST_KEY : null].filter((k): k is string => k !== null);

  const chart = plot({
    width: options.width ?? 300,
    height: options.height ?? 120,
    marginLeft: 44,
    marginRight: 12,
    marginTop: key.length > 0 || target !== null ? 16 : 10,
    marginBottom: 24,
    ariaLabel: options.label,
    style: { background: "transparent", color: "var(--muted)", fontSize: "10px", overflow: "visible" },
    // A point scale of the labels themselves: nothing re-formats them as dates.
    x: { type: "point", domain: options.periods, ticks: ticks(options.periods), tickFormat: (p: string) => p, label: null, tickSize: 0, padding: 0.2 },
    y: { label: null, domain, nice: true, ticks: 3, tickFormat: (v: number) => (options.currency === undefined ? formatTick(v, options.unit, span) : formatTick(v, options.unit, span, options.currency)), grid: true },
    color: many ? { legend: options.legend ?? true, domain: series.map((s) => s.label) } : undefined,
    marks: [
      target !== null ? Plot.ruleY([target], { stroke: "var(--good)", strokeDasharray: "2,2", strokeWidth: 1, ariaDescription: "target" }) : null,
      target !== null
        ? Plot.text([target], { y: (d: number) => d, frameAnchor: "right", textAnchor: "end", dy: -5, text: () => `target ${money(target)}`, fill: "var(--good)", ariaDescription: "target label" })
        : null,
      // Straight segments between points (named: the default, "auto", drew nothing on a point scale).
      Plot.line(solid, { x: "period", y: "value", z: "series", stroke, strokeWidth: width, ariaDescription: "line", curve: "linear" }),
      Plot.line(maturing, { x: "period", y: "value", z: "series", stroke, strokeWidth: width, strokeDasharray: "4,3", strokeOpacity: 0.55, ariaDescription: "maturing", curve: "linear" }),
      Plot.line(forecast, { x: "period", y: "value", z: "series", stroke, strokeWidth: width, strokeDasharray: "2,3", ariaDescription: "forecast", curve: "linear" }),
      Plot.dot(
        solid.filter((r) => r.value !== null),
        { x: "period", y: "value", stroke, fill: stroke, r: many ? 1.5 : 2.5, title },
      ),
      Plot.dot(
        maturing.filter((r) => r.value !== null && r.incomplete),
        { x: "period", y: "value", stroke, fill: "var(--surface)", strokeWidth: 1.5, r: many ? 2.5 : 3, title },
      ),
      Plot.dot(
        soFar.filter((r) => r.value !== null),
        { x: "period", y: "value", stroke, fill: "var(--surface)", strokeWidth: 1, r: many ? 2 : 2.5, title: (r: Row) => `${title(r)} so far` },
      ),
      Plot.dot(forecastEnds, {
        x: "period",
        y: "value",
        stroke,
        fill: "var(--surface)",
        symbol: "diamond",
        strokeWidth: 1.5,
        r: many ? 2.5 : 3,
        title: (r: Row) => `${many ? `${r.series} · ` : ""}${r.period}: ${money(r.value)} forecast to the period's end (run rate)`,
      }),
      key.length > 0 ? Plot.text([key.join("   ")], { frameAnchor: "top-right", textAnchor: "end", dy: -12, fill: "currentColor", ariaDescription: "key" }) : null,
    ],
  });
  const numbers = numbersTable(series, options.periods, money, options.label);
  if (chart instanceof HTMLElement) {
    chart.append(numbers);
    return chart;
  }
  return h("figure", { class: "chart-frame" }, chart, numbers);
}

/**
 * A chart's text alternative: its numbers, one row per period and a column
 * per line, in a closed disclosure. A maturing cohort says so, the running
 * period gives its value so far and its forecast: what the chart tells by
 * dashes and hollow dots, in words.
 */
export function numbersTable(series: Series[], periods: string[], money: (v: number | null) => string, label: string): HTMLDetailsElement {
  const cell = (p: KpiPoint | undefined) => {
    if (!p) return "–";
    if (p.forecast !== null && Number.isFinite(p.forecast)) return `${money(p.value)} so far, ${money(p.forecast)} forecast`;
    return p.incomplete ? `${money(p.value)} (maturing)` : money(p.value);
  };
  const byPeriod = series.map((s) => new Map(s.points.map((p) => [p.period, p])));
  return h(
    "details",
    { class: "chart-numbers" },
    h("summary", {}, "Numbers"),
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, label),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Period"), ...series.map((s) => h("th", { scope: "col" }, s.label)))),
      h("tbody", {}, ...periods.map((period) => h("tr", {}, h("th", { scope: "row" }, period), ...byPeriod.map((m) => h("td", { class: "num" }, cell(m.get(period))))))),
    ),
  );
}

/**
 * Plot's chart, fit for the page's Content-Security-Policy: Plot puts a
 * <style> element in every chart and legend, which a policy without
 * 'unsafe-inline' refuses (a violation per chart). They are removed while
 * the chart is not yet in the page, so no style sheet is ever made of them;
 * their rules are in plot.css. And each chart is one image to assistive
 * technology, named by its label: Plot names its groups of marks too
 * (`aria-label="line"` on a <g>, which ARIA does not allow without a role);
 * those names go, the numbers are in the chart's table.
 */
function plot(options: Plot.PlotOptions): ReturnType<typeof Plot.plot> {
  const chart = Plot.plot(options);
  for (const style of chart.querySelectorAll("style")) style.remove();
  for (const el of chart.querySelectorAll("[aria-label]")) if (!(el instanceof SVGSVGElement)) el.removeAttribute("aria-label");
  for (const svg of [chart, ...chart.querySelectorAll("svg")]) if (svg instanceof SVGSVGElement && svg.hasAttribute("aria-label")) svg.setAttribute("role", "img");
  return chart;
}

/**
 * A tiny line of a KPI's total over its periods: no axes, no labels, the
 * maturing tail dashed and the latest value as a dot. For headline cards.
 */
export function sparkline(kpi: Kpi, options: { width?: number; height?: number } = {}): SVGElement {
  const totals = kpi.points.filter((p) => p.segment === null && p.step === null).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const parts = splitSeries({ label: kpi.name, points: totals });
  const last = [...parts.solid, ...parts.maturing, ...parts.soFar].filter((r) => r.value !== null).slice(-1);
  const values = [...parts.solid, ...parts.maturing, ...parts.soFar, ...parts.forecast].map((r) => r.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const svg = plot({
    width: options.width ?? 96,
    height: options.height ?? 28,
    margin: 3,
    axis: null,
    ariaLabel: `${kpi.name}, trend`,
    style: { background: "transparent", overflow: "visible" },
    x: { type: "point", domain: totals.map((p) => p.period) },
    y: { domain: yDomain(values, kpi.unit) },
    marks: [
      Plot.line(parts.solid, { x: "period", y: "value", stroke: "var(--accent)", strokeWidth: 1.5, curve: "linear" }),
      Plot.line(parts.maturing, { x: "period", y: "value", stroke: "var(--accent)", strokeWidth: 1.5, strokeDasharray: "3,2", strokeOpacity: 0.55, curve: "linear" }),
      Plot.line(parts.forecast, { x: "period", y: "value", stroke: "var(--accent)", strokeWidth: 1, strokeDasharray: "2,2", curve: "linear" }),
      Plot.dot(last, { x: "period", y: "value", fill: "var(--accent)", r: 2 }),
    ],
  });
  svg.classList.add("sparkline");
  return svg as SVGElement;
}
