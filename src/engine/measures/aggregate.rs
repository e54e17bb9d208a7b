//! Counts, sums and last values per period (`simple`), and ratios of two of
//! them (`ratio`), each side aggregated on its own and outer-joined on
//! period and segment.

use std::rc::Rc;

use crate::calendar::{civil_from_days, days_in_month, month_index, month_start};
use crate::catalog::{Agg, Aggregate, Spread};
use crate::engine::grid::{Acc, Cell, Grid, GridShape, NO_PERIOD, period_range, ratio};
use crate::engine::segments::SegmentKeys;
use crate::engine::time::{Calendar, DAY, NONE};
use crate::engine::{Engine, columns};

/// The rows of one aggregate: period (`NO_PERIOD` for rows filtered out),
/// segment key, value (1 for counts) and anchor time per row.
struct AggregateRows {
    periods: Vec<i32>,
    segs: SegmentKeys,
    values: Vec<f64>,
    times: Rc<Vec<i64>>,
}

/// What one side adds up per cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Side {
    agg: Agg,
    /// Rows with a period.
    rows: Acc,
    /// Rows with a value (for `last`: 1 where the cell has one).
    values: Acc,
    /// Sum of the values (for `last`: of those at the latest time).
    sum: Acc,
}

impl Side {
    /// Whether cell `i` has rows, and the side's value there.
    pub(crate) fn cell(&self, i: usize) -> (bool, Option<f64>) {
        let rows = self.rows.get(i) > 0.0;
        let value = match self.agg {
            Agg::Count => Some(self.rows.get(i)),
            Agg::Sum if rows && self.values.get(i) == 0.0 => None,
            Agg::Sum => Some(self.sum.get(i)),
            Agg::Last if self.values.get(i) == 0.0 => None,
            Agg::Last => Some(self.sum.get(i)),
        };
        (rows, value)
    }
}

/// Accumulates one side over its rows: every row with a period counts as a
/// row of its cell; NaN values are skipped. `sum` adds the values, `last`
/// keeps those at the latest anchor time of the cell (summed when several
/// rows share it), `count` only counts.
pub(crate) fn sum_count_last(
    agg: Agg,
    periods: &[i32],
    segs: Option<&[u32]>,
    values: &[f64],
    times: &[i64],
    shape: GridShape,
) -> Side {
    let mut rows = Acc::new(shape);
    let mut n_values = Acc::new(shape);
    let mut sum = Acc::new(shape);
    // For `last`: the latest time per cell.
    let mut latest = if agg == Agg::Last {
        vec![NONE; shape.cells()]
    } else {
        Vec::new()
    };
    for i in 0..periods.len() {
        let p = periods[i];
        if p == NO_PERIOD {
            continue;
        }
        let seg = segs.map(|s| s[i]);
        rows.add(p, seg, 1.0);
        let v = values[i];
        if v.is_nan() {
            continue;
        }
        if agg == Agg::Last {
            let t = times[i];
            let Some(base) = rows.row(p) else { continue };
            for s in std::iter::once(0).chain(seg.map(|s| s as usize + 1)) {
                let j = base + s;
                if t > latest[j] {
                    latest[j] = t;
                    sum.v[j] = v;
                    n_values.v[j] = 1.0;
                } else if t == latest[j] {
                    sum.v[j] += v;
                }
            }
        } else {
            n_values.add(p, seg, 1.0);
            sum.add(p, seg, v);
        }
    }
    Side {
        agg,
        rows,
        values: n_values,
        sum,
    }
}

/// Fills the cells from one side (a plain aggregate) or from a numerator,
/// a denominator and optionally a population (whose rows also give a cell
/// a point).
pub(crate) fn ratio_cells(sides: &[Side], cells: &mut [Cell]) {
    for (i, c) in cells.iter_mut().enumerate() {
        let (rows_n, v_n) = sides[0].cell(i);
        if sides.len() == 1 {
            *c = Cell {
                value: v_n,
                num: None,
                den: None,
                rows: rows_n,
            };
        } else {
            let (rows_d, v_d) = sides[1].cell(i);
            let rows_p = sides.len() > 2 && sides[2].cell(i).0;
            *c = Cell {
                value: ratio(v_n, v_d),
                num: v_n,
                den: v_d,
                rows: rows_n || rows_d || rows_p,
            };
        }
    }
}

/// Fills the cells of `minuend − subtrahend`: a cell has a point where
/// either side has rows; a missing side is 0 and an unknown one (only null
/// values) makes the difference unknown.
pub(crate) fn difference_cells(minuend: &Side, subtrahend: &Side, cells: &mut [Cell]) {
    for (i, c) in cells.iter_mut().enumerate() {
        let (rows_a, a) = minuend.cell(i);
        let (rows_b, b) = subtrahend.cell(i);
        *c = Cell {
            value: a.zip(b).map(|(a, b)| a - b),
            num: None,
            den: None,
            rows: rows_a || rows_b,
        };
    }
}

/// Rows spread over the days of their anchor's month: one entry per day,
/// each with the row's value ÷ the month's days, its period, its segment
/// and the day's start. Days in periods after `last_period` are left out;
/// with `to_date`, days starting after `as_of` keep their entry (their
/// period still has the row) but add 0.
#[allow(clippy::too_many_arguments)]
pub(crate) fn spread_over_month_days(
    cal: Calendar,
    times: &[i64],
    values: &[f64],
    keep: &[bool],
    segs: Option<&[u32]>,
    last_period: i32,
    to_date: bool,
    as_of: i64,
) -> (Vec<i32>, Option<Vec<u32>>, Vec<f64>, Vec<i64>) {
    let (mut periods, mut out_segs, mut out_values, mut days) =
        (Vec::new(), segs.map(|_| Vec::new()), Vec::new(), Vec::new());
    for (i, &t) in times.iter().enumerate() {
        if t == NONE || !keep[i] {
            continue;
        }
        let month = month_index(t);
        let start = month_start(month);
        let (y, m, _) = civil_from_days(start.div_euclid(DAY));
        let n = days_in_month(y, m);
        let share = values[i] / f64::from(n);
        for k in 0..i64::from(n) {
            let day = start + k * DAY;
            let p = cal.period(day);
            if p > last_period {
                break;
            }
            periods.push(p);
            if let (Some(out), Some(s)) = (out_segs.as_mut(), segs) {
                out.push(s[i]);
            }
            out_values.push(if to_date && day > as_of { 0.0 } else { share });
            days.push(day);
        }
    }
    (periods, out_segs, out_values, days)
}

impl Engine<'_> {
    /// Σ spend.cost per cell of `shape` (dates up to the as-of), for
    /// revenue expressions reading `cost`.
    pub(crate) fn sum_of_cost(&self, shape: GridShape, segmented: bool) -> Side {
        let a = Aggregate {
            agg: Agg::Sum,
            table: crate::model::TableKind::Spend,
            anchor: "date".to_owned(),
            column: Some("cost".to_owned()),
            filter: Vec::new(),
            spread: None,
            to_date: false,
        };
        let r = self.aggregate_rows(&a, segmented);
        let segs = r.segs.as_ref().map(|s| s.as_slice());
        sum_count_last(a.agg, &r.periods, segs, &r.values, &r.times, shape)
    }

    /// Rows of an aggregate spread over days (`spread`): its anchor read
    /// whole, not cut at the as-of, since a period's budget needs its later
    /// days too.
    fn spread_rows(&self, a: &Aggregate, segmented: bool) -> AggregateRows {
        let tables = self.tables(a.table);
        let times = columns::times(tables, &a.anchor, self.settings.offset)
            .unwrap_or_else(|| vec![NONE; self.len(a.table)]);
        let values = match (a.agg, &a.column) {
            (Agg::Count, _) | (_, None) => vec![1.0; times.len()],
            (_, Some(c)) => self.numbers(a.table, c),
        };
        let keep = self.mask(a.table, &a.filter);
        let segs = self.segs(a.table, segmented);
        let cal = self.settings.calendar;
        let (periods, segs, values, days) = spread_over_month_days(
            cal,
            &times,
            &values,
            &keep,
            segs.as_ref().map(|s| s.as_slice()),
            cal.period(self.as_of),
            a.to_date,
            self.as_of,
        );
        AggregateRows {
            periods,
            segs: segs.map(Rc::new),
            values,
            times: Rc::new(days),
        }
    }

    /// Rows of an aggregate: period, segment, value (1 for counts), time.
    fn aggregate_rows(&self, a: &Aggregate, segmented: bool) -> AggregateRows {
        if a.spread == Some(Spread::MonthDays) {
            return self.spread_rows(a, segmented);
        }
        let times = self.times(a.table, &a.anchor);
        let mut periods = (*self.anchor_periods(a.table, &a.anchor)).clone();
        let keep = self.mask(a.table, &a.filter);
        for (p, k) in periods.iter_mut().zip(&keep) {
            if !k {
                *p = NO_PERIOD;
            }
        }
        let values = match (a.agg, &a.column) {
            (Agg::Count, _) | (_, None) => vec![1.0; periods.len()],
            (_, Some(c)) => self.numbers(a.table, c),
        };
        AggregateRows {
            periods,
            segs: self.segs(a.table, segmented),
            values,
            times,
        }
    }

    /// A `simple` aggregate (`den` none) or a `ratio`, where rows of
    /// `population` also give a period or segment its point; with
    /// `subtract`, `num − den` (a `difference`).
    pub(crate) fn eval_aggregates(
        &self,
        num: &Aggregate,
        den: Option<&Aggregate>,
        population: Option<&Aggregate>,
        subtract: bool,
        segmented: bool,
    ) -> Grid {
        let sides: Vec<&Aggregate> = std::iter::once(num).chain(den).chain(population).collect();
        let rows: Vec<AggregateRows> = sides
            .iter()
            .map(|a| self.aggregate_rows(a, segmented))
            .collect();
        let Some(range) = period_range(rows.iter().flat_map(|r| r.periods.iter())) else {
            return Grid::empty();
        };
        let mut g = Grid::new(range, self.ns(segmented));
        let sums: Vec<Side> = sides
            .iter()
            .zip(&rows)
            .map(|(a, r)| {
                let segs = r.segs.as_ref().map(|s| s.as_slice());
                sum_count_last(a.agg, &r.periods, segs, &r.values, &r.times, g.shape())
            })
            .collect();
        match (den, population) {
            (Some(_), None) if subtract => difference_cells(&sums[0], &sums[1], &mut g.cells),
            _ => ratio_cells(&sums, &mut g.cells),
        }
        // A spread side plans the whole period: the period containing the
        // as-of is still running.
        if sides.iter().any(|a| a.spread.is_some()) {
            let p = self.settings.calendar.period(self.as_of);
            if let Some(i) = g.at(p, 0) {
                g.incomplete[i / g.ns] = true;
            }
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: i32 = NO_PERIOD;

    /// One period (id 0, cells 2.. of a grid from -2) and two segments.
    fn shape() -> GridShape {
        GridShape::new((0, 0), 3)
    }

    /// The (rows, value) of the total and both segments of period 0.
    fn period_0(side: &Side) -> Vec<(bool, Option<f64>)> {
        (6..9).map(|i| side.cell(i)).collect()
    }

    #[test]
    fn counts_count_rows_with_a_period() {
        let periods = [0, 0, N, 0];
        let segs = [0, 1, 0, 1];
        let side = sum_count_last(
            Agg::Count,
            &periods,
            Some(&segs),
            &[1.0; 4],
            &[0; 4],
            shape(),
        );
        assert_eq!(
            period_0(&side),
            [(true, Some(3.0)), (true, Some(1.0)), (true, Some(2.0))]
        );
        // Periods before: no rows, a count of 0.
        assert_eq!(side.cell(0), (false, Some(0.0)));
    }

    #[test]
    fn sums_skip_nulls_and_all_null_is_unknown() {
        let periods = [0, 0, 0, N];
        let segs = [0, 1, 0, 1];
        let values = [2.0, f64::NAN, 3.5, 100.0];
        let side = sum_count_last(Agg::Sum, &periods, Some(&segs), &values, &[0; 4], shape());
        // Segment 1 has a row, but its only value is null.
        assert_eq!(
            period_0(&side),
            [(true, Some(5.5)), (true, Some(5.5)), (true, None)]
        );
        // No rows: 0.
        assert_eq!(side.cell(0), (false, Some(0.0)));
    }

    #[test]
    fn last_sums_the_values_at_the_latest_time() {
        let periods = [0, 0, 0, 0, 0];
        let segs = [0, 1, 0, 1, 1];
        let times = [10, 20, 20, 5, 30];
        let values = [1.0, 2.0, 4.0, 8.0, f64::NAN];
        let side = sum_count_last(Agg::Last, &periods, Some(&segs), &values, &times, shape());
        // Total: time 20 (2 + 4); segment 0: time 20 (4); segment 1: time 20
        // (2); the null at 30 is not a value.
        assert_eq!(
            period_0(&side),
            [(true, Some(6.0)), (true, Some(4.0)), (true, Some(2.0))]
        );
        assert_eq!(side.cell(0), (false, None));
    }

    #[test]
    fn ratios_join_their_sides_and_the_population_gives_points() {
        let shape = GridShape::new((0, 0), 1);
        let num = sum_count_last(Agg::Count, &[0, N, N], None, &[1.0; 3], &[0; 3], shape);
        let den = sum_count_last(Agg::Sum, &[0, 0, N], None, &[4.0, 0.0, 0.0], &[0; 3], shape);
        let mut cells = vec![Cell::default(); 3];
        ratio_cells(&[num.clone(), den.clone()], &mut cells);
        assert_eq!(
            cells[2],
            Cell {
                value: Some(0.25),
                num: Some(1.0),
                den: Some(4.0),
                rows: true,
            }
        );
        // A period without rows on either side: 0 ÷ 0, no point.
        assert_eq!(
            cells[1],
            Cell {
                value: None,
                num: Some(0.0),
                den: Some(0.0),
                rows: false,
            }
        );
        let empty = sum_count_last(Agg::Sum, &[N], None, &[f64::NAN], &[0], shape);
        let population = sum_count_last(Agg::Count, &[-1], None, &[1.0], &[0], shape);
        ratio_cells(&[empty.clone(), empty, population], &mut cells);
        assert_eq!(
            cells[1],
            Cell {
                value: None,
                num: Some(0.0),
                den: Some(0.0),
                rows: true,
            }
        );
        // One side: the aggregate itself.
        ratio_cells(&[num], &mut cells);
        assert_eq!(
            cells[2],
            Cell {
                value: Some(1.0),
                num: None,
                den: None,
                rows: true,
            }
        );
    }

    #[test]
    fn a_month_spreads_over_its_days_and_a_week_takes_each_months_share() {
        use crate::calendar::days_from_civil;
        use crate::engine::time::Grain;
        let day = |y, m, d| days_from_civil(y, m, d).expect("a date") * DAY;
        // 3000 for April 2026 (30 days: 100 a day), 3100 for May (31: 100 a day
        // too), 2800 for February (28 days).
        let times = [day(2026, 4, 15), day(2026, 5, 1), day(2026, 2, 1)];
        let values = [3000.0, 3100.0, 2800.0];
        let keep = [true, true, true];
        let week = Calendar::new(Grain::Week, 1);
        // As-of Wednesday 2026-04-29 10:00; its week 04-27 .. 05-03 straddles
        // April and May: 4 April days and 3 May days.
        let as_of = day(2026, 4, 29) + 10 * 3_600_000_000;
        let last = week.period(as_of);
        let (periods, _, shares, _) =
            spread_over_month_days(week, &times, &values, &keep, None, last, false, as_of);
        let in_last: f64 = periods
            .iter()
            .zip(&shares)
            .filter(|(p, _)| **p == last)
            .map(|(_, v)| v)
            .sum();
        assert_eq!(in_last, 700.0);
        // Nothing after the as-of's week; February whole (28 × 100).
        assert!(periods.iter().all(|p| *p <= last));
        assert_eq!(periods.len(), 30 + 3 + 28);
        let feb: f64 = shares[33..].iter().sum();
        assert_eq!(feb, 2800.0);
        // To date: the as-of day counts whole, 04-30 .. 05-03 add 0 but stay.
        let (periods, _, shares, _) =
            spread_over_month_days(week, &times, &values, &keep, None, last, true, as_of);
        let to_date: f64 = periods
            .iter()
            .zip(&shares)
            .filter(|(p, _)| **p == last)
            .map(|(_, v)| v)
            .sum();
        assert_eq!(to_date, 300.0);
        assert_eq!(periods.iter().filter(|p| **p == last).count(), 7);
        // A month: its row sum exactly.
        let month = Calendar::new(Grain::Month, 1);
        let (periods, _, shares, _) = spread_over_month_days(
            month,
            &times[..1],
            &values[..1],
            &keep[..1],
            Some(&[4]),
            i32::MAX,
            false,
            as_of,
        );
        assert!(periods.iter().all(|p| *p == month.period(day(2026, 4, 1))));
        assert!((shares.iter().sum::<f64>() - 3000.0).abs() < 1e-9);
    }

    #[test]
    fn a_difference_is_zero_where_neither_side_has_rows() {
        let shape = GridShape::new((0, 0), 1);
        let budget = sum_count_last(Agg::Sum, &[0, N], None, &[500.0, 0.0], &[0; 2], shape);
        let spend = sum_count_last(Agg::Sum, &[0, -1], None, &[200.0, 50.0], &[0; 2], shape);
        let mut cells = vec![Cell::default(); 3];
        difference_cells(&budget, &spend, &mut cells);
        let values: Vec<(Option<f64>, bool)> = cells.iter().map(|c| (c.value, c.rows)).collect();
        // Period -2: nothing (0 − 0); -1: spend without budget; 0: both.
        assert_eq!(
            values,
            [(Some(0.0), false), (Some(-50.0), true), (Some(300.0), true)]
        );
        assert_eq!((cells[2].num, cells[2].den), (None, None));
        // Unknown spend (only null costs): unknown.
        let unknown = sum_count_last(Agg::Sum, &[0], None, &[f64::NAN], &[0], shape);
        difference_cells(&budget, &unknown, &mut cells);
        assert_eq!(cells[2].value, None);
    }
}
