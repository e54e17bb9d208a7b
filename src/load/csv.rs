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

/// One record found by the sniffer: its fields and the byte offset where it starts.
struct Record {
    start: usize,
    fields: Vec<String>,
}

/// Splits the start of `text` into at most `limit` records, honouring quotes
/// (which may span lines). Blank lines are skipped.
fn sniff_records(text: &str, delimiter: u8, limit: usize) -> Vec<Record> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < limit {
        let start = i;
        let mut fields = Vec::new();
        let mut field = Vec::new();
        let mut quoted = false;
        let mut at_field_start = true;
        while i < b.len() {
            let c = b[i];
            if quoted {
                if c == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        field.push(b'"');
                        i += 1;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
            } else if c == b'"' && at_field_start {
                quoted = true;
            } else if c == delimiter {
                fields.push(String::from_utf8_lossy(&field).into_owned());
                field.clear();
                at_field_start = true;
                i += 1;
                continue;
            } else if c == b'\n' || c == b'\r' {
                break;
            } else {
                field.push(c);
            }
            at_field_start = false;
            i += 1;
        }
        // Line end: \r\n, \n or \r.
        if i < b.len() && b[i] == b'\r' {
            i += 1;
        }
        if i < b.len() && b[i] == b'\n' {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&field).into_owned());
        let blank = fields.len() == 1 && fields[0].trim().is_empty();
        if !blank {
            out.push(Record { start, fields });
        }
    }
    out
}

/// Picks the delimiter and the header record: the delimiter whose most
/// common field count (above one) is shared by the most records; the header
/// is the first record with that count.
fn sniff(text: &str) -> Option<(u8, Vec<Record>, usize)> {
    let mut best: Option<(usize, usize, u8)> = None;
    for delimiter in [b',', b';', b'\t', b'|'] {
        let records = sniff_records(text, delimiter, SNIFF_RECORDS);
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for r in &records {
            let n = r.fields.len();
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
        if best.is_none_or(|(s, f, _)| (support, fields) > (s, f)) {
            best = Some((support, fields, delimiter));
        }
    }
    let (_, fields, delimiter) = best?;
    let records = sniff_records(text, delimiter, SNIFF_RECORDS);
    let header = records.iter().position(|r| r.fields.len() == fields)?;
    Some((delimiter, records, header))
}

/// Reads CSV bytes into text columns.
pub fn read(file: &str, bytes: &[u8], quality: &mut LoadQuality) -> Result<TextTable> {
    let text = decode(file, bytes, quality)?;
    if text.trim().is_empty() {
        return Err(Error::unreadable(file, "the file is empty"));
    }
    let (delimiter, records, header_idx) = sniff(&text).ok_or_else(|| {
        Error::unreadable(
            file,
            "not an Arrow file, and no CSV header with two or more columns was found",
        )
    })?;
    let header = &records[header_idx];
    let header_line = text[..header.start].lines().count() + 1;
    if header_idx > 0 {
        quality.rows_read += header_idx;
        quality.rows_dropped += header_idx;
        quality.dropped_reasons.push(format!(
            "{header_idx} line(s) above the header (report title, date range)"
        ));
    }
    let mut headers: Vec<String> = header.fields.iter().map(|h| h.trim().to_owned()).collect();
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = format!("column_{}", i + 1);
        }
    }
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
    let reader = arrow_csv::ReaderBuilder::new(schema.clone())
        .with_header(true)
        .with_delimiter(delimiter)
        .with_truncated_rows(true)
        .build(Cursor::new(body.as_bytes()))
        .map_err(|e| Error::unreadable(file, e))?;
    let mut batches = Vec::new();
    for b in reader {
        let b = b.map_err(|e| csv_error(file, header_line, &e.to_string()))?;
        batches.push(b);
    }
    let batch =
        super::ipc::concat_owned(schema, batches).map_err(|e| Error::unreadable(file, e))?;
    let data_rows = batch.num_rows();
    quality.rows_read += data_rows;
    let batch = drop_total_rows(batch, quality).map_err(|e| Error::unreadable(file, e))?;
    if batch.num_rows() == 0 {
        let reason = if data_rows > 0 {
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
        european: delimiter == b';',
    })
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

/// Drops the summary rows Google Ads and spreadsheets append below the data
/// (`docs/data-model.md`): the block at the bottom of the file made of rows whose
/// first or second field is a total label (see [`is_total_label`]), with
/// any rows of empty fields among or below them. A `Total` row above a data
/// row is data, and trailing empty rows without a total are kept.
fn drop_total_rows(
    batch: RecordBatch,
    quality: &mut LoadQuality,
) -> std::result::Result<RecordBatch, arrow_schema::ArrowError> {
    let cols: Vec<&StringArray> = batch
        .columns()
        .iter()
        .filter_map(|c| c.as_any().downcast_ref::<StringArray>())
        .collect();
    fn field(c: &StringArray, r: usize) -> Option<&str> {
        c.is_valid(r).then(|| c.value(r))
    }
    let is_total = |r: usize| {
        cols.iter()
            .take(2)
            .any(|c| field(c, r).is_some_and(is_total_label))
    };
    let is_blank = |r: usize| {
        cols.iter()
            .all(|c| field(c, r).is_none_or(|v| v.trim().is_empty()))
    };
    let rows = batch.num_rows();
    let (mut start, mut totals) = (rows, 0usize);
    while start > 0 {
        let r = start - 1;
        if is_total(r) {
            totals += 1;
        } else if !is_blank(r) {
            break;
        }
        start = r;
    }
    if totals == 0 {
        return Ok(batch);
    }
    let dropped = rows - start;
    quality.rows_dropped += dropped;
    let blank = dropped - totals;
    quality.dropped_reasons.push(if blank == 0 {
        format!("{totals} total/summary row(s) starting with 'Total' at the end")
    } else {
        format!(
            "{totals} total/summary row(s) starting with 'Total' and {blank} empty row(s) among them at the end"
        )
    });
    Ok(batch.slice(0, start))
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
