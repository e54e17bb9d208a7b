//! Bytes → a [`Table`]: Arrow IPC or CSV, kind detection, role mapping and
//! normalisation of types.

pub mod csv;
pub mod detect;
pub mod ipc;
mod normalize;
pub mod values;

use crate::error::{Error, Result};
use crate::model::{Table, TableKind};
use crate::quality::LoadQuality;

/// The largest file accepted, in bytes. A browser tab holds the file, its
/// decoded columns and the engine's working set at once; past this it dies.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Loads one file from its bytes. `kind` names the table kind; without it
/// the kind is detected from the columns.
pub fn load(file: &str, bytes: &[u8], kind: Option<TableKind>) -> Result<Table> {
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
        )
    }
}
