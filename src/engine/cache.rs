//! Caches of column vectors: each column is read once per report and shared
//! between the KPIs that use it; what does not depend on the grain or the
//! breakdown is kept for the session's next report too (`Prepared`).

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use crate::model::TableKind;

/// A column of the tables of one kind.
pub(crate) type ColumnKey = (TableKind, String);

/// Vectors of columns kept for the whole report, keyed by table kind and column.
pub(crate) type ColumnCache<T> = RefCell<HashMap<ColumnKey, Rc<Vec<T>>>>;

/// Vectors of columns, most recently used last, within a memory budget: at
/// 10M people every column's period ids would take half a gigabyte and
/// every merged time column a gigabyte, which a browser tab does not have to
/// spare. (At 1M everything fits and nothing is forgotten.)
pub(crate) struct Budgeted<T, K = ColumnKey> {
    budget: usize,
    entries: Vec<(K, Rc<Vec<T>>)>,
}

impl<T, K: PartialEq> Budgeted<T, K> {
    /// An empty cache holding up to `budget` bytes of vectors.
    pub fn new(budget: usize) -> Self {
        Budgeted {
            budget,
            entries: Vec::new(),
        }
    }

    /// The vector of a column, if kept; it becomes the most recently used.
    pub fn get(&mut self, key: &K) -> Option<Rc<Vec<T>>> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(i);
        let v = entry.1.clone();
        self.entries.push(entry);
        Some(v)
    }

    /// Keeps `v`, forgetting the least recently used entries over the budget
    /// (the newest is kept even when larger).
    pub fn insert(&mut self, key: K, v: Rc<Vec<T>>) {
        self.entries.push((key, v));
        let bytes = |e: &[(K, Rc<Vec<T>>)]| -> usize {
            e.iter().map(|(_, v)| v.len() * size_of::<T>()).sum()
        };
        while self.entries.len() > 1 && bytes(&self.entries) > self.budget {
            self.entries.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(column: &str) -> ColumnKey {
        (TableKind::People, column.to_owned())
    }

    /// The columns kept, least recently used first.
    fn kept(c: &Budgeted<i32>) -> Vec<&str> {
        c.entries.iter().map(|(k, _)| k.1.as_str()).collect()
    }

    #[test]
    fn the_least_recently_used_is_forgotten_over_the_budget() {
        // 16 bytes: four i32s.
        let mut c = Budgeted::new(16);
        c.insert(key("a"), Rc::new(vec![1, 2]));
        c.insert(key("b"), Rc::new(vec![3]));
        c.insert(key("c"), Rc::new(vec![4]));
        assert_eq!(kept(&c), ["a", "b", "c"]);
        // Five i32s: `a` goes first, then the budget holds.
        c.insert(key("d"), Rc::new(vec![5]));
        assert_eq!(kept(&c), ["b", "c", "d"]);
        assert!(c.get(&key("a")).is_none());
        assert_eq!(c.get(&key("b")).as_deref(), Some(&vec![3]));
    }

    #[test]
    fn get_makes_an_entry_the_most_recently_used() {
        let mut c = Budgeted::new(12);
        c.insert(key("a"), Rc::new(vec![1]));
        c.insert(key("b"), Rc::new(vec![2]));
        c.insert(key("c"), Rc::new(vec![3]));
        assert!(c.get(&key("a")).is_some());
        assert_eq!(kept(&c), ["b", "c", "a"]);
        c.insert(key("d"), Rc::new(vec![4]));
        assert_eq!(kept(&c), ["c", "a", "d"]);
    }

    #[test]
    fn the_newest_is_kept_even_when_larger_than_the_budget() {
        let mut c = Budgeted::new(8);
        c.insert(key("a"), Rc::new(vec![1]));
        c.insert(key("big"), Rc::new(vec![0; 100]));
        assert_eq!(kept(&c), ["big"]);
        assert_eq!(c.get(&key("big")).map(|v| v.len()), Some(100));
        // A smaller newcomer pushes it out.
        c.insert(key("b"), Rc::new(vec![2]));
        assert_eq!(kept(&c), ["b"]);
    }
}
