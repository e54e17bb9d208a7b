//! Shared helpers of the hand-checked rule tests (`rules`,
//! `config`, `stripe`, `load_rules`): build a session from inline CSV, run a report, look up
//! points, compare numbers.

use kpidash::report::{KpiResult, Point, Report};
use kpidash::{Session, TableKind};

/// Relative tolerance for hand-computed values (fractions like 1/3).
const TOL: f64 = 1e-9;

/// A session holding the given `(kind, csv)` tables, each loaded under the
/// file name `<kind>.csv` (or `<kind>_<n>.csv` when a kind repeats).
pub fn session(tables: &[(TableKind, &str)]) -> Session {
    session_with(tables, None)
}

/// [`session`] with a configuration applied first.
pub fn session_with(tables: &[(TableKind, &str)], config: Option<&str>) -> Session {
    let mut s = Session::default();
    if let Some(c) = config {
        s.set_config_json(c).expect("configuration is accepted");
    }
    for (i, (kind, csv)) in tables.iter().enumerate() {
        let name = format!("{kind}_{i}.csv");
        s.load(&name, csv.as_bytes(), Some(*kind))
            .unwrap_or_else(|e| panic!("loading {name}: {e}"));
    }
    s
}

/// Runs a report: grain, breakdown, explicit as-of date, time zone.
pub fn run(s: &Session, grain: &str, by: Option<&str>, as_of: Option<&str>, tz: &str) -> Report {
    let req = kpidash::Request::parse(Some(grain), by, as_of, Some(tz)).expect("request parses");
    s.report(&req).expect("report runs")
}

/// The KPI result of an id; panics when absent.
pub fn kpi<'a>(doc: &'a Report, id: &str) -> &'a KpiResult {
    doc.kpis
        .iter()
        .find(|k| k.id == id)
        .unwrap_or_else(|| panic!("KPI {id} missing from the report"))
}

/// The point of a KPI for a period, segment (None = total) and funnel step.
pub fn find<'a>(
    doc: &'a Report,
    id: &str,
    period: &str,
    segment: Option<&str>,
    step: Option<&str>,
) -> Option<&'a Point> {
    kpi(doc, id).points.iter().find(|p| {
        p.period == period && p.segment.as_deref() == segment && p.step.as_deref() == step
    })
}

/// The points of a KPI, one per line, for failure messages.
pub fn show_points(k: &KpiResult) -> String {
    let mut s = String::new();
    for p in &k.points {
        s.push_str(&format!(
            "\n  {} {:?} {:?} value={:?} prev={:?} change={:?} num={:?} den={:?} incomplete={}",
            p.period,
            p.segment,
            p.step,
            p.value,
            p.previous,
            p.change,
            p.numerator,
            p.denominator,
            p.incomplete
        ));
    }
    if let Some(r) = &k.reason {
        s.push_str(&format!("\n  reason: {r}"));
    }
    s
}

/// Whether two optional numbers agree (both null, or equal within [`TOL`]).
pub fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= TOL * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

/// The (period, segment) keys of a KPI's points with a given step, in order.
pub fn keys(doc: &Report, id: &str) -> Vec<(String, Option<String>)> {
    kpi(doc, id)
        .points
        .iter()
        .map(|p| (p.period.clone(), p.segment.clone()))
        .collect()
}

/// Expected value of one point: (KPI, period, segment, value).
pub type Value<'a> = (&'a str, &'a str, Option<&'a str>, Option<f64>);

/// Expected ratio point: (KPI, period, segment, step, value, numerator, denominator).
pub type Ratio<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

/// Expected previous and change: (KPI, period, segment, value, previous, change).
pub type Change<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

/// Collects every mismatch of a case, then fails once with all of them.
pub struct Checker {
    case: String,
    errors: Vec<String>,
}

impl Checker {
    /// A checker for a named case.
    pub fn new(case: &str) -> Checker {
        Checker {
            case: case.to_owned(),
            errors: Vec::new(),
        }
    }

    /// Records a failure unless `ok`.
    pub fn expect(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.errors.push(what());
        }
    }

    fn num(&mut self, key: &str, field: &str, actual: Option<f64>, expected: Option<f64>) {
        self.expect(same(actual, expected), || {
            format!("{key}: {field} is {actual:?}, expected {expected:?}")
        });
    }

    fn point<'a>(
        &mut self,
        doc: &'a Report,
        id: &str,
        period: &str,
        seg: Option<&str>,
        step: Option<&str>,
    ) -> Option<&'a Point> {
        let p = find(doc, id, period, seg, step);
        if p.is_none() {
            self.errors.push(format!(
                "{id} {period} {seg:?} {step:?}: no such point; points:{}",
                show_points(kpi(doc, id))
            ));
        }
        p
    }

    /// Checks point values.
    pub fn values(&mut self, doc: &Report, exp: &[Value]) {
        for (id, period, seg, value) in exp {
            if let Some(p) = self.point(doc, id, period, *seg, None) {
                self.num(&format!("{id} {period} {seg:?}"), "value", p.value, *value);
            }
        }
    }

    /// Checks values, numerators and denominators.
    pub fn ratios(&mut self, doc: &Report, exp: &[Ratio]) {
        for (id, period, seg, step, value, num, den) in exp {
            if let Some(p) = self.point(doc, id, period, *seg, *step) {
                let key = format!("{id} {period} {seg:?} {step:?}");
                self.num(&key, "value", p.value, *value);
                self.num(&key, "numerator", p.numerator, *num);
                self.num(&key, "denominator", p.denominator, *den);
            }
        }
    }

    /// Checks values, previous values and changes.
    pub fn changes(&mut self, doc: &Report, exp: &[Change]) {
        for (id, period, seg, value, previous, change) in exp {
            if let Some(p) = self.point(doc, id, period, *seg, None) {
                let key = format!("{id} {period} {seg:?}");
                self.num(&key, "value", p.value, *value);
                self.num(&key, "previous", p.previous, *previous);
                self.num(&key, "change", p.change, *change);
            }
        }
    }

    /// Checks the `incomplete` flag of points (total, no step).
    pub fn incomplete(&mut self, doc: &Report, exp: &[(&str, &str, bool)]) {
        for (id, period, flag) in exp {
            for p in kpi(doc, id).points.iter().filter(|p| p.period == *period) {
                self.expect(p.incomplete == *flag, || {
                    format!(
                        "{id} {period} {:?} {:?}: incomplete is {}, expected {flag}",
                        p.segment, p.step, p.incomplete
                    )
                });
            }
            self.expect(
                kpi(doc, id).points.iter().any(|p| p.period == *period),
                || format!("{id} {period}: no point to check `incomplete` on"),
            );
        }
    }

    /// Checks the exact set of (period, segment) keys of a KPI's points.
    pub fn keys(&mut self, doc: &Report, id: &str, expected: &[(&str, Option<&str>)]) {
        let mut actual = keys(doc, id);
        actual.sort();
        let mut expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(p, s)| (p.to_string(), s.map(str::to_owned)))
            .collect();
        expected.sort();
        self.expect(actual == expected, || {
            format!("{id}: points are {actual:?}, expected {expected:?}")
        });
    }

    /// Fails with every recorded mismatch.
    pub fn done(self) {
        assert!(
            self.errors.is_empty(),
            "{}: {} mismatch(es):\n{}",
            self.case,
            self.errors.len(),
            self.errors.join("\n")
        );
    }
}
