//! Column access: the tables of a kind read as plain vectors the measures
//! loop over, one entry per row (per person for people): local times,
//! period ids, numbers, flags and text label ids.
//!
//! Times and period ids are computed once per report and cached; times later
//! than as-of are read as none.

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use super::Engine;
use super::columns::{self, Flag};
use super::grid::NO_PERIOD;
use super::people::NO_ROW;
use super::time::{Calendar, NONE};
use crate::model::{Table, TableKind};

/// Texts of dimension and filter columns, as ids shared by all tables of a
/// report: segment `s` of a grid is label `s - 1`.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    list: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Labels {
    /// The id of a label, added when new.
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        self.list.push(text.to_owned());
        let id = (self.list.len() - 1) as u32;
        self.ids.insert(text.to_owned(), id);
        id
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// A label's text.
    pub fn get(&self, id: usize) -> Option<&str> {
        self.list.get(id).map(String::as_str)
    }
}

impl Engine<'_> {
    /// Whether there is a table of this kind (people: a people or events table).
    pub(super) fn has_table(&self, kind: TableKind) -> bool {
        if kind == TableKind::People {
            return self.prepared.people.is_some();
        }
        !self.tables(kind).is_empty()
    }

    /// Whether the tables of a kind have a column (people: merged columns too).
    pub(super) fn has_column(&self, kind: TableKind, column: &str) -> bool {
        if kind == TableKind::People
            && let Some(p) = &self.prepared.people
            && (p.has_time(column) || p.task_flags.contains_key(column))
        {
            return true;
        }
        self.tables(kind).iter().any(|t| t.has(column))
    }

    /// Length of the vectors of a kind: people for people, rows otherwise.
    pub(super) fn len(&self, kind: TableKind) -> usize {
        match (kind, &self.prepared.people) {
            (TableKind::People, Some(p)) => p.len,
            _ => self.len_rows(kind),
        }
    }

    /// Rows of the tables of a kind.
    fn len_rows(&self, kind: TableKind) -> usize {
        self.tables(kind).iter().map(|t| t.rows()).sum()
    }

    /// Local times of a column, `NONE` for null or later than as-of;
    /// computed once for the session's reports with the same time settings.
    pub(super) fn times(&self, kind: TableKind, column: &str) -> Rc<Vec<i64>> {
        if kind == TableKind::People
            && let Some(p) = &self.prepared.people
        {
            if let Some(v) = p.times.get(column) {
                return v.clone();
            }
            let key = (kind, column.to_owned());
            if let Some(v) = self.prepared.people_times.borrow_mut().get(&key) {
                return v;
            }
            let offset = self.settings.offset;
            if let Some(mut v) = p.merge_times(self.tables(kind), column, offset) {
                not_after(&mut v, self.as_of);
                let v = Rc::new(v);
                self.prepared
                    .people_times
                    .borrow_mut()
                    .insert(key, v.clone());
                return v;
            }
        }
        let key = (kind, column.to_owned());
        if let Some(v) = self.prepared.time_cache.borrow().get(&key) {
            return v.clone();
        }
        let v = Rc::new(self.compute_times(kind, column));
        self.prepared.time_cache.borrow_mut().insert(key, v.clone());
        v
    }

    fn compute_times(&self, kind: TableKind, column: &str) -> Vec<i64> {
        let mut v = columns::times(self.tables(kind), column, self.settings.offset)
            .unwrap_or_else(|| vec![NONE; self.len(kind)]);
        if kind == TableKind::People {
            v = self.per_person(&v, NONE);
        }
        not_after(&mut v, self.as_of);
        v
    }

    /// Period ids of a time column (`NO_PERIOD` for none); computed once per
    /// calendar (grain and fiscal year) for the session's reports.
    pub(super) fn anchor_periods(&self, kind: TableKind, column: &str) -> Rc<Vec<i32>> {
        let key = (self.settings.calendar, kind, column.to_owned());
        if let Some(v) = self.prepared.period_cache.borrow_mut().get(&key) {
            return v;
        }
        let v = Rc::new(period_ids(
            self.settings.calendar,
            &self.times(kind, column),
        ));
        self.prepared
            .period_cache
            .borrow_mut()
            .insert(key, v.clone());
        v
    }

    /// Maps a per-row vector of the people tables to a per-person one.
    pub(super) fn per_person<T: Copy>(&self, rows: &[T], missing: T) -> Vec<T> {
        match &self.prepared.people {
            Some(p) => p
                .rep
                .iter()
                .map(|r| {
                    if *r == NO_ROW {
                        missing
                    } else {
                        rows[*r as usize]
                    }
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// Numbers of a column, NaN for null (or for every row without the column).
    pub(super) fn numbers(&self, kind: TableKind, column: &str) -> Vec<f64> {
        let v = columns::numbers(self.tables(kind), column)
            .unwrap_or_else(|| vec![f64::NAN; self.len_rows(kind)]);
        if kind == TableKind::People {
            self.per_person(&v, f64::NAN)
        } else {
            v
        }
    }

    /// Flags of a column (people: merged flag tasks as merged).
    pub(super) fn flags(&self, kind: TableKind, column: &str) -> Vec<Flag> {
        if kind == TableKind::People
            && let Some(v) = self
                .prepared
                .people
                .as_ref()
                .and_then(|p| p.task_flags.get(column))
        {
            return v.clone();
        }
        let v = columns::flags(self.tables(kind), column)
            .unwrap_or_else(|| vec![Flag::Null; self.len_rows(kind)]);
        if kind == TableKind::People {
            self.per_person(&v, Flag::Null)
        } else {
            v
        }
    }

    /// Whether a column holds times (people: merged times too).
    pub(super) fn column_is_time(&self, kind: TableKind, column: &str) -> bool {
        if kind == TableKind::People
            && self
                .prepared
                .people
                .as_ref()
                .is_some_and(|p| p.has_time(column))
        {
            return true;
        }
        self.tables(kind).iter().any(|t| {
            t.column(column)
                .is_some_and(|a| matches!(a.data_type(), arrow_schema::DataType::Timestamp(_, _)))
        })
    }

    /// Text of a column as label ids (None for null or empty after
    /// trimming), per row of `tables`.
    pub(super) fn text_keys_raw(&self, tables: &[&Table], column: &str) -> Vec<Option<u32>> {
        let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
        let mut labels = self.labels.borrow_mut();
        for t in tables {
            let Some(a) = t.column(column) else {
                out.extend(std::iter::repeat_n(None, t.rows()));
                continue;
            };
            let (keys, local) = columns::text_keys(a);
            let global: Vec<Option<u32>> = local
                .iter()
                .map(|l| {
                    let l = l.trim();
                    (!l.is_empty()).then(|| labels.id(l))
                })
                .collect();
            out.extend(keys.iter().map(|k| k.and_then(|k| global[k as usize])));
        }
        out
    }

    /// Per row (per person for people), whether the column's text, trimmed,
    /// is not empty and passes `test`. Unlike [`Engine::text_keys_raw`] it adds
    /// nothing to the segment labels, so a filter on a column with a value
    /// per row (ids, amounts) does not widen every breakdown's grids.
    pub(super) fn text_rows(
        &self,
        kind: TableKind,
        column: &str,
        test: impl Fn(&str) -> bool,
    ) -> Vec<bool> {
        let tables = self.tables(kind);
        let mut out = Vec::with_capacity(tables.iter().map(|t| t.rows()).sum());
        for t in tables {
            let Some(a) = t.column(column) else {
                out.extend(std::iter::repeat_n(false, t.rows()));
                continue;
            };
            let (keys, local) = columns::text_keys(a);
            let pass: Vec<bool> = local
                .iter()
                .map(|l| {
                    let l = l.trim();
                    !l.is_empty() && test(l)
                })
                .collect();
            out.extend(keys.iter().map(|k| k.is_some_and(|k| pass[k as usize])));
        }
        if kind == TableKind::People {
            self.per_person(&out, false)
        } else {
            out
        }
    }

    /// A label's text.
    pub fn label(&self, id: usize) -> String {
        self.labels
            .borrow()
            .get(id)
            .map(str::to_owned)
            .unwrap_or_default()
    }
}

/// Period ids of local times (`NO_PERIOD` for none).
pub(crate) fn period_ids(cal: Calendar, times: &[i64]) -> Vec<i32> {
    times
        .iter()
        .map(|t| {
            if *t == NONE {
                NO_PERIOD
            } else {
                cal.period(*t)
            }
        })
        .collect()
}

/// Times later than `as_of` count as none (rows ignored, milestones not reached).
pub(crate) fn not_after(times: &mut [i64], as_of: i64) {
    for t in times {
        if *t > as_of {
            *t = NONE;
        }
    }
}

/// The latest time in any time column of any table (local µs). Planned
/// times are not data: budget months, and the expected close dates of open
/// deals (`closed_at` where `won` is null).
pub(crate) fn latest_time(tables: &[Table], offset: i64) -> Option<i64> {
    let mut latest: Option<i64> = None;
    for t in tables {
        // Which time columns count, as the kind's spec says (a budget's
        // months are a plan; an open deal's close date is expected).
        let rule = t.kind.spec().as_of;
        for f in t.batch.schema().fields() {
            if !columns::is_time_type(f.data_type()) {
                continue;
            }
            let Some(only_where) = rule.counts(f.name()) else {
                continue;
            };
            if let Some(mut v) = columns::times(&[t], f.name(), offset) {
                if let Some(present) = only_where {
                    let present = columns::flags(&[t], present).unwrap_or_default();
                    for (x, p) in v
                        .iter_mut()
                        .zip(present.iter().chain(std::iter::repeat(&Flag::Null)))
                    {
                        if *p == Flag::Null {
                            *x = NONE;
                        }
                    }
                }
                let Some(m) = v.into_iter().filter(|x| *x != NONE).max() else {
                    continue;
                };
                latest = Some(latest.map_or(m, |l: i64| l.max(m)));
            }
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{DAY, Grain};

    #[test]
    fn labels_are_ids_in_order_of_first_use() {
        let mut l = Labels::default();
        assert_eq!(l.id("email"), 0);
        assert_eq!(l.id("paid"), 1);
        assert_eq!(l.id("email"), 0);
        assert_eq!((l.len(), l.get(1), l.get(2)), (2, Some("paid"), None));
    }

    #[test]
    fn times_become_period_ids_and_later_than_as_of_none() {
        let cal = Calendar::new(Grain::Month, 1);
        // 1970-01-01, 1970-02-01 and a null.
        let mut times = vec![0, 31 * DAY, NONE];
        assert_eq!(period_ids(cal, &times), [23_640, 23_641, NO_PERIOD]);
        not_after(&mut times, 31 * DAY - 1);
        assert_eq!(times, [0, NONE, NONE]);
    }
}
