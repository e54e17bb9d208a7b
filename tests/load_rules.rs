//! Loader rules that decide KPI numbers, each with a hand-made CSV and the
//! values worked out by hand next to it (review of the loaders against
//! `kpi-catalog.md` §1, §2 and §5):
//!
//! * only the block of `Total…` rows at the bottom of an export is dropped,
//!   never a campaign or account whose name starts with "Total".

// Tests: a panic is the failure report, so unwrap is the clearest spelling.
#![allow(clippy::unwrap_used)]

#[path = "rules/support.rs"]
mod support;

use arrow_array::ArrayRef;
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use kpidash::TableKind::Spend;
use kpidash::{Table, TableKind};
use support::{Checker, run, session};

const UTC: &str = "+00:00";

fn load(name: &str, csv: &str, kind: Option<TableKind>) -> Table {
    kpidash::load::load(name, csv.as_bytes(), kind).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn column<'t>(t: &'t Table, name: &str) -> &'t ArrayRef {
    t.column(name)
        .unwrap_or_else(|| panic!("{}: no column {name}: {:?}", t.file, t.columns))
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
