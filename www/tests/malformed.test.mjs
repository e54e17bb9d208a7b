// The malformed-file corpus (tests/fixtures/malformed and fuzz/regressions)
// loaded through the WASM module in Node: every file must be refused with an
// Error naming it, and the module must keep working afterwards (a Rust panic
// would be a WebAssembly.RuntimeError and kill the instance).
//
//   node --test www/tests/        (after scripts/build)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { initSync, Session } from "../../pkg/kpidash.js";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
initSync({ module: readFileSync(here("../../pkg/kpidash_bg.wasm")) });

const dirs = [here("../../tests/fixtures/malformed/"), here("../../fuzz/regressions/")];
const files = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => !f.endsWith(".md") && !f.endsWith(".json"))
    .map((f) => ({ name: f, path: dir + f })),
);

test("the corpus is there", () => {
  assert.ok(files.length >= 30, `only ${files.length} malformed files found`);
});

for (const { name, path } of files) {
  for (const kind of [null, "people"]) {
    test(`${name} (kind ${kind ?? "detected"}) is refused with its name`, () => {
      const session = new Session();
      const bytes = new Uint8Array(readFileSync(path));
      let error;
      try {
        session.load(name, bytes, kind);
      } catch (err) {
        error = err;
      }
      assert.ok(error, `${name} loaded without error`);
      assert.ok(!(error instanceof WebAssembly.RuntimeError), `${name} trapped the module: ${error}`);
      assert.ok(error.message.includes(name), `message does not name the file: ${error.message}`);
      // The module still works.
      const info = session.load("ok.csv", new TextEncoder().encode("id,created_at\n1,2026-01-05\n"), null);
      assert.equal(info.rows, 1);
      session.free();
    });
  }
}

test("a 1 MiB field and a 1 MiB unterminated quote are handled", () => {
  const session = new Session();
  const big = "x".repeat(1 << 20);
  const ok = session.load("big.csv", new TextEncoder().encode(`id,created_at,note\n1,2026-01-05,${big}\n`), null);
  assert.equal(ok.rows, 1);
  assert.throws(
    () => session.load("quote.csv", new TextEncoder().encode(`id,created_at\n1,"${big}\n`), null),
    (err) => !(err instanceof WebAssembly.RuntimeError) && err.message.includes("quote.csv"),
  );
  session.free();
});
