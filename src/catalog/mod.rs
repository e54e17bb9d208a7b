//! KPI definitions as data: the definition format, the built-in catalog
//! (`catalog.json`, written in that same format) and the user's overrides.
//!
//! See `docs/kpi-format.md` for the format, field by field.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::TableKind;

/// The built-in catalog, embedded in the binary.
pub const BUILTIN: &str = include_str!("catalog.json");

/// Where a KPI belongs in the marketing view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Funnel conversion.
    Funnel,
    /// Acquisition.
    Acquisition,
    /// Product and content engagement.
    Engagement,
    /// Brand.
    Brand,
    /// Retention and expansion.
    RetentionExpansion,
    /// Investment and return: budget, return on spend, pipeline.
    Investment,
}

/// Funnel stage of a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Awareness.
    Awareness,
    /// Engagement.
    Engagement,
    /// Conversion.
    Conversion,
    /// Retention.
    Retention,
    /// Expansion.
    Expansion,
}

/// Whether a KPI predicts or records outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Moves before outcomes.
    Leading,
    /// Records outcomes.
    Lagging,
}

/// The unit of a KPI's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A fraction in [0, 1].
    Rate,
    /// An amount of money.
    Currency,
    /// A count.
    Count,
    /// Hours.
    Hours,
    /// A 0–100 score.
    Score,
    /// A count per day.
    PerDay,
    /// A multiple of another amount (`3.2×`).
    Multiple,
    /// A number of months.
    Months,
    /// A number of days.
    Days,
}

/// Which direction is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better.
    Up,
    /// Lower is better.
    Down,
    /// Closer to the target is better (1.0 when no target is configured).
    Target,
    /// Neither direction is better.
    None,
}

/// How a KPI's value for a period still running projects to the period's
/// end (docs/kpis.md, "Outlook").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outlook {
    /// The value adds up over the period (a count or a sum): the value so
    /// far divided by the elapsed fraction of the period.
    RunRate,
}

/// A condition on a row: `column` equals `eq`, or is (not) null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Canonical column name.
    pub column: String,
    /// The value the column must equal (text, number or true/false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<serde_json::Value>,
    /// `true`: the column must hold a value; `false`: it must be null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null: Option<bool>,
}

/// One side of a ratio: a count of rows or a sum of a column, placed in
/// periods by `anchor`, over the rows matching `filter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// `count` or `sum`.
    pub agg: Agg,
    /// The table it reads.
    pub table: TableKind,
    /// The time column that places a row in a period.
    pub anchor: String,
    /// The summed column (for `sum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Rows must match every condition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<Condition>,
    /// Spreads each row's value over days before placing it in periods
    /// (a monthly budget over the days of its month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread: Option<Spread>,
    /// Only days on or before the as-of date add to the value (the as-of
    /// day whole); later days of the period still make it a row.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub to_date: bool,
}

/// How an [`Aggregate`] spreads a row's value over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spread {
    /// Evenly over the days of the anchor's calendar month: each day gets
    /// the value ÷ the month's days, and a period sums its days' shares.
    MonthDays,
}

/// The unit a duration is reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Hours (the default).
    #[default]
    Hours,
    /// Days of 24 hours (fractional).
    Days,
}

/// How an [`Aggregate`] combines rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agg {
    /// Number of rows.
    Count,
    /// Sum of a column (nulls skipped; all-null is unknown).
    Sum,
    /// The value on the latest date present in the period (summed over rows of that date).
    Last,
}

/// A statistic over durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationStat {
    /// Median in hours.
    Median,
    /// 90th percentile in hours (linear interpolation).
    P90,
    /// Share of anchored rows whose duration is within `within_hours`.
    ShareWithin,
}

/// How a KPI is computed. Each variant is one metric type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// A count or sum per period (an [`Aggregate`] on its own).
    Simple {
        /// What is aggregated.
        #[serde(flatten)]
        of: Aggregate,
    },
    /// Numerator ÷ denominator, each aggregated separately, then joined on
    /// period and segment (outer join: a missing side is 0).
    Ratio {
        /// Top.
        numerator: Aggregate,
        /// Bottom.
        denominator: Aggregate,
        /// Which rows make a period (or segment) have a point, besides the
        /// rows of either side: rows of the denominator's table, placed by
        /// its anchor, matching these conditions. For rates whose
        /// denominator leaves some rows out (survey answers that are null),
        /// so a period whose rows are all left out still has a (null) point.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        population: Option<Vec<Condition>>,
    },
    /// People whose `base` milestone falls in the period, and the share of
    /// them reaching `target` within `window_days` of the base.
    Cohort {
        /// Milestone defining the cohort.
        base: String,
        /// Milestone to reach.
        target: String,
        /// Window in days, inclusive.
        window_days: f64,
        /// Further conditions a converting person must meet.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        numerator_filter: Vec<Condition>,
        /// Count those *not* converting instead (abandonment).
        #[serde(default)]
        complement: bool,
    },
    /// Share of the cohort that completed every `task_*`.
    AllTasks {
        /// Milestone defining the cohort.
        base: String,
        /// Window in days for timestamp tasks.
        window_days: f64,
    },
    /// Mean weighted task score (0–100) over the cohort.
    TaskScore {
        /// Milestone defining the cohort.
        base: String,
        /// Window in days for timestamp tasks.
        window_days: f64,
    },
    /// Per-step drop-off through milestones, all within the window of the base.
    Funnel {
        /// Milestones in funnel order; the first is the cohort's base.
        steps: Vec<String>,
        /// Window in days, inclusive.
        window_days: f64,
    },
    /// Time from `from` to `to`, over the rows with `to >= from`: people
    /// anchored on `from` by default, or the rows of `table` anchored on
    /// `anchor` and matching `filter`.
    Duration {
        /// Start time column (the anchor unless `anchor` says otherwise).
        from: String,
        /// End time column.
        to: String,
        /// What to report.
        stat: DurationStat,
        /// Threshold for `share_within`, in hours.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within_hours: Option<f64>,
        /// The table read (default people).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        table: Option<TableKind>,
        /// The time column placing a row in a period (default `from`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        anchor: Option<String>,
        /// Rows must match every condition.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        filter: Vec<Condition>,
        /// The unit of the statistic (default hours).
        #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
        unit: Option<TimeUnit>,
    },
    /// A count per calendar day of the period (days up to as-of).
    PerDay {
        /// What is counted.
        #[serde(flatten)]
        of: Aggregate,
    },
    /// Relative change of another measure against the previous period.
    Growth {
        /// The measure whose growth is reported.
        of: Box<Measure>,
    },
    /// One aggregate minus another, joined on period and segment like a
    /// ratio's sides (a missing side is 0); no numerator or denominator.
    Difference {
        /// What is subtracted from.
        of: Aggregate,
        /// What is subtracted.
        minus: Aggregate,
    },
    /// Revenue movements from MRR snapshots: `numerator ÷ denominator`, each
    /// a sum of [`Symbol`]s.
    Revenue {
        /// Expression such as `E - N` or `M + X - K - CM`.
        numerator: RevenueExpr,
        /// Expression, or none for a plain amount.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        denominator: Option<RevenueExpr>,
    },
}

/// The quantities a revenue expression combines: sums over accounts of each
/// account's MRR at the start of a period (the month before it) and at its
/// end (its last month in the data). See `docs/kpis.md` (revenue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// Start customers (start > 0).
    S,
    /// End customers (end > 0).
    E,
    /// New customers (start = 0, end > 0).
    N,
    /// Churned customers (start > 0, end = 0).
    C,
    /// Expansion MRR: Σ max(end − start, 0) over S with end > 0.
    X,
    /// Contraction MRR: Σ max(start − end, 0) over S with end > 0.
    K,
    /// Churned MRR: Σ start over C.
    CM,
    /// Start MRR: Σ start over S.
    M,
    /// Accounts of S whose MRR grew.
    XA,
    /// New MRR: Σ end over N.
    NM,
    /// New annual recurring revenue: 12 × NM.
    NARR,
    /// Spend: Σ spend.cost of the period's dates up to the as-of, joined on
    /// period and channel.
    Cost,
}

impl Symbol {
    /// Every symbol with its name in expressions.
    pub const ALL: [(&'static str, Symbol); 12] = [
        ("S", Symbol::S),
        ("E", Symbol::E),
        ("N", Symbol::N),
        ("C", Symbol::C),
        ("X", Symbol::X),
        ("K", Symbol::K),
        ("CM", Symbol::CM),
        ("M", Symbol::M),
        ("XA", Symbol::XA),
        ("NM", Symbol::NM),
        ("NARR", Symbol::NARR),
        ("cost", Symbol::Cost),
    ];

    /// Whether the symbol is an amount of MRR rather than a count of accounts.
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Symbol::X
                | Symbol::K
                | Symbol::CM
                | Symbol::M
                | Symbol::NM
                | Symbol::NARR
                | Symbol::Cost
        )
    }
}

/// One signed symbol of a revenue expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    /// `1.0` or `-1.0`.
    pub sign: f64,
    /// The quantity.
    pub symbol: Symbol,
}

/// A revenue expression: symbols joined by `+` and `-`, such as
/// `M + X - K - CM`. Read from its text (and refused there when it is not
/// one), written back as the same text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RevenueExpr {
    text: String,
    terms: Vec<Term>,
}

impl RevenueExpr {
    /// The signed symbols, in the order written.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the expression adds MRR amounts (rather than only counting
    /// accounts, which does not depend on the currency).
    pub fn adds_amounts(&self) -> bool {
        self.terms.iter().any(|t| t.symbol.is_amount())
    }

    /// Whether the expression reads the spend (`cost`).
    pub fn reads_spend(&self) -> bool {
        self.terms.iter().any(|t| t.symbol == Symbol::Cost)
    }
}

impl std::str::FromStr for RevenueExpr {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let mut terms = Vec::new();
        let mut sign = 1.0;
        let mut expect_symbol = true;
        for token in text.split_whitespace().flat_map(split_signs) {
            match (token, expect_symbol) {
                ("+", true) => {}
                ("-", true) => sign = -sign,
                ("+", false) => {
                    sign = 1.0;
                    expect_symbol = true;
                }
                ("-", false) => {
                    sign = -1.0;
                    expect_symbol = true;
                }
                (name, true) => {
                    let symbol = Symbol::ALL
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, s)| *s)
                        .ok_or_else(|| {
                            format!("revenue expression '{text}': unknown symbol '{name}' (use S, E, N, C, X, K, CM, M, XA, NM, NARR, cost with + and -)")
                        })?;
                    terms.push(Term { sign, symbol });
                    sign = 1.0;
                    expect_symbol = false;
                }
                (name, false) => {
                    return Err(format!(
                        "revenue expression '{text}': expected + or - before '{name}'"
                    ));
                }
            }
        }
        if terms.is_empty() || expect_symbol {
            return Err(format!("revenue expression '{text}' is incomplete"));
        }
        Ok(RevenueExpr {
            text: text.to_owned(),
            terms,
        })
    }
}

impl TryFrom<String> for RevenueExpr {
    type Error = String;

    fn try_from(text: String) -> std::result::Result<Self, String> {
        text.parse()
    }
}

impl From<RevenueExpr> for String {
    fn from(e: RevenueExpr) -> String {
        e.text
    }
}

/// A word of an expression split around its signs: `M+X` → `M`, `+`, `X`.
fn split_signs(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if c == '+' || c == '-' {
            if start < i {
                out.push(&word[start..i]);
            }
            out.push(&word[i..i + 1]);
            start = i + 1;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// One KPI: metadata and measure. A definition that cannot be read is
/// refused with its id in the message (see the `Deserialize` impl below).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct KpiDef {
    /// Stable id used in configurations and results.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-sentence definition.
    pub definition: String,
    /// Focus area.
    pub area: Area,
    /// Funnel stage; `None` for KPIs outside the funnel (budget pacing).
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Leading or lagging.
    pub indicator: Indicator,
    /// Unit of values.
    pub unit: Unit,
    /// Which direction is good.
    pub better: Better,
    /// How a running period's value projects to the period's end, for KPIs
    /// whose value adds up over the period; absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlook: Option<Outlook>,
    /// Rank among the top KPIs of its area (1 first), absent for a
    /// diagnostic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u8>,
    /// How to compute it.
    pub measure: Measure,
    /// The user's target, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Who owns the KPI, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

// `remote = "Self"` makes the derives above inherent functions; these impls
// call them, the reading one naming the KPI in its errors.
impl Serialize for KpiDef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        KpiDef::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for KpiDef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        // Read whole first, so that an error anywhere in the definition
        // (a bad revenue expression, say) can name the KPI whatever the
        // order of its fields.
        let definition = serde_json::Value::deserialize(d)?;
        let id = definition
            .get("id")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        KpiDef::deserialize(definition).map_err(|e| match id {
            Some(id) => D::Error::custom(format_args!("KPI '{id}': {e}")),
            None => D::Error::custom(e),
        })
    }
}

/// Changes to a built-in KPI a user may make.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiOverride {
    /// New window in days, for KPIs with a window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<f64>,
    /// Target value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Rank among the top KPIs of its area: a number, or null to make it
    /// a diagnostic; absent leaves the catalog's.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub top: Option<Option<u8>>,
    /// Leave the KPI out of reports.
    #[serde(default)]
    pub disabled: bool,
}

/// A field that is present, even as null (`Some(None)`), as opposed to
/// absent (`None`, by `default`).
fn present<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// The built-in catalog file: a list of definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Format version.
    pub version: u32,
    /// The KPIs.
    pub kpis: Vec<KpiDef>,
}

/// Parses catalog JSON text.
pub fn parse(json: &str) -> Result<Vec<KpiDef>> {
    let file: CatalogFile =
        serde_json::from_str(json).map_err(|e| Error::Config(format!("catalog: {e}")))?;
    for k in &file.kpis {
        validate(k)?;
    }
    Ok(file.kpis)
}

/// The built-in catalog.
pub fn builtin() -> Vec<KpiDef> {
    // The embedded catalog is checked by a unit test; an error here is a build defect.
    parse(BUILTIN).unwrap_or_default()
}

/// Checks what serde cannot: ids, windows, steps, columns of sums.
pub fn validate(k: &KpiDef) -> Result<()> {
    let bad = |m: String| Err(Error::Config(format!("KPI '{}': {m}", k.id)));
    if k.id.is_empty() || !k.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return bad("an id is letters, digits and '_'".to_owned());
    }
    if k.top.is_some_and(|t| !(1..=5).contains(&t)) {
        return bad("top is a rank from 1 to 5".to_owned());
    }
    fn check(m: &Measure) -> std::result::Result<(), String> {
        match m {
            Measure::Cohort { window_days, .. }
            | Measure::AllTasks { window_days, .. }
            | Measure::TaskScore { window_days, .. }
            | Measure::Funnel { window_days, .. }
                if !(window_days.is_finite() && *window_days >= 0.0) =>
            {
                Err("window_days must be a number ≥ 0".to_owned())
            }
            Measure::Funnel { steps, .. } if steps.len() < 2 => {
                Err("a funnel needs two or more steps".to_owned())
            }
            Measure::Simple { of } | Measure::PerDay { of }
                if of.agg != Agg::Count && of.column.is_none() =>
            {
                Err("a sum needs a column".to_owned())
            }
            Measure::Difference { of, minus }
                if [of, minus]
                    .iter()
                    .any(|a| a.agg != Agg::Sum || a.column.is_none()) =>
            {
                Err("a difference is of two sums, each with a column".to_owned())
            }
            Measure::Duration {
                stat: DurationStat::ShareWithin,
                within_hours: None,
                ..
            } => Err("share_within needs within_hours".to_owned()),
            Measure::Growth { of } => check(of),
            _ => m.aggregates().into_iter().try_for_each(|a| match a {
                Aggregate {
                    to_date: true,
                    spread: None,
                    ..
                } => Err("to_date needs spread".to_owned()),
                Aggregate {
                    spread: Some(_),
                    agg: Agg::Last,
                    ..
                } => Err("a spread aggregate is a count or a sum".to_owned()),
                _ => Ok(()),
            }),
        }
    }
    check(&k.measure).or_else(bad)
}

impl Measure {
    /// The aggregates a measure is made of (its sides, for ratios and
    /// differences; those of the measure it grows, for growth).
    pub fn aggregates(&self) -> Vec<&Aggregate> {
        match self {
            Measure::Simple { of } | Measure::PerDay { of } => vec![of],
            Measure::Ratio {
                numerator,
                denominator,
                ..
            } => vec![numerator, denominator],
            Measure::Difference { of, minus } => vec![of, minus],
            Measure::Growth { of } => of.aggregates(),
            _ => Vec::new(),
        }
    }
}

impl KpiDef {
    /// Applies a user's override.
    pub fn apply(&mut self, o: &KpiOverride) {
        if let Some(t) = o.target {
            self.target = Some(t);
        }
        if let Some(owner) = &o.owner {
            self.owner = Some(owner.clone());
        }
        if let Some(n) = &o.name {
            self.name = n.clone();
        }
        if let Some(top) = o.top {
            self.top = top;
        }
        if let Some(w) = o.window_days {
            fn set(m: &mut Measure, w: f64) {
                match m {
                    Measure::Cohort { window_days, .. }
                    | Measure::AllTasks { window_days, .. }
                    | Measure::TaskScore { window_days, .. }
                    | Measure::Funnel { window_days, .. } => *window_days = w,
                    Measure::Growth { of } => set(of, w),
                    _ => {}
                }
            }
            set(&mut self.measure, w);
        }
    }

    /// The window in days, for cohort KPIs.
    pub fn window_days(&self) -> Option<f64> {
        match &self.measure {
            Measure::Cohort { window_days, .. }
            | Measure::AllTasks { window_days, .. }
            | Measure::TaskScore { window_days, .. }
            | Measure::Funnel { window_days, .. } => Some(*window_days),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_has_every_catalog_id() {
        let kpis = parse(BUILTIN).expect("built-in catalog parses");
        let ids: Vec<&str> = kpis.iter().map(|k| k.id.as_str()).collect();
        let expected = [
            "new_leads",
            "mqls",
            "conversion_rate",
            "trial_to_paid_rate",
            "activation_rate",
            "signup_completion_rate",
            "signup_abandonment_rate",
            "drop_off_rate",
            "pct_mqls_qualified",
            "signup_source_quality_rate",
            "time_to_first_contact_hours",
            "time_to_first_contact_p90_hours",
            "first_contact_within_24h_rate",
            "trial_signup_velocity",
            "first_feature_usage_rate",
            "pct_key_activation_tasks",
            "activation_progression_score",
            "cost_per_lead",
            "customer_acquisition_cost",
            "cost_per_acquisition",
            "trial_signup_rate",
            "reach_to_icp_pct",
            "ctr_icp",
            "content_engagement",
            "engagement_rate",
            "branded_search_volume",
            "social_engagement_target_accounts",
            "community_growth_rate",
            "brand_awareness",
            "brand_recall_icp",
            "customer_retention_rate",
            "churn_rate",
            "revenue_churn_rate",
            "expansion_revenue",
            "net_revenue_retention",
            "expansion_activation_rate",
            "expansion_revenue_growth_rate",
            "budget_pacing",
            "budget_remaining",
            "new_mrr",
            "roas",
            "marketing_roi",
            "cac_payback_months",
            "pipeline_created",
            "pipeline_to_spend",
            "win_rate",
            "average_deal_size",
            "sales_cycle_days",
        ];
        assert_eq!(ids, expected);
    }

    /// A KPI definition with this measure.
    fn kpi(id: &str, measure: &str) -> String {
        format!(
            r#"{{"id":"{id}","name":"X","definition":"d","area":"funnel","stage":"conversion",
            "indicator":"leading","unit":"count","better":"up","measure":{measure}}}"#
        )
    }

    #[test]
    fn revenue_expressions_are_signed_symbols() {
        let check = |text: &str, expected: &[(f64, Symbol)]| {
            let e: RevenueExpr = text.parse().expect(text);
            let terms: Vec<(f64, Symbol)> = e.terms().iter().map(|t| (t.sign, t.symbol)).collect();
            assert_eq!(terms, expected, "{text}");
            assert_eq!(e.as_str(), text);
        };
        use Symbol::*;
        check("E - N", &[(1.0, E), (-1.0, N)]);
        check("M+X-K - CM", &[(1.0, M), (1.0, X), (-1.0, K), (-1.0, CM)]);
        check("XA", &[(1.0, XA)]);
        check("- S + - C", &[(-1.0, S), (-1.0, C)]);
        check("- - S", &[(1.0, S)]);
        let refused = |text: &str, words: &[&str]| {
            let e = text.parse::<RevenueExpr>().expect_err(text);
            for w in words {
                assert!(e.contains(w), "{e:?} lacks {w:?}");
            }
        };
        refused("E * 2", &["expected + or - before '*'"]);
        refused("2 * E", &["unknown symbol '2'"]);
        refused("E -", &["incomplete"]);
        refused("", &["incomplete"]);
        refused("E N", &["expected + or - before 'N'"]);
        refused("e", &["unknown symbol 'e'"]);
    }

    #[test]
    fn a_revenue_expression_is_read_and_written_as_its_text() {
        let json = kpi(
            "nrr",
            r#"{"type":"revenue","numerator":"M+X-K - CM","denominator":"M"}"#,
        );
        let k: KpiDef = serde_json::from_str(&json).expect("reads");
        let Measure::Revenue {
            numerator,
            denominator,
        } = &k.measure
        else {
            panic!("not revenue: {:?}", k.measure);
        };
        assert_eq!(numerator.terms().len(), 4);
        assert!(numerator.adds_amounts());
        assert_eq!(denominator.as_ref().map(RevenueExpr::as_str), Some("M"));
        let written = serde_json::to_value(&k).expect("writes");
        assert_eq!(
            written["measure"],
            serde_json::json!({"type": "revenue", "numerator": "M+X-K - CM", "denominator": "M"})
        );
        let again: KpiDef = serde_json::from_value(written).expect("reads again");
        assert_eq!(again, k);
    }

    #[test]
    fn a_bad_revenue_expression_is_refused_when_read_naming_the_kpi() {
        // In a configuration's custom KPIs, the id after the measure.
        let definition = r#"{"measure":{"type":"revenue","numerator":"E - Q"},"id":"net_new",
            "name":"X","definition":"d","area":"funnel","stage":"conversion",
            "indicator":"leading","unit":"count","better":"up"}"#;
        let config = format!(r#"{{"custom_kpis":[{definition}]}}"#);
        let e = crate::config::Config::from_json(&config)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("KPI 'net_new'"), "{e}");
        assert!(e.contains("unknown symbol 'Q'"), "{e}");
        // In the catalog's own format, in a growth measure's inner measure.
        let catalog = format!(
            r#"{{"version":1,"kpis":[{}]}}"#,
            kpi(
                "growth_of_nrr",
                r#"{"type":"growth","of":{"type":"revenue","numerator":"M","denominator":"M +"}}"#
            )
        );
        let e = parse(&catalog).expect_err("refused").to_string();
        assert!(e.contains("KPI 'growth_of_nrr'"), "{e}");
        assert!(e.contains("'M +' is incomplete"), "{e}");
    }

    #[test]
    fn invalid_definitions_are_refused() {
        let bad = r#"{"version":1,"kpis":[{"id":"x y","name":"X","definition":"d","area":"funnel",
            "stage":"conversion","indicator":"leading","unit":"count","better":"up",
            "measure":{"type":"simple","agg":"count","table":"people","anchor":"created_at"}}]}"#;
        assert!(parse(bad).is_err());
        let bad_expr = bad.replace("x y", "x").replace(
            r#"{"type":"simple","agg":"count","table":"people","anchor":"created_at"}"#,
            r#"{"type":"revenue","numerator":"E * 2"}"#,
        );
        assert!(parse(&bad_expr).is_err());
    }

    #[test]
    fn top_ranks_are_in_the_catalog_and_a_configuration_may_change_them() {
        let kpis = builtin();
        let top = |area: Area| {
            let mut ranked: Vec<(u8, &str)> = kpis
                .iter()
                .filter(|k| k.area == area)
                .filter_map(|k| Some((k.top?, k.id.as_str())))
                .collect();
            ranked.sort();
            ranked.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        };
        assert_eq!(
            top(Area::Investment),
            [
                "budget_pacing",
                "roas",
                "cac_payback_months",
                "pipeline_created",
                "win_rate"
            ]
        );
        assert_eq!(kpis.iter().filter(|k| k.top.is_some()).count(), 30);
        let read = |json: &str| serde_json::from_str::<KpiOverride>(json).expect(json);
        let mut k = kpis[0].clone();
        assert_eq!(k.top, None);
        k.apply(&read(r#"{"top": 2}"#));
        assert_eq!(k.top, Some(2));
        // Absent: unchanged; null: a diagnostic.
        k.apply(&read(r#"{"owner": "Ana"}"#));
        assert_eq!(k.top, Some(2));
        k.apply(&read(r#"{"top": null}"#));
        assert_eq!(k.top, None);
        let bad = kpi(
            "x",
            r#"{"type":"simple","agg":"count","table":"people","anchor":"created_at"}"#,
        )
        .replace(r#""better":"up""#, r#""better":"up","top":6"#);
        let bad = format!(r#"{{"version":1,"kpis":[{bad}]}}"#);
        assert!(
            parse(&bad)
                .expect_err("refused")
                .to_string()
                .contains("rank from 1 to 5")
        );
    }

    #[test]
    fn to_date_needs_a_spread_aggregate() {
        let catalog = |measure: &str| format!(r#"{{"version":1,"kpis":[{}]}}"#, kpi("b", measure));
        let sum = r#"{"agg":"sum","table":"budget","anchor":"month","column":"budget""#;
        let ok = format!(
            r#"{{"type":"simple",{},"spread":"month_days","to_date":true}}"#,
            &sum[1..]
        );
        assert!(parse(&catalog(&ok)).is_ok(), "{ok}");
        let bad = format!(r#"{{"type":"simple",{},"to_date":true}}"#, &sum[1..]);
        let e = parse(&catalog(&bad)).expect_err("refused").to_string();
        assert!(e.contains("to_date needs spread"), "{e}");
    }

    #[test]
    fn new_mrr_and_cost_are_revenue_symbols() {
        let e: RevenueExpr = "NARR - cost".parse().expect("valid");
        assert!(e.reads_spend() && e.adds_amounts());
        let e: RevenueExpr = "NM".parse().expect("valid");
        assert!(!e.reads_spend() && e.adds_amounts());
        assert!("COST".parse::<RevenueExpr>().is_err());
    }
}
