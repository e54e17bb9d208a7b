//! Load throughput for a 1M-row people table (issue 3 "Speed"): uncompressed
//! Arrow IPC, LZ4 Arrow IPC and CSV, each next to a plain copy of the same
//! bytes. A benchmark, not a test:
//!
//! ```text
//! cargo run --release --example bench_load [rows] [--write DIR]
//! ```
//!
//! `--write DIR` also writes the three inputs to `DIR/people.arrow`,
//! `DIR/people.lz4.arrow` and `DIR/people.csv`, so that the browser half
//! (`bench/load.js`, run by `bench/load.sh`) measures exactly the same bytes.

use std::error::Error;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::builder::{StringBuilder, TimestampMicrosecondBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, BooleanArray, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_ipc::CompressionType;
use arrow_ipc::writer::{FileWriter, IpcWriteOptions};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use kpidash::TableKind;

const SOURCES: [&str; 6] = [
    "paid_search",
    "paid_social",
    "organic_search",
    "email",
    "referral",
    "direct",
];
/// Rows per record batch, as pyarrow's `write_feather` writes them.
const BATCH_ROWS: usize = 65_536;
const DAY_US: i64 = 86_400_000_000;
const START_US: i64 = 1_735_689_600_000_000; // 2025-01-01

/// One batch of the people table: rows `from..to`.
fn people(from: usize, to: usize) -> Result<RecordBatch, Box<dyn Error>> {
    let n = to - from;
    let mut id = StringBuilder::with_capacity(n, n * 8);
    let mut email = StringBuilder::with_capacity(n, n * 20);
    let mut created = TimestampMicrosecondBuilder::with_capacity(n);
    let mut mql = TimestampMicrosecondBuilder::with_capacity(n);
    let mut customer = TimestampMicrosecondBuilder::with_capacity(n);
    let mut source = Vec::with_capacity(n);
    let mut campaign = StringBuilder::with_capacity(n, n * 12);
    let mut icp = Vec::with_capacity(n);
    for i in from..to {
        let h = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 16;
        let t = START_US + (h % 730) as i64 * DAY_US + (h % 86_400) as i64 * 1_000_000;
        id.append_value(format!("p{i:07}"));
        email.append_value(format!("user{i}@example.com"));
        created.append_value(t);
        mql.append_option(h.is_multiple_of(3).then_some(t + 5 * DAY_US));
        customer.append_option(h.is_multiple_of(17).then_some(t + 40 * DAY_US));
        source.push((h % 6) as i32);
        campaign.append_value(format!("campaign_{}", h % 40));
        icp.push(h.is_multiple_of(4));
    }
    let utc = |b: &mut TimestampMicrosecondBuilder| -> ArrayRef {
        Arc::new(b.finish().with_timezone("UTC"))
    };
    let ts = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let schema = Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("email", DataType::Utf8, true),
        Field::new("created_at", ts.clone(), true),
        Field::new("mql_at", ts.clone(), true),
        Field::new("customer_at", ts, true),
        Field::new(
            "source",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            true,
        ),
        Field::new("campaign", DataType::Utf8, true),
        Field::new("icp", DataType::Boolean, true),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(email.finish()),
        utc(&mut created),
        utc(&mut mql),
        utc(&mut customer),
        Arc::new(DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(source),
            Arc::new(StringArray::from(SOURCES.to_vec())),
        )?),
        Arc::new(campaign.finish()),
        Arc::new(BooleanArray::from(icp)),
    ];
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}

fn ipc(
    batches: &[RecordBatch],
    compression: Option<CompressionType>,
) -> Result<Vec<u8>, Box<dyn Error>> {
    let schema = batches.first().ok_or("no batches")?.schema();
    let options = IpcWriteOptions::default().try_with_compression(compression)?;
    let mut out = Vec::new();
    let mut w = FileWriter::try_new_with_options(&mut out, &schema, options)?;
    for b in batches {
        w.write(b)?;
    }
    w.finish()?;
    drop(w);
    Ok(out)
}

fn csv(rows: usize) -> String {
    let mut s = String::from("id,email,created_at,mql_at,customer_at,source,campaign,icp\n");
    let iso = |us: i64| {
        let secs = us.div_euclid(1_000_000);
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    for i in 0..rows {
        let h = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 16;
        let t = START_US + (h % 730) as i64 * DAY_US + (h % 86_400) as i64 * 1_000_000;
        let mql = if h.is_multiple_of(3) {
            iso(t + 5 * DAY_US)
        } else {
            String::new()
        };
        let customer = if h.is_multiple_of(17) {
            iso(t + 40 * DAY_US)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "p{i:07},user{i}@example.com,{},{mql},{customer},{},campaign_{},{}\n",
            iso(t),
            SOURCES[(h % 6) as usize],
            h % 40,
            h.is_multiple_of(4)
        ));
    }
    s
}

/// The fastest of a few runs.
fn best(
    runs: usize,
    mut f: impl FnMut() -> Result<(), Box<dyn Error>>,
) -> Result<Duration, Box<dyn Error>> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        best = best.min(t.elapsed());
    }
    Ok(best)
}

/// The command line: `[rows] [--write DIR]`, in any order.
fn args() -> Result<(usize, Option<PathBuf>), Box<dyn Error>> {
    let mut rows = 1_000_000;
    let mut write = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--write" {
            write = Some(PathBuf::from(
                args.next().ok_or("--write needs a directory")?,
            ));
        } else {
            rows = a
                .parse()
                .map_err(|_| format!("usage: bench_load [rows] [--write DIR], not {a:?}"))?;
        }
    }
    Ok((rows, write))
}

fn main() -> Result<(), Box<dyn Error>> {
    let (rows, write) = args()?;
    let batches = (0..rows)
        .step_by(BATCH_ROWS)
        .map(|from| people(from, (from + BATCH_ROWS).min(rows)))
        .collect::<Result<Vec<_>, _>>()?;
    let inputs = [
        (
            "Arrow IPC, uncompressed",
            "people.arrow",
            ipc(&batches, None)?,
        ),
        (
            "Arrow IPC, LZ4",
            "people.lz4.arrow",
            ipc(&batches, Some(CompressionType::LZ4_FRAME))?,
        ),
        ("CSV", "people.csv", csv(rows).into_bytes()),
    ];
    if let Some(dir) = &write {
        std::fs::create_dir_all(dir)?;
        for (_, name, bytes) in &inputs {
            std::fs::write(dir.join(name), bytes)?;
        }
        println!("wrote {} files to {}\n", inputs.len(), dir.display());
    }
    println!(
        "{rows} people rows, {} record batches in the Arrow files; best of 5 (load, decode) or 7 (copies) runs\n",
        batches.len()
    );
    println!(
        "{:<24} {:>6} {:>8} {:>8} {:>8} {:>8} {:>11} {:>7} {:>9} {:>9}",
        "input",
        "MB",
        "to_vec",
        "memcpy",
        "decode",
        "load",
        "rows/s",
        "MB/s",
        "load/vec",
        "load/cpy"
    );
    for (label, name, bytes) in &inputs {
        let mb = bytes.len() as f64 / 1e6;
        let to_vec = best(7, || {
            std::hint::black_box(bytes.to_vec());
            Ok(())
        })?;
        // The same copy into memory that is already mapped.
        let mut dst = vec![1u8; bytes.len()];
        let memcpy = best(7, || {
            dst.copy_from_slice(bytes);
            std::hint::black_box(&dst);
            Ok(())
        })?;
        drop(dst);
        // Decoding alone: IPC through arrow-ipc (with kpidash's metadata
        // checks), CSV through the sniffer and tokeniser, before typing.
        let decode = best(5, || {
            if kpidash::load::ipc::looks_like_ipc(bytes) {
                std::hint::black_box(kpidash::load::ipc::read(name, bytes)?);
            } else {
                let mut q = kpidash::quality::LoadQuality::default();
                std::hint::black_box(kpidash::load::csv::read(name, bytes, &mut q)?);
            }
            Ok(())
        })?;
        let mut loaded = 0;
        let load = best(5, || {
            let t = kpidash::load::load(name, bytes, Some(TableKind::People))?;
            loaded = t.rows();
            std::hint::black_box(t);
            Ok(())
        })?;
        if loaded != rows {
            return Err(format!("{name}: loaded {loaded} rows, expected {rows}").into());
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let secs = load.as_secs_f64();
        println!(
            "{:<24} {:>6.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>11.0} {:>7.0} {:>9.1} {:>9.1}",
            label,
            mb,
            ms(to_vec),
            ms(memcpy),
            ms(decode),
            ms(load),
            rows as f64 / secs,
            mb / secs,
            secs / to_vec.as_secs_f64(),
            secs / memcpy.as_secs_f64()
        );
    }
    println!("\ntimes in ms; load = decode + kind/role mapping + type normalisation");
    Ok(())
}
