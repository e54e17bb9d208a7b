// Budget pacing (www/src/pacing.ts) against what the engine really gives for
// the bundled sample (it has a budget sheet): pacingOf finds the review's
// pacing, and its shape is exactly the Pacing declared in pacing.ts
// (declared-types.mjs), so the table cannot read fields that are not there.
//
//   node --test www/tests/        (after scripts/build)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initSync, Session } from "../../pkg/kpidash.js";
import { differences, readDeclarations } from "./declared-types.mjs";
import { importTs } from "./ts-module.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
initSync({ module: readFileSync(here("../../pkg/kpidash_bg.wasm")) });
const { pacingOf } = await importTs("pacing");
const declarations = readDeclarations(here("../src/pacing.ts"));
const sampleDir = here("../public/sample/");
const manifest = JSON.parse(readFileSync(sampleDir + "manifest.json", "utf8"));

function sampleReport(options) {
  const session = new Session();
  try {
    for (const f of manifest.files) session.load(f.file, new Uint8Array(readFileSync(sampleDir + f.file)), null);
    return session.report(options);
  } finally {
    session.free();
  }
}

test("the sample's pacing has the declared shape, a total and rows by channel and by campaign", () => {
  const pacing = pacingOf(sampleReport({}));
  assert.ok(pacing, "the sample has a budget sheet: a pacing table");
  assert.deepEqual(differences(declarations, "Pacing", pacing), []);
  assert.equal(pacing.rows.filter((r) => r.dimension === null).length, 1, "one total row");
  assert.ok(pacing.rows.some((r) => r.dimension === "channel"));
  assert.ok(pacing.rows.some((r) => r.dimension === "campaign"));
  assert.ok(pacing.elapsed >= 0 && pacing.elapsed <= 1);
});

test("no review or no pacing: nothing to render", () => {
  const doc = { as_of: "", grain: "month", by: null, tz: "+00:00", kpis: [], quality: { tables: [] } };
  assert.equal(pacingOf(doc), null);
  assert.equal(pacingOf({ ...doc, review: { pacing: null } }), null);
});
