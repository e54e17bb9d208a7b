//! The normalisation pass: gives a raw table its kind and role names, and
//! converts every column to the type of its role (`roles.rs`), as the kind's
//! spec ([`crate::model::KindSpec`]) says.

use std::collections::HashSet;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type};
use arrow_array::{ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::DataType;

use super::LoadOptions;
use super::cast::as_utf8;
use super::deals;
use super::detect::{self, normalize_header};
use super::normalized::Normalized;
use super::roles::{self, Ctx};
use super::stripe;
use super::values;
use crate::error::{Error, Result};
use crate::model::kinds::Reshape;
use crate::model::{ColumnInfo, KindSpec, RoleType, TableKind};
use crate::quality::loading::LoadQuality;

/// A table as read from the file, before roles and types.
pub(crate) struct Raw {
    /// Headers as written.
    pub headers: Vec<String>,
    /// The columns, in header order.
    pub batch: RecordBatch,
    /// Row number the user sees for the first data row (file line for CSV).
    pub first_row: usize,
    /// Whether European conventions (day-first, decimal comma) are the default.
    pub european: bool,
    /// The date range a CSV banner names, for a report without a date column.
    pub date_range: Option<super::csv::DateRange>,
}

/// The headers as detection reads them ([`normalize_header`]); one that
/// normalises to nothing is `column_N` (1-based).
pub(crate) fn normalized_headers(headers: &[String]) -> Vec<String> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let n = normalize_header(h);
            if n.is_empty() {
                format!("column_{}", i + 1)
            } else {
                n
            }
        })
        .collect()
}

/// Finds the user's role for each header: by the header as written, then
/// trimmed, then normalised. Unknown roles are an error; configured headers
/// that are not in the file are noted.
pub(crate) fn forced_roles(
    file: &str,
    headers: &[String],
    norm: &[String],
    options: &LoadOptions,
    quality: &mut LoadQuality,
) -> Vec<Option<String>> {
    let mut forced = vec![None; headers.len()];
    for (header, role) in &options.columns {
        let n = normalize_header(header);
        let i = headers
            .iter()
            .position(|h| h == header)
            .or_else(|| headers.iter().position(|h| h.trim() == header.trim()))
            .or_else(|| norm.iter().position(|h| !n.is_empty() && *h == n));
        match i {
            Some(i) => forced[i] = Some(role.trim().to_owned()),
            None => quality.notes.push(format!(
                "the configuration maps column '{header}' but {file} has no such column"
            )),
        }
    }
    forced
}

/// The reshaping pass the headers call for: the first of the kind's
/// reshapes whose shape they show.
fn reshape_of(
    spec: &KindSpec,
    norm: &[String],
    roles: &[Option<String>],
    has_range: bool,
) -> Option<Reshape> {
    spec.reshapes.iter().copied().find(|r| match r {
        Reshape::StripeSubscriptions => stripe::is_subscription_list(norm, roles),
        Reshape::DealOutcome => deals::needs_outcome(roles),
        Reshape::LeadList | Reshape::WideSeries | Reshape::SpreadOverRange => {
            detect::reshape_applies(*r, norm, roles, has_range)
        }
    })
}

/// The type a column without a role takes because of the reshaping pass to
/// come (the dates of a subscription list), if any.
fn reshape_type(reshape: Option<Reshape>, header: &str) -> Option<RoleType> {
    match reshape? {
        Reshape::StripeSubscriptions => stripe::DATES.contains(&header).then_some(RoleType::Time),
        Reshape::DealOutcome
        | Reshape::LeadList
        | Reshape::WideSeries
        | Reshape::SpreadOverRange => None,
    }
}

/// Whether kpidash reads a column of this type into its model: flags,
/// integers, floats, decimals, text (plain, large, view or dictionary),
/// dates, timestamps, and columns of nulls only. Times of day, durations,
/// intervals, binary data and nested types (lists, structs, maps) are
/// refused, naming the column.
fn readable_type(t: &DataType) -> bool {
    use DataType::*;
    match t {
        Null
        | Boolean
        | Int8
        | Int16
        | Int32
        | Int64
        | UInt8
        | UInt16
        | UInt32
        | UInt64
        | Float16
        | Float32
        | Float64
        | Utf8
        | LargeUtf8
        | Utf8View
        | Date32
        | Date64
        | Timestamp(_, _)
        | Decimal32(_, _)
        | Decimal64(_, _)
        | Decimal128(_, _)
        | Decimal256(_, _) => true,
        Dictionary(_, v) => !matches!(**v, Dictionary(_, _)) && readable_type(v),
        _ => false,
    }
}

/// Assigns kind and roles and converts every column to its normalised type.
pub(crate) fn normalize(
    file: &str,
    raw: Raw,
    kind: Option<TableKind>,
    mut quality: LoadQuality,
    options: &LoadOptions,
) -> Result<Normalized> {
    let norm = normalized_headers(&raw.headers);
    let forced = forced_roles(file, &raw.headers, &norm, options, &mut quality);
    let (kind, kind_detected) = match kind {
        Some(k) => (k, false),
        None => (
            detect::detect_kind(&norm, &forced, raw.date_range.is_some()).map_err(|reason| {
                Error::UnknownKind {
                    file: file.to_owned(),
                    reason,
                }
            })?,
            true,
        ),
    };
    let spec = kind.spec();
    for (i, role) in forced.iter().enumerate() {
        if let Some(r) = role
            && !r.is_empty()
            && !spec.is_role(r)
        {
            let roles: Vec<&str> = spec.roles.iter().map(|r| r.role).collect();
            return Err(Error::Config(format!(
                "{file}: column '{}' is mapped to '{r}', which is not a role of a {kind} table (roles: {})",
                raw.headers.get(i).map_or("", String::as_str),
                roles.join(", ")
            )));
        }
    }
    for (field, header) in raw.batch.schema().fields().iter().zip(&raw.headers) {
        if !readable_type(field.data_type()) {
            return Err(Error::unreadable(
                file,
                format!(
                    "column '{header}' has type {}, which kpidash does not read",
                    field.data_type()
                ),
            ));
        }
    }
    let roles = detect::map_roles(kind, &norm, &forced);
    let placeholders = options.placeholders();
    let mut placeheld = 0usize;
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(raw.batch.num_columns());
    for (column, header) in raw.batch.columns().iter().zip(&raw.headers) {
        let (column, n) = roles::null_placeholders(column, &placeholders)
            .map_err(|e| e.in_column(file, header, raw.first_row))?;
        placeheld += n;
        columns.push(column);
    }
    if placeheld > 0 {
        quality.notes.push(format!(
            "{placeheld} cell(s) holding a placeholder ({}) read as empty",
            placeholders.join(", ")
        ));
    }
    let columns = &columns[..];
    if columns.len() != norm.len() {
        return Err(Error::unreadable(
            file,
            "the number of headers and columns differ",
        ));
    }
    let reshape = reshape_of(spec, &norm, &roles, raw.date_range.is_some());

    // The file's decimal mark, from every column that may hold numbers.
    let mut votes = (0, 0);
    for ((column, role), header) in columns.iter().zip(&roles).zip(&raw.headers) {
        let numeric = match role.as_deref() {
            None => true,
            Some(r) => spec.role_type(r) == Some(RoleType::Number),
        };
        if !numeric {
            continue;
        }
        let text = as_utf8(column).map_err(|e| e.in_column(file, header, raw.first_row))?;
        if let Some(text) = text {
            let (p, c) = values::decimal_votes(text.iter().flatten());
            votes = (votes.0 + p, votes.1 + c);
        }
    }
    let file_mark = values::decide_mark(votes);

    let mut names_used: HashSet<String> = HashSet::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut infos = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        let ctx = Ctx {
            file,
            header: &raw.headers[i],
            first_row: raw.first_row,
            european: raw.european,
            file_mark,
        };
        let mut role = roles[i].clone();
        let mut name = role.clone().unwrap_or_else(|| norm[i].clone());
        let role_type = match role.as_deref() {
            Some(r) => spec.role_type(r),
            None => reshape_type(reshape, &norm[i]),
        };
        let mut array = roles::convert(role_type, column, &norm[i], &ctx, &mut quality)?;
        // A role in other units (`cost_micros`) becomes the role it stands for.
        if let Some(scaled) = role.as_deref().and_then(|r| spec.role(r)?.scaled) {
            array = Arc::new(
                array
                    .as_primitive::<Float64Type>()
                    .unary::<_, Float64Type>(|v| v / scaled.divisor),
            );
            name = scaled.into.to_owned();
            role = Some(scaled.into.to_owned());
        }
        if spec.channel.is_some() && role.as_deref() == spec.channel {
            array = roles::to_channel(&array, &options.channels, &ctx)?;
        }
        while !names_used.insert(name.clone()) {
            name.push('_');
        }
        infos.push(ColumnInfo::new(
            raw.headers[i].clone(),
            name,
            role,
            array.data_type(),
        ));
        arrays.push(array);
    }

    if let Some(column) = spec.channel
        && !names_used.contains(column)
        && let Some(channel) = detect::platform_channel(kind, &norm)
    {
        let channel = roles::platform_channel(channel, &options.channels);
        let n = raw.batch.num_rows();
        let keys = Int32Array::from(vec![0; n]);
        let dict = DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::new(StringArray::from(vec![channel.as_str()])),
        )
        .map_err(|e| Error::unreadable(file, e))?;
        let array: ArrayRef = Arc::new(dict);
        quality.notes.push(format!(
            "no channel column: every row takes the platform's channel '{channel}'"
        ));
        infos.push(ColumnInfo::new(
            String::new(),
            column.to_owned(),
            Some(column.to_owned()),
            array.data_type(),
        ));
        arrays.push(array);
    }

    Ok(Normalized {
        kind,
        kind_detected,
        infos,
        arrays,
        rows: raw.batch.num_rows(),
        first_row: raw.first_row,
        quality,
        reshape,
        date_range: raw.date_range,
    })
}
