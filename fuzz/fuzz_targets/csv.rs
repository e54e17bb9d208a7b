//! Text through the CSV loader: decoding, sniffing, tokenising, total rows,
//! kind detection and parsing of numbers, dates and flags.
#![no_main]

use kpidash::load::{ipc, load};
use kpidash::model::TableKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if ipc::looks_like_ipc(data) {
        return;
    }
    let _ = load("fuzz.csv", data, None);
    let _ = load("fuzz.csv", data, Some(TableKind::Spend));
});
