#!/usr/bin/env python3
"""Second opinion on expected/month.json and month_by_channel.json: a few KPIs
re-computed in plain Python (no SQL), compared with what expected.py wrote.
A guard against mistakes in the oracle itself; run after regen.sh.
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

    for e in errors:
        print(e)
    print(f"crosscheck: {len(people)} persons, {len(errors)} disagreements")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
