//! Telling a file's table kind from its headers, and mapping headers to
//! roles, as each kind's spec ([`crate::model::KINDS`]) describes them
//! (`docs/data-model.md`).

use crate::model::kinds::Reshape;
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

/// Headers that name a person in a list without ids (a lead list needs one
/// of them or an e-mail to be people).
const NAME_HEADERS: [&str; 5] = ["first_name", "last_name", "full_name", "name", "firstname"];

/// Whether a reshaping pass can make a table of its kind from headers with
/// these roles: it applies to their shape. `has_range`: the banner names
/// the report's date range.
pub fn reshape_applies(
    reshape: Reshape,
    headers: &[String],
    roles: &[Option<String>],
    has_range: bool,
) -> bool {
    let has = |r: &str| roles.iter().any(|x| x.as_deref() == Some(r));
    match reshape {
        Reshape::StripeSubscriptions | Reshape::DealOutcome => false,
        Reshape::LeadList => {
            !has("id")
                && (has("email") || headers.iter().any(|h| NAME_HEADERS.contains(&h.as_str())))
        }
        Reshape::WideSeries => {
            has("date") && !has("metric") && !has("value") && roles.iter().any(Option::is_none)
        }
        Reshape::SpreadOverRange => {
            has_range && !has("date") && (has("cost") || has("cost_micros"))
        }
    }
}

/// How well a file's headers fit one kind (see [`rank_kinds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct KindFit {
    /// The kind.
    pub kind: TableKind,
    /// The detection score: higher fits better.
    pub score: i32,
    /// Whether the kind is a candidate: every required role is there (or
    /// made by a reshaping pass) and, where the kind needs one of some
    /// roles, one of them is.
    pub complete: bool,
}

/// Two candidate kinds whose scores differ by at most this are both
/// plausible: the file's card says so and offers the other one.
pub const CLOSE_SCORE: i32 = 2;

/// Scores how well the headers fit each kind (with the roles the user chose,
/// see [`map_roles`]), every kind, the candidates first and the best first
/// among them (ties in the order of [`KINDS`]).
///
/// A required role is present as a header, in other units (`cost_micros`),
/// or made by a reshaping pass that applies ([`reshape_applies`]: a lead
/// list's ids, a wide series' metrics, a campaign report's dates from its
/// banner's range). The score is two per mapped header, three per required
/// role among the headers, minus one per role a reshaping pass makes, plus
/// the kind's bias; a kind that needs one of some roles
/// ([`crate::model::kinds::Detection::needs_one_of`]) is no candidate
/// without them.
pub fn rank_kinds(headers: &[String], forced: &[Option<String>], has_range: bool) -> Vec<KindFit> {
    let mut out: Vec<KindFit> = KINDS
        .iter()
        .map(|spec| {
            let roles = map_roles(spec.kind, headers, forced);
            let has = |r: &str| roles.iter().any(|x| x.as_deref() == Some(r));
            // A required role is there itself or in other units (`cost_micros`).
            let native = |r: &str| {
                has(r)
                    || spec
                        .roles
                        .iter()
                        .any(|o| o.scaled.is_some_and(|s| s.into == r) && has(o.role))
            };
            let supplied: Vec<&str> = spec
                .reshapes
                .iter()
                .filter(|r| reshape_applies(**r, headers, &roles, has_range))
                .flat_map(|r| r.supplies().iter().copied())
                .collect();
            let d = &spec.detection;
            let complete = spec.required().all(|r| native(r) || supplied.contains(&r))
                && (d.needs_one_of.is_empty() || d.needs_one_of.iter().any(|r| has(r)));
            let required = spec.required().filter(|r| native(r)).count() as i32;
            let made = spec.required().filter(|r| !native(r)).count() as i32;
            let mapped = roles.iter().filter(|r| r.is_some()).count() as i32;
            let bias = if d.distinctive.iter().any(|r| has(r)) {
                0
            } else {
                d.bias
            };
            KindFit {
                kind: spec.kind,
                score: mapped * 2 + bias + 3 * required - made,
                complete,
            }
        })
        .collect();
    // Stable: equal scores keep the order of `KINDS`.
    out.sort_by_key(|f| (!f.complete, -f.score));
    out
}

/// The best candidate kind for the headers ([`rank_kinds`]), or a
/// description of the miss.
pub fn detect_kind(
    headers: &[String],
    forced: &[Option<String>],
    has_range: bool,
) -> Result<TableKind, String> {
    match rank_kinds(headers, forced, has_range).first() {
        Some(f) if f.complete => Ok(f.kind),
        _ => {
            let shown: Vec<&str> = headers.iter().take(8).map(String::as_str).collect();
            Err(format!(
                "not recognised: no table kind has all its required columns among [{}{}]",
                shown.join(", "),
                if headers.len() > 8 { ", …" } else { "" }
            ))
        }
    }
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
/// value as written. Values are compared lower-cased with spaces, `-` and
/// `_` alike, so `Paid Search`, `PAID_SEARCH` and `paid-search` are one:
///
/// * HubSpot's sources, as the API (`PAID_SEARCH`) and the page (`Paid
///   Search`, `Direct Traffic`, `Other Campaigns`, `Social Media`, `Email
///   Marketing`, `Referrals`, `Offline Sources`) write them;
/// * GA4's default channel groups (`Organic Search`, `Paid Social`, `Email`,
///   `Referral`, `Direct`, `Display`, `Paid Video`, `Affiliates`,
///   `Unassigned`, `Cross-network`, …);
/// * UTM mediums (`cpc`, `ppc`, `paid-social`, `email`, `referral`,
///   `display`, `social`); a bare `organic` may be search or social, and
///   stays as written.
pub fn standard_channel(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if let Some(c) = CHANNELS.iter().find(|c| v == **c) {
        return Some(c);
    }
    let key: String = v
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    Some(match key.as_str() {
        "paid_search" | "cpc" | "ppc" | "sem" | "paid_shopping" | "search_ads" => "paid_search",
        "paid_social" | "paidsocial" | "social_paid" | "paid_social_media" | "social_ads" => {
            "paid_social"
        }
        // A bare `organic` (search or social?) stays as written.
        "organic_search" | "seo" | "organic_shopping" => "organic_search",
        "organic_social" | "social_media" | "social" | "organic_video" => "organic_social",
        "email" | "email_marketing" | "e_mail" | "mail" => "email",
        "referral" | "referrals" | "affiliate" | "affiliates" => "referral",
        "direct" | "direct_traffic" => "direct",
        "display" | "paid_video" | "banner" | "cpm" | "programmatic" => "display",
        "offline" | "offline_sources" => "offline",
        "other"
        | "other_campaigns"
        | "unassigned"
        | "cross_network"
        | "paid_other"
        | "sms"
        | "audio"
        | "mobile_push_notifications" => "other",
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
        detect_kind(headers, &[], false)
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

    /// A bare record list with an amount could be deals or people: deals
    /// score 2 per mapped header (id, created_at, amount: 6) + 3 per required
    /// role (id, created_at: 6) = 12; people map id and created_at only: 4 +
    /// 6 = 10. Two apart ([`CLOSE_SCORE`]): plausibly either.
    #[test]
    fn a_file_plausibly_of_two_kinds_names_the_other() {
        let headers = hs(&["Record ID", "Create Date", "Amount"]);
        let ranked = rank_kinds(&headers, &[], false);
        assert_eq!(
            ranked[..2],
            [
                KindFit {
                    kind: TableKind::Deals,
                    score: 12,
                    complete: true
                },
                KindFit {
                    kind: TableKind::People,
                    score: 10,
                    complete: true
                },
            ]
        );
        assert_eq!(detect(&headers), Ok(TableKind::Deals));
        assert!(ranked[0].score - ranked[1].score <= CLOSE_SCORE);
        // Nothing complete: the best partial fit comes first, not complete.
        let ranked = rank_kinds(&hs(&["foo", "bar"]), &[], false);
        assert!(ranked.iter().all(|f| !f.complete));
    }

    #[test]
    fn channels() {
        assert_eq!(standard_channel("PAID_SEARCH"), Some("paid_search"));
        assert_eq!(standard_channel("SOCIAL_MEDIA"), Some("organic_social"));
        assert_eq!(standard_channel("email"), Some("email"));
        assert_eq!(standard_channel("Newsletter"), None);
        // HubSpot's page labels, GA4's default channel groups, UTM mediums.
        for (value, channel) in [
            ("Paid Search", "paid_search"),
            ("Organic Search", "organic_search"),
            ("Direct Traffic", "direct"),
            ("Other Campaigns", "other"),
            ("Social Media", "organic_social"),
            ("Email Marketing", "email"),
            ("Referrals", "referral"),
            ("Offline Sources", "offline"),
            ("Paid Social", "paid_social"),
            ("Email", "email"),
            ("Referral", "referral"),
            ("Direct", "direct"),
            ("Unassigned", "other"),
            ("Cross-network", "other"),
            ("Display", "display"),
            ("cpc", "paid_search"),
            ("ppc", "paid_search"),
            ("paid-social", "paid_social"),
            ("email", "email"),
            ("referral", "referral"),
            ("display", "display"),
        ] {
            assert_eq!(standard_channel(value), Some(channel), "{value}");
        }
        assert_eq!(standard_channel("(none)"), None);
        assert_eq!(standard_channel("organic"), None);
        assert_eq!(standard_channel("Webinar"), None);
    }
}
