//! Row filters: which rows (people) of a kind match a definition's
//! conditions (`docs/kpi-format.md`, "Aggregates").

use arrow_array::Array;
use arrow_schema::DataType;

use super::Engine;
use super::columns::Flag;
use super::time::NONE;
use crate::catalog::Condition;
use crate::model::TableKind;

impl Engine<'_> {
    /// Rows matching every condition (for deals, only each deal's first
    /// row: see `deals`).
    pub(super) fn mask(&self, kind: TableKind, filter: &[Condition]) -> Vec<bool> {
        let mut keep = if kind == TableKind::Deals {
            self.first_deal_rows()
        } else {
            vec![true; self.len(kind)]
        };
        for c in filter {
            match (&c.eq, c.not_null) {
                (Some(serde_json::Value::Bool(b)), _) => {
                    let want = if *b { Flag::True } else { Flag::False };
                    keep_where(&mut keep, self.flags(kind, &c.column), |f| f == want);
                }
                (Some(serde_json::Value::Number(x)), _) => {
                    let x = x.as_f64().unwrap_or(f64::NAN);
                    keep_where(&mut keep, self.numbers(kind, &c.column), |v| v == x);
                }
                (Some(serde_json::Value::String(s)), _) => {
                    let want = s.trim();
                    let equal = self.text_rows(kind, &c.column, |l| l == want);
                    keep_where(&mut keep, equal, |e| e);
                }
                (_, Some(want)) => {
                    let present: Vec<bool> = if self.column_is_time(kind, &c.column) {
                        self.times(kind, &c.column)
                            .iter()
                            .map(|t| *t != NONE)
                            .collect()
                    } else if let Some(valid) = self.valid_rows(kind, &c.column) {
                        valid
                    } else {
                        let flags = self.flags(kind, &c.column);
                        let texts = self.text_rows(kind, &c.column, |_| true);
                        flags
                            .iter()
                            .zip(texts)
                            .map(|(f, t)| *f != Flag::Null || t)
                            .collect()
                    };
                    keep_where(&mut keep, present, |p| p == want);
                }
                _ => {}
            }
        }
        keep
    }

    /// Per row, whether a flag or number column holds a value, when every
    /// table of a kind (other than people, whose flags may be merged) has
    /// it as such: there a value is present exactly when it is not null
    /// (its text is never empty), and no text need be formatted.
    fn valid_rows(&self, kind: TableKind, column: &str) -> Option<Vec<bool>> {
        if kind == TableKind::People {
            return None;
        }
        let tables = self.tables(kind);
        let arrays: Vec<_> = tables.iter().map(|t| t.column(column)).collect();
        let plain =
            |t: &DataType| t == &DataType::Boolean || t == &DataType::Float64 || t.is_integer();
        if !arrays
            .iter()
            .all(|a| a.is_none_or(|a| plain(a.data_type())))
        {
            return None;
        }
        let mut out = Vec::with_capacity(self.len(kind));
        for (t, a) in tables.iter().zip(arrays) {
            match a {
                Some(a) => out.extend((0..a.len()).map(|i| a.is_valid(i))),
                None => out.extend(std::iter::repeat_n(false, t.rows())),
            }
        }
        Some(out)
    }
}

/// Clears `keep` where the row's value fails `test` (rows past the end of
/// `values` are left as they are).
fn keep_where<T>(keep: &mut [bool], values: Vec<T>, test: impl Fn(T) -> bool) {
    for (k, v) in keep.iter_mut().zip(values) {
        *k &= test(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_clear_rows_they_fail() {
        let mut keep = vec![true, true, false, true];
        keep_where(&mut keep, vec![1.0, 2.0, 1.0, 1.0], |v| v == 1.0);
        assert_eq!(keep, [true, false, false, true]);
        keep_where(&mut keep, vec![Flag::True, Flag::True], |f| f == Flag::True);
        assert_eq!(keep, [true, false, false, true]);
        keep_where(&mut keep, vec![Some(0), None, Some(0), Some(1)], |k| {
            k == Some(0)
        });
        assert_eq!(keep, [true, false, false, false]);
    }
}
