//! A lead list without an id column (`docs/data-model.md`, people): each row
//! is a person. Its id is its e-mail (trimmed, lower-cased) when it has one,
//! else its file and line, so that the engine's people deduplication merges
//! the rows of one e-mail into one person and leaves the others apart.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, StringArray};

use super::cast::to_utf8;
use super::normalized::Normalized;
use crate::error::{Error, Result};
use crate::model::ColumnInfo;

/// Adds the `id` column of a people table that has none, as the module says,
/// and a note.
pub(super) fn derive_ids(file: &str, t: &mut Normalized) -> Result<()> {
    let email = match t.infos.iter().position(|c| c.name == "email") {
        Some(i) => Some(to_utf8(t.arrays[i].as_ref()).map_err(|e| Error::unreadable(file, e))?),
        None => None,
    };
    let mut with_email = 0usize;
    let ids: StringArray = (0..t.rows)
        .map(|r| {
            let e = email
                .as_ref()
                .filter(|e| e.is_valid(r))
                .map(|e| e.value(r).trim().to_lowercase())
                .filter(|e| !e.is_empty());
            Some(match e {
                Some(e) => {
                    with_email += 1;
                    e
                }
                None => format!("{file} line {}", t.first_row + r),
            })
        })
        .collect();
    let array: ArrayRef = Arc::new(ids);
    t.infos.push(ColumnInfo::new(
        String::new(),
        "id".to_owned(),
        Some("id".to_owned()),
        array.data_type(),
    ));
    t.arrays.push(array);
    let without = t.rows - with_email;
    t.quality.notes.push(if email.is_some() {
        format!(
            "no id column: each row is a person, identified by its e-mail (rows with the same e-mail are one person){}",
            if without > 0 {
                format!("; {without} row(s) without an e-mail by their line")
            } else {
                String::new()
            }
        )
    } else {
        "no id column: each row is a person, identified by its line".to_owned()
    });
    Ok(())
}
