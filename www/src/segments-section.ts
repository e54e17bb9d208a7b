/**
 * Section 4 of the review, the ICP / segment analysis: the breakdown
 * chooser; a KPI × segment table of the top KPIs in the review period, each
 * segment beside the rest of the segments (the total without it: (total
 * numerator − segment numerator) ÷ (total denominator − segment
 * denominator), rendering arithmetic on the document's counts); ICP and
 * non-ICP side by side (the review's `icp`); Activation Rate by source.
 * Rendering only.
 */
import { h } from "./dom";
import { formatValue } from "./format";
import { kpiLink } from "./glossary";
import { pointAt, reviewPeriod, reviewSection, toneOf, type ReviewContext } from "./review-context";
import type { Kpi, KpiPoint } from "./types";

/** Segments shown as columns; the others are left out (the caption says so). */
const MAX_SEGMENTS = 10;
/** People's `source` is their channel: Activation Rate by source is by channel. */
const SOURCE_BREAKDOWN = "channel";

function periodFor(kpi: Kpi, ctx: ReviewContext): string | null {
  return ctx.headlines.find((hl) => hl.kpi === kpi.id && hl.available)?.period ?? reviewPeriod(ctx);
}

/** The rest of the segments: the total without this one, for ratios with counts. */
export function restOf(total: KpiPoint | undefined, segment: KpiPoint | undefined): number | null {
  if (!total || !segment) return null;
  const { numerator: N, denominator: D } = total;
  const { numerator: n, denominator: d } = segment;
  if (N === null || D === null || n === null || d === null || D - d <= 0) return null;
  return (N - n) / (D - d);
}

function chooser(ctx: ReviewContext): HTMLElement {
  const select = h("select", { id: "segment-by", name: "segment-by" }, h("option", { value: "" }, "nothing (totals)"), ...ctx.breakdowns.map((b) => h("option", { value: b }, b)));
  select.value = ctx.doc.by ?? "";
  select.addEventListener("change", () => ctx.choose({ by: select.value, cadence: "" }));
  return h("div", { class: "field inline-field" }, h("label", { for: "segment-by" }, "Compare segments of"), select);
}

function segmentTable(ctx: ReviewContext): HTMLElement {
  const by = ctx.doc.by;
  if (!by) return h("p", { class: "muted" }, "Choose a breakdown to compare its segments.");
  const kpis = ctx.headlines
    .map((hl) => ctx.kpis.get(hl.kpi))
    .filter((k): k is Kpi => k !== undefined && k.available && k.points.some((p) => p.segment !== null && p.step === null));
  if (kpis.length === 0) return h("p", { class: "muted" }, `None of the top KPIs has a breakdown by ${by} in these files.`);
  const weight = new Map<string, number>();
  for (const k of kpis) {
    const period = periodFor(k, ctx);
    for (const p of k.points) if (p.segment !== null && p.step === null && p.period === period) weight.set(p.segment, (weight.get(p.segment) ?? 0) + (p.denominator ?? 1));
  }
  const all = [...weight.keys()].sort((a, b) => (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || a.localeCompare(b));
  const segments = all.slice(0, MAX_SEGMENTS);
  const gaps = new Map((ctx.review?.findings ?? []).filter((f) => f.kind === "segment_gap" && f.dimension === by).map((f) => [`${f.kpi}|${f.segment}`, f.id]));
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "segment-matrix", "data-by": by },
      h("caption", { class: "muted" }, `Each ${by} against the rest of them (the total without it)${all.length > segments.length ? `; the ${segments.length} largest of ${all.length}` : ""}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "KPI"), h("th", { scope: "col", class: "num" }, "total"), ...segments.map((s) => h("th", { scope: "col", class: "num" }, s)))),
      h(
        "tbody",
        {},
        ...kpis.map((k) => {
          const period = periodFor(k, ctx) ?? "";
          const total = pointAt(k, period);
          return h(
            "tr",
            { "data-kpi": k.id, "data-period": period },
            h("th", { scope: "row" }, kpiLink(k, ctx.openKpi), h("span", { class: "muted small" }, ` ${period}`)),
            h("td", { class: "num" }, formatValue(total?.value ?? null, k.unit)),
            ...segments.map((s) => {
              const p = pointAt(k, period, s);
              const rest = restOf(total, p);
              const tone = p?.value != null && rest !== null ? toneOf(p.value - rest, k.better) : "flat";
              const gap = gaps.get(`${k.id}|${s}`);
              return h(
                "td",
                { class: `num cell-${tone}${p?.incomplete ? " incomplete" : ""}${gap ? " gap" : ""}`, "data-segment": s, "data-rest": rest === null ? "" : String(rest), "data-finding": gap },
                formatValue(p?.value ?? null, k.unit),
                rest !== null ? h("span", { class: "rest" }, `rest ${formatValue(rest, k.unit)}`) : null,
              );
            }),
          );
        }),
      ),
    ),
  );
}

function icpTable(ctx: ReviewContext): HTMLElement | null {
  const icp = ctx.review?.icp;
  if (!icp || icp.rows.length === 0) return null;
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "icp-table" },
      h("caption", {}, `ICP and non-ICP accounts${ctx.review ? `, ${ctx.review.label}` : ""}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "KPI"), h("th", { scope: "col" }, "period"), h("th", { scope: "col", class: "num" }, "ICP"), h("th", { scope: "col", class: "num" }, "non-ICP"))),
      h(
        "tbody",
        {},
        ...icp.rows.map((r) => {
          const k = ctx.kpis.get(r.kpi);
          const unit = k?.unit ?? "";
          const of = (d: number | null) => (d === null ? "" : ` of ${d.toLocaleString("en-US")}`);
          return h(
            "tr",
            { "data-kpi": r.kpi },
            h("th", { scope: "row" }, k ? kpiLink(k, ctx.openKpi) : r.kpi),
            h("td", { class: "muted" }, r.period),
            h("td", { class: "num", "data-icp": "true" }, formatValue(r.icp, unit), h("span", { class: "rest" }, of(r.icp_denominator))),
            h("td", { class: "num", "data-icp": "false" }, formatValue(r.non_icp, unit), h("span", { class: "rest" }, of(r.non_icp_denominator))),
          );
        }),
      ),
    ),
  );
}

function activationBySource(ctx: ReviewContext): HTMLElement | null {
  const kpi = ctx.kpis.get("activation_rate");
  if (!kpi || !kpi.available) return null;
  const title = h("h4", {}, "Activation Rate by source");
  if (ctx.doc.by !== SOURCE_BREAKDOWN) {
    const show = h("button", { type: "button", class: "small" }, "Show by source");
    show.addEventListener("click", () => ctx.choose({ by: SOURCE_BREAKDOWN, cadence: "" }));
    return h("div", { class: "activation-by-source" }, title, h("p", { class: "muted" }, "People's source is their channel: break the report down by channel to compare them. ", show));
  }
  const period = periodFor(kpi, ctx) ?? "";
  const rows = kpi.points.filter((p) => p.period === period && p.segment !== null && p.step === null).sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
  return h(
    "div",
    { class: "activation-by-source" },
    title,
    h(
      "table",
      { class: "segments", "data-kpi": kpi.id, "data-period": period },
      h("caption", { class: "muted" }, `${period} cohort by source`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "source"), h("th", { scope: "col", class: "num" }, "activated"), h("th", { scope: "col", class: "num" }, "of"))),
      h(
        "tbody",
        {},
        ...rows.map((p) =>
          h(
            "tr",
            { "data-segment": p.segment ?? "" },
            h("th", { scope: "row" }, p.segment ?? ""),
            h("td", { class: `num${p.incomplete ? " incomplete" : ""}` }, formatValue(p.value, kpi.unit)),
            h("td", { class: "num muted" }, p.numerator !== null && p.denominator !== null ? `${p.numerator} / ${p.denominator}` : ""),
          ),
        ),
      ),
    ),
  );
}

export function segmentsSection(ctx: ReviewContext): HTMLElement {
  return reviewSection("segments", "ICP / segment analysis", chooser(ctx), segmentTable(ctx), icpTable(ctx), activationBySource(ctx));
}
