//! Deals: one row per deal, deduplicated by id (`docs/data-model.md`,
//! deals). Rows sharing an id are one deal; its earliest `created_at` row
//! is kept (ties by file order, a null `created_at` last) and the others
//! are dropped and counted. The as-of does not take part: a dropped row
//! never contributes, and the as-of then applies to the kept row.

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use super::Engine;
use super::columns;
use super::time::NONE;
use crate::model::TableKind;

/// Per row, whether it is its deal's kept row: the first row of each id by
/// earliest `created` (NONE last, ties by order). Rows without an id are
/// each their own deal.
pub(crate) fn first_of_each_id(ids: &[Option<u32>], created: &[i64]) -> Vec<bool> {
    let mut keep = vec![true; ids.len()];
    let mut first: HashMap<u32, usize> = HashMap::default();
    // A null time sorts after every time.
    let rank = |t: i64| if t == NONE { i64::MAX } else { t };
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        match first.get_mut(id) {
            None => {
                first.insert(*id, i);
            }
            Some(j) => {
                if rank(created[i]) < rank(created[*j]) {
                    keep[*j] = false;
                    *j = i;
                } else {
                    keep[i] = false;
                }
            }
        }
    }
    keep
}

impl Engine<'_> {
    /// Per deals row, whether it is its deal's kept row; computed once for
    /// the session's reports.
    pub(super) fn first_deal_rows(&self) -> Vec<bool> {
        let rows = self.prepared.deal_rows.get_or_init(|| {
            let tables = self.tables(TableKind::Deals);
            // Keys of their own: ids are no segment labels.
            let (ids, _, _) = columns::global_keys(tables, "id", |s| {
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_owned())
            });
            let created = columns::times(tables, "created_at", self.settings.offset)
                .unwrap_or_else(|| vec![NONE; ids.len()]);
            Rc::new(first_of_each_id(&ids, &created))
        });
        rows.as_ref().clone()
    }

    /// The number of deals rows dropped as duplicates of an earlier deal
    /// (for the data-quality section).
    pub fn duplicate_deals(&self) -> usize {
        self.first_deal_rows().iter().filter(|k| !**k).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_created_row_of_each_id_is_kept() {
        let check = |ids: &[Option<u32>], created: &[i64], expected: &[bool]| {
            assert_eq!(
                first_of_each_id(ids, created),
                expected,
                "{ids:?} {created:?}"
            );
        };
        // A later duplicate is dropped; an earlier one replaces the first.
        check(&[Some(1), Some(1)], &[5, 9], &[true, false]);
        check(&[Some(1), Some(1)], &[9, 5], &[false, true]);
        // Ties: file order; a null time loses to any time.
        check(&[Some(1), Some(1)], &[5, 5], &[true, false]);
        check(&[Some(1), Some(1)], &[NONE, 5], &[false, true]);
        check(&[Some(1), Some(1)], &[NONE, NONE], &[true, false]);
        // Three rows, other ids and rows without an id untouched.
        check(
            &[Some(1), Some(2), Some(1), None, None, Some(1)],
            &[7, 1, 3, 1, 1, 3],
            &[false, true, true, true, true, false],
        );
    }
}
