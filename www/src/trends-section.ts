/**
 * Section 2 of the review, the key metrics with trends: each top KPI over
 * the report's periods, with its target, maturing periods drawn distinctly
 * (dashed, hollow dots: kpi-chart.ts). The cadence's leading KPIs come
 * first. Rendering only.
 */
import { h } from "./dom";
import { formatColumn, formatValue } from "./format";
import { kpiLink } from "./glossary";
import { lineChart } from "./kpi-chart";
import { reviewSection, stepTotals, type ReviewContext } from "./review-context";
import type { Kpi } from "./types";

function trend(kpi: Kpi, ctx: ReviewContext): HTMLElement {
  // A funnel KPI is drawn at its headline's step (the largest drop-off).
  const step = ctx.headlines.find((hl) => hl.kpi === kpi.id)?.step ?? null;
  const points = stepTotals(kpi, step);
  const periods = points.map((p) => p.period);
  const maturing = points.filter((p) => p.incomplete).length;
  // Incomplete: a cohort still maturing, or a period still running.
  const incomplete = kpi.window_days !== null ? "maturing" : "running";
  return h(
    "figure",
    { class: "trend chart", "data-kpi": kpi.id },
    h(
      "figcaption",
      {},
      kpiLink(kpi, ctx.openKpi),
      step !== null ? h("span", { class: "muted" }, `into ${formatColumn(step)}`) : null,
      kpi.target !== null ? h("span", { class: "target" }, `target ${formatValue(kpi.target, kpi.unit)}`) : null,
      maturing > 0 ? h("span", { class: "maturing", title: `dashed: ${incomplete === "maturing" ? "cohorts still maturing" : "a period still running"}` }, `${maturing} ${incomplete}`) : null,
    ),
    points.length > 0
      ? lineChart([{ label: kpi.name, points }], { unit: kpi.unit, label: `${kpi.name} by ${ctx.doc.grain}`, periods, width: 340, height: 150, target: kpi.target })
      : h("p", { class: "muted" }, "No data in these periods."),
  );
}

export function trendsSection(ctx: ReviewContext): HTMLElement {
  const ids = [...(ctx.cadence?.lead ?? []), ...ctx.headlines.map((hl) => hl.kpi)];
  const kpis = [...new Set(ids)].map((id) => ctx.kpis.get(id)).filter((k): k is Kpi => k !== undefined && k.available);
  return reviewSection(
    "trends",
    "Key metrics with trends",
    h("p", { class: "muted" }, `The top KPIs by ${ctx.doc.grain}; dashed lines and hollow dots are cohorts still maturing or a period still running.`),
    kpis.length > 0 ? h("div", { class: "trends" }, ...kpis.map((k) => trend(k, ctx))) : h("p", { class: "muted" }, "None of the top KPIs can be computed from these files."),
  );
}
