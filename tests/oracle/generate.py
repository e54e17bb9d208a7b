#!/usr/bin/env python3
"""Deterministic generator of the oracle dataset (tests/oracle/data/*.csv).

Only the standard library is used and the random generator has a fixed seed, so
running this script twice gives byte-identical files.  The data is meant to look
like real exports of a small B2B SaaS company (2025-01-01 .. 2026-06-30, export
taken on 2026-07-04 15:30) and to contain the awkward cases the KPI catalog has
rules for: duplicate people (repeated ids, e-mails differing in case/white
space, transitive id<->email<->id chains), null anchors, out-of-order
milestones, milestones exactly on window edges, rows just before / after the
explicit as-of, empty and white-space-only dimension values, duplicate revenue
rows, a null MRR, a community balance with gaps, a spend group whose cost is
all null, and so on.  README.md lists them.

Canonical column names (catalog section 2) are used, so no header mapping is
involved.  People milestones are naive ISO timestamps `YYYY-MM-DDTHH:MM:SS`
(report-time-zone wall time), all other tables use `YYYY-MM-DD` dates.
"""

import csv
import math
import os
import random
from collections import defaultdict
from datetime import date, datetime, timedelta

SEED = 20260630
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

START = date(2025, 1, 1)
END = date(2026, 6, 30)  # last day of "regular" data = explicit as-of of the tests
EXPORT = datetime(2026, 7, 4, 15, 30, 0)  # export time: the latest timestamp of all tables

CHANNELS = ["paid_search", "paid_social", "organic_search", "organic_social", "email",
            "referral", "direct", "display", "offline", "other"]
CHANNEL_WEIGHTS = [22, 16, 18, 8, 9, 7, 10, 4, 3, 3]
CAMPAIGNS = {
    "paid_search": ["brand_search", "competitor_search", "generic_search"],
    "paid_social": ["linkedin_abm", "meta_prospecting"],
    "display": ["display_retargeting"],
    "email": ["newsletter", "nurture_sequence"],
    "offline": ["trade_show"],
    "referral": ["partner_program"],
    "other": ["podcast_sponsorship"],
    "organic_search": [],
    "organic_social": [],
    "direct": [],
}
SEGMENTS = ["smb", "mid_market", "enterprise"]
SEGMENT_WEIGHTS = [55, 30, 15]
REGIONS = ["na", "emea", "apac", "latam"]
PERSONAS = ["marketer", "developer", "executive", "analyst"]
INDUSTRIES = ["software", "retail", "finance", "healthcare", "manufacturing", "media"]
FIRST = ["ana", "ben", "chloe", "dev", "eli", "fatima", "gus", "hana", "ivan", "jo",
         "kai", "lena", "mo", "nina", "omar", "pia", "quinn", "raj", "sara", "tom"]
LAST = ["smith", "garcia", "mueller", "rossi", "kim", "nguyen", "silva", "khan",
        "novak", "olsen", "dubois", "tanaka"]
DOMAINS = ["acme.io", "globex.com", "initech.net", "umbrella.org", "hooli.com",
           "example.org", "gmail.com", "outlook.com"]

MILESTONES = ["signup_started_at", "signup_completed_at", "trial_started_at", "activated_at",
              "first_feature_at", "mql_at", "sql_at", "opportunity_at", "customer_at",
              "first_contact_at"]
PEOPLE_COLUMNS = (["id", "email", "created_at", "source", "campaign", "persona", "segment",
                   "region", "icp", "account_id"] + MILESTONES
                  + ["task_profile", "task_invite", "task_integration"])

rng = random.Random(SEED)


def ts(v):
    return "" if v is None else v.strftime("%Y-%m-%dT%H:%M:%S")


def ds(v):
    return v.strftime("%Y-%m-%d")


def rand_dt(lo, hi):
    """Uniform random datetime in [lo, hi), whole seconds."""
    span = int((hi - lo).total_seconds())
    return lo + timedelta(seconds=rng.randrange(span))


def maybe(p):
    return rng.random() < p


def add_days(base, lo, hi):
    return base + timedelta(seconds=rng.randrange(int(lo * 86400), int(hi * 86400)))


def month_iter(first, last):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield date(y, m, 1)
        m += 1
        if m == 13:
            y, m = y + 1, 1


def write(name, columns, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") if isinstance(r, dict) else r[i] for i, c in enumerate(columns)])
    return len(rows)


# --------------------------------------------------------------------------- accounts
def make_accounts(n=420):
    accounts = []
    for i in range(1, n + 1):
        seg = rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
        accounts.append({
            "account_id": f"a{i:04d}",
            "icp_tier": rng.choice(["tier_1", "tier_2", "tier_3"]),
            "segment": seg,
            "industry": rng.choice(INDUSTRIES),
            "region": rng.choice(REGIONS),
            "target_account": "true" if maybe(0.25) else "false",
        })
    return accounts


# --------------------------------------------------------------------------- people
def created_time():
    """Lead creation times with growth over the 18 months (more leads later)."""
    total_days = (END - START).days + 1
    while True:
        d = rng.randrange(total_days)
        if rng.random() < 0.55 + 0.45 * d / total_days:
            break
    day = START + timedelta(days=d)
    return datetime(day.year, day.month, day.day) + timedelta(seconds=rng.randrange(86400))


def make_person(idx, accounts):
    created = created_time()
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    camps = CAMPAIGNS[channel]
    campaign = rng.choice(camps) if camps and maybe(0.85) else ""
    acct = rng.choice(accounts) if maybe(0.7) else None
    segment = acct["segment"] if acct and maybe(0.9) else rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
    icp_p = {"enterprise": 0.7, "mid_market": 0.5, "smb": 0.25}[segment]
    f, l = rng.choice(FIRST), rng.choice(LAST)
    r = rng.random()
    if r < 0.04:
        email = ""
    elif r < 0.05:
        email = rng.choice(["   ", "\t", " \u00a0 "])  # white space only = no e-mail
    else:
        email = f"{f}.{l}{idx}@{rng.choice(DOMAINS)}"
    p = {
        "id": f"p{idx:05d}",
        "email": email,
        "created_at": created,
        "source": channel,
        "campaign": campaign,
        "persona": rng.choice(PERSONAS) if maybe(0.9) else "",
        "segment": segment,
        "region": rng.choice(REGIONS),
        "icp": ("true" if maybe(icp_p) else "false") if maybe(0.95) else "",
        "account_id": acct["account_id"] if acct else "",
    }
    m = {k: None for k in MILESTONES}
    if maybe(0.82):
        m["first_contact_at"] = created + timedelta(seconds=int(rng.expovariate(1 / (20 * 3600))))
    if maybe(0.55):
        m["signup_started_at"] = add_days(created, 0, 2)
        if maybe(0.78):
            m["signup_completed_at"] = (add_days(m["signup_started_at"], 0, 3) if maybe(0.85)
                                        else add_days(m["signup_started_at"], 5, 11))
            sc = m["signup_completed_at"]
            if maybe(0.55):
                m["trial_started_at"] = add_days(sc, 0, 3)
            if maybe(0.58):
                m["activated_at"] = add_days(sc, 0, 21)
            if maybe(0.62):
                m["first_feature_at"] = add_days(sc, 0, 19)
    if maybe(0.36):
        m["mql_at"] = add_days(created, 0, 60)
        if maybe(0.5):
            m["sql_at"] = add_days(m["mql_at"], 0, 45)
            if maybe(0.55):
                m["opportunity_at"] = add_days(m["sql_at"], 0, 30)
                if maybe(0.45):
                    m["customer_at"] = add_days(m["opportunity_at"], 0, 40)
    if m["customer_at"] is None and m["trial_started_at"] is not None and maybe(0.28):
        m["customer_at"] = add_days(m["trial_started_at"], 0, 45)
    tasks = {"task_profile": None, "task_invite": None, "task_integration": ""}
    if m["signup_completed_at"] is not None:
        sc = m["signup_completed_at"]
        if maybe(0.65):
            tasks["task_profile"] = add_days(sc, 0, 20)
        if maybe(0.42):
            tasks["task_invite"] = add_days(sc, 0, 20)
        r = rng.random()
        tasks["task_integration"] = "true" if r < 0.38 else ("false" if r < 0.9 else "")
    elif maybe(0.5):
        tasks["task_integration"] = "false"
    p.update(m)
    p.update(tasks)
    return p


TS_COLUMNS = ["created_at"] + MILESTONES + ["task_profile", "task_invite"]


def cap_at_export(p):
    """Nothing in the export is later than the export time."""
    for k in TS_COLUMNS:
        if p[k] is not None and p[k] > EXPORT:
            p[k] = None


def perturb_duplicate(orig, new_id, new_email, created):
    """A second row for the same person as seen by another system / import."""
    d = dict(orig)
    d["id"] = new_id
    d["email"] = new_email
    d["created_at"] = created
    d["source"] = rng.choice(CHANNELS)
    d["campaign"] = ""
    d["segment"] = rng.choice(SEGMENTS)
    d["persona"] = rng.choice(PERSONAS)
    base = created if created is not None else orig["created_at"]
    for k in MILESTONES + ["task_profile", "task_invite"]:
        r = rng.random()
        if d[k] is not None:
            if r < 0.3:
                d[k] = None
            elif r < 0.5:
                d[k] = d[k] + timedelta(seconds=rng.randrange(-5 * 86400, 5 * 86400))
        elif r < 0.08 and base is not None:
            d[k] = add_days(base, 0, 40)
    if orig["task_integration"] != "true" and maybe(0.3):
        d["task_integration"] = "true"
    elif maybe(0.3):
        d["task_integration"] = rng.choice(["false", ""])
    return d


def email_variant(email):
    variants = [email.upper(), "  " + email + " ", email.capitalize(), "\t" + email.upper(),
                "\u00a0" + email, email.title()]
    return rng.choice(variants)


def make_people(accounts):
    n_base = 2860
    people = [make_person(i, accounts) for i in range(1, n_base + 1)]
    people.sort(key=lambda p: p["created_at"])  # exports are usually in creation order
    for i, p in enumerate(people, 1):  # ids in creation order, e-mails keep their number
        p["id"] = f"p{i:05d}"

    def pick(cond=lambda p: True):
        while True:
            p = rng.choice(people[:n_base])
            if not p.get("_edge") and cond(p):
                p["_edge"] = True
                return p

    # ---- exact window edges (inclusive) and just-outside values
    def edge(cond, base_col, target_col, delta):
        p = pick(lambda q: q[base_col] is not None and cond(q))
        p[target_col] = p[base_col] + delta

    early = lambda q: q["created_at"] < datetime(2026, 3, 1)
    for _ in range(3):
        edge(early, "created_at", "customer_at", timedelta(days=90))            # conversion: in
    edge(early, "created_at", "customer_at", timedelta(days=90, seconds=1))     # conversion: out
    for _ in range(3):
        edge(early, "trial_started_at", "customer_at", timedelta(days=30))      # trial->paid: in
    edge(early, "trial_started_at", "customer_at", timedelta(days=30, seconds=1))
    for _ in range(3):
        edge(early, "signup_completed_at", "activated_at", timedelta(days=14))  # activation: in
    edge(early, "signup_completed_at", "activated_at", timedelta(days=14, seconds=1))
    edge(early, "signup_completed_at", "first_feature_at", timedelta(days=14))
    edge(early, "signup_completed_at", "task_profile", timedelta(days=14))
    edge(early, "signup_completed_at", "task_invite", timedelta(days=14, seconds=1))
    for _ in range(2):
        edge(early, "signup_started_at", "signup_completed_at", timedelta(days=7))
    edge(early, "signup_started_at", "signup_completed_at", timedelta(days=7, seconds=1))
    for _ in range(2):
        edge(early, "mql_at", "sql_at", timedelta(days=30))
    edge(early, "mql_at", "sql_at", timedelta(days=30, seconds=1))
    edge(early, "signup_completed_at", "activated_at", timedelta(days=30))      # quality: in (not activation)
    for _ in range(2):
        edge(early, "created_at", "first_contact_at", timedelta(hours=24))      # 24h: in
    edge(early, "created_at", "first_contact_at", timedelta(hours=24, seconds=1))
    for _ in range(2):
        edge(early, "created_at", "first_contact_at", timedelta(0))             # zero duration
    edge(early, "created_at", "mql_at", timedelta(days=90))                     # funnel step edge
    # period edges: first and last second of a month
    pick()["created_at"] = datetime(2026, 3, 1, 0, 0, 0)
    pick()["created_at"] = datetime(2026, 3, 31, 23, 59, 59)
    pick(lambda q: q["trial_started_at"] is not None)["trial_started_at"] = datetime(2025, 12, 29, 0, 0, 0)

    # ---- out-of-order milestones (target before base: never converts)
    p = pick(lambda q: q["customer_at"] is not None and early(q))
    p["customer_at"] = p["created_at"] - timedelta(hours=5)
    p = pick(lambda q: q["customer_at"] is not None and q["created_at"].day > 3 and early(q))
    p["customer_at"] = p["created_at"].replace(day=1) - timedelta(days=2)  # previous month
    p = pick(lambda q: q["mql_at"] is not None and q["created_at"] < datetime(2025, 3, 1))
    p["mql_at"] = datetime(2024, 11, 18, 10, 15, 0)  # an MQL date in an earlier year
    for _ in range(3):
        p = pick(lambda q: q["first_contact_at"] is not None)
        p["first_contact_at"] = p["created_at"] - timedelta(minutes=rng.randrange(5, 600))
    p = pick(lambda q: q["activated_at"] is not None and q["signup_completed_at"] is not None)
    p["activated_at"] = p["signup_completed_at"] - timedelta(days=1)
    p = pick(lambda q: q["signup_completed_at"] is not None)
    p["signup_completed_at"] = p["signup_started_at"] - timedelta(hours=3)
    p = pick(lambda q: q["sql_at"] is not None)
    p["sql_at"] = p["mql_at"] - timedelta(days=2)  # funnel: no order required between steps

    # ---- around the explicit as-of (2026-06-30, end of day)
    pick(lambda q: q["created_at"] > datetime(2026, 6, 1))["created_at"] = datetime(2026, 6, 30, 23, 59, 59)
    late = [q for q in people if q["created_at"] > datetime(2026, 6, 24) and not q.get("_edge")]
    q = late[0]
    q["_edge"] = True
    q["created_at"] = datetime(2026, 7, 1, 0, 0, 0)  # first second after the explicit as-of
    q = late[1]
    q["_edge"] = True
    q["mql_at"] = datetime(2026, 6, 30, 23, 59, 59)
    q = late[2]
    q["_edge"] = True
    q["mql_at"] = datetime(2026, 7, 1, 0, 0, 0)
    # people created after the as-of (but before the export)
    for _ in range(14):
        q = pick(lambda r: r["created_at"] > datetime(2026, 6, 20))
        shift = rand_dt(datetime(2026, 7, 1), datetime(2026, 7, 4, 12)) - q["created_at"]
        for k in TS_COLUMNS:
            if q[k] is not None:
                q[k] = q[k] + shift

    # ---- null created_at (anchor missing); their other milestones still count
    for _ in range(6):
        pick(lambda r: r["created_at"] < datetime(2026, 6, 1))["created_at"] = None
    q = pick(lambda r: r["mql_at"] is not None and r["created_at"] < datetime(2026, 5, 1))
    q["created_at"] = None

    for p in people:
        cap_at_export(p)
    # the latest timestamp of all tables (= default as-of)
    q = pick(lambda r: r["signup_completed_at"] is not None and r["activated_at"] is None
             and r["created_at"] is not None and r["created_at"] > datetime(2026, 6, 25))
    q["activated_at"] = EXPORT

    # ---- duplicates (inserted at random positions; file order breaks created_at ties)
    extra = []
    next_id = 90001
    used_for_dup = set()

    def pick_dup(cond=lambda p: True):
        while True:
            p = rng.choice(people)
            if (id(p) not in used_for_dup and p["created_at"] is not None and p["email"].strip()
                    and not p.get("_edge") and p["created_at"] < datetime(2026, 6, 1) and cond(p)):
                used_for_dup.add(id(p))
                return p

    # repeated id (another system re-exported the same record)
    for i in range(45):
        o = pick_dup()
        shift = timedelta(days=rng.randrange(1, 30), seconds=rng.randrange(86400))
        created = o["created_at"] - shift if i % 4 == 0 else o["created_at"] + shift
        new_email = o["email"] if i % 2 == 0 else ("" if i % 5 == 1 else f"alt.{o['id']}@{rng.choice(DOMAINS)}")
        extra.append(perturb_duplicate(o, o["id"], new_email, created))
    # same e-mail, other id (case / white space differ)
    for i in range(45):
        o = pick_dup()
        shift = timedelta(days=rng.randrange(0, 20), seconds=rng.randrange(86400))
        created = o["created_at"] - shift if i % 3 == 0 else o["created_at"] + shift
        extra.append(perturb_duplicate(o, f"p{next_id:05d}", email_variant(o["email"]), created))
        next_id += 1
    # exact created_at tie: the row earlier in the file gives the dimensions
    for i in range(2):
        o = pick_dup()
        extra.append(perturb_duplicate(o, f"p{next_id:05d}", o["email"].upper(), o["created_at"]))
        next_id += 1
    # transitive chains: A(id1,e1) - B(id2,E1) - C(id2,e2) - D(id3,e2): one person
    for i in range(6):
        a = pick_dup()
        e2 = f"chain{i}.{a['id']}@{rng.choice(DOMAINS)}"
        id2, id3 = f"p{next_id:05d}", f"p{next_id + 1:05d}"
        next_id += 2
        b = perturb_duplicate(a, id2, " " + a["email"].upper(), a["created_at"] + timedelta(days=rng.randrange(1, 9)))
        c = perturb_duplicate(a, id2, e2, a["created_at"] + timedelta(days=rng.randrange(1, 9)))
        dd = perturb_duplicate(a, id3, e2.upper() + " ", a["created_at"] - timedelta(days=rng.randrange(1, 9)) if i % 2 else a["created_at"] + timedelta(days=20))
        extra += [b, c, dd]
    # a duplicate whose earliest row (in the file) has a null created_at
    o = pick_dup()
    extra.append(perturb_duplicate(o, o["id"], o["email"], None))
    # a person all of whose rows have a null created_at (but an MQL date)
    o = pick_dup(lambda p: p["mql_at"] is not None)
    o["created_at"] = None
    o2 = perturb_duplicate(o, f"p{next_id:05d}", o["email"].upper(), None)
    o2["mql_at"] = o["mql_at"] - timedelta(days=3)
    extra.append(o2)
    next_id += 1

    for d in extra:
        cap_at_export(d)
        if d["created_at"] is not None and d["created_at"] > EXPORT:
            d["created_at"] = EXPORT - timedelta(hours=1)

    rows = list(people)
    for d in extra:
        rows.insert(rng.randrange(len(rows) + 1), d)

    # dimension values with stray white space / empty (after trimming: same value or "(none)")
    for p in rows:
        r = rng.random()
        if r < 0.025:
            p["source"] = ""
        elif r < 0.035:
            p["source"] = rng.choice([" ", "  ", "\t", "\u00a0"])
        elif r < 0.05:
            p["source"] = rng.choice([" ", "", "\u00a0"]) + p["source"] + rng.choice([" ", "  ", "\u2003"])
        if rng.random() < 0.02:
            p["segment"] = rng.choice(["", " "])
        elif rng.random() < 0.01:
            p["segment"] = " " + p["segment"]
    out = []
    for p in rows:
        o = {k: p[k] for k in PEOPLE_COLUMNS}
        for k in TS_COLUMNS:
            o[k] = ts(p[k])
        out.append(o)
    return out


# --------------------------------------------------------------------------- spend
SPEND_CAMPAIGNS = [
    # channel, campaign, daily?, cpc, ctr, cvr, icp audience rule
    ("paid_search", "brand_search", True, 1.10, 0.080, 0.060, "false"),
    ("paid_search", "competitor_search", True, 3.40, 0.035, 0.030, "weekday"),
    ("paid_search", "generic_search", True, 2.20, 0.030, 0.020, "false"),
    ("paid_social", "linkedin_abm", True, 6.50, 0.006, 0.015, "true"),
    ("paid_social", "meta_prospecting", True, 0.90, 0.011, 0.010, "mixed"),
    ("display", "display_retargeting", True, 0.60, 0.004, 0.005, "false"),
]


def make_spend():
    rows = []
    day = START
    last = date(2026, 7, 3)  # the export also holds the first days of July
    while day <= last:
        t = (day - START).days
        growth = 1 + t / 900
        for ch, camp, _, cpc, ctr, cvr, icp_rule in SPEND_CAMPAIGNS:
            if camp == "linkedin_abm" and date(2025, 8, 1) <= day <= date(2025, 8, 20):
                continue  # campaign paused
            impressions = int(rng.uniform(2000, 9000) * growth * (0.7 if day.weekday() >= 5 else 1))
            clicks = int(impressions * ctr * rng.uniform(0.7, 1.3))
            conversions = int(clicks * cvr * rng.uniform(0.5, 1.5) + rng.random())
            cost = round(clicks * cpc * rng.uniform(0.85, 1.15), 2)
            if icp_rule == "weekday":
                icp = "true" if day.weekday() < 5 else "false"
            elif icp_rule == "mixed":
                icp = "true" if rng.random() < 0.3 else "false"
            else:
                icp = icp_rule
            rows.append([ds(day), ch, camp, f"{cost:.2f}", impressions, clicks, conversions, icp, "USD"])
        if day.weekday() == 1:  # weekly newsletter sends
            sends = int(rng.uniform(8000, 12000) * growth)
            clicks = int(sends * 0.02 * rng.uniform(0.8, 1.2))
            rows.append([ds(day), "email", "newsletter", f"{sends * 0.0009:.2f}", sends, clicks,
                         int(clicks * 0.04), "true", "USD"])
        if day.day == 1:  # monthly invoices: referral partner payouts and podcast sponsorship
            rows.append([ds(day), "referral", "partner_program", f"{rng.uniform(800, 2500):.2f}",
                         "", "", int(rng.uniform(3, 12)), "false", "USD"])
            rows.append([ds(day), "other", "podcast_sponsorship", f"{rng.uniform(1500, 3000):.2f}",
                         int(rng.uniform(20000, 40000)), int(rng.uniform(100, 300)), "", "false", "USD"])
        day += timedelta(days=1)
    # trade shows: a few three-day events with a big cost on the first day
    for start in [date(2025, 3, 11), date(2025, 6, 3), date(2025, 10, 14), date(2026, 2, 24),
                  date(2026, 5, 19)]:
        for k in range(3):
            rows.append([ds(start + timedelta(days=k)), "offline", "trade_show",
                         f"{(18000 if k == 0 else rng.uniform(500, 1500)):.2f}", "", "",
                         int(rng.uniform(5, 25)), "true", "USD"])
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    # nulls: a missing cost, impressions and conversions; one month of podcast cost unknown
    for r in rows:
        if r[0] == "2025-05-17" and r[2] == "generic_search":
            r[3] = ""
        if r[0] == "2025-09-02" and r[2] == "linkedin_abm":
            r[4] = ""
        if r[0] == "2026-01-20" and r[2] == "competitor_search":
            r[6] = ""
        if r[0] == "2025-11-01" and r[2] == "podcast_sponsorship":
            r[3] = ""
    return rows


# --------------------------------------------------------------------------- revenue
PLAN_BY_SEGMENT = {"smb": ("starter", 40, 300), "mid_market": ("growth", 300, 1500),
                   "enterprise": ("scale", 1500, 8000)}


def make_revenue(accounts):
    months = list(month_iter(START, date(2026, 5, 1)))  # billing data up to May 2026
    customers = rng.sample(accounts, 270)
    rows = []
    special = {c["account_id"]: i for i, c in enumerate(customers[:12])}
    for ci, acct in enumerate(customers):
        seg = acct["segment"]
        plan, lo, hi = PLAN_BY_SEGMENT[seg]
        start_i = 0 if ci < 70 else rng.randrange(1, len(months))
        mrr = round(rng.uniform(lo, hi) / 10) * 10.0
        active = True
        gap = 0
        sp = special.get(acct["account_id"])
        for mi in range(start_i, len(months)):
            m = months[mi]
            if not active:
                if gap > 0:
                    gap -= 1
                    if gap == 0:
                        active = True  # reactivated after a pause
                    else:
                        continue
                else:
                    continue
            r = rng.random()
            if mi > start_i:
                if r < 0.022:
                    active = False
                    if sp is not None and sp < 4:
                        gap = rng.randrange(2, 5)
                    if rng.random() < 0.4:  # churn month exported with an explicit 0
                        rows.append([acct["account_id"], ds(m), "0", plan, seg])
                    continue
                elif r < 0.085:
                    mrr = round(mrr * rng.uniform(1.1, 1.6) / 10) * 10.0
                elif r < 0.115:
                    mrr = round(mrr * rng.uniform(0.5, 0.9) / 10) * 10.0
            day = m
            u = rng.random()
            if u < 0.10:
                day = m.replace(day=15)
            elif u < 0.15:
                day = (m.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            rows.append([acct["account_id"], ds(day), f"{mrr:.2f}", plan, seg])
    # segment changes (an account grows into the next segment) from a given month on
    movers = [c["account_id"] for c in customers[20:22]]
    for r in rows:
        if r[0] == movers[0] and r[1] >= "2025-09-01":
            r[4] = "mid_market" if r[4] == "smb" else "enterprise"
        if r[0] == movers[1] and r[1] >= "2026-02-01":
            r[4] = "enterprise" if r[4] != "enterprise" else "smb"
    # several rows for one account-month (an add-on billed separately): summed
    dup_candidates = [r for r in rows if r[2] != "0" and r[1] >= "2025-03-01"]
    for r in rng.sample(dup_candidates, 6):
        total = float(r[2])
        addon = round(total * 0.2, 2)
        r[2] = f"{total - addon:.2f}"
        rows.append([r[0], r[1], f"{addon:.2f}", "addon", r[4]])
    # a null MRR (the billing system lost the amount): counts as 0
    def paying(acct, month):
        return any(r[0] == acct and r[1].startswith(month) and r[2] not in ("0", "") for r in rows)
    cands = sorted(r for r in rows if r[1].startswith("2025-10") and r[2] != "0" and r[3] != "addon"
                   and paying(r[0], "2025-09") and paying(r[0], "2025-11"))
    cands[0][2] = ""
    # stray white space in a segment value
    sm = [r for r in rows if r[4] == "smb"]
    sm[5][4] = "smb "
    sm[40][4] = " smb"
    rows.sort(key=lambda r: (r[1][:7], r[0], r[3]))
    return rows


# --------------------------------------------------------------------------- series
def make_series():
    rows = []
    day = START
    community = 1200
    while day <= END:
        t = (day - START).days
        wk = 0.65 if day.weekday() >= 5 else 1.0
        growth = 1 + t / 700
        visitors = int(rng.uniform(900, 1300) * wk * growth)
        sessions = int(visitors * rng.uniform(1.2, 1.45))
        engaged = int(sessions * rng.uniform(0.45, 0.62))
        rows.append([ds(day), "visitors", visitors, ""])
        rows.append([ds(day), "sessions", sessions, ""])
        rows.append([ds(day), "engaged_sessions", engaged, ""])
        rows.append([ds(day), "content_engagements", int(rng.uniform(80, 260) * growth), ""])
        rows.append([ds(day), "branded_search_volume", int(rng.uniform(40, 140) * growth), ""])
        rows.append([ds(day), "social_engagements", int(rng.uniform(15, 70) * growth), "true"])
        rows.append([ds(day), "social_engagements", int(rng.uniform(90, 320) * growth), "false"])
        if day.weekday() == 0:  # community size snapshot every Monday ...
            community += int(rng.uniform(-15, 60))
            if day == date(2026, 2, 2):
                community -= 180  # a clean-up of inactive members
            if not (date(2025, 8, 1) <= day <= date(2025, 8, 31)):  # ... except August 2025
                rows.append([ds(day), "community_members", community, ""])
        day += timedelta(days=1)
    # a missing value (skipped in sums)
    for r in rows:
        if r[0] == "2025-07-09" and r[1] == "visitors":
            r[2] = ""
    return rows


# --------------------------------------------------------------------------- survey
def make_survey():
    rows = []
    n = 0
    for m in month_iter(START, END):
        k = rng.randrange(45, 85)
        nxt = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
        days = (nxt - m).days
        t = (m - START).days / 540
        for _ in range(k):
            n += 1
            day = m + timedelta(days=rng.randrange(days))
            icp = rng.random()
            icp_s = "true" if icp < 0.4 else ("false" if icp < 0.95 else "")
            aware_p = 0.35 + 0.15 * t + (0.1 if icp_s == "true" else 0)
            aware = "true" if rng.random() < aware_p else "false"
            if rng.random() < 0.06:
                aware = ""
            recall = "true" if (aware == "true" and rng.random() < 0.45) else "false"
            if rng.random() < 0.08:
                recall = ""
            rows.append([ds(day), f"r{n:05d}", icp_s, aware, recall])
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


# =========================================================================== investment (issue 10)
# Budget sheet, deals export and revenue with its acquisition channel.  Written
# after the six tables above, from their in-memory rows, with a random generator
# of its own (`irng`): the files above do not change.

INVESTMENT_SEED = 20261201
irng = random.Random(INVESTMENT_SEED)
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BUDGET_LAST = date(2026, 7, 1)  # the sheet already plans July 2026


def month_text(m, style):
    """A budget sheet's month cell: `2026-03`, `Mar 2026` or a date inside the month."""
    if style == "iso":
        return f"{m.year:04d}-{m.month:02d}"
    if style == "abbr":
        return f"{MONTH_ABBR[m.month - 1]} {m.year:04d}"
    return ds(m.replace(day=style))


def random_month_style():
    r = irng.random()
    if r < 0.7:
        return "iso"
    if r < 0.9:
        return "abbr"
    return irng.randrange(1, 29)  # any date in the month


# --------------------------------------------------------------------------- revenue + channel
def make_revenue_channel(revenue, people):
    """revenue.csv with one more column, `channel`: the account's acquisition channel (the
    trimmed source of its earliest person; a random channel for accounts without people;
    empty for a few, giving `(none)`)."""
    first_source = {}
    for p in sorted((p for p in people if p["account_id"] and p["created_at"]),
                    key=lambda p: (p["created_at"], p["id"])):
        first_source.setdefault(p["account_id"], p["source"].strip())
    channel = {}
    for acct in sorted({r[0] for r in revenue}):
        if acct in first_source:
            channel[acct] = first_source[acct]
        else:
            channel[acct] = irng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        if i_maybe(0.03):
            channel[acct] = ""
    return [r + [channel[r[0]]] for r in revenue]


def i_maybe(p):
    return irng.random() < p


# --------------------------------------------------------------------------- budget
def make_budget(spend):
    """Monthly budget rows 2025-01 .. 2026-07 by channel (by campaign for most channels).

    paid_search and meta_prospecting are planned close to their spend; linkedin_abm is
    under-budgeted (paid_social overspends); display is over-budgeted (under-pacing);
    email has no budget before 2025-04 and podcast_sponsorship none in 2025-04 (spend
    without budget); trade_show is budgeted in its event months plus 2025-12 (a cancelled
    show: budget without spend); organic_social has a budget from 2026-01 and never any
    spend.  brand_search 2026-03 is two rows (a top-up, summed) in two month spellings;
    competitor_search 2025-09 has a second row with an empty budget (skipped)."""
    monthly = defaultdict(float)
    for r in spend:
        if r[3]:
            monthly[(r[0][:7], r[1], r[2])] += float(r[3])

    def planned(m, ch, camp, lo, hi):
        key = f"{m.year:04d}-{m.month:02d}"
        cost = monthly[(key, ch, camp)] if m < BUDGET_LAST else monthly[("2026-06", ch, camp)]
        if camp == "linkedin_abm" and key == "2025-08":
            cost = monthly[("2025-07", ch, camp)]  # planned as usual, then paused for 20 days
        return round(cost * irng.uniform(lo, hi) / 100) * 100

    rows = []
    for m in month_iter(START, BUDGET_LAST):
        key = f"{m.year:04d}-{m.month:02d}"
        for camp in ["brand_search", "competitor_search", "generic_search"]:
            rows.append([m, "paid_search", camp, planned(m, "paid_search", camp, 0.96, 1.06)])
        rows.append([m, "paid_social", "linkedin_abm", planned(m, "paid_social", "linkedin_abm", 0.76, 0.80)])
        rows.append([m, "paid_social", "meta_prospecting", planned(m, "paid_social", "meta_prospecting", 0.96, 1.06)])
        rows.append([m, "display", "", 900])
        if m >= date(2025, 4, 1):
            rows.append([m, "email", "", 60])
        rows.append([m, "referral", "partner_program", 1500])
        if key != "2025-04":
            rows.append([m, "other", "podcast_sponsorship", 2300])
        if key in ("2025-03", "2025-06", "2025-10", "2026-02", "2026-05"):
            rows.append([m, "offline", "trade_show", 20000])
        if key == "2025-12":
            rows.append([m, "offline", "trade_show", 15000])
        if m >= date(2026, 1, 1):
            rows.append([m, "organic_social", "", 400])
    out = []
    for m, ch, camp, amount in rows:
        style = random_month_style()
        if (m, ch, camp) == (date(2026, 3, 1), "paid_search", "brand_search"):
            out.append([month_text(m, "iso"), ch, camp, f"{amount - 3000}", "USD"])
            out.append([month_text(m, "abbr"), ch, camp, "3000", "USD"])  # top-up: summed
            continue
        out.append([month_text(m, style), ch, camp, f"{amount}", "USD"])
        if (m, ch, camp) == (date(2025, 9, 1), "paid_search", "competitor_search"):
            out.append([month_text(m, "abbr"), ch, camp, "", "USD"])  # empty budget: skipped
    return out


# --------------------------------------------------------------------------- deals
OWNERS = ["amira.haddad", "bruno.costa", "chen.wei", "dana.levi", "erik.lund", "fiona.walsh"]
OPEN_STAGES = ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
               "Decision Maker Bought-In", "Contract Sent"]
DEAL_SIZE = {"smb": (1000, 4000), "mid_market": (4000, 18000), "enterprise": (18000, 96000)}  # ~ 12 x MRR


def won_stage():
    return irng.choices(["Closed Won", "closed won ", "Won", " CLOSED WON", "won"], [70, 10, 10, 5, 5])[0]


def lost_stage():
    return irng.choices(["Closed Lost", "lost", "Closed lost ", "LOST"], [70, 10, 10, 10])[0]


def open_stage():
    return "" if i_maybe(0.03) else irng.choice(OPEN_STAGES)


def parse_ts(s):
    return datetime.fromisoformat(s) if s else None


def deal_amount(segment):
    lo, hi = DEAL_SIZE.get(segment, DEAL_SIZE["smb"])
    return round(math.exp(irng.uniform(math.log(lo), math.log(hi))) / 100) * 100.0


def deal_created_time():
    total_days = (date(2026, 7, 3) - START).days + 1
    while True:
        d = irng.randrange(total_days)
        if irng.random() < 0.5 + 0.5 * d / total_days:
            break
    day = START + timedelta(days=d)
    return datetime(day.year, day.month, day.day) + timedelta(seconds=irng.randrange(8 * 3600, 19 * 3600))


def close_deal(d, outcome, created, won_close=None):
    """Sets stage / closed_at; a close later than the export leaves the deal open with that
    date as its expected close."""
    if outcome == "won":
        closed = won_close or created + timedelta(seconds=irng.randrange(10 * 86400, 120 * 86400))
    elif outcome == "lost":
        closed = created + timedelta(seconds=irng.randrange(5 * 86400, 90 * 86400))
    else:
        closed = created + timedelta(seconds=irng.randrange(20 * 86400, 100 * 86400))  # expected close
    if closed > EXPORT:
        outcome = "open"
    d["stage"] = {"won": won_stage, "lost": lost_stage, "open": open_stage}[outcome]()
    d["closed_at"] = closed.replace(hour=0, minute=0, second=0) + timedelta(hours=irng.randrange(9, 18)) \
        if outcome == "open" else closed
    d["_outcome"] = outcome


def make_deals(people, accounts, revenue):
    """Deals: one per person with an opportunity (created at opportunity_at, won at
    customer_at when the person became a customer), about a thousand sales-sourced deals,
    a strong pipeline month after the 2026-02 trade show, edge rows and duplicates."""
    acct_segment = {a["account_id"]: a["segment"] for a in accounts}
    customers = sorted({r[0] for r in revenue})
    base = []
    seen = set()
    for p in people:
        if p["id"] in seen or p["id"] >= "p90000":
            continue  # one deal per original person row
        seen.add(p["id"])
        opp = parse_ts(p["opportunity_at"])
        if opp is None or opp > EXPORT:
            continue
        created = opp + timedelta(seconds=irng.randrange(3600, 6 * 3600))
        d = {"created_at": created, "source": p["source"], "campaign": p["campaign"],
             "account_id": p["account_id"]}
        cust = parse_ts(p["customer_at"])
        if cust is not None and cust >= created:
            close_deal(d, "won", created, cust)
        else:
            close_deal(d, irng.choices(["lost", "open", "won"], [60, 25, 15])[0], created)
        base.append(d)
    for _ in range(1000):
        created = deal_created_time()
        ch = irng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        camps = CAMPAIGNS[ch]
        r = irng.random()
        acct = irng.choice(accounts)["account_id"] if r < 0.55 else (
            irng.choice(customers) if r < 0.65 else (f"a9{irng.randrange(1000):03d}" if r < 0.75 else ""))
        d = {"created_at": created, "source": ch,
             "campaign": irng.choice(camps) if camps and i_maybe(0.85) else "", "account_id": acct}
        close_deal(d, irng.choices(["won", "lost", "open"], [30, 45, 25])[0], created)
        base.append(d)
    # a month of strong pipeline: the 2026-02-24 trade show's follow-ups, created in March 2026
    for _ in range(140):
        created = datetime(2026, 3, 2) + timedelta(seconds=irng.randrange(25 * 86400))
        offline = i_maybe(0.65)
        d = {"created_at": created, "source": "offline" if offline else irng.choice(["paid_search", "direct", "referral"]),
             "campaign": "trade_show" if offline else "",
             "account_id": irng.choice(accounts)["account_id"] if i_maybe(0.8) else ""}
        d["_big"] = True
        close_deal(d, irng.choices(["won", "lost", "open"], [25, 30, 45])[0], created)
        base.append(d)
    for d in base:
        seg = acct_segment.get(d["account_id"], irng.choice(SEGMENTS))
        d["amount"] = deal_amount("enterprise" if d.get("_big") and i_maybe(0.4) else seg)
        d["owner"] = irng.choice(OWNERS)
        d["pipeline"] = ("partner" if d["source"].strip() == "referral" else
                         "expansion" if d["account_id"] in customers and i_maybe(0.4) else "new_business")

    # ---- edge rows around the explicit as-of dates (2026-06-30 and 2026-04-29) and months
    def edge(created, outcome, closed=None, **kw):
        d = {"created_at": created, "source": "paid_search", "campaign": "generic_search", "account_id": "",
             "amount": 12000.0, "owner": OWNERS[0], "pipeline": "new_business"}
        d.update(kw)
        if outcome == "open":
            d["stage"], d["closed_at"], d["_outcome"] = "Contract Sent", closed, "open"
        else:
            d["stage"] = "Closed Won" if outcome == "won" else "Closed Lost"
            d["closed_at"], d["_outcome"] = closed, outcome
        d["_edge"] = True
        base.append(d)
    edge(datetime(2026, 6, 30, 23, 59, 59), "open", datetime(2026, 8, 15, 12))        # created: in
    edge(datetime(2026, 7, 1, 0, 0, 0), "open", datetime(2026, 8, 20, 12))            # created: out
    edge(datetime(2026, 5, 20, 10), "won", datetime(2026, 6, 30, 23, 59, 59))         # closed: in
    edge(datetime(2026, 5, 21, 10), "won", datetime(2026, 7, 1, 0, 0, 0))             # closed: out
    edge(datetime(2026, 4, 29, 23, 59, 59), "open", datetime(2026, 6, 1, 12))         # mid as-of: in
    edge(datetime(2026, 4, 30, 0, 0, 0), "open", datetime(2026, 6, 2, 12))            # mid as-of: out
    edge(datetime(2026, 3, 10, 9), "won", datetime(2026, 4, 29, 23, 59, 59))          # mid as-of: in
    edge(datetime(2026, 3, 11, 9), "lost", datetime(2026, 4, 30, 0, 0, 0))            # mid as-of: out
    edge(datetime(2026, 5, 1, 0, 0, 0), "lost", datetime(2026, 5, 31, 23, 59, 59))    # month edges
    edge(datetime(2025, 9, 3, 14), "won", datetime(2025, 9, 3, 14))                   # 0-day cycle
    # open deals whose expected close date has passed: ignored (not closed)
    edge(datetime(2026, 2, 2, 11), "open", datetime(2026, 4, 15, 12), source="paid_social", campaign="linkedin_abm")
    edge(datetime(2025, 10, 6, 11), "open", datetime(2025, 12, 1, 12), source="email", campaign="newsletter")
    # closed deals without a close date: not counted by close-anchored KPIs
    for i, outcome in enumerate(["won", "won", "won", "lost", "lost", "lost"]):
        edge(datetime(2025, 3, 7, 10) + timedelta(days=61 * i), outcome, None, source=["paid_search", "direct", "email"][i % 3],
             campaign=["brand_search", "", "newsletter"][i % 3])
    # the only deal of podcast_sponsorship in 2025-11, amount unknown: its pipeline sum is null
    for d in base:
        if d["campaign"] == "podcast_sponsorship" and d["created_at"].strftime("%Y-%m") == "2025-11":
            d["campaign"] = ""
    edge(datetime(2025, 11, 12, 15), "lost", datetime(2025, 12, 3, 10), source="other",
         campaign="podcast_sponsorship", amount=None)

    # ---- unknown amounts, late/odd rows that must not leave a won-deal statistic without values:
    # a won deal's amount is nulled (and a won deal made out of order) only when, in every period
    # of every grain and every dimension, an earlier-closed won deal with an amount shares it
    def cells(d):
        c = d["closed_at"]
        seg = acct_segment.get(d["account_id"].strip(), "(none)")
        periods = [c.strftime("%G-W%V"), c.strftime("%Y-%m"), f"{c.year}-Q{(c.month - 1) // 3 + 1}", str(c.year)]
        return [(g, per, dim_) for g, per in enumerate(periods)
                for dim_ in [("total",), ("source", d["source"].strip() or "(none)"),
                             ("campaign", d["campaign"].strip() or "(none)"), ("segment", seg)]]

    def safe(d, pool):
        ok = [o for o in pool if o is not d and o["closed_at"] <= d["closed_at"]]
        have = set()
        for o in ok:
            have.update(cells(o))
        return all(c in have for c in cells(d))

    base.sort(key=lambda d: d["created_at"])
    won = [d for d in base if d["_outcome"] == "won" and d["closed_at"] is not None and not d.get("_edge")]
    picked = 0
    for d in irng.sample(won, len(won)):
        if picked < 6 and safe(d, [o for o in won if o["amount"] is not None]):
            d["amount"] = None
            picked += 1
    for d in base:
        if d["_outcome"] != "won" and not d.get("_edge") and i_maybe(0.04):
            d["amount"] = None
    valid = [d for d in won if d["closed_at"] >= d["created_at"]]
    made = 0
    for d in irng.sample(won, len(won)):
        if made < 2 and d["closed_at"] > datetime(2025, 3, 1) and safe(d, [o for o in valid if o is not d]):
            d["created_at"] = d["closed_at"] + timedelta(days=irng.randrange(2, 9))  # closed before created
            valid = [o for o in valid if o is not d]
            made += 1
    # a won deal with no created_at (a null anchor for pipeline, still a closed deal)
    for d in irng.sample(won, len(won)):
        if d["created_at"] < datetime(2026, 1, 1) and safe(d, [o for o in valid if o is not d]):
            d["created_at"] = None
            valid = [o for o in valid if o is not d]
            break

    # dimension values with stray white space / empty
    for d in base:
        r = irng.random()
        if r < 0.03:
            d["source"] = ""
        elif r < 0.05:
            d["source"] = " " + d["source"] + irng.choice([" ", "\u00a0", "\t"])

    base.sort(key=lambda d: (d["created_at"] is None, d["created_at"] or datetime.min))
    for i, d in enumerate(base):
        d["id"] = str(4100001 + i)

    # ---- duplicates by id: the earliest created_at wins, later rows are dropped
    rows = list(base)
    dup_pool = [d for d in base if d["created_at"] is not None and not d.get("_edge")
                and d["created_at"] < datetime(2026, 6, 1)]
    dups = irng.sample(dup_pool, 44)
    for i, o in enumerate(dups):
        d = dict(o)
        if i < 10:
            # an earlier copy with the same values (the later original is dropped)
            d["created_at"] = o["created_at"] - timedelta(days=irng.randrange(1, 6), seconds=irng.randrange(3600))
            rows.insert(irng.randrange(len(rows) + 1), d)
            continue
        # a later re-import with another amount / stage / close: dropped
        d["created_at"] = o["created_at"] + timedelta(days=irng.randrange(0, 25), seconds=irng.randrange(1, 86400))
        d["amount"] = deal_amount(irng.choice(SEGMENTS))
        if i % 3 == 0:
            d["stage"], d["closed_at"] = won_stage(), d["created_at"] + timedelta(days=irng.randrange(5, 40))
        elif i % 3 == 1:
            d["stage"] = lost_stage()
        if i < 12:
            d["created_at"] = o["created_at"]  # exact tie: the row earlier in the file wins
            rows.insert(rows.index(o) + 1 + irng.randrange(len(rows) - rows.index(o)), d)
        elif i < 14:
            d["created_at"] = None  # null created_at sorts last: dropped even though first in the file
            rows.insert(irng.randrange(rows.index(o) + 1), d)
        else:
            rows.insert(irng.randrange(len(rows) + 1), d)
    out = []
    for d in rows:
        out.append({"id": d["id"], "created_at": ts(d["created_at"]),
                    "amount": "" if d["amount"] is None else f"{d['amount']:.2f}",
                    "closed_at": ts(d["closed_at"]), "stage": d["stage"], "source": d["source"],
                    "campaign": d["campaign"], "owner": d["owner"], "pipeline": d["pipeline"],
                    "account_id": d["account_id"], "currency": "USD"})
    return out


DEAL_COLUMNS = ["id", "created_at", "amount", "closed_at", "stage", "source", "campaign", "owner",
                "pipeline", "account_id", "currency"]


# --------------------------------------------------------------------------- small edge files
# Hand-sized tables for cases a reader can check with a pencil (README "Edge cases").
EDGE_SPEND = [  # date, channel, campaign, cost, currency
    *[[ds(date(2026, 4, 27) + timedelta(days=k)), "paid_search", "brand_search", "100.00", "USD"] for k in range(7)],
    *[[ds(date(2026, 5, 4) + timedelta(days=k)), "paid_social", "linkedin_abm", "50.00", "USD"] for k in range(28)],
    ["2026-05-10", "display", "display_retargeting", "", "USD"],      # the only display row: unknown cost
    ["2026-05-05", "email", "newsletter", "200.00", "USD"],           # spend without budget
    ["2026-06-01", "paid_search", "brand_search", "120.00", "USD"],   # on the (default) as-of day
]
EDGE_BUDGET = [  # month, channel, campaign, budget, currency
    ["2026-04", "paid_search", "brand_search", "3000", "USD"],        # 100 a day
    ["May 2026", "paid_search", "brand_search", "3100", "USD"],       # 100 a day ...
    ["2026-05-20", "paid_search", "brand_search", "310", "USD"],      # ... + 10 a day (same month: summed)
    ["2026-05", "paid_social", "linkedin_abm", "1240", "USD"],        # 40 a day (spend 50: overspends)
    ["2026-05", "display", "", "620", "USD"],                         # 20 a day
    ["Jun 2026", "paid_search", "brand_search", "3000", "USD"],       # 100 a day
    ["2026-06", "organic_social", "", "600", "USD"],                  # budget without spend
]
EDGE_DEALS_WON = [  # id, created_at, amount, closed_at, won, stage, source, campaign, currency
    ["1", "2026-05-04T10:00:00", "1000", "2026-05-20T10:00:00", "true", "Closed Won", "paid_search", "brand_search", "USD"],
    ["2", "2026-05-05T10:00:00", "2000", "2026-05-25T10:00:00", "false", "Closed Won", "paid_search", "brand_search", "USD"],
    ["3", "2026-05-06T10:00:00", "3000", "2026-05-26T10:00:00", "", "Closed Won", "paid_social", "linkedin_abm", "USD"],
    ["1", "2026-05-10T10:00:00", "9999", "2026-05-11T10:00:00", "true", "Closed Won", "paid_search", "brand_search", "USD"],
    ["6", "2026-05-15T09:00:00", "500", "", "", "Qualified To Buy", "paid_social", "linkedin_abm", "USD"],
    ["6", "2026-05-12T09:00:00", "700", "2026-05-30T12:00:00", "true", "Closed Won", "paid_social", "linkedin_abm", "USD"],
    ["7", "2026-05-07T10:00:00", "800", "", "true", "Closed Won", "paid_search", "brand_search", "USD"],
    ["8", "2026-04-28T10:00:00", "900", "2026-05-15T00:00:00", "", "Contract Sent", "paid_search", "brand_search", "USD"],
    ["9", "2026-06-01T00:00:00", "4000", "", "", "Appointment Scheduled", "paid_search", "brand_search", "USD"],
    ["10", "2026-05-01T08:00:00", "", "2026-05-28T08:00:00", "true", "Closed Won", "paid_search", "brand_search", "USD"],
    ["11", "2026-05-08T00:00:00", "1500", "2026-05-02T00:00:00", "true", "Closed Won", "paid_social", "linkedin_abm", "USD"],
    ["12", "2026-04-20T10:00:00", "2500", "2026-05-31T23:59:59", "false", "Closed Lost", "email", "newsletter", "USD"],
]
EDGE_DEALS_MIXED = [  # id, created_at, amount, closed_at, stage, source, campaign, currency
    ["m1", "2026-04-02T10:00:00", "1000", "2026-04-20T10:00:00", "Closed Won", "paid_search", "brand_search", "USD"],
    ["m2", "2026-04-03T10:00:00", "2000", "2026-04-21T10:00:00", "closed won ", "paid_search", "brand_search", "EUR"],
    ["m3", "2026-04-04T10:00:00", "3000", "2026-04-22T10:00:00", "Won", "paid_social", "linkedin_abm", "USD"],
    ["m4", "2026-04-05T10:00:00", "4000", "2026-04-23T10:00:00", "Closed Lost", "paid_social", "linkedin_abm", "EUR"],
    ["m5", "2026-04-06T10:00:00", "5000", "2026-04-24T10:00:00", "lost", "email", "newsletter", "USD"],
    ["m6", "2026-04-07T10:00:00", "6000", "2026-04-25T10:00:00", "Contract Sent", "email", "newsletter", "USD"],
    ["m7", "2026-04-08T10:00:00", "7000", "2026-04-26T10:00:00", "", "paid_search", "brand_search", "USD"],
    ["m8", "2026-04-09T10:00:00", "8000", "2026-05-06T10:00:00", " WON", "paid_search", "generic_search", "USD"],
    ["m9", "2026-04-10T10:00:00", "9000", "2026-05-07T10:00:00", "Closed lost ", "paid_search", "generic_search", "EUR"],
    ["m10", "2026-04-11T10:00:00", "", "2026-05-08T10:00:00", "Appointment Scheduled", "paid_search", "generic_search", "USD"],
]


def write_edge_files():
    os.makedirs(os.path.join(OUT, "edge"), exist_ok=True)
    eur = [r[:4] + ["EUR"] for r in EDGE_BUDGET]
    return {
        "edge/spend.csv": write("edge/spend.csv", ["date", "channel", "campaign", "cost", "currency"], EDGE_SPEND),
        "edge/budget.csv": write("edge/budget.csv", ["month", "channel", "campaign", "budget", "currency"], EDGE_BUDGET),
        "edge/budget_eur.csv": write("edge/budget_eur.csv", ["month", "channel", "campaign", "budget", "currency"], eur),
        "edge/deals_won.csv": write("edge/deals_won.csv", ["id", "created_at", "amount", "closed_at", "won", "stage",
                                                           "source", "campaign", "currency"], EDGE_DEALS_WON),
        "edge/deals_mixed.csv": write("edge/deals_mixed.csv", ["id", "created_at", "amount", "closed_at", "stage",
                                                               "source", "campaign", "currency"], EDGE_DEALS_MIXED),
    }


def write_investment(people, spend, revenue, accounts):
    revenue_channel = make_revenue_channel(revenue, people)
    budget = make_budget(spend)
    deals = make_deals(people, accounts, revenue)
    counts = {
        "revenue_channel.csv": write("revenue_channel.csv", ["account_id", "month", "mrr", "plan", "segment",
                                                             "channel"], revenue_channel),
        "budget.csv": write("budget.csv", ["month", "channel", "campaign", "budget", "currency"], budget),
        "deals.csv": write("deals.csv", DEAL_COLUMNS, deals),
    }
    counts.update(write_edge_files())
    return counts


def main():
    os.makedirs(OUT, exist_ok=True)
    accounts = make_accounts()
    people = make_people(accounts)
    spend = make_spend()
    revenue = make_revenue(accounts)
    series = make_series()
    survey = make_survey()
    counts = {
        "people.csv": write("people.csv", PEOPLE_COLUMNS, people),
        "spend.csv": write("spend.csv", ["date", "channel", "campaign", "cost", "impressions", "clicks",
                                         "conversions", "icp_audience", "currency"], spend),
        "revenue.csv": write("revenue.csv", ["account_id", "month", "mrr", "plan", "segment"], revenue),
        "series.csv": write("series.csv", ["date", "metric", "value", "target_account"], series),
        "survey.csv": write("survey.csv", ["date", "respondent_id", "icp", "aware", "recall"], survey),
        "accounts.csv": write("accounts.csv", ["account_id", "icp_tier", "segment", "industry", "region",
                                               "target_account"], accounts),
    }
    # investment tables (issue 10): only read the tables above, own random generator
    counts.update(write_investment(people, spend, revenue, accounts))
    total = 0
    for name, n in counts.items():
        size = os.path.getsize(os.path.join(OUT, name))
        total += size
        print(f"{name:22s} {n:6d} rows {size:9d} bytes")
    print(f"{'total':22s} {'':6s}      {total:9d} bytes")


if __name__ == "__main__":
    main()
