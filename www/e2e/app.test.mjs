// Browser tests of the built page (www/dist) in headless Chromium, as a
// person uses it: add files, try the sample, survive a broken file, and never
// talk to another host.
//
//   node --test www/e2e/        (after scripts/build)
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { builds, foreignRequests, launchChromium, openPage } from "./harness.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const sample = here("../public/sample/");
const manifest = JSON.parse(readFileSync(sample + "manifest.json", "utf8"));
const rowsOf = (file) => manifest.files.find((f) => f.file === file).rows;
const fmt = (n) => `${n.toLocaleString("en-US")} rows`;


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
  ({ context, page, requests, problems } = await openPage(browser, { width: 1100 }));
  await page.goto(server.url);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor(); // engine ready
});

afterEach(async () => {
  // Nothing may leave the machine: every request goes to the page's own origin.
  assert.deepEqual(foreignRequests(requests, server.url, hooked.url), [], "requests to other hosts");
  assert.ok(requests.some((u) => u.endsWith(".wasm")), "the .wasm was fetched from the site itself");
  await context.close();
});

const card = (name) => page.locator(`li.card[data-file="${name}"]`);

/** Opens the page again (on `on`: the page with test hooks for a query
 * that uses them), recording the op and file name of every message the page
 * posts to the worker in `window.sentToWorker`. */
async function openRecordingWorkerMessages(query = "", on = server) {
  await page.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    window.sentToWorker = [];
    Worker.prototype.postMessage = function (message, transfer) {
      window.sentToWorker.push({ op: message?.op, name: message?.name });
      return post.call(this, message, transfer);
    };
  });
  await page.goto(on.url + query);
  await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();
}
const sentToWorker = () => page.evaluate(() => window.sentToWorker);

/** Drops files on the drop zone the way a browser does (DataTransfer). */
async function drop(files) {
  const payload = files.map(({ name, bytes }) => ({ name, data: Array.from(bytes) }));
  await page.locator("#dropzone").evaluate((zone, items) => {
    const dt = new DataTransfer();
    for (const { name, data } of items) dt.items.add(new File([new Uint8Array(data)], name));
    for (const type of ["dragenter", "dragover", "drop"]) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, payload);
}

test("a dropped CSV and a picked LZ4 Arrow file show their row counts", async () => {
  await drop([{ name: "spend.csv", bytes: readFileSync(sample + "spend.csv") }]);
  await page.locator("#picker").setInputFiles(sample + "people.arrow");

  await card("spend.csv").locator(".rows").filter({ hasText: fmt(rowsOf("spend.csv")) }).waitFor();
  await card("people.arrow").locator(".rows").filter({ hasText: fmt(rowsOf("people.arrow")) }).waitFor();
  assert.equal(await card("people.arrow").getAttribute("data-kind"), "people");
  assert.equal(await card("spend.csv").getAttribute("data-kind"), "spend");

  // The column list names roles and types.
  await card("people.arrow").locator("summary").click();
  const createdRow = card("people.arrow").locator("tr", { hasText: "created_at" }).first();
  await createdRow.waitFor();
  assert.match(await createdRow.innerText(), /created_at\s+created_at\s+.*(time|date)/i);
  assert.deepEqual(problems, []);
});

test("Try sample data lists every table kind", async () => {
  await page.getByRole("button", { name: "Try sample data" }).click();
  for (const kind of ["people", "events", "spend", "revenue", "series", "survey", "accounts", "budget", "deals"]) {
    await page.locator(`li.card[data-state="loaded"][data-kind="${kind}"]`).first().waitFor();
  }
  for (const f of manifest.files) {
    await card(f.file).locator(".rows").filter({ hasText: fmt(f.rows) }).waitFor();
  }
  await page.getByRole("status").filter({ hasText: `Loaded ${manifest.files.length} files.` }).waitFor();
  await page.screenshot({ path: "/tmp/kpidash-sample.png", fullPage: true });
  assert.deepEqual(problems, []);
});

test("a corrupt file shows an error naming it, and the page keeps working", async () => {
  const junk = new Uint8Array(2048);
  let x = 7;
  for (let i = 0; i < junk.length; i++) junk[i] = x = (x * 1103515245 + 12345) & 0xff;
  const people = readFileSync(sample + "people.arrow");
  await page.locator("#picker").setInputFiles([
    { name: "junk.arrow", mimeType: "application/octet-stream", buffer: Buffer.from(junk) },
    { name: "cut.arrow", mimeType: "application/octet-stream", buffer: people.subarray(0, people.length >> 1) },
  ]);
  for (const name of ["junk.arrow", "cut.arrow"]) {
    const alert = card(name).getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(name.replace(".", "\\.")));
  }
  await page.screenshot({ path: "/tmp/kpidash-error.png", fullPage: true });

  // A good file after the broken ones still loads.
  await drop([{ name: "accounts.csv", bytes: readFileSync(sample + "accounts.csv") }]);
  await card("accounts.csv").locator(".rows").filter({ hasText: fmt(rowsOf("accounts.csv")) }).waitFor();
  assert.equal(await card("junk.arrow").getAttribute("data-state"), "error");
  assert.deepEqual(problems, []);
});

test("removing a file and changing its kind go through the engine", async () => {
  await page.locator("#picker").setInputFiles([sample + "accounts.csv", sample + "survey.csv"]);
  await card("survey.csv").locator(".rows").waitFor();
  await page.getByRole("button", { name: "Remove survey.csv" }).click();
  await card("survey.csv").waitFor({ state: "detached" });
  await card("accounts.csv").locator("select.kind").selectOption("accounts");
  await card("accounts.csv").locator(".facts", { hasText: "chosen" }).waitFor();
  assert.deepEqual(problems, []);
});

test("a file over 1 GB is refused before reading, naming the file and the limit; the next file loads with a progress bar", async () => {
  await openRecordingWorkerMessages();
  // A dropped File the browser says is 3 GB (its bytes are a few): reading it
  // in any way is recorded.
  await page.locator("#dropzone").evaluate((zone) => {
    const file = new File(["lead_id,created_at\n"], "huge.csv", { type: "text/csv" });
    Object.defineProperty(file, "size", { value: 3 * 2 ** 30 });
    window.readsOfHuge = 0;
    for (const method of ["arrayBuffer", "stream", "text", "slice"]) {
      file[method] = () => {
        window.readsOfHuge++;
        throw new Error(`huge.csv was read (${method})`);
      };
    }
    const dt = new DataTransfer();
    dt.items.add(file);
    for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  const alert = card("huge.csv").getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /huge\.csv: 3\.0 GB is more than the 1\.0 GB a browser tab can load/);
  assert.match(await alert.innerText(), /kpidash report/);
  await page.getByRole("status").filter({ hasText: "Loaded 0, 1 could not be read." }).waitFor();
  assert.equal(await page.evaluate(() => window.readsOfHuge), 0, "the file was not read");
  assert.deepEqual((await sentToWorker()).filter((m) => m.name === "huge.csv"), [], "nothing about it went to the worker");

  // A normal file dropped next loads. Its stream stops halfway until the
  // test lets it go on, so the progress bar is seen at 50 %.
  const spend = readFileSync(sample + "spend.csv");
  await page.locator("#dropzone").evaluate((zone, data) => {
    const bytes = new Uint8Array(data);
    const file = new File([bytes], "spend.csv", { type: "text/csv" });
    const half = bytes.length >> 1;
    let goOn;
    window.readRest = () => goOn();
    file.stream = () => {
      let step = 0;
      return new ReadableStream({
        async pull(controller) {
          if (step === 0) controller.enqueue(bytes.slice(0, half));
          else if (step === 1) {
            await new Promise((resolve) => (goOn = resolve));
            controller.enqueue(bytes.slice(half));
          } else controller.close();
          step++;
        },
      });
    };
    const dt = new DataTransfer();
    dt.items.add(file);
    for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, Array.from(spend));
  const bar = page.getByRole("progressbar", { name: "Reading spend.csv" });
  await page.waitForFunction(() => document.querySelector('li.card[data-file="spend.csv"] progress')?.value > 0);
  const fraction = await bar.evaluate((p) => p.value);
  assert.ok(Math.abs(fraction - (spend.length >> 1) / spend.length) < 0.01, `progress ${fraction}`);
  await page.evaluate(() => window.readRest());
  await card("spend.csv").locator(".rows").filter({ hasText: fmt(rowsOf("spend.csv")) }).waitFor();
  await bar.waitFor({ state: "detached" });
  assert.equal(await card("huge.csv").getAttribute("data-state"), "error");
  assert.deepEqual((await sentToWorker()).filter((m) => m.op === "load").map((m) => m.name), ["spend.csv"]);
  assert.deepEqual(problems, []);
});

test("when the browser runs out of memory loading a file, the page says so, reloads the earlier files and keeps the configuration", async () => {
  // The test hook makes loading events.arrows use up the WASM memory for real.
  await openRecordingWorkerMessages("?simulate-out-of-memory=load:events.arrows", hooked);
  await page.getByText("Configuration", { exact: true }).click();
  await page.getByLabel("Configuration JSON").fill('{"kpis": {"new_leads": {"target": 150}}}');
  await page.getByRole("button", { name: "Apply configuration" }).click();
  await page.locator("#config-message.ok").waitFor();
  await page.getByLabel("Period", { exact: true }).selectOption("quarter");
  await page.locator("#picker").setInputFiles([sample + "people.arrow", sample + "spend.csv"]);
  await card("spend.csv").locator(".rows").waitFor();

  await page.locator("#picker").setInputFiles([sample + "events.arrows", sample + "survey.csv"]);
  const notice = page.locator("#engine-alert");
  await notice.getByRole("alert").waitFor();
  const text = await notice.innerText();
  assert.match(text, /The browser ran out of memory while loading events\.arrows/);
  assert.match(text, /remove some files/);
  assert.match(text, /filter the export/);
  assert.match(text, /kpidash report/);
  assert.match(text, /the 2 files loaded before were loaded again/);
  assert.match(await card("events.arrows").getByRole("alert").innerText(), /ran out of memory/);
  // The file after it in the same drop is not tried.
  assert.match(await card("survey.csv").getByRole("alert").innerText(), /not read: the browser ran out of memory while loading events\.arrows/);

  // The earlier files are back in the new engine, with their row counts, and
  // the report is computed from them with the configuration (target 150) and
  // the options (quarter) in force.
  for (const name of ["people.arrow", "spend.csv"]) {
    await card(name).locator(".rows").filter({ hasText: fmt(rowsOf(name)) }).waitFor();
  }
  await page.locator("#diagnostics > summary").click(); // every KPI card is under Diagnostics
  await page.locator('li.kpi[data-kpi="new_leads"] .target').filter({ hasText: "target 150" }).waitFor();
  await page.locator('li.kpi[data-kpi="new_leads"] .kpi-value[data-period="2026-Q4"]').waitFor();
  assert.equal(await page.getByLabel("Period", { exact: true }).inputValue(), "quarter");
  const loads = (await sentToWorker()).filter((m) => m.op === "load").map((m) => m.name);
  assert.deepEqual(loads, ["people.arrow", "spend.csv", "events.arrows", "people.arrow", "spend.csv"]);
  await page.screenshot({ path: "/tmp/kpidash-out-of-memory-load.png", fullPage: true });

  // The page keeps working: the file that was not tried loads now.
  await page.locator("#picker").setInputFiles(sample + "survey.csv");
  await card("survey.csv").locator(".rows").filter({ hasText: fmt(rowsOf("survey.csv")) }).waitFor();
  assert.deepEqual(problems, []);
});

test("the page people get has no test hooks: ?simulate-out-of-memory= changes nothing", async () => {
  await openRecordingWorkerMessages("?simulate-out-of-memory=load:spend.csv");
  await page.locator("#picker").setInputFiles(sample + "spend.csv");
  await card("spend.csv").locator(".rows").filter({ hasText: fmt(rowsOf("spend.csv")) }).waitFor();
  assert.equal(await page.locator("#engine-alert").isVisible(), false);
  assert.deepEqual([...new Set((await sentToWorker()).map((m) => m.op))].sort(), ["dimensionChoices", "load", "report", "version", "vocabulary"]);
  assert.deepEqual(problems, []);
});
