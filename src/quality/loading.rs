//! What loading one file found: dropped rows, unparsed cells, ambiguous
//! dates, a subscription list's expansion. Written by the loader, kept with
//! the table, shown by `kpidash inspect`, the page and the report.

use serde::Serialize;

/// How many examples of a problem are kept.
const MAX_EXAMPLES: usize = 5;

/// One cell that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellIssue {
    /// 1-based data row.
    pub row: usize,
    /// Column header as written in the file.
    pub column: String,
    /// The text that was not understood.
    pub text: String,
}

/// What loading one file found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LoadQuality {
    /// Rows read from the file before dropping: data rows, total rows and
    /// banner lines above the header (the table has `rows_read - rows_dropped`,
    /// except a subscription list, see `subscriptions`).
    pub rows_read: usize,
    /// Rows dropped (banner lines and total rows).
    pub rows_dropped: usize,
    /// Why rows were dropped.
    pub dropped_reasons: Vec<String>,
    /// Cells that could not be parsed and were taken as null.
    pub unparsed_cells: usize,
    /// The first unparsed cells.
    pub unparsed_examples: Vec<CellIssue>,
    /// Columns whose date order (day/month) could not be told apart.
    pub ambiguous_date_columns: Vec<String>,
    /// Other notes for the user, in plain words.
    pub notes: Vec<String>,
    /// A Stripe subscription list expanded into monthly MRR snapshots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<SubscriptionExpansion>,
}

/// How a subscription list became customer-month MRR rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SubscriptionExpansion {
    /// Subscriptions in the file.
    pub subscriptions: usize,
    /// Of those, subscriptions billing in at least one month.
    pub expanded: usize,
    /// Customer-month rows they became (the table's rows).
    pub rows: usize,
    /// Subscriptions that gave no month.
    pub skipped: usize,
    /// Why, with counts (`"2 still in trial"`).
    pub skipped_reasons: Vec<String>,
    /// The last month subscriptions still billing run through (`2026-06`).
    pub last_month: String,
}

impl LoadQuality {
    /// Records one unparsed cell, keeping only the first few examples.
    pub(crate) fn unparsed(&mut self, row: usize, column: &str, text: &str) {
        self.unparsed_cells += 1;
        if self.unparsed_examples.len() < MAX_EXAMPLES {
            let text: String = text.chars().take(80).collect();
            self.unparsed_examples.push(CellIssue {
                row,
                column: column.to_owned(),
                text,
            });
        }
    }
}
