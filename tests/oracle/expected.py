#!/usr/bin/env python3
"""Independent oracle: every KPI of the catalog computed with SQL in DuckDB.

Reads tests/oracle/data/*.csv and writes tests/oracle/expected/<case>.json in the
result contract's shape (issue 4: six tables, no outlook fields), then the
investment cases (issue 10: budget and deals added, every KPI with `forecast`
and `status`) to tests/oracle/expected_investment/<case>.json.  Nothing here
uses kpidash code; the SQL below *is* the specification the engine is checked
against (one query or CTE block per KPI family, each commented with the
catalog rule it implements).  Interpretation
choices where the catalog leaves room are listed in README.md and marked
"CHOICE" in comments.

    python3 tests/oracle/expected.py          (needs: pip install duckdb pyarrow)
"""

import csv
import json
import os
from decimal import Decimal

import duckdb
import pyarrow as pa

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
OUT = os.path.join(HERE, "expected")
OUT_INVESTMENT = os.path.join(HERE, "expected_investment")

# name, grain, by, explicit as-of (None = default as-of from the data)
CASES = [
    ("month", "month", None, "2026-06-30"),
    ("month_by_channel", "month", "channel", "2026-06-30"),
    ("week", "week", None, "2026-06-30"),
    ("quarter", "quarter", None, "2026-06-30"),
    ("quarter_by_segment", "quarter", "segment", "2026-06-30"),
    ("year", "year", None, "2026-06-30"),
    ("month_default_as_of", "month", None, None),
]
TZ = "+00:00"  # report time zone of every case (naive timestamps = UTC wall time)
TABLES = ["people", "spend", "revenue", "series", "survey", "accounts"]  # issue-4 cases, in this order

# Issue 10.  A dataset = kind -> file under tests/oracle/ (given to kpidash as KIND=PATH);
# revenue_channel.csv is revenue.csv plus each account's acquisition `channel`.
INVESTMENT_FILES = {
    "people": "data/people.csv", "spend": "data/spend.csv", "revenue": "data/revenue_channel.csv",
    "series": "data/series.csv", "survey": "data/survey.csv", "accounts": "data/accounts.csv",
    "budget": "data/budget.csv", "deals": "data/deals.csv",
}
EDGE_FILES = {"spend": "data/edge/spend.csv", "budget": "data/edge/budget.csv", "deals": "data/edge/deals_won.csv"}
EDGE_CURRENCY_FILES = {"spend": "data/edge/spend.csv", "budget": "data/edge/budget_eur.csv",
                       "deals": "data/edge/deals_mixed.csv"}
TARGETS_CONFIG = "month_by_channel_targets.config.json"
# dataset, name, grain, by, explicit as-of (None = default as-of from the data), config file
INVESTMENT_CASES = [
    (INVESTMENT_FILES, "month", "month", None, "2026-06-30", None),
    (INVESTMENT_FILES, "week", "week", None, "2026-06-30", None),
    (INVESTMENT_FILES, "quarter", "quarter", None, "2026-06-30", None),
    (INVESTMENT_FILES, "month_by_channel", "month", "channel", "2026-06-30", None),
    (INVESTMENT_FILES, "month_by_campaign", "month", "campaign", "2026-06-30", None),
    (INVESTMENT_FILES, "quarter_by_channel", "quarter", "channel", "2026-06-30", None),
    (INVESTMENT_FILES, "quarter_by_segment", "quarter", "segment", "2026-06-30", None),
    # as-of on a Wednesday: week 2026-W18 (04-27 .. 05-03) straddles April and May
    (INVESTMENT_FILES, "week_by_channel_mid", "week", "channel", "2026-04-29", None),
    (INVESTMENT_FILES, "month_by_campaign_mid", "month", "campaign", "2026-04-29", None),
    # the first day of the year: f = 1/365 in the running period
    (INVESTMENT_FILES, "year_first_day", "year", None, "2026-01-01", None),
    (INVESTMENT_FILES, "month_by_channel_targets", "month", "channel", "2026-05-12", TARGETS_CONFIG),
    # small hand-made tables; default as-of = 2026-06-01T00:00:00, a period start: f = 0
    (EDGE_FILES, "edge_month_by_channel", "month", "channel", None, None),
    (EDGE_FILES, "edge_week_by_channel", "week", "channel", None, None),
    (EDGE_CURRENCY_FILES, "edge_currency", "month", None, "2026-05-31", None),
]
TARGETS = {  # written to expected_investment/<TARGETS_CONFIG>; kpidash reads it with --config
    "targets": {
        "new_leads": {"month": 150, "quarter": 450},           # up, a count: forecast compared
        "mqls": {"quarter": 150},                              # no month target: status null
        "customer_acquisition_cost": {"month": 4000},          # down
        "conversion_rate": {"month": 0.05},                    # up, a rate
        "budget_pacing": {"month": 1.0},                       # target, tolerance below
        "budget_remaining": {"month": 0},                      # better none: status null
        "pipeline_created": {"month": 1000000},                # up, a sum: forecast compared
        "win_rate": {"month": 0.4},                            # up
        "sales_cycle_days": {"month": 45},                     # down
        "cac_payback_months": {"month": 12},                   # down
        "roas": {"month": 1.0},                                # up
    },
    "target_tolerance": {"budget_pacing": 0.05},
}
DEFAULT_TOLERANCE = 0.1  # better: target, within +-10% of the target unless configured
DEFAULT_TARGET = 1.0     # better: target with no configured target

# Which column carries a breakdown dimension in each table (catalog section 2:
# people.source is the `channel` dimension; a table's own column wins over
# accounts; series and survey here have no channel/segment column, spend has no
# segment, revenue has no channel, and accounts has no channel either).
DIM_COLUMN = {
    "people": {"channel": "source", "campaign": "campaign", "segment": "segment",
               "persona": "persona", "region": "region"},
    "spend": {"channel": "channel", "campaign": "campaign"},
    "revenue": {"segment": "segment", "plan": "plan"},
    "series": {},
    "survey": {},
}
DEAL_DIMENSIONS = ["stage", "source", "campaign", "owner", "pipeline"]
ACCOUNT_DIMENSIONS = ["icp_tier", "segment", "industry", "region"]  # supplied by accounts to deals
INVESTMENT_DIMS = {
    **DIM_COLUMN,
    "revenue": {"segment": "segment", "plan": "plan", "channel": "channel"},  # revenue_channel.csv
    "budget": {"channel": "channel", "campaign": "campaign"},
    "deals": {"channel": "source", "campaign": "campaign", "owner": "owner", "pipeline": "pipeline",
              "stage": "stage"},
}

# id: (name, unit, area, stage, indicator, better, window days or None)
KPIS = {
    "new_leads": ("New Leads", "count", "acquisition", "engagement", "leading", "up", None),
    "mqls": ("MQLs", "count", "acquisition", "engagement", "leading", "up", None),
    "conversion_rate": ("Conversion Rate", "rate", "funnel", "conversion", "lagging", "up", 90),
    "trial_to_paid_rate": ("Trial-to-Paid Rate", "rate", "funnel", "conversion", "lagging", "up", 30),
    "activation_rate": ("Activation Rate", "rate", "funnel", "engagement", "leading", "up", 14),
    "signup_completion_rate": ("Signup Completion Rate", "rate", "funnel", "conversion", "leading", "up", 7),
    "signup_abandonment_rate": ("Signup Abandonment Rate", "rate", "funnel", "conversion", "leading", "down", 7),
    "drop_off_rate": ("Drop-off Rate", "rate", "funnel", "conversion", "leading", "down", 90),
    "pct_mqls_qualified": ("% MQLs Qualified", "rate", "acquisition", "conversion", "leading", "up", 30),
    "signup_source_quality_rate": ("Signup Source Quality Rate", "rate", "acquisition", "conversion", "leading", "up", 30),
    "time_to_first_contact_hours": ("Time to First Contact", "hours", "acquisition", "conversion", "leading", "down", None),
    "time_to_first_contact_p90_hours": ("Time to First Contact (p90)", "hours", "acquisition", "conversion", "leading", "down", None),
    "first_contact_within_24h_rate": ("First Contact within 24h", "rate", "acquisition", "conversion", "leading", "up", None),
    "trial_signup_velocity": ("Trial Signup Velocity", "per_day", "funnel", "conversion", "leading", "up", None),
    "first_feature_usage_rate": ("First Feature Usage Rate", "rate", "engagement", "engagement", "leading", "up", 14),
    "pct_key_activation_tasks": ("% Key Activation Tasks", "rate", "engagement", "engagement", "leading", "up", 14),
    "activation_progression_score": ("Activation Progression Score", "score", "engagement", "engagement", "leading", "up", 14),
    "cost_per_lead": ("Cost per Lead", "currency", "acquisition", "engagement", "leading", "down", None),
    "customer_acquisition_cost": ("Customer Acquisition Cost", "currency", "acquisition", "conversion", "lagging", "down", None),
    "cost_per_acquisition": ("Cost per Acquisition", "currency", "acquisition", "conversion", "lagging", "down", None),
    "trial_signup_rate": ("Trial Signup Rate", "rate", "funnel", "conversion", "leading", "up", None),
    "reach_to_icp_pct": ("Reach to ICP %", "rate", "acquisition", "awareness", "leading", "up", None),
    "ctr_icp": ("CTR (ICP)", "rate", "acquisition", "awareness", "leading", "up", None),
    "content_engagement": ("Content Engagement", "count", "engagement", "engagement", "leading", "up", None),
    "engagement_rate": ("Engagement Rate", "rate", "engagement", "engagement", "leading", "up", None),
    "branded_search_volume": ("Branded Search Volume", "count", "brand", "awareness", "leading", "up", None),
    "social_engagement_target_accounts": ("Social Engagement (Target Accounts)", "count", "brand", "awareness", "leading", "up", None),
    "community_growth_rate": ("Community Growth Rate", "rate", "brand", "awareness", "leading", "up", None),
    "brand_awareness": ("Brand Awareness", "rate", "brand", "awareness", "leading", "up", None),
    "brand_recall_icp": ("Brand Recall (ICP)", "rate", "brand", "awareness", "leading", "up", None),
    "customer_retention_rate": ("Customer Retention Rate", "rate", "retention_expansion", "retention", "lagging", "up", None),
    "churn_rate": ("Churn Rate", "rate", "retention_expansion", "retention", "lagging", "down", None),
    "revenue_churn_rate": ("Revenue Churn Rate", "rate", "retention_expansion", "retention", "lagging", "down", None),
    "expansion_revenue": ("Expansion Revenue", "currency", "retention_expansion", "expansion", "lagging", "up", None),
    "net_revenue_retention": ("Net Revenue Retention", "rate", "retention_expansion", "expansion", "lagging", "up", None),
    "expansion_activation_rate": ("Expansion Activation Rate", "rate", "retention_expansion", "expansion", "leading", "up", None),
    "expansion_revenue_growth_rate": ("Expansion Revenue Growth Rate", "rate", "retention_expansion", "expansion", "lagging", "up", None),
}
# Issue 10 (catalog section 6); "none" for the catalog's better "-", stage None for "-".
INVESTMENT_KPIS = {
    "budget_pacing": ("Budget Pacing", "rate", "investment", None, "leading", "target", None),
    "budget_remaining": ("Budget Remaining", "currency", "investment", None, "leading", "none", None),
    "new_mrr": ("New MRR", "currency", "investment", "conversion", "lagging", "up", None),
    "roas": ("ROAS", "multiple", "investment", "conversion", "lagging", "up", None),
    "marketing_roi": ("Marketing ROI", "rate", "investment", "conversion", "lagging", "up", None),
    "cac_payback_months": ("CAC Payback", "months", "investment", "conversion", "lagging", "down", None),
    "pipeline_created": ("Pipeline Created", "currency", "investment", "conversion", "leading", "up", None),
    "pipeline_to_spend": ("Pipeline to Spend", "multiple", "investment", "conversion", "leading", "up", None),
    "win_rate": ("Win Rate", "rate", "investment", "conversion", "lagging", "up", None),
    "average_deal_size": ("Average Deal Size", "currency", "investment", "conversion", "lagging", "up", None),
    "sales_cycle_days": ("Sales Cycle", "days", "investment", "conversion", "lagging", "down", None),
}
RETURN_KPIS = ["new_mrr", "roas", "marketing_roi", "cac_payback_months"]  # revenue rules of section 3
BUDGET_KPIS = ["budget_pacing", "budget_remaining"]
DEAL_AMOUNT_KPIS = ["pipeline_created", "pipeline_to_spend", "average_deal_size"]
# forecast: only KPIs whose value is a count or a sum; not budget_remaining (a difference) nor the
# revenue snapshots (expansion_revenue, new_mrr).  CHOICE: ratios with a currency unit
# (cost_per_lead, customer_acquisition_cost, cost_per_acquisition, average_deal_size) get none.
FORECAST_KPIS = ["new_leads", "mqls", "content_engagement", "branded_search_volume",
                 "social_engagement_target_accounts", "pipeline_created"]
REVENUE_KPIS = ["customer_retention_rate", "churn_rate", "revenue_churn_rate", "expansion_revenue",
                "net_revenue_retention", "expansion_activation_rate", "expansion_revenue_growth_rate"]

TOTAL = "__total__"  # internal key of the total; written as segment null

# Unicode White_Space (what Rust's char::is_whitespace uses); RE2's \s is ASCII only.
WS = r"[\x{09}-\x{0D}\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"


# --------------------------------------------------------------------------- loading
def load_csv(con, name, add_row_number=False, path=None):
    """CSV -> DuckDB table of text columns ('' = null), optionally with the file row number."""
    with open(path or os.path.join(DATA, f"{name}.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    cols = {h: [None if r[i] == "" else r[i] for r in body] for i, h in enumerate(header)}
    if add_row_number:
        cols = {"rn": list(range(1, len(body) + 1)), **cols}
    con.register(f"_arrow_{name}", pa.table(cols))
    con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM _arrow_{name}")
    con.unregister(f"_arrow_{name}")
    return len(body)


MACROS_SQL = f"""
-- trim any Unicode white space; empty after trimming = null
CREATE MACRO utrim(s) AS nullif(regexp_replace(s, '^{WS}+|{WS}+$', '', 'g'), '');
-- a dimension value: trimmed, null/empty -> '(none)'
CREATE MACRO dim(s) AS coalesce(utrim(s), '(none)');
CREATE MACRO to_bool(s) AS CASE lower(utrim(s)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END;
CREATE MACRO ts(s) AS CAST(utrim(s) AS TIMESTAMP);
CREATE MACRO num(s) AS CAST(utrim(s) AS DOUBLE);
-- cohort conversion: base <= target <= base + W days (a target before the base never counts)
CREATE MACRO within(base, target, w) AS
    coalesce(target >= base AND target <= base + to_days(CAST(w AS INTEGER)), FALSE);
-- a ratio: null when either side is null or the denominator is 0
CREATE MACRO ratio(n, d) AS CASE WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL
                                 ELSE CAST(n AS DOUBLE) / CAST(d AS DOUBLE) END;
-- a sum as the catalog defines it: over no rows 0, over only null values null
CREATE MACRO sum0(n, v) AS CASE WHEN n = 0 THEN 0 ELSE v END;
-- a budget sheet's month: `2026-03`, `Mar 2026` or any date in the month -> the 1st, midnight
CREATE MACRO budget_month(s) AS CASE
    WHEN regexp_full_match(utrim(s), '[0-9]{{4}}-[0-9]{{2}}') THEN CAST(strptime(utrim(s) || '-01', '%Y-%m-%d') AS TIMESTAMP)
    WHEN regexp_full_match(utrim(s), '[A-Za-z]{{3}} [0-9]{{4}}') THEN CAST(strptime('01 ' || utrim(s), '%d %b %Y') AS TIMESTAMP)
    ELSE date_trunc('month', CAST(CAST(utrim(s) AS DATE) AS TIMESTAMP)) END;
"""

PEOPLE_SQL = """

-- ---------------------------------------------------------------- people rows
CREATE TABLE people_rows AS
SELECT rn,
       id,                                   -- compared as text
       lower(utrim(email)) AS email_key,     -- trimmed, lower-cased; empty = no e-mail
       ts(created_at) AS created_at,
       source, campaign, persona, segment, region, to_bool(icp) AS icp, account_id,
       ts(signup_started_at) AS signup_started_at, ts(signup_completed_at) AS signup_completed_at,
       ts(trial_started_at) AS trial_started_at, ts(activated_at) AS activated_at,
       ts(first_feature_at) AS first_feature_at, ts(mql_at) AS mql_at, ts(sql_at) AS sql_at,
       ts(opportunity_at) AS opportunity_at, ts(customer_at) AS customer_at,
       ts(first_contact_at) AS first_contact_at,
       ts(task_profile) AS task_profile, ts(task_invite) AS task_invite,
       to_bool(task_integration) AS task_integration
FROM raw_people;

-- ---------------------------------------------------------------- deduplication
-- Rows linked by a shared id or a shared e-mail key are one person; transitive
-- closure by a recursive CTE over the row graph, person = smallest row number
-- of its connected component.
CREATE TABLE people_edges AS
SELECT a.rn AS a, b.rn AS b FROM people_rows a JOIN people_rows b ON a.id = b.id AND a.rn <> b.rn
UNION
SELECT a.rn, b.rn FROM people_rows a JOIN people_rows b ON a.email_key = b.email_key AND a.rn <> b.rn;

CREATE TABLE people_component AS
WITH RECURSIVE reach(src, dst) AS (
    SELECT rn, rn FROM people_rows
    UNION
    SELECT r.src, e.b FROM reach r JOIN people_edges e ON e.a = r.dst
)
SELECT src AS rn, min(dst) AS person_key FROM reach GROUP BY src;

-- Merged person: earliest created_at, earliest non-null milestone / timestamp task,
-- bool task true if true in any row, dimensions of the earliest row (earliest
-- created_at, ties by file order, null created_at last).
CREATE TABLE person AS
SELECT c.person_key,
       count(*) AS rows_merged,
       min(created_at) AS created_at,
       min(signup_started_at) AS signup_started_at, min(signup_completed_at) AS signup_completed_at,
       min(trial_started_at) AS trial_started_at, min(activated_at) AS activated_at,
       min(first_feature_at) AS first_feature_at, min(mql_at) AS mql_at, min(sql_at) AS sql_at,
       min(opportunity_at) AS opportunity_at, min(customer_at) AS customer_at,
       min(first_contact_at) AS first_contact_at,
       min(task_profile) AS task_profile, min(task_invite) AS task_invite,
       coalesce(bool_or(task_integration), FALSE) AS task_integration,
       first(source   ORDER BY created_at ASC NULLS LAST, p.rn) AS source,
       first(campaign ORDER BY created_at ASC NULLS LAST, p.rn) AS campaign,
       first(persona  ORDER BY created_at ASC NULLS LAST, p.rn) AS persona,
       first(segment  ORDER BY created_at ASC NULLS LAST, p.rn) AS segment,
       first(region   ORDER BY created_at ASC NULLS LAST, p.rn) AS region,
       first(icp      ORDER BY created_at ASC NULLS LAST, p.rn) AS icp,
       first(account_id ORDER BY created_at ASC NULLS LAST, p.rn) AS account_id
FROM people_rows p JOIN people_component c USING (rn)
GROUP BY c.person_key;
"""


def table_columns(con, kind):
    """The column names of a loaded file (table raw_<kind>)."""
    return {c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [f"raw_{kind}"]).fetchall()}


def tables_sql(con, kinds):
    """Typed tables of the loaded kinds (people are set up by PEOPLE_SQL) and the default
    as-of: the latest value among all timestamp and date columns of all loaded tables
    (a date counts as its midnight)."""
    cols = {k: table_columns(con, k) for k in kinds}

    def opt(kind, column, expr, typ="VARCHAR"):
        """expr over the column when the file has it, else a typed null."""
        return expr if column in cols[kind] else f"CAST(NULL AS {typ})"

    parts, latest = [], []
    if "people" in kinds:
        parts.append(PEOPLE_SQL)
        latest.append("""SELECT greatest(created_at, signup_started_at, signup_completed_at, trial_started_at, activated_at,
                    first_feature_at, mql_at, sql_at, opportunity_at, customer_at, first_contact_at,
                    task_profile, task_invite) AS v FROM people_rows""")
    if "spend" in kinds:
        parts.append(f"""
CREATE TABLE spend_rows AS
SELECT CAST(CAST(utrim(date) AS DATE) AS TIMESTAMP) AS date, {opt('spend', 'channel', 'channel')} AS channel,
       {opt('spend', 'campaign', 'campaign')} AS campaign,
       num(cost) AS cost, {opt('spend', 'impressions', 'num(impressions)', 'DOUBLE')} AS impressions,
       {opt('spend', 'clicks', 'num(clicks)', 'DOUBLE')} AS clicks,
       {opt('spend', 'conversions', 'num(conversions)', 'DOUBLE')} AS conversions,
       {opt('spend', 'icp_audience', 'to_bool(icp_audience)', 'BOOLEAN')} AS icp_audience,
       {opt('spend', 'currency', 'utrim(currency)')} AS currency
FROM raw_spend;""")
        latest.append("SELECT max(date) AS v FROM spend_rows")
    if "revenue" in kinds:
        # other columns (plan, segment, and channel where the file has it) are dimensions
        parts.append("""
CREATE TABLE revenue_rows AS
SELECT utrim(account_id) AS account_id, CAST(CAST(utrim(month) AS DATE) AS TIMESTAMP) AS month,
       num(mrr) AS mrr, * EXCLUDE (account_id, month, mrr)
FROM raw_revenue;""")
        latest.append("SELECT max(month) AS v FROM revenue_rows")
    if "series" in kinds:
        parts.append("""
CREATE TABLE series_rows AS
SELECT CAST(CAST(utrim(date) AS DATE) AS TIMESTAMP) AS date, utrim(metric) AS metric,
       num(value) AS value, to_bool(target_account) AS target_account
FROM raw_series;""")
        latest.append("SELECT max(date) AS v FROM series_rows")
    if "survey" in kinds:
        parts.append("""
CREATE TABLE survey_rows AS
SELECT CAST(CAST(utrim(date) AS DATE) AS TIMESTAMP) AS date, respondent_id,
       to_bool(icp) AS icp, to_bool(aware) AS aware, to_bool(recall) AS recall
FROM raw_survey;""")
        latest.append("SELECT max(date) AS v FROM survey_rows")
    if "accounts" in kinds:
        parts.append("""
CREATE TABLE accounts_rows AS
SELECT utrim(account_id) AS account_id, * EXCLUDE (account_id) FROM raw_accounts;""")
    if "budget" in kinds:
        parts.append(f"""
-- budget: planned spend for a whole month; the month cell is any date in the month or a
-- text month (`2026-03`, `Mar 2026`), both meaning the 1st
CREATE TABLE budget_rows AS
SELECT budget_month(month) AS month, num(budget) AS budget,
       {opt('budget', 'channel', 'channel')} AS channel, {opt('budget', 'campaign', 'campaign')} AS campaign,
       {opt('budget', 'currency', 'utrim(currency)')} AS currency
FROM raw_budget;""")
        latest.append("SELECT max(month) AS v FROM budget_rows")
    if "deals" in kinds:
        # won: the `won` column where the file has one; otherwise from the stage text, compared
        # after trimming and ignoring case: `closed won` / `won` true, `closed lost` / `lost` false,
        # anything else (or no stage) open.  CHOICE: "matching" = equal after trimming, not "contains".
        won = ("to_bool(won)" if "won" in cols["deals"] else
               "CASE lower(utrim(stage)) WHEN 'closed won' THEN TRUE WHEN 'won' THEN TRUE "
               "WHEN 'closed lost' THEN FALSE WHEN 'lost' THEN FALSE END")
        dims = ", ".join(f"{opt('deals', c, c)} AS {c}" for c in DEAL_DIMENSIONS)
        parts.append(f"""
CREATE TABLE deal_rows AS
SELECT rn, id,                                -- compared as text
       ts(created_at) AS created_at, {opt('deals', 'amount', 'num(amount)', 'DOUBLE')} AS amount,
       {opt('deals', 'closed_at', 'ts(closed_at)', 'TIMESTAMP')} AS closed_at, {won} AS won,
       {dims}, {opt('deals', 'account_id', 'utrim(account_id)')} AS account_id,
       {opt('deals', 'currency', 'utrim(currency)')} AS currency
FROM raw_deals;
-- duplicates by id: the row with the earliest created_at is the deal, later rows are dropped
-- (ties: the row earlier in the file; a null created_at sorts last, as for people)
CREATE TABLE deal AS
SELECT * FROM deal_rows
QUALIFY row_number() OVER (PARTITION BY id ORDER BY created_at ASC NULLS LAST, rn) = 1;""")
        # CHOICE: an open deal's closed_at (an expected date, "ignored") does not count for the
        # default as-of; budget months do (a date column).  No case depends on either.
        latest.append("SELECT greatest(max(created_at), max(closed_at) FILTER (WHERE won IS NOT NULL)) AS v "
                      "FROM deal_rows")
    union = "\n    UNION ALL ".join(latest)
    parts.append(f"""
CREATE TABLE data_latest AS
SELECT max(v) AS latest FROM (
    {union}
);""")
    return "\n".join(parts)


GRAIN_LABEL = {
    "day": "strftime(pstart, '%Y-%m-%d')",
    "week": "strftime(pstart, '%G-W%V')",  # ISO 8601 week-numbering year and week
    "month": "strftime(pstart, '%Y-%m')",
    "quarter": "strftime(pstart, '%Y') || '-Q' || quarter(pstart)",
    "year": "strftime(pstart, '%Y')",
}
CAL_FIRST = {"day": "2024-01-01", "week": "2023-01-02", "month": "2023-01-01",
             "quarter": "2023-01-01", "year": "2023-01-01"}


def case_setup_sql(grain, by, as_of_sql, dims=None, kinds=TABLES):
    """Per-case parameters, calendar and the as-of-filtered, segment-exploded views of the
    loaded tables.

    Every fact view has `seg_key`: each row appears once with seg_key = TOTAL and,
    when the breakdown applies to its table, once more with its dimension value.
    """
    dims = dims or DIM_COLUMN

    def seg_expr(table, default="NULL"):
        col = dims.get(table, {}).get(by) if by else None
        return f"dim({col})" if col else default

    # deals lack some dimensions; accounts supply those (an unknown account gives `(none)`)
    if by and dims.get("deals", {}).get(by):
        deal_seg = f"dim(d.{dims['deals'][by]})"
    elif by and "accounts" in kinds and by in ACCOUNT_DIMENSIONS:
        deal_seg = f"dim(a.{by})"
    else:
        deal_seg = "NULL"
    views = {
        "people": f"""
-- people after as-of: an anchor later than as_of is ignored, a later milestone is not reached
CREATE OR REPLACE VIEW pk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT person_key, icp, task_integration, {seg_expr('people')} AS seg,
         CASE WHEN created_at <= as_of THEN created_at END AS created_at,
         CASE WHEN signup_started_at <= as_of THEN signup_started_at END AS signup_started_at,
         CASE WHEN signup_completed_at <= as_of THEN signup_completed_at END AS signup_completed_at,
         CASE WHEN trial_started_at <= as_of THEN trial_started_at END AS trial_started_at,
         CASE WHEN activated_at <= as_of THEN activated_at END AS activated_at,
         CASE WHEN first_feature_at <= as_of THEN first_feature_at END AS first_feature_at,
         CASE WHEN mql_at <= as_of THEN mql_at END AS mql_at,
         CASE WHEN sql_at <= as_of THEN sql_at END AS sql_at,
         CASE WHEN opportunity_at <= as_of THEN opportunity_at END AS opportunity_at,
         CASE WHEN customer_at <= as_of THEN customer_at END AS customer_at,
         CASE WHEN first_contact_at <= as_of THEN first_contact_at END AS first_contact_at,
         CASE WHEN task_profile <= as_of THEN task_profile END AS task_profile,
         CASE WHEN task_invite <= as_of THEN task_invite END AS task_invite
  FROM person, params);
""",
        "spend": f"""
CREATE OR REPLACE VIEW sk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT s.*, {seg_expr('spend')} AS seg FROM spend_rows s, params WHERE date <= as_of);
""",
        "series": f"""
CREATE OR REPLACE VIEW srk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT s.*, {seg_expr('series')} AS seg FROM series_rows s, params WHERE date <= as_of);
""",
        "survey": f"""
CREATE OR REPLACE VIEW svk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT s.*, {seg_expr('survey')} AS seg FROM survey_rows s, params WHERE date <= as_of);
""",
        "revenue": f"""
CREATE OR REPLACE VIEW rvk AS
SELECT r.*, {seg_expr('revenue')} AS seg FROM revenue_rows r, params WHERE month <= as_of;
""",
        "budget": f"""
-- budget rows are not cut at the as-of: a budget of the whole period needs months after it
CREATE OR REPLACE VIEW bk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT b.*, {seg_expr('budget')} AS seg FROM budget_rows b);
""",
        "deals": f"""
-- deals after as-of: a created_at or closed_at later than as_of is ignored (as for people)
CREATE OR REPLACE VIEW dk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT d.id, d.amount, d.won,
         CASE WHEN d.created_at <= as_of THEN d.created_at END AS created_at,
         CASE WHEN d.closed_at <= as_of THEN d.closed_at END AS closed_at,
         {deal_seg} AS seg
  FROM deal d {"LEFT JOIN accounts_rows a ON a.account_id = d.account_id" if "accounts" in kinds else ""}, params);
""",
    }
    return f"""
CREATE OR REPLACE TABLE params AS
SELECT {as_of_sql} AS as_of, CAST({as_of_sql} AS DATE) AS as_of_date;

-- every period of the grain, contiguous; pend = start of the next period
CREATE OR REPLACE TABLE cal AS
SELECT pstart, pstart + INTERVAL 1 {grain} AS pend, {GRAIN_LABEL[grain]} AS period
FROM (SELECT unnest(generate_series(TIMESTAMP '{CAL_FIRST[grain]}', TIMESTAMP '2027-12-31',
                                    INTERVAL 1 {grain})) AS pstart);

CREATE OR REPLACE MACRO period_of(t) AS date_trunc('{grain}', t);
CREATE OR REPLACE MACRO seg_keys(seg) AS
    CASE WHEN seg IS NULL THEN ['{TOTAL}'] ELSE ['{TOTAL}', seg] END;
""" + "".join(views[k] for k in kinds if k in views)


# --------------------------------------------------------------------------- KPI families
def families_sql(by, dims=None):
    """One CREATE TABLE per KPI family; each yields rows
    (kpi, pstart, seg_key, step, value, numerator, denominator) only for groups with rows."""
    dims = dims or DIM_COLUMN
    # cross-table ratios break down only by a dimension both sides have
    spend_people_by = "TRUE" if by and dims["spend"].get(by) and dims["people"].get(by) else "FALSE"
    people_series_by = "TRUE" if by and dims["series"].get(by) and dims["people"].get(by) else "FALSE"
    return f"""
-- ============ People counts: count of (deduplicated) people by anchor
CREATE OR REPLACE TABLE f_counts AS
SELECT 'new_leads' AS kpi, period_of(created_at) AS pstart, seg_key, '' AS step,
       count(*) AS value, NULL AS numerator, NULL AS denominator
FROM pk WHERE created_at IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'mqls', period_of(mql_at), seg_key, '', count(*), NULL, NULL
FROM pk WHERE mql_at IS NOT NULL GROUP BY ALL;

-- ============ Trial signup velocity: trials started / calendar days of the period up to as_of's date
CREATE OR REPLACE TABLE f_velocity AS
SELECT 'trial_signup_velocity' AS kpi, c.pstart, t.seg_key, '' AS step,
       ratio(t.n, date_diff('day', c.pstart, least(c.pend, params.as_of_date + 1))) AS value,
       t.n AS numerator, date_diff('day', c.pstart, least(c.pend, params.as_of_date + 1)) AS denominator
FROM (SELECT period_of(trial_started_at) AS pstart, seg_key, count(*) AS n
      FROM pk WHERE trial_started_at IS NOT NULL GROUP BY ALL) t
JOIN cal c USING (pstart) CROSS JOIN params;

-- ============ Cohort rates: cohort = people whose base milestone is in the period;
-- converted = target within [base, base + W]
CREATE OR REPLACE TABLE f_cohort AS
WITH cohort AS (
    SELECT 'conversion_rate' AS kpi, seg_key, created_at AS base,
           within(created_at, customer_at, 90) AS ok FROM pk
    UNION ALL SELECT 'trial_to_paid_rate', seg_key, trial_started_at,
           within(trial_started_at, customer_at, 30) FROM pk
    UNION ALL SELECT 'activation_rate', seg_key, signup_completed_at,
           within(signup_completed_at, activated_at, 14) FROM pk
    UNION ALL SELECT 'signup_completion_rate', seg_key, signup_started_at,
           within(signup_started_at, signup_completed_at, 7) FROM pk
    -- numerator = started signups NOT completed within W
    UNION ALL SELECT 'signup_abandonment_rate', seg_key, signup_started_at,
           NOT within(signup_started_at, signup_completed_at, 7) FROM pk
    UNION ALL SELECT 'pct_mqls_qualified', seg_key, mql_at,
           within(mql_at, sql_at, 30) FROM pk
    UNION ALL SELECT 'signup_source_quality_rate', seg_key, signup_completed_at,
           icp IS TRUE AND within(signup_completed_at, activated_at, 30) FROM pk
    UNION ALL SELECT 'first_feature_usage_rate', seg_key, signup_completed_at,
           within(signup_completed_at, first_feature_at, 14) FROM pk
    -- every task_* done: timestamp tasks within W of the base, bool tasks true
    UNION ALL SELECT 'pct_key_activation_tasks', seg_key, signup_completed_at,
           within(signup_completed_at, task_profile, 14) AND within(signup_completed_at, task_invite, 14)
           AND task_integration IS TRUE FROM pk
)
SELECT kpi, period_of(base) AS pstart, seg_key, '' AS step,
       ratio(count(*) FILTER (WHERE ok), count(*)) AS value,
       count(*) FILTER (WHERE ok) AS numerator, count(*) AS denominator
FROM cohort WHERE base IS NOT NULL GROUP BY ALL;

-- ============ Activation progression score: mean over signups of 100 * (tasks done / tasks), weights 1
-- CHOICE: numerator = sum of the scores, denominator = number of signups
CREATE OR REPLACE TABLE f_score AS
WITH scored AS (
    SELECT seg_key, signup_completed_at AS base,
           100.0 * ((CASE WHEN within(signup_completed_at, task_profile, 14) THEN 1 ELSE 0 END)
                  + (CASE WHEN within(signup_completed_at, task_invite, 14) THEN 1 ELSE 0 END)
                  + (CASE WHEN task_integration IS TRUE THEN 1 ELSE 0 END)) / 3.0 AS score
    FROM pk WHERE signup_completed_at IS NOT NULL)
SELECT 'activation_progression_score' AS kpi, period_of(base) AS pstart, seg_key, '' AS step,
       avg(score) AS value, sum(score) AS numerator, count(*) AS denominator
FROM scored GROUP BY ALL;

-- ============ Funnel (drop_off_rate): created_at -> mql_at -> sql_at -> opportunity_at -> customer_at
-- reached(k): cohort members with step k and every earlier step within [created_at, created_at + 90d]
CREATE OR REPLACE TABLE f_funnel AS
WITH reached AS (
    SELECT seg_key, period_of(created_at) AS pstart,
           within(created_at, mql_at, 90) AS r2,
           within(created_at, mql_at, 90) AND within(created_at, sql_at, 90) AS r3,
           within(created_at, mql_at, 90) AND within(created_at, sql_at, 90)
               AND within(created_at, opportunity_at, 90) AS r4,
           within(created_at, mql_at, 90) AND within(created_at, sql_at, 90)
               AND within(created_at, opportunity_at, 90) AND within(created_at, customer_at, 90) AS r5
    FROM pk WHERE created_at IS NOT NULL),
n AS (
    SELECT pstart, seg_key, count(*) AS n1, count(*) FILTER (WHERE r2) AS n2,
           count(*) FILTER (WHERE r3) AS n3, count(*) FILTER (WHERE r4) AS n4,
           count(*) FILTER (WHERE r5) AS n5
    FROM reached GROUP BY ALL),
steps AS (
    SELECT pstart, seg_key, 'mql_at' AS step, n1 AS before, n2 AS after FROM n
    UNION ALL SELECT pstart, seg_key, 'sql_at', n2, n3 FROM n
    UNION ALL SELECT pstart, seg_key, 'opportunity_at', n3, n4 FROM n
    UNION ALL SELECT pstart, seg_key, 'customer_at', n4, n5 FROM n)
SELECT 'drop_off_rate' AS kpi, pstart, seg_key, step,
       CASE WHEN before = 0 THEN NULL ELSE 1 - after / before END AS value,
       before - after AS numerator, before AS denominator
FROM steps;

-- ============ First contact: durations (first_contact_at - created_at) of new leads of the period
CREATE OR REPLACE TABLE f_contact AS
WITH leads AS (
    SELECT seg_key, period_of(created_at) AS pstart,
           CASE WHEN first_contact_at >= created_at
                THEN epoch(first_contact_at - created_at) / 3600.0 END AS hours,
           coalesce(first_contact_at >= created_at
                    AND first_contact_at <= created_at + INTERVAL 24 HOUR, FALSE) AS in_24h
    FROM pk WHERE created_at IS NOT NULL)
SELECT 'time_to_first_contact_hours' AS kpi, pstart, seg_key, '' AS step,
       quantile_cont(hours, 0.5) AS value, NULL AS numerator, NULL AS denominator
FROM leads GROUP BY ALL
UNION ALL
SELECT 'time_to_first_contact_p90_hours', pstart, seg_key, '', quantile_cont(hours, 0.9), NULL, NULL
FROM leads GROUP BY ALL
UNION ALL
SELECT 'first_contact_within_24h_rate', pstart, seg_key, '',
       ratio(count(*) FILTER (WHERE in_24h), count(*)), count(*) FILTER (WHERE in_24h), count(*)
FROM leads GROUP BY ALL;

-- ============ Cross-table ratios: each side aggregated per period and key, outer-joined;
-- a side with no rows contributes 0; a breakdown only by a dimension both sides have
CREATE OR REPLACE TABLE f_cross AS
WITH spend AS (
    SELECT period_of(date) AS pstart, seg_key, sum(cost) AS cost, sum(conversions) AS conversions
    FROM sk GROUP BY ALL),
leads AS (
    SELECT period_of(created_at) AS pstart, seg_key, count(*) AS n FROM pk
    WHERE created_at IS NOT NULL GROUP BY ALL),
customers AS (
    SELECT period_of(customer_at) AS pstart, seg_key, count(*) AS n FROM pk
    WHERE customer_at IS NOT NULL GROUP BY ALL),
trials AS (
    SELECT period_of(trial_started_at) AS pstart, seg_key, count(*) AS n FROM pk
    WHERE trial_started_at IS NOT NULL GROUP BY ALL),
visitors AS (
    SELECT period_of(date) AS pstart, seg_key, sum(value) AS v FROM srk
    WHERE metric = 'visitors' GROUP BY ALL),
cpl AS (
    SELECT coalesce(s.pstart, l.pstart) AS pstart, coalesce(s.seg_key, l.seg_key) AS seg_key,
           CASE WHEN s.pstart IS NULL THEN 0 ELSE s.cost END AS num,
           CASE WHEN l.pstart IS NULL THEN 0 ELSE l.n END AS den
    FROM spend s FULL JOIN leads l ON s.pstart = l.pstart AND s.seg_key = l.seg_key),
cac AS (
    SELECT coalesce(s.pstart, c.pstart) AS pstart, coalesce(s.seg_key, c.seg_key) AS seg_key,
           CASE WHEN s.pstart IS NULL THEN 0 ELSE s.cost END AS num,
           CASE WHEN c.pstart IS NULL THEN 0 ELSE c.n END AS den
    FROM spend s FULL JOIN customers c ON s.pstart = c.pstart AND s.seg_key = c.seg_key),
tsr AS (
    SELECT coalesce(t.pstart, v.pstart) AS pstart, coalesce(t.seg_key, v.seg_key) AS seg_key,
           CASE WHEN t.pstart IS NULL THEN 0 ELSE t.n END AS num,
           CASE WHEN v.pstart IS NULL THEN 0 ELSE v.v END AS den
    FROM trials t FULL JOIN visitors v ON t.pstart = v.pstart AND t.seg_key = v.seg_key)
SELECT 'cost_per_lead' AS kpi, pstart, seg_key, '' AS step, ratio(num, den) AS value,
       num AS numerator, den AS denominator
FROM cpl WHERE seg_key = '{TOTAL}' OR {spend_people_by}
UNION ALL
SELECT 'customer_acquisition_cost', pstart, seg_key, '', ratio(num, den), num, den
FROM cac WHERE seg_key = '{TOTAL}' OR {spend_people_by}
UNION ALL
-- both sides from spend: breaks down by any spend dimension
SELECT 'cost_per_acquisition', pstart, seg_key, '', ratio(cost, conversions), cost, conversions
FROM spend
UNION ALL
SELECT 'trial_signup_rate', pstart, seg_key, '', ratio(num, den), num, den
FROM tsr WHERE seg_key = '{TOTAL}' OR {people_series_by};

-- ============ Spend: ICP reach and CTR
-- sums skip nulls; a sum over no rows is 0, over only-null values null
CREATE OR REPLACE TABLE f_spend AS
WITH reach AS (
    SELECT period_of(date) AS pstart, seg_key,
           CASE WHEN count(*) FILTER (WHERE icp_audience IS TRUE) = 0 THEN 0
                ELSE sum(impressions) FILTER (WHERE icp_audience IS TRUE) END AS num,
           sum(impressions) AS den
    FROM sk GROUP BY ALL),
ctr AS (  -- CHOICE: the KPI's rows are the icp_audience rows only
    SELECT period_of(date) AS pstart, seg_key, sum(clicks) AS num, sum(impressions) AS den
    FROM sk WHERE icp_audience IS TRUE GROUP BY ALL)
SELECT 'reach_to_icp_pct' AS kpi, pstart, seg_key, '' AS step, ratio(num, den) AS value,
       num AS numerator, den AS denominator FROM reach
UNION ALL
SELECT 'ctr_icp', pstart, seg_key, '', ratio(num, den), num, den FROM ctr;

-- ============ Series sums and ratio (rows of each KPI = rows of its metrics)
CREATE OR REPLACE TABLE f_series AS
SELECT 'content_engagement' AS kpi, period_of(date) AS pstart, seg_key, '' AS step,
       sum(value) AS value, NULL AS numerator, NULL AS denominator
FROM srk WHERE metric = 'content_engagements' GROUP BY ALL
UNION ALL
SELECT 'branded_search_volume', period_of(date), seg_key, '', sum(value), NULL, NULL
FROM srk WHERE metric = 'branded_search_volume' GROUP BY ALL
UNION ALL
-- CHOICE: the KPI's rows are the target_account = true rows only
SELECT 'social_engagement_target_accounts', period_of(date), seg_key, '', sum(value), NULL, NULL
FROM srk WHERE metric = 'social_engagements' AND target_account IS TRUE GROUP BY ALL
UNION ALL
SELECT 'engagement_rate', pstart, seg_key, '', ratio(num, den), num, den FROM (
    SELECT period_of(date) AS pstart, seg_key,
           CASE WHEN count(*) FILTER (WHERE metric = 'engaged_sessions') = 0 THEN 0
                ELSE sum(value) FILTER (WHERE metric = 'engaged_sessions') END AS num,
           CASE WHEN count(*) FILTER (WHERE metric = 'sessions') = 0 THEN 0
                ELSE sum(value) FILTER (WHERE metric = 'sessions') END AS den
    FROM srk WHERE metric IN ('engaged_sessions', 'sessions') GROUP BY ALL);

-- ============ Community growth: m = community_members on the latest date present in the period
-- (a balance, never summed); growth = (m - m_prev) / m_prev, m_prev of the previous period
CREATE OR REPLACE TABLE f_community AS
WITH m AS (
    SELECT period_of(date) AS pstart, seg_key, arg_max(value, date) AS m
    FROM srk WHERE metric = 'community_members' GROUP BY ALL)
SELECT 'community_growth_rate' AS kpi, cur.pstart, cur.seg_key, '' AS step,
       ratio(cur.m - prev.m, prev.m) AS value,
       cur.m - prev.m AS numerator, prev.m AS denominator
FROM m cur JOIN cal c ON c.pstart = cur.pstart
LEFT JOIN cal pc ON pc.pend = c.pstart
LEFT JOIN m prev ON prev.pstart = pc.pstart AND prev.seg_key = cur.seg_key;

-- ============ Survey: awareness over respondents with non-null aware; recall among ICP respondents
CREATE OR REPLACE TABLE f_survey AS
SELECT 'brand_awareness' AS kpi, period_of(date) AS pstart, seg_key, '' AS step,
       ratio(count(*) FILTER (WHERE aware), count(aware)) AS value,
       count(*) FILTER (WHERE aware) AS numerator, count(aware) AS denominator
FROM svk GROUP BY ALL
UNION ALL
SELECT 'brand_recall_icp', period_of(date), seg_key, '',
       ratio(count(*) FILTER (WHERE recall), count(recall)),
       count(*) FILTER (WHERE recall), count(recall)
FROM svk WHERE icp IS TRUE GROUP BY ALL;
"""


REVENUE_SQL = f"""
-- ============ Revenue snapshot endpoints
-- snapshot: one MRR per account and month (rows of an account-month summed, null MRR = 0)
CREATE OR REPLACE TABLE rev_snap AS
SELECT account_id, date_trunc('month', month) AS m, sum(coalesce(mrr, 0)) AS mrr,
       min(seg) AS seg  -- the rows of one account-month carry one dimension value
FROM rvk GROUP BY ALL;

-- revenue periods: start month = the month before P; end month = the last month of P the
-- data has; no point if the start month is before the first month of data;
-- incomplete if P runs past the last month of data
CREATE OR REPLACE TABLE rcal AS
SELECT c.pstart, c.pend, c.period,
       c.pstart - INTERVAL 1 MONTH AS start_m,
       (SELECT max(m) FROM rev_snap WHERE m >= c.pstart AND m < c.pend) AS end_m,
       c.pend - INTERVAL 1 MONTH > (SELECT max(m) FROM rev_snap) AS incomplete
FROM cal c
WHERE c.pstart - INTERVAL 1 MONTH >= (SELECT min(m) FROM rev_snap)
  AND EXISTS (SELECT 1 FROM rev_snap WHERE m >= c.pstart AND m < c.pend);

-- per period and account: start and end MRR (missing = 0); segment of the start snapshot,
-- of the end snapshot for new accounts; only accounts that are customers at either end
CREATE OR REPLACE TABLE rev_acct AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT r.pstart, a.account_id,
         coalesce(s.mrr, 0) AS start_mrr, coalesce(e.mrr, 0) AS end_mrr,
         CASE WHEN coalesce(s.mrr, 0) > 0 THEN s.seg ELSE e.seg END AS seg
  FROM rcal r
  CROSS JOIN (SELECT DISTINCT account_id FROM rev_snap) a
  LEFT JOIN rev_snap s ON s.account_id = a.account_id AND s.m = r.start_m
  LEFT JOIN rev_snap e ON e.account_id = a.account_id AND e.m = r.end_m
  WHERE coalesce(s.mrr, 0) > 0 OR coalesce(e.mrr, 0) > 0);

-- S, E, N, C, X, K, CM, M per period and key; dense over revenue periods x keys
-- (a key without accounts in a period: counts and sums 0)
CREATE OR REPLACE TABLE rev_base AS
WITH agg AS (
    SELECT pstart, seg_key,
           count(*) FILTER (WHERE start_mrr > 0) AS s,
           count(*) FILTER (WHERE end_mrr > 0) AS e,
           count(*) FILTER (WHERE start_mrr = 0 AND end_mrr > 0) AS n,
           count(*) FILTER (WHERE start_mrr > 0 AND end_mrr = 0) AS c,
           coalesce(sum(greatest(end_mrr - start_mrr, 0)) FILTER (WHERE start_mrr > 0 AND end_mrr > 0), 0) AS x,
           coalesce(sum(greatest(start_mrr - end_mrr, 0)) FILTER (WHERE start_mrr > 0 AND end_mrr > 0), 0) AS k,
           coalesce(sum(start_mrr) FILTER (WHERE start_mrr > 0 AND end_mrr = 0), 0) AS cm,
           coalesce(sum(start_mrr) FILTER (WHERE start_mrr > 0), 0) AS mrr_start,
           count(*) FILTER (WHERE start_mrr > 0 AND end_mrr - start_mrr > 0) AS expanded,
           coalesce(sum(end_mrr) FILTER (WHERE start_mrr = 0 AND end_mrr > 0), 0) AS new_mrr
    FROM rev_acct GROUP BY ALL)
SELECT r.pstart, r.pend, k.seg_key, a.pstart IS NOT NULL AS has_rows,
       coalesce(a.s, 0) AS s, coalesce(a.e, 0) AS e, coalesce(a.n, 0) AS n, coalesce(a.c, 0) AS c,
       coalesce(a.x, 0) AS x, coalesce(a.k, 0) AS k, coalesce(a.cm, 0) AS cm,
       coalesce(a.mrr_start, 0) AS mrr_start, coalesce(a.expanded, 0) AS expanded,
       coalesce(a.new_mrr, 0) AS new_mrr
FROM rcal r CROSS JOIN (SELECT DISTINCT seg_key FROM rev_acct) k
LEFT JOIN agg a ON a.pstart = r.pstart AND a.seg_key = k.seg_key;

CREATE OR REPLACE TABLE f_revenue AS
WITH b AS (
    SELECT cur.*, prev.x AS x_prev   -- null when the previous period gives no points
    FROM rev_base cur LEFT JOIN rev_base prev ON prev.pend = cur.pstart AND prev.seg_key = cur.seg_key)
SELECT 'customer_retention_rate' AS kpi, pstart, seg_key, '' AS step, has_rows,
       ratio(e - n, s) AS value, e - n AS numerator, s AS denominator FROM b
UNION ALL SELECT 'churn_rate', pstart, seg_key, '', has_rows, ratio(c, s), c, s FROM b
UNION ALL SELECT 'revenue_churn_rate', pstart, seg_key, '', has_rows, ratio(cm + k, mrr_start), cm + k, mrr_start FROM b
UNION ALL SELECT 'expansion_revenue', pstart, seg_key, '', has_rows, x, NULL, NULL FROM b
UNION ALL SELECT 'net_revenue_retention', pstart, seg_key, '', has_rows,
                 ratio(mrr_start + x - k - cm, mrr_start), mrr_start + x - k - cm, mrr_start FROM b
UNION ALL SELECT 'expansion_activation_rate', pstart, seg_key, '', has_rows, ratio(expanded, s), expanded, s FROM b
UNION ALL SELECT 'expansion_revenue_growth_rate', pstart, seg_key, '', has_rows,
                 ratio(x - x_prev, x_prev), x - x_prev, x_prev FROM b;
"""


def investment_sql(by, dims, kinds, with_revenue):
    """The KPI families of catalog section 6; rows as in families_sql (f_return also carries
    has_rows: it is dense over the revenue periods, like f_revenue)."""
    def has(kind):
        if not by:
            return False
        if kind == "deals" and "accounts" in kinds and by in ACCOUNT_DIMENSIONS:
            return True
        return bool(dims.get(kind, {}).get(by))

    # cross-table KPIs break down only by a dimension both tables have
    def both(a, b):
        return "TRUE" if has(a) and has(b) else "FALSE"

    sql = f"""
-- ============ Budget pacing and budget remaining
-- A month's budget (its rows summed; empty cells skipped) is spread evenly over its days:
-- day d gets budget(month(d)) / days_in_month(d).  The budget of a period is the sum over
-- its days (so a week across a month boundary takes its share of each month); budget to
-- date sums only the days on or before the as-of date (the as-of day counts whole).
-- Spend to date = sum of the period's spend rows (rows after the as-of are already gone).
-- The join is outer on (period, key): a side without rows is 0, so budget but no spend gives
-- pacing 0, spend but no budget pacing null and remaining -spend.  Periods that start after
-- the as-of have no points.  Unknown spend (only null costs) makes both null.
CREATE OR REPLACE TABLE f_budget AS
WITH bm AS (
    SELECT month, seg_key, sum(budget) AS budget FROM bk GROUP BY ALL),
bd AS (
    SELECT seg_key, t.day, bm.budget / date_diff('day', month, month + INTERVAL 1 MONTH) AS per_day
    FROM bm, unnest(generate_series(month, month + INTERVAL 1 MONTH - INTERVAL 1 DAY, INTERVAL 1 DAY)) AS t(day)),
bp AS (
    SELECT period_of(day) AS pstart, seg_key, sum(per_day) AS budget_period,
           sum0(count(*) FILTER (WHERE CAST(day AS DATE) <= as_of_date),
                sum(per_day) FILTER (WHERE CAST(day AS DATE) <= as_of_date)) AS budget_to_date
    FROM bd, params GROUP BY ALL),
sp AS (
    SELECT period_of(date) AS pstart, seg_key, sum(cost) AS spend FROM sk GROUP BY ALL),
j AS (
    SELECT coalesce(s.pstart, b.pstart) AS pstart, coalesce(s.seg_key, b.seg_key) AS seg_key,
           CASE WHEN s.pstart IS NULL THEN 0 ELSE s.spend END AS spend,
           CASE WHEN b.pstart IS NULL THEN 0 ELSE b.budget_to_date END AS budget_to_date,
           CASE WHEN b.pstart IS NULL THEN 0 ELSE b.budget_period END AS budget_period
    FROM sp s FULL JOIN bp b ON s.pstart = b.pstart AND s.seg_key = b.seg_key)
SELECT 'budget_pacing' AS kpi, pstart, seg_key, '' AS step, ratio(spend, budget_to_date) AS value,
       spend AS numerator, budget_to_date AS denominator
FROM j, params WHERE pstart <= as_of AND (seg_key = '{TOTAL}' OR {both('budget', 'spend')})
UNION ALL
-- CHOICE: budget_remaining is not a ratio: numerator / denominator null
SELECT 'budget_remaining', pstart, seg_key, '', budget_period - spend, NULL, NULL
FROM j, params WHERE pstart <= as_of AND (seg_key = '{TOTAL}' OR {both('budget', 'spend')});

-- ============ Deals (deduplicated by id; won from the won column or the stage text)
CREATE OR REPLACE TABLE f_deals AS
-- pipeline_created: sum of the amounts of the deals created in the period (unknown amounts
-- skipped; only unknown amounts: null)
SELECT 'pipeline_created' AS kpi, period_of(created_at) AS pstart, seg_key, '' AS step,
       sum(amount) AS value, NULL AS numerator, NULL AS denominator
FROM dk WHERE created_at IS NOT NULL GROUP BY ALL
UNION ALL
-- win_rate: closed deals (won not null) by close time: won / closed.  A closed deal without
-- closed_at is not counted; an open deal never is (its closed_at is an expected date)
SELECT 'win_rate', period_of(closed_at), seg_key, '',
       ratio(count(*) FILTER (WHERE won), count(*)), count(*) FILTER (WHERE won), count(*)
FROM dk WHERE won IS NOT NULL AND closed_at IS NOT NULL GROUP BY ALL
UNION ALL
-- average_deal_size: sum of amount / count over the won deals with a known amount, by close
-- time.  CHOICE: the KPI's rows are those deals (a period with only lost deals has no point)
SELECT 'average_deal_size', period_of(closed_at), seg_key, '',
       ratio(sum(amount), count(*)), sum(amount), count(*)
FROM dk WHERE won AND closed_at IS NOT NULL AND amount IS NOT NULL GROUP BY ALL
UNION ALL
-- sales_cycle_days: median of (closed_at - created_at) in days (exact, fractional) over the
-- won deals with closed_at >= created_at, by close time.  CHOICE: the KPI's rows are the won
-- deals closed in the period (as first contact's rows are the new leads)
SELECT 'sales_cycle_days', pstart, seg_key, '', quantile_cont(days, 0.5), NULL, NULL FROM (
    SELECT period_of(closed_at) AS pstart, seg_key,
           CASE WHEN closed_at >= created_at
                THEN (epoch_us(closed_at) - epoch_us(created_at)) / 86400e6 END AS days
    FROM dk WHERE won AND closed_at IS NOT NULL)
GROUP BY ALL;

-- ============ Pipeline to spend: pipeline_created / sum of cost, outer join on (period, key)
CREATE OR REPLACE TABLE f_pipeline_spend AS
WITH pc AS (
    SELECT period_of(created_at) AS pstart, seg_key, sum(amount) AS pipeline
    FROM dk WHERE created_at IS NOT NULL GROUP BY ALL),
sp AS (
    SELECT period_of(date) AS pstart, seg_key, sum(cost) AS cost FROM sk GROUP BY ALL),
j AS (
    SELECT coalesce(p.pstart, s.pstart) AS pstart, coalesce(p.seg_key, s.seg_key) AS seg_key,
           CASE WHEN p.pstart IS NULL THEN 0 ELSE p.pipeline END AS num,
           CASE WHEN s.pstart IS NULL THEN 0 ELSE s.cost END AS den
    FROM pc p FULL JOIN sp s ON p.pstart = s.pstart AND p.seg_key = s.seg_key)
SELECT 'pipeline_to_spend' AS kpi, pstart, seg_key, '' AS step, ratio(num, den) AS value,
       num AS numerator, den AS denominator
FROM j WHERE seg_key = '{TOTAL}' OR {both('deals', 'spend')};
"""
    if with_revenue:
        sql += f"""
-- ============ New MRR and the return on spend (the revenue endpoints of section 3)
-- new_mrr = sum of end MRR over the new accounts N (start 0, end > 0); roas = 12 new_mrr / cost;
-- marketing_roi = (12 new_mrr - cost) / cost; cac_payback_months = cost / new_mrr.  The
-- revenue rules decide which periods exist (rcal); the spend side is the sum of cost of the
-- period's dates up to the as-of, joined outer on (period, key); a breakdown needs the
-- dimension on both revenue and spend (revenue's own channel <-> spend.channel)
CREATE OR REPLACE TABLE f_return AS
WITH sp AS (
    SELECT period_of(date) AS pstart, seg_key, sum(cost) AS cost FROM sk GROUP BY ALL),
keys AS (SELECT DISTINCT seg_key FROM rev_base UNION SELECT DISTINCT seg_key FROM sp),
j AS (
    SELECT r.pstart, k.seg_key,
           coalesce(b.has_rows, FALSE) OR s.pstart IS NOT NULL AS has_rows,
           coalesce(b.new_mrr, 0) AS new_mrr,
           CASE WHEN s.pstart IS NULL THEN 0 ELSE s.cost END AS cost
    FROM rcal r CROSS JOIN keys k
    LEFT JOIN rev_base b ON b.pstart = r.pstart AND b.seg_key = k.seg_key
    LEFT JOIN sp s ON s.pstart = r.pstart AND s.seg_key = k.seg_key
    WHERE k.seg_key = '{TOTAL}' OR {both('revenue', 'spend')})
SELECT 'new_mrr' AS kpi, pstart, seg_key, '' AS step, has_rows, new_mrr AS value,
       NULL AS numerator, NULL AS denominator FROM rev_base
UNION ALL SELECT 'roas', pstart, seg_key, '', has_rows, ratio(12 * new_mrr, cost), 12 * new_mrr, cost FROM j
UNION ALL SELECT 'marketing_roi', pstart, seg_key, '', has_rows,
                 ratio(12 * new_mrr - cost, cost), 12 * new_mrr - cost, cost FROM j
UNION ALL SELECT 'cac_payback_months', pstart, seg_key, '', has_rows, ratio(cost, new_mrr), cost, new_mrr FROM j;
"""
    return sql


def targets_sql(catalog, grain, config):
    """kpi_targets: the target of each KPI for this grain (configured under `targets`, per KPI
    and grain, never scaled from another grain; 1.0 for better: target without one) and the
    tolerance of better: target KPIs (`target_tolerance`, per KPI; default 10 %)."""
    config = config or {}
    rows = []
    for kid, meta in catalog.items():
        better = meta[5]
        target = config.get("targets", {}).get(kid, {}).get(grain)
        if target is None and better == "target":
            target = DEFAULT_TARGET
        tolerance = config.get("target_tolerance", {}).get(kid, DEFAULT_TOLERANCE)
        if target is not None:
            rows.append(f"('{kid}', '{better}', {float(target)!r}, {float(tolerance)!r})")
    values = ("INSERT INTO kpi_targets VALUES " + ", ".join(rows) + ";") if rows else ""
    return ("CREATE OR REPLACE TABLE kpi_targets (kpi VARCHAR, better VARCHAR, target DOUBLE, "
            "tolerance DOUBLE);\n" + values)


def outlook_sql(kpi, points_sql):
    """The points of finish_sql plus the outlook of catalog section 6:

    - forecast, for count and sum KPIs (FORECAST_KPIS) in the period containing the as-of:
      value / f, f = (as_of - period start) / (period end - period start) in microseconds
      (period end = start of the next period); null when f = 0 and on every other point
    - status, where the KPI has a target for this grain: the forecast where there is one,
      else the value, against the target: up >=, down <=, target within the tolerance
      (|v - t| <= tolerance * |t|).  CHOICE: null when that value is null, and for better none
    """
    forecastable = "TRUE" if kpi in FORECAST_KPIS else "FALSE"
    return f"""
WITH pts AS ({points_sql}),
fc AS (
    SELECT pts.*,
           CASE WHEN {forecastable} AND pts.pstart <= as_of AND as_of < pts.pend
                     AND epoch_us(as_of) > epoch_us(pts.pstart)
                THEN pts.value / (CAST(epoch_us(as_of) - epoch_us(pts.pstart) AS DOUBLE)
                                  / CAST(epoch_us(pts.pend) - epoch_us(pts.pstart) AS DOUBLE)) END AS forecast
    FROM pts CROSS JOIN params),
cmp AS (SELECT fc.*, coalesce(fc.forecast, fc.value) AS compared FROM fc)
SELECT cmp.period, cmp.seg_key, cmp.step, cmp.value, cmp.previous, cmp.change, cmp.numerator,
       cmp.denominator, cmp.incomplete, cmp.forecast,
       CASE WHEN t.target IS NULL OR cmp.compared IS NULL THEN NULL
            WHEN t.better = 'up' THEN CASE WHEN cmp.compared >= t.target THEN 'on_track' ELSE 'off_track' END
            WHEN t.better = 'down' THEN CASE WHEN cmp.compared <= t.target THEN 'on_track' ELSE 'off_track' END
            WHEN t.better = 'target' THEN
                 CASE WHEN abs(cmp.compared - t.target) <= t.tolerance * abs(t.target)
                      THEN 'on_track' ELSE 'off_track' END
       END AS status,
       cmp.compared, t.target, t.tolerance, t.better
FROM cmp LEFT JOIN kpi_targets t ON t.kpi = '{kpi}'
ORDER BY cmp.pstart, cmp.seg_key <> '{TOTAL}', cmp.seg_key, cmp.step
"""


def finish_sql(kpi, facts_table, empty, incomplete, cal="cal", dense=False, extra_join=""):
    """Points of one KPI from its facts (the generic rules of catalog section 1).

    - grid = every period x every (segment key, step) of the KPI; a group without rows
      takes the `empty` value (count 0, ratio null; numerator/denominator 0 for ratios)
    - total points: every period from the earliest to the latest period with rows;
      segment points: only where the segment has rows
    - previous = the KPI's value in the previous period for the same key and step;
      change = (v - prev) / |prev|, null when prev is null or 0
    """
    value_e, num_e, den_e = empty
    has_rows = "f.has_rows" if dense else "TRUE"
    return f"""
WITH facts AS (SELECT * FROM {facts_table} WHERE kpi = '{kpi}'),
keys AS (SELECT DISTINCT seg_key, step FROM facts),
grid AS (SELECT c.pstart, c.pend, c.period, k.seg_key, k.step FROM {cal} c CROSS JOIN keys k),
dense AS (
    SELECT g.*, coalesce(f.pstart IS NOT NULL AND {has_rows}, FALSE) AS has_rows,
           CASE WHEN f.pstart IS NULL THEN {value_e} ELSE f.value END AS value,
           CASE WHEN f.pstart IS NULL THEN {num_e} ELSE f.numerator END AS numerator,
           CASE WHEN f.pstart IS NULL THEN {den_e} ELSE f.denominator END AS denominator
    FROM grid g CROSS JOIN params
    LEFT JOIN facts f ON f.pstart = g.pstart AND f.seg_key = g.seg_key AND f.step = g.step),
span AS (SELECT min(pstart) AS lo, max(pstart) AS hi FROM dense
         WHERE has_rows AND seg_key = '{TOTAL}')
SELECT d.period, d.seg_key, d.step, d.value, p.value AS previous,
       CASE WHEN p.value IS NULL OR p.value = 0 OR d.value IS NULL THEN NULL
            ELSE (d.value - p.value) / abs(p.value) END AS change,
       d.numerator, d.denominator, {incomplete} AS incomplete, d.pstart, d.pend
FROM dense d CROSS JOIN span CROSS JOIN params {extra_join}
LEFT JOIN dense p ON p.pend = d.pstart AND p.seg_key = d.seg_key AND p.step = d.step
WHERE (d.seg_key = '{TOTAL}' AND d.pstart BETWEEN span.lo AND span.hi)
   OR (d.seg_key <> '{TOTAL}' AND d.has_rows)
ORDER BY d.pstart, d.seg_key <> '{TOTAL}', d.seg_key, d.step
"""


COUNT_EMPTY = ("0", "NULL", "NULL")          # a count / sum over no rows is 0
RATIO_EMPTY = ("NULL", "0", "0")             # CHOICE: numerator and denominator are 0 there
STAT_EMPTY = ("NULL", "NULL", "NULL")        # median / p90 / growth over nothing: null
VELOCITY_EMPTY = ("0.0", "0", "date_diff('day', g.pstart, least(g.pend, params.as_of_date + 1))")

FAMILY = {  # kpi -> (facts table, empty value)
    "new_leads": ("f_counts", COUNT_EMPTY),
    "mqls": ("f_counts", COUNT_EMPTY),
    "trial_signup_velocity": ("f_velocity", VELOCITY_EMPTY),
    **{k: ("f_cohort", RATIO_EMPTY) for k in [
        "conversion_rate", "trial_to_paid_rate", "activation_rate", "signup_completion_rate",
        "signup_abandonment_rate", "pct_mqls_qualified", "signup_source_quality_rate",
        "first_feature_usage_rate", "pct_key_activation_tasks"]},
    "activation_progression_score": ("f_score", RATIO_EMPTY),
    "drop_off_rate": ("f_funnel", RATIO_EMPTY),
    "time_to_first_contact_hours": ("f_contact", STAT_EMPTY),
    "time_to_first_contact_p90_hours": ("f_contact", STAT_EMPTY),
    "first_contact_within_24h_rate": ("f_contact", RATIO_EMPTY),
    "cost_per_lead": ("f_cross", RATIO_EMPTY),
    "customer_acquisition_cost": ("f_cross", RATIO_EMPTY),
    "cost_per_acquisition": ("f_cross", RATIO_EMPTY),
    "trial_signup_rate": ("f_cross", RATIO_EMPTY),
    "reach_to_icp_pct": ("f_spend", RATIO_EMPTY),
    "ctr_icp": ("f_spend", RATIO_EMPTY),
    "content_engagement": ("f_series", COUNT_EMPTY),
    "branded_search_volume": ("f_series", COUNT_EMPTY),
    "social_engagement_target_accounts": ("f_series", COUNT_EMPTY),
    "engagement_rate": ("f_series", RATIO_EMPTY),
    "community_growth_rate": ("f_community", STAT_EMPTY),
    "brand_awareness": ("f_survey", RATIO_EMPTY),
    "brand_recall_icp": ("f_survey", RATIO_EMPTY),
    "budget_pacing": ("f_budget", RATIO_EMPTY),
    "budget_remaining": ("f_budget", COUNT_EMPTY),  # CHOICE: 0 - 0 where neither side has rows
    "pipeline_created": ("f_deals", COUNT_EMPTY),
    "pipeline_to_spend": ("f_pipeline_spend", RATIO_EMPTY),
    "win_rate": ("f_deals", RATIO_EMPTY),
    "average_deal_size": ("f_deals", RATIO_EMPTY),
    "sales_cycle_days": ("f_deals", STAT_EMPTY),
}
# budget KPIs: the period containing the as-of date is incomplete (period to date)
RUNNING_PERIOD = "(d.pstart <= params.as_of AND params.as_of < d.pend)"


def jnum(v):
    """JSON number: DuckDB DECIMAL results become floats; ints stay ints."""
    return float(v) if isinstance(v, Decimal) else v


def iso_utc(t):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        s += f".{t.microsecond:06d}"
    return s + "Z"


def dump_doc(doc):
    """JSON with one KPI header and one point per line (small files, readable diffs)."""
    def j(v):
        return json.dumps(v, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    head = {k: v for k, v in doc.items() if k != "kpis"}
    lines = ["{" + j(head)[1:-1] + ',"kpis":[']
    for i, k in enumerate(doc["kpis"]):
        meta = {x: v for x, v in k.items() if x != "points"}
        lines.append(" {" + j(meta)[1:-1] + ',"points":[')
        pts = [ "  " + j(p) for p in k["points"]]
        lines.append(",\n".join(pts) + ("\n" if pts else "") + " ]}" + ("," if i + 1 < len(doc["kpis"]) else ""))
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == json.loads(j(doc))
    return text


def case_args(files, grain, by, as_of_arg, config_path):
    """The kpidash command line of an issue-10 case (paths from the repository root)."""
    args = ["report"] + [f"{kind}=tests/oracle/{path}" for kind, path in files.items()]
    args += ["--grain", grain] + (["--by", by] if by else []) + (["--as-of", as_of_arg] if as_of_arg else [])
    args += ["--tz", TZ] + (["--config", config_path] if config_path else []) + ["--format", "json"]
    return args


def dump_config(config):
    """A kpidash configuration, one KPI per line."""
    lines = []
    for key, per_kpi in config.items():
        body = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in per_kpi.items())
        lines.append(f"  {json.dumps(key)}: {{\n{body}\n  }}")
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    assert json.loads(text) == config
    return text


def run_case(con, name, grain, by, as_of_arg, investment=None):
    """Writes one expected document.

    investment: None for the issue-4 cases (expected/, six tables, no outlook); for issue 10 a
    dict with `files` (kind -> path), `config` (file name in expected_investment/ or None) and
    `refused` (KPI id -> reason, from the currency rules)."""
    kinds = list(investment["files"]) if investment else TABLES
    dims = INVESTMENT_DIMS if investment else DIM_COLUMN
    if as_of_arg:
        # explicit as-of = the end of that day (its last microsecond)
        as_of_sql = f"(TIMESTAMP '{as_of_arg}' + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)"
    else:
        as_of_sql = "(SELECT latest FROM data_latest)"
    con.execute(case_setup_sql(grain, by, as_of_sql, dims, kinds))
    as_of = con.execute("SELECT as_of FROM params").fetchone()[0]
    if "people" in kinds:
        con.execute(families_sql(by, dims))
    revenue_ok = grain in ("month", "quarter", "year")
    if revenue_ok and "revenue" in kinds:
        con.execute(REVENUE_SQL)
    config = None
    if investment:
        con.execute(investment_sql(by, dims, kinds, revenue_ok and "revenue" in kinds))
        catalog = {**(KPIS if "people" in kinds else {}), **INVESTMENT_KPIS}
        if investment["config"]:
            config = TARGETS
        con.execute(targets_sql(catalog, grain, config))
    else:
        catalog = KPIS

    kpis = []
    near = []
    for kid, (kname, unit, area, stage, ind, better, window) in catalog.items():
        entry = {"id": kid, "name": kname, "unit": unit, "area": area, "stage": stage,
                 "indicator": ind, "better": better, "available": True, "reason": None, "points": []}
        if investment:
            target = con.execute("SELECT target FROM kpi_targets WHERE kpi = ?", [kid]).fetchone()
            entry = {**{k: v for k, v in entry.items() if k != "points"},
                     "target": None if target is None else target[0], "points": []}
        refused = (investment or {}).get("refused", {}).get(kid)
        if refused:
            entry["available"] = False
            entry["reason"] = refused
            kpis.append(entry)
            continue
        if kid in REVENUE_KPIS or kid in RETURN_KPIS:
            if not revenue_ok:
                entry["available"] = False
                entry["reason"] = f"revenue KPIs need a month, quarter or year grain (not {grain})"
                kpis.append(entry)
                continue
            if "revenue" not in kinds:
                entry["available"] = False
                entry["reason"] = "needs a revenue table"
                kpis.append(entry)
                continue
            table = "f_return" if kid in RETURN_KPIS else "f_revenue"
            sql = finish_sql(kid, table, RATIO_EMPTY, "rc.incomplete", cal="rcal", dense=True,
                             extra_join="JOIN rcal rc ON rc.pstart = d.pstart")
        else:
            table, empty = FAMILY[kid]
            if kid in BUDGET_KPIS:
                incomplete = RUNNING_PERIOD
            elif window:
                incomplete = f"(d.pend + to_days({window}) > params.as_of)"
            else:
                incomplete = "FALSE"
            sql = finish_sql(kid, table, empty, incomplete)
        if investment:
            sql = outlook_sql(kid, sql)
        for row in con.execute(sql).fetchall():
            period, seg_key, step, value, prev, change, n, d, inc = row[:9]
            point = {
                "period": period,
                "segment": None if seg_key == TOTAL else seg_key,
                "step": step or None,
                "value": jnum(value),
                "previous": jnum(prev),
                "change": jnum(change),
                "numerator": jnum(n),
                "denominator": jnum(d),
                "incomplete": bool(inc),
            }
            if investment:
                forecast, status, compared, target, tolerance, tbetter = row[9:15]
                point["forecast"] = jnum(forecast)
                point["status"] = status
                if status is not None:
                    bound = target * (1 + tolerance) if tbetter == "target" and compared > target else (
                        target * (1 - tolerance) if tbetter == "target" else target)
                    # a value exactly on an up/down target is a clean edge (>= / <=); anything
                    # else this close would depend on rounding
                    if (abs(compared - bound) <= 1e-9 * max(1.0, abs(bound))
                            and (compared != bound or tbetter == "target")):
                        near.append(f"{kid} {period} {seg_key}: {compared} at the boundary {bound}")
            entry["points"].append(point)
        kpis.append(entry)

    doc = {
        "as_of": iso_utc(as_of),
        "grain": grain,
        "by": by,
        "kpis": kpis,
        "oracle": {
            "note": "expected values computed independently by tests/oracle/expected.py (DuckDB SQL)",
            "as_of_arg": as_of_arg,
            "tz": TZ,
            "tables": kinds,
        },
    }
    out = OUT
    if investment:
        out = OUT_INVESTMENT
        config_path = (f"tests/oracle/expected_investment/{investment['config']}"
                       if investment["config"] else None)
        doc["oracle"]["files"] = {k: f"tests/oracle/{p}" for k, p in investment["files"].items()}
        doc["oracle"]["config"] = config_path
        doc["oracle"]["args"] = case_args(investment["files"], grain, by, as_of_arg, config_path)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{name}.json"), "w", encoding="utf-8") as f:
        f.write(dump_doc(doc))
    npts = sum(len(k["points"]) for k in kpis)
    print(f"{name:26s} as_of={doc['as_of']:28s} {npts:6d} points")
    for line in near:
        print(f"  WARNING status near its boundary: {line}")
    return npts


def refusals(con, kinds):
    """KPIs refused by the currency rules: amounts in more than one currency are never summed.
    Mixed deal currencies refuse the amount KPIs (not win_rate, not sales_cycle_days); a
    budget whose currency differs from spend's refuses the budget KPIs."""
    def currencies(table):
        return [c for (c,) in con.execute(
            f"SELECT DISTINCT currency FROM {table} WHERE currency IS NOT NULL ORDER BY 1").fetchall()]
    out = {}
    if "deals" in kinds:
        deal = currencies("deal_rows")
        if len(deal) > 1:
            for k in DEAL_AMOUNT_KPIS:
                out[k] = f"deals.currency holds more than one currency ({', '.join(deal)})"
    if "budget" in kinds and "spend" in kinds:
        budget, spend = currencies("budget_rows"), currencies("spend_rows")
        if len(set(budget) | set(spend)) > 1:
            for k in BUDGET_KPIS:
                out[k] = (f"budget.currency ({', '.join(budget)}) does not agree with "
                          f"spend.currency ({', '.join(spend)})")
    return out


def connect(files):
    """A DuckDB database with the tables of one dataset (kind -> path under tests/oracle/)."""
    con = duckdb.connect()
    con.execute("SET threads = 1")
    counts = {t: load_csv(con, t, add_row_number=(t in ("people", "deals")), path=os.path.join(HERE, p))
              for t, p in files.items()}
    con.execute(MACROS_SQL)
    con.execute(tables_sql(con, list(files)))
    return con, counts


def main():
    con, counts = connect({t: f"data/{t}.csv" for t in TABLES})
    persons, merged = con.execute(
        "SELECT count(*), sum(rows_merged - 1) FROM person").fetchone()
    print("rows:", ", ".join(f"{t}={n}" for t, n in counts.items()),
          f"| people deduplicated: {persons} persons, {merged} rows merged")
    for name, grain, by, as_of_arg in CASES:
        run_case(con, name, grain, by, as_of_arg)

    # issue 10: every KPI with forecast and status, budget and deals added
    os.makedirs(OUT_INVESTMENT, exist_ok=True)
    with open(os.path.join(OUT_INVESTMENT, TARGETS_CONFIG), "w", encoding="utf-8") as f:
        f.write(dump_config(TARGETS))
    connections = {}
    for files, name, grain, by, as_of_arg, config in INVESTMENT_CASES:
        key = tuple(sorted(files.items()))
        if key not in connections:
            con, counts = connect(files)
            rows, deals = con.execute("SELECT count(*), count(DISTINCT id) FROM deal_rows").fetchone()
            print("rows:", ", ".join(f"{t}={n}" for t, n in counts.items()),
                  f"| deals deduplicated: {deals} deals, {rows - deals} rows dropped")
            connections[key] = (con, refusals(con, list(files)))
        con, refused = connections[key]
        run_case(con, name, grain, by, as_of_arg,
                 {"files": files, "config": config, "refused": refused})


if __name__ == "__main__":
    main()
