//! How findings name things in their sentences: what a KPI's numerator
//! counts ("customers", "activations"), a period's cohort, a segment and
//! the rest of its dimension, a value in its unit.

use crate::catalog::{KpiDef, Measure, Unit};
use crate::engine::time::Calendar;
use crate::model::TableKind;

use super::super::{KpiResult, words};
use super::findings::Context;
use super::series::Series;

/// What the numerator of a rate (or a count) counts, for impacts:
/// "customers", "activations", "leads"…
pub(super) fn noun(def: &KpiDef) -> String {
    let milestone = |m: &str| -> String {
        match m {
            "created_at" => "leads".into(),
            "mql_at" => "MQLs".into(),
            "sql_at" => "SQLs".into(),
            "customer_at" => "customers".into(),
            "activated_at" => "activations".into(),
            "signup_started_at" => "started signups".into(),
            "signup_completed_at" => "completed signups".into(),
            "trial_started_at" => "trials".into(),
            "first_feature_at" => "first feature uses".into(),
            other => format!(
                "{} conversions",
                other.trim_end_matches("_at").replace('_', " ")
            ),
        }
    };
    let table = |k: TableKind| -> String {
        match k {
            TableKind::People => "people",
            TableKind::Events => "events",
            TableKind::Deals => "deals",
            TableKind::Survey => "respondents",
            TableKind::Accounts | TableKind::Revenue => "accounts",
            _ => "units",
        }
        .into()
    };
    match &def.measure {
        Measure::Cohort {
            target, complement, ..
        } => {
            if *complement {
                "people who dropped out".into()
            } else {
                milestone(target)
            }
        }
        Measure::AllTasks { .. } => "people completing every task".into(),
        Measure::Funnel { .. } => "people dropping off".into(),
        Measure::Ratio { numerator, .. } if numerator.table == TableKind::People => {
            milestone(&numerator.anchor)
        }
        Measure::Ratio { numerator, .. } => table(numerator.table),
        Measure::Simple { of } if of.table == TableKind::People => milestone(&of.anchor),
        Measure::Simple { of } => table(of.table),
        _ => "units".into(),
    }
}

/// What the denominator of a cost per unit counts ("customers" for CAC).
pub(super) fn unit_noun(def: &KpiDef) -> String {
    match &def.measure {
        Measure::Ratio { denominator, .. } if denominator.table == TableKind::People => {
            match denominator.anchor.as_str() {
                "created_at" => "lead".into(),
                "customer_at" => "customer".into(),
                "mql_at" => "MQL".into(),
                other => other.trim_end_matches("_at").replace('_', " "),
            }
        }
        Measure::Ratio { denominator, .. } if denominator.table == TableKind::Spend => {
            "conversion".into()
        }
        _ => "unit".into(),
    }
}

pub(super) fn plural(n: f64, one: &str, many: &str) -> String {
    if (n.round() - 1.0).abs() < f64::EPSILON {
        one.to_owned()
    } else {
        many.to_owned()
    }
}

/// A value for a sentence.
pub(super) fn val(k: &KpiResult, v: f64, ctx: &Context) -> String {
    words::value(k.unit, v, ctx.currency)
}

/// "for the May 2026 cohort" (or "for the cohort of week 41 of 2026") or
/// "in May 2026".
pub(super) fn when(s: &Series, p: i32, ctx: &Context) -> String {
    if s.def.window_days().is_some() {
        cohort(ctx.calendar, p)
    } else {
        format!("in {}", ctx.period(p))
    }
}

/// "for the May 2026 cohort", "for the cohort of week 41 of 2026".
pub(super) fn cohort(calendar: Calendar, p: i32) -> String {
    let name = words::period(calendar, p);
    match calendar.grain {
        crate::engine::time::Grain::Week | crate::engine::time::Grain::Day => {
            format!("for the cohort of {name}")
        }
        _ => format!("for the {name} cohort"),
    }
}

/// The name of a KPI (and step) at the start of a sentence.
pub(super) fn subject(s: &Series, step: Option<&str>) -> String {
    let name = words::capitalised(&words::in_sentence(&s.kpi.name));
    match step {
        Some(st) => format!("{name} at {}", st.trim_end_matches("_at").replace('_', " ")),
        None => name,
    }
}

/// How a segment is named: "paid social", "ICP accounts".
pub(super) fn segment_name(dimension: &str, segment: &str) -> String {
    match (dimension, segment) {
        ("icp", "true") => "ICP accounts".into(),
        ("icp", "false") => "non-ICP accounts".into(),
        (d, "(none)") => format!("rows without a {}", d.replace('_', " ")),
        _ => words::segment(segment),
    }
}

/// How the rest of a segment's dimension is named: "the other channels".
pub(super) fn rest_name(dimension: &str, segment: &str) -> String {
    match (dimension, segment) {
        ("icp", "true") => "non-ICP accounts".into(),
        ("icp", "false") => "ICP accounts".into(),
        ("icp", _) => "the others".into(),
        (d, "(none)") => format!("the rows with a {}", d.replace('_', " ")),
        (d, _) => {
            let d = d.replace('_', " ");
            if d.ends_with('y') {
                format!("the other {}ies", &d[..d.len() - 1])
            } else if d.ends_with('s') {
                format!("the other {d}")
            } else {
                format!("the other {d}s")
            }
        }
    }
}

/// The unit a KPI's own differences are in.
pub(super) fn unit_name(u: Unit) -> String {
    serde_json::to_value(u)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
