//! The user's configuration: file kinds, KPI overrides, custom KPIs, targets
//! by grain, task weights, event names and fiscal year. JSON, read by
//! `--config` and saved by the page (`docs/kpi-format.md`, "The user's
//! configuration"; targets and their tolerance in `docs/result.md`,
//! "Targets, forecast and status").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{self, Better, KpiDef, KpiOverride};
use crate::engine::time::Grain;
use crate::error::{Error, Result};
use crate::model::TableKind;

/// How far a `better: target` KPI may be from its target and still be on
/// track, as a fraction of the target, when none is configured.
pub const DEFAULT_TARGET_TOLERANCE: f64 = 0.1;

/// The version of the configuration format this kpidash writes and reads
/// (`version` in the JSON). A configuration without `version` was written
/// before versions existed and is read as this one; a newer one is refused
/// (`docs/kpi-format.md`, "The user's configuration").
pub const CONFIG_VERSION: u32 = 1;

/// Settings for one file, matched by file name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The table kind of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<TableKind>,
    /// Header as written → role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
    /// Placeholder texts read as empty in this file; replaces the top-level
    /// list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_values: Option<Vec<String>>,
    /// The days a campaign report without dates covers, when its banner
    /// names none: `2026-01-27..2026-02-23` (see
    /// [`crate::load::LoadOptions::date_range`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_range: Option<String>,
}

/// Everything a user can configure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The configuration format's version ([`CONFIG_VERSION`]); absent in
    /// configurations written before versions existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// First month (1–12) of the fiscal year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal_year_start_month: Option<u32>,
    /// Changes to built-in KPIs, by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kpis: BTreeMap<String, KpiOverride>,
    /// Targets by KPI id and grain name (`{"new_leads": {"month": 1500}}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub targets: BTreeMap<String, BTreeMap<String, f64>>,
    /// Tolerance of `better: target` KPIs by KPI id, as a fraction of the
    /// target (default [`DEFAULT_TARGET_TOLERANCE`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub target_tolerance: BTreeMap<String, f64>,
    /// Additional KPIs in the catalog's definition format.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_kpis: Vec<KpiDef>,
    /// Weights of `task_*` columns for the activation progression score (default 1).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub task_weights: BTreeMap<String, f64>,
    /// Milestone → event name that sets it (default: the milestone without `_at`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub event_milestones: BTreeMap<String, String>,
    /// Export value → channel name, applied to `source` and `channel` columns.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, String>,
    /// Placeholder texts read as empty in every file (`Select`, `(not
    /// set)`); without it, [`crate::load::DEFAULT_NULL_VALUES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_values: Option<Vec<String>>,
    /// Per-file settings, by file name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FileConfig>,
    /// Currency of amounts when the data has no `currency` column (ISO 4217
    /// code such as `EUR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Thresholds of the review's findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewThresholds>,
    /// Action items from reviews, open or done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Budget typed in by hand, one entry per month × channel (× campaign):
    /// used as a budget table when no budget file is loaded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budget: Vec<BudgetEntry>,
}

/// When a difference is a finding (`docs/review.md`, "Findings").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewThresholds {
    /// Least |z| of a significant move or segment gap.
    pub z: f64,
    /// Least |relative change| of a move of a KPI without counts.
    pub move_change: f64,
    /// Least relative difference of a segment gap.
    pub gap_relative: f64,
    /// Share of rows merged as duplicates above which it is a finding.
    pub duplicates_share: f64,
    /// Least expected count on each side of a test (successes and failures
    /// of a rate, events of a count), below which no test is made.
    pub min_expected: f64,
}

impl Default for ReviewThresholds {
    fn default() -> Self {
        ReviewThresholds {
            z: 1.96,
            move_change: 0.2,
            gap_relative: 0.1,
            duplicates_share: 0.05,
            min_expected: 5.0,
        }
    }
}

/// Whether an action item is still to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Still to do.
    #[default]
    Open,
    /// Done.
    Done,
}

/// One action item of a review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Stable id (the page makes one).
    pub id: String,
    /// What to do.
    pub text: String,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Due date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The KPI it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kpi: Option<String>,
    /// The finding it came from (a finding's `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// Open or done.
    #[serde(default)]
    pub status: ActionStatus,
    /// The review period it was written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// One month's budget for a channel (and campaign), typed in the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetEntry {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Channel.
    pub channel: String,
    /// Campaign, when the budget is per campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Planned spend for the whole month.
    pub budget: f64,
}

/// Refuses a configuration of another format version before its fields are
/// read, so a newer configuration is named as such rather than by the first
/// field this version does not know.
fn check_version(json: &str) -> Result<()> {
    #[derive(Deserialize)]
    struct Versioned {
        #[serde(default)]
        version: Option<serde_json::Value>,
    }
    // Text that is not an object is left to the full parse, which names it.
    let Ok(Versioned { version }) = serde_json::from_str::<Versioned>(json) else {
        return Ok(());
    };
    match version {
        None => Ok(()),
        Some(v) => match v.as_u64() {
            Some(n) if n == u64::from(CONFIG_VERSION) => Ok(()),
            Some(n) if n > u64::from(CONFIG_VERSION) => Err(Error::Config(format!(
                "version {n} is newer than this kpidash reads (version {CONFIG_VERSION}); use a newer kpidash or a configuration of version {CONFIG_VERSION}"
            ))),
            _ => Err(Error::Config(format!(
                "version must be a whole number from 1 to {CONFIG_VERSION}, not {v}"
            ))),
        },
    }
}

impl Config {
    /// Parses and checks a configuration.
    pub fn from_json(json: &str) -> Result<Config> {
        check_version(json)?;
        let c: Config = serde_json::from_str(json).map_err(|e| Error::Config(e.to_string()))?;
        if let Some(m) = c.fiscal_year_start_month
            && !(1..=12).contains(&m)
        {
            return Err(Error::Config(format!(
                "fiscal_year_start_month must be 1 to 12, not {m}"
            )));
        }
        let builtin = catalog::builtin();
        for id in c.kpis.keys() {
            if !builtin.iter().any(|k| &k.id == id) && !c.custom_kpis.iter().any(|k| &k.id == id) {
                return Err(Error::Config(format!("no KPI '{id}' to override")));
            }
        }
        for (id, o) in &c.kpis {
            if let Some(w) = o.window_days
                && !(w.is_finite() && w >= 0.0)
            {
                return Err(Error::Config(format!(
                    "KPI '{id}': window_days must be a number ≥ 0, not {w}"
                )));
            }
        }
        for k in &c.custom_kpis {
            catalog::validate(k)?;
            if builtin.iter().any(|b| b.id == k.id) {
                return Err(Error::Config(format!(
                    "custom KPI '{}' has the id of a built-in KPI",
                    k.id
                )));
            }
        }
        let known = |id: &str| {
            builtin.iter().any(|k| k.id == id) || c.custom_kpis.iter().any(|k| k.id == id)
        };
        for (id, by_grain) in &c.targets {
            if !known(id) {
                return Err(Error::Config(format!("targets: no KPI '{id}'")));
            }
            for (grain, t) in by_grain {
                if !Grain::ALL.iter().any(|g| g.as_str() == grain) {
                    return Err(Error::Config(format!(
                        "targets of '{id}': unknown grain '{grain}' (expected day, week, month, quarter or year)"
                    )));
                }
                if !t.is_finite() {
                    return Err(Error::Config(format!(
                        "targets of '{id}': the {grain} target must be a number, not {t}"
                    )));
                }
            }
        }
        for (id, tol) in &c.target_tolerance {
            if !known(id) {
                return Err(Error::Config(format!("target_tolerance: no KPI '{id}'")));
            }
            if !(tol.is_finite() && *tol >= 0.0) {
                return Err(Error::Config(format!(
                    "target_tolerance of '{id}' must be a fraction ≥ 0, not {tol}"
                )));
            }
        }
        if let Some(t) = &c.review {
            for (name, v) in [
                ("z", t.z),
                ("move_change", t.move_change),
                ("gap_relative", t.gap_relative),
                ("duplicates_share", t.duplicates_share),
                ("min_expected", t.min_expected),
            ] {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(Error::Config(format!(
                        "review.{name} must be a number ≥ 0, not {v}"
                    )));
                }
            }
        }
        let lists = c
            .files
            .iter()
            .filter_map(|(f, fc)| Some((f.as_str(), fc.null_values.as_ref()?)));
        for (file, list) in std::iter::once(("", c.null_values.as_ref()))
            .filter_map(|(f, l)| Some((f, l?)))
            .chain(lists)
        {
            if list.iter().any(|v| v.trim().is_empty()) {
                let place = if file.is_empty() {
                    String::new()
                } else {
                    format!("files.{file}.")
                };
                return Err(Error::Config(format!(
                    "{place}null_values: an empty text is always empty; list only placeholders such as \"Select\""
                )));
            }
        }
        for (file, fc) in &c.files {
            if let Some(range) = &fc.date_range {
                crate::load::parse_date_range(range)
                    .map_err(|e| Error::Config(format!("files.{file}.date_range: {e}")))?;
            }
        }
        if let Some(cur) = &c.currency
            && !(cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::Config(format!(
                "currency must be a three-letter code such as EUR, not '{cur}'"
            )));
        }
        for a in &c.actions {
            if a.id.trim().is_empty() {
                return Err(Error::Config("an action item has no id".to_owned()));
            }
            if let Some(d) = &a.due
                && !is_iso_date(d)
            {
                return Err(Error::Config(format!(
                    "action '{}': due must be a date like 2026-06-15, not '{d}'",
                    a.id
                )));
            }
        }
        for b in &c.budget {
            if !is_iso_month(&b.month) {
                return Err(Error::Config(format!(
                    "budget: month must be like 2026-05, not '{}'",
                    b.month
                )));
            }
            if !(b.budget.is_finite() && b.budget >= 0.0) {
                return Err(Error::Config(format!(
                    "budget of {} {}: must be an amount ≥ 0, not {}",
                    b.month, b.channel, b.budget
                )));
            }
        }
        for (task, w) in &c.task_weights {
            if !(w.is_finite() && *w >= 0.0) {
                return Err(Error::Config(format!("weight of '{task}' must be ≥ 0")));
            }
        }
        Ok(c)
    }

    /// The review's thresholds, configured or default.
    pub fn review_thresholds(&self) -> ReviewThresholds {
        self.review.unwrap_or_default()
    }

    /// The kind configured for a file.
    pub(crate) fn kind_for(&self, file: &str) -> Option<TableKind> {
        self.files.get(file).and_then(|f| f.kind)
    }

    /// How a file is to be read: its column roles and channel names.
    pub(crate) fn load_options(&self, file: &str) -> crate::load::LoadOptions {
        crate::load::LoadOptions {
            columns: self
                .files
                .get(file)
                .map(|f| f.columns.clone())
                .unwrap_or_default(),
            channels: self.channels.clone(),
            null_values: self
                .files
                .get(file)
                .and_then(|f| f.null_values.clone())
                .or_else(|| self.null_values.clone()),
            date_range: self
                .files
                .get(file)
                .and_then(|f| crate::load::parse_date_range(f.date_range.as_deref()?).ok()),
        }
    }

    /// The target of a KPI at a grain: the one configured for the grain under
    /// `targets`, else the KPI's own `target` (from the catalog or an
    /// override, the same at every grain), else 1.0 for a `better: target`
    /// KPI; none otherwise.
    pub fn target(&self, kpi: &KpiDef, grain: Grain) -> Option<f64> {
        self.targets
            .get(&kpi.id)
            .and_then(|by_grain| by_grain.get(grain.as_str()))
            .copied()
            .or(kpi.target)
            .or((kpi.better == Better::Target).then_some(1.0))
    }

    /// The tolerance of a `better: target` KPI, as a fraction of its target.
    pub fn target_tolerance(&self, kpi: &str) -> f64 {
        self.target_tolerance
            .get(kpi)
            .copied()
            .unwrap_or(DEFAULT_TARGET_TOLERANCE)
    }

    /// The catalog with this configuration applied: built-ins with their
    /// overrides, minus disabled ones, then custom KPIs.
    pub fn catalog(&self) -> Vec<KpiDef> {
        let mut kpis = catalog::builtin();
        kpis.extend(self.custom_kpis.iter().cloned());
        for k in &mut kpis {
            if let Some(o) = self.kpis.get(&k.id) {
                k.apply(o);
            }
        }
        kpis.retain(|k| !self.kpis.get(&k.id).is_some_and(|o| o.disabled));
        kpis
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[7] == b'-'
        && is_iso_month(&s[..7])
        && s[8..].bytes().all(|c| c.is_ascii_digit())
        && (1..=31).contains(&s[8..].parse::<u32>().unwrap_or(0))
}

/// `YYYY-MM` with a month 1–12.
fn is_iso_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && s[..4].bytes().all(|c| c.is_ascii_digit())
        && s[5..].bytes().all(|c| c.is_ascii_digit())
        && (1..=12).contains(&s[5..].parse::<u32>().unwrap_or(0))
}
