//! The kpidash command line: `kpidash inspect FILE…` and `kpidash report …`.

use std::process::ExitCode;

use kpidash::TableKind;

const USAGE: &str = "usage:
  kpidash inspect [KIND=]PATH ... [--date-range PATH=FIRST..LAST]
  kpidash report [KIND=]PATH ... [--config FILE] [--grain day|week|month|quarter|year]
                 [--by DIMENSION] [--as-of DATE] [--tz +HH:MM] [--period PERIOD]
                 [--date-range PATH=FIRST..LAST] [--format json|table|markdown]";

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

/// An input path and the date range `--date-range` gives it (`FIRST..LAST`).
type FileRange = (String, String);

/// The `--date-range PATH=FIRST..LAST` options among `args` (each also as
/// `--date-range=PATH=…`), checked, keyed by the input path they name (as
/// written, or by its file name); the other arguments are returned as they are.
fn date_ranges(args: &[String]) -> Result<(Vec<String>, Vec<FileRange>), String> {
    let mut rest = Vec::new();
    let mut ranges = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--date-range") {
            Some("") => it
                .next()
                .cloned()
                .ok_or_else(|| "--date-range needs a value".to_owned())?,
            Some(v) if v.starts_with('=') => v[1..].to_owned(),
            _ => {
                rest.push(a.clone());
                continue;
            }
        };
        let (file, range) = value
            .rsplit_once('=')
            .ok_or_else(|| format!("--date-range takes PATH=FIRST..LAST, not '{value}'"))?;
        kpidash::load::parse_date_range(range).map_err(|e| format!("--date-range {file}: {e}"))?;
        ranges.push((file.to_owned(), range.to_owned()));
    }
    let inputs: Vec<&str> = rest
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(|a| kind_and_path(a).1)
        .collect();
    let mut keyed = Vec::new();
    for (file, range) in ranges {
        let name_of = |p: &str| std::path::Path::new(p).file_name().map(|n| n.to_owned());
        let path = inputs
            .iter()
            .find(|p| **p == file)
            .or_else(|| {
                inputs
                    .iter()
                    .find(|p| name_of(p).is_some() && name_of(p) == name_of(&file))
            })
            .ok_or_else(|| format!("--date-range names '{file}', which is not an input file"))?;
        keyed.push(((*path).to_owned(), range));
    }
    Ok((rest, keyed))
}

/// The configuration with the `--date-range` options in it: each names
/// its file's `date_range`, as `files[path].date_range` in a configuration
/// file would.
fn with_date_ranges(
    config: &kpidash::config::Config,
    ranges: &[FileRange],
) -> Result<String, String> {
    let mut config = config.clone();
    for (path, range) in ranges {
        config.files.entry(path.clone()).or_default().date_range = Some(range.clone());
    }
    serde_json::to_string(&config).map_err(|e| e.to_string())
}

fn inspect(args: &[String]) -> Result<(), String> {
    let (args, ranges) = date_ranges(args)?;
    if args.is_empty() {
        return Err(USAGE.to_owned());
    }
    let mut session = kpidash::Session::default();
    if !ranges.is_empty() {
        let json = with_date_ranges(session.config(), &ranges)?;
        session.set_config_json(&json).map_err(|e| e.to_string())?;
    }
    for arg in &args {
        let (kind, path) = kind_and_path(arg);
        let bytes = read(path)?;
        let info = session
            .load_owned(path, bytes, kind)
            .map_err(|e| e.to_string())?;
        print!("{}", info.to_text());
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
    let (args, ranges) = date_ranges(args)?;
    let a = parse_report_args(&args)?;
    let mut session = kpidash::Session::default();
    if let Some(path) = &a.config {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        session
            .set_config_json(&text)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    if !ranges.is_empty() {
        let json = with_date_ranges(session.config(), &ranges)?;
        session.set_config_json(&json).map_err(|e| e.to_string())?;
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
