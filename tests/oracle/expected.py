#!/usr/bin/env python3
"""Independent oracle: every KPI of the catalog computed with SQL in DuckDB.

Reads tests/oracle/data/*.csv and writes tests/oracle/expected/<case>.json in the
result contract's shape.  Nothing here uses kpidash code; the SQL below *is* the
specification the engine is checked against (one query or CTE block per KPI
family, each commented with the catalog rule it implements).  Interpretation
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
REVENUE_KPIS = ["customer_retention_rate", "churn_rate", "revenue_churn_rate", "expansion_revenue",
                "net_revenue_retention", "expansion_activation_rate", "expansion_revenue_growth_rate"]

TOTAL = "__total__"  # internal key of the total; written as segment null

# Unicode White_Space (what Rust's char::is_whitespace uses); RE2's \s is ASCII only.
WS = r"[\x{09}-\x{0D}\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"


# --------------------------------------------------------------------------- loading
def load_csv(con, name, add_row_number=False):
    """CSV -> DuckDB table of text columns ('' = null), optionally with the file row number."""
    with open(os.path.join(DATA, f"{name}.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    cols = {h: [None if r[i] == "" else r[i] for r in body] for i, h in enumerate(header)}
    if add_row_number:
        cols = {"rn": list(range(1, len(body) + 1)), **cols}
    con.register(f"_arrow_{name}", pa.table(cols))
    con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM _arrow_{name}")
    con.unregister(f"_arrow_{name}")
    return len(body)


SETUP_SQL = f"""
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

-- ---------------------------------------------------------------- other tables, typed
CREATE TABLE spend_rows AS
SELECT CAST(CAST(utrim(date) AS DATE) AS TIMESTAMP) AS date, channel, campaign,
       num(cost) AS cost, num(impressions) AS impressions, num(clicks) AS clicks,
       num(conversions) AS conversions, to_bool(icp_audience) AS icp_audience, utrim(currency) AS currency
FROM raw_spend;
CREATE TABLE revenue_rows AS
SELECT utrim(account_id) AS account_id, CAST(CAST(utrim(month) AS DATE) AS TIMESTAMP) AS month,
       num(mrr) AS mrr, plan, segment
FROM raw_revenue;
CREATE TABLE series_rows AS
SELECT CAST(CAST(utrim(date) AS DATE) AS TIMESTAMP) AS date, utrim(metric) AS metric,
       num(value) AS value, to_bool(target_account) AS target_account
FROM raw_series;
CREATE TABLE survey_rows AS
SELECT CAST(CAST(utrim(date) AS DATE) AS TIMESTAMP) AS date, respondent_id,
       to_bool(icp) AS icp, to_bool(aware) AS aware, to_bool(recall) AS recall
FROM raw_survey;

-- default as-of: the latest value among all timestamp and date columns of all tables
CREATE TABLE data_latest AS
SELECT max(v) AS latest FROM (
    SELECT greatest(created_at, signup_started_at, signup_completed_at, trial_started_at, activated_at,
                    first_feature_at, mql_at, sql_at, opportunity_at, customer_at, first_contact_at,
                    task_profile, task_invite) AS v FROM people_rows
    UNION ALL SELECT max(date) FROM spend_rows
    UNION ALL SELECT max(month) FROM revenue_rows
    UNION ALL SELECT max(date) FROM series_rows
    UNION ALL SELECT max(date) FROM survey_rows
);
"""

GRAIN_LABEL = {
    "day": "strftime(pstart, '%Y-%m-%d')",
    "week": "strftime(pstart, '%G-W%V')",  # ISO 8601 week-numbering year and week
    "month": "strftime(pstart, '%Y-%m')",
    "quarter": "strftime(pstart, '%Y') || '-Q' || quarter(pstart)",
    "year": "strftime(pstart, '%Y')",
}
CAL_FIRST = {"day": "2024-01-01", "week": "2023-01-02", "month": "2023-01-01",
             "quarter": "2023-01-01", "year": "2023-01-01"}


def case_setup_sql(grain, by, as_of_sql):
    """Per-case parameters, calendar and the as-of-filtered, segment-exploded views.

    Every fact view has `seg_key`: each row appears once with seg_key = TOTAL and,
    when the breakdown applies to its table, once more with its dimension value.
    """
    def seg_expr(table, default="NULL"):
        col = DIM_COLUMN[table].get(by) if by else None
        return f"dim({col})" if col else default

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

CREATE OR REPLACE VIEW sk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT s.*, {seg_expr('spend')} AS seg FROM spend_rows s, params WHERE date <= as_of);

CREATE OR REPLACE VIEW srk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT s.*, {seg_expr('series')} AS seg FROM series_rows s, params WHERE date <= as_of);

CREATE OR REPLACE VIEW svk AS
SELECT *, unnest(seg_keys(seg)) AS seg_key FROM (
  SELECT s.*, {seg_expr('survey')} AS seg FROM survey_rows s, params WHERE date <= as_of);

CREATE OR REPLACE VIEW rvk AS
SELECT r.*, {seg_expr('revenue')} AS seg FROM revenue_rows r, params WHERE month <= as_of;
"""


# --------------------------------------------------------------------------- KPI families
def families_sql(by):
    """One CREATE TABLE per KPI family; each yields rows
    (kpi, pstart, seg_key, step, value, numerator, denominator) only for groups with rows."""
    # cross-table ratios break down only by a dimension both sides have
    spend_people_by = "TRUE" if by and DIM_COLUMN["spend"].get(by) and DIM_COLUMN["people"].get(by) else "FALSE"
    people_series_by = "TRUE" if by and DIM_COLUMN["series"].get(by) and DIM_COLUMN["people"].get(by) else "FALSE"
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
           count(*) FILTER (WHERE start_mrr > 0 AND end_mrr - start_mrr > 0) AS expanded
    FROM rev_acct GROUP BY ALL)
SELECT r.pstart, r.pend, k.seg_key, a.pstart IS NOT NULL AS has_rows,
       coalesce(a.s, 0) AS s, coalesce(a.e, 0) AS e, coalesce(a.n, 0) AS n, coalesce(a.c, 0) AS c,
       coalesce(a.x, 0) AS x, coalesce(a.k, 0) AS k, coalesce(a.cm, 0) AS cm,
       coalesce(a.mrr_start, 0) AS mrr_start, coalesce(a.expanded, 0) AS expanded
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
       d.numerator, d.denominator, {incomplete} AS incomplete
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
}


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


def run_case(con, name, grain, by, as_of_arg):
    if as_of_arg:
        # explicit as-of = the end of that day (its last microsecond)
        as_of_sql = f"(TIMESTAMP '{as_of_arg}' + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)"
    else:
        as_of_sql = "(SELECT latest FROM data_latest)"
    con.execute(case_setup_sql(grain, by, as_of_sql))
    as_of = con.execute("SELECT as_of FROM params").fetchone()[0]
    con.execute(families_sql(by))
    revenue_ok = grain in ("month", "quarter", "year")
    if revenue_ok:
        con.execute(REVENUE_SQL)

    kpis = []
    for kid, (kname, unit, area, stage, ind, better, window) in KPIS.items():
        entry = {"id": kid, "name": kname, "unit": unit, "area": area, "stage": stage,
                 "indicator": ind, "better": better, "available": True, "reason": None, "points": []}
        if kid in REVENUE_KPIS:
            if not revenue_ok:
                entry["available"] = False
                entry["reason"] = f"revenue KPIs need a month, quarter or year grain (not {grain})"
                kpis.append(entry)
                continue
            sql = finish_sql(kid, "f_revenue", RATIO_EMPTY, "rc.incomplete", cal="rcal", dense=True,
                             extra_join="JOIN rcal rc ON rc.pstart = d.pstart")
        else:
            table, empty = FAMILY[kid]
            incomplete = f"(d.pend + to_days({window}) > params.as_of)" if window else "FALSE"
            sql = finish_sql(kid, table, empty, incomplete)
        for period, seg_key, step, value, prev, change, n, d, inc in con.execute(sql).fetchall():
            entry["points"].append({
                "period": period,
                "segment": None if seg_key == TOTAL else seg_key,
                "step": step or None,
                "value": jnum(value),
                "previous": jnum(prev),
                "change": jnum(change),
                "numerator": jnum(n),
                "denominator": jnum(d),
                "incomplete": bool(inc),
            })
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
            "tables": ["people", "spend", "revenue", "series", "survey", "accounts"],
        },
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"{name}.json"), "w", encoding="utf-8") as f:
        f.write(dump_doc(doc))
    npts = sum(len(k["points"]) for k in kpis)
    print(f"{name:22s} as_of={doc['as_of']:28s} {npts:6d} points")


def main():
    con = duckdb.connect()
    con.execute("SET threads = 1")
    counts = {t: load_csv(con, t, add_row_number=(t == "people"))
              for t in ["people", "spend", "revenue", "series", "survey", "accounts"]}
    con.execute(SETUP_SQL)
    persons, merged = con.execute(
        "SELECT count(*), sum(rows_merged - 1) FROM person").fetchone()
    print("rows:", ", ".join(f"{t}={n}" for t, n in counts.items()),
          f"| people deduplicated: {persons} persons, {merged} rows merged")
    for name, grain, by, as_of_arg in CASES:
        run_case(con, name, grain, by, as_of_arg)


if __name__ == "__main__":
    main()
