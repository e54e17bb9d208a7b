/**
 * Section 1 of the review, the executive summary: the review period and
 * cadence, what the cadence leads with, a headline card per top KPI (value,
 * its period, change against the previous period and a year earlier,
 * target status, a sparkline; a maturing cohort's value "so far" beside it,
 * never as a change), the review's sentences, and every KPI card under
 * "Diagnostics", one click away. Rendering only.
 */
import { h } from "./dom";
import { formatColumn, formatValue } from "./format";
import { kpiLink } from "./glossary";
import { kpiCard } from "./kpi-card";
import { lineChart } from "./kpi-chart";
import { renderPacing } from "./pacing";
import { changeBadge, pointAt, reviewPeriod, reviewSection, stepTotals, totals, type ReviewContext } from "./review-context";
import type { Headline, Kpi, ResultDoc } from "./types";

/** The focus areas, in the order the catalog's top KPIs are read. */
export const AREAS: [string, string][] = [
  ["funnel", "Funnel"],
  ["acquisition", "Acquisition"],
  ["engagement", "Engagement"],
  ["brand", "Brand"],
  ["retention_expansion", "Retention & expansion"],
  ["investment", "Investment & return"],
];

const MATURING = "cohort still maturing: people in this period can still convert";
const STATUS_WORDS = { on_track: "on track", off_track: "off track" } as const;

/**
 * The headlines without a review (an engine before it): each top KPI's
 * latest total point, as the KPI cards show it; no year-ago value and no
 * "so far".
 */
export function headlinesWithoutReview(doc: ResultDoc): Headline[] {
  const order = new Map(AREAS.map(([a], i) => [a, i]));
  const top = doc.kpis
    .filter((k) => k.top !== null)
    .sort((a, b) => (order.get(a.area) ?? 99) - (order.get(b.area) ?? 99) || (a.top ?? 0) - (b.top ?? 0));
  return top.map((k): Headline => {
    const all = totals(k);
    const latest = all[all.length - 1];
    return {
      kpi: k.id,
      area: k.area,
      rank: k.top ?? 0,
      available: k.available,
      reason: k.reason,
      period: latest?.period ?? null,
      step: null,
      value: latest?.value ?? null,
      numerator: latest?.numerator ?? null,
      denominator: latest?.denominator ?? null,
      previous_period: null,
      previous: latest?.previous ?? null,
      change: latest?.change ?? null,
      year_ago_period: null,
      year_ago: null,
      year_ago_change: null,
      forecast: latest?.forecast ?? null,
      target: k.target,
      status: latest?.status ?? null,
      maturing: null,
      note: latest?.incomplete ? "cohort still maturing" : null,
    };
  });
}

function maturingBadge(): HTMLElement {
  return h("span", { class: "maturing", title: MATURING }, "maturing");
}

function statusLine(hl: Headline, unit: string): HTMLElement {
  if (hl.target === null) return h("p", { class: "headline-status", "data-status": "none" }, "no target");
  const status = hl.status;
  return h(
    "p",
    { class: `headline-status${status ? ` ${status}` : ""}`, "data-status": status ?? "none" },
    h("span", { class: "target" }, `target ${formatValue(hl.target, unit)}`),
    status ? h("strong", { class: "status-word" }, ` · ${STATUS_WORDS[status]}`) : null,
    hl.forecast !== null && status ? h("span", { class: "muted" }, " (by the forecast)") : null,
  );
}

/** One headline card. */
export function headlineCard(hl: Headline, kpi: Kpi | undefined, ctx: ReviewContext): HTMLElement {
  const unit = kpi?.unit ?? "";
  const better = kpi?.better ?? "none";
  const name = kpi ? kpiLink(kpi, ctx.openKpi) : h("span", {}, hl.kpi);
  const head = h("h4", { class: "headline-name", id: `headline-${hl.kpi}` }, name);
  if (!hl.available) {
    return h(
      "li",
      { class: "headline unavailable-headline", "data-kpi": hl.kpi, "data-area": hl.area, "aria-labelledby": `headline-${hl.kpi}` },
      head,
      h("p", { class: "reason" }, `Not available: ${hl.reason ?? "inputs missing"}`),
    );
  }
  const points = kpi ? stepTotals(kpi, hl.step) : [];
  const periods = points.map((p) => p.period);
  const spark = kpi && points.length > 1 ? lineChart([{ label: kpi.name, points }], { unit, label: `${kpi.name}, trend`, periods, width: 220, height: 56 }) : null;
  const m = hl.maturing;
  return h(
    "li",
    { class: "headline", "data-kpi": hl.kpi, "data-area": hl.area, "data-status": hl.status ?? "none", "aria-labelledby": `headline-${hl.kpi}` },
    head,
    h(
      "p",
      { class: "headline-value-line" },
      h("span", { class: "headline-value", "data-period": hl.period ?? undefined, "data-value": hl.value === null ? "" : String(hl.value) }, formatValue(hl.value, unit)),
      h("span", { class: "headline-period" }, hl.period ?? ""),
      hl.step ? h("span", { class: "headline-step muted", "data-step": hl.step }, `into ${formatColumn(hl.step)}`) : null,
    ),
    m
      ? h(
          "p",
          { class: "so-far", "data-period": m.period, title: MATURING },
          maturingBadge(),
          ` ${m.period} so far: `,
          h("span", { class: "so-far-value" }, formatValue(m.value, unit)),
        )
      : null,
    hl.forecast !== null ? h("p", { class: "forecast" }, `forecast ${formatValue(hl.forecast, unit)} by the period's end`) : null,
    h(
      "p",
      { class: "headline-compare" },
      changeBadge(hl.change, better, hl.previous_period, "vs-previous"),
      ctx.review ? changeBadge(hl.year_ago_change, better, hl.year_ago_period, "vs-year-ago") : null,
    ),
    statusLine(hl, unit),
    spark ? h("figure", { class: "chart sparkline" }, spark) : null,
    hl.note ? h("p", { class: "headline-note muted" }, hl.note) : null,
  );
}

/** A table of a few KPIs in the review period: the total and the largest
 * segments side by side (what a cadence leads with). */
function leadTable(ids: string[], ctx: ReviewContext, caption: string): HTMLElement | null {
  const period = reviewPeriod(ctx);
  const kpis = ids.map((id) => ctx.kpis.get(id)).filter((k): k is Kpi => k !== undefined);
  if (kpis.length === 0 || period === null) return null;
  const periodOf = (k: Kpi) => ctx.headlines.find((hl) => hl.kpi === k.id && hl.available)?.period ?? period;
  const counts = new Map<string, number>();
  for (const k of kpis) for (const p of k.points) if (p.segment !== null && p.step === null && p.period === periodOf(k)) counts.set(p.segment, (counts.get(p.segment) ?? 0) + 1);
  const segments = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b)).slice(0, 8);
  const by = ctx.doc.by;
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "lead-table" },
      h("caption", { class: "muted" }, caption),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "KPI"), h("th", { scope: "col" }, "period"), h("th", { scope: "col", class: "num" }, "total"), ...segments.map((s) => h("th", { scope: "col", class: "num", title: `${by}: ${s}` }, s))),
      ),
      h(
        "tbody",
        {},
        ...kpis.map((k) => {
          const at = periodOf(k);
          const total = pointAt(k, at);
          return h(
            "tr",
            { "data-kpi": k.id },
            h("th", { scope: "row" }, kpiLink(k, ctx.openKpi)),
            h("td", { class: "muted" }, at),
            h("td", { class: `num${total?.incomplete ? " incomplete" : ""}` }, k.available ? formatValue(total?.value ?? null, k.unit) : (k.reason ?? "not available")),
            ...segments.map((s) => {
              const p = pointAt(k, at, s);
              return h("td", { class: `num${p?.incomplete ? " incomplete" : ""}`, "data-segment": s }, formatValue(p?.value ?? null, k.unit));
            }),
          );
        }),
      ),
    ),
  );
}

/** What the cadence leads with. */
function cadenceLead(ctx: ReviewContext): HTMLElement | null {
  const c = ctx.cadence;
  if (!c) return null;
  const parts: (HTMLElement | null)[] = [h("h4", {}, `${c.label} review: ${c.focus}`)];
  if (c.pacing) {
    const pacing = h("div", { id: "pacing", class: "pacing" });
    if (!renderPacing(pacing, ctx.doc))
      pacing.append(h("p", { class: "muted" }, "Campaign pacing (spend and budget to date) appears here when a budget is loaded."));
    parts.push(pacing);
  }
  if (c.leadFunnel) {
    const funnel = ctx.doc.kpis.filter((k) => k.area === "funnel").map((k) => k.id);
    parts.push(leadTable(funnel, ctx, `Funnel metrics${ctx.doc.by ? ` by ${ctx.doc.by}` : ""}`));
  }
  if (c.lead.length > 0) parts.push(leadTable(c.lead, ctx, `Investment & return${ctx.doc.by ? ` by ${ctx.doc.by}` : ""}`));
  if (c.id === "quarterly") {
    const findings = ctx.review?.findings.slice(0, 3) ?? [];
    const open = ctx.actions().filter((a) => a.status === "open");
    parts.push(
      h("p", { class: "muted" }, "Top findings"),
      findings.length > 0 ? h("ol", { class: "lead-findings" }, ...findings.map((f) => h("li", { "data-finding": f.id }, f.sentence))) : h("p", { class: "muted" }, "No findings for this period."),
      h("p", { class: "muted" }, "Recommendations and next steps"),
      open.length > 0 ? h("ul", { class: "lead-actions" }, ...open.map((a) => h("li", { "data-action": a.id }, a.text, a.owner ? ` — ${a.owner}` : "", a.due ? `, due ${a.due}` : ""))) : h("p", { class: "muted" }, "No open action items yet: add them from the findings below."),
    );
  }
  return h("div", { class: "cadence-lead", "data-cadence": c.id }, ...parts);
}

/** The KPI cards by area and the KPIs that cannot be computed. */
function diagnostics(ctx: ReviewContext, open: boolean, onToggle: (open: boolean) => void): HTMLElement[] {
  const { doc } = ctx;
  const available = doc.kpis.filter((k) => k.available);
  const unavailable = doc.kpis.filter((k) => !k.available);
  const known = new Set(AREAS.map(([id]) => id));
  const areas = [...AREAS, ...[...new Set(available.map((k) => k.area))].filter((a) => !known.has(a)).map((a): [string, string] => [a, a])];
  const sections: HTMLElement[] = [];
  for (const [area, label] of areas) {
    const kpis = available.filter((k) => k.area === area);
    if (kpis.length === 0) continue;
    sections.push(
      h(
        "section",
        { class: "area", "data-area": area, "aria-labelledby": `area-${area}` },
        h("h4", { id: `area-${area}`, class: "area-title" }, label, h("span", { class: "count" }, String(kpis.length))),
        h("ul", { class: "kpis", role: "list" }, ...kpis.map((k) => kpiCard(k, doc.by, ctx.openKpi))),
      ),
    );
  }
  if (available.length === 0) sections.push(h("p", { class: "report-empty" }, "None of the KPIs can be computed from these files yet — see what each one needs below."));
  const details = h(
    "details",
    { id: "diagnostics", class: "diagnostics", open },
    h("summary", {}, `Diagnostics: every KPI, card by card (${available.length})`),
    ...sections,
  );
  details.addEventListener("toggle", () => onToggle(details.open));
  const missing =
    unavailable.length > 0
      ? h(
          "section",
          { class: "unavailable", "aria-labelledby": "unavailable-heading" },
          h("h4", { id: "unavailable-heading" }, `Not available from these files (${unavailable.length})`),
          h(
            "ul",
            { role: "list" },
            ...unavailable.map((k) =>
              h("li", { "data-kpi": k.id, title: k.definition || undefined }, h("span", { class: "kpi-name" }, kpiLink(k, ctx.openKpi)), h("span", { class: "reason" }, k.reason ?? "inputs missing")),
            ),
          ),
        )
      : null;
  return missing ? [details, missing] : [details];
}

/** The executive summary section. */
export function summarySection(ctx: ReviewContext, diagnosticsOpen: boolean, onDiagnosticsToggle: (open: boolean) => void): HTMLElement {
  const r = ctx.review;
  const period = r
    ? h(
        "p",
        { class: "review-period" },
        "Review of ",
        h("strong", { "data-period": r.period }, r.label),
        ` (${r.start} to ${r.end}${r.running ? ", still running" : ""})`,
        ctx.cadence ? ` · ${ctx.cadence.label} review` : ` · by ${r.grain}`,
        r.previous_period ? ` · compared with ${r.previous_period}${r.year_ago_period ? ` and ${r.year_ago_period}` : ""}` : null,
      )
    : h("p", { class: "review-period muted" }, "This engine gives no review yet: the headline cards show each top KPI's latest period.", ctx.cadence ? ` · ${ctx.cadence.label} review` : null);
  const cards = ctx.headlines.map((hl) => headlineCard(hl, ctx.kpis.get(hl.kpi), ctx));
  const sentences = r && r.summary.length > 0 ? h("ul", { class: "review-sentences" }, ...r.summary.map((s) => h("li", {}, s))) : null;
  return reviewSection(
    "summary",
    "Executive summary",
    period,
    sentences,
    cadenceLead(ctx),
    cards.length > 0 ? h("ul", { class: "headlines", role: "list", "aria-label": "Top KPIs" }, ...cards) : h("p", { class: "muted" }, "No top KPIs in this catalog."),
    ...diagnostics(ctx, diagnosticsOpen, onDiagnosticsToggle),
  );
}
