//! The table kinds, one [`KindSpec`] each: everything kpidash knows about a
//! kind, as data that detection, normalisation, the engine, the report and
//! the page read (`docs/data-model.md` explains the kinds in words).
//!
//! Adding a kind means adding its variant to [`TableKind`] and its entry to
//! [`KINDS`], at the same position; only a kind with new semantics (a
//! [`Reshape`], say) needs code besides.

use serde::Serialize;

use super::{PEOPLE_MILESTONES, RoleType, TableKind};

/// Everything kpidash knows about one table kind.
#[derive(Debug, Serialize)]
pub struct KindSpec {
    /// The kind this describes.
    pub kind: TableKind,
    /// The kind's name on the command line, in results and in the
    /// configuration (`people`).
    pub name: &'static str,
    /// What one row of such a table is, in a line for people.
    pub description: &'static str,
    /// Every role the kind knows, in the order messages list them: its
    /// physical type, whether a table must have it, the headers exports
    /// write for it.
    pub roles: &'static [RoleSpec],
    /// Families of roles named by a prefix (`task_*` columns of people):
    /// any header with the prefix and more is a role of that type.
    pub role_prefixes: &'static [RolePrefix],
    /// The milestone roles, in funnel order (people only).
    pub milestones: &'static [&'static str],
    /// The main time column: what the table's rows happen at, the anchor of
    /// its date coverage and of the count of rows without a time. `None`
    /// for a kind without one (accounts).
    pub time: Option<&'static str>,
    /// The calendar unit in which the main time column is expected to have
    /// no gaps (a day without spend is a gap; revenue snapshots are monthly).
    /// `None` for kinds whose rows come when they come (people, events).
    pub coverage: Option<CoverageGrain>,
    /// The column that holds the `channel` breakdown (people call it
    /// `source`). Its values are mapped onto the shared channel vocabulary
    /// when the table is loaded.
    pub channel: Option<&'static str>,
    /// The column that names the account a row belongs to: the join key to
    /// the accounts table, whose own identifier it is for accounts. Kinds
    /// with it can be broken down by the accounts' dimensions.
    pub account_key: Option<&'static str>,
    /// The column naming the currency of the kind's amounts, when it has one.
    pub currency: Option<&'static str>,
    /// The amount roles: money that must not be added across currencies.
    pub amounts: &'static [&'static str],
    /// The breakdowns offered for this kind out of the box, named as the
    /// report names them (`channel`, whichever column holds it).
    pub dimensions: &'static [&'static str],
    /// Ad platforms recognised by their headers: a table of this kind
    /// without its channel column takes the platform's channel.
    pub platforms: &'static [Platform],
    /// Shapes of export that become a table of this kind only after a
    /// reshaping pass (a Stripe subscription list becomes MRR snapshots).
    pub reshapes: &'static [Reshape],
    /// Which of its time columns count for the default as-of (the latest
    /// time in the data): planned or expected dates have not happened.
    pub as_of: AsOfTimes,
    /// How detection weighs this kind against the others.
    pub detection: Detection,
}

/// One role of a kind: a canonical column name and what it holds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RoleSpec {
    /// The canonical name (`created_at`), also the column's name once loaded.
    pub role: &'static str,
    /// The physical type the column is normalised to.
    #[serde(rename = "type")]
    pub ty: RoleType,
    /// Whether every table of the kind must have it.
    pub required: bool,
    /// Headers exports write for it, normalised (lower case, words joined
    /// by `_`: `Create Date` → `create_date`). The role's own name always
    /// matches and is not listed.
    pub aliases: &'static [&'static str],
    /// A column that is another role in other units (Google Ads' cost in
    /// micros): loaded as that role, converted.
    pub scaled: Option<Scaled>,
}

/// A role written in other units than the role it stands for.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scaled {
    /// The role the column becomes (`cost`).
    pub into: &'static str,
    /// What its values are divided by (1 000 000 for micros).
    pub divisor: f64,
}

/// A family of roles named by a prefix.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RolePrefix {
    /// The prefix (`task_`).
    pub prefix: &'static str,
    /// The type of every role of the family.
    #[serde(rename = "type")]
    pub ty: RoleType,
}

/// The calendar unit of a kind's date coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageGrain {
    /// One value per calendar day.
    Day,
    /// One value per calendar month.
    Month,
}

/// An ad platform a file's headers give away.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Platform {
    /// The channel its rows take (`paid_search`).
    pub channel: &'static str,
    /// Normalised headers only this platform's exports write; any one of
    /// them is enough.
    pub headers: &'static [&'static str],
}

/// A reshaping pass run after normalisation, which turns another shape of
/// export into a table of the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reshape {
    /// A Stripe subscription list (one row per subscription) becomes monthly
    /// MRR snapshots, one row per customer and month (`load/stripe.rs`).
    StripeSubscriptions,
    /// A deals export whose `won` is not given as such takes it from the
    /// stage text or from Salesforce's `closed` flag (`load/deals.rs`).
    DealOutcome,
    /// A lead list without an id column: each row is a person, identified
    /// by its e-mail, else by its line (`load/leads.rs`).
    LeadList,
    /// A wide series, a date column and one column per metric (Search
    /// Console, GA4), becomes one row per date and metric (`load/wide.rs`).
    WideSeries,
    /// A campaign report without a date column, aggregated over the date
    /// range its banner names: each row's amounts spread evenly over the
    /// range's days (`load/spread.rs`).
    SpreadOverRange,
}

impl Reshape {
    /// The required roles of the kind this pass makes from other columns,
    /// which detection then does not need among the headers.
    pub fn supplies(&self) -> &'static [&'static str] {
        match self {
            Reshape::StripeSubscriptions | Reshape::DealOutcome => &[],
            Reshape::LeadList => &["id"],
            Reshape::WideSeries => &["metric", "value"],
            Reshape::SpreadOverRange => &["date"],
        }
    }
}

/// Which time columns of a kind count for the default as-of, the latest
/// time in the data (`docs/data-model.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum AsOfTimes {
    /// Every time column of every row.
    All,
    /// None: the rows are a plan (budget months), not what happened.
    None,
    /// Every time column, but `column` only on rows where `present` is not
    /// null (an open deal's `closed_at` is an expected date).
    OnlyWhere {
        /// The time column that counts only on some rows.
        column: &'static str,
        /// The column whose value makes it count.
        present: &'static str,
    },
}

impl AsOfTimes {
    /// Whether the time column `column` counts for the default as-of at all,
    /// and if only on some rows, the column that must not be null there.
    pub fn counts(&self, column: &str) -> Option<Option<&'static str>> {
        match *self {
            AsOfTimes::All => Some(None),
            AsOfTimes::None => None,
            AsOfTimes::OnlyWhere { column: c, present } if c == column => Some(Some(present)),
            AsOfTimes::OnlyWhere { .. } => Some(None),
        }
    }
}

/// How detection scores a kind: every kind whose required roles the headers
/// have is a candidate, scored by the roles they map; the best one wins, the
/// earlier kind of [`KINDS`] on a tie.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Detection {
    /// Added to the score: negative for kinds that need few columns
    /// (accounts, survey), so that they lose against a fuller match.
    pub bias: i32,
    /// Roles only this kind has (survey answers): when one is present, the
    /// bias does not apply.
    pub distinctive: &'static [&'static str],
    /// When not empty, the kind is a candidate only if one of these roles is
    /// among the headers: a lone date does not make a survey, nor a lone id
    /// an accounts table.
    pub needs_one_of: &'static [&'static str],
}

impl KindSpec {
    /// The role of this kind with this canonical name (a prefixed role such
    /// as `task_setup` has no entry; see [`KindSpec::role_type`]).
    pub fn role(&self, name: &str) -> Option<&'static RoleSpec> {
        self.roles.iter().find(|r| r.role == name)
    }

    /// The physical type of a role of this kind, prefixed families included;
    /// `None` for a name the kind does not know.
    pub fn role_type(&self, name: &str) -> Option<RoleType> {
        match self.role(name) {
            Some(r) => Some(r.ty),
            None => self.prefixed(name).map(|p| p.ty),
        }
    }

    /// Whether `name` is a role of this kind: a canonical role or a member of
    /// a prefixed family.
    pub fn is_role(&self, name: &str) -> bool {
        self.role(name).is_some() || self.prefixed(name).is_some()
    }

    /// The prefixed family `name` belongs to (`task_setup`: `task_`); the
    /// prefix alone is not a role.
    pub fn prefixed(&self, name: &str) -> Option<&'static RolePrefix> {
        self.role_prefixes
            .iter()
            .find(|p| name.len() > p.prefix.len() && name.starts_with(p.prefix))
    }

    /// The roles every table of this kind must have, in order.
    pub fn required(&self) -> impl Iterator<Item = &'static str> + use<> {
        let roles: &'static [RoleSpec] = self.roles;
        roles.iter().filter(|r| r.required).map(|r| r.role)
    }

    /// The role a normalised header stands for: an alias of a role, else the
    /// role's own name.
    pub fn role_for_header(&self, header: &str) -> Option<&'static str> {
        let roles: &'static [RoleSpec] = self.roles;
        roles
            .iter()
            .find(|r| r.aliases.contains(&header))
            .or_else(|| roles.iter().find(|r| r.role == header))
            .map(|r| r.role)
    }
}

/// Every breakdown some kind offers out of the box, each once, in the order
/// of [`KINDS`] and of each kind's [`KindSpec::dimensions`].
pub fn builtin_dimensions() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for d in KINDS.iter().flat_map(|k| k.dimensions) {
        if !out.contains(d) {
            out.push(d);
        }
    }
    out
}

const fn role(role: &'static str, ty: RoleType) -> RoleSpec {
    RoleSpec {
        role,
        ty,
        required: false,
        aliases: &[],
        scaled: None,
    }
}

impl RoleSpec {
    const fn required(self) -> RoleSpec {
        RoleSpec {
            required: true,
            ..self
        }
    }

    const fn aka(self, aliases: &'static [&'static str]) -> RoleSpec {
        RoleSpec { aliases, ..self }
    }

    const fn scaled(self, into: &'static str, divisor: f64) -> RoleSpec {
        RoleSpec {
            scaled: Some(Scaled { into, divisor }),
            ..self
        }
    }
}

use RoleType::{Dimension, Flag, Id, Number, Text, Time};

const NO_BIAS: Detection = Detection {
    bias: 0,
    distinctive: &[],
    needs_one_of: &[],
};

/// Every kind, in the order reports list them and detection breaks ties:
/// the order of [`TableKind`]'s variants.
pub static KINDS: [KindSpec; 9] = KIND_LIST;

const KIND_LIST: [KindSpec; 9] = [
    KindSpec {
        kind: TableKind::People,
        name: "people",
        description: "One row per lead, contact, signup or user.",
        roles: &[
            role("id", Id).required().aka(&[
                "record_id",
                "contact_id",
                "lead_id",
                "person_id",
                "user_id",
                "vid",
            ]),
            role("created_at", Time).required().aka(&[
                "create_date",
                "createddate",
                "created_date",
                "created",
                "signup_date",
                // Meta lead ads, form tools.
                "created_time",
                "date_created",
                "date_added",
            ]),
            role("email", Text).aka(&["email_address", "e_mail", "work_email", "business_email"]),
            role("account_id", Id).aka(&[
                "associated_company",
                "associated_company_id",
                "company_id",
                "accountid",
            ]),
            role("source", Dimension).aka(&[
                "original_source",
                "leadsource",
                "lead_source",
                "channel",
            ]),
            role("campaign", Dimension).aka(&["utm_campaign"]),
            role("persona", Dimension),
            role("segment", Dimension),
            role("region", Dimension),
            role("owner", Dimension).aka(&["contact_owner", "lead_owner", "ownerid"]),
            role("icp", Flag),
            role("signup_started_at", Time),
            role("signup_completed_at", Time),
            role("trial_started_at", Time),
            role("activated_at", Time),
            role("first_feature_at", Time),
            role("mql_at", Time).aka(&["became_a_marketing_qualified_lead_date"]),
            role("sql_at", Time).aka(&["became_a_sales_qualified_lead_date"]),
            role("opportunity_at", Time).aka(&["became_an_opportunity_date"]),
            role("customer_at", Time).aka(&[
                "became_a_customer_date",
                "converteddate",
                "converted_date",
            ]),
            role("first_contact_at", Time).aka(&["first_engagement_date"]),
        ],
        role_prefixes: &[RolePrefix {
            prefix: "task_",
            ty: RoleType::Task,
        }],
        milestones: &PEOPLE_MILESTONES,
        time: Some("created_at"),
        coverage: None,
        channel: Some("source"),
        account_key: Some("account_id"),
        currency: None,
        amounts: &[],
        dimensions: &["channel", "campaign", "segment", "persona", "region", "icp"],
        platforms: &[],
        reshapes: &[Reshape::LeadList],
        as_of: AsOfTimes::All,
        detection: NO_BIAS,
    },
    KindSpec {
        kind: TableKind::Events,
        name: "events",
        description: "One row per product or web event.",
        roles: &[
            role("entity_id", Id).required().aka(&[
                "user_id",
                "person_id",
                "distinct_id",
                "contact_id",
            ]),
            role("event", Text)
                .required()
                .aka(&["event_name", "event_type"]),
            role("timestamp", Time).required().aka(&[
                "time",
                "event_time",
                "occurred_at",
                "created_at",
            ]),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("timestamp"),
        coverage: None,
        channel: None,
        account_key: None,
        currency: None,
        amounts: &[],
        dimensions: &[],
        platforms: &[],
        reshapes: &[],
        as_of: AsOfTimes::All,
        detection: NO_BIAS,
    },
    KindSpec {
        kind: TableKind::Spend,
        name: "spend",
        description: "Ad cost per date, channel and campaign.",
        roles: &[
            role("date", Time).required().aka(&[
                "day",
                "segments_date",
                "reporting_starts",
                "date_start",
                // LinkedIn Campaign Manager: `Start Date (in UTC)`.
                "start_date",
                // Microsoft Ads, TikTok Ads.
                "time_period",
                "timeperiod",
                "gregorian_date",
                "stat_time_day",
            ]),
            role("cost", Number).required().aka(&[
                "spend",
                "amount_spent",
                "total_spent",
                // Facebook ad datasets.
                "spent",
                "total_cost",
            ]),
            // Google Ads API: `metrics.cost_micros`, the cost in millionths.
            role("cost_micros", Number)
                .aka(&["metrics_cost_micros"])
                .scaled("cost", 1e6),
            role("channel", Dimension).aka(&["source"]),
            role("campaign", Dimension).aka(&["campaign_name", "campaign_name_2"]),
            role("impressions", Number).aka(&["impr", "metrics_impressions"]),
            role("clicks", Number).aka(&["link_clicks", "metrics_clicks"]),
            role("conversions", Number).aka(&[
                "metrics_conversions",
                "results",
                "total_conversion",
                "total_conversions",
                "conv",
            ]),
            role("icp_audience", Flag),
            role("currency", Text).aka(&["currency_code"]),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("date"),
        coverage: Some(CoverageGrain::Day),
        channel: Some("channel"),
        account_key: None,
        currency: Some("currency"),
        amounts: &["cost"],
        dimensions: &["channel", "campaign"],
        platforms: &[
            Platform {
                channel: "paid_search",
                headers: &["impr", "metrics_cost_micros", "segments_date", "cost_conv"],
            },
            Platform {
                channel: "paid_social",
                headers: &[
                    "amount_spent",
                    "reporting_starts",
                    "link_clicks",
                    "total_spent",
                    "spent",
                    "ad_set_name",
                ],
            },
        ],
        reshapes: &[Reshape::SpreadOverRange],
        as_of: AsOfTimes::All,
        detection: NO_BIAS,
    },
    KindSpec {
        kind: TableKind::Revenue,
        name: "revenue",
        description: "MRR snapshots, one row per account and month (a Stripe subscription list becomes them).",
        roles: &[
            role("account_id", Id)
                .required()
                .aka(&["customer_id", "customer"]),
            role("month", Time).required().aka(&[
                "snapshot_month",
                "date",
                "period",
                // Stripe subscriptions (load/stripe.rs).
                "start",
                "current_period_start",
            ]),
            role("mrr", Number)
                .required()
                // `amount`: Stripe subscriptions (load/stripe.rs).
                .aka(&["monthly_recurring_revenue", "amount"]),
            role("segment", Dimension),
            role("region", Dimension),
            role("plan", Dimension),
            role("channel", Dimension),
            role("currency", Text),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("month"),
        coverage: Some(CoverageGrain::Month),
        channel: Some("channel"),
        account_key: Some("account_id"),
        currency: Some("currency"),
        amounts: &["mrr"],
        dimensions: &["channel", "segment", "region", "plan"],
        platforms: &[],
        reshapes: &[Reshape::StripeSubscriptions],
        as_of: AsOfTimes::All,
        detection: NO_BIAS,
    },
    KindSpec {
        kind: TableKind::Series,
        name: "series",
        description: "Pre-aggregated time series in long format: one row per date and metric (a date column beside metric columns becomes it).",
        roles: &[
            role("date", Time).required().aka(&["day"]),
            role("metric", Text).required().aka(&["series", "name"]),
            role("value", Number).required(),
            role("target_account", Flag),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("date"),
        coverage: Some(CoverageGrain::Day),
        channel: None,
        account_key: None,
        currency: None,
        amounts: &[],
        dimensions: &[],
        platforms: &[],
        reshapes: &[Reshape::WideSeries],
        as_of: AsOfTimes::All,
        detection: NO_BIAS,
    },
    KindSpec {
        kind: TableKind::Survey,
        name: "survey",
        description: "Brand survey responses, one row per response.",
        roles: &[
            role("date", Time)
                .required()
                .aka(&["response_date", "submitted_at"]),
            role("respondent_id", Id).aka(&["respondent"]),
            role("icp", Flag),
            role("aware", Flag).aka(&["aided_awareness"]),
            role("recall", Flag).aka(&["unaided_recall"]),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("date"),
        coverage: None,
        channel: None,
        account_key: None,
        currency: None,
        amounts: &[],
        dimensions: &["icp"],
        platforms: &[],
        reshapes: &[],
        // A date alone makes a survey: it loses ties unless answers show.
        as_of: AsOfTimes::All,
        detection: Detection {
            bias: -2,
            distinctive: &["aware", "recall"],
            needs_one_of: &["respondent_id", "icp", "aware", "recall"],
        },
    },
    KindSpec {
        kind: TableKind::Accounts,
        name: "accounts",
        description: "One row per account (company), with its tier and firmographics.",
        roles: &[
            role("account_id", Id)
                .required()
                .aka(&["id", "company_id", "record_id"]),
            role("icp_tier", Dimension).aka(&["tier"]),
            role("segment", Dimension),
            role("industry", Dimension),
            role("region", Dimension),
            role("target_account", Flag),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: None,
        coverage: None,
        channel: None,
        account_key: Some("account_id"),
        currency: None,
        amounts: &[],
        dimensions: &["segment", "region", "icp_tier", "industry"],
        platforms: &[],
        reshapes: &[],
        // An id alone makes an accounts table: it loses ties.
        as_of: AsOfTimes::All,
        detection: Detection {
            bias: -3,
            distinctive: &[],
            needs_one_of: &[
                "icp_tier",
                "segment",
                "industry",
                "region",
                "target_account",
            ],
        },
    },
    KindSpec {
        kind: TableKind::Budget,
        name: "budget",
        description: "Planned spend, one row per month and channel (or campaign).",
        roles: &[
            role("month", Time).required().aka(&[
                "period",
                "budget_month",
                "budget_period",
                "month_start",
            ]),
            // `Budget (USD)` is `budget`: the currency in brackets is dropped.
            role("budget", Number).required().aka(&[
                "planned_spend",
                "planned",
                "budget_amount",
                "planned_budget",
                "planned_amount",
                "monthly_budget",
                "budget_usd",
            ]),
            role("channel", Dimension).aka(&["source"]),
            role("campaign", Dimension).aka(&["campaign_name"]),
            role("currency", Text).aka(&["currency_code"]),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("month"),
        coverage: Some(CoverageGrain::Month),
        channel: Some("channel"),
        account_key: None,
        currency: Some("currency"),
        amounts: &["budget"],
        dimensions: &["channel", "campaign"],
        platforms: &[],
        reshapes: &[],
        // A plan: its months are not data that has happened.
        as_of: AsOfTimes::None,
        detection: NO_BIAS,
    },
    KindSpec {
        kind: TableKind::Deals,
        name: "deals",
        description: "One row per deal or opportunity of the CRM.",
        roles: &[
            role("id", Id).required().aka(&[
                "deal_id",
                "opportunity_id",
                "record_id",
                "opportunityid",
            ]),
            role("created_at", Time).required().aka(&[
                "create_date",
                "created_date",
                "createddate",
            ]),
            role("name", Text).aka(&["deal_name", "opportunity_name"]),
            role("amount", Number).aka(&["deal_amount", "opportunity_amount"]),
            role("closed_at", Time).aka(&["close_date", "closedate", "closed_date"]),
            role("won", Flag).aka(&["is_won", "iswon"]),
            // Salesforce's `Closed` / `IsClosed`: read into `won`, see
            // `load/deals.rs`.
            role("closed", Flag).aka(&["is_closed", "isclosed"]),
            role("stage", Dimension).aka(&[
                "deal_stage",
                "stage_name",
                "stagename",
                "opportunity_stage",
            ]),
            role("source", Dimension).aka(&[
                "original_source",
                "original_source_type",
                "lead_source",
                "leadsource",
                "channel",
            ]),
            role("campaign", Dimension).aka(&[
                "campaign_name",
                "utm_campaign",
                "primary_campaign_source",
            ]),
            role("owner", Dimension).aka(&["deal_owner", "opportunity_owner", "ownerid"]),
            role("pipeline", Dimension).aka(&["deal_pipeline"]),
            role("type", Dimension).aka(&["deal_type", "opportunity_type"]),
            role("segment", Dimension),
            role("region", Dimension),
            role("account_id", Id).aka(&[
                "associated_company",
                "associated_company_id",
                "associated_company_ids",
                "accountid",
                "company_id",
            ]),
            role("currency", Text).aka(&[
                "currency_code",
                "currencyisocode",
                "deal_currency_code",
                "opportunity_currency",
            ]),
        ],
        role_prefixes: &[],
        milestones: &[],
        time: Some("created_at"),
        coverage: None,
        channel: Some("source"),
        account_key: Some("account_id"),
        currency: Some("currency"),
        amounts: &["amount"],
        dimensions: &[
            "channel", "campaign", "owner", "pipeline", "segment", "region",
        ],
        platforms: &[],
        reshapes: &[Reshape::DealOutcome],
        // An open deal's close date is the date the CRM expects it to close.
        as_of: AsOfTimes::OnlyWhere {
            column: "closed_at",
            present: "won",
        },
        // Its required roles are people's: a deals table needs a role only
        // deals have to win.
        detection: Detection {
            bias: -3,
            distinctive: &["amount", "closed_at", "won", "stage", "pipeline"],
            needs_one_of: &[],
        },
    },
];

/// Every kind, in the order of [`KINDS`].
pub(super) const KIND_ORDER: [TableKind; 9] = {
    let mut out = [TableKind::People; 9];
    let mut i = 0;
    while i < KIND_LIST.len() {
        out[i] = KIND_LIST[i].kind;
        i += 1;
    }
    out
};

// Each kind's entry sits at its variant's position, so that
// `TableKind::spec` can index [`KINDS`], and every variant has one: the match
// is exhaustive on purpose, so a new variant does not compile until it is
// counted here, and then not until it has its entry.
const _: () = {
    let mut i = 0;
    while i < KIND_LIST.len() {
        assert!(KIND_LIST[i].kind as usize == i);
        i += 1;
    }
    let variants = match TableKind::People {
        TableKind::People
        | TableKind::Events
        | TableKind::Spend
        | TableKind::Revenue
        | TableKind::Series
        | TableKind::Survey
        | TableKind::Accounts
        | TableKind::Budget
        | TableKind::Deals => 9,
    };
    assert!(KIND_LIST.len() == variants);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialised_kinds() {
        for k in &KINDS {
            let json = serde_json::to_string(&k.kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", k.name));
            assert_eq!(k.kind.spec().name, k.name);
        }
    }

    #[test]
    fn roles_are_consistent() {
        for k in &KINDS {
            let name = k.name;
            for (i, r) in k.roles.iter().enumerate() {
                assert!(
                    k.roles[..i].iter().all(|o| o.role != r.role),
                    "{name}.{} twice",
                    r.role
                );
                for a in r.aliases {
                    // A header names one role: an alias is no role's name and
                    // no other role's alias.
                    assert!(k.role(a).is_none(), "{name}: alias {a} is a role");
                    let claim = k.roles.iter().filter(|o| o.aliases.contains(a)).count();
                    assert_eq!(claim, 1, "{name}: alias {a} of several roles");
                }
                if let Some(s) = r.scaled {
                    let into = k.role(s.into).map(|o| o.ty);
                    assert_eq!(into, Some(r.ty), "{name}.{} scales into a role", r.role);
                }
            }
            for m in k.milestones {
                assert_eq!(k.role_type(m), Some(RoleType::Time), "{name}.{m}");
            }
            let named = [k.time, k.channel, k.account_key, k.currency];
            for c in named.into_iter().flatten().chain(k.amounts.iter().copied()) {
                assert!(k.role(c).is_some(), "{name}: {c} is not a role");
            }
            for d in k.detection.distinctive {
                assert!(k.role(d).is_some(), "{name}: {d} is not a role");
            }
        }
    }

    #[test]
    fn role_types() {
        let check = |kind: TableKind, role: &str, want: Option<RoleType>| {
            assert_eq!(kind.spec().role_type(role), want, "{kind}.{role}");
        };
        check(TableKind::People, "created_at", Some(Time));
        check(TableKind::People, "mql_at", Some(Time));
        check(TableKind::People, "task_setup", Some(RoleType::Task));
        check(TableKind::People, "task_", None);
        check(TableKind::People, "source", Some(Dimension));
        check(TableKind::People, "cost", None);
        check(TableKind::Spend, "cost_micros", Some(Number));
        check(TableKind::Spend, "task_setup", None);
        check(TableKind::Accounts, "target_account", Some(Flag));
    }

    #[test]
    fn required_roles() {
        let check = |kind: TableKind, want: &[&str]| {
            assert_eq!(kind.spec().required().collect::<Vec<_>>(), want, "{kind}");
        };
        check(TableKind::People, &["id", "created_at"]);
        check(TableKind::Events, &["entity_id", "event", "timestamp"]);
        check(TableKind::Spend, &["date", "cost"]);
        check(TableKind::Revenue, &["account_id", "month", "mrr"]);
        check(TableKind::Series, &["date", "metric", "value"]);
        check(TableKind::Survey, &["date"]);
        check(TableKind::Accounts, &["account_id"]);
        check(TableKind::Budget, &["month", "budget"]);
        check(TableKind::Deals, &["id", "created_at"]);
    }

    #[test]
    fn times_that_count_for_the_default_as_of() {
        let check = |kind: TableKind, column: &str, want: Option<Option<&str>>| {
            assert_eq!(kind.spec().as_of.counts(column), want, "{kind}.{column}");
        };
        check(TableKind::Spend, "date", Some(None));
        check(TableKind::People, "mql_at", Some(None));
        check(TableKind::Budget, "month", None);
        check(TableKind::Deals, "created_at", Some(None));
        check(TableKind::Deals, "closed_at", Some(Some("won")));
        let json = serde_json::to_value(TableKind::Deals.spec().as_of).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"rule": "only_where", "column": "closed_at", "present": "won"})
        );
    }

    #[test]
    fn export_headers_of_deals_and_budgets() {
        let check = |kind: TableKind, header: &str, want: &str| {
            assert_eq!(
                kind.spec().role_for_header(header),
                Some(want),
                "{kind}: {header}"
            );
        };
        check(TableKind::Deals, "deal_stage", "stage");
        check(TableKind::Deals, "stagename", "stage");
        check(TableKind::Deals, "opportunity_id", "id");
        check(TableKind::Deals, "close_date", "closed_at");
        check(TableKind::Deals, "iswon", "won");
        check(TableKind::Deals, "isclosed", "closed");
        check(TableKind::Deals, "opportunity_owner", "owner");
        check(TableKind::Deals, "original_source", "source");
        check(TableKind::Deals, "currencyisocode", "currency");
        check(TableKind::Budget, "planned_spend", "budget");
        check(TableKind::Budget, "period", "month");
    }

    #[test]
    fn specs_serialise_for_the_page() {
        let json = serde_json::to_value(&KINDS).expect("serialises");
        let spend = &json[2];
        assert_eq!(spend["name"], "spend");
        assert_eq!(spend["coverage"], "day");
        assert_eq!(spend["roles"][0]["role"], "date");
        assert_eq!(spend["roles"][0]["type"], "time");
        assert_eq!(spend["roles"][0]["required"], true);
        assert_eq!(spend["roles"][2]["scaled"]["into"], "cost");
        assert_eq!(json[0]["role_prefixes"][0]["type"], "task");
        assert_eq!(json[3]["reshapes"][0], "stripe_subscriptions");
        assert_eq!(json[6]["time"], serde_json::Value::Null);
    }

    #[test]
    fn the_page_offers_these_breakdowns() {
        assert_eq!(
            builtin_dimensions(),
            [
                "channel", "campaign", "segment", "persona", "region", "icp", "plan", "icp_tier",
                "industry", "owner", "pipeline"
            ]
        );
    }
}
