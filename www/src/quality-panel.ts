/** The report's data-quality panel (from `doc.quality`). Rendering only. */
import { h } from "./dom";
import { formatColumn, formatCount, formatRows } from "./format";
import type { ReportQuality, TableQuality } from "./types";

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function tableRow(t: TableQuality): HTMLElement {
  const issues: (string | HTMLElement)[] = [];
  if (t.rows_dropped > 0) issues.push(`${formatRows(t.rows_dropped)} dropped${t.dropped_reasons.length ? `: ${t.dropped_reasons.join("; ")}` : ""}`);
  if (t.unparsed_cells > 0) {
    const ex = t.unparsed_examples.slice(0, 3).map((e) => `row ${e.row} ${e.column} “${e.text}”`);
    issues.push(`${plural(t.unparsed_cells, "cell", "cells")} unreadable${ex.length ? ` (${ex.join(", ")})` : ""}`);
  }
  const nulls = Object.entries(t.null_times).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (nulls.length > 0) {
    issues.push(
      h(
        "details",
        { class: "nulls" },
        h("summary", {}, `empty time values in ${plural(nulls.length, "column", "columns")}`),
        h("ul", {}, ...nulls.map(([c, n]) => h("li", {}, h("code", {}, c), ` ${formatCount(n)}`))),
      ),
    );
  }
  const subs = t.subscriptions;
  if (subs) {
    issues.push(
      `${plural(subs.subscriptions, "subscription", "subscriptions")} became ${plural(subs.rows, "customer-month", "customer-months")} of MRR (still billing through ${subs.last_month})` +
        (subs.skipped > 0 ? `; ${formatCount(subs.skipped)} skipped: ${subs.skipped_reasons.join("; ")}` : ""),
    );
  }
  if (t.coverage_gaps > 0) issues.push(`${plural(t.coverage_gaps, t.kind === "revenue" ? "month" : "day", t.kind === "revenue" ? "months" : "days")} missing inside the range`);
  if (t.ambiguous_date_columns.length > 0) issues.push(`ambiguous day/month order in ${t.ambiguous_date_columns.join(", ")}`);
  issues.push(...t.notes);

  return h(
    "tr",
    { "data-file": t.file },
    h("th", { scope: "row" }, h("span", { class: "file-name" }, t.file), " ", h("span", { class: `badge kind-${t.kind}` }, t.kind)),
    h("td", { class: "num" }, formatCount(t.rows), t.rows !== t.rows_read && !subs ? h("span", { class: "muted" }, ` of ${formatCount(t.rows_read)}`) : null),
    h("td", {}, t.coverage ? `${t.coverage[0]} → ${t.coverage[1]}` : h("span", { class: "muted" }, "—")),
    h("td", {}, t.currencies.length ? t.currencies.join(", ") : h("span", { class: "muted" }, "—")),
    h("td", {}, issues.length ? h("ul", { class: "issues" }, ...issues.map((i) => h("li", {}, i))) : h("span", { class: "ok" }, "✓ clean")),
  );
}

export function qualityPanel(q: ReportQuality): HTMLElement {
  const findings: string[] = [];
  if (q.duplicates_merged > 0) findings.push(`${plural(q.duplicates_merged, "duplicate person row", "duplicate person rows")} merged (same id or e-mail).`);
  if (q.people_from_events > 0) findings.push(`${plural(q.people_from_events, "person", "people")} found only in events, added as leads at their first event.`);
  for (const o of q.out_of_order) {
    findings.push(`${plural(o.people, "person has", "people have")} ${formatColumn(o.target)} before ${formatColumn(o.base)} (not counted as converted).`);
  }
  for (const kind of q.mixed_currencies) findings.push(`The ${kind} table mixes currencies: its amounts are not summed.`);
  const dropped = q.tables.reduce((n, t) => n + t.rows_dropped, 0);

  const summary = [
    plural(q.tables.length, "table", "tables"),
    dropped > 0 ? `${formatRows(dropped)} dropped` : null,
    q.duplicates_merged > 0 ? `${formatCount(q.duplicates_merged)} duplicates merged` : null,
    q.out_of_order.length > 0 ? "out-of-order milestones" : null,
    q.mixed_currencies.length > 0 ? "mixed currencies" : null,
  ].filter(Boolean);

  return h(
    "details",
    { class: "quality", id: "quality" },
    h("summary", {}, h("span", { class: "summary-title" }, "Data quality"), h("span", { class: "muted" }, ` · ${summary.join(" · ")}`)),
    findings.length ? h("ul", { class: "findings" }, ...findings.map((f) => h("li", {}, f))) : null,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "quality-table" },
        h(
          "thead",
          {},
          h("tr", {}, ...["File", "Rows kept", "Dates", "Currency", "Findings"].map((c) => h("th", { scope: "col" }, c))),
        ),
        h("tbody", {}, ...q.tables.map(tableRow)),
      ),
    ),
  );
}
