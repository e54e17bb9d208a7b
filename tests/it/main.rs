//! kpidash's integration tests, linked as one binary: a module per concern.
//!
//! Expected values never come from kpidash itself: from DuckDB SQL
//! (`oracle`, data in `tests/oracle/`) or from arithmetic written beside
//! hand-made fixtures (the other modules). `cli` compares the command line's
//! text output with committed snapshots: they pin its rendering, not its
//! numbers.

// Tests: a panic is the failure report, so unwrap is the clearest spelling.
#![allow(clippy::unwrap_used)]

mod cli;
mod config;
mod corpus;
mod docs;
mod investment;
mod investment_load;
mod load_fixtures;
mod load_rules;
mod load_wild;
mod malformed;
mod oracle;
mod review;
mod rules;
mod session_reuse;
mod stripe;
mod support;
mod typed_budget;
