//! The kpidash command line: `kpidash inspect FILE…` and `kpidash report …`.

use std::process::ExitCode;

use kpidash::TableKind;
use kpidash::inspect::FileInfo;

const USAGE: &str = "usage:
  kpidash inspect [KIND=]PATH ...
  kpidash report [KIND=]PATH ... [--config FILE] [--grain day|week|month|quarter|year]
                 [--by DIMENSION] [--as-of DATE] [--tz +HH:MM] [--period PERIOD]
                 [--format json|table|markdown]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("inspect") => inspect(&args[1..]),
        Some("report") => report(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some("--version" | "-V") => {
            println!("kpidash {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kpidash: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Splits `KIND=PATH` into its kind and path; anything else is a path.
fn kind_and_path(arg: &str) -> (Option<TableKind>, &str) {
    if let Some((kind, path)) = arg.split_once('=')
        && let Ok(k) = kind.parse::<TableKind>()
    {
        return (Some(k), path);
    }
    (None, arg)
}

/// Reads a file, naming it in the error.
fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn inspect(args: &[String]) -> Result<(), String> {
    if args.is_empty() {
        return Err(USAGE.to_owned());
    }
    for arg in args {
        let (kind, path) = kind_and_path(arg);
        let bytes = read(path)?;
        let table = kpidash::load::load(path, &bytes, kind).map_err(|e| e.to_string())?;
        print!("{}", FileInfo::from(&table).to_text());
    }
    Ok(())
}

/// Options of `kpidash report`.
#[derive(Default)]
struct ReportArgs {
    files: Vec<String>,
    config: Option<String>,
    grain: Option<String>,
    by: Option<String>,
    as_of: Option<String>,
    tz: Option<String>,
    period: Option<String>,
    format: Option<String>,
}

fn parse_report_args(args: &[String]) -> Result<ReportArgs, String> {
    let mut r = ReportArgs::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let slot = match flag {
            "--config" => &mut r.config,
            "--grain" => &mut r.grain,
            "--by" => &mut r.by,
            "--as-of" => &mut r.as_of,
            "--tz" => &mut r.tz,
            "--period" => &mut r.period,
            "--format" => &mut r.format,
            f if f.starts_with("--") => return Err(format!("unknown option '{f}'\n{USAGE}")),
            _ => {
                r.files.push(a.clone());
                continue;
            }
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))?,
        };
        *slot = Some(value);
    }
    if r.files.is_empty() {
        return Err(format!("no input files\n{USAGE}"));
    }
    Ok(r)
}

fn report(args: &[String]) -> Result<(), String> {
    let a = parse_report_args(args)?;
    let mut session = kpidash::Session::default();
    if let Some(path) = &a.config {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        session
            .set_config_json(&text)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    for arg in &a.files {
        let (kind, path) = kind_and_path(arg);
        let bytes = read(path)?;
        session
            .load_owned(path, bytes, kind)
            .map_err(|e| e.to_string())?;
    }
    let request = kpidash::Request::parse(
        a.grain.as_deref(),
        a.by.as_deref(),
        a.as_of.as_deref(),
        a.tz.as_deref(),
    )
    .map_err(|e| e.to_string())?
    .with_period(a.period.as_deref());
    let doc = session.report(&request).map_err(|e| e.to_string())?;
    match a.format.as_deref().unwrap_or("table") {
        "json" => {
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            println!("{text}");
        }
        "table" => print!("{}", kpidash::report::text::to_table(&doc)),
        "markdown" | "md" => print!("{}", kpidash::report::markdown::to_markdown(&doc)),
        other => {
            return Err(format!(
                "unknown format '{other}' (expected json, table or markdown)"
            ));
        }
    }
    Ok(())
}
