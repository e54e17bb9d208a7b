#!/usr/bin/env bash
# Load throughput benchmark (issue 3 "Speed"): a 1M-row people table as
# uncompressed Arrow IPC, LZ4 Arrow IPC and CSV, loaded natively and in
# headless Chromium (WASM), each next to a plain copy of the same bytes.
#
#   bench/load.sh [ROWS]              (default 1000000)
#
# 1. `cargo run --release --example bench_load ROWS --write bench-out/load`
#    writes the three files and prints the native table;
# 2. `node bench/load.js bench-out/load` loads the same files in Chromium and
#    prints the browser table (pkg/ is built with scripts/build if missing).
# Environment: REPS=7 (browser repetitions), PKG_DIR=path (another
# wasm-bindgen output), SKIP_NATIVE=1 (reuse the files already written),
# SKIP_BROWSER=1. Method and results: bench/LOAD.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-1000000}
REPS=${REPS:-7}
OUT=bench-out/load

log() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

log "load average: $(uptime | sed 's/.*load average: //')"
if [ -z "${SKIP_NATIVE:-}" ]; then
  log "native: writing $OUT and timing kpidash::load ($ROWS rows)"
  cargo run --quiet --release --example bench_load -- "$ROWS" --write "$OUT"
fi
if [ -z "${SKIP_BROWSER:-}" ]; then
  if [ -z "${PKG_DIR:-}" ] && [ ! -f pkg/kpidash.js ]; then
    log "pkg/ missing: scripts/build"
    scripts/build
  fi
  [ -n "${PKG_DIR:-}" ] || log "pkg/kpidash_bg.wasm built $(date -r pkg/kpidash_bg.wasm '+%F %T')"
  log "Chromium: the same files ($REPS repetitions)"
  echo
  node bench/load.js "$OUT" "$REPS"
fi
log "load average: $(uptime | sed 's/.*load average: //')"
