//! Issue 10: hand-checked rule tests of the investment KPIs (budget pacing
//! and remaining, the return KPIs, the deal KPIs): budgets spread over the
//! days of their month (a week across two months), pacing on the as-of day,
//! outer joins both ways, payback without new MRR, deals duplicated by id,
//! open deals with a past expected close date, each KPI at the grains it
//! exists at.
//!
//! Every expected number is computed by hand from the inline CSV, the
//! arithmetic beside it.

use crate::support::{Checker, keys, kpi, run, session};
use kpidash::TableKind::{Budget, Deals, People, Revenue, Spend};

const UTC: &str = "+00:00";

// ---------------------------------------------------------------------------
// Budget pacing and remaining.
// ---------------------------------------------------------------------------

/// April: search 3000 (30 days, 100 a day). May: search 3100 (31 days, 100
/// a day), display 620 (20 a day), which has no spend.
const BUDGET: &str = "\
month,channel,budget
2026-04-01,search,3000
2026-05-01,search,3100
2026-05-01,display,620
";

/// Search spends 100 and 200 in the as-of's week, and 500 the day after the
/// as-of (ignored); email spends without a budget.
const SPEND: &str = "\
date,channel,cost
2026-04-27,search,100
2026-04-29,search,200
2026-04-30,search,500
2026-04-28,email,50
";

/// As-of Wednesday 2026-04-29, whose week 2026-W18 (04-27 .. 05-03) has
/// four April and three May days.
const AS_OF: &str = "2026-04-29";

#[test]
fn a_week_across_two_months_takes_each_months_share_of_the_budget() {
    let s = session(&[(Budget, BUDGET), (Spend, SPEND)]);
    let doc = run(&s, "week", Some("channel"), Some(AS_OF), UTC);
    let mut ck = Checker::new("budget by week");
    ck.ratios(
        &doc,
        &[
            // W18 to date (04-27, 28, 29 whole): search 3 × 100 = 300; spend
            // 100 + 200 + email 50 = 350 (04-30 is after the as-of).
            (
                "budget_pacing",
                "2026-W18",
                None,
                None,
                Some(350.0 / 300.0),
                Some(350.0),
                Some(300.0),
            ),
            (
                "budget_pacing",
                "2026-W18",
                Some("search"),
                None,
                Some(1.0),
                Some(300.0),
                Some(300.0),
            ),
            // Spend without budget: pacing null.
            (
                "budget_pacing",
                "2026-W18",
                Some("email"),
                None,
                None,
                Some(50.0),
                Some(0.0),
            ),
            // Display's budget days in W18 are all after the as-of: a point,
            // nothing to date.
            (
                "budget_pacing",
                "2026-W18",
                Some("display"),
                None,
                None,
                Some(0.0),
                Some(0.0),
            ),
            // W17 (04-20 .. 26): 7 × 100 of budget, no spend: pacing 0.
            (
                "budget_pacing",
                "2026-W17",
                Some("search"),
                None,
                Some(0.0),
                Some(0.0),
                Some(700.0),
            ),
            // W14 (03-30 .. 04-05): April's first 5 days, 500.
            (
                "budget_pacing",
                "2026-W14",
                None,
                None,
                Some(0.0),
                Some(0.0),
                Some(500.0),
            ),
            // Remaining: the whole week's budget minus spend to date. Search
            // 4 × 100 + 3 × 100 = 700 − 300; display 3 × 20 = 60; email
            // 0 − 50; total 760 − 350.
            (
                "budget_remaining",
                "2026-W18",
                None,
                None,
                Some(410.0),
                None,
                None,
            ),
            (
                "budget_remaining",
                "2026-W18",
                Some("search"),
                None,
                Some(400.0),
                None,
                None,
            ),
            (
                "budget_remaining",
                "2026-W18",
                Some("display"),
                None,
                Some(60.0),
                None,
                None,
            ),
            (
                "budget_remaining",
                "2026-W18",
                Some("email"),
                None,
                Some(-50.0),
                None,
                None,
            ),
            (
                "budget_remaining",
                "2026-W17",
                None,
                None,
                Some(700.0),
                None,
                None,
            ),
        ],
    );
    // The as-of's week is running; earlier weeks are complete.
    ck.incomplete(
        &doc,
        &[
            ("budget_pacing", "2026-W18", true),
            ("budget_pacing", "2026-W17", false),
            ("budget_remaining", "2026-W18", true),
        ],
    );
    // From April's first week to the as-of's; nothing after it (May's
    // budget weeks W19 ..).
    let periods: Vec<String> = keys(&doc, "budget_pacing")
        .into_iter()
        .filter(|(_, seg)| seg.is_none())
        .map(|(p, _)| p)
        .collect();
    ck.expect(
        periods == ["2026-W14", "2026-W15", "2026-W16", "2026-W17", "2026-W18"],
        || format!("budget_pacing weeks {periods:?}"),
    );
    ck.done();
}

#[test]
fn pacing_counts_the_as_of_day_whole_at_every_grain() {
    let s = session(&[(Budget, BUDGET), (Spend, SPEND)]);
    let mut ck = Checker::new("budget by day, month, quarter");
    // The as-of day: 100 of budget, 200 spent.
    let doc = run(&s, "day", None, Some(AS_OF), UTC);
    ck.ratios(
        &doc,
        &[(
            "budget_pacing",
            "2026-04-29",
            None,
            None,
            Some(2.0),
            Some(200.0),
            Some(100.0),
        )],
    );
    ck.incomplete(&doc, &[("budget_pacing", "2026-04-29", true)]);
    // April to date: 29 × 100 = 2900 against 350; the whole month 3000; May
    // is after the as-of.
    let doc = run(&s, "month", None, Some(AS_OF), UTC);
    ck.ratios(
        &doc,
        &[
            (
                "budget_pacing",
                "2026-04",
                None,
                None,
                Some(350.0 / 2900.0),
                Some(350.0),
                Some(2900.0),
            ),
            (
                "budget_remaining",
                "2026-04",
                None,
                None,
                Some(2650.0),
                None,
                None,
            ),
        ],
    );
    ck.keys(&doc, "budget_remaining", &[("2026-04", None)]);
    // Q2's whole budget: 3000 + 3100 + 620 = 6720; to date still 2900.
    let doc = run(&s, "quarter", None, Some(AS_OF), UTC);
    ck.ratios(
        &doc,
        &[
            (
                "budget_pacing",
                "2026-Q2",
                None,
                None,
                Some(350.0 / 2900.0),
                Some(350.0),
                Some(2900.0),
            ),
            (
                "budget_remaining",
                "2026-Q2",
                None,
                None,
                Some(6720.0 - 350.0),
                None,
                None,
            ),
        ],
    );
    ck.done();
}

#[test]
fn budget_and_spend_in_different_currencies_are_refused() {
    let budget = "month,channel,budget,currency\n2026-04-01,search,3000,EUR\n";
    let spend = "date,channel,cost,currency\n2026-04-02,search,100,USD\n";
    let s = session(&[(Budget, budget), (Spend, spend)]);
    let doc = run(&s, "month", None, Some(AS_OF), UTC);
    let mut ck = Checker::new("budget currencies");
    for id in ["budget_pacing", "budget_remaining"] {
        let k = kpi(&doc, id);
        ck.expect(
            !k.available && k.reason.as_deref().is_some_and(|r| r.contains("EUR")),
            || format!("{id}: available {} reason {:?}", k.available, k.reason),
        );
    }
    ck.done();
}

// ---------------------------------------------------------------------------
// Return on spend: new MRR against the period's spend.
// ---------------------------------------------------------------------------

/// Jan: a. Feb: a, and b (50) and c (30) new. Mar: no new account.
const MRR: &str = "\
account_id,month,mrr,channel,plan
a,2026-01-01,100,search,team
a,2026-02-01,100,search,team
b,2026-02-01,50,search,starter
c,2026-02-01,30,display,starter
a,2026-03-01,120,search,team
b,2026-03-01,50,search,starter
c,2026-03-01,30,display,starter
";

/// Feb: search 400, display 100. Mar: search 200. Apr: spend but no revenue
/// month.
const RETURN_SPEND: &str = "\
date,channel,cost
2026-01-15,search,10
2026-02-10,search,400
2026-02-20,display,100
2026-03-05,search,200
2026-04-02,search,70
";

#[test]
fn return_kpis_put_new_mrr_against_spend_and_payback_without_new_mrr_is_null() {
    let s = session(&[(Revenue, MRR), (Spend, RETURN_SPEND)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-04-30"), UTC);
    let mut ck = Checker::new("return");
    ck.ratios(
        &doc,
        &[
            // Feb: new MRR 50 + 30 = 80; spend 500. ROAS 12 × 80 ÷ 500.
            ("new_mrr", "2026-02", None, None, Some(80.0), None, None),
            (
                "roas",
                "2026-02",
                None,
                None,
                Some(960.0 / 500.0),
                Some(960.0),
                Some(500.0),
            ),
            (
                "marketing_roi",
                "2026-02",
                None,
                None,
                Some(460.0 / 500.0),
                Some(460.0),
                Some(500.0),
            ),
            (
                "cac_payback_months",
                "2026-02",
                None,
                None,
                Some(6.25),
                Some(500.0),
                Some(80.0),
            ),
            // By channel: search 12 × 50 ÷ 400, payback 400 ÷ 50; display
            // 12 × 30 ÷ 100, payback 100 ÷ 30.
            (
                "roas",
                "2026-02",
                Some("search"),
                None,
                Some(1.5),
                Some(600.0),
                Some(400.0),
            ),
            (
                "cac_payback_months",
                "2026-02",
                Some("search"),
                None,
                Some(8.0),
                Some(400.0),
                Some(50.0),
            ),
            (
                "roas",
                "2026-02",
                Some("display"),
                None,
                Some(3.6),
                Some(360.0),
                Some(100.0),
            ),
            (
                "cac_payback_months",
                "2026-02",
                Some("display"),
                None,
                Some(100.0 / 30.0),
                Some(100.0),
                Some(30.0),
            ),
            // Mar: no new account; spend 200. ROAS 0, ROI −1, payback null.
            ("new_mrr", "2026-03", None, None, Some(0.0), None, None),
            (
                "roas",
                "2026-03",
                None,
                None,
                Some(0.0),
                Some(0.0),
                Some(200.0),
            ),
            (
                "marketing_roi",
                "2026-03",
                None,
                None,
                Some(-1.0),
                Some(-200.0),
                Some(200.0),
            ),
            (
                "cac_payback_months",
                "2026-03",
                None,
                None,
                None,
                Some(200.0),
                Some(0.0),
            ),
        ],
    );
    // Points on revenue periods only: January starts before the data, April
    // has spend but no revenue month.
    for id in ["roas", "marketing_roi", "cac_payback_months", "new_mrr"] {
        let periods: Vec<String> = keys(&doc, id)
            .into_iter()
            .filter(|(_, seg)| seg.is_none())
            .map(|(p, _)| p)
            .collect();
        ck.expect(periods == ["2026-02", "2026-03"], || {
            format!("{id}: periods {periods:?}")
        });
    }
    // No breakdown by a dimension spend lacks (revenue's plan); none at week
    // grain.
    let doc = run(&s, "month", Some("plan"), Some("2026-04-30"), UTC);
    ck.expect(kpi(&doc, "roas").reason.is_some(), || {
        "roas by plan gives a reason".to_owned()
    });
    let doc = run(&s, "week", None, Some("2026-04-30"), UTC);
    ck.expect(!kpi(&doc, "roas").available, || {
        "roas at week grain is unavailable".to_owned()
    });
    ck.done();
}

// ---------------------------------------------------------------------------
// Deals: deduplicated by id, closed by `won`, placed by their close.
// ---------------------------------------------------------------------------

/// d1 twice: the second row was created earlier, so it is kept and the
/// first (500, closing 03-20) dropped. d3 is won without an amount; d4 lost;
/// d5 won but closed before created; d6 open with an expected close date in
/// the past; d7 won without a close date; d8 lost in April.
const DEALS: &str = "\
id,created_at,amount,closed_at,won,source
d1,2026-03-05T00:00:00,500,2026-03-20T00:00:00,true,search
d1,2026-03-01T00:00:00,1000,2026-03-11T12:00:00,true,search
d2,2026-03-02T00:00:00,2000,2026-03-12T00:00:00,true,display
d3,2026-03-03T00:00:00,,2026-03-25T00:00:00,true,search
d4,2026-03-04T00:00:00,800,2026-03-14T00:00:00,false,search
d5,2026-03-06T00:00:00,700,2026-03-01T00:00:00,true,search
d6,2026-03-07T00:00:00,3000,2026-03-10T00:00:00,,search
d7,2026-04-02T00:00:00,400,,true,search
d8,2026-02-20T00:00:00,100,2026-04-10T00:00:00,false,display
";

const DEAL_SPEND: &str = "\
date,channel,cost
2026-03-10,search,1000
2026-03-12,display,500
";

#[test]
fn deals_are_deduplicated_by_id_and_closed_deals_placed_by_their_close() {
    let s = session(&[(Deals, DEALS), (Spend, DEAL_SPEND)]);
    let doc = run(&s, "month", None, Some("2026-04-30"), UTC);
    let mut ck = Checker::new("deals by month");
    ck.ratios(
        &doc,
        &[
            // Created in March (the kept d1 1000, not the dropped 500): 1000 +
            // 2000 + (d3 none) + 800 + 700 + 3000 = 7500; spend 1500.
            (
                "pipeline_created",
                "2026-03",
                None,
                None,
                Some(7500.0),
                None,
                None,
            ),
            (
                "pipeline_created",
                "2026-02",
                None,
                None,
                Some(100.0),
                None,
                None,
            ),
            (
                "pipeline_created",
                "2026-04",
                None,
                None,
                Some(400.0),
                None,
                None,
            ),
            (
                "pipeline_to_spend",
                "2026-03",
                None,
                None,
                Some(5.0),
                Some(7500.0),
                Some(1500.0),
            ),
            // Closed in March: d1, d2, d3, d5 won, d4 lost (d6 is open): 4 of 5.
            (
                "win_rate",
                "2026-03",
                None,
                None,
                Some(0.8),
                Some(4.0),
                Some(5.0),
            ),
            // April: d8 lost; d7 has no close date.
            (
                "win_rate",
                "2026-04",
                None,
                None,
                Some(0.0),
                Some(0.0),
                Some(1.0),
            ),
            // Won with an amount: 1000 + 2000 + 700 over 3.
            (
                "average_deal_size",
                "2026-03",
                None,
                None,
                Some(3700.0 / 3.0),
                Some(3700.0),
                Some(3.0),
            ),
            // Won, close not before creation: d1 10.5 d, d2 10 d, d3 22 d
            // (d5 closed first); median 10.5.
            (
                "sales_cycle_days",
                "2026-03",
                None,
                None,
                Some(10.5),
                None,
                None,
            ),
        ],
    );
    // April has only a lost deal: no average size or cycle.
    ck.keys(&doc, "average_deal_size", &[("2026-03", None)]);
    ck.keys(&doc, "sales_cycle_days", &[("2026-03", None)]);
    ck.done();
}

#[test]
fn deal_kpis_break_down_by_source_as_channel() {
    let s = session(&[(Deals, DEALS), (Spend, DEAL_SPEND)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-04-30"), UTC);
    let mut ck = Checker::new("deals by channel");
    ck.ratios(
        &doc,
        &[
            // Search: 1000 + 800 + 700 + 3000 = 5500 over 1000; display 2000
            // over 500.
            (
                "pipeline_to_spend",
                "2026-03",
                Some("search"),
                None,
                Some(5.5),
                Some(5500.0),
                Some(1000.0),
            ),
            (
                "pipeline_to_spend",
                "2026-03",
                Some("display"),
                None,
                Some(4.0),
                Some(2000.0),
                Some(500.0),
            ),
            // Search closed: d1, d3, d5 won, d4 lost; display d2 won.
            (
                "win_rate",
                "2026-03",
                Some("search"),
                None,
                Some(0.75),
                Some(3.0),
                Some(4.0),
            ),
            (
                "win_rate",
                "2026-03",
                Some("display"),
                None,
                Some(1.0),
                Some(1.0),
                Some(1.0),
            ),
            (
                "win_rate",
                "2026-04",
                Some("display"),
                None,
                Some(0.0),
                Some(0.0),
                Some(1.0),
            ),
        ],
    );
    // Display's April has only a lost deal: win rate 0, no average size.
    ck.keys(
        &doc,
        "average_deal_size",
        &[
            ("2026-03", None),
            ("2026-03", Some("search")),
            ("2026-03", Some("display")),
        ],
    );
    ck.done();
}

#[test]
fn deal_kpis_exist_at_week_and_quarter() {
    let s = session(&[(Deals, DEALS), (Spend, DEAL_SPEND)]);
    let mut ck = Checker::new("deals by week and quarter");
    // Q1: March's deals and d8 (created in Feb); closes of Q1 as March's.
    let doc = run(&s, "quarter", None, Some("2026-04-30"), UTC);
    ck.ratios(
        &doc,
        &[
            (
                "pipeline_created",
                "2026-Q1",
                None,
                None,
                Some(7600.0),
                None,
                None,
            ),
            (
                "win_rate",
                "2026-Q1",
                None,
                None,
                Some(0.8),
                Some(4.0),
                Some(5.0),
            ),
            (
                "sales_cycle_days",
                "2026-Q1",
                None,
                None,
                Some(10.5),
                None,
                None,
            ),
        ],
    );
    // 2026-W11 (03-09 .. 15): d1 (03-11), d2 (03-12) won, d4 (03-14) lost.
    let doc = run(&s, "week", None, Some("2026-04-30"), UTC);
    ck.ratios(
        &doc,
        &[
            (
                "win_rate",
                "2026-W11",
                None,
                None,
                Some(2.0 / 3.0),
                Some(2.0),
                Some(3.0),
            ),
            (
                "average_deal_size",
                "2026-W11",
                None,
                None,
                Some(1500.0),
                Some(3000.0),
                Some(2.0),
            ),
            // 10.5 and 10 days.
            (
                "sales_cycle_days",
                "2026-W11",
                None,
                None,
                Some(10.25),
                None,
                None,
            ),
            // Created 03-02 .. 08 (W10): d2 2000, d3 none, d4 800, d5 700, d6 3000.
            (
                "pipeline_created",
                "2026-W10",
                None,
                None,
                Some(6500.0),
                None,
                None,
            ),
        ],
    );
    ck.done();
}

#[test]
fn mixed_deal_currencies_refuse_the_amount_kpis_but_not_win_rate() {
    let deals = "\
id,created_at,amount,closed_at,won,currency
m1,2026-04-02,1000,2026-04-20,true,USD
m2,2026-04-03,2000,2026-04-21,false,EUR
";
    let s = session(&[(Deals, deals)]);
    let doc = run(&s, "month", None, Some("2026-04-30"), UTC);
    let mut ck = Checker::new("deal currencies");
    for id in ["pipeline_created", "average_deal_size"] {
        let k = kpi(&doc, id);
        ck.expect(
            !k.available
                && k.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("currencies")),
            || format!("{id}: available {} reason {:?}", k.available, k.reason),
        );
    }
    ck.ratios(
        &doc,
        &[(
            "win_rate",
            "2026-04",
            None,
            None,
            Some(0.5),
            Some(1.0),
            Some(2.0),
        )],
    );
    ck.done();
}

#[test]
fn the_default_as_of_skips_budget_months_and_expected_close_dates() {
    // The open deal's expected close (09-01) and the December budget are
    // plans; the latest data is the won deal's close on 04-20.
    let deals = "\
id,created_at,amount,closed_at,won
w1,2026-04-02,1000,2026-04-20,true
o1,2026-04-03,2000,2026-09-01,
";
    let budget = "month,channel,budget\n2026-12-01,search,100\n";
    let people = "id,created_at\n1,2026-03-10T00:00:00\n";
    let s = session(&[(Deals, deals), (Budget, budget), (People, people)]);
    let doc = run(&s, "month", None, None, UTC);
    assert_eq!(doc.as_of, "2026-04-20T00:00:00Z");
}
