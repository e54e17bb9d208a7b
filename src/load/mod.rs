//! Bytes → a [`Table`]: Arrow IPC or CSV, kind detection, role mapping and
//! normalisation of types.

pub mod csv;
pub mod detect;
pub mod ipc;
mod normalize;
pub mod values;

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::{Table, TableKind};
use crate::quality::LoadQuality;

/// The largest file accepted, in bytes. A browser tab holds the file, its
/// decoded columns and the engine's working set at once; past this it dies.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The user's mapping overrides for one file (catalog §5: "the user can map it").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Header as written → role. The column takes that role and no alias
    /// claims it; an empty role leaves the column without one.
    pub columns: BTreeMap<String, String>,
    /// Export value → channel, for `people.source`, `spend.channel` and
    /// `revenue.channel`; it wins over the standard mapping.
    pub channels: BTreeMap<String, String>,
}

/// Loads one file from its bytes. `kind` names the table kind; without it
/// the kind is detected from the columns.
pub fn load(file: &str, bytes: &[u8], kind: Option<TableKind>) -> Result<Table> {
    load_with(file, bytes, kind, &LoadOptions::default())
}

/// [`load`] with the user's column and channel mapping.
pub fn load_with(
    file: &str,
    bytes: &[u8],
    kind: Option<TableKind>,
    options: &LoadOptions,
) -> Result<Table> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            file: file.to_owned(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(Error::unreadable(file, "the file is empty"));
    }
    let mut quality = LoadQuality::default();
    if ipc::looks_like_ipc(bytes) {
        let batch = ipc::read(file, bytes)?;
        if batch.num_rows() == 0 {
            return Err(Error::unreadable(file, "the file has no data rows"));
        }
        quality.rows_read = batch.num_rows();
        let headers: Vec<String> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        normalize::normalize(
            file,
            normalize::Raw {
                headers,
                batch,
                first_row: 1,
                european: false,
            },
            kind,
            quality,
            options,
        )
    } else {
        let text = csv::read(file, bytes, &mut quality)?;
        normalize::normalize(
            file,
            normalize::Raw {
                headers: text.headers,
                batch: text.batch,
                first_row: text.header_line + 1,
                european: text.european,
            },
            kind,
            quality,
            options,
        )
    }
}
