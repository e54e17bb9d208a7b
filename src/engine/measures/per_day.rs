//! `per_day`: an aggregate divided by the calendar days of its period up to
//! the as-of date.

use crate::catalog::Aggregate;
use crate::engine::Engine;
use crate::engine::grid::{Cell, Grid, ratio};
use crate::engine::time::{Calendar, DAY};

/// Calendar days of each period from `p0`, counting only days up to the
/// as-of day (none for periods after it).
pub(crate) fn days_to_as_of(cal: Calendar, p0: i32, np: usize, as_of: i64) -> Vec<f64> {
    let as_of_day = as_of.div_euclid(DAY);
    (0..np)
        .map(|pi| {
            let p = p0 + pi as i32;
            let start = cal.start(p).div_euclid(DAY);
            let end = cal.end(p).div_euclid(DAY).min(as_of_day + 1);
            (end - start).max(0) as f64
        })
        .collect()
}

/// Divides each period's values (`ns` cells a period) by its days: the
/// value becomes the numerator, the days the denominator.
pub(crate) fn per_day_cells(cells: &mut [Cell], ns: usize, days: &[f64]) {
    for (period, &d) in cells.chunks_mut(ns.max(1)).zip(days) {
        for c in period {
            let count = c.value;
            c.num = count;
            c.den = Some(d);
            c.value = ratio(count, Some(d));
        }
    }
}

impl Engine<'_> {
    /// A `per_day` measure.
    pub(crate) fn eval_per_day(&self, a: &Aggregate, segmented: bool) -> Grid {
        let mut g = self.eval_aggregates(a, None, None, false, segmented);
        let days = days_to_as_of(self.settings.calendar, g.p0, g.np, self.as_of);
        per_day_cells(&mut g.cells, g.ns, &days);
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::Grain;

    #[test]
    fn days_run_to_the_as_of_day() {
        let cal = Calendar::new(Grain::Month, 1);
        // 2026-01 to 2026-04, as of 2026-03-10 (day 20522) at noon.
        let jan = 2026 * 12;
        let as_of = 20_522 * DAY + DAY / 2;
        assert_eq!(days_to_as_of(cal, jan, 4, as_of), [31.0, 28.0, 10.0, 0.0]);
    }

    #[test]
    fn values_are_divided_by_days() {
        let count = |v| Cell {
            value: Some(v),
            num: None,
            den: None,
            rows: true,
        };
        let mut cells = vec![count(10.0), count(4.0), count(0.0), Cell::default()];
        per_day_cells(&mut cells, 2, &[4.0, 0.0]);
        let got: Vec<_> = cells.iter().map(|c| (c.value, c.num, c.den)).collect();
        assert_eq!(
            got,
            [
                (Some(2.5), Some(10.0), Some(4.0)),
                (Some(1.0), Some(4.0), Some(4.0)),
                (None, Some(0.0), Some(0.0)),
                (None, None, Some(0.0)),
            ]
        );
    }
}
