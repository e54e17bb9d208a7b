//! The budget typed into the configuration (`budget` in `docs/kpi-format.md`)
//! as a budget table, for reports over files that have no budget sheet.
//!
//! The table has the shape a loaded budget sheet has after normalisation:
//! `month` as a wall-clock timestamp at midnight of the month's first day,
//! `channel` as text in the shared channel vocabulary (mapped as a loaded
//! channel column is, the user's channel mapping first), `campaign` as text
//! when an entry names one, `budget` as a number and `currency` as text
//! when the configuration names a currency. Its file name is
//! [`TYPED_BUDGET_FILE`], so the report's quality section names it.
//!
//! A loaded budget file wins: the typed entries are then left out, and a
//! note on each loaded budget table says so.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, StringArray, TimestampMicrosecondArray};

use super::normalized::Normalized;
use super::roles;
use crate::calendar::{DAY, days_from_civil};
use crate::config::{BudgetEntry, Config};
use crate::error::{Error, Result};
use crate::model::{ColumnInfo, Table, TableKind};
use crate::quality::loading::LoadQuality;

/// The file name of the budget table made from the configuration.
pub const TYPED_BUDGET_FILE: &str = "configuration (budget)";

/// The tables a report reads: the loaded ones, with the configuration's
/// typed budget as one more table when it has entries and no budget file is
/// loaded. When a budget file is loaded, the loaded budget tables carry a
/// note that the typed entries are not used. Borrowed when the
/// configuration has no budget entries.
pub fn report_tables<'a>(tables: &'a [Table], config: &Config) -> Result<Cow<'a, [Table]>> {
    if config.budget.is_empty() {
        return Ok(Cow::Borrowed(tables));
    }
    let mut out = tables.to_vec();
    let entries = config.budget.len();
    let mut loaded = out
        .iter_mut()
        .filter(|t| t.kind == TableKind::Budget)
        .peekable();
    if loaded.peek().is_some() {
        for t in loaded {
            t.quality.notes.push(format!(
                "the budget typed into the configuration ({entries} {}) is not used: a loaded budget file takes precedence",
                plural(entries)
            ));
        }
    } else {
        out.push(typed_budget(
            &config.budget,
            config.currency.as_deref(),
            &config.channels,
        )?);
    }
    Ok(Cow::Owned(out))
}

/// The budget table of typed entries, named [`TYPED_BUDGET_FILE`]; `channels`
/// is the user's channel mapping (export value → channel).
pub fn typed_budget(
    entries: &[BudgetEntry],
    currency: Option<&str>,
    channels: &BTreeMap<String, String>,
) -> Result<Table> {
    let file = TYPED_BUDGET_FILE;
    let months = entries
        .iter()
        .map(|e| {
            month_start(&e.month).ok_or_else(|| {
                Error::Config(format!(
                    "budget: month must be like 2026-05, not '{}'",
                    e.month
                ))
            })
        })
        .collect::<Result<Vec<i64>>>()?;
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("month", Arc::new(TimestampMicrosecondArray::from(months))),
        (
            "channel",
            Arc::new(StringArray::from_iter_values(
                entries
                    .iter()
                    .map(|e| roles::platform_channel(&e.channel, channels)),
            )),
        ),
    ];
    if entries.iter().any(|e| e.campaign.is_some()) {
        columns.push((
            "campaign",
            Arc::new(StringArray::from_iter(
                entries.iter().map(|e| e.campaign.as_deref()),
            )),
        ));
    }
    columns.push((
        "budget",
        Arc::new(Float64Array::from_iter_values(
            entries.iter().map(|e| e.budget),
        )),
    ));
    if let Some(currency) = currency {
        columns.push((
            "currency",
            Arc::new(StringArray::from_iter_values(
                entries.iter().map(|_| currency),
            )),
        ));
    }
    let quality = LoadQuality {
        rows_read: entries.len(),
        notes: vec![format!(
            "the budget typed into the configuration ({} {}), used because no budget file is loaded",
            entries.len(),
            plural(entries.len())
        )],
        ..LoadQuality::default()
    };
    let (infos, arrays) = columns
        .into_iter()
        .map(|(role, array)| {
            let info = ColumnInfo::new(
                role.to_owned(),
                role.to_owned(),
                Some(role.to_owned()),
                array.data_type(),
            );
            (info, array)
        })
        .unzip();
    Normalized {
        kind: TableKind::Budget,
        kind_detected: false,
        infos,
        arrays,
        rows: entries.len(),
        first_row: 1,
        quality,
        reshape: None,
        date_range: None,
    }
    .into_table(file)
}

/// Midnight of the first day of a `YYYY-MM` month, in microseconds.
fn month_start(month: &str) -> Option<i64> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let days = days_from_civil(y.parse().ok()?, m.parse().ok()?, 1)?;
    Some(days * DAY)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "entry" } else { "entries" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::TimestampMicrosecondType;

    fn entry(month: &str, channel: &str, campaign: Option<&str>, budget: f64) -> BudgetEntry {
        BudgetEntry {
            month: month.to_owned(),
            channel: channel.to_owned(),
            campaign: campaign.map(str::to_owned),
            budget,
        }
    }

    /// The typed table has the loaded sheet's columns, types and values.
    #[test]
    fn same_shape_as_a_loaded_budget_sheet() {
        let csv = "month,channel,campaign,budget,currency\n\
                   2026-02,PAID_SEARCH,brand,1200.5,EUR\n\
                   2026-03,email,,300,EUR\n";
        let loaded = crate::load::load("budget.csv", csv.as_bytes(), None).expect("loads");
        assert_eq!(loaded.kind, TableKind::Budget);
        let typed = typed_budget(
            &[
                entry("2026-02", "PAID_SEARCH", Some("brand"), 1200.5),
                entry("2026-03", "email", None, 300.0),
            ],
            Some("EUR"),
            &BTreeMap::new(),
        )
        .expect("builds");
        assert_eq!(typed.file, "configuration (budget)");
        assert_eq!(typed.batch.schema(), loaded.batch.schema());
        for name in ["channel", "campaign", "budget", "currency"] {
            let (t, l) = (typed.column(name), loaded.column(name));
            assert_eq!(t.map(|a| a.to_data()), l.map(|a| a.to_data()), "{name}");
        }
        // 2026-02-01 is day 20485 after 1970-01-01 (56 years: 14 leap days,
        // 56 × 365 + 14 = 20454, plus January's 31); 2026-03-01 is 28 later.
        let month = typed.column("month").expect("month");
        let month = month.as_primitive::<TimestampMicrosecondType>();
        assert_eq!(month.values().to_vec(), vec![20485 * DAY, 20513 * DAY]);
        let loaded_month = loaded.column("month").expect("month");
        assert_eq!(
            loaded_month
                .as_primitive::<TimestampMicrosecondType>()
                .values()
                .to_vec(),
            month.values().to_vec()
        );
        let channel = typed.column("channel").expect("channel");
        assert_eq!(channel.as_string::<i32>().value(0), "paid_search");
    }

    #[test]
    fn without_campaigns_or_currency_those_columns_are_absent() {
        let mut user = BTreeMap::new();
        user.insert("Newsletter".to_owned(), "email".to_owned());
        let t = typed_budget(&[entry("2026-05", "Newsletter", None, 10.0)], None, &user)
            .expect("builds");
        let names: Vec<String> = t
            .batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, ["month", "channel", "budget"]);
        let channel = t.column("channel").expect("channel");
        assert_eq!(channel.as_string::<i32>().value(0), "email");
        assert!(!t.kind_detected);
    }

    #[test]
    fn a_bad_month_is_refused() {
        let err = typed_budget(
            &[entry("2026-13", "email", None, 1.0)],
            None,
            &BTreeMap::new(),
        )
        .expect_err("refused");
        assert_eq!(
            err.to_string(),
            "configuration: budget: month must be like 2026-05, not '2026-13'"
        );
    }

    #[test]
    fn a_loaded_budget_wins_and_says_so() {
        let loaded =
            crate::load::load("plan.csv", b"month,channel,budget\n2026-01,email,5\n", None)
                .expect("loads");
        let config = Config {
            budget: vec![entry("2026-01", "email", None, 9.0)],
            ..Config::default()
        };
        let tables = report_tables(std::slice::from_ref(&loaded), &config).expect("tables");
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].file, "plan.csv");
        assert!(
            tables[0].quality.notes.iter().any(|n| n
                == "the budget typed into the configuration (1 entry) is not used: a loaded budget file takes precedence"),
            "{:?}",
            tables[0].quality.notes
        );
        let none = report_tables(&[], &Config::default()).expect("tables");
        assert!(matches!(none, Cow::Borrowed(t) if t.is_empty()));
    }
}
