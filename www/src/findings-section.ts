/**
 * Section 5 of the review, opportunities and risks: the review's findings,
 * ranked as the engine ranks them (by weight). Each opens its KPI's chart,
 * the total beside the finding's segment, and becomes an action item in one
 * click. Rendering only.
 */
import { h } from "./dom";
import { formatValue } from "./format";
import { kpiLink } from "./glossary";
import { lineChart, type Series } from "./kpi-chart";
import { byPeriod, reviewSection, totals, type ReviewContext } from "./review-context";
import type { Finding, Kpi } from "./types";

const KIND_WORDS: Record<Finding["kind"], string> = {
  off_target: "off target",
  move: "significant move",
  segment_gap: "segment gap",
  early_warning: "early warning",
  data_quality: "data quality",
};

/** The catalog's units, which formatValue shows. */
const KPI_UNITS = new Set(["rate", "currency", "count", "hours", "per_day", "score", "multiple", "months", "days"]);

function chart(f: Finding, kpi: Kpi, ctx: ReviewContext): Element {
  const series: Series[] = [{ label: "total", points: totals(kpi) }];
  if (f.segment !== null && f.dimension === ctx.doc.by) {
    series.push({ label: f.segment, points: kpi.points.filter((p) => p.segment === f.segment && p.step === null).sort(byPeriod) });
  }
  const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  return lineChart(series, { unit: kpi.unit, label: `${kpi.name}${series.length > 1 ? ` for ${f.segment} and in total` : ""} by ${ctx.doc.grain}`, periods, width: 420, height: 160 });
}

function findingItem(f: Finding, rank: number, ctx: ReviewContext): HTMLElement {
  const kpi = f.kpi ? ctx.kpis.get(f.kpi) : undefined;
  const taken = ctx.actions().some((a) => a.finding === f.id);
  const add = h("button", { type: "button", class: "small add-action", disabled: taken }, taken ? "In the action items" : "Add to actions");
  add.addEventListener("click", () => {
    add.disabled = true;
    void ctx.addAction(f).catch(() => (add.disabled = false));
  });
  let view: HTMLElement | null = null;
  if (kpi) {
    const figure = h("figure", { class: "chart" });
    const drawn = f.segment !== null && f.dimension === ctx.doc.by;
    let breakDown: HTMLButtonElement | null = null;
    if (f.segment !== null && !drawn && f.dimension) {
      // The document has the segment's points only under its breakdown.
      const dimension = f.dimension;
      breakDown = h("button", { type: "button", class: "small" }, `Break the report down by ${dimension}`);
      breakDown.addEventListener("click", () => ctx.choose({ by: dimension, cadence: "" }));
    }
    view = h(
      "details",
      { class: "finding-chart" },
      h("summary", {}, drawn ? `${kpi.name}: ${f.segment} and the total` : `${kpi.name} over time`),
      figure,
      breakDown ? h("p", { class: "muted small" }, `The total only: ${f.segment} is a segment of ${f.dimension}. `, breakDown) : null,
    );
    // Drawn when opened: a review can have many findings.
    view.addEventListener("toggle", () => {
      if ((view as HTMLDetailsElement).open && figure.childElementCount === 0) figure.append(chart(f, kpi, ctx));
    });
  }
  // In a KPI unit (money, a rate, hours…) or in what the KPI counts ("customers").
  const impact = KPI_UNITS.has(f.impact_unit) ? formatValue(f.impact, f.impact_unit) : `${formatValue(f.impact, "")} ${f.impact_unit}`;
  return h(
    "li",
    { class: `finding ${f.polarity}`, "data-finding": f.id, "data-kind": f.kind, "data-polarity": f.polarity, "data-rank": String(rank) },
    h("p", { class: "finding-head" }, h("span", { class: `polarity ${f.polarity}` }, f.polarity), h("span", { class: "tag" }, KIND_WORDS[f.kind] ?? f.kind)),
    h("p", { class: "finding-sentence" }, f.sentence),
    h(
      "p",
      { class: "finding-meta muted" },
      kpi ? kpiLink(kpi, ctx.openKpi) : null,
      f.segment !== null ? h("span", {}, `${f.dimension ?? "segment"}: ${f.segment}`) : h("span", {}, "total"),
      f.step ? h("span", {}, `step ${f.step}`) : null,
      f.period ? h("span", {}, f.period) : null,
      f.impact > 0 ? h("span", { class: "impact" }, `impact ${impact}`) : null,
      add,
    ),
    view,
  );
}

export function findingsSection(ctx: ReviewContext): HTMLElement {
  const findings = ctx.review?.findings ?? null;
  let body: HTMLElement;
  if (findings === null) body = h("p", { class: "muted" }, "This engine gives no findings yet.");
  else if (findings.length === 0) body = h("p", { class: "muted" }, "Nothing stands out in this period: no KPI off target, no significant move or segment gap.");
  else body = h("ol", { class: "finding-list" }, ...findings.map((f, i) => findingItem(f, i + 1, ctx)));
  return reviewSection("findings", "Opportunities & risks", body);
}
