//! Assembles the result document (described in `docs/result.md`) from
//! engine output.

mod request;

use serde::Serialize;

use crate::catalog::{Area, Better, Indicator, KpiDef, Stage, Unit};
use crate::config::Config;
use crate::engine::time::{Calendar, rfc3339};
use crate::engine::{Engine, Grid, Settings};
use crate::error::{Error, Result};
use crate::model::Table;
use crate::quality::Quality;

pub use request::Request;

/// The result document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// As-of time, RFC 3339 in UTC.
    pub as_of: String,
    /// Grain name.
    pub grain: String,
    /// Breakdown dimension.
    pub by: Option<String>,
    /// Report time zone, `+HH:MM`.
    pub tz: String,
    /// Every KPI of the catalog, available or not.
    pub kpis: Vec<KpiResult>,
    /// Data-quality findings.
    pub quality: Quality,
}

/// One KPI's metadata and points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiResult {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-sentence definition.
    pub definition: String,
    /// Unit.
    pub unit: Unit,
    /// Focus area.
    pub area: Area,
    /// Funnel stage.
    pub stage: Stage,
    /// Leading or lagging.
    pub indicator: Indicator,
    /// Better direction.
    pub better: Better,
    /// Tables and columns it needs.
    pub inputs: Vec<String>,
    /// Window in days, for cohort KPIs.
    pub window_days: Option<f64>,
    /// The user's target.
    pub target: Option<f64>,
    /// The user's owner.
    pub owner: Option<String>,
    /// Whether its inputs are there.
    pub available: bool,
    /// Why it is unavailable, or why its breakdown is.
    pub reason: Option<String>,
    /// Values by period, segment and step.
    pub points: Vec<Point>,
}

/// One value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Period label.
    pub period: String,
    /// Segment label, `null` for the total.
    pub segment: Option<String>,
    /// Funnel step.
    pub step: Option<String>,
    /// Value.
    pub value: Option<f64>,
    /// Previous period's value.
    pub previous: Option<f64>,
    /// Relative change against the previous value.
    pub change: Option<f64>,
    /// Numerator of a ratio.
    pub numerator: Option<f64>,
    /// Denominator of a ratio.
    pub denominator: Option<f64>,
    /// Whether the period could still change (cohorts, revenue past the data).
    pub incomplete: bool,
}

/// Computes the report for tables, configuration and request.
pub fn run(tables: &[Table], config: &Config, request: &Request) -> Result<Report> {
    let catalog = config.catalog();
    let calendar = Calendar::new(request.grain, config.fiscal_year_start_month.unwrap_or(1));
    let offset = request.tz.micros();
    let settings = Settings {
        calendar,
        offset,
        as_of_date: request.as_of,
        by: request.by.as_ref().map(|b| b.trim().to_lowercase()),
        task_weights: config.task_weights.clone(),
        event_names: config
            .event_milestones
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    if tables.is_empty() {
        return Err(Error::Invalid("no files loaded".to_owned()));
    }
    let engine = Engine::new(tables, settings);
    let mut kpis = Vec::with_capacity(catalog.len());
    for def in &catalog {
        kpis.push(kpi_result(&engine, def));
    }
    let as_of_utc = engine.as_of - offset;
    let as_of = if request.as_of.is_some() {
        // End of the given day: shown to the second.
        rfc3339(as_of_utc - as_of_utc.rem_euclid(1_000_000))
    } else {
        rfc3339(as_of_utc)
    };
    Ok(Report {
        as_of,
        grain: request.grain.as_str().to_owned(),
        by: request.by.clone(),
        tz: format_offset(request.tz.0),
        kpis,
        quality: crate::quality::analyse(&engine, tables),
    })
}

fn format_offset(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, s / 60 % 60)
}

fn kpi_result(engine: &Engine, def: &KpiDef) -> KpiResult {
    let outcome = engine.compute(def);
    let mut points = Vec::new();
    for grid in &outcome.grids {
        points.extend(grid_points(engine, grid));
    }
    // Each input once, in the order the measure reads them.
    let mut inputs: Vec<String> = Vec::new();
    for (k, c) in Engine::inputs(&def.measure) {
        let name = format!("{k}.{c}");
        if !inputs.contains(&name) {
            inputs.push(name);
        }
    }
    KpiResult {
        id: def.id.clone(),
        name: def.name.clone(),
        definition: def.definition.clone(),
        unit: def.unit,
        area: def.area,
        stage: def.stage,
        indicator: def.indicator,
        better: def.better,
        inputs,
        window_days: def.window_days(),
        target: def.target,
        owner: def.owner.clone(),
        available: outcome.available,
        reason: outcome.reason,
        points,
    }
}

/// Rounds away binary noise (1e-12 relative) so that 0.1 + 0.2 reads 0.3.
fn clean(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite()).map(|x| {
        if x == 0.0 {
            0.0
        } else {
            let r = (x * 1e9).round() / 1e9;
            if (r - x).abs() <= x.abs() * 1e-12 {
                r
            } else {
                x
            }
        }
    })
}

fn grid_points(engine: &Engine, g: &Grid) -> Vec<Point> {
    let Some((first, last)) = g.range else {
        return Vec::new();
    };
    let cal = engine.settings.calendar;
    let first = g.defined_from.map_or(first, |d| first.max(d));
    // Segments in label order.
    let mut segments: Vec<(String, usize)> = (1..g.ns).map(|s| (engine.label(s - 1), s)).collect();
    segments.sort();
    let mut out = Vec::new();
    for p in first..=last {
        if g.is_absent(p) {
            continue;
        }
        let label = cal.label(p);
        let incomplete = g.at(p, 0).map(|i| g.incomplete[i / g.ns]).unwrap_or(false);
        let mut push = |s: usize, segment: Option<String>| {
            let Some(c) = g.cell(p, s) else { return };
            let previous = g.cell(p - 1, s).and_then(|c| c.value);
            let previous =
                previous.filter(|_| g.defined_from.is_none_or(|d| p > d) && !g.is_absent(p - 1));
            let change = match (c.value, previous) {
                (Some(v), Some(pv)) if pv != 0.0 => Some((v - pv) / pv.abs()),
                _ => None,
            };
            out.push(Point {
                period: label.clone(),
                segment,
                step: g.step.clone(),
                value: clean(c.value),
                previous: clean(previous),
                change: clean(change),
                numerator: clean(c.num),
                denominator: clean(c.den),
                incomplete,
            });
        };
        push(0, None);
        for (name, s) in &segments {
            if g.cell(p, *s).is_some_and(|c| c.rows) {
                push(*s, Some(name.clone()));
            }
        }
    }
    out
}

/// Formats a value in its unit for people.
pub fn format_value(unit: Unit, v: Option<f64>) -> String {
    let Some(v) = v else {
        return "–".to_owned();
    };
    match unit {
        Unit::Rate => format!("{:.1}%", v * 100.0),
        Unit::Currency => format!("{v:.2}"),
        Unit::Count => {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        }
        Unit::Hours => format!("{v:.1} h"),
        Unit::Score => format!("{v:.1}"),
        Unit::PerDay => format!("{v:.2}/day"),
    }
}

/// The report as a plain-text table: one block per KPI, periods as rows.
pub fn to_table(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let by =
        r.by.as_deref()
            .map(|b| format!(", by {b}"))
            .unwrap_or_default();
    let _ = writeln!(
        s,
        "kpidash report: {} grain{by}, as of {}\n",
        r.grain, r.as_of
    );
    for k in &r.kpis {
        if !k.available {
            let _ = writeln!(
                s,
                "{} — unavailable: {}\n",
                k.name,
                k.reason.as_deref().unwrap_or("")
            );
            continue;
        }
        let _ = writeln!(s, "{} ({})", k.name, k.id);
        if let Some(reason) = &k.reason {
            let _ = writeln!(s, "  note: {reason}");
        }
        for p in &k.points {
            let seg = p.segment.as_deref().unwrap_or("total");
            let step = p
                .step
                .as_deref()
                .map(|x| format!(" [{x}]"))
                .unwrap_or_default();
            let change = p
                .change
                .map(|c| format!("{:+.1}%", c * 100.0))
                .unwrap_or_default();
            let mark = if p.incomplete { " *" } else { "" };
            let _ = writeln!(
                s,
                "  {:<10} {:<20}{step} {:>14} {change:>8}{mark}",
                p.period,
                seg,
                format_value(k.unit, p.value)
            );
        }
        let _ = writeln!(s);
    }
    s.push_str(
        "* incomplete: the period's cohorts can still convert, or revenue data ends inside it\n",
    );
    s
}
