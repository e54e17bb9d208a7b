// Browser tests of the review on the page with the test hooks
// (target/www-e2e): the six sections in order, the headline cards against
// the result document, a finding turned into an action item that survives a
// reload, a target edit that changes the status, the cadence buttons.
//
// The page with hooks keeps every document it renders as
// `window.simulateSeen`, so the tests compare what the page shows with the
// engine's own document (its `review`, docs/review.md).
//
//   node --test --test-concurrency=1 www/e2e/        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium, openPage } from "./harness.mjs";

let server, browser, context, page;
let requests, problems;

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
  ({ context, page, requests, problems } = await openPage(browser, { width: 1280 }));
  await page.goto(server.url);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
});

afterEach(async () => {
  assert.deepEqual(foreignRequests(requests, server.url), [], "requests to other hosts");
  await context.close();
});

/** The document the page rendered last. */
const seen = () => page.evaluate(() => window.simulateSeen);

async function trySample() {
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.getByRole("status").filter({ hasText: "Loaded 9 files." }).waitFor();
  await page.locator("#summary li.headline").first().waitFor();
  await page.locator("#report-busy").waitFor({ state: "hidden" });
}

/** Waits until the page rendered a document for which `check` holds, and returns it. */
async function seenWhen(check) {
  for (let i = 0; i < 100; i++) {
    const doc = await seen();
    if (doc && check(doc)) {
      await page.locator("#report-busy").waitFor({ state: "hidden" });
      return doc;
    }
    await page.waitForTimeout(100);
  }
  throw new Error("the page did not render the expected report");
}

/** A KPI value as a person reads it, written here apart from the page's
 * format.ts: rates as percents with one decimal, counts with thousands
 * separators, amounts with two decimals. */
function shown(value, unit) {
  if (value === null) return "–";
  const en = (n, min, max) => n.toLocaleString("en-US", { minimumFractionDigits: min, maximumFractionDigits: max });
  switch (unit) {
    case "rate": return `${en(value * 100, 1, 1)}%`;
    case "count": return en(value, 0, 0);
    case "currency": return en(value, 2, 2);
    case "score": return en(value, 0, 1);
    case "multiple": return `${en(value, 0, 2)}×`;
    case "months": return `${en(value, 0, 1)} months`;
    default: return null; // not checked here
  }
}

test("the report is the review's six sections, in order, each with its heading", async () => {
  await trySample();
  const sections = await page.locator("#report > section.review-section").evaluateAll((all) =>
    all.map((s) => ({ id: s.id, heading: s.querySelector(":scope > h3")?.textContent })),
  );
  assert.deepEqual(sections, [
    { id: "summary", heading: "Executive summary" },
    { id: "trends", heading: "Key metrics with trends" },
    { id: "stages", heading: "Deep dives by funnel stage" },
    { id: "segments", heading: "ICP / segment analysis" },
    { id: "findings", heading: "Opportunities & risks" },
    { id: "actions", heading: "Action items & next steps" },
  ]);
  // The stages in the funnel's order, each with leading and lagging KPIs.
  const stages = await page.locator("#stages section.stage").evaluateAll((all) => all.map((s) => s.dataset.stage));
  assert.deepEqual(stages, ["awareness", "engagement", "conversion", "retention", "expansion"]);
  await page.locator('#stages section.stage[data-stage="conversion"] [data-indicator="lagging"] li[data-kpi="conversion_rate"]').waitFor();
  // The funnel: one bar per step of Drop-off Rate, with its drop-off.
  const doc = await seen();
  const funnel = page.locator("#stages figure.funnel");
  const period = await funnel.getAttribute("data-period");
  const steps = doc.kpis.find((k) => k.id === "drop_off_rate").points.filter((p) => p.period === period && p.segment === null && p.step !== null);
  assert.ok(steps.length >= 2, `funnel steps in ${period}`);
  const bars = await funnel.locator("li[data-step]").evaluateAll((all) => all.map((li) => [li.querySelector(".funnel-bar").textContent, li.querySelector(".funnel-drop").textContent]));
  assert.deepEqual(bars, [
    [steps[0].denominator.toLocaleString("en-US"), ""],
    ...steps.map((p) => [(p.denominator - p.numerator).toLocaleString("en-US"), `${shown(p.value, "rate")} lost before it`]),
  ]);
  // Every other KPI is one click away, under Diagnostics.
  assert.equal(await page.locator("#diagnostics").getAttribute("open"), null);
  await page.locator("#diagnostics > summary").click();
  await page.locator('#diagnostics li.kpi[data-kpi="new_leads"]').waitFor();
  await page.screenshot({ path: "/tmp/kpidash-review.png", fullPage: true });
  assert.deepEqual(problems, []);
});

test("the headline cards show the result document's review.headlines", async () => {
  await trySample();
  const doc = await seen();
  const review = doc.review;
  assert.ok(review.headlines.length >= 5, "a headline per top KPI");
  assert.equal(await page.locator("#summary .review-period strong").getAttribute("data-period"), review.period);
  const cards = page.locator("#summary li.headline");
  assert.deepEqual(await cards.evaluateAll((all) => all.map((li) => li.dataset.kpi)), review.headlines.map((hl) => hl.kpi), "one card per headline, in the review's order");
  const units = new Map(doc.kpis.map((k) => [k.id, k.unit]));
  let checked = 0;
  for (const hl of review.headlines) {
    const card = page.locator(`#summary li.headline[data-kpi="${hl.kpi}"]`);
    if (!hl.available) {
      assert.match(await card.locator(".reason").innerText(), /Not available/);
      continue;
    }
    const value = card.locator(".headline-value");
    assert.equal(await value.getAttribute("data-period"), hl.period, `${hl.kpi}: period`);
    const expected = shown(hl.value, units.get(hl.kpi));
    if (expected !== null) {
      assert.equal((await value.innerText()).trim(), expected, `${hl.kpi}: value`);
      checked++;
    }
    const change = card.locator(".vs-previous");
    if (hl.change !== null && hl.change !== 0) {
      const words = `${hl.change > 0 ? "up" : "down"} ${(Math.abs(hl.change) * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
      assert.match(await change.innerText(), new RegExp(words.replace(".", "\\.")), `${hl.kpi}: change`);
    }
    assert.match(await change.innerText(), new RegExp(`vs ${hl.previous_period}$|no value for ${hl.previous_period}|nothing to compare`), `${hl.kpi}: compared with`);
    const yearAgo = (await card.locator(".vs-year-ago").innerText()).trim();
    if (hl.year_ago_change === null) assert.ok(yearAgo === `no value for ${hl.year_ago_period}` || yearAgo === "nothing to compare with", `${hl.kpi}: ${yearAgo}`);
    else assert.match(yearAgo, new RegExp(`${(Math.abs(hl.year_ago_change) * 100).toLocaleString("en-US", { maximumFractionDigits: 1 }).replace(".", "\\.")}% vs ${hl.year_ago_period}$`));
    assert.equal(await card.getAttribute("data-status"), hl.status ?? "none", `${hl.kpi}: status`);
    if (hl.maturing) assert.equal((await card.locator(".so-far-value").innerText()).trim(), shown(hl.maturing.value, units.get(hl.kpi)));
  }
  assert.ok(checked >= 5, `values checked: ${checked}`);
  for (const sentence of review.summary) await page.locator("#summary .review-sentences li", { hasText: sentence }).waitFor();
  assert.deepEqual(problems, []);
});

test("a finding becomes an action item in one click, and it survives a reload", async () => {
  await trySample();
  const doc = await seen();
  assert.ok(doc.review.findings.length > 0, "the sample has findings");
  const ranked = await page.locator("#findings li.finding").evaluateAll((all) => all.map((li) => li.dataset.finding));
  assert.deepEqual(ranked, doc.review.findings.map((f) => f.id), "the findings as the engine ranks them");
  const finding = doc.review.findings[0];
  const item = page.locator(`#findings li.finding[data-finding="${finding.id}"]`);
  // It opens its KPI's chart.
  await item.locator("details.finding-chart > summary").click();
  await item.locator("details.finding-chart svg").waitFor();
  await item.getByRole("button", { name: "Add to actions" }).click();
  const action = page.locator(`#actions li.action[data-finding="${finding.id}"]`);
  await action.waitFor();
  assert.equal(await action.locator(".action-text").inputValue(), finding.sentence);
  assert.equal(await action.locator(".action-kpi").inputValue(), finding.kpi ?? "");
  await item.getByRole("button", { name: "In the action items" }).waitFor();
  // An owner and a due date, saved as they are typed.
  await action.getByLabel("Owner").fill("Dana");
  await action.getByLabel("Owner").press("Tab");
  await action.getByLabel("Due").fill("2026-12-15");
  await action.getByLabel("Due").press("Tab");
  await page.waitForFunction(() => /"due": "2026-12-15"/.test(document.querySelector("#config-text")?.value ?? ""));

  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  // Saved with the configuration…
  const config = JSON.parse(await page.getByLabel("Configuration JSON").inputValue());
  assert.deepEqual(config.actions, [{ id: config.actions[0].id, text: finding.sentence, owner: "Dana", due: "2026-12-15", ...(finding.kpi ? { kpi: finding.kpi } : {}), finding: finding.id, status: "open", created: doc.review.period }]);
  // …and listed with the next report, the engine having taken it.
  await trySample();
  const again = page.locator(`#actions li.action[data-finding="${finding.id}"]`);
  await again.waitFor();
  assert.equal(await again.getByLabel("Owner").inputValue(), "Dana");
  // Done, it moves under "Done" and stays.
  await again.locator(".action-done").check();
  await page.locator("#actions details.done-actions > summary", { hasText: "Done (1)" }).click();
  await page.locator('#actions details.done-actions li.action[data-status="done"]').waitFor();
  assert.equal(await page.locator('#actions ul[aria-label="Open action items"] li.action').count(), 0);
  assert.deepEqual(problems, []);
});

test("editing a target in the glossary changes the headline's status", async () => {
  await trySample();
  const card = page.locator('#summary li.headline[data-kpi="conversion_rate"]');
  const value = (await seen()).review.headlines.find((hl) => hl.kpi === "conversion_rate").value;
  assert.ok(value > 0 && value < 0.5, `conversion rate ${value}`);

  // A target below the value (higher is better): on track.
  await card.getByRole("button", { name: "Conversion Rate" }).click();
  const dialog = page.locator("dialog#glossary");
  await dialog.locator('[data-field="formula"]').filter({ hasText: /customer/ }).waitFor();
  assert.match(await dialog.locator('[data-field="stage"]').innerText(), /conversion/);
  assert.equal((await dialog.locator('[data-field="indicator"]').innerText()).trim(), "lagging");
  await dialog.getByLabel("Owner", { exact: true }).fill("Dana");
  await dialog.getByLabel(/Target per month/).fill(String(value / 2));
  await dialog.getByRole("button", { name: "Save owner and target" }).click();
  await seenWhen((d) => d.kpis.find((k) => k.id === "conversion_rate").target === value / 2);
  assert.equal(await card.getAttribute("data-status"), "on_track");

  // Above it: off track, and the configuration says so.
  await dialog.getByLabel(/Target per month/).fill(String(value * 2));
  await dialog.getByRole("button", { name: "Save owner and target" }).click();
  await seenWhen((d) => d.kpis.find((k) => k.id === "conversion_rate").target === value * 2);
  assert.equal(await card.getAttribute("data-status"), "off_track");
  await dialog.getByRole("button", { name: "Close" }).click();
  const config = JSON.parse(await page.getByLabel("Configuration JSON").inputValue());
  assert.deepEqual(config.targets, { conversion_rate: { month: value * 2 } });
  assert.deepEqual(config.kpis, { conversion_rate: { owner: "Dana" } });
  assert.equal((await seen()).kpis.find((k) => k.id === "conversion_rate").owner, "Dana");
  assert.deepEqual(problems, []);
});

test("the cadence buttons set grain and breakdown, and the choice is kept", async () => {
  await trySample();
  const cadence = (name) => page.locator("#report-controls").getByRole("button", { name, exact: true });
  for (const [name, grain, by] of [["Weekly", "week", "campaign"], ["Monthly", "month", "channel"], ["Quarterly", "quarter", "segment"]]) {
    await cadence(name).click();
    const doc = await seenWhen((d) => d.grain === grain && d.by === by);
    assert.equal(doc.review.grain, grain);
    assert.equal(await page.getByLabel("Period", { exact: true }).inputValue(), grain);
    assert.equal(await page.getByLabel("Break down by").inputValue(), by);
    assert.equal(await cadence(name).getAttribute("aria-pressed"), "true");
    await page.locator(`#summary .cadence-lead[data-cadence="${name.toLowerCase()}"]`).waitFor();
  }
  // Weekly leads with the pacing table's place and the funnel metrics.
  await cadence("Weekly").click();
  await seenWhen((d) => d.grain === "week");
  await page.locator("#summary .cadence-lead #pacing").waitFor();
  await page.locator('#summary .cadence-lead table.lead-table tr[data-kpi="conversion_rate"]').waitFor();
  // Monthly: acquisition cost by channel leads.
  await cadence("Monthly").click();
  await seenWhen((d) => d.grain === "month" && d.by === "channel");
  const lead = page.locator('#summary .cadence-lead table.lead-table tr[data-kpi="customer_acquisition_cost"]');
  await lead.waitFor();
  const doc = await seen();
  const cac = doc.kpis.find((k) => k.id === "customer_acquisition_cost");
  const at = (await lead.locator("td").first().innerText()).trim();
  const total = cac.points.find((p) => p.period === at && p.segment === null && p.step === null);
  assert.equal((await lead.locator("td").nth(1).innerText()).trim(), shown(total.value, "currency"));
  // Choosing a grain by hand leaves the cadence.
  await page.getByLabel("Period", { exact: true }).selectOption("quarter");
  await seenWhen((d) => d.grain === "quarter" && d.by === "channel");
  assert.equal(await cadence("Monthly").getAttribute("aria-pressed"), "false");
  await cadence("Quarterly").click();
  await seenWhen((d) => d.grain === "quarter" && d.by === "segment");
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  assert.equal(await cadence("Quarterly").getAttribute("aria-pressed"), "true");
  assert.equal(await page.getByLabel("Break down by").inputValue(), "segment");
  assert.deepEqual(problems, []);
});

test("the segments section compares each segment with the rest, and its chooser sets the breakdown", async () => {
  await trySample();
  await page.getByLabel("Compare segments of").selectOption("channel");
  const doc = await seenWhen((d) => d.by === "channel");
  const row = page.locator('#segments table.segment-matrix tr[data-kpi="conversion_rate"]');
  await row.waitFor();
  const period = await row.getAttribute("data-period");
  const kpi = doc.kpis.find((k) => k.id === "conversion_rate");
  const at = (segment) => kpi.points.find((p) => p.period === period && p.segment === segment && p.step === null);
  const cell = row.locator('td[data-segment="paid_search"]');
  // The rest of the channels: the total without paid search, from the counts.
  const t = at(null), s = at("paid_search");
  const rest = (t.numerator - s.numerator) / (t.denominator - s.denominator);
  assert.ok(Math.abs(Number(await cell.getAttribute("data-rest")) - rest) < 1e-12);
  assert.match(await cell.innerText(), new RegExp(`rest ${shown(rest, "rate").replace(".", "\\.")}`));
  // Activation Rate by source (people's source is their channel).
  await page.locator('#segments .activation-by-source tr[data-segment="paid_search"]').waitFor();
  assert.equal(await page.getByLabel("Break down by").inputValue(), "channel");
  assert.deepEqual(problems, []);
});

test("the review period can be chosen among the review's periods, and a grain change goes back to the latest", async () => {
  await trySample();
  const first = await seen();
  const chooser = page.getByLabel("Review", { exact: true });
  const offered = await chooser.locator("option").evaluateAll((all) => all.map((o) => o.value));
  assert.deepEqual(offered, ["", ...[...first.review.periods].reverse()], "the default, then the periods newest first");
  await chooser.selectOption("2026-05");
  const doc = await seenWhen((d) => d.review.period === "2026-05");
  assert.equal(doc.review.label, "May 2026");
  await page.locator('#summary .review-period strong[data-period="2026-05"]').filter({ hasText: "May 2026" }).waitFor();
  // The headlines are May's: the value of a count is its May total.
  const leads = doc.kpis.find((k) => k.id === "content_engagement");
  const may = leads.points.find((p) => p.period === "2026-05" && p.segment === null && p.step === null);
  const card = page.locator('#summary li.headline[data-kpi="content_engagement"] .headline-value');
  assert.equal(await card.getAttribute("data-period"), "2026-05");
  assert.equal((await card.innerText()).trim(), shown(may.value, "count"));
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  await trySample();
  assert.equal((await seen()).review.period, "2026-05", "the chosen period is kept");
  await page.getByLabel("Period", { exact: true }).selectOption("quarter");
  const quarter = await seenWhen((d) => d.grain === "quarter");
  assert.equal(await chooser.inputValue(), "");
  assert.match(quarter.review.period, /^\d{4}-Q\d$/);

  // A period kept from other files falls back to the latest, and says so.
  await page.evaluate(() => localStorage.setItem("kpidash.report-options", JSON.stringify({ grain: "month", by: "", asOf: "", tz: "+00:00", cadence: "", period: "2020-01" })));
  await page.reload();
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.getByRole("status").filter({ hasText: "The review period 2020-01 is not one of these files' periods" }).waitFor();
  const latest = await seenWhen((d) => d.grain === "month");
  assert.equal(latest.review.period, first.review.period);
  assert.equal(await chooser.inputValue(), "");
  assert.deepEqual(problems, []);
});
