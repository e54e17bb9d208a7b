//! A KPI's points looked up by period id, segment and step, and which test
//! decides whether its differences are findings.

use std::collections::HashMap;

use crate::catalog::{Agg, KpiDef, Measure, Unit};
use crate::model::TableKind;

use super::super::{KpiResult, Point};

/// How a KPI's differences are tested (`docs/review.md`, "Findings").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// A rate of counts: two-proportion z.
    Proportion,
    /// A count (or a sum of counted things): Poisson z.
    Count,
    /// An amount per counted unit (cost per lead): Poisson z of the units.
    CostPerUnit,
    /// A count per day: Poisson z of the two daily rates.
    PerDay,
    /// A growth rate (itself a relative change): the difference in points.
    Growth,
    /// Anything else: the relative change.
    Change,
}

impl Test {
    /// The test a KPI's definition calls for.
    pub fn of(def: &KpiDef) -> Test {
        match &def.measure {
            Measure::Cohort { .. } | Measure::AllTasks { .. } | Measure::Funnel { .. } => {
                Test::Proportion
            }
            Measure::Ratio {
                numerator,
                denominator,
                ..
            } => match (def.unit, numerator.agg, denominator.agg) {
                (Unit::Rate, Agg::Count, Agg::Count | Agg::Sum) => Test::Proportion,
                (Unit::Currency, Agg::Sum, Agg::Count) if numerator.table == TableKind::Spend => {
                    Test::CostPerUnit
                }
                _ => Test::Change,
            },
            Measure::Simple { .. } if def.unit == Unit::Count => Test::Count,
            Measure::PerDay { of } if of.agg == Agg::Count => Test::PerDay,
            Measure::Growth { .. } => Test::Growth,
            _ => Test::Change,
        }
    }

    /// Whether the value is a sum over the period, so that a running period
    /// holds only part of it.
    pub fn adds_up(def: &KpiDef) -> bool {
        matches!(
            def.measure,
            Measure::Simple { .. } | Measure::Difference { .. }
        ) && matches!(def.unit, Unit::Count | Unit::Currency)
    }
}

/// Whether a KPI's definition keeps or counts rows by a condition on
/// `column` (Signup Source Quality counts ICP signups only): its segments by
/// that column differ by construction, not by performance.
pub fn filters_on(def: &KpiDef, column: &str) -> bool {
    fn walk(v: &serde_json::Value, column: &str) -> bool {
        match v {
            serde_json::Value::Object(o) => {
                let condition = o.contains_key("eq") || o.contains_key("not_null");
                (condition && o.get("column").and_then(|c| c.as_str()) == Some(column))
                    || o.values().any(|x| walk(x, column))
            }
            serde_json::Value::Array(a) => a.iter().any(|x| walk(x, column)),
            _ => false,
        }
    }
    serde_json::to_value(&def.measure).is_ok_and(|v| walk(&v, column))
}

/// Key of a point: period id, segment, step.
type Key<'a> = (i32, Option<&'a str>, Option<&'a str>);

/// One KPI's points, indexed.
pub struct Series<'a> {
    /// The KPI in the document.
    pub kpi: &'a KpiResult,
    /// Its definition.
    pub def: &'a KpiDef,
    /// How its differences are tested.
    pub test: Test,
    /// Its segments, in label order.
    pub segments: Vec<&'a str>,
    /// Its funnel steps, in order.
    pub steps: Vec<&'a str>,
    points: HashMap<Key<'a>, &'a Point>,
    ids: HashMap<&'a str, i32>,
    /// Whether the value counts only days up to the as-of (budget pacing):
    /// its running period is told as it stands, not as a maturing cohort.
    to_date: bool,
}

impl<'a> Series<'a> {
    /// Indexes a KPI's points; `ids` maps period labels to ids.
    pub fn new(kpi: &'a KpiResult, def: &'a KpiDef, ids: &HashMap<String, i32>) -> Series<'a> {
        let mut points = HashMap::with_capacity(kpi.points.len());
        let mut segments: Vec<&str> = Vec::new();
        let mut steps: Vec<&str> = Vec::new();
        let mut own_ids = HashMap::new();
        for p in &kpi.points {
            let Some(&id) = ids.get(&p.period) else {
                continue;
            };
            own_ids.insert(p.period.as_str(), id);
            let segment = p.segment.as_deref();
            let step = p.step.as_deref();
            if let Some(s) = segment
                && !segments.contains(&s)
            {
                segments.push(s);
            }
            if let Some(s) = step
                && !steps.contains(&s)
            {
                steps.push(s);
            }
            points.insert((id, segment, step), p);
        }
        segments.sort_unstable();
        Series {
            kpi,
            def,
            test: Test::of(def),
            segments,
            steps,
            points,
            ids: own_ids,
            to_date: def.measure.aggregates().iter().any(|a| a.to_date),
        }
    }

    /// The id of one of its periods.
    pub fn id(&self, label: &str) -> Option<i32> {
        self.ids.get(label).copied()
    }

    /// The total's point of a period (and step).
    pub fn total(&self, period: i32, step: Option<&str>) -> Option<&'a Point> {
        self.points.get(&(period, None, step)).copied()
    }

    /// A segment's point of a period (and step).
    pub fn segment(&self, period: i32, segment: &str, step: Option<&str>) -> Option<&'a Point> {
        self.points.get(&(period, Some(segment), step)).copied()
    }

    /// The period whose total is settled for a review of `period`: the
    /// period itself unless its cohort is still maturing (or it has no
    /// point), else the latest complete one before it.
    pub fn settled(&self, period: i32, step: Option<&str>) -> Option<i32> {
        let earliest = self.points.keys().map(|k| k.0).min()?;
        (earliest..=period).rev().find(|&p| {
            self.total(p, step)
                .is_some_and(|q| self.to_date || !q.incomplete)
        })
    }

    /// The first period after `settled` up to `period` whose total is still
    /// maturing.
    pub fn first_maturing(&self, settled: i32, period: i32, step: Option<&str>) -> Option<i32> {
        (settled + 1..=period).find(|&p| self.total(p, step).is_some_and(|q| q.incomplete))
    }

    /// The step a headline shows for a funnel KPI: the one with the largest
    /// value in its settled period (the largest drop-off); none for other
    /// KPIs.
    pub fn headline_step(&self, period: i32) -> Option<String> {
        let mut best: Option<(&str, f64)> = None;
        for &step in &self.steps {
            let Some(v) = self
                .settled(period, Some(step))
                .and_then(|p| self.total(p, Some(step)))
                .and_then(|q| q.value)
            else {
                continue;
            };
            if best.is_none_or(|(_, b)| v > b) {
                best = Some((step, v));
            }
        }
        best.map(|(s, _)| s.to_owned())
    }
}
