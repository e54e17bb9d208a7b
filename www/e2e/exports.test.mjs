// Browser tests of what the report gives away (www/src/export.ts, print.css)
// and of how its charts draw (www/src/kpi-chart.ts), on the built page
// (www/dist): the KPI table's CSV holds the values the page shows, every
// chart saves as SVG and PNG, the print layout is the report alone, charts
// draw straight lines, a target rule and the running month's forecast.
//
//   node --test --test-concurrency=1 www/e2e/        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium, openPage } from "./harness.mjs";

// New Leads of the sample's last month, counted without kpidash
// (e2e/count-new-leads.py; the same figure report.test.mjs checks).
const NEW_LEADS_2026_10 = 119;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

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
  await context.close();
});

const kpi = (id) => page.locator(`li.kpi[data-kpi="${id}"]`);

async function trySample() {
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.getByRole("status").filter({ hasText: "Loaded 9 files." }).waitFor();
  await page.locator("#report-busy").waitFor({ state: "hidden" });
  // Every KPI card is under "Diagnostics" in the executive summary.
  const diagnostics = page.locator("#diagnostics");
  await diagnostics.waitFor();
  if ((await diagnostics.getAttribute("open")) === null) await diagnostics.locator("> summary").click();
  await kpi("new_leads").waitFor();
}

/**
 * Clicks `button` and returns the download it starts: its suggested name
 * and bytes. Headless Chromium drops a download started within a few
 * milliseconds of the one before (about one in six, clicking as fast as
 * Playwright does), so each waits a quarter of a second first.
 */
async function download(button) {
  await page.waitForTimeout(250);
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

/**
 * RFC 4180, written here apart from export.ts: fields split on commas
 * outside quotes, `""` inside quotes is a quote, records end with CRLF.
 */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  assert.equal(field + record.join(""), "", "the file ends with CRLF");
  return records;
}

test("the CSV download holds the KPI table as the page shows it", async () => {
  await trySample();
  await page.getByText(/^The KPI table \(\d+ rows\)$/).click();
  const table = page.locator("table.kpi-table");
  await table.waitFor();
  const shown = await table.locator("tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.ok(shown.length > 30, `${shown.length} rows shown`);

  const csv = await download(page.getByRole("button", { name: "KPI table (CSV)" }));
  assert.equal(csv.name, "kpidash-2026-10-month-kpis.csv");
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
  const records = parseCsv(csv.bytes.toString("utf8").slice(1));
  assert.deepEqual(records, shown);
  assert.deepEqual(records[0], ["KPI", "period", "segment", "value", "previous", "change", "target", "status"]);

  // The rows say what the cards say, and New Leads what was counted without kpidash.
  const row = (name) => records.find((r) => r[0] === name && r[2] === "");
  assert.deepEqual(row("New Leads").slice(0, 4), ["New Leads", "2026-10", "", String(NEW_LEADS_2026_10)]);
  const cost = row("Cost per Lead");
  assert.equal(cost[3], (await kpi("cost_per_lead").locator(".kpi-value").innerText()).trim());
  assert.match(cost[3], /^\$\d+\.\d\d$/, "money in the spend export's currency (USD)");
  assert.deepEqual(problems, []);
});

test("every chart saves as SVG and as PNG", async () => {
  await trySample();
  const groups = page.locator("li.kpi .chart-downloads");
  const n = await groups.count();
  assert.ok(n >= 30, `${n} charts`);
  for (let i = 0; i < n; i++) {
    const group = groups.nth(i);
    const id = await group.evaluate((g) => g.closest("li.kpi").dataset.kpi);
    const svg = await download(group.getByRole("button", { name: "SVG" }));
    assert.equal(svg.name, `${id.replace(/_/g, "-")}.svg`);
    const text = svg.bytes.toString("utf8");
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, `${id}: a standalone SVG`);
    assert.doesNotMatch(text, /var\(--|currentColor/, `${id}: the page's colours are written in`);
    const png = await download(group.getByRole("button", { name: "PNG" }));
    assert.equal(png.name, `${id.replace(/_/g, "-")}.png`);
    assert.deepEqual([...png.bytes.subarray(0, 8)], PNG_MAGIC, `${id}: PNG signature`);
    // IHDR: the width at bytes 16–19, twice the SVG's (300 px charts).
    const width = Number(/<svg [^>]*width="(\d+)"/.exec(text)[1]);
    assert.equal(png.bytes.readUInt32BE(16), width * 2, `${id}: PNG at twice the SVG's width`);
  }

  // A chart of several segments carries its legend inside the SVG.
  await page.getByLabel("Break down by").selectOption("channel");
  await kpi("new_leads").locator("table.segments").waitFor();
  const svg = await download(kpi("new_leads").locator(".chart-downloads").getByRole("button", { name: "SVG" }));
  assert.equal(svg.name, "new-leads-by-channel.svg");
  assert.match(svg.bytes.toString("utf8"), /<text[^>]*>paid_search<\/text>/);
  assert.deepEqual(problems, []);
});

test("charts draw straight lines, the target as a rule and the running month's forecast dashed", async () => {
  await trySample();
  const lines = page.locator('li.kpi svg g[aria-description="line"] path');
  assert.ok((await lines.count()) > 30);
  for (const d of await lines.evaluateAll((paths) => paths.map((p) => p.getAttribute("d")))) {
    // Straight segments (M, L) only; a point standing alone between gaps is `M…Z`.
    assert.match(d, /^(M[\d.,\-]+(L[\d.,\-]+)*Z?)+$/, `a line drawn with only M and L commands: ${d}`);
  }
  // October is still running at the sample's as-of (2026-10-31 22:25): New Leads
  // continues dashed to its forecast, a count of at least the 119 so far.
  const forecast = kpi("new_leads").locator('g[aria-description="forecast"]');
  assert.equal(await forecast.getAttribute("stroke-dasharray"), "2,3");
  assert.match(await forecast.locator("path").getAttribute("d"), /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
  const title = await kpi("new_leads").locator("svg title").filter({ hasText: "forecast" }).textContent();
  const projected = Number(/2026-10: ([\d,]+) forecast/.exec(title)[1].replace(/,/g, ""));
  assert.ok(projected >= NEW_LEADS_2026_10, `forecast ${projected}`);
  // A maturing cohort is keyed in the chart.
  await kpi("conversion_rate").locator("svg text").filter({ hasText: "maturing" }).waitFor();

  // A target (configured) is a labelled rule across the chart.
  await page.getByText("Configuration", { exact: true }).click();
  await page.getByLabel("Configuration JSON").fill('{"kpis": {"new_leads": {"target": 150}}}');
  await page.getByRole("button", { name: "Apply configuration" }).click();
  await page.locator("#config-message.ok").waitFor();
  const rule = kpi("new_leads").locator('g[aria-description="target"] line');
  await rule.waitFor({ state: "attached" }); // a horizontal line has no height: never "visible"
  const [x1, x2, y1, y2] = await rule.evaluate((l) => ["x1", "x2", "y1", "y2"].map((a) => Number(l.getAttribute(a) ?? 0)));
  assert.equal(y1, y2, "the target rule is horizontal");
  assert.ok(x2 - x1 > 200, `the target rule spans the chart (${x1}–${x2})`);
  await kpi("new_leads").locator("svg text").filter({ hasText: "target 150" }).waitFor();
  assert.deepEqual(problems, []);
});

test("the print layout is the report alone, dark on white, charts within the page", async () => {
  await trySample();
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  const path = join(tmpdir(), "kpidash-print.png");
  const shot = await page.screenshot({ path, fullPage: true });
  assert.ok(shot.length > 10_000, "a screenshot of the print layout");
  assert.equal(await page.locator("button:not(.kpi-link):visible, select:visible, textarea:visible, input:visible").count(), 0, "no controls in print");
  // KPI names are buttons that open the definition: in print they are the
  // tables' and cards' labels, and stay.
  assert.ok(await page.locator("#summary button.kpi-link:visible").count() > 0, "KPI names in print");
  for (const hidden of ["#dropzone", "#report-controls", "#config", "#files", ".export-bar"]) {
    assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not printed`);
  }
  assert.equal(await page.locator("html").evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 255, 255)");
  assert.equal(await kpi("new_leads").locator(".kpi-value").evaluate((el) => getComputedStyle(el).color), "rgb(17, 17, 17)");
  // Sections after the first start on a new page.
  const breaks = await page.locator("#report > section").evaluateAll((sections) => sections.map((s) => getComputedStyle(s).breakBefore));
  assert.ok(breaks.length >= 2);
  assert.deepEqual(breaks.slice(1), breaks.slice(1).map(() => "page"));
  const pageWidth = await page.locator("main").evaluate((m) => m.getBoundingClientRect().width);
  for (const width of await page.locator("#report .chart svg").evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().width))) {
    assert.ok(width <= pageWidth, `a chart ${width}px wide on a ${pageWidth}px page`);
  }
  await page.emulateMedia({ media: "screen" });
  assert.ok(await page.getByRole("button", { name: "KPI table (CSV)" }).isVisible());
  assert.deepEqual(problems, []);
});

test("the report downloads as Markdown, or says the engine cannot write it yet", async () => {
  await trySample();
  const engineWritesMarkdown = readFileSync(new URL("../../pkg/kpidash.d.ts", import.meta.url), "utf8").includes("markdown(");
  const button = page.getByRole("button", { name: "Report (Markdown)" });
  if (engineWritesMarkdown) {
    const md = await download(button);
    assert.equal(md.name, "kpidash-2026-10-month-review.md");
    assert.match(md.bytes.toString("utf8"), /^#/m);
  } else {
    await button.click();
    await page.locator(".export-message").filter({ hasText: "cannot write the Markdown report yet" }).waitFor();
  }
  assert.deepEqual(problems, []);
});

test("the Weekly view leads with budget pacing, by channel and by campaign", async () => {
  await trySample();
  await page.locator("#report-controls").getByRole("button", { name: "Weekly", exact: true }).click();
  const pacing = page.locator("#pacing section.pacing");
  await pacing.waitFor();
  // The sample's data ends on Saturday 31 October 2026 at 22:25:48.29 UTC:
  // week 44 (Monday 26 October to Sunday 1 November) is the running week.
  assert.equal(await pacing.locator("h3").innerText(), "Budget pacing, week 44 of 2026");
  // Paid social, summed from spend.csv and budget.csv without kpidash:
  // spend 26–31 October 931.82; October's budget 3,600 spread over its 31
  // days, six of them to date: 3600 × 6 / 31 = 696.77; the sample has no
  // November budget, so the week's whole budget is the same and 931.82 −
  // 696.77 = 235.05 is over; 931.82 / 696.77 = 133.7%.
  const row = pacing.locator('table[data-dimension="channel"] tr[data-segment="paid_social"]');
  const cells = await row.locator("th, td").allInnerTexts();
  assert.deepEqual([...cells.slice(0, 4), ...cells.slice(5)], ["paid_social", "$931.82", "$696.77", "-$235.05", "133.7%", "off track"]);
  // Projected: the spend at its run rate to the week's end; 5 days 22:25:48
  // of the week's 7 have passed.
  const elapsed = (5 * 86400 + 22 * 3600 + 25 * 60 + 48.29) / (7 * 86400);
  const projected = Number(cells[4].replace(/[$,]/g, ""));
  assert.ok(Math.abs(projected - 931.82 / elapsed) < 0.01, `projected ${projected}`);
  assert.ok((await pacing.locator('table[data-dimension="campaign"] tbody tr').count()) >= 2);
  assert.deepEqual(problems, []);
});

test("a budget typed in the page stands in for a budget file, and is kept", async () => {
  await trySample();
  // With budget.csv loaded the editor only says the file's budget is used.
  await page.getByText("A budget file is loaded").waitFor();
  await page.getByRole("button", { name: "Remove budget.csv" }).click();
  await page.locator('.unavailable li[data-kpi="budget_pacing"]').waitFor();

  await page.getByText(/^Budget typed in/).click();
  await page.getByRole("button", { name: "Add a row" }).click();
  const row = page.locator("table.budget-rows tbody tr").last();
  await row.getByLabel("month").fill("2026-10");
  await row.getByLabel("channel").fill("paid_social");
  await row.getByLabel("budget").fill("3600");
  await page.getByRole("button", { name: "Save budget" }).click();
  await page.locator(".budget-message.ok").waitFor();
  assert.match(await page.getByLabel("Configuration JSON").inputValue(), /"budget": \[\s*\{\s*"month": "2026-10",\s*"channel": "paid_social",\s*"budget": 3600/);

  // Budget pacing is computed again, from the typed-in budget alone.
  const pacing = page.locator('li.kpi[data-kpi="budget_pacing"] .kpi-value');
  await pacing.waitFor();
  assert.equal(await pacing.getAttribute("data-period"), "2026-10");

  // A row the engine would refuse is not saved.
  await page.getByRole("button", { name: "Add a row" }).click();
  await page.locator("table.budget-rows tbody tr").last().getByLabel("budget").fill("10");
  await page.getByRole("button", { name: "Save budget" }).click();
  assert.match(await page.locator(".budget-message.error").innerText(), /month must be like 2026-05/);

  // The budget is saved with the configuration: it is there after a reload.
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  await page.getByText(/^Budget typed in \(1 row\)$/).waitFor();
  assert.deepEqual(problems, []);
});
