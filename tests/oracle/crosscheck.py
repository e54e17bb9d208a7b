#!/usr/bin/env python3
"""Second opinion on expected/month.json and month_by_channel.json: a few KPIs
re-computed in plain Python (no SQL), compared with what expected.py wrote.
A guard against mistakes in the oracle itself; run after regen.sh.

Issue 10 (investment_checks): budget_pacing, budget_remaining, pipeline_created,
win_rate and the new_leads / pipeline_created forecast on
expected_investment/week_by_channel_mid.json, new_mrr on
expected_investment/month_by_channel.json, and the edge documents' budget
points — own parsing of budget months, own day spreading, own deal
deduplication and stage mapping.
"""

import csv
import json
import os
import statistics
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = datetime(2026, 6, 30, 23, 59, 59, 999999)
WS = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000"
MILESTONES = ["signup_started_at", "signup_completed_at", "trial_started_at", "activated_at",
              "first_feature_at", "mql_at", "sql_at", "opportunity_at", "customer_at",
              "first_contact_at", "task_profile", "task_invite"]


def rows(name):
    with open(os.path.join(HERE, "data", f"{name}.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def dim(v):
    v = (v or "").strip(WS)
    return v or "(none)"


def ts(v):
    return datetime.fromisoformat(v) if v else None


def month(t):
    return f"{t.year:04d}-{t.month:02d}"


def persons():
    raw = rows("people")
    parent = list(range(len(raw)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    first = {}
    for i, r in enumerate(raw):
        keys = [("id", r["id"])]
        e = r["email"].strip(WS).lower()
        if e:
            keys.append(("email", e))
        for k in keys:
            if k in first:
                a, b = find(i), find(first[k])
                parent[max(a, b)] = min(a, b)
            else:
                first[k] = i
    groups = defaultdict(list)
    for i, r in enumerate(raw):
        groups[find(i)].append((i, r))
    out = []
    for members in groups.values():
        def order(m):
            c = ts(m[1]["created_at"])
            return (c is None, c or datetime.min, m[0])
        head = min(members, key=order)[1]
        p = {"source": dim(head["source"]), "icp": head["icp"] == "true"}
        for col in ["created_at"] + MILESTONES:
            vals = [ts(m[1][col]) for m in members if m[1][col]]
            v = min(vals) if vals else None
            p[col] = v if v is not None and v <= AS_OF else None
        p["task_integration"] = any(m[1]["task_integration"] == "true" for m in members)
        out.append(p)
    return out


def within(b, t, days):
    return t is not None and b <= t <= b + timedelta(days=days)


def check(label, expected, actual, errors):
    if (expected is None) != (actual is None) or (
            expected is not None and abs(expected - actual) > 1e-9 * max(1, abs(expected))):
        errors.append(f"{label}: expected.py {expected!r} vs crosscheck {actual!r}")


def main():
    people = persons()
    errors = []
    for case, by in [("month", None), ("month_by_channel", "channel")]:
        doc = json.load(open(os.path.join(HERE, "expected", f"{case}.json"), encoding="utf-8"))
        pts = {(k["id"], p["period"], p["segment"], p["step"]): p for k in doc["kpis"] for p in k["points"]}
        keys = lambda p: [None] + ([p["source"]] if by else [])

        # new_leads, conversion_rate, drop_off_rate, first-contact median / p90, velocity
        leads = defaultdict(list)
        trials = defaultdict(int)
        for p in people:
            for k in keys(p):
                if p["created_at"]:
                    leads[(month(p["created_at"]), k)].append(p)
                if p["trial_started_at"]:
                    trials[(month(p["trial_started_at"]), k)] += 1
        for (m, k), ps in leads.items():
            c = p_ = None
            check(f"{case} new_leads {m} {k}", pts[("new_leads", m, k, None)]["value"], len(ps), errors)
            conv = sum(within(p["created_at"], p["customer_at"], 90) for p in ps)
            check(f"{case} conversion_rate {m} {k}", pts[("conversion_rate", m, k, None)]["value"], conv / len(ps), errors)
            reached = [len(ps)]
            ok = [True] * len(ps)
            for step in ["mql_at", "sql_at", "opportunity_at", "customer_at"]:
                ok = [o and within(p["created_at"], p[step], 90) for o, p in zip(ok, ps)]
                reached.append(sum(ok))
                a, b = reached[-2], reached[-1]
                check(f"{case} drop_off {m} {k} {step}", pts[("drop_off_rate", m, k, step)]["value"],
                      None if a == 0 else 1 - b / a, errors)
            hours = [(p["first_contact_at"] - p["created_at"]).total_seconds() / 3600 for p in ps
                     if p["first_contact_at"] and p["first_contact_at"] >= p["created_at"]]
            med = statistics.median(hours) if hours else None
            check(f"{case} median {m} {k}", pts[("time_to_first_contact_hours", m, k, None)]["value"], med, errors)
            if hours:
                s = sorted(hours)
                pos = 0.9 * (len(s) - 1)
                lo = int(pos)
                p90 = s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (pos - lo)
            else:
                p90 = None
            check(f"{case} p90 {m} {k}", pts[("time_to_first_contact_p90_hours", m, k, None)]["value"], p90, errors)
        for (m, k), n in trials.items():
            y, mo = map(int, m.split("-"))
            nxt = date(y + (mo == 12), mo % 12 + 1, 1)
            days = (min(nxt, date(2026, 7, 1)) - date(y, mo, 1)).days
            check(f"{case} velocity {m} {k}", pts[("trial_signup_velocity", m, k, None)]["value"], n / days, errors)

        # cost_per_lead by channel (outer join, all-null sums)
        cost = defaultdict(list)
        for r in rows("spend"):
            d = datetime.fromisoformat(r["date"])
            if d > AS_OF:
                continue
            for k in [None] + ([dim(r["channel"])] if by else []):
                cost[(month(d), k)].append(float(r["cost"]) if r["cost"] else None)
        for key in set(cost) | set(leads):
            c = cost.get(key)
            csum = 0.0 if c is None else (None if all(v is None for v in c) else sum(v for v in c if v is not None))
            n = len(leads.get(key, []))
            check(f"{case} cost_per_lead {key}", pts[("cost_per_lead",) + key + (None,)]["value"],
                  None if csum is None or n == 0 else csum / n, errors)

    # revenue (month grain, total): churn_rate and net revenue retention
    doc = json.load(open(os.path.join(HERE, "expected", "month.json"), encoding="utf-8"))
    pts = {(k["id"], p["period"], p["segment"]): p for k in doc["kpis"] for p in k["points"]}
    mrr = defaultdict(float)
    for r in rows("revenue"):
        mrr[(r["account_id"], r["month"][:7])] += float(r["mrr"]) if r["mrr"] else 0.0
    months = sorted({m for _, m in mrr})
    accounts = {a for a, _ in mrr}
    for prev, cur in zip(months, months[1:]):
        s = [a for a in accounts if mrr.get((a, prev), 0) > 0]
        c = [a for a in s if mrr.get((a, cur), 0) == 0]
        m_ = sum(mrr[(a, prev)] for a in s)
        x = sum(max(mrr.get((a, cur), 0) - mrr[(a, prev)], 0) for a in s if a not in c)
        k = sum(max(mrr[(a, prev)] - mrr.get((a, cur), 0), 0) for a in s if a not in c)
        cm = sum(mrr[(a, prev)] for a in c)
        check(f"churn_rate {cur}", pts[("churn_rate", cur, None)]["value"], len(c) / len(s), errors)
        check(f"nrr {cur}", pts[("net_revenue_retention", cur, None)]["value"], (m_ + x - k - cm) / m_, errors)

    # community growth (month, total)
    bal = {}
    for r in rows("series"):
        if r["metric"] == "community_members":
            m = r["date"][:7]
            if m not in bal or r["date"] > bal[m][0]:
                bal[m] = (r["date"], float(r["value"]))
    for k in doc["kpis"]:
        if k["id"] == "community_growth_rate":
            for p in k["points"]:
                y, mo = map(int, p["period"].split("-"))
                prev = f"{y - (mo == 1):04d}-{(mo - 2) % 12 + 1:02d}"
                a, b = bal.get(p["period"]), bal.get(prev)
                check(f"community {p['period']}", p["value"],
                      None if a is None or b is None else (a[1] - b[1]) / b[1], errors)

    checked = investment_checks(errors)
    for e in errors:
        print(e)
    print(f"crosscheck: {len(people)} persons, {checked} issue-10 values, {len(errors)} disagreements")
    sys.exit(1 if errors else 0)


# --------------------------------------------------------------------------- issue 10
MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                          "oct", "nov", "dec"])}


def budget_month(text):
    """`2026-03`, `Mar 2026` or a date inside the month -> date of the 1st."""
    t = text.strip()
    parts = t.split()
    if len(parts) == 2:
        return date(int(parts[1]), MONTHS[parts[0].lower()], 1)
    y, m = int(t[:4]), int(t[5:7])
    return date(y, m, 1)


def next_month(d):
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def week_label(d):
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def week_start(d):
    return d - timedelta(days=d.weekday())


def deals(path, as_of):
    """Deduplicated deals (earliest created_at per id, ties by file order, null created_at last),
    won from `won` or from the stage text, timestamps after as_of dropped."""
    best = {}
    for i, r in enumerate(rows_at(path)):
        c = ts(r["created_at"])
        key = (c is None, c or datetime.min, i)
        if r["id"] not in best or key < best[r["id"]][0]:
            best[r["id"]] = (key, r)
    out = []
    for _, r in best.values():
        if "won" in r:
            won = {"true": True, "false": False}.get(r["won"].strip().lower())
        else:
            won = {"closed won": True, "won": True, "closed lost": False, "lost": False}.get(r["stage"].strip().lower())
        c, cl = ts(r["created_at"]), ts(r["closed_at"])
        out.append({"created": c if c and c <= as_of else None, "closed": cl if cl and cl <= as_of else None,
                    "won": won, "amount": float(r["amount"]) if r["amount"] else None,
                    "channel": dim(r["source"])})
    return out


def rows_at(path):
    with open(os.path.join(HERE, path), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sum_or_null(values):
    """Sum skipping nulls; no values 0; only nulls None."""
    if not values:
        return 0.0
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def pacing_points(spend_path, budget_path, as_of, period_of, period_end):
    """(period, key) -> (pacing, remaining) with key None = total, by channel otherwise."""
    as_of_date = as_of.date()
    per_day = defaultdict(float)   # (day, key) -> budget of that day
    have_budget = set()            # (period, key)
    monthly = defaultdict(list)
    for r in rows_at(budget_path):
        monthly[(budget_month(r["month"]), dim(r["channel"]))].append(float(r["budget"]) if r["budget"] else None)
    for (m, ch), values in monthly.items():
        b = sum_or_null(values)
        days = (next_month(m) - m).days
        for k in range(days):
            d = m + timedelta(days=k)
            for key in (None, ch):
                per_day[(d, key)] += b / days
                have_budget.add((period_of(d), key))
    spend = defaultdict(list)
    for r in rows_at(spend_path):
        d = date.fromisoformat(r["date"])
        if d <= as_of_date:
            for key in (None, dim(r["channel"])):
                spend[(period_of(d), key)].append(float(r["cost"]) if r["cost"] else None)
    out = {}
    for pk in set(spend) | have_budget:
        start = pk[0]
        if start > as_of_date:
            continue
        days = [(start + timedelta(days=k)) for k in range((period_end(start) - start).days)]
        to_date = sum(per_day.get((d, pk[1]), 0.0) for d in days if d <= as_of_date)
        whole = sum(per_day.get((d, pk[1]), 0.0) for d in days)
        s = sum_or_null(spend.get(pk, []))
        out[pk] = (None if s is None or to_date == 0 else s / to_date, None if s is None else whole - s)
    return out


def investment_checks(errors):
    """Issue-10 KPIs re-computed without SQL; returns the number of values compared."""
    n = 0

    def cmp(label, expected, actual):
        nonlocal n
        n += 1
        check(label, expected, actual, errors)

    def load(case):
        doc = json.load(open(os.path.join(HERE, "expected_investment", f"{case}.json"), encoding="utf-8"))
        return doc, {(k["id"], p["period"], p["segment"]): p for k in doc["kpis"] for p in k["points"]}

    # week grain by channel, as-of 2026-04-29 (a Wednesday; week 2026-W18 straddles April and May)
    as_of = datetime(2026, 4, 29, 23, 59, 59, 999999)
    doc, pts = load("week_by_channel_mid")
    pace = pacing_points("data/spend.csv", "data/budget.csv", as_of, week_start, lambda d: d + timedelta(days=7))
    labels = {(week_label(p), k) for p, k in pace}
    got = {(p["period"], p["segment"]) for k in doc["kpis"] if k["id"] == "budget_pacing" for p in k["points"]}
    if labels != got:
        errors.append(f"budget_pacing week points: {len(labels ^ got)} differ, e.g. {sorted(labels ^ got, key=str)[:5]}")
    for (start, key), (pacing, remaining) in pace.items():
        lab = week_label(start)
        cmp(f"budget_pacing {lab} {key}", pts[("budget_pacing", lab, key)]["value"], pacing)
        cmp(f"budget_remaining {lab} {key}", pts[("budget_remaining", lab, key)]["value"], remaining)
        # default target 1.0, tolerance 10 %
        status = None if pacing is None else ("on_track" if abs(pacing - 1.0) <= 0.1 else "off_track")
        if pts[("budget_pacing", lab, key)]["status"] != status:
            errors.append(f"budget_pacing status {lab} {key}: {pts[('budget_pacing', lab, key)]['status']} vs {status}")
    pipeline, closed = defaultdict(list), defaultdict(lambda: [0, 0])
    for d in deals("data/deals.csv", as_of):
        for key in (None, d["channel"]):
            if d["created"]:
                pipeline[(week_label(d["created"].date()), key)].append(d["amount"])
            if d["won"] is not None and d["closed"]:
                c = closed[(week_label(d["closed"].date()), key)]
                c[0] += d["won"]
                c[1] += 1
    for (lab, key), amounts in pipeline.items():
        cmp(f"pipeline_created {lab} {key}", pts[("pipeline_created", lab, key)]["value"], sum_or_null(amounts))
    for (lab, key), (won, total) in closed.items():
        cmp(f"win_rate {lab} {key}", pts[("win_rate", lab, key)]["value"], won / total)
    # forecast in the running week: value / f, f = elapsed / 7 days (microseconds)
    start = datetime(2026, 4, 27)
    f = ((as_of - start) / timedelta(microseconds=1)) / (timedelta(days=7) / timedelta(microseconds=1))
    for kpi in ["new_leads", "pipeline_created"]:
        for (k, lab, key), p in pts.items():
            if k == kpi and lab == "2026-W18":
                cmp(f"{kpi} forecast {lab} {key}", p["forecast"], None if p["value"] is None else p["value"] / f)

    # new MRR by channel (revenue's own channel column), month grain
    doc, pts = load("month_by_channel")
    mrr, chan = defaultdict(float), {}
    for r in rows_at("data/revenue_channel.csv"):
        m = r["month"][:7]
        mrr[(r["account_id"], m)] += float(r["mrr"]) if r["mrr"] else 0.0
        chan[(r["account_id"], m)] = dim(r["channel"])
    months = sorted({m for _, m in mrr})
    accounts = {a for a, _ in mrr}
    for prev, cur in zip(months, months[1:]):
        new = defaultdict(float)
        for a in accounts:
            if mrr.get((a, prev), 0) == 0 and mrr.get((a, cur), 0) > 0:
                for key in (None, chan[(a, cur)]):
                    new[key] += mrr[(a, cur)]
        for key, v in new.items():
            cmp(f"new_mrr {cur} {key}", pts[("new_mrr", cur, key)]["value"], v)

    # the small edge tables: month grain by channel, default as-of 2026-06-01T00:00:00 (f = 0)
    for case, period_of, period_end, label in [
            ("edge_month_by_channel", lambda d: d.replace(day=1), next_month, lambda d: d.strftime("%Y-%m")),
            ("edge_week_by_channel", week_start, lambda d: d + timedelta(days=7), week_label)]:
        doc, pts = load(case)
        as_of = datetime(2026, 6, 1)
        for (start, key), (pacing, remaining) in pacing_points(
                "data/edge/spend.csv", "data/edge/budget.csv", as_of, period_of, period_end).items():
            cmp(f"{case} budget_pacing {label(start)} {key}", pts[("budget_pacing", label(start), key)]["value"], pacing)
            cmp(f"{case} budget_remaining {label(start)} {key}",
                pts[("budget_remaining", label(start), key)]["value"], remaining)
        for (k, lab, key), p in pts.items():
            if p["forecast"] is not None:
                errors.append(f"{case} {k} {lab} {key}: forecast {p['forecast']} where f = 0")
    return n


if __name__ == "__main__":
    main()
