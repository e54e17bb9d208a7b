// Imports one of the page's TypeScript modules (www/src/) into a Node test:
// esbuild (Vite's own) bundles it with its imports into one ES module in
// memory, stylesheets left out. For the pure functions the modules export;
// anything touching the DOM stays for the browser tests (www/e2e/).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

/** The module `www/src/<name>.ts`, bundled and imported. */
export async function importTs(name) {
  const entry = fileURLToPath(new URL(`../src/${name}.ts`, import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    loader: { ".css": "empty" },
    define: { __KPIDASH_TEST_HOOKS__: "false" },
    logLevel: "silent",
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}
