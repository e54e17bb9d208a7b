// Browser tests of files the engine does not understand by itself
// (www/src/mapping-editor.ts, file-list.ts, report-controls.ts' breakdown
// menu), on the built page (www/dist): an unrecognised file mapped in the
// form loads, adds a KPI and keeps its mapping after a reload; a campaign
// report without dates asks for its range; a file of two plausible kinds
// offers the other; the breakdown menu lists other text columns apart and
// never ids or free text.
//
//   node --test --test-concurrency=1 www/e2e/        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium, openPage } from "./harness.mjs";

let server, browser, context, page, requests, problems;

before(async () => {
  assert.ok(existsSync(builds.page + "/index.html"), "www/dist is missing: run scripts/build first");
  server = await serve(builds.page);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  ({ context, page, requests, problems } = await openPage(browser, { width: 1280 }));
  await page.goto(server.url);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
});

afterEach(async () => {
  assert.deepEqual(foreignRequests(requests, server.url), [], "requests to other hosts");
  assert.deepEqual(problems, []);
  await context.close();
});

async function drop(name, text) {
  await page.locator("#picker").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
}

// Headers no alias knows. New Leads by month, counted by hand: January 2,
// February 3, March 4 (the last period, as of 2026-03-31).
const LEADS = [
  "Contact,Lead Date,Remark",
  "1,2026-01-05,a",
  "2,2026-01-20,b",
  "3,2026-02-02,c",
  "4,2026-02-14,d",
  "5,2026-02-27,e",
  "6,2026-03-01,f",
  "7,2026-03-10,g",
  "8,2026-03-20,h",
  "9,2026-03-31,i",
].join("\n");

test("an unrecognised file mapped in the form loads, adds New Leads, and keeps its mapping after a reload", async () => {
  await drop("leads.csv", LEADS);
  const leads = page.locator('li.card[data-file="leads.csv"][data-state="error"]');
  await leads.waitFor();
  const editor = leads.locator("section.mapping-editor");
  const settled = () => editor.locator(".mapping-body:not([aria-busy])").waitFor();
  await editor.locator("table.mapping-roles").waitFor();
  assert.equal(await editor.getAttribute("data-open"), "true");

  await editor.locator("select.mapping-kind").selectOption("people");
  await settled();
  // The preview shows the file's first rows while it does not load.
  await editor.locator(".mapping-preview td", { hasText: "2026-01-05" }).first().waitFor();
  await editor.locator('select[data-role="id"]').selectOption("Contact");
  await settled();
  await editor.locator('select[data-role="created_at"]').selectOption("Lead Date");
  await settled();
  await editor.locator(".mapping-ok", { hasText: "Loads as a people table of 9 rows." }).waitFor();
  const adds = await editor.locator('tr[data-role-row="created_at"] .enables').textContent();
  assert.match(adds, /adds .*New Leads/);
  // The preview now reads the mapping: the columns by role.
  await editor.locator(".mapping-preview th", { hasText: "created_at" }).waitFor();

  await editor.locator('[data-action="use-mapping"]').click();
  await page.locator('li.card[data-file="leads.csv"][data-state="loaded"][data-kind="people"]').waitFor();
  assert.equal(await page.locator('li.card[data-file="leads.csv"] .rows').getAttribute("data-rows"), "9");
  await newLeadsInMarch();

  // Saved in the configuration: after a reload the same file loads at once.
  const saved = await page.evaluate(() => Object.values(localStorage).find((v) => v.includes("leads.csv")) ?? "");
  assert.match(saved, /"Contact": ?"id"/);
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  await drop("leads.csv", LEADS);
  await page.locator('li.card[data-file="leads.csv"][data-state="loaded"][data-kind="people"]').waitFor();
  await newLeadsInMarch();
});

async function newLeadsInMarch() {
  await page.locator("#report-busy").waitFor({ state: "hidden" });
  const diagnostics = page.locator("#diagnostics");
  await diagnostics.waitFor();
  if ((await diagnostics.getAttribute("open")) === null) await diagnostics.locator("> summary").click();
  const value = page.locator('li.kpi[data-kpi="new_leads"] .kpi-value[data-period="2026-03"]');
  await value.waitFor();
  assert.equal((await value.textContent()).trim(), "4");
}

test("a campaign report without dates asks for its date range and loads over it", async () => {
  // Two campaigns, no date column, no banner: 31 days of January make 62 rows.
  await drop("campaigns.csv", "Campaign,Impr.,Clicks,Cost\nBrand,3100,310,310.00\nGeneric,6200,620,620.00\n");
  const range = page.locator('li.card[data-file="campaigns.csv"] fieldset.date-range');
  await range.waitFor();
  await range.locator('input[name="range-first"]').fill("2026-01-01");
  await range.locator('input[name="range-last"]').fill("2026-01-31");
  await range.locator('[data-action="use-range"]').click();
  const loaded = page.locator('li.card[data-file="campaigns.csv"][data-state="loaded"][data-kind="spend"]');
  await loaded.waitFor();
  assert.equal(await loaded.locator(".rows").getAttribute("data-rows"), "62");
  await loaded.locator(".notes li", { hasText: "2026-01-01 to 2026-01-31 (the date range configured for the file)" }).waitFor();
});

test("a file of two plausible kinds says so and switches in one click", async () => {
  // Deals (id, created_at, amount) or people (id, created_at): deals fit
  // best, people nearly as well.
  await drop("records.csv", "Record ID,Create Date,Amount\n1,2026-01-05,100\n2,2026-01-09,250\n");
  const deals = page.locator('li.card[data-file="records.csv"][data-state="loaded"][data-kind="deals"]');
  await deals.waitFor();
  const other = deals.locator('.kind-alternative [data-action="use-kind"]');
  assert.equal(await other.getAttribute("data-kind"), "people");
  await other.click();
  const people = page.locator('li.card[data-file="records.csv"][data-state="loaded"][data-kind="people"]');
  await people.waitFor();
  assert.equal(await people.locator(".facts .muted").first().textContent(), "chosen");
  assert.equal(await people.locator(".kind-alternative").count(), 0);
});

test("the breakdown menu lists other text columns apart, never ids or free text", async () => {
  // 30 people: `territory` has 3 values (a breakdown); `remark` one per row
  // (free text); `owner_id` names an id; `segment` is a recognised dimension.
  const rows = ["id,created_at,segment,territory,remark,owner_id"];
  for (let i = 0; i < 30; i++) rows.push(`p${i},2026-01-${String((i % 28) + 1).padStart(2, "0")},smb,${["north", "south", "east"][i % 3]},said ${i},o${i}`);
  await drop("people.csv", rows.join("\n"));
  await page.locator('li.card[data-file="people.csv"][data-state="loaded"]').waitFor();
  const group = page.locator('#by optgroup[label="Other columns"]');
  await group.locator('option[value="territory"]').waitFor({ state: "attached" });
  assert.deepEqual(await group.locator("option").evaluateAll((os) => os.map((o) => o.value)), ["territory"]);
  const top = await page.locator("#by > option").evaluateAll((os) => os.map((o) => o.value));
  assert.ok(top.includes("segment"), top.join(", "));
  for (const never of ["remark", "owner_id", "id"]) assert.ok(!top.includes(never), never);
});
