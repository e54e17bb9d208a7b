import { defineConfig, type Plugin } from "vite";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

/**
 * Three builds of the same page:
 *
 * - default (`vite build`): www/dist, a static folder for any static host —
 *   relative base, the worker and the .wasm as separate files, no external
 *   requests.
 * - `--mode offline`: one self-contained HTML file (script, style, worker,
 *   .wasm and sample data inlined) that works opened from disk (file://),
 *   where browsers refuse module scripts, workers and fetches of local files.
 *   It is written to target/www-offline; scripts/build copies it to
 *   www/dist/kpidash-offline.html, and index.html
 *   sends file:// visitors there.
 * - `--mode e2e`: the default build with the e2e tests' hooks
 *   (src/test-hooks.ts), written to target/www-e2e; only the browser tests
 *   use it. `__KPIDASH_TEST_HOOKS__` is `false` in the other two, so the
 *   hooks are not in them (scripts/build checks).
 *
 * Every build ships a Content-Security-Policy and subresource integrity
 * (`lockDown`, docs/privacy.md).
 *
 * The default and e2e builds also have the embeddable element
 * (`kpi-dash.js` with its types `kpi-dash.d.ts`, src/embed/); its example
 * portal page, `public/embed-example.html`, links it as a portal would
 * (docs/embedding.md).
 */
export default defineConfig(({ mode }) => {
  const offline = mode === "offline";
  const e2e = mode === "e2e";
  return {
    base: "./",
    define: {
      __KPIDASH_TEST_HOOKS__: JSON.stringify(e2e),
      __KPIDASH_WASM_INTEGRITY__: JSON.stringify(wasmIntegrity()),
    },
    publicDir: offline ? false : "public",
    // Sample data files, inlined as data URLs in the offline build.
    assetsInclude: ["**/*.arrow", "**/*.arrows", "**/*.csv", ...(offline ? ["**/*.wasm"] : [])],
    resolve: offline
      ? {
          alias: [
            { find: /^\.\/spawn-worker$/, replacement: src("spawn-worker.offline.ts") },
            { find: /^\.\/wasm-source$/, replacement: src("wasm-source.offline.ts") },
            { find: /^\.\/sample$/, replacement: src("sample.offline.ts") },
          ],
        }
      : undefined,
    build: {
      outDir: offline ? "../target/www-offline" : e2e ? "../target/www-e2e" : "dist",
      emptyOutDir: true,
      target: "es2022",
      assetsInlineLimit: 0,
      reportCompressedSize: false,
      modulePreload: offline ? false : undefined,
      cssCodeSplit: !offline,
      chunkSizeWarningLimit: offline ? 100_000 : 20_000,
      rollupOptions: offline
        ? undefined
        : {
            input: { index: src("../index.html"), "kpi-dash": src("embed/kpi-dash.ts") },
            // The element keeps one name a portal can link to.
            output: { entryFileNames: (chunk) => (chunk.name === "kpi-dash" ? "kpi-dash.js" : "assets/[name]-[hash].js") },
          },
    },
    plugins: offline ? [inlineIntoHtml(), lockDown(true)] : [embedTypes(), lockDown(false)],
    // A classic worker for the offline page: Chromium refuses module workers
    // from blob: URLs of a file:// page.
    worker: { format: offline ? "iife" : "es" },
    server: { host: "127.0.0.1", fs: { allow: [".."] } },
    preview: { host: "127.0.0.1" },
  };
});

/** Ships the element's types beside it: its API (src/embed/api.ts) as
 * kpi-dash.d.ts, the result document's (src/types.ts) as kpidash-types.d.ts. */
function embedTypes(): Plugin {
  return {
    name: "kpidash-embed-types",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "kpi-dash.d.ts", source: readFileSync(src("embed/api.ts"), "utf8") });
      this.emitFile({ type: "asset", fileName: "kpidash-types.d.ts", source: readFileSync(src("types.ts"), "utf8") });
    },
  };
}

/** Moves the entry script and the stylesheet into index.html itself. */
function inlineIntoHtml(): Plugin {
  return {
    name: "kpidash-inline-into-html",
    apply: "build",
    enforce: "post",
    transformIndexHtml(html) {
      return html.replace(/\s*<script id="file-redirect">[\s\S]*?<\/script>/, "");
    },
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f) => f.type === "asset" && f.fileName.endsWith(".html"));
      if (!html || html.type !== "asset") return;
      let text = String(html.source);
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type === "chunk" && file.isEntry) {
          const code = file.code.replace(/<\/script/gi, "<\\/script");
          text = text.replace(new RegExp(`<script type="module" crossorigin src="[^"]*${escape(name)}"></script>`), () => `<script type="module">${code}</script>`);
          delete bundle[name];
        } else if (file.type === "asset" && name.endsWith(".css")) {
          const css = String(file.source).replace(/<\/style/gi, "<\\/style");
          text = text.replace(new RegExp(`<link rel="stylesheet" crossorigin href="[^"]*${escape(name)}">`), () => `<style>${css}</style>`);
          delete bundle[name];
        }
      }
      html.source = text;
    },
  };
}

/** The page's .wasm as the worker checks it (subresource integrity of its fetch), or "" before pkg/ is built. */
function wasmIntegrity(): string {
  const wasm = fileURLToPath(new URL("../pkg/kpidash_bg.wasm", import.meta.url));
  return existsSync(wasm) ? sri(readFileSync(wasm)) : "";
}

function sri(bytes: string | Uint8Array): string {
  return `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
}

/**
 * The Content-Security-Policy of a build, with the hashes of its inline
 * scripts and styles. The served page loads everything from its own origin;
 * the offline file has everything inline, starts its worker from a blob:
 * URL and may connect nowhere. Images: data: for the PNG export (an SVG
 * drawn through an <img>) and the empty favicon. No 'unsafe-inline' for
 * styles either: Plot's own <style> elements are dropped before a chart
 * enters the page (kpi-chart.ts), and style attributes are set through the
 * CSSOM, which CSP does not govern.
 */
export function contentSecurityPolicy(offline: boolean, scripts: string[], styles: string[]): string {
  const own = offline ? [] : ["'self'"];
  const quoted = (hashes: string[]) => hashes.map((h) => `'${h}'`);
  const directive = (name: string, sources: string[]) => `${name} ${sources.length ? sources.join(" ") : "'none'"}`;
  return [
    directive("default-src", own),
    directive("script-src", [...own, "'wasm-unsafe-eval'", ...quoted(scripts)]),
    directive("style-src", [...own, ...quoted(styles)]),
    directive("img-src", [...own, "data:"]),
    directive("worker-src", offline ? ["blob:"] : own),
    directive("connect-src", own),
    directive("object-src", []),
    directive("base-uri", []),
    directive("form-action", []),
  ].join("; ");
}

/**
 * Locks the built page down: a Content-Security-Policy <meta> first in its
 * <head> (hashes of the inline scripts and styles left, e.g. the file://
 * redirect), and `integrity` on every script, stylesheet and module preload
 * it links. Runs last, on the finished HTML.
 */
function lockDown(offline: boolean): Plugin {
  return {
    name: "kpidash-lock-down",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      for (const html of Object.values(bundle)) {
        if (html.type !== "asset" || !html.fileName.endsWith(".html")) continue;
        let text = String(html.source);
        text = text.replace(/<(script|link)\b([^>]*?)\s(src|href)="\.\/([^"]+)"([^>]*)>/g, (tag, _el, _before, _attr, path: string) => {
          const file = bundle[path];
          if (!file || /\sintegrity=/.test(tag)) return tag;
          const bytes = file.type === "chunk" ? file.code : file.source;
          return tag.replace(/>$/, ` integrity="${sri(bytes)}">`);
        });
        const sha256 = (body: string) => `sha256-${createHash("sha256").update(body).digest("base64")}`;
        const scripts = [...text.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => sha256(m[1]));
        const styles = [...text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => sha256(m[1]));
        const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(offline, scripts, styles)}" />`;
        text = text.replace(/(<meta charset="utf-8" \/>)/, `$1\n    ${meta}`);
        if (!text.includes(meta)) this.error(`no <meta charset> in ${html.fileName} to put the Content-Security-Policy after`);
        html.source = text;
      }
    },
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
