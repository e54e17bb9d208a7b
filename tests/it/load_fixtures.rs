//! Issue 3: every shape of file real tools write loads, with known values.
//!
//! Loads each fixture under `tests/fixtures/` through [`kpidash::load::load`]
//! and checks it against the `expected.json` beside it:
//!
//! * `arrow/`: Arrow IPC files and streams written by pyarrow, Polars, pandas
//!   and DuckDB (compression, batches, string and dictionary encodings, every
//!   integer width, decimals, dates and timestamps with and without zones);
//! * `csv/`: export shapes of Google Ads, HubSpot, Salesforce, Meta and Stripe
//!   (banners, totals, locales, delimiters, BOM, CRLF, null spellings);
//! * `malformed/`: broken inputs, which must give an error naming the file and
//!   never a panic.
//!
//! Expected values are in the normalised model: time cells as microseconds
//! since the epoch plus `utc` (wall clock `Timestamp(µs, None)` or instant
//! `Timestamp(µs, "UTC")`), ids and dimensions as text, numbers as `Float64`,
//! flags as `Boolean`. The fixtures and their expectations are written by
//! `tests/fixtures/make_fixtures.py`; see `tests/fixtures/README.md`.
//!
//! Each test checks every fixture and reports all failures at once, one line per
//! problem, so one run shows the whole state of the loader.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, TimestampMicrosecondType};
use arrow_array::{Array, ArrayRef};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, TimeUnit};
use kpidash::{Table, TableKind};
use serde_json::{Map, Value};

/// Relative tolerance for numbers (decimal → float conversions).
const REL_TOL: f64 = 1e-9;

fn fixtures(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(sub)
}

/// The `files` object of `<sub>/expected.json`.
fn expected(sub: &str) -> Map<String, Value> {
    let path = fixtures(sub).join("expected.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    match doc.get("files") {
        Some(Value::Object(files)) => files.clone(),
        _ => panic!("{} has no \"files\" object", path.display()),
    }
}

/// Data files of a fixture directory (everything but the expectations and docs).
fn data_files(sub: &str) -> BTreeSet<String> {
    let dir = fixtures(sub);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "expected.json" && !name.ends_with(".md") && !name.starts_with('.'))
        .collect()
}

/// What happened when a file was loaded: a result, or a panic with its message.
enum Outcome {
    Loaded(Box<kpidash::Result<Table>>),
    Panicked(String),
}

fn load_guarded(name: &str, bytes: &[u8], kind: Option<TableKind>) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| kpidash::load::load(name, bytes, kind))) {
        Ok(result) => Outcome::Loaded(Box::new(result)),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-text panic payload)".to_owned());
            Outcome::Panicked(msg)
        }
    }
}

fn parse_kind(s: &str) -> TableKind {
    s.parse()
        .unwrap_or_else(|e| panic!("expected.json names an unknown kind '{s}': {e}"))
}

/// One cell rendered for a failure message.
fn show(col: &ArrayRef, row: usize) -> String {
    if row >= col.len() {
        return format!("<row {row} out of {}>", col.len());
    }
    if col.is_null(row) {
        return "null".to_owned();
    }
    // The formatter needs chrono-tz for named zones such as "UTC"; print instants here.
    if let DataType::Timestamp(TimeUnit::Microsecond, tz) = col.data_type() {
        let us = col.as_primitive::<TimestampMicrosecondType>().value(row);
        return match chrono::DateTime::from_timestamp_micros(us) {
            Some(t) => format!("{}{}", t.naive_utc(), if tz.is_some() { "Z" } else { "" }),
            None => format!("{us} µs"),
        };
    }
    match ArrayFormatter::try_new(col.as_ref(), &FormatOptions::default()) {
        Ok(f) => format!("{:?}", f.value(row).to_string()),
        Err(e) => format!("<unprintable: {e}>"),
    }
}

fn text_at(col: &ArrayRef, row: usize) -> Result<String, String> {
    match col.data_type() {
        DataType::Utf8 => Ok(col.as_string::<i32>().value(row).to_owned()),
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let dict = col.as_dictionary::<Int32Type>();
            let key = dict.keys().value(row);
            let values = dict.values();
            if values.data_type() != &DataType::Utf8 {
                return Err(format!("dictionary values are {}", values.data_type()));
            }
            let idx = usize::try_from(key).map_err(|_| format!("negative dictionary key {key}"))?;
            if idx >= values.len() {
                return Err(format!("dictionary key {key} out of range"));
            }
            Ok(values.as_string::<i32>().value(idx).to_owned())
        }
        other => Err(format!(
            "type {other} is neither Utf8 nor Dictionary(Int32, Utf8) (value {})",
            show(col, row)
        )),
    }
}

/// Checks one cell; `Ok(Some(i))` when a `one_of` matched its alternative `i`.
fn check_cell(col: &ArrayRef, row: usize, want: &Value) -> Result<Option<usize>, String> {
    if row >= col.len() {
        return Err(format!("row {row} does not exist ({} rows)", col.len()));
    }
    if let Some(Value::Array(alternatives)) = want.get("one_of") {
        let mut errors = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            match check_cell(col, row, alt) {
                Ok(_) => return Ok(Some(i)),
                Err(e) => errors.push(e),
            }
        }
        return Err(format!("none of the alternatives: {}", errors.join(" / ")));
    }
    if want.is_null() {
        return if col.is_null(row) {
            Ok(None)
        } else {
            Err(format!("expected null, found {}", show(col, row)))
        };
    }
    if col.is_null(row) {
        return Err(format!("expected {want}, found null ({})", col.data_type()));
    }
    match want {
        Value::String(s) => {
            let got = text_at(col, row)?;
            if &got == s {
                Ok(None)
            } else {
                Err(format!("expected {s:?}, found {got:?}"))
            }
        }
        Value::Bool(b) => match col.data_type() {
            DataType::Boolean => {
                let got = col.as_boolean().value(row);
                if got == *b {
                    Ok(None)
                } else {
                    Err(format!("expected {b}, found {got}"))
                }
            }
            other => Err(format!(
                "expected Boolean {b}, column is {other} ({})",
                show(col, row)
            )),
        },
        Value::Number(n) => {
            let w = n.as_f64().ok_or("expected number is not a float")?;
            match col.data_type() {
                DataType::Float64 => {
                    let got = col
                        .as_primitive::<arrow_array::types::Float64Type>()
                        .value(row);
                    if (got - w).abs() <= REL_TOL * w.abs().max(1.0) {
                        Ok(None)
                    } else {
                        Err(format!("expected {w}, found {got}"))
                    }
                }
                other => Err(format!(
                    "expected Float64 {w}, column is {other} ({})",
                    show(col, row)
                )),
            }
        }
        Value::Object(obj) => {
            let us = obj
                .get("us")
                .and_then(Value::as_i64)
                .ok_or("expected time has no integer \"us\"")?;
            let utc = obj
                .get("utc")
                .and_then(Value::as_bool)
                .ok_or("expected time has no bool \"utc\"")?;
            let iso = obj.get("iso").and_then(Value::as_str).unwrap_or("");
            let tz_ok = match col.data_type() {
                DataType::Timestamp(TimeUnit::Microsecond, None) => !utc,
                DataType::Timestamp(TimeUnit::Microsecond, Some(tz)) => utc && tz.as_ref() == "UTC",
                other => {
                    return Err(format!(
                        "expected Timestamp(µs, {}) {iso}, column is {other} ({})",
                        if utc { "\"UTC\"" } else { "None" },
                        show(col, row)
                    ));
                }
            };
            let got = col.as_primitive::<TimestampMicrosecondType>().value(row);
            let mut problems = Vec::new();
            if !tz_ok {
                problems.push(format!(
                    "expected {} time, column is {}",
                    if utc { "a UTC instant" } else { "a wall-clock" },
                    col.data_type()
                ));
            }
            if got != us {
                problems.push(format!(
                    "expected {us} ({iso}), found {got} ({}; off by {} s)",
                    show(col, row),
                    (got - us) as f64 / 1e6
                ));
            }
            if problems.is_empty() {
                Ok(None)
            } else {
                Err(problems.join("; "))
            }
        }
        Value::Array(_) => Err("expected value is a bare array".to_owned()),
        Value::Null => unreachable!("handled above"),
    }
}

/// The column a cell refers to: by canonical name, else by the header it came from.
fn resolve<'t>(table: &'t Table, col: &str) -> Option<&'t ArrayRef> {
    table.column(col).or_else(|| {
        table
            .columns
            .iter()
            .find(|c| c.source == col || c.source.trim() == col)
            .and_then(|c| table.column(&c.name))
    })
}

fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| match &c.role {
            Some(r) => format!("{}={r}:{}", c.source, c.data_type),
            None => format!("{}:{}", c.source, c.data_type),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks one loaded table against its expectation; returns the problems found.
fn check_table(name: &str, exp: &Value, table: &Table, kind_given: bool) -> Vec<String> {
    let mut bad = Vec::new();
    let mut fail = |msg: String| bad.push(format!("{name}: {msg}"));

    if table.file != name {
        fail(format!("table.file is {:?}", table.file));
    }
    if let Some(kind) = exp.get("kind").and_then(Value::as_str) {
        if table.kind.as_str() != kind {
            fail(format!("kind {} (expected {kind})", table.kind));
        }
        if table.kind_detected == kind_given {
            fail(format!(
                "kind_detected is {} although the kind was {}",
                table.kind_detected,
                if kind_given { "given" } else { "not given" }
            ));
        }
    }
    if let Some(rows) = exp.get("rows").and_then(Value::as_u64)
        && table.rows() as u64 != rows
    {
        fail(format!("{} rows (expected {rows})", table.rows()));
    }
    let dropped = exp.get("rows_dropped").and_then(Value::as_u64).unwrap_or(0);
    if table.quality.rows_dropped as u64 != dropped {
        fail(format!(
            "{} rows dropped (expected {dropped}); reasons: {:?}",
            table.quality.rows_dropped, table.quality.dropped_reasons
        ));
    }
    if table.quality.unparsed_cells != 0 {
        fail(format!(
            "{} unparsed cells, e.g. {:?}",
            table.quality.unparsed_cells,
            table
                .quality
                .unparsed_examples
                .iter()
                .map(|c| format!("row {} '{}': {:?}", c.row, c.column, c.text))
                .collect::<Vec<_>>()
        ));
    }

    if exp.get("notes_nonempty").and_then(Value::as_bool) == Some(true)
        && table.quality.notes.is_empty()
    {
        fail("expected a note in quality.notes, found none".to_owned());
    }

    // Column → role mapping: role → accepted source header(s).
    if let Some(Value::Object(roles)) = exp.get("roles") {
        for (role, want) in roles {
            let accepted: Vec<&str> = match want {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => continue,
            };
            // A dimension role (source, campaign, persona, plan, ...) may carry the
            // canonical name without a `role`: accept either.
            let found = table
                .columns
                .iter()
                .find(|c| c.role.as_deref() == Some(role.as_str()))
                .or_else(|| table.columns.iter().find(|c| c.name == *role));
            match found {
                None => fail(format!(
                    "no column has role '{role}' (expected from {accepted:?}); columns: {}",
                    column_list(table)
                )),
                Some(c) if !accepted.contains(&c.source.as_str()) => fail(format!(
                    "role '{role}' comes from '{}' (expected one of {accepted:?})",
                    c.source
                )),
                Some(_) => {}
            }
        }
    }

    // Day/month ambiguity is reported exactly for the listed columns.
    let want_ambiguous: BTreeSet<&str> = exp
        .get("ambiguous_date_columns")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let got_ambiguous: BTreeSet<&str> = table
        .quality
        .ambiguous_date_columns
        .iter()
        .map(String::as_str)
        .collect();
    for w in &want_ambiguous {
        let found = got_ambiguous.contains(w)
            || table.columns.iter().any(|c| {
                (c.name == *w || c.source == *w)
                    && (got_ambiguous.contains(c.name.as_str())
                        || got_ambiguous.contains(c.source.as_str()))
            });
        if !found {
            fail(format!(
                "column '{w}' not reported as ambiguous (reported: {got_ambiguous:?})"
            ));
        }
    }
    if want_ambiguous.is_empty() && !got_ambiguous.is_empty() {
        fail(format!(
            "unexpected ambiguous date columns {got_ambiguous:?}"
        ));
    }

    // Cells.
    let mut choices: BTreeMap<String, usize> = BTreeMap::new();
    for cell in exp
        .get("cells")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(row), Some(col), Some(want)) = (
            cell.get("row").and_then(Value::as_u64),
            cell.get("col").and_then(Value::as_str),
            cell.get("value"),
        ) else {
            fail(format!("malformed cell expectation {cell}"));
            continue;
        };
        let Some(array) = resolve(table, col) else {
            fail(format!(
                "no column '{col}'; columns: {}",
                column_list(table)
            ));
            continue;
        };
        match check_cell(array, row as usize, want) {
            Ok(Some(choice)) => {
                let first = *choices.entry(col.to_owned()).or_insert(choice);
                if first != choice {
                    fail(format!(
                        "row {row} '{col}': day/month order differs from earlier rows of the column"
                    ));
                }
            }
            Ok(None) => {}
            Err(e) => fail(format!("row {row} '{col}': {e}")),
        }
    }
    bad
}

/// Loads every file of `sub` and checks it; panics with all problems at the end.
fn check_dir(sub: &str) {
    let files = expected(sub);
    let on_disk = data_files(sub);
    let mut problems = Vec::new();
    for name in &on_disk {
        if !files.contains_key(name) {
            problems.push(format!("{name}: no entry in {sub}/expected.json"));
        }
    }
    let mut passed = 0;
    for (name, exp) in &files {
        let path = fixtures(sub).join(name);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{name}: cannot read fixture: {e}"));
                continue;
            }
        };
        let given = exp.get("load_kind").and_then(Value::as_str).map(parse_kind);
        let before = problems.len();
        match load_guarded(name, &bytes, given) {
            Outcome::Panicked(msg) => problems.push(format!("{name}: PANIC while loading: {msg}")),
            Outcome::Loaded(result) => match *result {
                Err(e) => problems.push(format!("{name}: failed to load: {e}")),
                Ok(table) => problems.extend(check_table(name, exp, &table, given.is_some())),
            },
        }
        if problems.len() == before {
            passed += 1;
        }
    }
    eprintln!(
        "{sub}: {passed} of {} fixtures load as expected",
        files.len()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s) in tests/fixtures/{sub} ({passed} of {} files fully pass):\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}

#[test]
fn arrow_fixtures_load_with_expected_values() {
    check_dir("arrow");
}

#[test]
fn csv_fixtures_load_with_expected_values() {
    check_dir("csv");
}

/// Loads a bad input with and without a kind; it must fail, name the file, not panic.
fn check_rejected(name: &str, bytes: &[u8], problems: &mut Vec<String>) {
    for kind in [None, Some(TableKind::People)] {
        let how = if kind.is_some() {
            " (kind people given)"
        } else {
            ""
        };
        match load_guarded(name, bytes, kind) {
            Outcome::Panicked(msg) => problems.push(format!("{name}{how}: PANIC: {msg}")),
            Outcome::Loaded(result) => match *result {
                Ok(table) => problems.push(format!(
                    "{name}{how}: loaded as {} with {} rows, expected an error",
                    table.kind,
                    table.rows()
                )),
                Err(e) => {
                    let msg = e.to_string();
                    if kind.is_none() {
                        eprintln!("{msg}");
                    }
                    if !msg.contains(name) {
                        problems.push(format!("{name}{how}: error does not name the file: {msg}"));
                    }
                }
            },
        }
    }
}

#[test]
fn malformed_files_fail_with_the_file_name_and_never_panic() {
    let files = expected("malformed");
    let on_disk = data_files("malformed");
    let mut problems = Vec::new();
    for name in &on_disk {
        if !files.contains_key(name) {
            problems.push(format!("{name}: no entry in malformed/expected.json"));
        }
    }
    for name in files.keys() {
        match std::fs::read(fixtures("malformed").join(name)) {
            Ok(bytes) => check_rejected(name, &bytes, &mut problems),
            Err(e) => problems.push(format!("{name}: cannot read fixture: {e}")),
        }
    }
    // Too big to commit: a quoted field opened and never closed, 1 MB to the end of the file.
    let mut unterminated = b"id,email,created_at\n1,\"".to_vec();
    unterminated.extend(std::iter::repeat_n(b'x', 1 << 20));
    check_rejected("huge_field_unterminated.csv", &unterminated, &mut problems);
    assert!(
        problems.is_empty(),
        "{} problem(s) with malformed inputs:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A 1 MB cell is odd but not invalid: loading may succeed or fail, but must not
/// panic, and an error must name the file.
#[test]
fn a_one_megabyte_cell_does_not_panic() {
    let name = "huge_field.csv";
    let mut csv = b"id,email,created_at\n1,ana@example.com,2026-03-15\n2,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 1 << 20));
    csv.extend_from_slice(b"@example.com\",2026-03-16\n3,cy@example.com,2026-03-17\n");
    match load_guarded(name, &csv, None) {
        Outcome::Panicked(msg) => panic!("{name}: PANIC: {msg}"),
        Outcome::Loaded(result) => match *result {
            Ok(table) => assert_eq!(table.rows(), 3, "{name}: rows"),
            Err(e) => assert!(
                e.to_string().contains(name),
                "{name}: error does not name the file: {e}"
            ),
        },
    }
}
