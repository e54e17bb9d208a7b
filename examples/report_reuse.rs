//! A session's first report and the ones after it that change only the
//! breakdown, the grain or the review period (issue 13): each timed, on the
//! benchmark's data. A benchmark, not a test:
//!
//! ```text
//! cargo build --profile profiling --example report_reuse
//! target/profiling/examples/report_reuse bench-out/1000000 [--check]
//! ```
//!
//! The folder holds `gen.py`'s and `gen_investment.py`'s files (people,
//! spend, revenue, series, budget, deals; those missing are skipped). The
//! first report is month × channel, as `bench/README.md`'s full report.
//! `--check` also computes every report in a fresh session and fails unless
//! the two documents are equal (the reuse changes no value).

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use kpidash::{Request, Session, TableKind};

const FILES: [(&str, TableKind); 6] = [
    ("people", TableKind::People),
    ("spend", TableKind::Spend),
    ("revenue", TableKind::Revenue),
    ("series", TableKind::Series),
    ("budget", TableKind::Budget),
    ("deals", TableKind::Deals),
];

/// The reports in order: a label, grain, breakdown and review period.
const STEPS: [(&str, &str, Option<&str>, Option<&str>); 6] = [
    ("first: month × channel", "month", Some("channel"), None),
    (
        "review period 2026-03",
        "month",
        Some("channel"),
        Some("2026-03"),
    ),
    ("breakdown: none", "month", None, None),
    ("breakdown: campaign", "month", Some("campaign"), None),
    ("grain: week", "week", Some("channel"), None),
    ("back: month × channel", "month", Some("channel"), None),
];

fn load(session: &mut Session, dir: &Path) -> Result<(), Box<dyn Error>> {
    for (name, kind) in FILES {
        let path = dir.join(format!("{name}.arrow"));
        if !path.exists() {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        session.load_owned(&path.to_string_lossy(), bytes, Some(kind))?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or("usage: report_reuse DIR [--check]")?;
    let check = args.iter().any(|a| a == "--check");
    let dir = Path::new(dir);
    let mut session = Session::default();
    let started = Instant::now();
    load(&mut session, dir)?;
    println!(
        "load                      {:7.3} s",
        started.elapsed().as_secs_f64()
    );
    for (label, grain, by, period) in STEPS {
        let request = Request::parse(Some(grain), by, None, None)?.with_period(period);
        let started = Instant::now();
        let report = session.report(&request)?;
        let json = serde_json::to_string(&report)?;
        let seconds = started.elapsed().as_secs_f64();
        let points: usize = report.kpis.iter().map(|k| k.points.len()).sum();
        println!("{label:<25} {seconds:7.3} s  {points} points");
        if check {
            let mut fresh = Session::default();
            load(&mut fresh, dir)?;
            let expected = serde_json::to_string(&fresh.report(&request)?)?;
            if expected != json {
                return Err(format!("{label}: differs from a fresh session's report").into());
            }
        }
    }
    Ok(())
}
