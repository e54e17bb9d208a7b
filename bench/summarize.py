#!/usr/bin/env python3
"""Prints the report benchmark's table from bench-out/N/results.jsonl (medians).

usage: bench/summarize.py N [N ...]
"""
import json
import statistics
import sys


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def f(x, nd=2):
    return "—" if x is None else f"{x:.{nd}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def main():
    rows = []
    notes = []
    for n in sys.argv[1:]:
        try:
            with open(f"bench-out/{n}/results.jsonl", encoding="utf-8") as fh:
                recs = [json.loads(line) for line in fh if line.strip()]
        except FileNotFoundError:
            notes.append(f"{n}: no results")
            continue
        by = lambda k: [r for r in recs if r["kind"] == k]
        metas = [r["meta"] for r in by("meta")]
        load = med([r["wall"] for r in by("native_load")])
        full = med([r["wall"] for r in by("native_full")])
        full_cpu = med([r["cpu"] for r in by("native_full")])
        rss = med([r["rss_kb"] for r in by("native_full")])
        report = None if load is None or full is None else full - load
        duck = {}
        for t in (1, 0):
            rs = [r for r in by("duckdb") if r["threads_arg"] == t]
            duck[t] = {
                "sql": med([r["r"]["sql"] for r in rs]),
                "total": med([r["r"]["total"] for r in rs]),
                "rss": med([r["rss_kb"] for r in rs]),
                "threads": rs[0]["r"]["threads"] if rs else None,
            }
        br = [r["r"] for r in by("browser")]
        ok = [r for r in br if "error" not in r]
        for r in br:
            if "error" in r:
                notes.append(f"{n}: browser: '{r['error']}' at {r.get('stage', '?')}"
                             + (f", WASM memory {r['wasm_mb_at_error']} MB" if r.get("wasm_mb_at_error") else "")
                             + (f" (loading took {r['load_total_s']:.2f} s, {r['wasm_mb_after_load']} MB after loading)"
                                if r.get("load_total_s") is not None else ""))
        # a report that failed after loading still gives the load time
        bload = med([r["load_total_s"] for r in br if r.get("load_total_s") is not None])
        brep = med([r["report_s"] for r in ok])
        bmem = med([r["wasm_mb"] for r in ok])
        points = ok[0]["points"] if ok else None
        rows.append((n, metas, load, report, full, full_cpu, rss, duck, bload, brep, bmem, points))
        for r in by("compare"):
            notes.append(f"{n}: {r['summary']}")
        for meta in metas:
            notes.append(f"{n}: [{meta.get('parts', 'all')}] {meta['date']}, load average at start {meta['uptime']},"
                         f" HEAD {meta['head']}, kpidash {meta['kpidash']}, pkg {meta['pkg']}")

    hdr = ["N", "nat load", "nat report", "nat total", "nat CPU", "nat RSS MB",
           "duck SQL 1t", "duck e2e 1t", "duck SQL 2t", "duck e2e 2t",
           "brw load", "brw report", "wasm MB",
           "kpidash/duck 1t", "kpidash/duck 2t", "brw/nat load", "brw/nat report"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for n, meta, load, report, full, cpu, rss, duck, bload, brep, bmem, points in rows:
        cells = [f"{int(n):,}", f(load), f(report), f(full), f(cpu), f(rss / 1024 if rss else None, 0),
                 f(duck[1]["sql"]), f(duck[1]["total"]), f(duck[0]["sql"]), f(duck[0]["total"]),
                 f(bload), f(brep), f(bmem, 0),
                 f(ratio(full, duck[1]["total"])), f(ratio(full, duck[0]["total"])),
                 f(ratio(bload, load), 1), f(ratio(brep, report), 1)]
        print("| " + " | ".join(cells) + " |")
    print()
    print("seconds, medians; nat = native kpidash (load = `kpidash inspect`, report = full run − load,"
          " total = the whole `kpidash report` process); duck = DuckDB (SQL = queries only,"
          " e2e = Arrow read + SQL + JSON document); 1t/2t = SET threads 1 / default;"
          " kpidash/duck = native total ÷ DuckDB e2e; brw = headless Chromium (WASM).")
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    main()
