//! A Stripe subscription list becomes monthly MRR snapshots (a revenue table,
//! `docs/data-model.md`; rules in `src/load/stripe.rs`).
//!
//! Fixture `tests/fixtures/csv/stripe_subscription_history.csv`, eight
//! subscriptions (all times UTC):
//!
//! | sub | customer | status | plan | amount | billing months |
//! |---|---|---|---|---|---|
//! | alpha1 | cus_alpha | canceled | basic 30/month | 30 | Jan 10 → ended Apr 2: Jan Feb Mar |
//! | alpha2 | cus_alpha | active (the upgrade) | pro 80/month | 80 | Mar 20 → : Mar … Jun |
//! | bravo1 | cus_bravo | active | team 1,200/year × 2 | 1200 × 2 ÷ 12 = 200 | Feb 15 → : Feb … Jun |
//! | charlie | cus_charlie | active, trial Jan 20 → Feb 3 | plus 50/month | 50 | paid from Feb 3: Feb … Jun |
//! | delta1 | cus_delta | canceled Mar 15, ended Apr 5 | plus 50/month | 50 | Jan 5 → Apr 5: Jan Feb Mar |
//! | echo1 | cus_echo | canceled May 10, no Ended At | basic 30/month × 3 | 90 | Feb 1 → May 10: Feb Mar Apr |
//! | foxtrot | cus_foxtrot | incomplete | | | none (never billed) |
//! | golf1 | cus_golf | trialing Jun 10 → Jun 24 | | | none (still in trial) |
//!
//! The export's last month is June: the latest date that has happened is
//! golf1's start, 2026-06-10 (its trial end, Jun 24, is scheduled).
//!
//! Every expected number below is arithmetic on that table, not kpidash output.

use crate::support::{Checker, run, session_with};
use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use kpidash::TableKind::Revenue;
use kpidash::quality::SubscriptionExpansion;

const UTC: &str = "+00:00";

fn fixture() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csv/stripe_subscription_history.csv"
    );
    std::fs::read_to_string(path).unwrap()
}

/// `2026-03` of a month value (midnight of the month's first day, wall clock).
fn month_label(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    assert_eq!(micros.rem_euclid(86_400_000_000), 0, "month at midnight");
    // 2026-01-01 is day 20454; the fixture stays within 2026.
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = days - 20_454;
    for (m, len) in months.iter().enumerate() {
        if d < *len {
            assert_eq!(d, 0, "the first day of the month");
            return format!("2026-{:02}", m + 1);
        }
        d -= len;
    }
    panic!("month outside 2026: day {days}");
}

type Row = (&'static str, &'static str, f64, &'static str);

#[test]
fn a_subscription_list_becomes_customer_month_snapshots() {
    let t = kpidash::load::load(
        "stripe_subscription_history.csv",
        fixture().as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(t.kind, Revenue);
    assert!(t.kind_detected, "Stripe headers are detected");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["account_id", "month", "mrr", "plan"]);
    let sources: Vec<&str> = t.columns.iter().map(|c| c.source.as_str()).collect();
    assert_eq!(sources, ["Customer ID", "Start (UTC)", "Amount", "Plan"]);

    let account = t.column("account_id").unwrap().as_string::<i32>();
    let month = t
        .column("month")
        .unwrap()
        .as_primitive::<TimestampMicrosecondType>();
    assert_eq!(
        month.timezone(),
        None,
        "a month is wall-clock, not an instant"
    );
    let mrr = t.column("mrr").unwrap().as_primitive::<Float64Type>();
    let plan = t.column("plan").unwrap().as_string::<i32>();
    let got: Vec<(String, String, f64, String)> = (0..t.rows())
        .map(|i| {
            assert!(account.is_valid(i) && month.is_valid(i) && mrr.is_valid(i));
            (
                account.value(i).to_owned(),
                month_label(month.value(i)),
                mrr.value(i),
                plan.value(i).to_owned(),
            )
        })
        .collect();

    let want: [Row; 22] = [
        // alpha1 basic 30 Jan–Mar; alpha2 pro 80 Mar–Jun. March bills both:
        // 30 + 80 = 110, plan of the larger (pro 80 > basic 30).
        ("cus_alpha", "2026-01", 30.0, "price_basic_monthly"),
        ("cus_alpha", "2026-02", 30.0, "price_basic_monthly"),
        ("cus_alpha", "2026-03", 110.0, "price_pro_monthly"),
        ("cus_alpha", "2026-04", 80.0, "price_pro_monthly"),
        ("cus_alpha", "2026-05", 80.0, "price_pro_monthly"),
        ("cus_alpha", "2026-06", 80.0, "price_pro_monthly"),
        // 1,200 a year × quantity 2 ÷ 12 = 200 a month, Feb through June.
        ("cus_bravo", "2026-02", 200.0, "price_team_yearly"),
        ("cus_bravo", "2026-03", 200.0, "price_team_yearly"),
        ("cus_bravo", "2026-04", 200.0, "price_team_yearly"),
        ("cus_bravo", "2026-05", 200.0, "price_team_yearly"),
        ("cus_bravo", "2026-06", 200.0, "price_team_yearly"),
        // Trial Jan 20 → Feb 3: nothing in January, 50 from February.
        ("cus_charlie", "2026-02", 50.0, "price_plus_monthly"),
        ("cus_charlie", "2026-03", 50.0, "price_plus_monthly"),
        ("cus_charlie", "2026-04", 50.0, "price_plus_monthly"),
        ("cus_charlie", "2026-05", 50.0, "price_plus_monthly"),
        ("cus_charlie", "2026-06", 50.0, "price_plus_monthly"),
        // Canceled mid-March, ended Apr 5: through March.
        ("cus_delta", "2026-01", 50.0, "price_plus_monthly"),
        ("cus_delta", "2026-02", 50.0, "price_plus_monthly"),
        ("cus_delta", "2026-03", 50.0, "price_plus_monthly"),
        // 30 × 3 = 90; no Ended At, Canceled At May 10: through April.
        ("cus_echo", "2026-02", 90.0, "price_basic_monthly"),
        ("cus_echo", "2026-03", 90.0, "price_basic_monthly"),
        ("cus_echo", "2026-04", 90.0, "price_basic_monthly"),
    ];
    let want: Vec<(String, String, f64, String)> = want
        .iter()
        .map(|(a, m, v, p)| ((*a).to_owned(), (*m).to_owned(), *v, (*p).to_owned()))
        .collect();
    assert_eq!(got, want);

    // 8 subscriptions: 6 expanded into 3 + 4 + 5 + 5 + 3 + 3 = 23 subscription
    // months, 22 rows (alpha's March is one row); foxtrot and golf1 skipped.
    assert_eq!(
        t.quality.subscriptions,
        Some(SubscriptionExpansion {
            subscriptions: 8,
            expanded: 6,
            rows: 22,
            skipped: 2,
            skipped_reasons: vec![
                "1 never billed (incomplete)".to_owned(),
                "1 still in trial".to_owned()
            ],
            last_month: "2026-06".to_owned(),
        })
    );
    assert_eq!(t.quality.rows_read, 8);
    assert_eq!(t.quality.unparsed_cells, 0);
    let notes = t.quality.notes.join("\n");
    assert!(
        notes.contains("6 subscription(s) became 22 customer-month"),
        "{notes}"
    );
    assert!(
        notes.contains("1 customer-month(s) have several plans"),
        "{notes}"
    );
    assert!(!notes.contains("not applied"), "{notes}");
}

/// Revenue symbols the catalog has no KPI for, as custom KPIs.
const MOVEMENTS: &str = r#"{"custom_kpis": [
  {"id": "new_customers", "name": "New Customers",
   "definition": "Accounts with MRR at the end of the period and none at its start.",
   "area": "retention_expansion", "stage": "expansion", "indicator": "lagging",
   "unit": "count", "better": "up",
   "measure": {"type": "revenue", "numerator": "N"}},
  {"id": "churned_mrr", "name": "Churned MRR",
   "definition": "Starting MRR of the accounts that left.",
   "area": "retention_expansion", "stage": "retention", "indicator": "lagging",
   "unit": "currency", "better": "down",
   "measure": {"type": "revenue", "numerator": "CM"}},
  {"id": "contraction_mrr", "name": "Contraction MRR",
   "definition": "MRR lost to downgrades of accounts that stayed.",
   "area": "retention_expansion", "stage": "retention", "indicator": "lagging",
   "unit": "currency", "better": "down",
   "measure": {"type": "revenue", "numerator": "K"}}
]}"#;

#[test]
fn revenue_kpis_of_a_subscription_list_follow_the_snapshots() {
    let csv = fixture();
    let s = session_with(&[(Revenue, csv.as_str())], Some(MOVEMENTS));
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("stripe month");
    // Totals per month (from the rows above):
    //   Jan a30 d50                 =  80
    //   Feb a30 b200 c50 d50 e90    = 420
    //   Mar a110 b200 c50 d50 e90   = 500
    //   Apr a80 b200 c50 e90        = 420
    //   May a80 b200 c50            = 330
    //   Jun a80 b200 c50            = 330
    ck.values(
        &doc,
        &[
            // Feb vs Jan: b, c, e are new; nobody left or moved.
            ("new_customers", "2026-02", None, Some(3.0)),
            ("churned_mrr", "2026-02", None, Some(0.0)),
            ("expansion_revenue", "2026-02", None, Some(0.0)),
            // Mar vs Feb: a 30 → 110 (the upgrade's month): X = 80.
            ("new_customers", "2026-03", None, Some(0.0)),
            ("expansion_revenue", "2026-03", None, Some(80.0)),
            ("churned_mrr", "2026-03", None, Some(0.0)),
            // Apr vs Mar: d leaves (CM = 50), a 110 → 80 (K = 30).
            ("churned_mrr", "2026-04", None, Some(50.0)),
            ("contraction_mrr", "2026-04", None, Some(30.0)),
            ("new_customers", "2026-04", None, Some(0.0)),
            // May vs Apr: e leaves (CM = 90).
            ("churned_mrr", "2026-05", None, Some(90.0)),
            ("contraction_mrr", "2026-05", None, Some(0.0)),
            // Jun vs May: no change.
            ("churned_mrr", "2026-06", None, Some(0.0)),
            ("net_revenue_retention", "2026-06", None, Some(1.0)),
        ],
    );
    ck.ratios(
        &doc,
        &[
            // Apr: M = 500 over S = 5; (CM + K) / M = (50 + 30) / 500.
            (
                "revenue_churn_rate",
                "2026-04",
                None,
                None,
                Some(0.16),
                Some(80.0),
                Some(500.0),
            ),
            // Apr: C / S = 1 / 5.
            (
                "churn_rate",
                "2026-04",
                None,
                None,
                Some(0.2),
                Some(1.0),
                Some(5.0),
            ),
            // Apr: (M + X − K − CM) / M = (500 + 0 − 30 − 50) / 500.
            (
                "net_revenue_retention",
                "2026-04",
                None,
                None,
                Some(0.84),
                Some(420.0),
                Some(500.0),
            ),
            // Mar: (420 + 80) / 420.
            (
                "net_revenue_retention",
                "2026-03",
                None,
                None,
                Some(500.0 / 420.0),
                Some(500.0),
                Some(420.0),
            ),
            // May: M = a80 b200 c50 e90 = 420; (90 + 0) / 420.
            (
                "revenue_churn_rate",
                "2026-05",
                None,
                None,
                Some(90.0 / 420.0),
                Some(90.0),
                Some(420.0),
            ),
        ],
    );
    // January's start month (December) is before the data: no point; June
    // is the data's last month, complete.
    ck.keys(
        &doc,
        "churned_mrr",
        &[
            ("2026-02", None),
            ("2026-03", None),
            ("2026-04", None),
            ("2026-05", None),
            ("2026-06", None),
        ],
    );
    ck.incomplete(&doc, &[("churned_mrr", "2026-06", false)]);
    ck.done();

    // Quarter: Q2 compares March (a110 b200 c50 d50 e90, M = 500) with June
    // (a80 b200 c50): d and e left, CM = 50 + 90 = 140; a −30: K = 30.
    let doc = run(&s, "quarter", None, None, UTC);
    let mut ck = Checker::new("stripe quarter");
    ck.ratios(
        &doc,
        &[(
            "revenue_churn_rate",
            "2026-Q2",
            None,
            None,
            Some(170.0 / 500.0),
            Some(170.0),
            Some(500.0),
        )],
    );
    ck.values(&doc, &[("churned_mrr", "2026-Q2", None, Some(140.0))]);
    ck.done();
}

#[test]
fn the_plan_dimension_follows_the_main_subscription() {
    let csv = fixture();
    let s = session_with(&[(Revenue, csv.as_str())], Some(MOVEMENTS));
    let doc = run(&s, "month", Some("plan"), None, UTC);
    let mut ck = Checker::new("stripe by plan");
    ck.values(
        &doc,
        &[
            // An account's segment is its start snapshot's: alpha's
            // expansion in March counts under February's basic plan.
            (
                "expansion_revenue",
                "2026-03",
                Some("price_basic_monthly"),
                Some(80.0),
            ),
            // April: alpha starts from March, where pro carries the most MRR:
            // its contraction of 30 is pro's; delta's churn (50) is plus's.
            (
                "contraction_mrr",
                "2026-04",
                Some("price_pro_monthly"),
                Some(30.0),
            ),
            (
                "churned_mrr",
                "2026-04",
                Some("price_plus_monthly"),
                Some(50.0),
            ),
            // May: echo (basic, 90) leaves.
            (
                "churned_mrr",
                "2026-05",
                Some("price_basic_monthly"),
                Some(90.0),
            ),
        ],
    );
    ck.done();
}
