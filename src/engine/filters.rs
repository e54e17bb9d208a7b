//! Row filters: which rows (people) of a kind match a definition's
//! conditions (`docs/kpi-format.md`, "Aggregates").

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
