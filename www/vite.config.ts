import { defineConfig } from "vite";

// A static folder that works from any folder of any host: relative base,
// no external requests. The WASM module lives in ../pkg (written by
// scripts/build) and is bundled as an asset of the worker.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  worker: {
    format: "es",
  },
  server: {
    host: "127.0.0.1",
    fs: { allow: [".."] },
  },
  preview: {
    host: "127.0.0.1",
  },
});
