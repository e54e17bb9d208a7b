//! Conversions between the Arrow types the loader meets: any column as
//! text, numbers as Float64, integers as Int64, text dictionaries kept.
//!
//! Small and targeted on purpose: arrow-cast's general `cast` kernel (a
//! match over every pair of types) was most of the page's .wasm (see "Size"
//! in README.md). The tests below hold these conversions to what that kernel
//! gives, value for value. Errors say what went wrong in the column; the
//! caller names the file and the column ([`CastError::in_column`]).

use std::fmt;
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
    Array, ArrayRef, ArrowPrimitiveType, DictionaryArray, Float64Array, Int32Array, Int64Array,
    StringArray,
};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, TimeUnit};

use super::values;
use crate::error::Error;

/// Why a column could not be converted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CastError {
    /// The column's type cannot become the one wanted.
    Type {
        /// The column's type.
        from: DataType,
        /// What was wanted, in words ("text", "a number").
        to: &'static str,
    },
    /// One value has no text (a date outside the calendar chrono knows).
    Value {
        /// 0-based row in the column.
        row: usize,
        /// The value as stored.
        value: String,
    },
    /// The column as a whole cannot be read (too large, a broken dictionary).
    Column(String),
}

impl fmt::Display for CastError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CastError::Type { from, to } => {
                write!(f, "a column of type {from} cannot be read as {to}")
            }
            CastError::Value { row, value } => {
                write!(f, "row {row}: the value {value} is out of range")
            }
            CastError::Column(reason) => f.write_str(reason),
        }
    }
}

impl CastError {
    /// The error as a person reads it: in `file`, column `column` (the
    /// header as written), whose first data row the user sees as `first_row`.
    pub(crate) fn in_column(self, file: &str, column: &str, first_row: usize) -> Error {
        match self {
            CastError::Value { row, value } => Error::BadCell {
                file: file.to_owned(),
                row: first_row.saturating_add(row),
                column: column.to_owned(),
                value,
                expected: "a date or time within the calendar".to_owned(),
            },
            CastError::Type { from, to } => Error::unreadable(
                file,
                format!("column '{column}' has type {from}, which cannot be read as {to}"),
            ),
            CastError::Column(reason) => {
                Error::unreadable(file, format!("column '{column}': {reason}"))
            }
        }
    }
}

type Result<T> = std::result::Result<T, CastError>;

fn unsupported(array: &dyn Array, to: &'static str) -> CastError {
    CastError::Type {
        from: array.data_type().clone(),
        to,
    }
}

/// Numbers (integers, floats, decimals) and booleans as Float64; what
/// Arrow's cast gives: decimals rounded once to the nearest f64, `true` 1.
pub(crate) fn to_f64(array: &ArrayRef) -> Result<ArrayRef> {
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
pub(crate) fn to_i64(array: &ArrayRef) -> Result<Int64Array> {
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
    let long = || CastError::Column("a text column larger than 2 GB".to_owned());
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
                        .map_err(|e: arrow_schema::ArrowError| CastError::Column(e.to_string()))?,
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
    for (row, v) in a.iter().enumerate() {
        match v {
            None => out.append_null(),
            Some(x) => match f(x) {
                Some(text) => out.append_value(text),
                None => {
                    return Err(CastError::Value {
                        row,
                        value: format!("{x:?}"),
                    });
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
                return Err(CastError::Column(
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
            .map_err(|_| CastError::Column("a dictionary key points past its values".to_owned()))?,
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
pub(crate) fn as_utf8(array: &ArrayRef) -> Result<Option<StringArray>> {
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
pub(crate) fn to_text(array: &ArrayRef) -> Result<ArrayRef> {
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

#[cfg(test)]
mod tests {
    //! The targeted conversions against arrow-cast's `cast`, which they
    //! replace: the same values, nulls and errors for every type they take.
    use super::*;
    use arrow_array::builder::{BinaryBuilder, StringDictionaryBuilder};
    use arrow_array::{
        BinaryViewArray, BooleanArray, Date64Array, Decimal32Array, Decimal64Array,
        Decimal128Array, Decimal256Array, Float32Array, Int8Array, Int16Array, LargeBinaryArray,
        LargeStringArray, NullArray, StringViewArray, Time32MillisecondArray, Time32SecondArray,
        Time64MicrosecondArray, Time64NanosecondArray, TimestampMicrosecondArray,
        TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray, UInt8Array,
        UInt16Array, UInt32Array, UInt64Array,
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
