//! Arrow IPC files and streams, any compression the spec allows.
//!
//! arrow-ipc trusts the offsets and lengths written in a file's metadata and
//! panics on some lies (a buffer beyond its message body, a negative block
//! length). A panic in WASM traps the whole module, so [`validate`] walks the
//! metadata first — footer, blocks, every message's field nodes and buffers —
//! and refuses what does not fit, without copying any data.

use std::collections::{HashMap, VecDeque};
use std::io::Cursor;

use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};

use crate::error::{Error, Result};

/// The magic bytes that open and close an Arrow IPC file.
const MAGIC: &[u8] = b"ARROW1";

/// The marker that precedes each message's length since Arrow 0.15.
const CONTINUATION: [u8; 4] = [0xff, 0xff, 0xff, 0xff];

/// The most rows a file may declare, over all its record batches. Far above
/// what a browser tab can hold in a few columns; it stops a lying row count
/// from making later steps allocate per row.
pub const MAX_ROWS: u64 = 100_000_000;

/// The most bytes the compressed buffers of a file may declare once
/// decompressed, in total. Decompression allocates the declared size up front.
pub const MAX_DECODED_BYTES: u64 = 2 << 30;

/// Whether the bytes look like Arrow IPC (file or stream) rather than text.
pub fn looks_like_ipc(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC) || bytes.starts_with(&CONTINUATION) || is_legacy_stream(bytes)
}

/// Whether the bytes start as a stream written before Arrow 0.15 (no
/// continuation marker): an i32 length, then a schema message of that
/// length. Text never does: its first bytes read as a length beyond the
/// data, or what follows is no valid flatbuffer.
fn is_legacy_stream(bytes: &[u8]) -> bool {
    let Some(len) = read_i32(bytes, 0).and_then(|l| usize::try_from(l).ok()) else {
        return false;
    };
    len > 0
        && bytes.get(4..4 + len).is_some_and(|m| {
            arrow_ipc::root_as_message(m).is_ok_and(|m| m.header_as_schema().is_some())
        })
}

/// Reads every record batch of an IPC file or stream and joins them into one.
pub fn read(file: &str, bytes: &[u8]) -> Result<RecordBatch> {
    let (schema, batches) = decode(file, bytes)?;
    concat_owned(schema, batches).map_err(|e| Error::unreadable(file, describe(e)))
}

/// Reads every record batch of an IPC file or stream. The batches own their
/// memory (the reader copies each block out of `bytes`), so the caller may
/// free `bytes` before joining them.
pub fn decode(file: &str, bytes: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>)> {
    validate(bytes).map_err(|reason| Error::unreadable(file, reason))?;
    let explain = |e: ArrowError| Error::unreadable(file, describe(e));
    if bytes.starts_with(MAGIC) {
        let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(explain)?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(explain)?;
        Ok((schema, batches))
    } else {
        let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(explain)?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(explain)?;
        Ok((schema, batches))
    }
}

/// Joins record batches into one, column by column, freeing each column's
/// parts as soon as it is joined: the peak is the batches plus one column,
/// not twice the table (what `concat_batches` would hold at 10M rows is
/// more than a browser tab has).
pub(super) fn concat_owned(
    schema: SchemaRef,
    mut batches: Vec<RecordBatch>,
) -> std::result::Result<RecordBatch, ArrowError> {
    batches.retain(|b| b.num_rows() > 0);
    if batches.len() <= 1 {
        return Ok(batches
            .pop()
            .unwrap_or_else(|| RecordBatch::new_empty(schema.clone())));
    }
    let rows = batches.iter().map(RecordBatch::num_rows).sum();
    let mut parts: Vec<Vec<ArrayRef>> =
        vec![Vec::with_capacity(batches.len()); schema.fields().len()];
    for batch in batches {
        for (column, array) in parts.iter_mut().zip(batch.columns()) {
            column.push(array.clone());
        }
    }
    let mut columns = Vec::with_capacity(parts.len());
    for column in parts {
        let arrays: Vec<&dyn Array> = column.iter().map(AsRef::as_ref).collect();
        columns.push(arrow_select::concat::concat(&arrays)?);
    }
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    RecordBatch::try_new_with_options(schema, columns, &options)
}

/// Checks the IPC metadata of a file or stream: every block, message, field
/// node and buffer must lie inside the bytes and be of a sane size. Reads
/// metadata only. The error is the reason, in plain words.
pub fn validate(bytes: &[u8]) -> std::result::Result<(), String> {
    let mut budget = Budget::default();
    if bytes.starts_with(MAGIC) {
        validate_file(bytes, &mut budget)
    } else {
        validate_stream(bytes, &mut budget)
    }
}

/// What the messages checked so far declare, against the limits, and the
/// types their buffers hold.
#[derive(Default)]
struct Budget {
    rows: u64,
    decoded: u64,
    /// Types of the schema's top-level fields.
    fields: Vec<DataType>,
    /// Value type of each dictionary, by id.
    dictionaries: HashMap<i64, DataType>,
}

impl Budget {
    /// Learns the field and dictionary types of a schema.
    fn learn(&mut self, fb: arrow_ipc::Schema<'_>) -> std::result::Result<(), String> {
        if fb.endianness() == arrow_ipc::Endianness::Big {
            return Err(
                "not a readable Arrow file (it was written big-endian; kpidash reads little-endian Arrow, what every current writer writes)"
                    .to_owned(),
            );
        }
        let schema = arrow_ipc::convert::try_fb_to_schema(fb)
            .map_err(|e| format!("not a readable Arrow file (invalid schema: {e})"))?;
        for (f, a) in fb
            .fields()
            .into_iter()
            .flatten()
            .zip(schema.fields().iter())
        {
            collect_dictionaries(f, a, &mut self.dictionaries);
        }
        self.fields = schema
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        for f in schema.fields() {
            if let Some(t) = unsupported(f.data_type()) {
                return Err(format!(
                    "not a readable Arrow file (column '{}' has type {t}, which kpidash does not read)",
                    f.name()
                ));
            }
        }
        Ok(())
    }
}

/// A type nested anywhere in `dt` that no export uses and that arrow-ipc
/// decodes without checking lengths (unions panic on a short type-id
/// buffer): refused up front.
fn unsupported(dt: &DataType) -> Option<&'static str> {
    match dt {
        DataType::Union(_, _) => Some("union"),
        DataType::RunEndEncoded(_, _) => Some("run-end encoded"),
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::ListView(f)
        | DataType::LargeListView(f)
        | DataType::FixedSizeList(f, _)
        | DataType::Map(f, _) => unsupported(f.data_type()),
        DataType::Struct(fs) => fs.iter().find_map(|f| unsupported(f.data_type())),
        DataType::Dictionary(_, v) => unsupported(v),
        _ => None,
    }
}

/// Dictionary id → value type, walking the flatbuffer and Arrow fields together.
fn collect_dictionaries(fb: arrow_ipc::Field<'_>, field: &Field, out: &mut HashMap<i64, DataType>) {
    let mut dt = field.data_type();
    if let (Some(d), DataType::Dictionary(_, v)) = (fb.dictionary(), dt) {
        out.insert(d.id(), (**v).clone());
        dt = v;
    }
    let children: Vec<&Field> = match dt {
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::ListView(f)
        | DataType::LargeListView(f)
        | DataType::FixedSizeList(f, _)
        | DataType::Map(f, _) => vec![f.as_ref()],
        DataType::Struct(fs) => fs.iter().map(|f| f.as_ref()).collect(),
        _ => Vec::new(),
    };
    for (c, a) in fb.children().into_iter().flatten().zip(children) {
        collect_dictionaries(c, a, out);
    }
}

/// The element width in bytes of each buffer of a column of type `dt`, in
/// IPC order (1 where any length will do), children included. `None` for
/// types whose layout is not checked here (unions, run-end encoding): the
/// buffers after them are then left to arrow-ipc.
fn buffer_widths(dt: &DataType, variadic: &mut VecDeque<i64>, out: &mut Vec<usize>) -> Option<()> {
    use DataType::*;
    let fixed = |w: usize, out: &mut Vec<usize>| out.extend([1, w]);
    match dt {
        Null => {}
        Boolean | Int8 | UInt8 => fixed(1, out),
        Int16 | UInt16 | Float16 => fixed(2, out),
        Int32 | UInt32 | Float32 | Date32 | Time32(_) | Decimal32(_, _) => fixed(4, out),
        Int64
        | UInt64
        | Float64
        | Date64
        | Time64(_)
        | Timestamp(_, _)
        | Duration(_)
        | Decimal64(_, _) => fixed(8, out),
        Interval(arrow_schema::IntervalUnit::YearMonth) => fixed(4, out),
        Interval(arrow_schema::IntervalUnit::DayTime) => fixed(8, out),
        Interval(arrow_schema::IntervalUnit::MonthDayNano) | Decimal128(_, _) => fixed(16, out),
        Decimal256(_, _) => fixed(32, out),
        Utf8 | Binary => out.extend([1, 4, 1]),
        LargeUtf8 | LargeBinary => out.extend([1, 8, 1]),
        Utf8View | BinaryView => {
            fixed(16, out);
            let n = usize::try_from(variadic.pop_front()?).ok()?;
            out.extend(std::iter::repeat_n(1, n.min(1 << 20)));
        }
        FixedSizeBinary(n) => fixed(usize::try_from(*n).ok()?.max(1), out),
        List(f) | Map(f, _) => {
            fixed(4, out);
            buffer_widths(f.data_type(), variadic, out)?;
        }
        LargeList(f) => {
            fixed(8, out);
            buffer_widths(f.data_type(), variadic, out)?;
        }
        FixedSizeList(f, _) => {
            out.push(1);
            buffer_widths(f.data_type(), variadic, out)?;
        }
        Struct(fs) => {
            out.push(1);
            for f in fs {
                buffer_widths(f.data_type(), variadic, out)?;
            }
        }
        Dictionary(k, _) => fixed(k.primitive_width()?, out),
        _ => return None,
    }
    Some(())
}

fn validate_file(bytes: &[u8], budget: &mut Budget) -> std::result::Result<(), String> {
    // "ARROW1", 2 bytes of padding, the messages, the footer, its i32
    // length, "ARROW1".
    let len = bytes.len();
    if len < 2 * MAGIC.len() + 4 + 2 || !bytes.ends_with(MAGIC) {
        return Err(
            "the Arrow file is truncated or damaged (its closing marker is missing)".into(),
        );
    }
    let trailer = len - MAGIC.len() - 4;
    let footer_len = read_i32(bytes, trailer).ok_or("the Arrow file is truncated")?;
    let footer_start = usize::try_from(footer_len)
        .ok()
        .and_then(|n| trailer.checked_sub(n))
        .filter(|s| *s >= 8 && footer_len > 0)
        .ok_or_else(|| {
            format!("not a readable Arrow file (footer length {footer_len} does not fit the file)")
        })?;
    let footer = arrow_ipc::root_as_footer(&bytes[footer_start..trailer]).map_err(|e| {
        format!(
            "not a readable Arrow file (invalid footer: {})",
            e.to_string().trim()
        )
    })?;
    let schema = footer
        .schema()
        .ok_or("not a readable Arrow file (the footer has no schema)")?;
    budget.learn(schema)?;
    let blocks = footer
        .dictionaries()
        .into_iter()
        .flatten()
        .map(|b| ("dictionary", b))
        .chain(
            footer
                .recordBatches()
                .into_iter()
                .flatten()
                .map(|b| ("record batch", b)),
        );
    for (n, (what, block)) in blocks.enumerate() {
        let outside =
            || format!("not a readable Arrow file ({what} block {n} lies outside the file)");
        let offset = u64::try_from(block.offset()).map_err(|_| outside())?;
        let meta = u64::try_from(block.metaDataLength()).map_err(|_| {
            format!("not a readable Arrow file (negative length in {what} block {n})")
        })?;
        let body = u64::try_from(block.bodyLength()).map_err(|_| {
            format!("not a readable Arrow file (negative length in {what} block {n})")
        })?;
        let end = offset
            .checked_add(meta)
            .and_then(|e| e.checked_add(body))
            .ok_or_else(outside)?;
        if offset < 8 || meta < 8 || end > footer_start as u64 {
            return Err(outside());
        }
        // In range of `footer_start`, a usize: the casts cannot truncate.
        let (offset, meta, body) = (offset as usize, meta as usize, body as usize);
        let message = match message_at(bytes, offset, offset + meta) {
            Ok(Some((m, _))) => m,
            Ok(None) => return Err(format!("not a readable Arrow file ({what} {n} is empty)")),
            Err(e) => return Err(format!("not a readable Arrow file ({what} {n}: {e})")),
        };
        let body_bytes = &bytes[offset + meta..offset + meta + body];
        check_message(&message, body_bytes, budget)
            .map_err(|e| format!("not a readable Arrow file ({what} {n}: {e})"))?;
    }
    Ok(())
}

fn validate_stream(bytes: &[u8], budget: &mut Budget) -> std::result::Result<(), String> {
    let mut pos = 0usize;
    let mut n = 0usize;
    while pos < bytes.len() {
        let (message, meta_end) = match message_at(bytes, pos, bytes.len()) {
            Ok(Some(m)) => m,
            Ok(None) => return Ok(()), // end-of-stream marker
            Err(e) => return Err(format!("not a readable Arrow file (message {n}: {e})")),
        };
        if let Some(schema) = message.header_as_schema() {
            budget.learn(schema)?;
        }
        let body = usize::try_from(message.bodyLength()).map_err(|_| {
            format!("not a readable Arrow file (message {n}: negative body length)")
        })?;
        let end = meta_end
            .checked_add(body)
            .filter(|e| *e <= bytes.len())
            .ok_or("the Arrow data is truncated (a message is longer than the data left)")?;
        check_message(&message, &bytes[meta_end..end], budget)
            .map_err(|e| format!("not a readable Arrow file (message {n}: {e})"))?;
        pos = end;
        n += 1;
    }
    Ok(())
}

/// The little-endian i32 at `at`, if the bytes hold one there.
fn read_i32(bytes: &[u8], at: usize) -> Option<i32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(i32::from_le_bytes(b))
}

/// The encapsulated message starting at `pos` (continuation marker, i32
/// length, flatbuffer), which must end by `limit`; with the position where
/// its metadata ends. `None` for the end-of-stream marker (length 0).
fn message_at(
    bytes: &[u8],
    pos: usize,
    limit: usize,
) -> std::result::Result<Option<(arrow_ipc::Message<'_>, usize)>, String> {
    let truncated = || "the message is cut short".to_owned();
    let first = read_i32(bytes, pos).ok_or_else(truncated)?;
    let (len, start) = if first == -1 {
        (read_i32(bytes, pos + 4).ok_or_else(truncated)?, pos + 8)
    } else {
        (first, pos + 4) // before Arrow 0.15: no continuation marker
    };
    if len == 0 {
        return Ok(None);
    }
    let len = usize::try_from(len).map_err(|_| format!("negative message length {len}"))?;
    let end = start
        .checked_add(len)
        .filter(|e| *e <= limit && *e <= bytes.len())
        .ok_or_else(|| format!("message length {len} goes beyond the data"))?;
    let message = arrow_ipc::root_as_message(&bytes[start..end])
        .map_err(|e| format!("invalid message metadata: {}", e.to_string().trim()))?;
    Ok(Some((message, end)))
}

/// Checks one message's record batch (or dictionary batch) against its body.
fn check_message(
    message: &arrow_ipc::Message<'_>,
    body: &[u8],
    budget: &mut Budget,
) -> std::result::Result<(), String> {
    let (batch, types) = match (
        message.header_as_record_batch(),
        message.header_as_dictionary_batch(),
    ) {
        (Some(b), _) => (b, budget.fields.clone()),
        (None, Some(d)) => (
            d.data().ok_or("a dictionary batch without data")?,
            budget
                .dictionaries
                .get(&d.id())
                .cloned()
                .into_iter()
                .collect(),
        ),
        (None, None) => return Ok(()),
    };
    let mut variadic: VecDeque<i64> = batch.variadicBufferCounts().into_iter().flatten().collect();
    let mut widths = Vec::new();
    for t in &types {
        if buffer_widths(t, &mut variadic, &mut widths).is_none() {
            break;
        }
    }
    let rows = u64::try_from(batch.length()).map_err(|_| "negative row count")?;
    budget.rows = budget.rows.saturating_add(rows);
    if budget.rows > MAX_ROWS {
        return Err(format!("more than {MAX_ROWS} rows declared"));
    }
    for (i, node) in batch.nodes().into_iter().flatten().enumerate() {
        let length = u64::try_from(node.length())
            .map_err(|_| format!("column node {i} has a negative length"))?;
        let nulls = u64::try_from(node.null_count())
            .map_err(|_| format!("column node {i} has a negative null count"))?;
        if length > MAX_ROWS || nulls > length {
            return Err(format!(
                "column node {i} declares {length} values and {nulls} nulls"
            ));
        }
    }
    let compressed = batch.compression().is_some();
    for (i, buffer) in batch.buffers().into_iter().flatten().enumerate() {
        let (offset, length) = (buffer.offset(), buffer.length());
        let range = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(length).ok())
            .and_then(|(o, l)| Some(o..o.checked_add(l)?))
            .filter(|r| r.end <= body.len())
            .ok_or_else(|| {
                format!("buffer {i} (offset {offset}, length {length}) lies outside the message body of {} bytes", body.len())
            })?;
        let width = widths.get(i).copied().unwrap_or(1);
        let mut data_len = range.len() as u64;
        if compressed && range.len() >= 8 {
            // The first 8 bytes give the decompressed length; -1: stored as is.
            let declared = body
                .get(range.start..range.start + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(i64::from_le_bytes)
                .unwrap_or(-1);
            if declared < -1 {
                return Err(format!(
                    "buffer {i} declares a negative decompressed length"
                ));
            }
            data_len = if declared == -1 {
                data_len - 8
            } else {
                declared as u64
            };
            budget.decoded = budget.decoded.saturating_add(declared.max(0) as u64);
            if budget.decoded > MAX_DECODED_BYTES {
                return Err(format!(
                    "the compressed data would decompress to more than {} MB",
                    MAX_DECODED_BYTES >> 20
                ));
            }
        }
        if width > 1 && !data_len.is_multiple_of(width as u64) {
            return Err(format!(
                "buffer {i} holds {data_len} bytes, not a whole number of {width}-byte values"
            ));
        }
    }
    Ok(())
}

/// Turns an Arrow error into words for a marketer.
pub(super) fn describe(e: ArrowError) -> String {
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
