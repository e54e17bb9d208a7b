//! The command line's text output against committed snapshots (issue 8):
//! `kpidash report --format table`, `kpidash inspect` and the command line's
//! error messages, each run as the real binary on small committed files
//! (`tests/fixtures/csv/`, `tests/it/snapshots/input/`) with `--as-of` and
//! `--tz` pinned.
//!
//! A snapshot, `tests/it/snapshots/NAME.txt`, is the transcript of one or
//! more commands: `$ kpidash ARGS`, then what it printed, then its stderr and
//! exit status when it failed. Snapshots check rendering, not numbers (the
//! oracle and rule tests check those independently). A test fails when the
//! output differs from its snapshot or the snapshot is missing; the actual
//! output is then written to `<target tmp>/snapshots/NAME.txt`. After a
//! deliberate change, rewrite the snapshots with
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo nextest run cli::
//! ```
//!
//! and review the diff before committing it.

use std::path::PathBuf;
use std::process::Command;

/// Every snapshot in `tests/it/snapshots/`; `every_snapshot_is_checked` keeps
/// this list honest.
const SNAPSHOTS: [&str; 6] = [
    "report_month_by_plan",
    "review_sample_markdown",
    "report_week_by_channel",
    "inspect_exports",
    "inspect_unparsed_cells",
    "errors",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn snapshot_dir() -> PathBuf {
    repo().join("tests/it/snapshots")
}

/// Runs `kpidash ARGS` in the repository and returns its transcript.
fn run(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kpidash"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("cannot run kpidash: {e}"));
    let mut t = format!("$ kpidash {}\n", args.join(" "));
    t.push_str(&String::from_utf8_lossy(&output.stdout));
    if !output.status.success() || !output.stderr.is_empty() {
        t.push_str("--- stderr\n");
        t.push_str(&String::from_utf8_lossy(&output.stderr));
        let status = output
            .status
            .code()
            .map_or_else(|| "killed".to_owned(), |c| c.to_string());
        t.push_str(&format!("--- exit status {status}\n"));
    }
    t
}

/// Compares a transcript with the snapshot `name`, or writes the snapshot
/// when `UPDATE_SNAPSHOTS=1` is set.
fn check(name: &str, actual: &str) {
    assert!(SNAPSHOTS.contains(&name), "add '{name}' to SNAPSHOTS");
    let path = snapshot_dir().join(format!("{name}.txt"));
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let fresh = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("snapshots");
    std::fs::create_dir_all(&fresh).unwrap();
    let fresh = fresh.join(format!("{name}.txt"));
    std::fs::write(&fresh, actual).unwrap();
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "no snapshot {}: {e}\nthe output is in {}; review it, then write the snapshot with UPDATE_SNAPSHOTS=1",
            path.display(),
            fresh.display()
        )
    });
    if expected == actual {
        return;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let line = (0..e.len().max(a.len()))
        .find(|i| e.get(*i) != a.get(*i))
        .unwrap_or(0);
    panic!(
        "output differs from snapshot {} from line {}:\n  expected: {:?}\n  actual:   {:?}\n\
         the whole output is in {}; if the change is meant, rewrite the snapshot with UPDATE_SNAPSHOTS=1 and review the diff",
        path.display(),
        line + 1,
        e.get(line).copied().unwrap_or("(end)"),
        a.get(line).copied().unwrap_or("(end)"),
        fresh.display()
    );
}

#[test]
fn report_table_by_plan_monthly() {
    // People, spend and a Stripe subscription list: funnel steps, incomplete
    // periods, unavailable KPIs, notes of KPIs that cannot be broken down,
    // revenue segments.
    let out = run(&[
        "report",
        "tests/fixtures/csv/hubspot_contacts.csv",
        "tests/fixtures/csv/google_ads_ui_campaigns.csv",
        "tests/fixtures/csv/stripe_subscriptions.csv",
        "--by",
        "plan",
        "--as-of",
        "2026-03-31",
        "--tz",
        "+00:00",
        "--format",
        "table",
    ]);
    check("report_month_by_plan", &out);
}

#[test]
fn report_table_by_channel_weekly() {
    // Two people exports and two ad platforms: channel segments, `(none)`,
    // a time zone east of UTC.
    let out = run(&[
        "report",
        "tests/fixtures/csv/salesforce_leads.csv",
        "people=tests/fixtures/csv/people_nulls.csv",
        "tests/fixtures/csv/google_ads_api.csv",
        "tests/fixtures/csv/meta_ads_eu.csv",
        "--grain=week",
        "--by=channel",
        "--as-of=2026-03-31",
        "--tz=+02:00",
    ]);
    check("report_week_by_channel", &out);
}

#[test]
fn review_of_the_bundled_sample_as_markdown() {
    // The page's sample, every file, by channel at the data's own as-of:
    // the review's sections, sentences and findings as a marketer gets them.
    let sample = |f: &str| format!("www/public/sample/{f}");
    let files: Vec<String> = [
        "people.arrow",
        "events.arrows",
        "spend.csv",
        "revenue.csv",
        "series.csv",
        "survey.csv",
        "accounts.csv",
        "budget.csv",
        "deals.csv",
    ]
    .iter()
    .map(|f| sample(f))
    .collect();
    let mut args: Vec<&str> = vec!["report"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--by", "channel", "--format", "markdown"]);
    check("review_sample_markdown", &run(&args));
}

#[test]
fn inspect_exports() {
    // Banner and total rows dropped, a platform's channel, a subscription
    // list, ambiguous dates, a kind given, an Arrow file.
    let out = run(&[
        "inspect",
        "tests/fixtures/csv/google_ads_ui_campaigns.csv",
        "tests/fixtures/csv/meta_ads_eu.csv",
        "tests/fixtures/csv/hubspot_contacts.csv",
        "tests/fixtures/csv/stripe_subscriptions.csv",
        "tests/fixtures/csv/revenue_ambiguous_dates.csv",
        "people=tests/fixtures/csv/salesforce_leads_report_us.csv",
        "tests/fixtures/arrow/revenue.arrow",
    ]);
    check("inspect_exports", &out);
}

#[test]
fn inspect_unparsed_cells() {
    let out = run(&["inspect", "tests/it/snapshots/input/spend_with_typos.csv"]);
    check("inspect_unparsed_cells", &out);
}

#[test]
fn error_messages() {
    let commands: [&[&str]; 7] = [
        &["inspect"],
        &["inspect", "tests/fixtures/malformed/ragged.csv"],
        &["frobnicate"],
        &["report", "--grain", "week"],
        &[
            "report",
            "tests/fixtures/csv/google_ads_api.csv",
            "--grain",
            "fortnight",
        ],
        &["report", "tests/fixtures/csv/google_ads_api.csv", "--as-of"],
        &[
            "report",
            "tests/fixtures/csv/google_ads_api.csv",
            "--format",
            "html",
        ],
    ];
    let out: Vec<String> = commands.iter().map(|args| run(args)).collect();
    check("errors", &out.join("\n"));
}

#[test]
fn by_a_dimension_the_files_lack_is_an_error_listing_the_available_ones() {
    // Issue 9. HubSpot contacts have `source` (the channel) and `persona`;
    // the Google Ads export `campaign` and the platform's channel.
    let files = [
        "tests/fixtures/csv/hubspot_contacts.csv",
        "tests/fixtures/csv/google_ads_api.csv",
    ];
    let report = |by: &str| {
        Command::new(env!("CARGO_BIN_EXE_kpidash"))
            .arg("report")
            .args(files)
            .args(["--by", by, "--as-of", "2026-03-31", "--format", "json"])
            .current_dir(repo())
            .output()
            .unwrap()
    };
    let out = report("regon");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "kpidash: no dimension 'regon' in the loaded files; available: campaign, channel, persona\n"
    );
    // A dimension of one table only is fine, in any case and spacing.
    for by in ["persona", " Campaign ", "source"] {
        let out = report(by);
        assert_eq!(
            out.status.code(),
            Some(0),
            "--by {by:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_snapshot_is_checked() {
    let mut found: Vec<String> = std::fs::read_dir(snapshot_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut listed: Vec<String> = SNAPSHOTS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "tests/it/snapshots/*.txt and SNAPSHOTS differ"
    );
}

#[test]
fn a_campaign_report_without_dates_takes_its_range_as_an_option() {
    // Issue 11. No date column, no banner: refused, until `--date-range`
    // gives its 31 days of January (one row becomes 31; 310.00 is 10.00 a day).
    let dir = std::env::temp_dir().join(format!("kpidash-date-range-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("campaigns.csv");
    std::fs::write(&path, "Campaign,Impr.,Clicks,Cost\nBrand,3100,310,310.00\n").unwrap();
    let path = path.to_str().unwrap();
    let kpidash = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kpidash"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, err) = kpidash(&["inspect", path]);
    assert_eq!(code, Some(1));
    assert!(err.contains("not recognised"), "{err}");
    let range = format!("{path}=2026-01-01..2026-01-31");
    let (code, out, err) = kpidash(&["inspect", path, "--date-range", &range]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("spend table (detected), 31 rows"), "{out}");
    assert!(
        out.contains("2026-01-01 to 2026-01-31 (the date range configured for the file)"),
        "{out}"
    );
    // By file name, joined with `=`, in a report.
    let (code, out, err) = kpidash(&[
        "report",
        path,
        "--date-range=campaigns.csv=2026-01-01..2026-01-31",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"rows\": 31"), "{out}");
    let (code, _, err) = kpidash(&[
        "inspect",
        path,
        "--date-range",
        "other.csv=2026-01-01..2026-01-31",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "kpidash: --date-range names 'other.csv', which is not an input file\n"
    );
    let (code, _, err) = kpidash(&[
        "inspect",
        path,
        "--date-range",
        &format!("{path}=2026-01-31..2026-01-01"),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("ends before it starts"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
