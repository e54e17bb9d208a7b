/**
 * Section 3 of the review, the deep dives by funnel stage (Awareness,
 * Engagement, Conversion, Retention, Expansion, the KPIs' `stage`): each
 * stage's KPIs, leading beside lagging, in the review period; and the
 * funnel with the drop-off into each step (Drop-off Rate's step points: of
 * the people who reached the step before, how many were lost). Rendering
 * only.
 */
import { h } from "./dom";
import { formatColumn, formatCount, formatValue } from "./format";
import { kpiLink } from "./glossary";
import { changeBadge, pointAt, reviewPeriod, reviewSection, type ReviewContext } from "./review-context";
import type { Kpi } from "./types";

const STAGES: [string, string][] = [
  ["awareness", "Awareness"],
  ["engagement", "Engagement"],
  ["conversion", "Conversion"],
  ["retention", "Retention"],
  ["expansion", "Expansion"],
];

const FUNNEL_KPI = "drop_off_rate";

/** The period a KPI is read at: its headline's (a complete cohort), else the review period. */
function periodFor(kpi: Kpi, ctx: ReviewContext): string | null {
  return ctx.headlines.find((hl) => hl.kpi === kpi.id && hl.available)?.period ?? reviewPeriod(ctx);
}

function kpiRow(kpi: Kpi, ctx: ReviewContext): HTMLElement {
  const period = periodFor(kpi, ctx);
  // A funnel KPI's headline is one step's (the largest drop-off).
  const step = ctx.headlines.find((hl) => hl.kpi === kpi.id)?.step ?? null;
  const p = period ? pointAt(kpi, period, null, step) : undefined;
  return h(
    "li",
    { "data-kpi": kpi.id, class: "stage-kpi" },
    kpiLink(kpi, ctx.openKpi),
    kpi.available
      ? h(
          "span",
          { class: "stage-value" },
          h("span", { class: `num${p?.incomplete ? " incomplete" : ""}`, "data-period": period ?? "" }, formatValue(p?.value ?? null, kpi.unit)),
          h("span", { class: "muted" }, ` ${period ?? ""}${step ? ` into ${formatColumn(step)}` : ""}`),
          p?.incomplete ? h("span", { class: "maturing" }, "maturing") : changeBadge(p?.change ?? null, kpi.better, null, "vs-previous"),
        )
      : h("span", { class: "reason" }, kpi.reason ?? "not available"),
  );
}

function column(title: string, kpis: Kpi[], ctx: ReviewContext, indicator: string): HTMLElement {
  return h(
    "div",
    { class: "stage-column", "data-indicator": indicator },
    h("h5", {}, `${title} (${kpis.length})`),
    kpis.length > 0 ? h("ul", { role: "list" }, ...kpis.map((k) => kpiRow(k, ctx))) : h("p", { class: "muted" }, "none"),
  );
}

/** The funnel of the period: people reaching each step, lost before it. */
function funnelChart(ctx: ReviewContext): HTMLElement | null {
  const kpi = ctx.kpis.get(FUNNEL_KPI);
  if (!kpi || !kpi.available) return null;
  const period = periodFor(kpi, ctx);
  if (!period) return null;
  const steps = kpi.points.filter((p) => p.period === period && p.segment === null && p.step !== null);
  if (steps.length === 0) return null;
  const first = steps[0].denominator ?? 0;
  const base = first > 0 ? first : 1;
  const bar = (label: string, reached: number, lost: string | null, incomplete: boolean) =>
    h(
      "li",
      { "data-step": label },
      h("span", { class: "funnel-step" }, label),
      h("span", { class: "funnel-bar", style: `--share: ${Math.max(0, Math.min(1, reached / base))}` }, h("span", { class: "num" }, formatCount(reached))),
      h("span", { class: `funnel-drop${incomplete ? " incomplete" : ""}` }, lost ?? ""),
    );
  const rows = [bar("reached the first step", first, null, false)];
  for (const p of steps) {
    const reached = (p.denominator ?? 0) - (p.numerator ?? 0);
    rows.push(bar(formatColumn(p.step ?? ""), reached, p.value === null ? "–" : `${formatValue(p.value, kpi.unit)} lost before it`, p.incomplete));
  }
  return h(
    "figure",
    { class: "funnel", "data-kpi": kpi.id, "data-period": period },
    h("figcaption", {}, kpiLink(kpi, ctx.openKpi, "Funnel"), ` of the ${period} cohort`, steps.some((p) => p.incomplete) ? h("span", { class: "maturing" }, "maturing") : null),
    h("ol", { class: "funnel-steps" }, ...rows),
  );
}

export function stagesSection(ctx: ReviewContext): HTMLElement {
  const stages = STAGES.map(([stage, label]) => {
    const kpis = ctx.doc.kpis.filter((k) => k.stage === stage);
    return h(
      "section",
      { class: "stage", "data-stage": stage, "aria-labelledby": `stage-${stage}` },
      h("h4", { id: `stage-${stage}` }, label),
      h(
        "div",
        { class: "stage-columns" },
        column("Leading", kpis.filter((k) => k.indicator === "leading"), ctx, "leading"),
        column("Lagging", kpis.filter((k) => k.indicator !== "leading"), ctx, "lagging"),
      ),
    );
  });
  return reviewSection("stages", "Deep dives by funnel stage", funnelChart(ctx), h("div", { class: "stages" }, ...stages));
}
