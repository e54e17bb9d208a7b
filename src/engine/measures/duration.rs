//! `duration`: time from one milestone to another over the people anchored
//! on the first (or the rows of another table, such as won deals anchored
//! on their close), with the second not earlier: the median, the 90th
//! percentile, or the share within a threshold, in hours or days.

use rustc_hash::FxHashMap as HashMap;

use crate::catalog::{DurationStat, Measure, TimeUnit};
use crate::engine::Engine;
use crate::engine::grid::{Acc, Cell, Grid, GridShape, NO_PERIOD, period_range, ratio};
use crate::engine::time::{DAY, HOUR, NONE};
use crate::model::TableKind;

/// Linear-interpolation quantile of sorted values (as SQL `quantile_cont`).
#[cfg(test)]
pub(crate) fn quantile_cont(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = (sorted.len() - 1) as f64 * q;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The `q` quantile of the durations of each cell, from (cell, hours) pairs.
/// The pairs are grouped by cell with a counting sort, and in each cell the
/// two values the quantile reads are selected rather than the cell sorted
/// (the same values [`quantile_cont`] reads from the sorted cell).
pub(crate) fn duration_quantiles(durations: Vec<(u32, f64)>, q: f64) -> HashMap<u32, f64> {
    let cells = durations
        .iter()
        .map(|d| d.0 as usize + 1)
        .max()
        .unwrap_or(0);
    // start[c]..start[c + 1]: the values of cell c.
    let mut start = vec![0usize; cells + 1];
    for d in &durations {
        start[d.0 as usize + 1] += 1;
    }
    for c in 0..cells {
        start[c + 1] += start[c];
    }
    let mut next = start.clone();
    let mut values = vec![0.0; durations.len()];
    for (cell, hours) in durations {
        let slot = &mut next[cell as usize];
        values[*slot] = hours;
        *slot += 1;
    }
    let mut quantiles: HashMap<u32, f64> = HashMap::default();
    for c in 0..cells {
        let cell = &mut values[start[c]..start[c + 1]];
        if !cell.is_empty() {
            quantiles.insert(c as u32, quantile_unsorted(cell, q));
        }
    }
    quantiles
}

/// [`quantile_cont`] of values in any order (which it reorders).
fn quantile_unsorted(values: &mut [f64], q: f64) -> f64 {
    let pos = (values.len() - 1) as f64 * q;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let (_, low, rest) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let low = *low;
    // The next value in order is the least of those after it.
    let high = if hi == lo {
        low
    } else {
        rest.iter().copied().min_by(f64::total_cmp).unwrap_or(low)
    };
    low + (high - low) * (pos - lo as f64)
}

/// The cells of a duration statistic from each person's anchor period,
/// segment and start and end times; `limit` is the threshold in hours of
/// `share_within`; durations are in `unit` µs (an hour or a day). A cell
/// has rows when people (rows) are anchored in it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn duration_cells(
    periods: &[i32],
    segs: Option<&[u32]>,
    from: &[i64],
    to: &[i64],
    stat: DurationStat,
    limit: f64,
    unit: i64,
    shape: GridShape,
) -> Vec<Cell> {
    let mut rows = Acc::new(shape);
    let mut within = Acc::new(shape);
    // (cell, hours) pairs for quantiles.
    let mut durations: Vec<(u32, f64)> = Vec::new();
    for i in 0..from.len() {
        let per = periods[i];
        if per == NO_PERIOD {
            continue;
        }
        let seg = segs.map(|s| s[i]);
        rows.add(per, seg, 1.0);
        if to[i] == NONE || from[i] == NONE || to[i] < from[i] {
            continue;
        }
        let hours = to[i].saturating_sub(from[i]) as f64 / unit as f64;
        match stat {
            DurationStat::ShareWithin => {
                if hours <= limit {
                    within.add(per, seg, 1.0);
                }
            }
            DurationStat::Median | DurationStat::P90 => {
                let Some(base) = rows.row(per) else { continue };
                let base = base as u32;
                durations.push((base, hours));
                if let Some(s) = seg {
                    durations.push((base + 1 + s, hours));
                }
            }
        }
    }
    let quantiles = match stat {
        DurationStat::ShareWithin => HashMap::default(),
        DurationStat::Median => duration_quantiles(durations, 0.5),
        DurationStat::P90 => duration_quantiles(durations, 0.9),
    };
    (0..shape.cells())
        .map(|i| {
            let r = rows.get(i);
            match stat {
                DurationStat::ShareWithin => Cell {
                    value: ratio(Some(within.get(i)), Some(r)),
                    num: Some(within.get(i)),
                    den: Some(r),
                    rows: r > 0.0,
                },
                DurationStat::Median | DurationStat::P90 => Cell {
                    value: quantiles.get(&(i as u32)).copied(),
                    num: None,
                    den: None,
                    rows: r > 0.0,
                },
            }
        })
        .collect()
}

impl Engine<'_> {
    /// A `duration` measure.
    pub(crate) fn eval_duration(&self, m: &Measure, segmented: bool) -> Grid {
        let Measure::Duration {
            from,
            to,
            stat,
            within_hours,
            table,
            anchor,
            filter,
            unit,
        } = m
        else {
            return Grid::empty();
        };
        let stat = *stat;
        let p = table.unwrap_or(TableKind::People);
        let a = self.times(p, from);
        let b = self.times(p, to);
        let mut periods = self.anchor_periods(p, anchor.as_deref().unwrap_or(from));
        if !filter.is_empty() || p == TableKind::Deals {
            let keep = self.mask(p, filter);
            let mut cut = (*periods).clone();
            for (per, k) in cut.iter_mut().zip(keep) {
                if !k {
                    *per = NO_PERIOD;
                }
            }
            periods = std::rc::Rc::new(cut);
        }
        let unit = match unit.unwrap_or_default() {
            TimeUnit::Hours => HOUR,
            TimeUnit::Days => DAY,
        };
        let Some(range) = period_range(periods.iter()) else {
            return Grid::empty();
        };
        let mut g = Grid::new(range, self.ns(segmented));
        let segs = self.segs(p, segmented);
        let segs = segs.as_ref().map(|s| s.as_slice());
        // The threshold is in hours whatever the unit.
        let limit = within_hours.unwrap_or(0.0) * HOUR as f64 / unit as f64;
        g.cells = duration_cells(&periods, segs, &a, &b, stat, limit, unit, g.shape());
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_linearly() {
        let check = |sorted: &[f64], q: f64, expected: f64| {
            assert_eq!(quantile_cont(sorted, q), expected, "{sorted:?} q={q}");
        };
        // Median of an odd count: the middle; of an even count: the mean of
        // the middle two.
        check(&[1.0, 2.0, 10.0], 0.5, 2.0);
        check(&[1.0, 2.0, 4.0, 10.0], 0.5, 3.0);
        check(&[7.0], 0.5, 7.0);
        // p90 of 1..=10: position 8.1, between 9 and 10.
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile_cont(&ten, 0.9) - 9.1).abs() < 1e-12);
        // p90 of two: 0.9 of the way.
        check(&[0.0, 10.0], 0.9, 9.0);
        assert!(quantile_cont(&[], 0.5).is_nan());
    }

    #[test]
    fn quantiles_of_unsorted_values_are_those_of_the_sorted() {
        // Median of 1, 2, 4, 10 in any order: (2 + 4) / 2.
        assert_eq!(quantile_unsorted(&mut [10.0, 1.0, 4.0, 2.0], 0.5), 3.0);
        // p90 of 1..=10 shuffled: position 8.1, between 9 and 10.
        let mut ten = [4.0, 10.0, 1.0, 7.0, 9.0, 2.0, 8.0, 3.0, 6.0, 5.0];
        assert!((quantile_unsorted(&mut ten, 0.9) - 9.1).abs() < 1e-12);
        // Ties: the median of 5, 5, 5, 1 is 5.
        assert_eq!(quantile_unsorted(&mut [5.0, 1.0, 5.0, 5.0], 0.5), 5.0);
    }

    #[test]
    fn quantiles_are_per_cell() {
        let q = duration_quantiles(vec![(3, 4.0), (1, 9.0), (3, 1.0), (1, 1.0), (3, 2.0)], 0.5);
        assert_eq!(q.get(&1), Some(&5.0));
        assert_eq!(q.get(&3), Some(&2.0));
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn durations_count_people_with_an_end_not_before_the_start() {
        let shape = GridShape::new((0, 0), 2);
        let periods = [0, 0, 0, 0, NO_PERIOD];
        let segs = [0, 0, 0, 0, 0];
        let from = [0, 0, 10 * HOUR, 0, 0];
        // 2 h, 30 h, before the start, no end, no period.
        let to = [2 * HOUR, 30 * HOUR, 5 * HOUR, NONE, HOUR];
        let cells = |stat, limit| {
            duration_cells(&periods, Some(&segs), &from, &to, stat, limit, HOUR, shape)
        };
        let median = cells(DurationStat::Median, 0.0);
        assert_eq!((median[4].value, median[4].rows), (Some(16.0), true));
        assert_eq!(median[5].value, Some(16.0));
        assert_eq!((median[0].value, median[0].rows), (None, false));
        let p90 = cells(DurationStat::P90, 0.0);
        assert_eq!(p90[4].value, Some(2.0 + 0.9 * 28.0));
        // Within 24 h: one of the four anchored people.
        let share = cells(DurationStat::ShareWithin, 24.0);
        assert_eq!(
            share[4],
            Cell {
                value: Some(0.25),
                num: Some(1.0),
                den: Some(4.0),
                rows: true,
            }
        );
    }
}
