//! Bytes → a [`Table`]: Arrow IPC or CSV, kind detection, role mapping and
//! normalisation of types.
//!
//! The passes, in order ([`load_with`]):
//! 1. reading: `ipc.rs` (Arrow IPC file or stream, any compression, checked
//!    before decoding) or `csv.rs` (encoding, delimiter, banners, comments,
//!    description rows, other tables, totals, "no data" exports): raw
//!    columns and their headers, and the date range a banner names;
//! 2. normalisation, `normalize.rs`: the kind (given, or detected by
//!    `detect.rs` from the headers), each header's role, and every column
//!    converted to its role's type by `roles.rs` (text read by `values.rs`,
//!    Arrow types converted by `cast.rs`), all as the kind's spec
//!    ([`crate::model::KindSpec`]) says;
//! 3. reshaping, when the kind's spec names one and the table has its shape:
//!    `stripe.rs` turns a Stripe subscription list into MRR snapshots,
//!    `deals.rs` gives a deals export without a `won` column its `won` (from
//!    the stage text or Salesforce's `Closed` flag), `leads.rs` gives a lead
//!    list without ids its ids, `wide.rs` melts a wide series (a date and a
//!    column per metric) into the long one, `spread.rs` spreads a campaign
//!    report without dates over the date range of its banner;
//! 4. the checks that make it a [`Table`] (required roles).
//!
//! A new input format is a new reader feeding step 2.
//!
//! Decisions worth knowing (issue 3):
//! * Nothing here may panic on input: a panic traps the WASM module. Arrow
//!   IPC metadata is checked by [`ipc::validate`] before arrow-ipc sees it;
//!   `fuzz/` holds the fuzz targets and `fuzz/regressions/` what they found.
//! * A file without data rows (a header-only CSV, an Arrow schema without
//!   batches) is an error, not an empty table.
//! * Null spellings depend on the column's type. In text (ids, e-mails,
//!   dimensions, anything kept as text) only empty, `--`, `N/A` and `null`
//!   are null, so `NA` (North America) or `none` stay segments. Number, date
//!   and flag columns also read `NA`, `-`, `none`, `nan`, `#N/A`, … as null.
//! * Columns without a role keep their header as name and are normalised by
//!   what they hold: a date or time type, or text whose values are all
//!   dates, is a time column; when every value that is not a null spelling
//!   reads as a number (`2.51%`, `1,234`) the column becomes Float64 —
//!   unless its header names a code (`…id`, `zip`, `phone`) or a value has a
//!   leading zero or is a date; text of true/false spellings becomes Boolean.
//!   The engine reads these types and parses no text itself.
//! * Date columns also take months without a day (`2026-01`, `01/2026`,
//!   `Jan 2026`) as the first day of the month, as MRR snapshots write them.
//! * Only the block of `Total…` rows at the bottom of a CSV is dropped
//!   (`Total`, `Total: Account`, `Grand total`, of any field count);
//!   `TotalEnergies` in the data stays.
//! * The decimal mark is decided per column from all its values that can
//!   only be read one way (`0,99`, `2.5`), else from the whole file's
//!   number-like columns, else from the delimiter (`;` files: decimal
//!   comma); a column the values do not decide is named in a note.
//!
//! Decisions of issue 11 (exports from the wild):
//! * UTF-16 (with a BOM, or sniffed) and Windows-1252 are read, and noted;
//!   so the quality notes always say when the text was not UTF-8.
//! * A CSV holding several tables loads the first; the others are named in
//!   notes, never merged.
//! * Placeholders (`(not set)`, `Select`; the configuration's
//!   `null_values`) are null in every column, before any typing; censored
//!   counts (`< 10`) are null in number columns. Both are counted in notes.
//! * A kind needs one of its own roles where its required roles are too
//!   few to tell it (survey, accounts); a shape that a reshaping pass
//!   completes (lead list, wide series, campaign report with a banner range)
//!   qualifies, scored below a file that has those roles itself.
//! * Arrow columns of types the model has no place for (times of day,
//!   binary, nested) refuse the file by name rather than load half of it.
//! * A Stripe subscription list loaded as revenue becomes monthly MRR
//!   snapshots: one row per customer and month in which its subscriptions
//!   were billing (`stripe.rs` has the rules: trials, cancellations,
//!   statuses, the export's last month, several plans).

pub(crate) mod cast;
pub mod csv;
mod deals;
pub(crate) mod detect;
pub mod ipc;
mod leads;
mod normalize;
mod normalized;
mod pick;
mod roles;
mod spread;
mod stripe;
pub mod typed_budget;
pub(crate) mod values;
mod wide;

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::kinds::Reshape;
use crate::model::{Table, TableKind};
use crate::quality::loading::LoadQuality;

pub(crate) use normalize::normalized_headers;

/// The largest file accepted, in bytes. A browser tab holds the file, its
/// decoded columns and the engine's working set at once; past this it dies.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The user's mapping overrides for one file (`docs/data-model.md`: any
/// header can be mapped to a role).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Header as written → role. The column takes that role and no alias
    /// claims it; an empty role leaves the column without one.
    pub columns: BTreeMap<String, String>,
    /// Export value → channel, for `people.source`, `spend.channel` and
    /// `revenue.channel`; it wins over the standard mapping.
    pub channels: BTreeMap<String, String>,
    /// Placeholder texts read as empty in every column (trimmed, any case);
    /// `None` is [`DEFAULT_NULL_VALUES`]. The built-in null spellings
    /// (`docs/data-model.md`, "Reading cells") apply besides.
    pub null_values: Option<Vec<String>>,
    /// The days a campaign report without a date column covers, when its
    /// banner names none (`files[name].date_range` in the configuration,
    /// `--date-range` on the command line); a range in the banner wins.
    pub date_range: Option<csv::DateRange>,
}

/// Reads a date range as the configuration and the command line write it:
/// `2026-01-27..2026-02-23`, both days included, the first not after the
/// last. The error says what was expected.
pub fn parse_date_range(text: &str) -> std::result::Result<csv::DateRange, String> {
    let day = |s: &str| {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = s[..4].parse::<i64>().ok()?;
        let m = s[5..7].parse::<u32>().ok()?;
        let d = s[8..].parse::<u32>().ok()?;
        crate::calendar::days_from_civil(y, m, d)
    };
    let bad = || format!("a date range must be like 2026-01-27..2026-02-23, not '{text}'");
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let (first, last) = day(a).zip(day(b)).ok_or_else(bad)?;
    if first > last {
        return Err(format!("the date range '{text}' ends before it starts"));
    }
    Ok(csv::DateRange {
        first,
        last,
        line: None,
    })
}

/// The placeholders exports write for "no value" that are read as empty
/// unless the configuration lists others: GA4's `(not set)`, a CRM's
/// unpicked dropdown `Select`, `--` and `N/A`.
pub const DEFAULT_NULL_VALUES: [&str; 4] = ["(not set)", "Select", "--", "N/A"];

impl LoadOptions {
    /// The placeholders read as empty: the configured ones, else the defaults.
    pub fn placeholders(&self) -> Vec<String> {
        match &self.null_values {
            Some(list) => list.clone(),
            None => DEFAULT_NULL_VALUES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
    }
}

/// Loads one file from its bytes. `kind` names the table kind; without it
/// the kind is detected from the columns.
pub fn load(file: &str, bytes: &[u8], kind: Option<TableKind>) -> Result<Table> {
    load_with(file, bytes, kind, &LoadOptions::default())
}

/// [`load`] with the user's column and channel mapping.
pub fn load_with(
    file: &str,
    bytes: &[u8],
    kind: Option<TableKind>,
    options: &LoadOptions,
) -> Result<Table> {
    check_size(file, bytes)?;
    if ipc::looks_like_ipc(bytes) {
        from_ipc(file, ipc::read(file, bytes)?, kind, options)
    } else {
        from_text(file, bytes, kind, options)
    }
}

/// [`load_with`] taking the bytes, so that they are freed as soon as an
/// Arrow file is decoded, before its batches are joined: the peak is the
/// decoded table plus one column rather than the file plus the table twice
/// (what decides whether a large file fits in a browser tab).
pub fn load_owned(
    file: &str,
    bytes: Vec<u8>,
    kind: Option<TableKind>,
    options: &LoadOptions,
) -> Result<Table> {
    check_size(file, &bytes)?;
    if ipc::looks_like_ipc(&bytes) {
        let (schema, batches) = ipc::decode(file, &bytes)?;
        drop(bytes);
        let batch = ipc::concat_owned(schema, batches)
            .map_err(|e| Error::unreadable(file, ipc::describe(e)))?;
        from_ipc(file, batch, kind, options)
    } else {
        from_text(file, &bytes, kind, options)
    }
}

fn check_size(file: &str, bytes: &[u8]) -> Result<()> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            file: file.to_owned(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(Error::unreadable(file, "the file is empty"));
    }
    Ok(())
}

fn from_ipc(
    file: &str,
    batch: arrow_array::RecordBatch,
    kind: Option<TableKind>,
    options: &LoadOptions,
) -> Result<Table> {
    if batch.num_rows() == 0 {
        return Err(Error::unreadable(file, "the file has no data rows"));
    }
    let quality = LoadQuality {
        rows_read: batch.num_rows(),
        ..LoadQuality::default()
    };
    let headers: Vec<String> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let raw = normalize::Raw {
        headers,
        batch,
        first_row: 1,
        european: false,
        date_range: options.date_range,
    };
    from_raw(file, raw, kind, quality, options)
}

fn from_text(
    file: &str,
    bytes: &[u8],
    kind: Option<TableKind>,
    options: &LoadOptions,
) -> Result<Table> {
    let mut quality = LoadQuality::default();
    let text = csv::read(file, bytes, &mut quality)?;
    let raw = normalize::Raw {
        headers: text.headers,
        batch: text.batch,
        first_row: text.first_line,
        european: text.european,
        date_range: text.date_range.or(options.date_range),
    };
    from_raw(file, raw, kind, quality, options)
}

/// A file as read, before it has a kind: what the mapping editor
/// (`crate::inspect::draft`) shows and guesses from.
pub(crate) struct Sketch {
    /// Headers as written.
    pub headers: Vec<String>,
    /// Headers as detection reads them.
    pub normalized: Vec<String>,
    /// The user's role for each header, from the options (`Some("")`: none).
    pub forced: Vec<Option<String>>,
    /// What each column holds without a role, as [`crate::model::ColumnInfo::data_type`]
    /// names it (`text`, `number`, `date/time`, …).
    pub types: Vec<String>,
    /// The first rows, as text, in header order.
    pub rows: Vec<Vec<Option<String>>>,
    /// Whether a banner (or the options) give the report's date range.
    pub has_range: bool,
}

/// Reads a file as far as its columns and what they hold, with no kind and
/// no roles, keeping its first `rows` rows as text.
pub(crate) fn sketch(
    file: &str,
    bytes: &[u8],
    options: &LoadOptions,
    rows: usize,
) -> Result<Sketch> {
    check_size(file, bytes)?;
    let (raw, quality) = if ipc::looks_like_ipc(bytes) {
        let batch = ipc::read(file, bytes)?;
        let headers = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let raw = normalize::Raw {
            headers,
            batch,
            first_row: 1,
            european: false,
            date_range: options.date_range,
        };
        (raw, LoadQuality::default())
    } else {
        let mut quality = LoadQuality::default();
        let text = csv::read(file, bytes, &mut quality)?;
        let raw = normalize::Raw {
            headers: text.headers,
            batch: text.batch,
            first_row: text.first_line,
            european: text.european,
            date_range: text.date_range.or(options.date_range),
        };
        (raw, quality)
    };
    let headers = raw.headers.clone();
    let normalized = normalize::normalized_headers(&headers);
    let mut ignored = LoadQuality::default();
    let forced = normalize::forced_roles(file, &headers, &normalized, options, &mut ignored);
    let has_range = raw.date_range.is_some();
    // Every header without a role: each column typed by what it holds.
    let untyped = LoadOptions {
        columns: headers.iter().map(|h| (h.clone(), String::new())).collect(),
        ..options.clone()
    };
    let n = normalize::normalize(file, raw, Some(TableKind::Events), quality, &untyped)?;
    let shown = rows.min(n.rows);
    let mut types = Vec::with_capacity(headers.len());
    let mut columns = Vec::with_capacity(headers.len());
    for (info, array) in n.infos.iter().zip(&n.arrays).take(headers.len()) {
        types.push(info.data_type.clone());
        columns.push(
            cast::to_utf8(array.slice(0, shown).as_ref())
                .map_err(|e| Error::unreadable(file, e))?,
        );
    }
    let rows = (0..shown)
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    use arrow_array::Array;
                    c.is_valid(r).then(|| c.value(r).to_owned())
                })
                .collect()
        })
        .collect();
    Ok(Sketch {
        headers,
        normalized,
        forced,
        types,
        rows,
        has_range,
    })
}

/// The passes after reading: normalisation (kind, roles, types), then the
/// reshaping pass the table's shape calls for, then the checks that make it
/// a [`Table`].
fn from_raw(
    file: &str,
    raw: normalize::Raw,
    kind: Option<TableKind>,
    quality: LoadQuality,
    options: &LoadOptions,
) -> Result<Table> {
    let mut table = normalize::normalize(file, raw, kind, quality, options)?;
    match table.reshape {
        Some(Reshape::StripeSubscriptions) => stripe::expand(file, &mut table)?,
        Some(Reshape::DealOutcome) => deals::derive_won(file, &mut table)?,
        Some(Reshape::LeadList) => leads::derive_ids(file, &mut table)?,
        Some(Reshape::WideSeries) => wide::melt(file, &mut table)?,
        Some(Reshape::SpreadOverRange) => {
            if let Some(range) = table.date_range {
                spread::over_range(file, &mut table, range)?;
            }
        }
        None => {}
    }
    table.into_table(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;

    fn options(columns: &[(&str, &str)], channels: &[(&str, &str)]) -> LoadOptions {
        let map = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        LoadOptions {
            columns: map(columns),
            channels: map(channels),
            null_values: None,
            date_range: None,
        }
    }

    fn texts(t: &Table, col: &str) -> Vec<Option<String>> {
        let c = t.column(col).expect("column");
        let c = cast::to_utf8(c.as_ref()).expect("text");
        (0..c.len())
            .map(|i| c.is_valid(i).then(|| c.value(i).to_owned()))
            .collect()
    }

    fn role_of<'t>(t: &'t Table, source: &str) -> Option<&'t str> {
        t.columns
            .iter()
            .find(|c| c.source == source)
            .and_then(|c| c.role.as_deref())
    }

    #[test]
    fn user_columns_decide_roles_and_kind() {
        let csv = b"Contact,Lead Date,Mail\n1,2026-03-01,a@x.com\n2,2026-03-02,b@x.com\n";
        assert!(load("c.csv", csv, None).is_err(), "not detectable alone");
        let o = options(&[("Contact", "id"), ("Lead Date", "created_at")], &[]);
        let t = load_with("c.csv", csv, None, &o).expect("loads");
        assert_eq!(t.kind, TableKind::People);
        assert_eq!(role_of(&t, "Lead Date"), Some("created_at"));
        assert_eq!(
            texts(&t, "id"),
            [Some("1".to_owned()), Some("2".to_owned())]
        );
    }

    #[test]
    fn a_mapped_column_is_not_claimed_by_an_alias() {
        let csv = b"Record ID,Create Date,Became a Lead Date\n7,2026-01-01,2026-02-01\n";
        let o = options(&[("Became a Lead Date", "created_at")], &[]);
        let t = load_with("h.csv", csv, None, &o).expect("loads");
        assert_eq!(role_of(&t, "Became a Lead Date"), Some("created_at"));
        assert_eq!(role_of(&t, "Create Date"), None);
        // An empty role leaves a column without one.
        let o = options(&[("Record ID", "")], &[]);
        let e = load_with("h.csv", csv, Some(TableKind::People), &o).expect_err("no id");
        assert!(e.to_string().contains("'id'"), "{e}");
    }

    #[test]
    fn unknown_roles_are_refused_with_the_file_name() {
        let csv = b"id,created_at\n1,2026-01-01\n";
        let o = options(&[("id", "identifier")], &[]);
        let e = load_with("p.csv", csv, Some(TableKind::People), &o).expect_err("bad role");
        assert!(e.to_string().contains("p.csv"), "{e}");
        assert!(e.to_string().contains("identifier"), "{e}");
    }

    #[test]
    fn user_channels_win_over_the_standard_mapping() {
        let csv = b"id,created_at,source\n1,2026-01-01,PAID_SEARCH\n2,2026-01-01,Newsletter\n3,2026-01-01,Webinar\n4,2026-01-01,N/A\n";
        let t = load("p.csv", csv, None).expect("loads");
        assert_eq!(role_of(&t, "source"), Some("source"));
        let want = |v: [Option<&str>; 4]| v.map(|x| x.map(str::to_owned)).to_vec();
        assert_eq!(
            texts(&t, "source"),
            want([
                Some("paid_search"),
                Some("Newsletter"),
                Some("Webinar"),
                None
            ])
        );
        let o = options(&[], &[("Newsletter", "email"), ("PAID_SEARCH", "sem")]);
        let t = load_with("p.csv", csv, None, &o).expect("loads");
        assert_eq!(
            texts(&t, "source"),
            want([Some("sem"), Some("email"), Some("Webinar"), None])
        );
    }

    #[test]
    fn a_configured_column_missing_from_the_file_is_noted() {
        let csv = b"id,created_at\n1,2026-01-01\n";
        let o = options(&[("Lead Source", "source")], &[]);
        let t = load_with("p.csv", csv, None, &o).expect("loads");
        assert!(t.quality.notes.iter().any(|n| n.contains("Lead Source")));
    }
}
