//! Role converters: every column becomes the physical type of its role
//! ([`RoleType`], one converter each), text read the way exports write it
//! (`values.rs`); a column without a role is read by the rules of
//! [`to_unmapped`]. What each type means is in `docs/data-model.md`.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float64Type, Int32Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int32Array, StringArray,
    TimestampMicrosecondArray,
};
use arrow_schema::{DataType, TimeUnit};

use super::cast::{CastError, as_utf8, to_f64, to_i64, to_text};
use super::detect;
use super::values::{self, DateOrder, DecimalMark, OrderEvidence};
use crate::calendar::DAY;
use crate::error::{Error, Result};
use crate::model::RoleType;
use crate::quality::loading::LoadQuality;

/// What converting one column needs to know: where it is, for messages and
/// unparsed cells, and the file's conventions.
pub(super) struct Ctx<'a> {
    /// The file name.
    pub file: &'a str,
    /// The column's header as written.
    pub header: &'a str,
    /// Row number the user sees for the first data row.
    pub first_row: usize,
    /// Whether European conventions (day-first, decimal comma) are the default.
    pub european: bool,
    /// The decimal mark most number-like values of the file name, if any.
    pub file_mark: Option<DecimalMark>,
}

impl Ctx<'_> {
    /// A conversion's error, naming the file and the column.
    fn cast<T>(&self, r: std::result::Result<T, CastError>) -> Result<T> {
        r.map_err(|e| e.in_column(self.file, self.header, self.first_row))
    }

    /// A column whose type cannot hold what its role needs.
    fn wrong_type(&self, array: &ArrayRef, needed: &str) -> Error {
        Error::unreadable(
            self.file,
            format!(
                "column '{}' has type {} where {needed} is needed",
                self.header,
                array.data_type()
            ),
        )
    }
}

/// Converts a column to the physical type of its role; `None` is a column
/// without a role (named `header` once normalised).
pub(super) fn convert(
    role: Option<RoleType>,
    column: &ArrayRef,
    header: &str,
    ctx: &Ctx,
    quality: &mut LoadQuality,
) -> Result<ArrayRef> {
    let labels =
        |a: std::result::Result<ArrayRef, CastError>| ctx.cast(a.and_then(|a| null_labels(&a)));
    match role {
        Some(RoleType::Time) => to_time(column, ctx, quality),
        Some(RoleType::Number) => to_number(column, ctx, quality),
        Some(RoleType::Flag) => to_flag(column, ctx, quality),
        Some(RoleType::Id) => labels(to_id(column)),
        Some(RoleType::Text) => labels(to_text(column)),
        Some(RoleType::Dimension) => labels(to_dimension(column)),
        Some(RoleType::Task) => to_task(column, ctx, quality),
        None => to_unmapped(column, header, ctx, quality),
    }
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

/// A channel column with its values in the shared vocabulary (see
/// [`channel_of`]).
pub(super) fn to_channel(
    array: &ArrayRef,
    user: &BTreeMap<String, String>,
    ctx: &Ctx,
) -> Result<ArrayRef> {
    ctx.cast(map_text(array, |v| channel_of(v, user)))
}

/// The one channel of every row of a table without a channel column, from
/// its platform: the user's mapping of it, else itself.
pub(super) fn platform_channel(channel: &str, user: &BTreeMap<String, String>) -> String {
    channel_of(channel, user).unwrap_or_else(|| channel.to_owned())
}

type CastResult<T> = std::result::Result<T, CastError>;

/// Ids: text, trimmed of surrounding white space.
fn to_id(array: &ArrayRef) -> CastResult<ArrayRef> {
    let text = to_text(array)?;
    map_text(&text, |v| {
        let t = v.trim();
        (t.len() != v.len()).then(|| t.to_owned())
    })
}

/// Dimensions: string-like columns as text; other types kept as they are.
fn to_dimension(array: &ArrayRef) -> CastResult<ArrayRef> {
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
fn map_text(array: &ArrayRef, f: impl Fn(&str) -> Option<String>) -> CastResult<ArrayRef> {
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
                        .map_err(|e| CastError::Column(e.to_string()))?,
                ),
                None => array.clone(),
            }
        }
        _ => array.clone(),
    })
}

/// Text that spells "no value" in a text column (empty, `--`, `N/A`, `null`:
/// [`values::is_null_label`]) becomes null, in Utf8 and dictionary columns;
/// `NA`, `none` or `-` stay values (only null or empty is the `(none)`
/// segment, `docs/data-model.md`). The text data is shared, not copied: only the validity
/// changes, and a column without such text is returned as it is.
fn null_labels(array: &ArrayRef) -> CastResult<ArrayRef> {
    null_where(array, values::is_null_label).map(|(a, _)| a)
}

/// Cells whose text is one of the user's placeholders (`Select`, `(not
/// set)`: [`crate::load::LoadOptions::null_values`], trimmed, in any case)
/// become null in Utf8 and dictionary columns; with the number of rows that
/// changed.
pub(super) fn null_placeholders(
    array: &ArrayRef,
    placeholders: &[String],
) -> CastResult<(ArrayRef, usize)> {
    if placeholders.is_empty() {
        return Ok((array.clone(), 0));
    }
    // Null spellings of text (`--`, `N/A`) are null anyway, and not counted.
    null_where(array, |v| {
        let v = v.trim();
        !values::is_null_label(v)
            && placeholders
                .iter()
                .any(|p| p.trim().eq_ignore_ascii_case(v))
    })
}

/// Text for which `spelled` holds becomes null, in Utf8 and dictionary
/// columns, with the number of rows that changed. The text data is shared,
/// not copied: only the validity changes, and a column without such text
/// is returned as it is.
fn null_where(array: &ArrayRef, spelled: impl Fn(&str) -> bool) -> CastResult<(ArrayRef, usize)> {
    let nulled = |s: &StringArray| -> Option<(arrow_buffer::NullBuffer, usize)> {
        let hit = |i: usize| s.is_valid(i) && spelled(s.value(i));
        let n = (0..s.len()).filter(|&i| hit(i)).count();
        if n == 0 {
            return None;
        }
        let keep: arrow_buffer::BooleanBuffer =
            (0..s.len()).map(|i| s.is_valid(i) && !hit(i)).collect();
        Some((arrow_buffer::NullBuffer::new(keep), n))
    };
    Ok(match array.data_type() {
        DataType::Utf8 => {
            let s = array.as_string::<i32>();
            match nulled(s) {
                Some((nulls, n)) => (
                    Arc::new(
                        StringArray::try_new(s.offsets().clone(), s.values().clone(), Some(nulls))
                            .map_err(|e| CastError::Column(e.to_string()))?,
                    ),
                    n,
                ),
                None => (array.clone(), 0),
            }
        }
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = array.as_dictionary::<Int32Type>();
            let values = d.values().as_string::<i32>();
            let Some((value_nulls, _)) = nulled(values) else {
                return Ok((array.clone(), 0));
            };
            let keys = d.keys();
            let valid = |k: Option<i32>| {
                k.and_then(|k| usize::try_from(k).ok())
                    .is_some_and(|k| k < value_nulls.len() && value_nulls.is_valid(k))
            };
            let keep: arrow_buffer::BooleanBuffer = keys.iter().map(valid).collect();
            let changed = keys.iter().filter(|k| k.is_some() && !valid(*k)).count();
            let keys = Int32Array::new(
                keys.values().clone(),
                Some(arrow_buffer::NullBuffer::new(keep)),
            );
            (
                Arc::new(
                    DictionaryArray::<Int32Type>::try_new(keys, d.values().clone())
                        .map_err(|e| CastError::Column(e.to_string()))?,
                ),
                changed,
            )
        }
        _ => (array.clone(), 0),
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

/// A column without a role, read by what its values are:
///
/// * a date or time type (any unit, zoned or not) is a time column, as a
///   time role would be;
/// * text of which every value that is not a null spelling (`NA`, `-`, …:
///   [`values::is_null_text`]) is a date or timestamp, either day order, is
///   a time column (so it counts for the default as-of);
/// * else numbers (`2.51%`, `1,234`, `€ 12,50`) as Float64 when every value
///   reads as one and none is a code with leading zeros or a date;
/// * else flags as Boolean when every value is a true/false spelling
///   (`true`, `no`, `Y`, `x`: [`values::parse_bool`]);
/// * else text, with the null spellings of text as null. Other types are
///   kept as written, and a header that names a code (`…id`, `zip`,
///   `phone`) keeps its text whatever the values.
fn to_unmapped(
    array: &ArrayRef,
    header: &str,
    ctx: &Ctx,
    quality: &mut LoadQuality,
) -> Result<ArrayRef> {
    if is_temporal(array.data_type()) {
        return to_time(array, ctx, quality);
    }
    let text = ctx.cast(to_dimension(array))?;
    let labels = |text: &ArrayRef| ctx.cast(null_labels(text));
    if looks_like_code(header) {
        return labels(&text);
    }
    let Some(utf8) = ctx.cast(as_utf8(&text))? else {
        return labels(&text);
    };
    let values = || {
        utf8.iter()
            .flatten()
            .filter(|v| !values::is_null_text(v))
            .map(str::trim)
    };
    if values().next().is_none() {
        return labels(&text);
    }
    if values().all(is_date) {
        return to_time(&text, ctx, quality);
    }
    let mark = column_mark(&utf8, ctx);
    if values().all(|t| is_amount(t, mark) || values::is_censored(t))
        && values().any(|t| is_amount(t, mark))
    {
        return to_number(&text, ctx, quality);
    }
    if values().all(|t| values::parse_bool(t).is_some()) {
        return to_flag(&text, ctx, quality);
    }
    labels(&text)
}

/// Whether a type holds dates or times the loader reads as time columns.
fn is_temporal(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64
    )
}

/// Whether trimmed text is a date or timestamp in either day order.
fn is_date(t: &str) -> bool {
    values::parse_time(t, DateOrder::MonthFirst).is_some()
        || values::parse_time(t, DateOrder::DayFirst).is_some()
}

/// Whether trimmed text is an amount: a number, not a code with a leading
/// zero (`007`) and not a date.
fn is_amount(t: &str, mark: DecimalMark) -> bool {
    let leading_zero =
        t.len() > 1 && t.starts_with('0') && t.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
    !leading_zero
        && values::parse_number(t, mark).is_some()
        && values::parse_time(t, DateOrder::MonthFirst).is_none()
}

/// The decimal mark of a text column: its own values' evidence, else the
/// file's, else the file's convention (decimal comma in `;` files).
fn column_mark(text: &StringArray, ctx: &Ctx) -> DecimalMark {
    mark_of(values::decimal_votes(text.iter().flatten()), ctx)
}

/// The decimal mark a column's (point, comma) votes decide, else the file's,
/// else the file's convention.
fn mark_of(votes: (usize, usize), ctx: &Ctx) -> DecimalMark {
    values::decide_mark(votes)
        .or(ctx.file_mark)
        .unwrap_or(if ctx.european {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        })
}

/// Times as microseconds: dates and naive timestamps as wall-clock time,
/// zoned timestamps as UTC instants; text parsed in the formats exports use.
fn to_time(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    let wall = |v: TimestampMicrosecondArray| -> ArrayRef { Arc::new(v) };
    let utc = |v: TimestampMicrosecondArray| -> ArrayRef { Arc::new(v.with_timezone("UTC")) };
    Ok(match array.data_type() {
        DataType::Date32 => wall(
            array
                .as_primitive::<Date32Type>()
                .unary(|d| (d as i64).saturating_mul(DAY)),
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
            let i = ctx.cast(to_i64(array))?;
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
            let Some(text) = ctx.cast(as_utf8(array))? else {
                return Err(ctx.wrong_type(array, "a date or time"));
            };
            parse_time_column(&text, ctx, quality)
        }
    })
}

/// Each cell of `text` read by `parse`: null spellings are null, and a cell
/// `parse` does not understand is null and counted as unparsed.
fn parse_cells<T>(
    text: &StringArray,
    ctx: &Ctx,
    quality: &mut LoadQuality,
    mut parse: impl FnMut(&str) -> Option<T>,
) -> Vec<Option<T>> {
    text.iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => None,
            Some(s) if values::is_null_text(s) => None,
            Some(s) => {
                let parsed = parse(s);
                if parsed.is_none() {
                    quality.unparsed(ctx.first_row + i, ctx.header, s);
                }
                parsed
            }
        })
        .collect()
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
    let out = parse_cells(text, ctx, quality, |s| {
        let p = values::parse_time_or_month(s, order)?;
        if p.has_offset {
            with_offset += 1;
        } else {
            without += 1;
        }
        Some(p.micros)
    });
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

/// Amounts and counts as Float64: text read with the column's decimal mark
/// ([`column_mark`], reported when the values do not decide it), censored
/// values (`< 10%`) as null, counted in a note.
fn to_number(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    if array.data_type().is_numeric() || array.data_type() == &DataType::Boolean {
        return ctx.cast(to_f64(array));
    }
    let Some(text) = ctx.cast(as_utf8(array))? else {
        return Err(ctx.wrong_type(array, "a number"));
    };
    let votes = values::decimal_votes(text.iter().flatten());
    let mark = mark_of(votes, ctx);
    report_mark(&text, mark, votes, ctx, quality);
    let mut censored = 0usize;
    let mut example: Option<&str> = None;
    let mut out = Vec::with_capacity(text.len());
    for (i, v) in text.iter().enumerate() {
        out.push(match v {
            None => None,
            Some(s) if values::is_null_text(s) => None,
            Some(s) => match values::parse_number(s, mark) {
                Some(x) => Some(x),
                None if values::is_censored(s) => {
                    censored += 1;
                    example.get_or_insert(s);
                    None
                }
                None => {
                    quality.unparsed(ctx.first_row + i, ctx.header, s);
                    None
                }
            },
        });
    }
    if let Some(example) = example {
        quality.notes.push(format!(
            "column '{}': {censored} censored value(s) such as '{}' read as empty",
            ctx.header,
            example.trim()
        ));
    }
    Ok(Arc::new(Float64Array::from(out)))
}

/// Says in a note how a number column's decimal mark was decided when its
/// values do not decide it alone: some values write a decimal comma and
/// others a decimal point (the majority wins), or none tells and some, such
/// as `1.234`, read either way (the file's convention decides).
fn report_mark(
    text: &StringArray,
    mark: DecimalMark,
    (point, comma): (usize, usize),
    ctx: &Ctx,
    quality: &mut LoadQuality,
) {
    let name = |m: DecimalMark| match m {
        DecimalMark::Point => "a decimal point",
        DecimalMark::Comma => "a decimal comma",
    };
    if point > 0 && comma > 0 {
        quality.notes.push(format!(
            "column '{}': {comma} value(s) are written with a decimal comma and {point} with a decimal point; read with {}, as most are",
            ctx.header,
            name(mark)
        ));
        return;
    }
    if point > 0 || comma > 0 || ctx.file_mark.is_some() {
        return;
    }
    let Some(example) = text
        .iter()
        .flatten()
        .find(|v| !values::is_null_text(v) && values::is_ambiguous_number(v))
    else {
        return;
    };
    let read = values::parse_number(example, mark).map_or(String::new(), values::number_text);
    let why = if ctx.european {
        "the file is separated by semicolons"
    } else {
        "no value of the file says otherwise"
    };
    quality.notes.push(format!(
        "column '{}': values such as '{}' can be read with a decimal point or a decimal comma; read with {} ({} is {read}) because {why}",
        ctx.header,
        example.trim(),
        name(mark),
        example.trim()
    ));
}

/// Flags as Boolean.
fn to_flag(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    if array.data_type() == &DataType::Boolean {
        return Ok(array.clone());
    }
    if array.data_type().is_numeric() {
        let f = ctx.cast(to_f64(array))?;
        let b: BooleanArray = f
            .as_primitive::<Float64Type>()
            .iter()
            .map(|v| v.map(|x| x != 0.0))
            .collect();
        return Ok(Arc::new(b));
    }
    let Some(text) = ctx.cast(as_utf8(array))? else {
        return Err(ctx.wrong_type(array, "true/false"));
    };
    let out = parse_cells(&text, ctx, quality, values::parse_bool);
    Ok(Arc::new(BooleanArray::from(out)))
}

/// `task_*` columns: flags when they hold true/false, times otherwise.
fn to_task(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    let dt = array.data_type();
    if dt == &DataType::Boolean || dt.is_numeric() {
        return to_flag(array, ctx, quality);
    }
    if let Some(text) = ctx.cast(as_utf8(array))? {
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

#[cfg(test)]
mod tests {
    use crate::model::TableKind;

    /// The type a column without a role takes, from its CSV cells.
    fn check(header: &str, cells: &[&str], want: &str) {
        let mut csv = format!("id,created_at,{header}\n");
        for (i, v) in cells.iter().enumerate() {
            csv.push_str(&format!("{i},2026-03-01,{v}\n"));
        }
        let t = crate::load::load("p.csv", csv.as_bytes(), Some(TableKind::People))
            .unwrap_or_else(|e| panic!("{header}: {e}"));
        let c = t.columns.iter().find(|c| c.source == header);
        assert_eq!(
            c.map(|c| c.data_type.as_str()),
            Some(want),
            "{header}: {cells:?}"
        );
    }

    #[test]
    fn columns_without_a_role_take_the_type_of_their_values() {
        // Dates or timestamps, either day order, null spellings aside.
        check("seen", &["2026-03-01", "", "03/15/2026"], "date/time");
        check("seen", &["2026-03-01T10:00:00Z", "NA"], "timestamp (UTC)");
        check("seen", &["2026-03-01", "soon"], "text");
        // Numbers, unless codes.
        check("score", &["\"1,234\"", "2.5%", "NA"], "number");
        check("score", &["1", "0", ""], "number");
        check("score", &["007", "12"], "text");
        check("customer_zip", &["12", "13"], "text");
        // True/false spellings.
        check("vip", &["yes", "No", "NA", "Y"], "true/false");
        check("opted", &["TRUE", "false", ""], "true/false");
        check("gender", &["f", "m"], "text");
        // Nothing but null spellings.
        check("blank", &["", "NA"], "text");
    }
}
