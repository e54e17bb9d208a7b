//! The data model: table kinds, column roles and loaded tables.
//!
//! A loaded file becomes one [`Table`] of one [`TableKind`]. Its columns are
//! renamed to their canonical role names (`created_at`, `cost`, …) and
//! normalised to a few physical types so the engine sees one shape whatever
//! the writer was:
//!
//! * time roles: `Timestamp(Microsecond, None)` for wall-clock values (dates,
//!   naive timestamps) or `Timestamp(Microsecond, Some("UTC"))` for instants;
//! * ids and text: `Utf8` or `Dictionary(Int32, Utf8)`; dimensions too when
//!   written as text, else as written;
//! * amounts and counts: `Float64`; flags: `Boolean`.
//!
//! Columns without a role are normalised by what they hold: every date or
//! time column, and text whose values are all dates, becomes a time column
//! as above; text of numbers `Float64`, text of true/false spellings
//! `Boolean`; other text stays text (`load/roles.rs` has the rules). The
//! engine reads these types only and parses nothing.
//!
//! What each kind's roles are, and everything else known about a kind, is
//! its [`KindSpec`] in [`kinds`].

use std::fmt;
use std::str::FromStr;

use arrow_array::RecordBatch;
use arrow_schema::DataType;
use serde::{Deserialize, Serialize};

use crate::error::Error;

pub mod kinds;

pub use kinds::{KINDS, KindSpec, RoleSpec};

/// What a table describes. Each kind's [`KindSpec`] (its roles, main time
/// column, breakdowns, …) is in [`KINDS`], at the variant's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// One row per lead, contact, signup or user.
    People,
    /// One row per product or web event.
    Events,
    /// Ad cost per date, channel and campaign.
    Spend,
    /// MRR snapshots, one row per account and month.
    Revenue,
    /// Pre-aggregated time series in long format.
    Series,
    /// Brand survey responses.
    Survey,
    /// One row per account.
    Accounts,
    /// Planned spend per month and channel (or campaign).
    Budget,
    /// One row per deal or opportunity.
    Deals,
}

impl TableKind {
    /// Every kind, in the order reports list them (the order of [`KINDS`]).
    pub const ALL: [TableKind; 9] = kinds::KIND_ORDER;

    /// Everything kpidash knows about this kind.
    pub fn spec(self) -> &'static KindSpec {
        &KINDS[self as usize]
    }

    /// The kind's name as used on the command line and in results.
    pub fn as_str(self) -> &'static str {
        self.spec().name
    }
}

/// Milestone columns of the people table, in funnel-ish order.
pub const PEOPLE_MILESTONES: [&str; 10] = [
    "signup_started_at",
    "signup_completed_at",
    "trial_started_at",
    "activated_at",
    "first_feature_at",
    "mql_at",
    "sql_at",
    "opportunity_at",
    "customer_at",
    "first_contact_at",
];

impl fmt::Display for TableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TableKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if let Some(k) = KINDS.iter().find(|k| k.name.eq_ignore_ascii_case(s.trim())) {
            return Ok(k.kind);
        }
        let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        let expected = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(", "),
        };
        Err(Error::Invalid(format!(
            "unknown table kind '{s}' (expected {expected})"
        )))
    }
}

/// The physical type a role is normalised to: one converter per type in
/// `load/roles.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleType {
    /// An identifier, kept as text (an integer id is its decimal text).
    Id,
    /// Free text: any type becomes text.
    Text,
    /// A breakdown dimension: text stays text (a dictionary stays one),
    /// other types are kept as written.
    Dimension,
    /// A date or timestamp.
    Time,
    /// An amount or count.
    Number,
    /// A true/false flag.
    Flag,
    /// A `task_*` column: a timestamp or a flag.
    Task,
}

/// How one column of a file was understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    /// The header as written in the file.
    pub source: String,
    /// The name it has in the table: its role, or the trimmed header.
    pub name: String,
    /// The canonical role, when the column has one.
    pub role: Option<String>,
    /// The type after loading, in words: `text`, `text (dictionary)`,
    /// `number`, `true/false`, `date/time` (wall clock), `timestamp (UTC)`
    /// (an instant), or Arrow's name of any other type kept as written.
    pub data_type: String,
}

impl ColumnInfo {
    /// How a column was understood, its type named as [`ColumnInfo::data_type`] says.
    pub fn new(source: String, name: String, role: Option<String>, data_type: &DataType) -> Self {
        ColumnInfo {
            source,
            name,
            role,
            data_type: type_label(data_type),
        }
    }
}

/// A short, readable name of a normalised type.
fn type_label(t: &DataType) -> String {
    match t {
        DataType::Utf8 => "text".to_owned(),
        DataType::Dictionary(_, _) => "text (dictionary)".to_owned(),
        DataType::Float64 => "number".to_owned(),
        DataType::Boolean => "true/false".to_owned(),
        DataType::Timestamp(_, Some(_)) => "timestamp (UTC)".to_owned(),
        DataType::Timestamp(_, None) => "date/time".to_owned(),
        other => other.to_string(),
    }
}

/// A loaded file: one table of one kind.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file name the table came from.
    pub file: String,
    /// What the table describes.
    pub kind: TableKind,
    /// Whether the kind was detected (`false` when the user named it).
    pub kind_detected: bool,
    /// The data, with canonical column names.
    pub batch: RecordBatch,
    /// How each column of the file was understood.
    pub columns: Vec<ColumnInfo>,
    /// What loading found wrong or odd.
    pub quality: crate::quality::loading::LoadQuality,
}

impl Table {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column with this canonical name, if present.
    pub fn column(&self, name: &str) -> Option<&arrow_array::ArrayRef> {
        self.batch.column_by_name(name)
    }

    /// Whether the table has this column.
    pub fn has(&self, name: &str) -> bool {
        self.batch.schema().index_of(name).is_ok()
    }
}
