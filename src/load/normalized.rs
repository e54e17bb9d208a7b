//! A table whose columns have their roles and normalised types: what the
//! normalisation pass produces and the reshaping passes (`stripe.rs`) read,
//! before the checks that make it a [`Table`].

use std::collections::HashSet;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{Field, Schema};

use crate::error::{Error, Result};
use crate::model::kinds::Reshape;
use crate::model::{ColumnInfo, Table, TableKind};
use crate::quality::loading::LoadQuality;

/// A table whose columns have their roles and normalised types: what the
/// reshaping passes read, before the checks that make it a [`Table`].
pub(crate) struct Normalized {
    /// What the table describes.
    pub kind: TableKind,
    /// Whether the kind was detected.
    pub kind_detected: bool,
    /// How each column was understood, one per column.
    pub infos: Vec<ColumnInfo>,
    /// The columns.
    pub arrays: Vec<ArrayRef>,
    /// Rows of every column.
    pub rows: usize,
    /// Row number the user sees for the first data row.
    pub first_row: usize,
    /// What loading found so far.
    pub quality: LoadQuality,
    /// The reshaping pass the table's shape calls for, if any.
    pub reshape: Option<Reshape>,
    /// The date range a CSV banner names, if any.
    pub date_range: Option<super::csv::DateRange>,
}

impl Normalized {
    /// The loaded table, once it has the roles its kind requires.
    pub fn into_table(self, file: &str) -> Result<Table> {
        let names: HashSet<&str> = self.infos.iter().map(|c| c.name.as_str()).collect();
        if let Some(role) = self.kind.spec().required().find(|r| !names.contains(r)) {
            return Err(Error::MissingColumn {
                file: file.to_owned(),
                kind: self.kind.to_string(),
                role: role.to_owned(),
            });
        }
        let fields: Vec<Field> = self
            .infos
            .iter()
            .zip(&self.arrays)
            .map(|(c, a)| Field::new(c.name.clone(), a.data_type().clone(), true))
            .collect();
        let batch = RecordBatch::try_new_with_options(
            Arc::new(Schema::new(fields)),
            self.arrays,
            &arrow_array::RecordBatchOptions::new().with_row_count(Some(self.rows)),
        )
        .map_err(|e| Error::unreadable(file, e))?;
        Ok(Table {
            file: file.to_owned(),
            kind: self.kind,
            kind_detected: self.kind_detected,
            batch,
            columns: self.infos,
            quality: self.quality,
        })
    }
}
