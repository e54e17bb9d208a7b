// The built page opened straight from disk (file://), as a marketer who
// double-clicks www/dist/index.html does: it forwards to the single-file
// kpidash-offline.html, which must work without any server.
//
//   node --test www/e2e/        (after scripts/build)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "./harness.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dist = here("../dist/");
const sample = here("../public/sample/");
const manifest = JSON.parse(readFileSync(sample + "manifest.json", "utf8"));

let browser;

before(async () => {
  assert.ok(existsSync(dist + "kpidash-offline.html"), "www/dist/kpidash-offline.html is missing: run scripts/build first");
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test("index.html opened from disk works: sample data and a picked file load", async () => {
  const context = await browser.newContext({ timezoneId: "UTC", locale: "en-US", viewport: { width: 1100, height: 900 } });
  context.setDefaultTimeout(30_000);
  const requests = [];
  const problems = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  try {
    await page.goto(pathToFileURL(dist + "index.html").href);
    await page.waitForURL(/kpidash-offline\.html$/);
    await page.locator("#version").filter({ hasText: /kpidash \d/ }).waitFor();

    await page.getByRole("button", { name: "Try sample data" }).click();
    for (const f of manifest.files) {
      const card = page.locator(`li.card[data-file="${f.file}"][data-state="loaded"]`);
      await card.waitFor();
      assert.equal(await card.getAttribute("data-kind"), f.kind);
    }
    await page.locator("#picker").setInputFiles({ name: "mine.csv", mimeType: "text/csv", buffer: readFileSync(sample + "accounts.csv") });
    await page.locator('li.card[data-file="mine.csv"] .rows').filter({ hasText: "120 rows" }).waitFor();
    await page.screenshot({ path: "/tmp/kpidash-offline.png" });

    const foreign = requests.filter((u) => !/^(file|data|blob):/.test(u));
    assert.deepEqual(foreign, [], "requests leaving the disk");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
