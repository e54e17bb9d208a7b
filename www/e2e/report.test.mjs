// Browser tests of the report view on the built page (www/dist), as a
// marketer uses it: try the sample, read a KPI, change grain and breakdown,
// see what is unavailable and why, break the configuration — and never talk
// to another host.
//
//   node --test www/e2e/        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium, openPage } from "./harness.mjs";

// New Leads of the sample, counted without kpidash by e2e/count-new-leads.py
// (pyarrow on public/sample/people.arrow and events.arrows: people merged by id
// and by lower-cased e-mail, earliest created_at; entities only in events
// become leads at their first event; periods in UTC).
const NEW_LEADS_2026_10 = 119; // last month of the sample
const NEW_LEADS_2026_Q3 = 362;
const NEW_LEADS_2026_Q4 = 119; // the sample ends on 2026-10-31

/** `server` serves the page, `hooked` the page with test hooks. */
let server, hooked, browser, context, page;
let requests, problems;

before(async () => {
  assert.ok(existsSync(builds.page + "/index.html"), "www/dist is missing: run scripts/build first");
  assert.ok(existsSync(builds.withTestHooks + "/index.html"), "target/www-e2e is missing: run scripts/build first");
  server = await serve(builds.page);
  hooked = await serve(builds.withTestHooks);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await hooked?.close();
});

beforeEach(async () => {
  ({ context, page, requests, problems } = await openPage(browser, { width: 1280 }));
  await page.goto(server.url);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor(); // engine ready
});

afterEach(async () => {
  assert.deepEqual(foreignRequests(requests, server.url, hooked.url), [], "requests to other hosts");
  await context.close();
});

const kpi = (id) => page.locator(`li.kpi[data-kpi="${id}"]`);
const value = (id) => kpi(id).locator(".kpi-value");

/** Every KPI card is under "Diagnostics" in the executive summary, one
 * click away: opens it (it stays open across reports). */
async function openDiagnostics() {
  const diagnostics = page.locator("#diagnostics");
  await diagnostics.waitFor();
  if ((await diagnostics.getAttribute("open")) === null) await diagnostics.locator("> summary").click();
}

async function trySample() {
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.getByRole("status").filter({ hasText: "Loaded 9 files." }).waitFor();
  await openDiagnostics();
  await kpi("new_leads").waitFor();
  await page.locator("#report-busy").waitFor({ state: "hidden" });
}

test("with no files the report invites to try the sample", async () => {
  const empty = page.locator('#report [data-state="empty"]');
  await empty.waitFor();
  await empty.getByRole("button", { name: "Try the sample data" }).click();
  await openDiagnostics();
  await kpi("new_leads").waitFor();
  assert.deepEqual(problems, []);
});

test("the sample gives a report a marketer can read, by quarter and by channel", async () => {
  await trySample();

  // KPI cards in their areas, New Leads of the last month as counted independently.
  for (const area of ["funnel", "acquisition", "engagement", "brand", "retention_expansion"]) {
    await page.locator(`section.area[data-area="${area}"] li.kpi`).first().waitFor();
  }
  assert.equal(await value("new_leads").getAttribute("data-period"), "2026-10");
  assert.equal((await value("new_leads").innerText()).trim(), String(NEW_LEADS_2026_10));
  assert.equal(await page.getByRole("heading", { name: "New Leads" }).getAttribute("title"), "People who became a lead in the period.");
  // Rates as percents; a ratio shows its numerator and denominator; charts are SVG.
  assert.match(await value("activation_rate").innerText(), /^\d{1,3}\.\d%$/);
  assert.match(await kpi("activation_rate").locator(".parts").innerText(), /^\d+ \/ \d+$/);
  assert.ok((await page.locator("li.kpi figure.chart svg").count()) >= 20);
  // The latest cohort is still maturing and says so.
  await kpi("activation_rate").locator(".maturing[title*='cohort still maturing']").waitFor();
  // The funnel has one row per step.
  assert.ok((await kpi("drop_off_rate").locator("li[data-step]").count()) >= 2);
  // The data-quality panel tells about merged duplicates.
  await page.locator("details.quality > summary").click();
  await page.locator("details.quality").getByText(/12 duplicate person rows merged/).waitFor();
  await page.screenshot({ path: "/tmp/kpidash-report-month.png", fullPage: true });

  // Quarter grain: the last quarter (only October in the sample) and its change vs Q3.
  await page.getByLabel("Period", { exact: true }).selectOption("quarter");
  await value("new_leads").and(page.locator('[data-period="2026-Q4"]')).waitFor();
  assert.equal((await value("new_leads").innerText()).trim(), String(NEW_LEADS_2026_Q4));
  const down = ((NEW_LEADS_2026_Q4 - NEW_LEADS_2026_Q3) / NEW_LEADS_2026_Q3) * -100;
  assert.equal((await kpi("new_leads").locator(".change").innerText()).replace(/\s+/g, " ").trim(), `▼ down ${down.toFixed(1)}%`);
  assert.equal(await kpi("new_leads").locator(".change").getAttribute("data-tone"), "bad"); // fewer leads is worse

  // Breakdown by channel: segment rows for the latest quarter.
  await page.getByLabel("Break down by").selectOption("channel");
  const rows = kpi("new_leads").locator("table.segments tbody tr");
  await rows.first().waitFor();
  const segments = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-segment")));
  assert.ok(segments.includes("paid_search"), `segments: ${segments}`);
  const values = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelector("td.num").textContent.replace(/,/g, ""))));
  assert.equal(values.reduce((a, b) => a + b, 0), NEW_LEADS_2026_Q4, "segments add up to the total");
  // KPIs on tables without a channel say so on their card.
  await kpi("churn_rate").locator(".kpi-note").filter({ hasText: "no breakdown by channel" }).waitFor();
  await page.screenshot({ path: "/tmp/kpidash-report-channel.png", fullPage: true });

  // The choice survives a reload.
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  assert.equal(await page.getByLabel("Period", { exact: true }).inputValue(), "quarter");
  assert.equal(await page.getByLabel("Break down by").inputValue(), "channel");
  assert.deepEqual(problems, []);
});

test("a KPI whose table is missing is listed with its reason", async () => {
  await trySample();
  // With the whole sample every KPI is available, the investment ones too
  // (budget.csv, deals.csv); without the budget sheet the two budget KPIs
  // are not, and without the spend table neither are the cost KPIs.
  for (const id of ["budget_pacing", "budget_remaining", "pipeline_created", "win_rate", "cac_payback_months"]) {
    await kpi(id).waitFor();
  }
  assert.equal(await page.locator(".unavailable").count(), 0);
  await page.getByRole("button", { name: "Remove budget.csv" }).click();
  await page.locator('.unavailable li[data-kpi="budget_pacing"]').waitFor();
  const unavailable = await page.locator(".unavailable li").evaluateAll((items) => items.map((li) => li.dataset.kpi));
  assert.deepEqual(unavailable.sort(), ["budget_pacing", "budget_remaining"]);
  assert.match(await page.locator('.unavailable li[data-kpi="budget_pacing"] .reason').innerText(), /needs a budget table/);
  await page.getByRole("button", { name: "Remove spend.csv" }).click();
  const missing = page.locator('.unavailable li[data-kpi="cost_per_lead"]');
  await missing.waitFor();
  assert.match(await missing.locator(".reason").innerText(), /needs a spend table/);
  assert.equal(await kpi("cost_per_lead").count(), 0);
  await page.locator(".unavailable").screenshot({ path: "/tmp/kpidash-report-unavailable.png" });
  assert.deepEqual(problems, []);
});

test("an invalid configuration shows the engine's error and the report stays", async () => {
  await trySample();
  await page.getByText("Configuration", { exact: true }).click();
  await page.getByLabel("Configuration JSON").fill('{"kpis": {"new_leads": {"unit": "furlongs"}}}');
  await page.getByRole("button", { name: "Apply configuration" }).click();
  const error = page.locator("#config-message.error");
  await error.waitFor();
  assert.match(await error.innerText(), /previous configuration stays/);
  assert.match(await error.innerText(), /unknown field `unit`/, "the engine's own message is shown");
  assert.equal((await value("new_leads").innerText()).trim(), String(NEW_LEADS_2026_10));
  await page.screenshot({ path: "/tmp/kpidash-report-config-error.png", fullPage: false });

  // A valid configuration applies, the files are read again, and it is kept.
  await page.getByLabel("Configuration JSON").fill('{"kpis": {"new_leads": {"target": 150}}}');
  await page.getByRole("button", { name: "Apply configuration" }).click();
  await page.locator("#config-message.ok").waitFor();
  await kpi("new_leads").locator(".target").filter({ hasText: "target 150" }).waitFor();
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  assert.match(await page.getByLabel("Configuration JSON").inputValue(), /"target": 150/);
  assert.deepEqual(problems, []);
});

test("when the browser runs out of memory computing the report, the files are reloaded and the report is computed only when asked", async () => {
  // The test hook makes the first report use up the WASM memory for real;
  // every message to the worker is recorded.
  await page.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    window.sentToWorker = [];
    Worker.prototype.postMessage = function (message, transfer) {
      window.sentToWorker.push({ op: message?.op, name: message?.name });
      return post.call(this, message, transfer);
    };
  });
  await page.goto(hooked.url + "?simulate-out-of-memory=report");
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  const config = '{"kpis": {"new_leads": {"target": 150}}}';
  await page.getByText("Configuration", { exact: true }).click();
  await page.getByLabel("Configuration JSON").fill(config);
  await page.getByRole("button", { name: "Apply configuration" }).click();
  await page.locator("#config-message.ok").waitFor();
  await page.getByLabel("Break down by").selectOption("channel");

  await page.getByRole("button", { name: "Try sample data" }).click();
  const notice = page.locator("#engine-alert");
  await notice.getByRole("alert").waitFor();
  const text = await notice.innerText();
  assert.match(text, /The browser ran out of memory while computing the report/);
  assert.match(text, /remove some files/);
  assert.match(text, /filter the export/);
  assert.match(text, /kpidash report/);
  assert.match(text, /the 9 files loaded before were loaded again/);
  assert.match(text, /not computed again on its own/);
  const failed = page.locator("#report .report-error");
  assert.match(await failed.innerText(), /ran out of memory/);
  assert.equal(await kpi("new_leads").count(), 0);

  // Every file is listed again with its row count; nothing computed a report again.
  const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../public/sample/manifest.json", import.meta.url)), "utf8"));
  for (const f of manifest.files) {
    await page.locator(`li.card[data-file="${f.file}"] .rows`).filter({ hasText: `${f.rows.toLocaleString("en-US")} rows` }).waitFor();
  }
  const sent = await page.evaluate(() => window.sentToWorker);
  assert.equal(sent.filter((m) => m.op === "load").length, 2 * manifest.files.length, "each file loaded, then loaded again");
  assert.equal(sent.filter((m) => m.op === "report").length, 1);
  await page.screenshot({ path: "/tmp/kpidash-out-of-memory-report.png", fullPage: true });

  // Asked again, the report is computed by the new engine with the
  // configuration and the options the user had.
  await failed.getByRole("button", { name: "Compute the report again" }).click();
  await openDiagnostics();
  await kpi("new_leads").locator(".target").filter({ hasText: "target 150" }).waitFor();
  assert.equal((await value("new_leads").innerText()).trim(), String(NEW_LEADS_2026_10));
  await kpi("new_leads").locator("table.segments tbody tr").first().waitFor();
  assert.equal(await page.getByLabel("Break down by").inputValue(), "channel");
  assert.equal(await page.getByLabel("Configuration JSON").inputValue(), config);
  assert.equal(await page.locator("#report .report-error").count(), 0);
  assert.deepEqual(problems, []);
});
