//! Telling a file's table kind from its headers, and mapping headers to roles
//! (catalog §2 and §5).

use crate::model::TableKind;

/// Normalises a header for matching: trims, drops a trailing parenthesised
/// currency or time zone (`Amount spent (USD)`), lower-cases, and joins words
/// with `_` (`Cost / conv.` → `cost_conv`, `segments.date` → `segments_date`).
pub fn normalize_header(h: &str) -> String {
    let mut t = h.trim().trim_start_matches('\u{feff}').trim();
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
        && open > 0
    {
        t = t[..open].trim_end();
    }
    let mut out = String::with_capacity(t.len());
    let mut pending = false;
    for c in t.chars() {
        if c.is_alphanumeric() {
            if pending && !out.is_empty() {
                out.push('_');
            }
            pending = false;
            out.extend(c.to_lowercase());
        } else {
            pending = true;
        }
    }
    out
}

/// Header aliases of each kind: normalised header → role. Canonical role names
/// match themselves and are not listed.
fn aliases(kind: TableKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TableKind::People => &[
            ("record_id", "id"),
            ("contact_id", "id"),
            ("lead_id", "id"),
            ("person_id", "id"),
            ("user_id", "id"),
            ("vid", "id"),
            ("email_address", "email"),
            ("create_date", "created_at"),
            ("createddate", "created_at"),
            ("created_date", "created_at"),
            ("created", "created_at"),
            ("signup_date", "created_at"),
            ("original_source", "source"),
            ("leadsource", "source"),
            ("lead_source", "source"),
            ("channel", "source"),
            ("utm_campaign", "campaign"),
            ("contact_owner", "owner"),
            ("lead_owner", "owner"),
            ("ownerid", "owner"),
            ("associated_company", "account_id"),
            ("associated_company_id", "account_id"),
            ("company_id", "account_id"),
            ("accountid", "account_id"),
            ("became_a_marketing_qualified_lead_date", "mql_at"),
            ("became_a_sales_qualified_lead_date", "sql_at"),
            ("became_an_opportunity_date", "opportunity_at"),
            ("became_a_customer_date", "customer_at"),
            ("converteddate", "customer_at"),
            ("converted_date", "customer_at"),
            ("first_engagement_date", "first_contact_at"),
        ],
        TableKind::Events => &[
            ("user_id", "entity_id"),
            ("person_id", "entity_id"),
            ("distinct_id", "entity_id"),
            ("contact_id", "entity_id"),
            ("event_name", "event"),
            ("event_type", "event"),
            ("time", "timestamp"),
            ("event_time", "timestamp"),
            ("occurred_at", "timestamp"),
            ("created_at", "timestamp"),
        ],
        TableKind::Spend => &[
            ("day", "date"),
            ("segments_date", "date"),
            ("reporting_starts", "date"),
            ("date_start", "date"),
            // LinkedIn Campaign Manager: `Start Date (in UTC)`, `Total Spent`.
            ("start_date", "date"),
            ("spend", "cost"),
            ("amount_spent", "cost"),
            ("total_spent", "cost"),
            ("metrics_cost_micros", "cost_micros"),
            ("impr", "impressions"),
            ("metrics_impressions", "impressions"),
            ("link_clicks", "clicks"),
            ("metrics_clicks", "clicks"),
            ("metrics_conversions", "conversions"),
            ("results", "conversions"),
            ("campaign_name", "campaign"),
            ("campaign_name_2", "campaign"),
            ("currency_code", "currency"),
            ("source", "channel"),
        ],
        TableKind::Revenue => &[
            ("customer_id", "account_id"),
            ("customer", "account_id"),
            ("snapshot_month", "month"),
            ("date", "month"),
            ("period", "month"),
            ("monthly_recurring_revenue", "mrr"),
            // Stripe subscriptions (see stripe.rs).
            ("amount", "mrr"),
            ("start", "month"),
            ("current_period_start", "month"),
        ],
        TableKind::Series => &[("day", "date"), ("series", "metric"), ("name", "metric")],
        TableKind::Survey => &[
            ("response_date", "date"),
            ("submitted_at", "date"),
            ("respondent", "respondent_id"),
            ("aided_awareness", "aware"),
            ("unaided_recall", "recall"),
        ],
        TableKind::Accounts => &[
            ("id", "account_id"),
            ("company_id", "account_id"),
            ("record_id", "account_id"),
            ("tier", "icp_tier"),
        ],
    }
}

/// The role a normalised header takes in a table of `kind`, if any.
pub fn role_for(kind: TableKind, header: &str) -> Option<&'static str> {
    if let Some((_, role)) = aliases(kind).iter().find(|(h, _)| *h == header) {
        return Some(role);
    }
    // Canonical names map to themselves.
    let canonical = canonical_roles(kind)
        .iter()
        .find(|r| **r == header)
        .copied();
    if canonical.is_some() {
        return canonical;
    }
    None
}

/// The canonical roles of a kind, besides `task_*` (people) and free dimensions.
pub fn canonical_roles(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::People => &[
            "id",
            "created_at",
            "email",
            "account_id",
            "source",
            "campaign",
            "persona",
            "segment",
            "region",
            "owner",
            "icp",
            "signup_started_at",
            "signup_completed_at",
            "trial_started_at",
            "activated_at",
            "first_feature_at",
            "mql_at",
            "sql_at",
            "opportunity_at",
            "customer_at",
            "first_contact_at",
        ],
        TableKind::Events => &["entity_id", "event", "timestamp"],
        TableKind::Spend => &[
            "date",
            "cost",
            "cost_micros",
            "channel",
            "campaign",
            "impressions",
            "clicks",
            "conversions",
            "icp_audience",
            "currency",
        ],
        TableKind::Revenue => &[
            "account_id",
            "month",
            "mrr",
            "segment",
            "region",
            "plan",
            "channel",
            "currency",
        ],
        TableKind::Series => &["date", "metric", "value", "target_account"],
        TableKind::Survey => &["date", "respondent_id", "icp", "aware", "recall"],
        TableKind::Accounts => &[
            "account_id",
            "icp_tier",
            "segment",
            "industry",
            "region",
            "target_account",
        ],
    }
}

/// Maps normalised headers to roles for `kind`: one entry per header, `None`
/// where the header has no role. A role is given to the first header that
/// claims it; later claimants keep no role. A `task_*` header is its own role.
pub fn map_roles(kind: TableKind, headers: &[String]) -> Vec<Option<String>> {
    map_roles_with(kind, headers, &[])
}

/// [`map_roles`] with roles the user chose: `forced[i]` is the role of header
/// `i` (`Some("")` for none), which no alias can take from it.
pub fn map_roles_with(
    kind: TableKind,
    headers: &[String],
    forced: &[Option<String>],
) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = vec![None; headers.len()];
    let mut fixed = vec![false; headers.len()];
    let mut taken: Vec<String> = Vec::new();
    for (i, role) in forced.iter().enumerate().take(headers.len()) {
        if let Some(r) = role {
            fixed[i] = true;
            if !r.is_empty() {
                out[i] = Some(r.clone());
                taken.push(r.clone());
            }
        }
    }
    // Canonical names first, so `channel` beats an alias `source` for spend.
    for pass in 0..2 {
        for (i, h) in headers.iter().enumerate() {
            if fixed[i] || out[i].is_some() {
                continue;
            }
            if kind == TableKind::People && h.starts_with("task_") && h.len() > 5 {
                out[i] = Some(h.clone());
                continue;
            }
            let role = if pass == 0 {
                canonical_roles(kind).iter().find(|r| **r == h).copied()
            } else {
                role_for(kind, h)
            };
            if let Some(r) = role
                && !taken.iter().any(|t| t == r)
            {
                taken.push(r.to_owned());
                out[i] = Some(r.to_owned());
            }
        }
    }
    out
}

/// Whether `role` is one a table of `kind` knows (a canonical role, a
/// `task_*` column of people, or `cost_micros` of spend).
pub fn is_role(kind: TableKind, role: &str) -> bool {
    canonical_roles(kind).contains(&role)
        || (kind == TableKind::People && role.starts_with("task_") && role.len() > 5)
}

/// Scores how well the headers fit each kind and returns the best kind whose
/// required roles are all present, or `None` with a description of the miss.
pub fn detect_kind(headers: &[String]) -> Result<TableKind, String> {
    detect_kind_with(headers, &[])
}

/// [`detect_kind`] with roles the user chose (see [`map_roles_with`]).
pub fn detect_kind_with(
    headers: &[String],
    forced: &[Option<String>],
) -> Result<TableKind, String> {
    let mut best: Option<(i32, TableKind)> = None;
    for kind in TableKind::ALL {
        let roles = map_roles_with(kind, headers, forced);
        let has = |r: &str| roles.iter().any(|x| x.as_deref() == Some(r));
        let required = kind.required_roles();
        let has_cost = has("cost") || has("cost_micros");
        let complete = required
            .iter()
            .all(|r| has(r) || (*r == "cost" && has_cost));
        if !complete {
            continue;
        }
        let mapped = roles.iter().filter(|r| r.is_some()).count() as i32;
        // Accounts and survey need few columns; make them lose ties.
        let bias = match kind {
            TableKind::Accounts => -3,
            TableKind::Survey => -2 + 2 * (has("aware") || has("recall")) as i32,
            _ => 0,
        };
        let score = mapped * 2 + bias + 3 * required.len() as i32;
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, kind));
        }
    }
    best.map(|(_, k)| k).ok_or_else(|| {
        let shown: Vec<&str> = headers.iter().take(8).map(String::as_str).collect();
        format!(
            "no table kind has all its required columns among [{}{}]",
            shown.join(", "),
            if headers.len() > 8 { ", …" } else { "" }
        )
    })
}

/// The channel vocabulary shared by all tables (catalog §5).
pub const CHANNELS: [&str; 10] = [
    "paid_search",
    "paid_social",
    "organic_search",
    "organic_social",
    "email",
    "referral",
    "direct",
    "display",
    "offline",
    "other",
];

/// Maps a known export value onto the channel vocabulary; `None` keeps the
/// value as written.
pub fn standard_channel(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if let Some(c) = CHANNELS.iter().find(|c| v == **c) {
        return Some(c);
    }
    let upper = v.to_ascii_uppercase();
    Some(match upper.as_str() {
        "PAID_SEARCH" => "paid_search",
        "PAID_SOCIAL" => "paid_social",
        "ORGANIC_SEARCH" => "organic_search",
        "SOCIAL_MEDIA" => "organic_social",
        "EMAIL_MARKETING" => "email",
        "REFERRALS" => "referral",
        "DIRECT_TRAFFIC" => "direct",
        "OFFLINE" => "offline",
        "OTHER_CAMPAIGNS" => "other",
        _ => return None,
    })
}

/// The channel a spend file without a channel column takes from its
/// platform, recognised by its headers.
pub fn platform_channel(headers: &[String]) -> Option<&'static str> {
    let has = |h: &str| headers.iter().any(|x| x == h);
    if has("impr") || has("metrics_cost_micros") || has("segments_date") || has("cost_conv") {
        Some("paid_search")
    } else if has("amount_spent")
        || has("reporting_starts")
        || has("link_clicks")
        || has("total_spent")
    {
        Some("paid_social")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs(list: &[&str]) -> Vec<String> {
        list.iter().map(|h| normalize_header(h)).collect()
    }

    #[test]
    fn headers_normalise() {
        assert_eq!(normalize_header(" Amount spent (USD) "), "amount_spent");
        assert_eq!(normalize_header("Cost / conv."), "cost_conv");
        assert_eq!(normalize_header("segments.date"), "segments_date");
        assert_eq!(normalize_header("Created (UTC)"), "created");
        assert_eq!(normalize_header("\u{feff}Record ID"), "record_id");
        assert_eq!(normalize_header("Impr."), "impr");
    }

    #[test]
    fn kinds() {
        let check = |headers: &[&str], kind: TableKind| {
            assert_eq!(detect_kind(&hs(headers)), Ok(kind), "{headers:?}");
        };
        check(&["id", "email", "created_at", "source"], TableKind::People);
        check(
            &["Record ID", "Email", "Create Date", "Original Source"],
            TableKind::People,
        );
        check(
            &["Id", "Email", "CreatedDate", "LeadSource"],
            TableKind::People,
        );
        check(&["entity_id", "event", "timestamp"], TableKind::Events);
        check(
            &["Day", "Campaign", "Impr.", "Clicks", "Cost"],
            TableKind::Spend,
        );
        check(
            &["segments.date", "campaign.name", "metrics.cost_micros"],
            TableKind::Spend,
        );
        check(
            &["Reporting starts", "Campaign name", "Amount spent (USD)"],
            TableKind::Spend,
        );
        check(
            &[
                "Start Date (in UTC)",
                "Campaign Name",
                "Total Spent",
                "Impressions",
                "Clicks",
                "Conversions",
                "Currency",
            ],
            TableKind::Spend,
        );
        check(&["account_id", "month", "mrr", "plan"], TableKind::Revenue);
        check(&["date", "metric", "value"], TableKind::Series);
        check(
            &["date", "respondent_id", "icp", "aware", "recall"],
            TableKind::Survey,
        );
        check(&["account_id", "icp_tier", "industry"], TableKind::Accounts);
        assert!(detect_kind(&hs(&["foo", "bar"])).is_err());
    }

    #[test]
    fn channels() {
        assert_eq!(standard_channel("PAID_SEARCH"), Some("paid_search"));
        assert_eq!(standard_channel("SOCIAL_MEDIA"), Some("organic_social"));
        assert_eq!(standard_channel("email"), Some("email"));
        assert_eq!(standard_channel("Newsletter"), None);
    }
}
