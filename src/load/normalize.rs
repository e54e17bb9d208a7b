//! Gives a raw table its kind, role names and normalised types.

use std::collections::HashSet;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int32Array, RecordBatch,
    StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use super::detect::{self, normalize_header};
use super::values::{self, DateOrder, DecimalMark, OrderEvidence};
use crate::error::{Error, Result};
use crate::model::{ColumnInfo, RoleType, Table, TableKind};
use crate::quality::LoadQuality;

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
}

/// What converting one column needs to know for messages.
struct Ctx<'a> {
    header: &'a str,
    first_row: usize,
    european: bool,
}

/// Assigns kind and roles and converts every column to its normalised type.
pub(crate) fn normalize(
    file: &str,
    raw: Raw,
    kind: Option<TableKind>,
    mut quality: LoadQuality,
) -> Result<Table> {
    let norm: Vec<String> = raw
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let n = normalize_header(h);
            if n.is_empty() { format!("column_{}", i + 1) } else { n }
        })
        .collect();
    let (kind, kind_detected) = match kind {
        Some(k) => (k, false),
        None => (
            detect::detect_kind(&norm).map_err(|reason| Error::UnknownKind {
                file: file.to_owned(),
                reason,
            })?,
            true,
        ),
    };
    let roles = detect::map_roles(kind, &norm);

    let mut names_used: HashSet<String> = HashSet::new();
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut infos = Vec::new();
    for (i, column) in raw.batch.columns().iter().enumerate() {
        let ctx = Ctx {
            header: &raw.headers[i],
            first_row: raw.first_row,
            european: raw.european,
        };
        let (mut name, role) = match roles[i] {
            Some("task_*") | None => (norm[i].clone(), roles[i].map(|_| norm[i].clone())),
            Some(r) => (r.to_owned(), Some(r.to_owned())),
        };
        let role_type = match role.as_deref() {
            Some("cost_micros") => Some(RoleType::Number),
            Some(r) => kind.role_type(r),
            None => None,
        };
        let mut array = match role_type {
            Some(RoleType::Time) => to_time(column, &ctx, &mut quality)?,
            Some(RoleType::Number) => to_number(column, &ctx, &mut quality)?,
            Some(RoleType::Flag) => to_flag(column, &ctx, &mut quality)?,
            Some(RoleType::Id) => to_id(column)?,
            Some(RoleType::Text) => to_text(column)?,
            Some(RoleType::Task) => to_task(column, &ctx, &mut quality)?,
            None => to_dimension(column)?,
        };
        if role.as_deref() == Some("cost_micros") {
            array = Arc::new(
                array
                    .as_primitive::<Float64Type>()
                    .unary::<_, Float64Type>(|v| v / 1e6),
            );
            name = "cost".to_owned();
        }
        let is_channel = matches!(
            (kind, role.as_deref()),
            (TableKind::People, Some("source"))
                | (TableKind::Spend | TableKind::Revenue, Some("channel"))
        );
        if is_channel {
            array = map_text(&array, |v| detect::standard_channel(v).map(str::to_owned))?;
        }
        while !names_used.insert(name.clone()) {
            name.push('_');
        }
        infos.push(ColumnInfo {
            source: raw.headers[i].clone(),
            name: name.clone(),
            role: if name == "cost" && role.as_deref() == Some("cost_micros") {
                Some("cost".to_owned())
            } else {
                role.filter(|_| role_type.is_some())
            },
            data_type: type_label(array.data_type()),
        });
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }

    if kind == TableKind::Spend && !names_used.contains("channel") {
        if let Some(channel) = detect::platform_channel(&norm) {
            let n = raw.batch.num_rows();
            let keys = Int32Array::from(vec![0; n]);
            let dict = DictionaryArray::<Int32Type>::try_new(
                keys,
                Arc::new(StringArray::from(vec![channel])),
            )
            .map_err(|e| Error::unreadable(file, e))?;
            let array: ArrayRef = Arc::new(dict);
            quality.notes.push(format!(
                "no channel column: every row takes the platform's channel '{channel}'"
            ));
            infos.push(ColumnInfo {
                source: String::new(),
                name: "channel".to_owned(),
                role: Some("channel".to_owned()),
                data_type: type_label(array.data_type()),
            });
            fields.push(Field::new("channel", array.data_type().clone(), true));
            arrays.push(array);
            names_used.insert("channel".to_owned());
        }
    }

    for role in kind.required_roles() {
        if !names_used.contains(*role) {
            return Err(Error::MissingColumn {
                file: file.to_owned(),
                kind: kind.to_string(),
                role: (*role).to_owned(),
            });
        }
    }

    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new_with_options(
        schema,
        arrays,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(raw.batch.num_rows())),
    )
    .map_err(|e| Error::unreadable(file, e))?;
    Ok(Table {
        file: file.to_owned(),
        kind,
        kind_detected,
        batch,
        columns: infos,
        quality,
    })
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

fn cast(array: &ArrayRef, to: &DataType) -> Result<ArrayRef> {
    arrow_cast::cast(array, to).map_err(|e| Error::Invalid(e.to_string()))
}

/// Any string-like column (Utf8, LargeUtf8, Utf8View, dictionaries of them)
/// as plain Utf8; `None` for other types.
fn as_utf8(array: &ArrayRef) -> Result<Option<StringArray>> {
    let utf8 = match array.data_type() {
        DataType::Utf8 => array.clone(),
        DataType::LargeUtf8 | DataType::Utf8View => cast(array, &DataType::Utf8)?,
        DataType::Dictionary(_, v)
            if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
        {
            cast(array, &DataType::Utf8)?
        }
        _ => return Ok(None),
    };
    Ok(Some(utf8.as_string::<i32>().clone()))
}

/// Text for ids and dimensions: strings stay strings (dictionaries stay
/// dictionaries), integers become their decimal text, integral floats too.
fn to_text(array: &ArrayRef) -> Result<ArrayRef> {
    Ok(match array.data_type() {
        DataType::Utf8 => array.clone(),
        DataType::Dictionary(_, v)
            if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
        {
            cast(
                array,
                &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            )
            .or_else(|_| cast(array, &DataType::Utf8))?
        }
        DataType::LargeUtf8 | DataType::Utf8View => cast(array, &DataType::Utf8)?,
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let f = cast(array, &DataType::Float64)?;
            let f = f.as_primitive::<Float64Type>();
            let texts: StringArray = f
                .iter()
                .map(|v| {
                    v.map(|x| {
                        if x.fract() == 0.0 && x.abs() < 9.0e15 {
                            format!("{}", x as i64)
                        } else {
                            x.to_string()
                        }
                    })
                })
                .collect();
            Arc::new(texts)
        }
        _ => cast(array, &DataType::Utf8)?,
    })
}

/// Ids: text, trimmed of surrounding white space.
fn to_id(array: &ArrayRef) -> Result<ArrayRef> {
    let text = to_text(array)?;
    map_text(&text, |v| {
        let t = v.trim();
        (t.len() != v.len()).then(|| t.to_owned())
    })
}

/// Dimensions: string-like columns as text; other types kept as they are.
fn to_dimension(array: &ArrayRef) -> Result<ArrayRef> {
    match array.data_type() {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Dictionary(_, _) => to_text(array),
        _ => Ok(array.clone()),
    }
}

/// Replaces text values where `f` returns a replacement, for Utf8 and
/// dictionary columns (the dictionary is mapped, not every row).
fn map_text(array: &ArrayRef, f: impl Fn(&str) -> Option<String>) -> Result<ArrayRef> {
    let map_strings = |s: &StringArray| -> StringArray {
        s.iter()
            .map(|v| v.map(|x| f(x).unwrap_or_else(|| x.to_owned())))
            .collect()
    };
    Ok(match array.data_type() {
        DataType::Utf8 => Arc::new(map_strings(array.as_string::<i32>())),
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = array.as_dictionary::<Int32Type>();
            let values = map_strings(d.values().as_string::<i32>());
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(d.keys().clone(), Arc::new(values))
                    .map_err(|e| Error::Invalid(e.to_string()))?,
            )
        }
        _ => array.clone(),
    })
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Times as microseconds: dates and naive timestamps as wall-clock time,
/// zoned timestamps as UTC instants; text parsed in the formats exports use.
fn to_time(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    let wall = |v: TimestampMicrosecondArray| -> ArrayRef { Arc::new(v) };
    let utc = |v: TimestampMicrosecondArray| -> ArrayRef { Arc::new(v.with_timezone("UTC")) };
    Ok(match array.data_type() {
        DataType::Date32 => wall(
            array
                .as_primitive::<Date32Type>()
                .unary(|d| d as i64 * MICROS_PER_DAY),
        ),
        DataType::Date64 => wall(array.as_primitive::<Date64Type>().unary(|ms| ms * 1000)),
        DataType::Timestamp(unit, tz) => {
            let v: TimestampMicrosecondArray = match unit {
                TimeUnit::Second => array
                    .as_primitive::<TimestampSecondType>()
                    .unary(|s| s.saturating_mul(1_000_000)),
                TimeUnit::Millisecond => array
                    .as_primitive::<TimestampMillisecondType>()
                    .unary(|s| s.saturating_mul(1000)),
                TimeUnit::Microsecond => array
                    .as_primitive::<TimestampMicrosecondType>()
                    .unary(|s| s),
                TimeUnit::Nanosecond => array
                    .as_primitive::<TimestampNanosecondType>()
                    .unary(|s| s.div_euclid(1000)),
            };
            if tz.is_some() { utc(v) } else { wall(v) }
        }
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => {
            // Epoch numbers: seconds, or milliseconds when that large.
            let i = cast(array, &DataType::Int64)?;
            let i = i.as_primitive::<Int64Type>();
            let ms = i.iter().flatten().any(|v| v.abs() > 100_000_000_000);
            quality.notes.push(format!(
                "column '{}' holds numbers; read as Unix time in {}",
                ctx.header,
                if ms { "milliseconds" } else { "seconds" }
            ));
            utc(i.unary(|v| v.saturating_mul(if ms { 1000 } else { 1_000_000 })))
        }
        _ => {
            let Some(text) = as_utf8(array)? else {
                return Err(Error::Invalid(format!(
                    "column '{}' has type {} where a date or time is needed",
                    ctx.header,
                    array.data_type()
                )));
            };
            parse_time_column(&text, ctx, quality)
        }
    })
}

fn parse_time_column(text: &StringArray, ctx: &Ctx, quality: &mut LoadQuality) -> ArrayRef {
    let order = match values::date_order_evidence(text.iter().flatten()) {
        OrderEvidence::DayFirst => DateOrder::DayFirst,
        OrderEvidence::MonthFirst => DateOrder::MonthFirst,
        OrderEvidence::NotNeeded => DateOrder::MonthFirst,
        OrderEvidence::Ambiguous => {
            let guess = if ctx.european { DateOrder::DayFirst } else { DateOrder::MonthFirst };
            quality.ambiguous_date_columns.push(ctx.header.to_owned());
            quality.notes.push(format!(
                "column '{}': day and month cannot be told apart; read as {}",
                ctx.header,
                if guess == DateOrder::DayFirst { "day/month/year" } else { "month/day/year" }
            ));
            guess
        }
    };
    let mut with_offset = 0usize;
    let mut without = 0usize;
    let mut out: Vec<Option<i64>> = Vec::with_capacity(text.len());
    for (i, v) in text.iter().enumerate() {
        let parsed = match v {
            None => None,
            Some(s) if values::is_null_text(s) => None,
            Some(s) => match values::parse_time(s, order) {
                Some(p) => {
                    if p.has_offset {
                        with_offset += 1;
                    } else {
                        without += 1;
                    }
                    Some(p.micros)
                }
                None => {
                    quality.unparsed(ctx.first_row + i, ctx.header, s);
                    None
                }
            },
        };
        out.push(parsed);
    }
    let array = TimestampMicrosecondArray::from(out);
    if with_offset > without {
        Arc::new(array.with_timezone("UTC"))
    } else {
        Arc::new(array)
    }
}

/// Amounts and counts as Float64.
fn to_number(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    if array.data_type().is_numeric() {
        return cast(array, &DataType::Float64);
    }
    if array.data_type() == &DataType::Boolean {
        return cast(array, &DataType::Float64);
    }
    let Some(text) = as_utf8(array)? else {
        return Err(Error::Invalid(format!(
            "column '{}' has type {} where a number is needed",
            ctx.header,
            array.data_type()
        )));
    };
    let mark = match values::guess_decimal_mark(text.iter().flatten()) {
        DecimalMark::Point if ctx.european && !text.iter().flatten().any(|v| v.contains(',')) => {
            if text.iter().flatten().any(|v| v.contains('.')) {
                // "1.234" in a semicolon file: a thousands point.
                DecimalMark::Comma
            } else {
                DecimalMark::Point
            }
        }
        m => m,
    };
    let out: Float64Array = text
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => None,
            Some(s) if values::is_null_text(s) => None,
            Some(s) => {
                let n = values::parse_number(s, mark);
                if n.is_none() {
                    quality.unparsed(ctx.first_row + i, ctx.header, s);
                }
                n
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// Flags as Boolean.
fn to_flag(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    if array.data_type() == &DataType::Boolean {
        return Ok(array.clone());
    }
    if array.data_type().is_numeric() {
        let f = cast(array, &DataType::Float64)?;
        let b: BooleanArray = f
            .as_primitive::<Float64Type>()
            .iter()
            .map(|v| v.map(|x| x != 0.0))
            .collect();
        return Ok(Arc::new(b));
    }
    let Some(text) = as_utf8(array)? else {
        return Err(Error::Invalid(format!(
            "column '{}' has type {} where true/false is needed",
            ctx.header,
            array.data_type()
        )));
    };
    let out: BooleanArray = text
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => None,
            Some(s) if values::is_null_text(s) => None,
            Some(s) => {
                let b = values::parse_bool(s);
                if b.is_none() {
                    quality.unparsed(ctx.first_row + i, ctx.header, s);
                }
                b
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// `task_*` columns: flags when they hold true/false, times otherwise.
fn to_task(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    let dt = array.data_type();
    if dt == &DataType::Boolean || dt.is_numeric() {
        return to_flag(array, ctx, quality);
    }
    if let Some(text) = as_utf8(array)? {
        let mut flags = 0usize;
        let mut others = 0usize;
        for v in text.iter().flatten().filter(|v| !values::is_null_text(v)).take(1000) {
            if values::parse_bool(v).is_some() {
                flags += 1;
            } else {
                others += 1;
            }
        }
        if flags > others {
            return to_flag(array, ctx, quality);
        }
    }
    to_time(array, ctx, quality)
}
