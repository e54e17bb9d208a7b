//! Dense (period × segment) grids: what every measure fills and the report
//! turns into points.
//!
//! A grid covers a range of consecutive period ids, starting two periods
//! before the first included one so that `previous` is always defined, and
//! every segment of the breakdown, segment 0 being the total. Cells are laid
//! out period-major: cell `(p, s)` is at `(p - p0) * ns + s`.

/// No period: the row's time is null or later than as-of.
pub(crate) const NO_PERIOD: i32 = i32::MIN;

/// One value of a KPI for a period and segment, before formatting.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Cell {
    /// The KPI value.
    pub value: Option<f64>,
    /// Numerator of a ratio.
    pub num: Option<f64>,
    /// Denominator of a ratio.
    pub den: Option<f64>,
    /// Whether the segment has rows in this period.
    pub rows: bool,
}

/// The layout of a grid: first period id, number of periods, number of
/// segments (the total included, at index 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GridShape {
    /// First period id.
    pub p0: i32,
    /// Number of periods.
    pub np: usize,
    /// Number of segments, the total included (index 0).
    pub ns: usize,
}

impl GridShape {
    /// The shape of a grid over `range` (first and last included period),
    /// starting two periods earlier.
    pub fn new(range: (i32, i32), ns: usize) -> GridShape {
        let p0 = range.0 - 2;
        let np = (range.1 - p0 + 1).max(0) as usize;
        GridShape { p0, np, ns }
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.np * self.ns
    }
}

/// A KPI's cells over a range of periods and all segments.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// First period id of the grid.
    pub p0: i32,
    /// Number of periods.
    pub np: usize,
    /// Number of segments, the total included (index 0).
    pub ns: usize,
    /// Cells, period-major.
    pub cells: Vec<Cell>,
    /// First and last period with total points.
    pub range: Option<(i32, i32)>,
    /// Funnel step name.
    pub step: Option<String>,
    /// Per-period incomplete flags (indexed like periods).
    pub incomplete: Vec<bool>,
    /// Periods before this have no value at all (revenue).
    pub defined_from: Option<i32>,
    /// Per-period flags (indexed like periods; empty = none): periods that
    /// have no point at all, not even the total (revenue periods without a
    /// month of data).
    pub absent: Vec<bool>,
}

impl Grid {
    /// An empty-celled grid over `range` (first and last included period)
    /// and `ns` segments.
    pub(crate) fn new(range: (i32, i32), ns: usize) -> Grid {
        let shape = GridShape::new(range, ns);
        Grid {
            p0: shape.p0,
            np: shape.np,
            ns: shape.ns,
            cells: vec![Cell::default(); shape.cells()],
            range: Some(range),
            step: None,
            incomplete: vec![false; shape.np],
            defined_from: None,
            absent: Vec::new(),
        }
    }

    /// A grid without periods: the KPI has no rows.
    pub(crate) fn empty() -> Grid {
        Grid {
            p0: 0,
            np: 0,
            ns: 1,
            cells: Vec::new(),
            range: None,
            step: None,
            incomplete: Vec::new(),
            defined_from: None,
            absent: Vec::new(),
        }
    }

    /// The grid's layout.
    pub(crate) fn shape(&self) -> GridShape {
        GridShape {
            p0: self.p0,
            np: self.np,
            ns: self.ns,
        }
    }

    /// Index of a cell.
    pub fn at(&self, p: i32, s: usize) -> Option<usize> {
        let i = p.checked_sub(self.p0)?;
        (i >= 0 && (i as usize) < self.np && s < self.ns).then(|| i as usize * self.ns + s)
    }

    /// Whether a period has no point at all.
    pub fn is_absent(&self, p: i32) -> bool {
        self.at(p, 0)
            .and_then(|i| self.absent.get(i / self.ns))
            .copied()
            .unwrap_or(false)
    }

    /// The cell of a period and segment, if inside the grid.
    pub fn cell(&self, p: i32, s: usize) -> Option<&Cell> {
        self.at(p, s).map(|i| &self.cells[i])
    }
}

/// Dense per-cell accumulators of one f64 each, laid out like a grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Acc {
    shape: GridShape,
    /// The sums, period-major.
    pub v: Vec<f64>,
}

impl Acc {
    /// Zeros over a grid's cells.
    pub fn new(shape: GridShape) -> Acc {
        Acc {
            shape,
            v: vec![0.0; shape.cells()],
        }
    }

    /// Index of the total cell of period `p` (the first of its row), if the
    /// period is inside the grid.
    #[inline]
    pub fn row(&self, p: i32) -> Option<usize> {
        let i = usize::try_from(i64::from(p) - i64::from(self.shape.p0)).ok()?;
        (i < self.shape.np).then(|| i * self.shape.ns)
    }

    /// Adds to the total and, when given, to the segment; periods outside
    /// the grid are ignored.
    #[inline]
    pub fn add(&mut self, p: i32, seg: Option<u32>, x: f64) {
        if let Some(row) = self.row(p) {
            self.v[row] += x;
            if let Some(s) = seg {
                self.v[row + 1 + s as usize] += x;
            }
        }
    }

    /// The sum of cell `i`.
    #[inline]
    pub fn get(&self, i: usize) -> f64 {
        self.v[i]
    }
}

/// Row counts per cell: every row with a period counts 1 in its period's
/// total and, when segmented, in its segment.
pub(crate) fn count_rows(periods: &[i32], segs: Option<&[u32]>, shape: GridShape) -> Acc {
    let mut n = Acc::new(shape);
    for (i, &p) in periods.iter().enumerate() {
        if p != NO_PERIOD {
            n.add(p, segs.map(|s| s[i]), 1.0);
        }
    }
    n
}

/// `n / d`, null when either is null or `d` is 0.
pub(crate) fn ratio(n: Option<f64>, d: Option<f64>) -> Option<f64> {
    match (n, d) {
        (Some(n), Some(d)) if d != 0.0 => Some(n / d),
        _ => None,
    }
}

/// First and last period id present.
pub(crate) fn period_range<'x>(periods: impl Iterator<Item = &'x i32>) -> Option<(i32, i32)> {
    let mut range: Option<(i32, i32)> = None;
    for &p in periods {
        if p == NO_PERIOD {
            continue;
        }
        range = Some(match range {
            None => (p, p),
            Some((a, b)) => (a.min(p), b.max(p)),
        });
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_starts_two_periods_before_its_range() {
        let g = Grid::new((10, 12), 3);
        assert_eq!((g.p0, g.np, g.ns, g.cells.len()), (8, 5, 3, 15));
        assert_eq!(g.at(8, 0), Some(0));
        assert_eq!(g.at(10, 2), Some(8));
        assert_eq!(g.at(12, 2), Some(14));
        assert_eq!(g.at(7, 0), None);
        assert_eq!(g.at(13, 0), None);
        assert_eq!(g.at(10, 3), None);
        assert_eq!(g.at(i32::MIN, 0), None);
        assert!(!g.is_absent(10));
        assert_eq!(Grid::empty().at(0, 0), None);
    }

    #[test]
    fn accumulators_add_to_the_total_and_the_segment() {
        let shape = GridShape::new((1, 1), 3);
        let mut a = Acc::new(shape);
        a.add(1, Some(1), 2.0);
        a.add(1, None, 1.0);
        a.add(0, Some(0), 5.0);
        // Outside the grid: ignored.
        a.add(2, Some(0), 7.0);
        a.add(-5, Some(0), 7.0);
        // Periods -1, 0, 1; segments total, 0, 1.
        assert_eq!(a.v, [0.0, 0.0, 0.0, 5.0, 5.0, 0.0, 3.0, 0.0, 2.0]);
    }

    #[test]
    fn rows_are_counted_where_they_have_a_period() {
        let shape = GridShape::new((3, 4), 2);
        let n = count_rows(&[3, NO_PERIOD, 4, 4], Some(&[0, 0, 0, 0]), shape);
        assert_eq!(n.v, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0]);
        let n = count_rows(&[3, NO_PERIOD, 4, 4], None, GridShape::new((3, 4), 1));
        assert_eq!(n.v, [0.0, 0.0, 1.0, 2.0]);
    }

    #[test]
    fn ratios_and_ranges() {
        assert_eq!(ratio(Some(1.0), Some(4.0)), Some(0.25));
        assert_eq!(ratio(Some(1.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(1.0)), None);
        assert_eq!(ratio(Some(1.0), None), None);
        assert_eq!(period_range([5, NO_PERIOD, -2, 3].iter()), Some((-2, 5)));
        assert_eq!(period_range([NO_PERIOD].iter()), None);
        assert_eq!(period_range([].iter()), None);
    }
}
