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
}

/// Everything a user can configure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
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
    /// Per-file settings, by file name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FileConfig>,
}

impl Config {
    /// Parses and checks a configuration.
    pub fn from_json(json: &str) -> Result<Config> {
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
        for (task, w) in &c.task_weights {
            if !(w.is_finite() && *w >= 0.0) {
                return Err(Error::Config(format!("weight of '{task}' must be ≥ 0")));
            }
        }
        Ok(c)
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
