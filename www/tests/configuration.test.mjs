// The configuration as a file (www/src/configuration.ts): versions read,
// migrated and refused; the user's layer over the shipped defaults as a
// merge patch. Expected values are written out by hand beside each case.
//
//   node --test www/tests/configuration.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { importTs } from "./ts-module.mjs";

const { readConfig, layered, layerOf, mergePatch, diffPatch, configText, ConfigRefused, CONFIG_VERSION } = await importTs("configuration");

test("a text without a version is migrated to version 1, version first", () => {
  const read = readConfig('{"currency":"EUR"}', "old.json");
  assert.deepEqual(read, { version: 1, currency: "EUR" });
  assert.deepEqual(Object.keys(read), ["version", "currency"]);
  assert.equal(CONFIG_VERSION, 1);
});

test("a newer, broken or non-object configuration is refused naming the file", () => {
  const cases = [
    ['{"version":2,"currency":"EUR"}', /new\.json is configuration version 2, newer than this kpidash reads \(version 1\)/],
    ["{not json", /new\.json is not JSON/],
    ["[1,2]", /new\.json is not a configuration: it must be a JSON object/],
    ['{"version":"one"}', /new\.json has no valid version: "one"/],
    ['{"version":1.5}', /new\.json has no valid version: 1\.5/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => readConfig(text, "new.json"), (err) => err instanceof ConfigRefused && message.test(err.message), text);
  }
});

test("merge patch: objects merged, null removes a default, arrays replaced", () => {
  const base = { targets: { new_leads: { month: 100, week: 25 } }, channels: { News: "email" }, actions: [{ id: "a" }] };
  const patch = { targets: { new_leads: { week: null, quarter: 300 } }, channels: null, actions: [] };
  assert.deepEqual(mergePatch(base, patch), { targets: { new_leads: { month: 100, quarter: 300 } }, actions: [] });
  // A null for a key the defaults lack is a value (`top: null`).
  assert.deepEqual(mergePatch({}, { kpis: { win_rate: { top: null } } }), { kpis: { win_rate: { top: null } } });
});

test("the user's layer is what differs from the defaults, and layering it back gives the configuration in force", () => {
  const shipped = { version: 1, currency: "USD", targets: { new_leads: { month: 1500 } }, kpis: { mqls: { owner: "Ana" } } };
  // The user changed the target, removed Ana, added an action item.
  const inForce = { version: 1, currency: "USD", targets: { new_leads: { month: 1800 } }, actions: [{ id: "a1", text: "Call" }] };
  const layer = layerOf(shipped, inForce);
  assert.deepEqual(layer, { version: 1, kpis: null, targets: { new_leads: { month: 1800 } }, actions: [{ id: "a1", text: "Call" }] });
  assert.deepEqual(layered(shipped, layer), inForce);
  // No changes: an empty layer; reset is the defaults.
  assert.deepEqual(layerOf(shipped, shipped), { version: 1 });
  assert.deepEqual(layered(shipped, { version: 1 }), shipped);
  assert.deepEqual(diffPatch({ a: 1 }, { a: 1 }), {});
});

test("the written text is indented JSON with the version first", () => {
  assert.equal(configText({ currency: "EUR", version: 0 }), '{\n  "version": 1,\n  "currency": "EUR"\n}');
});
