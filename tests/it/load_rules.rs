//! Loader rules that decide KPI numbers, each with a hand-made CSV and the
//! values worked out by hand next to it (the conventions of
//! `docs/data-model.md`):
//!
//! * revenue `month` is "any date in the month": month values without a day
//!   (`2026-01`, `01/2026`, `Jan 2026`) are the first day of that month;
//! * in text columns only empty, `--`, `N/A` and `null` are null, so a region
//!   `NA` (North America) or `none` is its own segment;
//! * only the block of `Total…` rows at the bottom of an export is dropped,
//!   never a campaign or account whose name starts with "Total".

use crate::support::{Checker, run, session};
use arrow_array::ArrayRef;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use kpidash::TableKind::{People, Revenue, Spend};
use kpidash::{Table, TableKind};

const UTC: &str = "+00:00";

/// Microseconds in a day.
const DAY: i64 = 86_400_000_000;

/// 2026-01-01 is day 20454 since 1970-01-01 (56 years of 365 days plus 14
/// leap days, 1972…2024); 2026-02-01 is 31 days later.
const JAN_2026: i64 = 20_454 * DAY;
const FEB_2026: i64 = (20_454 + 31) * DAY;

fn load(name: &str, csv: &str, kind: Option<TableKind>) -> Table {
    kpidash::load::load(name, csv.as_bytes(), kind).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn column<'t>(t: &'t Table, name: &str) -> &'t ArrayRef {
    t.column(name)
        .unwrap_or_else(|| panic!("{}: no column {name}: {:?}", t.file, t.columns))
}

/// A time column's values as microseconds (wall clock), null as `None`.
fn times(t: &Table, name: &str) -> Vec<Option<i64>> {
    column(t, name)
        .as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect()
}

/// A number column's values.
fn numbers(t: &Table, name: &str) -> Vec<Option<f64>> {
    column(t, name)
        .as_primitive::<Float64Type>()
        .iter()
        .collect()
}

/// A text column's values, null as `None` (plain or dictionary text).
fn texts(t: &Table, name: &str) -> Vec<Option<String>> {
    let a = column(t, name);
    let a = arrow_cast::cast(a, &arrow_schema::DataType::Utf8).unwrap();
    a.as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_owned))
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Revenue months without a day.
// ---------------------------------------------------------------------------

/// The review's case: `2026-01`, `2026-02` in a revenue `month` column.
const MONTHLY_MRR: &str = "\
account_id,month,mrr
A,2026-01,100
B,2026-01,100
A,2026-02,120
";

#[test]
fn revenue_months_without_a_day_are_the_first_of_the_month() {
    let t = load("mrr.csv", MONTHLY_MRR, None);
    assert_eq!(t.kind, Revenue);
    assert_eq!(t.quality.unparsed_cells, 0, "{:?}", t.quality);
    assert_eq!(
        times(&t, "month"),
        [Some(JAN_2026), Some(JAN_2026), Some(FEB_2026)]
    );
    assert!(
        t.quality.ambiguous_date_columns.is_empty(),
        "{:?}",
        t.quality
    );

    // February against January: S = {A, B} (start 100, 100), E = {A}
    // (end 120), N = 0, C = {B}: churn_rate = C ÷ S = 1 ÷ 2 = 0.5;
    // customer_retention_rate = (E − N) ÷ S = 1 ÷ 2 = 0.5.
    let s = session(&[(Revenue, MONTHLY_MRR)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("revenue months without a day");
    ck.values(
        &doc,
        &[
            ("churn_rate", "2026-02", None, Some(0.5)),
            ("customer_retention_rate", "2026-02", None, Some(0.5)),
        ],
    );
    ck.done();
}

#[test]
fn every_month_spelling_reads_as_its_first_day() {
    // Each spelling of January and February 2026 in the same three rows.
    for (jan, feb) in [
        ("2026-01", "2026-02"),
        ("2026/01", "2026/02"),
        ("2026-1", "2026-2"),
        ("01/2026", "02/2026"),
        ("1-2026", "2-2026"),
        ("Jan 2026", "Feb 2026"),
        ("January 2026", "February 2026"),
        ("Jan-2026", "Feb-2026"),
        ("2026-01-15", "2026-02-28"),
    ] {
        let csv = format!("account_id,month,mrr\nA,{jan},100\nB,{jan},100\nA,{feb},120\n");
        let t = load("mrr.csv", &csv, None);
        assert_eq!(t.quality.unparsed_cells, 0, "{jan}: {:?}", t.quality);
        let month = |us: Option<i64>| us.map(|v| v / DAY);
        // Day numbers; a full date keeps its day (15 January is day 20454 + 14).
        let (j, f) = if jan.len() == 10 {
            (20_454 + 14, 20_454 + 31 + 27)
        } else {
            (20_454, 20_454 + 31)
        };
        assert_eq!(
            times(&t, "month")
                .into_iter()
                .map(month)
                .collect::<Vec<_>>(),
            [Some(j), Some(j), Some(f)],
            "{jan}"
        );
        let s = session(&[(Revenue, csv.as_str())]);
        let doc = run(&s, "month", None, None, UTC);
        let mut ck = Checker::new(jan);
        ck.values(&doc, &[("churn_rate", "2026-02", None, Some(0.5))]);
        ck.done();
    }
}

#[test]
fn year_numbers_and_number_nulls_are_not_months() {
    // `year` holds integers 2026 and `code` text like `12-2025`: without a
    // role, `year` is a number column (2026 is not a date) and `code` text.
    // `mrr` reads `NA` and `-` as null: number columns keep the wide null
    // spellings, and no cell is unparsed.
    let csv = "\
account_id,month,mrr,year,code
A,2026-01,NA,2026,12-2025
B,2026-01,-,2026,01-2026
A,2026-02,120,2027,x
";
    let t = load("mrr.csv", csv, None);
    assert_eq!(t.quality.unparsed_cells, 0, "{:?}", t.quality);
    assert_eq!(numbers(&t, "mrr"), [None, None, Some(120.0)]);
    assert_eq!(
        numbers(&t, "year"),
        [Some(2026.0), Some(2026.0), Some(2027.0)]
    );
    assert_eq!(
        texts(&t, "code"),
        [
            Some("12-2025".into()),
            Some("01-2026".into()),
            Some("x".into())
        ]
    );
}

// ---------------------------------------------------------------------------
// 2. Null spellings in text columns.
// ---------------------------------------------------------------------------

#[test]
fn text_dimensions_keep_na_and_none_as_segments() {
    // Eight leads in March 2026. region: NA ×2 (North America), EMEA ×1,
    // none ×1 (a value), and null four times: `--`, empty, `N/A`, `" null "`.
    let people = "\
id,created_at,region
1,2026-03-02,NA
2,2026-03-03,EMEA
3,2026-03-04,none
4,2026-03-05,--
5,2026-03-06,
6,2026-03-07,NA
7,2026-03-08,N/A
8,2026-03-09,\" null \"
";
    let t = load("people.csv", people, Some(People));
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        texts(&t, "region"),
        [
            some("NA"),
            some("EMEA"),
            some("none"),
            None,
            None,
            some("NA"),
            None,
            None
        ]
    );
    // new_leads by region in 2026-03: NA 2, EMEA 1, none 1, (none) 4; total 8.
    let s = session(&[(People, people)]);
    let doc = run(&s, "month", Some("region"), None, UTC);
    let mut ck = Checker::new("region segments");
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", None, Some(8.0)),
            ("new_leads", "2026-03", Some("NA"), Some(2.0)),
            ("new_leads", "2026-03", Some("EMEA"), Some(1.0)),
            ("new_leads", "2026-03", Some("none"), Some(1.0)),
            ("new_leads", "2026-03", Some("(none)"), Some(4.0)),
        ],
    );
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-03", Some("NA")),
            ("2026-03", Some("EMEA")),
            ("2026-03", Some("none")),
            ("2026-03", Some("(none)")),
        ],
    );
    ck.done();
}

#[test]
fn ids_and_unmapped_text_use_the_text_null_spellings() {
    // Ids `NA` and `none` are people; `--` and empty are no id. The unmapped
    // `country` column is text: `NA` (Namibia) stays, `N/A` is null. The
    // unmapped `score` column is numbers: `NA` and `-` are null there.
    let people = "\
id,created_at,country,score
NA,2026-03-02,NA,1
none,2026-03-03,N/A,NA
--,2026-03-04,DE,-
,2026-03-05,-,2.5
";
    let t = load("people.csv", people, Some(People));
    assert_eq!(t.quality.unparsed_cells, 0, "{:?}", t.quality);
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(texts(&t, "id"), [some("NA"), some("none"), None, None]);
    assert_eq!(
        texts(&t, "country"),
        [some("NA"), None, some("DE"), some("-")]
    );
    assert_eq!(numbers(&t, "score"), [Some(1.0), None, None, Some(2.5)]);
}

// ---------------------------------------------------------------------------
// 3. Total rows.
// ---------------------------------------------------------------------------

/// A Google Ads UI export: two banner lines, campaigns named `Totalplay
/// brand` (in the middle and as the last data row) and `TotalEnergies`,
/// then the three `Total: …` footer rows Google Ads writes.
const GOOGLE_ADS: &str = "\
Campaign report
\"March 1, 2026 - March 2, 2026\"
Day,Campaign,Impr.,Clicks,Cost,Conversions
2026-03-01,Brand,100,10,10.00,1
2026-03-01,Totalplay brand,200,20,20.50,2
2026-03-02,TotalEnergies,50,5,5.25,0
2026-03-02,Totalplay brand,300,30,30.00,2
Total: Account,--,650,65,65.75,5
Total: Search,--,650,65,65.75,5
Total: Filtered campaigns,--,650,65,65.75,5
";

#[test]
fn only_the_total_rows_at_the_bottom_are_dropped() {
    let t = load("google_ads.csv", GOOGLE_ADS, None);
    assert_eq!(t.kind, Spend);
    assert_eq!(t.rows(), 4);
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        texts(&t, "campaign"),
        [
            some("Brand"),
            some("Totalplay brand"),
            some("TotalEnergies"),
            some("Totalplay brand")
        ]
    );
    // 10.00 + 20.50 + 5.25 + 30.00 = 65.75 (not 65.75 × 4 with the footers).
    let cost: f64 = numbers(&t, "cost").iter().flatten().sum();
    assert_eq!(cost, 65.75);
    // Read: 2 banner lines + 7 rows; dropped: 2 banner lines + 3 footers.
    assert_eq!((t.quality.rows_read, t.quality.rows_dropped), (9, 5));
    assert!(
        t.quality
            .dropped_reasons
            .iter()
            .any(|r| r.starts_with("3 total/summary row(s)")),
        "{:?}",
        t.quality.dropped_reasons
    );

    // cost_per_acquisition for March = Σ cost ÷ Σ conversions
    // = 65.75 ÷ (1 + 2 + 0 + 2) = 13.15; by campaign, Totalplay brand
    // = (20.50 + 30.00) ÷ (2 + 2) = 12.625, TotalEnergies 5.25 ÷ 0 = null.
    let s = session(&[(Spend, GOOGLE_ADS)]);
    let doc = run(&s, "month", Some("campaign"), None, UTC);
    let mut ck = Checker::new("google ads totals");
    ck.values(
        &doc,
        &[
            ("cost_per_acquisition", "2026-03", None, Some(13.15)),
            (
                "cost_per_acquisition",
                "2026-03",
                Some("Totalplay brand"),
                Some(12.625),
            ),
            ("cost_per_acquisition", "2026-03", Some("Brand"), Some(10.0)),
            (
                "cost_per_acquisition",
                "2026-03",
                Some("TotalEnergies"),
                None,
            ),
        ],
    );
    ck.done();
}

#[test]
fn a_total_row_above_data_is_data() {
    // A campaign named `Total` in the first row stays (data follows it); the
    // footer `Total` row below the data, and the empty row above it, are
    // dropped. 2 + 3 + 4 = 9, the footer's sum.
    let csv = "\
date,campaign,cost
2026-03-01,Total,2
2026-03-02,A,3
2026-03-03,B,4
,,
Total,,9
";
    let t = load("spend.csv", csv, Some(Spend));
    assert_eq!(t.rows(), 3);
    assert_eq!(numbers(&t, "cost"), [Some(2.0), Some(3.0), Some(4.0)]);
    assert_eq!((t.quality.rows_read, t.quality.rows_dropped), (5, 2));
}

#[test]
fn a_linkedin_campaign_export_is_paid_social_spend() {
    // LinkedIn Campaign Manager's headers; no channel column, so the
    // platform's channel (LinkedIn → paid_social, `docs/data-model.md`).
    let csv = "\
Start Date (in UTC),Campaign Name,Total Spent,Impressions,Clicks,Conversions,Currency
2026-03-02,ABM - EMEA,120.50,10000,80,2,USD
2026-03-03,ABM - EMEA,79.50,8000,60,1,USD
";
    let t = load("linkedin.csv", csv, None);
    assert_eq!(t.kind, Spend);
    assert_eq!(numbers(&t, "cost"), [Some(120.5), Some(79.5)]);
    assert_eq!(
        texts(&t, "channel"),
        [
            Some("paid_social".to_owned()),
            Some("paid_social".to_owned())
        ]
    );
    assert_eq!(
        times(&t, "date"),
        [
            Some(JAN_2026 + (31 + 28 + 1) * DAY),
            Some(JAN_2026 + (31 + 28 + 2) * DAY)
        ]
    );
}

#[test]
fn unmapped_date_columns_are_dates_and_count_for_the_default_as_of() {
    // `last_activity_date` has no role; its latest value (2026-04-20, a date:
    // its midnight) is later than every created_at, so it is the as-of.
    let csv = "\
id,created_at,last_activity_date,score
1,2026-03-01T10:00:00,2026-04-20,12
2,2026-03-15T09:30:00,,7
";
    let t = load("people.csv", csv, Some(People));
    assert_eq!(
        times(&t, "last_activity_date"),
        [Some(JAN_2026 + (31 + 28 + 31 + 19) * DAY), None]
    );
    // Numbers stay numbers.
    assert_eq!(numbers(&t, "score"), [Some(12.0), Some(7.0)]);
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, None, UTC);
    assert_eq!(doc.as_of, "2026-04-20T00:00:00Z");
}

#[test]
fn unmapped_flag_and_date_columns_work_as_flags_and_times() {
    // `partner` (yes/no) has no role: it is read as true/false when loaded,
    // so a custom KPI can filter on it; `demo_at` holds dates, so it is a time
    // column and can anchor one. Partners: #1 and #3 (March) of 3 leads, 2 / 3
    // in March (#4, in April, is one of one). Demos: #1 (Mar 9) and #2
    // (Apr 2): one in March, one in April.
    let people = "\
id,created_at,partner,demo_at
1,2026-03-01,yes,2026-03-09
2,2026-03-05,no,2026-04-02
3,2026-03-20,Yes,
4,2026-04-01,YES,N/A
";
    let config = r#"{"custom_kpis": [
      {"id": "partner_lead_share", "name": "Partner Lead Share",
       "definition": "Share of new leads from partners.",
       "area": "acquisition", "stage": "conversion", "indicator": "leading",
       "unit": "rate", "better": "up",
       "measure": {"type": "ratio",
         "numerator": {"agg": "count", "table": "people", "anchor": "created_at",
                       "filter": [{"column": "partner", "eq": true}]},
         "denominator": {"agg": "count", "table": "people", "anchor": "created_at"}}},
      {"id": "demos", "name": "Demos", "definition": "Demos in the period.",
       "area": "acquisition", "stage": "conversion", "indicator": "leading",
       "unit": "count", "better": "up",
       "measure": {"type": "simple", "agg": "count", "table": "people",
                   "anchor": "demo_at"}}
    ]}"#;
    let t = load("people.csv", people, Some(People));
    assert_eq!(t.quality.unparsed_cells, 0, "{:?}", t.quality);
    let s = crate::support::session_with(&[(People, people)], Some(config));
    let doc = run(&s, "month", None, Some("2026-04-30"), UTC);
    let mut ck = Checker::new("unmapped flag and date columns");
    ck.ratios(
        &doc,
        &[
            (
                "partner_lead_share",
                "2026-03",
                None,
                None,
                Some(2.0 / 3.0),
                Some(2.0),
                Some(3.0),
            ),
            (
                "partner_lead_share",
                "2026-04",
                None,
                None,
                Some(1.0),
                Some(1.0),
                Some(1.0),
            ),
        ],
    );
    ck.values(
        &doc,
        &[
            ("demos", "2026-03", None, Some(1.0)),
            ("demos", "2026-04", None, Some(1.0)),
        ],
    );
    ck.done();
}
