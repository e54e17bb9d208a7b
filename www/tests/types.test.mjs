// The page's types (www/src/types.ts) against what the engine really
// returns, so the two cannot drift: the vocabulary, file descriptions
// (`inspect`, `load`, `files`) and result documents of the bundled sample,
// checked key by key and recursively (declared-types.mjs).
//
//   node --test www/tests/        (after scripts/build)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { initSync, Session, inspect, vocabulary } from "../../pkg/kpidash.js";
import { differences, readDeclarations } from "./declared-types.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
initSync({ module: readFileSync(here("../../pkg/kpidash_bg.wasm")) });

const declarations = readDeclarations(here("../src/types.ts"));
const sampleDir = here("../public/sample/");
const manifest = JSON.parse(readFileSync(sampleDir + "manifest.json", "utf8"));
const bytes = (file) => new Uint8Array(readFileSync(sampleDir + file));
const fixture = (file) => new Uint8Array(readFileSync(here(`../../tests/fixtures/csv/${file}`)));
const text = (s) => new TextEncoder().encode(s);

/** Asserts that `value` has exactly the shape of the declared type `name`. */
function assertShape(name, value) {
  assert.deepEqual(differences(declarations, name, value), [], `${name} and the engine's answer differ`);
}

/** A session holding the whole sample, as "Try sample data" loads it. */
function sampleSession() {
  const session = new Session();
  for (const file of manifest.files) session.load(file.file, bytes(file.file), null);
  return session;
}

test("the check itself finds an undeclared key, a missing key and a wrong type", () => {
  const info = inspect("spend.csv", bytes("spend.csv"), null);
  assertShape("FileInfo", info);
  const { rows: _, ...withoutRows } = info;
  assert.deepEqual(differences(declarations, "FileInfo", { ...info, extra: 1 }), ["FileInfo.extra: in the engine's answer, not declared in types.ts"]);
  assert.deepEqual(differences(declarations, "FileInfo", withoutRows), ["FileInfo.rows: declared required in types.ts, missing from the engine's answer"]);
  assert.deepEqual(differences(declarations, "FileInfo", { ...info, kind_detected: "yes" }), ['FileInfo.kind_detected: string "yes" where types.ts says boolean']);
  const columns = info.columns.map((c) => ({ ...c, role: 3 }));
  assert.deepEqual(differences(declarations, "FileInfo", { ...info, columns }), ["FileInfo.columns[].role: number 3 where types.ts says string"]);
});

test("the vocabulary has the shape of Vocabulary", () => {
  const v = vocabulary();
  assertShape("Vocabulary", v);
  assert.deepEqual(v.kinds.map((k) => k.name), ["people", "events", "spend", "revenue", "series", "survey", "accounts", "budget", "deals"]);
  assert.deepEqual(v.grains, ["day", "week", "month", "quarter", "year"]);
  assert.ok(v.dimensions.includes("channel"));
});

test("every sample file's description has the shape of FileInfo (inspect, load, files)", () => {
  const session = new Session();
  try {
    for (const file of manifest.files) {
      assertShape("FileInfo", inspect(file.file, bytes(file.file), null));
      assertShape("FileInfo", session.load(file.file, bytes(file.file), file.kind));
    }
    const files = session.files();
    assert.equal(files.length, manifest.files.length);
    for (const info of files) assertShape("FileInfo", info);
  } finally {
    session.free();
  }
});

test("a file with unreadable cells, and a Stripe subscription list, have the shape of FileInfo", () => {
  const spend = inspect("spend-bad.csv", text("date,cost\n2026-01-05,12.5\n2026-01-06,twelve\n"), "spend");
  assert.ok(spend.quality.unparsed_examples.length > 0, "an unreadable cell is listed");
  assertShape("FileInfo", spend);
  const stripe = inspect("stripe_subscription_history.csv", fixture("stripe_subscription_history.csv"), null);
  assert.ok(stripe.quality.subscriptions, "the expansion is described");
  assertShape("FileInfo", stripe);
});

test("reports of the sample have the shape of ResultDoc", () => {
  const session = sampleSession();
  try {
    session.setConfig(JSON.stringify({ kpis: { new_leads: { target: 150, owner: "Growth" } } }));
    for (const options of [{}, { grain: "quarter", by: "channel" }, { grain: "week", by: "icp_tier", asOf: "2026-09-30", tz: "+02:00" }]) {
      const doc = session.report(options);
      assertShape("ResultDoc", doc);
      assert.ok(doc.kpis.some((k) => k.points.length > 0), "the report has points");
    }
    const byChannel = session.report({ by: "channel" });
    assert.ok(byChannel.kpis.some((k) => k.points.some((p) => p.segment !== null)), "segments are checked");
    assert.ok(byChannel.kpis.some((k) => k.points.some((p) => p.step !== null)), "funnel steps are checked");
    assert.equal(byChannel.kpis.find((k) => k.id === "new_leads").target, 150);
  } finally {
    session.free();
  }
});

test("the review of the sample has the shape of Review, at every grain, with a breakdown and a chosen period", () => {
  const session = sampleSession();
  try {
    session.setConfig(JSON.stringify({ targets: { conversion_rate: { month: 0.5 } }, actions: [{ id: "a1", text: "Call Dana", owner: "Dana", due: "2026-12-15", status: "open", created: "2026-09" }] }));
    for (const options of [{}, { grain: "week", by: "campaign" }, { grain: "quarter", by: "segment" }, { by: "channel", period: "2026-05" }]) {
      const doc = session.report(options);
      assert.ok(doc.review, "the document has a review");
      assertShape("Review", doc.review);
      assert.ok(doc.review.headlines.length >= 5, "a headline per top KPI");
      if (options.period) assert.equal(doc.review.period, options.period);
    }
    const review = session.report({ by: "channel" }).review;
    assert.ok(review.findings.length > 0, "findings are checked");
    assert.ok(review.headlines.some((hl) => hl.maturing !== null), "a maturing headline is checked");
    assert.ok(review.icp !== null && review.icp.rows.length > 0, "the ICP comparison is checked");
    assert.ok(review.pacing !== null && review.pacing.rows.length > 0, "the pacing table is checked");
    assert.ok(review.findings.some((f) => f.drivers.length > 0), "drivers are checked");
    assert.deepEqual(review.actions, [{ id: "a1", text: "Call Dana", owner: "Dana", due: "2026-12-15", status: "open", created: "2026-09" }]);
  } finally {
    session.free();
  }
});

test("a report over a Stripe subscription list and a file with unreadable cells has the shape of ResultDoc", () => {
  const session = new Session();
  try {
    session.load("stripe_subscription_history.csv", fixture("stripe_subscription_history.csv"), null);
    session.load("spend-bad.csv", text("date,cost\n2026-01-05,12.5\n2026-01-06,twelve\n"), "spend");
    const doc = session.report({ grain: "month" });
    assert.ok(doc.quality.tables.some((t) => t.subscriptions), "the expansion is in the report's quality");
    assert.ok(doc.quality.tables.some((t) => t.unparsed_examples.length > 0), "unreadable cells are in the report's quality");
    assertShape("ResultDoc", doc);
  } finally {
    session.free();
  }
});
