//! kpidash turns marketing-operations exports (Arrow IPC files and the CSV
//! exports marketing tools produce) into a KPI report.
//!
//! The core is plain Rust over Arrow arrays and knows nothing of JavaScript:
//!
//! * [`load`]: bytes → a [`Table`] of one [`TableKind`], columns mapped to
//!   canonical roles and normalised types;
//! * [`model`]: table kinds, roles and loaded tables;
//! * [`catalog`]: the KPI definition format and the built-in catalog;
//! * [`config`]: the user's configuration;
//! * `engine` (internal): periods, segments, the measure interpreters,
//!   revenue movements;
//! * [`report`]: what a report is asked for ([`Request`]), the result
//!   document and its text rendering;
//! * [`quality`]: data-quality findings, of loading and of the report;
//! * [`inspect`]: the description of a loaded file;
//! * [`Session`]: loaded tables plus configuration, as the page and the
//!   command line use them.
//!
//! `src/wasm.rs` is the only module that knows wasm-bindgen; the native
//! command line lives in `src/main.rs`.

mod calendar;
pub mod catalog;
pub mod config;
pub(crate) mod engine;
pub mod error;
pub mod inspect;
pub mod load;
pub mod model;
pub mod quality;
pub mod report;
mod session;
pub mod vocabulary;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use engine::time::{Grain, Offset};
pub use error::{Error, Result};
pub use model::{Table, TableKind};
pub use report::Request;
pub use session::Session;
