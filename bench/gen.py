#!/usr/bin/env python3
"""Writes a synthetic benchmark dataset as Arrow IPC (LZ4) files.

usage: bench/gen.py N_PEOPLE OUT_DIR

Deterministic (fixed seed). People go to people.arrow, or, above PART_ROWS
(5M) rows, to people-01.arrow, people-02.arrow, ... of at most PART_ROWS rows
each (one table, read together in name order): kpidash refuses files larger
than 1 GiB (load::MAX_FILE_BYTES), and 10M people are ~1.37 GB of LZ4 Arrow. People carry every milestone, a few dimensions,
duplicates (1% share an e-mail with another row); spend, revenue and series
cover two years. Used by the report benchmark (native, browser, DuckDB).
"""
import sys, os
import numpy as np
import pyarrow as pa
import pyarrow.feather as feather

PART_ROWS = 5_000_000


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(42)
    start = np.datetime64("2024-07-01T00:00:00", "us")
    span_us = 730 * 86_400_000_000
    created = start + rng.integers(0, span_us, n).astype("timedelta64[us]")
    def after(base, p, max_days):
        reach = rng.random(n) < p
        delta = rng.integers(0, max_days * 86_400_000_000, n).astype("timedelta64[us]")
        v = base + delta
        return pa.array(v, mask=~reach, type=pa.timestamp("us"))
    channels = np.array(["paid_search", "paid_social", "organic_search", "organic_social", "email", "referral", "direct", "display"])
    segments = np.array(["smb", "mid_market", "enterprise"])
    ids = np.char.add("p", np.arange(n).astype(str))
    emails = np.char.add(np.char.add("u", np.arange(n).astype(str)), "@example.com")
    dup = rng.random(n) < 0.01
    emails[dup] = np.char.add(np.char.add("u", rng.integers(0, n, dup.sum()).astype(str)), "@example.com")
    signup_started = after(created, 0.6, 2)
    signup_completed = after(created, 0.5, 5)
    people = pa.table({
        "id": pa.array(ids),
        "email": pa.array(emails),
        "created_at": pa.array(created, type=pa.timestamp("us")),
        "source": pa.array(channels[rng.integers(0, len(channels), n)]).dictionary_encode(),
        "campaign": pa.array(np.char.add("c", rng.integers(0, 40, n).astype(str))).dictionary_encode(),
        "segment": pa.array(segments[rng.integers(0, 3, n)]).dictionary_encode(),
        "icp": pa.array(rng.random(n) < 0.4),
        "account_id": pa.array(np.char.add("a", rng.integers(0, max(n // 20, 1), n).astype(str))),
        "signup_started_at": signup_started,
        "signup_completed_at": signup_completed,
        "trial_started_at": after(created, 0.3, 20),
        "activated_at": after(created, 0.25, 30),
        "first_feature_at": after(created, 0.3, 30),
        "mql_at": after(created, 0.4, 30),
        "sql_at": after(created, 0.2, 60),
        "opportunity_at": after(created, 0.1, 90),
        "customer_at": after(created, 0.05, 120),
        "first_contact_at": after(created, 0.7, 3),
        "task_profile": after(created, 0.4, 10),
        "task_invite": after(created, 0.2, 20),
        "task_integration": pa.array(rng.random(n) < 0.15),
    })
    if n <= PART_ROWS:
        feather.write_feather(people, f"{out}/people.arrow", compression="lz4")
    else:
        for i, start in enumerate(range(0, n, PART_ROWS)):
            feather.write_feather(people.slice(start, PART_ROWS), f"{out}/people-{i + 1:02d}.arrow",
                                  compression="lz4")
    days = np.arange(np.datetime64("2024-07-01"), np.datetime64("2026-07-01"))
    per_day = 20
    m = len(days) * per_day
    spend = pa.table({
        "date": pa.array(np.repeat(days, per_day), type=pa.date32()),
        "channel": pa.array(np.tile(np.repeat(channels[:4], 5), len(days))),
        "campaign": pa.array(np.tile(np.char.add("c", np.arange(per_day).astype(str)), len(days))),
        "cost": pa.array(rng.random(m) * 500),
        "impressions": pa.array(rng.integers(100, 10000, m).astype(float)),
        "clicks": pa.array(rng.integers(0, 300, m).astype(float)),
        "conversions": pa.array(rng.integers(0, 10, m).astype(float)),
        "icp_audience": pa.array(rng.random(m) < 0.5),
    })
    feather.write_feather(spend, f"{out}/spend.arrow", compression="lz4")
    accounts = max(n // 20, 1)
    months = np.arange(np.datetime64("2024-07"), np.datetime64("2026-07")).astype("datetime64[D]")
    acc = np.repeat(np.arange(accounts), len(months))
    mon = np.tile(months, accounts)
    alive = rng.random(len(acc)) < 0.8
    revenue = pa.table({
        "account_id": pa.array(np.char.add("a", acc[alive].astype(str))),
        "month": pa.array(mon[alive], type=pa.date32()),
        "mrr": pa.array((rng.integers(1, 50, alive.sum()) * 10).astype(float)),
        "segment": pa.array(segments[acc[alive] % 3]),
    })
    feather.write_feather(revenue, f"{out}/revenue.arrow", compression="lz4")
    metrics = ["visitors", "sessions", "engaged_sessions", "content_engagements", "branded_search_volume", "social_engagements", "community_members"]
    k = len(days) * len(metrics)
    series = pa.table({
        "date": pa.array(np.repeat(days, len(metrics)), type=pa.date32()),
        "metric": pa.array(np.tile(np.array(metrics), len(days))),
        "value": pa.array(rng.integers(100, 5000, k).astype(float)),
        "target_account": pa.array(rng.random(k) < 0.3),
    })
    feather.write_feather(series, f"{out}/series.arrow", compression="lz4")

if __name__ == "__main__":
    main()
