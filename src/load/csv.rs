//! CSV exports as marketing tools write them: a sniffed delimiter; UTF-8
//! with or without a BOM, UTF-16 (the "Excel CSV" of ad platforms) or
//! Windows-1252 text; banner lines above the header (Google Ads) and `Total`
//! rows at the bottom, below the data.
//!
//! Every column is read as text here (arrow-csv does the tokenising); typing
//! happens in `normalize`, the same way for CSV and for text columns of Arrow
//! files.

use std::borrow::Cow;
use std::io::Cursor;
use std::sync::Arc;

use arrow_array::{Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};

use crate::error::{Error, Result};
use crate::quality::loading::LoadQuality;

/// How many records the sniffer looks at.
const SNIFF_RECORDS: usize = 40;

/// A CSV file read as text columns.
#[derive(Debug)]
pub struct TextTable {
    /// Headers as written.
    pub headers: Vec<String>,
    /// All columns as text.
    pub batch: RecordBatch,
    /// 1-based line of the header in the file.
    pub header_line: usize,
    /// 1-based line of the first data row (after a description row).
    pub first_line: usize,
    /// The date range the banner above the header names, if any.
    pub date_range: Option<DateRange>,
    /// Whether the export said it has no data: the table is empty.
    pub no_data: bool,
    /// Whether the file looks European (`;` delimiter): day-first dates and
    /// decimal commas are then the default guesses.
    pub european: bool,
}

/// Text of the file as UTF-8, with the encoding it was written in noted when
/// it is not UTF-8 (`docs/data-model.md`, "Reading files"):
///
/// * a UTF-8 byte-order mark is dropped;
/// * UTF-16 with a byte-order mark (little or big endian), or without one
///   when every other byte of the start is zero, is decoded — the "Excel CSV"
///   of Google Ads and Microsoft Ads; an unpaired surrogate becomes U+FFFD;
/// * text that is not UTF-8 is read as Windows-1252, as spreadsheet exports
///   often are.
///
/// Text that still holds NUL characters is binary data, not a CSV file.
fn decode<'b>(file: &str, bytes: &'b [u8], quality: &mut LoadQuality) -> Result<Cow<'b, str>> {
    let binary = || Error::unreadable(file, "not an Arrow or CSV file (it holds binary data)");
    if let Some(endian) = utf16_endian(bytes) {
        let (body, name) = match endian {
            Endian::Little => (
                bytes.strip_prefix(b"\xff\xfe").unwrap_or(bytes),
                "UTF-16 LE",
            ),
            Endian::Big => (
                bytes.strip_prefix(b"\xfe\xff").unwrap_or(bytes),
                "UTF-16 BE",
            ),
        };
        let units = body.chunks_exact(2).map(|p| match endian {
            Endian::Little => u16::from_le_bytes([p[0], p[1]]),
            Endian::Big => u16::from_be_bytes([p[0], p[1]]),
        });
        let mut bad = 0usize;
        let text: String = char::decode_utf16(units)
            .map(|c| {
                c.unwrap_or_else(|_| {
                    bad += 1;
                    char::REPLACEMENT_CHARACTER
                })
            })
            .collect();
        if text.contains('\0') {
            return Err(binary());
        }
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text);
        quality.notes.push(if bad == 0 {
            format!("read as {name}")
        } else {
            format!("read as {name}; {bad} broken character(s) shown as \u{fffd}")
        });
        return Ok(Cow::Owned(text));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(binary());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => {
            quality
                .notes
                .push("not UTF-8: read as Windows-1252".to_owned());
            Ok(Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()))
        }
    }
}

/// Byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

/// Whether the bytes are UTF-16, and in which byte order: a byte-order mark
/// says so; without one, text whose first 64 code units (at least two) are
/// mostly (three in four) ASCII characters other than NUL, written on two
/// bytes, is UTF-16 too.
fn utf16_endian(bytes: &[u8]) -> Option<Endian> {
    if bytes.starts_with(b"\xff\xfe") {
        return Some(Endian::Little);
    }
    if bytes.starts_with(b"\xfe\xff") {
        return Some(Endian::Big);
    }
    let start = &bytes[..bytes.len().min(128) & !1];
    if start.len() < 4 {
        return None;
    }
    let ascii = |b: u8| b != 0 && b < 0x80;
    let count = |f: &dyn Fn(&[u8]) -> bool| start.chunks_exact(2).filter(|p| f(p)).count();
    let mostly = |n: usize| n * 4 >= start.len() / 2 * 3;
    if mostly(count(&|p| ascii(p[0]) && p[1] == 0)) {
        Some(Endian::Little)
    } else if mostly(count(&|p| p[0] == 0 && ascii(p[1]))) {
        Some(Endian::Big)
    } else {
        None
    }
}

/// One Windows-1252 byte as a character.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Where one record lies in the text: its first byte, the byte after its
/// last field (before the line end) and the first byte of the next record.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    next: usize,
}

/// Scans the record starting at `start`, honouring quotes (which may span
/// lines; a quote opens a field only at its start, as csv-core reads them):
/// its span, and its fields' byte ranges (quotes included) in `fields`.
fn scan_record(b: &[u8], start: usize, delimiter: u8, fields: &mut Vec<(usize, usize)>) -> Span {
    fields.clear();
    let mut i = start;
    let mut field_start = start;
    let mut quoted = false;
    let mut at_field_start = true;
    while i < b.len() {
        let c = b[i];
        if quoted {
            if c == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if c == b'"' && at_field_start {
            quoted = true;
        } else if c == delimiter {
            fields.push((field_start, i));
            field_start = i + 1;
            at_field_start = true;
            i += 1;
            continue;
        } else if c == b'\n' || c == b'\r' {
            break;
        }
        at_field_start = false;
        i += 1;
    }
    fields.push((field_start, i));
    Span {
        start,
        end: i,
        next: line_end(b, i),
    }
}

/// The first byte after the line end at `i` (`\r\n`, `\n` or `\r`).
fn line_end(b: &[u8], mut i: usize) -> usize {
    if i < b.len() && b[i] == b'\r' {
        i += 1;
    }
    if i < b.len() && b[i] == b'\n' {
        i += 1;
    }
    i
}

/// Whether the line at `start` is a comment: `#` then a space, `-`, `#` or
/// the line end, as GA4 writes the blocks above and between its tables. A
/// value such as `#brand` starting a row is data.
fn is_comment(b: &[u8], start: usize) -> bool {
    b.get(start) == Some(&b'#')
        && b.get(start + 1)
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'-' | b'#' | b'\n' | b'\r'))
}

/// The span of a comment line: to its end, quotes or not.
fn comment_span(b: &[u8], start: usize) -> Span {
    let end = b[start..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |p| start + p);
    Span {
        start,
        end,
        next: line_end(b, end),
    }
}

/// A field's text: trimmed, outer quotes removed and doubled quotes undone.
fn field_text(text: &str, (from, to): (usize, usize)) -> Cow<'_, str> {
    let raw = text.get(from..to).unwrap_or("").trim();
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) if inner.contains("\"\"") => Cow::Owned(inner.replace("\"\"", "\"")),
        Some(inner) => Cow::Borrowed(inner),
        None => Cow::Borrowed(raw),
    }
}

/// One record found by the sniffer.
struct Record {
    /// Byte offset where it starts.
    start: usize,
    /// Its fields' text (a comment's whole line is one field).
    fields: Vec<String>,
    /// A comment line (see [`is_comment`]).
    comment: bool,
    /// Whether a blank line or a comment comes right before it.
    separated: bool,
}

/// Splits the start of `text` into at most `limit` records (comment lines
/// included). Blank lines are skipped, and mark the record after them as
/// separated. A line that looks like a comment but has two fields or more
/// (`# of leads,Month`) is a record, unless it is a rule (`# ---`, `##`).
fn sniff_records(text: &str, delimiter: u8, limit: usize) -> Vec<Record> {
    let b = text.as_bytes();
    let mut out: Vec<Record> = Vec::new();
    let mut ranges = Vec::new();
    let mut i = 0;
    let mut separated = false;
    while i < b.len() && out.len() < limit {
        let comment = is_comment(b, i) && {
            let span = comment_span(b, i);
            let line = &b[span.start..span.end];
            !line.contains(&delimiter) || line.starts_with(b"# -") || line.starts_with(b"##")
        };
        if comment {
            let span = comment_span(b, i);
            out.push(Record {
                start: i,
                fields: vec![text[span.start..span.end].to_owned()],
                comment: true,
                separated,
            });
            separated = true;
            i = span.next.max(i + 1);
            continue;
        }
        let span = scan_record(b, i, delimiter, &mut ranges);
        let fields: Vec<String> = ranges
            .iter()
            .map(|&r| field_text(text, r).into_owned())
            .collect();
        i = span.next.max(i + 1);
        if fields.len() == 1 && fields[0].is_empty() {
            separated = true;
            continue;
        }
        out.push(Record {
            start: span.start,
            fields,
            comment: false,
            separated,
        });
        separated = false;
    }
    out
}

/// The header of the records read with one delimiter: in the first block of
/// records (blocks are separated by blank lines and comments) whose most
/// common field count above one is shared by two records or more (or in the
/// last block), the first record with that count. Returns the support of
/// that count, the count and the header's index.
fn header_of(records: &[Record]) -> Option<(usize, usize, usize)> {
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if r.comment {
            continue;
        }
        match blocks.last_mut() {
            Some(block) if !r.separated => block.push(i),
            _ => blocks.push(vec![i]),
        }
    }
    let last = blocks.len().checked_sub(1)?;
    for (n, block) in blocks.iter().enumerate() {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for &i in block {
            let n = records[i].fields.len();
            match counts.iter_mut().find(|(c, _)| *c == n) {
                Some((_, k)) => *k += 1,
                None => counts.push((n, 1)),
            }
        }
        let Some(&(fields, support)) = counts
            .iter()
            .filter(|(n, _)| *n > 1)
            .max_by_key(|(n, k)| (*k, *n))
        else {
            continue;
        };
        if support >= 2 || n == last {
            let header = block
                .iter()
                .copied()
                .find(|&i| records[i].fields.len() == fields)?;
            return Some((support, fields, header));
        }
    }
    None
}

/// Picks the delimiter and the header record: the delimiter whose header
/// ([`header_of`]) has the most support, then the most fields.
fn sniff(text: &str) -> Option<(u8, Vec<Record>, usize)> {
    let mut best: Option<(usize, usize, u8, Vec<Record>, usize)> = None;
    for delimiter in [b',', b';', b'\t', b'|'] {
        let records = sniff_records(text, delimiter, SNIFF_RECORDS);
        let Some((support, fields, header)) = header_of(&records) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|(s, f, ..)| (support, fields) > (*s, *f))
        {
            best = Some((support, fields, delimiter, records, header));
        }
    }
    best.map(|(_, _, d, records, header)| (d, records, header))
}

/// Whether text is a number or a date, in any of the ways exports write them.
fn is_value(t: &str) -> bool {
    use super::values::{DateOrder, DecimalMark, parse_number, parse_time};
    parse_number(t, DecimalMark::Point).is_some()
        || parse_number(t, DecimalMark::Comma).is_some()
        || parse_time(t, DateOrder::MonthFirst).is_some()
        || parse_time(t, DateOrder::DayFirst).is_some()
}

/// Whether a record reads as a header or a description of the columns
/// rather than data: every field is text that is not empty, not a null
/// spelling, not a number and not a date.
fn is_heading<S: AsRef<str>>(fields: &[S]) -> bool {
    fields.iter().all(|f| {
        let f = f.as_ref().trim();
        !super::values::is_null_text(f) && !is_value(f)
    })
}

/// Whether the record after the header is a second header row describing
/// the columns (names, then descriptions): it reads as a heading
/// ([`is_heading`]) and some column holds numbers or dates in every record
/// after it that has a value there.
fn is_description_row(records: &[Record], header: usize) -> bool {
    let n = records[header].fields.len();
    let Some(row) = records.get(header + 1) else {
        return false;
    };
    if row.comment || row.separated || row.fields.len() != n || !is_heading(&row.fields) {
        return false;
    }
    let rest: Vec<&Record> = records[header + 2..]
        .iter()
        .take_while(|r| !r.comment && !r.separated)
        .collect();
    (0..n).any(|c| {
        let cells: Vec<&str> = rest
            .iter()
            .filter_map(|r| r.fields.get(c))
            .map(|v| v.trim())
            .filter(|v| !super::values::is_null_text(v))
            .collect();
        !cells.is_empty() && cells.iter().all(|v| is_value(v))
    })
}

/// How the text after the header divides: the table that is loaded, the
/// summary rows at its bottom and what follows it.
#[derive(Debug, Default)]
struct Layout {
    /// Byte offset (in the text after the header) where the loaded rows end.
    end: usize,
    /// Summary rows (`Total…`, `Grand total`) at the bottom of the table.
    totals: usize,
    /// Rows of empty fields among or below them.
    empty: usize,
    /// Non-blank lines after the table: comments and other tables.
    after: usize,
    /// The other tables after the first: their line in the file (counted
    /// from the header's, 0) and their headers.
    others: Vec<(usize, Vec<String>)>,
}

/// Whether a field is a summary label: a total label ([`is_total_label`]) or
/// `Grand total`, in any case.
fn is_summary_label(field: &str) -> bool {
    let v = field.trim();
    is_total_label(v)
        || v.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("grand"))
            && v.get(5..)
                .is_some_and(|rest| is_total_label(rest.trim_start()))
}

/// Finds where the table that starts with the header record of `body`
/// ends, and what its bottom and the rest of the text hold:
///
/// * the table ends at a blank line or a comment followed by another table:
///   a record with another field count than the header's (unless a summary
///   row), or a heading ([`is_heading`]) when the table's first row holds a
///   number or a date;
/// * the block of summary rows at its bottom — rows whose first or second
///   field is a summary label ([`is_summary_label`]), with any rows of empty
///   fields among or below them, whatever their field counts — is cut off;
///   rows of empty fields without a summary row are data.
fn layout(body: &str, delimiter: u8) -> Layout {
    let b = body.as_bytes();
    let mut ranges = Vec::new();
    let header = scan_record(b, 0, delimiter, &mut ranges);
    let width = ranges.len();
    let mut i = header.next;
    let mut first_has_value: Option<bool> = None;
    let mut separator: Option<usize> = None;
    // The bottom block so far: where it starts, its totals and empty rows.
    let mut block: Option<(usize, usize, usize)> = None;
    let mut end = b.len();
    while i < b.len() {
        if is_comment(b, i) {
            separator.get_or_insert(i);
            i = comment_span(b, i).next.max(i + 1);
            continue;
        }
        let span = scan_record(b, i, delimiter, &mut ranges);
        let next = span.next.max(i + 1);
        if span.end == span.start || body[span.start..span.end].trim().is_empty() {
            separator.get_or_insert(i);
            i = next;
            continue;
        }
        let field = |k: usize| ranges.get(k).map(|&r| field_text(body, r));
        let summary = (0..2).any(|k| field(k).is_some_and(|f| is_summary_label(&f)));
        if let Some(sep) = separator.take() {
            let other_table = !summary
                && (ranges.len() != width || {
                    let fields: Vec<Cow<str>> = (0..ranges.len()).filter_map(field).collect();
                    first_has_value == Some(true) && is_heading(&fields)
                });
            if other_table {
                end = sep;
                break;
            }
        }
        let empty = (0..ranges.len()).all(|k| field(k).is_none_or(|f| f.is_empty()));
        if summary {
            let (start, totals, empties) = block.unwrap_or((span.start, 0, 0));
            block = Some((start, totals + 1, empties));
        } else if empty {
            if let Some((start, totals, empties)) = block {
                block = Some((start, totals, empties + 1));
            } else {
                // Empty rows may open a block that a summary row then closes.
                block = Some((span.start, 0, 1));
            }
        } else {
            block = None;
            if first_has_value.is_none() {
                first_has_value =
                    Some((0..ranges.len()).any(|k| field(k).is_some_and(|f| is_value(&f))));
            }
        }
        i = next;
    }
    let mut out = Layout {
        end,
        ..Layout::default()
    };
    if let Some((start, totals, empty)) = block
        && totals > 0
    {
        out.end = start;
        out.totals = totals;
        out.empty = empty;
    }
    // What follows the table: comment and content lines, other tables.
    let mut i = end;
    let mut separated = true;
    while i < b.len() {
        if is_comment(b, i) {
            out.after += 1;
            separated = true;
            i = comment_span(b, i).next.max(i + 1);
            continue;
        }
        let span = scan_record(b, i, delimiter, &mut ranges);
        let next = span.next.max(i + 1);
        if body[span.start..span.end].trim().is_empty() {
            separated = true;
        } else {
            out.after += 1;
            if separated && ranges.len() > 1 {
                let line = body[..span.start].bytes().filter(|&c| c == b'\n').count();
                let headers = ranges
                    .iter()
                    .map(|&r| field_text(body, r).into_owned())
                    .collect();
                out.others.push((line, headers));
            }
            separated = false;
        }
        i = next;
    }
    out
}

/// Reads CSV bytes into text columns: the first table of the file, without
/// the lines above its header, a second header row describing the columns,
/// the summary rows at its bottom and anything after it (other tables,
/// comments), each counted with its reason in `quality`.
pub fn read(file: &str, bytes: &[u8], quality: &mut LoadQuality) -> Result<TextTable> {
    let text = decode(file, bytes, quality)?;
    if text.trim().is_empty() {
        return Err(Error::unreadable(file, "the file is empty"));
    }
    let Some((delimiter, records, header_idx)) = sniff(&text) else {
        if let Some(phrase) = no_data_phrase(text.trim()) {
            return Err(Error::unreadable(
                file,
                format!("the export says '{phrase}': there is nothing to load"),
            ));
        }
        return Err(Error::unreadable(
            file,
            "not an Arrow file, and no CSV header with two or more columns was found",
        ));
    };
    let header = &records[header_idx];
    let header_line = text[..header.start].lines().count() + 1;
    let banner = &records[..header_idx];
    if header_idx > 0 {
        quality.rows_read += header_idx;
        quality.rows_dropped += header_idx;
        quality
            .dropped_reasons
            .push(if banner.iter().any(|r| r.comment) {
                format!(
                    "{header_idx} line(s) above the header (comments, report title, date range)"
                )
            } else {
                format!("{header_idx} line(s) above the header (report title, date range)")
            });
    }
    let date_range = banner_date_range(banner);
    let mut headers: Vec<String> = header.fields.iter().map(|h| h.trim().to_owned()).collect();
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = format!("column_{}", i + 1);
        }
    }
    let described = is_description_row(&records, header_idx);
    let fields: Vec<Field> = (0..headers.len())
        .map(|i| Field::new(format!("c{i}"), DataType::Utf8, true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let body = &text[header.start..];
    if let Some((line, row)) = unclosed_quote(body, delimiter) {
        return Err(Error::unreadable(
            file,
            format!(
                "a quoted field opened on line {} (row {row}) is never closed",
                header_line.saturating_add(line)
            ),
        ));
    }
    let layout = layout(body, delimiter);
    let reader = arrow_csv::ReaderBuilder::new(schema.clone())
        .with_header(true)
        .with_delimiter(delimiter)
        .with_truncated_rows(true)
        .build(Cursor::new(&body.as_bytes()[..layout.end]))
        .map_err(|e| Error::unreadable(file, e))?;
    let mut batches = Vec::new();
    for b in reader {
        let b = b.map_err(|e| csv_error(file, header_line, &e.to_string()))?;
        batches.push(b);
    }
    let mut batch =
        super::ipc::concat_owned(schema, batches).map_err(|e| Error::unreadable(file, e))?;
    let data_rows = batch.num_rows();
    quality.rows_read += data_rows + layout.totals + layout.empty + layout.after;
    if described && batch.num_rows() > 0 {
        batch = batch.slice(1, batch.num_rows() - 1);
        quality.rows_dropped += 1;
        quality
            .dropped_reasons
            .push("1 line below the header describing the columns".to_owned());
    }
    if layout.totals > 0 {
        quality.rows_dropped += layout.totals + layout.empty;
        let totals = layout.totals;
        quality.dropped_reasons.push(if layout.empty == 0 {
            format!("{totals} total/summary row(s) starting with 'Total' at the end")
        } else {
            format!(
                "{totals} total/summary row(s) starting with 'Total' and {} empty row(s) among them at the end",
                layout.empty
            )
        });
    }
    if layout.after > 0 {
        quality.rows_dropped += layout.after;
        let tables = layout.others.len();
        quality.dropped_reasons.push(if tables == 0 {
            format!("{} comment line(s) after the table", layout.after)
        } else {
            format!(
                "{} line(s) after the first table: {tables} other table(s), not loaded",
                layout.after
            )
        });
        for (line, headers) in &layout.others {
            let shown: Vec<&str> = headers.iter().take(6).map(String::as_str).collect();
            quality.notes.push(format!(
                "another table starts on line {} ({}{}); only the first table of the file is loaded",
                header_line + line,
                shown.join(", "),
                if headers.len() > 6 { ", …" } else { "" }
            ));
        }
    }
    let first_line = header_line + 1 + usize::from(described);
    if let Some(phrase) = only_no_data(&batch) {
        quality.rows_dropped += batch.num_rows();
        quality
            .dropped_reasons
            .push(format!("{} row(s) saying '{phrase}'", batch.num_rows()));
        quality
            .notes
            .push(format!("the export says '{phrase}': the table is empty"));
        return Ok(TextTable {
            headers,
            batch: batch.slice(0, 0),
            header_line,
            first_line,
            european: delimiter == b';',
            date_range,
            no_data: true,
        });
    }
    if batch.num_rows() == 0 {
        let reason = if layout.totals > 0 {
            "the file has no data rows, only total rows"
        } else {
            "the file has a header but no data rows"
        };
        return Err(Error::unreadable(file, reason));
    }
    Ok(TextTable {
        headers,
        batch,
        header_line,
        first_line,
        european: delimiter == b';',
        date_range,
        no_data: false,
    })
}

/// The phrase of an export that says it has no data (`No data available.`,
/// `There is no data to display`, `No results`), if `text` is one.
fn no_data_phrase(text: &str) -> Option<&str> {
    let t = text.trim().trim_matches('"').trim();
    let lower = t.trim_end_matches(['.', '!']).to_ascii_lowercase();
    let phrases = [
        "no data",
        "no data available",
        "no data to display",
        "there is no data",
        "there is no data to display",
        "there is no data for this view",
        "no results",
        "no results found",
        "no rows",
    ];
    phrases.contains(&lower.as_str()).then_some(t)
}

/// The phrase every row of `batch` says when each has one non-empty field
/// only and it is a no-data phrase ([`no_data_phrase`]), as exports without
/// data write it below their header.
fn only_no_data(batch: &RecordBatch) -> Option<String> {
    if batch.num_rows() == 0 || batch.num_rows() > 3 {
        return None;
    }
    let cols: Vec<&StringArray> = batch
        .columns()
        .iter()
        .filter_map(|c| c.as_any().downcast_ref::<StringArray>())
        .collect();
    let mut phrase = None;
    for r in 0..batch.num_rows() {
        let cells: Vec<&str> = cols
            .iter()
            .filter(|c| c.is_valid(r))
            .map(|c| c.value(r).trim())
            .filter(|v| !v.is_empty())
            .collect();
        let [cell] = cells[..] else {
            return None;
        };
        phrase = Some(no_data_phrase(cell)?.to_owned());
    }
    phrase
}

/// The date range a banner line above the header names (`27 January 2026 -
/// 23 February 2026`, `"March 27, 2026 - April 23, 2026"`, `Report Time:
/// 3/1/2026 - 3/31/2026`, GA4's `# Start date: 20260101` and `# End date:
/// 20260131`), as the first and last day (days since the epoch) and the
/// banner line (0-based) that says it.
fn banner_date_range(banner: &[Record]) -> Option<DateRange> {
    let mut start = None;
    let mut end = None;
    for (line, r) in banner.iter().enumerate() {
        let whole = r.fields.join(" ");
        let text = whole.trim_start_matches('#').trim();
        if let Some((first, last)) = super::values::parse_date_range(text) {
            return Some(DateRange {
                first,
                last,
                line: Some(line),
            });
        }
        let lower = text.to_ascii_lowercase();
        let value = |label: &str| {
            lower
                .strip_prefix(label)
                .map(|rest| rest.trim_start_matches([':', ' ']))
                .and_then(|v| super::values::parse_day(v.trim()))
        };
        if let Some(d) = value("start date") {
            start = Some((d, line));
        }
        if let Some(d) = value("end date") {
            end = Some(d);
        }
    }
    match (start, end) {
        (Some((first, line)), Some(last)) if first <= last => Some(DateRange {
            first,
            last,
            line: Some(line),
        }),
        _ => None,
    }
}

/// A report's date range, from its banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// Its first day, in days since 1970-01-01.
    pub first: i64,
    /// Its last day, included.
    pub last: i64,
    /// The banner line (0-based, counted from the file's first line that is
    /// not blank) that names it; `None` for a range the configuration gives
    /// ([`super::LoadOptions::date_range`]).
    pub line: Option<usize>,
}

/// Where a quoted field that is never closed opens: its line counted from
/// the header (0) and its data row (1-based), or `None` when every quote
/// closes. Quotes open a field only at its start, as csv-core reads them.
fn unclosed_quote(body: &str, delimiter: u8) -> Option<(usize, usize)> {
    let mut quoted = false;
    let mut at_field_start = true;
    let mut line = 0usize;
    let mut row = 0usize;
    let mut opened = (0, 0);
    let mut bytes = body.bytes().peekable();
    while let Some(c) = bytes.next() {
        if c == b'\n' {
            line += 1;
        }
        if quoted {
            if c == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if c == b'"' && at_field_start {
            quoted = true;
            opened = (line, row);
        } else if c == b'\n' {
            row += 1;
        }
        at_field_start = c == delimiter || c == b'\n' || c == b'\r';
    }
    quoted.then_some(opened)
}

/// Rewrites arrow-csv's messages into the user's rows and lines.
fn csv_error(file: &str, header_line: usize, message: &str) -> Error {
    let reason = message
        .strip_prefix("Csv error: ")
        .or_else(|| message.strip_prefix("Parser error: "))
        .unwrap_or(message);
    // "incorrect number of fields for line 3, expected 5 got 7": arrow-csv
    // counts records from the header (its line 1).
    let numbers: Vec<usize> = reason
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    if reason.contains("incorrect number of fields")
        && let [record, expected, got] = numbers[..]
    {
        return Error::unreadable(
            file,
            format!(
                "row {} has {got} fields where the header (line {header_line}) has {expected}",
                record.saturating_sub(1)
            ),
        );
    }
    Error::unreadable(file, reason)
}

/// Whether a field is a summary label: `Total`, then nothing, white space
/// or `:` (`Total: Account`, `Total: Search`, `Total (filtered)`), in any
/// case. `TotalEnergies` and `Totalplay brand` are names, not totals.
fn is_total_label(field: &str) -> bool {
    let v = field.trim();
    v.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("total"))
        && v.get(5..).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c == ':' || c.is_whitespace())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> (TextTable, LoadQuality) {
        let mut q = LoadQuality::default();
        let t = read("t.csv", s.as_bytes(), &mut q).expect("readable");
        (t, q)
    }

    fn cell(t: &TextTable, row: usize, col: usize) -> String {
        let c = t
            .batch
            .column(col)
            .as_any()
            .downcast_ref::<StringArray>()
            .expect("text");
        if c.is_null(row) {
            String::new()
        } else {
            c.value(row).to_owned()
        }
    }

    #[test]
    fn plain_and_semicolon() {
        let (t, _) = read_str("a,b\n1,2\n3,4\n");
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.batch.num_rows(), 2);
        let (t, _) = read_str("\u{feff}a;b;c\r\n1,5;2;x\r\n");
        assert_eq!(t.headers, ["a", "b", "c"]);
        assert_eq!(cell(&t, 0, 0), "1,5");
        assert!(t.european);
    }

    #[test]
    fn banner_and_totals() {
        let text = "Campaign report\n\"March 1, 2026 - March 31, 2026\"\nDay,Campaign,Cost\n2026-03-01,A,\"1,234.00\"\n2026-03-02,\"B, with comma\",5\nTotal: Account,,\"1,239.00\"\n";
        let (t, q) = read_str(text);
        assert_eq!(t.headers, ["Day", "Campaign", "Cost"]);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.batch.num_rows(), 2);
        assert_eq!(cell(&t, 1, 1), "B, with comma");
        // Two banner lines and one total row.
        assert_eq!(q.rows_read, 5);
        assert_eq!(q.rows_dropped, 3);
    }

    #[test]
    fn ga4_comment_blocks_and_a_second_table() {
        // GA4's download: a comment block, the table, a blank line, another
        // comment block and a second table of the same width.
        let text = "# ----------------------------------------\n# Traffic acquisition: Session primary channel group\n# Account: Demo, Inc.\n# Start date: 20260101\n# End date: 20260131\n# ----------------------------------------\nSession primary channel group,Sessions\nOrganic Search,120\nDirect,80\n\n# ----------------------------------------\n# Sessions by date\n# ----------------------------------------\nDate,Sessions\n20260101,7\n20260102,9\n";
        let (t, q) = read_str(text);
        assert_eq!(t.headers, ["Session primary channel group", "Sessions"]);
        assert_eq!((t.header_line, t.first_line), (7, 8));
        assert_eq!(t.batch.num_rows(), 2);
        assert_eq!(
            (cell(&t, 1, 0), cell(&t, 1, 1)),
            ("Direct".into(), "80".into())
        );
        // 6 comment lines above; after the table 3 comments and 3 lines of
        // the second table (its header and two rows).
        assert_eq!((q.rows_read, q.rows_dropped), (6 + 2 + 6, 6 + 6));
        assert_eq!(
            q.dropped_reasons,
            [
                "6 line(s) above the header (comments, report title, date range)",
                "6 line(s) after the first table: 1 other table(s), not loaded"
            ]
        );
        assert_eq!(
            q.notes,
            [
                "another table starts on line 14 (Date, Sessions); only the first table of the file is loaded"
            ]
        );
        // 2026-01-01 is day 20454, 2026-01-31 day 20484.
        let r = t.date_range.expect("range");
        assert_eq!((r.first, r.last, r.line), (20_454, 20_484, Some(3)));
    }

    #[test]
    fn a_header_may_start_with_a_hash() {
        let (t, q) = read_str(
            "# of leads,Month
12,2026-01
",
        );
        assert_eq!(t.headers, ["# of leads", "Month"]);
        assert_eq!((t.batch.num_rows(), q.rows_dropped), (1, 0));
        // A comment with a comma inside a comment block is a banner line.
        let (t, q) = read_str(
            "# Report
# Account: Demo, Inc.
# ---
a,b
1,2
3,4
",
        );
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!((t.header_line, q.rows_dropped), (4, 3));
    }

    #[test]
    fn a_title_and_a_blank_line_above_the_header() {
        let (t, q) =
            read_str("Spend report, all accounts\n\nDate,Campaign,Spend\n2026-03-01,A,5\n");
        assert_eq!(t.headers, ["Date", "Campaign", "Spend"]);
        assert_eq!((t.header_line, t.batch.num_rows()), (3, 1));
        assert_eq!((q.rows_read, q.rows_dropped), (2, 1));
    }

    #[test]
    fn a_blank_line_inside_the_data_is_not_the_end() {
        let (t, q) = read_str("Date,Cost\n2026-03-01,5\n\n2026-03-02,6\n");
        assert_eq!(t.batch.num_rows(), 2);
        assert_eq!(cell(&t, 1, 1), "6");
        assert!(q.dropped_reasons.is_empty(), "{:?}", q.dropped_reasons);
    }

    #[test]
    fn a_second_header_row_of_descriptions() {
        let text = "Date,Clicks,Cost\nThe day,Clicks on ads,Cost in EUR\n2026-03-01,4,1.5\n2026-03-02,6,2\n";
        let (t, q) = read_str(text);
        assert_eq!(t.batch.num_rows(), 2);
        assert_eq!(cell(&t, 0, 0), "2026-03-01");
        assert_eq!(t.first_line, 3);
        assert_eq!((q.rows_read, q.rows_dropped), (3, 1));
        assert_eq!(
            q.dropped_reasons,
            ["1 line below the header describing the columns"]
        );
        // A first row of text is data when no column below it holds numbers.
        let (t, _) = read_str("Name,City\nAna,Porto\nBen,Lyon\n");
        assert_eq!(t.batch.num_rows(), 2);
    }

    #[test]
    fn summary_rows_with_other_field_counts() {
        // `Grand total` with more fields than the header, `Total` with fewer.
        let text =
            "Campaign,Day,Cost\nA,2026-03-01,5\nB,2026-03-01,6\nTotal,11\nGrand total,,11,EUR,x\n";
        let (t, q) = read_str(text);
        assert_eq!(t.batch.num_rows(), 2);
        assert_eq!((q.rows_read, q.rows_dropped), (4, 2));
        assert_eq!(
            q.dropped_reasons,
            ["2 total/summary row(s) starting with 'Total' at the end"]
        );
        for s in [
            "Grand total",
            "grand total",
            "Grand Total: Account",
            "GrandTotal",
        ] {
            assert!(is_summary_label(s), "{s}");
        }
        for s in [
            "Grand",
            "Grandma total",
            "Grand totals",
            "Total Energies inc",
        ] {
            assert_eq!(is_summary_label(s), s == "Total Energies inc", "{s}");
        }
    }

    #[test]
    fn an_export_without_data() {
        let mut q = LoadQuality::default();
        let t = read(
            "n.csv",
            b"Campaign,Day,Cost\nNo data available.,,\n",
            &mut q,
        )
        .expect("empty");
        assert!(t.no_data);
        assert_eq!(t.batch.num_rows(), 0);
        assert_eq!(
            q.notes,
            ["the export says 'No data available.': the table is empty"]
        );
        assert_eq!((q.rows_read, q.rows_dropped), (1, 1));
        let e = read("n.csv", b"No data available.\n", &mut q).expect_err("no header");
        assert_eq!(
            e.to_string(),
            "n.csv: the export says 'No data available.': there is nothing to load"
        );
    }

    #[test]
    fn quoted_newlines_and_tabs() {
        let (t, _) = read_str("a\tb\n\"x\ny\"\t2\n");
        assert_eq!(t.batch.num_rows(), 1);
        assert_eq!(cell(&t, 0, 0), "x\ny");
    }

    #[test]
    fn total_check_on_multibyte_text() {
        let (t, _) = read_str("a,b\nTota€,1\n€€€€€€,3\nTotal,2\n");
        assert_eq!(t.batch.num_rows(), 2);
        let (t, _) = read_str("a,b\nx,1\nTotal€,2\n");
        assert_eq!(t.batch.num_rows(), 2);
    }

    #[test]
    fn total_labels() {
        for s in [
            "Total",
            "total",
            "TOTAL",
            " Total ",
            "Total: Account",
            "Total:",
            "Total (3)",
        ] {
            assert!(is_total_label(s), "{s:?}");
        }
        for s in [
            "TotalEnergies",
            "Totalplay brand",
            "Totals",
            "Tota",
            "",
            "Subtotal",
            "Grand total",
        ] {
            assert!(!is_total_label(s), "{s:?}");
        }
    }

    #[test]
    fn only_the_bottom_block_of_totals_is_dropped() {
        // Rows (after the header): 1 data, 2 `Total` in the middle (data),
        // 3 data, 4 empty, 5 `Total: Account`, 6 empty, 7 total in the
        // second field. Rows 4-7 are the bottom block: 4 rows, 2 of them empty.
        let text = "a,b,c\nx,1,2\nTotal,2,3\ny,3,4\n,,\nTotal: Account,,9\n,,\n--,Total,9\n";
        let (t, q) = read_str(text);
        assert_eq!(t.batch.num_rows(), 3);
        assert_eq!(
            (cell(&t, 0, 0), cell(&t, 1, 0), cell(&t, 2, 0)),
            ("x".into(), "Total".into(), "y".into())
        );
        assert_eq!((q.rows_read, q.rows_dropped), (7, 4));
        assert_eq!(
            q.dropped_reasons,
            [
                "2 total/summary row(s) starting with 'Total' and 2 empty row(s) among them at the end"
            ]
        );
        // Trailing empty rows without a total are not a summary block.
        let (t, q) = read_str("a,b\nx,1\n,\n");
        assert_eq!((t.batch.num_rows(), q.rows_dropped), (2, 0));
    }

    /// `text` as UTF-16 bytes, little or big endian, with a byte-order mark.
    fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom
            .then_some(0xfeffu16)
            .into_iter()
            .chain(text.encode_utf16());
        for u in units {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_excel_csv() {
        // Google Ads' "Excel CSV": UTF-16 LE, tabs, every field quoted.
        let text =
            "\"Campaign\"\t\"Day\"\t\"Cost\"\r\n\"Brand – DE\"\t\"2026-03-01\"\t\"1,234.50\"\r\n";
        for (little, bom, note) in [
            (true, true, "read as UTF-16 LE"),
            (false, true, "read as UTF-16 BE"),
            (true, false, "read as UTF-16 LE"),
        ] {
            let mut q = LoadQuality::default();
            let t = read("g.csv", &utf16(text, little, bom), &mut q).expect("readable");
            assert_eq!(t.headers, ["Campaign", "Day", "Cost"]);
            assert_eq!(
                (cell(&t, 0, 0), cell(&t, 0, 2)),
                ("Brand – DE".into(), "1,234.50".into())
            );
            assert_eq!(q.notes, [note]);
        }
        // A lone surrogate is replaced, and said.
        let mut bytes = utf16("a,b\n1,", true, true);
        bytes.extend([0x00, 0xd8, b'2', 0, b'\n', 0]);
        let mut q = LoadQuality::default();
        let t = read("g.csv", &bytes, &mut q).expect("readable");
        assert_eq!(cell(&t, 0, 1), "\u{fffd}2");
        assert_eq!(
            q.notes,
            ["read as UTF-16 LE; 1 broken character(s) shown as \u{fffd}"]
        );
        // UTF-16 holding NUL characters is binary data.
        let e = read("g.csv", &utf16("a,b\n\0\0,1\n", true, true), &mut q).expect_err("binary");
        assert!(e.to_string().contains("binary"), "{e}");
    }

    #[test]
    fn utf8_bom_is_not_a_note() {
        let (t, q) = read_str("\u{feff}a,b\n1,2\n");
        assert_eq!(t.headers, ["a", "b"]);
        assert!(q.notes.is_empty(), "{:?}", q.notes);
    }

    #[test]
    fn latin1() {
        let mut q = LoadQuality::default();
        let t = read("t.csv", b"name,city\nJos\xe9,K\xf6ln\n", &mut q).expect("readable");
        assert_eq!(cell(&t, 0, 0), "José");
        assert_eq!(q.notes, ["not UTF-8: read as Windows-1252"]);
        // 0x80 is the euro sign, 0x96 an en dash in Windows-1252.
        let mut q = LoadQuality::default();
        let t = read("t.csv", b"name,cost\nA\x96B,\x80 5\n", &mut q).expect("readable");
        assert_eq!(
            (cell(&t, 0, 0), cell(&t, 0, 1)),
            ("A–B".into(), "€ 5".into())
        );
    }

    #[test]
    fn bad() {
        let mut q = LoadQuality::default();
        assert!(read("e.csv", b"", &mut q).is_err());
        assert!(read("e.csv", b"\x00\x01\x02", &mut q).is_err());
        let e = read("r.csv", b"a,b\n1,2\n1,2,3,4\n", &mut q).expect_err("ragged");
        assert!(e.to_string().starts_with("r.csv: "), "{e}");
    }
}
