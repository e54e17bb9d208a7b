//! A session's reports after the first (issue 13): one that changes only the
//! review period, the grain, the breakdown, the time zone or the as-of
//! reuses what the session computed before, and must give the very document
//! a fresh session gives (whose values the oracle checks). Loading a file
//! and a new configuration forget what was computed.

use std::path::Path;

use kpidash::report::Report;
use kpidash::{Request, Session, TableKind};

/// The oracle's eight tables (`tests/oracle/data`).
const TABLES: [(&str, TableKind); 8] = [
    ("people", TableKind::People),
    ("spend", TableKind::Spend),
    ("revenue", TableKind::Revenue),
    ("series", TableKind::Series),
    ("survey", TableKind::Survey),
    ("accounts", TableKind::Accounts),
    ("budget", TableKind::Budget),
    ("deals", TableKind::Deals),
];

fn load(s: &mut Session, only: &[&str]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/data");
    for (name, kind) in TABLES
        .iter()
        .filter(|(n, _)| only.is_empty() || only.contains(n))
    {
        let path = dir.join(format!("{name}.csv"));
        let bytes = std::fs::read(&path).unwrap();
        s.load(&format!("{name}.csv"), &bytes, Some(*kind)).unwrap();
    }
}

fn request(
    grain: &str,
    by: Option<&str>,
    as_of: Option<&str>,
    tz: &str,
    period: Option<&str>,
) -> Request {
    Request::parse(Some(grain), by, as_of, Some(tz))
        .unwrap()
        .with_period(period)
}

/// The report of a fresh session over the same tables.
fn fresh(request: &Request) -> Report {
    let mut s = Session::default();
    load(&mut s, &[]);
    s.report(request).unwrap()
}

#[test]
fn later_reports_equal_those_of_a_fresh_session() {
    let mut s = Session::default();
    load(&mut s, &[]);
    let requests = [
        request("month", Some("channel"), Some("2026-06-30"), "+00:00", None),
        request(
            "month",
            Some("channel"),
            Some("2026-06-30"),
            "+00:00",
            Some("2026-03"),
        ),
        request("month", None, Some("2026-06-30"), "+00:00", None),
        request(
            "quarter",
            Some("segment"),
            Some("2026-06-30"),
            "+00:00",
            None,
        ),
        request("week", Some("channel"), Some("2026-06-30"), "+00:00", None),
        request("month", Some("channel"), None, "+00:00", None),
        request("month", Some("channel"), None, "+05:30", None),
        request("month", Some("channel"), Some("2026-06-30"), "+00:00", None),
    ];
    for r in &requests {
        let doc = s.report(r).unwrap();
        // Some KPIs have points, so equal documents say something.
        assert!(doc.kpis.iter().any(|k| !k.points.is_empty()), "{r:?}");
        assert!(
            doc == fresh(r),
            "{r:?}: differs from a fresh session's report"
        );
    }
}

#[test]
fn loading_a_file_forgets_what_was_computed() {
    let mut s = Session::default();
    load(&mut s, &["people", "spend"]);
    let r = request("month", Some("channel"), Some("2026-06-30"), "+00:00", None);
    let before = s.report(&r).unwrap();
    load(&mut s, &["revenue"]);
    let after = s.report(&r).unwrap();
    // Revenue KPIs need the revenue table: unavailable, then available.
    let nrr = |d: &Report| {
        d.kpis
            .iter()
            .any(|k| k.id == "net_revenue_retention" && k.available)
    };
    assert!(!nrr(&before) && nrr(&after));
    assert!(after == fresh_of(&["people", "spend", "revenue"], &r));
    // Removing it again gives the first document back.
    assert!(s.remove("revenue.csv"));
    assert!(s.report(&r).unwrap() == before);
}

#[test]
fn a_new_configuration_forgets_what_was_computed() {
    let mut s = Session::default();
    load(&mut s, &[]);
    let r = request("month", None, Some("2026-06-30"), "+00:00", None);
    let before = s.report(&r).unwrap();
    // A target for new leads: the report after it has the target.
    s.set_config_json(r#"{"targets": {"new_leads": {"month": 1}}}"#)
        .unwrap();
    let after = s.report(&r).unwrap();
    let target = |d: &Report| {
        d.kpis
            .iter()
            .find(|k| k.id == "new_leads")
            .and_then(|k| k.target)
    };
    assert_eq!((target(&before), target(&after)), (None, Some(1.0)));
}

fn fresh_of(only: &[&str], request: &Request) -> Report {
    let mut s = Session::default();
    load(&mut s, only);
    s.report(request).unwrap()
}
