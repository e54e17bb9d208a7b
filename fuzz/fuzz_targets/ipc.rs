//! Arrow IPC bytes (file or stream) through the whole loader: metadata
//! validation, arrow-ipc decoding, kind detection and normalisation. Inputs
//! that are not IPC are skipped so the fuzzer stays on the binary path.
#![no_main]

use kpidash::load::{ipc, load};
use kpidash::model::TableKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !ipc::looks_like_ipc(data) {
        return;
    }
    let _ = load("fuzz.arrow", data, None);
    let _ = load("fuzz.arrow", data, Some(TableKind::People));
});
