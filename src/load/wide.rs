//! A wide series — a date column and one column per metric, as Search
//! Console (`Date, Clicks, Impressions, CTR, Position`) and GA4 (`Date,
//! Sessions, Engaged sessions, Total users`) export them — becomes the
//! series table's long format: one row per date and metric
//! (`docs/data-model.md`, series).
//!
//! Every number column is a metric, named by [`metric_name`]: the catalog's
//! series names for the ones it knows (`Total users` → `visitors`), else the
//! normalised header. Empty cells give no row. Other columns (text) are left
//! out, and a note names them.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, StringArray};
use arrow_schema::DataType;

use super::normalized::Normalized;
use super::pick;
use crate::error::{Error, Result};
use crate::model::ColumnInfo;

/// The series name of a metric column (its normalised header): the
/// catalog's names for the metrics GA4 and Search Console export.
pub(super) fn metric_name(header: &str) -> &str {
    match header {
        "sessions" => "sessions",
        "engaged_sessions" => "engaged_sessions",
        "total_users" | "users" | "active_users" | "visitors" | "unique_visitors" => "visitors",
        other => other,
    }
}

/// Melts the metric columns of a wide series into `metric` and `value`.
pub(super) fn melt(file: &str, t: &mut Normalized) -> Result<()> {
    let Some(date) = t
        .infos
        .iter()
        .position(|c| c.role.as_deref() == Some("date"))
    else {
        return Err(Error::unreadable(file, "a wide series needs a date column"));
    };
    let mut metrics = Vec::new();
    let mut left_out = Vec::new();
    for (i, (info, array)) in t.infos.iter().zip(&t.arrays).enumerate() {
        if i == date || info.role.is_some() {
            continue;
        }
        if array.data_type() == &DataType::Float64 {
            metrics.push(i);
        } else {
            left_out.push(info.source.clone());
        }
    }
    if metrics.is_empty() {
        return Err(Error::UnknownKind {
            file: file.to_owned(),
            reason: "not recognised: a date column and no number columns beside it".to_owned(),
        });
    }
    let mut rows = Vec::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    for &m in &metrics {
        let v = t.arrays[m].as_primitive::<Float64Type>();
        let name = metric_name(&t.infos[m].name).to_owned();
        for r in 0..t.rows {
            if v.is_valid(r) {
                rows.push(r);
                names.push(name.clone());
                values.push(v.value(r));
            }
        }
    }
    let dates = pick::rows(t.arrays[date].as_ref(), rows.iter().copied())
        .map_err(|e| Error::unreadable(file, e))?;
    let metric: ArrayRef = Arc::new(StringArray::from(names));
    let value: ArrayRef = Arc::new(Float64Array::from(values));
    let shown: Vec<String> = metrics.iter().map(|&m| t.infos[m].source.clone()).collect();
    let mut infos = vec![t.infos[date].clone()];
    infos.push(ColumnInfo::new(
        String::new(),
        "metric".to_owned(),
        Some("metric".to_owned()),
        metric.data_type(),
    ));
    infos.push(ColumnInfo::new(
        String::new(),
        "value".to_owned(),
        Some("value".to_owned()),
        value.data_type(),
    ));
    t.quality.notes.push(format!(
        "a date column beside metric columns: read as a series, one metric per column ({})",
        shown.join(", ")
    ));
    if !left_out.is_empty() {
        t.quality.notes.push(format!(
            "columns left out of the series (not numbers): {}",
            left_out.join(", ")
        ));
    }
    t.rows = rows.len();
    t.infos = infos;
    t.arrays = vec![dates, metric, value];
    Ok(())
}
