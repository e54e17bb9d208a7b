//! The measure interpreters, one file per measure type
//! (`docs/kpi-format.md`, "Measure types"). Each gathers the vectors it
//! needs from the engine and hands them to a plain function over slices
//! (period ids, segment keys, values) that fills the grid; those functions
//! are tested alone at the bottom of each file.

pub(crate) mod aggregate;
pub(crate) mod cohort;
pub(crate) mod duration;
pub(crate) mod funnel;
pub(crate) mod growth;
pub(crate) mod per_day;
pub(crate) mod revenue;

use super::Engine;
use super::time::{Calendar, DAY, NONE};

/// A window of `days` days in µs.
fn window_micros(days: f64) -> i64 {
    (days * DAY as f64) as i64
}

/// Whether `target` is reached within `window` µs of `base`, both ends
/// included.
#[inline]
fn within(base: i64, target: i64, window: i64) -> bool {
    target != NONE && base <= target && target <= base.saturating_add(window)
}

/// Per period from `p0`: whether its last base could still convert after
/// as-of (the period's end plus the window is later than as-of).
fn incomplete_periods(
    cal: Calendar,
    p0: i32,
    np: usize,
    window_days: f64,
    as_of: i64,
) -> Vec<bool> {
    let w = window_micros(window_days);
    (0..np)
        .map(|pi| cal.end(p0 + pi as i32).saturating_add(w) > as_of)
        .collect()
}

impl Engine<'_> {
    /// Notes how many people reached `target` before `base`.
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::Grain;

    #[test]
    fn windows_include_both_ends() {
        let w = window_micros(1.0);
        assert_eq!(w, DAY);
        assert!(within(0, 0, w));
        assert!(within(0, DAY, w));
        assert!(!within(0, DAY + 1, w));
        assert!(!within(0, -1, w));
        assert!(!within(0, NONE, w));
    }

    #[test]
    fn a_period_is_incomplete_while_its_window_reaches_past_as_of() {
        let cal = Calendar::new(Grain::Day, 1);
        // Days 0, 1, 2; as-of the end of day 2; a window of one day.
        let as_of = 3 * DAY - 1;
        assert_eq!(
            incomplete_periods(cal, 0, 3, 1.0, as_of),
            [false, true, true]
        );
        assert_eq!(
            incomplete_periods(cal, 0, 3, 0.0, as_of),
            [false, false, true]
        );
    }
}
