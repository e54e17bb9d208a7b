/**
 * Budget pacing of the review period (the review's `pacing`, docs/review.md):
 * for each channel and each campaign, spend to date against budget to date,
 * the budget remaining, the projected end-of-period spend (the forecast) and
 * the pacing. The engine computes every number; this renders them, and
 * nothing when the document has no pacing (no budget, or an engine before it).
 */
import "./pacing.css";
import { h } from "./dom";
import { currencyOf, formatMoney, formatValue } from "./format";
import type { ResultDoc } from "./types";

/** One channel's or campaign's pacing, or the total's (`dimension` and `segment` null). */
export interface PacingRow {
  dimension: "channel" | "campaign" | null;
  segment: string | null;
  /** Spend on or before the as-of date. */
  spend_to_date: number | null;
  /** Budget of the days on or before the as-of date. */
  budget_to_date: number | null;
  /** The whole period's budget. */
  budget: number | null;
  /** The period's budget minus spend to date. */
  remaining: number | null;
  /** Spend to date at its run rate to the period's end. */
  projected: number | null;
  /** Spend to date over budget to date (1 is on pace). */
  pacing: number | null;
  /** Against the pacing target (`on_track`, `off_track`). */
  status: string | null;
}

/** The review period's pacing. */
export interface Pacing {
  period: string;
  label: string;
  /** Share of the period elapsed at the as-of time (0–1). */
  elapsed: number;
  rows: PacingRow[];
}

/** The document's pacing, or null where it has none. */
export function pacingOf(doc: ResultDoc): Pacing | null {
  const review = (doc as { review?: { pacing?: Pacing | null } | null }).review;
  const pacing = review?.pacing ?? null;
  return pacing && Array.isArray(pacing.rows) ? pacing : null;
}

const DIMENSIONS: [NonNullable<PacingRow["dimension"]>, string][] = [
  ["channel", "By channel"],
  ["campaign", "By campaign"],
];

/** A status word for people: `over_pacing` → `over pacing`. */
function statusWords(status: string | null): string {
  return status === null ? "" : status.replace(/_/g, " ");
}

/** An amount, `–` where there is none. */
function amount(v: number | null, currency: string | null): string {
  return v === null || !Number.isFinite(v) ? "–" : formatMoney(v, currency);
}

function table(rows: PacingRow[], dimension: string, caption: string, currency: string | null): HTMLElement {
  const money = (v: number | null) => amount(v, currency);
  const head = [dimension, "spend to date", "budget to date", "budget remaining", "projected spend", "pacing", "status"];
  return h(
    "table",
    { class: "pacing-table", "data-dimension": dimension },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...head.map((c, i) => h("th", { scope: "col", class: i > 0 && i < 6 ? "num" : undefined }, c)))),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          { "data-segment": r.segment ?? "", "data-status": r.status ?? "" },
          h("th", { scope: "row" }, r.segment ?? "(none)"),
          h("td", { class: "num" }, money(r.spend_to_date)),
          h("td", { class: "num" }, money(r.budget_to_date)),
          h("td", { class: "num" }, money(r.remaining)),
          h("td", { class: "num" }, money(r.projected)),
          h("td", { class: "num" }, formatValue(r.pacing, "rate")),
          h("td", { class: `pacing-status ${r.status ?? ""}` }, statusWords(r.status)),
        ),
      ),
    ),
  );
}

/**
 * Renders the review's pacing into `container` (replacing its content).
 * Returns false, leaving the container empty, when the document has none.
 */
export function renderPacing(container: HTMLElement, doc: ResultDoc): boolean {
  const pacing = pacingOf(doc);
  if (!pacing || pacing.rows.length === 0) {
    container.replaceChildren();
    return false;
  }
  const currency = currencyOf(doc);
  const total = pacing.rows.find((r) => r.dimension === null);
  const totalLine = total
    ? h(
        "p",
        { class: "pacing-total", "data-status": total.status ?? "" },
        `Total: ${amount(total.spend_to_date, currency)} spent of ${amount(total.budget_to_date, currency)} budgeted to date (${formatValue(total.pacing, "rate")}${total.status ? `, ${statusWords(total.status)}` : ""}); `,
        `projected ${amount(total.projected, currency)} of a ${amount(total.budget, currency)} budget, ${amount(total.remaining, currency)} remaining.`,
      )
    : null;
  const tables = DIMENSIONS.map(([dimension, caption]) => {
    const rows = pacing.rows.filter((r) => r.dimension === dimension);
    return rows.length > 0 ? table(rows, dimension, caption, currency) : null;
  });
  container.replaceChildren(
    h(
      "section",
      { class: "pacing", "aria-labelledby": "pacing-heading", "data-period": pacing.period },
      h("h3", { id: "pacing-heading" }, `Budget pacing, ${pacing.label}`),
      h("p", { class: "muted" }, `${formatValue(pacing.elapsed, "rate")} of the period elapsed. Projected spend is the run rate to the period's end.`),
      totalLine,
      ...tables.map((t) => (t ? h("div", { class: "table-scroll" }, t) : null)),
    ),
  );
  return true;
}
