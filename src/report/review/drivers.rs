//! Which segments drove a change of a total: each segment's change of
//! numerator and denominator (or of value) and its exact, additive share of
//! the total's change (`docs/review.md`, "Drivers").

use serde::Serialize;

use super::series::{Series, Test};

/// One segment's part in a change of the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// Segment label.
    pub segment: String,
    /// Change of its numerator, for ratios.
    pub numerator: Option<f64>,
    /// Change of its denominator, for ratios.
    pub denominator: Option<f64>,
    /// Change of its value, for counts and sums.
    pub value: Option<f64>,
    /// Its contribution to the change of the total's value.
    pub contribution: f64,
    /// The contribution over the total's change.
    pub share: Option<f64>,
}

/// How many drivers a finding lists.
const SHOWN: usize = 5;

/// The drivers of the total's change from `period − 1` to `period`, largest
/// contribution first; empty for KPIs whose totals do not add up from
/// segments (medians, scores) or without a breakdown.
pub fn drivers(s: &Series, period: i32, step: Option<&str>) -> Vec<Driver> {
    let (Some(now), Some(before)) = (s.total(period, step), s.total(period - 1, step)) else {
        return Vec::new();
    };
    let (Some(v), Some(prev)) = (now.value, before.value) else {
        return Vec::new();
    };
    let change = v - prev;
    let ratio = matches!(s.test, Test::Proportion | Test::CostPerUnit);
    let additive = ratio || Test::adds_up(s.def) || s.test == Test::Count;
    if !additive || s.segments.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for &segment in &s.segments {
        let a = s.segment(period, segment, step);
        let b = s.segment(period - 1, segment, step);
        if a.is_none() && b.is_none() {
            continue;
        }
        let driver = if ratio {
            let Some(d) = now.denominator.filter(|d| *d > 0.0) else {
                return Vec::new();
            };
            let n = |p: Option<&crate::report::Point>| p.and_then(|p| p.numerator).unwrap_or(0.0);
            let dn =
                |p: Option<&crate::report::Point>| p.and_then(|p| p.denominator).unwrap_or(0.0);
            let d_num = n(a) - n(b);
            let d_den = dn(a) - dn(b);
            Driver {
                segment: segment.to_owned(),
                numerator: Some(d_num),
                denominator: Some(d_den),
                value: None,
                contribution: contribution(d_num, d_den, prev, d),
                share: None,
            }
        } else {
            let x = |p: Option<&crate::report::Point>| p.and_then(|p| p.value).unwrap_or(0.0);
            let d = x(a) - x(b);
            Driver {
                segment: segment.to_owned(),
                numerator: None,
                denominator: None,
                value: Some(d),
                contribution: d,
                share: None,
            }
        };
        out.push(driver);
    }
    for d in &mut out {
        d.share = (change != 0.0).then(|| d.contribution / change);
    }
    out.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    out.truncate(SHOWN);
    out
}

/// A segment's exact contribution to a ratio's change: with `R = N ÷ D`,
/// `R − R_prev = Σ_s (ΔN_s − R_prev · ΔD_s) ÷ D`.
pub fn contribution(d_num: f64, d_den: f64, previous_ratio: f64, denominator: f64) -> f64 {
    (d_num - previous_ratio * d_den) / denominator
}

/// The driver a sentence names ("mostly from …"): the largest, when it
/// moved the same way as the total and accounts for at least half of it.
pub fn main_driver(drivers: &[Driver]) -> Option<&Driver> {
    drivers
        .first()
        .filter(|d| d.share.is_some_and(|s| s >= 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributions_add_up_to_the_change() {
        // Before: A 10/100, B 30/100 → R_prev = 40/200 = 0.2.
        // Now:    A 10/100, B 18/100 → R = 28/200 = 0.14; change −0.06.
        // A: (0 − 0.2·0)/200 = 0; B: (−12 − 0.2·0)/200 = −0.06.
        assert_eq!(contribution(0.0, 0.0, 0.2, 200.0), 0.0);
        assert!((contribution(-12.0, 0.0, 0.2, 200.0) + 0.06).abs() < 1e-12);
        // Mix: A grows to 10/300 (R = 40/400 = 0.1 with B 30/100):
        // A: (0 − 0.2·200)/400 = −0.1, B: 0 → the whole change.
        assert!((contribution(0.0, 200.0, 0.2, 400.0) + 0.1).abs() < 1e-12);
    }
}
