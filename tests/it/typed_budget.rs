//! Issue 10: a budget typed into the configuration (`budget`) is a budget
//! table when no budget file is loaded: the same budget pacing and budget
//! remaining as the same budget loaded from a CSV, and a loaded budget file
//! takes precedence. Expected numbers are computed by hand beside the data.

use crate::support::{Checker, kpi, run, session, session_with};
use kpidash::TableKind::{Budget, Spend};

const UTC: &str = "+00:00";

/// April: search 3000. May: search 3100 (100 a day over 31 days), email 620
/// (20 a day).
const TYPED: &str = r#"{"currency": "EUR", "budget": [
    {"month": "2026-04", "channel": "search", "budget": 3000},
    {"month": "2026-05", "channel": "search", "budget": 3100},
    {"month": "2026-05", "channel": "email", "budget": 620}
]}"#;

/// The same budget as a sheet.
const SHEET: &str = "\
month,channel,budget,currency
2026-04,search,3000,EUR
2026-05,search,3100,EUR
2026-05,email,620,EUR
";

/// April: search 900. May to the as-of: search 250 + 150, email 40; search's
/// 500 on 05-11 is after the as-of.
const SPEND: &str = "\
date,channel,cost,currency
2026-04-15,search,900,EUR
2026-05-03,search,250,EUR
2026-05-09,search,150,EUR
2026-05-05,email,40,EUR
2026-05-11,search,500,EUR
";

/// The as-of day counts whole: May's first ten days are to date.
const AS_OF: &str = "2026-05-10";

/// The points hand-computed for [`TYPED`] (or [`SHEET`]) with [`SPEND`].
fn check_points(doc: &kpidash::report::Report, case: &str) {
    let mut ck = Checker::new(case);
    ck.ratios(
        doc,
        &[
            // May to date: budget search 3100 × 10/31 = 1000, email
            // 620 × 10/31 = 200, together 1200; spend 250 + 150 + 40 = 440.
            (
                "budget_pacing",
                "2026-05",
                None,
                None,
                Some(440.0 / 1200.0),
                Some(440.0),
                Some(1200.0),
            ),
            (
                "budget_pacing",
                "2026-05",
                Some("search"),
                None,
                Some(0.4),
                Some(400.0),
                Some(1000.0),
            ),
            (
                "budget_pacing",
                "2026-05",
                Some("email"),
                None,
                Some(0.2),
                Some(40.0),
                Some(200.0),
            ),
            // April, all before the as-of: 900 of 3000.
            (
                "budget_pacing",
                "2026-04",
                Some("search"),
                None,
                Some(0.3),
                Some(900.0),
                Some(3000.0),
            ),
        ],
    );
    ck.values(
        doc,
        &[
            // The whole month's budget minus the spend to date: May
            // 3100 + 620 − 440 = 3280; search 3100 − 400, email 620 − 40;
            // April 3000 − 900.
            ("budget_remaining", "2026-05", None, Some(3280.0)),
            ("budget_remaining", "2026-05", Some("search"), Some(2700.0)),
            ("budget_remaining", "2026-05", Some("email"), Some(580.0)),
            ("budget_remaining", "2026-04", Some("search"), Some(2100.0)),
        ],
    );
    ck.done();
}

#[test]
fn a_typed_budget_gives_the_points_of_the_same_budget_loaded() {
    let typed = session_with(&[(Spend, SPEND)], Some(TYPED));
    let typed_doc = run(&typed, "month", Some("channel"), Some(AS_OF), UTC);
    check_points(&typed_doc, "typed budget");

    let loaded = session(&[(Spend, SPEND), (Budget, SHEET)]);
    let loaded_doc = run(&loaded, "month", Some("channel"), Some(AS_OF), UTC);
    check_points(&loaded_doc, "loaded budget");
    for id in ["budget_pacing", "budget_remaining"] {
        assert_eq!(
            kpi(&typed_doc, id).points,
            kpi(&loaded_doc, id).points,
            "{id}"
        );
    }

    // The quality section names the typed table, with the configuration's
    // currency, and says why it is used.
    let table = typed_doc
        .quality
        .tables
        .iter()
        .find(|t| t.kind == Budget)
        .expect("a budget table in the quality section");
    assert_eq!(table.file, "configuration (budget)");
    assert_eq!(table.rows, 3);
    assert_eq!(table.currencies, ["EUR"]);
    assert_eq!(
        table.load.notes,
        [
            "the budget typed into the configuration (3 entries), used because no budget file is loaded"
        ]
    );
}

#[test]
fn a_loaded_budget_file_takes_precedence() {
    // The sheet doubles May's search budget: 6200 × 10/31 = 2000 to date,
    // so search paces 400 / 2000 = 0.2 (the typed 3100 would give 0.4).
    let sheet = "month,channel,budget\n2026-05,search,6200\n";
    let s = session_with(&[(Spend, SPEND), (Budget, sheet)], Some(TYPED));
    let doc = run(&s, "month", Some("channel"), Some(AS_OF), UTC);
    let mut ck = Checker::new("loaded budget wins");
    ck.ratios(
        &doc,
        &[(
            "budget_pacing",
            "2026-05",
            Some("search"),
            None,
            Some(0.2),
            Some(400.0),
            Some(2000.0),
        )],
    );
    // Email has no budget in the sheet: remaining 0 − 40.
    ck.values(
        &doc,
        &[("budget_remaining", "2026-05", Some("email"), Some(-40.0))],
    );
    ck.done();

    let budgets: Vec<_> = doc
        .quality
        .tables
        .iter()
        .filter(|t| t.kind == Budget)
        .collect();
    assert_eq!(budgets.len(), 1);
    assert_eq!(budgets[0].file, "budget_1.csv");
    assert!(
        budgets[0].load.notes.iter().any(|n| n
            == "the budget typed into the configuration (3 entries) is not used: a loaded budget file takes precedence"),
        "{:?}",
        budgets[0].load.notes
    );
}
