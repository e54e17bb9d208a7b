//! A description of a loaded file, for the page and `kpidash inspect`; and
//! the draft of a file's mapping that the page's mapping editor shows (its
//! kinds, a guess per role, the first rows, what each role adds).

use serde::Serialize;

use crate::catalog::KpiDef;
use crate::error::Result;
use crate::load::LoadOptions;
use crate::load::detect::{self, KindFit};
use crate::model::kinds::Reshape;
use crate::model::{ColumnInfo, RoleType, Table, TableKind};
use crate::quality::LoadQuality;

/// What a person sees of one loaded file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileInfo {
    /// File name.
    pub name: String,
    /// Table kind.
    pub kind: TableKind,
    /// Whether the kind was detected rather than named by the user.
    pub kind_detected: bool,
    /// Another kind the headers fit nearly as well (within
    /// `CLOSE_SCORE`) when the kind was detected: the file is
    /// plausibly either, and the page offers the switch.
    pub kind_alternative: Option<TableKind>,
    /// Rows kept.
    pub rows: usize,
    /// How each column was understood.
    pub columns: Vec<ColumnInfo>,
    /// What loading found.
    pub quality: LoadQuality,
}

impl From<&Table> for FileInfo {
    fn from(t: &Table) -> Self {
        FileInfo {
            name: t.file.clone(),
            kind: t.kind,
            kind_detected: t.kind_detected,
            kind_alternative: t.kind_detected.then(|| alternative(t)).flatten(),
            rows: t.rows(),
            columns: t.columns.clone(),
            quality: t.quality.clone(),
        }
    }
}

/// The kind other than the table's that its headers fit nearly as well,
/// if any: among the candidates of [`detect::rank_kinds`], the best within
/// `CLOSE_SCORE` of the table's own kind. A `date` column the
/// loader added (no header) means the banner gave a date range.
fn alternative(t: &Table) -> Option<TableKind> {
    let headers: Vec<String> = t
        .columns
        .iter()
        .filter(|c| !c.source.is_empty())
        .map(|c| c.source.clone())
        .collect();
    let norm = crate::load::normalized_headers(&headers);
    let has_range = t
        .columns
        .iter()
        .any(|c| c.source.is_empty() && c.name == "date");
    let ranked = detect::rank_kinds(&norm, &[], has_range);
    let own = ranked.iter().find(|f| f.kind == t.kind)?.score;
    ranked
        .iter()
        .find(|f| f.complete && f.kind != t.kind && own - f.score <= detect::CLOSE_SCORE)
        .map(|f| f.kind)
}

impl FileInfo {
    /// A plain-text description for the terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let how = if self.kind_detected {
            "detected"
        } else {
            "given"
        };
        let _ = writeln!(
            s,
            "{}: {} table ({how}), {} rows",
            self.name, self.kind, self.rows
        );
        let width = self
            .columns
            .iter()
            .map(|c| c.source.len())
            .max()
            .unwrap_or(0);
        for c in &self.columns {
            let role = c
                .role
                .as_deref()
                .map(|r| format!("→ {r}"))
                .unwrap_or_default();
            let source = if c.source.is_empty() {
                "(added)"
            } else {
                c.source.as_str()
            };
            let _ = writeln!(s, "  {source:width$}  {:18} {role}", c.data_type);
        }
        let q = &self.quality;
        if q.rows_dropped > 0 {
            let _ = writeln!(
                s,
                "  dropped {} rows: {}",
                q.rows_dropped,
                q.dropped_reasons.join("; ")
            );
        }
        if q.unparsed_cells > 0 {
            let _ = writeln!(s, "  {} cells not understood, e.g.:", q.unparsed_cells);
            for e in &q.unparsed_examples {
                let _ = writeln!(s, "    row {}, column '{}': '{}'", e.row, e.column, e.text);
            }
        }
        for n in &q.notes {
            let _ = writeln!(s, "  note: {n}");
        }
        s
    }
}

/// Rows of a file the mapping editor shows.
pub const PREVIEW_ROWS: usize = 5;

/// The mapping editor's view of one file for one kind: every kind with its
/// fit, the role each header takes (the user's, else the best guess), the
/// first rows as the mapping reads them, and whether the file loads so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// File name.
    pub name: String,
    /// The kind this draft maps the file as: the one asked for, else the
    /// best fit.
    pub kind: TableKind,
    /// Every kind, the candidates first, the best first
    /// (`rank_kinds`, with the user's roles).
    pub kinds: Vec<KindFit>,
    /// The file's columns: header as written, and what its values are
    /// without a role (`text`, `number`, `date/time`, …).
    pub columns: Vec<DraftColumn>,
    /// One entry per role of the kind, in the kind's order.
    pub roles: Vec<RoleChoice>,
    /// The mapping in force: header as written → role, for every role that
    /// has a header (the `files[name].columns` to save).
    pub mapping: std::collections::BTreeMap<String, String>,
    /// A campaign report without dates whose banner names no range: it
    /// loads once a date range is given (`files[name].date_range`).
    pub needs_date_range: bool,
    /// The first rows ([`PREVIEW_ROWS`]) as the mapping reads them: the
    /// loaded table's columns when it loads, else the file's own.
    pub preview: Preview,
    /// Rows the table has when it loads with this mapping.
    pub rows: Option<usize>,
    /// Why the file does not load with this mapping, if it does not.
    pub error: Option<String>,
}

/// One column of a file, for the mapping editor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftColumn {
    /// The header as written.
    pub header: String,
    /// What its values are without a role.
    #[serde(rename = "type")]
    pub ty: String,
}

/// One role of the draft's kind and the header that takes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleChoice {
    /// The role (`created_at`).
    pub role: String,
    /// The role's type.
    #[serde(rename = "type")]
    pub ty: RoleType,
    /// Whether the kind requires it.
    pub required: bool,
    /// The header that takes it: the user's choice, the alias match, or the
    /// best guess; `None` when no header fits.
    pub header: Option<String>,
    /// Headers whose values can take the role, the likeliest first, with
    /// their scores (10 for an alias of the role, 4 for a word in common
    /// with the role or an alias, 2 for values of the role's type).
    pub guesses: Vec<Guess>,
    /// The names of the KPIs this role adds: those that read it and whose
    /// other columns of this kind the mapping has.
    pub enables: Vec<String>,
}

/// A header that may take a role, and how likely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guess {
    /// The header as written.
    pub header: String,
    /// Higher is likelier.
    pub score: i32,
}

/// Rows shown as text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    /// Column names: the loaded table's (roles) or the file's headers.
    pub columns: Vec<String>,
    /// The rows, a cell per column; `None` is empty.
    pub rows: Vec<Vec<Option<String>>>,
}

/// How well a column's values suit a role's type: `Some(points)`, or `None`
/// when they cannot be read as it (text for a date role).
fn type_fit(role: RoleType, column: &str) -> Option<i32> {
    let time = column == "date/time" || column == "timestamp (UTC)";
    let number = column == "number";
    let flag = column == "true/false";
    let text = column.starts_with("text");
    match role {
        RoleType::Time => time.then_some(2),
        RoleType::Number => number.then_some(2),
        RoleType::Flag => (flag || number).then_some(if flag { 2 } else { 0 }),
        RoleType::Task => (time || flag).then_some(2),
        RoleType::Id => (text || number).then_some(if text { 1 } else { 0 }),
        RoleType::Text | RoleType::Dimension => (!time).then_some(if text { 2 } else { 0 }),
    }
}

/// The words of a normalised name, two letters or more.
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split('_').filter(|w| w.len() >= 2)
}

/// Scores a (normalised) header for a role of `kind` (see
/// [`RoleChoice::guesses`]); `None` when its values do not suit the role.
fn guess_score(
    kind: TableKind,
    role: &crate::model::kinds::RoleSpec,
    header: &str,
    ty: &str,
) -> Option<i32> {
    let fit = type_fit(role.ty, ty)?;
    let alias = detect::role_for(kind, header) == Some(role.role);
    let names = std::iter::once(role.role).chain(role.aliases.iter().copied());
    let common = names.flat_map(words).any(|w| words(header).any(|h| h == w));
    Some(fit + if alias { 10 } else { 0 } + if common { 4 } else { 0 })
}

/// The least score a guess needs to be pre-filled: a word in common and
/// values of the role's type, or an alias.
const PREFILL_SCORE: i32 = 5;

/// Drafts the mapping of a file as `kind` (else the kind it fits best),
/// with the user's column roles in `options` (`columns`; a header mapped to
/// `""` takes no role): what the page's mapping editor shows. `catalog` is
/// the KPIs in force, for what each role adds. An error only when the file
/// cannot be read at all; a mapping it does not load with is
/// [`Draft::error`].
pub fn draft(
    file: &str,
    bytes: &[u8],
    kind: Option<TableKind>,
    options: &LoadOptions,
    catalog: &[KpiDef],
) -> Result<Draft> {
    let sk = crate::load::sketch(file, bytes, options, PREVIEW_ROWS)?;
    let kinds = detect::rank_kinds(&sk.normalized, &sk.forced, sk.has_range);
    let kind = kind
        .or_else(|| kinds.first().map(|f| f.kind))
        .unwrap_or(TableKind::People);
    let spec = kind.spec();
    // The user's roles and the alias matches, then the best guesses for the
    // roles still without a header, each header once.
    let mut roles_of = detect::map_roles(kind, &sk.normalized, &sk.forced);
    let fixed: Vec<bool> = sk.forced.iter().map(Option::is_some).collect();
    let mut choices: Vec<RoleChoice> = Vec::new();
    for r in spec.roles {
        let mut guesses: Vec<(usize, i32)> = sk
            .normalized
            .iter()
            .zip(&sk.types)
            .enumerate()
            .filter_map(|(i, (h, ty))| Some((i, guess_score(kind, r, h, ty)?)))
            .collect();
        guesses.sort_by_key(|(i, s)| (-s, *i));
        let mut header = roles_of.iter().position(|x| x.as_deref() == Some(r.role));
        if header.is_none()
            && let Some((i, _)) = guesses
                .iter()
                .find(|(i, s)| *s >= PREFILL_SCORE && roles_of[*i].is_none() && !fixed[*i])
        {
            roles_of[*i] = Some(r.role.to_owned());
            header = Some(*i);
        }
        choices.push(RoleChoice {
            role: r.role.to_owned(),
            ty: r.ty,
            required: r.required,
            header: header.map(|i| sk.headers[i].clone()),
            guesses: guesses
                .iter()
                .map(|(i, score)| Guess {
                    header: sk.headers[*i].clone(),
                    score: *score,
                })
                .collect(),
            enables: Vec::new(),
        });
    }
    let mapped: Vec<&str> = roles_of.iter().flatten().map(String::as_str).collect();
    for c in &mut choices {
        c.enables = enables(catalog, kind, &c.role, &mapped);
    }
    let mapping: std::collections::BTreeMap<String, String> = choices
        .iter()
        .filter_map(|c| Some((c.header.clone()?, c.role.clone())))
        .collect();
    let needs_date_range = !sk.has_range
        && spec.reshapes.contains(&Reshape::SpreadOverRange)
        && detect::reshape_applies(Reshape::SpreadOverRange, &sk.normalized, &roles_of, true);
    let mut with = options.clone();
    with.columns.extend(mapping.clone());
    let (preview, rows, error) = match crate::load::load_with(file, bytes, Some(kind), &with) {
        Ok(t) => (preview_of(&t), Some(t.rows()), None),
        Err(e) => (
            Preview {
                columns: sk.headers.clone(),
                rows: sk.rows.clone(),
            },
            None,
            Some(e.to_string()),
        ),
    };
    Ok(Draft {
        name: file.to_owned(),
        kind,
        kinds,
        columns: sk
            .headers
            .iter()
            .zip(&sk.types)
            .map(|(h, t)| DraftColumn {
                header: h.clone(),
                ty: t.clone(),
            })
            .collect(),
        roles: choices,
        mapping,
        needs_date_range,
        preview,
        rows,
        error,
    })
}

/// The names of the KPIs of `catalog` that read `role` of `kind` and whose
/// other columns of `kind` are all among `mapped` (a `task_*` family counts
/// when a task column is mapped).
fn enables(catalog: &[KpiDef], kind: TableKind, role: &str, mapped: &[&str]) -> Vec<String> {
    let has = |c: &str| {
        c == role
            || mapped.contains(&c)
            || (c.ends_with('*')
                && mapped
                    .iter()
                    .any(|m| m.starts_with(c.trim_end_matches('*'))))
    };
    catalog
        .iter()
        .filter(|k| {
            let inputs = crate::engine::inputs::inputs(&k.measure);
            let own: Vec<&str> = inputs
                .iter()
                .filter(|(t, _)| *t == kind)
                .map(|(_, c)| c.as_str())
                .collect();
            own.contains(&role) && own.iter().all(|c| has(c))
        })
        .map(|k| k.name.clone())
        .collect()
}

/// The first rows of a loaded table as text, its columns by name.
fn preview_of(t: &Table) -> Preview {
    use arrow_array::Array;
    let shown = PREVIEW_ROWS.min(t.rows());
    let texts: Vec<Option<arrow_array::StringArray>> = t
        .batch
        .columns()
        .iter()
        .map(|c| crate::load::cast::to_utf8(c.slice(0, shown).as_ref()).ok())
        .collect();
    Preview {
        columns: t.columns.iter().map(|c| c.name.clone()).collect(),
        rows: (0..shown)
            .map(|r| {
                texts
                    .iter()
                    .map(|c| {
                        c.as_ref()
                            .and_then(|c| c.is_valid(r).then(|| c.value(r).to_owned()))
                    })
                    .collect()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft_of(csv: &str, kind: Option<TableKind>, columns: &[(&str, &str)]) -> Draft {
        let options = LoadOptions {
            columns: columns
                .iter()
                .map(|(h, r)| ((*h).to_owned(), (*r).to_owned()))
                .collect(),
            ..LoadOptions::default()
        };
        draft(
            "f.csv",
            csv.as_bytes(),
            kind,
            &options,
            &crate::catalog::builtin(),
        )
        .expect("drafts")
    }

    fn choice<'d>(d: &'d Draft, role: &str) -> &'d RoleChoice {
        d.roles.iter().find(|c| c.role == role).expect("role")
    }

    /// Headers no alias knows: `Contact` (numbers), `Lead Date` (dates),
    /// `Remark` (text). As people, the file does not load until `id` and
    /// `created_at` have a header.
    #[test]
    fn an_unrecognised_file_gets_guesses_and_loads_once_mapped() {
        let csv = "Contact,Lead Date,Remark\n1,2026-03-01,hi\n2,2026-03-02,yo\n";
        let d = draft_of(csv, Some(TableKind::People), &[]);
        assert_eq!(d.kind, TableKind::People);
        assert_eq!(
            d.columns.iter().map(|c| c.ty.as_str()).collect::<Vec<_>>(),
            ["number", "date/time", "text"]
        );
        assert!(d.error.is_some(), "no id yet: {d:#?}");
        assert_eq!(d.rows, None);
        // The file's own rows as the preview, dates as read.
        assert_eq!(d.preview.columns, ["Contact", "Lead Date", "Remark"]);
        assert_eq!(d.preview.rows.len(), 2);
        assert_eq!(d.preview.rows[1][2].as_deref(), Some("yo"));
        // Dates never guess for a number role, text never for a date role.
        let created = choice(&d, "created_at");
        assert!(
            created.guesses.iter().all(|g| g.header == "Lead Date"),
            "{:?}",
            created.guesses
        );
        assert!(
            choice(&d, "id")
                .guesses
                .iter()
                .all(|g| g.header != "Lead Date")
        );

        let d = draft_of(
            csv,
            Some(TableKind::People),
            &[("Contact", "id"), ("Lead Date", "created_at")],
        );
        assert_eq!(d.error, None);
        assert_eq!(d.rows, Some(2));
        assert_eq!(choice(&d, "id").header.as_deref(), Some("Contact"));
        assert_eq!(
            d.mapping.get("Lead Date").map(String::as_str),
            Some("created_at")
        );
        // Now the loaded table's columns are previewed by role.
        assert!(d.preview.columns.iter().any(|c| c == "created_at"));
        assert!(d.preview.columns.iter().any(|c| c == "id"));
        // `created_at` adds the KPIs that read only it of people (New Leads).
        assert!(
            choice(&d, "created_at")
                .enables
                .iter()
                .any(|n| n == "New Leads"),
            "{:?}",
            choice(&d, "created_at").enables
        );
        // A header mapped to nothing takes no role, not even its alias's.
        let d = draft_of(
            "id,created_at,email\n1,2026-03-01,a@x.com\n",
            None,
            &[("email", "")],
        );
        assert_eq!(d.kind, TableKind::People);
        assert_eq!(choice(&d, "email").header, None);
        assert!(!d.mapping.contains_key("email"));
    }

    /// A Google Ads campaign report with no date column and no banner: spend,
    /// once it has a range. 31 days of January: 310 spread to 10 a day.
    #[test]
    fn a_campaign_report_without_dates_asks_for_a_range() {
        let csv = "Campaign,Impr.,Clicks,Cost\nBrand,3100,310,310.00\n";
        let d = draft_of(csv, Some(TableKind::Spend), &[]);
        assert!(d.needs_date_range);
        assert!(d.error.is_some());
        let options = LoadOptions {
            date_range: Some(
                crate::load::parse_date_range("2026-01-01..2026-01-31").expect("range"),
            ),
            ..LoadOptions::default()
        };
        let d = draft("f.csv", csv.as_bytes(), None, &options, &[]).expect("drafts");
        assert_eq!(d.kind, TableKind::Spend);
        assert!(!d.needs_date_range);
        assert_eq!(d.rows, Some(31));
        let cost = d
            .preview
            .columns
            .iter()
            .position(|c| c == "cost")
            .expect("cost");
        assert_eq!(d.preview.rows[0][cost].as_deref(), Some("10.0"));
        let t = crate::load::load_with("f.csv", csv.as_bytes(), None, &options).expect("loads");
        assert!(
            t.quality
                .notes
                .iter()
                .any(|n| n
                    .contains("2026-01-01 to 2026-01-31 (the date range configured for the file)")),
            "{:?}",
            t.quality.notes
        );
    }

    #[test]
    fn date_ranges_read_as_written() {
        let r = crate::load::parse_date_range("2026-01-27..2026-02-23").expect("range");
        // 2026-01-27 is day 20_480 since 1970-01-01 (56 years, 14 leap days:
        // 56 × 365 + 14 = 20_454 for 2026-01-01, plus 26); 28 days on.
        assert_eq!((r.first, r.last, r.line), (20_480, 20_507, None));
        assert!(crate::load::parse_date_range("2026-02-23..2026-01-27").is_err());
        assert!(crate::load::parse_date_range("27/01/2026..23/02/2026").is_err());
        assert!(crate::load::parse_date_range("2026-02-30..2026-03-01").is_err());
    }

    /// `Record ID, Create Date, Amount` is deals, plausibly people (12
    /// against 10, see `detect::tests`); a HubSpot contacts export is
    /// people only.
    #[test]
    fn a_detected_kind_names_a_close_alternative() {
        let t = crate::load::load(
            "d.csv",
            b"Record ID,Create Date,Amount\n1,2026-01-05,100\n",
            None,
        )
        .expect("loads");
        let info = FileInfo::from(&t);
        assert_eq!(
            (info.kind, info.kind_alternative),
            (TableKind::Deals, Some(TableKind::People))
        );
        let t = crate::load::load(
            "c.csv",
            b"Record ID,Email,Create Date,Original Source\n1,a@x.com,2026-01-05,Paid Search\n",
            None,
        )
        .expect("loads");
        assert_eq!(FileInfo::from(&t).kind_alternative, None);
        // Chosen by the user: no alternative offered.
        let t = crate::load::load(
            "d.csv",
            b"Record ID,Create Date,Amount\n1,2026-01-05,100\n",
            Some(TableKind::Deals),
        )
        .expect("loads");
        assert_eq!(FileInfo::from(&t).kind_alternative, None);
    }
}
