//! Data-quality findings: what loading and computing found wrong or odd.
//!
//! * `loading.rs`: what loading one file found ([`LoadQuality`]), written by
//!   the loader and kept with the table;
//! * this module: the report's data-quality section ([`Quality`]), analysed
//!   from the loaded tables and the engine that computed the KPIs (null
//!   times, date coverage and gaps, currencies, duplicates, out-of-order
//!   milestones), and what budgets and deals show (`investment.rs`). The
//!   conventions it checks are described in `docs/data-model.md`, its JSON
//!   shape in `docs/result.md`.

mod investment;
pub(crate) mod loading;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::Engine;
use crate::engine::columns::{is_time_type, text_keys, times};
use crate::engine::time::{Calendar, DAY, Grain, NONE};
use crate::model::kinds::CoverageGrain;
use crate::model::{Table, TableKind};

pub use investment::{BudgetVsSpend, MonthChannel, MonthGaps};
pub use loading::{CellIssue, LoadQuality, SubscriptionExpansion};

/// Data quality of one table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableQuality {
    /// File name.
    pub file: String,
    /// Table kind.
    pub kind: TableKind,
    /// Loading findings.
    #[serde(flatten)]
    pub load: LoadQuality,
    /// Rows kept.
    pub rows: usize,
    /// Null values per time column.
    pub null_times: BTreeMap<String, usize>,
    /// First and last date of its main time column.
    pub coverage: Option<(String, String)>,
    /// Missing days (or months for revenue) inside the coverage.
    pub coverage_gaps: usize,
    /// Currencies found.
    pub currencies: Vec<String>,
    /// Deals: closed deals (won or lost) without a close date, which
    /// close-anchored KPIs leave out.
    #[serde(skip_serializing_if = "is_zero")]
    pub closed_without_close_date: usize,
    /// Deals: open deals whose expected close date is on a day before the
    /// as-of (the date itself is ignored).
    #[serde(skip_serializing_if = "is_zero")]
    pub open_past_close_date: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Data quality of the whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    /// Per table.
    pub tables: Vec<TableQuality>,
    /// People rows merged into another row as duplicates.
    pub duplicates_merged: usize,
    /// Of those, rows merged by a shared id.
    pub duplicates_by_id: usize,
    /// Of those, rows merged by a shared e-mail (ids already merged first).
    pub duplicates_by_email: usize,
    /// People found only in events.
    pub people_from_events: usize,
    /// Deal rows dropped as duplicates of an earlier deal with the same id
    /// (only when deals are loaded and some are).
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicate_deals: usize,
    /// People whose target milestone is earlier than the base, per pair.
    pub out_of_order: Vec<OutOfOrder>,
    /// Kinds whose amounts mix currencies.
    pub mixed_currencies: Vec<String>,
    /// Budget and spend months that the other side lacks, when both are
    /// loaded and some are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_vs_spend: Option<BudgetVsSpend>,
}

/// Out-of-order milestones of one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutOfOrder {
    /// Base milestone.
    pub base: String,
    /// Target milestone.
    pub target: String,
    /// People with target < base.
    pub people: usize,
}

/// The data-quality section of a report over `tables`. Call it after the
/// engine has computed the KPIs: out-of-order milestones are counted while
/// they are.
pub(crate) fn analyse(engine: &Engine, tables: &[Table]) -> Quality {
    let offset = engine.settings.offset;
    let budget_vs_spend = investment::budget_vs_spend(tables, offset, engine.as_of);
    let tables = tables
        .iter()
        .map(|t| table_quality(t, offset, engine.as_of))
        .collect();
    let mixed_currencies = TableKind::ALL
        .into_iter()
        .filter(|k| !k.spec().amounts.is_empty() && engine.currencies(*k).len() > 1)
        .map(|k| k.to_string())
        .collect();
    let people = engine.people();
    Quality {
        tables,
        duplicates_merged: people.map_or(0, |p| p.merged_rows),
        duplicates_by_id: people.map_or(0, |p| p.merged_by_id),
        duplicates_by_email: people.map_or(0, |p| p.merged_by_email),
        people_from_events: people.map_or(0, |p| p.from_events),
        duplicate_deals: engine.duplicate_deals(),
        out_of_order: engine
            .out_of_order
            .borrow()
            .iter()
            .map(|((b, t), n)| OutOfOrder {
                base: b.clone(),
                target: t.clone(),
                people: *n,
            })
            .collect(),
        mixed_currencies,
        budget_vs_spend,
    }
}

/// Data quality of one table; `offset` is the report's time zone (µs),
/// `as_of` the report's as-of (local µs).
fn table_quality(t: &Table, offset: i64, as_of: i64) -> TableQuality {
    let spec = t.kind.spec();
    let mut null_times = BTreeMap::new();
    let mut coverage = None;
    let mut coverage_gaps = 0;
    for f in t.batch.schema().fields() {
        if !is_time_type(f.data_type()) {
            continue;
        }
        let Some(v) = times(&[t], f.name(), offset) else {
            continue;
        };
        let nulls = v.iter().filter(|x| **x == NONE).count();
        let main = spec.time == Some(f.name().as_str());
        // Milestones are times too: a null one is a person not there yet,
        // counted for every milestone of a kind that has them.
        if nulls > 0 && (main || !spec.milestones.is_empty()) {
            null_times.insert(f.name().clone(), nulls);
        }
        if main {
            let days = distinct_days(&v);
            if let (Some(a), Some(b)) = (days.first(), days.last()) {
                let day = Calendar::new(Grain::Day, 1);
                coverage = Some((day.label(*a as i32), day.label(*b as i32)));
                coverage_gaps = spec
                    .coverage
                    .map_or(0, |g| missing_periods(&days, coverage_grain(g)));
            }
        }
    }
    let deals = match t.kind {
        TableKind::Deals => investment::deal_dates(t, offset, as_of),
        _ => investment::DealDates::default(),
    };
    TableQuality {
        file: t.file.clone(),
        kind: t.kind,
        load: t.quality.clone(),
        rows: t.rows(),
        null_times,
        coverage,
        coverage_gaps,
        currencies: t.column("currency").map_or_else(Vec::new, currencies),
        closed_without_close_date: deals.closed_without_close_date,
        open_past_close_date: deals.open_past_close_date,
    }
}

/// The distinct days (since 1970-01-01) of local times, in order; nulls
/// (`NONE`) left out.
fn distinct_days(times: &[i64]) -> Vec<i64> {
    let mut days: Vec<i64> = times
        .iter()
        .filter(|x| **x != NONE)
        .map(|x| x.div_euclid(DAY))
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// Periods of `grain` between the first and the last of `days` (distinct,
/// in order) that none of them falls in.
/// The report grain of a kind's coverage unit.
fn coverage_grain(unit: CoverageGrain) -> Grain {
    match unit {
        CoverageGrain::Day => Grain::Day,
        CoverageGrain::Month => Grain::Month,
    }
}

fn missing_periods(days: &[i64], grain: Grain) -> usize {
    let calendar = Calendar::new(grain, 1);
    let mut periods: Vec<i64> = days
        .iter()
        .map(|d| i64::from(calendar.period(d * DAY)))
        .collect();
    periods.dedup();
    match (periods.first(), periods.last()) {
        (Some(a), Some(b)) => (b - a + 1) as usize - periods.len(),
        _ => 0,
    }
}

/// The distinct currency codes of a column, trimmed, upper-cased and sorted.
fn currencies(column: &arrow_array::ArrayRef) -> Vec<String> {
    let (_, labels) = text_keys(column);
    let mut c: Vec<String> = labels
        .iter()
        .map(|l| l.trim().to_uppercase())
        .filter(|l| !l.is_empty())
        .collect();
    c.sort();
    c.dedup();
    c
}

#[cfg(test)]
// Tests: a panic is the failure report, so unwrap is the clearest spelling.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::report::{Request, run};

    /// The quality section of a report over CSV files of the given kinds,
    /// as of 2026-06-30 in UTC.
    fn quality_of(files: &[(TableKind, &str)]) -> Quality {
        let tables: Vec<Table> = files
            .iter()
            .enumerate()
            .map(|(i, (kind, csv))| {
                crate::load::load(&format!("{kind}_{i}.csv"), csv.as_bytes(), Some(*kind)).unwrap()
            })
            .collect();
        let request = Request::parse(None, None, Some("2026-06-30"), None).unwrap();
        run(&tables, &Config::default(), &request).unwrap().quality
    }

    /// Days since 1970-01-01 of the dates the tests use.
    fn day(y: i64, m: u32, d: u32) -> i64 {
        match (y, m, d) {
            (1969, 12, 31) => -1,
            (2025, 12, 31) => 20453,
            (2026, 1, 1) => 20454,
            (2026, 2, 1) => 20485,
            (2026, 2, 9) => 20493,
            (2026, 3, 1) => 20513,
            (2026, 3, 2) => 20514,
            (2026, 3, 5) => 20517,
            (2026, 5, 31) => 20604,
            other => panic!("no day number for {other:?}"),
        }
    }

    #[test]
    fn missing_periods_are_counted_at_the_grain() {
        let check = |days: &[i64], grain, expected: usize| {
            assert_eq!(missing_periods(days, grain), expected, "{days:?} {grain:?}");
        };
        check(&[], Grain::Day, 0);
        check(&[day(2026, 3, 1)], Grain::Day, 0);
        // 03-01, 03-02, 03-05: 03-03 and 03-04 are missing.
        let march = [day(2026, 3, 1), day(2026, 3, 2), day(2026, 3, 5)];
        check(&march, Grain::Day, 2);
        check(&march, Grain::Month, 0);
        // January, February, May: March and April are missing.
        let months = [
            day(2026, 1, 1),
            day(2026, 2, 1),
            day(2026, 2, 9),
            day(2026, 5, 31),
        ];
        check(&months, Grain::Month, 2);
        // Across a year end: December and January are neighbours.
        check(&[day(2025, 12, 31), day(2026, 1, 1)], Grain::Month, 0);
    }

    #[test]
    fn distinct_days_leave_out_nulls_and_repeats() {
        let t = |y, m, d, hours: i64| day(y, m, d) * DAY + hours * 3_600_000_000;
        let times = [t(2026, 3, 2, 23), NONE, t(2026, 3, 1, 0), t(2026, 3, 2, 1)];
        assert_eq!(distinct_days(&times), [day(2026, 3, 1), day(2026, 3, 2)]);
        // Before 1970 a day still starts at midnight.
        assert_eq!(distinct_days(&[t(1969, 12, 31, 23)]), [day(1969, 12, 31)]);
    }

    #[test]
    fn spend_coverage_gaps_and_currencies() {
        let q = quality_of(&[(
            TableKind::Spend,
            "date,cost,currency\n\
             2026-03-01,10,usd\n\
             2026-03-01,5, USD\n\
             2026-03-02,7,eur\n\
             2026-03-05,1,\n",
        )]);
        let t = &q.tables[0];
        assert_eq!(t.rows, 4);
        assert_eq!(
            t.coverage,
            Some(("2026-03-01".to_owned(), "2026-03-05".to_owned()))
        );
        assert_eq!(t.coverage_gaps, 2, "03-03 and 03-04");
        assert_eq!(t.currencies, ["EUR", "USD"]);
        assert!(t.null_times.is_empty());
        assert_eq!(q.mixed_currencies, ["spend"]);
    }

    #[test]
    fn revenue_gaps_are_months_and_survey_gaps_are_not_counted() {
        let q = quality_of(&[
            (
                TableKind::Revenue,
                "account_id,month,mrr\n\
                 a,2026-01-01,10\n\
                 a,2026-02-01,10\n\
                 b,2026-05-01,20\n",
            ),
            (
                TableKind::Survey,
                "date,aware\n2026-03-01,true\n2026-03-09,false\n",
            ),
        ]);
        let (revenue, survey) = (&q.tables[0], &q.tables[1]);
        assert_eq!(
            revenue.coverage,
            Some(("2026-01-01".to_owned(), "2026-05-01".to_owned()))
        );
        assert_eq!(revenue.coverage_gaps, 2, "March and April");
        assert!(revenue.currencies.is_empty());
        assert_eq!(
            survey.coverage,
            Some(("2026-03-01".to_owned(), "2026-03-09".to_owned()))
        );
        assert_eq!(survey.coverage_gaps, 0);
        assert!(q.mixed_currencies.is_empty());
    }

    #[test]
    fn people_nulls_in_every_time_column_and_duplicates() {
        let q = quality_of(&[(
            TableKind::People,
            "id,email,created_at,mql_at\n\
             1,ana@example.com,2026-03-01,2026-03-02\n\
             1,ana@example.com,2026-03-03,\n\
             2,ANA@example.com,2026-03-04,\n\
             3,cy@example.com,,2026-03-05\n",
        )]);
        let t = &q.tables[0];
        let nulls: Vec<(&str, usize)> =
            t.null_times.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(nulls, [("created_at", 1), ("mql_at", 2)]);
        assert_eq!(
            t.coverage,
            Some(("2026-03-01".to_owned(), "2026-03-04".to_owned()))
        );
        assert_eq!(t.coverage_gaps, 0, "people gaps are not counted");
        // Row 2 shares row 1's id, row 3 its e-mail.
        assert_eq!(q.duplicates_merged, 2);
        assert_eq!(q.duplicates_by_id, 1);
        assert_eq!(q.duplicates_by_email, 1);
        assert_eq!(q.people_from_events, 0);
    }

    #[test]
    fn only_the_main_time_column_of_other_kinds_counts_nulls() {
        // A series row without a date; an extra time column with a null.
        let q = quality_of(&[(
            TableKind::Series,
            "date,metric,value,reviewed_at\n\
             2026-03-01,visits,10,\n\
             ,visits,5,2026-03-02\n",
        )]);
        let nulls: Vec<(&str, usize)> = q.tables[0]
            .null_times
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(nulls, [("date", 1)]);
    }

    #[test]
    fn deals_closed_without_and_open_past_close_dates() {
        // As of 2026-06-30. Rows: won with a date; won and lost without one
        // (2); open expected 06-29 (past) and 06-30, 07-15 (not past); open
        // without a date; a duplicated id still counts (rows, not deals).
        let q = quality_of(&[(
            TableKind::Deals,
            "id,created_at,closed_at,stage,amount,currency\n\
             d1,2026-05-01,2026-05-20,Closed Won,100,USD\n\
             d2,2026-05-02,,Closed Won,100,USD\n\
             d3,2026-05-03,,closed lost,100,usd\n\
             d4,2026-05-04,2026-06-29,Contract Sent,100,USD\n\
             d5,2026-05-05,2026-06-30,Contract Sent,100,USD\n\
             d6,2026-05-06,2026-07-15,Qualified To Buy,100,USD\n\
             d7,2026-05-07,,Appointment Scheduled,100,USD\n\
             d4,2026-05-08,2026-06-01,Contract Sent,100,USD\n",
        )]);
        let t = &q.tables[0];
        assert_eq!(t.closed_without_close_date, 2, "d2, d3");
        assert_eq!(t.open_past_close_date, 2, "d4 twice");
        assert_eq!(t.currencies, ["USD"]);
        assert!(q.mixed_currencies.is_empty());
        assert!(
            t.null_times.is_empty(),
            "open deals' close dates are not nulls"
        );
        let json = serde_json::to_value(t).unwrap();
        assert_eq!(json["closed_without_close_date"], 2);
        assert_eq!(json["open_past_close_date"], 2);
    }

    #[test]
    fn budget_and_deal_currencies_are_checked_like_spend() {
        let q = quality_of(&[
            (
                TableKind::Budget,
                "month,channel,budget,currency\n2026-05,email,100,USD\n2026-06,email,100,EUR\n",
            ),
            (
                TableKind::Deals,
                "id,created_at,amount,currency\n1,2026-05-01,10,USD\n2,2026-05-02,20,eur\n",
            ),
        ]);
        assert_eq!(q.mixed_currencies, ["budget", "deals"]);
        assert_eq!(q.tables[1].currencies, ["EUR", "USD"]);
    }

    #[test]
    fn budget_months_without_spend_and_spend_months_without_budget() {
        // As of 2026-06-30. Budget: paid_search Apr, May, Jun; email May
        // (0, nothing planned); display Jun; July (after the as-of).
        // Spend: paid_search Apr, May (Google's `PAID_SEARCH` is the same
        // channel); email May; paid_social Jun; paid_search July (after).
        let budget = "month,channel,budget\n\
                      2026-04,paid_search,100\n\
                      May 2026,paid_search,100\n\
                      2026-06-15,paid_search,100\n\
                      2026-05,email,0\n\
                      2026-06,display,50\n\
                      2026-07,paid_search,100\n";
        let spend = "date,channel,cost\n\
                     2026-04-03,paid_search,10\n\
                     2026-05-03,PAID_SEARCH,10\n\
                     2026-05-04,email,5\n\
                     2026-06-01,paid_social,7\n\
                     2026-07-01,paid_search,9\n";
        let q = quality_of(&[(TableKind::Budget, budget), (TableKind::Spend, spend)]);
        let b = q.budget_vs_spend.expect("gaps");
        assert!(b.by_channel);
        let pairs = |g: &MonthGaps| -> Vec<(String, Option<String>)> {
            g.months
                .iter()
                .map(|m| (m.month.clone(), m.channel.clone()))
                .collect()
        };
        let p = |m: &str, c: &str| (m.to_owned(), Some(c.to_owned()));
        assert_eq!(b.budget_without_spend.count, 2);
        assert_eq!(
            pairs(&b.budget_without_spend),
            [p("2026-06", "display"), p("2026-06", "paid_search")]
        );
        assert_eq!(b.spend_without_budget.count, 2);
        assert_eq!(
            pairs(&b.spend_without_budget),
            [p("2026-05", "email"), p("2026-06", "paid_social")]
        );
        // Without a channel in the budget, months are compared alone.
        let budget = "month,budget\n2026-04,100\n2026-05,100\n";
        let q = quality_of(&[(TableKind::Budget, budget), (TableKind::Spend, spend)]);
        let b = q.budget_vs_spend.expect("gaps");
        assert!(!b.by_channel);
        assert_eq!(b.budget_without_spend.count, 0);
        assert_eq!(
            pairs(&b.spend_without_budget),
            [("2026-06".to_owned(), None)]
        );
        let json = serde_json::to_string(&b.spend_without_budget).unwrap();
        assert_eq!(json, r#"{"count":1,"months":[{"month":"2026-06"}]}"#);
        // Both sides agree: nothing to say.
        let q = quality_of(&[
            (TableKind::Budget, "month,budget\n2026-04,100\n"),
            (TableKind::Spend, "date,cost\n2026-04-02,3\n"),
        ]);
        assert_eq!(q.budget_vs_spend, None);
    }

    #[test]
    fn the_section_serialises_in_its_documented_shape() {
        let q = quality_of(&[(TableKind::Accounts, "account_id,name\nacc_1,Acme\n")]);
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(
            json,
            r#"{"tables":[{"file":"accounts_0.csv","kind":"accounts","rows_read":1,"rows_dropped":0,"dropped_reasons":[],"unparsed_cells":0,"unparsed_examples":[],"ambiguous_date_columns":[],"notes":[],"rows":1,"null_times":{},"coverage":null,"coverage_gaps":0,"currencies":[]}],"duplicates_merged":0,"duplicates_by_id":0,"duplicates_by_email":0,"people_from_events":0,"out_of_order":[],"mixed_currencies":[]}"#
        );
    }
}
