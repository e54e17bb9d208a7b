//! Issue 11: exports downloaded from real tools load on the first try.
//!
//! Each fixture in `tests/fixtures/csv/wild/` is written from what the tool
//! writes (encodings, banners, totals, number formats, header sets); the
//! values expected from it are worked out by hand beside each test, in the
//! normalised model of `docs/data-model.md` (times as microseconds since the
//! epoch, amounts as `Float64`, ids and dimensions as text).

use std::path::{Path, PathBuf};

use arrow_array::ArrayRef;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use kpidash::{Table, TableKind};

/// Microseconds in a day.
const DAY: i64 = 86_400_000_000;

/// 2026-01-01 is day 20454 since 1970-01-01 (56 years of 365 days plus 14
/// leap days, 1972…2024).
const JAN_1: i64 = 20_454 * DAY;

/// Midnight starting day `d` (1-based) of 2026's month `m`, by the month
/// lengths of 2026 (not a leap year).
fn day(m: usize, d: i64) -> i64 {
    const LEN: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    JAN_1 + (LEN[..m - 1].iter().sum::<i64>() + d - 1) * DAY
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv/wild")
        .join(name)
}

/// Loads a fixture of `tests/fixtures/csv/wild/`, detecting its kind.
fn load_file(name: &str) -> Table {
    let bytes = std::fs::read(fixture(name)).unwrap();
    kpidash::load::load(name, &bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Loads inline CSV text, detecting its kind unless given.
fn load_text(name: &str, csv: &str, kind: Option<TableKind>) -> Table {
    kpidash::load::load(name, csv.as_bytes(), kind).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn column<'t>(t: &'t Table, name: &str) -> &'t ArrayRef {
    t.column(name)
        .unwrap_or_else(|| panic!("{}: no column {name}: {:?}", t.file, t.columns))
}

/// A time column's values as microseconds, null as `None`.
fn times(t: &Table, name: &str) -> Vec<Option<i64>> {
    column(t, name)
        .as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect()
}

/// A number column's values.
fn numbers(t: &Table, name: &str) -> Vec<Option<f64>> {
    column(t, name)
        .as_primitive::<Float64Type>()
        .iter()
        .collect()
}

/// A text column's values, null as `None` (plain or dictionary text).
fn texts(t: &Table, name: &str) -> Vec<Option<String>> {
    let a = arrow_cast::cast(column(t, name), &arrow_schema::DataType::Utf8).unwrap();
    a.as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_owned))
        .collect()
}

fn some<T: Clone>(v: &[T]) -> Vec<Option<T>> {
    v.iter().cloned().map(Some).collect()
}

fn strs(v: &[&str]) -> Vec<Option<String>> {
    v.iter().map(|s| Some((*s).to_owned())).collect()
}

/// Whether some quality note of the table contains `part`.
fn noted(t: &Table, part: &str) -> bool {
    t.quality.notes.iter().any(|n| n.contains(part))
}

// ---------------------------------------------------------------- encodings

/// Google Ads' "Excel CSV" download: UTF-16 LE with a BOM, tab-separated.
/// `Day, Campaign, Impr., Clicks, Cost` / `2026-03-01, Brand, 1234, 31, 45.67`.
#[test]
fn google_ads_utf16_loads_as_spend() {
    let t = load_file("google_ads_utf16le.tsv");
    assert_eq!(t.kind, TableKind::Spend);
    assert_eq!(times(&t, "date"), some(&[day(3, 1)]));
    assert_eq!(texts(&t, "campaign"), strs(&["Brand"]));
    assert_eq!(numbers(&t, "impressions"), some(&[1234.0]));
    assert_eq!(numbers(&t, "clicks"), some(&[31.0]));
    assert_eq!(numbers(&t, "cost"), some(&[45.67]));
    // `Impr.` says Google Ads: the platform's channel.
    assert_eq!(texts(&t, "channel"), strs(&["paid_search"]));
    assert!(noted(&t, "read as UTF-16 LE"), "{:?}", t.quality.notes);
}
