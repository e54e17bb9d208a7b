import { defineConfig, type Plugin } from "vite";
import { readFileSync } from "node:fs";
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
    define: { __KPIDASH_TEST_HOOKS__: JSON.stringify(e2e) },
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
    plugins: offline ? [inlineIntoHtml()] : [embedTypes()],
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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
