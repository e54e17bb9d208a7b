// How a KPI chart cuts a series for drawing (www/src/kpi-chart.ts,
// splitSeries): complete periods solid, maturing cohorts on a dashed tail
// from the last complete one, the running period's value so far off the
// line and a dashed continuation to its forecast.
//
//   node --test www/tests/
import { test } from "node:test";
import assert from "node:assert/strict";
import { importTs } from "./ts-module.mjs";

const { splitSeries } = await importTs("kpi-chart");

const point = (period, value, extra = {}) => ({ period, segment: null, step: null, value, previous: null, change: null, numerator: null, denominator: null, incomplete: false, forecast: null, status: null, ...extra });
/** Each part as `period=value` texts. */
const view = (parts) => Object.fromEntries(Object.entries(parts).map(([k, rows]) => [k, rows.map((r) => `${r.period}=${r.value}`)]));

test("a count in a running period: solid to the last full period, dashed to the forecast, the value so far apart", () => {
  const parts = splitSeries({ label: "New Leads", points: [point("2026-08", 10), point("2026-09", 12), point("2026-10", 5, { forecast: 15 })] });
  assert.deepEqual(view(parts), { solid: ["2026-08=10", "2026-09=12"], maturing: [], soFar: ["2026-10=5"], forecast: ["2026-09=12", "2026-10=15"] });
});

test("maturing cohorts continue the line from the last complete cohort", () => {
  const parts = splitSeries({
    label: "Conversion Rate",
    points: [point("2026-07", 0.05), point("2026-08", 0.04), point("2026-09", 0.02, { incomplete: true }), point("2026-10", 0.01, { incomplete: true })],
  });
  assert.deepEqual(view(parts), { solid: ["2026-07=0.05", "2026-08=0.04"], maturing: ["2026-08=0.04", "2026-09=0.02", "2026-10=0.01"], soFar: [], forecast: [] });
});

test("only maturing cohorts: all on the dashed tail; a forecast with nothing before it stands alone", () => {
  assert.deepEqual(view(splitSeries({ label: "r", points: [point("2026-09", 0.2, { incomplete: true }), point("2026-10", 0.1, { incomplete: true })] })), {
    solid: [],
    maturing: ["2026-09=0.2", "2026-10=0.1"],
    soFar: [],
    forecast: [],
  });
  assert.deepEqual(view(splitSeries({ label: "n", points: [point("2026-10", 4, { forecast: 9 })] })), { solid: [], maturing: [], soFar: ["2026-10=4"], forecast: ["2026-10=9"] });
});
