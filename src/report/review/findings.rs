//! The findings: their types and ranking, and the rules of off target,
//! significant moves, early warnings and data quality, each sized in the
//! KPI's own terms (`docs/review.md`, "Findings", which gives the rules).
//! Segment gaps are in `gaps.rs`, the words the sentences use in
//! `phrases.rs`.

use serde::Serialize;

use crate::catalog::{Better, Indicator, KpiDef, Measure, Unit};
use crate::config::ReviewThresholds;
use crate::engine::time::Calendar;
use crate::model::TableKind;
use crate::quality::Quality;

use super::super::{KpiResult, Point, Status, words};
use super::drivers::{Driver, drivers, main_driver};
use super::period::ReviewPeriod;
use super::phrases::{cohort, noun, segment_name, subject, unit_name, unit_noun, val, when};
use super::series::{Series, Test};
use super::stats::{bounded, count_z, per_day_z, relative, two_proportion_z, units_z};

/// What kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A KPI's status is off track.
    OffTarget,
    /// A significant change against the previous period.
    Move,
    /// A segment significantly different from the rest.
    SegmentGap,
    /// A leading KPI moved adversely, its stage's lagging ones not yet.
    EarlyWarning,
    /// Something in the data that weakens the numbers.
    DataQuality,
}

/// Risk or opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Adverse.
    Risk,
    /// Favourable.
    Opportunity,
}

/// What a finding's value is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compared {
    /// The previous period.
    Previous,
    /// The target.
    Target,
    /// The other segments together.
    Rest,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable id (kind, KPI, segment, period), for action items.
    pub id: String,
    /// Kind.
    pub kind: FindingKind,
    /// Risk or opportunity.
    pub polarity: Polarity,
    /// KPI id; `null` for data-quality findings about no one KPI.
    pub kpi: Option<String>,
    /// The breakdown of `segment`.
    pub dimension: Option<String>,
    /// Segment label, `null` for the total.
    pub segment: Option<String>,
    /// Funnel step.
    pub step: Option<String>,
    /// Period.
    pub period: Option<String>,
    /// The value found.
    pub value: Option<f64>,
    /// The value it is compared with.
    pub compared: Option<f64>,
    /// What that is.
    pub compared_with: Option<Compared>,
    /// `(value − compared) ÷ |compared|`.
    pub change: Option<f64>,
    /// The test statistic, where one applies.
    pub z: Option<f64>,
    /// Estimated size, in `impact_unit`.
    pub impact: f64,
    /// What `impact` counts.
    pub impact_unit: String,
    /// Ranking weight: impact as a share of the KPI's period total.
    pub weight: f64,
    /// Segments that drove a total's move.
    pub drivers: Vec<Driver>,
    /// One sentence.
    pub sentence: String,
}

/// What every rule needs.
pub struct Context<'a> {
    /// Grain.
    pub calendar: Calendar,
    /// The review period.
    pub review: ReviewPeriod,
    /// Thresholds.
    pub thresholds: ReviewThresholds,
    /// The report's breakdown.
    pub by: Option<&'a str>,
    /// Currency of amounts.
    pub currency: Option<&'a str>,
}

impl Context<'_> {
    pub(super) fn period(&self, p: i32) -> String {
        words::period(self.calendar, p)
    }
}

/// Whether a size falls short of its threshold: a size equal to the
/// threshold (up to rounding in the last digits) is a finding.
pub(super) fn below(size: f64, threshold: f64) -> bool {
    size < threshold * (1.0 - 1e-12)
}

/// Whether two proportions have the counts their z test needs: at the
/// pooled rate, each side expects at least `least` successes and as many
/// failures (the normal approximation holds); `None` otherwise.
pub(super) fn enough_for_proportions(n1: f64, d1: f64, n0: f64, d0: f64, least: f64) -> Option<()> {
    let p = (n1 + n0) / (d1 + d0);
    let ok = [d1, d0]
        .iter()
        .all(|d| d * p >= least && d * (1.0 - p) >= least);
    ok.then_some(())
}

/// Largest weight first; ties by kind, then id, so the order is stable.
pub fn rank(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then((a.kind as u8).cmp(&(b.kind as u8)))
            .then(a.id.cmp(&b.id))
    });
}

pub(super) fn id(
    kind: &str,
    kpi: &str,
    dimension: Option<&str>,
    segment: Option<&str>,
    step: Option<&str>,
    period: &str,
) -> String {
    let mut s = format!("{kind}:{kpi}");
    if let (Some(d), Some(seg)) = (dimension, segment) {
        s.push_str(&format!(":{d}={seg}"));
    }
    if let Some(st) = step {
        s.push_str(&format!(":step={st}"));
    }
    s.push(':');
    s.push_str(period);
    s
}

/// Whether a KPI's denominator counts rows (deals, people in a cohort).
fn counted_denominator(def: &KpiDef) -> bool {
    match &def.measure {
        Measure::Ratio { denominator, .. } => denominator.agg == crate::catalog::Agg::Count,
        Measure::AllTasks { .. } | Measure::TaskScore { .. } => true,
        _ => false,
    }
}

/// Whether a ratio's numerator is an amount of money (spend, budget, deal
/// amounts, MRR).
fn money_numerator(def: &KpiDef) -> bool {
    matches!(&def.measure, Measure::Ratio { numerator, .. }
        if numerator.agg == crate::catalog::Agg::Sum
            && matches!(numerator.table, TableKind::Spend | TableKind::Budget | TableKind::Deals | TableKind::Revenue))
}

/// Whether moving from `from` to `to` is good for the KPI.
fn favourable(better: Better, from: f64, to: f64, target: Option<f64>) -> Option<bool> {
    match better {
        Better::Up => Some(to > from),
        Better::Down => Some(to < from),
        Better::Target => target.map(|t| (to - t).abs() < (from - t).abs()),
        Better::None => None,
    }
}

pub(super) fn polarity(good: bool) -> Polarity {
    if good {
        Polarity::Opportunity
    } else {
        Polarity::Risk
    }
}

/// Rules 1 and 2: off target and significant moves, for the total (each
/// step of a funnel) and each segment of the report's breakdown.
pub fn moves_and_targets(series: &[Series], ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in series.iter().filter(|s| s.kpi.available) {
        let steps: Vec<Option<&str>> = if s.steps.is_empty() {
            vec![None]
        } else {
            s.steps.iter().map(|st| Some(*st)).collect()
        };
        for step in steps {
            let Some(p) = s.settled(ctx.review.id, step) else {
                continue;
            };
            // A settled period other than the review's is only for cohorts
            // still maturing; a KPI with no point in the review period
            // makes no finding.
            if p != ctx.review.id && s.total(ctx.review.id, step).is_none_or(|q| !q.incomplete) {
                continue;
            }
            let Some(total) = s.total(p, step) else {
                continue;
            };
            if step.is_none()
                && let Some(f) = off_target(s, p, None, total, ctx)
            {
                out.push(f);
            }
            if let Some(mut f) = movement(s, p, None, step, total, ctx) {
                if ctx.by.is_some() {
                    f.drivers = drivers(s, p, step);
                    if let Some(d) = main_driver(&f.drivers) {
                        let detail = driver_detail(s, d, ctx);
                        f.sentence = format!(
                            "{}, mostly from {}{detail}.",
                            f.sentence.trim_end_matches('.'),
                            words::segment(&d.segment)
                        );
                    }
                }
                out.push(f);
            }
            for &segment in &s.segments {
                let Some(point) = s.segment(p, segment, step) else {
                    continue;
                };
                // A count's or sum's target is the total's; a ratio's holds
                // for every segment.
                if step.is_none()
                    && !Test::adds_up(s.def)
                    && let Some(f) = off_target(s, p, Some(segment), point, ctx)
                {
                    out.push(f);
                }
                if let Some(f) = movement(s, p, Some(segment), step, point, ctx) {
                    out.push(f);
                }
            }
        }
    }
    out
}

/// "(+$9.1k spend, 3 fewer customers)" for a driver.
fn driver_detail(s: &Series, d: &Driver, ctx: &Context) -> String {
    match (s.test, d.numerator, d.denominator) {
        (Test::CostPerUnit, Some(n), Some(den)) => {
            let unit = unit_noun(s.def);
            let more = if den >= 0.0 { "more" } else { "fewer" };
            format!(
                " ({} spend, {} {more} {}{})",
                words::difference(Unit::Currency, n, ctx.currency),
                words::count(den.abs()),
                unit,
                if (den.abs() - 1.0).abs() < f64::EPSILON {
                    ""
                } else {
                    "s"
                }
            )
        }
        (Test::Proportion, Some(n), _) => {
            format!(
                " ({} {})",
                words::difference(Unit::Count, n, None),
                noun(s.def)
            )
        }
        _ => match d.value {
            Some(v) => format!(" ({})", words::difference(s.kpi.unit, v, ctx.currency)),
            None => String::new(),
        },
    }
}

/// Rule 1 for a total point.
fn off_target(
    s: &Series,
    p: i32,
    segment: Option<&str>,
    point: &Point,
    ctx: &Context,
) -> Option<Finding> {
    if point.status != Some(Status::OffTrack) {
        return None;
    }
    let k = s.kpi;
    let dimension = segment.and(ctx.by);
    let target = k.target?;
    // A period covered to its last day is told by its value; its forecast
    // differs by the last hours at most.
    let projected = point.forecast.is_some() && ctx.review.running && p == ctx.review.id;
    let v = if projected {
        point.forecast
    } else {
        point.value
    }?;
    let gap = v - target;
    // In the numerator's terms where it counts people or money: the
    // customers or dollars between the value and the target.
    let (impact, impact_unit) = match (s.test, point.numerator, point.denominator) {
        (Test::Proportion, _, Some(d)) => (gap.abs() * d, noun(s.def)),
        (_, Some(n), Some(d)) if money_numerator(s.def) => {
            ((n - target * d).abs(), "currency".to_owned())
        }
        _ => (gap.abs(), unit_name(k.unit)),
    };
    let verb = if projected { "is projected at" } else { "was" };
    let period = ctx.period(p);
    let how = match k.better {
        Better::Up => format!("{} short of", words::percent((gap / target).abs())),
        Better::Down => format!("{} above", words::percent((gap / target).abs())),
        _ if gap > 0.0 => format!("{} over", words::percent((gap / target).abs())),
        _ => format!("{} under", words::percent((gap / target).abs())),
    };
    let who = match (segment, dimension) {
        (Some(seg), Some(d)) => format!(" for {}", segment_name(d, seg)),
        _ => String::new(),
    };
    // A segment's miss weighs half the total's.
    let share = if segment.is_some() { 0.5 } else { 1.0 };
    let money = if impact_unit == "currency" {
        format!(
            " ({} {})",
            words::money(impact, ctx.currency),
            if v > target { "over" } else { "under" }
        )
    } else {
        String::new()
    };
    let sentence = format!(
        "{}{who} {verb} {} {}, {how} its {} target{money}.",
        subject(s, None),
        val(k, v, ctx),
        if s.def.window_days().is_some() {
            cohort(ctx.calendar, p)
        } else if projected {
            format!("for {period}")
        } else {
            format!("in {period}")
        },
        val(k, target, ctx)
    );
    Some(Finding {
        id: id(
            "off_target",
            &k.id,
            dimension,
            segment,
            None,
            &ctx.calendar.label(p),
        ),
        kind: FindingKind::OffTarget,
        polarity: Polarity::Risk,
        kpi: Some(k.id.clone()),
        dimension: dimension.map(str::to_owned),
        segment: segment.map(str::to_owned),
        step: None,
        period: Some(ctx.calendar.label(p)),
        value: Some(v),
        compared: Some(target),
        compared_with: Some(Compared::Target),
        change: relative(v, target),
        z: None,
        impact,
        impact_unit,
        weight: if target != 0.0 {
            bounded((gap / target).abs()) * share
        } else {
            0.0
        },
        drivers: Vec::new(),
        sentence,
    })
}

/// Rule 2 for one point (total or segment).
fn movement(
    s: &Series,
    p: i32,
    segment: Option<&str>,
    step: Option<&str>,
    point: &Point,
    ctx: &Context,
) -> Option<Finding> {
    let k = s.kpi;
    if point.incomplete {
        return None;
    }
    // A sum of a period still running holds only part of the period.
    if ctx.review.running && p == ctx.review.id && Test::adds_up(s.def) {
        return None;
    }
    let v = point.value?;
    let prev = point.previous?;
    let good = favourable(k.better, prev, v, k.target)?;
    if v == prev {
        return None;
    }
    let before = match segment {
        Some(seg) => s.segment(p - 1, seg, step),
        None => s.total(p - 1, step),
    };
    let t = ctx.thresholds;
    let total = s.total(p, step);
    let total_den = total.and_then(|q| q.denominator).filter(|d| *d > 0.0);
    let n_segments = s.segments.len().max(1) as f64;
    let (z, impact, impact_unit, weight) = match s.test {
        Test::Proportion => {
            let (n1, d1) = (point.numerator?, point.denominator?);
            let before = before?;
            let (n0, d0) = (before.numerator?, before.denominator?);
            enough_for_proportions(n1, d1, n0, d0, t.min_expected)?;
            let z = two_proportion_z(n1, d1, n0, d0)?;
            if below(z.abs(), t.z) {
                return None;
            }
            let impact = (v - prev).abs() * d1;
            let base = match segment {
                None => prev * d1,
                Some(_) => total.and_then(|q| q.numerator).unwrap_or(0.0),
            };
            (
                Some(z),
                impact,
                noun(s.def),
                if base > 0.0 { impact / base } else { 0.0 },
            )
        }
        Test::Count => {
            ((v + prev) / 2.0 >= t.min_expected).then_some(())?;
            let z = count_z(v, prev)?;
            if below(z.abs(), t.z) {
                return None;
            }
            let base = match segment {
                None => prev,
                Some(_) => total.and_then(|q| q.previous).unwrap_or(0.0),
            };
            let impact = (v - prev).abs();
            (
                Some(z),
                impact,
                noun(s.def),
                if base > 0.0 { impact / base } else { 1.0 },
            )
        }
        Test::CostPerUnit => {
            // The units bought against those the spend would have bought
            // at the previous cost per unit.
            let (n1, d1) = (point.numerator?, point.denominator?);
            (d1.max(n1 / prev) >= t.min_expected).then_some(())?;
            let z = units_z(d1, n1, prev)?;
            if below(z.abs(), t.z) {
                return None;
            }
            let impact = (n1 - d1 * prev).abs();
            let base = match segment {
                None => n1,
                Some(_) => total.and_then(|q| q.numerator).unwrap_or(0.0),
            };
            (
                Some(z),
                impact,
                "currency".to_owned(),
                if base > 0.0 { impact / base } else { 0.0 },
            )
        }
        Test::PerDay => {
            let (n1, d1) = (point.numerator?, point.denominator?);
            let before = before?;
            let (n0, d0) = (before.numerator?, before.denominator?);
            ((n1 + n0) / 2.0 >= t.min_expected).then_some(())?;
            let z = per_day_z(n1, d1, n0, d0)?;
            if below(z.abs(), t.z) {
                return None;
            }
            let impact = (v - prev).abs();
            let base = match segment {
                None => prev,
                Some(_) => total.and_then(|q| q.previous).unwrap_or(0.0),
            };
            (
                Some(z),
                impact,
                unit_name(k.unit),
                if base > 0.0 { impact / base } else { 1.0 },
            )
        }
        Test::Growth | Test::Change => {
            // Judged by the change alone, a value needs enough rows behind
            // it: a count denominator of twice the least expected count; a
            // segment's median (no counts) is too thin to judge.
            match (counted_denominator(s.def), point.denominator) {
                (true, Some(d)) if d < 2.0 * t.min_expected => return None,
                (false, None) if segment.is_some() => return None,
                _ => {}
            }
            let size = if s.test == Test::Growth {
                (v - prev).abs()
            } else {
                relative(v, prev)?.abs()
            };
            if below(size, t.move_change) {
                return None;
            }
            // Without a test of significance, half the weight.
            let weight = match (segment, point.denominator, total_den) {
                (None, _, _) => size,
                (Some(_), Some(d), Some(td)) => size * d / td,
                (Some(_), _, _) => size / n_segments,
            };
            (
                None,
                (v - prev).abs(),
                unit_name(k.unit),
                0.5 * bounded(weight),
            )
        }
    };
    let weight = if s.test == Test::Growth || s.test == Test::Change {
        weight
    } else {
        bounded(weight)
    };
    let change = relative(v, prev);
    let dimension = segment.and(ctx.by);
    let verb = if v > prev { "rose" } else { "fell" };
    let who = match (segment, dimension) {
        (Some(seg), Some(d)) => format!(" for {}", segment_name(d, seg)),
        _ => String::new(),
    };
    let by_how_much = match (s.test, change) {
        (Test::Proportion | Test::Growth, _) | (_, None) => String::new(),
        (_, Some(c)) => format!(" {}", words::percent(c.abs())),
    };
    let mut sentence = format!(
        "{}{who} {verb}{by_how_much} to {} {} from {} in {}",
        subject(s, step),
        val(k, v, ctx),
        when(s, p, ctx),
        val(k, prev, ctx),
        ctx.period(p - 1)
    );
    if s.test == Test::Proportion {
        let more = if v > prev { "more" } else { "fewer" };
        sentence.push_str(&format!(
            ": {} {more} {} than at the earlier rate",
            words::count(impact.round()),
            noun(s.def)
        ));
    }
    sentence.push('.');
    Some(Finding {
        id: id(
            "move",
            &k.id,
            dimension,
            segment,
            step,
            &ctx.calendar.label(p),
        ),
        kind: FindingKind::Move,
        polarity: polarity(good),
        kpi: Some(k.id.clone()),
        dimension: dimension.map(str::to_owned),
        segment: segment.map(str::to_owned),
        step: step.map(str::to_owned),
        period: Some(ctx.calendar.label(p)),
        value: Some(v),
        compared: Some(prev),
        compared_with: Some(Compared::Previous),
        change,
        z,
        impact,
        impact_unit,
        weight,
        drivers: Vec::new(),
        sentence,
    })
}

/// Rule 4: a leading KPI's adverse move (of its total) while none of its
/// stage's lagging KPIs has moved.
pub fn early_warnings(found: &[Finding], series: &[Series]) -> Vec<Finding> {
    let moved = |id: &str| {
        found.iter().any(|f| {
            f.kind == FindingKind::Move && f.segment.is_none() && f.kpi.as_deref() == Some(id)
        })
    };
    let mut out = Vec::new();
    for f in found {
        if f.kind != FindingKind::Move || f.segment.is_some() || f.polarity != Polarity::Risk {
            continue;
        }
        let Some(s) = series.iter().find(|s| Some(&s.kpi.id) == f.kpi.as_ref()) else {
            continue;
        };
        let (Some(stage), Indicator::Leading) = (s.kpi.stage, s.kpi.indicator) else {
            continue;
        };
        let lagging: Vec<&Series> = series
            .iter()
            .filter(|o| {
                o.kpi.available
                    && o.kpi.stage == Some(stage)
                    && o.kpi.indicator == Indicator::Lagging
            })
            .collect();
        if lagging.is_empty() || lagging.iter().any(|o| moved(&o.kpi.id)) {
            continue;
        }
        let names: Vec<String> = lagging
            .iter()
            .take(3)
            .map(|o| words::in_sentence(&o.kpi.name))
            .collect();
        let stage_name = serde_json::to_value(stage)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut e = f.clone();
        e.id = f.id.replacen("move:", "early_warning:", 1);
        e.kind = FindingKind::EarlyWarning;
        e.drivers = Vec::new();
        e.sentence = format!(
            "Early warning: {} — a leading KPI of the {stage_name} stage — moved against you while its lagging KPIs ({}) have not moved yet; they may follow.",
            words::in_sentence(&s.kpi.name),
            names.join(", ")
        );
        out.push(e);
    }
    out
}

/// Rule 5: duplicates, unparsed cells, null anchors, and top KPIs missing
/// an input.
pub fn data_quality(kpis: &[KpiResult], q: &Quality, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |id: String,
                   kpi: Option<String>,
                   impact: f64,
                   unit: &str,
                   weight: f64,
                   sentence: String| Finding {
        id,
        kind: FindingKind::DataQuality,
        polarity: Polarity::Risk,
        kpi,
        dimension: None,
        segment: None,
        step: None,
        period: None,
        value: None,
        compared: None,
        compared_with: None,
        change: None,
        z: None,
        impact,
        impact_unit: unit.to_owned(),
        weight,
        drivers: Vec::new(),
        sentence,
    };
    let rows_of = |kind: TableKind| -> usize {
        q.tables
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.rows)
            .sum()
    };
    for (kind, merged, what) in [
        (TableKind::People, q.duplicates_merged, "people rows"),
        (TableKind::Deals, q.duplicate_deals, "deal rows"),
    ] {
        let rows = rows_of(kind);
        if rows == 0 || merged == 0 {
            continue;
        }
        // People rows kept in the table include those merged away.
        let share = merged as f64 / rows as f64;
        if share > ctx.thresholds.duplicates_share {
            out.push(finding(
                format!("data_quality:duplicates:{}", kind.as_str()),
                None,
                merged as f64,
                "rows",
                share,
                format!(
                    "{} of {what} ({} of {}) were merged as duplicates: check the export's deduplication before trusting counts.",
                    words::percent(share),
                    words::count(merged as f64),
                    words::count(rows as f64)
                ),
            ));
        }
    }
    for t in &q.tables {
        if t.load.unparsed_cells > 0 {
            let share = t.load.unparsed_cells as f64 / t.rows.max(1) as f64;
            let example = t
                .load
                .unparsed_examples
                .first()
                .map(|c| format!(" (first: row {}, column {})", c.row, c.column))
                .unwrap_or_default();
            out.push(finding(
                format!("data_quality:unparsed:{}", t.file),
                None,
                t.load.unparsed_cells as f64,
                "cells",
                share,
                format!(
                    "{}: {} cells could not be read and count as empty{example}.",
                    t.file,
                    words::count(t.load.unparsed_cells as f64)
                ),
            ));
        }
        if let Some(anchor) = t.kind.spec().time
            && let Some(&nulls) = t.null_times.get(anchor)
            && nulls > 0
        {
            let share = nulls as f64 / t.rows.max(1) as f64;
            out.push(finding(
                format!("data_quality:null_anchor:{}:{anchor}", t.file),
                None,
                nulls as f64,
                "rows",
                share,
                format!(
                    "{}: {} rows ({}) have no {anchor} and are left out of every KPI placed by it.",
                    t.file,
                    words::count(nulls as f64),
                    words::percent(share)
                ),
            ));
        }
    }
    for k in kpis.iter().filter(|k| k.top.is_some() && !k.available) {
        let needs = k
            .reason
            .clone()
            .unwrap_or_else(|| format!("needs {}", k.inputs.join(", ")));
        out.push(finding(
            format!("data_quality:unavailable:{}", k.id),
            Some(k.id.clone()),
            1.0,
            "KPIs",
            0.1,
            format!(
                "{}, a top KPI, cannot be computed: {}.",
                words::capitalised(&words::in_sentence(&k.name)),
                needs.trim_end_matches('.')
            ),
        ));
    }
    out
}
