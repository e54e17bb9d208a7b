#!/usr/bin/env bash
# Builds the native profiling binary and the WASM package from a clean copy of
# a commit (default HEAD), so that native and browser numbers come from the same
# code even while the shared working tree has uncommitted edits.
#
#   bench/snapshot.sh [COMMIT]
#
# Output: bench-out/snapshot/<commit>/{kpidash,pkg/} and prints
#   KPIDASH=… PKG_DIR=…   (the variables bench/report.sh and bench/browser.js read)
# Build directory: $SNAPSHOT_TARGET (default /tmp/kpidash-bench-target), seeded
# from target/ (cp -a) so that dependencies are not rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
commit=$(git rev-parse --short "${1:-HEAD}")
out=$root/bench-out/snapshot/$commit
src=/tmp/kpidash-bench-src-$commit
tgt=${SNAPSHOT_TARGET:-/tmp/kpidash-bench-target}
log() { printf '\033[1msnapshot:\033[0m %s\n' "$*" >&2; }

if [ -x "$out/kpidash" ] && [ -f "$out/pkg/kpidash.js" ]; then
  log "$out is already built"
else
  rm -rf "$src" && mkdir -p "$src" "$out"
  git archive "$commit" | tar -x -C "$src"
  if [ ! -d "$tgt" ]; then
    log "seeding $tgt from target/"
    mkdir -p "$tgt/wasm32-unknown-unknown"
    for d in profiling release; do [ -d "target/$d" ] && cp -a "target/$d" "$tgt/"; done
    [ -d target/wasm32-unknown-unknown/release ] && cp -a target/wasm32-unknown-unknown/release "$tgt/wasm32-unknown-unknown/"
  fi
  export CARGO_TARGET_DIR=$tgt
  log "native: cargo build --profile profiling --bin kpidash ($commit)"
  (cd "$src" && cargo build --profile profiling --bin kpidash)
  cp "$tgt/profiling/kpidash" "$out/kpidash"
  # the WASM steps of scripts/build (1–3), into $out/pkg
  export CC_wasm32_unknown_unknown="${CC_wasm32_unknown_unknown:-clang}"
  if [ -z "${AR_wasm32_unknown_unknown:-}" ]; then
    AR_wasm32_unknown_unknown=$(command -v llvm-ar || ls /usr/bin/llvm-ar-* 2>/dev/null | sort -V | tail -1)
    export AR_wasm32_unknown_unknown
  fi
  # the cargo profile that commit's scripts/build uses for the page (release, or wasm-release since c817f20)
  wasm_profile=$(grep -o -E 'cargo build --(release|profile [a-z-]+) --lib --target wasm32' "$src/scripts/build" \
    | head -1 | awk '{ print ($3 == "--release") ? "release" : $4 }')
  wasm_profile=${wasm_profile:-release}
  log "wasm: cargo build --profile $wasm_profile --lib --target wasm32-unknown-unknown ($commit)"
  (cd "$src" && cargo build --profile "$wasm_profile" --lib --target wasm32-unknown-unknown)
  rm -rf "$out/pkg"
  wasm-bindgen --target web --out-dir "$out/pkg" "$tgt/wasm32-unknown-unknown/$wasm_profile/kpidash.wasm"
  www/node_modules/.bin/wasm-opt -O1 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/pkg/kpidash_bg.wasm" -o "$out/pkg/kpidash_bg.opt.wasm"
  mv "$out/pkg/kpidash_bg.opt.wasm" "$out/pkg/kpidash_bg.wasm"
  rm -rf "$src"
fi
echo "KPIDASH=$out/kpidash PKG_DIR=$out/pkg"
