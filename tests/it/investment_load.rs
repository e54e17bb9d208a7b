//! Issue 10: budget sheets and deal exports load as the `budget` and `deals`
//! kinds (`docs/data-model.md`; the outcome rules in `src/load/deals.rs`),
//! and their data-quality findings.
//!
//! Fixtures in `tests/fixtures/investment/`, written by hand in each tool's
//! export shape; every expected value below is worked out from them:
//!
//! `hubspot_deals.csv` (HubSpot deals, no `won` column: the stage decides)
//!
//! | id | stage | won | close date | finding (as of 2026-06-30) |
//! |---|---|---|---|---|
//! | 9001 | Closed Won | true | 03-20 | |
//! | 9002 | Closed Lost | false | 04-11 | |
//! | 9003 | Contract Sent | open | 06-15 (expected) | open, past its close date |
//! | 9004 | Appointment Scheduled | open | 07-31 (expected) | |
//! | 9005 | `closed won ` | true | none | closed without a close date |
//! | 9006 | Decision Maker Bought-In | open | none | |
//! | 9007 | LOST | false | 05-02 | |
//!
//! `salesforce_opportunities.csv` (Salesforce report: `Won` and `Closed`
//! flags decide, the stage never does)
//!
//! | id | stage | Won | Closed | won | close date | finding |
//! |---|---|---|---|---|---|---|
//! | …E1 | Closed Won | 1 | 1 | true | 3/20 | |
//! | …E2 | Closed Lost | 0 | 1 | false | 4/11 | |
//! | …E3 | Negotiation/Review | 0 | 0 | open | 6/15 | open, past |
//! | …E4 | Prospecting | 0 | 0 | open | 7/31 | |
//! | …E5 | Closed Won (Renewal) | 1 | 1 | true | none | closed, no date |
//! | …E6 | Closed Lost | 0 | 1 | false | 5/2 | |
//!
//! `budget_sheet.csv` (months in five spellings, `Budget (USD)`) and
//! `spend.csv`, as of 2026-04-30:
//!
//! | month | budget channels | spend channels |
//! |---|---|---|
//! | 2026-03 | paid_search, paid_social, email, display | paid_search, paid_social, email |
//! | 2026-04 | paid_search, paid_social (`PAID_SOCIAL`) | paid_search, organic_social |
//!
//! Budget without spend: 2026-03 display, 2026-04 paid_social; spend without
//! budget: 2026-04 organic_social.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use arrow_schema::DataType;
use kpidash::TableKind::{Budget, Deals, Spend};
use kpidash::{Table, TableKind};

use crate::support::{run, session};

const UTC: &str = "+00:00";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/investment/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Loads a fixture, its kind detected.
fn load(name: &str) -> Table {
    kpidash::load::load(name, fixture(name).as_bytes(), None).unwrap()
}

/// A column's values as text (`None` for null).
fn texts(t: &Table, column: &str) -> Vec<Option<String>> {
    let c = t
        .column(column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let c = arrow_cast::cast(c, &DataType::Utf8).unwrap();
    let c = c.as_string::<i32>();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i).to_owned()))
        .collect()
}

fn flags(t: &Table, column: &str) -> Vec<Option<bool>> {
    let c = t
        .column(column)
        .unwrap_or_else(|| panic!("no column {column}"));
    c.as_boolean().iter().collect()
}

/// A time column as `YYYY-MM-DD` days (`None` for null), wall clock.
fn days(t: &Table, column: &str) -> Vec<Option<String>> {
    let c = t.column(column).unwrap();
    let c = c.as_primitive::<TimestampMicrosecondType>();
    assert_eq!(c.timezone(), None, "{column} is wall-clock time");
    let c = arrow_cast::cast(c, &DataType::Date32).unwrap();
    let c = arrow_cast::cast(&c, &DataType::Utf8).unwrap();
    let c = c.as_string::<i32>();
    (0..c.len())
        .map(|i| c.is_valid(i).then(|| c.value(i).to_owned()))
        .collect()
}

fn some(v: &[&str]) -> Vec<Option<String>> {
    v.iter()
        .map(|s| (!s.is_empty()).then(|| (*s).to_owned()))
        .collect()
}

fn role_of<'t>(t: &'t Table, source: &str) -> Option<&'t str> {
    t.columns
        .iter()
        .find(|c| c.source == source)
        .and_then(|c| c.role.as_deref())
}

#[test]
fn a_hubspot_deals_export_takes_won_from_the_stage() {
    let t = load("hubspot_deals.csv");
    assert_eq!(t.kind, Deals);
    assert!(t.kind_detected);
    let roles = [
        ("Record ID", "id"),
        ("Deal Name", "name"),
        ("Deal Stage", "stage"),
        ("Pipeline", "pipeline"),
        ("Amount", "amount"),
        ("Close Date", "closed_at"),
        ("Create Date", "created_at"),
        ("Deal owner", "owner"),
        ("Original Source Type", "source"),
        ("Associated Company", "account_id"),
        ("Currency", "currency"),
    ];
    for (header, role) in roles {
        assert_eq!(role_of(&t, header), Some(role), "{header}");
    }
    // `won` is added (no header of its own).
    assert_eq!(role_of(&t, ""), Some("won"));
    let (w, l) = (Some(true), Some(false));
    assert_eq!(flags(&t, "won"), [w, l, None, None, w, None, l]);
    assert_eq!(
        texts(&t, "stage")[4].as_deref(),
        Some("closed won "),
        "the stage stays as written"
    );
    assert_eq!(
        texts(&t, "source"),
        some(&[
            "paid_search",
            "organic_search",
            "paid_social",
            "email",
            "referral",
            "direct",
            "offline"
        ])
    );
    assert_eq!(
        days(&t, "closed_at"),
        some(&[
            "2026-03-20",
            "2026-04-11",
            "2026-06-15",
            "2026-07-31",
            "",
            "",
            "2026-05-02"
        ])
    );
    let amount = t.column("amount").unwrap().as_primitive::<Float64Type>();
    assert_eq!(amount.value(0), 12_500.0);
    assert!(amount.is_null(3));
    assert!(
        t.quality
            .notes
            .iter()
            .any(|n| n == "each deal's outcome is read from its stage: 2 won, 2 lost, 3 open"),
        "{:?}",
        t.quality.notes
    );
}

#[test]
fn a_salesforce_opportunity_report_takes_won_from_its_flags() {
    let t = load("salesforce_opportunities.csv");
    assert_eq!(t.kind, Deals);
    let roles = [
        ("Opportunity ID", "id"),
        ("Opportunity Name", "name"),
        ("Opportunity Owner", "owner"),
        ("Stage", "stage"),
        ("Amount", "amount"),
        ("Close Date", "closed_at"),
        ("Created Date", "created_at"),
        ("Lead Source", "source"),
        ("Type", "type"),
        ("Won", "won"),
        ("Closed", "closed"),
    ];
    for (header, role) in roles {
        assert_eq!(role_of(&t, header), Some(role), "{header}");
    }
    assert_eq!(role_of(&t, "Account Name"), None, "a name is no account id");
    let (w, l) = (Some(true), Some(false));
    // Open opportunities have Won = 0 but are not lost.
    assert_eq!(flags(&t, "won"), [w, l, None, None, w, l]);
    assert_eq!(
        days(&t, "closed_at"),
        some(&[
            "2026-03-20",
            "2026-04-11",
            "2026-06-15",
            "2026-07-31",
            "",
            "2026-05-02"
        ])
    );
    let amount = t.column("amount").unwrap().as_primitive::<Float64Type>();
    assert_eq!(amount.value(0), 12_500.0);
    assert!(
        t.quality.notes.iter().any(|n| n
            == "each deal's outcome is read from its won and closed flags: 2 won, 2 lost, 2 open")
    );
}

#[test]
fn deal_outcomes_from_inline_exports() {
    let won = |csv: &str| {
        flags(
            &kpidash::load::load("d.csv", csv.as_bytes(), None).unwrap(),
            "won",
        )
    };
    let (w, l) = (Some(true), Some(false));
    // Salesforce API: IsClosed without IsWon; a closed one is won only when
    // its stage says so.
    assert_eq!(
        won("Id,CreatedDate,StageName,IsClosed\n\
             1,2026-05-01,Closed Won,true\n\
             2,2026-05-01,Closed Lost,true\n\
             3,2026-05-01,Closed - No Decision,true\n\
             4,2026-05-01,Closed Won,false\n\
             5,2026-05-01,Prospecting,\n"),
        [w, l, l, None, None]
    );
    // A won column decides, whatever the stage (and no reshaping happens).
    let t = kpidash::load::load(
        "d.csv",
        b"id,created_at,won,stage\n1,2026-05-01,true,Closed Lost\n2,2026-05-01,,Closed Won\n",
        None,
    )
    .unwrap();
    assert_eq!(t.kind, Deals);
    assert_eq!(flags(&t, "won"), [w, None]);
    assert!(t.quality.notes.is_empty(), "{:?}", t.quality.notes);
    // The user took the role from a `won` column: the stage decides, the
    // column keeps its values under another name.
    let o = kpidash::load::LoadOptions {
        columns: [("won".to_owned(), String::new())].into(),
        ..Default::default()
    };
    let t = kpidash::load::load_with(
        "d.csv",
        b"id,created_at,won,stage\n1,2026-05-01,yes,Closed Lost\n",
        Some(Deals),
        &o,
    )
    .unwrap();
    assert_eq!(flags(&t, "won"), [l]);
    assert_eq!(texts(&t, "won_"), some(&["true"]));
}

#[test]
fn a_budget_sheet_reads_months_in_every_spelling() {
    let t = load("budget_sheet.csv");
    assert_eq!(t.kind, Budget);
    assert_eq!(role_of(&t, "Budget (USD)"), Some("budget"));
    assert_eq!(role_of(&t, "Month"), Some("month"));
    // `2026-03`, `Mar 2026`, `March 2026`, `03/2026` are the first of the
    // month; a full date stays that date (any date in the month is the
    // month).
    assert_eq!(
        days(&t, "month"),
        some(&[
            "2026-03-01",
            "2026-03-01",
            "2026-03-01",
            "2026-03-01",
            "2026-04-15",
            "2026-04-01"
        ])
    );
    let budget = t.column("budget").unwrap().as_primitive::<Float64Type>();
    let values: Vec<f64> = budget.iter().map(Option::unwrap).collect();
    assert_eq!(values, [3000.0, 1500.0, 400.0, 250.0, 3200.0, 1600.0]);
    assert_eq!(
        texts(&t, "channel"),
        some(&[
            "paid_search",
            "paid_social",
            "email",
            "display",
            "paid_search",
            "paid_social"
        ])
    );
    assert_eq!(t.quality.unparsed_cells, 0);
}

#[test]
fn the_quality_section_reports_deal_dates_and_budget_gaps() {
    let tables: Vec<(TableKind, String)> = vec![
        (Deals, fixture("hubspot_deals.csv")),
        (Deals, fixture("salesforce_opportunities.csv")),
    ];
    let tables: Vec<(TableKind, &str)> = tables.iter().map(|(k, c)| (*k, c.as_str())).collect();
    let report = run(&session(&tables), "month", None, Some("2026-06-30"), UTC);
    let q = &report.quality;
    for t in &q.tables {
        assert_eq!(t.closed_without_close_date, 1, "{}", t.file);
        assert_eq!(t.open_past_close_date, 1, "{}", t.file);
    }
    assert!(q.mixed_currencies.is_empty());
    assert_eq!(q.budget_vs_spend, None, "no budget");

    let (budget, spend) = (fixture("budget_sheet.csv"), fixture("spend.csv"));
    let s = session(&[(Budget, &budget), (Spend, &spend)]);
    let report = run(&s, "month", None, Some("2026-04-30"), UTC);
    let b = report.quality.budget_vs_spend.as_ref().expect("gaps");
    let json = serde_json::to_value(b).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "by_channel": true,
            "budget_without_spend": {"count": 2, "months": [
                {"month": "2026-03", "channel": "display"},
                {"month": "2026-04", "channel": "paid_social"}
            ]},
            "spend_without_budget": {"count": 1, "months": [
                {"month": "2026-04", "channel": "organic_social"}
            ]}
        })
    );
    let budget_quality = &report.quality.tables[0];
    assert_eq!(budget_quality.coverage_gaps, 0);
    assert_eq!(
        budget_quality.coverage,
        Some(("2026-03-01".to_owned(), "2026-04-15".to_owned()))
    );
}

/// The oracle's data files (`tests/oracle/data/`) are detected as the kinds
/// their case command lines name, and the deals' outcomes are the oracle's:
/// the counts were worked out with Python's `csv` module over the stage (or
/// `won`) column by the rule above.
#[test]
fn the_oracle_files_load_as_their_kinds() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/data/");
    let load = |path: &str| {
        let bytes = std::fs::read(format!("{dir}{path}")).unwrap();
        kpidash::load::load(path, &bytes, None).unwrap()
    };
    let outcomes = |t: &Table| {
        let won = flags(t, "won");
        let n = |v: Option<bool>| won.iter().filter(|w| **w == v).count();
        (n(Some(true)), n(Some(false)), n(None))
    };
    for path in ["budget.csv", "edge/budget.csv", "edge/budget_eur.csv"] {
        assert_eq!(load(path).kind, Budget, "{path}");
    }
    let cases = [
        ("deals.csv", (417, 568, 469)),
        ("edge/deals_mixed.csv", (4, 3, 3)),
        ("edge/deals_won.csv", (6, 2, 4)),
    ];
    for (path, want) in cases {
        let t = load(path);
        assert_eq!(t.kind, Deals, "{path}");
        assert_eq!(outcomes(&t), want, "{path}");
    }
    assert_eq!(load("spend.csv").kind, Spend);
    assert_eq!(load("people.csv").kind, TableKind::People);
}
