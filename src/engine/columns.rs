//! Column accessors over one or more tables of a kind: local times, numbers,
//! flags and text keys, as plain vectors the engine loops over.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float64Type, Int32Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, BooleanArray, StringArray};
use arrow_schema::{DataType, TimeUnit};
use rustc_hash::FxHashMap as HashMap;

use super::time::NONE;
use crate::model::Table;

/// A null in number vectors.
pub const NULL_NUMBER: f64 = f64::NAN;

/// Tri-state flag: true, false or null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// True.
    True,
    /// False.
    False,
    /// Null.
    Null,
}

/// Whether a column of this type holds dates or times.
pub fn is_time_type(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64
    )
}

/// Local microseconds of a time column (`NONE` for null); instants are
/// shifted by `offset` (µs), wall-clock values are taken as they are.
pub fn times(tables: &[&Table], column: &str, offset: i64) -> Option<Vec<i64>> {
    if !tables.iter().any(|t| t.has(column)) {
        return None;
    }
    let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
    for t in tables {
        match t.column(column) {
            Some(a) if matches!(a.data_type(), DataType::Timestamp(TimeUnit::Microsecond, _)) => {
                let zoned = matches!(a.data_type(), DataType::Timestamp(_, Some(_)));
                let shift = if zoned { offset } else { 0 };
                let p = a.as_primitive::<TimestampMicrosecondType>();
                if p.null_count() == 0 {
                    out.extend(p.values().iter().map(|v| v.saturating_add(shift)));
                } else {
                    out.extend(
                        p.iter()
                            .map(|v| v.map_or(NONE, |x| x.saturating_add(shift))),
                    );
                }
            }
            // Time columns without a role keep the file's type: scale them here.
            Some(a) if is_time_type(a.data_type()) => {
                let scaled: Vec<Option<i64>> = match a.data_type() {
                    DataType::Timestamp(TimeUnit::Second, _) => a
                        .as_primitive::<TimestampSecondType>()
                        .iter()
                        .map(|v| v.map(|x| x.saturating_mul(1_000_000)))
                        .collect(),
                    DataType::Timestamp(TimeUnit::Millisecond, _) => a
                        .as_primitive::<TimestampMillisecondType>()
                        .iter()
                        .map(|v| v.map(|x| x.saturating_mul(1000)))
                        .collect(),
                    DataType::Timestamp(_, _) => a
                        .as_primitive::<TimestampNanosecondType>()
                        .iter()
                        .map(|v| v.map(|x| x.div_euclid(1000)))
                        .collect(),
                    DataType::Date32 => a
                        .as_primitive::<Date32Type>()
                        .iter()
                        .map(|v| v.map(|d| i64::from(d).saturating_mul(86_400_000_000)))
                        .collect(),
                    _ => a
                        .as_primitive::<Date64Type>()
                        .iter()
                        .map(|v| v.map(|x| x.saturating_mul(1000)))
                        .collect(),
                };
                let zoned = matches!(a.data_type(), DataType::Timestamp(_, Some(_)));
                let shift = if zoned { offset } else { 0 };
                out.extend(
                    scaled
                        .iter()
                        .map(|v| v.map_or(NONE, |x| x.saturating_add(shift))),
                );
            }
            Some(a) => {
                // A column the loader kept as text (a custom `demo_requested_at`,
                // say): its values are read as dates or times.
                use crate::load::values::{DateOrder, OrderEvidence};
                let texts = text_values(a);
                let evidence = crate::load::values::date_order_evidence(
                    texts.iter().flatten().map(String::as_str),
                );
                let order = if evidence == OrderEvidence::DayFirst {
                    DateOrder::DayFirst
                } else {
                    DateOrder::MonthFirst
                };
                out.extend(texts.iter().map(|v| {
                    v.as_deref()
                        .and_then(|s| crate::load::values::parse_time_or_month(s, order))
                        .map_or(NONE, |p| {
                            if p.has_offset {
                                p.micros.saturating_add(offset)
                            } else {
                                p.micros
                            }
                        })
                }));
            }
            None => out.extend(std::iter::repeat_n(NONE, t.rows())),
        }
    }
    Some(out)
}

/// Numbers of a column (`NaN` for null, and for a column of another type).
pub fn numbers(tables: &[&Table], column: &str) -> Option<Vec<f64>> {
    if !tables.iter().any(|t| t.has(column)) {
        return None;
    }
    let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
    for t in tables {
        match t.column(column) {
            Some(a) if a.data_type() == &DataType::Float64 => {
                let p = a.as_primitive::<Float64Type>();
                out.extend(p.iter().map(|v| v.unwrap_or(NULL_NUMBER)));
            }
            _ => out.extend(std::iter::repeat_n(NULL_NUMBER, t.rows())),
        }
    }
    Some(out)
}

/// Flags of a column; text `true`/`false` columns are read too.
pub fn flags(tables: &[&Table], column: &str) -> Option<Vec<Flag>> {
    if !tables.iter().any(|t| t.has(column)) {
        return None;
    }
    let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
    for t in tables {
        match t.column(column) {
            Some(a) if a.data_type() == &DataType::Boolean => {
                let b: &BooleanArray = a.as_boolean();
                out.extend(b.iter().map(|v| match v {
                    Some(true) => Flag::True,
                    Some(false) => Flag::False,
                    None => Flag::Null,
                }));
            }
            Some(a) => {
                let texts = text_values(a);
                out.extend(texts.iter().map(|v| match v.as_deref().map(str::trim) {
                    Some(s) => match crate::load::values::parse_bool(s) {
                        Some(true) => Flag::True,
                        Some(false) => Flag::False,
                        None => Flag::Null,
                    },
                    None => Flag::Null,
                }));
            }
            None => out.extend(std::iter::repeat_n(Flag::Null, t.rows())),
        }
    }
    Some(out)
}

/// Global keys for a text column over several tables: identical normalised
/// text gets one key. `norm` maps a raw label to its key text (None = no key).
pub fn global_keys(
    tables: &[&Table],
    column: &str,
    norm: impl Fn(&str) -> Option<String>,
) -> (Vec<Option<u32>>, usize, HashMap<String, u32>) {
    let mut map: HashMap<String, u32> = HashMap::default();
    let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
    for t in tables {
        let Some(a) = t.column(column) else {
            out.extend(std::iter::repeat_n(None, t.rows()));
            continue;
        };
        let (keys, labels) = text_keys(a);
        let local: Vec<Option<u32>> = labels
            .iter()
            .map(|l| {
                norm(l).map(|n| {
                    let next = map.len() as u32;
                    *map.entry(n).or_insert(next)
                })
            })
            .collect();
        out.extend(keys.iter().map(|k| k.and_then(|k| local[k as usize])));
    }
    let n = map.len();
    (out, n, map)
}

/// Dictionary-encodes a column as text: a key per row into `labels`
/// (`None` rows for null). Works on Utf8 and dictionary columns without
/// per-row allocation; other types are formatted.
pub fn text_keys(array: &ArrayRef) -> (Vec<Option<u32>>, Vec<String>) {
    match array.data_type() {
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = array.as_dictionary::<Int32Type>();
            let values: &StringArray = d.values().as_string::<i32>();
            let labels: Vec<String> = (0..values.len())
                .map(|i| {
                    if values.is_null(i) {
                        None
                    } else {
                        Some(values.value(i))
                    }
                })
                .map(|v| v.unwrap_or("").to_owned())
                .collect();
            let value_null: Vec<bool> = (0..values.len()).map(|i| values.is_null(i)).collect();
            let keys = d
                .keys()
                .iter()
                .map(|k| {
                    k.and_then(|k| {
                        let k = k as usize;
                        (k < labels.len() && !value_null[k]).then_some(k as u32)
                    })
                })
                .collect();
            (keys, labels)
        }
        DataType::Utf8 => {
            let s = array.as_string::<i32>();
            let mut map: HashMap<&str, u32> = HashMap::default();
            let mut labels = Vec::new();
            let keys = s
                .iter()
                .map(|v| {
                    v.map(|v| {
                        *map.entry(v).or_insert_with(|| {
                            labels.push(v.to_owned());
                            (labels.len() - 1) as u32
                        })
                    })
                })
                .collect();
            (keys, labels)
        }
        _ => {
            let texts = text_values(array);
            let mut map: HashMap<String, u32> = HashMap::default();
            let mut labels = Vec::new();
            let keys = texts
                .into_iter()
                .map(|v| {
                    v.map(|v| {
                        *map.entry(v.clone()).or_insert_with(|| {
                            labels.push(v);
                            (labels.len() - 1) as u32
                        })
                    })
                })
                .collect();
            (keys, labels)
        }
    }
}

/// Every value of a column as text (`None` for null): booleans as
/// `true`/`false`, numbers in their shortest form.
pub fn text_values(array: &ArrayRef) -> Vec<Option<String>> {
    match array.data_type() {
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .map(|v| v.map(|b| b.to_string()))
            .collect(),
        DataType::Float64 => array
            .as_primitive::<Float64Type>()
            .iter()
            .map(|v| v.map(crate::load::values::number_text))
            .collect(),
        _ => match crate::load::cast::to_utf8(array.as_ref()) {
            Ok(a) => a.iter().map(|v| v.map(str::to_owned)).collect(),
            Err(_) => vec![None; array.len()],
        },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{
        ArrayRef, Date32Array, RecordBatch, TimestampMicrosecondArray, TimestampNanosecondArray,
    };

    use super::*;
    use crate::model::TableKind;

    fn table(columns: Vec<(&str, ArrayRef)>) -> Table {
        let batch = RecordBatch::try_from_iter(columns).expect("valid batch");
        Table {
            file: "t.arrow".to_owned(),
            kind: TableKind::People,
            kind_detected: false,
            batch,
            columns: Vec::new(),
            quality: Default::default(),
        }
    }

    #[test]
    fn time_columns_of_any_unit_are_read_as_local_micros() {
        let day = 86_400_000_000i64;
        let t = table(vec![
            (
                "a",
                Arc::new(TimestampMicrosecondArray::from(vec![Some(5), None])),
            ),
            (
                "b",
                Arc::new(
                    TimestampNanosecondArray::from(vec![Some(3_000), Some(-1)])
                        .with_timezone("+02:00"),
                ),
            ),
            ("c", Arc::new(Date32Array::from(vec![Some(1), None]))),
        ]);
        let offset = 7_200_000_000;
        assert_eq!(times(&[&t], "a", offset), Some(vec![5, NONE]));
        // Zoned: instants shifted into the report time zone; ns floored to µs.
        assert_eq!(
            times(&[&t], "b", offset),
            Some(vec![3 + offset, -1 + offset])
        );
        assert_eq!(times(&[&t], "c", offset), Some(vec![day, NONE]));
        assert_eq!(times(&[&t], "missing", offset), None);
    }
}
