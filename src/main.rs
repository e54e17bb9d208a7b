//! The kpidash command line: `kpidash inspect FILE…` and `kpidash report …`.

use std::process::ExitCode;

use kpidash::inspect::FileInfo;
use kpidash::{Error, TableKind};

const USAGE: &str = "usage:
  kpidash inspect [KIND=]PATH ...
  kpidash report [KIND=]PATH ... [--config FILE] [--grain day|week|month|quarter|year]
                 [--by DIMENSION] [--as-of DATE] [--tz +HH:MM] [--format json|table]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("inspect") => inspect(&args[1..]),
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

/// Splits `KIND=PATH` into its kind and path.
fn kind_and_path(arg: &str) -> Result<(Option<TableKind>, &str), Error> {
    if let Some((kind, path)) = arg.split_once('=') {
        if let Ok(k) = kind.parse::<TableKind>() {
            return Ok((Some(k), path));
        }
    }
    Ok((None, arg))
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
        let (kind, path) = kind_and_path(arg).map_err(|e| e.to_string())?;
        let bytes = read(path)?;
        let table = kpidash::load::load(path, &bytes, kind).map_err(|e| e.to_string())?;
        print!("{}", FileInfo::from(&table).to_text());
    }
    Ok(())
}
