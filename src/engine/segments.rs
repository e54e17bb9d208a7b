//! The breakdown: one segment key per row (per person for people) for the
//! report's dimension, from the table's own column or joined from accounts.
//! Labels are trimmed; an empty or missing one is `(none)`. See
//! `docs/data-model.md` (segments).

use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use super::Engine;
use crate::model::TableKind;

/// Segment keys per row, shared between the KPIs of a report.
pub(crate) type SegmentKeys = Option<Rc<Vec<u32>>>;

/// The label of rows without a value of the dimension.
const NONE_LABEL: &str = "(none)";

/// The column that holds dimension `by` in a table of `kind`: the kind's
/// channel column for `channel` (people call it `source`), and `source`
/// names that column too where the kind calls it `channel`.
fn dimension_column(kind: TableKind, by: &str) -> String {
    match kind.spec().channel {
        Some(channel) if by == "channel" || by == "source" => channel.to_owned(),
        _ => by.to_owned(),
    }
}

impl Engine<'_> {
    /// Segment key per row (per person for people) for the breakdown, or
    /// `None` when there is no breakdown; `Err` says why the kind cannot be
    /// broken down by it.
    pub(super) fn segments(&self, kind: TableKind) -> Result<SegmentKeys, String> {
        let Some(by) = self.settings.by.clone() else {
            return Ok(None);
        };
        if let Some(r) = self.seg_cache.borrow().get(&kind) {
            return r.clone();
        }
        let r = self.compute_segments(kind, &by).map(|v| Some(Rc::new(v)));
        self.seg_cache.borrow_mut().insert(kind, r.clone());
        r
    }

    fn compute_segments(&self, kind: TableKind, by: &str) -> Result<Vec<u32>, String> {
        let column = dimension_column(kind, by);
        let none = self.labels.borrow_mut().id(NONE_LABEL);
        let tables = self.tables(kind);
        let keys: Vec<Option<u32>> = if tables.iter().any(|t| t.has(&column)) {
            self.text_keys_raw(tables, &column)
        } else {
            let accounts = self.tables(TableKind::Accounts);
            let accounts_key = TableKind::Accounts.spec().account_key;
            let join = kind
                .spec()
                .account_key
                .zip(accounts_key)
                .filter(|(key, _)| kind != TableKind::Accounts && tables.iter().any(|t| t.has(key)))
                .filter(|_| accounts.iter().any(|t| t.has(&column)));
            let Some((key, accounts_key)) = join else {
                return Err(format!("{kind} has no {by} column"));
            };
            // Join: account id → dimension label.
            let acc_ids = self.text_keys_raw(accounts, accounts_key);
            let acc_dim = self.text_keys_raw(accounts, &column);
            let mut by_account: HashMap<u32, Option<u32>> = HashMap::default();
            for (id, d) in acc_ids.iter().zip(&acc_dim) {
                if let Some(id) = id {
                    by_account.entry(*id).or_insert(*d);
                }
            }
            self.text_keys_raw(tables, key)
                .iter()
                .map(|a| a.and_then(|a| by_account.get(&a).copied().flatten()))
                .collect()
        };
        let keys: Vec<u32> = keys.into_iter().map(|k| k.unwrap_or(none)).collect();
        Ok(if kind == TableKind::People {
            self.per_person(&keys, none)
        } else {
            keys
        })
    }

    /// Segment keys for a kind when segmented.
    pub(super) fn segs(&self, kind: TableKind, segmented: bool) -> SegmentKeys {
        if !segmented {
            return None;
        }
        self.segments(kind).ok().flatten()
    }

    /// Number of segments of a grid, the total included.
    pub(super) fn ns(&self, segmented: bool) -> usize {
        if segmented {
            1 + self.labels.borrow().len()
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_and_source_are_one_dimension() {
        let check = |kind, by, expected: &str| assert_eq!(dimension_column(kind, by), expected);
        check(TableKind::People, "channel", "source");
        check(TableKind::People, "source", "source");
        check(TableKind::Spend, "source", "channel");
        check(TableKind::Revenue, "source", "channel");
        check(TableKind::Spend, "channel", "channel");
        check(TableKind::Accounts, "segment", "segment");
    }
}
