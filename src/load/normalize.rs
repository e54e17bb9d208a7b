//! Gives a raw table its kind, role names and normalised types.

use std::collections::{BTreeMap, HashSet};
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

use super::LoadOptions;
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
    /// The decimal mark most number-like values of the file name, if any.
    file_mark: Option<DecimalMark>,
}

/// Finds the user's role for each header: by the header as written, then
/// trimmed, then normalised. Unknown roles are an error; configured headers
/// that are not in the file are noted.
fn forced_roles(
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

/// Assigns kind and roles and converts every column to its normalised type.
pub(crate) fn normalize(
    file: &str,
    raw: Raw,
    kind: Option<TableKind>,
    mut quality: LoadQuality,
    options: &LoadOptions,
) -> Result<Table> {
    let norm: Vec<String> = raw
        .headers
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
        .collect();
    let forced = forced_roles(file, &raw.headers, &norm, options, &mut quality);
    let (kind, kind_detected) = match kind {
        Some(k) => (k, false),
        None => (
            detect::detect_kind_with(&norm, &forced).map_err(|reason| Error::UnknownKind {
                file: file.to_owned(),
                reason,
            })?,
            true,
        ),
    };
    for (i, role) in forced.iter().enumerate() {
        if let Some(r) = role
            && !r.is_empty()
            && !detect::is_role(kind, r)
        {
            return Err(Error::Config(format!(
                "{file}: column '{}' is mapped to '{r}', which is not a role of a {kind} table (roles: {})",
                raw.headers.get(i).map_or("", String::as_str),
                detect::canonical_roles(kind).join(", ")
            )));
        }
    }
    let roles = detect::map_roles_with(kind, &norm, &forced);
    let columns = raw.batch.columns();
    if columns.len() != norm.len() {
        return Err(Error::unreadable(
            file,
            "the number of headers and columns differ",
        ));
    }

    // The file's decimal mark, from every column that may hold numbers.
    let mut votes = (0, 0);
    for (column, role) in columns.iter().zip(&roles) {
        let numeric = match role.as_deref() {
            None => true,
            Some("cost_micros") => true,
            Some(r) => kind.role_type(r) == Some(RoleType::Number),
        };
        if numeric && let Some(text) = as_utf8(column)? {
            let (p, c) = values::decimal_votes(text.iter().flatten());
            votes = (votes.0 + p, votes.1 + c);
        }
    }
    let file_mark = values::decide_mark(votes);

    let mut names_used: HashSet<String> = HashSet::new();
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut infos = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        let ctx = Ctx {
            header: &raw.headers[i],
            first_row: raw.first_row,
            european: raw.european,
            file_mark,
        };
        let role = roles[i].clone();
        let mut name = role.clone().unwrap_or_else(|| norm[i].clone());
        let role_type = match role.as_deref() {
            Some("cost_micros") => Some(RoleType::Number),
            Some(r) => kind.role_type(r),
            None => None,
        };
        let mut array = match role_type {
            Some(RoleType::Time) => to_time(column, &ctx, &mut quality)?,
            Some(RoleType::Number) => to_number(column, &ctx, &mut quality)?,
            Some(RoleType::Flag) => to_flag(column, &ctx, &mut quality)?,
            Some(RoleType::Id) => null_spellings(&to_id(column)?)?,
            Some(RoleType::Text) => null_spellings(&to_text(column)?)?,
            Some(RoleType::Task) => to_task(column, &ctx, &mut quality)?,
            None if role.is_some() => null_spellings(&to_dimension(column)?)?,
            None => to_unmapped(column, &norm[i], &ctx, &mut quality)?,
        };
        let mut role = role;
        if role.as_deref() == Some("cost_micros") {
            array = Arc::new(
                array
                    .as_primitive::<Float64Type>()
                    .unary::<_, Float64Type>(|v| v / 1e6),
            );
            name = "cost".to_owned();
            role = Some("cost".to_owned());
        }
        let is_channel = matches!(
            (kind, role.as_deref()),
            (TableKind::People, Some("source"))
                | (TableKind::Spend | TableKind::Revenue, Some("channel"))
        );
        if is_channel {
            array = map_text(&array, |v| channel_of(v, &options.channels))?;
        }
        while !names_used.insert(name.clone()) {
            name.push('_');
        }
        infos.push(ColumnInfo {
            source: raw.headers[i].clone(),
            name: name.clone(),
            role,
            data_type: type_label(array.data_type()),
        });
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }

    if kind == TableKind::Spend
        && !names_used.contains("channel")
        && let Some(channel) = detect::platform_channel(&norm)
    {
        let channel = channel_of(channel, &options.channels).unwrap_or_else(|| channel.to_owned());
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

    if kind == TableKind::Revenue {
        stripe_mrr(&mut arrays, &infos, &mut quality)?;
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

/// A channel value in the shared vocabulary: the user's mapping of the value
/// as written, else the standard mapping (then the user's mapping of that);
/// `None` keeps the value.
fn channel_of(value: &str, user: &BTreeMap<String, String>) -> Option<String> {
    if let Some(c) = user.get(value).or_else(|| user.get(value.trim())) {
        return Some(c.clone());
    }
    let standard = detect::standard_channel(value)?;
    Some(
        user.get(standard)
            .cloned()
            .unwrap_or_else(|| standard.to_owned()),
    )
}

/// Stripe subscription lists (an `Interval` column next to `Amount` read as
/// mrr): the amount per billing interval times `Quantity`, as a monthly
/// amount (year ÷ 12, week × 52 ÷ 12, day × 365 ÷ 12). Each subscription
/// stays one row, in the month it started.
fn stripe_mrr(
    arrays: &mut [ArrayRef],
    infos: &[ColumnInfo],
    quality: &mut LoadQuality,
) -> Result<()> {
    let position = |f: &dyn Fn(&ColumnInfo) -> bool| infos.iter().position(f);
    let Some(mrr) =
        position(&|c| c.role.as_deref() == Some("mrr") && normalize_header(&c.source) == "amount")
    else {
        return Ok(());
    };
    let Some(interval) = position(&|c| c.role.is_none() && c.name == "interval") else {
        return Ok(());
    };
    let quantity = position(&|c| c.role.is_none() && c.name == "quantity");
    let (Some(amount), Some(interval)) = (arrays.get(mrr), arrays.get(interval)) else {
        return Ok(());
    };
    let Some(interval) = as_utf8(interval)? else {
        return Ok(());
    };
    let quantity = match quantity.and_then(|q| arrays.get(q)) {
        Some(q) if q.data_type() == &DataType::Float64 => {
            Some(q.as_primitive::<Float64Type>().clone())
        }
        _ => None,
    };
    let amount = amount.as_primitive::<Float64Type>();
    let mut unknown = 0usize;
    let out: Float64Array = (0..amount.len())
        .map(|r| {
            let a = amount.is_valid(r).then(|| amount.value(r))?;
            let q = match &quantity {
                Some(q) if q.is_valid(r) => q.value(r),
                _ => 1.0,
            };
            let per_month = match interval
                .is_valid(r)
                .then(|| interval.value(r).trim().to_ascii_lowercase())
                .as_deref()
            {
                Some("month") | Some("monthly") => 1.0,
                Some("year") | Some("yearly") | Some("annual") => 1.0 / 12.0,
                Some("week") | Some("weekly") => 52.0 / 12.0,
                Some("day") | Some("daily") => 365.0 / 12.0,
                _ => {
                    unknown += 1;
                    1.0
                }
            };
            Some(a * q * per_month)
        })
        .collect();
    if let Some(slot) = arrays.get_mut(mrr) {
        *slot = Arc::new(out);
    }
    quality.notes.push(
        "a Stripe subscription list, not monthly snapshots: mrr is Amount × Quantity per month \
         (yearly ÷ 12, weekly × 52 ÷ 12) and each subscription counts once, in the month it \
         started; cancellations are not applied. Export MRR per customer and month for churn \
         and expansion KPIs"
            .to_owned(),
    );
    if unknown > 0 {
        quality.notes.push(format!(
            "{unknown} subscription(s) with an unknown billing interval were read as monthly"
        ));
    }
    Ok(())
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
            if matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
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
            if matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
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
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) => {
            to_text(array)
        }
        _ => Ok(array.clone()),
    }
}

/// Replaces text values where `f` returns a replacement, for Utf8 and
/// dictionary columns (the dictionary is mapped, not every row). A column
/// where nothing changes is returned as it is, without a copy.
fn map_text(array: &ArrayRef, f: impl Fn(&str) -> Option<String>) -> Result<ArrayRef> {
    let map_strings = |s: &StringArray| -> Option<StringArray> {
        let first = s.iter().position(|v| v.is_some_and(|x| f(x).is_some()))?;
        let mut out =
            arrow_array::builder::StringBuilder::with_capacity(s.len(), s.value_data().len());
        for (i, v) in s.iter().enumerate() {
            match v {
                None => out.append_null(),
                Some(x) if i >= first => match f(x) {
                    Some(y) => out.append_value(y),
                    None => out.append_value(x),
                },
                Some(x) => out.append_value(x),
            }
        }
        Some(out.finish())
    };
    Ok(match array.data_type() {
        DataType::Utf8 => match map_strings(array.as_string::<i32>()) {
            Some(mapped) => Arc::new(mapped),
            None => array.clone(),
        },
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = array.as_dictionary::<Int32Type>();
            match map_strings(d.values().as_string::<i32>()) {
                Some(values) => Arc::new(
                    DictionaryArray::<Int32Type>::try_new(d.keys().clone(), Arc::new(values))
                        .map_err(|e| Error::Invalid(e.to_string()))?,
                ),
                None => array.clone(),
            }
        }
        _ => array.clone(),
    })
}

/// Text that spells "no value" (`N/A`, `null`, `--`, empty) becomes null, in
/// Utf8 and dictionary columns. The text data is shared, not copied: only the
/// validity changes, and a column without such text is returned as it is.
fn null_spellings(array: &ArrayRef) -> Result<ArrayRef> {
    fn nulled(s: &StringArray) -> Option<arrow_buffer::NullBuffer> {
        let spelled = |i: usize| s.is_valid(i) && values::is_null_text(s.value(i));
        if !(0..s.len()).any(spelled) {
            return None;
        }
        let keep: arrow_buffer::BooleanBuffer =
            (0..s.len()).map(|i| s.is_valid(i) && !spelled(i)).collect();
        Some(arrow_buffer::NullBuffer::new(keep))
    }
    Ok(match array.data_type() {
        DataType::Utf8 => {
            let s = array.as_string::<i32>();
            match nulled(s) {
                Some(nulls) => Arc::new(
                    StringArray::try_new(s.offsets().clone(), s.values().clone(), Some(nulls))
                        .map_err(|e| Error::Invalid(e.to_string()))?,
                ),
                None => array.clone(),
            }
        }
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = array.as_dictionary::<Int32Type>();
            let values = d.values().as_string::<i32>();
            let Some(value_nulls) = nulled(values) else {
                return Ok(array.clone());
            };
            let keys = d.keys();
            let keep: arrow_buffer::BooleanBuffer = keys
                .iter()
                .map(|k| {
                    k.and_then(|k| usize::try_from(k).ok())
                        .is_some_and(|k| k < value_nulls.len() && value_nulls.is_valid(k))
                })
                .collect();
            let keys = Int32Array::new(
                keys.values().clone(),
                Some(arrow_buffer::NullBuffer::new(keep)),
            );
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(keys, d.values().clone())
                    .map_err(|e| Error::Invalid(e.to_string()))?,
            )
        }
        _ => array.clone(),
    })
}

/// Headers of unmapped columns that hold codes, never amounts, even when
/// their values are digits.
fn looks_like_code(header: &str) -> bool {
    header.split('_').any(|w| {
        matches!(
            w,
            "id" | "code"
                | "zip"
                | "postal"
                | "postcode"
                | "phone"
                | "mobile"
                | "fax"
                | "sku"
                | "number"
                | "no"
        )
    })
}

/// A column without a role: text with null spellings as null, or Float64
/// when every value that is not a null spelling reads as a number (`2.51%`,
/// `1,234`, `€ 12,50`) and none is a date or a code with leading zeros.
fn to_unmapped(
    array: &ArrayRef,
    header: &str,
    ctx: &Ctx,
    quality: &mut LoadQuality,
) -> Result<ArrayRef> {
    let text = null_spellings(&to_dimension(array)?)?;
    if looks_like_code(header) {
        return Ok(text);
    }
    let Some(utf8) = as_utf8(&text)? else {
        return Ok(text);
    };
    let mark = column_mark(&utf8, ctx);
    let mut seen = 0usize;
    for v in utf8.iter().flatten() {
        let t = v.trim();
        let leading_zero = t.len() > 1
            && t.starts_with('0')
            && t.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
        if leading_zero
            || values::parse_number(t, mark).is_none()
            || values::parse_time(t, DateOrder::MonthFirst).is_some()
        {
            return Ok(text);
        }
        seen += 1;
    }
    if seen == 0 {
        return Ok(text);
    }
    to_number(&text, ctx, quality)
}

/// The decimal mark of a text column: its own values' evidence, else the
/// file's, else the file's convention (decimal comma in `;` files).
fn column_mark(text: &StringArray, ctx: &Ctx) -> DecimalMark {
    values::decide_mark(values::decimal_votes(text.iter().flatten()))
        .or(ctx.file_mark)
        .unwrap_or(if ctx.european {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
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
                .unary(|d| (d as i64).saturating_mul(MICROS_PER_DAY)),
        ),
        DataType::Date64 => wall(
            array
                .as_primitive::<Date64Type>()
                .unary(|ms| ms.saturating_mul(1000)),
        ),
        DataType::Timestamp(unit, tz) => {
            let v: TimestampMicrosecondArray = match unit {
                TimeUnit::Second => array
                    .as_primitive::<TimestampSecondType>()
                    .unary(|s| s.saturating_mul(1_000_000)),
                TimeUnit::Millisecond => array
                    .as_primitive::<TimestampMillisecondType>()
                    .unary(|s| s.saturating_mul(1000)),
                // Already microseconds: shared, not copied.
                TimeUnit::Microsecond => array
                    .as_primitive::<TimestampMicrosecondType>()
                    .clone()
                    .with_timezone_opt(None::<&str>),
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
            let ms = i
                .iter()
                .flatten()
                .any(|v| v.unsigned_abs() > 100_000_000_000);
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
            let guess = if ctx.european {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            quality.ambiguous_date_columns.push(ctx.header.to_owned());
            quality.notes.push(format!(
                "column '{}': day and month cannot be told apart; read as {}",
                ctx.header,
                if guess == DateOrder::DayFirst {
                    "day/month/year"
                } else {
                    "month/day/year"
                }
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
    // "Created (UTC)": the header names the zone of times written without one.
    let header = ctx.header.trim().to_ascii_uppercase();
    let utc_header = header.ends_with("(UTC)") || header.ends_with("(GMT)");
    if with_offset > without || utc_header {
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
    let mark = column_mark(&text, ctx);
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
        for v in text
            .iter()
            .flatten()
            .filter(|v| !values::is_null_text(v))
            .take(1000)
        {
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
