//! The KPI engine: interprets KPI definitions over loaded tables, by period
//! and segment.
//!
//! Everything runs over plain vectors built once from Arrow columns: local
//! times (`i64` µs), integer period ids and integer segment keys. Values are
//! accumulated in dense grids indexed by (period, segment), segment 0 being
//! the total, so no work is per-row allocation and nothing is quadratic.

pub mod columns;
pub mod people;
pub mod revenue;
pub mod time;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use columns::Flag;
use people::{NO_ROW, People};
use time::{Calendar, DAY, HOUR, NONE};

use crate::catalog::{Agg, Aggregate, Condition, DurationStat, KpiDef, Measure};
use crate::model::{Table, TableKind};

/// No period (null or beyond as-of).
const NO_PERIOD: i32 = i32::MIN;

/// One value of a KPI for a period and segment, before formatting.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// The KPI value.
    pub value: Option<f64>,
    /// Numerator of a ratio.
    pub num: Option<f64>,
    /// Denominator of a ratio.
    pub den: Option<f64>,
    /// Whether the segment has rows in this period.
    pub rows: bool,
}

/// A KPI's cells over a range of periods and all segments.
#[derive(Debug, Clone)]
pub struct Grid {
    /// First period id of the grid.
    pub p0: i32,
    /// Number of periods.
    pub np: usize,
    /// Number of segments, the total included (index 0).
    pub ns: usize,
    /// Cells, period-major.
    pub cells: Vec<Cell>,
    /// First and last period with total points.
    pub range: Option<(i32, i32)>,
    /// Funnel step name.
    pub step: Option<String>,
    /// Per-period incomplete flags (indexed like periods).
    pub incomplete: Vec<bool>,
    /// Periods before this have no value at all (revenue).
    pub defined_from: Option<i32>,
    /// Per-period flags (indexed like periods; empty = none): periods that
    /// have no point at all, not even the total (revenue periods without a
    /// month of data).
    pub absent: Vec<bool>,
}

impl Grid {
    fn new(range: (i32, i32), ns: usize) -> Grid {
        let p0 = range.0 - 2;
        let np = (range.1 - p0 + 1).max(0) as usize;
        Grid {
            p0,
            np,
            ns,
            cells: vec![Cell::default(); np * ns],
            range: Some(range),
            step: None,
            incomplete: vec![false; np],
            defined_from: None,
            absent: Vec::new(),
        }
    }

    /// Index of a cell.
    pub fn at(&self, p: i32, s: usize) -> Option<usize> {
        let i = p.checked_sub(self.p0)?;
        (i >= 0 && (i as usize) < self.np && s < self.ns).then(|| i as usize * self.ns + s)
    }

    /// Whether a period has no point at all.
    pub fn is_absent(&self, p: i32) -> bool {
        self.at(p, 0)
            .and_then(|i| self.absent.get(i / self.ns))
            .copied()
            .unwrap_or(false)
    }

    /// The cell of a period and segment, if inside the grid.
    pub fn cell(&self, p: i32, s: usize) -> Option<&Cell> {
        self.at(p, s).map(|i| &self.cells[i])
    }

    fn empty() -> Grid {
        Grid {
            p0: 0,
            np: 0,
            ns: 1,
            cells: Vec::new(),
            range: None,
            step: None,
            incomplete: Vec::new(),
            defined_from: None,
            absent: Vec::new(),
        }
    }
}

/// Dense per-cell accumulators of one f64 each.
struct Acc {
    p0: i32,
    np: usize,
    ns: usize,
    v: Vec<f64>,
}

impl Acc {
    fn new(g: &Grid) -> Acc {
        Acc {
            p0: g.p0,
            np: g.np,
            ns: g.ns,
            v: vec![0.0; g.np * g.ns],
        }
    }
    /// Adds to the total and, when given, to the segment.
    #[inline]
    fn add(&mut self, p: i32, seg: Option<u32>, x: f64) {
        let i = (p - self.p0) as usize;
        if i < self.np {
            self.v[i * self.ns] += x;
            if let Some(s) = seg {
                self.v[i * self.ns + 1 + s as usize] += x;
            }
        }
    }
    fn get(&self, i: usize) -> f64 {
        self.v[i]
    }
}

/// Segment keys per row, shared between the KPIs of a report.
type SegmentKeys = Option<std::rc::Rc<Vec<u32>>>;

/// The rows of one aggregate: period, segment key, value and anchor time per row.
type AggregateRows = (Vec<i32>, SegmentKeys, Vec<f64>, Rc<Vec<i64>>);

/// Per-report caches of columns, keyed by table kind and column.
type ColumnCache<T> = RefCell<HashMap<(TableKind, String), Rc<Vec<T>>>>;

/// Per-report vectors of columns, most recently used last, within a memory
/// budget: at 10M people every column's period ids would take half a
/// gigabyte and every merged time column a gigabyte, which a browser tab
/// does not have to spare. (At 1M everything fits and nothing is evicted.)
struct Budgeted<T> {
    budget: usize,
    entries: Vec<(ColumnKey, Rc<Vec<T>>)>,
}

/// A column of the tables of one kind.
type ColumnKey = (TableKind, String);

impl<T> Budgeted<T> {
    fn new(budget: usize) -> Self {
        Budgeted {
            budget,
            entries: Vec::new(),
        }
    }

    fn get(&mut self, key: &ColumnKey) -> Option<Rc<Vec<T>>> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(i);
        let v = entry.1.clone();
        self.entries.push(entry);
        Some(v)
    }

    /// Keeps `v`, forgetting the least recently used entries over the budget
    /// (the newest is kept even when larger).
    fn insert(&mut self, key: ColumnKey, v: Rc<Vec<T>>) {
        self.entries.push((key, v));
        let bytes = |e: &[(ColumnKey, Rc<Vec<T>>)]| -> usize {
            e.iter().map(|(_, v)| v.len() * size_of::<T>()).sum()
        };
        while self.entries.len() > 1 && bytes(&self.entries) > self.budget {
            self.entries.remove(0);
        }
    }
}

/// Settings of one report run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Grain and fiscal year.
    pub calendar: Calendar,
    /// Report time zone offset in µs.
    pub offset: i64,
    /// Explicit as-of date (days since epoch), end of that day.
    pub as_of_date: Option<i64>,
    /// Breakdown dimension.
    pub by: Option<String>,
    /// Weights of task columns.
    pub task_weights: BTreeMap<String, f64>,
    /// Milestone → event name.
    pub event_names: HashMap<String, String>,
}

/// A KPI's computed result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Whether its inputs are there.
    pub available: bool,
    /// Why it is unavailable, or why its breakdown is.
    pub reason: Option<String>,
    /// One grid per series (funnel steps), totals and segments.
    pub grids: Vec<Grid>,
}

/// The engine over one set of tables and settings.
pub struct Engine<'a> {
    /// Settings.
    pub settings: Settings,
    tables: BTreeMap<TableKind, Vec<&'a Table>>,
    people: Option<People>,
    /// Latest time in the data or the explicit as-of (local µs, inclusive).
    pub as_of: i64,
    labels: RefCell<(Vec<String>, HashMap<String, u32>)>,
    seg_cache: RefCell<HashMap<TableKind, Result<SegmentKeys, String>>>,
    time_cache: ColumnCache<i64>,
    period_cache: RefCell<Budgeted<i32>>,
    /// Merged people times computed on demand (`People::lazy`).
    people_times: RefCell<Budgeted<i64>>,
    revenue_cache: RefCell<[Option<std::rc::Rc<Option<revenue::Table>>>; 2]>,
    /// Out-of-order milestone counts found, by (base, target).
    pub out_of_order: RefCell<BTreeMap<(String, String), usize>>,
}

/// A source of rows: its length and per-column access.
impl<'a> Engine<'a> {
    /// Prepares the tables: groups them by kind, builds people.
    pub fn new(tables: &'a [Table], settings: Settings) -> Engine<'a> {
        let mut by_kind: BTreeMap<TableKind, Vec<&Table>> = BTreeMap::new();
        for t in tables {
            by_kind.entry(t.kind).or_default().push(t);
        }
        let offset = settings.offset;
        let people_tables = by_kind.get(&TableKind::People).cloned().unwrap_or_default();
        let events = by_kind.get(&TableKind::Events).cloned().unwrap_or_default();
        let people = (!people_tables.is_empty() || !events.is_empty())
            .then(|| people::build(&people_tables, &events, &settings.event_names, offset));
        let as_of = match settings.as_of_date {
            Some(d) => (d + 1) * DAY - 1,
            None => latest_time(tables, offset).unwrap_or(0),
        };
        let mut engine = Engine {
            settings,
            tables: by_kind,
            people,
            as_of,
            labels: RefCell::new((Vec::new(), HashMap::default())),
            seg_cache: RefCell::new(HashMap::default()),
            out_of_order: RefCell::new(BTreeMap::new()),
            revenue_cache: RefCell::new([None, None]),
            time_cache: RefCell::new(HashMap::default()),
            period_cache: RefCell::new(Budgeted::new(256 << 20)),
            people_times: RefCell::new(Budgeted::new(512 << 20)),
        };
        // Milestones later than as-of count as not reached.
        if let Some(p) = engine.people.as_mut() {
            for v in p.times.values_mut() {
                not_after(Rc::<Vec<i64>>::make_mut(v), as_of);
            }
        }
        engine
    }

    /// Revenue movements, computed once per report (the breakdown is
    /// fixed for an engine; a KPI without it uses the total cells only).
    fn revenue_movements(&self, segmented: bool) -> std::rc::Rc<Option<revenue::Table>> {
        let slot = usize::from(segmented);
        if let Some(t) = &self.revenue_cache.borrow()[slot] {
            return t.clone();
        }
        let t = std::rc::Rc::new(revenue::movements(self, segmented));
        self.revenue_cache.borrow_mut()[slot] = Some(t.clone());
        t
    }

    /// The deduplicated people, if any.
    pub fn people(&self) -> Option<&People> {
        self.people.as_ref()
    }

    /// The tables of a kind.
    pub fn tables(&self, kind: TableKind) -> &[&'a Table] {
        self.tables.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    fn has_table(&self, kind: TableKind) -> bool {
        if kind == TableKind::People {
            return self.people.is_some();
        }
        !self.tables(kind).is_empty()
    }

    fn has_column(&self, kind: TableKind, column: &str) -> bool {
        if kind == TableKind::People
            && let Some(p) = &self.people
            && (p.has_time(column) || p.task_flags.contains_key(column))
        {
            return true;
        }
        self.tables(kind).iter().any(|t| t.has(column))
    }

    fn len(&self, kind: TableKind) -> usize {
        match (kind, &self.people) {
            (TableKind::People, Some(p)) => p.len,
            _ => self.tables(kind).iter().map(|t| t.rows()).sum(),
        }
    }

    /// Local times of a column, `NONE` for null or later than as-of;
    /// computed once per report.
    fn times(&self, kind: TableKind, column: &str) -> Rc<Vec<i64>> {
        if kind == TableKind::People
            && let Some(p) = &self.people
        {
            if let Some(v) = p.times.get(column) {
                return v.clone();
            }
            let key = (kind, column.to_owned());
            if let Some(v) = self.people_times.borrow_mut().get(&key) {
                return v;
            }
            let offset = self.settings.offset;
            if let Some(mut v) = p.merge_times(self.tables(kind), column, offset) {
                not_after(&mut v, self.as_of);
                let v = Rc::new(v);
                self.people_times.borrow_mut().insert(key, v.clone());
                return v;
            }
        }
        let key = (kind, column.to_owned());
        if let Some(v) = self.time_cache.borrow().get(&key) {
            return v.clone();
        }
        let v = Rc::new(self.compute_times(kind, column));
        self.time_cache.borrow_mut().insert(key, v.clone());
        v
    }

    /// Period ids of a time column (`NO_PERIOD` for none); computed once per report.
    fn anchor_periods(&self, kind: TableKind, column: &str) -> Rc<Vec<i32>> {
        let key = (kind, column.to_owned());
        if let Some(v) = self.period_cache.borrow_mut().get(&key) {
            return v;
        }
        let v = Rc::new(self.periods(&self.times(kind, column)));
        self.period_cache.borrow_mut().insert(key, v.clone());
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

    /// Maps a per-row vector of the people tables to a per-person one.
    fn per_person<T: Copy>(&self, rows: &[T], missing: T) -> Vec<T> {
        match &self.people {
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

    fn numbers(&self, kind: TableKind, column: &str) -> Vec<f64> {
        let v = columns::numbers(self.tables(kind), column)
            .unwrap_or_else(|| vec![f64::NAN; self.len_rows(kind)]);
        if kind == TableKind::People {
            self.per_person(&v, f64::NAN)
        } else {
            v
        }
    }

    fn len_rows(&self, kind: TableKind) -> usize {
        self.tables(kind).iter().map(|t| t.rows()).sum()
    }

    fn flags(&self, kind: TableKind, column: &str) -> Vec<Flag> {
        if kind == TableKind::People
            && let Some(v) = self.people.as_ref().and_then(|p| p.task_flags.get(column))
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

    /// Text of a column as keys into the shared label list (None for null or
    /// empty after trimming), per row of the kind.
    fn text_keys_raw(&self, tables: &[&Table], column: &str) -> Vec<Option<u32>> {
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
                    if l.is_empty() {
                        return None;
                    }
                    let (list, map) = &mut *labels;
                    Some(*map.entry(l.to_owned()).or_insert_with(|| {
                        list.push(l.to_owned());
                        (list.len() - 1) as u32
                    }))
                })
                .collect();
            out.extend(keys.iter().map(|k| k.and_then(|k| global[k as usize])));
        }
        out
    }

    /// The label id of `(none)`.
    fn none_label(&self) -> u32 {
        let mut labels = self.labels.borrow_mut();
        let (list, map) = &mut *labels;
        *map.entry("(none)".to_owned()).or_insert_with(|| {
            list.push("(none)".to_owned());
            (list.len() - 1) as u32
        })
    }

    /// Number of labels so far.
    fn label_count(&self) -> usize {
        self.labels.borrow().0.len()
    }

    /// A label's text.
    pub fn label(&self, id: usize) -> String {
        self.labels.borrow().0.get(id).cloned().unwrap_or_default()
    }

    /// The column that holds dimension `by` in a table of `kind`.
    fn dimension_column(kind: TableKind, by: &str) -> String {
        match (kind, by) {
            (TableKind::People, "channel") => "source".to_owned(),
            (TableKind::Spend | TableKind::Revenue, "source") => "channel".to_owned(),
            _ => by.to_owned(),
        }
    }

    /// Segment key per row (per person for people) for the breakdown, or
    /// `None` when there is no breakdown; `Err` says why the kind cannot be
    /// broken down by it.
    fn segments(&self, kind: TableKind) -> Result<SegmentKeys, String> {
        let Some(by) = self.settings.by.clone() else {
            return Ok(None);
        };
        if let Some(r) = self.seg_cache.borrow().get(&kind) {
            return r.clone();
        }
        let r = self
            .compute_segments(kind, &by)
            .map(|v| Some(std::rc::Rc::new(v)));
        self.seg_cache.borrow_mut().insert(kind, r.clone());
        r
    }

    fn compute_segments(&self, kind: TableKind, by: &str) -> Result<Vec<u32>, String> {
        let column = Self::dimension_column(kind, by);
        let none = self.none_label();
        let tables = self.tables(kind);
        let keys: Vec<Option<u32>> = if tables.iter().any(|t| t.has(&column)) {
            self.text_keys_raw(tables, &column)
        } else {
            let accounts = self.tables(TableKind::Accounts);
            let joinable = matches!(kind, TableKind::People | TableKind::Revenue)
                && tables.iter().any(|t| t.has("account_id"))
                && accounts.iter().any(|t| t.has(&column));
            if !joinable {
                return Err(format!("{kind} has no {by} column"));
            }
            // Join: account id → dimension label.
            let acc_ids = self.text_keys_raw(accounts, "account_id");
            let acc_dim = self.text_keys_raw(accounts, &column);
            let mut by_account: HashMap<u32, Option<u32>> = HashMap::default();
            for (id, d) in acc_ids.iter().zip(&acc_dim) {
                if let Some(id) = id {
                    by_account.entry(*id).or_insert(*d);
                }
            }
            self.text_keys_raw(tables, "account_id")
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

    /// Rows matching every condition.
    fn mask(&self, kind: TableKind, filter: &[Condition]) -> Vec<bool> {
        let n = self.len(kind);
        let mut keep = vec![true; n];
        for c in filter {
            let is_time = self.column_is_time(kind, &c.column);
            match (&c.eq, c.not_null) {
                (Some(serde_json::Value::Bool(b)), _) => {
                    let want = if *b { Flag::True } else { Flag::False };
                    for (k, f) in keep.iter_mut().zip(self.flags(kind, &c.column)) {
                        *k &= f == want;
                    }
                }
                (Some(serde_json::Value::Number(x)), _) => {
                    let x = x.as_f64().unwrap_or(f64::NAN);
                    for (k, v) in keep.iter_mut().zip(self.numbers(kind, &c.column)) {
                        *k &= v == x;
                    }
                }
                (Some(serde_json::Value::String(s)), _) => {
                    let want = s.trim().to_owned();
                    let keys = self.text_keys_raw(self.tables(kind), &c.column);
                    let id = self.labels.borrow().1.get(&want).copied();
                    let keys = if kind == TableKind::People {
                        self.per_person(&keys, None)
                    } else {
                        keys
                    };
                    for (k, key) in keep.iter_mut().zip(keys) {
                        *k &= id.is_some() && key == id;
                    }
                }
                (_, Some(want)) => {
                    let present: Vec<bool> = if is_time {
                        self.times(kind, &c.column)
                            .iter()
                            .map(|t| *t != NONE)
                            .collect()
                    } else {
                        let a = self.flags(kind, &c.column);
                        let texts = self.text_keys_raw(self.tables(kind), &c.column);
                        let texts = if kind == TableKind::People {
                            self.per_person(&texts, None)
                        } else {
                            texts
                        };
                        a.iter()
                            .zip(texts)
                            .map(|(f, t)| *f != Flag::Null || t.is_some())
                            .collect()
                    };
                    for (k, p) in keep.iter_mut().zip(present) {
                        *k &= p == want;
                    }
                }
                _ => {}
            }
        }
        keep
    }

    fn column_is_time(&self, kind: TableKind, column: &str) -> bool {
        if kind == TableKind::People && self.people.as_ref().is_some_and(|p| p.has_time(column)) {
            return true;
        }
        self.tables(kind).iter().any(|t| {
            t.column(column)
                .is_some_and(|a| matches!(a.data_type(), arrow_schema::DataType::Timestamp(_, _)))
        })
    }

    /// Period ids of local times (`NO_PERIOD` for none).
    fn periods(&self, times: &[i64]) -> Vec<i32> {
        let cal = self.settings.calendar;
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

    /// The aggregates of a measure (its sides, for ratios).
    fn aggregates(m: &Measure) -> Vec<&Aggregate> {
        match m {
            Measure::Simple { of } | Measure::PerDay { of } => vec![of],
            Measure::Ratio {
                numerator,
                denominator,
                ..
            } => vec![numerator, denominator],
            Measure::Growth { of } => Self::aggregates(of),
            _ => Vec::new(),
        }
    }

    /// Columns a measure reads, per table.
    pub fn inputs(m: &Measure) -> Vec<(TableKind, String)> {
        let agg = |a: &Aggregate, out: &mut Vec<(TableKind, String)>| {
            out.push((a.table, a.anchor.clone()));
            if let Some(c) = &a.column {
                out.push((a.table, c.clone()));
            }
            for f in &a.filter {
                out.push((a.table, f.column.clone()));
            }
        };
        let mut out = Vec::new();
        let p = TableKind::People;
        match m {
            Measure::Simple { of } | Measure::PerDay { of } => agg(of, &mut out),
            Measure::Ratio {
                numerator,
                denominator,
                population,
            } => {
                agg(numerator, &mut out);
                agg(denominator, &mut out);
                for c in population.iter().flatten() {
                    out.push((denominator.table, c.column.clone()));
                }
            }
            Measure::Cohort {
                base,
                target,
                numerator_filter,
                ..
            } => {
                out.push((p, base.clone()));
                out.push((p, target.clone()));
                for f in numerator_filter {
                    out.push((p, f.column.clone()));
                }
            }
            Measure::AllTasks { base, .. } | Measure::TaskScore { base, .. } => {
                out.push((p, base.clone()));
                out.push((p, "task_*".to_owned()));
            }
            Measure::Funnel { steps, .. } => {
                // The base; later steps count as far as the data has them
                // (`missing` asks for at least one).
                out.extend(steps.iter().take(1).map(|s| (p, s.clone())));
            }
            Measure::Duration { from, to, .. } => {
                out.push((p, from.clone()));
                out.push((p, to.clone()));
            }
            Measure::Growth { of } => out = Self::inputs(of),
            Measure::Revenue { .. } => {
                out.push((TableKind::Revenue, "account_id".to_owned()));
                out.push((TableKind::Revenue, "month".to_owned()));
                out.push((TableKind::Revenue, "mrr".to_owned()));
            }
        }
        out
    }

    /// What is missing for a measure, if anything.
    fn missing(&self, m: &Measure) -> Option<String> {
        if matches!(m, Measure::Revenue { .. } | Measure::Growth { .. })
            && Self::inputs(m)
                .iter()
                .any(|(k, _)| *k == TableKind::Revenue)
            && matches!(
                self.settings.calendar.grain,
                time::Grain::Day | time::Grain::Week
            )
        {
            return Some("revenue KPIs need a month, quarter or year grain".to_owned());
        }
        let mut missing_tables = Vec::new();
        let mut missing_columns = Vec::new();
        for (kind, column) in Self::inputs(m) {
            if !self.has_table(kind) {
                if !missing_tables.contains(&kind) {
                    missing_tables.push(kind);
                }
                continue;
            }
            let ok = if column == "task_*" {
                self.people.as_ref().is_some_and(|p| !p.tasks.is_empty())
            } else {
                self.has_column(kind, &column)
            };
            let name = format!("{kind}.{column}");
            if !ok && !missing_columns.contains(&name) {
                missing_columns.push(name);
            }
        }
        if let Measure::Funnel { steps, .. } = m {
            let people = TableKind::People;
            if self.has_table(people) && !steps.iter().skip(1).any(|s| self.has_column(people, s)) {
                missing_columns.push(format!(
                    "people.{} (or any later funnel step)",
                    steps.get(1).map(String::as_str).unwrap_or("")
                ));
            }
        }
        // A series KPI needs rows of its metric, not only the table.
        if missing_tables.is_empty() && missing_columns.is_empty() {
            for a in Self::aggregates(m) {
                for c in &a.filter {
                    if a.table == TableKind::Series
                        && c.column == "metric"
                        && let Some(serde_json::Value::String(metric)) = &c.eq
                    {
                        let name = format!("series rows of metric `{}`", metric.trim());
                        let rows = self.mask(a.table, std::slice::from_ref(c));
                        if !rows.contains(&true) && !missing_columns.contains(&name) {
                            missing_columns.push(name);
                        }
                    }
                }
            }
        }
        let mut parts: Vec<String> = missing_tables
            .iter()
            .map(|k| format!("a {k} table"))
            .collect();
        parts.extend(missing_columns);
        if !parts.is_empty() {
            return Some(format!("needs {}", parts.join(" and ")));
        }
        // Amounts in several currencies cannot be added. (Revenue KPIs that
        // only count customers compare each account's MRR with zero and add
        // no amounts, so they stay.)
        for (kind, column) in Self::inputs(m) {
            if (kind, column.as_str()) == (TableKind::Spend, "cost")
                || ((kind, column.as_str()) == (TableKind::Revenue, "mrr")
                    && revenue::adds_amounts(m))
            {
                let currencies = self.currencies(kind);
                if currencies.len() > 1 {
                    return Some(format!(
                        "{kind}.{column} mixes currencies ({}); amounts are not added across currencies",
                        currencies.join(", ")
                    ));
                }
            }
        }
        None
    }

    /// Distinct currencies of a table kind (upper-cased, trimmed).
    pub fn currencies(&self, kind: TableKind) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.tables(kind) {
            if let Some(a) = t.column("currency") {
                let (_, labels) = columns::text_keys(a);
                for l in labels {
                    let c = l.trim().to_uppercase();
                    if !c.is_empty() && !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// Computes one KPI.
    pub fn compute(&self, kpi: &KpiDef) -> Outcome {
        if let Some(reason) = self.missing(&kpi.measure) {
            return Outcome {
                available: false,
                reason: Some(reason),
                grids: Vec::new(),
            };
        }
        // Breakdown possible only when every table read has the dimension.
        let mut reason = None;
        let mut segmented = self.settings.by.is_some();
        if let Some(by) = &self.settings.by {
            let mut kinds: Vec<TableKind> =
                Self::inputs(&kpi.measure).iter().map(|(k, _)| *k).collect();
            kinds.dedup();
            for k in kinds {
                if let Err(why) = self.segments(k) {
                    reason = Some(format!("no breakdown by {by}: {why}"));
                    segmented = false;
                    break;
                }
            }
        }
        let grids = self.eval(&kpi.measure, segmented);
        Outcome {
            available: true,
            reason,
            grids,
        }
    }

    /// Segment keys for a kind when segmented.
    fn segs(&self, kind: TableKind, segmented: bool) -> SegmentKeys {
        if !segmented {
            return None;
        }
        self.segments(kind).ok().flatten()
    }

    fn ns(&self, segmented: bool) -> usize {
        if segmented { 1 + self.label_count() } else { 1 }
    }

    fn eval(&self, m: &Measure, segmented: bool) -> Vec<Grid> {
        match m {
            Measure::Simple { of } => vec![self.eval_ratio(Some(of), None, segmented)],
            Measure::Ratio {
                numerator,
                denominator,
                population,
            } => {
                let population = population.as_ref().map(|filter| Aggregate {
                    agg: Agg::Count,
                    table: denominator.table,
                    anchor: denominator.anchor.clone(),
                    column: None,
                    filter: filter.clone(),
                });
                vec![self.eval_ratio_with(
                    Some(numerator),
                    Some(denominator),
                    population.as_ref(),
                    segmented,
                )]
            }
            Measure::PerDay { of } => vec![self.eval_per_day(of, segmented)],
            Measure::Cohort { .. } | Measure::AllTasks { .. } | Measure::TaskScore { .. } => {
                vec![self.eval_cohort(m, segmented)]
            }
            Measure::Funnel { steps, window_days } => {
                self.eval_funnel(steps, *window_days, segmented)
            }
            Measure::Duration {
                from,
                to,
                stat,
                within_hours,
            } => {
                vec![self.eval_duration(from, to, *stat, *within_hours, segmented)]
            }
            Measure::Growth { of } => self.eval(of, segmented).into_iter().map(growth).collect(),
            Measure::Revenue {
                numerator,
                denominator,
            } => {
                vec![revenue::eval(
                    self,
                    numerator,
                    denominator.as_ref(),
                    segmented,
                )]
            }
        }
    }

    /// Rows of an aggregate: period, segment, value (1 for counts).
    fn aggregate_rows(&self, a: &Aggregate, segmented: bool) -> AggregateRows {
        let times = self.times(a.table, &a.anchor);
        let mut periods = (*self.anchor_periods(a.table, &a.anchor)).clone();
        let keep = self.mask(a.table, &a.filter);
        for (p, k) in periods.iter_mut().zip(&keep) {
            if !k {
                *p = NO_PERIOD;
            }
        }
        let values = match (a.agg, &a.column) {
            (Agg::Count, _) | (_, None) => vec![1.0; periods.len()],
            (_, Some(c)) => self.numbers(a.table, c),
        };
        (periods, self.segs(a.table, segmented), values, times)
    }

    /// Counts, sums, last values and ratios of them.
    fn eval_ratio(
        &self,
        num: Option<&Aggregate>,
        den: Option<&Aggregate>,
        segmented: bool,
    ) -> Grid {
        self.eval_ratio_with(num, den, None, segmented)
    }

    /// [`Engine::eval_ratio`], where rows of `population` also give a period
    /// or segment its point.
    fn eval_ratio_with(
        &self,
        num: Option<&Aggregate>,
        den: Option<&Aggregate>,
        population: Option<&Aggregate>,
        segmented: bool,
    ) -> Grid {
        let sides: Vec<&Aggregate> = num.into_iter().chain(den).chain(population).collect();
        let rows: Vec<_> = sides
            .iter()
            .map(|a| self.aggregate_rows(a, segmented))
            .collect();
        let Some(range) = period_range(rows.iter().flat_map(|r| r.0.iter())) else {
            return Grid::empty();
        };
        let mut g = Grid::new(range, self.ns(segmented));
        let mut results = Vec::new();
        for (a, (periods, segs, values, times)) in sides.iter().zip(&rows) {
            let mut n_rows = Acc::new(&g);
            let mut n_values = Acc::new(&g);
            let mut sum = Acc::new(&g);
            // For `last`: the latest time per cell, and the sum of values at it.
            let mut latest = vec![NONE; g.np * g.ns];
            for i in 0..periods.len() {
                let p = periods[i];
                if p == NO_PERIOD {
                    continue;
                }
                let seg = segs.as_ref().map(|s| s[i]);
                n_rows.add(p, seg, 1.0);
                let v = values[i];
                if v.is_nan() {
                    continue;
                }
                if a.agg == Agg::Last {
                    let t = times[i];
                    let base = (p - g.p0) as usize * g.ns;
                    for s in std::iter::once(0).chain(seg.map(|s| s as usize + 1)) {
                        let j = base + s;
                        if t > latest[j] {
                            latest[j] = t;
                            sum.v[j] = v;
                            n_values.v[j] = 1.0;
                        } else if t == latest[j] {
                            sum.v[j] += v;
                        }
                    }
                } else {
                    n_values.add(p, seg, 1.0);
                    sum.add(p, seg, v);
                }
            }
            results.push((n_rows, n_values, sum, a.agg));
        }
        for i in 0..g.cells.len() {
            let side = |k: usize| -> (bool, Option<f64>) {
                let (n_rows, n_values, sum, agg) = &results[k];
                let rows = n_rows.get(i) > 0.0;
                let value = match agg {
                    Agg::Count => Some(n_rows.get(i)),
                    Agg::Sum if rows && n_values.get(i) == 0.0 => None,
                    Agg::Sum => Some(sum.get(i)),
                    Agg::Last if n_values.get(i) == 0.0 => None,
                    Agg::Last => Some(sum.get(i)),
                };
                (rows, value)
            };
            let (rows_n, v_n) = side(0);
            let c = &mut g.cells[i];
            if results.len() == 1 {
                *c = Cell {
                    value: v_n,
                    num: None,
                    den: None,
                    rows: rows_n,
                };
            } else {
                let (rows_d, v_d) = side(1);
                let rows_p = results.len() > 2 && side(2).0;
                *c = Cell {
                    value: ratio(v_n, v_d),
                    num: v_n,
                    den: v_d,
                    rows: rows_n || rows_d || rows_p,
                };
            }
        }
        g
    }

    fn eval_per_day(&self, a: &Aggregate, segmented: bool) -> Grid {
        let mut g = self.eval_ratio(Some(a), None, segmented);
        let cal = self.settings.calendar;
        let as_of_day = self.as_of.div_euclid(DAY);
        for pi in 0..g.np {
            let p = g.p0 + pi as i32;
            let start = cal.start(p).div_euclid(DAY);
            let end = cal.end(p).div_euclid(DAY).min(as_of_day + 1);
            let days = (end - start).max(0) as f64;
            for s in 0..g.ns {
                let c = &mut g.cells[pi * g.ns + s];
                let count = c.value;
                c.num = count;
                c.den = Some(days);
                c.value = ratio(count, Some(days));
            }
        }
        g
    }

    /// Marks periods whose last base could still convert after as-of.
    fn mark_incomplete(&self, g: &mut Grid, window_days: f64) {
        let w = (window_days * DAY as f64) as i64;
        for pi in 0..g.np {
            let end = self.settings.calendar.end(g.p0 + pi as i32);
            g.incomplete[pi] = end.saturating_add(w) > self.as_of;
        }
    }

    fn note_out_of_order(&self, base: &str, target: &str, b: &[i64], t: &[i64]) {
        let n = b
            .iter()
            .zip(t)
            .filter(|(b, t)| **b != NONE && **t != NONE && *t < *b)
            .count();
        if n > 0 {
            self.out_of_order
                .borrow_mut()
                .insert((base.to_owned(), target.to_owned()), n);
        }
    }

    /// Cohort rates, all-tasks rates and task scores.
    fn eval_cohort(&self, m: &Measure, segmented: bool) -> Grid {
        let p = TableKind::People;
        let (base, window_days) = match m {
            Measure::Cohort {
                base, window_days, ..
            }
            | Measure::AllTasks { base, window_days }
            | Measure::TaskScore { base, window_days } => (base, *window_days),
            _ => return Grid::empty(),
        };
        let w = (window_days * DAY as f64) as i64;
        let b = self.times(p, base);
        let periods = self.anchor_periods(p, base);
        let Some(range) = period_range(periods.iter()) else {
            return Grid::empty();
        };
        let mut g = Grid::new(range, self.ns(segmented));
        let segs = self.segs(p, segmented);
        let within = |b: i64, t: i64| t != NONE && b <= t && t <= b.saturating_add(w);
        // Score per person in [0, 1] (1 = converted / all done / full score).
        let score: Vec<f64> = match m {
            Measure::Cohort {
                target,
                numerator_filter,
                complement,
                ..
            } => {
                let t = self.times(p, target);
                self.note_out_of_order(base, target, &b, &t);
                let keep = self.mask(p, numerator_filter);
                (0..b.len())
                    .map(|i| {
                        let reached = within(b[i], t[i]) && keep[i];
                        if reached != *complement { 1.0 } else { 0.0 }
                    })
                    .collect()
            }
            _ => {
                let tasks = self
                    .people
                    .as_ref()
                    .map(|p| p.tasks.clone())
                    .unwrap_or_default();
                let mut done_weight = vec![0.0; b.len()];
                let mut all_done = vec![true; b.len()];
                let mut total_weight = 0.0;
                for task in &tasks {
                    let weight = self.settings.task_weights.get(task).copied().unwrap_or(1.0);
                    total_weight += weight;
                    let done: Vec<bool> = if self
                        .people
                        .as_ref()
                        .is_some_and(|p| p.task_flags.contains_key(task))
                    {
                        self.flags(p, task)
                            .iter()
                            .map(|f| *f == Flag::True)
                            .collect()
                    } else {
                        let t = self.times(p, task);
                        (0..b.len()).map(|i| within(b[i], t[i])).collect()
                    };
                    for i in 0..b.len() {
                        if done[i] {
                            done_weight[i] += weight;
                        } else {
                            all_done[i] = false;
                        }
                    }
                }
                if matches!(m, Measure::AllTasks { .. }) {
                    all_done
                        .iter()
                        .map(|d| if *d { 1.0 } else { 0.0 })
                        .collect()
                } else if total_weight > 0.0 {
                    done_weight
                        .iter()
                        .map(|d| 100.0 * d / total_weight)
                        .collect()
                } else {
                    vec![f64::NAN; b.len()]
                }
            }
        };
        let mut num = Acc::new(&g);
        let mut den = Acc::new(&g);
        for i in 0..b.len() {
            if periods[i] == NO_PERIOD {
                continue;
            }
            let seg = segs.as_ref().map(|s| s[i]);
            den.add(periods[i], seg, 1.0);
            num.add(periods[i], seg, score[i]);
        }
        for i in 0..g.cells.len() {
            let (n, d) = (num.get(i), den.get(i));
            g.cells[i] = Cell {
                value: ratio(Some(n), Some(d)).filter(|v| !v.is_nan()),
                num: Some(n).filter(|v| !v.is_nan()),
                den: Some(d),
                rows: d > 0.0,
            };
        }
        self.mark_incomplete(&mut g, window_days);
        g
    }

    fn eval_funnel(&self, steps: &[String], window_days: f64, segmented: bool) -> Vec<Grid> {
        let p = TableKind::People;
        let steps: Vec<&String> = steps
            .iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || self.has_column(p, s))
            .map(|(_, s)| s)
            .collect();
        let w = (window_days * DAY as f64) as i64;
        let b = self.times(p, steps[0]);
        let periods = self.anchor_periods(p, steps[0]);
        let Some(range) = period_range(periods.iter()) else {
            return Vec::new();
        };
        let segs = self.segs(p, segmented);
        let ns = self.ns(segmented);
        let template = Grid::new(range, ns);
        // reached[k]: cohort members reaching steps 1..=k, all within W of the base.
        let mut still = vec![true; b.len()];
        let mut reached_prev = Acc::new(&template);
        for i in 0..b.len() {
            if periods[i] != NO_PERIOD {
                reached_prev.add(periods[i], segs.as_ref().map(|s| s[i]), 1.0);
            }
        }
        let mut grids = Vec::new();
        for step in &steps[1..] {
            let t = self.times(p, step);
            self.note_out_of_order(steps[0], step, &b, &t);
            let mut reached = Acc::new(&template);
            for i in 0..b.len() {
                still[i] =
                    still[i] && t[i] != NONE && b[i] <= t[i] && t[i] <= b[i].saturating_add(w);
                if still[i] && periods[i] != NO_PERIOD {
                    reached.add(periods[i], segs.as_ref().map(|s| s[i]), 1.0);
                }
            }
            let mut g = template.clone();
            g.step = Some((*step).clone());
            for i in 0..g.cells.len() {
                let (before, now) = (reached_prev.get(i), reached.get(i));
                g.cells[i] = Cell {
                    value: ratio(Some(before - now), Some(before)),
                    num: Some(before - now),
                    den: Some(before),
                    rows: false,
                };
            }
            grids.push(g);
            reached_prev = reached;
        }
        // Rows: where the cohort is not empty.
        let mut cohort = Acc::new(&template);
        for i in 0..b.len() {
            if periods[i] != NO_PERIOD {
                cohort.add(periods[i], segs.as_ref().map(|s| s[i]), 1.0);
            }
        }
        grids
            .into_iter()
            .map(|mut g| {
                for i in 0..g.cells.len() {
                    g.cells[i].rows = cohort.get(i) > 0.0;
                }
                self.mark_incomplete(&mut g, window_days);
                g
            })
            .collect()
    }

    fn eval_duration(
        &self,
        from: &str,
        to: &str,
        stat: DurationStat,
        within_hours: Option<f64>,
        segmented: bool,
    ) -> Grid {
        let p = TableKind::People;
        let a = self.times(p, from);
        let b = self.times(p, to);
        let periods = self.anchor_periods(p, from);
        let Some(range) = period_range(periods.iter()) else {
            return Grid::empty();
        };
        let mut g = Grid::new(range, self.ns(segmented));
        let segs = self.segs(p, segmented);
        let mut rows = Acc::new(&g);
        let mut within = Acc::new(&g);
        let limit = within_hours.unwrap_or(0.0);
        // (cell, hours) pairs for quantiles.
        let mut durations: Vec<(u32, f64)> = Vec::new();
        for i in 0..a.len() {
            let per = periods[i];
            if per == NO_PERIOD {
                continue;
            }
            let seg = segs.as_ref().map(|s| s[i]);
            rows.add(per, seg, 1.0);
            if b[i] == NONE || b[i] < a[i] {
                continue;
            }
            let hours = (b[i] - a[i]) as f64 / HOUR as f64;
            match stat {
                DurationStat::ShareWithin => {
                    if hours <= limit {
                        within.add(per, seg, 1.0);
                    }
                }
                _ => {
                    let base = (per - g.p0) as u32 * g.ns as u32;
                    durations.push((base, hours));
                    if let Some(s) = seg {
                        durations.push((base + 1 + s, hours));
                    }
                }
            }
        }
        let q = if stat == DurationStat::P90 { 0.9 } else { 0.5 };
        let mut quantiles: HashMap<u32, f64> = HashMap::default();
        if stat != DurationStat::ShareWithin {
            durations.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
            let mut start = 0;
            while start < durations.len() {
                let cell = durations[start].0;
                let mut end = start;
                while end < durations.len() && durations[end].0 == cell {
                    end += 1;
                }
                let values: Vec<f64> = durations[start..end].iter().map(|d| d.1).collect();
                quantiles.insert(cell, quantile_cont(&values, q));
                start = end;
            }
        }
        for i in 0..g.cells.len() {
            let r = rows.get(i);
            g.cells[i] = match stat {
                DurationStat::ShareWithin => Cell {
                    value: ratio(Some(within.get(i)), Some(r)),
                    num: Some(within.get(i)),
                    den: Some(r),
                    rows: r > 0.0,
                },
                _ => Cell {
                    value: quantiles.get(&(i as u32)).copied(),
                    num: None,
                    den: None,
                    rows: r > 0.0,
                },
            };
        }
        g
    }
}

/// `n / d`, null when either is null or `d` is 0.
pub fn ratio(n: Option<f64>, d: Option<f64>) -> Option<f64> {
    match (n, d) {
        (Some(n), Some(d)) if d != 0.0 => Some(n / d),
        _ => None,
    }
}

/// Linear-interpolation quantile of sorted values (as SQL `quantile_cont`).
pub fn quantile_cont(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = (sorted.len() - 1) as f64 * q;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// First and last period id present.
fn period_range<'x>(periods: impl Iterator<Item = &'x i32>) -> Option<(i32, i32)> {
    let mut range: Option<(i32, i32)> = None;
    for &p in periods {
        if p == NO_PERIOD {
            continue;
        }
        range = Some(match range {
            None => (p, p),
            Some((a, b)) => (a.min(p), b.max(p)),
        });
    }
    range
}

/// Relative change of a grid's values against the previous period.
fn growth(inner: Grid) -> Grid {
    let mut g = inner.clone();
    for pi in 0..g.np {
        for s in 0..g.ns {
            let i = pi * g.ns + s;
            let cur = inner.cells[i].value;
            let prev = if pi == 0 {
                None
            } else {
                inner.cells[i - g.ns].value
            };
            let prev = prev.filter(|_| inner.defined_from.is_none_or(|d| g.p0 + pi as i32 > d));
            let diff = match (cur, prev) {
                (Some(c), Some(p)) => Some(c - p),
                _ => None,
            };
            g.cells[i] = Cell {
                value: ratio(diff, prev),
                num: diff,
                // Without a current value there is no ratio to speak of.
                den: diff.and(prev),
                rows: inner.cells[i].rows,
            };
        }
    }
    g
}

/// Times later than `as_of` count as none (rows ignored, milestones not reached).
fn not_after(times: &mut [i64], as_of: i64) {
    for t in times {
        if *t > as_of {
            *t = NONE;
        }
    }
}

/// The latest time in any time column of any table (local µs).
fn latest_time(tables: &[Table], offset: i64) -> Option<i64> {
    let mut latest: Option<i64> = None;
    for t in tables {
        for f in t.batch.schema().fields() {
            if !columns::is_time_type(f.data_type()) {
                continue;
            }
            if let Some(v) = columns::times(&[t], f.name(), offset)
                && let Some(m) = v.into_iter().filter(|x| *x != NONE).max()
            {
                latest = Some(latest.map_or(m, |l: i64| l.max(m)));
            }
        }
    }
    latest
}
