//! Gives a raw table its kind, role names and normalised types.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    ArrowDictionaryKeyType, ArrowTimestampType, Date32Type, Date64Type, Decimal32Type,
    Decimal64Type, Decimal128Type, Decimal256Type, DecimalType, Float16Type, Float32Type,
    Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, Time32MillisecondType,
    Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, DictionaryArray, Float64Array, Int32Array,
    Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use super::LoadOptions;
use super::detect::{self, normalize_header};
use super::stripe;
use super::values::{self, DateOrder, DecimalMark, OrderEvidence};
use crate::error::{Error, Result};
use crate::model::kinds::Reshape;
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
            Some(r) => spec.role_type(r) == Some(RoleType::Number),
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
        let mut role = roles[i].clone();
        let mut name = role.clone().unwrap_or_else(|| norm[i].clone());
        let role_type = role.as_deref().and_then(|r| spec.role_type(r));
        let mut array = match role_type {
            Some(RoleType::Time) => to_time(column, &ctx, &mut quality)?,
            Some(RoleType::Number) => to_number(column, &ctx, &mut quality)?,
            Some(RoleType::Flag) => to_flag(column, &ctx, &mut quality)?,
            Some(RoleType::Id) => null_labels(&to_id(column)?)?,
            Some(RoleType::Text) => null_labels(&to_text(column)?)?,
            Some(RoleType::Dimension) => null_labels(&to_dimension(column)?)?,
            Some(RoleType::Task) => to_task(column, &ctx, &mut quality)?,
            None => to_unmapped(column, &norm[i], &ctx, &mut quality)?,
        };
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
            array = map_text(&array, |v| channel_of(v, &options.channels))?;
        }
        while !names_used.insert(name.clone()) {
            name.push('_');
        }
        infos.push(ColumnInfo::new(
            raw.headers[i].clone(),
            name.clone(),
            role,
            array.data_type(),
        ));
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }

    if let Some(column) = spec.channel
        && !names_used.contains(column)
        && let Some(channel) = detect::platform_channel(kind, &norm)
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
        infos.push(ColumnInfo::new(
            String::new(),
            column.to_owned(),
            Some(column.to_owned()),
            array.data_type(),
        ));
        fields.push(Field::new(column, array.data_type().clone(), true));
        arrays.push(array);
        names_used.insert(column.to_owned());
    }

    let mut rows = raw.batch.num_rows();
    if spec.reshapes.contains(&Reshape::StripeSubscriptions)
        && names_used.contains("account_id")
        && stripe::is_subscription_list(&infos)
    {
        let mut time = |i: usize, quality: &mut LoadQuality| {
            let ctx = Ctx {
                header: raw.headers.get(i).map_or("", String::as_str),
                first_row: raw.first_row,
                european: raw.european,
                file_mark,
            };
            match arrays.get(i) {
                Some(a) => to_time(a, &ctx, quality),
                None => Err(Error::unreadable(file, "a column is missing")),
            }
        };
        let snapshots = stripe::expand(file, &infos, &arrays, rows, &mut time, &mut quality)?;
        fields = snapshots
            .infos
            .iter()
            .zip(&snapshots.arrays)
            .map(|(c, a)| Field::new(c.name.clone(), a.data_type().clone(), true))
            .collect();
        names_used = snapshots.infos.iter().map(|c| c.name.clone()).collect();
        infos = snapshots.infos;
        arrays = snapshots.arrays;
        rows = snapshots.rows;
    }

    if let Some(role) = spec.required().find(|r| !names_used.contains(*r)) {
        return Err(Error::MissingColumn {
            file: file.to_owned(),
            kind: kind.to_string(),
            role: role.to_owned(),
        });
    }

    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new_with_options(
        schema,
        arrays,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
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

// Conversions between the column types the loader meets. Small and
// targeted on purpose: arrow-cast's general `cast` kernel (a match over every
// pair of types) was most of the page's .wasm; see "Sizes" in README.md.

fn unsupported(array: &dyn Array, wanted: &str) -> Error {
    Error::Invalid(format!(
        "a column of type {} cannot be read as {wanted}",
        array.data_type()
    ))
}

/// Numbers (integers, floats, decimals) and booleans as Float64; what
/// Arrow's cast gives: decimals rounded once to the nearest f64, `true` 1.
pub(super) fn to_f64(array: &ArrayRef) -> Result<ArrayRef> {
    fn each<T: ArrowPrimitiveType>(a: &dyn Array, f: impl Fn(T::Native) -> f64) -> ArrayRef {
        Arc::new(a.as_primitive::<T>().unary::<_, Float64Type>(f))
    }
    /// Exact below 2^53, for the fast path of [`decimal_f64`].
    const EXACT: u128 = 1 << 53;
    Ok(match array.data_type() {
        DataType::Float64 => array.clone(),
        DataType::Float32 => each::<Float32Type>(array, f64::from),
        DataType::Float16 => each::<Float16Type>(array, |v| v.to_f64()),
        DataType::Int8 => each::<Int8Type>(array, f64::from),
        DataType::Int16 => each::<Int16Type>(array, f64::from),
        DataType::Int32 => each::<Int32Type>(array, f64::from),
        DataType::Int64 => each::<Int64Type>(array, |v| v as f64),
        DataType::UInt8 => each::<UInt8Type>(array, f64::from),
        DataType::UInt16 => each::<UInt16Type>(array, f64::from),
        DataType::UInt32 => each::<UInt32Type>(array, f64::from),
        DataType::UInt64 => each::<UInt64Type>(array, |v| v as f64),
        DataType::Decimal32(_, s) => decimal_f64::<Decimal32Type>(array, *s, |v| Some(v.into())),
        DataType::Decimal64(_, s) => decimal_f64::<Decimal64Type>(array, *s, |v| {
            (u128::from(v.unsigned_abs()) < EXACT).then_some(v as f64)
        }),
        DataType::Decimal128(_, s) => decimal_f64::<Decimal128Type>(array, *s, |v| {
            (v.unsigned_abs() < EXACT).then_some(v as f64)
        }),
        DataType::Decimal256(_, s) => decimal_f64::<Decimal256Type>(array, *s, |v| {
            v.to_i128()
                .filter(|v| v.unsigned_abs() < EXACT)
                .map(|v| v as f64)
        }),
        DataType::Boolean => Arc::new(
            array
                .as_boolean()
                .iter()
                .map(|v| v.map(|b| if b { 1.0 } else { 0.0 }))
                .collect::<Float64Array>(),
        ),
        _ => return Err(unsupported(array, "a number")),
    })
}

/// Decimals as the f64 nearest their exact value: `unscaled / 10^scale` when
/// both are exact (`exact` gives the unscaled value then), else by reading
/// the decimal's own text.
fn decimal_f64<D: DecimalType>(
    array: &dyn Array,
    scale: i8,
    exact: impl Fn(D::Native) -> Option<f64>,
) -> ArrayRef {
    let pow = 10_f64.powi(i32::from(scale.unsigned_abs()));
    let fast = (-22..=22).contains(&scale);
    Arc::new(array.as_primitive::<D>().unary::<_, Float64Type>(|v| {
        match exact(v).filter(|_| fast) {
            Some(u) if scale >= 0 => u / pow,
            Some(u) => u * pow,
            None => D::format_decimal(v, u8::MAX, scale)
                .parse()
                .unwrap_or(f64::NAN),
        }
    }))
}

/// Integers as Int64 (an unsigned value above `i64::MAX` becomes null).
fn to_i64(array: &ArrayRef) -> Result<Int64Array> {
    fn each<T: ArrowPrimitiveType>(a: &dyn Array) -> Int64Array
    where
        T::Native: TryInto<i64>,
    {
        a.as_primitive::<T>()
            .iter()
            .map(|v| v.and_then(|x| x.try_into().ok()))
            .collect()
    }
    Ok(match array.data_type() {
        DataType::Int64 => array.as_primitive::<Int64Type>().clone(),
        DataType::Int8 => each::<Int8Type>(array),
        DataType::Int16 => each::<Int16Type>(array),
        DataType::Int32 => each::<Int32Type>(array),
        DataType::UInt8 => each::<UInt8Type>(array),
        DataType::UInt16 => each::<UInt16Type>(array),
        DataType::UInt32 => each::<UInt32Type>(array),
        DataType::UInt64 => each::<UInt64Type>(array),
        _ => return Err(unsupported(array, "an integer")),
    })
}

/// A column of any type the loader meets as plain Utf8, each value written
/// as Arrow's display writes it (what `arrow_cast::cast` to Utf8 gives):
/// integers and decimals in full, floats in their shortest form, dates and
/// times in ISO 8601, zoned timestamps in RFC 3339 (fixed offsets only),
/// binary as UTF-8 (null where it is not). Dictionaries are unpacked. Lists,
/// structs, durations and intervals are an error.
pub(crate) fn to_utf8(array: &dyn Array) -> Result<StringArray> {
    use arrow_array::temporal_conversions as tc;
    let long = || Error::Invalid("a text column larger than 2 GB".to_owned());
    Ok(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().clone(),
        DataType::LargeUtf8 => {
            let s = array.as_string::<i64>();
            if i32::try_from(s.value_data().len()).is_err() {
                return Err(long());
            }
            s.iter().collect()
        }
        DataType::Utf8View => {
            let s = array.as_string_view();
            let bytes: usize = s.iter().flatten().map(str::len).sum();
            if i32::try_from(bytes).is_err() {
                return Err(long());
            }
            s.iter().collect()
        }
        DataType::Binary => binary_text(array.as_binary::<i32>().iter()),
        DataType::LargeBinary => binary_text(array.as_binary::<i64>().iter()),
        DataType::BinaryView => binary_text(array.as_binary_view().iter()),
        DataType::Dictionary(key, _) => match key.as_ref() {
            DataType::Int8 => unpack::<Int8Type>(array)?,
            DataType::Int16 => unpack::<Int16Type>(array)?,
            DataType::Int32 => unpack::<Int32Type>(array)?,
            DataType::Int64 => unpack::<Int64Type>(array)?,
            DataType::UInt8 => unpack::<UInt8Type>(array)?,
            DataType::UInt16 => unpack::<UInt16Type>(array)?,
            DataType::UInt32 => unpack::<UInt32Type>(array)?,
            DataType::UInt64 => unpack::<UInt64Type>(array)?,
            _ => return Err(unsupported(array, "text")),
        },
        DataType::Null => StringArray::new_null(array.len()),
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .map(|v| v.map(|b| if b { "true" } else { "false" }))
            .collect(),
        DataType::Int8 => texts::<Int8Type>(array, |v| Some(v.to_string()))?,
        DataType::Int16 => texts::<Int16Type>(array, |v| Some(v.to_string()))?,
        DataType::Int32 => texts::<Int32Type>(array, |v| Some(v.to_string()))?,
        DataType::Int64 => texts::<Int64Type>(array, |v| Some(v.to_string()))?,
        DataType::UInt8 => texts::<UInt8Type>(array, |v| Some(v.to_string()))?,
        DataType::UInt16 => texts::<UInt16Type>(array, |v| Some(v.to_string()))?,
        DataType::UInt32 => texts::<UInt32Type>(array, |v| Some(v.to_string()))?,
        DataType::UInt64 => texts::<UInt64Type>(array, |v| Some(v.to_string()))?,
        DataType::Float16 => texts::<Float16Type>(array, |v| Some(v.to_f32().to_string()))?,
        DataType::Float32 => {
            texts::<Float32Type>(array, |v| Some(float_text(&format!("{v:e}"), 13, -6)))?
        }
        DataType::Float64 => {
            texts::<Float64Type>(array, |v| Some(float_text(&format!("{v:e}"), 16, -5)))?
        }
        DataType::Decimal32(p, s) => {
            texts::<Decimal32Type>(array, |v| Some(Decimal32Type::format_decimal(v, *p, *s)))?
        }
        DataType::Decimal64(p, s) => {
            texts::<Decimal64Type>(array, |v| Some(Decimal64Type::format_decimal(v, *p, *s)))?
        }
        DataType::Decimal128(p, s) => {
            texts::<Decimal128Type>(array, |v| Some(Decimal128Type::format_decimal(v, *p, *s)))?
        }
        DataType::Decimal256(p, s) => {
            texts::<Decimal256Type>(array, |v| Some(Decimal256Type::format_decimal(v, *p, *s)))?
        }
        DataType::Date32 => texts::<Date32Type>(array, |v| {
            tc::date32_to_datetime(v).map(|d| format!("{:?}", d.date()))
        })?,
        DataType::Date64 => texts::<Date64Type>(array, |v| {
            tc::date64_to_datetime(v).map(|d| format!("{d:?}"))
        })?,
        DataType::Time32(TimeUnit::Second) => {
            texts::<Time32SecondType>(array, |v| tc::time32s_to_time(v).map(|t| format!("{t:?}")))?
        }
        DataType::Time32(TimeUnit::Millisecond) => texts::<Time32MillisecondType>(array, |v| {
            tc::time32ms_to_time(v).map(|t| format!("{t:?}"))
        })?,
        DataType::Time64(TimeUnit::Microsecond) => texts::<Time64MicrosecondType>(array, |v| {
            tc::time64us_to_time(v).map(|t| format!("{t:?}"))
        })?,
        DataType::Time64(TimeUnit::Nanosecond) => texts::<Time64NanosecondType>(array, |v| {
            tc::time64ns_to_time(v).map(|t| format!("{t:?}"))
        })?,
        DataType::Timestamp(unit, tz) => {
            let tz: Option<Tz> = match tz {
                Some(tz) => Some(
                    tz.parse()
                        .map_err(|e: arrow_schema::ArrowError| Error::Invalid(e.to_string()))?,
                ),
                None => None,
            };
            match unit {
                TimeUnit::Second => timestamps::<TimestampSecondType>(array, tz)?,
                TimeUnit::Millisecond => timestamps::<TimestampMillisecondType>(array, tz)?,
                TimeUnit::Microsecond => timestamps::<TimestampMicrosecondType>(array, tz)?,
                TimeUnit::Nanosecond => timestamps::<TimestampNanosecondType>(array, tz)?,
            }
        }
        _ => return Err(unsupported(array, "text")),
    })
}

/// Each value of a primitive column written by `f`; `None` from `f` (a date
/// out of range) is an error, as in Arrow's display.
fn texts<T: ArrowPrimitiveType>(
    array: &dyn Array,
    f: impl Fn(T::Native) -> Option<String>,
) -> Result<StringArray> {
    let a = array.as_primitive::<T>();
    let mut out = arrow_array::builder::StringBuilder::with_capacity(a.len(), a.len() * 8);
    for v in a.iter() {
        match v {
            None => out.append_null(),
            Some(x) => match f(x) {
                Some(text) => out.append_value(text),
                None => {
                    return Err(Error::Invalid(format!(
                        "the value {x:?} of a {} column is out of range",
                        a.data_type()
                    )));
                }
            },
        }
    }
    Ok(out.finish())
}

/// Timestamps as ISO 8601 (`2026-03-01T12:00:00`), zoned ones in RFC 3339
/// with `Z` for UTC offsets.
fn timestamps<T: ArrowTimestampType>(array: &dyn Array, tz: Option<Tz>) -> Result<StringArray> {
    use arrow_array::temporal_conversions as tc;
    match tz {
        None => texts::<T>(array, |v| tc::as_datetime::<T>(v).map(|d| format!("{d:?}"))),
        Some(tz) => texts::<T>(array, |v| {
            tc::as_datetime_with_timezone::<T>(v, tz)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        }),
    }
}

/// Binary values as text where they are UTF-8, null where not.
fn binary_text<'a>(values: impl Iterator<Item = Option<&'a [u8]>>) -> StringArray {
    values
        .map(|v| v.and_then(|b| std::str::from_utf8(b).ok()))
        .collect()
}

/// A dictionary's rows as plain text.
fn unpack<K: ArrowDictionaryKeyType>(array: &dyn Array) -> Result<StringArray> {
    let d = array.as_dictionary::<K>();
    let values = to_utf8(d.values().as_ref())?;
    let mut out = arrow_array::builder::StringBuilder::with_capacity(d.len(), d.len() * 8);
    for key in d.keys().iter() {
        match key.map(|k| k.as_usize()) {
            None => out.append_null(),
            Some(k) if k < values.len() => {
                if values.is_valid(k) {
                    out.append_value(values.value(k));
                } else {
                    out.append_null();
                }
            }
            Some(_) => {
                return Err(Error::Invalid(
                    "a dictionary key points past its values".to_owned(),
                ));
            }
        }
    }
    Ok(out.finish())
}

/// A dictionary of text as `Dictionary(Int32, Utf8)`, the dictionary kept;
/// unpacked to Utf8 when a key does not fit an Int32.
fn to_text_dictionary<K: ArrowDictionaryKeyType>(array: &ArrayRef) -> Result<ArrayRef> {
    let d = array.as_dictionary::<K>();
    let keys: Option<Int32Array> = match d.keys().as_any().downcast_ref::<Int32Array>() {
        Some(_) if d.values().data_type() == &DataType::Utf8 => return Ok(array.clone()),
        Some(keys) => Some(keys.clone()),
        None => d
            .keys()
            .iter()
            .map(|k| match k {
                None => Some(None),
                Some(k) => k.to_usize().and_then(|k| i32::try_from(k).ok()).map(Some),
            })
            .collect(),
    };
    let Some(keys) = keys else {
        return Ok(Arc::new(unpack::<K>(array.as_ref())?));
    };
    let values = to_utf8(d.values().as_ref())?;
    Ok(Arc::new(
        DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values))
            .map_err(|e| Error::Invalid(e.to_string()))?,
    ))
}

/// A float as Arrow's display writes it (the `ryu` crate's format), from
/// its shortest round-trip digits in exponent form (`sci`, Rust's `{:e}`):
/// positional with at least one decimal (`1.0`, `0.001`) when the value's
/// decimal exponent `kk` (value < 10^kk) is in `(min_kk, max_kk]`, else the
/// exponent form as it is (`1e16`, `1.5e-7`). `NaN`, `inf`, `-inf` as ryu.
fn float_text(sci: &str, max_kk: i32, min_kk: i32) -> String {
    let (sign, body) = match sci.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", sci),
    };
    let Some((mantissa, exp)) = body.split_once('e') else {
        return sci.to_owned(); // NaN, inf
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return sci.to_owned();
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let n = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let kk = exp + 1;
    if kk <= min_kk || kk > max_kk {
        return sci.to_owned();
    }
    let zeros = |k: i32| "0".repeat(usize::try_from(k).unwrap_or(0));
    if kk >= n {
        format!("{sign}{digits}{}.0", zeros(kk - n))
    } else if kk > 0
        && let Some((int, frac)) = usize::try_from(kk)
            .ok()
            .and_then(|k| digits.split_at_checked(k))
    {
        format!("{sign}{int}.{frac}")
    } else {
        format!("{sign}0.{}{digits}", zeros(-kk))
    }
}

/// Any string-like column (Utf8, LargeUtf8, Utf8View, dictionaries of them)
/// as plain Utf8; `None` for other types.
fn as_utf8(array: &ArrayRef) -> Result<Option<StringArray>> {
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            to_utf8(array.as_ref()).map(Some)
        }
        DataType::Dictionary(_, v)
            if matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            to_utf8(array.as_ref()).map(Some)
        }
        _ => Ok(None),
    }
}

/// Text for ids and dimensions: strings stay strings (dictionaries stay
/// dictionaries), integers become their decimal text, integral floats too.
fn to_text(array: &ArrayRef) -> Result<ArrayRef> {
    Ok(match array.data_type() {
        DataType::Utf8 => array.clone(),
        DataType::Dictionary(k, v)
            if matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            match k.as_ref() {
                DataType::Int8 => to_text_dictionary::<Int8Type>(array)?,
                DataType::Int16 => to_text_dictionary::<Int16Type>(array)?,
                DataType::Int32 => to_text_dictionary::<Int32Type>(array)?,
                DataType::Int64 => to_text_dictionary::<Int64Type>(array)?,
                DataType::UInt8 => to_text_dictionary::<UInt8Type>(array)?,
                DataType::UInt16 => to_text_dictionary::<UInt16Type>(array)?,
                DataType::UInt32 => to_text_dictionary::<UInt32Type>(array)?,
                DataType::UInt64 => to_text_dictionary::<UInt64Type>(array)?,
                _ => return Err(unsupported(array.as_ref(), "text")),
            }
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let f = to_f64(array)?;
            let f = f.as_primitive::<Float64Type>();
            let texts: StringArray = f.iter().map(|v| v.map(values::number_text)).collect();
            Arc::new(texts)
        }
        _ => Arc::new(to_utf8(array.as_ref())?),
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

/// Text that spells "no value" in a text column (empty, `--`, `N/A`, `null`:
/// [`values::is_null_label`]) becomes null, in Utf8 and dictionary columns;
/// `NA`, `none` or `-` stay values (catalog §1: only null or empty is the
/// `(none)` segment). The text data is shared, not copied: only the validity
/// changes, and a column without such text is returned as it is.
fn null_labels(array: &ArrayRef) -> Result<ArrayRef> {
    fn nulled(s: &StringArray) -> Option<arrow_buffer::NullBuffer> {
        let spelled = |i: usize| s.is_valid(i) && values::is_null_label(s.value(i));
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

/// A column without a role: Float64 when every value that is not a null
/// spelling of numbers (`NA`, `-`, …: [`values::is_null_text`]) reads as a
/// number (`2.51%`, `1,234`, `€ 12,50`) and none is a date or a code with
/// leading zeros; else text, with the null spellings of text as null.
fn to_unmapped(
    array: &ArrayRef,
    header: &str,
    ctx: &Ctx,
    quality: &mut LoadQuality,
) -> Result<ArrayRef> {
    let text = to_dimension(array)?;
    if looks_like_code(header) {
        return null_labels(&text);
    }
    let Some(utf8) = as_utf8(&text)? else {
        return null_labels(&text);
    };
    // A column of dates or timestamps is a time column (the default as-of is
    // the latest value of every date and time column, catalog §1).
    let values = || utf8.iter().flatten().filter(|v| !values::is_null_text(v));
    if values().next().is_some()
        && values().all(|v| {
            let t = v.trim();
            values::parse_time(t, DateOrder::MonthFirst).is_some()
                || values::parse_time(t, DateOrder::DayFirst).is_some()
        })
    {
        return to_time(&text, ctx, quality);
    }
    let mark = column_mark(&utf8, ctx);
    let mut seen = 0usize;
    for t in values() {
        let t = t.trim();
        let leading_zero = t.len() > 1
            && t.starts_with('0')
            && t.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
        if leading_zero
            || values::parse_number(t, mark).is_none()
            || values::parse_time(t, DateOrder::MonthFirst).is_some()
        {
            return null_labels(&text);
        }
        seen += 1;
    }
    if seen == 0 {
        return null_labels(&text);
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

/// Times as microseconds: dates and naive timestamps as wall-clock time,
/// zoned timestamps as UTC instants; text parsed in the formats exports use.
fn to_time(array: &ArrayRef, ctx: &Ctx, quality: &mut LoadQuality) -> Result<ArrayRef> {
    let wall = |v: TimestampMicrosecondArray| -> ArrayRef { Arc::new(v) };
    let utc = |v: TimestampMicrosecondArray| -> ArrayRef { Arc::new(v.with_timezone("UTC")) };
    Ok(match array.data_type() {
        DataType::Date32 => wall(
            array
                .as_primitive::<Date32Type>()
                .unary(|d| (d as i64).saturating_mul(crate::calendar::DAY)),
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
            let i = to_i64(array)?;
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
            Some(s) => match values::parse_time_or_month(s, order) {
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
    if array.data_type().is_numeric() || array.data_type() == &DataType::Boolean {
        return to_f64(array);
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
        let f = to_f64(array)?;
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

#[cfg(test)]
mod tests {
    //! The targeted conversions against arrow-cast's `cast`, which they
    //! replace: the same values, nulls and errors for every type they take.
    use super::*;
    use arrow_array::builder::{BinaryBuilder, StringDictionaryBuilder};
    use arrow_array::{
        BinaryViewArray, Date64Array, Decimal32Array, Decimal64Array, Decimal128Array,
        Decimal256Array, Float32Array, Int8Array, Int16Array, LargeBinaryArray, LargeStringArray,
        NullArray, StringViewArray, Time32MillisecondArray, Time32SecondArray,
        Time64MicrosecondArray, Time64NanosecondArray, TimestampMillisecondArray,
        TimestampNanosecondArray, TimestampSecondArray, UInt8Array, UInt16Array, UInt32Array,
        UInt64Array,
    };
    use arrow_buffer::i256;

    fn arrow(array: &ArrayRef, to: &DataType) -> Option<ArrayRef> {
        arrow_cast::cast(array, to).ok()
    }

    fn samples() -> Vec<ArrayRef> {
        let f64s = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            123.456,
            1e15,
            9.99e15,
            1e16,
            1.5e16,
            1e-5,
            1.2e-5,
            9.99e-6,
            1e-6,
            3.0e-7,
            1e300,
            -2.5e-300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.30000000000000004,
            2.0f64.powi(60),
        ];
        let f32s: Vec<Option<f32>> = f64s
            .iter()
            .map(|&v| Some(v as f32))
            .chain([
                Some(1e12),
                Some(1e13),
                Some(1.5e13),
                Some(1e-6),
                Some(9e-7),
                None,
            ])
            .collect();
        let f64s: Vec<Option<f64>> = f64s.iter().copied().map(Some).chain([None]).collect();
        let mut binary = BinaryBuilder::new();
        binary.append_value(b"abc");
        binary.append_value([0xff, 0xfe]);
        binary.append_null();
        binary.append_value(b"");
        let mut dict = StringDictionaryBuilder::<Int8Type>::new();
        dict.append_value("a");
        dict.append_null();
        dict.append_value("b");
        dict.append_value("a");
        let dict_values = Arc::new(StringArray::from(vec![Some("x"), None, Some("z")]));
        let keys = |k: Vec<Option<u64>>| UInt64Array::from(k);
        let decimal256 = [
            Some(i256::from_i128(12345)),
            Some(i256::from_i128(-1)),
            Some(i256::from_i128(i128::MAX).wrapping_mul(i256::from_i128(1000))),
            None,
        ];
        let big = 12_345_678_901_234_567_890_123_456_789_i128;
        vec![
            Arc::new(Int8Array::from(vec![
                Some(i8::MIN),
                Some(0),
                None,
                Some(i8::MAX),
            ])),
            Arc::new(Int16Array::from(vec![Some(i16::MIN), None, Some(7)])),
            Arc::new(Int32Array::from(vec![
                Some(i32::MIN),
                Some(-3),
                None,
                Some(i32::MAX),
            ])),
            Arc::new(Int64Array::from(vec![
                Some(i64::MIN),
                Some(1 << 60),
                None,
                Some(i64::MAX),
            ])),
            Arc::new(UInt8Array::from(vec![Some(0), Some(u8::MAX), None])),
            Arc::new(UInt16Array::from(vec![Some(0), Some(u16::MAX), None])),
            Arc::new(UInt32Array::from(vec![Some(0), Some(u32::MAX), None])),
            Arc::new(UInt64Array::from(vec![
                Some(0),
                Some(u64::MAX),
                Some(1 << 63),
                None,
            ])),
            arrow_cast::cast(
                &(Arc::new(Float32Array::from(vec![
                    Some(1.5),
                    Some(65504.0),
                    Some(0.0001),
                    Some(3.0),
                    None,
                ])) as ArrayRef),
                &DataType::Float16,
            )
            .expect("f16"),
            Arc::new(Float32Array::from(f32s)),
            Arc::new(Float64Array::from(f64s)),
            Arc::new(
                Decimal32Array::from(vec![Some(12345), Some(-5), None, Some(999_999_999)])
                    .with_precision_and_scale(9, 2)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal64Array::from(vec![Some(12345), Some(-5), Some(i64::MAX), None])
                    .with_precision_and_scale(18, 4)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal128Array::from(vec![Some(12345), Some(-5), Some(big), Some(-big), None])
                    .with_precision_and_scale(38, 10)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal128Array::from(vec![Some(12345), Some(-5), Some(big), None])
                    .with_precision_and_scale(38, -3)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal128Array::from(vec![Some(12345), Some(-5), Some(big), None])
                    .with_precision_and_scale(38, 30)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal128Array::from(vec![Some(100), Some(0), Some(7)])
                    .with_precision_and_scale(10, 0)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal256Array::from(decimal256.to_vec())
                    .with_precision_and_scale(76, 2)
                    .expect("decimal"),
            ),
            Arc::new(
                Decimal256Array::from(decimal256.to_vec())
                    .with_precision_and_scale(76, 40)
                    .expect("decimal"),
            ),
            Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
            Arc::new(arrow_array::Date32Array::from(vec![
                Some(0),
                Some(20_500),
                Some(-1),
                None,
            ])),
            Arc::new(Date64Array::from(vec![
                Some(0),
                Some(1_770_000_123_456),
                None,
            ])),
            Arc::new(Time32SecondArray::from(vec![Some(0), Some(45_296), None])),
            Arc::new(Time32MillisecondArray::from(vec![Some(45_296_789), None])),
            Arc::new(Time64MicrosecondArray::from(vec![
                Some(45_296_789_012),
                None,
            ])),
            Arc::new(Time64NanosecondArray::from(vec![
                Some(45_296_789_012_345),
                None,
            ])),
            Arc::new(TimestampSecondArray::from(vec![
                Some(0),
                Some(1_770_000_000),
                None,
            ])),
            Arc::new(TimestampMillisecondArray::from(vec![
                Some(1_770_000_000_123),
                Some(-1),
            ])),
            Arc::new(TimestampMicrosecondArray::from(vec![
                Some(1_770_000_000_123_456),
                None,
            ])),
            Arc::new(TimestampNanosecondArray::from(vec![Some(
                1_770_000_000_123_456_789,
            )])),
            Arc::new(
                TimestampMicrosecondArray::from(vec![Some(1_770_000_000_000_000), None])
                    .with_timezone("+02:00"),
            ),
            Arc::new(
                TimestampSecondArray::from(vec![Some(1_770_000_000), None]).with_timezone("+00:00"),
            ),
            Arc::new(TimestampNanosecondArray::from(vec![Some(1)]).with_timezone("-0530")),
            Arc::new(TimestampMicrosecondArray::from(vec![Some(1)]).with_timezone("UTC")),
            Arc::new(TimestampMillisecondArray::from(vec![Some(1)]).with_timezone("Europe/Paris")),
            Arc::new(StringArray::from(vec![Some("a"), None, Some("")])),
            Arc::new(LargeStringArray::from(vec![Some("a"), None, Some("ü")])),
            Arc::new(StringViewArray::from(vec![
                Some("short"),
                None,
                Some("a longer string than twelve bytes"),
            ])),
            Arc::new(binary.finish()),
            Arc::new(LargeBinaryArray::from(vec![
                Some(&b"x"[..]),
                None,
                Some(&[0xc3][..]),
            ])),
            Arc::new(BinaryViewArray::from(vec![
                Some(&b"x"[..]),
                None,
                Some(&[0xc3][..]),
            ])),
            Arc::new(dict.finish()),
            Arc::new(
                DictionaryArray::<UInt64Type>::try_new(
                    keys(vec![Some(2), None, Some(1), Some(0)]),
                    dict_values.clone(),
                )
                .expect("dictionary"),
            ),
            Arc::new(
                DictionaryArray::<Int16Type>::try_new(
                    Int16Array::from(vec![Some(0), Some(1), Some(0)]),
                    Arc::new(LargeStringArray::from(vec!["p", "q"])),
                )
                .expect("dictionary"),
            ),
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(
                    Int32Array::from(vec![Some(1), None, Some(0)]),
                    Arc::new(StringViewArray::from(vec!["p", "q"])),
                )
                .expect("dictionary"),
            ),
            Arc::new(
                DictionaryArray::<Int32Type>::try_new(
                    Int32Array::from(vec![Some(1), None, Some(0)]),
                    Arc::new(Int64Array::from(vec![10, 20])),
                )
                .expect("dictionary"),
            ),
            Arc::new(NullArray::new(3)),
        ]
    }

    fn same(ours: Option<ArrayRef>, theirs: Option<ArrayRef>, what: &str, input: &ArrayRef) {
        match (ours, theirs) {
            (Some(o), Some(t)) => assert_eq!(
                o.to_data(),
                t.to_data(),
                "{what} of {:?}: {o:?} vs arrow {t:?}",
                input.data_type()
            ),
            (None, None) => {}
            (o, t) => panic!("{what} of {:?}: {o:?} vs arrow {t:?}", input.data_type()),
        }
    }

    #[test]
    fn text_is_what_arrow_cast_gives() {
        for a in samples() {
            let ours = to_utf8(a.as_ref()).ok().map(|s| Arc::new(s) as ArrayRef);
            same(ours, arrow(&a, &DataType::Utf8), "Utf8", &a);
        }
    }

    #[test]
    fn numbers_are_what_arrow_cast_gives() {
        for a in samples() {
            let dt = a.data_type();
            if !(dt.is_numeric() || dt == &DataType::Boolean) {
                assert!(to_f64(&a).is_err(), "{dt}");
                continue;
            }
            let ours = to_f64(&a).expect("numeric");
            let theirs = arrow(&a, &DataType::Float64).expect("arrow casts numbers");
            let (o, t) = (
                ours.as_primitive::<Float64Type>(),
                theirs.as_primitive::<Float64Type>(),
            );
            assert_eq!(o.nulls(), t.nulls(), "{dt}");
            for (x, y) in o.values().iter().zip(t.values().iter()) {
                assert!(
                    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                    "{dt}: {x} vs {y}"
                );
            }
        }
    }

    #[test]
    fn integers_are_what_arrow_cast_gives() {
        for a in samples() {
            if !a.data_type().is_integer() {
                assert!(to_i64(&a).is_err(), "{}", a.data_type());
                continue;
            }
            let ours: ArrayRef = Arc::new(to_i64(&a).expect("integer"));
            same(Some(ours), arrow(&a, &DataType::Int64), "Int64", &a);
        }
    }

    #[test]
    fn text_dictionaries_are_what_arrow_cast_gives() {
        let target = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        for a in samples() {
            let ours = to_text(&a).ok();
            let theirs = match a.data_type() {
                DataType::Float16 | DataType::Float32 | DataType::Float64 => continue,
                DataType::Dictionary(_, v)
                    if matches!(
                        **v,
                        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                    ) =>
                {
                    arrow(&a, &target).or_else(|| arrow(&a, &DataType::Utf8))
                }
                _ => arrow(&a, &DataType::Utf8),
            };
            same(ours, theirs, "text", &a);
        }
        // Keys that do not fit an Int32: unpacked, as arrow-cast's fallback.
        let wide: ArrayRef = Arc::new(
            DictionaryArray::<UInt64Type>::try_new(
                UInt64Array::from(vec![Some(0), None]),
                Arc::new(StringArray::from(vec!["only"])),
            )
            .expect("dictionary"),
        );
        let t = to_text(&wide).expect("text");
        assert_eq!(t.data_type(), &target);
    }

    #[test]
    fn nested_types_are_a_clear_error() {
        let list: ArrayRef = Arc::new(
            arrow_array::ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(
                1,
            )])]),
        );
        let e = to_utf8(list.as_ref()).expect_err("lists are not text");
        assert!(e.to_string().contains("List"), "{e}");
        assert!(to_f64(&list).is_err());
        assert!(to_i64(&list).is_err());
    }
}
