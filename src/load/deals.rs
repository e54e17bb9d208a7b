//! A deal's outcome (`won`) when the export does not give it as such
//! (`docs/data-model.md`, deals).
//!
//! `won` is true for a deal closed won, false for one closed lost, null for
//! an open deal. CRMs write it in three ways:
//!
//! * a `won` column (Salesforce `Won` / `IsWon`, or the user's): it decides,
//!   the stage never does;
//! * Salesforce's `Closed` / `IsClosed` flag beside it: an opportunity that is
//!   not closed is open (`won` null), whatever its `Won` says; without a
//!   `won` column a closed one is won when its stage says so, else lost;
//! * the stage text alone (HubSpot `Deal Stage`): equal, after trimming and
//!   ignoring case, to `closed won` or `won` is true, to `closed lost` or
//!   `lost` false; anything else, and no stage, is open.
//!
//! The table keeps its `stage` (a dimension) and `closed` columns; `won` is
//! replaced or added, and a note says how many deals came out won, lost and
//! open.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray, StringArray};

use super::cast::to_utf8;
use super::normalized::Normalized;
use crate::error::{Error, Result};
use crate::model::ColumnInfo;

/// Whether a deals table with these roles needs its `won` derived: it has a
/// stage and no `won`, or Salesforce's `closed` flag.
pub(super) fn needs_outcome(roles: &[Option<String>]) -> bool {
    let has = |r: &str| roles.iter().any(|x| x.as_deref() == Some(r));
    has("closed") || (has("stage") && !has("won"))
}

/// What a stage text says of the outcome: `Some(true)` won, `Some(false)`
/// lost, `None` open (or not a closing stage).
pub(crate) fn stage_outcome(stage: &str) -> Option<bool> {
    let s = stage.trim().to_lowercase();
    match s.as_str() {
        "closed won" | "won" => Some(true),
        "closed lost" | "lost" => Some(false),
        _ => None,
    }
}

/// The outcome of one deal from its `won` flag (when the table has the
/// column), `closed` flag (likewise) and stage outcome.
fn outcome(won: Option<Option<bool>>, closed: Option<bool>, stage: Option<bool>) -> Option<bool> {
    match (won, closed) {
        (_, Some(false)) => None,
        (Some(w), _) => w,
        (None, Some(true)) => Some(stage == Some(true)),
        (None, None) => stage,
    }
}

/// Replaces or adds the `won` column of a deals table, from its `won`,
/// `closed` and `stage` columns as the module says.
pub(super) fn derive_won(file: &str, table: &mut Normalized) -> Result<()> {
    let position = |role: &str| {
        table
            .infos
            .iter()
            .position(|c| c.role.as_deref() == Some(role))
    };
    let flag = |i: Option<usize>| -> Option<&BooleanArray> {
        i.and_then(|i| table.arrays.get(i))
            .and_then(|a| a.as_boolean_opt())
    };
    let won_at = position("won");
    let won = flag(won_at);
    let closed = flag(position("closed"));
    let stages: Option<StringArray> = match position("stage").and_then(|i| table.arrays.get(i)) {
        Some(a) => Some(to_utf8(a.as_ref()).map_err(|e| Error::unreadable(file, e))?),
        None => None,
    };
    let value =
        |a: Option<&BooleanArray>, r: usize| a.and_then(|a| a.is_valid(r).then(|| a.value(r)));
    let mut counts = [0usize; 3];
    let out: BooleanArray = (0..table.rows)
        .map(|r| {
            let stage = stages
                .as_ref()
                .and_then(|s| s.is_valid(r).then(|| s.value(r)))
                .and_then(stage_outcome);
            let o = outcome(won.map(|_| value(won, r)), value(closed, r), stage);
            counts[match o {
                Some(true) => 0,
                Some(false) => 1,
                None => 2,
            }] += 1;
            o
        })
        .collect();
    let from = match (won.is_some(), closed.is_some()) {
        (true, _) => "its won and closed flags",
        (false, true) => "its closed flag and stage",
        (false, false) => "its stage",
    };
    table.quality.notes.push(format!(
        "each deal's outcome is read from {from}: {} won, {} lost, {} open",
        counts[0], counts[1], counts[2]
    ));
    let array: ArrayRef = Arc::new(out);
    match won_at {
        Some(i) => {
            table.infos[i] = ColumnInfo::new(
                table.infos[i].source.clone(),
                "won".to_owned(),
                Some("won".to_owned()),
                array.data_type(),
            );
            table.arrays[i] = array;
        }
        None => {
            // An unmapped column of that name (the user took the role away
            // from it) keeps its values under another name.
            for c in table.infos.iter_mut().filter(|c| c.name == "won") {
                c.name.push('_');
            }
            table.infos.push(ColumnInfo::new(
                String::new(),
                "won".to_owned(),
                Some("won".to_owned()),
                array.data_type(),
            ));
            table.arrays.push(array);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages() {
        let check = |stage: &str, want: Option<bool>| {
            assert_eq!(stage_outcome(stage), want, "{stage:?}");
        };
        check("Closed Won", Some(true));
        check(" closed won ", Some(true));
        check("CLOSED WON", Some(true));
        check("won", Some(true));
        check("\u{a0}Won\t", Some(true));
        check("Closed Lost", Some(false));
        check("Closed lost ", Some(false));
        check("LOST", Some(false));
        check("", None);
        check("Contract Sent", None);
        // Equality, not containment: HubSpot's internal ids and other words.
        check("closedwon", None);
        check("Closed Won - Pending", None);
        check("Won't buy", None);
    }

    #[test]
    fn outcomes() {
        let check = |won, closed, stage, want: Option<bool>| {
            assert_eq!(
                outcome(won, closed, stage),
                want,
                "{won:?} {closed:?} {stage:?}"
            );
        };
        // A won column decides; the stage never does.
        check(Some(Some(true)), None, Some(false), Some(true));
        check(Some(Some(false)), None, Some(true), Some(false));
        check(Some(None), None, Some(true), None);
        // Salesforce: not closed is open, whatever Won says.
        check(Some(Some(false)), Some(false), None, None);
        check(Some(Some(true)), Some(false), None, None);
        check(Some(Some(false)), Some(true), None, Some(false));
        check(Some(Some(true)), Some(true), None, Some(true));
        check(Some(None), Some(true), None, None);
        // Closed without a won column: won when the stage says so.
        check(None, Some(true), Some(true), Some(true));
        check(None, Some(true), None, Some(false));
        check(None, Some(true), Some(false), Some(false));
        check(None, Some(false), Some(true), None);
        // The stage alone; a null closed flag leaves it to the stage.
        check(None, None, Some(true), Some(true));
        check(None, None, Some(false), Some(false));
        check(None, None, None, None);
    }

    #[test]
    fn only_tables_without_a_won_column_or_with_closed_need_it() {
        let roles = |r: &[&str]| -> Vec<Option<String>> {
            r.iter().map(|x| Some((*x).to_owned())).collect()
        };
        assert!(needs_outcome(&roles(&["id", "stage"])));
        assert!(needs_outcome(&roles(&["id", "won", "closed"])));
        assert!(needs_outcome(&roles(&["id", "closed"])));
        assert!(!needs_outcome(&roles(&["id", "won", "stage"])));
        assert!(!needs_outcome(&roles(&["id", "created_at"])));
    }
}
