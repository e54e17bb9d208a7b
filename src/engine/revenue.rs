//! Revenue movements from monthly MRR snapshots (catalog §3, "Revenue").
//!
//! For a period P, each account's *start* is its MRR in the month before P
//! and its *end* its MRR in the last month of P the data has. Over accounts
//! the engine sums the symbols below; a KPI is a ratio of two sums of them.

use super::time::NONE;
use super::{Cell, Engine, Grid, Measure, columns, ratio};
use crate::model::TableKind;

/// The quantities a revenue KPI can combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// Start customers (start > 0).
    S,
    /// End customers (end > 0).
    E,
    /// New customers (start = 0, end > 0).
    N,
    /// Churned customers (start > 0, end = 0).
    C,
    /// Expansion MRR: Σ max(end − start, 0) over S with end > 0.
    X,
    /// Contraction MRR: Σ max(start − end, 0) over S with end > 0.
    K,
    /// Churned MRR: Σ start over C.
    CM,
    /// Start MRR: Σ start over S.
    M,
    /// Accounts of S whose MRR grew.
    XA,
}

const SYMBOLS: [(&str, Symbol); 9] = [
    ("S", Symbol::S),
    ("E", Symbol::E),
    ("N", Symbol::N),
    ("C", Symbol::C),
    ("X", Symbol::X),
    ("K", Symbol::K),
    ("CM", Symbol::CM),
    ("M", Symbol::M),
    ("XA", Symbol::XA),
];

/// Parses `M + X - K - CM` into signed symbols.
pub fn parse_expr(text: &str) -> Result<Vec<(f64, Symbol)>, String> {
    let mut out = Vec::new();
    let mut sign = 1.0;
    let mut expect_symbol = true;
    for token in text.split_whitespace().flat_map(split_signs) {
        match (token, expect_symbol) {
            ("+", true) => {}
            ("-", true) => sign = -sign,
            ("+", false) => {
                sign = 1.0;
                expect_symbol = true;
            }
            ("-", false) => {
                sign = -1.0;
                expect_symbol = true;
            }
            (name, true) => {
                let symbol = SYMBOLS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, s)| *s)
                    .ok_or_else(|| {
                        format!("revenue expression '{text}': unknown symbol '{name}' (use S, E, N, C, X, K, CM, M, XA with + and -)")
                    })?;
                out.push((sign, symbol));
                sign = 1.0;
                expect_symbol = false;
            }
            (name, false) => {
                return Err(format!(
                    "revenue expression '{text}': expected + or - before '{name}'"
                ));
            }
        }
    }
    if out.is_empty() || expect_symbol {
        return Err(format!("revenue expression '{text}' is incomplete"));
    }
    Ok(out)
}

fn split_signs(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if c == '+' || c == '-' {
            if start < i {
                out.push(&word[start..i]);
            }
            out.push(&word[i..i + 1]);
            start = i + 1;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// Sums of the symbols for one cell.
#[derive(Debug, Clone, Copy, Default)]
struct Movements {
    v: [f64; 9],
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

fn evaluate(expr: &[(f64, Symbol)], m: &Movements) -> f64 {
    expr.iter().map(|(sign, s)| sign * m.get(*s)).sum()
}

/// Movements of every period and segment, computed once per report.
#[derive(Debug, Clone)]
pub(super) struct Table {
    /// Grid layout (cells unused); `defined_from` is the first period with points.
    grid: Grid,
    /// Movements per cell, laid out like the grid.
    cells: Vec<Movements>,
}

/// Computes a revenue KPI grid.
pub(super) fn eval(
    engine: &Engine,
    numerator: &str,
    denominator: Option<&str>,
    segmented: bool,
) -> Grid {
    let (Ok(num), den) = (parse_expr(numerator), denominator.map(parse_expr)) else {
        return Grid::empty();
    };
    let den = match den {
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return Grid::empty(),
        None => None,
    };
    let cached = engine.revenue_movements(segmented);
    let Some(table) = cached.as_ref() else {
        return Grid::empty();
    };
    let mut g = table.grid.clone();
    let p_min = g.defined_from.unwrap_or(g.p0);
    for (i, m) in table.cells.iter().enumerate() {
        let p = g.p0 + (i / g.ns) as i32;
        if p < p_min || g.is_absent(p) {
            continue;
        }
        let n = evaluate(&num, m);
        g.cells[i] = match &den {
            Some(d) => {
                let d = evaluate(d, m);
                Cell {
                    value: ratio(Some(n), Some(d)),
                    num: Some(n),
                    den: Some(d),
                    rows: m.rows,
                }
            }
            None => Cell {
                value: Some(n),
                num: None,
                den: None,
                rows: m.rows,
            },
        };
    }
    g
}

/// Whether a measure adds MRR amounts (rather than only counting customers,
/// which does not depend on the currency). Non-revenue measures reading
/// `mrr` add it.
pub(super) fn adds_amounts(m: &Measure) -> bool {
    match m {
        Measure::Revenue {
            numerator,
            denominator,
        } => std::iter::once(numerator)
            .chain(denominator)
            .any(|e| match parse_expr(e) {
                Ok(terms) => terms
                    .iter()
                    .any(|(_, s)| matches!(s, Symbol::X | Symbol::K | Symbol::CM | Symbol::M)),
                Err(_) => true,
            }),
        Measure::Growth { of } => adds_amounts(of),
        _ => true,
    }
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

/// Computes the movements of every period and segment.
pub(super) fn movements(engine: &Engine, segmented: bool) -> Option<Table> {
    let cal = engine.settings.calendar;
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
    let (first, last) = (snapshots.first, snapshots.last());
    let local_of_month = |m: i64| {
        crate::calendar::days_from_civil(m.div_euclid(12), (m.rem_euclid(12) + 1) as u32, 1)
            .unwrap_or(0)
            * super::time::DAY
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
    let mut g = Grid::new((p_min, p_max), engine.ns(segmented));
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
                let c = &mut cells[pi * g.ns + t];
                c.rows = true;
                if start > 0.0 {
                    c.add(Symbol::S, 1.0);
                    c.add(Symbol::M, start);
                    if end > 0.0 {
                        let d = end - start;
                        c.add(Symbol::X, d.max(0.0));
                        c.add(Symbol::K, (-d).max(0.0));
                        if d > 0.0 {
                            c.add(Symbol::XA, 1.0);
                        }
                    } else {
                        c.add(Symbol::C, 1.0);
                        c.add(Symbol::CM, start);
                    }
                }
                if end > 0.0 {
                    c.add(Symbol::E, 1.0);
                    if start <= 0.0 {
                        c.add(Symbol::N, 1.0);
                    }
                }
            }
        }
    }
    Some(Table { grid: g, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        assert_eq!(
            parse_expr("E - N"),
            Ok(vec![(1.0, Symbol::E), (-1.0, Symbol::N)])
        );
        assert_eq!(
            parse_expr("M+X-K - CM"),
            Ok(vec![
                (1.0, Symbol::M),
                (1.0, Symbol::X),
                (-1.0, Symbol::K),
                (-1.0, Symbol::CM)
            ])
        );
        assert!(parse_expr("E * 2").is_err());
        assert!(parse_expr("E -").is_err());
        assert!(parse_expr("E N").is_err());
    }
}
