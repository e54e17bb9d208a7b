//! Inputs the fuzzers found (issue 3, "Bad input"): each once made the loader
//! panic. Kept in `fuzz/regressions/`; every one must now load or fail with
//! an error naming the file, never panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use kpidash::TableKind;

#[test]
fn fuzzer_findings_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no files in {}", dir.display());
    let mut problems = Vec::new();
    for path in &names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        for kind in [None, Some(TableKind::People), Some(TableKind::Spend)] {
            match catch_unwind(AssertUnwindSafe(|| {
                kpidash::load::load(&name, &bytes, kind)
            })) {
                Err(_) => problems.push(format!("{name} ({kind:?}): PANIC")),
                Ok(Err(e)) if !e.to_string().contains(&name) => problems.push(format!(
                    "{name} ({kind:?}): error does not name the file: {e}"
                )),
                Ok(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
