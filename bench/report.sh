#!/usr/bin/env bash
# Report benchmark (issue 4 "Speed"): a full-catalog kpidash report, month grain
# by channel, natively, in headless Chromium (WASM), and the same KPIs in DuckDB.
#
#   bench/report.sh [N ...]          (default: 1000000 10000000)
#
# Environment:
#   REPS=3                 repetitions of every timing (the table shows medians)
#   KPIDASH=path           native binary (default target/profiling/kpidash, built
#                          with `cargo build --profile profiling --bin kpidash` if missing)
#   PKG_DIR=path           wasm-bindgen output served at /pkg (default pkg/); bench/snapshot.sh
#                          prints KPIDASH and PKG_DIR for a clean build of one commit
#   SKIP_NATIVE=1 SKIP_DUCKDB=1 SKIP_BROWSER=1   leave a part out
#   COMPARE=1              also check that DuckDB and kpidash give the same points
#                          (the last native run writes bench-out/N/kpidash.json)
#   BENCH_BROWSER_TIMEOUT=900                    seconds per browser repetition
#
# Data: bench/gen.py N bench-out/N (generated once, reused while gen.py is unchanged).
# Raw results: bench-out/N/results.jsonl (one JSON object per timing); the table
# is printed by bench/summarize.py from those files.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-3}
KPIDASH=${KPIDASH:-target/profiling/kpidash}
[ $# -gt 0 ] || set -- 1000000 10000000

log() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

if [ -z "${SKIP_NATIVE:-}" ] && [ ! -x "$KPIDASH" ]; then
  log "building $KPIDASH (cargo build --profile profiling --bin kpidash)"
  cargo build --profile profiling --bin kpidash
fi
PKG_DIR=${PKG_DIR:-pkg}
export PKG_DIR
if [ -z "${SKIP_BROWSER:-}" ] && [ "$PKG_DIR" = pkg ] && [ ! -f pkg/kpidash.js ]; then
  log "pkg/ missing: scripts/build"
  scripts/build
fi

gen_hash=$(sha256sum bench/gen.py | cut -c1-16)

for n in "$@"; do
  dir=bench-out/$n
  if [ "$(cat "$dir/.gen" 2>/dev/null)" != "$gen_hash" ]; then
    log "generating $n people into $dir"
    rm -rf "$dir"
    /usr/bin/time -f 'gen %e s' python3 bench/gen.py "$n" "$dir"
    echo "$gen_hash" > "$dir/.gen"
  fi
  files=()
  for f in "$dir"/people*.arrow; do files+=(people="$f"); done   # one file, or parts in name order
  files+=(spend="$dir/spend.arrow" revenue="$dir/revenue.arrow" series="$dir/series.arrow")
  out=$dir/results.jsonl
  # re-measured parts replace their earlier results; skipped parts keep theirs
  kinds=(meta)
  [ -z "${SKIP_NATIVE:-}" ] && kinds+=(native_load native_full)
  [ -z "${SKIP_DUCKDB:-}" ] && kinds+=(duckdb compare)
  [ -z "${SKIP_BROWSER:-}" ] && kinds+=(browser)
  parts=$(IFS='|'; echo "${kinds[*]:1}")
  if [ -f "$out" ]; then
    grep -v -E "\"kind\": ?\"(${parts:-none})\"" "$out" | grep -v -F "\"parts\":\"$parts\"" > "$out.tmp" || true
    mv "$out.tmp" "$out"
  fi
  meta=$(printf '{"parts":"%s","n":%s,"date":"%s","head":"%s","kpidash":"%s","pkg":"%s","uptime":"%s"}' \
    "$parts" "$n" "$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD)" "$KPIDASH" \
    "$PKG_DIR ($(date -u -r "$PKG_DIR/kpidash_bg.wasm" +%FT%TZ 2>/dev/null || echo none))" "$(uptime | sed 's/.*load average: //')")
  echo "{\"kind\":\"meta\",\"meta\":$meta}" >> "$out"

  if [ -z "${SKIP_NATIVE:-}" ]; then
    # load only: `kpidash inspect` reads and loads every file exactly as `report` does
    # (load::load), then prints a short description
    for i in $(seq "$REPS"); do
      log "native load $n ($i/$REPS)"
      /usr/bin/time -f '%e %U %S %M' -o /tmp/bench_time.$$ "$KPIDASH" inspect "${files[@]}" > /dev/null
      read -r wall user sys rss < /tmp/bench_time.$$
      echo "{\"kind\":\"native_load\",\"wall\":$wall,\"cpu\":$(awk -v a="$user" -v b="$sys" 'BEGIN { printf "%.2f", a + b }'),\"rss_kb\":$rss}" >> "$out"
    done
    for i in $(seq "$REPS"); do
      log "native report $n ($i/$REPS)"
      json=/dev/null
      [ -n "${COMPARE:-}" ] && [ "$i" = "$REPS" ] && json=$dir/kpidash.json
      /usr/bin/time -v -o /tmp/bench_time.$$ "$KPIDASH" report "${files[@]}" --by channel --format json > "$json"
      wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' /tmp/bench_time.$$)
      user=$(awk -F': ' '/User time/ { print $2 }' /tmp/bench_time.$$)
      sys=$(awk -F': ' '/System time/ { print $2 }' /tmp/bench_time.$$)
      rss=$(awk -F': ' '/Maximum resident/ { print $2 }' /tmp/bench_time.$$)
      echo "{\"kind\":\"native_full\",\"wall\":$wall,\"cpu\":$(awk -v a="$user" -v b="$sys" 'BEGIN { printf "%.2f", a + b }'),\"rss_kb\":$rss}" >> "$out"
    done
    rm -f /tmp/bench_time.$$
  fi

  if [ -z "${SKIP_DUCKDB:-}" ]; then
    for threads in 1 0; do
      for i in $(seq "$REPS"); do
        log "duckdb threads=$threads $n ($i/$REPS)"
        /usr/bin/time -f '%e %U %S %M' -o /tmp/bench_time.$$ \
          python3 bench/duckdb_report.py "$dir" --threads "$threads" > /tmp/bench_duck.$$
        read -r wall user sys rss < /tmp/bench_time.$$
        echo "{\"kind\":\"duckdb\",\"threads_arg\":$threads,\"r\":$(cat /tmp/bench_duck.$$),\"process_wall\":$wall,\"cpu\":$(awk -v a="$user" -v b="$sys" 'BEGIN { printf "%.2f", a + b }'),\"rss_kb\":$rss}" >> "$out"
      done
    done
    rm -f /tmp/bench_time.$$ /tmp/bench_duck.$$
    if [ -n "${COMPARE:-}" ] && [ -f "$dir/kpidash.json" ]; then
      log "comparing DuckDB with kpidash ($dir/kpidash.json)"
      python3 bench/duckdb_report.py "$dir" --threads 0 --compare "$dir/kpidash.json" > /dev/null \
        2> "$dir/compare.txt" || true
      tail -1 "$dir/compare.txt" >&2
      echo "{\"kind\":\"compare\",\"summary\":\"$(tail -1 "$dir/compare.txt")\"}" >> "$out"
    fi
  fi

  if [ -z "${SKIP_BROWSER:-}" ]; then
    log "browser $n ($REPS repetitions)"
    node bench/browser.js "$dir" "$REPS" > /tmp/bench_browser.$$ || log "browser run failed (see the table)"
    while read -r line; do
      echo "{\"kind\":\"browser\",\"r\":$line}" >> "$out"
    done < /tmp/bench_browser.$$
    rm -f /tmp/bench_browser.$$
  fi
done

python3 bench/summarize.py "$@"
