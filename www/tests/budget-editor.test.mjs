// The budget typed in the page (www/src/budget-editor.ts): reading and
// writing the configuration's `budget` array without touching the rest of
// it, the checks on a row, and the engine accepting what is written.
//
//   node --test www/tests/        (after scripts/build: the last test uses pkg/)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { importTs } from "./ts-module.mjs";
import { initSync, Session } from "../../pkg/kpidash.js";

const b = await importTs("budget-editor");
initSync({ module: readFileSync(fileURLToPath(new URL("../../pkg/kpidash_bg.wasm", import.meta.url))) });

const rows = [
  { month: "2026-05", channel: " paid_search ", campaign: null, budget: 5000 },
  { month: "2026-05", channel: "paid_social", campaign: "Spring", budget: 1250.5 },
];

test("the budget goes into the configuration, the rest of it stays", () => {
  const before = '{"currency": "EUR", "kpis": {"new_leads": {"owner": "Dana"}}, "budget": [{"month": "2026-01", "channel": "x", "budget": 1}]}';
  assert.deepEqual(JSON.parse(b.withBudget(before, rows)), {
    currency: "EUR",
    kpis: { new_leads: { owner: "Dana" } },
    budget: [
      { month: "2026-05", channel: "paid_search", budget: 5000 },
      { month: "2026-05", channel: "paid_social", campaign: "Spring", budget: 1250.5 },
    ],
  });
  assert.deepEqual(JSON.parse(b.withBudget(before, [])), { currency: "EUR", kpis: { new_leads: { owner: "Dana" } } });
  assert.deepEqual(JSON.parse(b.withBudget("", rows.slice(0, 1))), { budget: [{ month: "2026-05", channel: "paid_search", budget: 5000 }] });
  assert.throws(() => b.withBudget("[1]", rows), /the configuration must be a JSON object/);
  assert.throws(() => b.withBudget("{", rows), /the configuration is not valid JSON/);
});

test("the budget is read back as rows", () => {
  assert.deepEqual(b.readBudget(""), []);
  assert.deepEqual(b.readBudget('{"currency": "EUR"}'), []);
  assert.deepEqual(b.readBudget(b.withBudget("{}", rows)), [
    { month: "2026-05", channel: "paid_search", campaign: null, budget: 5000 },
    { month: "2026-05", channel: "paid_social", campaign: "Spring", budget: 1250.5 },
  ]);
  assert.deepEqual(b.readBudget('{"budget": [{"month": "2026-06", "channel": "email", "campaign": null, "budget": 300}]}'), [
    { month: "2026-06", channel: "email", campaign: null, budget: 300 },
  ]);
});

test("a row needs a month like 2026-05, a channel and an amount of at least 0", () => {
  const ok = { month: "2026-05", channel: "email", campaign: null, budget: 0 };
  assert.equal(b.budgetRowProblem(ok), null);
  assert.equal(b.budgetRowProblem({ ...ok, month: "2026-13" }), "month must be like 2026-05, not '2026-13'");
  assert.equal(b.budgetRowProblem({ ...ok, month: "2026-5" }), "month must be like 2026-05, not '2026-5'");
  assert.equal(b.budgetRowProblem({ ...ok, channel: "  " }), "the budget of 2026-05 needs a channel");
  assert.equal(b.budgetRowProblem({ ...ok, budget: -1 }), "the budget of 2026-05 email must be an amount ≥ 0");
  assert.equal(b.budgetRowProblem({ ...ok, budget: Number.NaN }), "the budget of 2026-05 email must be an amount ≥ 0");
});

test("the engine accepts the configuration the editor writes", () => {
  const session = new Session();
  try {
    session.setConfig(b.withBudget('{"currency": "EUR"}', rows));
    const inForce = JSON.parse(session.configJson());
    assert.deepEqual(inForce.budget, [
      { month: "2026-05", channel: "paid_search", budget: 5000 },
      { month: "2026-05", channel: "paid_social", campaign: "Spring", budget: 1250.5 },
    ]);
  } finally {
    session.free();
  }
});
