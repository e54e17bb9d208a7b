#!/usr/bin/env python3
"""Writes the bundled sample dataset into www/public/sample/.

A fictional B2B SaaS ("Northwind Analytics") over the twelve months
2025-11-01 .. 2026-10-31, one file per table kind of the KPI catalog, with the
canonical column names:

  people.arrow     people    Arrow IPC file, LZ4-compressed
  events.arrows    events    Arrow IPC stream, ZSTD-compressed
  spend.csv        spend     CSV
  revenue.csv      revenue   CSV
  series.csv       series    CSV
  survey.csv       survey    CSV
  accounts.csv     accounts  CSV
  budget.csv       budget    CSV, a budget sheet (month × channel × campaign)
  deals.csv        deals     CSV, headers as a HubSpot deals export writes them

plus manifest.json listing them. Deterministic: a fixed seed and the stdlib
`random` only, so re-running gives byte-identical files (for a given pyarrow
version). The budget and the deals draw from a random stream of their own,
after the other files are written, so adding them left those byte-identical.
The outputs are committed; building and testing never run Python.

The story the investment files tell: budgets close to each campaign's spend,
except in the last three months (2026-08 .. 2026-10), when paid social's
budget was cut but its spend was not (pacing about 130%) and display's was
raised for a push that never came (pacing about 60%); deals are the CRM's
opportunities of the people above, won when the person became a customer,
and the SaaS Summit in September 2026 makes that month's pipeline about three
times a usual month's.

    pip install -r scripts/requirements.txt
    python3 scripts/make_sample.py
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

SEED = 20261031
START = date(2025, 11, 1)
END = date(2026, 10, 31)  # last day with data
OUT = Path(__file__).resolve().parent.parent / "www" / "public" / "sample"

CHANNELS = ["paid_search", "paid_social", "organic_search", "organic_social", "email", "referral", "direct", "display", "offline", "other"]
CHANNEL_WEIGHTS = [18, 14, 20, 8, 10, 8, 12, 5, 3, 2]
CAMPAIGNS = {
    "paid_search": ["brand_search", "generic_search"],
    "paid_social": ["linkedin_abm", "meta_retargeting"],
    "display": ["display_prospecting"],
    "email": ["newsletter", "nurture"],
    "offline": ["saas_summit_2026"],
}
PERSONAS = ["marketing_ops", "growth_lead", "cmo", "analyst", "founder"]
SEGMENTS = ["smb", "mid_market", "enterprise"]
REGIONS = ["na", "emea", "apac", "latam"]
INDUSTRIES = ["software", "retail", "finance", "healthcare", "manufacturing", "education"]
PLANS = ["starter", "team", "business"]
PLAN_MRR = {"starter": 49, "team": 199, "business": 799}

rng = random.Random(SEED)


def days() -> list[date]:
    return [START + timedelta(d) for d in range((END - START).days + 1)]


def at(d: date, hour: float) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc) + timedelta(hours=hour)


def clip(ts: datetime | None) -> datetime | None:
    """Milestones after the data's end are 'not reached yet'."""
    if ts is None or ts.date() > END:
        return None
    return ts


def later(ts: datetime | None, p: float, lo_h: float, hi_h: float) -> datetime | None:
    if ts is None or rng.random() >= p:
        return None
    return clip(ts + timedelta(hours=rng.uniform(lo_h, hi_h)))


def write_csv(name: str, header: list[str], rows: list[list[object]]) -> int:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    (OUT / name).write_text(buf.getvalue(), encoding="utf-8")
    return len(rows)


# --- accounts -------------------------------------------------------------
accounts = []
for i in range(1, 121):
    segment = rng.choices(SEGMENTS, [55, 32, 13])[0]
    tier = rng.choices(["tier_1", "tier_2", "tier_3"], [20, 35, 45])[0]
    accounts.append(
        {
            "account_id": f"A{i:04d}",
            "icp_tier": tier,
            "segment": segment,
            "industry": rng.choice(INDUSTRIES),
            "region": rng.choices(REGIONS, [45, 30, 18, 7])[0],
            "target_account": tier == "tier_1" or (tier == "tier_2" and rng.random() < 0.3),
        }
    )


# --- people ---------------------------------------------------------------
people = []
all_days = days()
for i in range(1, 1401):
    d = rng.choice(all_days)
    created = at(d, rng.uniform(6, 22))
    source = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    account = rng.choice(accounts) if rng.random() < 0.8 else None
    icp = account is not None and account["icp_tier"] != "tier_3" and rng.random() < 0.85
    first_contact = later(created, 0.8, 0.2, 60)
    signup_started = later(created, 0.55, 0, 72)
    signup_completed = later(signup_started, 0.72, 0.05, 100)
    trial = later(signup_completed, 0.8, 0, 24)
    activated = later(signup_completed, 0.5 + (0.15 if icp else 0), 2, 400)
    first_feature = later(signup_completed, 0.6, 1, 300)
    mql = later(created, 0.45 + (0.15 if icp else 0), 1, 500)
    sql = later(mql, 0.5, 24, 900)
    opportunity = later(sql, 0.55, 24, 700)
    customer = later(opportunity or trial, 0.35 if opportunity else 0.12, 48, 1500)
    people.append(
        {
            "id": f"P{i:05d}",
            "email": f"person{i}@{(account or {}).get('account_id', 'gmail').lower()}.example",
            "created_at": created,
            "source": source,
            "campaign": rng.choice(CAMPAIGNS[source]) if source in CAMPAIGNS else None,
            "persona": rng.choice(PERSONAS),
            "segment": account["segment"] if account else rng.choice(SEGMENTS),
            "region": account["region"] if account else rng.choice(REGIONS),
            "icp": icp,
            "account_id": account["account_id"] if account else None,
            "signup_started_at": signup_started,
            "signup_completed_at": signup_completed,
            "trial_started_at": trial,
            "activated_at": activated,
            "first_feature_at": first_feature,
            "mql_at": mql,
            "sql_at": sql,
            "opportunity_at": opportunity,
            "customer_at": customer,
            "first_contact_at": first_contact,
            "task_connected_data": later(signup_completed, 0.6, 0.5, 300),
            "task_invited_teammate": later(signup_completed, 0.35, 2, 400),
            "task_created_dashboard": None if signup_completed is None else rng.random() < 0.45,
        }
    )

# A few real-world blemishes: the same person exported twice under another id
# with the e-mail in other case, and two milestones recorded out of order.
for src in rng.sample(people[:1200], 12):
    dup = dict(src)
    dup["id"] = f"P{len(people) + 1:05d}"
    dup["email"] = " " + src["email"].upper()
    dup["created_at"] = src["created_at"] + timedelta(days=rng.randint(1, 20))
    people.append(dup)
for p in rng.sample([p for p in people if p["mql_at"] is not None], 2):
    p["mql_at"] = p["created_at"] - timedelta(days=rng.randint(3, 30))

ts = pa.timestamp("ms", tz="UTC")
people_schema = pa.schema(
    [
        ("id", pa.string()),
        ("email", pa.string()),
        ("created_at", ts),
        ("source", pa.string()),
        ("campaign", pa.string()),
        ("persona", pa.string()),
        ("segment", pa.string()),
        ("region", pa.string()),
        ("icp", pa.bool_()),
        ("account_id", pa.string()),
        *[(m, ts) for m in ["signup_started_at", "signup_completed_at", "trial_started_at", "activated_at", "first_feature_at", "mql_at", "sql_at", "opportunity_at", "customer_at", "first_contact_at"]],
        ("task_connected_data", ts),
        ("task_invited_teammate", ts),
        ("task_created_dashboard", pa.bool_()),
    ]
)
people_table = pa.Table.from_pylist(people, schema=people_schema)
with ipc.new_file(OUT / "people.arrow", people_schema, options=ipc.IpcWriteOptions(compression="lz4")) as w:
    w.write_table(people_table, max_chunksize=500)


# --- events ---------------------------------------------------------------
events = []
milestone_events = {
    "signup_started_at": "signup_started",
    "signup_completed_at": "signup_completed",
    "trial_started_at": "trial_started",
    "activated_at": "activated",
    "first_feature_at": "first_feature",
}
for p in people[:1400]:
    if p["signup_started_at"] is None:
        continue
    for column, event in milestone_events.items():
        if p[column] is not None:
            events.append((p["id"], event, p[column]))
    if p["signup_completed_at"] is not None:
        for _ in range(rng.randint(0, 3)):
            t = clip(p["signup_completed_at"] + timedelta(hours=rng.uniform(1, 900)))
            if t is not None:
                events.append((p["id"], rng.choice(["dashboard_viewed", "report_shared", "data_source_added"]), t))
# People only the product knows about (no CRM row): signups straight from the app.
for i in range(1, 41):
    t = at(rng.choice(all_days), rng.uniform(0, 24))
    events.append((f"U{i:04d}", "signup_started", t))
    if rng.random() < 0.6:
        t2 = clip(t + timedelta(hours=rng.uniform(0.1, 48)))
        if t2 is not None:
            events.append((f"U{i:04d}", "signup_completed", t2))
events.sort(key=lambda e: (e[2], e[0], e[1]))
events_schema = pa.schema([("entity_id", pa.string()), ("event", pa.string()), ("timestamp", ts)])
events_table = pa.table(
    {"entity_id": [e[0] for e in events], "event": [e[1] for e in events], "timestamp": [e[2] for e in events]},
    schema=events_schema,
)
with ipc.new_stream(OUT / "events.arrows", events_schema, options=ipc.IpcWriteOptions(compression="zstd")) as w:
    w.write_table(events_table, max_chunksize=1000)


# --- spend ----------------------------------------------------------------
spend_rows = []
paid = [("paid_search", "brand_search", 40, 2.1, True), ("paid_search", "generic_search", 95, 3.4, False), ("paid_social", "linkedin_abm", 120, 7.5, True), ("paid_social", "meta_retargeting", 45, 1.2, False), ("display", "display_prospecting", 30, 0.6, False)]
for d in all_days:
    weekday = d.weekday() < 5
    for channel, campaign, daily, cpc, icp_audience in paid:
        cost = round(daily * rng.uniform(0.7, 1.3) * (1.0 if weekday else 0.6), 2)
        clicks = max(0, int(cost / cpc * rng.uniform(0.8, 1.2)))
        impressions = int(clicks * rng.uniform(40, 120))
        conversions = sum(1 for _ in range(clicks) if rng.random() < 0.03)
        spend_rows.append([d.isoformat(), channel, campaign, f"{cost:.2f}", impressions, clicks, conversions, str(icp_audience).lower(), "USD"])
    if d.day == 15 and d.month in (3, 9):
        spend_rows.append([d.isoformat(), "offline", "saas_summit_2026", "12500.00", "", "", 14, "true", "USD"])
n_spend = write_csv("spend.csv", ["date", "channel", "campaign", "cost", "impressions", "clicks", "conversions", "icp_audience", "currency"], spend_rows)


# --- revenue --------------------------------------------------------------
months = [date(START.year + (START.month - 1 + k) // 12, (START.month - 1 + k) % 12 + 1, 1) for k in range(12)]
revenue_rows = []
customers_by_account: dict[str, date] = {}
for p in people:
    if p["customer_at"] is not None and p["account_id"] is not None:
        first = p["customer_at"].date().replace(day=1)
        prev = customers_by_account.get(p["account_id"])
        customers_by_account[p["account_id"]] = min(first, prev) if prev else first
# Some accounts were customers before the window starts.
for a in rng.sample(accounts, 25):
    customers_by_account.setdefault(a["account_id"], START - timedelta(days=400))
for account_id, since in sorted(customers_by_account.items()):
    a = next(x for x in accounts if x["account_id"] == account_id)
    plan = rng.choices(PLANS, [50, 35, 15])[0]
    seats = rng.randint(1, 4)
    churn_at = rng.choice(months) if rng.random() < 0.18 else None
    for m in months:
        if m < since.replace(day=1):
            continue
        if churn_at is not None and m >= churn_at:
            revenue_rows.append([account_id, m.isoformat(), "0", plan, a["segment"]])
            break
        if rng.random() < 0.06 and plan != "business":
            plan = PLANS[PLANS.index(plan) + 1]  # upgrade
        elif rng.random() < 0.08:
            seats = max(1, seats + rng.choice([-1, 1]))
        revenue_rows.append([account_id, m.isoformat(), f"{PLAN_MRR[plan] * seats:.2f}", plan, a["segment"]])
n_revenue = write_csv("revenue.csv", ["account_id", "month", "mrr", "plan", "segment"], revenue_rows)


# --- series ---------------------------------------------------------------
series_rows = []
members = 1800
for k, d in enumerate(all_days):
    trend = 1 + k / 365 * 0.35
    weekday = 1.0 if d.weekday() < 5 else 0.55
    visitors = int(rng.gauss(900, 90) * trend * weekday)
    sessions = int(visitors * rng.uniform(1.25, 1.45))
    series_rows += [
        [d.isoformat(), "visitors", visitors, "false"],
        [d.isoformat(), "sessions", sessions, "false"],
        [d.isoformat(), "engaged_sessions", int(sessions * rng.uniform(0.48, 0.6)), "false"],
    ]
    if d.weekday() == 0:  # weekly exports
        series_rows += [
            [d.isoformat(), "content_engagements", int(rng.gauss(1500, 200) * trend), "false"],
            [d.isoformat(), "content_engagements", int(rng.gauss(260, 40) * trend), "true"],
            [d.isoformat(), "branded_search_volume", int(rng.gauss(2400, 150) * trend), "false"],
            [d.isoformat(), "social_engagements", int(rng.gauss(700, 120) * trend), "false"],
        ]
        members += rng.randint(15, 60)
        series_rows.append([d.isoformat(), "community_members", members, "false"])
n_series = write_csv("series.csv", ["date", "metric", "value", "target_account"], series_rows)


# --- survey ---------------------------------------------------------------
survey_rows = []
for q, wave in enumerate([date(2025, 12, 1), date(2026, 3, 2), date(2026, 6, 1), date(2026, 9, 1)]):
    for r in range(150):
        icp = rng.random() < 0.4
        aware = rng.random() < (0.22 + 0.05 * q + (0.1 if icp else 0))
        recall = aware and rng.random() < 0.35
        d = wave + timedelta(days=rng.randint(0, 13))
        survey_rows.append([d.isoformat(), f"R{q + 1}-{r + 1:03d}", str(icp).lower(), None if rng.random() < 0.02 else str(aware).lower(), str(recall).lower()])
n_survey = write_csv("survey.csv", ["date", "respondent_id", "icp", "aware", "recall"], survey_rows)


# --- accounts (CSV) ---------------------------------------------------------
n_accounts = write_csv(
    "accounts.csv",
    ["account_id", "icp_tier", "segment", "industry", "region", "target_account"],
    [[a["account_id"], a["icp_tier"], a["segment"], a["industry"], a["region"], str(a["target_account"]).lower()] for a in accounts],
)


# --- budget and deals: a random stream of their own --------------------------
# Drawn after every file above is written, so those stay as they were.
rng2 = random.Random(SEED + 1)


def month_of(d: date) -> date:
    return d.replace(day=1)


# Spend per month × channel × campaign, and each campaign's planned daily spend.
spend_by_month: dict[tuple[date, str, str], float] = {}
for row in spend_rows:
    key = (month_of(date.fromisoformat(row[0])), row[1], row[2])
    spend_by_month[key] = spend_by_month.get(key, 0.0) + float(row[3])

# The plan: each campaign's daily spend over the month (weekends at 60%),
# rounded to the hundred. In the last three months paid social's budget was
# cut to 77% of its plan while its spend went on (pacing ≈ 130%), and
# display's raised to 165% for a push that never came (pacing ≈ 60%).
LAST_MONTHS = {date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)}
BUDGET_CHANGE = {"paid_social": 0.77, "display": 1.65}
budget_rows = []
for m in months:
    month_days = [d for d in all_days if month_of(d) == m]
    weighted = sum(1.0 if d.weekday() < 5 else 0.6 for d in month_days)
    for channel, campaign, daily, _cpc, _icp in paid:
        planned = daily * weighted * rng2.uniform(0.97, 1.03)
        if m in LAST_MONTHS:
            planned *= BUDGET_CHANGE.get(channel, 1.0)
        budget_rows.append([m.strftime("%Y-%m"), channel, campaign, f"{round(planned, -2):.0f}", "USD"])
    if m.month in (3, 9):
        budget_rows.append([m.strftime("%Y-%m"), "offline", "saas_summit_2026", "12000", "USD"])
n_budget = write_csv("budget.csv", ["Month", "Channel", "Campaign", "Budget", "Currency"], budget_rows)

# Deals: a HubSpot export. One deal per person who became an opportunity,
# created then, for the person's account; won (`Closed Won`) when the person
# became a customer, the amount a year of the account's MRR that month; the
# others lost, or still open when recent. HubSpot writes the source as its
# enumeration (`PAID_SEARCH`) and an open deal's `Close Date` is the date it
# is expected to close.
HUBSPOT_SOURCE = {
    "paid_search": "PAID_SEARCH",
    "paid_social": "PAID_SOCIAL",
    "organic_search": "ORGANIC_SEARCH",
    "organic_social": "SOCIAL_MEDIA",
    "email": "EMAIL_MARKETING",
    "referral": "REFERRALS",
    "direct": "DIRECT_TRAFFIC",
    "display": "OTHER_CAMPAIGNS",
    "offline": "OFFLINE",
    "other": "OTHER_CAMPAIGNS",
}
OPEN_STAGES = ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Decision Maker Bought-In", "Contract Sent"]
OWNERS = ["Dana Kim", "Luis Ortega", "Priya Shah", "Sam Becker"]
mrr_of = {(r[0], r[1]): float(r[2]) for r in revenue_rows}
RECENT = END - timedelta(days=100)


def hubspot_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def deal_amount(account_id: str | None, month: date) -> float:
    mrr = mrr_of.get((account_id or "", month.isoformat()), 0.0)
    if mrr <= 0:
        mrr = PLAN_MRR[rng2.choices(PLANS, [45, 38, 17])[0]] * rng2.randint(1, 4)
    return 12 * mrr


deals = []
for p in people[:1400]:
    created = p["opportunity_at"]
    if created is None:
        continue
    account_id = p["account_id"]
    customer = p["customer_at"]
    if customer is not None:
        stage, closed = "Closed Won", customer
        amount = deal_amount(account_id, month_of(customer.date()))
    else:
        amount = deal_amount(account_id, month_of(created.date()))
        lost_at = created + timedelta(days=rng2.uniform(10, 80))
        if (created.date() < RECENT or rng2.random() < 0.25) and lost_at.date() <= END:
            stage, closed = "Closed Lost", lost_at
        else:
            stage = rng2.choice(OPEN_STAGES)
            closed = max(created + timedelta(days=rng2.uniform(30, 120)), at(END, 0) + timedelta(days=rng2.randint(5, 60)))
    deals.append(
        {
            "id": str(30_000_000 + len(deals) * 7 + rng2.randint(0, 6)),
            "name": f"{account_id or p['email'].split('@')[0]} – new business",
            "stage": stage,
            "amount": amount,
            "created": created,
            "closed": closed,
            "pipeline": "Partner Pipeline" if p["source"] == "referral" else "Sales Pipeline",
            "account_id": account_id,
            "source": HUBSPOT_SOURCE[p["source"]],
            "owner": rng2.choice(OWNERS),
        }
    )

# The SaaS Summit (2026-09-15): big deals with target accounts, created in the
# two weeks after it, still open at the data's end.
targets = [a for a in accounts if a["target_account"]]
for a in rng2.sample(targets, 10):
    created = at(date(2026, 9, 15) + timedelta(days=rng2.randint(0, 14)), rng2.uniform(8, 18))
    deals.append(
        {
            "id": str(30_000_000 + len(deals) * 7 + rng2.randint(0, 6)),
            "name": f"{a['account_id']} – SaaS Summit 2026",
            "stage": rng2.choice(OPEN_STAGES),
            "amount": 12 * PLAN_MRR["business"] * rng2.randint(2, 3),
            "created": created,
            "closed": at(date(2026, 12, 15), 0) + timedelta(days=rng2.randint(0, 45)),
            "pipeline": "Sales Pipeline",
            "account_id": a["account_id"],
            "source": "OFFLINE",
            "owner": rng2.choice(OWNERS),
        }
    )

# Blemishes: open deals whose expected close date has passed (older open
# deals, the date left as it was), closed deals without a close date, open
# deals without an amount, and deals exported twice under the same id.
open_deals = [d for d in deals if d["stage"] in OPEN_STAGES and d["created"].date() < END - timedelta(days=40)]
for d in rng2.sample(open_deals, 5):
    d["closed"] = at(END - timedelta(days=rng2.randint(3, 30)), 0)
closed_deals = [d for d in deals if d["stage"] in ("Closed Won", "Closed Lost")]
for d in rng2.sample(closed_deals, 3):
    d["closed"] = None
for d in rng2.sample([d for d in deals if d["stage"] in OPEN_STAGES and d not in open_deals], 2):
    d["amount"] = None
deal_rows = [
    [d["id"], d["name"], d["stage"], None if d["amount"] is None else f"{d['amount']:.2f}", hubspot_time(d["created"]), None if d["closed"] is None else d["closed"].strftime("%Y-%m-%d"), d["pipeline"], d["account_id"], d["source"], d["owner"], "USD"]
    for d in sorted(deals, key=lambda d: d["created"])
]
deal_rows += [list(r) for r in rng2.sample(deal_rows, 4)]
n_deals = write_csv("deals.csv", ["Deal ID", "Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date", "Pipeline", "Associated Company ID", "Original Source", "Deal Owner", "Currency"], deal_rows)


# --- manifest -------------------------------------------------------------
manifest = {
    "description": "Northwind Analytics, a fictional B2B SaaS: twelve months of marketing data (2025-11-01 to 2026-10-31)",
    "files": [
        {"file": "people.arrow", "kind": "people", "rows": len(people), "description": "CRM leads with funnel milestones (Arrow IPC file, LZ4)"},
        {"file": "events.arrows", "kind": "events", "rows": len(events), "description": "product events (Arrow IPC stream, ZSTD)"},
        {"file": "spend.csv", "kind": "spend", "rows": n_spend, "description": "daily ad spend by channel and campaign"},
        {"file": "revenue.csv", "kind": "revenue", "rows": n_revenue, "description": "monthly MRR per account"},
        {"file": "series.csv", "kind": "series", "rows": n_series, "description": "web, search, social and community series"},
        {"file": "survey.csv", "kind": "survey", "rows": n_survey, "description": "quarterly brand awareness survey"},
        {"file": "accounts.csv", "kind": "accounts", "rows": n_accounts, "description": "accounts with ICP tier and target list"},
        {"file": "budget.csv", "kind": "budget", "rows": n_budget, "description": "monthly budget by channel and campaign"},
        {"file": "deals.csv", "kind": "deals", "rows": n_deals, "description": "CRM deals (a HubSpot export)"},
    ],
}
(OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

total = sum((OUT / f["file"]).stat().st_size for f in manifest["files"])
for f in manifest["files"]:
    print(f"{f['file']:<14} {f['kind']:<9} {f['rows']:>6} rows  {(OUT / f['file']).stat().st_size:>8} bytes")
print(f"total {total} bytes")
