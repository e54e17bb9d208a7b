//! The report as plain text for the terminal (`kpidash report --format
//! table`): one block per KPI, its points as rows.

use std::fmt::Write;

use crate::catalog::Unit;

use super::{Report, Status};

/// Formats a value in its unit for people.
fn format_value(unit: Unit, v: Option<f64>) -> String {
    let Some(v) = v else {
        return "–".to_owned();
    };
    match unit {
        Unit::Rate => format!("{:.1}%", v * 100.0),
        Unit::Currency => format!("{v:.2}"),
        Unit::Count => {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        }
        Unit::Hours => format!("{v:.1} h"),
        Unit::Score => format!("{v:.1}"),
        Unit::PerDay => format!("{v:.2}/day"),
        Unit::Multiple => format!("{v:.2}×"),
        Unit::Months => format!("{v:.1} months"),
        Unit::Days => format!("{v:.1} days"),
    }
}

/// The report as a plain-text table: one block per KPI, periods as rows.
pub fn to_table(r: &Report) -> String {
    let mut s = String::new();
    let by =
        r.by.as_deref()
            .map(|b| format!(", by {b}"))
            .unwrap_or_default();
    let _ = writeln!(
        s,
        "kpidash report: {} grain{by}, as of {}\n",
        r.grain, r.as_of
    );
    for k in &r.kpis {
        if !k.available {
            let _ = writeln!(
                s,
                "{} — unavailable: {}\n",
                k.name,
                k.reason.as_deref().unwrap_or("")
            );
            continue;
        }
        let _ = writeln!(s, "{} ({})", k.name, k.id);
        if let Some(reason) = &k.reason {
            let _ = writeln!(s, "  note: {reason}");
        }
        for p in &k.points {
            let seg = p.segment.as_deref().unwrap_or("total");
            let step = p
                .step
                .as_deref()
                .map(|x| format!(" [{x}]"))
                .unwrap_or_default();
            let change = p
                .change
                .map(|c| format!("{:+.1}%", c * 100.0))
                .unwrap_or_default();
            let mark = if p.incomplete { " *" } else { "" };
            let mut outlook = String::new();
            if p.forecast.is_some() {
                // A forecast is an estimate: shown without the last
                // microsecond's trace (5, not 5.00 for 5.0000000001).
                let shown = p.forecast.map(|f| (f * 1e6).round() / 1e6);
                let _ = write!(outlook, "  → {}", format_value(k.unit, shown));
            }
            match p.status {
                Some(Status::OnTrack) => outlook.push_str("  on track"),
                Some(Status::OffTrack) => outlook.push_str("  off track"),
                None => {}
            }
            let _ = writeln!(
                s,
                "  {:<10} {:<20}{step} {:>14} {change:>8}{mark}{outlook}",
                p.period,
                seg,
                format_value(k.unit, p.value)
            );
        }
        let _ = writeln!(s);
    }
    s.push_str(
        "* incomplete: the period's cohorts can still convert, or revenue data ends inside it\n",
    );
    if r.kpis
        .iter()
        .any(|k| k.points.iter().any(|p| p.forecast.is_some()))
    {
        s.push_str("→ forecast: the value at the period's end if it goes on at the rate so far\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Area, Better, Indicator, Stage};
    use crate::quality::Quality;
    use crate::report::{KpiResult, Point};

    #[test]
    fn values_are_formatted_in_their_unit() {
        let check = |unit, v, expected: &str| {
            assert_eq!(format_value(unit, v), expected, "{unit:?} {v:?}");
        };
        check(Unit::Rate, None, "–");
        check(Unit::Rate, Some(0.1234), "12.3%");
        check(Unit::Rate, Some(1.0), "100.0%");
        check(Unit::Currency, Some(1234.5), "1234.50");
        check(Unit::Currency, Some(-3.0), "-3.00");
        check(Unit::Count, Some(3.0), "3");
        check(Unit::Count, Some(2.5), "2.50");
        check(Unit::Hours, Some(1.26), "1.3 h");
        check(Unit::Score, Some(87.0), "87.0");
        check(Unit::PerDay, Some(3.456), "3.46/day");
        check(Unit::Multiple, Some(1.234), "1.23×");
        check(Unit::Months, Some(12.04), "12.0 months");
        check(Unit::Days, Some(18.125), "18.1 days");
    }

    fn kpi(id: &str, name: &str, unit: Unit, points: Vec<Point>) -> KpiResult {
        KpiResult {
            id: id.to_owned(),
            name: name.to_owned(),
            definition: String::new(),
            unit,
            area: Area::Funnel,
            stage: Some(Stage::Conversion),
            indicator: Indicator::Lagging,
            better: Better::Up,
            inputs: Vec::new(),
            window_days: None,
            target: None,
            owner: None,
            top: None,
            available: true,
            reason: None,
            points,
        }
    }

    fn point(period: &str, segment: Option<&str>, step: Option<&str>, value: f64) -> Point {
        Point {
            period: period.to_owned(),
            segment: segment.map(str::to_owned),
            step: step.map(str::to_owned),
            value: Some(value),
            previous: None,
            change: None,
            numerator: None,
            denominator: None,
            incomplete: false,
            forecast: None,
            status: None,
        }
    }

    #[test]
    fn a_block_per_kpi_and_a_row_per_point() {
        let mut rate = kpi(
            "mql_rate",
            "MQL rate",
            Unit::Rate,
            vec![
                Point {
                    change: Some(0.1),
                    ..point("2026-05", None, None, 0.25)
                },
                Point {
                    change: Some(-0.034),
                    incomplete: true,
                    ..point("2026-06", Some("paid_search"), Some("mql"), 0.5)
                },
            ],
        );
        rate.reason = Some("no breakdown by channel: no channel column".to_owned());
        let mut spend = kpi("spend", "Spend", Unit::Currency, Vec::new());
        spend.available = false;
        spend.reason = Some("needs spend.cost".to_owned());
        let report = Report {
            as_of: "2026-06-30T23:59:59Z".to_owned(),
            grain: "month".to_owned(),
            by: Some("channel".to_owned()),
            tz: "+00:00".to_owned(),
            kpis: vec![rate, spend],
            quality: Quality {
                tables: Vec::new(),
                duplicates_merged: 0,
                duplicates_by_id: 0,
                duplicates_by_email: 0,
                people_from_events: 0,
                duplicate_deals: 0,
                out_of_order: Vec::new(),
                mixed_currencies: Vec::new(),
                budget_vs_spend: None,
            },
            review: Default::default(),
        };
        let expected = "\
kpidash report: month grain, by channel, as of 2026-06-30T23:59:59Z

MQL rate (mql_rate)
  note: no breakdown by channel: no channel column
  2026-05    total                         25.0%   +10.0%
  2026-06    paid_search          [mql]          50.0%    -3.4% *

Spend — unavailable: needs spend.cost

* incomplete: the period's cohorts can still convert, or revenue data ends inside it
";
        assert_eq!(to_table(&report), expected);
    }

    #[test]
    fn forecast_and_status_follow_the_row_where_present() {
        let leads = kpi(
            "new_leads",
            "New Leads",
            Unit::Count,
            vec![
                Point {
                    status: Some(Status::OffTrack),
                    ..point("2026-04", None, None, 120.0)
                },
                Point {
                    forecast: Some(214.4),
                    status: Some(Status::OnTrack),
                    ..point("2026-05", None, None, 83.0)
                },
                point("2026-05", Some("web"), None, 3.0),
            ],
        );
        let report = Report {
            as_of: "2026-05-12T23:59:59Z".to_owned(),
            grain: "month".to_owned(),
            by: None,
            tz: "+00:00".to_owned(),
            kpis: vec![leads],
            quality: Quality {
                tables: Vec::new(),
                duplicates_merged: 0,
                duplicates_by_id: 0,
                duplicates_by_email: 0,
                people_from_events: 0,
                duplicate_deals: 0,
                out_of_order: Vec::new(),
                mixed_currencies: Vec::new(),
                budget_vs_spend: None,
            },
            review: Default::default(),
        };
        let expected = "\
kpidash report: month grain, as of 2026-05-12T23:59:59Z

New Leads (new_leads)
  2026-04    total                           120           off track
  2026-05    total                            83           → 214.40  on track
  2026-05    web                               3         

* incomplete: the period's cohorts can still convert, or revenue data ends inside it
→ forecast: the value at the period's end if it goes on at the rate so far
";
        assert_eq!(to_table(&report), expected);
    }
}
