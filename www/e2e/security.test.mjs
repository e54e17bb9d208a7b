// The page locked down (docs/privacy.md): its Content-Security-Policy as
// shipped, no policy violation through a whole use of the page, no request
// off the page's origin and none with a body, the report working with the
// network switched off after load, the offline file working with no network
// at all, and subresource integrity refusing a changed script.
//
//   node --test --test-concurrency=1 www/e2e/        (after scripts/build)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "./serve.mjs";
import { builds, launchChromium } from "./harness.mjs";

const offlineFile = join(builds.page, "kpidash-offline.html");
let server, browser;

before(async () => {
  assert.ok(existsSync(offlineFile), "www/dist is missing: run scripts/build first");
  server = await serve(builds.page);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The Content-Security-Policy <meta> of a built HTML file, as directive → sources. */
function policyOf(file) {
  const html = readFileSync(file, "utf8");
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  assert.ok(m, `${file}: no Content-Security-Policy`);
  return Object.fromEntries(m[1].split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

const sha256 = (text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/**
 * A fresh context and page that record every request (URL, method, body),
 * every page and console error, and every `securitypolicyviolation` event
 * of the page (window.cspViolations).
 */
async function open({ offline = false } = {}) {
  const context = await browser.newContext({ timezoneId: "UTC", locale: "en-US", serviceWorkers: "block", acceptDownloads: true, viewport: { width: 1280, height: 900 }, offline });
  context.setDefaultTimeout(30_000);
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  const requests = [];
  const problems = [];
  context.on("request", (r) => requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() }));
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  return { context, page, requests, problems };
}

/** Checks what a page did: no violation, no error, nothing sent anywhere
 * (`origin` null: a file:// page, whose own file is its only home). */
async function assertLockedDown({ page, requests, problems }, origin) {
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], "Content-Security-Policy violations");
  assert.deepEqual(problems, []);
  const away = requests.filter((r) => !/^(data|blob):/.test(r.url) && (origin === null ? !r.url.startsWith("file:") : new URL(r.url).origin !== origin));
  assert.deepEqual(away.map((r) => r.url), [], "requests off the page's origin");
  const sent = requests.filter((r) => r.method !== "GET" || (r.body !== null && r.body.length > 0));
  assert.deepEqual(sent.map((r) => `${r.method} ${r.url}`), [], "requests with a body (or not GET)");
}

async function trySample(page) {
  await page.getByRole("button", { name: "Try sample data" }).click();
  await page.getByRole("status").filter({ hasText: "Loaded 9 files." }).waitFor();
  await page.locator("#summary li.headline").first().waitFor();
  await page.locator("#report-busy").waitFor({ state: "hidden" });
}

/** Opens every closed <details> a person can see in the report and the configuration, outer ones first, until none is left. */
async function openEverySection(page) {
  const closed = page.locator(":is(#report, #config) details:not([open]) > summary:visible");
  for (let clicks = 0; clicks < 500 && (await closed.count()) > 0; clicks++) await closed.first().click();
  assert.equal(await closed.count(), 0, "sections left closed");
}

async function download(page, button) {
  await page.waitForTimeout(250);
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return file.suggestedFilename();
}

test("the served page and the offline file ship the policy as documented", () => {
  const page = policyOf(join(builds.page, "index.html"));
  const redirect = /<script id="file-redirect">([\s\S]*?)<\/script>/.exec(readFileSync(join(builds.page, "index.html"), "utf8"))[1];
  assert.deepEqual(page, {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'", sha256(redirect)],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "worker-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
  });

  const html = readFileSync(offlineFile, "utf8");
  const script = /<script type="module">([\s\S]*?)<\/script>/.exec(html)[1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)[1];
  assert.deepEqual(policyOf(offlineFile), {
    "default-src": ["'none'"],
    "script-src": ["'wasm-unsafe-eval'", sha256(script)],
    "style-src": [sha256(style)],
    "img-src": ["data:"],
    "worker-src": ["blob:"],
    "connect-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
  });
  for (const policy of [page, policyOf(offlineFile)]) {
    for (const sources of Object.values(policy)) {
      assert.ok(!sources.includes("'unsafe-inline'") && !sources.includes("'unsafe-eval'"), sources.join(" "));
    }
  }
});

test("every script and stylesheet the page links carries its own integrity", () => {
  const html = readFileSync(join(builds.page, "index.html"), "utf8");
  const tags = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="\.\/(assets\/[^"]+)"[^>]*>/g)];
  assert.ok(tags.length >= 2, `${tags.length} linked assets`);
  for (const [tag, path] of tags) {
    const expected = `sha384-${createHash("sha384").update(readFileSync(join(builds.page, path))).digest("base64")}`;
    assert.equal(/integrity="([^"]+)"/.exec(tag)?.[1], expected, path);
  }
});

test("a whole use of the page: no policy violation, nothing sent anywhere", async () => {
  const session = await open();
  const { page, context } = session;
  try {
    await page.goto(server.url);
    await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
    await trySample(page);
    await openEverySection(page);
    // Every section: the review's six and the configuration.
    for (const id of ["summary", "trends", "findings", "segments", "stages", "actions"]) await page.locator(`#${id}`).waitFor();
    const controls = page.locator("#report-controls");
    for (const cadence of ["Weekly", "Monthly", "Quarterly"]) {
      await controls.getByRole("button", { name: cadence, exact: true }).click();
      await page.locator(`#summary .cadence-lead[data-cadence="${cadence.toLowerCase()}"]`).waitFor();
      await page.locator("#report-busy").waitFor({ state: "hidden" });
    }
    await page.getByLabel("Break down by").selectOption("channel");
    await page.locator("#report-busy").waitFor({ state: "hidden" });
    await page.locator("#findings").getByRole("button", { name: "Add to actions" }).first().click();
    await page.locator("#actions li.action").first().waitFor();
    await page.getByText(/^The KPI table \(\d+ rows\)$/).click();
    assert.match(await download(page, page.getByRole("button", { name: "KPI table (CSV)" })), /-kpis\.csv$/);
    const chart = page.locator("li.kpi .chart-downloads").first();
    assert.match(await download(page, chart.getByRole("button", { name: "SVG" })), /\.svg$/);
    assert.match(await download(page, chart.getByRole("button", { name: "PNG" })), /\.png$/);
    const markdown = page.getByRole("button", { name: "Report (Markdown)" });
    if (await markdown.isEnabled()) assert.match(await download(page, markdown), /\.md$/);
    // Charts were drawn: Plot's <style> was dropped, its rules still apply.
    const charts = page.locator("#report svg.plot-d6a7b5");
    assert.ok((await charts.count()) >= 30, `${await charts.count()} charts`);
    assert.equal(await page.locator("#report svg style").count(), 0);
    assert.equal(await charts.first().evaluate((svg) => getComputedStyle(svg).display), "block");
    await assertLockedDown(session, new URL(server.url).origin);
    assert.ok(session.requests.some((r) => /\/assets\/kpidash_bg-[^/]+\.wasm$/.test(r.url)), "the worker's fetch of the .wasm is among the requests seen");
    // What it keeps (docs/privacy.md): two localStorage keys, no cookie, no other store.
    const kept = await page.evaluate(async () => ({
      localStorage: Object.keys(localStorage).sort(),
      sessionStorage: sessionStorage.length,
      cookie: document.cookie,
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
    }));
    assert.deepEqual(kept, { localStorage: ["kpidash.config", "kpidash.report-options"], sessionStorage: 0, cookie: "", indexedDB: [], caches: [] });
    assert.deepEqual(await context.cookies(), []);
    // The listener hears what the policy refuses: an inline style is one violation.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement("style"), { textContent: "p { color: red }" })));
    await page.waitForTimeout(100);
    assert.deepEqual(await page.evaluate(() => window.cspViolations.map((v) => v.split(":")[0])), ["style-src-elem"]);
  } finally {
    await context.close();
  }
});

test("with the network switched off after load, files still load and the report follows", async () => {
  const session = await open();
  const { page, context } = session;
  try {
    await page.goto(server.url);
    await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
    await trySample(page);
    await context.setOffline(true);
    const before = session.requests.length;
    await page.getByLabel("Break down by").selectOption("channel");
    await page.locator("#report-busy").waitFor({ state: "hidden" });
    await page.locator("#report-controls").getByRole("button", { name: "Quarterly", exact: true }).click();
    await page.locator('#summary .cadence-lead[data-cadence="quarterly"]').waitFor();
    await page.locator("#report-busy").waitFor({ state: "hidden" });
    // A file picked while offline is read by the engine like any other.
    const csv = "date,channel,cost\n2026-01-01,search,10\n2026-01-02,search,20\n";
    await page.locator("#picker").setInputFiles({ name: "offline-spend.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.locator('li.card[data-file="offline-spend.csv"] .rows').filter({ hasText: "2 rows" }).waitFor();
    await page.locator("#report-busy").waitFor({ state: "hidden" });
    await page.locator("#summary li.headline").first().waitFor();
    assert.deepEqual(session.requests.slice(before).filter((r) => !/^(data|blob):/.test(r.url)).map((r) => r.url), [], "requests while offline");
    await assertLockedDown(session, new URL(server.url).origin);
  } finally {
    await context.close();
  }
});

test("the offline file works with no network at all, within its policy", async () => {
  const session = await open({ offline: true });
  const { page, context } = session;
  try {
    await page.goto(pathToFileURL(offlineFile).href);
    await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
    await trySample(page);
    await openEverySection(page);
    await page.locator("#report-controls").getByRole("button", { name: "Weekly", exact: true }).click();
    await page.locator('#summary .cadence-lead[data-cadence="weekly"]').waitFor();
    await page.locator("#report-busy").waitFor({ state: "hidden" });
    const files = session.requests.filter((r) => r.url.startsWith("file:")).map((r) => r.url);
    assert.deepEqual(files, [pathToFileURL(offlineFile).href], "the file itself is all it reads");
    await assertLockedDown(session, null);
    assert.deepEqual(session.requests.filter((r) => !/^(file|data|blob):/.test(r.url)), []);
  } finally {
    await context.close();
  }
});

test("a script changed on the server is refused (subresource integrity)", async () => {
  const session = await open();
  const { page, context } = session;
  try {
    await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${await response.text()}\n// changed` });
    });
    await page.goto(server.url);
    await page.waitForTimeout(1000);
    assert.equal(await page.locator("#version").textContent(), "kpidash", "the page's script did not run");
    assert.ok(session.problems.some((p) => /integrity/i.test(p)), session.problems.join("\n"));
  } finally {
    await context.close();
  }
});
