//! Column accessors over one or more tables of a kind: local times, numbers,
//! flags and text keys, as plain vectors the engine loops over.
//!
//! They read the types the loader normalises columns to (`model` says which)
//! and nothing else: text is never parsed here, and a column of another type
//! reads as null.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, TimestampMicrosecondType};
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

/// Whether a column of this type holds dates or times: the loader makes
/// every time column `Timestamp(Microsecond, None | "UTC")`.
pub fn is_time_type(t: &DataType) -> bool {
    matches!(t, DataType::Timestamp(TimeUnit::Microsecond, _))
}

/// Local microseconds of a time column (`NONE` for null, and for a column
/// of another type); instants are shifted by `offset` (µs), wall-clock
/// values are taken as they are.
pub fn times(tables: &[&Table], column: &str, offset: i64) -> Option<Vec<i64>> {
    if !tables.iter().any(|t| t.has(column)) {
        return None;
    }
    let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
    for t in tables {
        match t.column(column) {
            Some(a) if is_time_type(a.data_type()) => {
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
            _ => out.extend(std::iter::repeat_n(NONE, t.rows())),
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

/// Flags of a column: a Boolean column as it is; in a number column 1 is
/// true and 0 false (flag spellings as the loader reads them, which keeps a
/// column of only 0 and 1 as numbers); anything else is null.
pub fn flags(tables: &[&Table], column: &str) -> Option<Vec<Flag>> {
    if !tables.iter().any(|t| t.has(column)) {
        return None;
    }
    let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
    for t in tables {
        let Some(a) = t.column(column) else {
            out.extend(std::iter::repeat_n(Flag::Null, t.rows()));
            continue;
        };
        let dt = a.data_type();
        if dt == &DataType::Boolean {
            let b: &BooleanArray = a.as_boolean();
            out.extend(b.iter().map(|v| match v {
                Some(true) => Flag::True,
                Some(false) => Flag::False,
                None => Flag::Null,
            }));
        } else if let Some(n) = (dt.is_integer() || dt == &DataType::Float64)
            .then(|| crate::load::cast::to_f64(a).ok())
            .flatten()
        {
            let n = n.as_primitive::<Float64Type>();
            out.extend(n.iter().map(|v| match v {
                Some(1.0) => Flag::True,
                Some(0.0) => Flag::False,
                _ => Flag::Null,
            }));
        } else {
            out.extend(std::iter::repeat_n(Flag::Null, t.rows()));
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
        ArrayRef, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
        TimestampMicrosecondArray, TimestampNanosecondArray,
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

    /// A people table loaded from an Arrow file with these extra columns,
    /// so that they are normalised as the loader does it.
    fn loaded(columns: Vec<(&str, ArrayRef)>) -> Table {
        let n = columns.first().map_or(0, |(_, a)| a.len());
        let ids: ArrayRef = Arc::new(StringArray::from_iter_values((0..n).map(|i| i.to_string())));
        let created: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![0; n]));
        let mut all = vec![("id", ids), ("created_at", created)];
        all.extend(columns);
        let batch = RecordBatch::try_from_iter(all).expect("valid batch");
        let mut bytes = Vec::new();
        let mut w =
            arrow_ipc::writer::FileWriter::try_new(&mut bytes, &batch.schema()).expect("writer");
        w.write(&batch).expect("writes");
        w.finish().expect("finishes");
        drop(w);
        crate::load::load("t.arrow", &bytes, Some(TableKind::People)).expect("loads")
    }

    #[test]
    fn time_columns_are_read_as_local_micros() {
        let offset = 7_200_000_000;
        let t = table(vec![
            (
                "a",
                Arc::new(TimestampMicrosecondArray::from(vec![Some(5), None])),
            ),
            (
                "z",
                Arc::new(TimestampMicrosecondArray::from(vec![Some(5), None]).with_timezone("UTC")),
            ),
            // Not what the loader writes: read as null.
            (
                "n",
                Arc::new(TimestampNanosecondArray::from(vec![Some(3_000), None])),
            ),
            (
                "s",
                Arc::new(StringArray::from(vec![Some("2026-03-01"), None])),
            ),
        ]);
        assert_eq!(times(&[&t], "a", offset), Some(vec![5, NONE]));
        // Zoned: instants shifted into the report time zone.
        assert_eq!(times(&[&t], "z", offset), Some(vec![5 + offset, NONE]));
        assert_eq!(times(&[&t], "n", offset), Some(vec![NONE, NONE]));
        assert_eq!(times(&[&t], "s", offset), Some(vec![NONE, NONE]));
        assert_eq!(times(&[&t], "missing", offset), None);
    }

    #[test]
    fn time_columns_of_any_unit_are_read_as_local_micros_once_loaded() {
        let day = crate::calendar::DAY;
        let t = loaded(vec![
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
        // Zoned: instants shifted into the report time zone; ns floored to µs.
        assert_eq!(
            times(&[&t], "b", offset),
            Some(vec![3 + offset, -1 + offset])
        );
        assert_eq!(times(&[&t], "c", offset), Some(vec![day, NONE]));
    }

    #[test]
    fn flags_are_booleans_and_ones_and_zeros() {
        use Flag::{False, Null, True};
        let t = table(vec![
            (
                "b",
                Arc::new(BooleanArray::from(vec![
                    Some(true),
                    Some(false),
                    None,
                    Some(true),
                ])),
            ),
            (
                "f",
                Arc::new(Float64Array::from(vec![
                    Some(1.0),
                    Some(0.0),
                    Some(2.0),
                    None,
                ])),
            ),
            (
                "i",
                Arc::new(Int64Array::from(vec![Some(1), Some(0), Some(-1), None])),
            ),
            (
                "s",
                Arc::new(StringArray::from(vec![
                    Some("true"),
                    Some("no"),
                    None,
                    Some("1"),
                ])),
            ),
        ]);
        let check = |column: &str, want: [Flag; 4]| {
            assert_eq!(flags(&[&t], column), Some(want.to_vec()), "{column}");
        };
        check("b", [True, False, Null, True]);
        check("f", [True, False, Null, Null]);
        check("i", [True, False, Null, Null]);
        // Text is the loader's to read: a text column here is no flags.
        check("s", [Null, Null, Null, Null]);
        assert_eq!(flags(&[&t], "missing"), None);
    }
}
