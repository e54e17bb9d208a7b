//! A description of a loaded file, for the page and `kpidash inspect`.

use serde::Serialize;

use crate::model::{ColumnInfo, Table, TableKind};
use crate::quality::LoadQuality;

/// What a person sees of one loaded file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileInfo {
    /// File name.
    pub name: String,
    /// Table kind.
    pub kind: TableKind,
    /// Whether the kind was detected rather than named by the user.
    pub kind_detected: bool,
    /// Rows kept.
    pub rows: usize,
    /// How each column was understood.
    pub columns: Vec<ColumnInfo>,
    /// What loading found.
    pub quality: LoadQuality,
}

impl From<&Table> for FileInfo {
    fn from(t: &Table) -> Self {
        FileInfo {
            name: t.file.clone(),
            kind: t.kind,
            kind_detected: t.kind_detected,
            rows: t.rows(),
            columns: t.columns.clone(),
            quality: t.quality.clone(),
        }
    }
}

impl FileInfo {
    /// A plain-text description for the terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let how = if self.kind_detected {
            "detected"
        } else {
            "given"
        };
        let _ = writeln!(
            s,
            "{}: {} table ({how}), {} rows",
            self.name, self.kind, self.rows
        );
        let width = self
            .columns
            .iter()
            .map(|c| c.source.len())
            .max()
            .unwrap_or(0);
        for c in &self.columns {
            let role = c
                .role
                .as_deref()
                .map(|r| format!("→ {r}"))
                .unwrap_or_default();
            let source = if c.source.is_empty() {
                "(added)"
            } else {
                c.source.as_str()
            };
            let _ = writeln!(s, "  {source:width$}  {:18} {role}", c.data_type);
        }
        let q = &self.quality;
        if q.rows_dropped > 0 {
            let _ = writeln!(
                s,
                "  dropped {} rows: {}",
                q.rows_dropped,
                q.dropped_reasons.join("; ")
            );
        }
        if q.unparsed_cells > 0 {
            let _ = writeln!(s, "  {} cells not understood, e.g.:", q.unparsed_cells);
            for e in &q.unparsed_examples {
                let _ = writeln!(s, "    row {}, column '{}': '{}'", e.row, e.column, e.text);
            }
        }
        for n in &q.notes {
            let _ = writeln!(s, "  note: {n}");
        }
        s
    }
}
