//! What changed between two models, in schema terms: new types, new fields,
//! fields that became optional or nullable, fields whose type became a
//! union or a map, and what was removed.
//!
//! `cargo xtask adopt` loads the [`Model`] before and after inference and
//! prints the [`Changes`] between them, one line a change, grouped by type,
//! after a summary line with the counts:
//!
//! ```text
//! schema changes: 1 new type, 2 new fields, 1 field now optional
//! User
//!   new field webcast_uid: string
//!   new field badge: Badge
//!   field display_id: now optional
//! Badge
//!   new type: object, 2 fields (label, weight)
//! ```

use std::fmt;
use std::path::Path;

use crate::model::{self, FieldDef, Model, TypeDef, TypeKind, TypeRef, Variant};
use crate::Error;

/// The changes from one model to another, grouped by type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The types with changes: those of the newer model in its order, then
    /// the removed ones in the older model's order.
    pub types: Vec<TypeChanges>,
}

/// The changes of one named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeChanges {
    /// The type's name.
    pub name: String,
    /// Its changes, in the order of its fields.
    pub changes: Vec<Change>,
}

/// One change of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A type the older model did not have.
    NewType {
        /// What it is: `object, 2 fields (a, b)` or `union of integer | string`.
        shape: String,
    },
    /// A type the newer model does not have.
    RemovedType,
    /// An object became a union or the other way round.
    TypeKindChanged {
        /// What it was.
        was: String,
        /// What it is.
        now: String,
    },
    /// A property the type did not have.
    NewField {
        /// The JSON name.
        field: String,
        /// Its type.
        ty: String,
    },
    /// A property the type no longer has.
    RemovedField {
        /// The JSON name.
        field: String,
        /// The type it had.
        ty: String,
    },
    /// A property that was required and is not any more.
    NowOptional {
        /// The JSON name.
        field: String,
    },
    /// A property that was optional and is now required.
    NowRequired {
        /// The JSON name.
        field: String,
    },
    /// A property that may now be `null`.
    NowNullable {
        /// The JSON name.
        field: String,
    },
    /// A property that may no longer be `null`.
    NoLongerNullable {
        /// The JSON name.
        field: String,
    },
    /// A property whose type became a union.
    NowUnion {
        /// The JSON name.
        field: String,
        /// The type it had.
        was: String,
        /// The type it has, with the union's kinds.
        now: String,
    },
    /// A property whose type became a map.
    NowMap {
        /// The JSON name.
        field: String,
        /// The type it had.
        was: String,
        /// The type it has.
        now: String,
    },
    /// A property whose type changed otherwise.
    FieldTypeChanged {
        /// The JSON name.
        field: String,
        /// The type it had.
        was: String,
        /// The type it has.
        now: String,
    },
    /// A union that takes one more kind of value.
    NewVariant {
        /// The kind of value and its type.
        variant: String,
    },
    /// A union that takes one kind of value fewer.
    RemovedVariant {
        /// The kind of value and its type.
        variant: String,
    },
}

/// The kinds of change the summary line counts, in its order, each with
/// its singular and plural wording.
const CATEGORIES: [(&str, &str); 9] = [
    ("new type", "new types"),
    ("new field", "new fields"),
    ("field now optional", "fields now optional"),
    ("field now nullable", "fields now nullable"),
    ("new union", "new unions"),
    ("new map", "new maps"),
    ("other type change", "other type changes"),
    ("removal", "removals"),
    ("field now required", "fields now required"),
];

impl Change {
    /// The index of this change's category in [`CATEGORIES`].
    fn category(&self) -> usize {
        match self {
            Change::NewType { .. } => 0,
            Change::NewField { .. } => 1,
            Change::NowOptional { .. } => 2,
            Change::NowNullable { .. } => 3,
            Change::NowUnion { .. } => 4,
            Change::NowMap { .. } => 5,
            Change::TypeKindChanged { .. }
            | Change::FieldTypeChanged { .. }
            | Change::NoLongerNullable { .. }
            | Change::NewVariant { .. } => 6,
            Change::RemovedType | Change::RemovedField { .. } | Change::RemovedVariant { .. } => 7,
            Change::NowRequired { .. } => 8,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::NewType { shape } => write!(f, "new type: {shape}"),
            Change::RemovedType => write!(f, "removed type"),
            Change::TypeKindChanged { was, now } => write!(f, "now {now}; was {was}"),
            Change::NewField { field, ty } => write!(f, "new field {field}: {ty}"),
            Change::RemovedField { field, ty } => write!(f, "removed field {field}: {ty}"),
            Change::NowOptional { field } => write!(f, "field {field}: now optional"),
            Change::NowRequired { field } => write!(f, "field {field}: now required"),
            Change::NowNullable { field } => write!(f, "field {field}: now nullable"),
            Change::NoLongerNullable { field } => write!(f, "field {field}: no longer nullable"),
            Change::NowUnion { field, was, now } => write!(f, "field {field}: now a union, {now}; was {was}"),
            Change::NowMap { field, was, now } => write!(f, "field {field}: now a map, {now}; was {was}"),
            Change::FieldTypeChanged { field, was, now } => write!(f, "field {field}: now {now}; was {was}"),
            Change::NewVariant { variant } => write!(f, "new variant: {variant}"),
            Change::RemovedVariant { variant } => write!(f, "removed variant: {variant}"),
        }
    }
}

impl Changes {
    /// True when the two models describe the same types.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// Every change, with the name of its type.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Change)> {
        self.types.iter().flat_map(|t| t.changes.iter().map(move |c| (t.name.as_str(), c)))
    }

    /// The summary line: `schema changes: 1 new type, 3 new fields`, or
    /// `schema changes: none`.
    pub fn summary(&self) -> String {
        let mut counts = [0usize; CATEGORIES.len()];
        for (_, change) in self.iter() {
            counts[change.category()] += 1;
        }
        let parts: Vec<String> = CATEGORIES
            .iter()
            .zip(counts)
            .filter(|(_, count)| *count > 0)
            .map(|((one, many), count)| format!("{count} {}", if count == 1 { one } else { many }))
            .collect();
        if parts.is_empty() {
            "schema changes: none".to_owned()
        } else {
            format!("schema changes: {}", parts.join(", "))
        }
    }
}

impl fmt::Display for Changes {
    /// The summary line, then each type with changes and one indented line
    /// a change.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for ty in &self.types {
            writeln!(f, "{}", ty.name)?;
            for change in &ty.changes {
                writeln!(f, "  {change}")?;
            }
        }
        Ok(())
    }
}

/// The changes from the schemas of the workspace at `before` to those of
/// the workspace at `after`; both are loaded with [`model::load`].
///
/// ```no_run
/// let changes = dylive_codegen::changes::between(
///     std::path::Path::new("/tmp/old-checkout"),
///     std::path::Path::new("."),
/// )?;
/// print!("{changes}");
/// # Ok::<(), dylive_codegen::Error>(())
/// ```
pub fn between(before: &Path, after: &Path) -> Result<Changes, Error> {
    Ok(diff(&model::load(before)?, &model::load(after)?))
}

/// The changes from model `before` to model `after`.
///
/// ```no_run
/// let root = std::path::Path::new(".");
/// let before = dylive_codegen::model::load(root)?;
/// // ... the schemas change ...
/// let after = dylive_codegen::model::load(root)?;
/// let changes = dylive_codegen::changes::diff(&before, &after);
/// println!("{}", changes.summary());
/// # Ok::<(), dylive_codegen::Error>(())
/// ```
pub fn diff(before: &Model, after: &Model) -> Changes {
    let mut types = Vec::new();
    for new in &after.types {
        let changes = match before.get(&new.name) {
            None => vec![Change::NewType { shape: shape(new) }],
            Some(old) => type_changes(before, old, after, new),
        };
        if !changes.is_empty() {
            types.push(TypeChanges { name: new.name.clone(), changes });
        }
    }
    for old in &before.types {
        if after.get(&old.name).is_none() {
            types.push(TypeChanges { name: old.name.clone(), changes: vec![Change::RemovedType] });
        }
    }
    Changes { types }
}

fn type_changes(before: &Model, old: &TypeDef, after: &Model, new: &TypeDef) -> Vec<Change> {
    match (&old.kind, &new.kind) {
        (TypeKind::Object(old_fields), TypeKind::Object(new_fields)) => {
            field_changes(before, old_fields, after, new_fields)
        }
        (TypeKind::Union(old_variants), TypeKind::Union(new_variants)) => {
            let mut changes: Vec<Change> = new_variants
                .iter()
                .filter(|v| !old_variants.iter().any(|o| same_variant(o, v)))
                .map(|v| Change::NewVariant { variant: variant(v) })
                .collect();
            changes.extend(
                old_variants
                    .iter()
                    .filter(|o| !new_variants.iter().any(|v| same_variant(o, v)))
                    .map(|o| Change::RemovedVariant { variant: variant(o) }),
            );
            changes
        }
        _ => vec![Change::TypeKindChanged { was: shape(old), now: shape(new) }],
    }
}

fn same_variant(old: &Variant, new: &Variant) -> bool {
    old.kind == new.kind && old.ty == new.ty
}

fn field_changes(before: &Model, old_fields: &[FieldDef], after: &Model, new_fields: &[FieldDef]) -> Vec<Change> {
    let mut changes = Vec::new();
    for new in new_fields {
        let field = new.json_name.clone();
        let Some(old) = old_fields.iter().find(|old| old.json_name == new.json_name) else {
            changes.push(Change::NewField { field, ty: field_type(after, new) });
            continue;
        };
        if old.ty != new.ty {
            let (was, now) = (ty(&old.ty), ty(&new.ty));
            let union_now = mentions(after, &new.ty, &is_union);
            let map_now = mentions(after, &new.ty, &|_, ty| matches!(ty, TypeRef::Map(_)));
            changes.push(if union_now && !mentions(before, &old.ty, &is_union) {
                Change::NowUnion { field: field.clone(), was, now: with_variants(after, &new.ty) }
            } else if map_now && !mentions(before, &old.ty, &|_, ty| matches!(ty, TypeRef::Map(_))) {
                Change::NowMap { field: field.clone(), was, now }
            } else {
                Change::FieldTypeChanged { field: field.clone(), was, now }
            });
        }
        match (old.required, new.required) {
            (true, false) => changes.push(Change::NowOptional { field: field.clone() }),
            (false, true) => changes.push(Change::NowRequired { field: field.clone() }),
            _ => {}
        }
        match (old.nullable, new.nullable) {
            (false, true) => changes.push(Change::NowNullable { field }),
            (true, false) => changes.push(Change::NoLongerNullable { field }),
            _ => {}
        }
    }
    for old in old_fields {
        if !new_fields.iter().any(|new| new.json_name == old.json_name) {
            changes.push(Change::RemovedField { field: old.json_name.clone(), ty: field_type(before, old) });
        }
    }
    changes
}

fn is_union(model: &Model, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name) if matches!(model.get(name).map(|t| &t.kind), Some(TypeKind::Union(_))))
}

/// True when `ty` or a type inside it (array items, map values; not the
/// fields of named types) satisfies `test`.
fn mentions(model: &Model, ty: &TypeRef, test: &dyn Fn(&Model, &TypeRef) -> bool) -> bool {
    test(model, ty)
        || match ty {
            TypeRef::Nullable(inner) | TypeRef::Array(inner) | TypeRef::Map(inner) => mentions(model, inner, test),
            _ => false,
        }
}

/// A field's type, `or null` added when it is nullable.
fn field_type(model: &Model, field: &FieldDef) -> String {
    let text = with_variants(model, &field.ty);
    if field.nullable {
        format!("{text} or null")
    } else {
        text
    }
}

/// A type as people read it: `string`, `array of Image`, `map of integer`.
fn ty(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Null => "null".to_owned(),
        TypeRef::Bool => "boolean".to_owned(),
        TypeRef::Integer => "integer".to_owned(),
        TypeRef::Number => "number".to_owned(),
        TypeRef::String => "string".to_owned(),
        TypeRef::Any => "any value".to_owned(),
        TypeRef::Nullable(inner) => format!("{} or null", self::ty(inner)),
        TypeRef::Array(inner) => format!("array of {}", self::ty(inner)),
        TypeRef::Map(inner) => format!("map of {}", self::ty(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

/// [`ty`], with the kinds of each union it names: `BadgeIcons (object | array)`.
fn with_variants(model: &Model, ty: &TypeRef) -> String {
    let mut text = self::ty(ty);
    let mut named = ty;
    while let TypeRef::Nullable(inner) | TypeRef::Array(inner) | TypeRef::Map(inner) = named {
        named = inner;
    }
    if let TypeRef::Named(name) = named {
        if let Some(TypeKind::Union(variants)) = model.get(name).map(|t| &t.kind) {
            let kinds: Vec<String> = variants.iter().map(variant).collect();
            if let Some(at) = text.rfind(name.as_str()) {
                text.insert_str(at + name.len(), &format!(" ({})", kinds.join(" | ")));
            }
        }
    }
    text
}

/// A union variant: its type, or its kind when the type says no more
/// (`array of Image`, `integer`).
fn variant(variant: &Variant) -> String {
    ty(&variant.ty)
}

/// What a type is: `object, 2 fields (a, b)`, `union of integer | string`.
fn shape(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Object(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.json_name.as_str()).collect();
            const SHOWN: usize = 8;
            let mut list = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
            if names.len() > SHOWN {
                list.push_str(&format!(", … {} more", names.len() - SHOWN));
            }
            match names.len() {
                0 => "object, no fields".to_owned(),
                1 => format!("object, 1 field ({list})"),
                n => format!("object, {n} fields ({list})"),
            }
        }
        TypeKind::Union(variants) => {
            let kinds: Vec<String> = variants.iter().map(variant).collect();
            format!("union of {}", kinds.join(" | "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r##"
[models]
crate_dir = "out"
shared = ["shared.schema.json"]
unknown_fields = "unknown_fields"

[[endpoint]]
name = "e"
summary = "An endpoint."
document = "doc.txt"
method = "GET"
path = "/e"
auth = { query = "token" }
response = "EResponse"
schema = "e.schema.json"
fixtures = "fixtures/e"
"##;

    /// A workspace whose shared schema has these definitions, and whose
    /// endpoint's response has a `user` of type `User`.
    fn workspace(definitions: &str) -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        let schemas = root.path().join("schemas");
        std::fs::create_dir_all(&schemas).expect("schemas dir");
        std::fs::write(schemas.join("endpoints.toml"), MANIFEST).expect("write");
        let response = r##"{"title": "EResponse", "type": "object", "properties": {
            "user": {"$ref": "shared.schema.json#/definitions/User"}}}"##;
        std::fs::write(schemas.join("e.schema.json"), response).expect("write");
        std::fs::write(schemas.join("shared.schema.json"), format!(r##"{{"definitions": {{{definitions}}}}}"##))
            .expect("write");
        root
    }

    fn changes(before: &str, after: &str) -> Changes {
        let (before, after) = (workspace(before), workspace(after));
        between(before.path(), after.path()).expect("both load")
    }

    fn lines(changes: &Changes) -> Vec<String> {
        changes.iter().map(|(ty, change)| format!("{ty}: {change}")).collect()
    }

    const BEFORE: &str = r##"
        "User": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "icons": {"type": "array", "items": {"$ref": "#/definitions/Image"}},
            "extra": {"$ref": "#/definitions/Extra"},
            "score": {"type": "integer"},
            "old": {"type": "boolean"}}},
        "Image": {"type": "object", "properties": {"uri": {"type": "string"}}},
        "Extra": {"type": "object", "properties": {"a": {"type": "string"}}}"##;

    const AFTER: &str = r##"
        "User": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"},
            "name": {"type": ["string", "null"]},
            "icons": {"$ref": "#/definitions/Icons"},
            "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
            "score": {"type": "number"},
            "webcast_uid": {"type": "string"},
            "badge": {"$ref": "#/definitions/Badge"}}},
        "Image": {"type": "object", "properties": {"uri": {"type": "string"}}},
        "Extra": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Badge": {"type": "object", "properties": {"label": {"type": "string"}, "weight": {"type": "integer"}}},
        "Icons": {"oneOf": [
            {"type": "array", "items": {"$ref": "#/definitions/Image"}},
            {"type": "object", "additionalProperties": {"$ref": "#/definitions/Image"}}]}"##;

    #[test]
    fn each_kind_of_change_is_one_line_under_its_type() {
        let changes = changes(BEFORE, AFTER);
        assert_eq!(
            lines(&changes),
            [
                "User: field name: now optional",
                "User: field name: now nullable",
                "User: field icons: now a union, Icons (array of Image | map of Image); was array of Image",
                "User: field extra: now a map, map of integer; was Extra",
                "User: field score: now number; was integer",
                "User: new field webcast_uid: string",
                "User: new field badge: Badge",
                "User: removed field old: boolean",
                "Badge: new type: object, 2 fields (label, weight)",
                "Icons: new type: union of array of Image | map of Image",
            ]
        );
        let text = changes.to_string();
        let summary = "schema changes: 2 new types, 2 new fields, 1 field now optional, 1 field now nullable, \
                       1 new union, 1 new map, 1 other type change, 1 removal";
        assert_eq!(text.lines().next(), Some(summary), "{text}");
        assert!(text.contains("\nUser\n  field name: now optional\n"), "grouped, indented: {text}");
        assert_eq!(text.lines().filter(|line| !line.starts_with("  ")).count(), 4, "summary and 3 types: {text}");
    }

    #[test]
    fn the_reverse_is_the_mirror_image() {
        let changes = changes(AFTER, BEFORE);
        assert_eq!(
            lines(&changes),
            [
                "User: field name: now required",
                "User: field name: no longer nullable",
                "User: field icons: now array of Image; was Icons",
                "User: field extra: now Extra; was map of integer",
                "User: field score: now integer; was number",
                "User: new field old: boolean",
                "User: removed field webcast_uid: string",
                "User: removed field badge: Badge",
                "Badge: removed type",
                "Icons: removed type",
            ]
        );
    }

    #[test]
    fn the_same_schemas_make_no_changes() {
        let changes = changes(BEFORE, BEFORE);
        assert!(changes.is_empty(), "{changes}");
        assert_eq!(changes.to_string(), "schema changes: none\n");
    }

    #[test]
    fn unions_that_gain_a_kind_and_types_that_change_kind() {
        let before = r##"
            "User": {"type": "object", "properties": {"code": {"$ref": "#/definitions/Code"}, "tag": {"$ref": "#/definitions/Tag"}}},
            "Code": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            "Tag": {"type": "object", "properties": {"a": {"type": "string"}}}"##;
        let after = r##"
            "User": {"type": "object", "properties": {"code": {"$ref": "#/definitions/Code"}, "tag": {"$ref": "#/definitions/Tag"}}},
            "Code": {"oneOf": [{"type": "integer"}, {"type": "string"}, {"type": "boolean"}]},
            "Tag": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}"##;
        let changes = changes(before, after);
        assert_eq!(
            lines(&changes),
            ["Code: new variant: boolean", "Tag: now union of string | array of string; was object, 1 field (a)",],
            "{changes}"
        );
    }
}
