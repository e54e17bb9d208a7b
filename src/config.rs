//! The user's configuration: file kinds, KPI overrides, custom KPIs, task
//! weights, event names and fiscal year. JSON, read by `--config` and saved
//! by the page.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{self, KpiDef, KpiOverride};
use crate::error::{Error, Result};
use crate::model::TableKind;

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
