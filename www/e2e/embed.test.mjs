// Browser tests of embedding and hosting (docs/embedding.md,
// docs/hosting.md): the built folder copied under a sub-path of a static
// server, with a deployment's kpidash.config.json; the example portal's two
// <kpi-dash> widgets sharing one worker; the element's events and report();
// the shipped defaults with the user's layer over them, and reset; the
// configuration's export, import, migration and refusal.
//
//   node --test www/e2e/embed.test.mjs        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium, openPage } from "./harness.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const manifest = JSON.parse(readFileSync(here("../public/sample/manifest.json"), "utf8"));
// New Leads of the sample, counted without kpidash by e2e/count-new-leads.py
// (the figures report.test.mjs checks).
const NEW_LEADS_2026_10 = 119;
const NEW_LEADS_2026_Q3 = 362;

const SUB = "some/sub/path/";
/** The deployment's defaults: a target and an owner of New Leads. */
const SHIPPED = { version: 1, targets: { new_leads: { month: 150 } }, kpis: { new_leads: { owner: "Dana" } } };

let root, server, browser, context, page, requests, problems, workers;

before(async () => {
  assert.ok(existsSync(builds.page + "/kpi-dash.js"), "www/dist has no kpi-dash.js: run scripts/build first");
  root = mkdtempSync(join(tmpdir(), "kpidash-host-"));
  cpSync(builds.page, join(root, SUB), { recursive: true });
  writeFileSync(join(root, SUB, "kpidash.config.json"), JSON.stringify(SHIPPED, null, 2));
  server = await serve(root);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

beforeEach(async () => {
  ({ context, page, requests, problems } = await openPage(browser, { width: 1200 }));
  workers = [];
  page.on("worker", (w) => workers.push(w.url()));
});

afterEach(async () => {
  assert.deepEqual(foreignRequests(requests, server.url), [], "requests to other hosts");
  // Served under a sub-path: nothing is asked for outside it.
  const base = server.url + SUB;
  assert.deepEqual(requests.filter((u) => u.startsWith("http") && !u.startsWith(base)), [], "requests outside the sub-path");
  assert.deepEqual(problems, []);
  await context.close();
});

/** Opens the example portal, recording the widgets' events. */
async function openExample() {
  await page.addInitScript(() => {
    window.kpidashEvents = [];
    for (const type of ["kpidash:ready", "kpidash:report", "kpidash:error"]) {
      document.addEventListener(type, (e) =>
        window.kpidashEvents.push({ type, id: e.target.id, files: e.detail.files?.length ?? null, grain: e.detail.doc?.grain ?? null, message: e.detail.message ?? null }),
      );
    }
  });
  await page.goto(server.url + SUB + "embed-example.html");
  await page.waitForFunction(() => window.kpidashEvents.filter((e) => e.type === "kpidash:report").length >= 2);
}

test("the example portal: two widgets, one worker, events, the portal's own content beside them", { timeout: 90_000 }, async () => {
  await openExample();
  const events = await page.evaluate(() => window.kpidashEvents);
  const of = (type) => events.filter((e) => e.type === type).map((e) => e.id).sort();
  assert.deepEqual(of("kpidash:ready"), ["kpi-findings", "kpi-summary"]);
  assert.deepEqual(of("kpidash:report"), ["kpi-findings", "kpi-summary"]);
  assert.deepEqual(of("kpidash:error"), []);
  for (const e of events.filter((e) => e.type === "kpidash:ready")) assert.equal(e.files, manifest.files.length);
  assert.equal(workers.length, 1, `one worker for both widgets: ${workers.join(", ")}`);
  // Each sample file was fetched once for both widgets, and the .wasm once.
  for (const f of manifest.files) assert.equal(requests.filter((u) => u.endsWith(`/sample/${f.file}`)).length, 1, f.file);
  assert.equal(requests.filter((u) => u.endsWith(".wasm")).length, 1);
  // The portal's own text is there, and each widget renders its view in its shadow root.
  await page.getByRole("heading", { name: "Marketing this month" }).waitFor();
  assert.ok((await page.locator("#kpi-summary .headline").count()) > 0, "the summary widget shows headline cards");
  assert.equal(await page.locator("#kpi-summary #findings").count(), 0, "the summary widget shows the summary only");
  assert.equal(await page.locator("#kpi-findings #findings").count(), 1, "the findings widget shows the findings");
  // Styles stay inside the widgets: the portal's body keeps its own font.
  assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /Georgia/);
  // The portal's colour reaches the widget through --accent.
  assert.equal(await page.locator("#kpi-summary").evaluate((el) => getComputedStyle(el).getPropertyValue("--accent").trim()), "#5b3f8c");
});

test("report() returns the result document and renders it; the shipped defaults apply", { timeout: 90_000 }, async () => {
  await openExample();
  const got = await page.evaluate(async () => {
    const el = document.getElementById("kpi-summary");
    const month = await el.report({ grain: "month", period: "2026-10" });
    const pointOf = (doc, period) => doc.kpis.find((k) => k.id === "new_leads").points.find((p) => p.period === period && p.segment === null && p.step === null);
    const quarter = await el.report({ grain: "quarter", period: "2026-Q3" });
    return {
      month: pointOf(month, "2026-10")?.value,
      target: month.kpis.find((k) => k.id === "new_leads").target,
      owner: month.kpis.find((k) => k.id === "new_leads").owner,
      quarter: pointOf(quarter, "2026-Q3")?.value,
      grain: quarter.grain,
      same: el.result === quarter,
    };
  });
  assert.equal(got.month, NEW_LEADS_2026_10);
  assert.equal(got.quarter, NEW_LEADS_2026_Q3);
  assert.equal(got.grain, "quarter");
  assert.equal(got.target, 150, "the shipped kpidash.config.json's target");
  assert.equal(got.owner, "Dana");
  assert.ok(got.same, "result is the document report() resolved to");
  const reports = await page.evaluate(() => window.kpidashEvents.filter((e) => e.type === "kpidash:report" && e.id === "kpi-summary").map((e) => e.grain));
  assert.deepEqual(reports.slice(-2), ["month", "quarter"]);
});

test("a widget whose data is missing fires kpidash:error and says why; setConfig refuses a newer version", { timeout: 90_000 }, async () => {
  await openExample();
  const got = await page.evaluate(async () => {
    const el = document.createElement("kpi-dash");
    el.id = "broken";
    el.setAttribute("manifest", "no-such/manifest.json");
    const error = new Promise((resolve) => el.addEventListener("kpidash:error", (e) => resolve(e.detail.message)));
    document.body.append(el);
    const message = await error;
    const summary = document.getElementById("kpi-summary");
    let refused = null;
    try {
      await summary.setConfig({ version: 2, targets: {} });
    } catch (err) {
      refused = err.message;
    }
    const after = await summary.report({ grain: "month" });
    return { message, shown: el.shadowRoot.textContent, refused, target: after.kpis.find((k) => k.id === "new_leads").target };
  });
  assert.match(got.message, /no-such\/manifest\.json: HTTP 404/);
  // The one 404 asked for, and only it.
  assert.deepEqual(problems.splice(0), ["console error: Failed to load resource: the server responded with a status of 404 (Not Found)"]);
  assert.match(got.shown, /could not show its report: .*HTTP 404/);
  assert.match(got.refused, /configuration version 2, newer than this kpidash reads \(version 1\)/);
  assert.equal(got.target, 150, "the refused configuration changed nothing");
});

test("load() and setConfig(): files handed over in JavaScript, a configuration set in JavaScript", { timeout: 90_000 }, async () => {
  await openExample();
  const got = await page.evaluate(async () => {
    const el = document.getElementById("kpi-findings");
    const bytes = await (await fetch("sample/people.arrow")).arrayBuffer();
    const files = await el.load([{ name: "people.arrow", data: bytes }]);
    await el.setConfig({ targets: { new_leads: { month: 99 } } });
    const doc = await el.report({ grain: "month" });
    return { files: files.map((f) => f.kind), target: doc.kpis.find((k) => k.id === "new_leads").target };
  });
  assert.deepEqual(got.files, ["people"]);
  assert.equal(got.target, 99);
});

/** The main page under the sub-path, with the engine ready. */
async function openPageUnderSubPath() {
  await page.goto(server.url + SUB);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
}

const editorText = () => page.locator("#config-text").inputValue();
const savedLayer = () => page.evaluate(() => JSON.parse(localStorage.getItem("kpidash.config") ?? "null"));

test("under a sub-path the page loads the sample; shipped defaults, the user's layer over them, and reset", { timeout: 90_000 }, async () => {
  await openPageUnderSubPath();
  await page.locator("details.config > summary").click();
  await page.waitForFunction(() => document.querySelector("#config-text").value.includes("Dana"));
  assert.deepEqual(JSON.parse(await editorText()), SHIPPED);
  // The user changes the target: only that is kept as their layer.
  const mine = { version: 1, targets: { new_leads: { month: 200 } }, kpis: { new_leads: { owner: "Dana" } }, currency: "EUR" };
  await page.locator("#config-text").fill(JSON.stringify(mine));
  await page.getByRole("button", { name: "Apply configuration" }).click();
  await page.locator("#config-message.ok").waitFor();
  assert.deepEqual(await savedLayer(), { version: 1, targets: { new_leads: { month: 200 } }, currency: "EUR" });
  // After a reload the layer is over the defaults again.
  await openPageUnderSubPath();
  await page.waitForFunction(() => document.querySelector("#config-text").value.includes("EUR"));
  assert.deepEqual(JSON.parse(await editorText()), mine);
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.locator("#report .review-section").first().waitFor();
  // Reset: the defaults in force, the layer empty.
  await page.locator("details.config > summary").click();
  await page.locator("#config-reset").click();
  await page.locator("#config-file-message.ok").waitFor();
  assert.deepEqual(JSON.parse(await editorText()), SHIPPED);
  assert.deepEqual(await savedLayer(), { version: 1 });
});

test("a deployment's data manifest loads its files with one click", { timeout: 90_000 }, async () => {
  const listed = manifest.files.filter((f) => f.file.endsWith(".csv")).slice(0, 2);
  writeFileSync(join(root, SUB, "data", "manifest.json"), JSON.stringify({ description: "two of the sample's CSVs", files: listed.map((f) => ({ file: `../sample/${f.file}`, kind: f.kind })) }));
  try {
    await openPageUnderSubPath();
    await page.locator("#deployment-data").click();
    for (const f of listed) await page.locator(`li.card[data-file="${f.file}"]`).filter({ hasText: `${f.rows.toLocaleString("en-US")} rows` }).waitFor();
    assert.equal(await page.locator("li.card").count(), 2);
  } finally {
    writeFileSync(join(root, SUB, "data", "manifest.json"), readFileSync(join(builds.page, "data", "manifest.json")));
  }
});

test("export, import of an older version, and a newer one refused with the current configuration kept", { timeout: 90_000 }, async () => {
  await openPageUnderSubPath();
  await page.locator("details.config > summary").click();
  await page.waitForFunction(() => document.querySelector("#config-text").value.includes("Dana"));
  const download = page.waitForEvent("download");
  await page.locator("#config-export").click();
  const file = await (await download).path();
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), SHIPPED);
  assert.equal((await download).suggestedFilename(), "kpidash.config.json");
  // An older configuration (no version) is migrated when imported.
  const old = { targets: { new_leads: { month: 321 } } };
  await page.locator("#config-import-file").setInputFiles({ name: "old.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(old)) });
  await page.locator("#config-file-message.ok").filter({ hasText: "Imported old.json." }).waitFor();
  assert.deepEqual(JSON.parse(await editorText()), { version: 1, targets: { new_leads: { month: 321 } } });
  const before = await savedLayer();
  // A newer one, and a broken one: refused, nothing changes.
  for (const [name, text, why] of [
    ["new.json", JSON.stringify({ version: 3, dashboards: [] }), /new\.json is configuration version 3, newer than this kpidash reads/],
    ["broken.json", "{ not json", /broken\.json is not JSON/],
  ]) {
    await page.locator("#config-import-file").setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(text) });
    const message = page.locator("#config-file-message.error");
    await message.filter({ hasText: why }).waitFor();
    assert.match(await message.textContent(), /the current configuration stays in force/);
    assert.deepEqual(JSON.parse(await editorText()), { version: 1, targets: { new_leads: { month: 321 } } });
    assert.deepEqual(await savedLayer(), before);
  }
  // Round trip: export again, import it, same configuration.
  const again = page.waitForEvent("download");
  await page.locator("#config-export").click();
  const exported = readFileSync(await (await again).path(), "utf8");
  await page.locator("#config-import-file").setInputFiles({ name: "kpidash.config.json", mimeType: "application/json", buffer: Buffer.from(exported) });
  await page.locator("#config-file-message.ok").filter({ hasText: "Imported kpidash.config.json." }).waitFor();
  assert.deepEqual(JSON.parse(await editorText()), JSON.parse(exported));
});
