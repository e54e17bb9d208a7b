//! The project's reference pages keep up with the code (issue 8): every KPI
//! of the built-in catalog has its entry in `docs/kpis.md`, with the catalog's
//! metadata, and every table kind its section in `docs/data-model.md`.

use std::path::Path;

use kpidash::TableKind;
use kpidash::catalog::KpiDef;

fn page(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn builtin() -> Vec<KpiDef> {
    let kpis = kpidash::catalog::builtin();
    // `builtin()` is empty when the embedded catalog does not parse, which
    // would make every check below pass vacuously.
    assert!(!kpis.is_empty(), "the built-in catalog is empty");
    kpis
}

/// The cells of a Markdown table row, trimmed; `None` for other lines.
fn cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(str::trim).collect())
}

/// Whether a heading, or the first cell of a table row, names `name` in
/// backticks.
fn has_entry(text: &str, name: &str) -> bool {
    let code = format!("`{name}`");
    text.lines().any(|line| {
        line.starts_with('#') && line.contains(&code)
            || cells(line).is_some_and(|c| c.first() == Some(&code.as_str()))
    })
}

/// A serde enum (unit, stage, …) as the name it has in the catalog.
fn serde_name(value: impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        // No stage (budget KPIs): a dash in the tables.
        Ok(serde_json::Value::Null) => "–".to_owned(),
        other => panic!("not a named value: {other:?}"),
    }
}

#[test]
fn every_builtin_kpi_has_an_entry_in_kpis_md() {
    let text = page("kpis.md");
    let missing: Vec<String> = builtin()
        .into_iter()
        .map(|k| k.id)
        .filter(|id| !has_entry(&text, id))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/kpis.md has no heading or table row for: {}",
        missing.join(", ")
    );
}

#[test]
fn kpis_md_describes_only_kpis_of_the_catalog() {
    let text = page("kpis.md");
    let ids: Vec<String> = builtin().into_iter().map(|k| k.id).collect();
    // Each KPI's own heading starts with its id in backticks.
    let stale: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.split('`').next())
        .filter(|id| !ids.iter().any(|k| k == id))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/kpis.md describes KPIs the catalog does not have: {}",
        stale.join(", ")
    );
}

#[test]
fn kpis_md_tables_show_the_catalogs_metadata() {
    let text = page("kpis.md");
    let mut problems = Vec::new();
    for k in builtin() {
        let code = format!("`{}`", k.id);
        let rows: Vec<Vec<&str>> = text
            .lines()
            .filter_map(cells)
            .filter(|c| c.first() == Some(&code.as_str()))
            .collect();
        // | id | name | unit | stage | indicator | better |
        let expected = vec![
            code.clone(),
            k.name.clone(),
            serde_name(k.unit),
            serde_name(k.stage),
            serde_name(k.indicator),
            serde_name(k.better),
        ];
        match rows.as_slice() {
            [row] if *row == expected => {}
            [row] => problems.push(format!("{}: {row:?}, catalog {expected:?}", k.id)),
            _ => problems.push(format!("{}: {} table rows, expected one", k.id, rows.len())),
        }
    }
    assert!(
        problems.is_empty(),
        "docs/kpis.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_table_kind_has_a_section_in_data_model_md() {
    let text = page("data-model.md");
    let missing: Vec<String> = TableKind::ALL
        .iter()
        .map(|k| k.to_string())
        .filter(|name| {
            !text
                .lines()
                .any(|l| l.starts_with("### ") && l.contains(&format!("`{name}`")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/data-model.md has no section for the kind(s): {}",
        missing.join(", ")
    );
}
