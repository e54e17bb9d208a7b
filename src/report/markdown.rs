//! The whole report as Markdown, in the review's order: summary with the
//! headline KPIs, trends, the funnel stages, segments, findings, action
//! items, pacing, diagnostics and data quality. Rendered from the document
//! alone (`kpidash report --format markdown`, the page's download).

use std::fmt::Write;

use crate::catalog::{Indicator, Stage, Unit};
use crate::config::ActionStatus;

use super::review::{FindingKind, Polarity};
use super::{KpiResult, Report, Status, words};

/// How many periods the trends table shows.
const TREND_PERIODS: usize = 6;
/// How many findings are listed.
const FINDINGS: usize = 10;

/// The report as a Markdown document.
pub fn to_markdown(r: &Report) -> String {
    let mut s = String::new();
    let rv = &r.review;
    let cur = rv.currency.as_deref();
    let value = |k: &KpiResult, v: Option<f64>| match v {
        Some(v) => words::value(k.unit, v, cur),
        None => "–".to_owned(),
    };
    let change = |c: Option<f64>| match c {
        Some(c) if c > 0.0 => format!("▲ {}", words::percent(c)),
        Some(c) if c < 0.0 => format!("▼ {}", words::percent(-c)),
        Some(_) => "±0%".to_owned(),
        None => "–".to_owned(),
    };
    let status = |st: Option<Status>| match st {
        Some(Status::OnTrack) => "on track",
        Some(Status::OffTrack) => "off track",
        None => "",
    };
    let kpi = |id: &str| r.kpis.iter().find(|k| k.id == id);

    let _ = writeln!(s, "# KPI review: {}\n", rv.label);
    let by =
        r.by.as_deref()
            .map(|b| format!(", by {b}"))
            .unwrap_or_default();
    let running = if rv.running { " (still running)" } else { "" };
    let _ = writeln!(
        s,
        "{} {}{running}, {} to {}{by}. Data as of {}.\n",
        words::capitalised(&rv.grain),
        rv.period,
        rv.start,
        rv.end,
        r.as_of
    );

    // 1. Executive summary.
    let _ = writeln!(s, "## Executive summary\n");
    for sentence in &rv.summary {
        let _ = writeln!(s, "- {sentence}");
    }
    let _ = writeln!(
        s,
        "\n| KPI | Period | Value | vs previous | vs year ago | Target | Status |\n|---|---|---:|---:|---:|---:|---|"
    );
    for h in &rv.headlines {
        let Some(k) = kpi(&h.kpi) else { continue };
        if !h.available {
            let _ = writeln!(
                s,
                "| {} | – | unavailable | | | | {} |",
                k.name,
                h.reason.as_deref().unwrap_or("")
            );
            continue;
        }
        let mut shown = value(k, h.value);
        if let Some(f) = h.forecast.filter(|_| rv.running) {
            let _ = write!(shown, " (→ {})", words::value(k.unit, f, cur));
        }
        if let Some(m) = &h.maturing {
            let _ = write!(shown, "; {} so far for {}", value(k, m.value), m.period);
        }
        let _ = writeln!(
            s,
            "| {} | {} | {shown} | {} | {} | {} | {} |",
            k.name,
            h.period.as_deref().unwrap_or("–"),
            change(h.change),
            change(h.year_ago_change),
            h.target
                .map(|t| words::value(k.unit, t, cur))
                .unwrap_or_default(),
            status(h.status)
        );
    }

    // 2. Trends of the top KPIs.
    let _ = writeln!(s, "\n## Key metrics with trends\n");
    let periods: Vec<&String> = {
        let end = rv
            .periods
            .iter()
            .position(|p| p == &rv.period)
            .map_or(rv.periods.len(), |i| i + 1);
        rv.periods[end.saturating_sub(TREND_PERIODS)..end]
            .iter()
            .collect()
    };
    let _ = write!(s, "| KPI |");
    for p in &periods {
        let _ = write!(s, " {p} |");
    }
    let _ = write!(s, "\n|---|");
    for _ in &periods {
        let _ = write!(s, "---:|");
    }
    let _ = writeln!(s);
    for h in rv.headlines.iter().filter(|h| h.available) {
        let Some(k) = kpi(&h.kpi) else { continue };
        let _ = write!(s, "| {} |", k.name);
        for p in &periods {
            let point = k.points.iter().find(|q| {
                &&q.period == p && q.segment.is_none() && q.step.as_deref() == h.step.as_deref()
            });
            let cell = match point {
                Some(q) if q.incomplete => format!("{}*", value(k, q.value)),
                Some(q) => value(k, q.value),
                None => String::new(),
            };
            let _ = write!(s, " {cell} |");
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "\n\\* still maturing: the cohort can still convert.");

    // 3. Funnel stages.
    let _ = writeln!(s, "\n## Deep dives by funnel stage");
    for stage in [
        Stage::Awareness,
        Stage::Engagement,
        Stage::Conversion,
        Stage::Retention,
        Stage::Expansion,
    ] {
        let in_stage: Vec<&KpiResult> = r
            .kpis
            .iter()
            .filter(|k| k.stage == Some(stage) && k.available)
            .collect();
        if in_stage.is_empty() {
            continue;
        }
        let name = serde_json::to_value(stage)
            .ok()
            .and_then(|v| v.as_str().map(words::capitalised))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "\n### {name}\n\n| KPI | Leading/lagging | Period | Value | vs previous |\n|---|---|---|---:|---:|"
        );
        for k in in_stage {
            let (period, point) = settled_total(k, &rv.period);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                k.name,
                if k.indicator == Indicator::Leading {
                    "leading"
                } else {
                    "lagging"
                },
                period.unwrap_or("–"),
                value(k, point.and_then(|p| p.value)),
                change(point.and_then(|p| p.change))
            );
        }
    }

    // 4. Segments.
    if let Some(by) = &r.by {
        let _ = writeln!(s, "\n## Segments by {by}\n");
        let mut segments: Vec<&str> = r
            .kpis
            .iter()
            .flat_map(|k| k.points.iter().filter_map(|p| p.segment.as_deref()))
            .collect();
        segments.sort_unstable();
        segments.dedup();
        let _ = write!(s, "| KPI | Period | Total |");
        for seg in &segments {
            let _ = write!(s, " {seg} |");
        }
        let _ = write!(s, "\n|---|---|---:|");
        for _ in &segments {
            let _ = write!(s, "---:|");
        }
        let _ = writeln!(s);
        for h in rv
            .headlines
            .iter()
            .filter(|h| h.available && h.step.is_none())
        {
            let (Some(k), Some(period)) = (kpi(&h.kpi), &h.period) else {
                continue;
            };
            let _ = write!(s, "| {} | {period} | {} |", k.name, value(k, h.value));
            for seg in &segments {
                let v = k
                    .points
                    .iter()
                    .find(|p| {
                        &p.period == period && p.segment.as_deref() == Some(seg) && p.step.is_none()
                    })
                    .and_then(|p| p.value);
                let _ = write!(
                    s,
                    " {} |",
                    v.map(|v| words::value(k.unit, v, cur)).unwrap_or_default()
                );
            }
            let _ = writeln!(s);
        }
    }
    if let Some(icp) = &rv.icp {
        let _ = writeln!(
            s,
            "\n### ICP against non-ICP\n\n| KPI | Period | ICP | Non-ICP |\n|---|---|---:|---:|"
        );
        for row in &icp.rows {
            let Some(k) = kpi(&row.kpi) else { continue };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                k.name,
                row.period,
                value(k, row.icp),
                value(k, row.non_icp)
            );
        }
    }

    // 5. Findings.
    let _ = writeln!(s, "\n## Opportunities & risks\n");
    if rv.findings.is_empty() {
        let _ = writeln!(
            s,
            "No significant move, gap or data problem in {}.",
            rv.label
        );
    }
    for (i, f) in rv.findings.iter().take(FINDINGS).enumerate() {
        let tag = match (f.kind, f.polarity) {
            (FindingKind::DataQuality, _) => "Data",
            (_, Polarity::Risk) => "Risk",
            (_, Polarity::Opportunity) => "Opportunity",
        };
        let _ = writeln!(s, "{}. **{tag}**: {}", i + 1, f.sentence);
    }
    if rv.findings.len() > FINDINGS {
        let _ = writeln!(
            s,
            "\n…and {} more in the page.",
            rv.findings.len() - FINDINGS
        );
    }

    // 6. Actions.
    let _ = writeln!(s, "\n## Action items & next steps\n");
    if rv.actions.is_empty() {
        let _ = writeln!(s, "No action items yet.");
    }
    for a in &rv.actions {
        let done = if a.status == ActionStatus::Done {
            "x"
        } else {
            " "
        };
        let mut extra = Vec::new();
        if let Some(o) = &a.owner {
            extra.push(format!("owner {o}"));
        }
        if let Some(d) = &a.due {
            extra.push(format!("due {d}"));
        }
        if let Some(k) = &a.kpi {
            extra.push(kpi(k).map_or_else(|| k.clone(), |k| k.name.clone()));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(", "))
        };
        let _ = writeln!(s, "- [{done}] {}{extra}", a.text);
    }

    // Pacing.
    if let Some(p) = &rv.pacing {
        let _ = writeln!(
            s,
            "\n## Budget pacing, {} ({}% elapsed)\n\n| | Spend to date | Budget to date | Budget | Remaining | Projected | Pacing | Status |\n|---|---:|---:|---:|---:|---:|---:|---|",
            p.label,
            (p.elapsed * 100.0).round()
        );
        let money = |v: Option<f64>| {
            v.map(|v| words::money(v, cur))
                .unwrap_or_else(|| "–".to_owned())
        };
        for row in &p.rows {
            let name = match (&row.dimension, &row.segment) {
                (Some(d), Some(seg)) => format!("{d}: {seg}"),
                _ => "Total".to_owned(),
            };
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {} | {} | {} | {} | {} |",
                money(row.spend_to_date),
                money(row.budget_to_date),
                money(row.budget),
                money(row.remaining),
                money(row.projected),
                row.pacing
                    .map(words::percent)
                    .unwrap_or_else(|| "–".to_owned()),
                status(row.status)
            );
        }
    }

    // Diagnostics.
    let _ = writeln!(
        s,
        "\n## Diagnostics\n\n| KPI | Period | Value | vs previous |\n|---|---|---:|---:|"
    );
    for k in r.kpis.iter().filter(|k| k.top.is_none()) {
        if !k.available {
            let _ = writeln!(
                s,
                "| {} | – | unavailable: {} | |",
                k.name,
                k.reason.as_deref().unwrap_or("")
            );
            continue;
        }
        let (period, point) = settled_total(k, &rv.period);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            k.name,
            period.unwrap_or("–"),
            value(k, point.and_then(|p| p.value)),
            change(point.and_then(|p| p.change))
        );
    }

    // Data quality.
    let _ = writeln!(
        s,
        "\n## Data quality\n\n| File | Kind | Rows | Coverage | Unparsed cells |\n|---|---|---:|---|---:|"
    );
    for t in &r.quality.tables {
        let coverage = t
            .coverage
            .as_ref()
            .map(|(a, b)| format!("{a} to {b}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {coverage} | {} |",
            t.file,
            t.kind.as_str(),
            words::value(Unit::Count, t.rows as f64, None),
            t.load.unparsed_cells
        );
    }
    if r.quality.duplicates_merged > 0 {
        let _ = writeln!(
            s,
            "\n{} people rows merged as duplicates.",
            r.quality.duplicates_merged
        );
    }
    s
}

/// A KPI's total for the review period, or its latest complete period
/// before it when the review period is still maturing (the first step of a
/// funnel KPI stands for it).
fn settled_total<'a>(
    k: &'a KpiResult,
    period: &str,
) -> (Option<&'a str>, Option<&'a super::Point>) {
    let step = k.points.iter().find_map(|p| p.step.as_deref());
    let best = k
        .points
        .iter()
        .filter(|p| p.segment.is_none() && p.step.as_deref() == step && p.period.as_str() <= period)
        .filter(|p| {
            !p.incomplete
                || p.period == period
                    && !k.points.iter().any(|q| {
                        q.incomplete
                            && q.period.as_str() <= period
                            && q.segment.is_none()
                            && q.period != p.period
                    })
        })
        .max_by(|a, b| (!a.incomplete, &a.period).cmp(&(!b.incomplete, &b.period)));
    (best.map(|p| p.period.as_str()), best)
}
