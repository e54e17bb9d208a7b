//! `revenue`: movements from monthly MRR snapshots (`docs/kpis.md`,
//! revenue).
//!
//! For a period P, each account's *start* is its MRR in the month before P
//! and its *end* its MRR in the last month of P the data has. Over accounts
//! the engine sums the [`Symbol`]s once per report; a KPI is a ratio of two
//! [`RevenueExpr`]s of them.

use std::rc::Rc;

use crate::catalog::{RevenueExpr, Symbol};
use crate::engine::grid::{Cell, Grid, ratio};
use crate::engine::time::{Calendar, DAY, NONE};
use crate::engine::{Engine, columns};
use crate::model::TableKind;

/// Sums of the symbols for one cell.
#[derive(Debug, Clone, Copy, Default)]
struct Movements {
    v: [f64; Symbol::ALL.len()],
    rows: bool,
}

impl Movements {
    fn get(&self, s: Symbol) -> f64 {
        self.v[s as usize]
    }
    fn add(&mut self, s: Symbol, x: f64) {
        self.v[s as usize] += x;
    }
}

/// The value of an expression over one cell's movements (`cost` counts 0
/// there: see [`with_cost`]).
fn evaluate(expr: &RevenueExpr, m: &Movements) -> f64 {
    expr.terms().iter().map(|t| t.sign * m.get(t.symbol)).sum()
}

/// The value of an expression over one cell's movements and spend; unknown
/// (`None`) when it reads a spend made only of null costs.
fn with_cost(expr: &RevenueExpr, m: &Movements, cost: Option<f64>) -> Option<f64> {
    if !expr.reads_spend() {
        return Some(evaluate(expr, m));
    }
    let signs: f64 = expr
        .terms()
        .iter()
        .filter(|t| t.symbol == Symbol::Cost)
        .map(|t| t.sign)
        .sum();
    cost.map(|c| evaluate(expr, m) + signs * c)
}

/// Movements of every period and segment, computed once per report.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// Grid layout (cells unused); `defined_from` is the first period with points.
    grid: Grid,
    /// Movements per cell, laid out like the grid.
    cells: Vec<Movements>,
}

/// Computes a revenue KPI grid.
pub(crate) fn eval(
    engine: &Engine,
    num: &RevenueExpr,
    den: Option<&RevenueExpr>,
    segmented: bool,
) -> Grid {
    let cached = engine.revenue_movements(segmented);
    let Some(table) = cached.as_ref() else {
        return Grid::empty();
    };
    let mut g = table.grid.clone();
    let reads_spend = std::iter::once(num).chain(den).any(|e| e.reads_spend());
    let spend = reads_spend.then(|| engine.sum_of_cost(g.shape(), segmented));
    let p_min = g.defined_from.unwrap_or(g.p0);
    for (i, m) in table.cells.iter().enumerate() {
        let p = g.p0 + (i / g.ns) as i32;
        if p < p_min || g.is_absent(p) {
            continue;
        }
        let (spend_rows, cost) = spend.as_ref().map_or((false, None), |s| s.cell(i));
        let rows = m.rows || spend_rows;
        let n = with_cost(num, m, cost);
        g.cells[i] = match den {
            Some(d) => {
                let d = with_cost(d, m, cost);
                Cell {
                    value: ratio(n, d),
                    num: n,
                    den: d,
                    rows,
                }
            }
            None => Cell {
                value: n,
                num: None,
                den: None,
                rows,
            },
        };
    }
    g
}

/// One account's snapshot in a month.
#[derive(Clone, Copy)]
struct Snapshot {
    account: u32,
    /// Segment key of the account's first row that month, or `u32::MAX`.
    seg: u32,
    mrr: f64,
}

impl Snapshot {
    fn seg(&self) -> Option<u32> {
        (self.seg != u32::MAX).then_some(self.seg)
    }
}

/// Snapshots grouped by month (`first..=last`), each month sorted by account
/// with one entry per account: a counting sort by month, then a stable sort
/// by account inside each month, so no hash map over account × month.
struct Snapshots {
    first: i64,
    /// `entries[starts[i]..starts[i + 1]]` is month `first + i`.
    starts: Vec<usize>,
    entries: Vec<Snapshot>,
}

impl Snapshots {
    fn build(
        accounts: &[Option<u32>],
        months: &[i64],
        mrr: &[f64],
        segs: Option<&[u32]>,
    ) -> Option<Self> {
        let rows = || {
            accounts
                .iter()
                .zip(months)
                .enumerate()
                .filter_map(|(i, (a, m))| Some((i, (*a)?, *m)).filter(|_| *m != i64::MIN))
        };
        let first = rows().map(|(_, _, m)| m).min()?;
        let last = rows().map(|(_, _, m)| m).max()?;
        let n_months = (last - first + 1) as usize;
        let mut starts = vec![0usize; n_months + 1];
        for (_, _, m) in rows() {
            starts[(m - first) as usize + 1] += 1;
        }
        for i in 0..n_months {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let empty = Snapshot {
            account: 0,
            seg: u32::MAX,
            mrr: 0.0,
        };
        let mut entries = vec![empty; starts[n_months]];
        for (i, account, m) in rows() {
            let slot = &mut next[(m - first) as usize];
            let v = mrr[i];
            entries[*slot] = Snapshot {
                account,
                seg: segs.map_or(u32::MAX, |s| s[i]),
                mrr: if v.is_nan() { 0.0 } else { v },
            };
            *slot += 1;
        }
        // Per month: sort by account (stable: file order within an account
        // decides the segment), then sum each account's rows into its first.
        let mut out = 0;
        let mut merged_starts = Vec::with_capacity(n_months + 1);
        for i in 0..n_months {
            merged_starts.push(out);
            let month = &mut entries[starts[i]..starts[i + 1]];
            month.sort_by_key(|e| e.account);
            let mut j = starts[i];
            while j < starts[i + 1] {
                let mut e = entries[j];
                j += 1;
                while j < starts[i + 1] && entries[j].account == e.account {
                    e.mrr += entries[j].mrr;
                    j += 1;
                }
                entries[out] = e;
                out += 1;
            }
        }
        merged_starts.push(out);
        entries.truncate(out);
        Some(Snapshots {
            first,
            starts: merged_starts,
            entries,
        })
    }

    /// The last month with data.
    fn last(&self) -> i64 {
        self.first + self.starts.len() as i64 - 2
    }

    fn month(&self, m: i64) -> &[Snapshot] {
        let Ok(i) = usize::try_from(m - self.first) else {
            return &[];
        };
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(a), Some(b)) => &self.entries[*a..*b],
            _ => &[],
        }
    }

    /// Every account present in month `a` or `b`, with its snapshot in each,
    /// in account order.
    fn pairs(
        &self,
        a: i64,
        b: i64,
    ) -> impl Iterator<Item = (Option<&Snapshot>, Option<&Snapshot>)> {
        let (mut xs, mut ys) = (
            self.month(a).iter().peekable(),
            self.month(b).iter().peekable(),
        );
        std::iter::from_fn(move || match (xs.peek(), ys.peek()) {
            (Some(x), Some(y)) if x.account == y.account => Some((xs.next(), ys.next())),
            (Some(x), Some(y)) if x.account < y.account => Some((xs.next(), None)),
            (Some(_), Some(_)) | (None, Some(_)) => Some((None, ys.next())),
            (Some(_), None) => Some((xs.next(), None)),
            (None, None) => None,
        })
    }
}

impl Movements {
    /// Adds one account's movement from `start` to `end` MRR (either may
    /// be 0: not a customer).
    fn add_account(&mut self, start: f64, end: f64) {
        self.rows = true;
        if start > 0.0 {
            self.add(Symbol::S, 1.0);
            self.add(Symbol::M, start);
            if end > 0.0 {
                let d = end - start;
                self.add(Symbol::X, d.max(0.0));
                self.add(Symbol::K, (-d).max(0.0));
                if d > 0.0 {
                    self.add(Symbol::XA, 1.0);
                }
            } else {
                self.add(Symbol::C, 1.0);
                self.add(Symbol::CM, start);
            }
        }
        if end > 0.0 {
            self.add(Symbol::E, 1.0);
            if start <= 0.0 {
                self.add(Symbol::N, 1.0);
                self.add(Symbol::NM, end);
                self.add(Symbol::NARR, 12.0 * end);
            }
        }
    }
}

impl Engine<'_> {
    /// Revenue movements, computed once per report (the breakdown is
    /// fixed for an engine; a KPI without it uses the total cells only).
    fn revenue_movements(&self, segmented: bool) -> Rc<Option<Table>> {
        let slot = usize::from(segmented);
        if let Some(t) = &self.revenue_cache.borrow()[slot] {
            return t.clone();
        }
        let t = Rc::new(movements(self, segmented));
        self.revenue_cache.borrow_mut()[slot] = Some(t.clone());
        t
    }
}

/// Computes the movements of every period and segment.
fn movements(engine: &Engine, segmented: bool) -> Option<Table> {
    let kind = TableKind::Revenue;
    let tables = engine.tables(kind);
    let months: Vec<i64> = engine
        .times(kind, "month")
        .iter()
        .map(|t| {
            if *t == NONE {
                i64::MIN
            } else {
                crate::calendar::month_index(*t)
            }
        })
        .collect();
    let mrr = engine.numbers(kind, "mrr");
    let segs = engine.segs(kind, segmented);
    // Account keys, local to this computation.
    let (accounts, _, _) = columns::global_keys(tables, "account_id", |l| {
        let l = l.trim();
        (!l.is_empty()).then(|| l.to_owned())
    });
    // Snapshots by month: (account, summed MRR, segment of its first row),
    // sorted by account, so each period is a merge of two sorted lists.
    let segs = segs.as_ref().map(|s| s.as_slice());
    let snapshots = Snapshots::build(&accounts, &months, &mrr, segs)?;
    period_movements(&snapshots, engine.settings.calendar, engine.ns(segmented))
}

/// The movements of every period of `cal` the snapshots cover (those with
/// a month before them in the data), over `ns` segments.
fn period_movements(snapshots: &Snapshots, cal: Calendar, ns: usize) -> Option<Table> {
    let (first, last) = (snapshots.first, snapshots.last());
    let local_of_month = |m: i64| {
        crate::calendar::days_from_civil(m.div_euclid(12), (m.rem_euclid(12) + 1) as u32, 1)
            .unwrap_or(0)
            * DAY
    };
    let span = |p: i32| cal.month_span(p).unwrap_or((0, 0));
    let mut p_min = cal.period(local_of_month(first));
    while span(p_min).0 - 1 < first {
        p_min += 1;
    }
    let p_max = cal.period(local_of_month(last));
    if p_min > p_max {
        return None;
    }
    let mut g = Grid::new((p_min, p_max), ns);
    g.defined_from = Some(p_min);
    g.absent = vec![false; g.np];
    let mut cells: Vec<Movements> = vec![Movements::default(); g.cells.len()];
    for p in p_min..=p_max {
        let (first_m, last_m) = span(p);
        let start_m = first_m - 1;
        let pi = (p - g.p0) as usize;
        g.incomplete[pi] = last_m > last;
        // The end is the last month of P the data has; without one, P has no point.
        let Some(end_m) = (first_m..=last_m.min(last))
            .rev()
            .find(|m| !snapshots.month(*m).is_empty())
        else {
            g.absent[pi] = true;
            continue;
        };
        cells[pi * g.ns].rows = true;
        for (s, e) in snapshots.pairs(start_m, end_m) {
            let start = s.map_or(0.0, |x| x.mrr);
            let end = e.map_or(0.0, |x| x.mrr);
            if start <= 0.0 && end <= 0.0 {
                continue;
            }
            let seg = if start > 0.0 { s } else { e }.and_then(|x| x.seg());
            let targets = std::iter::once(0).chain(seg.map(|s| s as usize + 1));
            for t in targets {
                cells[pi * g.ns + t].add_account(start, end);
            }
        }
    }
    Some(Table { grid: g, cells })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::Grain;

    fn expr(text: &str) -> RevenueExpr {
        text.parse().expect("a valid expression")
    }

    /// The sums of one cell, in the order of [`Symbol::ALL`] (the first
    /// nine; new MRR is checked on its own).
    fn sums(m: &Movements) -> [f64; 9] {
        std::array::from_fn(|i| m.get(Symbol::ALL[i].1))
    }

    #[test]
    fn new_accounts_bring_new_mrr_and_cost_joins_the_expression() {
        let mut m = Movements::default();
        m.add_account(0.0, 7.0);
        m.add_account(0.0, 3.0);
        m.add_account(10.0, 15.0);
        assert_eq!((m.get(Symbol::NM), m.get(Symbol::NARR)), (10.0, 120.0));
        // ROI: (12 × 10 − 40) ÷ 40; payback: 40 ÷ 10; unknown spend: null.
        assert_eq!(with_cost(&expr("NARR - cost"), &m, Some(40.0)), Some(80.0));
        assert_eq!(with_cost(&expr("cost"), &m, Some(40.0)), Some(40.0));
        assert_eq!(with_cost(&expr("NARR - cost"), &m, None), None);
        assert_eq!(with_cost(&expr("NM"), &m, None), Some(10.0));
    }

    #[test]
    fn each_account_moves_one_way() {
        let check = |start: f64, end: f64, expected: [f64; 9]| {
            let mut m = Movements::default();
            m.add_account(start, end);
            assert!(m.rows);
            assert_eq!(sums(&m), expected, "{start} → {end}");
        };
        //                  S    E    N    C    X    K    CM    M    XA
        check(10.0, 15.0, [1.0, 1.0, 0.0, 0.0, 5.0, 0.0, 0.0, 10.0, 1.0]);
        check(10.0, 4.0, [1.0, 1.0, 0.0, 0.0, 0.0, 6.0, 0.0, 10.0, 0.0]);
        check(10.0, 10.0, [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 0.0]);
        check(10.0, 0.0, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 10.0, 10.0, 0.0]);
        check(0.0, 7.0, [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn expressions_are_signed_sums_of_the_cell() {
        let mut m = Movements::default();
        m.add_account(10.0, 15.0);
        m.add_account(20.0, 0.0);
        m.add_account(0.0, 5.0);
        // NRR: (M + X − K − CM) ÷ M = (30 + 5 − 0 − 20) ÷ 30.
        assert_eq!(evaluate(&expr("M + X - K - CM"), &m), 15.0);
        assert_eq!(evaluate(&expr("M"), &m), 30.0);
        assert_eq!(evaluate(&expr("E - N"), &m), 1.0);
        assert_eq!(evaluate(&expr("- - S"), &m), 2.0);
    }

    #[test]
    fn snapshots_sum_an_account_s_rows_of_a_month_in_account_order() {
        // Months 5 and 7 (6 has none); account 2's rows of month 5 add up,
        // keeping the segment of its first row; a row without an account or
        // a month is left out.
        let accounts = [Some(2), Some(1), Some(2), None, Some(1), Some(3)];
        let months = [5, 5, 5, 5, 7, i64::MIN];
        let mrr = [1.0, 2.0, f64::NAN, 9.0, 4.0, 9.0];
        let segs = [0, 1, 1, 0, 0, 0];
        let s = Snapshots::build(&accounts, &months, &mrr, Some(&segs)).expect("snapshots");
        assert_eq!((s.first, s.last()), (5, 7));
        let month = |m: i64| -> Vec<(u32, u32, f64)> {
            s.month(m)
                .iter()
                .map(|e| (e.account, e.seg, e.mrr))
                .collect()
        };
        assert_eq!(month(5), [(1, 1, 2.0), (2, 0, 1.0)]);
        assert_eq!(month(6), []);
        assert_eq!(month(7), [(1, 0, 4.0)]);
        assert_eq!(month(8), []);
        let pairs: Vec<_> = s
            .pairs(5, 7)
            .map(|(a, b)| (a.map(|x| x.account), b.map(|x| x.account)))
            .collect();
        assert_eq!(pairs, [(Some(1), Some(1)), (Some(2), None)]);
        assert!(Snapshots::build(&[None], &[5], &[1.0], None).is_none());
    }

    #[test]
    fn quarters_compare_the_month_before_with_their_last_month() {
        // 2026-01 to 2026-06 but March, one account: 10 in January and
        // February, 0 in April, 30 in May and June.
        let accounts = [Some(0); 5];
        let months = [
            2026 * 12,
            2026 * 12 + 1,
            2026 * 12 + 3,
            2026 * 12 + 4,
            2026 * 12 + 5,
        ];
        let mrr = [10.0, 10.0, 0.0, 30.0, 30.0];
        let s = Snapshots::build(&accounts, &months, &mrr, None).expect("snapshots");
        let cal = Calendar::new(Grain::Quarter, 1);
        let t = period_movements(&s, cal, 1).expect("movements");
        // Q1 has no month before it in the data: Q2 is the first period,
        // from March (no snapshot: 0) to June (30): a new customer.
        let q2 = 2026 * 4 + 1;
        assert_eq!(t.grid.defined_from, Some(q2));
        assert_eq!(t.grid.range, Some((q2, q2)));
        let i = t.grid.at(q2, 0).expect("inside");
        assert_eq!(
            sums(&t.cells[i]),
            [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert!(!t.grid.incomplete[i]);
        assert!(t.grid.absent.iter().all(|a| !a));
    }
}
