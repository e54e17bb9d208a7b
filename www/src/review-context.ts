/**
 * What every section of the review is given (the document, its review, the
 * cadence, the action items, the page's callbacks), and the small lookups
 * the sections share: a KPI by id, its total points in order, the point of
 * one period and segment, a change in words. Lookups only: every number
 * comes from the result document.
 */
import { h } from "./dom";
import { formatChange } from "./format";
import type { Cadence } from "./cadence";
import type { ConfigObject } from "./configuration";
import type { Choice } from "./report-options";
import type { Action, Finding, Headline, Kpi, KpiPoint, ResultDoc, Review } from "./types";

export interface ReviewContext {
  doc: ResultDoc;
  /** Null when the engine gives no review (then the sections say less). */
  review: Review | null;
  /** The headline KPIs: the review's, or without a review the `top` KPIs'
   * latest points (see summary-section.ts). */
  headlines: Headline[];
  kpis: Map<string, Kpi>;
  /** The cadence in force, or null (grain and breakdown chosen one by one). */
  cadence: Cadence | null;
  /** The breakdowns the page offers (built-in and the files' columns). */
  breakdowns: string[];
  /** Opens a KPI in the glossary. */
  openKpi(kpi: Kpi): void;
  /** Changes report options (the breakdown chooser, "show by channel"). */
  choose(change: Partial<Choice>): void;
  /** The configuration in force. */
  config(): ConfigObject;
  /** Saves a change of the configuration; `recompute` asks for a new report. */
  edit(change: (config: ConfigObject) => void, recompute?: boolean): Promise<void>;
  /** Makes an action item of a finding. */
  addAction(finding: Finding): Promise<void>;
  /** The action items in force (the configuration's). */
  actions(): Action[];
}

export function byPeriod(a: { period: string }, b: { period: string }): number {
  return a.period < b.period ? -1 : a.period > b.period ? 1 : 0;
}

/** A KPI's total points (no segment, no step), oldest first. */
export function totals(kpi: Kpi): KpiPoint[] {
  return kpi.points.filter((p) => p.segment === null && p.step === null).sort(byPeriod);
}

/** A KPI's total points at one funnel step (null: not a funnel), oldest first. */
export function stepTotals(kpi: Kpi, step: string | null): KpiPoint[] {
  return step === null ? totals(kpi) : kpi.points.filter((p) => p.segment === null && p.step === step).sort(byPeriod);
}

/** Each KPI's points by period, segment and step, made on first use (a
 * report by campaign has many points, and the sections look up many). */
const indexes = new WeakMap<Kpi, Map<string, KpiPoint>>();

function key(period: string, segment: string | null, step: string | null): string {
  return JSON.stringify([period, segment, step]);
}

/** The point of a period, segment (null: the total) and step (null: none). */
export function pointAt(kpi: Kpi, period: string, segment: string | null = null, step: string | null = null): KpiPoint | undefined {
  let index = indexes.get(kpi);
  if (!index) {
    index = new Map(kpi.points.map((p) => [key(p.period, p.segment, p.step), p]));
    indexes.set(kpi, index);
  }
  return index.get(key(period, segment, step));
}

/** The tone of a change for a KPI's better direction. */
export function toneOf(change: number, better: string): "good" | "bad" | "flat" {
  if (change === 0 || (better !== "up" && better !== "down")) return "flat";
  return (change > 0) === (better === "up") ? "good" : "bad";
}

/** A change with its arrow, coloured by the better direction, and what it
 * compares with (`vs 2026-01`); a dash when there is nothing to compare. */
export function changeBadge(change: number | null, better: string, against: string | null, cls: string): HTMLElement {
  if (change === null || !Number.isFinite(change)) {
    return h("span", { class: `${cls} change flat` }, against ? `no value for ${against}` : "nothing to compare with");
  }
  const tone = toneOf(change, better);
  const arrow = change > 0 ? "▲" : change < 0 ? "▼" : "→";
  return h(
    "span",
    { class: `${cls} change ${tone}`, "data-tone": tone, "data-change": String(change) },
    h("span", { "aria-hidden": "true" }, `${arrow} `),
    change === 0 ? "unchanged" : `${change > 0 ? "up" : "down"} ${formatChange(change)}`,
    against ? ` vs ${against}` : null,
  );
}

/** The review period, or without a review the latest period of the report. */
export function reviewPeriod(ctx: ReviewContext): string | null {
  if (ctx.review) return ctx.review.period;
  let latest: string | null = null;
  for (const k of ctx.doc.kpis) for (const p of k.points) if (latest === null || p.period > latest) latest = p.period;
  return latest;
}

/** A section of the review: `<section id>` with its heading. */
export function reviewSection(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h("section", { id, class: "review-section", "aria-labelledby": `${id}-heading` }, h("h3", { id: `${id}-heading`, class: "review-title" }, title), ...children);
}
