//! The user's configuration (JSON), as `--config` and the page read it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(config) = kpidash::config::Config::from_json(text)
    {
        let _ = config.catalog();
    }
});
