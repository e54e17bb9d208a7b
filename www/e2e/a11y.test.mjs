// Accessibility of the page with a report (the page with the test hooks,
// target/www-e2e, which keeps the documents it renders as
// `window.simulateSeen`): axe-core finds no serious or critical violation
// with every section open, nor in the configuration (mapping) editor; the
// report can be used with the keyboard alone; every chart has its numbers
// as a table; colour is never the only carrier of meaning.
//
// axe-core (www/package.json, pinned) is evaluated in the page through the
// DevTools protocol: the page's Content-Security-Policy refuses inline
// scripts, and this test is about accessibility, so its context bypasses
// the policy (security.test.mjs checks the policy on its own).
//
//   node --test --test-concurrency=1 www/e2e/        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium } from "./harness.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let server, browser, context, page, requests, problems;

before(async () => {
  assert.ok(existsSync(builds.withTestHooks + "/index.html"), "target/www-e2e is missing: run scripts/build first");
  server = await serve(builds.withTestHooks);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ timezoneId: "UTC", locale: "en-US", serviceWorkers: "block", bypassCSP: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  requests = [];
  problems = [];
  context.on("request", (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
});

afterEach(async () => {
  assert.deepEqual(foreignRequests(requests, server.url), [], "requests to other hosts");
  assert.deepEqual(problems, []);
  await context.close();
});

async function trySample() {
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.getByRole("status").filter({ hasText: "Loaded 9 files." }).waitFor();
  await page.locator("#summary li.headline").first().waitFor();
  await page.locator("#report-busy").waitFor({ state: "hidden" });
}

/**
 * Opens every <details> under `root`, outer ones first, until none is left
 * closed (a section may render its content when opened). Through the DOM,
 * not clicks: the report has hundreds; security.test.mjs clicks them.
 */
async function openAll(root) {
  for (let round = 0; round < 10; round++) {
    const opened = await page.evaluate((r) => {
      const closed = [...document.querySelectorAll(`${r} details:not([open])`)];
      for (const d of closed) d.open = true;
      return closed.length;
    }, root);
    if (opened === 0) return;
    await page.waitForTimeout(200);
    await page.locator("#report-busy").waitFor({ state: "hidden" });
  }
  assert.fail(`sections still closing under ${root}`);
}

/** axe-core's serious and critical violations on the page, as "rule (n): first element". */
async function seriousViolations() {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].html.slice(0, 120)}`);
}

test("axe-core: no serious or critical violation with the report and every section open", async () => {
  assert.deepEqual(await seriousViolations(), [], "the empty page");
  await trySample();
  await openAll("#report");
  assert.ok((await page.locator("#report svg[role=img]").count()) >= 30, "charts drawn");
  assert.deepEqual(await seriousViolations(), [], "the report");
  // The configuration: mappings, targets, owners.
  await openAll("#config");
  assert.ok(await page.getByRole("button", { name: "Apply configuration" }).isVisible());
  assert.deepEqual(await seriousViolations(), [], "the configuration editor");
  // The KPI definition dialog.
  await page.locator("#report button.kpi-link").first().click();
  await page.locator("dialog#glossary[open]").waitFor();
  assert.deepEqual(await seriousViolations(), [], "the definition dialog");
});

test("axe-core: no serious or critical violation in the mapping editor of a file it cannot read alone", async () => {
  const csv = "Contact,Lead Date,Remark\n1,2026-01-05,a\n2,2026-02-02,b\n";
  await page.locator("#picker").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const editor = page.locator('li.card[data-file="leads.csv"] section.mapping-editor');
  await editor.locator("table.mapping-roles").waitFor();
  await editor.locator("select.mapping-kind").selectOption("people");
  await editor.locator(".mapping-body:not([aria-busy])").waitFor();
  await editor.locator(".mapping-preview td", { hasText: "2026-01-05" }).first().waitFor();
  assert.deepEqual(await seriousViolations(), [], "the mapping editor");
});

/** Presses Tab until the focused element matches `selector` (and its text `text`); fails after `limit` presses. */
async function tabTo(selector, text = null, limit = 1500) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const hit = await page.evaluate(
      ([sel, pattern]) => {
        const el = document.activeElement;
        return !!el && el.matches(sel) && (pattern === null || new RegExp(pattern).test(el.textContent ?? ""));
      },
      [selector, text],
    );
    if (hit) return;
  }
  throw new Error(`Tab never reached ${selector}${text ? ` (${text})` : ""}`);
}

test("the keyboard alone: add the sample, change grain and breakdown, open a definition, add an action item", async () => {
  await tabTo("button#sample");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Loaded 9 files." }).waitFor();
  await page.locator("#summary li.headline").first().waitFor();
  await page.locator("#report-busy").waitFor({ state: "hidden" });

  // Grain and breakdown: arrow keys on the focused <select> pick the next option.
  for (const id of ["grain", "by"]) {
    const options = await page.locator(`select#${id} option`).evaluateAll((all) => all.map((o) => o.value));
    const before = await page.locator(`select#${id}`).inputValue();
    await tabTo(`select#${id}`);
    await page.keyboard.press("ArrowDown");
    const after = options[options.indexOf(before) + 1];
    await page.waitForFunction(([i, v]) => document.querySelector(`select#${i}`).value === v, [id, after]);
    await page.waitForFunction(([key, v]) => window.simulateSeen?.[key] === v || (key === "by" && v === "" && window.simulateSeen?.by === null), [id === "grain" ? "grain" : "by", after]);
    await page.locator("#report-busy").waitFor({ state: "hidden" });
  }
  const doc = await page.evaluate(() => window.simulateSeen);

  // A KPI's definition: the dialog opens on Enter, Escape closes it and focus comes back.
  await tabTo("#report button.kpi-link");
  const kpi = await page.evaluate(() => document.activeElement.dataset.kpi);
  await page.keyboard.press("Enter");
  await page.locator("dialog#glossary[open]").waitFor();
  assert.match(await page.locator("dialog#glossary").textContent(), new RegExp(doc.kpis.find((k) => k.id === kpi).name));
  await page.keyboard.press("Escape");
  await page.locator("dialog#glossary[open]").waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement.dataset.kpi), kpi, "focus back on the KPI");

  // A finding becomes an action item.
  const finding = doc.review.findings[0];
  await tabTo(`#findings li.finding[data-finding="${finding.id}"] button`, "^Add to actions$");
  await page.keyboard.press("Enter");
  const action = page.locator(`#actions li.action[data-finding="${finding.id}"]`);
  await action.waitFor();
  assert.equal(await action.locator(".action-text").inputValue(), finding.sentence);
});

test("every chart has its numbers as a table, the same numbers as the document", async () => {
  await trySample();
  await openAll("#report");
  const charts = await page.locator("#report svg[role=img][aria-label]").count();
  const tables = await page.locator("#report details.chart-numbers table").count();
  const sparklines = await page.locator("#report svg.sparkline").count();
  assert.ok(charts >= 30, `${charts} charts`);
  assert.equal(tables, charts - sparklines, "a table for every chart but the headline sparklines");

  // The new leads card: one row per period, counts as the document has them.
  const doc = await page.evaluate(() => window.simulateSeen);
  const kpi = doc.kpis.find((k) => k.id === "new_leads");
  const totals = kpi.points.filter((p) => p.segment === null && p.step === null);
  const rows = await page.locator('li.kpi[data-kpi="new_leads"] details.chart-numbers tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.equal(rows.length, totals.length);
  for (const p of totals) {
    const count = p.value.toLocaleString("en-US", { maximumFractionDigits: 0 });
    const forecast = p.forecast !== null ? `${count} so far, ${p.forecast.toLocaleString("en-US", { maximumFractionDigits: 0 })} forecast` : null;
    assert.deepEqual(rows.find((r) => r[0] === p.period), [p.period, forecast ?? (p.incomplete ? `${count} (maturing)` : count)], p.period);
  }
});

test("colour is never the only carrier: changes have arrows and words, statuses have words", async () => {
  await trySample();
  await openAll("#report");
  const changes = await page.locator("#report .change.good, #report .change.bad").evaluateAll((all) => all.map((el) => el.textContent));
  assert.ok(changes.length > 10, `${changes.length} changes`);
  for (const text of changes) assert.match(text, /^[▲▼] (up |down )?[+−-]?\d/, text);
  const statuses = await page.locator("#summary .headline-status[data-status=on_track], #summary .headline-status[data-status=off_track]").evaluateAll((all) => all.map((el) => [el.dataset.status, el.textContent]));
  assert.ok(statuses.length > 0, "headlines with a target");
  for (const [status, text] of statuses) assert.match(text, status === "on_track" ? /on track/ : /off track/);
  // Maturing and forecast lines: dashed and named in the chart's key, not by colour.
  const keys = await page.locator('#report g[aria-description="key"] text').allTextContents();
  assert.ok(keys.some((k) => k.includes("◌ maturing") || k.includes("┄ forecast")), keys.join(" | "));
});

// The README's screenshot, written only on request:
//   UPDATE_SCREENSHOTS=1 node --test --test-concurrency=1 www/e2e/a11y.test.mjs
test("the README's screenshot of the sample report", { skip: process.env.UPDATE_SCREENSHOTS !== "1" && "set UPDATE_SCREENSHOTS=1 to write docs/screenshot.png" }, async () => {
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  await trySample();
  const report = page.locator("section.report-section");
  const box = await report.boundingBox();
  const path = new URL("../../docs/screenshot.png", import.meta.url);
  await page.screenshot({ path: path.pathname, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 1500) } });
  assert.deepEqual([...readFileSync(path).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});
