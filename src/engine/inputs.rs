//! Input checks: the tables and columns a measure reads, and why a KPI
//! cannot be computed from the loaded tables (a missing table or column, a
//! series metric without rows, amounts in several currencies).

use super::Engine;
use super::columns;
use super::time::Grain;
use crate::catalog::{Aggregate, Measure};
use crate::model::TableKind;

/// Columns a measure reads, per table, in the order it reads them.
pub(crate) fn inputs(m: &Measure) -> Vec<(TableKind, String)> {
    let agg = |a: &Aggregate, out: &mut Vec<(TableKind, String)>| {
        out.push((a.table, a.anchor.clone()));
        if let Some(c) = &a.column {
            out.push((a.table, c.clone()));
        }
        for f in &a.filter {
            out.push((a.table, f.column.clone()));
        }
    };
    let mut out = Vec::new();
    let p = TableKind::People;
    match m {
        Measure::Simple { of } | Measure::PerDay { of } => agg(of, &mut out),
        Measure::Difference { of, minus } => {
            agg(of, &mut out);
            agg(minus, &mut out);
        }
        Measure::Ratio {
            numerator,
            denominator,
            population,
        } => {
            agg(numerator, &mut out);
            agg(denominator, &mut out);
            for c in population.iter().flatten() {
                out.push((denominator.table, c.column.clone()));
            }
        }
        Measure::Cohort {
            base,
            target,
            numerator_filter,
            ..
        } => {
            out.push((p, base.clone()));
            out.push((p, target.clone()));
            for f in numerator_filter {
                out.push((p, f.column.clone()));
            }
        }
        Measure::AllTasks { base, .. } | Measure::TaskScore { base, .. } => {
            out.push((p, base.clone()));
            out.push((p, "task_*".to_owned()));
        }
        Measure::Funnel { steps, .. } => {
            // The base; later steps count as far as the data has them
            // (`missing` asks for at least one).
            out.extend(steps.iter().take(1).map(|s| (p, s.clone())));
        }
        Measure::Duration {
            from,
            to,
            table,
            anchor,
            filter,
            ..
        } => {
            let t = table.unwrap_or(p);
            out.push((t, from.clone()));
            out.push((t, to.clone()));
            if let Some(a) = anchor.as_ref().filter(|a| *a != from && *a != to) {
                out.push((t, a.clone()));
            }
            for f in filter {
                out.push((t, f.column.clone()));
            }
        }
        Measure::Growth { of } => out = inputs(of),
        Measure::Revenue {
            numerator,
            denominator,
        } => {
            out.push((TableKind::Revenue, "account_id".to_owned()));
            out.push((TableKind::Revenue, "month".to_owned()));
            out.push((TableKind::Revenue, "mrr".to_owned()));
            if std::iter::once(numerator)
                .chain(denominator)
                .any(|e| e.reads_spend())
            {
                out.push((TableKind::Spend, "date".to_owned()));
                out.push((TableKind::Spend, "cost".to_owned()));
            }
        }
    }
    out
}

/// Whether a measure adds MRR amounts (rather than only counting customers,
/// which does not depend on the currency). Non-revenue measures reading
/// `mrr` add it.
fn adds_amounts(m: &Measure) -> bool {
    match m {
        Measure::Revenue {
            numerator,
            denominator,
        } => std::iter::once(numerator)
            .chain(denominator)
            .any(|e| e.adds_amounts()),
        Measure::Growth { of } => adds_amounts(of),
        _ => true,
    }
}

impl Engine<'_> {
    /// Columns a measure reads, per table, in the order it reads them.
    pub fn inputs(m: &Measure) -> Vec<(TableKind, String)> {
        inputs(m)
    }

    /// What is missing for a measure, if anything.
    pub(super) fn missing(&self, m: &Measure) -> Option<String> {
        if matches!(m, Measure::Revenue { .. } | Measure::Growth { .. })
            && inputs(m).iter().any(|(k, _)| *k == TableKind::Revenue)
            && matches!(self.settings.calendar.grain, Grain::Day | Grain::Week)
        {
            return Some("revenue KPIs need a month, quarter or year grain".to_owned());
        }
        let mut missing_tables = Vec::new();
        let mut missing_columns = Vec::new();
        for (kind, column) in inputs(m) {
            if !self.has_table(kind) {
                if !missing_tables.contains(&kind) {
                    missing_tables.push(kind);
                }
                continue;
            }
            let ok = if column == "task_*" {
                self.prepared
                    .people
                    .as_ref()
                    .is_some_and(|p| !p.tasks.is_empty())
            } else {
                self.has_column(kind, &column)
            };
            let name = format!("{kind}.{column}");
            if !ok && !missing_columns.contains(&name) {
                missing_columns.push(name);
            }
        }
        if let Measure::Funnel { steps, .. } = m {
            let people = TableKind::People;
            if self.has_table(people) && !steps.iter().skip(1).any(|s| self.has_column(people, s)) {
                missing_columns.push(format!(
                    "people.{} (or any later funnel step)",
                    steps.get(1).map(String::as_str).unwrap_or("")
                ));
            }
        }
        // A series KPI needs rows of its metric, not only the table.
        if missing_tables.is_empty() && missing_columns.is_empty() {
            for a in m.aggregates() {
                for c in &a.filter {
                    if a.table == TableKind::Series
                        && c.column == "metric"
                        && let Some(serde_json::Value::String(metric)) = &c.eq
                    {
                        let name = format!("series rows of metric `{}`", metric.trim());
                        let rows = self.mask(a.table, std::slice::from_ref(c));
                        if !rows.contains(&true) && !missing_columns.contains(&name) {
                            missing_columns.push(name);
                        }
                    }
                }
            }
        }
        let mut parts: Vec<String> = missing_tables
            .iter()
            .map(|k| format!("a {k} table"))
            .collect();
        parts.extend(missing_columns);
        if !parts.is_empty() {
            return Some(format!("needs {}", parts.join(" and ")));
        }
        // Amounts in several currencies cannot be added. (Revenue KPIs that
        // only count customers compare each account's MRR with zero and add
        // no amounts, so they stay.)
        let mut amounts: Vec<(TableKind, String)> = Vec::new();
        for (kind, column) in inputs(m) {
            if kind.spec().amounts.contains(&column.as_str()) && adds_amounts(m) {
                let currencies = self.currencies(kind);
                if currencies.len() > 1 {
                    return Some(format!(
                        "{kind}.{column} mixes currencies ({}); amounts are not added across currencies",
                        currencies.join(", ")
                    ));
                }
                amounts.push((kind, column));
            }
        }
        // Amounts of two tables combined (budget and spend, revenue and
        // spend) must be in the same currency.
        let mut seen: Vec<(String, String)> = Vec::new();
        for (kind, column) in &amounts {
            for c in self.currencies(*kind) {
                if let Some((other, oc)) = seen.iter().find(|(_, o)| *o != c) {
                    return Some(format!(
                        "{other} is in {oc} and {kind}.{column} in {c}; amounts are not combined across currencies"
                    ));
                }
                seen.push((format!("{kind}.{column}"), c));
            }
        }
        None
    }

    /// Distinct currencies of a table kind (upper-cased, trimmed).
    pub fn currencies(&self, kind: TableKind) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.tables(kind) {
            if let Some(a) = t.column("currency") {
                let (_, labels) = columns::text_keys(a);
                for l in labels {
                    let c = l.trim().to_uppercase();
                    if !c.is_empty() && !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Agg, Condition, DurationStat};

    fn count(table: TableKind, anchor: &str, filter: &[&str]) -> Aggregate {
        Aggregate {
            agg: Agg::Count,
            table,
            anchor: anchor.to_owned(),
            column: None,
            filter: filter
                .iter()
                .map(|c| Condition {
                    column: (*c).to_owned(),
                    eq: None,
                    not_null: Some(true),
                })
                .collect(),
            spread: None,
            to_date: false,
        }
    }

    fn check(m: Measure, expected: &[(TableKind, &str)]) {
        let got = inputs(&m);
        let got: Vec<(TableKind, &str)> = got.iter().map(|(k, c)| (*k, c.as_str())).collect();
        assert_eq!(got, expected, "{m:?}");
    }

    #[test]
    fn inputs_are_the_columns_a_measure_reads_in_order() {
        use TableKind::{People, Revenue, Spend};
        check(
            Measure::Simple {
                of: count(People, "created_at", &["mql_at"]),
            },
            &[(People, "created_at"), (People, "mql_at")],
        );
        check(
            Measure::Ratio {
                numerator: Aggregate {
                    agg: Agg::Sum,
                    column: Some("cost".to_owned()),
                    ..count(Spend, "date", &[])
                },
                denominator: count(People, "created_at", &[]),
                population: Some(vec![Condition {
                    column: "icp".to_owned(),
                    eq: None,
                    not_null: None,
                }]),
            },
            &[
                (Spend, "date"),
                (Spend, "cost"),
                (People, "created_at"),
                (People, "icp"),
            ],
        );
        check(
            Measure::Funnel {
                steps: vec!["created_at".to_owned(), "mql_at".to_owned()],
                window_days: 30.0,
            },
            &[(People, "created_at")],
        );
        check(
            Measure::TaskScore {
                base: "signup_completed_at".to_owned(),
                window_days: 14.0,
            },
            &[(People, "signup_completed_at"), (People, "task_*")],
        );
        check(
            Measure::Growth {
                of: Box::new(Measure::Duration {
                    from: "created_at".to_owned(),
                    to: "first_contacted_at".to_owned(),
                    stat: DurationStat::Median,
                    within_hours: None,
                    table: None,
                    anchor: None,
                    filter: Vec::new(),
                    unit: None,
                }),
            },
            &[(People, "created_at"), (People, "first_contacted_at")],
        );
        check(
            Measure::Revenue {
                numerator: "E".parse().expect("valid"),
                denominator: None,
            },
            &[
                (Revenue, "account_id"),
                (Revenue, "month"),
                (Revenue, "mrr"),
            ],
        );
    }

    #[test]
    fn only_revenue_counts_of_customers_add_no_amounts() {
        let revenue = |n: &str, d: Option<&str>| Measure::Revenue {
            numerator: n.parse().expect("valid"),
            denominator: d.map(|d| d.parse().expect("valid")),
        };
        assert!(!adds_amounts(&revenue("E - N", Some("S"))));
        assert!(adds_amounts(&revenue("S - C", Some("M"))));
        assert!(adds_amounts(&revenue("M + X - K - CM", Some("M"))));
        assert!(adds_amounts(&Measure::Growth {
            of: Box::new(revenue("X", None))
        }));
        assert!(!adds_amounts(&Measure::Growth {
            of: Box::new(revenue("XA", None))
        }));
        assert!(adds_amounts(&Measure::Simple {
            of: count(TableKind::Revenue, "month", &[])
        }));
    }
}
