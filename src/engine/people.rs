//! People as the report counts them (`docs/data-model.md`, deduplication):
//! rows merged by id and e-mail (transitively), milestones filled from
//! events, entities found only in events added.

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::rc::Rc;

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, Int32Array, StringArray};
use arrow_schema::DataType;
use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use super::columns::{self, Flag};
use super::time::NONE;
use crate::model::{PEOPLE_MILESTONES, Table};

/// Marks a person who has no people row (found only in events).
pub(crate) const NO_ROW: u32 = u32::MAX;

/// Deduplicated people, one entry per person in every vector.
#[derive(Debug, Default)]
pub(crate) struct People {
    /// Number of people.
    pub len: usize,
    /// The row (index over the concatenated people tables) whose dimensions
    /// the person keeps, or [`NO_ROW`].
    pub rep: Vec<u32>,
    /// Merged times by column: `created_at`, milestones, timestamp tasks.
    /// Without events they are merged on demand instead ([`People::lazy`]).
    pub times: HashMap<String, Rc<Vec<i64>>>,
    /// Time columns merged on demand by [`People::merge_times`], so that a
    /// report holds only the ones it is using (at 10M people all of them
    /// would take a gigabyte, too much for a browser tab).
    pub lazy: Vec<String>,
    /// Person of each row of the people tables (kept for `lazy` columns).
    person: Vec<u32>,
    /// Merged flag tasks (true when true in any row).
    pub task_flags: HashMap<String, Vec<Flag>>,
    /// Names of the `task_*` columns, in table order.
    pub tasks: Vec<String>,
    /// Rows merged into another row of the same person.
    pub merged_rows: usize,
    /// Rows merged because they share an id with another row.
    pub merged_by_id: usize,
    /// Rows merged (further) because they share an e-mail with another row.
    pub merged_by_email: usize,
    /// People added because they appear only in events.
    pub from_events: usize,
}

/// A union-find over row indices.
struct Sets {
    parent: Vec<u32>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        let mut root = x;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        while self.parent[x as usize] != root {
            let next = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = next;
        }
        root
    }
    /// Joins the sets of `a` and `b`; returns whether they were apart.
    fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        // The earlier row becomes the root; order is irrelevant to results.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[hi as usize] = lo;
        true
    }
}

/// A text column over several tables, read in place: row `r` of the
/// concatenation, as text, without copying the column.
struct TextRows {
    /// (first row, part) in row order.
    parts: Vec<(usize, Part)>,
}

enum Part {
    Utf8(StringArray),
    Dictionary(Int32Array, StringArray),
    /// Another type, formatted once.
    Formatted(Vec<Option<String>>),
    Missing,
}

impl TextRows {
    fn new(tables: &[&Table], column: &str) -> Self {
        let mut parts = Vec::with_capacity(tables.len());
        let mut start = 0;
        for t in tables {
            let part = match t.column(column) {
                None => Part::Missing,
                Some(a) => match a.data_type() {
                    DataType::Utf8 => Part::Utf8(a.as_string::<i32>().clone()),
                    DataType::Dictionary(k, v)
                        if **k == DataType::Int32 && **v == DataType::Utf8 =>
                    {
                        let d = a.as_dictionary::<Int32Type>();
                        Part::Dictionary(d.keys().clone(), d.values().as_string::<i32>().clone())
                    }
                    _ => Part::Formatted(columns::text_values(a)),
                },
            };
            parts.push((start, part));
            start += t.rows();
        }
        TextRows { parts }
    }

    fn get(&self, row: usize) -> Option<&str> {
        let i = self.parts.partition_point(|(start, _)| *start <= row) - 1;
        let (start, part) = &self.parts[i];
        let r = row - start;
        match part {
            Part::Utf8(a) => a.is_valid(r).then(|| a.value(r)),
            Part::Dictionary(keys, values) => {
                let k = usize::try_from(keys.is_valid(r).then(|| keys.value(r))?).ok()?;
                (k < values.len() && values.is_valid(k)).then(|| values.value(k))
            }
            Part::Formatted(v) => v.get(r)?.as_deref(),
            Part::Missing => None,
        }
    }
}

/// Normalises a raw value to the text rows are matched on (None = no key).
type Normalise = fn(&str) -> Option<Cow<'_, str>>;

fn id_key(s: &str) -> Option<Cow<'_, str>> {
    let t = s.trim();
    (!t.is_empty()).then_some(Cow::Borrowed(t))
}

fn email_key(s: &str) -> Option<Cow<'_, str>> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Some(Cow::Owned(t.to_lowercase()))
    } else {
        Some(Cow::Borrowed(t))
    }
}

/// The first row of each distinct key of a text column: a hash table of row
/// numbers whose text is read from the column itself, so no key is copied.
struct KeyIndex {
    rows: TextRows,
    norm: Normalise,
    first: HashTable<u32>,
}

impl KeyIndex {
    fn hash(key: &str) -> u64 {
        FxBuildHasher.hash_one(key)
    }

    fn key(&self, row: u32) -> Option<Cow<'_, str>> {
        self.rows.get(row as usize).and_then(self.norm)
    }

    /// The first row whose key is the key of `text`.
    fn first_row(&self, text: &str) -> Option<u32> {
        let key = (self.norm)(text)?;
        self.first
            .find(Self::hash(&key), |&r| self.key(r).as_deref() == Some(&*key))
            .copied()
    }

    /// Indexes `rows` rows of `column`, joining in `sets` every row with the
    /// first row of the same key. Returns the index and how many rows joined
    /// another person through this key.
    fn link(
        tables: &[&Table],
        column: &str,
        norm: Normalise,
        rows: usize,
        sets: &mut Sets,
    ) -> (Self, usize) {
        let text = TextRows::new(tables, column);
        let key = |row: u32| text.get(row as usize).and_then(norm);
        let mut first = HashTable::with_capacity(rows);
        let mut merged = 0;
        for row in 0..rows as u32 {
            let Some(k) = key(row) else { continue };
            let hash = Self::hash(&k);
            match first.find(hash, |&r| key(r).as_deref() == Some(&*k)) {
                Some(&r) => merged += usize::from(sets.union(r, row)),
                None => {
                    first.insert_unique(hash, row, |&r| {
                        Self::hash(key(r).as_deref().unwrap_or_default())
                    });
                }
            }
        }
        let index = KeyIndex {
            rows: text,
            norm,
            first,
        };
        (index, merged)
    }
}

/// Builds people from the people tables and (optionally) events.
/// `event_names` maps a milestone to the event name that sets it.
pub(crate) fn build(
    tables: &[&Table],
    events: &[&Table],
    event_names: &HashMap<String, String>,
    offset: i64,
) -> People {
    let rows: usize = tables.iter().map(|t| t.rows()).sum();
    let mut sets = Sets::new(rows);
    let (ids, merged_by_id) = KeyIndex::link(tables, "id", id_key, rows, &mut sets);
    let (emails, merged_by_email) = KeyIndex::link(tables, "email", email_key, rows, &mut sets);
    drop(emails);
    // Events are matched to people by id; without events the index goes now.
    let ids = (!events.is_empty()).then_some(ids);

    // Person index per row, in order of first row.
    let mut person_of_root = vec![NO_ROW; rows];
    let mut person = vec![0u32; rows];
    let mut len = 0usize;
    for (row, slot) in person.iter_mut().enumerate() {
        let root = sets.find(row as u32) as usize;
        if person_of_root[root] == NO_ROW {
            person_of_root[root] = len as u32;
            len += 1;
        }
        *slot = person_of_root[root];
    }
    drop(person_of_root);
    drop(sets);
    let people_from_rows = len;

    // Columns to merge.
    let mut time_columns: Vec<String> = vec!["created_at".to_owned()];
    time_columns.extend(PEOPLE_MILESTONES.iter().map(|s| (*s).to_owned()));
    let mut tasks: Vec<String> = Vec::new();
    for t in tables {
        for f in t.batch.schema().fields() {
            let name = f.name();
            if name.starts_with("task_") && !tasks.contains(name) {
                tasks.push(name.clone());
            }
        }
    }
    let mut flag_tasks = Vec::new();
    for task in &tasks {
        let is_flag = tables.iter().any(|t| {
            t.column(task)
                .is_some_and(|a| a.data_type() == &arrow_schema::DataType::Boolean)
        });
        if is_flag {
            flag_tasks.push(task.clone());
        } else {
            time_columns.push(task.clone());
        }
    }

    // Other `*_at` columns (custom milestones) merge like milestones.
    for t in tables {
        for f in t.batch.schema().fields() {
            let name = f.name();
            if name.ends_with("_at") && !time_columns.contains(name) {
                time_columns.push(name.clone());
            }
        }
    }
    // Representative row: earliest created_at, ties by file order, null last.
    let mut rep = vec![NO_ROW; len];
    {
        let created =
            columns::times(tables, "created_at", offset).unwrap_or_else(|| vec![NONE; rows]);
        for (row, c) in created.iter().enumerate() {
            let r = &mut rep[person[row] as usize];
            if *r == NO_ROW {
                *r = row as u32;
            } else {
                let cur = created[*r as usize];
                if *c != NONE && (cur == NONE || *c < cur) {
                    *r = row as u32;
                }
            }
        }
    }
    let time_columns: Vec<String> = time_columns
        .into_iter()
        .filter(|c| tables.iter().any(|t| t.has(c)))
        .collect();
    let mut times: HashMap<String, Rc<Vec<i64>>> = HashMap::default();
    if !events.is_empty() {
        for c in &time_columns {
            times.insert(c.clone(), Rc::new(merge(tables, c, offset, &person, len)));
        }
    }
    let mut task_flags: HashMap<String, Vec<Flag>> = HashMap::default();
    for c in &flag_tasks {
        let Some(values) = columns::flags(tables, c) else {
            continue;
        };
        let mut merged = vec![Flag::Null; len];
        for (row, v) in values.iter().enumerate() {
            let m = &mut merged[person[row] as usize];
            *m = match (*m, *v) {
                (Flag::True, _) | (_, Flag::True) => Flag::True,
                (Flag::False, _) | (_, Flag::False) => Flag::False,
                _ => Flag::Null,
            };
        }
        task_flags.insert(c.clone(), merged);
    }
    let lazy = if ids.is_some() {
        Vec::new()
    } else {
        time_columns
    };
    let mut people = People {
        len,
        rep,
        times,
        lazy,
        task_flags,
        tasks,
        merged_rows: rows - people_from_rows,
        merged_by_id,
        merged_by_email,
        from_events: 0,
        person: Vec::new(),
    };
    if let Some(ids) = &ids {
        add_events(&mut people, events, event_names, offset, ids, &person);
    } else {
        people.person = person;
    }
    people
}

/// The earliest time of each person's rows in a time column, read one table
/// at a time (at most one table's column is held as i64 twice).
fn merge(tables: &[&Table], column: &str, offset: i64, person: &[u32], len: usize) -> Vec<i64> {
    let mut merged = vec![NONE; len];
    let mut start = 0;
    for t in tables {
        let values = columns::times(&[*t], column, offset).unwrap_or_default();
        for (row, v) in values.iter().enumerate() {
            if *v != NONE {
                let m = &mut merged[person[start + row] as usize];
                if *m == NONE || *v < *m {
                    *m = *v;
                }
            }
        }
        start += t.rows();
    }
    merged
}

impl People {
    /// Whether the people have this time column.
    pub fn has_time(&self, column: &str) -> bool {
        self.times.contains_key(column) || self.lazy.iter().any(|c| c == column)
    }

    /// A [`People::lazy`] time column merged per person (None for others).
    pub fn merge_times(&self, tables: &[&Table], column: &str, offset: i64) -> Option<Vec<i64>> {
        self.lazy
            .iter()
            .any(|c| c == column)
            .then(|| merge(tables, column, offset, &self.person, self.len))
    }
}

/// Fills milestones from events and adds people found only in events.
fn add_events(
    people: &mut People,
    events: &[&Table],
    event_names: &HashMap<String, String>,
    offset: i64,
    ids: &KeyIndex,
    person_of_row: &[u32],
) {
    let Some(ts) = columns::times(events, "timestamp", offset) else {
        return;
    };
    let (entity, _, entity_map) = columns::global_keys(events, "entity_id", |s| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    });
    let (names, _, name_map) =
        columns::global_keys(events, "event", |s| Some(s.trim().to_lowercase()));
    // Entity key → person.
    let mut entity_person: Vec<u32> = vec![NO_ROW; entity_map.len()];
    let mut by_key: Vec<(&String, &u32)> = entity_map.iter().collect();
    by_key.sort_by_key(|(_, k)| **k);
    for (text, key) in by_key {
        if let Some(row) = ids.first_row(text) {
            entity_person[*key as usize] = person_of_row[row as usize];
        }
    }
    // Entities only in events become people, created at their first event.
    for (row, e) in entity.iter().enumerate() {
        let (Some(e), t) = (e, ts[row]) else { continue };
        if t == NONE {
            continue;
        }
        let slot = &mut entity_person[*e as usize];
        if *slot == NO_ROW {
            *slot = people.len as u32;
            people.len += 1;
            people.from_events += 1;
            people.rep.push(NO_ROW);
            for v in people.task_flags.values_mut() {
                v.push(Flag::Null);
            }
        }
    }
    if people.from_events > 0 {
        people
            .times
            .entry("created_at".to_owned())
            .or_insert_with(|| Rc::new(vec![NONE; people.len]));
    }
    for v in people.times.values_mut() {
        Rc::make_mut(v).resize(people.len, NONE);
    }
    // First event of any name: created_at of event-only people.
    let n_rows_people = people.len - people.from_events;
    let mut first_any = vec![NONE; people.len];
    for (row, e) in entity.iter().enumerate() {
        if let Some(e) = e {
            let p = entity_person[*e as usize];
            let t = ts[row];
            if p != NO_ROW
                && t != NONE
                && (first_any[p as usize] == NONE || t < first_any[p as usize])
            {
                first_any[p as usize] = t;
            }
        }
    }
    if let Some(created) = people.times.get_mut("created_at").map(Rc::make_mut) {
        created[n_rows_people..people.len].copy_from_slice(&first_any[n_rows_people..people.len]);
    }
    // Milestones: the first matching event when the person has none.
    for m in PEOPLE_MILESTONES {
        let event = event_names
            .get(m)
            .cloned()
            .unwrap_or_else(|| m.trim_end_matches("_at").to_owned())
            .trim()
            .to_lowercase();
        let Some(&name_key) = name_map.get(&event) else {
            continue;
        };
        let mut first = vec![NONE; people.len];
        for (row, (e, n)) in entity.iter().zip(&names).enumerate() {
            if let (Some(e), Some(n)) = (e, n) {
                let p = entity_person[*e as usize];
                let t = ts[row];
                if *n == name_key
                    && p != NO_ROW
                    && t != NONE
                    && (first[p as usize] == NONE || t < first[p as usize])
                {
                    first[p as usize] = t;
                }
            }
        }
        let target = people
            .times
            .entry(m.to_owned())
            .or_insert_with(|| Rc::new(vec![NONE; people.len]));
        for (cur, ev) in Rc::make_mut(target).iter_mut().zip(first) {
            if *cur == NONE {
                *cur = ev;
            }
        }
    }
}
