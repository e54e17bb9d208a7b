//! The JavaScript boundary: the only module that knows wasm-bindgen.
//!
//! A [`Session`] holds the loaded tables and the user's configuration; its
//! methods take plain inputs and return small serialised results. Errors
//! become JS `Error`s whose message names the file.

use wasm_bindgen::prelude::*;

use crate::inspect::FileInfo;
use crate::model::TableKind;
use crate::session;

/// Results of exported functions: errors become JS exceptions.
type WasmResult<T> = Result<T, JsError>;

fn to_js<T: serde::Serialize>(value: &T) -> WasmResult<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn kind_of(kind: Option<String>) -> WasmResult<Option<TableKind>> {
    match kind.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(k) => Ok(Some(k.parse()?)),
    }
}

/// Options of a report, as a JS object. A field it does not know (say
/// `as_of` for `asOf`) is an error rather than silently ignored.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReportOptions {
    grain: Option<String>,
    by: Option<String>,
    as_of: Option<String>,
    tz: Option<String>,
    period: Option<String>,
}

impl ReportOptions {
    /// The request these options ask for.
    fn request(&self) -> WasmResult<crate::Request> {
        Ok(crate::Request::parse(
            self.grain.as_deref(),
            self.by.as_deref(),
            self.as_of.as_deref(),
            self.tz.as_deref(),
        )?
        .with_period(self.period.as_deref()))
    }

    /// Reads the options object. Through a JSON value, so that every key the
    /// object has is seen: serde-wasm-bindgen reads a struct's own fields
    /// only, and `deny_unknown_fields` would never fire.
    fn from_js(options: JsValue) -> WasmResult<ReportOptions> {
        if options.is_undefined() || options.is_null() {
            return Ok(ReportOptions::default());
        }
        let value: serde_json::Value =
            serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&e.to_string()))?;
        serde_json::from_value(value).map_err(|e| JsError::new(&format!("report options: {e}")))
    }
}

/// A set of loaded files and a configuration, from which reports are computed.
#[wasm_bindgen]
pub struct Session {
    inner: session::Session,
}

#[wasm_bindgen]
impl Session {
    /// An empty session with the built-in KPI catalog.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        #[cfg(feature = "panic-hook")]
        console_error_panic_hook::set_once();
        Session {
            inner: session::Session::default(),
        }
    }

    /// Loads one file from its bytes and returns its description
    /// (`FileInfo`). `kind` names the table kind; without it the kind is
    /// detected. A file with the same name replaces the earlier one (which
    /// is forgotten even when the new one fails). Throws an `Error` naming
    /// the file (and row and column where possible).
    pub fn load(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        kind: Option<String>,
    ) -> WasmResult<JsValue> {
        // Owned, so the copy in WebAssembly memory is freed as soon as it is
        // decoded rather than when the call returns.
        let info = self.inner.load_owned(name, bytes, kind_of(kind)?)?;
        to_js(&info)
    }

    /// Forgets a loaded file; returns whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        self.inner.remove(name)
    }

    /// Forgets every loaded file.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// Descriptions (`FileInfo`) of the loaded files, in loading order.
    pub fn files(&self) -> WasmResult<JsValue> {
        to_js(&self.inner.files())
    }

    /// Sets the user's configuration from its JSON text (mappings, KPI
    /// overrides, custom KPIs). Throws when it is invalid, keeping the old one.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&mut self, json: &str) -> WasmResult<()> {
        self.inner.set_config_json(json)?;
        Ok(())
    }

    /// The configuration in force, as JSON text (to save and restore it).
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> WasmResult<String> {
        serde_json::to_string_pretty(self.inner.config()).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The KPI definitions in force (built-in with overrides, plus custom),
    /// in the definition format: for a glossary.
    pub fn catalog(&self) -> WasmResult<JsValue> {
        to_js(&self.inner.config().catalog())
    }

    /// The breakdowns the loaded files offer, in two groups:
    /// `{ recognised: [...], other: [...] }` (other text columns, never ids
    /// or free text).
    #[wasm_bindgen(js_name = dimensionChoices)]
    pub fn dimension_choices(&self) -> WasmResult<JsValue> {
        to_js(&self.inner.dimension_choices()?)
    }

    /// The mapping editor's draft of a file (`Draft`: its kinds with scores,
    /// a header per role with the guesses, the first rows, whether it loads):
    /// as `kind` (else its best fit), with `columns` (`{ header: role }`, a
    /// role `""` for none) as its column roles and `dateRange`
    /// (`2026-01-27..2026-02-23`) when given. Nothing is loaded.
    pub fn draft(
        &self,
        name: &str,
        bytes: &[u8],
        kind: Option<String>,
        columns: JsValue,
        date_range: Option<String>,
    ) -> WasmResult<JsValue> {
        let columns: std::collections::BTreeMap<String, String> =
            if columns.is_undefined() || columns.is_null() {
                Default::default()
            } else {
                serde_wasm_bindgen::from_value(columns)
                    .map_err(|e| JsError::new(&format!("draft columns: {e}")))?
            };
        let range = date_range
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        to_js(
            &self
                .inner
                .draft(name, bytes, kind_of(kind)?, columns, range)?,
        )
    }

    /// Computes the report: `options` is `{ grain, by, asOf, tz, period }`,
    /// each optional (`month`, no breakdown, the data's as-of, UTC, the
    /// default review period); any other field throws. Returns the result
    /// document (docs/result.md, its review in docs/review.md).
    pub fn report(&self, options: JsValue) -> WasmResult<JsValue> {
        let request = ReportOptions::from_js(options)?.request()?;
        to_js(&self.inner.report(&request)?)
    }

    /// The report for the same options as Markdown text, in the review's
    /// order (for the page's download).
    pub fn markdown(&self, options: JsValue) -> WasmResult<String> {
        let request = ReportOptions::from_js(options)?.request()?;
        Ok(crate::report::markdown::to_markdown(
            &self.inner.report(&request)?,
        ))
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// Describes one file without keeping it: kind guess, columns, row count.
#[wasm_bindgen]
pub fn inspect(name: &str, bytes: &[u8], kind: Option<String>) -> WasmResult<JsValue> {
    let table = crate::load::load(name, bytes, kind_of(kind)?)?;
    to_js(&FileInfo::from(&table))
}

/// The table kinds (with their roles), grains and built-in breakdown
/// dimensions of this engine, for the page's menus:
/// `{ kinds: [{ name, required, roles: [{ role, type }] }], grains, dimensions }`.
#[wasm_bindgen]
pub fn vocabulary() -> WasmResult<JsValue> {
    to_js(&crate::vocabulary::vocabulary())
}

/// The kpidash version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
