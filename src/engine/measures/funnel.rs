//! `funnel`: per-step drop-off through milestones. A person reaches step k
//! when every step up to k is reached within the window of the base (the
//! first step); each later step present in the data is one series,
//! 1 − reached(k) ÷ reached(k − 1).

use crate::engine::Engine;
use crate::engine::grid::{Acc, Cell, Grid, GridShape, NO_PERIOD, count_rows, period_range, ratio};
use crate::engine::measures::{incomplete_periods, window_micros, within};
use crate::model::TableKind;

/// Moves the funnel one step: a person stays in it (`still`) when the step
/// is reached within the window of the base too. Returns, per cell, the
/// cohort members still in the funnel.
pub(crate) fn funnel_reached(
    still: &mut [bool],
    base: &[i64],
    step: &[i64],
    window: i64,
    periods: &[i32],
    segs: Option<&[u32]>,
    shape: GridShape,
) -> Acc {
    let mut reached = Acc::new(shape);
    for i in 0..still.len() {
        still[i] = still[i] && within(base[i], step[i], window);
        if still[i] && periods[i] != NO_PERIOD {
            reached.add(periods[i], segs.map(|s| s[i]), 1.0);
        }
    }
    reached
}

/// The cells of one step: the share of those who reached the step before
/// (`before`) that did not reach this one (`now`); a cell has rows when its
/// cohort is not empty.
pub(crate) fn drop_off_cells(before: &Acc, now: &Acc, cohort: &Acc, cells: &mut [Cell]) {
    for (i, c) in cells.iter_mut().enumerate() {
        let (before, now) = (before.get(i), now.get(i));
        *c = Cell {
            value: ratio(Some(before - now), Some(before)),
            num: Some(before - now),
            den: Some(before),
            rows: cohort.get(i) > 0.0,
        };
    }
}

impl Engine<'_> {
    /// One grid per later step present in the data.
    pub(crate) fn eval_funnel(
        &self,
        steps: &[String],
        window_days: f64,
        segmented: bool,
    ) -> Vec<Grid> {
        let p = TableKind::People;
        let steps: Vec<&String> = steps
            .iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || self.has_column(p, s))
            .map(|(_, s)| s)
            .collect();
        let w = window_micros(window_days);
        let b = self.times(p, steps[0]);
        let periods = self.anchor_periods(p, steps[0]);
        let Some(range) = period_range(periods.iter()) else {
            return Vec::new();
        };
        let segs = self.segs(p, segmented);
        let segs = segs.as_ref().map(|s| s.as_slice());
        let mut template = Grid::new(range, self.ns(segmented));
        template.incomplete = incomplete_periods(
            self.settings.calendar,
            template.p0,
            template.np,
            window_days,
            self.as_of,
        );
        let shape = template.shape();
        let cohort = count_rows(&periods, segs, shape);
        let mut still = vec![true; b.len()];
        let mut before = cohort.clone();
        let mut grids = Vec::new();
        for step in &steps[1..] {
            let t = self.times(p, step);
            self.note_out_of_order(steps[0], step, &b, &t);
            let now = funnel_reached(&mut still, &b, &t, w, &periods, segs, shape);
            let mut g = template.clone();
            g.step = Some((*step).clone());
            drop_off_cells(&before, &now, &cohort, &mut g.cells);
            grids.push(g);
            before = now;
        }
        grids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{DAY, NONE};

    #[test]
    fn each_step_keeps_those_reaching_it_within_the_window_of_the_base() {
        let shape = GridShape::new((0, 0), 1);
        let periods = [0, 0, 0, 0, NO_PERIOD];
        let base = [0, 0, 0, 0, 0];
        // Person 2 reaches step 2 without step 1; person 3 reaches step 1
        // after the window; person 4 has no period.
        let step1 = [DAY, 2 * DAY, NONE, 8 * DAY, DAY];
        let step2 = [3 * DAY, NONE, DAY, 2 * DAY, DAY];
        let mut still = vec![true; 5];
        let cohort = count_rows(&periods, None, shape);
        let one = funnel_reached(&mut still, &base, &step1, 7 * DAY, &periods, None, shape);
        assert_eq!(still, [true, true, false, false, true]);
        let two = funnel_reached(&mut still, &base, &step2, 7 * DAY, &periods, None, shape);
        assert_eq!(still, [true, false, false, false, true]);
        assert_eq!((cohort.get(2), one.get(2), two.get(2)), (4.0, 2.0, 1.0));

        let mut cells = vec![Cell::default(); 3];
        drop_off_cells(&cohort, &one, &cohort, &mut cells);
        assert_eq!(
            cells[2],
            Cell {
                value: Some(0.5),
                num: Some(2.0),
                den: Some(4.0),
                rows: true,
            }
        );
        drop_off_cells(&one, &two, &cohort, &mut cells);
        assert_eq!(cells[2].value, Some(0.5));
        // A period without a cohort: no value, no rows.
        assert_eq!(
            cells[0],
            Cell {
                value: None,
                num: Some(0.0),
                den: Some(0.0),
                rows: false,
            }
        );
    }
}
