//! `growth`: the relative change of another measure's values against the
//! previous period.

use crate::engine::grid::{Cell, Grid, ratio};

/// (v − v_prev) ÷ v_prev per cell, with the difference as numerator and
/// the previous value as denominator. The first period, and periods not
/// after `defined_from`, have no previous value.
pub(crate) fn growth(inner: Grid) -> Grid {
    let mut g = inner.clone();
    for pi in 0..g.np {
        for s in 0..g.ns {
            let i = pi * g.ns + s;
            let cur = inner.cells[i].value;
            let prev = if pi == 0 {
                None
            } else {
                inner.cells[i - g.ns].value
            };
            let prev = prev.filter(|_| inner.defined_from.is_none_or(|d| g.p0 + pi as i32 > d));
            let diff = match (cur, prev) {
                (Some(c), Some(p)) => Some(c - p),
                _ => None,
            };
            g.cells[i] = Cell {
                value: ratio(diff, prev),
                num: diff,
                // Without a current value there is no ratio to speak of.
                den: diff.and(prev),
                rows: inner.cells[i].rows,
            };
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(values: &[Option<f64>]) -> Grid {
        // Periods 0.. (the range starts two periods in), one segment.
        let mut g = Grid::new((2, values.len() as i32 - 1), 1);
        for (c, v) in g.cells.iter_mut().zip(values) {
            *c = Cell {
                value: *v,
                num: None,
                den: None,
                rows: v.is_some(),
            };
        }
        g
    }

    fn check(inner: Grid, expected: &[(Option<f64>, Option<f64>, Option<f64>)]) {
        let g = growth(inner);
        let got: Vec<_> = g.cells.iter().map(|c| (c.value, c.num, c.den)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn growth_is_the_change_against_the_previous_period() {
        check(
            grid(&[
                Some(10.0),
                Some(15.0),
                None,
                Some(4.0),
                Some(0.0),
                Some(2.0),
            ]),
            &[
                // No previous period.
                (None, None, None),
                (Some(0.5), Some(5.0), Some(10.0)),
                // No current value, then no previous one.
                (None, None, None),
                (None, None, None),
                (Some(-1.0), Some(-4.0), Some(4.0)),
                // From 0: a change but no ratio.
                (None, Some(2.0), Some(0.0)),
            ],
        );
    }

    #[test]
    fn periods_before_defined_from_are_not_compared_with() {
        let mut inner = grid(&[Some(1.0), Some(2.0), Some(3.0)]);
        inner.defined_from = Some(1);
        check(
            inner,
            &[
                (None, None, None),
                (None, None, None),
                (Some(0.5), Some(1.0), Some(2.0)),
            ],
        );
    }

    #[test]
    fn rows_and_layout_are_kept() {
        let mut inner = grid(&[Some(1.0), None]);
        inner.step = Some("mql_at".to_owned());
        let g = growth(inner.clone());
        assert_eq!(
            (g.p0, g.np, g.ns, g.step),
            (inner.p0, inner.np, inner.ns, inner.step)
        );
        assert!(g.cells[0].rows && !g.cells[1].rows);
    }
}
