//! Two tables the review carries for the page: ICP against non-ICP for the
//! headline KPIs, and spend against budget by channel and campaign in the
//! current period (`docs/review.md`, "ICP" and "Pacing").

use serde::Serialize;

use crate::engine::time::Calendar;

use super::super::{KpiResult, Status};
use super::Headline;
use super::series::{Series, Test};

/// ICP against non-ICP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IcpComparison {
    /// One row per headline KPI with counts.
    pub rows: Vec<IcpRow>,
}

/// One KPI for ICP and non-ICP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IcpRow {
    /// KPI id.
    pub kpi: String,
    /// The period (the headline's).
    pub period: String,
    /// Value for `icp = true`.
    pub icp: Option<f64>,
    /// Value for `icp = false`.
    pub non_icp: Option<f64>,
    /// Denominator for `icp = true`.
    pub icp_denominator: Option<f64>,
    /// Denominator for `icp = false`.
    pub non_icp_denominator: Option<f64>,
}

/// The ICP rows of the headlines, from series broken down by `icp`; `None`
/// when no KPI has both sides.
pub fn icp(series: &[Series], headlines: &[Headline]) -> Option<IcpComparison> {
    let mut rows = Vec::new();
    for h in headlines {
        let Some(period) = &h.period else { continue };
        let Some(s) = series.iter().find(|s| s.kpi.id == h.kpi) else {
            continue;
        };
        if !matches!(s.test, Test::Proportion | Test::CostPerUnit) || !s.steps.is_empty() {
            continue;
        }
        let Some(p) = s.id(period) else {
            continue;
        };
        let yes = s.segment(p, "true", None);
        let no = s.segment(p, "false", None);
        if yes.is_none() || no.is_none() {
            continue;
        }
        rows.push(IcpRow {
            kpi: h.kpi.clone(),
            period: period.clone(),
            icp: yes.and_then(|q| q.value),
            non_icp: no.and_then(|q| q.value),
            icp_denominator: yes.and_then(|q| q.denominator),
            non_icp_denominator: no.and_then(|q| q.denominator),
        });
    }
    (!rows.is_empty()).then_some(IcpComparison { rows })
}

/// Spend against budget in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pacing {
    /// Period label.
    pub period: String,
    /// The same for people.
    pub label: String,
    /// Share of the period elapsed at the as-of time (0–1).
    pub elapsed: f64,
    /// The total, then by channel, then by campaign.
    pub rows: Vec<PacingRow>,
}

/// One line of the pacing table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PacingRow {
    /// `channel`, `campaign`, or `null` for the total.
    pub dimension: Option<String>,
    /// Segment label, `null` for the total.
    pub segment: Option<String>,
    /// Spend on or before the as-of date.
    pub spend_to_date: Option<f64>,
    /// Budget of the days on or before the as-of date.
    pub budget_to_date: Option<f64>,
    /// Budget of the whole period.
    pub budget: Option<f64>,
    /// Budget of the period minus spend to date.
    pub remaining: Option<f64>,
    /// Spend to date at its run rate to the period's end.
    pub projected: Option<f64>,
    /// Spend to date ÷ budget to date.
    pub pacing: Option<f64>,
    /// Against the pacing target.
    pub status: Option<Status>,
}

/// The pacing table from `budget_pacing` and `budget_remaining` by each
/// dimension (`by_dimension`: dimension → those two KPIs broken down by
/// it), for the period holding the as-of time when it has a budget, else
/// the latest period before it that has one.
pub fn pacing(
    by_dimension: &[(String, Vec<KpiResult>)],
    calendar: Calendar,
    as_of: i64,
) -> Option<Pacing> {
    let find =
        |ks: &'_ [KpiResult], id: &str| ks.iter().find(|k| k.id == id && k.available).cloned();
    let (_, first) = by_dimension.first()?;
    let pacing_total = find(first, "budget_pacing")?;
    let now = calendar.period(as_of);
    let label_now = calendar.label(now);
    let period = pacing_total
        .points
        .iter()
        .filter(|p| {
            p.segment.is_none() && p.denominator.is_some_and(|d| d > 0.0) && p.period <= label_now
        })
        .map(|p| p.period.clone())
        .max()?;
    let id = (now - 400..=now)
        .rev()
        .find(|&p| calendar.label(p) == period)?;
    let (start, end) = (calendar.start(id), calendar.end(id));
    let elapsed = ((as_of.min(end) - start) as f64 / (end - start) as f64).clamp(0.0, 1.0);
    let mut rows = Vec::new();
    let mut push = |dimension: Option<&str>, ks: &[KpiResult], segment: Option<&str>| {
        let (Some(pace), remaining) = (find(ks, "budget_pacing"), find(ks, "budget_remaining"))
        else {
            return;
        };
        let at = |k: &KpiResult| {
            k.points
                .iter()
                .find(|p| p.period == period && p.segment.as_deref() == segment && p.step.is_none())
                .cloned()
        };
        let Some(pt) = at(&pace) else { return };
        let rem = remaining.as_ref().and_then(at).and_then(|p| p.value);
        let spend = pt.numerator;
        rows.push(PacingRow {
            dimension: dimension.map(str::to_owned),
            segment: segment.map(str::to_owned),
            spend_to_date: spend,
            budget_to_date: pt.denominator,
            budget: rem.zip(spend).map(|(r, s)| r + s),
            remaining: rem,
            projected: spend.filter(|_| elapsed > 0.0).map(|s| s / elapsed),
            pacing: pt.value,
            status: pt.status,
        });
    };
    push(None, first, None);
    for (dimension, ks) in by_dimension {
        let Some(pace) = find(ks, "budget_pacing") else {
            continue;
        };
        let mut segments: Vec<String> = pace
            .points
            .iter()
            .filter(|p| p.period == period)
            .filter_map(|p| p.segment.clone())
            .collect();
        segments.sort();
        segments.dedup();
        for s in &segments {
            push(Some(dimension), ks, Some(s));
        }
    }
    Some(Pacing {
        period: period.clone(),
        label: super::super::words::period(calendar, id),
        elapsed,
        rows,
    })
}
