// What the browser tests share: headless system Chromium (CHROMIUM=path to
// change it; Playwright never downloads a browser), a fresh page that records
// every request and every page error, and the check that nothing went to
// another host.
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";

/** The page as people get it (www/dist), and the same page with the test
 * hooks of www/src/test-hooks.ts (`?simulate-out-of-memory=`), which only
 * the tests that need them open; scripts/build writes both. */
export const builds = {
  page: fileURLToPath(new URL("../dist", import.meta.url)),
  withTestHooks: fileURLToPath(new URL("../../target/www-e2e", import.meta.url)),
};

/** Headless Chromium with the flags these machines need. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * A new context (UTC, en-US, no service workers, 30 s timeouts) and page of
 * the given width. `requests` collects every URL asked for, `problems` every
 * page error and console error.
 */
export async function openPage(browser, { width }) {
  const context = await browser.newContext({ timezoneId: "UTC", locale: "en-US", serviceWorkers: "block", viewport: { width, height: 900 } });
  context.setDefaultTimeout(30_000);
  const requests = [];
  const problems = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  return { context, page, requests, problems };
}

/** The requests that left the origins of `siteUrls` (data: and blob: URLs stay home). */
export function foreignRequests(requests, ...siteUrls) {
  const origins = siteUrls.map((u) => new URL(u).origin);
  return requests.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && !origins.includes(new URL(u).origin));
}
