//! The breakdown: one segment key per row (per person for people) for the
//! report's dimension, from the table's own column or joined from accounts.
//! Labels are trimmed; an empty or missing one is `(none)`. See
//! `docs/data-model.md` (segments). Which dimensions the loaded tables offer,
//! and the check that a requested breakdown is one of them, are here too.

use std::collections::BTreeSet;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use super::Engine;
use crate::error::{Error, Result};
use crate::model::{RoleType, Table, TableKind};

/// Segment keys per row, shared between the KPIs of a report.
pub(crate) type SegmentKeys = Option<Rc<Vec<u32>>>;

/// The label of rows without a value of the dimension.
const NONE_LABEL: &str = "(none)";

/// The column that holds dimension `by` in a table of `kind`: the kind's
/// channel column for `channel` (people call it `source`), and `source`
/// names that column too where the kind calls it `channel`.
fn dimension_column(kind: TableKind, by: &str) -> String {
    match kind.spec().channel {
        Some(channel) if by == "channel" || by == "source" => channel.to_owned(),
        _ => by.to_owned(),
    }
}

/// The account-key column through which a table of `kind` is joined to the
/// accounts' dimensions, when it has one (accounts themselves have none).
fn join_key(table: &Table) -> Option<&'static str> {
    let key = table.kind.spec().account_key?;
    (table.kind != TableKind::Accounts && table.has(key)).then_some(key)
}

/// Whether a table can be broken down by `by` as [`Engine::segments`] does
/// it: its own column (the channel column for `channel` and `source`), or the
/// accounts' column joined through its account key.
fn can_break_down(table: &Table, tables: &[Table], by: &str) -> bool {
    let column = dimension_column(table.kind, by);
    table.has(&column)
        || (join_key(table).is_some()
            && tables
                .iter()
                .any(|a| a.kind == TableKind::Accounts && a.has(&column)))
}

/// The dimensions a table offers of its own: its columns with a dimension
/// role (the channel column as `channel`) and the kind's built-in breakdowns
/// it has (`icp`, a flag).
fn own_dimensions(table: &Table) -> impl Iterator<Item = String> + '_ {
    let spec = table.kind.spec();
    let roles = table.columns.iter().filter_map(move |c| {
        let role = c.role.as_deref()?;
        (spec.role_type(role) == Some(RoleType::Dimension) && table.has(role)).then(|| {
            if Some(role) == spec.channel {
                "channel".to_owned()
            } else {
                role.to_owned()
            }
        })
    });
    let builtin = spec
        .dimensions
        .iter()
        .filter(move |d| table.has(&dimension_column(table.kind, d)))
        .map(|d| (*d).to_owned());
    roles.chain(builtin)
}

/// The dimensions the loaded tables offer a breakdown by, sorted: each
/// table's own (see [`own_dimensions`]); an accounts table's are also those
/// of every table joined to it through its account key.
pub(crate) fn available_dimensions(tables: &[Table]) -> Vec<String> {
    let out: BTreeSet<String> = tables.iter().flat_map(own_dimensions).collect();
    out.into_iter().collect()
}

/// A text column with more distinct values than this is no breakdown (a
/// chart of thousands of segments says nothing).
pub(crate) const MAX_SEGMENTS: usize = 1000;

/// A text column with a distinct value on at least this share of its rows
/// (and more than [`FEW_VALUES`] of them) is an id or free text.
const NEARLY_EVERY_ROW: f64 = 0.9;

/// So few distinct values always make a breakdown, however few the rows.
const FEW_VALUES: usize = 20;

/// The breakdowns the loaded tables offer, in the two groups the page's
/// menu shows (`docs/result.md`, "Breakdowns").
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DimensionChoices {
    /// The recognised dimensions ([`available_dimensions`]).
    pub recognised: Vec<String>,
    /// Other text columns, without a role, that make a breakdown: not ids
    /// (a header naming an id, an e-mail or a link, or a distinct value on
    /// nearly every row) and not free text (more than [`MAX_SEGMENTS`]
    /// distinct values). Sorted, each once.
    pub other: Vec<String>,
}

/// Whether a normalised header names an identifier or contact detail.
fn names_an_id(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "id"
        || n.ends_with("_id")
        || n.ends_with(" id")
        || n.ends_with("id_")
        || ["email", "e_mail", "url", "link", "phone", "uuid", "guid"]
            .iter()
            .any(|w| n.split(['_', ' ']).any(|t| t == *w))
}

/// Whether a text column's values make segments: at most [`MAX_SEGMENTS`]
/// distinct ones, and not one per row (see [`DimensionChoices::other`]).
fn makes_segments(column: &arrow_array::ArrayRef) -> bool {
    use arrow_array::Array;
    let Ok(Some(text)) = crate::load::cast::as_utf8(column) else {
        return false;
    };
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut values = 0usize;
    for v in text.iter().flatten() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        values += 1;
        seen.insert(v);
        if seen.len() > MAX_SEGMENTS {
            return false;
        }
    }
    let distinct = seen.len();
    distinct > 0
        && text.len() > 0
        && (distinct <= FEW_VALUES || (distinct as f64) < NEARLY_EVERY_ROW * values as f64)
}

/// The recognised dimensions, then the other text columns that make a
/// breakdown ([`DimensionChoices`]).
pub(crate) fn dimension_choices(tables: &[Table]) -> DimensionChoices {
    let recognised = available_dimensions(tables);
    let mut other: BTreeSet<String> = BTreeSet::new();
    for t in tables {
        for c in t.columns.iter().filter(|c| c.role.is_none()) {
            if recognised.contains(&c.name) || other.contains(&c.name) || names_an_id(&c.name) {
                continue;
            }
            if let Some(column) = t.column(&c.name)
                && makes_segments(column)
            {
                other.insert(c.name.clone());
            }
        }
    }
    DimensionChoices {
        recognised,
        other: other.into_iter().collect(),
    }
}

/// Checks a requested breakdown (trimmed, lower case): some loaded table
/// must have it, as its own column or joined from accounts; a dimension of
/// some tables only is fine (the others' KPIs give the total with a reason).
/// Otherwise the error lists the available dimensions.
pub(crate) fn check_dimension(tables: &[Table], by: &str) -> Result<()> {
    if tables.iter().any(|t| can_break_down(t, tables, by)) {
        return Ok(());
    }
    let available = available_dimensions(tables);
    Err(Error::Invalid(if available.is_empty() {
        format!("no dimension '{by}' in the loaded files, which offer no breakdown")
    } else {
        format!(
            "no dimension '{by}' in the loaded files; available: {}",
            available.join(", ")
        )
    }))
}

impl Engine<'_> {
    /// Segment key per row (per person for people) for the breakdown, or
    /// `None` when there is no breakdown; `Err` says why the kind cannot be
    /// broken down by it.
    pub(super) fn segments(&self, kind: TableKind) -> Result<SegmentKeys, String> {
        let Some(by) = self.settings.by.clone() else {
            return Ok(None);
        };
        if let Some(r) = self.seg_cache.borrow().get(&kind) {
            return r.clone();
        }
        let r = self.compute_segments(kind, &by).map(|v| Some(Rc::new(v)));
        self.seg_cache.borrow_mut().insert(kind, r.clone());
        r
    }

    fn compute_segments(&self, kind: TableKind, by: &str) -> Result<Vec<u32>, String> {
        let column = dimension_column(kind, by);
        let none = self.labels.borrow_mut().id(NONE_LABEL);
        let tables = self.tables(kind);
        let keys: Vec<Option<u32>> = if tables.iter().any(|t| t.has(&column)) {
            self.text_keys_raw(tables, &column)
        } else {
            let accounts = self.tables(TableKind::Accounts);
            let accounts_key = TableKind::Accounts.spec().account_key;
            let join = kind
                .spec()
                .account_key
                .zip(accounts_key)
                .filter(|(key, _)| kind != TableKind::Accounts && tables.iter().any(|t| t.has(key)))
                .filter(|_| accounts.iter().any(|t| t.has(&column)));
            let Some((key, accounts_key)) = join else {
                return Err(format!("{kind} has no {by} column"));
            };
            // Join: account id → dimension label.
            let acc_ids = self.text_keys_raw(accounts, accounts_key);
            let acc_dim = self.text_keys_raw(accounts, &column);
            let mut by_account: HashMap<u32, Option<u32>> = HashMap::default();
            for (id, d) in acc_ids.iter().zip(&acc_dim) {
                if let Some(id) = id {
                    by_account.entry(*id).or_insert(*d);
                }
            }
            self.text_keys_raw(tables, key)
                .iter()
                .map(|a| a.and_then(|a| by_account.get(&a).copied().flatten()))
                .collect()
        };
        let keys: Vec<u32> = keys.into_iter().map(|k| k.unwrap_or(none)).collect();
        Ok(if kind == TableKind::People {
            self.per_person(&keys, none)
        } else {
            keys
        })
    }

    /// Segment keys for a kind when segmented.
    pub(super) fn segs(&self, kind: TableKind, segmented: bool) -> SegmentKeys {
        if !segmented {
            return None;
        }
        self.segments(kind).ok().flatten()
    }

    /// Number of segments of a grid, the total included.
    pub(super) fn ns(&self, segmented: bool) -> usize {
        if segmented {
            1 + self.labels.borrow().len()
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(kind: TableKind, csv: &str) -> Table {
        crate::load::load(&format!("{kind}.csv"), csv.as_bytes(), Some(kind)).expect("loads")
    }

    #[test]
    fn the_dimensions_the_tables_offer() {
        // People: `source` is the channel, `segment` a dimension, `icp` a
        // built-in breakdown (a flag); `email` and `note` are no dimensions.
        // Spend: `campaign`. Accounts: `industry`, joined onto people.
        let people = table(
            TableKind::People,
            "id,email,created_at,source,segment,icp,account_id,note\n\
             p1,a@x.example,2026-01-05,email,smb,true,A1,hi\n",
        );
        let spend = table(
            TableKind::Spend,
            "date,channel,campaign,cost\n2026-01-05,email,news,3\n",
        );
        let accounts = table(TableKind::Accounts, "account_id,industry\nA1,retail\n");
        let events = table(
            TableKind::Events,
            "entity_id,event,timestamp\np1,signup_started,2026-01-05\n",
        );
        let all = [people, spend, accounts, events];
        assert_eq!(
            available_dimensions(&all),
            ["campaign", "channel", "icp", "industry", "segment"]
        );
        // Each table's own column, a joined one, the channel by either name,
        // and a column of one table only: all fine.
        for by in [
            "segment", "industry", "channel", "source", "campaign", "note",
        ] {
            assert!(check_dimension(&all, by).is_ok(), "{by}");
        }
        let err = check_dimension(&all, "regon").expect_err("no such dimension");
        assert_eq!(
            err.to_string(),
            "no dimension 'regon' in the loaded files; available: campaign, channel, icp, industry, segment"
        );
        // Without accounts, `industry` is gone; events alone offer nothing.
        let err = check_dimension(&all[..2], "industry").expect_err("not joined");
        assert_eq!(
            err.to_string(),
            "no dimension 'industry' in the loaded files; available: campaign, channel, icp, segment"
        );
        let err = check_dimension(&all[3..], "channel").expect_err("events have none");
        assert_eq!(
            err.to_string(),
            "no dimension 'channel' in the loaded files, which offer no breakdown"
        );
    }

    /// 30 people: `territory` has 3 values (a breakdown), `comment` 30 (one per
    /// row: free text), `lead_code` 25 of 30 (over 20, but below 0.9 × 30 = 27: it
    /// stays), `owner_id` names an id, `score` is a number,
    /// `segment` a recognised dimension.
    #[test]
    fn other_columns_leave_out_ids_and_free_text() {
        let mut csv =
            String::from("id,created_at,segment,territory,comment,lead_code,owner_id,score\n");
        for i in 0..30 {
            let territory = ["north", "south", "east"][i % 3];
            let code = i.min(24);
            csv.push_str(&format!(
                "p{i},2026-01-05,smb,{territory},said thing {i},c{code},o{},{i}\n",
                i % 2
            ));
        }
        let people = table(TableKind::People, &csv);
        let choices = dimension_choices(std::slice::from_ref(&people));
        assert_eq!(choices.recognised, ["segment"]);
        assert_eq!(choices.other, ["lead_code", "territory"]);
        // 28 distinct codes of 30 (28 ≥ 27): an id after all.
        let mut csv = String::from("id,created_at,lead_code\n");
        for i in 0..30 {
            csv.push_str(&format!("p{i},2026-01-05,c{}\n", i.min(27)));
        }
        let people = table(TableKind::People, &csv);
        assert!(dimension_choices(&[people]).other.is_empty());
        // More than 1000 values are too many, whatever the rows.
        let mut csv = String::from("id,created_at,city\n");
        for i in 0..3000 {
            csv.push_str(&format!("p{i},2026-01-05,city{}\n", i % 1001));
        }
        let people = table(TableKind::People, &csv);
        assert!(dimension_choices(&[people]).other.is_empty());
    }

    #[test]
    fn channel_and_source_are_one_dimension() {
        let check = |kind, by, expected: &str| assert_eq!(dimension_column(kind, by), expected);
        check(TableKind::People, "channel", "source");
        check(TableKind::People, "source", "source");
        check(TableKind::Spend, "source", "channel");
        check(TableKind::Revenue, "source", "channel");
        check(TableKind::Spend, "channel", "channel");
        check(TableKind::Accounts, "segment", "segment");
    }
}
