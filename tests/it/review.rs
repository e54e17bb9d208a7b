//! The review (`docs/review.md`) on tiny hand-made fixtures: the default
//! review period per grain, each findings rule with its threshold, impact
//! and driver arithmetic, a maturing cohort never flagged, and the year-ago
//! comparison across periods without data. Every expected number is worked
//! out by hand beside it.

use kpidash::TableKind::{People, Spend};
use kpidash::report::Report;
use kpidash::report::review::{Finding, FindingKind, Polarity};
use kpidash::{Request, Session};

use crate::support::session_with;

const TOL: f64 = 1e-9;

fn report(s: &Session, grain: &str, by: Option<&str>, as_of: &str, period: Option<&str>) -> Report {
    let req = Request::parse(Some(grain), by, Some(as_of), Some("+00:00"))
        .expect("request parses")
        .with_period(period);
    s.report(&req).expect("report runs")
}

fn close(actual: Option<f64>, expected: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: no value"));
    assert!(
        (a - expected).abs() <= TOL * expected.abs().max(1.0),
        "{what}: {a} != {expected}"
    );
}

/// The headline of a KPI; panics when it has none.
fn headline<'a>(doc: &'a Report, kpi: &str) -> &'a kpidash::report::review::Headline {
    doc.review
        .headlines
        .iter()
        .find(|h| h.kpi == kpi)
        .unwrap_or_else(|| panic!("no headline for {kpi}: {:?}", doc.review.headlines))
}

fn findings<'a>(doc: &'a Report, kind: FindingKind, kpi: &str) -> Vec<&'a Finding> {
    doc.review
        .findings
        .iter()
        .filter(|f| f.kind == kind && f.kpi.as_deref() == Some(kpi))
        .collect()
}

/// People rows `id,created_at,channel`: `n` leads on day `day` of each
/// month given as `(month, channel, n)`.
fn leads(rows: &[(&str, &str, usize)]) -> String {
    let mut csv = String::from("id,created_at,channel\n");
    let mut id = 0;
    for (month, channel, n) in rows {
        for i in 0..*n {
            id += 1;
            csv.push_str(&format!(
                "p{id},{month}-{:02}T09:00:00,{channel}\n",
                1 + i % 28
            ));
        }
    }
    csv
}

#[test]
fn the_default_review_period_is_the_latest_covered_to_its_last_day() {
    let csv = leads(&[
        ("2026-03", "paid", 3),
        ("2026-04", "paid", 3),
        ("2026-05", "paid", 3),
        ("2026-06", "paid", 3),
    ]);
    let s = session_with(&[(People, &csv)], None);
    // (grain, as-of, review period, running)
    let cases = [
        // 31 May is May's last day: May; 30 May is not: April.
        ("month", "2026-05-31", "2026-05", false),
        ("month", "2026-05-30", "2026-04", false),
        // ISO week 22 of 2026 is Mon 25 – Sun 31 May.
        ("week", "2026-05-31", "2026-W22", false),
        ("week", "2026-05-30", "2026-W21", false),
        // Q2 ends 30 June.
        ("quarter", "2026-06-30", "2026-Q2", false),
        ("quarter", "2026-06-29", "2026-Q1", false),
    ];
    for (grain, as_of, period, running) in cases {
        let doc = report(&s, grain, None, as_of, None);
        assert_eq!(doc.review.period, period, "{grain} as of {as_of}");
        assert_eq!(doc.review.running, running, "{grain} as of {as_of}");
    }
    // Any period can be asked for; the running one says so.
    let doc = report(&s, "month", None, "2026-06-20", Some("2026-06"));
    assert_eq!(
        (doc.review.period.as_str(), doc.review.running),
        ("2026-06", true)
    );
    assert_eq!(
        (doc.review.start.as_str(), doc.review.end.as_str()),
        ("2026-06-01", "2026-06-30")
    );
    assert_eq!(doc.review.previous_period, "2026-05");
    let req = Request::parse(Some("month"), None, Some("2026-06-20"), None)
        .expect("parses")
        .with_period(Some("2026-W11"));
    let e = s.report(&req).expect_err("a week is no month");
    assert!(
        e.to_string().contains("period '2026-W11' is not a month"),
        "{e}"
    );
}

#[test]
fn a_count_moves_when_z_reaches_the_threshold() {
    // April 4 leads, May 12: z = (12 − 4) / √(12 + 4) = 8 / 4 = 2 exactly.
    let csv = leads(&[("2026-04", "paid", 4), ("2026-05", "paid", 12)]);
    let at = |z: f64| {
        let config = format!(r#"{{"review": {{"z": {z}}}}}"#);
        let s = session_with(&[(People, &csv)], Some(&config));
        report(&s, "month", None, "2026-05-31", None)
    };
    let doc = at(2.0);
    let moves = findings(&doc, FindingKind::Move, "new_leads");
    assert_eq!(moves.len(), 1, "{:?}", doc.review.findings);
    let f = moves[0];
    close(f.z, 2.0, "z");
    // Impact: 12 − 4 = 8 leads; more leads is good.
    close(Some(f.impact), 8.0, "impact");
    assert_eq!(f.impact_unit, "leads");
    assert_eq!(f.polarity, Polarity::Opportunity);
    assert_eq!((f.value, f.compared), (Some(12.0), Some(4.0)));
    assert_eq!(f.period.as_deref(), Some("2026-05"));
    // Weight: 8 / 4 = 2, bounded as 2 / (1 + 2).
    close(Some(f.weight), 2.0 / 3.0, "weight");
    assert_eq!(
        f.sentence,
        "New leads rose 200% to 12 in May 2026 from 4 in April 2026."
    );
    // Just past the threshold: no move.
    assert!(findings(&at(2.0001), FindingKind::Move, "new_leads").is_empty());
}

#[test]
fn the_default_threshold_is_196() {
    // 15 against 6: 9 / √21 = 1.964 ≥ 1.96; 15 against 7: 8 / √22 = 1.706.
    for (april, moved) in [(6, true), (7, false)] {
        let csv = leads(&[("2026-04", "paid", april), ("2026-05", "paid", 15)]);
        let s = session_with(&[(People, &csv)], None);
        let doc = report(&s, "month", None, "2026-05-31", None);
        assert_eq!(
            !findings(&doc, FindingKind::Move, "new_leads").is_empty(),
            moved,
            "{april}"
        );
    }
}

/// People through signup and activation (14-day window), `n` signups of a
/// channel in a month of which `a` activated 3 days later.
fn activations(rows: &[(&str, &str, usize, usize)]) -> String {
    let mut csv = String::from("id,created_at,channel,signup_completed_at,activated_at\n");
    let mut id = 0;
    for (month, channel, n, a) in rows {
        for i in 0..*n {
            id += 1;
            let day = 1 + i % 20;
            let activated = if i < *a {
                format!("{month}-{:02}T09:00:00", day + 3)
            } else {
                String::new()
            };
            csv.push_str(&format!(
                "p{id},{month}-{day:02}T08:00:00,{channel},{month}-{day:02}T09:00:00,{activated}\n"
            ));
        }
    }
    csv
}

#[test]
fn a_rate_moves_by_two_proportion_z_with_its_drivers() {
    // April: paid 25/50, organic 25/50 → 50/100 = 0.5.
    // May:   paid 10/50, organic 25/50 → 35/100 = 0.35.
    let csv = activations(&[
        ("2026-04", "paid", 50, 25),
        ("2026-04", "organic", 50, 25),
        ("2026-05", "paid", 50, 10),
        ("2026-05", "organic", 50, 25),
    ]);
    let s = session_with(&[(People, &csv)], None);
    // As of 30 June the May cohort is complete: 1 June + 14 d < 30 June.
    let doc = report(&s, "month", Some("channel"), "2026-06-30", Some("2026-05"));
    let total: Vec<_> = findings(&doc, FindingKind::Move, "activation_rate")
        .into_iter()
        .filter(|f| f.segment.is_none())
        .collect();
    assert_eq!(total.len(), 1, "{:?}", doc.review.findings);
    let f = total[0];
    // Pooled p = 85/200 = 0.425; var = 0.425 · 0.575 · (1/100 + 1/100)
    // = 0.0048875; z = −0.15 / √0.0048875 = −2.14560.
    close(f.z, -0.15 / 0.0048875f64.sqrt(), "z");
    // 0.15 × 100 signups = 15 fewer activations.
    close(Some(f.impact), 15.0, "impact");
    assert_eq!(f.impact_unit, "activations");
    assert_eq!(f.polarity, Polarity::Risk);
    // Drivers: R_prev = 0.5, D = 100. paid: (−15 − 0.5·0)/100 = −0.15, the
    // whole change (share 1); organic: 0.
    let paid = &f.drivers[0];
    assert_eq!(paid.segment, "paid");
    close(Some(paid.contribution), -0.15, "paid contribution");
    close(paid.share, 1.0, "paid share");
    close(paid.numerator, -15.0, "paid Δ numerator");
    close(paid.denominator, 0.0, "paid Δ denominator");
    close(Some(f.drivers[1].contribution), 0.0, "organic contribution");
    assert!(
        f.sentence.contains("mostly from paid (−15 activations)"),
        "{}",
        f.sentence
    );

    // Paid's own move: 10/50 against 25/50: p = 0.35, var = 0.35 · 0.65 ·
    // 0.04 = 0.0091, z = −0.3 / √0.0091.
    let paid_move = findings(&doc, FindingKind::Move, "activation_rate")
        .into_iter()
        .find(|f| f.segment.as_deref() == Some("paid"))
        .expect("paid moved");
    close(paid_move.z, -0.3 / 0.0091f64.sqrt(), "paid z");

    // Segment gap in May: paid 10/50 = 0.2 against the rest (organic)
    // 25/50 = 0.5: z = −0.3/√0.0091, −60% relative; impact 0.3 × 50 = 15.
    let gaps = findings(&doc, FindingKind::SegmentGap, "activation_rate");
    let paid_gap = gaps
        .iter()
        .find(|f| f.segment.as_deref() == Some("paid"))
        .expect("paid gap");
    assert_eq!(
        (paid_gap.polarity, paid_gap.dimension.as_deref()),
        (Polarity::Risk, Some("channel"))
    );
    close(paid_gap.compared, 0.5, "rest rate");
    close(Some(paid_gap.impact), 15.0, "gap impact");
    close(paid_gap.change, -0.6, "gap relative");
    // Organic against its rest (paid) is the same gap seen from the other
    // side: with two segments only the one falling short is told.
    assert_eq!(gaps.len(), 1, "{gaps:?}");
}

#[test]
fn a_maturing_cohort_is_never_a_move_and_is_shown_so_far() {
    // March and April 20/40 each; May 2/40 (still maturing on 5 June:
    // 1 June + 14 d > 5 June).
    let csv = activations(&[
        ("2026-03", "paid", 40, 20),
        ("2026-04", "paid", 40, 20),
        ("2026-05", "paid", 40, 2),
    ]);
    let s = session_with(&[(People, &csv)], None);
    let doc = report(&s, "month", None, "2026-06-05", None);
    // As of 5 June, June is not covered: May is reviewed.
    assert_eq!(doc.review.period, "2026-05");
    assert!(
        findings(&doc, FindingKind::Move, "activation_rate").is_empty(),
        "{:?}",
        doc.review.findings
    );
    let h = headline(&doc, "activation_rate");
    // The latest complete cohort is April, 20/40, unchanged from March.
    assert_eq!(h.period.as_deref(), Some("2026-04"));
    close(h.value, 0.5, "April");
    close(h.change, 0.0, "April against March");
    let m = h.maturing.as_ref().expect("May is maturing");
    assert_eq!(
        (m.period.as_str(), m.first.as_str()),
        ("2026-05", "2026-05")
    );
    close(m.value, 0.05, "May so far: 2/40");
}

/// New Leads made a top KPI, so that it has a headline.
const NEW_LEADS_ON_TOP: &str = r#"{"kpis": {"new_leads": {"top": 1}}}"#;

#[test]
fn a_year_ago_reaches_across_periods_without_data() {
    // May 2025: 3 leads; nothing from June 2025 to March 2026; April 2026
    // 4, May 2026 6. Year-ago of May 2026 is May 2025: 3 → +100%.
    let csv = leads(&[
        ("2025-05", "paid", 3),
        ("2026-04", "paid", 4),
        ("2026-05", "paid", 6),
    ]);
    let s = session_with(&[(People, &csv)], None);
    let doc = report(&s, "month", None, "2026-05-31", None);
    assert_eq!(doc.review.year_ago_period.as_deref(), Some("2025-05"));
    let h = doc.review.headlines.iter().find(|h| h.kpi == "new_leads");
    // new_leads is no top KPI: its year-ago is checked on the point level
    // through a configuration that makes it one.
    assert!(h.is_none());
    let s = session_with(&[(People, &csv)], Some(NEW_LEADS_ON_TOP));
    let doc = report(&s, "month", None, "2026-05-31", None);
    let h = headline(&doc, "new_leads");
    assert_eq!(h.year_ago_period.as_deref(), Some("2025-05"));
    close(h.year_ago, 3.0, "May 2025");
    close(h.year_ago_change, 1.0, "(6 − 3) / 3");
    close(h.previous, 4.0, "April 2026");
    // Data starting in April 2026 has no May 2025: the period is named, the
    // value is null.
    let csv = leads(&[("2026-04", "paid", 4), ("2026-05", "paid", 6)]);
    let s = session_with(&[(People, &csv)], Some(NEW_LEADS_ON_TOP));
    let doc = report(&s, "month", None, "2026-05-31", None);
    let h = headline(&doc, "new_leads");
    assert_eq!(
        (h.year_ago_period.as_deref(), h.year_ago),
        (Some("2025-05"), None)
    );
}

#[test]
fn off_target_is_a_finding_sized_to_the_target() {
    // May 6 leads against a target of 10: 40% short, impact 4.
    let csv = leads(&[("2026-04", "paid", 6), ("2026-05", "paid", 6)]);
    let s = session_with(
        &[(People, &csv)],
        Some(r#"{"targets": {"new_leads": {"month": 10}}}"#),
    );
    let doc = report(&s, "month", None, "2026-05-31", None);
    let off = findings(&doc, FindingKind::OffTarget, "new_leads");
    assert_eq!(off.len(), 1, "{:?}", doc.review.findings);
    close(Some(off[0].impact), 4.0, "10 − 6");
    // Weight: 4 / 10 = 0.4, bounded as 0.4 / 1.4.
    close(Some(off[0].weight), 0.4 / 1.4, "4 / 10");
    assert_eq!(
        off[0].sentence,
        "New leads was 6 in May 2026, 40% short of its 10 target."
    );
}

#[test]
fn a_leading_kpi_falling_before_its_lagging_ones_is_an_early_warning() {
    // Conversion stage. Signup completion (leading, 7-day window): April
    // 80/100, May 50/100: z = −0.3 / √(0.65 · 0.35 · 0.02) = −4.45.
    // Conversion rate (lagging, 90 days) is still maturing for both months
    // on 30 June, so it cannot have moved.
    let mut csv = String::from("id,created_at,signup_started_at,signup_completed_at,customer_at\n");
    let mut id = 0;
    for (month, completed) in [("2026-04", 80), ("2026-05", 50)] {
        for i in 0..100 {
            id += 1;
            let day = 1 + i % 20;
            let done = if i < completed {
                format!("{month}-{day:02}T10:00:00")
            } else {
                String::new()
            };
            let customer = if i < 2 {
                format!("{month}-{:02}T10:00:00", day + 5)
            } else {
                String::new()
            };
            csv.push_str(&format!(
                "p{id},{month}-{day:02}T08:00:00,{month}-{day:02}T09:00:00,{done},{customer}\n"
            ));
        }
    }
    let s = session_with(&[(People, &csv)], None);
    let doc = report(&s, "month", None, "2026-06-30", Some("2026-05"));
    let warn = findings(&doc, FindingKind::EarlyWarning, "signup_completion_rate");
    assert_eq!(warn.len(), 1, "{:?}", doc.review.findings);
    close(warn[0].z, -0.3 / (0.65f64 * 0.35 * 0.02).sqrt(), "z");
    assert!(
        warn[0].sentence.contains("conversion rate"),
        "{}",
        warn[0].sentence
    );
    assert!(findings(&doc, FindingKind::Move, "conversion_rate").is_empty());
}

#[test]
fn a_costly_segment_is_sized_by_what_the_rest_would_have_paid() {
    // May: paid spent $3,000 for 3 customers ($1,000 each), search and
    // email $1,000 for 10 each ($100 each).
    let mut people = String::from("id,created_at,channel,customer_at\n");
    for i in 0..23 {
        let channel = match i {
            0..3 => "paid",
            3..13 => "search",
            _ => "email",
        };
        people.push_str(&format!(
            "p{i},2026-05-02T08:00:00,{channel},2026-05-{:02}T10:00:00\n",
            3 + i
        ));
    }
    let spend = "date,channel,campaign,cost\n2026-05-01,paid,a,3000\n\
                 2026-05-01,search,b,1000\n2026-05-01,email,c,1000\n";
    let s = session_with(&[(People, &people), (Spend, spend)], None);
    let doc = report(&s, "month", Some("channel"), "2026-05-31", None);
    let gaps = findings(&doc, FindingKind::SegmentGap, "customer_acquisition_cost");
    let paid = gaps
        .iter()
        .find(|f| f.segment.as_deref() == Some("paid"))
        .expect("paid gap");
    // The rest's cost is $2,000 / 20 = $100: $3,000 would have bought 30,
    // paid bought 3: z = (3 − 30) / √30; saved: 3,000 − 3 × 100 = $2,700.
    close(paid.z, -27.0 / 30f64.sqrt(), "paid z");
    close(Some(paid.impact), 2700.0, "paid impact");
    assert_eq!(
        (paid.impact_unit.as_str(), paid.polarity),
        ("currency", Polarity::Risk)
    );
    // Search against the rest's $4,000 / 13: $1,000 would have bought
    // 13/4 = 3.25, search bought 10: z = 6.75 / √3.25; its 10 customers
    // would have cost 10 × 4,000/13 − 1,000 = 27,000/13 = $2,076.92 more.
    let search = gaps
        .iter()
        .find(|f| f.segment.as_deref() == Some("search"))
        .expect("search gap");
    close(search.z, 6.75 / 3.25f64.sqrt(), "search z");
    close(Some(search.impact), 27000.0 / 13.0, "search impact");
    assert_eq!(search.polarity, Polarity::Opportunity);
}

#[test]
fn duplicates_above_five_percent_and_missing_top_inputs_are_data_findings() {
    let dup = |n: usize| {
        // 20 rows, the last `n` repeating the id of the first ones.
        let mut csv = String::from("id,created_at\n");
        for i in 0..20 {
            let id = if i >= 20 - n { i - (20 - n) } else { i };
            csv.push_str(&format!("p{id},2026-05-{:02}T09:00:00\n", 1 + i));
        }
        csv
    };
    let has = |doc: &Report, id: &str| {
        doc.review
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::DataQuality && f.id == id)
    };
    // 2 of 20 merged = 10% > 5%; 1 of 20 = 5% is not above.
    let s = session_with(&[(People, &dup(2))], None);
    let doc = report(&s, "month", None, "2026-05-31", None);
    assert!(
        has(&doc, "data_quality:duplicates:people"),
        "{:?}",
        doc.review.findings
    );
    let s = session_with(&[(People, &dup(1))], None);
    let doc = report(&s, "month", None, "2026-05-31", None);
    assert!(!has(&doc, "data_quality:duplicates:people"));
    // No spend: CAC, a top KPI, is unavailable and says what it needs.
    let f = doc
        .review
        .findings
        .iter()
        .find(|f| f.id == "data_quality:unavailable:customer_acquisition_cost")
        .expect("CAC unavailable");
    assert!(f.sentence.contains("spend"), "{}", f.sentence);
}

#[test]
fn too_few_counts_make_no_finding() {
    // April 1 lead, May 7: z = 6 / √8 = 2.12, but an average of 4 events is
    // below the 5 the test needs; with `min_expected: 0` it is a move.
    let csv = leads(&[("2026-04", "paid", 1), ("2026-05", "paid", 7)]);
    let run = |config: Option<&str>| {
        let s = session_with(&[(People, &csv)], config);
        report(&s, "month", None, "2026-05-31", None)
    };
    assert!(findings(&run(None), FindingKind::Move, "new_leads").is_empty());
    let doc = run(Some(r#"{"review": {"min_expected": 0}}"#));
    let moves = findings(&doc, FindingKind::Move, "new_leads");
    assert_eq!(moves.len(), 1, "{:?}", doc.review.findings);
    close(moves[0].z, 6.0 / 8f64.sqrt(), "z");
}
