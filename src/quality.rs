//! Data-quality findings: what loading and computing found wrong or odd.

use serde::Serialize;

/// How many examples of a problem are kept.
pub const MAX_EXAMPLES: usize = 5;

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
    /// banner lines above the header (the table has `rows_read - rows_dropped`).
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
}

impl LoadQuality {
    /// Records one unparsed cell, keeping only the first few examples.
    pub fn unparsed(&mut self, row: usize, column: &str, text: &str) {
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
