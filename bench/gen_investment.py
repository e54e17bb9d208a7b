#!/usr/bin/env python3
"""Adds a budget sheet and a deals export to a benchmark dataset (bench/gen.py).

usage: bench/gen_investment.py N_DEALS OUT_DIR

Deterministic (fixed seed). budget.arrow: one row per month × channel ×
campaign over the spend's two years and the month after (the channels and
campaigns of gen.py's spend, budgets around their spend with one channel
under-budgeted and one over). deals.arrow: N_DEALS deals with duplicated ids
(1%), a stage text (won/lost/open), amounts (some null), close dates (open
deals carry an expected one), sources on the channel vocabulary, campaigns
and owners. Used to measure the full report with the investment KPIs.
"""
import sys, os
import numpy as np
import pyarrow as pa
import pyarrow.feather as feather


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261201)
    channels = np.array(["paid_search", "paid_social", "organic_search", "organic_social"])
    months = np.arange(np.datetime64("2024-07"), np.datetime64("2026-08")).astype("datetime64[D]")
    # gen.py's spend: 20 campaigns a day, five per channel, ~250 per row and day.
    campaign = np.arange(20)
    rows_m = np.repeat(months, len(campaign))
    rows_c = np.tile(campaign, len(months))
    scale = np.array([1.0, 0.8, 1.2, 1.0])[rows_c // 5]  # paid_social over, organic_search under
    budget = pa.table({
        "month": pa.array(rows_m, type=pa.date32()),
        "channel": pa.array(channels[rows_c // 5]),
        "campaign": pa.array(np.char.add("c", rows_c.astype(str))),
        "budget": pa.array(np.round(250.0 * 30.4 * scale * (0.9 + 0.2 * rng.random(len(rows_m))), 2)),
    })
    feather.write_feather(budget, f"{out}/budget.arrow", compression="lz4")

    start = np.datetime64("2024-07-01T00:00:00", "us")
    span_us = 730 * 86_400_000_000
    created = start + rng.integers(0, span_us, n).astype("timedelta64[us]")
    cycle = rng.integers(1, 120 * 86_400_000_000, n).astype("timedelta64[us]")
    closed_at = created + cycle
    outcome = rng.random(n)
    stage = np.where(outcome < 0.25, "Closed Won", np.where(outcome < 0.6, "Closed Lost", "Negotiation"))
    ids = np.char.add("d", np.arange(n).astype(str))
    dup = rng.random(n) < 0.01
    ids[dup] = np.char.add("d", rng.integers(0, n, dup.sum()).astype(str))
    amount = np.round(rng.gamma(2.0, 4000.0, n), 2)
    deals = pa.table({
        "id": pa.array(ids),
        "created_at": pa.array(created, type=pa.timestamp("us")),
        "closed_at": pa.array(closed_at, type=pa.timestamp("us")),
        "stage": pa.array(stage).dictionary_encode(),
        "amount": pa.array(amount, mask=rng.random(n) < 0.03),
        "source": pa.array(channels[rng.integers(0, len(channels), n)]).dictionary_encode(),
        "campaign": pa.array(np.char.add("c", rng.integers(0, 20, n).astype(str))).dictionary_encode(),
        "owner": pa.array(np.char.add("rep", rng.integers(0, 25, n).astype(str))).dictionary_encode(),
    })
    feather.write_feather(deals, f"{out}/deals.arrow", compression="lz4")


if __name__ == "__main__":
    main()
