//! The report: what is asked for, the result document assembled from engine
//! output, and its renderings. The document's JSON shape and the command
//! line are described in `docs/result.md`.
//!
//! * `mod.rs` (here): the document's types and `run`, which computes every
//!   KPI of the catalog with the engine and assembles the document (the
//!   [`Session`](crate::Session) calls it);
//! * `request.rs`: [`Request`], what a report is asked for (grain,
//!   breakdown, as-of, time zone), parsed from text options;
//! * `points.rs`: a KPI's grids → its points (totals, segments, previous
//!   value, change);
//! * [`text`]: the document as a plain-text table for the terminal;
//! * the data-quality section is analysed in [`crate::quality`].
//!
//! The review layer that comes next sits beside these: `review.rs` for
//! findings, the summary and drivers, computed here in Rust from the
//! document's KPIs (the page renders them, it does not compute them), added
//! to the document as its own section; `markdown.rs` for a Markdown
//! rendering of the document beside [`text`]. A new report section is a
//! field of [`Report`], filled in `run` by the module that computes it.

pub mod markdown;
mod points;
mod request;
pub mod review;
pub mod text;
pub mod words;

use std::rc::Rc;

use serde::Serialize;

use crate::catalog::{Area, Better, Indicator, KpiDef, Stage, Unit};
use crate::config::Config;
use crate::engine::time::{Calendar, rfc3339};
use crate::engine::{Engine, Prepared, Settings};
use crate::error::{Error, Result};
use crate::model::Table;
use crate::quality::Quality;

use points::{Outlook, grid_points};
pub use request::Request;
pub use review::Review;

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
    /// The review of one period: headlines, findings, summary
    /// (`docs/review.md`).
    pub review: Review,
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
    /// Funnel stage; `null` for KPIs outside the funnel.
    pub stage: Option<Stage>,
    /// Leading or lagging.
    pub indicator: Indicator,
    /// Better direction.
    pub better: Better,
    /// Tables and columns it needs.
    pub inputs: Vec<String>,
    /// Window in days, for cohort KPIs.
    pub window_days: Option<f64>,
    /// The target at the report's grain, which `status` compares with.
    pub target: Option<f64>,
    /// The user's owner.
    pub owner: Option<String>,
    /// Its rank among its area's top KPIs (1 leads), `null` for a
    /// diagnostic.
    pub top: Option<u8>,
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
    /// The value projected to the period's end, for the period containing
    /// the as-of of a KPI whose value adds up over the period.
    pub forecast: Option<f64>,
    /// The value (or its forecast) against the KPI's target.
    pub status: Option<Status>,
}

/// Where a point stands against its KPI's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or past the target in the better direction, or within the
    /// tolerance of a `better: target` KPI.
    OnTrack,
    /// Short of the target, or outside the tolerance.
    OffTrack,
}

/// Computes the report for tables, configuration and request (the
/// session's [`crate::Session::report`] without its reuse).
#[cfg(test)]
pub(crate) fn run(tables: &[Table], config: &Config, request: &Request) -> Result<Report> {
    let computed = compute(tables, config, request, None)?;
    assemble(&computed, config, request)
}

/// Everything of a report but its review: the KPIs of the catalog (and
/// those of the review's other breakdowns), data quality, and what the
/// engine prepared. It does not depend on the request's review period, so a
/// [`crate::Session`] keeps it and a report that changes only the period
/// reuses it whole; another grain or breakdown reuses [`Computed::prepared`].
pub(crate) struct Computed {
    /// The request it was computed for (its period aside).
    request: Request,
    kpis: Vec<KpiResult>,
    icp: Vec<KpiResult>,
    pacing: Vec<(String, Vec<KpiResult>)>,
    quality: Quality,
    calendar: Calendar,
    as_of: i64,
    range: (i32, i32),
    by: Option<String>,
    /// The engine's merged people, times and period ids, for the next report.
    pub prepared: Rc<Prepared>,
}

impl Computed {
    /// Whether it answers `request`: the same request but for the review period.
    pub fn answers(&self, request: &Request) -> bool {
        let Request {
            grain,
            by,
            as_of,
            tz,
            period: _,
        } = request;
        (
            self.request.grain,
            &self.request.by,
            self.request.as_of,
            self.request.tz,
        ) == (*grain, by, *as_of, *tz)
    }
}

/// Computes the KPIs and data quality of a report, starting from what an
/// earlier report on the same tables prepared (see [`Engine::with_prepared`]).
pub(crate) fn compute(
    tables: &[Table],
    config: &Config,
    request: &Request,
    earlier: Option<Rc<Prepared>>,
) -> Result<Computed> {
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
    if let Some(by) = &settings.by {
        crate::engine::segments::check_dimension(tables, by)?;
    }
    let mut engine = Engine::with_prepared(tables, settings, earlier);
    let mut kpis = Vec::with_capacity(catalog.len());
    let mut range: Option<(i32, i32)> = None;
    for def in &catalog {
        kpis.push(kpi_result(&engine, config, def, &mut range));
    }
    let quality = crate::quality::analyse(&engine, tables);
    let by = engine.settings.by.clone();
    // The review's other breakdowns: icp for the segment gaps, channel and
    // campaign for the pacing table.
    let mut icp = Vec::new();
    let has = |dimension: &str| crate::engine::segments::check_dimension(tables, dimension).is_ok();
    if by.as_deref() != Some("icp") && has("icp") {
        engine.set_breakdown(Some("icp".to_owned()));
        // The headline KPIs only: those the review compares ICP with
        // non-ICP for.
        for def in catalog
            .iter()
            .filter(|d| d.top.is_some() && review::takes_gap_test(d, "icp"))
        {
            let k = kpi_result(&engine, config, def, &mut None);
            if k.points.iter().any(|p| p.segment.is_some()) {
                icp.push(k);
            }
        }
    }
    let mut pacing = Vec::new();
    let pacing_kpis: Vec<&KpiDef> = catalog
        .iter()
        .filter(|d| d.id == "budget_pacing" || d.id == "budget_remaining")
        .collect();
    if kpis.iter().any(|k| k.id == "budget_pacing" && k.available) {
        for dimension in ["channel", "campaign"].into_iter().filter(|d| has(d)) {
            let results: Vec<KpiResult> = if by.as_deref() == Some(dimension) {
                kpis.iter()
                    .filter(|k| pacing_kpis.iter().any(|d| d.id == k.id))
                    .cloned()
                    .collect()
            } else {
                engine.set_breakdown(Some(dimension.to_owned()));
                pacing_kpis
                    .iter()
                    .map(|d| kpi_result(&engine, config, d, &mut None))
                    .collect()
            };
            if results
                .iter()
                .any(|k| k.points.iter().any(|p| p.segment.is_some()))
            {
                pacing.push((dimension.to_owned(), results));
            }
        }
    }
    let calendar_range = range.unwrap_or_else(|| {
        let p = calendar.period(engine.as_of);
        (p, p)
    });
    Ok(Computed {
        request: request.clone(),
        kpis,
        icp,
        pacing,
        quality,
        calendar,
        as_of: engine.as_of,
        range: calendar_range,
        by,
        prepared: engine.prepared(),
    })
}

/// The document of computed KPIs with the review of the request's period.
pub(crate) fn assemble(computed: &Computed, config: &Config, request: &Request) -> Result<Report> {
    let catalog = config.catalog();
    let review = review::review(&review::Inputs {
        kpis: &computed.kpis,
        defs: &catalog,
        icp: &computed.icp,
        pacing: &computed.pacing,
        calendar: computed.calendar,
        as_of: computed.as_of,
        range: computed.range,
        by: computed.by.as_deref(),
        period: request.period.as_deref(),
        quality: &computed.quality,
        config,
    })?;
    let as_of_utc = computed.as_of - request.tz.micros();
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
        kpis: computed.kpis.clone(),
        quality: computed.quality.clone(),
        review,
    })
}

/// A UTC offset in seconds as the document writes it, `+HH:MM`.
fn format_offset(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, s / 60 % 60)
}

/// One KPI's entry in the document: its definition's metadata and points.
fn kpi_result(
    engine: &Engine,
    config: &Config,
    def: &KpiDef,
    range: &mut Option<(i32, i32)>,
) -> KpiResult {
    let outcome = engine.compute(def);
    for (first, last) in outcome.grids.iter().filter_map(|g| g.range) {
        *range = Some(match *range {
            Some((a, b)) => (a.min(first), b.max(last)),
            None => (first, last),
        });
    }
    let calendar = engine.settings.calendar;
    let target = config.target(def, calendar.grain);
    let outlook = Outlook {
        as_of: engine.as_of,
        run_rate: def.outlook == Some(crate::catalog::Outlook::RunRate),
        target,
        better: def.better,
        tolerance: config.target_tolerance(&def.id),
    };
    let mut points = Vec::new();
    for grid in &outcome.grids {
        let segments: Vec<String> = (1..grid.ns).map(|s| engine.label(s - 1)).collect();
        points.extend(grid_points(grid, calendar, &segments, &outlook));
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
        target,
        owner: def.owner.clone(),
        top: def.top,
        available: outcome.available,
        reason: outcome.reason,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_written_as_hours_and_minutes() {
        let check = |seconds, expected: &str| {
            assert_eq!(format_offset(seconds), expected, "{seconds}");
        };
        check(0, "+00:00");
        check(7200, "+02:00");
        check(-(5 * 3600 + 30 * 60), "-05:30");
        check(14 * 3600, "+14:00");
        check(-45 * 60, "-00:45");
    }

    #[test]
    fn no_tables_is_an_error() {
        let Err(e) = run(&[], &Config::default(), &Request::default()) else {
            panic!("a report without tables");
        };
        assert!(e.to_string().contains("no files loaded"), "{e}");
    }
}
