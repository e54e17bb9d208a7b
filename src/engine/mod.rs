//! The KPI engine: interprets KPI definitions over loaded tables, by period
//! and segment.
//!
//! Everything runs over plain vectors built once from Arrow columns: local
//! times (`i64` µs), integer period ids and integer segment keys. Values are
//! accumulated in dense grids indexed by (period, segment), segment 0 being
//! the total, so no work is per-row allocation and nothing is quadratic.
//!
//! The rooms: `grid` (cells and grids), `cache` (column caches within a
//! memory budget; [`Prepared`] keeps them between a session's reports), `access` (columns as vectors), `segments` (the
//! breakdown), `filters` (conditions on rows), `deals` (deals deduplicated
//! by id), `inputs` (what a measure reads, why a KPI is unavailable) and
//! `measures` (one interpreter per measure type). This file holds the `Engine` and dispatches measures.
//!
//! A new measure type is a variant of `catalog::Measure`, a file in
//! `measures/` (an `Engine` method gathering vectors, and a function over
//! slices doing the work), an arm in `Engine::eval` and one in
//! `inputs::inputs`; the compiler points at each.

mod access;
mod cache;
pub(crate) mod columns;
pub(crate) mod deals;
mod filters;
pub(crate) mod grid;
pub(crate) mod inputs;
mod measures;
pub(crate) mod people;
pub(crate) mod segments;
pub mod time;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use access::Labels;
use cache::{Budgeted, ColumnCache};
pub(crate) use grid::Grid;
use people::People;
use segments::SegmentKeys;
use time::{Calendar, DAY};

use crate::catalog::{Agg, Aggregate, KpiDef, Measure};
use crate::model::{Table, TableKind};

/// Settings of one report run.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
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
pub(crate) struct Outcome {
    /// Whether its inputs are there.
    pub available: bool,
    /// Why it is unavailable, or why its breakdown is.
    pub reason: Option<String>,
    /// One grid per series (funnel steps), totals and segments.
    pub grids: Vec<Grid>,
}

/// The engine over one set of tables and settings.
pub(crate) struct Engine<'a> {
    /// Settings.
    pub settings: Settings,
    tables: BTreeMap<TableKind, Vec<&'a Table>>,
    /// What does not depend on the grain or the breakdown, possibly kept
    /// from an earlier report (`Prepared`).
    prepared: Rc<Prepared>,
    /// Latest time in the data or the explicit as-of (local µs, inclusive).
    pub as_of: i64,
    labels: RefCell<Labels>,
    seg_cache: RefCell<HashMap<TableKind, Result<SegmentKeys, String>>>,
    revenue_cache: RefCell<[Option<Rc<Option<measures::revenue::Table>>>; 2]>,
    /// Out-of-order milestone counts found, by (base, target).
    pub out_of_order: RefCell<BTreeMap<(String, String), usize>>,
}

/// What an engine computes from the tables before any KPI and that depends
/// only on them and on the time settings (time zone, as-of date, event
/// names): the merged people, the as-of, local times, period ids per
/// calendar, the deals' kept rows. A [`crate::Session`] keeps it between
/// reports, so a report that changes only the grain, the breakdown or the
/// review period starts from it; loading, removing a file or a new
/// configuration forgets it.
pub(crate) struct Prepared {
    /// The settings it was computed with: time zone offset, as-of date,
    /// event names.
    key: PreparedKey,
    people: Option<People>,
    as_of: i64,
    time_cache: ColumnCache<i64>,
    /// Period ids by calendar and column.
    period_cache: RefCell<Budgeted<i32, (Calendar, TableKind, String)>>,
    /// Merged people times computed on demand (`People::lazy`).
    people_times: RefCell<Budgeted<i64>>,
    /// Per deals row, whether it is its deal's kept row (`deals`).
    deal_rows: std::cell::OnceCell<Rc<Vec<bool>>>,
}

/// The settings [`Prepared`] depends on.
type PreparedKey = (i64, Option<i64>, Vec<(String, String)>);

fn prepared_key(settings: &Settings) -> PreparedKey {
    let mut events: Vec<(String, String)> = settings
        .event_names
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    events.sort();
    (settings.offset, settings.as_of_date, events)
}

impl Prepared {
    /// Merges people and finds the as-of (`by_kind` groups `tables`).
    fn new(
        by_kind: &BTreeMap<TableKind, Vec<&Table>>,
        tables: &[Table],
        settings: &Settings,
    ) -> Prepared {
        let offset = settings.offset;
        let people_tables = by_kind.get(&TableKind::People).cloned().unwrap_or_default();
        let events = by_kind.get(&TableKind::Events).cloned().unwrap_or_default();
        let mut people = (!people_tables.is_empty() || !events.is_empty())
            .then(|| people::build(&people_tables, &events, &settings.event_names, offset));
        let as_of = match settings.as_of_date {
            Some(d) => (d + 1) * DAY - 1,
            None => access::latest_time(tables, offset).unwrap_or(0),
        };
        // Milestones later than as-of count as not reached.
        if let Some(p) = people.as_mut() {
            for v in p.times.values_mut() {
                access::not_after(Rc::<Vec<i64>>::make_mut(v), as_of);
            }
        }
        Prepared {
            key: prepared_key(settings),
            people,
            as_of,
            time_cache: RefCell::new(HashMap::default()),
            period_cache: RefCell::new(Budgeted::new(256 << 20)),
            people_times: RefCell::new(Budgeted::new(512 << 20)),
            deal_rows: std::cell::OnceCell::new(),
        }
    }
}

impl<'a> Engine<'a> {
    /// Prepares the tables: groups them by kind and, unless an earlier
    /// engine on the same tables prepared them with the same time settings
    /// (`earlier`), merges people and finds the as-of.
    pub fn with_prepared(
        tables: &'a [Table],
        settings: Settings,
        earlier: Option<Rc<Prepared>>,
    ) -> Engine<'a> {
        let mut by_kind: BTreeMap<TableKind, Vec<&Table>> = BTreeMap::new();
        for t in tables {
            by_kind.entry(t.kind).or_default().push(t);
        }
        let prepared = match earlier {
            Some(p) if p.key == prepared_key(&settings) => p,
            _ => Rc::new(Prepared::new(&by_kind, tables, &settings)),
        };
        Engine {
            settings,
            tables: by_kind,
            as_of: prepared.as_of,
            prepared,
            labels: RefCell::new(Labels::default()),
            seg_cache: RefCell::new(HashMap::default()),
            out_of_order: RefCell::new(BTreeMap::new()),
            revenue_cache: RefCell::new([None, None]),
        }
    }

    /// What this engine prepared, for the next one on the same tables.
    pub fn prepared(&self) -> Rc<Prepared> {
        self.prepared.clone()
    }

    /// Changes the breakdown of the KPIs computed from now on, keeping what
    /// does not depend on it (merged people, times, periods): the review's
    /// extra breakdowns (`icp`, the pacing by channel and campaign).
    pub fn set_breakdown(&mut self, by: Option<String>) {
        self.settings.by = by;
        self.seg_cache.borrow_mut().clear();
        self.revenue_cache.borrow_mut()[1] = None;
    }

    /// The deduplicated people, if any.
    pub fn people(&self) -> Option<&People> {
        self.prepared.people.as_ref()
    }

    /// The tables of a kind.
    pub fn tables(&self, kind: TableKind) -> &[&'a Table] {
        self.tables.get(&kind).map(Vec::as_slice).unwrap_or(&[])
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
            let mut kinds: Vec<TableKind> = inputs::inputs(&kpi.measure)
                .iter()
                .map(|(k, _)| *k)
                .collect();
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

    /// The grids of a measure: one interpreter per measure type.
    fn eval(&self, m: &Measure, segmented: bool) -> Vec<Grid> {
        match m {
            Measure::Simple { of } => {
                vec![self.eval_aggregates(of, None, None, false, segmented)]
            }
            Measure::Difference { of, minus } => {
                vec![self.eval_aggregates(of, Some(minus), None, true, segmented)]
            }
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
                    spread: denominator.spread,
                    to_date: false,
                });
                vec![self.eval_aggregates(
                    numerator,
                    Some(denominator),
                    population.as_ref(),
                    false,
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
            Measure::Duration { .. } => vec![self.eval_duration(m, segmented)],
            Measure::Growth { of } => self
                .eval(of, segmented)
                .into_iter()
                .map(measures::growth::growth)
                .collect(),
            Measure::Revenue {
                numerator,
                denominator,
            } => {
                vec![measures::revenue::eval(
                    self,
                    numerator,
                    denominator.as_ref(),
                    segmented,
                )]
            }
        }
    }
}
