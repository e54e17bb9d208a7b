//! The tests that decide whether a difference is a finding: plain functions
//! over counts, so each threshold can be checked by hand
//! (`docs/review.md`, "Findings").

/// Two-proportion z statistic of `n1 / d1` against `n0 / d0`, pooled:
/// `(p1 − p0) ÷ √(p (1 − p) (1/d1 + 1/d0))` with `p = (n1 + n0) ÷ (d1 + d0)`.
/// `None` when a side is empty or the pooled rate is 0 or 1 (no variance).
pub fn two_proportion_z(n1: f64, d1: f64, n0: f64, d0: f64) -> Option<f64> {
    if !(d1 > 0.0 && d0 > 0.0) {
        return None;
    }
    let p = (n1 + n0) / (d1 + d0);
    let variance = p * (1.0 - p) * (1.0 / d1 + 1.0 / d0);
    if variance.is_nan() || variance <= 0.0 {
        return None;
    }
    Some((n1 / d1 - n0 / d0) / variance.sqrt())
}

/// Poisson z of a count against the previous one: `(x − prev) ÷ √(x + prev)`.
/// `None` when both are 0.
pub fn count_z(x: f64, prev: f64) -> Option<f64> {
    let total = x + prev;
    (total > 0.0).then(|| (x - prev) / total.sqrt())
}

/// Poisson z of the units a segment bought against those its spend would
/// have bought at the rest's cost per unit: `expected = spend ÷ rest_cost`,
/// `(units − expected) ÷ √expected`. Positive when the segment bought more
/// (it is cheaper). `None` without spend or a rest cost.
pub fn units_z(units: f64, spend: f64, rest_cost: f64) -> Option<f64> {
    if !(spend > 0.0 && rest_cost > 0.0) {
        return None;
    }
    let expected = spend / rest_cost;
    Some((units - expected) / expected.sqrt())
}

/// Poisson z of two daily rates, `n1` events over `d1` days against `n0`
/// over `d0`: `(r1 − r0) ÷ √(n1 ÷ d1² + n0 ÷ d0²)`.
pub fn per_day_z(n1: f64, d1: f64, n0: f64, d0: f64) -> Option<f64> {
    if !(d1 > 0.0 && d0 > 0.0) {
        return None;
    }
    let variance = n1 / (d1 * d1) + n0 / (d0 * d0);
    (variance > 0.0).then(|| (n1 / d1 - n0 / d0) / variance.sqrt())
}

/// A ranking weight in [0, 1) from a share that may be any size:
/// `r ÷ (1 + r)`, so that order is kept and one huge relative change does
/// not drown every other finding.
pub fn bounded(r: f64) -> f64 {
    let r = r.abs();
    if r.is_finite() { r / (1.0 + r) } else { 1.0 }
}

/// The relative change `(v − compared) ÷ |compared|`; `None` for 0.
pub fn relative(v: f64, compared: f64) -> Option<f64> {
    (compared != 0.0 && compared.is_finite()).then(|| (v - compared) / compared.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn two_proportions_by_hand() {
        // 30/100 vs 20/100: p = 0.25, var = 0.25 · 0.75 · 0.02 = 0.00375,
        // z = 0.1 / 0.0612372… = 1.6329932
        close(
            two_proportion_z(30.0, 100.0, 20.0, 100.0),
            0.1 / 0.00375f64.sqrt(),
        );
        close(
            two_proportion_z(20.0, 100.0, 30.0, 100.0),
            -0.1 / 0.00375f64.sqrt(),
        );
        assert_eq!(two_proportion_z(0.0, 10.0, 0.0, 10.0), None);
        assert_eq!(two_proportion_z(10.0, 10.0, 5.0, 5.0), None);
        assert_eq!(two_proportion_z(1.0, 0.0, 1.0, 5.0), None);
    }

    #[test]
    fn counts_by_hand() {
        // 130 vs 100: 30 / √230 = 1.97814
        close(count_z(130.0, 100.0), 30.0 / 230f64.sqrt());
        close(count_z(0.0, 4.0), -2.0);
        assert_eq!(count_z(0.0, 0.0), None);
    }

    #[test]
    fn units_against_the_rest_cost() {
        // $1,000 at the rest's $50 a unit buys 20; the segment bought 10:
        // (10 − 20) / √20
        close(units_z(10.0, 1000.0, 50.0), -10.0 / 20f64.sqrt());
        assert_eq!(units_z(3.0, 0.0, 50.0), None);
    }

    #[test]
    fn daily_rates() {
        // 62 in 31 days (2/day) against 30 in 30 days (1/day):
        // var = 62/961 + 30/900, z = 1 / √var
        let var: f64 = 62.0 / 961.0 + 30.0 / 900.0;
        close(per_day_z(62.0, 31.0, 30.0, 30.0), 1.0 / var.sqrt());
        assert_eq!(per_day_z(0.0, 31.0, 0.0, 30.0), None);
    }

    #[test]
    fn weights_keep_order_below_one() {
        close(Some(bounded(1.0)), 0.5);
        close(Some(bounded(-3.0)), 0.75);
        assert!(bounded(14.0) > bounded(2.9) && bounded(1e9) < 1.0);
    }

    #[test]
    fn relative_change() {
        close(relative(120.0, 100.0), 0.2);
        close(relative(-1.0, -2.0), 0.5);
        assert_eq!(relative(1.0, 0.0), None);
    }
}
