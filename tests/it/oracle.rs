//! Oracle test (issues 4 and 10): the KPI engine against independently
//! computed values.
//!
//! `tests/oracle/expected/*.json` are written by `tests/oracle/expected.py`, which
//! computes every catalog KPI with SQL in DuckDB from `tests/oracle/data/*.csv`
//! (see `tests/oracle/README.md`; regenerate with `tests/oracle/regen.sh`).
//! For each expected document this test runs the `kpidash` binary built by cargo
//!
//! ```text
//! kpidash report people=tests/oracle/data/people.csv spend=... revenue=... series=...
//!         survey=... accounts=... --grain G [--by D] [--as-of 2026-06-30] --tz +00:00 --format json
//! ```
//!
//! and compares every KPI point, matched by (KPI id, period, segment, step):
//! the same set of points, `value`/`previous`/`change`/`numerator`/`denominator`
//! equal within 1e-9 relative (or both null), and the same `incomplete` flag.
//! All mismatches of a case are collected before the test fails; the summary is
//! printed and the full list is written to `<target tmp>/oracle/<case>.txt`.
//! `ORACLE_MAX_PER_KPI=n` changes how many lines per KPI are printed (default 15).
//!
//! Issue 10's documents, `tests/oracle/expected_investment/*.json`, carry their
//! own command line (`oracle.args`: eight tables, or the hand-sized edge tables,
//! and a `--config` with targets in one case). They list every KPI or only the
//! eleven investment KPIs; each listed KPI is compared as above plus its
//! `target`, and every point's `forecast` (a number like the others) and
//! `status` (equal).

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// Relative tolerance for numbers.
const REL_TOL: f64 = 1e-9;
/// Absolute floor of the tolerance, for values that should be exactly 0.
const ABS_TOL: f64 = 1e-12;
/// Table kinds passed to the command line, each as `KIND=tests/oracle/data/KIND.csv`.
const TABLES: [&str; 6] = ["people", "spend", "revenue", "series", "survey", "accounts"];
/// Numeric fields of a point compared within the tolerance.
const NUMBER_FIELDS: [&str; 5] = ["value", "previous", "change", "numerator", "denominator"];
/// KPI metadata compared as text.
const META_FIELDS: [&str; 5] = ["unit", "area", "stage", "indicator", "better"];
/// Fields of an issue-10 point compared besides [`NUMBER_FIELDS`]: the
/// forecast within the tolerance, the status for equality.
const OUTLOOK_NUMBER_FIELD: &str = "forecast";
const OUTLOOK_TEXT_FIELD: &str = "status";
/// Every expected document; `expected_files_are_all_checked` keeps this list honest.
const CASES: [&str; 7] = [
    "month",
    "month_by_channel",
    "week",
    "quarter",
    "quarter_by_segment",
    "year",
    "month_default_as_of",
];

/// Every issue-10 document; `investment_files_are_all_checked` keeps this list honest.
const INVESTMENT_CASES: [&str; 14] = [
    "month",
    "week",
    "quarter",
    "month_by_channel",
    "month_by_campaign",
    "quarter_by_channel",
    "quarter_by_segment",
    "week_by_channel_mid",
    "month_by_campaign_mid",
    "year_first_day",
    "month_by_channel_targets",
    "edge_month_by_channel",
    "edge_week_by_channel",
    "edge_currency",
];

/// A folder of expected documents and what its documents carry.
#[derive(Clone, Copy)]
struct Suite {
    /// Folder under the repository root.
    dir: &'static str,
    /// Issue 10: the command line is the document's `oracle.args`, and
    /// `target`, `forecast` and `status` are compared too.
    outlook: bool,
}

const ISSUE_4: Suite = Suite {
    dir: "tests/oracle/expected",
    outlook: false,
};
const ISSUE_10: Suite = Suite {
    dir: "tests/oracle/expected_investment",
    outlook: true,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One difference between the expected and the actual document.
struct Mismatch {
    kpi: String,
    key: String,
    what: String,
}

fn text<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "(missing)".to_string(),
        Some(v) => v.to_string(),
    }
}

fn point_key(p: &Value) -> (String, String, String) {
    let part = |f: &str| match p.get(f) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    (part("period"), part("segment"), part("step"))
}

fn show_key((period, segment, step): &(String, String, String)) -> String {
    let segment = if segment.is_empty() {
        "(total)"
    } else {
        segment
    };
    if step.is_empty() {
        format!("period {period} segment {segment}")
    } else {
        format!("period {period} segment {segment} step {step}")
    }
}

fn numbers_match(expected: Option<&Value>, actual: Option<&Value>) -> bool {
    let is_null = |v: Option<&Value>| matches!(v, None | Some(Value::Null));
    if is_null(expected) || is_null(actual) {
        return is_null(expected) && is_null(actual);
    }
    match (
        expected.and_then(Value::as_f64),
        actual.and_then(Value::as_f64),
    ) {
        (Some(e), Some(a)) => {
            let tol = (REL_TOL * e.abs().max(a.abs())).max(ABS_TOL);
            e.is_finite() && a.is_finite() && (e - a).abs() <= tol
        }
        _ => expected == actual,
    }
}

/// "2026-07-04T15:30:00Z", "2026-07-04T15:30:00.000+00:00" -> "2026-07-04T15:30:00"
fn normalize_instant(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_suffix('Z')
        .or_else(|| s.strip_suffix("+00:00"))
        .unwrap_or(s);
    match s.split_once('.') {
        Some((head, frac)) if frac.chars().all(|c| c == '0') => head.to_string(),
        _ => s.to_string(),
    }
}

fn command_args(expected: &Value) -> Vec<String> {
    let mut args = vec!["report".to_string()];
    for t in TABLES {
        args.push(format!("{t}=tests/oracle/data/{t}.csv"));
    }
    args.push("--grain".into());
    args.push(text(expected, "grain").unwrap_or("month").into());
    if let Some(by) = text(expected, "by") {
        args.push("--by".into());
        args.push(by.into());
    }
    let oracle = expected.get("oracle");
    if let Some(as_of) = oracle.and_then(|o| text(o, "as_of_arg")) {
        args.push("--as-of".into());
        args.push(as_of.into());
    }
    args.push("--tz".into());
    args.push(
        oracle
            .and_then(|o| text(o, "tz"))
            .unwrap_or("+00:00")
            .into(),
    );
    args.push("--format".into());
    args.push("json".into());
    args
}

/// The command line a document gives in `oracle.args`.
fn document_args(expected: &Value) -> Option<Vec<String>> {
    let args = expected.get("oracle")?.get("args")?.as_array()?;
    args.iter().map(|a| a.as_str().map(String::from)).collect()
}

fn compare_points(suite: Suite, kpi: &str, exp: &[Value], act: &[Value], out: &mut Vec<Mismatch>) {
    let mut actual: BTreeMap<_, &Value> = BTreeMap::new();
    for p in act {
        if actual.insert(point_key(p), p).is_some() {
            out.push(Mismatch {
                kpi: kpi.into(),
                key: show_key(&point_key(p)),
                what: "duplicate point in actual output".into(),
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for e in exp {
        let key = point_key(e);
        seen.insert(key.clone());
        let Some(a) = actual.get(&key) else {
            out.push(Mismatch {
                kpi: kpi.into(),
                key: show_key(&key),
                what: format!(
                    "missing point (expected value {} numerator {} denominator {} incomplete {})",
                    show(e.get("value")),
                    show(e.get("numerator")),
                    show(e.get("denominator")),
                    show(e.get("incomplete"))
                ),
            });
            continue;
        };
        let mut diffs = Vec::new();
        for f in NUMBER_FIELDS {
            if !numbers_match(e.get(f), a.get(f)) {
                diffs.push(format!(
                    "{f}: expected {} actual {}",
                    show(e.get(f)),
                    show(a.get(f))
                ));
            }
        }
        if suite.outlook {
            let f = OUTLOOK_NUMBER_FIELD;
            if !numbers_match(e.get(f), a.get(f)) {
                diffs.push(format!(
                    "{f}: expected {} actual {}",
                    show(e.get(f)),
                    show(a.get(f))
                ));
            }
            let f = OUTLOOK_TEXT_FIELD;
            let status = |p: &Value| p.get(f).cloned().unwrap_or(Value::Null);
            if status(e) != status(a) {
                diffs.push(format!(
                    "{f}: expected {} actual {}",
                    show(e.get(f)),
                    show(a.get(f))
                ));
            }
        }
        let inc = |p: &Value| p.get("incomplete").and_then(Value::as_bool);
        if inc(e) != inc(a) {
            diffs.push(format!(
                "incomplete: expected {} actual {}",
                show(e.get("incomplete")),
                show(a.get("incomplete"))
            ));
        }
        if !diffs.is_empty() {
            out.push(Mismatch {
                kpi: kpi.into(),
                key: show_key(&key),
                what: diffs.join("; "),
            });
        }
    }
    for (key, a) in &actual {
        if !seen.contains(key) {
            out.push(Mismatch {
                kpi: kpi.into(),
                key: show_key(key),
                what: format!("unexpected point (actual value {})", show(a.get("value"))),
            });
        }
    }
}

fn compare(suite: Suite, expected: &Value, actual: &Value) -> (Vec<Mismatch>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let doc = |m: &str| Mismatch {
        kpi: "(document)".into(),
        key: String::new(),
        what: m.into(),
    };
    for f in ["grain", "by"] {
        if expected.get(f) != actual.get(f)
            && !(f == "by" && expected[f].is_null() && actual.get(f).is_none())
        {
            out.push(doc(&format!(
                "{f}: expected {} actual {}",
                show(expected.get(f)),
                show(actual.get(f))
            )));
        }
    }
    // The default as-of is a data value and must match; an explicit as-of's exact
    // representation (end of the day) is left to the engine.
    let default_as_of = expected
        .get("oracle")
        .and_then(|o| o.get("as_of_arg"))
        .is_none_or(Value::is_null);
    if default_as_of {
        let e = text(expected, "as_of").map(normalize_instant);
        let a = text(actual, "as_of").map(normalize_instant);
        if e != a {
            out.push(doc(&format!("as_of: expected {e:?} actual {a:?}")));
        }
    }
    let empty = Vec::new();
    let actual_kpis: BTreeMap<&str, &Value> = actual
        .get("kpis")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .filter_map(|k| text(k, "id").map(|id| (id, k)))
        .collect();
    let expected_kpis = expected
        .get("kpis")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    for ek in expected_kpis {
        let id = text(ek, "id").unwrap_or("?");
        let mism = |what: String| Mismatch {
            kpi: id.into(),
            key: String::new(),
            what,
        };
        let Some(ak) = actual_kpis.get(id) else {
            out.push(mism("KPI missing from the actual output".into()));
            continue;
        };
        for f in META_FIELDS {
            if ek.get(f) != ak.get(f) {
                out.push(mism(format!(
                    "{f}: expected {} actual {}",
                    show(ek.get(f)),
                    show(ak.get(f))
                )));
            }
        }
        if suite.outlook && !numbers_match(ek.get("target"), ak.get("target")) {
            out.push(mism(format!(
                "target: expected {} actual {}",
                show(ek.get("target")),
                show(ak.get("target"))
            )));
        }
        let available = |k: &Value| k.get("available").and_then(Value::as_bool);
        if available(ek) != available(ak) {
            out.push(mism(format!(
                "available: expected {} actual {} (reason: {})",
                show(ek.get("available")),
                show(ak.get("available")),
                show(ak.get("reason"))
            )));
        }
        let points = |k: &Value| {
            k.get("points")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        compare_points(suite, id, &points(ek), &points(ak), &mut out);
    }
    let expected_ids: Vec<&str> = expected_kpis.iter().filter_map(|k| text(k, "id")).collect();
    for id in actual_kpis.keys() {
        if !expected_ids.contains(id) {
            notes.push(format!(
                "note: actual output has KPI {id} that the oracle does not check"
            ));
        }
    }
    (out, notes)
}

fn report(case: &str, args: &[String], mismatches: &[Mismatch], notes: &[String]) -> String {
    let max_per_kpi: usize = std::env::var("ORACLE_MAX_PER_KPI")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let mut by_kpi: BTreeMap<&str, Vec<&Mismatch>> = BTreeMap::new();
    for m in mismatches {
        by_kpi.entry(m.kpi.as_str()).or_default().push(m);
    }
    let mut full = String::new();
    let mut short = String::new();
    let header = format!(
        "oracle case {case}: {} mismatches in {} KPIs\ncommand: kpidash {}\n",
        mismatches.len(),
        by_kpi.len(),
        args.join(" ")
    );
    full.push_str(&header);
    short.push_str(&header);
    short.push_str("mismatches per KPI:\n");
    for (kpi, ms) in &by_kpi {
        let _ = writeln!(short, "  {kpi:40} {}", ms.len());
    }
    for (kpi, ms) in &by_kpi {
        let _ = writeln!(full, "\n== {kpi} ({} mismatches)", ms.len());
        let _ = writeln!(short, "\n== {kpi} ({} mismatches)", ms.len());
        for (i, m) in ms.iter().enumerate() {
            let line = if m.key.is_empty() {
                format!("  {kpi}: {}\n", m.what)
            } else {
                format!("  {kpi} | {} | {}\n", m.key, m.what)
            };
            full.push_str(&line);
            if i < max_per_kpi {
                short.push_str(&line);
            } else if i == max_per_kpi {
                let _ = writeln!(
                    short,
                    "  ... {} more (see the full report)",
                    ms.len() - max_per_kpi
                );
            }
        }
    }
    for n in notes {
        let _ = writeln!(full, "{n}");
        let _ = writeln!(short, "{n}");
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("oracle");
    let path = dir.join(format!("{case}.txt"));
    if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&path, &full).is_ok() {
        let _ = writeln!(short, "\nfull report: {}", path.display());
    }
    short
}

fn check_case(case: &str) {
    check(ISSUE_4, case);
}

fn check_investment_case(case: &str) {
    check(ISSUE_10, case);
}

fn check(suite: Suite, case: &str) {
    let path = repo().join(suite.dir).join(format!("{case}.json"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (run tests/oracle/regen.sh)",
            path.display()
        )
    });
    let expected: Value = serde_json::from_str(&raw)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let args = if suite.outlook {
        document_args(&expected).unwrap_or_else(|| panic!("{} has no oracle.args", path.display()))
    } else {
        command_args(&expected)
    };
    let output = Command::new(env!("CARGO_BIN_EXE_kpidash"))
        .args(&args)
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("cannot run kpidash: {e}"));
    if !output.status.success() {
        panic!(
            "oracle case {case}: kpidash {} exited with {}\nstderr: {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let actual: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "oracle case {case}: stdout is not one JSON document: {e}\nstdout starts: {}",
            String::from_utf8_lossy(&output.stdout)
                .chars()
                .take(400)
                .collect::<String>()
        )
    });
    let (mismatches, notes) = compare(suite, &expected, &actual);
    if !mismatches.is_empty() {
        let case = if suite.outlook {
            format!("investment_{case}")
        } else {
            case.to_owned()
        };
        panic!("{}", report(&case, &args, &mismatches, &notes));
    }
    for n in notes {
        eprintln!("{n}");
    }
}

#[test]
fn oracle_month() {
    check_case("month");
}

#[test]
fn oracle_month_by_channel() {
    check_case("month_by_channel");
}

#[test]
fn oracle_week() {
    check_case("week");
}

#[test]
fn oracle_quarter() {
    check_case("quarter");
}

#[test]
fn oracle_quarter_by_segment() {
    check_case("quarter_by_segment");
}

#[test]
fn oracle_year() {
    check_case("year");
}

#[test]
fn oracle_month_default_as_of() {
    check_case("month_default_as_of");
}

#[test]
fn investment_month() {
    check_investment_case("month");
}

#[test]
fn investment_week() {
    check_investment_case("week");
}

#[test]
fn investment_quarter() {
    check_investment_case("quarter");
}

#[test]
fn investment_month_by_channel() {
    check_investment_case("month_by_channel");
}

#[test]
fn investment_month_by_campaign() {
    check_investment_case("month_by_campaign");
}

#[test]
fn investment_quarter_by_channel() {
    check_investment_case("quarter_by_channel");
}

#[test]
fn investment_quarter_by_segment() {
    check_investment_case("quarter_by_segment");
}

#[test]
fn investment_week_by_channel_mid() {
    check_investment_case("week_by_channel_mid");
}

#[test]
fn investment_month_by_campaign_mid() {
    check_investment_case("month_by_campaign_mid");
}

#[test]
fn investment_year_first_day() {
    check_investment_case("year_first_day");
}

#[test]
fn investment_month_by_channel_targets() {
    check_investment_case("month_by_channel_targets");
}

#[test]
fn investment_edge_month_by_channel() {
    check_investment_case("edge_month_by_channel");
}

#[test]
fn investment_edge_week_by_channel() {
    check_investment_case("edge_week_by_channel");
}

#[test]
fn investment_edge_currency() {
    check_investment_case("edge_currency");
}

/// The expected documents of a folder, by case name (`*.config.json` are
/// configurations the documents name, not documents).
fn documents(dir: &str) -> Vec<String> {
    let dir = repo().join(dir);
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .filter(|n| !n.ends_with(".config.json"))
                .and_then(|n| n.strip_suffix(".json"))
                .map(String::from)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn expected_files_are_all_checked() {
    let mut cases: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    cases.sort();
    assert_eq!(
        documents(ISSUE_4.dir),
        cases,
        "every tests/oracle/expected/*.json needs a test in tests/oracle.rs"
    );
}

#[test]
fn investment_files_are_all_checked() {
    let mut cases: Vec<String> = INVESTMENT_CASES.iter().map(|c| c.to_string()).collect();
    cases.sort();
    assert_eq!(
        documents(ISSUE_10.dir),
        cases,
        "every tests/oracle/expected_investment/*.json needs a test in tests/it/oracle.rs"
    );
}

#[test]
fn comparison_helpers() {
    use serde_json::json;
    assert!(numbers_match(Some(&json!(0.1)), Some(&json!(0.1 + 1e-12))));
    assert!(numbers_match(Some(&json!(3)), Some(&json!(3.0))));
    assert!(numbers_match(Some(&Value::Null), None));
    assert!(!numbers_match(Some(&json!(0)), Some(&Value::Null)));
    assert!(!numbers_match(Some(&json!(1.0)), Some(&json!(1.000001))));
    assert_eq!(
        normalize_instant("2026-07-04T15:30:00.000+00:00"),
        "2026-07-04T15:30:00"
    );
    let e = json!({"grain": "month", "by": null, "oracle": {"as_of_arg": "2026-06-30", "tz": "+00:00"},
        "kpis": [{"id": "k", "unit": "count", "available": true, "points": [
            {"period": "2026-01", "segment": null, "step": null, "value": 1, "previous": 0, "change": null,
             "numerator": null, "denominator": null, "incomplete": false}]}]});
    let (m, _) = compare(ISSUE_4, &e, &e);
    assert!(m.is_empty());
    let mut a = e.clone();
    a["kpis"][0]["points"][0]["value"] = json!(2);
    a["kpis"][0]["points"][0]["incomplete"] = json!(true);
    let (m, _) = compare(ISSUE_4, &e, &a);
    assert_eq!(m.len(), 1);
    assert!(m[0].what.contains("value") && m[0].what.contains("incomplete"));
    assert!(command_args(&e).iter().any(|x| x == "2026-06-30"));
    // Issue 10: forecast, status and target are compared, and only there.
    let mut e = e;
    e["kpis"][0]["target"] = json!(150);
    e["kpis"][0]["points"][0]["forecast"] = json!(214.4);
    e["kpis"][0]["points"][0]["status"] = json!("on_track");
    e["oracle"]["args"] = json!(["report", "spend=s.csv", "--grain", "month"]);
    let (m, _) = compare(ISSUE_10, &e, &e);
    assert!(m.is_empty());
    let mut a = e.clone();
    a["kpis"][0]["target"] = Value::Null;
    a["kpis"][0]["points"][0]["forecast"] = json!(214.5);
    a["kpis"][0]["points"][0]["status"] = json!("off_track");
    let (m, _) = compare(ISSUE_10, &e, &a);
    assert_eq!(
        m.len(),
        2,
        "{:?}",
        m.iter().map(|m| &m.what).collect::<Vec<_>>()
    );
    assert!(m.iter().any(|m| m.what.contains("target")));
    assert!(
        m.iter()
            .any(|m| m.what.contains("forecast") && m.what.contains("status"))
    );
    assert!(compare(ISSUE_4, &e, &a).0.is_empty());
    assert_eq!(
        document_args(&e),
        Some(vec![
            "report".into(),
            "spend=s.csv".into(),
            "--grain".into(),
            "month".into()
        ])
    );
}
