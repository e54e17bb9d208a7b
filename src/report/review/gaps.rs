//! Rule 3 of the findings: segments that differ from the rest of their
//! dimension (the total without them), for rates of counts and costs per
//! unit (`docs/review.md`, "Findings").

use crate::catalog::Better;

use super::super::Point;
use super::super::words;
use super::findings::{
    Compared, Context, Finding, FindingKind, Polarity, below, enough_for_proportions, id, polarity,
};
use super::phrases::{noun, plural, rest_name, segment_name, subject, unit_noun, val, when};
use super::series::{Series, Test, filters_on};
use super::stats::{bounded, relative, two_proportion_z, units_z};

/// Rule 3: segments of `dimension` that differ from the rest, for rates
/// of counts and costs per unit.
pub(super) fn segment_gaps(
    series: &[Series],
    dimension: Option<&str>,
    ctx: &Context,
) -> Vec<Finding> {
    let Some(dimension) = dimension else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in series
        .iter()
        .filter(|s| s.kpi.available && s.steps.is_empty())
    {
        if !matches!(s.test, Test::Proportion | Test::CostPerUnit)
            || s.segments.len() < 2
            || filters_on(s.def, dimension)
        {
            continue;
        }
        let Some(p) = s.settled(ctx.review.id, None) else {
            continue;
        };
        if p != ctx.review.id && s.total(ctx.review.id, None).is_none_or(|q| !q.incomplete) {
            continue;
        }
        let Some(total) = s.total(p, None) else {
            continue;
        };
        let (Some(n), Some(d)) = (total.numerator, total.denominator) else {
            continue;
        };
        let before = out.len();
        for &segment in &s.segments {
            // Unknown ICP fit is no segment to act on.
            if dimension == "icp" && segment == "(none)" {
                continue;
            }
            let Some(point) = s.segment(p, segment, None) else {
                continue;
            };
            if let Some(f) = gap(s, p, dimension, segment, point, (n, d), ctx) {
                out.push(f);
            }
        }
        // Of two segments, each is the other's rest: one gap tells it, the
        // one falling short.
        let known = s.segments.iter().filter(|x| **x != "(none)").count();
        if known == 2 && out.len() - before == 2 {
            let keep = usize::from(out[before].polarity != Polarity::Risk);
            out.remove(before + 1 - keep);
        }
    }
    out
}

/// One segment against the rest (the total without it).
fn gap(
    s: &Series,
    p: i32,
    dimension: &str,
    segment: &str,
    point: &Point,
    (n, d): (f64, f64),
    ctx: &Context,
) -> Option<Finding> {
    let k = s.kpi;
    let t = ctx.thresholds;
    let (ns, ds) = (point.numerator?, point.denominator?);
    let (nr, dr) = (n - ns, d - ds);
    if dr.is_nan() || dr <= 0.0 {
        return None;
    }
    let rest = nr / dr;
    let (value, z, impact, impact_unit, weight) = match s.test {
        Test::Proportion => {
            let v = point.value?;
            enough_for_proportions(ns, ds, nr, dr, t.min_expected)?;
            let z = two_proportion_z(ns, ds, nr, dr)?;
            let rel = relative(v, rest)?;
            if below(z.abs(), t.z) || below(rel.abs(), t.gap_relative) {
                return None;
            }
            let impact = (rest - v).abs() * ds;
            (
                v,
                z,
                impact,
                noun(s.def),
                if n > 0.0 { bounded(impact / n) } else { 0.0 },
            )
        }
        Test::CostPerUnit => {
            // A segment that spent and bought nothing has no cost per unit,
            // but a gap all the same.
            (ds.max(ns / rest) >= t.min_expected).then_some(())?;
            let z = units_z(ds, ns, rest)?;
            let v = point.value.unwrap_or(f64::INFINITY);
            let rel = if v.is_finite() {
                relative(v, rest)?
            } else {
                f64::INFINITY
            };
            if below(z.abs(), t.z) || below(rel.abs(), t.gap_relative) {
                return None;
            }
            let impact = (ns - ds * rest).abs();
            (
                v,
                z,
                impact,
                "currency".to_owned(),
                if n > 0.0 { bounded(impact / n) } else { 0.0 },
            )
        }
        _ => return None,
    };
    let good = match k.better {
        Better::Up => value > rest,
        Better::Down => value < rest,
        _ => return None,
    };
    let name = segment_name(dimension, segment);
    let others = rest_name(dimension, segment);
    let period = ctx.period(p);
    let sentence = match s.test {
        Test::Proportion => {
            let diff = if rest > value { "more" } else { "fewer" };
            format!(
                "{} was {} for {name} {}, against {} for {others}: at their rate it would have had {} {diff} {}.",
                subject(s, None),
                val(k, value, ctx),
                when(s, p, ctx),
                val(k, rest, ctx),
                words::count(impact.round()),
                noun(s.def)
            )
        }
        _ => {
            let unit = unit_noun(s.def);
            let spend = words::money(ns, ctx.currency);
            if !value.is_finite() {
                format!(
                    "{} spent {spend} in {period} and won no {unit}s, against {} per {unit} for {others} ({}).",
                    words::capitalised(&name),
                    val(k, rest, ctx),
                    words::in_sentence(&k.name)
                )
            } else if good {
                format!(
                    "{} was {} for {name} in {period}, against {} for {others}: at their cost per {unit} its {} {unit}{} would have cost {} more.",
                    subject(s, None),
                    val(k, value, ctx),
                    val(k, rest, ctx),
                    words::count(ds),
                    plural(ds, "", "s"),
                    words::money(impact, ctx.currency)
                )
            } else {
                format!(
                    "{} was {} for {name} in {period}, against {} for {others}: {} would have been saved at their cost per {unit}.",
                    subject(s, None),
                    val(k, value, ctx),
                    val(k, rest, ctx),
                    words::money(impact, ctx.currency)
                )
            }
        }
    };
    Some(Finding {
        id: id(
            "segment_gap",
            &k.id,
            Some(dimension),
            Some(segment),
            None,
            &ctx.calendar.label(p),
        ),
        kind: FindingKind::SegmentGap,
        polarity: polarity(good),
        kpi: Some(k.id.clone()),
        dimension: Some(dimension.to_owned()),
        segment: Some(segment.to_owned()),
        step: None,
        period: Some(ctx.calendar.label(p)),
        value: value.is_finite().then_some(value),
        compared: Some(rest),
        compared_with: Some(Compared::Rest),
        change: if value.is_finite() {
            relative(value, rest)
        } else {
            None
        },
        z: Some(z),
        impact,
        impact_unit,
        weight,
        drivers: Vec::new(),
        sentence,
    })
}
