//! A KPI's grids → the document's points: the total for every period of a
//! grid's range, a segment where it has rows, each with its previous value,
//! the relative change, the forecast to the period's end and the status
//! against the target (`docs/result.md` describes the fields, `docs/kpis.md`
//! "Outlook" the forecast and status).

use crate::catalog::Better;
use crate::engine::Grid;
use crate::engine::time::Calendar;

use super::{Point, Status};

/// How a KPI's points are projected to their period's end and judged
/// against its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Outlook {
    /// The as-of time (local µs, inclusive), as the engine has it.
    pub as_of: i64,
    /// Whether the value adds up over the period, so that the running
    /// period's value is projected by its run rate.
    pub run_rate: bool,
    /// The target at the report's grain.
    pub target: Option<f64>,
    /// Which direction is good.
    pub better: Better,
    /// For `better: target`: how far from the target is still on track, as a
    /// fraction of the target.
    pub tolerance: f64,
}

impl Outlook {
    /// No forecast, no target: points without outlook.
    #[cfg(test)]
    pub fn none() -> Outlook {
        Outlook {
            as_of: 0,
            run_rate: false,
            target: None,
            better: Better::Up,
            tolerance: 0.1,
        }
    }
}

/// The points of one grid, period by period: the total first, then the
/// segments that have rows in the period, in label order. `segments[s - 1]`
/// is the label of segment `s` (segment 0 is the total).
pub(super) fn grid_points(
    g: &Grid,
    calendar: Calendar,
    segments: &[String],
    outlook: &Outlook,
) -> Vec<Point> {
    let Some((first, last)) = g.range else {
        return Vec::new();
    };
    let first = g.defined_from.map_or(first, |d| first.max(d));
    // Segments in label order.
    let mut segments: Vec<(String, usize)> = (1..g.ns)
        .map(|s| (segments.get(s - 1).cloned().unwrap_or_default(), s))
        .collect();
    segments.sort();
    let mut out = Vec::new();
    for p in first..=last {
        if g.is_absent(p) {
            continue;
        }
        let label = calendar.label(p);
        let incomplete = g.at(p, 0).map(|i| g.incomplete[i / g.ns]).unwrap_or(false);
        let elapsed = outlook
            .run_rate
            .then(|| elapsed(calendar.start(p), calendar.end(p), outlook.as_of))
            .flatten();
        let mut push = |s: usize, segment: Option<String>| {
            let Some(c) = g.cell(p, s) else { return };
            let previous = g.cell(p - 1, s).and_then(|c| c.value);
            let previous =
                previous.filter(|_| g.defined_from.is_none_or(|d| p > d) && !g.is_absent(p - 1));
            let value = clean(c.value);
            let forecast = elapsed.and_then(|f| forecast(value, f));
            let status = outlook
                .target
                .and_then(|t| status(forecast.or(value), t, outlook.better, outlook.tolerance));
            out.push(Point {
                period: label.clone(),
                segment,
                step: g.step.clone(),
                value,
                previous: clean(previous),
                change: clean(change(c.value, previous)),
                numerator: clean(c.num),
                denominator: clean(c.den),
                incomplete,
                forecast,
                status,
            });
        };
        push(0, None);
        for (name, s) in &segments {
            if g.cell(p, *s).is_some_and(|c| c.rows) {
                push(*s, Some(name.clone()));
            }
        }
    }
    out
}

/// The change of `value` relative to `previous`, against its magnitude; none
/// when either is missing or the previous value is 0.
fn change(value: Option<f64>, previous: Option<f64>) -> Option<f64> {
    match (value, previous) {
        (Some(v), Some(pv)) if pv != 0.0 => Some((v - pv) / pv.abs()),
        _ => None,
    }
}

/// The elapsed fraction of the period `[start, end)` at `as_of`, in
/// microseconds; none when the as-of is not inside the period.
fn elapsed(start: i64, end: i64, as_of: i64) -> Option<f64> {
    (start <= as_of && as_of < end).then(|| (as_of - start) as f64 / (end - start) as f64)
}

/// The value at the period's end if it goes on at the rate so far: `value`
/// divided by the elapsed fraction `f`; none when nothing has elapsed.
fn forecast(value: Option<f64>, f: f64) -> Option<f64> {
    value
        .filter(|_| f > 0.0)
        .map(|v| v / f)
        .filter(|x| x.is_finite())
}

/// On or off track: `value` against `target` in the `better` direction (at
/// or above, at or below, or within `tolerance × |target|`); none without a
/// value or for a KPI with no better direction.
fn status(value: Option<f64>, target: f64, better: Better, tolerance: f64) -> Option<Status> {
    let v = value?;
    let on_track = match better {
        Better::Up => v >= target,
        Better::Down => v <= target,
        Better::Target => (v - target).abs() <= tolerance * target.abs(),
        Better::None => return None,
    };
    Some(if on_track {
        Status::OnTrack
    } else {
        Status::OffTrack
    })
}

/// Rounds away binary noise (1e-12 relative) so that 0.1 + 0.2 reads 0.3;
/// infinities and NaN become none.
fn clean(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite()).map(|x| {
        if x == 0.0 {
            0.0
        } else {
            let r = (x * 1e9).round() / 1e9;
            if (r - x).abs() <= x.abs() * 1e-12 {
                r
            } else {
                x
            }
        }
    })
}

#[cfg(test)]
// Tests: a panic is the failure report, so unwrap is the clearest spelling.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::grid::Cell;
    use crate::engine::time::Grain;

    #[test]
    fn clean_rounds_binary_noise_only() {
        let check = |v: Option<f64>, expected: Option<f64>| {
            let actual = clean(v);
            assert!(
                actual == expected && actual.map(f64::to_bits) == expected.map(f64::to_bits),
                "clean({v:?}) = {actual:?}, expected {expected:?}"
            );
        };
        check(None, None);
        check(Some(f64::NAN), None);
        check(Some(f64::INFINITY), None);
        check(Some(f64::NEG_INFINITY), None);
        // Negative zero is written as 0.
        check(Some(-0.0), Some(0.0));
        check(Some(0.1 + 0.2), Some(0.3));
        check(Some(-(0.1 + 0.2)), Some(-0.3));
        check(Some(1.0 / 3.0), Some(1.0 / 3.0));
        check(Some(1e-10), Some(1e-10));
        check(Some(123_456_789.25), Some(123_456_789.25));
    }

    #[test]
    fn change_is_relative_to_the_previous_magnitude() {
        let check = |v, pv, expected: Option<f64>| {
            assert_eq!(change(v, pv), expected, "change({v:?}, {pv:?})");
        };
        check(Some(110.0), Some(100.0), Some(0.1));
        check(Some(50.0), Some(100.0), Some(-0.5));
        // From -100 to -50 is up by half of 100.
        check(Some(-50.0), Some(-100.0), Some(0.5));
        check(Some(5.0), Some(0.0), None);
        check(None, Some(1.0), None);
        check(Some(1.0), None, None);
    }

    fn cell(value: f64, rows: bool) -> Cell {
        Cell {
            value: Some(value),
            num: None,
            den: None,
            rows,
        }
    }

    /// Day periods 20513.. (2026-03-01..), two segments labelled "b" and "a"
    /// (segment 1 and 2): the range is 03-02..03-04, 03-01 is the period
    /// before it.
    fn grid() -> Grid {
        let empty = Cell::default();
        Grid {
            p0: 20513,
            np: 4,
            ns: 3,
            cells: vec![
                // 03-01: total, b, a
                cell(4.0, true),
                cell(4.0, true),
                empty,
                // 03-02
                cell(5.0, true),
                cell(2.0, true),
                cell(3.0, true),
                // 03-03: "a" has no rows
                cell(10.0, true),
                cell(10.0, true),
                cell(0.0, false),
                // 03-04
                Cell {
                    value: Some(0.5),
                    num: Some(1.0),
                    den: Some(2.0),
                    rows: true,
                },
                empty,
                empty,
            ],
            range: Some((20514, 20516)),
            step: Some("mql".to_owned()),
            incomplete: vec![false, false, false, true],
            defined_from: None,
            absent: Vec::new(),
        }
    }

    /// (period, segment, value, previous, change, incomplete) of each point.
    type Row = (
        String,
        Option<String>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        bool,
    );

    fn rows(g: &Grid) -> Vec<Row> {
        let calendar = Calendar::new(Grain::Day, 1);
        let points = grid_points(
            g,
            calendar,
            &["b".to_owned(), "a".to_owned()],
            &Outlook::none(),
        );
        assert!(points.iter().all(|p| p.step.as_deref() == Some("mql")));
        points
            .into_iter()
            .map(|p| {
                (
                    p.period,
                    p.segment,
                    p.value,
                    p.previous,
                    p.change,
                    p.incomplete,
                )
            })
            .collect()
    }

    fn row(period: &str, segment: Option<&str>, v: f64, pv: Option<f64>, ch: Option<f64>) -> Row {
        (
            period.to_owned(),
            segment.map(str::to_owned),
            Some(v),
            pv,
            ch,
            false,
        )
    }

    #[test]
    fn totals_then_segments_with_rows_in_label_order() {
        let mut last = row("2026-03-04", None, 0.5, Some(10.0), Some(-0.95));
        last.5 = true;
        assert_eq!(
            rows(&grid()),
            [
                row("2026-03-02", None, 5.0, Some(4.0), Some(0.25)),
                row("2026-03-02", Some("a"), 3.0, None, None),
                row("2026-03-02", Some("b"), 2.0, Some(4.0), Some(-0.5)),
                row("2026-03-03", None, 10.0, Some(5.0), Some(1.0)),
                row("2026-03-03", Some("b"), 10.0, Some(2.0), Some(4.0)),
                last,
            ]
        );
        let points = grid_points(&grid(), Calendar::new(Grain::Day, 1), &[], &Outlook::none());
        let ratio = points.last().unwrap();
        assert_eq!((ratio.numerator, ratio.denominator), (Some(1.0), Some(2.0)));
    }

    #[test]
    fn nothing_before_defined_from_nor_in_absent_periods() {
        let mut g = grid();
        // Values start on 03-03: no previous value there.
        g.defined_from = Some(20515);
        let r = rows(&g);
        assert_eq!(r[0], row("2026-03-03", None, 10.0, None, None));
        assert_eq!(r.len(), 3);
        // 03-03 has no point at all: 03-04 has no previous value.
        let mut g = grid();
        g.absent = vec![false, false, true, false];
        let r = rows(&g);
        let periods: Vec<&str> = r.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            periods,
            ["2026-03-02", "2026-03-02", "2026-03-02", "2026-03-04"]
        );
        assert_eq!((r[3].3, r[3].4), (None, None));
    }

    #[test]
    fn elapsed_is_the_fraction_of_the_period_before_the_as_of() {
        let check = |as_of, expected: Option<f64>| {
            assert_eq!(elapsed(1_000, 2_000, as_of), expected, "as-of {as_of}");
        };
        check(1_000, Some(0.0));
        check(1_250, Some(0.25));
        check(1_999, Some(0.999));
        // The period's end is the next period's start.
        check(2_000, None);
        check(999, None);
    }

    #[test]
    fn forecast_is_the_value_over_the_elapsed_fraction() {
        let check = |v, f, expected: Option<f64>| {
            assert_eq!(forecast(v, f), expected, "forecast({v:?}, {f})");
        };
        check(Some(50.0), 0.25, Some(200.0));
        check(Some(50.0), 1.0, Some(50.0));
        check(Some(0.0), 0.5, Some(0.0));
        // Nothing elapsed yet: no rate to go on.
        check(Some(50.0), 0.0, None);
        check(None, 0.5, None);
        // The first day of a year: 4 ÷ ((1 day − 1 µs) ÷ 365 days).
        let day = 86_400_000_000_i64;
        let f = (day - 1) as f64 / (365 * day) as f64;
        let v = forecast(Some(4.0), f).unwrap();
        assert!((v - 1_460.000_000_016_9).abs() < 1e-9 && v > 1460.0, "{v}");
    }

    #[test]
    fn status_follows_the_better_direction() {
        use Status::{OffTrack, OnTrack};
        let check = |v, t, better, tol, expected: Option<Status>| {
            assert_eq!(
                status(v, t, better, tol),
                expected,
                "status({v:?}, {t}, {better:?}, {tol})"
            );
        };
        check(Some(150.0), 150.0, Better::Up, 0.1, Some(OnTrack));
        check(Some(149.9), 150.0, Better::Up, 0.1, Some(OffTrack));
        check(Some(45.0), 45.0, Better::Down, 0.1, Some(OnTrack));
        check(Some(45.1), 45.0, Better::Down, 0.1, Some(OffTrack));
        // Within the tolerance, both ends inclusive (in binary, 1.05 − 1 is
        // a little more than 0.05: exact fractions here).
        check(Some(1.25), 1.0, Better::Target, 0.25, Some(OnTrack));
        check(Some(0.75), 1.0, Better::Target, 0.25, Some(OnTrack));
        check(Some(1.3), 1.0, Better::Target, 0.25, Some(OffTrack));
        check(Some(1.0287), 1.0, Better::Target, 0.05, Some(OnTrack));
        check(Some(0.8077), 1.0, Better::Target, 0.05, Some(OffTrack));
        check(Some(-1.2), -1.0, Better::Target, 0.1, Some(OffTrack));
        check(Some(0.0), 0.0, Better::Target, 0.1, Some(OnTrack));
        // No better direction, or no value: no status.
        check(Some(0.0), 0.0, Better::None, 0.1, None);
        check(None, 150.0, Better::Up, 0.1, None);
    }

    #[test]
    fn the_period_of_the_as_of_is_forecast_and_every_point_judged() {
        let g = grid();
        // 03-03 at 06:00: a quarter of the day has elapsed.
        let outlook = Outlook {
            as_of: 20515 * 86_400_000_000 + 6 * 3_600_000_000,
            run_rate: true,
            target: Some(9.0),
            better: Better::Up,
            tolerance: 0.1,
        };
        let points = grid_points(
            &g,
            Calendar::new(Grain::Day, 1),
            &["b".into(), "a".into()],
            &outlook,
        );
        let actual: Vec<_> = points
            .iter()
            .map(|p| {
                (
                    p.period.as_str(),
                    p.segment.as_deref(),
                    p.forecast,
                    p.status,
                )
            })
            .collect();
        use Status::{OffTrack, OnTrack};
        assert_eq!(
            actual,
            [
                ("2026-03-02", None, None, Some(OffTrack)),
                ("2026-03-02", Some("a"), None, Some(OffTrack)),
                ("2026-03-02", Some("b"), None, Some(OffTrack)),
                // 10 ÷ 0.25 = 40 ≥ 9, and for the segment too.
                ("2026-03-03", None, Some(40.0), Some(OnTrack)),
                ("2026-03-03", Some("b"), Some(40.0), Some(OnTrack)),
                ("2026-03-04", None, None, Some(OffTrack)),
            ]
        );
        // Without run rate the value itself is judged.
        let points = grid_points(
            &g,
            Calendar::new(Grain::Day, 1),
            &[],
            &Outlook {
                run_rate: false,
                ..outlook
            },
        );
        assert!(points.iter().all(|p| p.forecast.is_none()));
        assert_eq!(points[3].status, Some(OnTrack));
        // Without a target no status.
        let points = grid_points(&g, Calendar::new(Grain::Day, 1), &[], &Outlook::none());
        assert!(
            points
                .iter()
                .all(|p| p.status.is_none() && p.forecast.is_none())
        );
    }

    #[test]
    fn a_grid_without_range_has_no_points() {
        let mut g = grid();
        g.range = None;
        assert!(rows(&g).is_empty());
    }
}
