//! The data model: table kinds, column roles and loaded tables.
//!
//! A loaded file becomes one [`Table`] of one [`TableKind`]. Its columns are
//! renamed to their canonical role names (`created_at`, `cost`, …) and
//! normalised to a few physical types so the engine sees one shape whatever
//! the writer was:
//!
//! * time roles: `Timestamp(Microsecond, None)` for wall-clock values (dates,
//!   naive timestamps) or `Timestamp(Microsecond, Some("UTC"))` for instants;
//! * ids and dimensions: `Utf8` or `Dictionary(Int32, Utf8)`;
//! * amounts and counts: `Float64`; flags: `Boolean`.

use std::fmt;
use std::str::FromStr;

use arrow_array::RecordBatch;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What a table describes (catalog §2).
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
}

impl TableKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [TableKind; 7] = [
        TableKind::People,
        TableKind::Events,
        TableKind::Spend,
        TableKind::Revenue,
        TableKind::Series,
        TableKind::Survey,
        TableKind::Accounts,
    ];

    /// The kind's name as used on the command line and in results.
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::People => "people",
            TableKind::Events => "events",
            TableKind::Spend => "spend",
            TableKind::Revenue => "revenue",
            TableKind::Series => "series",
            TableKind::Survey => "survey",
            TableKind::Accounts => "accounts",
        }
    }

    /// The roles a table of this kind must have.
    pub fn required_roles(self) -> &'static [&'static str] {
        match self {
            TableKind::People => &["id", "created_at"],
            TableKind::Events => &["entity_id", "event", "timestamp"],
            TableKind::Spend => &["date", "cost"],
            TableKind::Revenue => &["account_id", "month", "mrr"],
            TableKind::Series => &["date", "metric", "value"],
            TableKind::Survey => &["date"],
            TableKind::Accounts => &["account_id"],
        }
    }

    /// The role and physical type of a canonical column of this kind, or
    /// `None` for a column the kind does not know (kept as a dimension).
    pub fn role_type(self, role: &str) -> Option<RoleType> {
        use RoleType::*;
        let t = match (self, role) {
            (TableKind::People, "id") => Id,
            (TableKind::People, "created_at") => Time,
            (TableKind::People, "email") => Text,
            (TableKind::People, "account_id") => Id,
            (TableKind::People, "icp") => Flag,
            (TableKind::People, r) if PEOPLE_MILESTONES.contains(&r) => Time,
            (TableKind::People, r) if r.starts_with("task_") => Task,
            (TableKind::Events, "entity_id") => Id,
            (TableKind::Events, "event") => Text,
            (TableKind::Events, "timestamp") => Time,
            (TableKind::Spend, "date") => Time,
            (TableKind::Spend, "cost" | "impressions" | "clicks" | "conversions") => Number,
            (TableKind::Spend, "icp_audience") => Flag,
            (TableKind::Spend, "currency") => Text,
            (TableKind::Revenue, "account_id") => Id,
            (TableKind::Revenue, "month") => Time,
            (TableKind::Revenue, "mrr") => Number,
            (TableKind::Revenue, "currency") => Text,
            (TableKind::Series, "date") => Time,
            (TableKind::Series, "metric") => Text,
            (TableKind::Series, "value") => Number,
            (TableKind::Series, "target_account") => Flag,
            (TableKind::Survey, "date") => Time,
            (TableKind::Survey, "respondent_id") => Id,
            (TableKind::Survey, "icp" | "aware" | "recall") => Flag,
            (TableKind::Accounts, "account_id") => Id,
            (TableKind::Accounts, "target_account") => Flag,
            _ => return None,
        };
        Some(t)
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
        TableKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown table kind '{s}' (expected people, events, spend, revenue, series, survey or accounts)"
                ))
            })
    }
}

/// The physical type a role is normalised to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleType {
    /// An identifier, kept as text (an integer id is its decimal text).
    Id,
    /// Free text or a dimension.
    Text,
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
    /// Arrow type after loading, as text (`Utf8`, `Timestamp(µs)`, …).
    pub data_type: String,
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
    pub quality: crate::quality::LoadQuality,
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
