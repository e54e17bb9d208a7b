//! The words a front end offers its user: table kinds with their roles,
//! report grains and the built-in breakdown dimensions.
//!
//! The page builds its kind, grain and breakdown menus from [`vocabulary`]
//! (through `src/wasm.rs`) instead of keeping copies; kinds and roles are
//! described in `docs/data-model.md`, grains and `--by` in `docs/result.md`.

use serde::Serialize;

use crate::engine::time::Grain;
use crate::model::kinds::builtin_dimensions;
use crate::model::{RoleType, TableKind};

/// Table kinds, grains and built-in dimensions, as a front end lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vocabulary {
    /// Every table kind, in the order reports list them.
    pub kinds: Vec<KindEntry>,
    /// Grain names (`day` … `year`), in increasing size.
    pub grains: Vec<&'static str>,
    /// Breakdown dimensions every report offers.
    pub dimensions: Vec<&'static str>,
}

/// One table kind: its name and the roles its columns can have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindEntry {
    /// The kind's name (`people`, `spend`, …).
    pub name: &'static str,
    /// The roles a table of this kind must have.
    pub required: Vec<&'static str>,
    /// Every canonical role of the kind (besides people's `task_*` columns).
    pub roles: Vec<RoleEntry>,
}

/// One canonical role and the type its column is loaded as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleEntry {
    /// The role's name, which is also its column's name once loaded.
    pub role: &'static str,
    /// `id`, `text`, `dimension`, `time`, `number`, `flag` or `task`.
    #[serde(rename = "type")]
    pub ty: RoleType,
}

/// The vocabulary of this build of kpidash: read from the kinds' specs
/// (`model::kinds`), the grains and the kinds' built-in breakdowns.
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        kinds: TableKind::ALL.into_iter().map(kind_entry).collect(),
        grains: Grain::ALL.into_iter().map(Grain::as_str).collect(),
        dimensions: builtin_dimensions(),
    }
}

fn kind_entry(kind: TableKind) -> KindEntry {
    let spec = kind.spec();
    KindEntry {
        name: spec.name,
        required: spec.required().collect(),
        roles: spec
            .roles
            .iter()
            .map(|r| RoleEntry {
                role: r.role,
                ty: r.ty,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind<'a>(v: &'a Vocabulary, name: &str) -> &'a KindEntry {
        v.kinds
            .iter()
            .find(|k| k.name == name)
            .unwrap_or_else(|| panic!("kind {name} is listed"))
    }

    fn check_role(v: &Vocabulary, kind_name: &str, role: &str, ty: &str) {
        let entry = kind(v, kind_name);
        let found = entry.roles.iter().find(|r| r.role == role);
        let ty_name = found.map(|r| serde_json::to_value(r.ty).expect("a role type serialises"));
        assert_eq!(ty_name, Some(serde_json::json!(ty)), "{kind_name}.{role}");
    }

    #[test]
    fn lists_the_nine_kinds_and_five_grains() {
        let v = vocabulary();
        let kinds: Vec<_> = v.kinds.iter().map(|k| k.name).collect();
        assert_eq!(
            kinds,
            [
                "people", "events", "spend", "revenue", "series", "survey", "accounts", "budget",
                "deals"
            ]
        );
        assert_eq!(v.grains, ["day", "week", "month", "quarter", "year"]);
        assert_eq!(v.dimensions[0], "channel");
    }

    #[test]
    fn every_grain_parses_back() {
        for g in vocabulary().grains {
            assert_eq!(g.parse::<Grain>().map(Grain::as_str).ok(), Some(g));
        }
    }

    #[test]
    fn required_roles_are_roles_of_their_kind() {
        let v = vocabulary();
        for k in &v.kinds {
            for r in &k.required {
                assert!(k.roles.iter().any(|e| e.role == *r), "{}.{r}", k.name);
            }
        }
        assert_eq!(kind(&v, "people").required, ["id", "created_at"]);
    }

    #[test]
    fn roles_carry_their_types() {
        let v = vocabulary();
        check_role(&v, "people", "id", "id");
        check_role(&v, "people", "created_at", "time");
        check_role(&v, "people", "icp", "flag");
        check_role(&v, "people", "source", "dimension");
        check_role(&v, "spend", "cost", "number");
        check_role(&v, "spend", "cost_micros", "number");
        check_role(&v, "events", "event", "text");
        check_role(&v, "accounts", "icp_tier", "dimension");
    }

    #[test]
    fn serialises_with_the_field_names_the_page_reads() {
        let json = serde_json::to_value(vocabulary()).expect("vocabulary serialises");
        let first = &json["kinds"][0];
        assert_eq!(first["name"], "people");
        assert_eq!(
            first["roles"][0],
            serde_json::json!({ "role": "id", "type": "id" })
        );
        assert_eq!(json["grains"][2], "month");
    }
}
