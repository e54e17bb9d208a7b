/**
 * One KPI card: name (definition as tooltip and expandable text), the latest
 * period's total, change against the previous period coloured by the KPI's
 * better direction, numerator / denominator, target, a line chart, and with a
 * breakdown the segments' lines and a table of the latest period. Rendering
 * only: every number comes from the result document.
 */
import { h } from "./dom";
import { chartDownloads } from "./export";
import { formatChange, formatColumn, formatPart, formatValue } from "./format";
import { lineChart, type Series } from "./kpi-chart";
import type { Kpi, KpiPoint } from "./types";

/** Segments drawn in a chart; the others are listed in the table only. */
const TOP_SEGMENTS = 8;
const MATURING = "cohort still maturing: people in this period can still convert";

function byPeriod(a: KpiPoint, b: KpiPoint): number {
  return a.period < b.period ? -1 : a.period > b.period ? 1 : 0;
}

/** The arrow and words for a change, and whether it is good news. */
function changeView(point: KpiPoint, better: string, compact = false): HTMLElement | null {
  if (point.change === null || !Number.isFinite(point.change)) {
    if (compact) return h("span", { class: "change flat", title: "nothing to compare with" }, "–");
    return point.previous === null ? null : h("span", { class: "change flat" }, "no change to compare");
  }
  const dir = point.change > 0 ? "up" : point.change < 0 ? "down" : "flat";
  const tone = dir === "flat" ? "flat" : dir === better ? "good" : "bad";
  const arrow = dir === "up" ? "▲" : dir === "down" ? "▼" : "→";
  const words = dir === "flat" ? (compact ? "0%" : "unchanged") : compact ? formatChange(point.change) : `${dir} ${formatChange(point.change)}`;
  return h(
    "span",
    { class: `change ${tone}`, "data-tone": tone, title: `${tone === "good" ? "Better" : tone === "bad" ? "Worse" : "Same"} than the previous period` },
    h("span", { "aria-hidden": "true" }, `${arrow} `),
    words,
  );
}

function parts(point: KpiPoint, unit: string): string | null {
  if (point.numerator === null || point.denominator === null) return null;
  return `${formatPart(point.numerator, unit)} / ${formatPart(point.denominator, unit)}`;
}

function maturingBadge(): HTMLElement {
  return h("span", { class: "maturing", title: MATURING }, "maturing");
}

function latestOf<T extends { period: string }>(points: T[]): T | undefined {
  return points.length > 0 ? points[points.length - 1] : undefined;
}

/** The headline: latest total value, change, parts, target. */
function headline(kpi: Kpi, totals: KpiPoint[]): HTMLElement {
  const latest = latestOf(totals);
  if (!latest) return h("p", { class: "kpi-empty muted" }, "No data in these periods.");
  const target = kpi.target ?? null;
  const line = parts(latest, kpi.unit);
  return h(
    "div",
    { class: "headline" },
    h(
      "p",
      { class: "kpi-value-line" },
      h(
        "span",
        {
          class: `kpi-value${latest.incomplete ? " incomplete" : ""}`,
          "data-period": latest.period,
          title: latest.incomplete ? MATURING : undefined,
        },
        formatValue(latest.value, kpi.unit),
      ),
      h("span", { class: "kpi-period" }, latest.period),
      latest.incomplete ? maturingBadge() : null,
    ),
    h(
      "p",
      { class: "kpi-meta" },
      changeView(latest, kpi.better),
      line ? h("span", { class: "parts", title: "numerator / denominator" }, line) : null,
      target !== null ? h("span", { class: "target" }, `target ${formatValue(target, kpi.unit)}`) : null,
    ),
  );
}

/** Funnel headline: the latest drop-off into each step. */
function stepsHeadline(kpi: Kpi, steps: Map<string, KpiPoint[]>): HTMLElement {
  const items = [...steps].map(([step, points]) => {
    const latest = latestOf(points);
    const line = latest ? parts(latest, kpi.unit) : null;
    return h(
      "li",
      { "data-step": step },
      h("span", { class: "step-name" }, `→ ${formatColumn(step)}`),
      h(
        "span",
        { class: `step-value num${latest?.incomplete ? " incomplete" : ""}`, title: latest?.incomplete ? MATURING : undefined },
        formatValue(latest?.value ?? null, kpi.unit),
      ),
      h("span", { class: "step-meta" }, latest ? changeView(latest, kpi.better) : null, line ? h("span", { class: "parts", title: "lost / reached the step before" }, line) : null),
    );
  });
  const last = latestOf([...steps.values()][0] ?? []);
  return h(
    "div",
    { class: "steps" },
    h("p", { class: "kpi-meta" }, `Lost before each step, ${last?.period ?? ""}`, last?.incomplete ? maturingBadge() : null),
    h("ol", { class: "steps-list" }, ...items),
  );
}

/** Latest period by segment: all segments, best first by value. */
function segmentTable(kpi: Kpi, rows: KpiPoint[], period: string, by: string): HTMLElement {
  const sorted = [...rows].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || (a.segment ?? "").localeCompare(b.segment ?? ""));
  const ratio = sorted.some((p) => p.denominator !== null);
  return h(
    "div",
    { class: "segments-wrap" },
    h(
      "table",
      { class: "segments", "data-period": period },
      h("caption", { class: "muted" }, `${period} by ${by}`),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, by), h("th", { scope: "col", class: "num" }, "value"), ratio ? h("th", { scope: "col", class: "num" }, "of") : null, h("th", { scope: "col", class: "num" }, "change")),
      ),
      h(
        "tbody",
        {},
        ...sorted.map((p) =>
          h(
            "tr",
            { "data-segment": p.segment ?? "" },
            h("th", { scope: "row", title: p.segment ?? "" }, p.segment ?? ""),
            h("td", { class: `num${p.incomplete ? " incomplete" : ""}` }, formatValue(p.value, kpi.unit)),
            ratio ? h("td", { class: "num muted" }, parts(p, kpi.unit) ?? "") : null,
            h("td", { class: "num" }, changeView(p, kpi.better, true)),
          ),
        ),
      ),
    ),
  );
}

/** `openKpi` opens the KPI in the glossary (definition, owner, target). */
export function kpiCard(kpi: Kpi, by: string | null, openKpi?: (kpi: Kpi) => void): HTMLElement {
  const totals = kpi.points.filter((p) => p.segment === null && p.step === null).sort(byPeriod);
  const stepPoints = kpi.points.filter((p) => p.segment === null && p.step !== null).sort(byPeriod);
  const steps = new Map<string, KpiPoint[]>();
  for (const p of stepPoints) {
    const list = steps.get(p.step as string) ?? [];
    list.push(p);
    steps.set(p.step as string, list);
  }
  const isFunnel = steps.size > 0;
  const periods = [...new Set([...totals, ...stepPoints].map((p) => p.period))].sort();
  const latestPeriod = periods[periods.length - 1] ?? "";
  const segmentPoints = kpi.points.filter((p) => p.segment !== null);
  const segmented = by !== null && segmentPoints.length > 0;

  const definition = kpi.definition;
  const title = h("h4", { class: "kpi-name", id: `kpi-${kpi.id}`, title: definition || undefined }, kpi.name);

  let chart: Element;
  let table: HTMLElement | null = null;
  let hidden = 0;
  if (segmented) {
    // With a breakdown the funnel shows its first step (the most people) by segment.
    const firstStep = isFunnel ? ([...steps.keys()][0] ?? null) : null;
    const rows = segmentPoints.filter((p) => (firstStep ? p.step === firstStep : p.step === null)).sort(byPeriod);
    const bySegment = new Map<string, KpiPoint[]>();
    for (const p of rows) {
      const list = bySegment.get(p.segment as string) ?? [];
      list.push(p);
      bySegment.set(p.segment as string, list);
    }
    const latestRows = rows.filter((p) => p.period === latestPeriod);
    const rank = (s: string) => bySegment.get(s)?.find((p) => p.period === latestPeriod)?.value ?? -Infinity;
    const ranked = [...bySegment.keys()].sort((a, b) => rank(b) - rank(a) || a.localeCompare(b));
    const shown = ranked.slice(0, TOP_SEGMENTS);
    hidden = ranked.length - shown.length;
    const series: Series[] = shown.map((s) => ({ label: s, points: bySegment.get(s) ?? [] }));
    chart = lineChart(series, {
      unit: kpi.unit,
      label: `${kpi.name}${firstStep ? ` into ${formatColumn(firstStep)}` : ""} by ${by} over time`,
      periods,
      width: 340,
      height: 170,
    });
    table = segmentTable(kpi, latestRows, latestPeriod, firstStep ? `${by} (→ ${formatColumn(firstStep)})` : by);
  } else if (isFunnel) {
    chart = lineChart(
      [...steps].map(([step, points]) => ({ label: `→ ${formatColumn(step)}`, points })),
      { unit: kpi.unit, label: `${kpi.name} per step over time`, periods, height: 150 },
    );
  } else {
    chart = lineChart([{ label: kpi.name, points: totals }], { unit: kpi.unit, label: `${kpi.name} over time`, periods, target: kpi.target });
  }

  let openButton: HTMLButtonElement | null = null;
  if (openKpi) {
    openButton = h("button", { type: "button", class: "quiet small glossary-open", "data-kpi": kpi.id }, "Formula, owner and target…");
    openButton.addEventListener("click", () => openKpi(kpi));
  }
  const card = h(
    "li",
    {
      class: `kpi${segmented ? " wide" : ""}`,
      "data-kpi": kpi.id,
      "data-area": kpi.area,
      "aria-labelledby": `kpi-${kpi.id}`,
    },
    h("div", { class: "kpi-head" }, title, h("span", { class: "tag", title: kpi.stage === null ? `${kpi.indicator} indicator` : `${kpi.indicator} indicator, ${kpi.stage} stage` }, kpi.indicator)),
    isFunnel ? stepsHeadline(kpi, steps) : headline(kpi, totals),
    kpi.reason ? h("p", { class: "kpi-note", role: "note" }, kpi.reason) : null,
    h(
      "div",
      { class: segmented ? "split" : "chart-only" },
      h("figure", { class: "chart" }, chartDownloads(chart, segmented ? `${kpi.id}-by-${by}` : kpi.id), chart, hidden > 0 ? h("figcaption", { class: "muted" }, `Top ${TOP_SEGMENTS} ${by} by latest value; ${hidden} more in the table.`) : null),
      table,
    ),
    definition
      ? h(
          "details",
          { class: "definition" },
          h("summary", {}, "Definition"),
          h("p", {}, definition),
          kpi.window_days ? h("p", { class: "muted" }, `Cohort window: ${kpi.window_days} days.`) : null,
          kpi.owner ? h("p", { class: "muted" }, `Owner: ${kpi.owner}`) : null,
          openButton,
        )
      : openButton,
  );
  return card;
}
