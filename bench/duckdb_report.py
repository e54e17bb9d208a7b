#!/usr/bin/env python3
"""The kpidash catalog computed in DuckDB SQL over the benchmark's Arrow files.

usage: bench/duckdb_report.py DIR [--threads N] [--memory-limit 10GB] [--as-of YYYY-MM-DD] [--out FILE] [--compare KPIDASH.json]

Reads DIR/{people,spend,revenue,series}.arrow (written by bench/gen.py; people
may be split into people-01.arrow, people-02.arrow, ...) with
pyarrow.feather, registers them with DuckDB (zero-copy Arrow scan) and computes
every KPI of the catalog at month grain by channel, like
`kpidash report ... --grain month --by channel` (default as-of = the latest
value in the data, as kpidash does without --as-of).

The SQL is copied from tests/oracle/expected.py (the independent oracle; see
tests/oracle/README.md for every rule and interpretation choice) and adapted to
typed Arrow input: timestamps/dates/booleans/numbers arrive typed, so the
text-parsing macros (ts, num, to_bool) are gone; trimming of dimensions and
e-mails (any Unicode white space) is kept, as is deduplication by id and e-mail
(recursive CTE, person = connected component). The survey and accounts tables
do not exist in the benchmark dataset, so the two survey KPIs are left out on
both sides (kpidash lists them as unavailable).

Prints one line of JSON with the timings (seconds):
  read   = pyarrow.feather.read_table of the 4 files (LZ4 decompression) + register
  sql    = every CREATE TABLE and every per-KPI point query, results fetched
  total  = read + sql + building the result document and serialising it to JSON
"""
import argparse
import json
import os
import sys
import time
from decimal import Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.feather as feather

TOTAL = "__total__"
GRAIN = "month"
BY = "channel"

# Which column carries a breakdown dimension in each table (as in the oracle).
DIM_COLUMN = {
    "people": {"channel": "source", "campaign": "campaign", "segment": "segment"},
    "spend": {"channel": "channel", "campaign": "campaign"},
    "revenue": {"segment": "segment"},
    "series": {},
}

# id: window days (None = no window); metadata of the oracle is not needed here
KPIS = {
    "new_leads": None, "mqls": None, "conversion_rate": 90, "trial_to_paid_rate": 30,
    "activation_rate": 14, "signup_completion_rate": 7, "signup_abandonment_rate": 7,
    "drop_off_rate": 90, "pct_mqls_qualified": 30, "signup_source_quality_rate": 30,
    "time_to_first_contact_hours": None, "time_to_first_contact_p90_hours": None,
    "first_contact_within_24h_rate": None, "trial_signup_velocity": None,
    "first_feature_usage_rate": 14, "pct_key_activation_tasks": 14,
    "activation_progression_score": 14, "cost_per_lead": None, "customer_acquisition_cost": None,
    "cost_per_acquisition": None, "trial_signup_rate": None, "reach_to_icp_pct": None,
    "ctr_icp": None, "content_engagement": None, "engagement_rate": None,
    "branded_search_volume": None, "social_engagement_target_accounts": None,
    "community_growth_rate": None,
    "customer_retention_rate": None, "churn_rate": None, "revenue_churn_rate": None,
    "expansion_revenue": None, "net_revenue_retention": None, "expansion_activation_rate": None,
    "expansion_revenue_growth_rate": None,
}
REVENUE_KPIS = ["customer_retention_rate", "churn_rate", "revenue_churn_rate", "expansion_revenue",
                "net_revenue_retention", "expansion_activation_rate", "expansion_revenue_growth_rate"]

WS = r"[\x{09}-\x{0D}\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"

SETUP_SQL = f"""
CREATE MACRO utrim(s) AS nullif(regexp_replace(s, '^{WS}+|{WS}+$', '', 'g'), '');
CREATE MACRO dim(s) AS coalesce(utrim(s), '(none)');
CREATE MACRO within(base, target, w) AS
    coalesce(target >= base AND target <= base + to_days(CAST(w AS INTEGER)), FALSE);
CREATE MACRO ratio(n, d) AS CASE WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL
                                 ELSE CAST(n AS DOUBLE) / CAST(d AS DOUBLE) END;

CREATE TABLE people_rows AS
SELECT rn, CAST(id AS VARCHAR) AS id, lower(utrim(email)) AS email_key,
       created_at, CAST(source AS VARCHAR) AS source, CAST(campaign AS VARCHAR) AS campaign,
       CAST(segment AS VARCHAR) AS segment, icp, account_id,
       signup_started_at, signup_completed_at, trial_started_at, activated_at,
       first_feature_at, mql_at, sql_at, opportunity_at, customer_at, first_contact_at,
       task_profile, task_invite, task_integration
FROM a_people;

-- deduplication: rows linked by id or e-mail key, transitively (person = smallest row number)
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
       first(segment  ORDER BY created_at ASC NULLS LAST, p.rn) AS segment,
       first(icp      ORDER BY created_at ASC NULLS LAST, p.rn) AS icp,
       first(account_id ORDER BY created_at ASC NULLS LAST, p.rn) AS account_id
FROM people_rows p JOIN people_component c USING (rn)
GROUP BY c.person_key;

CREATE TABLE spend_rows AS
SELECT CAST(date AS TIMESTAMP) AS date, CAST(channel AS VARCHAR) AS channel,
       CAST(campaign AS VARCHAR) AS campaign, CAST(cost AS DOUBLE) AS cost,
       CAST(impressions AS DOUBLE) AS impressions, CAST(clicks AS DOUBLE) AS clicks,
       CAST(conversions AS DOUBLE) AS conversions, icp_audience
FROM a_spend;
CREATE TABLE revenue_rows AS
SELECT utrim(CAST(account_id AS VARCHAR)) AS account_id, CAST(month AS TIMESTAMP) AS month,
       CAST(mrr AS DOUBLE) AS mrr, CAST(segment AS VARCHAR) AS segment
FROM a_revenue;
CREATE TABLE series_rows AS
SELECT CAST(date AS TIMESTAMP) AS date, utrim(CAST(metric AS VARCHAR)) AS metric,
       CAST(value AS DOUBLE) AS value, target_account
FROM a_series;

CREATE TABLE data_latest AS
SELECT max(v) AS latest FROM (
    SELECT greatest(created_at, signup_started_at, signup_completed_at, trial_started_at, activated_at,
                    first_feature_at, mql_at, sql_at, opportunity_at, customer_at, first_contact_at,
                    task_profile, task_invite) AS v FROM people_rows
    UNION ALL SELECT max(date) FROM spend_rows
    UNION ALL SELECT max(month) FROM revenue_rows
    UNION ALL SELECT max(date) FROM series_rows
);
"""


def case_setup_sql(as_of_sql):
    def seg_expr(table):
        col = DIM_COLUMN[table].get(BY)
        return f"dim({col})" if col else "NULL"
    return f"""
CREATE OR REPLACE TABLE params AS
SELECT {as_of_sql} AS as_of, CAST({as_of_sql} AS DATE) AS as_of_date;

CREATE OR REPLACE TABLE cal AS
SELECT pstart, pstart + INTERVAL 1 {GRAIN} AS pend, strftime(pstart, '%Y-%m') AS period
FROM (SELECT unnest(generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2027-12-31',
                                    INTERVAL 1 {GRAIN})) AS pstart);

CREATE OR REPLACE MACRO period_of(t) AS date_trunc('{GRAIN}', t);
CREATE OR REPLACE MACRO seg_keys(seg) AS
    CASE WHEN seg IS NULL THEN ['{TOTAL}'] ELSE ['{TOTAL}', seg] END;

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

CREATE OR REPLACE VIEW rvk AS
SELECT r.*, {seg_expr('revenue')} AS seg FROM revenue_rows r, params WHERE month <= as_of;
"""


def families_sql():
    spend_people_by = "TRUE" if DIM_COLUMN["spend"].get(BY) and DIM_COLUMN["people"].get(BY) else "FALSE"
    people_series_by = "TRUE" if DIM_COLUMN["series"].get(BY) and DIM_COLUMN["people"].get(BY) else "FALSE"
    return f"""
CREATE OR REPLACE TABLE f_counts AS
SELECT 'new_leads' AS kpi, period_of(created_at) AS pstart, seg_key, '' AS step,
       count(*) AS value, NULL AS numerator, NULL AS denominator
FROM pk WHERE created_at IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'mqls', period_of(mql_at), seg_key, '', count(*), NULL, NULL
FROM pk WHERE mql_at IS NOT NULL GROUP BY ALL;

CREATE OR REPLACE TABLE f_velocity AS
SELECT 'trial_signup_velocity' AS kpi, c.pstart, t.seg_key, '' AS step,
       ratio(t.n, date_diff('day', c.pstart, least(c.pend, params.as_of_date + 1))) AS value,
       t.n AS numerator, date_diff('day', c.pstart, least(c.pend, params.as_of_date + 1)) AS denominator
FROM (SELECT period_of(trial_started_at) AS pstart, seg_key, count(*) AS n
      FROM pk WHERE trial_started_at IS NOT NULL GROUP BY ALL) t
JOIN cal c USING (pstart) CROSS JOIN params;

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
    UNION ALL SELECT 'signup_abandonment_rate', seg_key, signup_started_at,
           NOT within(signup_started_at, signup_completed_at, 7) FROM pk
    UNION ALL SELECT 'pct_mqls_qualified', seg_key, mql_at,
           within(mql_at, sql_at, 30) FROM pk
    UNION ALL SELECT 'signup_source_quality_rate', seg_key, signup_completed_at,
           icp IS TRUE AND within(signup_completed_at, activated_at, 30) FROM pk
    UNION ALL SELECT 'first_feature_usage_rate', seg_key, signup_completed_at,
           within(signup_completed_at, first_feature_at, 14) FROM pk
    UNION ALL SELECT 'pct_key_activation_tasks', seg_key, signup_completed_at,
           within(signup_completed_at, task_profile, 14) AND within(signup_completed_at, task_invite, 14)
           AND task_integration IS TRUE FROM pk
)
SELECT kpi, period_of(base) AS pstart, seg_key, '' AS step,
       ratio(count(*) FILTER (WHERE ok), count(*)) AS value,
       count(*) FILTER (WHERE ok) AS numerator, count(*) AS denominator
FROM cohort WHERE base IS NOT NULL GROUP BY ALL;

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
SELECT 'cost_per_acquisition', pstart, seg_key, '', ratio(cost, conversions), cost, conversions
FROM spend
UNION ALL
SELECT 'trial_signup_rate', pstart, seg_key, '', ratio(num, den), num, den
FROM tsr WHERE seg_key = '{TOTAL}' OR {people_series_by};

CREATE OR REPLACE TABLE f_spend AS
WITH reach AS (
    SELECT period_of(date) AS pstart, seg_key,
           CASE WHEN count(*) FILTER (WHERE icp_audience IS TRUE) = 0 THEN 0
                ELSE sum(impressions) FILTER (WHERE icp_audience IS TRUE) END AS num,
           sum(impressions) AS den
    FROM sk GROUP BY ALL),
ctr AS (
    SELECT period_of(date) AS pstart, seg_key, sum(clicks) AS num, sum(impressions) AS den
    FROM sk WHERE icp_audience IS TRUE GROUP BY ALL)
SELECT 'reach_to_icp_pct' AS kpi, pstart, seg_key, '' AS step, ratio(num, den) AS value,
       num AS numerator, den AS denominator FROM reach
UNION ALL
SELECT 'ctr_icp', pstart, seg_key, '', ratio(num, den), num, den FROM ctr;

CREATE OR REPLACE TABLE f_series AS
SELECT 'content_engagement' AS kpi, period_of(date) AS pstart, seg_key, '' AS step,
       sum(value) AS value, NULL AS numerator, NULL AS denominator
FROM srk WHERE metric = 'content_engagements' GROUP BY ALL
UNION ALL
SELECT 'branded_search_volume', period_of(date), seg_key, '', sum(value), NULL, NULL
FROM srk WHERE metric = 'branded_search_volume' GROUP BY ALL
UNION ALL
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
"""


REVENUE_SQL = """
CREATE OR REPLACE TABLE rev_snap AS
SELECT account_id, date_trunc('month', month) AS m, sum(coalesce(mrr, 0)) AS mrr,
       min(seg) AS seg
FROM rvk GROUP BY ALL;

CREATE OR REPLACE TABLE rcal AS
SELECT c.pstart, c.pend, c.period,
       c.pstart - INTERVAL 1 MONTH AS start_m,
       (SELECT max(m) FROM rev_snap WHERE m >= c.pstart AND m < c.pend) AS end_m,
       c.pend - INTERVAL 1 MONTH > (SELECT max(m) FROM rev_snap) AS incomplete
FROM cal c
WHERE c.pstart - INTERVAL 1 MONTH >= (SELECT min(m) FROM rev_snap)
  AND EXISTS (SELECT 1 FROM rev_snap WHERE m >= c.pstart AND m < c.pend);

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
    SELECT cur.*, prev.x AS x_prev
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


COUNT_EMPTY = ("0", "NULL", "NULL")
RATIO_EMPTY = ("NULL", "0", "0")
STAT_EMPTY = ("NULL", "NULL", "NULL")
VELOCITY_EMPTY = ("0.0", "0", "date_diff('day', g.pstart, least(g.pend, params.as_of_date + 1))")

FAMILY = {
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
}


def jnum(v):
    return float(v) if isinstance(v, Decimal) else v


def read_tables(d):
    t = {name: feather.read_table(os.path.join(d, f"{name}.arrow"))
         for name in ["spend", "revenue", "series"]}
    # people.arrow, or people-01.arrow, people-02.arrow, ... (one table, in name order)
    parts = sorted(f for f in os.listdir(d) if f.startswith("people") and f.endswith(".arrow"))
    people = pa.concat_tables([feather.read_table(os.path.join(d, f)) for f in parts])
    t["people"] = people
    # the file row number (dedup ties are broken by file order)
    t["people"] = people.add_column(0, "rn", pa.array(np.arange(1, people.num_rows + 1, dtype=np.int64)))
    return t


def compute(con, as_of_arg):
    con.execute(SETUP_SQL).fetchall()
    if as_of_arg:
        as_of_sql = f"(TIMESTAMP '{as_of_arg}' + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)"
    else:
        as_of_sql = "(SELECT latest FROM data_latest)"
    con.execute(case_setup_sql(as_of_sql)).fetchall()
    con.execute(families_sql()).fetchall()
    con.execute(REVENUE_SQL).fetchall()
    rows = {}
    for kid, window in KPIS.items():
        if kid in REVENUE_KPIS:
            sql = finish_sql(kid, "f_revenue", RATIO_EMPTY, "rc.incomplete", cal="rcal", dense=True,
                             extra_join="JOIN rcal rc ON rc.pstart = d.pstart")
        else:
            table, empty = FAMILY[kid]
            incomplete = f"(d.pend + to_days({window}) > params.as_of)" if window else "FALSE"
            sql = finish_sql(kid, table, empty, incomplete)
        rows[kid] = con.execute(sql).fetchall()
    as_of = con.execute("SELECT as_of FROM params").fetchall()[0][0]
    return as_of, rows


def document(as_of, rows):
    kpis = []
    for kid, pts in rows.items():
        kpis.append({"id": kid, "available": True, "points": [{
            "period": period, "segment": None if seg == TOTAL else seg, "step": step or None,
            "value": jnum(v), "previous": jnum(p), "change": jnum(c),
            "numerator": jnum(n), "denominator": jnum(d), "incomplete": bool(inc)}
            for period, seg, step, v, p, c, n, d, inc in pts]})
    return {"as_of": as_of.isoformat(), "grain": GRAIN, "by": BY, "kpis": kpis}


def compare(doc, path):
    """Point-by-point comparison with a kpidash JSON report (1e-9 relative)."""
    with open(path, encoding="utf-8") as f:
        kd = json.load(f)
    theirs = {k["id"]: k for k in kd["kpis"]}
    bad = 0
    npts = 0

    def close(a, b):
        if a is None or b is None:
            return a is None and b is None
        return abs(a - b) <= max(1e-12, 1e-9 * max(abs(a), abs(b)))
    for k in doc["kpis"]:
        t = theirs.get(k["id"])
        if t is None:
            print(f"compare: {k['id']}: missing in kpidash", file=sys.stderr)
            bad += 1
            continue
        tp = {(p["period"], p.get("segment"), p.get("step")): p for p in t["points"]}
        mine = {(p["period"], p["segment"], p["step"]): p for p in k["points"]}
        npts += len(mine)
        missing = set(mine) - set(tp)
        extra = set(tp) - set(mine)
        diffs = [key for key in set(mine) & set(tp)
                 if not all(close(mine[key][f], tp[key].get(f)) for f in
                            ["value", "previous", "change", "numerator", "denominator"])
                 or mine[key]["incomplete"] != tp[key].get("incomplete")]
        if missing or extra or diffs:
            bad += 1
            ex = sorted(diffs)[:1]
            print(f"compare: {k['id']}: {len(missing)} missing, {len(extra)} unexpected, "
                  f"{len(diffs)} differ" + (f"; e.g. {ex[0]}: duckdb {mine[ex[0]]} kpidash {tp[ex[0]]}" if ex else ""),
                  file=sys.stderr)
    print(f"compare: {len(doc['kpis'])} KPIs, {npts} points, {bad} KPIs differ", file=sys.stderr)
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--threads", type=int, default=0, help="0 = DuckDB's default (all cores)")
    ap.add_argument("--memory-limit", default="10GB",
                    help="DuckDB memory_limit (it spills to disk beyond); the machine is shared")
    ap.add_argument("--as-of")
    ap.add_argument("--out")
    ap.add_argument("--compare")
    a = ap.parse_args()

    t0 = time.perf_counter()
    con = duckdb.connect()
    if a.threads:
        con.execute(f"SET threads = {a.threads}").fetchall()
    con.execute(f"SET memory_limit = '{a.memory_limit}'").fetchall()
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    tables = read_tables(a.dir)
    for name, tab in tables.items():
        con.register(f"a_{name}", tab)
    t1 = time.perf_counter()
    as_of, rows = compute(con, a.as_of)
    t2 = time.perf_counter()
    doc = document(as_of, rows)
    text = json.dumps(doc)
    t3 = time.perf_counter()
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    persons = con.execute("SELECT count(*) FROM person").fetchall()[0][0]
    npts = sum(len(k["points"]) for k in doc["kpis"])
    print(json.dumps({"threads": threads, "read": round(t1 - t0, 3), "sql": round(t2 - t1, 3),
                      "total": round(t3 - t0, 3), "people_rows": tables["people"].num_rows,
                      "persons": persons, "points": npts}))
    if a.compare:
        sys.exit(1 if compare(doc, a.compare) else 0)


if __name__ == "__main__":
    main()
