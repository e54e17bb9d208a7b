//! A set of loaded tables and a configuration: what the page and the
//! command line compute reports from. The session keeps what its last
//! report computed (`report::Computed`: the KPIs, and the engine's merged
//! people, times and period ids), so that the next one changing only the
//! review period, the grain or the breakdown reuses what does not depend on
//! the change; loading, removing a file and a new configuration forget it.

use std::cell::RefCell;

use crate::error::Result;
use crate::inspect::FileInfo;
use crate::model::{Table, TableKind};
use crate::report::{Computed, Report, Request};

/// Loaded tables plus configuration.
#[derive(Default)]
pub struct Session {
    tables: Vec<Table>,
    config: crate::config::Config,
    /// What the last report computed, until the tables or the configuration change.
    last: RefCell<Option<Computed>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("tables", &self.tables)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Loads a file; one with the same name replaces the earlier one. The
    /// configuration's file settings (kind, column roles) apply.
    pub fn load(&mut self, name: &str, bytes: &[u8], kind: Option<TableKind>) -> Result<FileInfo> {
        let kind = kind.or_else(|| self.config.kind_for(name));
        self.forget();
        let table = crate::load::load_with(name, bytes, kind, &self.config.load_options(name))?;
        Ok(self.keep(table))
    }

    /// [`Session::load`] taking the bytes, freed as soon as they are decoded
    /// (see [`crate::load::load_owned`]).
    pub fn load_owned(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        kind: Option<TableKind>,
    ) -> Result<FileInfo> {
        let kind = kind.or_else(|| self.config.kind_for(name));
        // A file replacing one of the same name: free the old table first
        // (and what was computed from it).
        self.forget();
        self.tables.retain(|t| t.file != name);
        let table = crate::load::load_owned(name, bytes, kind, &self.config.load_options(name))?;
        Ok(self.keep(table))
    }

    fn keep(&mut self, table: Table) -> FileInfo {
        let info = FileInfo::from(&table);
        self.tables.retain(|t| t.file != table.file);
        self.tables.push(table);
        info
    }

    /// Forgets a file; returns whether it was loaded.
    pub fn remove(&mut self, name: &str) -> bool {
        self.forget();
        let before = self.tables.len();
        self.tables.retain(|t| t.file != name);
        before != self.tables.len()
    }

    /// Forgets every file.
    pub fn clear(&mut self) {
        self.forget();
        self.tables.clear();
    }

    /// Forgets what the last report computed.
    fn forget(&mut self) {
        self.last.get_mut().take();
    }

    /// Descriptions of the loaded files.
    pub fn files(&self) -> Vec<FileInfo> {
        self.tables.iter().map(FileInfo::from).collect()
    }

    /// Replaces the configuration from JSON text; on error the old one stays.
    pub fn set_config_json(&mut self, json: &str) -> Result<()> {
        self.config = crate::config::Config::from_json(json)?;
        self.forget();
        Ok(())
    }

    /// The configuration.
    pub fn config(&self) -> &crate::config::Config {
        &self.config
    }

    /// The dimensions the loaded files offer a breakdown by, sorted: the
    /// columns with a dimension role (the channel column as `channel`), the
    /// kinds' built-in breakdowns they have, and the accounts' dimensions
    /// (`docs/result.md`, `--by`). A report asked for another dimension that
    /// no table has is refused with this list.
    pub fn dimensions(&self) -> Result<Vec<String>> {
        let tables = crate::load::typed_budget::report_tables(&self.tables, &self.config)?;
        Ok(crate::engine::segments::available_dimensions(&tables))
    }

    /// The breakdowns the loaded files offer, in the page's two groups: the
    /// recognised dimensions ([`Session::dimensions`]) and other text columns
    /// that are neither ids nor free text.
    pub fn dimension_choices(&self) -> Result<crate::engine::segments::DimensionChoices> {
        let tables = crate::load::typed_budget::report_tables(&self.tables, &self.config)?;
        Ok(crate::engine::segments::dimension_choices(&tables))
    }

    /// The mapping editor's draft of a file (see [`crate::inspect::draft`]):
    /// read with the configuration's settings for it, but `columns` as its
    /// column roles and `date_range` (`2026-01-27..2026-02-23`) when given.
    pub fn draft(
        &self,
        name: &str,
        bytes: &[u8],
        kind: Option<TableKind>,
        columns: std::collections::BTreeMap<String, String>,
        date_range: Option<&str>,
    ) -> Result<crate::inspect::Draft> {
        let mut options = self.config.load_options(name);
        options.columns = columns;
        if let Some(range) = date_range {
            options.date_range = Some(
                crate::load::parse_date_range(range)
                    .map_err(|e| crate::Error::Config(format!("{name}: {e}")))?,
            );
        }
        crate::inspect::draft(name, bytes, kind, &options, &self.config.catalog())
    }

    /// Computes the report document. The budget typed into the
    /// configuration stands in for a budget file when none is loaded (see
    /// [`crate::load::typed_budget`]).
    ///
    /// What the last report computed is reused: whole when only the review
    /// period differs, its merged people, times and period ids otherwise.
    pub fn report(&self, request: &Request) -> Result<Report> {
        let mut last = self.last.borrow_mut();
        if let Some(computed) = last.as_ref().filter(|c| c.answers(request)) {
            return crate::report::assemble(computed, &self.config, request);
        }
        let tables = crate::load::typed_budget::report_tables(&self.tables, &self.config)?;
        let earlier = last.take().map(|c| c.prepared);
        let computed = crate::report::compute(&tables, &self.config, request, earlier)?;
        let report = crate::report::assemble(&computed, &self.config, request);
        *last = Some(computed);
        report
    }
}
