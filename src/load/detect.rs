//! Telling a file's table kind from its headers, and mapping headers to
//! roles, as each kind's spec ([`crate::model::KINDS`]) describes them
//! (`docs/data-model.md`).

use crate::model::{KINDS, TableKind};

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

/// The role a normalised header takes in a table of `kind`, if any: an
/// alias of a role, else a role's own name.
pub fn role_for(kind: TableKind, header: &str) -> Option<&'static str> {
    kind.spec().role_for_header(header)
}

/// Maps normalised headers to roles for `kind`: one entry per header, `None`
/// where the header has no role. `forced[i]` is the role the user chose for
/// header `i` (`Some("")` for none), which no alias can take from it; other
/// roles go to the first header that claims them, later claimants keep none.
/// A header of a prefixed family (`task_*`) is its own role.
pub fn map_roles(
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
    let spec = kind.spec();
    // Canonical names first, so `channel` beats an alias `source` for spend.
    for pass in 0..2 {
        for (i, h) in headers.iter().enumerate() {
            if fixed[i] || out[i].is_some() {
                continue;
            }
            if spec.prefixed(h).is_some() {
                out[i] = Some(h.clone());
                continue;
            }
            let role = if pass == 0 {
                spec.role(h).map(|r| r.role)
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

/// Scores how well the headers fit each kind (with the roles the user chose,
/// see [`map_roles`]) and returns the best kind whose required roles are all
/// present, or a description of the miss.
pub fn detect_kind(headers: &[String], forced: &[Option<String>]) -> Result<TableKind, String> {
    let mut best: Option<(i32, TableKind)> = None;
    for spec in &KINDS {
        let roles = map_roles(spec.kind, headers, forced);
        let has = |r: &str| roles.iter().any(|x| x.as_deref() == Some(r));
        // A required role is there itself or in other units (`cost_micros`).
        let present = |r: &str| {
            has(r)
                || spec
                    .roles
                    .iter()
                    .any(|o| o.scaled.is_some_and(|s| s.into == r) && has(o.role))
        };
        if !spec.required().all(present) {
            continue;
        }
        let required = spec.required().count() as i32;
        let mapped = roles.iter().filter(|r| r.is_some()).count() as i32;
        let d = &spec.detection;
        let bias = if d.distinctive.iter().any(|r| has(r)) {
            0
        } else {
            d.bias
        };
        let score = mapped * 2 + bias + 3 * required;
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, spec.kind));
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

/// The channel vocabulary shared by all tables (`docs/data-model.md`).
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

/// The channel a table of `kind` without a channel column takes from its
/// platform, recognised by its (normalised) headers.
pub fn platform_channel(kind: TableKind, headers: &[String]) -> Option<&'static str> {
    kind.spec()
        .platforms
        .iter()
        .find(|p| headers.iter().any(|h| p.headers.contains(&h.as_str())))
        .map(|p| p.channel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(headers: &[String]) -> Result<TableKind, String> {
        detect_kind(headers, &[])
    }

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
            assert_eq!(detect(&hs(headers)), Ok(kind), "{headers:?}");
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
        assert!(detect(&hs(&["foo", "bar"])).is_err());
    }

    /// Realistic exports of the tools whose kinds look alike: contacts and
    /// deals of one CRM, spend and budget of one channel.
    #[test]
    fn look_alike_exports() {
        let check = |what: &str, headers: &[&str], kind: TableKind| {
            assert_eq!(detect(&hs(headers)), Ok(kind), "{what}: {headers:?}");
        };
        check(
            "HubSpot contacts",
            &[
                "Record ID",
                "First Name",
                "Last Name",
                "Email",
                "Phone Number",
                "Contact owner",
                "Lifecycle Stage",
                "Lead Status",
                "Create Date",
                "Original Source",
                "Associated Company",
                "Became a Marketing Qualified Lead Date",
                "Became a Customer Date",
            ],
            TableKind::People,
        );
        // HubSpot contacts have a `Close Date` (when they became a customer)
        // and deal roll-ups; still contacts.
        check(
            "HubSpot contacts with a close date",
            &[
                "Record ID",
                "Email",
                "Create Date",
                "Original Source",
                "Close Date",
                "Recent Deal Amount",
                "Number of Associated Deals",
            ],
            TableKind::People,
        );
        check(
            "HubSpot deals",
            &[
                "Record ID",
                "Deal Name",
                "Deal Stage",
                "Pipeline",
                "Amount",
                "Close Date",
                "Create Date",
                "Deal owner",
                "Original Source Type",
                "Associated Company",
                "Deal Type",
                "Currency",
            ],
            TableKind::Deals,
        );
        check(
            "HubSpot deals, few columns",
            &[
                "Deal ID",
                "Deal Name",
                "Deal Stage",
                "Amount",
                "Create Date",
            ],
            TableKind::Deals,
        );
        check(
            "Salesforce leads report",
            &[
                "Lead ID",
                "First Name",
                "Last Name",
                "Email",
                "Company",
                "Lead Source",
                "Lead Status",
                "Created Date",
                "Converted Date",
                "Lead Owner",
            ],
            TableKind::People,
        );
        check(
            "Salesforce leads API",
            &[
                "Id",
                "Email",
                "CreatedDate",
                "LeadSource",
                "Status",
                "ConvertedDate",
                "IsConverted",
                "OwnerId",
            ],
            TableKind::People,
        );
        check(
            "Salesforce opportunities report",
            &[
                "Opportunity ID",
                "Opportunity Name",
                "Account Name",
                "Account ID",
                "Stage",
                "Amount",
                "Probability (%)",
                "Close Date",
                "Created Date",
                "Lead Source",
                "Type",
                "Opportunity Owner",
                "Won",
                "Closed",
                "Fiscal Period",
            ],
            TableKind::Deals,
        );
        check(
            "Salesforce opportunities API",
            &[
                "Id",
                "Name",
                "AccountId",
                "StageName",
                "Amount",
                "CloseDate",
                "CreatedDate",
                "LeadSource",
                "IsWon",
                "IsClosed",
                "OwnerId",
                "Type",
                "CurrencyIsoCode",
            ],
            TableKind::Deals,
        );
        check(
            "Google Ads with a campaign budget",
            &[
                "Day",
                "Campaign",
                "Budget",
                "Impr.",
                "Clicks",
                "CTR",
                "Cost",
                "Conversions",
                "Currency code",
            ],
            TableKind::Spend,
        );
        check(
            "Meta Ads with an ad set budget",
            &[
                "Reporting starts",
                "Reporting ends",
                "Campaign name",
                "Ad set budget",
                "Amount spent (USD)",
                "Impressions",
                "Reach",
                "Link clicks",
                "Results",
            ],
            TableKind::Spend,
        );
        check(
            "budget by channel",
            &["Month", "Channel", "Budget"],
            TableKind::Budget,
        );
        check(
            "budget by campaign",
            &["Month", "Channel", "Campaign", "Planned Spend", "Currency"],
            TableKind::Budget,
        );
        check(
            "budget in dollars",
            &["Period", "Channel", "Budget (USD)"],
            TableKind::Budget,
        );
        check(
            "budget planned beside actual",
            &["Month", "Channel", "Planned", "Spend"],
            TableKind::Budget,
        );
    }

    #[test]
    fn channels() {
        assert_eq!(standard_channel("PAID_SEARCH"), Some("paid_search"));
        assert_eq!(standard_channel("SOCIAL_MEDIA"), Some("organic_social"));
        assert_eq!(standard_channel("email"), Some("email"));
        assert_eq!(standard_channel("Newsletter"), None);
    }
}
