// The exports' pure parts (www/src/export.ts): CSV quoting (RFC 4180, the
// byte order mark, formula guard), file names, and the KPI table's rows
// from a hand-made document (values as the page formats them, written by hand).
//
//   node --test www/tests/
import { test } from "node:test";
import assert from "node:assert/strict";
import { importTs } from "./ts-module.mjs";

const x = await importTs("export");

test("CSV fields are quoted only where RFC 4180 needs it, quotes doubled", () => {
  assert.equal(x.csvField("paid_search"), "paid_search");
  assert.equal(x.csvField("a,b"), '"a,b"');
  assert.equal(x.csvField('say "hi"'), '"say ""hi"""');
  assert.equal(x.csvField("two\nlines"), '"two\nlines"');
  assert.equal(x.csvField("cr\rhere"), '"cr\rhere"');
  assert.equal(x.csvField(""), "");
  // Names from the data that a spreadsheet would run as formulas are kept as text.
  assert.equal(x.csvField("=HYPERLINK(1)", true), "'=HYPERLINK(1)");
  assert.equal(x.csvField("@me, you", true), `"'@me, you"`);
  assert.equal(x.csvField("-7.6%"), "-7.6%");
  assert.equal(x.csvField("-7.6%", false), "-7.6%");
});

test("a CSV file starts with the UTF-8 byte order mark and ends its lines with CRLF", () => {
  assert.equal(x.toCsv([["KPI", "segment"], ["Leads", "a,b"], ["Leads", "=1+1"]], [1]), '\uFEFFKPI,segment\r\nLeads,"a,b"\r\nLeads,\'=1+1\r\n');
  // The header is never guarded.
  assert.equal(x.toCsv([["=h"]], [0]), "\uFEFF=h\r\n");
  const bytes = new TextEncoder().encode(x.toCsv([["é"]]));
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
});

test("file names say what, when and how the report was cut", () => {
  const doc = { as_of: "2026-10-31T22:25:48.29Z", grain: "month", by: "channel" };
  assert.equal(x.csvFileName(doc), "kpidash-2026-10-31-month-by-channel-kpis.csv");
  assert.equal(x.csvFileName({ ...doc, grain: "week", by: null }, "2026-W11"), "kpidash-2026-w11-week-kpis.csv");
  assert.equal(x.markdownFileName(doc, "2026-05"), "kpidash-2026-05-month-by-channel-review.md");
  assert.equal(x.chartFileName("conversion_rate-by-channel", "png"), "conversion-rate-by-channel.png");
  assert.equal(x.chartFileName("Café, Paid Social", "svg"), "cafe-paid-social.svg");
  assert.equal(x.slug("///"), "chart");
});

const point = (period, value, extra = {}) => ({
  period,
  segment: null,
  step: null,
  value,
  previous: null,
  change: null,
  numerator: null,
  denominator: null,
  incomplete: false,
  forecast: null,
  status: null,
  ...extra,
});
const kpi = (id, name, unit, points, extra = {}) => ({ id, name, unit, points, available: true, target: null, area: "funnel", ...extra });

/** Conversion rate: 2026-08 complete and off target, 2026-09 maturing; two segments in 2026-08. */
const conversion = kpi(
  "conversion_rate",
  "Conversion Rate",
  "rate",
  [
    point("2026-08", 0.04, { previous: 0.05, change: -0.2, status: "off_track" }),
    point("2026-09", 0.01, { previous: 0.04, change: -0.75, incomplete: true }),
    point("2026-08", 0.03, { segment: "paid" }),
    point("2026-08", 0.05, { segment: "a,b", previous: 0.04, change: 0.25 }),
  ],
  { target: 0.05 },
);
const costPerLead = kpi("cost_per_lead", "Cost per Lead", "currency", [
  point("2026-09", 76.39, { previous: 176.5, change: 76.39 / 176.5 - 1 }),
  point("2026-10", 80, { previous: 76.39, change: 80 / 76.39 - 1 }),
]);
const activation = kpi("activation_rate", "Activation Rate", "rate", [point("2026-09", 0.2, { incomplete: true, previous: 0.3, change: -1 / 3 })]);
const missing = kpi("roas", "ROAS", "multiple", [], { available: false });
const doc = (review) => ({
  as_of: "2026-10-31T22:25:48Z",
  grain: "month",
  by: "channel",
  tz: "+00:00",
  kpis: [conversion, costPerLead, activation, missing],
  quality: { tables: [{ currencies: ["USD"] }, { currencies: [] }] },
  ...(review ? { review } : {}),
});
const HEADER = ["KPI", "period", "segment", "value", "previous", "change", "target", "status"];

test("the KPI table: each KPI's latest complete period, total first, segments by name; maturing values show no change", () => {
  assert.deepEqual(x.kpiTableRows(doc()), [
    HEADER,
    ["Conversion Rate", "2026-08", "", "4.0%", "5.0%", "-20%", "5.0%", "off track"],
    ["Conversion Rate", "2026-08", "a,b", "5.0%", "4.0%", "+25%", "", ""],
    ["Conversion Rate", "2026-08", "paid", "3.0%", "", "", "", ""],
    // 80 / 76.39 − 1 = 0.04726 → +4.7%; USD from the spend table's currency column.
    ["Cost per Lead", "2026-10", "", "$80.00", "$76.39", "+4.7%", "", ""],
    // Only a maturing cohort: its value, no change.
    ["Activation Rate", "2026-09", "", "20.0%", "30.0%", "", "", "maturing"],
  ]);
});

test("with a review, the table stands at the review period (a headline at its own) in the review's currency", () => {
  const rows = x.kpiTableRows(doc({ period: "2026-09", currency: "EUR", headlines: [{ kpi: "conversion_rate", period: "2026-08" }] }));
  assert.deepEqual(
    rows.map((r) => r.slice(0, 6)),
    [
      HEADER.slice(0, 6),
      ["Conversion Rate", "2026-08", "", "4.0%", "5.0%", "-20%"],
      ["Conversion Rate", "2026-08", "a,b", "5.0%", "4.0%", "+25%"],
      ["Conversion Rate", "2026-08", "paid", "3.0%", "", ""],
      // 76.39 / 176.5 − 1 = −0.5672 → -56.7%.
      ["Cost per Lead", "2026-09", "", "€76.39", "€176.50", "-56.7%"],
      ["Activation Rate", "2026-09", "", "20.0%", "30.0%", ""],
    ],
  );
});

test("a funnel's steps stand in the segment column", () => {
  const dropOff = kpi("drop_off_rate", "Drop-off Rate", "rate", [
    point("2026-08", 0.5, { step: "signed_up_at" }),
    point("2026-08", 0.25, { step: "activated_at", segment: "paid" }),
  ]);
  const rows = x.kpiTableRows({ ...doc(), kpis: [dropOff] });
  assert.deepEqual(rows.slice(1).map((r) => [r[2], r[3]]), [
    ["→ signed up", "50.0%"],
    ["paid → activated", "25.0%"],
  ]);
});
