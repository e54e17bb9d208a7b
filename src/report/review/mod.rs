//! The review: one period's story from the document's points — headlines
//! for the top KPIs, findings (risks and opportunities) ranked by impact,
//! the segments that drove each change, the summary sentences, ICP against
//! non-ICP and budget pacing. Its shape is `docs/review.md`.
//!
//! * here: the review's types and `review`, which assembles it;
//! * `period.rs`: which period is reviewed, its previous and year-ago periods;
//! * `series.rs`: a KPI's points looked up by period, segment and step, and
//!   which test its differences take;
//! * `findings.rs`: the findings and four of the rules, `gaps.rs`: segment
//!   gaps, `phrases.rs`: the words their sentences use, `drivers.rs`: who
//!   drove a change;
//! * `summary.rs`: the sentences; `pacing.rs`: ICP and pacing tables;
//! * `stats.rs`: the z tests.

mod drivers;
mod findings;
mod gaps;
mod pacing;
mod period;
mod phrases;
mod series;
mod stats;
mod summary;

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::{Area, KpiDef};
use crate::config::{Action, Config, ReviewThresholds};
use crate::engine::time::{Calendar, DAY};
use crate::error::Result;
use crate::quality::Quality;

use super::{KpiResult, Status};
use series::Series;

pub use drivers::Driver;
pub use findings::{Finding, FindingKind, Polarity};
pub use pacing::{IcpComparison, IcpRow, Pacing, PacingRow};

/// The review section of the document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Review {
    /// The review period's label.
    pub period: String,
    /// The same for people (`May 2026`).
    pub label: String,
    /// The report's grain.
    pub grain: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    /// Last day of the period.
    pub end: String,
    /// Whether the as-of time is before the period's last day.
    pub running: bool,
    /// The period before.
    pub previous_period: String,
    /// The same period a year earlier, where the grain has one.
    pub year_ago_period: Option<String>,
    /// Every period of the report, oldest first (the period chooser).
    pub periods: Vec<String>,
    /// The report's breakdown.
    pub by: Option<String>,
    /// The amounts' currency, from the data or the configuration.
    pub currency: Option<String>,
    /// One per top KPI.
    pub headlines: Vec<Headline>,
    /// Risks and opportunities, largest weight first.
    pub findings: Vec<Finding>,
    /// The summary sentences.
    pub summary: Vec<String>,
    /// ICP against non-ICP, when the data has `icp`.
    pub icp: Option<IcpComparison>,
    /// Spend against budget by channel and campaign, when there is a budget.
    pub pacing: Option<Pacing>,
    /// The configuration's action items.
    pub actions: Vec<Action>,
    /// The thresholds the findings used.
    pub thresholds: ReviewThresholds,
}

/// A top KPI's value for the review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// KPI id.
    pub kpi: String,
    /// Its area.
    pub area: Area,
    /// Its rank among the area's top KPIs.
    pub rank: u8,
    /// Whether it could be computed.
    pub available: bool,
    /// Why not, or why its breakdown is missing.
    pub reason: Option<String>,
    /// The period the value is for.
    pub period: Option<String>,
    /// For funnel KPIs: the step shown (the largest drop-off).
    pub step: Option<String>,
    /// Value.
    pub value: Option<f64>,
    /// Numerator of a ratio.
    pub numerator: Option<f64>,
    /// Denominator of a ratio.
    pub denominator: Option<f64>,
    /// The period before `period`.
    pub previous_period: Option<String>,
    /// Its value.
    pub previous: Option<f64>,
    /// Relative change against it.
    pub change: Option<f64>,
    /// The same period a year earlier.
    pub year_ago_period: Option<String>,
    /// Its value.
    pub year_ago: Option<f64>,
    /// Relative change against it.
    pub year_ago_change: Option<f64>,
    /// Run-rate projection to the period's end.
    pub forecast: Option<f64>,
    /// Target at the grain.
    pub target: Option<f64>,
    /// Against the target.
    pub status: Option<Status>,
    /// The review period's value so far, when its cohort is maturing.
    pub maturing: Option<Maturing>,
    /// What the value is, in words, when it is not simply the review
    /// period's.
    pub note: Option<String>,
}

/// A cohort still maturing in the review period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Maturing {
    /// The review period.
    pub period: String,
    /// Its value so far.
    pub value: Option<f64>,
    /// The first period still maturing.
    pub first: String,
}

/// What the review reads.
pub(super) struct Inputs<'a> {
    /// The document's KPIs, in catalog order.
    pub kpis: &'a [KpiResult],
    /// Their definitions, same order.
    pub defs: &'a [KpiDef],
    /// The same KPIs broken down by `icp` (those that take a gap test),
    /// when the report's breakdown is another.
    pub icp: &'a [KpiResult],
    /// Pacing KPIs by channel and by campaign.
    pub pacing: &'a [(String, Vec<KpiResult>)],
    /// Grain and fiscal year.
    pub calendar: Calendar,
    /// As-of (local µs, inclusive).
    pub as_of: i64,
    /// First and last period id with data (any KPI).
    pub range: (i32, i32),
    /// The report's breakdown.
    pub by: Option<&'a str>,
    /// The period asked for.
    pub period: Option<&'a str>,
    /// Data quality.
    pub quality: &'a Quality,
    /// The configuration.
    pub config: &'a Config,
}

/// The review of a document's KPIs.
pub(super) fn review(inputs: &Inputs) -> Result<Review> {
    let calendar = inputs.calendar;
    let default = period::default_period(calendar, inputs.as_of);
    let first = inputs.range.0.min(default);
    let last = inputs
        .range
        .1
        .max(default)
        .max(calendar.period(inputs.as_of));
    let id = match inputs.period {
        Some(label) if !label.trim().is_empty() => {
            period::parse_period(calendar, label, first..=last)?
        }
        _ => default,
    };
    let rp = period::ReviewPeriod::new(calendar, id, inputs.as_of);
    let currency = currency(inputs.quality, inputs.config);
    let cur = currency.as_deref();
    let thresholds = inputs.config.review_thresholds();

    let ids: HashMap<String, i32> = (first..=last).map(|p| (calendar.label(p), p)).collect();
    let series: Vec<Series> = inputs
        .kpis
        .iter()
        .zip(inputs.defs)
        .map(|(k, d)| Series::new(k, d, &ids))
        .collect();
    let icp_series: Vec<Series> = inputs
        .icp
        .iter()
        .filter_map(|k| {
            let d = inputs.defs.iter().find(|d| d.id == k.id)?;
            Some(Series::new(k, d, &ids))
        })
        .collect();

    let headlines = headlines(&series, rp, calendar);
    let context = findings::Context {
        calendar,
        review: rp,
        thresholds,
        by: inputs.by,
        currency: cur,
    };
    let mut findings = findings::moves_and_targets(&series, &context);
    findings.extend(findings::early_warnings(&findings, &series));
    findings.extend(gaps::segment_gaps(&series, inputs.by, &context));
    if inputs.by != Some("icp") {
        findings.extend(gaps::segment_gaps(&icp_series, Some("icp"), &context));
    }
    findings.extend(findings::data_quality(
        inputs.kpis,
        inputs.quality,
        &context,
    ));
    findings::rank(&mut findings);

    let icp = if inputs.by == Some("icp") {
        pacing::icp(&series, &headlines)
    } else {
        pacing::icp(&icp_series, &headlines)
    };
    let pacing = pacing::pacing(inputs.pacing, calendar, inputs.as_of);
    let summary = summary::sentences(&summary::Story {
        series: &series,
        headlines: &headlines,
        findings: &findings,
        calendar,
        review: rp,
        currency: cur,
    });
    let day = |t: i64| {
        let (y, m, d) = crate::calendar::civil_from_days(t.div_euclid(DAY));
        format!("{y:04}-{m:02}-{d:02}")
    };
    Ok(Review {
        period: calendar.label(id),
        label: super::words::period(calendar, id),
        grain: calendar.grain.as_str().to_owned(),
        start: day(calendar.start(id)),
        end: day(calendar.end(id) - DAY),
        running: rp.running,
        previous_period: calendar.label(id - 1),
        year_ago_period: rp.year_ago.map(|p| calendar.label(p)),
        periods: (first..=last).map(|p| calendar.label(p)).collect(),
        by: inputs.by.map(str::to_owned),
        currency,
        headlines,
        findings,
        summary,
        icp,
        pacing,
        actions: inputs.config.actions.clone(),
        thresholds,
    })
}

/// Whether a KPI's segments of `dimension` can be tested against the rest
/// (rates of counts and costs per unit, not counting by the dimension
/// itself): those the `icp` breakdown is computed for.
pub(super) fn takes_gap_test(def: &KpiDef, dimension: &str) -> bool {
    matches!(
        series::Test::of(def),
        series::Test::Proportion | series::Test::CostPerUnit
    ) && !matches!(def.measure, crate::catalog::Measure::Funnel { .. })
        && !series::filters_on(def, dimension)
}

/// The amounts' currency: the one every table with a currency column
/// uses, else the configuration's.
fn currency(quality: &Quality, config: &Config) -> Option<String> {
    let mut found: Vec<&String> = quality.tables.iter().flat_map(|t| &t.currencies).collect();
    found.sort();
    found.dedup();
    match found.as_slice() {
        [one] => Some((*one).clone()),
        _ => config.currency.clone(),
    }
}

/// The headlines: the top KPIs by area, then rank.
fn headlines(series: &[Series], rp: period::ReviewPeriod, calendar: Calendar) -> Vec<Headline> {
    let mut top: Vec<&Series> = series.iter().filter(|s| s.kpi.top.is_some()).collect();
    top.sort_by_key(|s| (area_order(s.kpi.area), s.kpi.top));
    top.into_iter().map(|s| headline(s, rp, calendar)).collect()
}

/// Areas in the order the page shows them.
fn area_order(a: Area) -> u8 {
    match a {
        Area::Funnel => 0,
        Area::Acquisition => 1,
        Area::Engagement => 2,
        Area::Brand => 3,
        Area::RetentionExpansion => 4,
        Area::Investment => 5,
    }
}

fn headline(s: &Series, rp: period::ReviewPeriod, calendar: Calendar) -> Headline {
    let k = s.kpi;
    let mut h = Headline {
        kpi: k.id.clone(),
        area: k.area,
        rank: k.top.unwrap_or(0),
        available: k.available,
        reason: k.reason.clone(),
        period: None,
        step: None,
        value: None,
        numerator: None,
        denominator: None,
        previous_period: None,
        previous: None,
        change: None,
        year_ago_period: None,
        year_ago: None,
        year_ago_change: None,
        forecast: None,
        target: k.target,
        status: None,
        maturing: None,
        note: None,
    };
    if !k.available {
        return h;
    }
    let step = s.headline_step(rp.id);
    let step = step.as_deref();
    let Some(p) = s.settled(rp.id, step) else {
        return h;
    };
    let Some(point) = s.total(p, step) else {
        return h;
    };
    h.period = Some(calendar.label(p));
    h.step = step.map(str::to_owned);
    h.value = point.value;
    h.numerator = point.numerator;
    h.denominator = point.denominator;
    h.previous_period = Some(calendar.label(p - 1));
    h.previous = point.previous;
    h.change = point.change;
    h.forecast = point.forecast;
    h.status = point.status;
    let ya = period::year_ago(calendar, p);
    h.year_ago_period = ya.map(|y| calendar.label(y));
    h.year_ago = ya.and_then(|y| s.total(y, step)).and_then(|q| q.value);
    h.year_ago_change = match (h.value, h.year_ago) {
        (Some(v), Some(y)) => stats::relative(v, y),
        _ => None,
    };
    if p != rp.id {
        let first = s.first_maturing(p, rp.id, step).unwrap_or(rp.id);
        h.maturing = Some(Maturing {
            period: calendar.label(rp.id),
            value: s.total(rp.id, step).and_then(|q| q.value),
            first: calendar.label(first),
        });
        h.note = Some(format!(
            "latest complete cohort ({}); cohorts from {} are still maturing",
            super::words::period(calendar, p),
            super::words::period(calendar, first)
        ));
    } else if point.forecast.is_some() && rp.running {
        h.note = Some(format!(
            "{} is still running: the forecast projects it to the period's end",
            super::words::period(calendar, p)
        ));
    }
    h
}
