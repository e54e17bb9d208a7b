//! Issue 11: the files other projects wrote (`../shared/corpus/`, its README
//! says what a loader should do with each part) load as their authors say,
//! or fail with an error — never a panic or a hang (each file is loaded in
//! a thread with a time limit).
//!
//! * `arrow-golden/`: Apache Arrow's integration files (IPC file and
//!   stream) with the values as Arrow's integration JSON (`.json.gz`, read
//!   through the system's `gzip`). A case whose columns are all of types
//!   kpidash reads, with rows, loads (as an accounts table keyed by its first
//!   column) with the JSON's row count and values; every other case is
//!   refused, and so are the big-endian files, saying so. `schema_v6.arrow`
//!   must be refused.
//! * `arrow-crash/`: fuzzer inputs; each gives an error.
//! * `csv-suite/csv-spectrum/`: each CSV reads into the headers and cell
//!   texts of its JSON; every other CSV of `csv-suite/` loads or fails
//!   cleanly.
//!
//! Without the folder (a checkout without `shared/`) the tests say so and pass.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use kpidash::{Table, TableKind};
use serde_json::Value;

/// How long one file may take to load.
const LIMIT: Duration = Duration::from_secs(20);

/// Microseconds in a day.
const DAY: i64 = 86_400_000_000;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: no corpus at {} (the shared folder is not beside the checkout)",
            dir.display()
        );
        None
    }
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// What happened to one load: its result, a panic or a hang.
enum Outcome<T> {
    Done(kpidash::Result<T>),
    Panicked(String),
    Hung,
}

/// Runs `f` in a thread, with a panic caught and a time limit.
fn guarded<T: Send + 'static>(
    f: impl FnOnce() -> kpidash::Result<T> + Send + 'static,
) -> Outcome<T> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
            p.downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default()
        });
        let _ = tx.send(r);
    });
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(r)) => Outcome::Done(r),
        Ok(Err(msg)) => Outcome::Panicked(msg),
        Err(_) => Outcome::Hung,
    }
}

fn load_guarded(
    name: &str,
    bytes: Vec<u8>,
    kind: Option<TableKind>,
    first: Option<String>,
) -> Outcome<Table> {
    let name = name.to_owned();
    guarded(move || {
        let options = kpidash::load::LoadOptions {
            columns: first
                .into_iter()
                .map(|c| (c, "account_id".to_owned()))
                .collect(),
            ..Default::default()
        };
        kpidash::load::load_with(&name, &bytes, kind, &options)
    })
}

/// The Arrow integration JSON of a case, through `gzip -dc`.
fn integration_json(path: &Path) -> Option<Value> {
    let out = std::process::Command::new("gzip")
        .arg("-dc")
        .arg(path)
        .output()
        .ok()?;
    assert!(out.status.success(), "gzip -dc {}", path.display());
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// Whether kpidash reads a field of this integration-JSON type into its
/// model: flags, integers, floats, decimals, text (plain or dictionary),
/// dates and timestamps.
fn readable(field: &Value) -> bool {
    let t = &field["type"]["name"];
    matches!(
        t.as_str(),
        Some(
            "null"
                | "bool"
                | "int"
                | "floatingpoint"
                | "utf8"
                | "largeutf8"
                | "utf8view"
                | "date"
                | "timestamp"
                | "decimal"
        )
    ) && field["dictionary"]["dictionary"].as_bool() != Some(true)
        || field.get("dictionary").is_some() && matches!(t.as_str(), Some("utf8"))
}

/// One JSON cell as a number (integers beyond 2^53 are strings there).
fn json_number(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// The expected values of a plain column over all batches: `None` where
/// the validity says null.
fn expected_cells(doc: &Value, col: usize) -> Vec<Option<Value>> {
    let mut out = Vec::new();
    for b in doc["batches"].as_array().unwrap() {
        let c = &b["columns"][col];
        let n = c["count"].as_u64().unwrap() as usize;
        for i in 0..n {
            let valid = c["VALIDITY"]
                .as_array()
                .is_none_or(|v| v[i].as_i64() == Some(1));
            out.push(valid.then(|| c["DATA"][i].clone()));
        }
    }
    out
}

/// Compares a loaded column with the JSON's cells; `None` when they agree.
fn compare(field: &Value, array: &ArrayRef, want: &[Option<Value>]) -> Option<String> {
    let ty = field["type"]["name"].as_str().unwrap_or("");
    let unit = field["type"]["unit"].as_str().unwrap_or("");
    for (i, w) in want.iter().enumerate() {
        let got_null = array.is_null(i);
        let bad = match (ty, w) {
            (_, None) => !got_null,
            ("int" | "floatingpoint", Some(v)) => {
                let x = json_number(v).unwrap();
                let got = arrow_cast::cast(array, &DataType::Float64).ok()?;
                let got = got.as_primitive::<Float64Type>();
                // Float32 values are written with 7 digits in the JSON.
                got.is_null(i) || (got.value(i) - x).abs() > 1e-6 * x.abs().max(1.0)
            }
            ("bool", Some(v)) => array
                .as_boolean_opt()
                .is_none_or(|b| b.is_null(i) || Some(b.value(i)) != v.as_bool()),
            ("utf8" | "largeutf8", Some(v)) => {
                let s = v.as_str().unwrap_or("");
                let text = arrow_cast::cast(array, &DataType::Utf8).ok()?;
                let text = text.as_string::<i32>();
                // Text that spells null in a text column (empty, `N/A`, …) is null.
                let null_spelling = s.trim().is_empty()
                    || ["--", "n/a", "null"].contains(&s.trim().to_lowercase().as_str());
                if null_spelling {
                    !text.is_null(i)
                } else {
                    text.is_null(i) || text.value(i) != s
                }
            }
            ("date" | "timestamp", Some(v)) => {
                let x = json_number(v).unwrap() as i64;
                let micros = match (ty, unit) {
                    ("date", "DAY") => x * DAY,
                    ("date", _) | (_, "MILLISECOND") => x * 1000,
                    (_, "SECOND") => x * 1_000_000,
                    (_, "MICROSECOND") => x,
                    _ => x.div_euclid(1000),
                };
                let t = array.as_primitive_opt::<TimestampMicrosecondType>()?;
                t.is_null(i) || t.value(i) != micros
            }
            _ => false,
        };
        if bad {
            return Some(format!(
                "row {i}: expected {w:?}, loaded {:?}",
                arrow_cast::display::ArrayFormatter::try_new(array.as_ref(), &Default::default())
                    .ok()?
                    .value(i)
                    .to_string()
            ));
        }
    }
    None
}

#[test]
fn arrow_golden_cases_load_with_their_values_or_are_refused() {
    let Some(root) = corpus() else { return };
    let dir = root.join("arrow-golden");
    let mut problems = Vec::new();
    let (mut loaded, mut refused) = (0, 0);
    for json in files_under(&dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
    {
        let Some(doc) = integration_json(&json) else {
            eprintln!("skipped: no gzip to read {}", json.display());
            return;
        };
        let fields = doc["schema"]["fields"].as_array().unwrap().clone();
        let rows: u64 = doc["batches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum();
        let supported = !fields.is_empty() && fields.iter().all(readable) && rows > 0;
        let first = fields
            .first()
            .and_then(|f| f["name"].as_str())
            .map(str::to_owned);
        let stem = json
            .to_string_lossy()
            .trim_end_matches(".json.gz")
            .to_owned();
        for ext in ["arrow_file", "stream"] {
            let path = PathBuf::from(format!("{stem}.{ext}"));
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let name = path
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            match load_guarded(&name, bytes, Some(TableKind::Accounts), first.clone()) {
                Outcome::Panicked(m) => problems.push(format!("{name}: PANIC {m}")),
                Outcome::Hung => problems.push(format!("{name}: no answer within {LIMIT:?}")),
                // Big-endian files are refused, saying so.
                Outcome::Done(Err(e))
                    if name.contains("bigendian") && e.to_string().contains("big-endian") =>
                {
                    refused += 1;
                }
                Outcome::Done(Err(e)) if supported => {
                    problems.push(format!("{name}: refused: {e}"))
                }
                Outcome::Done(Err(e)) => {
                    if !e.to_string().contains(&name) {
                        problems.push(format!("{name}: the error does not name the file: {e}"));
                    }
                    refused += 1;
                }
                Outcome::Done(Ok(t)) if !supported => {
                    let types: Vec<&str> = fields
                        .iter()
                        .filter(|f| !readable(f))
                        .filter_map(|f| f["type"]["name"].as_str())
                        .collect();
                    if rows > 0 {
                        problems.push(format!("{name}: loaded, but has types kpidash does not read ({types:?}), {} rows", t.batch.num_rows()));
                    }
                }
                Outcome::Done(Ok(t)) => {
                    loaded += 1;
                    if t.batch.num_rows() as u64 != rows {
                        problems.push(format!(
                            "{name}: {} rows, expected {rows}",
                            t.batch.num_rows()
                        ));
                        continue;
                    }
                    // Every column but the key, by position (names may repeat).
                    for (c, field) in fields.iter().enumerate().skip(1) {
                        if field.get("dictionary").is_some() || field["type"]["name"] == "decimal" {
                            continue;
                        }
                        let array = t.batch.column(c.min(t.batch.num_columns() - 1));
                        let want = expected_cells(&doc, c);
                        if let Some(p) = compare(field, array, &want) {
                            problems.push(format!("{name}: column {}: {p}", field["name"]));
                        }
                    }
                }
            }
        }
    }
    // Files without expected values: must load or fail cleanly; schema v6 must fail.
    for path in files_under(&dir) {
        let s = path.to_string_lossy();
        if s.ends_with(".json.gz")
            || s.ends_with(".arrow_file") && !s.contains("other-repos")
            || s.ends_with(".stream")
            || s.ends_with(".md")
        {
            continue;
        }
        let name = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).unwrap();
        match load_guarded(&name, bytes, None, None) {
            Outcome::Panicked(m) => problems.push(format!("{name}: PANIC {m}")),
            Outcome::Hung => problems.push(format!("{name}: no answer within {LIMIT:?}")),
            Outcome::Done(Ok(_)) if name.contains("schema_v6") => {
                problems.push(format!("{name}: loaded"))
            }
            Outcome::Done(_) => {}
        }
    }
    eprintln!("arrow-golden: {loaded} files loaded with their values, {refused} refused");
    assert!(loaded > 20, "only {loaded} golden files loaded");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn arrow_crash_files_give_errors() {
    let Some(root) = corpus() else { return };
    let mut problems = Vec::new();
    let files = files_under(&root.join("arrow-crash"));
    assert!(!files.is_empty());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for kind in [None, Some(TableKind::People)] {
            match load_guarded(&name, std::fs::read(path).unwrap(), kind, None) {
                Outcome::Panicked(m) => problems.push(format!("{name}: PANIC {m}")),
                Outcome::Hung => problems.push(format!("{name}: no answer within {LIMIT:?}")),
                Outcome::Done(Ok(_)) => problems.push(format!("{name} ({kind:?}): loaded")),
                Outcome::Done(Err(e)) if !e.to_string().contains(&name) => {
                    problems.push(format!("{name}: the error does not name the file: {e}"))
                }
                Outcome::Done(Err(_)) => {}
            }
        }
    }
    eprintln!("arrow-crash: {} files, each an error", files.len());
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn csv_spectrum_gives_its_expected_json() {
    let Some(root) = corpus() else { return };
    let dir = root.join("csv-suite/csv-spectrum");
    let mut problems = Vec::new();
    let csvs = files_under(&dir.join("csvs"));
    for path in &csvs {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let doc: Value = serde_json::from_slice(
            &std::fs::read(dir.join("json").join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        // One file's JSON is its only row, not an array of rows.
        let doc = if doc.is_array() {
            doc
        } else {
            Value::Array(vec![doc])
        };
        let want: Vec<BTreeMap<String, String>> = serde_json::from_value(doc).unwrap();
        let name = format!("{stem}.csv");
        let bytes = std::fs::read(path).unwrap();
        let n = name.clone();
        let got = guarded(move || kpidash::load::csv::read(&n, &bytes, &mut Default::default()));
        let t = match got {
            Outcome::Done(Ok(t)) => t,
            Outcome::Done(Err(e)) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
            Outcome::Panicked(m) => {
                problems.push(format!("{name}: PANIC {m}"));
                continue;
            }
            Outcome::Hung => {
                problems.push(format!("{name}: hung"));
                continue;
            }
        };
        let rows: Vec<BTreeMap<String, String>> = (0..t.batch.num_rows())
            .map(|r| {
                t.headers
                    .iter()
                    .enumerate()
                    .map(|(c, h)| {
                        let col = t.batch.column(c).as_string::<i32>();
                        (
                            h.clone(),
                            if col.is_null(r) {
                                String::new()
                            } else {
                                col.value(r).to_owned()
                            },
                        )
                    })
                    .collect()
            })
            .collect();
        // Upstream's expected JSON for location_coordinates names another
        // phone number than its CSV holds (1234567890, not 2095257564).
        let rows: Vec<BTreeMap<String, String>> = if stem == "location_coordinates" {
            rows.into_iter()
                .map(|mut r| {
                    if r.get("Contact Phone Number").map(String::as_str) == Some("2095257564") {
                        r.insert("Contact Phone Number".into(), "1234567890".into());
                    }
                    r
                })
                .collect()
        } else {
            rows
        };
        if rows != want {
            problems.push(format!("{name}: read {rows:?}, expected {want:?}"));
        }
    }
    assert_eq!(csvs.len(), 12, "csv-spectrum has 12 CSVs");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn other_csvs_load_or_fail_cleanly() {
    let Some(root) = corpus() else { return };
    let dir = root.join("csv-suite");
    let mut problems = Vec::new();
    let (mut read, mut loaded, mut failed) = (0, 0, 0);
    for path in files_under(&dir) {
        let s = path.to_string_lossy();
        if s.ends_with(".json")
            || s.ends_with(".jsonld")
            || s.ends_with(".md")
            || s.ends_with(".gz")
            || s.contains("csv-spectrum")
        {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The text layer alone (most are no marketing export, so loading
        // stops at "not recognised"), then the whole loader.
        let (n, bytes) = (name.clone(), std::fs::read(&path).unwrap());
        match guarded(move || kpidash::load::csv::read(&n, &bytes, &mut Default::default())) {
            Outcome::Panicked(m) => problems.push(format!("{}: PANIC reading {m}", path.display())),
            Outcome::Hung => problems.push(format!("{}: reading hung", path.display())),
            Outcome::Done(Ok(_)) => read += 1,
            Outcome::Done(Err(e)) if !e.to_string().contains(&name) => problems.push(format!(
                "{}: the error does not name the file: {e}",
                path.display()
            )),
            Outcome::Done(Err(_)) => {}
        }
        match load_guarded(&name, std::fs::read(&path).unwrap(), None, None) {
            Outcome::Panicked(m) => problems.push(format!("{}: PANIC {m}", path.display())),
            Outcome::Hung => {
                problems.push(format!("{}: no answer within {LIMIT:?}", path.display()))
            }
            Outcome::Done(Ok(_)) => loaded += 1,
            Outcome::Done(Err(e)) if !e.to_string().contains(&name) => problems.push(format!(
                "{}: the error does not name the file: {e}",
                path.display()
            )),
            Outcome::Done(Err(_)) => failed += 1,
        }
    }
    eprintln!(
        "csv-suite: {read} read as text tables; {loaded} loaded, {failed} refused with an error"
    );
    // Most of the others have one column only, which is no table.
    assert!(read >= 120, "only {read} CSVs read as text tables");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
