//! Arrow IPC files and streams, any compression the spec allows.

use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::ArrowError;

use crate::error::{Error, Result};

/// The magic bytes that open and close an Arrow IPC file.
const MAGIC: &[u8] = b"ARROW1";

/// Whether the bytes look like Arrow IPC (file or stream) rather than text.
pub fn looks_like_ipc(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC) || bytes.starts_with(&[0xff, 0xff, 0xff, 0xff])
}

/// Reads every record batch of an IPC file or stream and joins them into one.
pub fn read(file: &str, bytes: &[u8]) -> Result<RecordBatch> {
    let explain = |e: ArrowError| Error::unreadable(file, describe(e));
    let (schema, batches) = if bytes.starts_with(MAGIC) {
        if bytes.len() < 2 * MAGIC.len() + 4 || !bytes.ends_with(MAGIC) {
            return Err(Error::unreadable(
                file,
                "the Arrow file is truncated (its closing marker is missing)",
            ));
        }
        let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(explain)?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(explain)?;
        (schema, batches)
    } else {
        let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(explain)?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(explain)?;
        (schema, batches)
    };
    let mut batches = batches;
    if batches.len() == 1 {
        if let Some(b) = batches.pop() {
            return Ok(b);
        }
    }
    arrow_select::concat::concat_batches(&schema, &batches).map_err(explain)
}

/// Turns an Arrow error into words for a marketer.
fn describe(e: ArrowError) -> String {
    let text = e.to_string();
    let text = text
        .strip_prefix("Io error: ")
        .or_else(|| text.strip_prefix("Parser error: "))
        .or_else(|| text.strip_prefix("Invalid argument error: "))
        .unwrap_or(&text)
        .to_owned();
    if text.contains("failed to fill whole buffer") || text.contains("UnexpectedEof") {
        "the Arrow data is truncated".to_owned()
    } else {
        format!("not a readable Arrow file ({text})")
    }
}
