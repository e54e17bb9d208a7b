//! Issue 4: the user configuration (`src/config.rs`) changes reports as
//! documented: window, target, owner and name overrides, disabled KPIs,
//! custom KPIs in the catalog's definition format, task weights, event names,
//! channel names, and refusal of invalid configurations with a clear message.
//! Issue 10: targets by grain and the tolerance of `better: target` KPIs,
//! which decide the KPI's `target` and every point's `status`.
//!
//! Expected numbers are computed by hand from the inline CSV (arithmetic in
//! the comments).

use crate::support::{Checker, find, kpi, run, session_with};
use kpidash::Session;
use kpidash::TableKind::{Events, People};
use kpidash::report::Status::{OffTrack, OnTrack};

const UTC: &str = "+00:00";

/// Conversions after 19 d, 30 d, 45 d, 80 d and never.
const CONVERSIONS: &str = "\
id,created_at,customer_at
1,2026-03-01T00:00:00,2026-03-20T00:00:00
2,2026-03-01T00:00:00,2026-03-31T00:00:00
3,2026-03-01T00:00:00,2026-04-15T00:00:00
4,2026-03-01T00:00:00,2026-05-20T00:00:00
5,2026-03-01T00:00:00,
";

#[test]
fn window_override_changes_the_cohort_value_and_incompleteness() {
    // (config, window, value, numerator, incomplete at as-of May 20)
    let cases: [(&str, f64, f64, f64, bool); 3] = [
        // Built-in 90 d: 19, 30, 45, 80 d convert: 4 / 5; Apr 1 + 90 d = Jun 30
        // is after May 20 23:59:59: incomplete.
        ("{}", 90.0, 0.8, 4.0, true),
        // 30 d: 19 and 30 d (inclusive): 2 / 5; Apr 1 + 30 d = May 1 <= May 20.
        (
            r#"{"kpis":{"conversion_rate":{"window_days":30}}}"#,
            30.0,
            0.4,
            2.0,
            false,
        ),
        // 45 d: 19, 30, 45: 3 / 5; Apr 1 + 45 d = May 16 <= May 20.
        (
            r#"{"kpis":{"conversion_rate":{"window_days":45}}}"#,
            45.0,
            0.6,
            3.0,
            false,
        ),
    ];
    for (config, window, value, num, incomplete) in cases {
        let s = session_with(&[(People, CONVERSIONS)], Some(config));
        let doc = run(&s, "month", None, Some("2026-05-20"), UTC);
        let mut ck = Checker::new(config);
        ck.ratios(
            &doc,
            &[(
                "conversion_rate",
                "2026-03",
                None,
                None,
                Some(value),
                Some(num),
                Some(5.0),
            )],
        );
        ck.incomplete(&doc, &[("conversion_rate", "2026-03", incomplete)]);
        let k = kpi(&doc, "conversion_rate");
        ck.expect(k.window_days == Some(window), || {
            format!("window_days {:?}", k.window_days)
        });
        // Other KPIs keep their windows: trial_to_paid_rate stays 30.
        ck.expect(
            kpi(&doc, "trial_to_paid_rate").window_days == Some(30.0),
            || "trial_to_paid_rate window changed".to_owned(),
        );
        ck.done();
    }
}

#[test]
fn funnel_window_override() {
    // Everyone is an MQL one day after created_at (5 → 5). With W = 30:
    // customers after 19 and 30 d reach; 45 and 80 d do not: 5 → 2,
    // 1 - 2/5 = 0.6 (with 90 d it would be 5 → 4, 0.2).
    let csv = "\
id,created_at,mql_at,customer_at
1,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-20T00:00:00
2,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-31T00:00:00
3,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-04-15T00:00:00
4,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-05-20T00:00:00
5,2026-03-01T00:00:00,2026-03-02T00:00:00,
";
    let s = session_with(
        &[(People, csv)],
        Some(r#"{"kpis":{"drop_off_rate":{"window_days":30}}}"#),
    );
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("funnel window");
    ck.ratios(
        &doc,
        &[(
            "drop_off_rate",
            "2026-03",
            None,
            Some("customer_at"),
            Some(0.6),
            Some(3.0),
            Some(5.0),
        )],
    );
    ck.done();
}

#[test]
fn target_owner_and_name_appear_in_the_result() {
    let config = r#"{"kpis":{"conversion_rate":{"target":0.25,"owner":"Ann Lee","name":"Lead to customer"}}}"#;
    let s = session_with(&[(People, CONVERSIONS)], Some(config));
    let doc = run(&s, "month", None, None, UTC);
    let k = kpi(&doc, "conversion_rate");
    assert_eq!(k.target, Some(0.25));
    assert_eq!(k.owner.as_deref(), Some("Ann Lee"));
    assert_eq!(k.name, "Lead to customer");
    let json = serde_json::to_value(&doc).expect("serialises");
    let j = json["kpis"]
        .as_array()
        .expect("kpis array")
        .iter()
        .find(|k| k["id"] == "conversion_rate")
        .expect("conversion_rate in JSON");
    assert_eq!(j["target"], 0.25);
    assert_eq!(j["owner"], "Ann Lee");
    // Without configuration: no target, no owner.
    let k = kpi(&doc, "new_leads");
    assert_eq!((k.target, k.owner.as_deref()), (None, None));
}

#[test]
fn disabled_kpis_are_left_out() {
    let s = session_with(
        &[(People, CONVERSIONS)],
        Some(r#"{"kpis":{"mqls":{"disabled":true},"churn_rate":{"disabled":true}}}"#),
    );
    let doc = run(&s, "month", None, None, UTC);
    let ids: Vec<&str> = doc.kpis.iter().map(|k| k.id.as_str()).collect();
    assert!(
        !ids.contains(&"mqls") && !ids.contains(&"churn_rate"),
        "{ids:?}"
    );
    // The catalog's KPIs minus 2.
    assert_eq!(ids.len(), kpidash::catalog::builtin().len() - 2, "{ids:?}");
    assert!(ids.contains(&"new_leads"));
}

const DEMOS: &str = "\
id,created_at,source,mql_at,customer_at,demo_requested_at
1,2026-03-01T00:00:00,email,2026-03-02T00:00:00,2026-05-01T00:00:00,2026-03-02T00:00:00
2,2026-03-01T00:00:00,email,2026-03-02T00:00:00,2026-05-01T00:00:01,2026-03-15T00:00:00
3,2026-03-01T00:00:00,direct,2026-03-03T00:00:00,2026-03-10T00:00:00,2026-03-15T00:00:01
4,2026-03-01T00:00:00,direct,,,
";

const CUSTOM: &str = r#"{
  "custom_kpis": [
    {
      "id": "demo_request_rate",
      "name": "Demo Request Rate",
      "definition": "Share of new leads who requested a demo within 14 days.",
      "area": "funnel", "stage": "conversion", "indicator": "leading",
      "unit": "rate", "better": "up",
      "measure": {"type": "cohort", "base": "created_at",
                  "target": "demo_requested_at", "window_days": 14},
      "target": 0.6, "owner": "Growth"
    },
    {
      "id": "demo_share",
      "name": "Leads With a Demo Request",
      "definition": "Share of new leads with any demo request.",
      "area": "acquisition", "stage": "conversion", "indicator": "leading",
      "unit": "rate", "better": "up",
      "measure": {"type": "ratio",
        "numerator": {"agg": "count", "table": "people", "anchor": "created_at",
                      "filter": [{"column": "demo_requested_at", "not_null": true}]},
        "denominator": {"agg": "count", "table": "people", "anchor": "created_at"}}
    },
    {
      "id": "demo_requests",
      "name": "Demo Requests",
      "definition": "Demo requests in the period.",
      "area": "acquisition", "stage": "conversion", "indicator": "leading",
      "unit": "count", "better": "up",
      "measure": {"type": "simple", "agg": "count", "table": "people",
                  "anchor": "demo_requested_at"}
    },
    {
      "id": "mql_to_customer_rate",
      "name": "MQL to Customer",
      "definition": "Share of MQLs who became customers within 60 days.",
      "area": "funnel", "stage": "conversion", "indicator": "lagging",
      "unit": "rate", "better": "up",
      "measure": {"type": "cohort", "base": "mql_at",
                  "target": "customer_at", "window_days": 60},
      "target": 0.5, "owner": "Growth"
    }
  ],
  "kpis": {"demo_share": {"owner": "Sales"}}
}"#;

#[test]
fn custom_kpis_are_computed_like_built_in_ones() {
    let s = session_with(&[(People, DEMOS)], Some(CUSTOM));
    let doc = run(&s, "month", Some("channel"), Some("2026-05-15"), UTC);
    let mut ck = Checker::new("custom KPIs");
    let m = "2026-03";
    ck.ratios(
        &doc,
        &[
            // MQLs #1 #2 #3 (#4 has none). Within 60 d: #1 Mar 2 → May 1
            // (29 + 30 + 1 = 60 d exactly), #3 (7 d); #2 is 1 s late: 2 / 3.
            (
                "mql_to_customer_rate",
                m,
                None,
                None,
                Some(2.0 / 3.0),
                Some(2.0),
                Some(3.0),
            ),
            (
                "mql_to_customer_rate",
                m,
                Some("email"),
                None,
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
            (
                "mql_to_customer_rate",
                m,
                Some("direct"),
                None,
                Some(1.0),
                Some(1.0),
                Some(1.0),
            ),
            // Any demo request (a filter on a plain column): #1 #2 #3 of 4.
            (
                "demo_share",
                m,
                None,
                None,
                Some(0.75),
                Some(3.0),
                Some(4.0),
            ),
            (
                "demo_share",
                m,
                Some("direct"),
                None,
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
        ],
    );
    // Apr 1 + 60 d = May 31 > May 15: incomplete; a plain ratio never is.
    ck.incomplete(
        &doc,
        &[("mql_to_customer_rate", m, true), ("demo_share", m, false)],
    );
    let k = kpi(&doc, "mql_to_customer_rate");
    ck.expect(
        k.target == Some(0.5) && k.owner.as_deref() == Some("Growth"),
        || format!("target {:?} owner {:?}", k.target, k.owner),
    );
    ck.expect(k.window_days == Some(60.0), || {
        format!("window {:?}", k.window_days)
    });
    ck.expect(
        kpi(&doc, "demo_share").owner.as_deref() == Some("Sales"),
        || "an override applies to a custom KPI".to_owned(),
    );
    // Custom KPIs come after the built-in ones.
    let ids: Vec<&str> = doc.kpis.iter().map(|k| k.id.as_str()).collect();
    let builtin = kpidash::catalog::builtin().len();
    ck.expect(
        ids.len() == builtin + 4
            && ids[builtin..]
                == [
                    "demo_request_rate",
                    "demo_share",
                    "demo_requests",
                    "mql_to_customer_rate",
                ],
        || format!("KPIs {ids:?}"),
    );
    ck.done();
}

#[test]
fn custom_kpi_on_a_new_timestamp_column() {
    let s = session_with(&[(People, DEMOS)], Some(CUSTOM));
    let doc = run(&s, "month", Some("channel"), Some("2026-05-15"), UTC);
    let mut ck = Checker::new("custom timestamp column");
    ck.ratios(
        &doc,
        &[
            // Within 14 d: #1 (1 d), #2 (exactly 14 d); #3 is 1 s late: 2 / 4.
            (
                "demo_request_rate",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(2.0),
                Some(4.0),
            ),
            (
                "demo_request_rate",
                "2026-03",
                Some("email"),
                None,
                Some(1.0),
                Some(2.0),
                Some(2.0),
            ),
        ],
    );
    // Three requests in March.
    ck.values(&doc, &[("demo_requests", "2026-03", None, Some(3.0))]);
    ck.done();
}

#[test]
fn custom_kpi_without_its_column_is_unavailable_with_the_reason() {
    let people = "id,created_at\n1,2026-03-01T00:00:00\n";
    let s = session_with(&[(People, people)], Some(CUSTOM));
    let doc = run(&s, "month", None, None, UTC);
    let k = kpi(&doc, "demo_request_rate");
    assert!(!k.available && k.points.is_empty());
    assert!(
        k.reason
            .as_deref()
            .is_some_and(|r| r.contains("demo_requested_at")),
        "{:?}",
        k.reason
    );
}

/// A custom KPI definition around a measure, for the invalid cases.
fn custom(id: &str, measure: &str) -> String {
    format!(
        r#"{{"custom_kpis":[{{"id":"{id}","name":"X","definition":"d","area":"funnel",
        "stage":"conversion","indicator":"leading","unit":"rate","better":"up",
        "measure":{measure}}}]}}"#
    )
}

#[test]
fn invalid_configurations_are_refused_with_a_clear_message() {
    let cohort = |w: &str| {
        format!(
            r#"{{"type":"cohort","base":"created_at","target":"customer_at","window_days":{w}}}"#
        )
    };
    // (configuration, words the message must contain)
    let cases: Vec<(String, &[&str])> = vec![
        (
            r#"{"kpis":{"no_such_kpi":{"target":1}}}"#.to_owned(),
            &["no_such_kpi"],
        ),
        (
            r#"{"fiscal_year_start_month":13}"#.to_owned(),
            &["fiscal_year_start_month", "13"],
        ),
        (
            r#"{"fiscal_year_start_month":0}"#.to_owned(),
            &["fiscal_year_start_month"],
        ),
        (
            custom("bad_window", &cohort("-1")),
            &["bad_window", "window"],
        ),
        (
            r#"{"kpis":{"conversion_rate":{"window_days":"thirty"}}}"#.to_owned(),
            &["thirty"],
        ),
        (
            custom(
                "bad_expr",
                r#"{"type":"revenue","numerator":"E * 2","denominator":"S"}"#,
            ),
            &["bad_expr"],
        ),
        (
            custom("bad_symbol", r#"{"type":"revenue","numerator":"Q"}"#),
            &["bad_symbol"],
        ),
        (
            custom("churn_rate", &cohort("30")),
            &["churn_rate", "built-in"],
        ),
        (custom("bad id", &cohort("30")), &["bad id"]),
        (
            custom(
                "one_step",
                r#"{"type":"funnel","steps":["created_at"],"window_days":30}"#,
            ),
            &["one_step", "step"],
        ),
        (
            custom(
                "no_column",
                r#"{"type":"simple","agg":"sum","table":"spend","anchor":"date"}"#,
            ),
            &["no_column", "column"],
        ),
        (
            custom("no_type", r#"{"type":"median","of":"x"}"#),
            &["median"],
        ),
        (
            r#"{"task_weights":{"task_invite":-1}}"#.to_owned(),
            &["task_invite"],
        ),
        (
            r#"{"fiscal_year_start":4}"#.to_owned(),
            &["fiscal_year_start"],
        ),
        ("not json".to_owned(), &[]),
    ];
    let mut failures = Vec::new();
    for (config, words) in &cases {
        let mut s = Session::default();
        match s.set_config_json(config) {
            Ok(()) => failures.push(format!("accepted: {config}")),
            Err(e) => {
                let msg = e.to_string();
                for w in *words {
                    if !msg.contains(w) {
                        failures.push(format!("message {msg:?} lacks {w:?} ({config})"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_window_override_is_refused() {
    let mut s = Session::default();
    let r = s.set_config_json(r#"{"kpis":{"conversion_rate":{"window_days":-1}}}"#);
    assert!(r.is_err(), "a window of -1 days was accepted");
}

#[test]
fn a_refused_configuration_leaves_the_previous_one_in_place() {
    let mut s = session_with(
        &[(People, CONVERSIONS)],
        Some(r#"{"kpis":{"mqls":{"disabled":true}}}"#),
    );
    assert!(
        s.set_config_json(r#"{"fiscal_year_start_month":13}"#)
            .is_err()
    );
    let doc = run(&s, "month", None, None, UTC);
    assert!(doc.kpis.iter().all(|k| k.id != "mqls"));
}

const TASKS: &str = "\
id,created_at,signup_completed_at,task_invite,task_setup
1,2026-03-01T00:00:00,2026-03-01T00:00:00,2026-03-05T00:00:00,true
2,2026-03-01T00:00:00,2026-03-01T00:00:00,,true
3,2026-03-01T00:00:00,2026-03-01T00:00:00,2026-03-17T00:00:00,false
4,2026-03-01T00:00:00,2026-03-01T00:00:00,2026-03-15T00:00:00,true
";

#[test]
fn task_weights_change_the_activation_progression_score() {
    // Done within 14 d: invite #1 (4 d), #4 (exactly 14 d); #3 is 16 d late.
    // setup (bool): #1 #2 #4.
    // (config, score)
    let cases = [
        // Weights 1: (100 + 50 + 0 + 100) / 4.
        ("{}", 62.5),
        // invite 3, setup 1: #2 = 100 × 1/4 = 25: (100 + 25 + 0 + 100) / 4.
        (r#"{"task_weights":{"task_invite":3}}"#, 56.25),
        // invite 0: the score is setup alone: (100 + 100 + 0 + 100) / 4.
        (r#"{"task_weights":{"task_invite":0,"task_setup":1}}"#, 75.0),
    ];
    for (config, score) in cases {
        let s = session_with(&[(People, TASKS)], Some(config));
        let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
        let mut ck = Checker::new(config);
        ck.values(
            &doc,
            &[("activation_progression_score", "2026-03", None, Some(score))],
        );
        // Weights do not change "every task done": #1 and #4 of 4.
        ck.ratios(
            &doc,
            &[(
                "pct_key_activation_tasks",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(2.0),
                Some(4.0),
            )],
        );
        ck.done();
    }
}

#[test]
fn event_milestones_name_the_event_that_sets_a_milestone() {
    let people = "\
id,created_at,trial_started_at
1,2026-03-01T00:00:00,
2,2026-03-01T00:00:00,
";
    let events = "\
entity_id,event,timestamp
1,start_trial,2026-03-04T00:00:00
2,trial_started,2026-03-05T00:00:00
";
    let v = "trial_signup_velocity";
    // Default name `trial_started`: only #2 → 1 trial in March.
    let s = session_with(&[(People, people), (Events, events)], None);
    let doc = run(&s, "month", None, Some("2026-03-31"), UTC);
    let mut ck = Checker::new("default event name");
    ck.ratios(
        &doc,
        &[(
            v,
            "2026-03",
            None,
            None,
            Some(1.0 / 31.0),
            Some(1.0),
            Some(31.0),
        )],
    );
    ck.done();
    // Configured `start_trial`: only #1.
    let s = session_with(
        &[(People, people), (Events, events)],
        Some(r#"{"event_milestones":{"trial_started_at":"start_trial"}}"#),
    );
    let doc = run(&s, "month", None, Some("2026-03-31"), UTC);
    let mut ck = Checker::new("configured event name");
    ck.ratios(
        &doc,
        &[(
            v,
            "2026-03",
            None,
            None,
            Some(1.0 / 31.0),
            Some(1.0),
            Some(31.0),
        )],
    );
    ck.done();
}

#[test]
fn fiscal_year_start_month_names_quarters_and_years() {
    let people = "\
id,created_at
1,2026-03-31T12:00:00
2,2026-04-01T00:00:00
3,2026-06-30T00:00:00
4,2026-07-01T00:00:00
";
    let s = session_with(
        &[(People, people)],
        Some(r#"{"fiscal_year_start_month":4}"#),
    );
    let doc = run(&s, "quarter", None, None, UTC);
    let mut ck = Checker::new("fiscal quarters");
    ck.values(
        &doc,
        &[
            // FY2026 Q4 = Jan..Mar 2026; FY2027 Q1 = Apr..Jun 2026, Q2 = Jul..Sep.
            ("new_leads", "2026-Q4", None, Some(1.0)),
            ("new_leads", "2027-Q1", None, Some(2.0)),
            ("new_leads", "2027-Q2", None, Some(1.0)),
        ],
    );
    ck.done();
    let doc = run(&s, "year", None, None, UTC);
    let mut ck = Checker::new("fiscal years");
    ck.values(
        &doc,
        &[
            ("new_leads", "2026", None, Some(1.0)),
            ("new_leads", "2027", None, Some(3.0)),
        ],
    );
    ck.done();
}

/// Three leads in March, two in April up to the as-of 2026-04-10.
const LEADS: &str = "\
id,created_at,source
1,2026-03-02T09:00:00,web
2,2026-03-05T09:00:00,web
3,2026-03-20T09:00:00,ads
4,2026-04-01T09:00:00,web
5,2026-04-08T09:00:00,ads
";

/// (period, segment) → (value, forecast, status) of a KPI's points.
type Outlooks = Vec<(
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<kpidash::report::Status>,
)>;

fn outlooks(doc: &kpidash::report::Report, id: &str) -> Outlooks {
    kpi(doc, id)
        .points
        .iter()
        .map(|p| {
            (
                p.period.clone(),
                p.segment.clone(),
                p.value,
                p.forecast.map(|f| (f * 1e6).round() / 1e6),
                p.status,
            )
        })
        .collect()
}

fn outlook(
    period: &str,
    segment: Option<&str>,
    value: f64,
    forecast: Option<f64>,
    status: Option<kpidash::report::Status>,
) -> (
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<kpidash::report::Status>,
) {
    (
        period.to_owned(),
        segment.map(str::to_owned),
        Some(value),
        forecast,
        status,
    )
}

#[test]
fn targets_by_grain_set_the_kpi_target_and_each_points_status() {
    let config = r#"{"targets":{"new_leads":{"month":5,"quarter":10}}}"#;
    let s = session_with(&[(People, LEADS)], Some(config));
    // Month: March 3 < 5; April 2 leads in 10 days of 30 (to the as-of's last
    // microsecond): forecast 2 × 30 ÷ 10 = 6 ≥ 5. Segments against the same 5.
    let doc = run(&s, "month", Some("channel"), Some("2026-04-10"), UTC);
    assert_eq!(kpi(&doc, "new_leads").target, Some(5.0));
    assert_eq!(
        outlooks(&doc, "new_leads"),
        [
            outlook("2026-03", None, 3.0, None, Some(OffTrack)),
            outlook("2026-03", Some("ads"), 1.0, None, Some(OffTrack)),
            outlook("2026-03", Some("web"), 2.0, None, Some(OffTrack)),
            outlook("2026-04", None, 2.0, Some(6.0), Some(OnTrack)),
            outlook("2026-04", Some("ads"), 1.0, Some(3.0), Some(OffTrack)),
            outlook("2026-04", Some("web"), 1.0, Some(3.0), Some(OffTrack)),
        ]
    );
    // Quarter: Q1 3 < 10; Q2 2 in 10 days of 91: 18.2 ≥ 10.
    let doc = run(&s, "quarter", None, Some("2026-04-10"), UTC);
    assert_eq!(kpi(&doc, "new_leads").target, Some(10.0));
    assert_eq!(
        outlooks(&doc, "new_leads"),
        [
            outlook("2026-Q1", None, 3.0, None, Some(OffTrack)),
            outlook("2026-Q2", None, 2.0, Some(18.2), Some(OnTrack)),
        ]
    );
    // No target for weeks: no status, the forecast still.
    let doc = run(&s, "week", None, Some("2026-04-10"), UTC);
    assert_eq!(kpi(&doc, "new_leads").target, None);
    let k = kpi(&doc, "new_leads");
    assert!(k.points.iter().all(|p| p.status.is_none()));
    // 2026-W15 is 04-06 .. 04-12: one lead in 5 of 7 days, 1.4.
    let p = find(&doc, "new_leads", "2026-W15", None, None).expect("week of the as-of");
    assert!(p.forecast.is_some_and(|f| (f - 1.4).abs() < 1e-9), "{p:?}");
    // A KPI without run rate has no forecast.
    assert!(
        kpi(&doc, "conversion_rate")
            .points
            .iter()
            .all(|p| p.forecast.is_none())
    );
}

#[test]
fn a_kpis_own_target_holds_at_every_grain_unless_the_grain_has_one() {
    let config = r#"{"kpis":{"new_leads":{"target":3}},"targets":{"new_leads":{"quarter":10}}}"#;
    let s = session_with(&[(People, LEADS)], Some(config));
    let doc = run(&s, "month", None, Some("2026-04-10"), UTC);
    assert_eq!(kpi(&doc, "new_leads").target, Some(3.0));
    // March 3 ≥ 3: a value on the target is on track.
    let p = find(&doc, "new_leads", "2026-03", None, None).expect("March");
    assert_eq!(p.status, Some(OnTrack));
    let doc = run(&s, "quarter", None, Some("2026-04-10"), UTC);
    assert_eq!(kpi(&doc, "new_leads").target, Some(10.0));
}

/// A custom count of new leads with `better: target` and a run rate.
const ON_PLAN: &str = r#"{"id":"leads_on_plan","name":"Leads on plan","definition":"d",
    "area":"acquisition","stage":"engagement","indicator":"leading","unit":"count",
    "better":"target","outlook":"run_rate",
    "measure":{"type":"simple","agg":"count","table":"people","anchor":"created_at"}}"#;

#[test]
fn better_target_kpis_are_on_track_within_the_tolerance() {
    // (configuration after the custom KPI, KPI target, March status, April forecast and status)
    let cases = [
        // No target: 1.0 ± 10 %; March 3 is off, April's forecast 6 too.
        ("", 1.0, OffTrack, OffTrack),
        // 3.2 ± 10 % (0.32): March 3 is on track, April 6 off.
        (
            r#","targets":{"leads_on_plan":{"month":3.2}}"#,
            3.2,
            OnTrack,
            OffTrack,
        ),
        // 3.2 ± 5 % (0.16): March's 0.2 away is off.
        (
            r#","targets":{"leads_on_plan":{"month":3.2}},"target_tolerance":{"leads_on_plan":0.05}"#,
            3.2,
            OffTrack,
            OffTrack,
        ),
        // 6 ± 1 %: April's forecast (6 and a hair: 10 days less 1 µs of 30)
        // is on track, March's 3 off.
        (
            r#","targets":{"leads_on_plan":{"month":6}},"target_tolerance":{"leads_on_plan":0.01}"#,
            6.0,
            OffTrack,
            OnTrack,
        ),
    ];
    for (rest, target, march, april) in cases {
        let config = format!(r#"{{"custom_kpis":[{ON_PLAN}]{rest}}}"#);
        let s = session_with(&[(People, LEADS)], Some(&config));
        let doc = run(&s, "month", None, Some("2026-04-10"), UTC);
        let k = kpi(&doc, "leads_on_plan");
        assert_eq!(k.target, Some(target), "{config}");
        let status =
            |period| find(&doc, "leads_on_plan", period, None, None).and_then(|p| p.status);
        assert_eq!(
            (status("2026-03"), status("2026-04")),
            (Some(march), Some(april)),
            "{config}"
        );
        let p = find(&doc, "leads_on_plan", "2026-04", None, None).expect("April");
        assert!(p.forecast.is_some_and(|f| (f - 6.0).abs() < 1e-9), "{p:?}");
    }
}

#[test]
fn invalid_targets_are_refused_with_a_clear_message() {
    // (configuration, words the message must contain)
    let cases: [(&str, &[&str]); 6] = [
        (
            r#"{"targets":{"no_such_kpi":{"month":1}}}"#,
            &["targets", "no_such_kpi"],
        ),
        (
            r#"{"targets":{"new_leads":{"fortnight":1}}}"#,
            &["new_leads", "fortnight", "grain"],
        ),
        (r#"{"targets":{"new_leads":{"Month":1}}}"#, &["Month"]),
        (r#"{"targets":{"new_leads":{"month":"lots"}}}"#, &["lots"]),
        (
            r#"{"target_tolerance":{"no_such_kpi":0.1}}"#,
            &["target_tolerance", "no_such_kpi"],
        ),
        (
            r#"{"target_tolerance":{"new_leads":-0.1}}"#,
            &["target_tolerance", "new_leads", "-0.1"],
        ),
    ];
    let mut failures = Vec::new();
    for (config, words) in cases {
        let mut s = Session::default();
        match s.set_config_json(config) {
            Ok(()) => failures.push(format!("accepted: {config}")),
            Err(e) => {
                let msg = e.to_string();
                for w in words {
                    if !msg.contains(w) {
                        failures.push(format!("message {msg:?} lacks {w:?} ({config})"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_configuration_version_is_read_and_a_newer_or_bad_one_refused() {
    // Written before versions existed, or at the current version: accepted.
    for ok in [r#"{"currency":"EUR"}"#, r#"{"version":1,"currency":"EUR"}"#] {
        let mut s = Session::default();
        assert!(s.set_config_json(ok).is_ok(), "refused: {ok}");
    }
    // (configuration, words the message must contain); a newer version is
    // named as such even when it has fields this version does not know.
    let cases: &[(&str, &[&str])] = &[
        (r#"{"version":2}"#, &["version 2", "newer", "version 1"]),
        (r#"{"version":7,"dashboards":[]}"#, &["version 7", "newer"]),
        (r#"{"version":0}"#, &["version", "not 0"]),
        (r#"{"version":"1"}"#, &["version", "\"1\""]),
        (r#"{"version":1.5}"#, &["version", "1.5"]),
    ];
    for (config, words) in cases {
        let mut s = Session::default();
        let msg = match s.set_config_json(config) {
            Ok(()) => panic!("accepted: {config}"),
            Err(e) => e.to_string(),
        };
        for w in *words {
            assert!(msg.contains(w), "message {msg:?} lacks {w:?} ({config})");
        }
    }
}

#[test]
fn the_version_is_kept_in_the_configuration_in_force() {
    let mut s = Session::default();
    s.set_config_json(r#"{"version":1,"currency":"EUR"}"#)
        .expect("a version 1 configuration");
    assert_eq!(s.config().version, Some(1));
}
