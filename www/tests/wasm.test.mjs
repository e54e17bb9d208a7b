// The WASM boundary, tested in Node against the built pkg/ with real bytes:
// the same calls the worker makes (www/src/worker.ts).
//
//   node --test www/tests/        (after scripts/build)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { initSync, Session, inspect, version } from "../../pkg/kpidash.js";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
initSync({ module: readFileSync(here("../../pkg/kpidash_bg.wasm")) });

const sampleDir = here("../public/sample/");
const manifest = JSON.parse(readFileSync(sampleDir + "manifest.json", "utf8"));
const bytes = (file) => new Uint8Array(readFileSync(sampleDir + file));

/** Runs `fn`, expects it to throw, returns the message. */
function thrown(fn) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Error, `expected an Error, got ${typeof err}: ${err}`);
    return err.message;
  }
  assert.fail("expected an error");
}

test("version is a non-empty string", () => {
  assert.equal(typeof version(), "string");
  assert.ok(version().length > 0);
});

test("inspect reads the LZ4 Arrow people file", () => {
  const info = inspect("people.arrow", bytes("people.arrow"), null);
  assert.equal(info.name, "people.arrow");
  assert.equal(info.kind, "people");
  assert.equal(info.kind_detected, true);
  assert.equal(info.rows, manifest.files.find((f) => f.file === "people.arrow").rows);
  const created = info.columns.find((c) => c.source === "created_at");
  assert.ok(created, "created_at column listed");
  assert.equal(created.role, "created_at");
  assert.match(created.data_type, /timestamp/i);
  for (const c of info.columns) {
    assert.equal(typeof c.source, "string");
    assert.equal(typeof c.name, "string");
    assert.ok(c.role === null || typeof c.role === "string");
    assert.equal(typeof c.data_type, "string");
  }
  assert.equal(typeof info.quality.rows_read, "number");
  assert.ok(Array.isArray(info.quality.notes));
});

for (const file of manifest.files) {
  test(`sample ${file.file}: kind ${file.kind} is detected and ${file.rows} rows are read`, () => {
    const session = new Session();
    try {
      const info = session.load(file.file, bytes(file.file), null);
      assert.equal(info.kind, file.kind);
      assert.equal(info.kind_detected, true);
      assert.equal(info.rows, file.rows);
    } finally {
      session.free();
    }
  });
}

test("a kind given by the caller wins and is not marked detected", () => {
  const info = inspect("accounts.csv", bytes("accounts.csv"), "accounts");
  assert.equal(info.kind, "accounts");
  assert.equal(info.kind_detected, false);
});

test("a session lists, removes and clears its files", () => {
  const session = new Session();
  try {
    session.load("spend.csv", bytes("spend.csv"), null);
    session.load("survey.csv", bytes("survey.csv"), null);
    assert.deepEqual(session.files().map((f) => f.name).sort(), ["spend.csv", "survey.csv"]);
    // Loading a file of the same name replaces it.
    session.load("spend.csv", bytes("spend.csv"), null);
    assert.equal(session.files().length, 2);
    assert.equal(session.remove("spend.csv"), true);
    assert.equal(session.remove("spend.csv"), false);
    assert.deepEqual(session.files().map((f) => f.name), ["survey.csv"]);
    session.clear();
    assert.deepEqual(session.files(), []);
  } finally {
    session.free();
  }
});

test("random bytes give an error naming the file, and the session keeps working", () => {
  const session = new Session();
  try {
    const junk = new Uint8Array(4096);
    let x = 42;
    for (let i = 0; i < junk.length; i++) junk[i] = x = (x * 1103515245 + 12345) & 0xff;
    assert.match(thrown(() => session.load("junk.arrow", junk, null)), /junk\.arrow/);
    assert.deepEqual(session.files(), []);
    const info = session.load("accounts.csv", bytes("accounts.csv"), null);
    assert.equal(info.rows, 120);
  } finally {
    session.free();
  }
});

test("a truncated Arrow file gives an error naming the file", () => {
  const full = bytes("people.arrow");
  const message = thrown(() => inspect("cut.arrow", full.subarray(0, Math.floor(full.length / 2)), null));
  assert.match(message, /cut\.arrow/);
});

test("an empty file gives an error naming the file", () => {
  assert.match(thrown(() => inspect("empty.csv", new Uint8Array(0), null)), /empty\.csv/);
});

test("an invalid configuration is refused", () => {
  const session = new Session();
  try {
    thrown(() => session.setConfig("{ not json"));
  } finally {
    session.free();
  }
});

test("a report over the whole sample is a result document", () => {
  const session = new Session();
  try {
    for (const file of manifest.files) session.load(file.file, bytes(file.file), file.kind);
    const doc = session.report({ grain: "month" });
    assert.equal(doc.grain, "month");
    assert.match(doc.as_of, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Array.isArray(doc.kpis));
    for (const kpi of doc.kpis) {
      assert.equal(typeof kpi.id, "string");
      assert.equal(typeof kpi.available, "boolean");
      assert.ok(Array.isArray(kpi.points));
      if (!kpi.available) assert.equal(kpi.points.length, 0);
      for (const p of kpi.points) assert.ok(p.value === null || Number.isFinite(p.value));
    }
    assert.equal(typeof doc.quality, "object");
  } finally {
    session.free();
  }
});

test("report options reject a field they do not know, naming it; the right spelling works", () => {
  const session = new Session();
  try {
    session.load("people.arrow", bytes("people.arrow"), null);
    assert.match(thrown(() => session.report({ as_of: "2026-06-30" })), /unknown field `as_of`/);
    assert.match(thrown(() => session.report({ grain: "month", byy: "channel" })), /unknown field `byy`/);
    const doc = session.report({ asOf: "2026-06-30" });
    assert.match(doc.as_of, /^2026-06-30T/);
    assert.match(session.report({ grain: "week", by: "channel", asOf: null, tz: "+02:00" }).grain, /^week$/);
  } finally {
    session.free();
  }
});

test("the review chooses its period, and the same report comes as Markdown", () => {
  const session = new Session();
  try {
    for (const file of manifest.files) session.load(file.file, bytes(file.file), file.kind);
    // The sample's data ends on 31 October 2026: October is covered to its
    // last day, so it is the default review period.
    const doc = session.report({ grain: "month", by: "channel" });
    assert.equal(doc.review.period, "2026-10");
    assert.equal(doc.review.label, "October 2026");
    assert.equal(doc.review.previous_period, "2026-09");
    assert.ok(doc.review.summary.length >= 3 && doc.review.summary.length <= 5);
    for (const f of doc.review.findings) {
      assert.ok(["off_target", "move", "segment_gap", "early_warning", "data_quality"].includes(f.kind), f.kind);
      assert.equal(typeof f.sentence, "string");
      assert.ok(Number.isFinite(f.impact) && f.weight >= 0 && f.weight < 1, f.id);
    }
    const may = session.report({ grain: "month", period: "2026-05" });
    assert.equal(may.review.period, "2026-05");
    assert.match(thrown(() => session.report({ grain: "month", period: "2026-W20" })), /period '2026-W20' is not a month/);
    const md = session.markdown({ grain: "month", by: "channel" });
    assert.match(md, /^# KPI review: October 2026\n/);
    assert.ok(md.includes("## Opportunities & risks"));
    assert.ok(md.includes(doc.review.summary[0]), "the summary's first sentence is in the Markdown");
  } finally {
    session.free();
  }
});
