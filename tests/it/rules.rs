//! Issue 4, "Correctness": one tiny, hand-checked fixture per rule of the
//! conventions in `docs/data-model.md` and the revenue rules in `docs/kpis.md`
//! (window edges, out-of-order milestones, dedup merge, zero denominators and
//! nulls, incomplete cohorts, as-of, which periods have points,
//! previous/change, funnel, durations, velocity, cross-table ratios, revenue
//! endpoints, community balance, survey, currencies, missing inputs, period
//! labels, events).
//!
//! Every expected number was computed by hand from the inline CSV; the
//! arithmetic is written next to it. Nothing here is derived from kpidash's
//! own output.

use crate::support::{Checker, kpi, run, session};
use kpidash::TableKind::{Events, People, Revenue, Series, Spend, Survey};

const UTC: &str = "+00:00";

// ---------------------------------------------------------------------------
// Cohort windows: base <= target <= base + W, both ends inclusive.
// ---------------------------------------------------------------------------

/// One cohort KPI of the catalog with its base, target and the instant
/// exactly W after the base `2026-03-02T10:00:00`.
struct WindowCase {
    kpi: &'static str,
    base: &'static str,
    target: &'static str,
    /// base + W exactly.
    edge: &'static str,
    /// base + W + 1 s.
    past: &'static str,
}

const BASE: &str = "2026-03-02T10:00:00";

const WINDOW_CASES: &[WindowCase] = &[
    // W = 90 d: Mar 2 + 29 d = Mar 31, + 30 d = Apr 30, + 31 d = May 31.
    WindowCase {
        kpi: "conversion_rate",
        base: "created_at",
        target: "customer_at",
        edge: "2026-05-31T10:00:00",
        past: "2026-05-31T10:00:01",
    },
    // W = 30 d: Mar 2 + 30 d = Apr 1.
    WindowCase {
        kpi: "trial_to_paid_rate",
        base: "trial_started_at",
        target: "customer_at",
        edge: "2026-04-01T10:00:00",
        past: "2026-04-01T10:00:01",
    },
    // W = 14 d: Mar 16.
    WindowCase {
        kpi: "activation_rate",
        base: "signup_completed_at",
        target: "activated_at",
        edge: "2026-03-16T10:00:00",
        past: "2026-03-16T10:00:01",
    },
    // W = 7 d: Mar 9.
    WindowCase {
        kpi: "signup_completion_rate",
        base: "signup_started_at",
        target: "signup_completed_at",
        edge: "2026-03-09T10:00:00",
        past: "2026-03-09T10:00:01",
    },
    // W = 30 d: Apr 1.
    WindowCase {
        kpi: "pct_mqls_qualified",
        base: "mql_at",
        target: "sql_at",
        edge: "2026-04-01T10:00:00",
        past: "2026-04-01T10:00:01",
    },
    // W = 14 d: Mar 16.
    WindowCase {
        kpi: "first_feature_usage_rate",
        base: "signup_completed_at",
        target: "first_feature_at",
        edge: "2026-03-16T10:00:00",
        past: "2026-03-16T10:00:01",
    },
];

/// Five people, all with the base at `BASE`: target at base + W (converts),
/// base + W + 1 s (does not), == base (converts), one day before the base
/// (does not; out of order), none (does not).
fn window_csv(c: &WindowCase) -> String {
    let targets = [c.edge, c.past, BASE, "2026-03-01T10:00:00", ""];
    let mut csv = if c.base == "created_at" {
        format!("id,created_at,{}\n", c.target)
    } else {
        format!("id,created_at,{},{}\n", c.base, c.target)
    };
    for (i, t) in targets.iter().enumerate() {
        if c.base == "created_at" {
            csv.push_str(&format!("{},{BASE},{t}\n", i + 1));
        } else {
            csv.push_str(&format!("{},2026-03-01T00:00:00,{BASE},{t}\n", i + 1));
        }
    }
    csv
}

#[test]
fn window_edges_are_inclusive_and_out_of_order_is_reported() {
    for c in WINDOW_CASES {
        let csv = window_csv(c);
        let s = session(&[(People, &csv)]);
        let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
        let mut ck = Checker::new(c.kpi);
        // Converting: the edge person and the target == base person: 2 of 5.
        ck.ratios(
            &doc,
            &[(
                c.kpi,
                "2026-03",
                None,
                None,
                Some(0.4),
                Some(2.0),
                Some(5.0),
            )],
        );
        // Apr 1 + 90 d = Jun 30 <= 2026-12-31 end of day: complete.
        ck.incomplete(&doc, &[(c.kpi, "2026-03", false)]);
        // The target one day before the base is out of order: 1 person.
        let ooo = doc
            .quality
            .out_of_order
            .iter()
            .find(|o| o.base == c.base && o.target == c.target);
        ck.expect(ooo.is_some_and(|o| o.people == 1), || {
            format!(
                "out_of_order for {} -> {} should count 1, got {:?}",
                c.base, c.target, doc.quality.out_of_order
            )
        });
        ck.done();
    }
}

#[test]
fn abandonment_counts_those_not_completing_within_the_window() {
    let c = &WINDOW_CASES[3];
    assert_eq!(c.kpi, "signup_completion_rate");
    let csv = window_csv(c);
    let s = session(&[(People, &csv)]);
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("signup_abandonment_rate");
    // Not completed within 7 d: past edge, before base, none = 3 of 5.
    ck.ratios(
        &doc,
        &[(
            "signup_abandonment_rate",
            "2026-03",
            None,
            None,
            Some(0.6),
            Some(3.0),
            Some(5.0),
        )],
    );
    ck.done();
}

#[test]
fn signup_source_quality_needs_icp_true_and_activation_within_30_days() {
    let csv = "\
id,created_at,signup_completed_at,activated_at,icp
1,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-10T00:00:00,true
2,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-25T00:00:00,false
3,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-04-01T00:00:00,true
4,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-04-01T00:00:01,true
5,2026-03-01T00:00:00,2026-03-02T00:00:00,,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("signup_source_quality_rate");
    ck.ratios(
        &doc,
        &[
            // icp and activated within 30 d: #1 (8 d), #3 (Mar 2 + 30 d = Apr 1,
            // exactly); #2 is not icp, #4 is 1 s late, #5 never: 2 / 5.
            (
                "signup_source_quality_rate",
                "2026-03",
                None,
                None,
                Some(0.4),
                Some(2.0),
                Some(5.0),
            ),
            // activation_rate (14 d): only #1 (8 d); #2 is 23 d: 1 / 5.
            (
                "activation_rate",
                "2026-03",
                None,
                None,
                Some(0.2),
                Some(1.0),
                Some(5.0),
            ),
        ],
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Deduplication.
// ---------------------------------------------------------------------------

#[test]
fn dedup_same_id_keeps_earliest_created_and_its_dimensions() {
    let csv = "\
id,email,created_at,source,mql_at
1,,2026-03-05T00:00:00,email,
1,,2026-03-02T00:00:00,paid_search,2026-03-20T00:00:00
2,,2026-03-03T00:00:00,direct,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-03-31"), UTC);
    let mut ck = Checker::new("dedup same id");
    ck.values(
        &doc,
        &[
            // Persons {1}, {2}.
            ("new_leads", "2026-03", None, Some(2.0)),
            // Person 1 keeps the dimensions of its earliest row (Mar 2: paid_search).
            ("new_leads", "2026-03", Some("paid_search"), Some(1.0)),
            ("new_leads", "2026-03", Some("direct"), Some(1.0)),
            ("mqls", "2026-03", None, Some(1.0)),
        ],
    );
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-03", Some("direct")),
            ("2026-03", Some("paid_search")),
        ],
    );
    ck.expect(doc.quality.duplicates_merged == 1, || {
        format!("duplicates_merged {}", doc.quality.duplicates_merged)
    });
    ck.done();
}

#[test]
fn dedup_email_ignores_case_and_white_space_and_empty_is_no_email() {
    let csv = "\
id,email,created_at,source
1,Ann@Example.com,2026-03-01T00:00:00,email
2,\" ann@example.com \",2026-03-02T00:00:00,direct
3,\"\u{a0}ANN@EXAMPLE.COM\t\",2026-03-03T00:00:00,direct
4,bob@example.com,2026-03-04T00:00:00,direct
5,,2026-03-05T00:00:00,direct
6,\"  \",2026-03-06T00:00:00,direct
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-03-31"), UTC);
    let mut ck = Checker::new("dedup e-mail");
    ck.values(
        &doc,
        &[
            // {1,2,3} (ann), {4}, {5}, {6}: empty e-mails link nothing.
            ("new_leads", "2026-03", None, Some(4.0)),
            // Ann keeps row 1's source (earliest created_at).
            ("new_leads", "2026-03", Some("email"), Some(1.0)),
            ("new_leads", "2026-03", Some("direct"), Some(3.0)),
        ],
    );
    ck.expect(doc.quality.duplicates_merged == 2, || {
        format!("duplicates_merged {}", doc.quality.duplicates_merged)
    });
    ck.done();
}

#[test]
fn dedup_is_transitive_and_keeps_earliest_milestones() {
    // A-B share x@a.com, B-C share id 2, C-D share y@a.com: one person.
    let csv = "\
id,email,created_at,source,mql_at,sql_at
1,x@a.com,2026-03-10T00:00:00,email,2026-03-15T00:00:00,
2,x@a.com,2026-03-05T00:00:00,direct,,2026-03-25T00:00:00
2,y@a.com,2026-03-20T00:00:00,referral,2026-03-12T00:00:00,
3,y@a.com,,paid_search,,2026-03-22T00:00:00
4,z@a.com,2026-03-07T00:00:00,display,,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-04-30"), UTC);
    let mut ck = Checker::new("dedup transitive");
    ck.values(
        &doc,
        &[
            // Persons {A,B,C,D} and {E}.
            ("new_leads", "2026-03", None, Some(2.0)),
            // Merged person: created min(Mar 10, Mar 5, Mar 20, null) = Mar 5,
            // dimensions of row B (direct); E is display.
            ("new_leads", "2026-03", Some("direct"), Some(1.0)),
            ("new_leads", "2026-03", Some("display"), Some(1.0)),
            // mql = min(Mar 15, Mar 12) = Mar 12: one MQL in March.
            ("mqls", "2026-03", None, Some(1.0)),
            ("mqls", "2026-03", Some("direct"), Some(1.0)),
        ],
    );
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-03", Some("direct")),
            ("2026-03", Some("display")),
        ],
    );
    ck.ratios(
        &doc,
        &[
            // sql = min(Mar 25, Mar 22) = Mar 22, 10 d after mql Mar 12 (<= 30 d): 1 / 1.
            (
                "pct_mqls_qualified",
                "2026-03",
                None,
                None,
                Some(1.0),
                Some(1.0),
                Some(1.0),
            ),
        ],
    );
    // Rows merged into another: B, C, D = 3. Ids are linked first: row 3
    // joins row 2 by id 2 (1); then e-mails: row 2 joins row 1 by x@a.com,
    // row 4 joins row 3 by y@a.com (2).
    ck.expect(doc.quality.duplicates_merged == 3, || {
        format!("duplicates_merged {}", doc.quality.duplicates_merged)
    });
    ck.expect(
        (
            doc.quality.duplicates_by_id,
            doc.quality.duplicates_by_email,
        ) == (1, 2),
        || {
            format!(
                "by id {} by e-mail {}",
                doc.quality.duplicates_by_id, doc.quality.duplicates_by_email
            )
        },
    );
    ck.done();
}

#[test]
fn dedup_ties_go_to_file_order_and_null_created_at_comes_last() {
    let csv = "\
id,email,created_at,source,task_setup
1,t@a.com,2026-03-05T00:00:00,email,false
2,t@a.com,2026-03-05T00:00:00,direct,true
3,u@a.com,,referral,
3,,2026-03-06T00:00:00,display,false
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-03-31"), UTC);
    let mut ck = Checker::new("dedup ties");
    // Person t: a tie on Mar 5, the first row in the file wins (email).
    // Person 3: the null created_at row comes last, so display.
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-03", Some("display")),
            ("2026-03", Some("email")),
        ],
    );
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", None, Some(2.0)),
            ("new_leads", "2026-03", Some("email"), Some(1.0)),
            ("new_leads", "2026-03", Some("display"), Some(1.0)),
        ],
    );
    ck.expect(doc.quality.duplicates_merged == 2, || {
        format!("duplicates_merged {}", doc.quality.duplicates_merged)
    });
    ck.done();
}

#[test]
fn dedup_bool_task_is_true_when_true_in_any_row() {
    // One person (same id): task_setup false then true → true; task_invite
    // earliest non-null Mar 4 (2 d after signup, within 14 d).
    let csv = "\
id,created_at,signup_completed_at,task_setup,task_invite
1,2026-03-01T00:00:00,2026-03-02T00:00:00,false,2026-03-30T00:00:00
1,2026-03-03T00:00:00,,true,2026-03-04T00:00:00
2,2026-03-01T00:00:00,2026-03-02T00:00:00,false,2026-03-03T00:00:00
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("dedup tasks");
    ck.ratios(
        &doc,
        &[
            // Person 1 did both, person 2 only invite: 1 / 2.
            (
                "pct_key_activation_tasks",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
        ],
    );
    // Score: (100 + 50) / 2 = 75.
    ck.values(
        &doc,
        &[("activation_progression_score", "2026-03", None, Some(75.0))],
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Null anchors, zero denominators, sums over nulls.
// ---------------------------------------------------------------------------

#[test]
fn null_anchor_rows_are_not_counted_and_are_reported() {
    let csv = "\
id,created_at,mql_at
1,2026-03-01T00:00:00,2026-03-02T00:00:00
2,,2026-03-03T00:00:00
3,2026-03-04T00:00:00,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-03-31"), UTC);
    let mut ck = Checker::new("null anchors");
    ck.values(
        &doc,
        &[
            // Person 2 has no created_at: not a new lead, but an MQL.
            ("new_leads", "2026-03", None, Some(2.0)),
            ("mqls", "2026-03", None, Some(2.0)),
        ],
    );
    let nulls = doc.quality.tables[0].null_times.get("created_at").copied();
    ck.expect(nulls == Some(1), || {
        format!(
            "null created_at reported as {nulls:?}: {:?}",
            doc.quality.tables[0].null_times
        )
    });
    ck.done();
}

#[test]
fn sums_and_ratios_with_nulls_and_zero_denominators() {
    let csv = "\
date,metric,value
2026-01-10,content_engagements,5
2026-01-20,content_engagements,7
2026-02-10,content_engagements,
2026-02-11,content_engagements,
2026-04-05,content_engagements,3
2026-02-10,sessions,100
2026-02-10,engaged_sessions,
2026-03-10,sessions,0
2026-03-10,engaged_sessions,0
2026-04-10,sessions,50
2026-04-10,engaged_sessions,20
";
    let s = session(&[(Series, csv)]);
    let doc = run(&s, "month", None, Some("2026-04-30"), UTC);
    let mut ck = Checker::new("nulls");
    ck.changes(
        &doc,
        &[
            // Jan 5 + 7 = 12.
            (
                "content_engagement",
                "2026-01",
                None,
                Some(12.0),
                Some(0.0),
                None,
            ),
            // Feb: rows, all values null: unknown, not 0; change needs a value.
            (
                "content_engagement",
                "2026-02",
                None,
                None,
                Some(12.0),
                None,
            ),
            // Mar: no rows: a sum over no rows is 0; previous null → change null.
            ("content_engagement", "2026-03", None, Some(0.0), None, None),
            // Apr: 3, previous 0 → change null.
            (
                "content_engagement",
                "2026-04",
                None,
                Some(3.0),
                Some(0.0),
                None,
            ),
        ],
    );
    ck.ratios(
        &doc,
        &[
            // Feb: engaged all null (unknown) ÷ 100: a null side gives null.
            (
                "engagement_rate",
                "2026-02",
                None,
                None,
                None,
                None,
                Some(100.0),
            ),
            // Mar: 0 ÷ 0: null, never NaN.
            (
                "engagement_rate",
                "2026-03",
                None,
                None,
                None,
                Some(0.0),
                Some(0.0),
            ),
            // Apr: 20 ÷ 50.
            (
                "engagement_rate",
                "2026-04",
                None,
                None,
                Some(0.4),
                Some(20.0),
                Some(50.0),
            ),
        ],
    );
    // engagement_rate has no rows in January: its first period is February.
    ck.keys(
        &doc,
        "engagement_rate",
        &[("2026-02", None), ("2026-03", None), ("2026-04", None)],
    );
    // The JSON document holds null, not NaN (which serde_json would refuse).
    let json = serde_json::to_value(&doc).expect("document serialises");
    ck.expect(
        json.to_string().find("NaN").is_none() && json.to_string().find("inf").is_none(),
        || "NaN or Infinity in the document".to_owned(),
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Incomplete cohorts and as-of.
// ---------------------------------------------------------------------------

#[test]
fn incomplete_when_period_end_plus_window_is_after_as_of() {
    // Default as-of = latest timestamp = 2026-03-31T00:00:00.
    let csv = "\
id,created_at,trial_started_at,customer_at
1,2026-02-01T00:00:00,2026-02-03T00:00:00,2026-02-20T00:00:00
2,2026-02-01T00:00:00,2026-02-10T00:00:00,
3,2026-03-01T00:00:00,2026-03-05T00:00:00,2026-03-31T00:00:00
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("incomplete");
    ck.expect(doc.as_of == "2026-03-31T00:00:00Z", || {
        format!("as_of {}", doc.as_of)
    });
    ck.values(
        &doc,
        &[
            // Feb: #1 converts in 17 d, #2 never: 1 / 2.
            ("trial_to_paid_rate", "2026-02", None, Some(0.5)),
            // Mar: #3 converts in 26 d: 1 / 1 (value given although incomplete).
            ("trial_to_paid_rate", "2026-03", None, Some(1.0)),
        ],
    );
    ck.incomplete(
        &doc,
        &[
            // Feb: end Mar 1 + 30 d = Mar 31 00:00 = as_of, not after: complete.
            ("trial_to_paid_rate", "2026-02", false),
            // Mar: Apr 1 + 30 d = May 1 > as_of.
            ("trial_to_paid_rate", "2026-03", true),
            // Feb with W = 90: Mar 1 + 90 d > Mar 31.
            ("conversion_rate", "2026-02", true),
            // Not cohort KPIs: never incomplete.
            ("new_leads", "2026-02", false),
            ("new_leads", "2026-03", false),
            ("trial_signup_velocity", "2026-03", false),
        ],
    );
    ck.done();
}

#[test]
fn explicit_as_of_ignores_later_rows_and_milestones() {
    let csv = "\
id,created_at,mql_at
1,2026-03-10T00:00:00,2026-06-30T23:59:59
2,2026-03-10T00:00:00,2026-07-01T00:00:00
3,2026-07-01T00:00:00,
4,2026-06-30T12:00:00,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-06-30"), UTC);
    let mut ck = Checker::new("explicit as-of");
    // As-of is the end of the given day.
    ck.expect(doc.as_of == "2026-06-30T23:59:59Z", || {
        format!("as_of {}", doc.as_of)
    });
    // new_leads: Mar 2 (#1, #2), Apr 0, May 0, Jun 1 (#4); #3 (Jul 1) ignored.
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-04", None),
            ("2026-05", None),
            ("2026-06", None),
        ],
    );
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", None, Some(2.0)),
            ("new_leads", "2026-04", None, Some(0.0)),
            ("new_leads", "2026-06", None, Some(1.0)),
            // #1's MQL (Jun 30 23:59:59) counts; #2's (Jul 1) is not reached.
            ("mqls", "2026-06", None, Some(1.0)),
        ],
    );
    ck.keys(&doc, "mqls", &[("2026-06", None)]);
    ck.done();
}

#[test]
fn default_as_of_is_the_latest_value_of_all_tables() {
    let people = "\
id,created_at,mql_at
1,2026-03-10T00:00:00,2026-07-01T08:00:00
";
    let spend = "\
date,channel,cost
2026-07-15,paid_search,10
";
    let s = session(&[(People, people)]);
    let doc = run(&s, "month", None, None, UTC);
    assert_eq!(doc.as_of, "2026-07-01T08:00:00Z", "milestones count too");
    let s = session(&[(People, people), (Spend, spend)]);
    let doc = run(&s, "month", None, None, UTC);
    // A date counts as its midnight.
    assert_eq!(doc.as_of, "2026-07-15T00:00:00Z");
}

// ---------------------------------------------------------------------------
// Which periods have points, segments, previous and change.
// ---------------------------------------------------------------------------

#[test]
fn periods_segments_previous_and_change() {
    let csv = "\
id,created_at,source,customer_at
1,2026-01-05T00:00:00,email,2026-01-20T00:00:00
2,2026-01-06T00:00:00,\"  \",
3,2026-03-07T00:00:00,direct,
4,2026-03-08T00:00:00,,
5,2026-03-09T00:00:00,email,2026-03-10T00:00:00
6,2026-04-01T00:00:00,email,
7,2026-04-02T00:00:00,\" email\u{a0}\",
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-12-31"), UTC);
    let mut ck = Checker::new("periods");
    let none = Some("(none)");
    // Totals for Jan..Apr (Feb is a gap), segments only where they have rows;
    // white space only and empty sources are (none); " email\u{a0}" is email.
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-01", None),
            ("2026-01", Some("email")),
            ("2026-01", none),
            ("2026-02", None),
            ("2026-03", None),
            ("2026-03", Some("direct")),
            ("2026-03", Some("email")),
            ("2026-03", none),
            ("2026-04", None),
            ("2026-04", Some("email")),
        ],
    );
    ck.changes(
        &doc,
        &[
            // Jan 2; previous Dec has no rows: a count is 0; change vs 0 null.
            ("new_leads", "2026-01", None, Some(2.0), Some(0.0), None),
            // Feb 0; (0 - 2) / 2 = -1.
            (
                "new_leads",
                "2026-02",
                None,
                Some(0.0),
                Some(2.0),
                Some(-1.0),
            ),
            // Mar 3; previous 0 → change null.
            ("new_leads", "2026-03", None, Some(3.0), Some(0.0), None),
            // Apr 2; (2 - 3) / 3.
            (
                "new_leads",
                "2026-04",
                None,
                Some(2.0),
                Some(3.0),
                Some(-1.0 / 3.0),
            ),
            // email: Mar 1, Feb had no email rows → previous 0.
            (
                "new_leads",
                "2026-03",
                Some("email"),
                Some(1.0),
                Some(0.0),
                None,
            ),
            // email: Apr 2, (2 - 1) / 1 = 1.
            (
                "new_leads",
                "2026-04",
                Some("email"),
                Some(2.0),
                Some(1.0),
                Some(1.0),
            ),
            ("new_leads", "2026-01", none, Some(1.0), Some(0.0), None),
            // conversion_rate (90 d): Jan #1 converts: 1 / 2.
            ("conversion_rate", "2026-01", None, Some(0.5), None, None),
            // Feb: no leads: null; previous 0.5; change null.
            ("conversion_rate", "2026-02", None, None, Some(0.5), None),
            // Mar: #5 converts: 1 / 3; previous null → change null.
            (
                "conversion_rate",
                "2026-03",
                None,
                Some(1.0 / 3.0),
                None,
                None,
            ),
            // Apr: 0 / 2 = 0; (0 - 1/3) / (1/3) = -1.
            (
                "conversion_rate",
                "2026-04",
                None,
                Some(0.0),
                Some(1.0 / 3.0),
                Some(-1.0),
            ),
            // email: Mar 1 / 1; previous Feb email has no denominator → null.
            (
                "conversion_rate",
                "2026-03",
                Some("email"),
                Some(1.0),
                None,
                None,
            ),
            // email: Apr 0 / 2 = 0; (0 - 1) / 1 = -1.
            (
                "conversion_rate",
                "2026-04",
                Some("email"),
                Some(0.0),
                Some(1.0),
                Some(-1.0),
            ),
        ],
    );
    ck.ratios(
        &doc,
        &[(
            "conversion_rate",
            "2026-02",
            None,
            None,
            None,
            Some(0.0),
            Some(0.0),
        )],
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Funnel.
// ---------------------------------------------------------------------------

#[test]
fn funnel_drop_off_per_step() {
    let csv = "\
id,created_at,mql_at,sql_at,opportunity_at,customer_at
1,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-03T00:00:00,2026-03-04T00:00:00,2026-03-05T00:00:00
2,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-03T00:00:00,,
3,2026-03-01T00:00:00,2026-03-02T00:00:00,,,
4,2026-03-01T00:00:00,,2026-03-03T00:00:00,,
5,2026-03-01T00:00:00,2026-07-01T00:00:00,,,
6,2026-03-02T00:00:00,2026-03-10T00:00:00,2026-03-05T00:00:00,,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("funnel");
    let f = "drop_off_rate";
    let m = "2026-03";
    // reached(created) = 6.
    // reached(mql) = #1 #2 #3 #6 = 4 (#4 has none; #5 is 122 d > 90 d late).
    // reached(sql) = #1 #2 #6 = 3 (#4 reached sql without mql: not counted;
    //   #6's sql before its mql is fine, no order between steps).
    // reached(opportunity) = #1 = 1; reached(customer) = #1 = 1.
    ck.ratios(
        &doc,
        &[
            // 1 - 4/6 = 1/3; 6 - 4 = 2 lost of 6.
            (
                f,
                m,
                None,
                Some("mql_at"),
                Some(1.0 / 3.0),
                Some(2.0),
                Some(6.0),
            ),
            // 1 - 3/4.
            (f, m, None, Some("sql_at"), Some(0.25), Some(1.0), Some(4.0)),
            // 1 - 1/3.
            (
                f,
                m,
                None,
                Some("opportunity_at"),
                Some(2.0 / 3.0),
                Some(2.0),
                Some(3.0),
            ),
            // 1 - 1/1.
            (
                f,
                m,
                None,
                Some("customer_at"),
                Some(0.0),
                Some(0.0),
                Some(1.0),
            ),
        ],
    );
    let steps: Vec<Option<&str>> = kpi(&doc, f)
        .points
        .iter()
        .map(|p| p.step.as_deref())
        .collect();
    ck.expect(
        steps
            == [
                Some("mql_at"),
                Some("sql_at"),
                Some("opportunity_at"),
                Some("customer_at"),
            ],
        || format!("steps {steps:?}"),
    );
    ck.done();
}

#[test]
fn funnel_keeps_only_the_steps_the_data_has() {
    let csv = "\
id,created_at,mql_at,customer_at
1,2026-03-01T00:00:00,2026-03-02T00:00:00,2026-03-05T00:00:00
2,2026-03-01T00:00:00,2026-03-02T00:00:00,
3,2026-03-01T00:00:00,,2026-03-05T00:00:00
4,2026-03-01T00:00:00,,
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("funnel steps");
    let f = "drop_off_rate";
    ck.ratios(
        &doc,
        &[
            // reached: 4 → mql 2 → customer 1 (#3 skipped mql).
            (
                f,
                "2026-03",
                None,
                Some("mql_at"),
                Some(0.5),
                Some(2.0),
                Some(4.0),
            ),
            (
                f,
                "2026-03",
                None,
                Some("customer_at"),
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
        ],
    );
    ck.expect(kpi(&doc, f).points.len() == 2, || {
        format!("points {}", crate::support::show_points(kpi(&doc, f)))
    });
    ck.done();
}

#[test]
fn funnel_of_created_and_customer_only() {
    // Catalog: "Steps: created_at → mql_at → sql_at → opportunity_at →
    // customer_at, keeping those the data has."
    let csv = "\
id,created_at,customer_at
1,2026-03-01T00:00:00,2026-03-05T00:00:00
2,2026-03-01T00:00:00,
3,2026-03-01T00:00:00,2026-07-01T00:00:00
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-12-31"), UTC);
    let mut ck = Checker::new("funnel without mql_at");
    // reached: 3 → customer within 90 d: #1 only (#3 is 122 d late): 1 - 1/3.
    ck.ratios(
        &doc,
        &[(
            "drop_off_rate",
            "2026-03",
            None,
            Some("customer_at"),
            Some(2.0 / 3.0),
            Some(2.0),
            Some(3.0),
        )],
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Durations and velocity.
// ---------------------------------------------------------------------------

#[test]
fn durations_median_p90_and_within_24h() {
    let csv = "\
id,created_at,first_contact_at
1,2026-03-01T00:00:00,2026-03-01T01:00:00
2,2026-03-01T00:00:00,2026-03-01T03:00:00
3,2026-03-01T00:00:00,2026-03-02T00:00:00
4,2026-03-01T00:00:00,2026-03-02T00:00:01
5,2026-03-01T00:00:00,2026-02-28T00:00:00
6,2026-03-01T00:00:00,
7,2026-04-01T00:00:00,2026-04-01T02:00:00
8,2026-04-01T00:00:00,2026-04-01T05:00:00
9,2026-04-01T00:00:00,2026-04-01T10:00:00
";
    let s = session(&[(People, csv)]);
    let doc = run(&s, "month", None, Some("2026-04-30"), UTC);
    let mut ck = Checker::new("durations");
    // March durations (h), sorted: 1, 3, 24, 24 + 1/3600; #5 (negative) and
    // #6 (none) left out.
    ck.values(
        &doc,
        &[
            // Even count: (3 + 24) / 2.
            ("time_to_first_contact_hours", "2026-03", None, Some(13.5)),
            // p90: position (4 - 1) × 0.9 = 2.7 → 24 + 0.7 × (1/3600).
            (
                "time_to_first_contact_p90_hours",
                "2026-03",
                None,
                Some(24.0 + 0.7 / 3600.0),
            ),
            // April: 2, 5, 10 → median 5; p90 position 1.8 → 5 + 0.8 × 5 = 9.
            ("time_to_first_contact_hours", "2026-04", None, Some(5.0)),
            (
                "time_to_first_contact_p90_hours",
                "2026-04",
                None,
                Some(9.0),
            ),
        ],
    );
    ck.ratios(
        &doc,
        &[
            // Within 24 h (inclusive): #1, #2, #3 ÷ 6 new leads.
            (
                "first_contact_within_24h_rate",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(3.0),
                Some(6.0),
            ),
            (
                "first_contact_within_24h_rate",
                "2026-04",
                None,
                None,
                Some(1.0),
                Some(3.0),
                Some(3.0),
            ),
        ],
    );
    ck.done();
}

#[test]
fn trial_signup_velocity_counts_days_up_to_as_of() {
    let csv = "\
id,created_at,trial_started_at
1,2026-03-01T00:00:00,2026-03-02T00:00:00
2,2026-03-01T00:00:00,2026-03-20T00:00:00
3,2026-03-01T00:00:00,2026-04-01T00:00:00
4,2026-03-01T00:00:00,2026-04-10T00:00:00
5,2026-03-01T00:00:00,2026-04-10T12:00:00
";
    let v = "trial_signup_velocity";
    let s = session(&[(People, csv)]);
    // Default as-of: Apr 10 12:00 → April has 10 days up to it.
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("velocity default as-of");
    ck.ratios(
        &doc,
        &[
            // March: 2 trials over 31 days.
            (
                v,
                "2026-03",
                None,
                None,
                Some(2.0 / 31.0),
                Some(2.0),
                Some(31.0),
            ),
            // April: 3 trials over Apr 1..10.
            (v, "2026-04", None, None, Some(0.3), Some(3.0), Some(10.0)),
        ],
    );
    ck.done();
    // As-of Apr 9: #4 and #5 are later; April has 9 days: 1 / 9.
    let doc = run(&s, "month", None, Some("2026-04-09"), UTC);
    let mut ck = Checker::new("velocity explicit as-of");
    ck.ratios(
        &doc,
        &[(
            v,
            "2026-04",
            None,
            None,
            Some(1.0 / 9.0),
            Some(1.0),
            Some(9.0),
        )],
    );
    ck.done();
    // Week grain: W14 is Mon Mar 30 .. Sun Apr 5 (#3 on Apr 1): 1 / 7;
    // W15 is Apr 6..12, as-of Apr 10 → 5 days (Apr 6..10): 2 / 5.
    let doc = run(&s, "week", None, None, UTC);
    let mut ck = Checker::new("velocity week");
    ck.ratios(
        &doc,
        &[
            (
                v,
                "2026-W14",
                None,
                None,
                Some(1.0 / 7.0),
                Some(1.0),
                Some(7.0),
            ),
            (v, "2026-W15", None, None, Some(0.4), Some(2.0), Some(5.0)),
        ],
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Cross-table ratios and spend.
// ---------------------------------------------------------------------------

const X_PEOPLE: &str = "\
id,created_at,source,campaign,segment,trial_started_at,customer_at
1,2026-03-01T00:00:00,paid_search,c1,smb,2026-03-01T12:00:00,2026-03-20T00:00:00
2,2026-03-02T00:00:00,paid_search,c1,smb,2026-03-05T00:00:00,
3,2026-03-03T00:00:00,email,,ent,,
";

const X_SPEND: &str = "\
date,channel,campaign,cost,impressions,clicks,conversions,icp_audience
2026-03-01,paid_search,c1,100,1000,10,2,true
2026-03-02,paid_search,c1,50,500,5,1,false
2026-03-03,display,c2,30,300,3,0,true
";

const X_SERIES: &str = "\
date,metric,value
2026-03-01,visitors,100
2026-03-02,visitors,50
";

#[test]
fn cross_table_ratios_join_outer_on_period_and_channel() {
    let s = session(&[(People, X_PEOPLE), (Spend, X_SPEND), (Series, X_SERIES)]);
    let doc = run(&s, "month", Some("channel"), Some("2026-03-31"), UTC);
    let mut ck = Checker::new("cross-table");
    let m = "2026-03";
    ck.ratios(
        &doc,
        &[
            // Cost 100 + 50 + 30 = 180 over 3 leads.
            (
                "cost_per_lead",
                m,
                None,
                None,
                Some(60.0),
                Some(180.0),
                Some(3.0),
            ),
            // paid_search: 150 / 2.
            (
                "cost_per_lead",
                m,
                Some("paid_search"),
                None,
                Some(75.0),
                Some(150.0),
                Some(2.0),
            ),
            // email: leads but no spend: 0 / 1 = 0.
            (
                "cost_per_lead",
                m,
                Some("email"),
                None,
                Some(0.0),
                Some(0.0),
                Some(1.0),
            ),
            // display: spend but no leads: 30 / 0 = null.
            (
                "cost_per_lead",
                m,
                Some("display"),
                None,
                None,
                Some(30.0),
                Some(0.0),
            ),
            // CAC: 180 over 1 customer (#1, Mar 20).
            (
                "customer_acquisition_cost",
                m,
                None,
                None,
                Some(180.0),
                Some(180.0),
                Some(1.0),
            ),
            (
                "customer_acquisition_cost",
                m,
                Some("paid_search"),
                None,
                Some(150.0),
                Some(150.0),
                Some(1.0),
            ),
            // CPA: 180 / (2 + 1 + 0).
            (
                "cost_per_acquisition",
                m,
                None,
                None,
                Some(60.0),
                Some(180.0),
                Some(3.0),
            ),
            (
                "cost_per_acquisition",
                m,
                Some("paid_search"),
                None,
                Some(50.0),
                Some(150.0),
                Some(3.0),
            ),
            (
                "cost_per_acquisition",
                m,
                Some("display"),
                None,
                None,
                Some(30.0),
                Some(0.0),
            ),
            // ICP impressions (1000 + 300) / 1800.
            (
                "reach_to_icp_pct",
                m,
                None,
                None,
                Some(13.0 / 18.0),
                Some(1300.0),
                Some(1800.0),
            ),
            (
                "reach_to_icp_pct",
                m,
                Some("paid_search"),
                None,
                Some(2.0 / 3.0),
                Some(1000.0),
                Some(1500.0),
            ),
            // ICP clicks (10 + 3) / ICP impressions 1300.
            (
                "ctr_icp",
                m,
                None,
                None,
                Some(0.01),
                Some(13.0),
                Some(1300.0),
            ),
            // Trials #1, #2 over visitors 100 + 50 (series has no channel: total only).
            (
                "trial_signup_rate",
                m,
                None,
                None,
                Some(2.0 / 150.0),
                Some(2.0),
                Some(150.0),
            ),
        ],
    );
    // CAC: email has neither customers nor spend in March: no point.
    ck.keys(
        &doc,
        "customer_acquisition_cost",
        &[(m, None), (m, Some("display")), (m, Some("paid_search"))],
    );
    ck.keys(
        &doc,
        "cost_per_lead",
        &[
            (m, None),
            (m, Some("display")),
            (m, Some("email")),
            (m, Some("paid_search")),
        ],
    );
    let tsr = kpi(&doc, "trial_signup_rate");
    ck.expect(tsr.points.iter().all(|p| p.segment.is_none()), || {
        "trial_signup_rate: series has no channel, total only".to_owned()
    });
    ck.expect(
        tsr.reason.as_deref().is_some_and(|r| r.contains("channel")),
        || format!("trial_signup_rate reason {:?}", tsr.reason),
    );
    ck.done();
}

#[test]
fn cross_table_breakdown_by_a_dimension_one_side_lacks_gives_totals_and_a_reason() {
    let s = session(&[(People, X_PEOPLE), (Spend, X_SPEND)]);
    let doc = run(&s, "month", Some("segment"), Some("2026-03-31"), UTC);
    let mut ck = Checker::new("one-sided breakdown");
    let cpl = kpi(&doc, "cost_per_lead");
    ck.expect(cpl.available, || "cost_per_lead available".to_owned());
    ck.expect(cpl.points.iter().all(|p| p.segment.is_none()), || {
        format!(
            "cost_per_lead by segment: {}",
            crate::support::show_points(cpl)
        )
    });
    ck.expect(
        cpl.reason.as_deref().is_some_and(|r| r.contains("segment")),
        || format!("cost_per_lead reason {:?}", cpl.reason),
    );
    ck.ratios(
        &doc,
        &[(
            "cost_per_lead",
            "2026-03",
            None,
            None,
            Some(60.0),
            Some(180.0),
            Some(3.0),
        )],
    );
    // People alone do have segments: smb 2, ent 1.
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", Some("smb"), Some(2.0)),
            ("new_leads", "2026-03", Some("ent"), Some(1.0)),
        ],
    );
    ck.done();
}

#[test]
fn mixed_currencies_refuse_cost_kpis() {
    let spend = "\
date,channel,cost,impressions,clicks,conversions,icp_audience,currency
2026-03-01,paid_search,100,1000,10,2,true,USD
2026-03-02,paid_search,50,500,5,1,false,EUR
";
    let people = "id,created_at,customer_at\n1,2026-03-01T00:00:00,2026-03-02T00:00:00\n";
    let s = session(&[(People, people), (Spend, spend)]);
    let doc = run(&s, "month", None, Some("2026-03-31"), UTC);
    let mut ck = Checker::new("currencies");
    for id in [
        "cost_per_lead",
        "customer_acquisition_cost",
        "cost_per_acquisition",
    ] {
        let k = kpi(&doc, id);
        ck.expect(!k.available && k.points.is_empty(), || {
            format!("{id} should be unavailable with no points")
        });
        ck.expect(
            k.reason
                .as_deref()
                .is_some_and(|r| r.to_lowercase().contains("currenc")),
            || format!("{id} reason {:?}", k.reason),
        );
    }
    // Impressions are not amounts: still computed, 1000 / 1500.
    ck.values(
        &doc,
        &[("reach_to_icp_pct", "2026-03", None, Some(2.0 / 3.0))],
    );
    ck.expect(doc.quality.mixed_currencies == ["spend"], || {
        format!("mixed_currencies {:?}", doc.quality.mixed_currencies)
    });
    ck.done();
}

#[test]
fn mixed_revenue_currencies_refuse_amount_kpis_but_not_customer_counts() {
    // a pays in USD, b in EUR; b churns in February.
    let revenue = "\
account_id,month,mrr,currency
a,2026-01-01,100,USD
b,2026-01-01,90,EUR
a,2026-02-01,120,USD
";
    let s = session(&[(Revenue, revenue)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("revenue currencies");
    for id in [
        "revenue_churn_rate",
        "expansion_revenue",
        "net_revenue_retention",
        "expansion_revenue_growth_rate",
    ] {
        let k = kpi(&doc, id);
        ck.expect(
            !k.available
                && k.reason
                    .as_deref()
                    .is_some_and(|r| r.to_lowercase().contains("currenc")),
            || {
                format!(
                    "{id} should be refused for mixed currencies: {:?}",
                    k.reason
                )
            },
        );
    }
    // Counting customers adds no amounts. February vs January: S=2 (a, b),
    // E=1 (a), N=0, C=1 (b), a grew: XA=1.
    ck.values(
        &doc,
        &[
            ("customer_retention_rate", "2026-02", None, Some(0.5)),
            ("churn_rate", "2026-02", None, Some(0.5)),
            ("expansion_activation_rate", "2026-02", None, Some(0.5)),
        ],
    );
    ck.done();
}

#[test]
fn missing_inputs_make_kpis_unavailable_with_a_reason() {
    let people = "id,created_at\n1,2026-03-01T00:00:00\n";
    let s = session(&[(People, people)]);
    let doc = run(&s, "month", None, None, UTC);
    // (KPI, a word its reason must contain)
    let cases = [
        ("cost_per_lead", "spend"),
        ("customer_acquisition_cost", "spend"),
        ("cost_per_acquisition", "spend"),
        ("reach_to_icp_pct", "spend"),
        ("trial_signup_rate", "series"),
        ("engagement_rate", "series"),
        ("community_growth_rate", "series"),
        ("brand_awareness", "survey"),
        ("brand_recall_icp", "survey"),
        ("customer_retention_rate", "revenue"),
        ("expansion_revenue_growth_rate", "revenue"),
        ("mqls", "mql_at"),
        ("conversion_rate", "customer_at"),
        ("time_to_first_contact_hours", "first_contact_at"),
        ("trial_signup_velocity", "trial_started_at"),
        ("pct_key_activation_tasks", "task"),
        ("activation_progression_score", "task"),
    ];
    let mut ck = Checker::new("missing inputs");
    for (id, need) in cases {
        let k = kpi(&doc, id);
        ck.expect(!k.available && k.points.is_empty(), || {
            format!(
                "{id}: available {} with {} points",
                k.available,
                k.points.len()
            )
        });
        ck.expect(
            k.reason.as_deref().is_some_and(|r| r.contains(need)),
            || format!("{id}: reason {:?} should name {need}", k.reason),
        );
    }
    // What the data has is computed; the whole catalog is listed.
    ck.expect(kpi(&doc, "new_leads").available, || {
        "new_leads available".to_owned()
    });
    let builtin = kpidash::catalog::builtin().len();
    ck.expect(doc.kpis.len() == builtin, || {
        format!("{} KPIs listed, catalog has {builtin}", doc.kpis.len())
    });
    ck.done();
}

// ---------------------------------------------------------------------------
// Revenue endpoints.
// ---------------------------------------------------------------------------

/// Dec 2025 .. Apr 2026. Feb: b has two rows (summed), c a null MRR (= 0),
/// d is new; a's Feb row says segment `mid`.
const MRR: &str = "\
account_id,month,mrr,segment
a,2025-12-01,100,smb
b,2025-12-01,200,ent
c,2025-12-01,50,smb
a,2026-01-01,100,smb
b,2026-01-01,200,ent
c,2026-01-01,50,smb
a,2026-02-01,150,mid
b,2026-02-01,120,ent
b,2026-02-15,30,ent
c,2026-02-01,,smb
d,2026-02-01,80,smb
a,2026-03-01,150,smb
b,2026-03-01,150,ent
d,2026-03-01,100,smb
a,2026-04-01,150,smb
b,2026-04-01,0,ent
d,2026-04-01,100,smb
";

const REVENUE_KPIS: [&str; 7] = [
    "customer_retention_rate",
    "churn_rate",
    "revenue_churn_rate",
    "expansion_revenue",
    "net_revenue_retention",
    "expansion_activation_rate",
    "expansion_revenue_growth_rate",
];

/// Expected values of the revenue KPIs, in the order of [`REVENUE_KPIS`].
type RevenueRow<'a> = (&'a str, Option<&'a str>, [Option<f64>; 7]);

fn check_revenue(ck: &mut Checker, doc: &kpidash::report::Report, rows: &[RevenueRow]) {
    for (period, seg, values) in rows {
        let exp: Vec<crate::support::Value> = REVENUE_KPIS
            .iter()
            .zip(values)
            .map(|(id, v)| (*id, *period, *seg, *v))
            .collect();
        ck.values(doc, &exp);
    }
}

#[test]
fn revenue_month_grain_compares_consecutive_months() {
    let s = session(&[(Revenue, MRR)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("revenue month");
    // Columns: retention (E-N)/S, churn C/S, revenue churn (CM+K)/M, X,
    // NRR (M+X-K-CM)/M, expansion activation XA/S, X growth (X-Xp)/Xp.
    check_revenue(
        &mut ck,
        &doc,
        &[
            // Jan vs Dec: a100 b200 c50 both: S=3 E=3 N=0 C=0 M=350 X=K=0.
            // Growth: Dec has no value (Nov is before the data) → null.
            (
                "2026-01",
                None,
                [
                    Some(1.0),
                    Some(0.0),
                    Some(0.0),
                    Some(0.0),
                    Some(1.0),
                    Some(0.0),
                    None,
                ],
            ),
            // Feb vs Jan: start a100 b200 c50 (M=350, S=3); end a150,
            // b120+30=150, c null=0, d80: E=3 N=1(d) C=1(c) CM=50;
            // a +50, b -50: X=50 K=50 XA=1.
            // (3-1)/3, 1/3, (50+50)/350, 50, (350+50-50-50)/350, 1/3,
            // (50-0)/0 → null.
            (
                "2026-02",
                None,
                [
                    Some(2.0 / 3.0),
                    Some(1.0 / 3.0),
                    Some(2.0 / 7.0),
                    Some(50.0),
                    Some(6.0 / 7.0),
                    Some(1.0 / 3.0),
                    None,
                ],
            ),
            // Mar vs Feb: start a150 b150 d80 (M=380); end a150 b150 d100:
            // S=E=3, N=C=0, X=20 (d), K=0, XA=1. NRR 400/380; growth (20-50)/50.
            (
                "2026-03",
                None,
                [
                    Some(1.0),
                    Some(0.0),
                    Some(0.0),
                    Some(20.0),
                    Some(400.0 / 380.0),
                    Some(1.0 / 3.0),
                    Some(-0.6),
                ],
            ),
            // Apr vs Mar: start a150 b150 d100 (M=400); end a150 b0 d100:
            // E=2 C=1(b) CM=150 X=K=0. (2-0)/3, 1/3, 150/400, 0, 250/400, 0,
            // (0-20)/20.
            (
                "2026-04",
                None,
                [
                    Some(2.0 / 3.0),
                    Some(1.0 / 3.0),
                    Some(0.375),
                    Some(0.0),
                    Some(0.625),
                    Some(0.0),
                    Some(-1.0),
                ],
            ),
        ],
    );
    ck.ratios(
        &doc,
        &[
            (
                "customer_retention_rate",
                "2026-02",
                None,
                None,
                Some(2.0 / 3.0),
                Some(2.0),
                Some(3.0),
            ),
            (
                "revenue_churn_rate",
                "2026-02",
                None,
                None,
                Some(2.0 / 7.0),
                Some(100.0),
                Some(350.0),
            ),
        ],
    );
    // Dec 2025: its start month (Nov) is before the data: no point.
    for id in REVENUE_KPIS {
        ck.keys(
            &doc,
            id,
            &[
                ("2026-01", None),
                ("2026-02", None),
                ("2026-03", None),
                ("2026-04", None),
            ],
        );
        ck.incomplete(&doc, &[(id, "2026-04", false)]);
    }
    ck.done();
}

#[test]
fn revenue_quarter_grain_compares_december_with_march_and_runs_to_date() {
    let s = session(&[(Revenue, MRR)]);
    let doc = run(&s, "quarter", None, None, UTC);
    let mut ck = Checker::new("revenue quarter");
    check_revenue(
        &mut ck,
        &doc,
        &[
            // Q1: start Dec (a100 b200 c50, M=350), end Mar (a150 b150 d100):
            // S=3 E=3 N=1 C=1 CM=50; a +50, b -50: X=50 K=50 XA=1.
            // Growth: Q4 2025 has no value → null.
            (
                "2026-Q1",
                None,
                [
                    Some(2.0 / 3.0),
                    Some(1.0 / 3.0),
                    Some(2.0 / 7.0),
                    Some(50.0),
                    Some(6.0 / 7.0),
                    Some(1.0 / 3.0),
                    None,
                ],
            ),
            // Q2 to date: start Mar (a150 b150 d100, M=400), end Apr (last
            // month of data): b churns, CM=150. Growth (0-50)/50.
            (
                "2026-Q2",
                None,
                [
                    Some(2.0 / 3.0),
                    Some(1.0 / 3.0),
                    Some(0.375),
                    Some(0.0),
                    Some(0.625),
                    Some(0.0),
                    Some(-1.0),
                ],
            ),
        ],
    );
    for id in REVENUE_KPIS {
        // 2025-Q4 would start from September 2025, before the data.
        ck.keys(&doc, id, &[("2026-Q1", None), ("2026-Q2", None)]);
        ck.incomplete(&doc, &[(id, "2026-Q1", false), (id, "2026-Q2", true)]);
    }
    ck.done();
}

/// Revenue with no snapshot at all in March: January a100 b100, February
/// a100 b50, April a120.
const REVENUE_GAP: &str = "\
account_id,month,mrr
a,2026-01-01,100
b,2026-01-01,100
a,2026-02-01,100
b,2026-02-01,50
a,2026-04-01,120
";

#[test]
fn revenue_period_without_a_month_of_data_has_no_point() {
    let s = session(&[(Revenue, REVENUE_GAP)]);
    let mut ck = Checker::new("revenue gap, month");
    let doc = run(&s, "month", None, None, UTC);
    // February vs January: S=2 E=2 C=0, b -50: K=50, M=200.
    // March: "end" is the last month of March the data has: none, so no point.
    // April vs March (no March data: every start is 0): S=0, N=1 (a).
    for id in REVENUE_KPIS {
        ck.keys(&doc, id, &[("2026-02", None), ("2026-04", None)]);
    }
    check_revenue(
        &mut ck,
        &doc,
        &[
            (
                "2026-02",
                None,
                [
                    Some(1.0),
                    Some(0.0),
                    Some(0.25),
                    Some(0.0),
                    Some(0.75),
                    Some(0.0),
                    None,
                ],
            ),
            // S = 0: every ratio null; X = 0; growth against March, which has
            // no point: null.
            (
                "2026-04",
                None,
                [None, None, None, Some(0.0), None, None, None],
            ),
        ],
    );
    // April's previous is March's, which does not exist.
    ck.changes(
        &doc,
        &[("expansion_revenue", "2026-04", None, Some(0.0), None, None)],
    );
    // Quarters: Q1 starts in December, before the data: no point. Q2 vs
    // March (nothing): end = April, the last month of Q2 the data has; Q2
    // runs past the data (June), so it is incomplete.
    let doc = run(&s, "quarter", None, None, UTC);
    let mut q = Checker::new("revenue gap, quarter");
    q.keys(&doc, "churn_rate", &[("2026-Q2", None)]);
    q.values(&doc, &[("expansion_revenue", "2026-Q2", None, Some(0.0))]);
    q.incomplete(&doc, &[("expansion_revenue", "2026-Q2", true)]);
    q.done();
    ck.done();
}

#[test]
fn revenue_segment_is_taken_from_the_start_snapshot() {
    let s = session(&[(Revenue, MRR)]);
    let doc = run(&s, "month", Some("segment"), None, UTC);
    let mut ck = Checker::new("revenue by segment");
    check_revenue(
        &mut ck,
        &doc,
        &[
            // Feb, smb = a (Jan snapshot smb, 100→150), c (50→0), d (new, its
            // end snapshot smb): S=2 E=2 N=1 C=1 M=150 CM=50 X=50 K=0 XA=1.
            // (2-1)/2, 1/2, 50/150, 50, (150+50-0-50)/150, 1/2, (50-0)/0 → null.
            (
                "2026-02",
                Some("smb"),
                [
                    Some(0.5),
                    Some(0.5),
                    Some(1.0 / 3.0),
                    Some(50.0),
                    Some(1.0),
                    Some(0.5),
                    None,
                ],
            ),
            // Feb, ent = b 200→150: S=E=1, K=50, M=200. Growth: Jan X=0 → null.
            (
                "2026-02",
                Some("ent"),
                [
                    Some(1.0),
                    Some(0.0),
                    Some(0.25),
                    Some(0.0),
                    Some(0.75),
                    Some(0.0),
                    None,
                ],
            ),
            // Mar, mid = a (Feb snapshot says mid), 150→150.
            (
                "2026-03",
                Some("mid"),
                [
                    Some(1.0),
                    Some(0.0),
                    Some(0.0),
                    Some(0.0),
                    Some(1.0),
                    Some(0.0),
                    None,
                ],
            ),
            // Mar, smb = d 80→100: X=20, NRR 100/80, XA=1; growth (20-50)/50.
            (
                "2026-03",
                Some("smb"),
                [
                    Some(1.0),
                    Some(0.0),
                    Some(0.0),
                    Some(20.0),
                    Some(1.25),
                    Some(1.0),
                    Some(-0.6),
                ],
            ),
        ],
    );
    ck.done();
}

#[test]
fn revenue_kpis_are_unavailable_at_day_and_week_grain() {
    let s = session(&[(Revenue, MRR)]);
    for grain in ["day", "week"] {
        let doc = run(&s, grain, None, None, UTC);
        let mut ck = Checker::new(grain);
        for id in REVENUE_KPIS {
            let k = kpi(&doc, id);
            ck.expect(!k.available && k.points.is_empty(), || {
                format!("{id} at {grain}: available {}", k.available)
            });
            ck.expect(
                k.reason.as_deref().is_some_and(|r| r.contains("grain")),
                || format!("{id} at {grain}: reason {:?}", k.reason),
            );
        }
        ck.done();
    }
    // Year grain works: 2026 starts from Dec 2025 and runs to April (to date).
    let doc = run(&s, "year", None, None, UTC);
    let mut ck = Checker::new("year");
    // Start Dec: a100 b200 c50 (M=350); end Apr: a150 b0 d100.
    // S=3, E=2, N=1 (d), C=2 (b, c), CM=250, X=50 (a), K=0.
    ck.values(
        &doc,
        &[
            // (2 - 1) / 3.
            ("customer_retention_rate", "2026", None, Some(1.0 / 3.0)),
            ("churn_rate", "2026", None, Some(2.0 / 3.0)),
            // (250 + 0) / 350.
            ("revenue_churn_rate", "2026", None, Some(250.0 / 350.0)),
            // (350 + 50 - 0 - 250) / 350.
            ("net_revenue_retention", "2026", None, Some(150.0 / 350.0)),
        ],
    );
    ck.incomplete(&doc, &[("churn_rate", "2026", true)]);
    ck.done();
}

// ---------------------------------------------------------------------------
// Series: community balance; survey.
// ---------------------------------------------------------------------------

#[test]
fn community_members_is_a_balance_on_the_latest_date() {
    let csv = "\
date,metric,value
2026-01-05,community_members,100
2026-01-31,community_members,120
2026-02-10,community_members,150
2026-02-20,community_members,130
2026-03-15,community_members,156
2026-02-15,branded_search_volume,7
2026-02-25,branded_search_volume,8
";
    let s = session(&[(Series, csv)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("community");
    // m: Jan 120 (Jan 31, not 100 + 120), Feb 130 (Feb 20: latest, not the
    // max 150), Mar 156.
    ck.ratios(
        &doc,
        &[
            // (130 - 120) / 120.
            (
                "community_growth_rate",
                "2026-02",
                None,
                None,
                Some(10.0 / 120.0),
                Some(10.0),
                Some(120.0),
            ),
            // (156 - 130) / 130.
            (
                "community_growth_rate",
                "2026-03",
                None,
                None,
                Some(0.2),
                Some(26.0),
                Some(130.0),
            ),
        ],
    );
    // Jan has no previous period: null.
    ck.values(
        &doc,
        &[
            ("community_growth_rate", "2026-01", None, None),
            // Other series are summed: 7 + 8.
            ("branded_search_volume", "2026-02", None, Some(15.0)),
        ],
    );
    // Series KPIs whose metric has no rows are unavailable, saying which
    // metric; engagement_rate needs both of its metrics.
    for (id, metric) in [
        ("content_engagement", "content_engagements"),
        ("engagement_rate", "engaged_sessions"),
    ] {
        let k = kpi(&doc, id);
        ck.expect(
            !k.available
                && k.points.is_empty()
                && k.reason.as_deref().is_some_and(|r| r.contains(metric)),
            || format!("{id}: available {} reason {:?}", k.available, k.reason),
        );
    }
    ck.expect(kpi(&doc, "branded_search_volume").available, || {
        "branded_search_volume has rows".to_owned()
    });
    ck.done();
}

#[test]
fn survey_rates_leave_null_answers_out_of_the_denominator() {
    let csv = "\
date,respondent_id,icp,aware,recall
2026-03-01,r1,true,true,true
2026-03-02,r2,true,false,
2026-03-03,r3,false,true,true
2026-03-04,r4,,,false
2026-03-05,r5,true,true,false
";
    let s = session(&[(Survey, csv)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("survey");
    ck.ratios(
        &doc,
        &[
            // aware true r1 r3 r5 over non-null aware r1 r2 r3 r5.
            (
                "brand_awareness",
                "2026-03",
                None,
                None,
                Some(0.75),
                Some(3.0),
                Some(4.0),
            ),
            // icp true: r1 r2 r5; non-null recall among them r1 (true), r5.
            (
                "brand_recall_icp",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
        ],
    );
    ck.done();
}

#[test]
fn survey_periods_of_null_answers_have_null_points() {
    // February: one ICP respondent who answered neither question (APAC).
    // March: answers. April: one non-ICP respondent (EMEA).
    let csv = "\
date,respondent_id,icp,aware,recall,region
2026-02-10,r6,true,,,apac
2026-03-01,r1,true,true,true,emea
2026-03-02,r2,true,false,false,emea
2026-04-01,r7,false,true,,emea
";
    let s = session(&[(Survey, csv)]);
    let doc = run(&s, "month", Some("region"), None, UTC);
    let mut ck = Checker::new("survey null periods");
    // Respondents make the points (catalog: segment points where the segment
    // has rows); with every answer null the rate is 0 / 0 = null.
    ck.keys(
        &doc,
        "brand_awareness",
        &[
            ("2026-02", None),
            ("2026-02", Some("apac")),
            ("2026-03", None),
            ("2026-03", Some("emea")),
            ("2026-04", None),
            ("2026-04", Some("emea")),
        ],
    );
    // Recall counts ICP respondents only: April's respondent is not one, so
    // the last period with data is March.
    ck.keys(
        &doc,
        "brand_recall_icp",
        &[
            ("2026-02", None),
            ("2026-02", Some("apac")),
            ("2026-03", None),
            ("2026-03", Some("emea")),
        ],
    );
    ck.ratios(
        &doc,
        &[
            (
                "brand_awareness",
                "2026-02",
                None,
                None,
                None,
                Some(0.0),
                Some(0.0),
            ),
            (
                "brand_awareness",
                "2026-02",
                Some("apac"),
                None,
                None,
                Some(0.0),
                Some(0.0),
            ),
            // r1 aware of r1, r2.
            (
                "brand_awareness",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
            (
                "brand_awareness",
                "2026-04",
                None,
                None,
                Some(1.0),
                Some(1.0),
                Some(1.0),
            ),
            (
                "brand_recall_icp",
                "2026-02",
                None,
                None,
                None,
                Some(0.0),
                Some(0.0),
            ),
            (
                "brand_recall_icp",
                "2026-03",
                None,
                None,
                Some(0.5),
                Some(1.0),
                Some(2.0),
            ),
        ],
    );
    // The inputs it needs, each once (both sides and the population read them).
    let inputs = &kpi(&doc, "brand_recall_icp").inputs;
    ck.expect(
        *inputs == ["survey.date", "survey.icp", "survey.recall"],
        || format!("brand_recall_icp inputs {inputs:?}"),
    );
    ck.done();
}

#[test]
fn spend_and_series_filters_and_target_accounts() {
    let csv = "\
date,metric,value,target_account
2026-03-01,social_engagements,10,true
2026-03-02,social_engagements,20,false
2026-03-03,social_engagements,5,
2026-03-04,social_engagements,1,true
";
    let s = session(&[(Series, csv)]);
    let doc = run(&s, "month", None, None, UTC);
    let mut ck = Checker::new("target accounts");
    // Only target_account = true: 10 + 1.
    ck.values(
        &doc,
        &[(
            "social_engagement_target_accounts",
            "2026-03",
            None,
            Some(11.0),
        )],
    );
    ck.done();
}

// ---------------------------------------------------------------------------
// Period labels: grains, fiscal year, time zone.
// ---------------------------------------------------------------------------

/// (created_at, grain, fiscal start month, tz, expected label)
const LABELS: &[(&str, &str, u32, &str, &str)] = &[
    ("2026-03-15T10:00:00", "day", 1, UTC, "2026-03-15"),
    // ISO week: 2026-01-01 is a Thursday, so W01 is Mon Dec 29 .. Sun Jan 4;
    // Mar 15 is 76 d after Dec 29 → 1 + 76 div 7 = W11.
    ("2026-03-15T10:00:00", "week", 1, UTC, "2026-W11"),
    ("2025-12-29T00:00:00", "week", 1, UTC, "2026-W01"),
    ("2026-01-04T23:59:59", "week", 1, UTC, "2026-W01"),
    ("2025-12-28T12:00:00", "week", 1, UTC, "2025-W52"),
    // 2021-01-01 is a Friday, so Sun Jan 3 2021 is in the last week of 2020,
    // which has 53 ISO weeks (a leap year starting on a Wednesday).
    ("2021-01-03T00:00:00", "week", 1, UTC, "2020-W53"),
    ("2026-03-15T10:00:00", "month", 1, UTC, "2026-03"),
    ("2026-03-15T10:00:00", "quarter", 1, UTC, "2026-Q1"),
    ("2026-04-01T00:00:00", "quarter", 1, UTC, "2026-Q2"),
    ("2026-03-15T10:00:00", "year", 1, UTC, "2026"),
    // Fiscal year from April, named by the calendar year it ends in.
    ("2026-04-01T00:00:00", "quarter", 4, UTC, "2027-Q1"),
    ("2026-07-15T00:00:00", "quarter", 4, UTC, "2027-Q2"),
    ("2026-03-31T23:00:00", "quarter", 4, UTC, "2026-Q4"),
    ("2026-01-10T00:00:00", "quarter", 4, UTC, "2026-Q4"),
    ("2026-04-01T00:00:00", "year", 4, UTC, "2027"),
    ("2027-03-31T00:00:00", "year", 4, UTC, "2027"),
    // Time zone: an instant is converted, a naive timestamp is wall time.
    ("2026-03-31T23:30:00Z", "month", 1, "+02:00", "2026-04"),
    ("2026-03-31T23:30:00", "month", 1, "+02:00", "2026-03"),
    ("2026-03-31T23:30:00Z", "month", 1, UTC, "2026-03"),
    ("2026-04-01T01:00:00+02:00", "month", 1, UTC, "2026-03"),
    ("2026-04-01T01:00:00+02:00", "month", 1, "+02:00", "2026-04"),
    ("2026-04-01T00:30:00Z", "month", 1, "-01:00", "2026-03"),
    // A date is midnight of that date in the report time zone.
    ("2026-04-01", "month", 1, "-05:00", "2026-04"),
];

#[test]
fn period_labels_by_grain_fiscal_year_and_time_zone() {
    let mut failures = Vec::new();
    for (created, grain, fiscal, tz, label) in LABELS {
        let csv = format!("id,created_at\n1,{created}\n");
        let config = format!(r#"{{"fiscal_year_start_month":{fiscal}}}"#);
        let s = crate::support::session_with(&[(People, &csv)], Some(&config));
        let doc = run(&s, grain, None, None, tz);
        let periods: Vec<&str> = kpi(&doc, "new_leads")
            .points
            .iter()
            .map(|p| p.period.as_str())
            .collect();
        if periods != [*label] {
            failures.push(format!(
                "{created} at {grain}, fiscal {fiscal}, tz {tz}: {periods:?}, expected {label}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Events feed people.
// ---------------------------------------------------------------------------

#[test]
fn events_fill_missing_milestones_and_add_people() {
    let people = "\
id,created_at,trial_started_at
1,2026-03-01T00:00:00,
2,2026-03-02T00:00:00,2026-03-03T00:00:00
";
    // #1: first trial_started event Mar 5 (not Mar 10).
    // #2: the people row has Mar 3, which stays (the Apr 4 event is ignored).
    // #3: only in events: created at its first event, Apr 2 (page_view).
    let events = "\
entity_id,event,timestamp
1,trial_started,2026-03-10T00:00:00
1,trial_started,2026-03-05T00:00:00
2,trial_started,2026-04-04T00:00:00
3,page_view,2026-04-02T00:00:00
3,trial_started,2026-04-03T00:00:00
";
    let s = session(&[(People, people), (Events, events)]);
    let doc = run(&s, "month", None, Some("2026-04-30"), UTC);
    let mut ck = Checker::new("events");
    let v = "trial_signup_velocity";
    ck.ratios(
        &doc,
        &[
            // March trials: #1 (Mar 5), #2 (Mar 3) over 31 days.
            (
                v,
                "2026-03",
                None,
                None,
                Some(2.0 / 31.0),
                Some(2.0),
                Some(31.0),
            ),
            // April: #3 (Apr 3) over 30 days.
            (
                v,
                "2026-04",
                None,
                None,
                Some(1.0 / 30.0),
                Some(1.0),
                Some(30.0),
            ),
        ],
    );
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", None, Some(2.0)),
            ("new_leads", "2026-04", None, Some(1.0)),
        ],
    );
    ck.expect(doc.quality.people_from_events == 1, || {
        format!("people_from_events {}", doc.quality.people_from_events)
    });
    ck.done();
}

// ---------------------------------------------------------------------------
// Dimensions: accounts join, own column wins, boolean labels.
// ---------------------------------------------------------------------------

const ACCOUNTS: &str = "\
account_id,segment,icp_tier,target_account
A1,smb,tier1,true
A2,ent,tier2,false
";

#[test]
fn dimensions_join_from_accounts_when_the_table_lacks_them() {
    // #3 has no account, #4 an account not in the list: both (none).
    let people = "\
id,created_at,account_id,icp
1,2026-03-01T00:00:00,A1,true
2,2026-03-02T00:00:00,A2,false
3,2026-03-03T00:00:00,,
4,2026-03-04T00:00:00,A9,true
";
    let s = session(&[(People, people), (kpidash::TableKind::Accounts, ACCOUNTS)]);
    let mut ck = Checker::new("accounts join");
    let doc = run(&s, "month", Some("segment"), Some("2026-03-31"), UTC);
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-03", Some("ent")),
            ("2026-03", Some("smb")),
            ("2026-03", Some("(none)")),
        ],
    );
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", Some("smb"), Some(1.0)),
            ("new_leads", "2026-03", Some("ent"), Some(1.0)),
            ("new_leads", "2026-03", Some("(none)"), Some(2.0)),
        ],
    );
    ck.expect(kpi(&doc, "new_leads").reason.is_none(), || {
        format!("reason {:?}", kpi(&doc, "new_leads").reason)
    });
    // Boolean dimensions are labelled true / false; null is (none).
    let doc = run(&s, "month", Some("icp"), Some("2026-03-31"), UTC);
    ck.values(
        &doc,
        &[
            ("new_leads", "2026-03", Some("true"), Some(2.0)),
            ("new_leads", "2026-03", Some("false"), Some(1.0)),
            ("new_leads", "2026-03", Some("(none)"), Some(1.0)),
        ],
    );
    ck.done();
}

#[test]
fn a_tables_own_dimension_wins_over_the_accounts_one() {
    // The people table has a segment column: accounts do not fill it, not
    // even where it is empty (#2 stays (none)).
    let people = "\
id,created_at,account_id,segment
1,2026-03-01T00:00:00,A1,mid
2,2026-03-02T00:00:00,A2,
";
    let s = session(&[(People, people), (kpidash::TableKind::Accounts, ACCOUNTS)]);
    let doc = run(&s, "month", Some("segment"), Some("2026-03-31"), UTC);
    let mut ck = Checker::new("own column wins");
    ck.keys(
        &doc,
        "new_leads",
        &[
            ("2026-03", None),
            ("2026-03", Some("mid")),
            ("2026-03", Some("(none)")),
        ],
    );
    // Revenue has no icp_tier: joined from accounts. a is not in ACCOUNTS.
    let revenue = "\
account_id,month,mrr
A1,2026-01-01,100
A2,2026-01-01,100
A1,2026-02-01,120
A2,2026-02-01,0
";
    let s = session(&[(Revenue, revenue), (kpidash::TableKind::Accounts, ACCOUNTS)]);
    let doc = run(&s, "month", Some("icp_tier"), None, UTC);
    ck.values(
        &doc,
        &[
            // tier1 = A1: 100 → 120, X = 20; tier2 = A2 churns: 1 / 1.
            ("expansion_revenue", "2026-02", Some("tier1"), Some(20.0)),
            ("churn_rate", "2026-02", Some("tier2"), Some(1.0)),
            ("churn_rate", "2026-02", Some("tier1"), Some(0.0)),
            // Total: C / S = 1 / 2.
            ("churn_rate", "2026-02", None, Some(0.5)),
        ],
    );
    ck.done();
}
