//! Cohort measures: people whose base milestone falls in the period, scored
//! per person in [0, 1] (`cohort`: reached the target within the window;
//! `all_tasks`: did every task) or 0–100 (`task_score`: weighted share of
//! tasks done), and the mean score of each cell.

use crate::catalog::Measure;
use crate::engine::Engine;
use crate::engine::columns::Flag;
use crate::engine::grid::{Acc, Cell, Grid, GridShape, NO_PERIOD, period_range, ratio};
use crate::engine::measures::{incomplete_periods, window_micros, within};
use crate::model::TableKind;

/// Per person: 1 when the target is reached within the window of the base
/// and the person is kept by the filter, else 0 (the other way round with
/// `complement`).
pub(crate) fn conversions(
    base: &[i64],
    target: &[i64],
    keep: &[bool],
    window: i64,
    complement: bool,
) -> Vec<f64> {
    (0..base.len())
        .map(|i| {
            let reached = within(base[i], target[i], window) && keep[i];
            if reached != complement { 1.0 } else { 0.0 }
        })
        .collect()
}

/// Tasks done per person, added one task at a time.
pub(crate) struct TaskProgress {
    done_weight: Vec<f64>,
    all_done: Vec<bool>,
    total_weight: f64,
}

impl TaskProgress {
    /// No tasks yet, for `n` people.
    pub fn new(n: usize) -> Self {
        TaskProgress {
            done_weight: vec![0.0; n],
            all_done: vec![true; n],
            total_weight: 0.0,
        }
    }

    /// Adds a task of this weight, done by the people where `done` is true.
    pub fn add(&mut self, weight: f64, done: &[bool]) {
        self.total_weight += weight;
        for (i, d) in done.iter().enumerate() {
            if *d {
                self.done_weight[i] += weight;
            } else {
                self.all_done[i] = false;
            }
        }
    }

    /// Per person: 1 when every task is done, else 0.
    pub fn all_done(&self) -> Vec<f64> {
        self.all_done
            .iter()
            .map(|d| if *d { 1.0 } else { 0.0 })
            .collect()
    }

    /// Per person: 100 × weight of tasks done ÷ weight of all tasks (NaN
    /// when the weights add up to 0).
    pub fn scores(&self) -> Vec<f64> {
        if self.total_weight > 0.0 {
            self.done_weight
                .iter()
                .map(|d| 100.0 * d / self.total_weight)
                .collect()
        } else {
            vec![f64::NAN; self.done_weight.len()]
        }
    }
}

/// Per cell: the sum of the cohort's scores and its size.
pub(crate) fn cohort_counts(
    periods: &[i32],
    segs: Option<&[u32]>,
    score: &[f64],
    shape: GridShape,
) -> (Acc, Acc) {
    let mut num = Acc::new(shape);
    let mut den = Acc::new(shape);
    for i in 0..periods.len() {
        if periods[i] == NO_PERIOD {
            continue;
        }
        let seg = segs.map(|s| s[i]);
        den.add(periods[i], seg, 1.0);
        num.add(periods[i], seg, score[i]);
    }
    (num, den)
}

/// The cells of a cohort: mean score (null when a score is unknown), the
/// summed score and the cohort's size; a cell has rows when its cohort is
/// not empty.
pub(crate) fn cohort_cells(num: &Acc, den: &Acc, cells: &mut [Cell]) {
    for (i, c) in cells.iter_mut().enumerate() {
        let (n, d) = (num.get(i), den.get(i));
        *c = Cell {
            value: ratio(Some(n), Some(d)).filter(|v| !v.is_nan()),
            num: Some(n).filter(|v| !v.is_nan()),
            den: Some(d),
            rows: d > 0.0,
        };
    }
}

impl Engine<'_> {
    /// Cohort rates, all-tasks rates and task scores.
    pub(crate) fn eval_cohort(&self, m: &Measure, segmented: bool) -> Grid {
        let p = TableKind::People;
        let (base, window_days) = match m {
            Measure::Cohort {
                base, window_days, ..
            }
            | Measure::AllTasks { base, window_days }
            | Measure::TaskScore { base, window_days } => (base, *window_days),
            _ => return Grid::empty(),
        };
        let w = window_micros(window_days);
        let b = self.times(p, base);
        let periods = self.anchor_periods(p, base);
        let Some(range) = period_range(periods.iter()) else {
            return Grid::empty();
        };
        let mut g = Grid::new(range, self.ns(segmented));
        let segs = self.segs(p, segmented);
        let score: Vec<f64> = match m {
            Measure::Cohort {
                target,
                numerator_filter,
                complement,
                ..
            } => {
                let t = self.times(p, target);
                self.note_out_of_order(base, target, &b, &t);
                let keep = self.mask(p, numerator_filter);
                conversions(&b, &t, &keep, w, *complement)
            }
            _ => {
                let tasks = self.people().map(|p| p.tasks.clone()).unwrap_or_default();
                let mut progress = TaskProgress::new(b.len());
                for task in &tasks {
                    let weight = self.settings.task_weights.get(task).copied().unwrap_or(1.0);
                    let is_flag = self
                        .people()
                        .is_some_and(|p| p.task_flags.contains_key(task));
                    let done: Vec<bool> = if is_flag {
                        self.flags(p, task)
                            .iter()
                            .map(|f| *f == Flag::True)
                            .collect()
                    } else {
                        let t = self.times(p, task);
                        (0..b.len()).map(|i| within(b[i], t[i], w)).collect()
                    };
                    progress.add(weight, &done);
                }
                if matches!(m, Measure::AllTasks { .. }) {
                    progress.all_done()
                } else {
                    progress.scores()
                }
            }
        };
        let segs = segs.as_ref().map(|s| s.as_slice());
        let (num, den) = cohort_counts(&periods, segs, &score, g.shape());
        cohort_cells(&num, &den, &mut g.cells);
        g.incomplete =
            incomplete_periods(self.settings.calendar, g.p0, g.np, window_days, self.as_of);
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{DAY, NONE};

    #[test]
    fn conversions_are_within_the_window_and_kept() {
        let base = [0, 0, 0, 0, 5 * DAY];
        let target = [DAY, 3 * DAY, NONE, DAY, DAY];
        let keep = [true, true, true, false, true];
        // Reached within 2 days: only the first (the fourth is filtered
        // out, the fifth converted before its base).
        assert_eq!(
            conversions(&base, &target, &keep, 2 * DAY, false),
            [1.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            conversions(&base, &target, &keep, 2 * DAY, true),
            [0.0, 1.0, 1.0, 1.0, 1.0]
        );
    }

    #[test]
    fn tasks_add_up_to_all_done_and_weighted_scores() {
        let mut progress = TaskProgress::new(3);
        progress.add(3.0, &[true, true, false]);
        progress.add(1.0, &[true, false, false]);
        assert_eq!(progress.all_done(), [1.0, 0.0, 0.0]);
        assert_eq!(progress.scores(), [100.0, 75.0, 0.0]);
        // Weights adding up to 0: no score.
        let mut zero = TaskProgress::new(1);
        zero.add(0.0, &[true]);
        assert!(zero.scores()[0].is_nan());
        assert_eq!(zero.all_done(), [1.0]);
    }

    #[test]
    fn cells_are_mean_scores_of_the_period_s_cohort() {
        let shape = GridShape::new((0, 0), 3);
        let periods = [0, 0, 0, NO_PERIOD, -1];
        let segs = [0, 1, 1, 0, 0];
        let score = [1.0, 0.0, 1.0, 1.0, f64::NAN];
        let (num, den) = cohort_counts(&periods, Some(&segs), &score, shape);
        let mut cells = vec![Cell::default(); shape.cells()];
        cohort_cells(&num, &den, &mut cells);
        let cell = |value, num, den, rows| Cell {
            value,
            num,
            den: Some(den),
            rows,
        };
        // Period 0: total 2 of 3, segment 0: 1 of 1, segment 1: 1 of 2.
        assert_eq!(cells[6], cell(Some(2.0 / 3.0), Some(2.0), 3.0, true));
        assert_eq!(cells[7], cell(Some(1.0), Some(1.0), 1.0, true));
        assert_eq!(cells[8], cell(Some(0.5), Some(1.0), 2.0, true));
        // Period -1: an unknown score makes the cell's value unknown.
        assert_eq!(cells[3], cell(None, None, 1.0, true));
        // Period -2: an empty cohort.
        assert_eq!(cells[0], cell(None, Some(0.0), 0.0, false));
    }
}
