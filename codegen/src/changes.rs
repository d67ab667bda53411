//! What changed between two generated APIs ([`Api`]): new types, fields,
//! endpoints and parameters, fields that became optional or nullable,
//! fields whose type became a union or a map, docs, and what was removed or
//! renamed. Each change has a [`Class`], which decides the version bump:
//! docs only, additive, or breaking; a new field is also flagged as
//! [`now typed`](Change::now_typed), since a consumer found the property in
//! `unknown_fields` before.
//!
//! `cargo xtask regen` compares the API it makes with the one recorded at
//! the current version, and `cargo xtask adopt` prints the [`Changes`], one
//! line a change, grouped by type, after a summary line with the counts:
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

use serde::{Deserialize, Serialize};

use crate::api::{named_in, Api, ApiEndpoint, ApiField, ApiParam, ApiType, Shape};
use crate::model;
use crate::Error;

/// How a change bears on a consumer's build, which decides the version
/// bump. Ordered: the greatest class of a release decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Docs, or what a type says about itself as data (`required`,
    /// `nullable`), or how a request goes on the wire: no build breaks.
    Docs,
    /// New types, fields, variants, endpoints or optional parameters: every
    /// generated type is `#[non_exhaustive]`, so no build breaks.
    Additive,
    /// Something removed, renamed or of another type, or a new required
    /// parameter: a consumer's build may break.
    Breaking,
}

impl Class {
    /// The class as a word: `docs`, `additive`, `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Docs => "docs",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

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
    /// The type's name, or the endpoint's.
    pub name: String,
    /// True for an endpoint: a method of the client and its request type.
    pub endpoint: bool,
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
    /// A field whose Rust name changed, its JSON name the same.
    Renamed {
        /// The JSON name.
        field: String,
        /// The Rust name it had.
        was: String,
        /// The Rust name it has.
        now: String,
    },
    /// The docs of the type or endpoint (`of` is `None`), or of one of its
    /// fields or parameters.
    Docs {
        /// The JSON name of the field, or the parameter's name.
        of: Option<String>,
    },
    /// An endpoint the older API did not have.
    NewEndpoint {
        /// `GET /path`.
        call: String,
        /// Its response type.
        response: String,
    },
    /// An endpoint the newer API does not have.
    RemovedEndpoint,
    /// An endpoint whose response type is another.
    ResponseChanged {
        /// The type it had.
        was: String,
        /// The type it has.
        now: String,
    },
    /// An endpoint called with another method or path.
    CallChanged {
        /// `GET /path` before.
        was: String,
        /// `GET /path` now.
        now: String,
    },
    /// A parameter the endpoint did not take.
    NewParam {
        /// The name on the wire.
        param: String,
        /// `string` or `integer`.
        ty: String,
        /// Whether it is required: an argument of the request's `new`.
        required: bool,
    },
    /// A parameter the endpoint no longer takes.
    RemovedParam {
        /// The name on the wire.
        param: String,
    },
    /// A parameter of another type, or now required or optional.
    ParamChanged {
        /// The name on the wire.
        param: String,
        /// `required string` before.
        was: String,
        /// `optional integer` now.
        now: String,
    },
}

/// The kinds of change the summary line counts, in its order, each with
/// its singular and plural wording.
const CATEGORIES: [(&str, &str); 12] = [
    ("new type", "new types"),
    ("new field", "new fields"),
    ("field now optional", "fields now optional"),
    ("field now nullable", "fields now nullable"),
    ("new union", "new unions"),
    ("new map", "new maps"),
    ("other type change", "other type changes"),
    ("removal", "removals"),
    ("field now required", "fields now required"),
    ("docs change", "docs changes"),
    ("new endpoint", "new endpoints"),
    ("parameter change", "parameter changes"),
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
            | Change::NewVariant { .. }
            | Change::Renamed { .. }
            | Change::ResponseChanged { .. }
            | Change::CallChanged { .. } => 6,
            Change::RemovedType
            | Change::RemovedField { .. }
            | Change::RemovedVariant { .. }
            | Change::RemovedEndpoint => 7,
            Change::NowRequired { .. } => 8,
            Change::Docs { .. } => 9,
            Change::NewEndpoint { .. } => 10,
            Change::NewParam { .. } | Change::RemovedParam { .. } | Change::ParamChanged { .. } => 11,
        }
    }

    /// How the change bears on a consumer's build.
    ///
    /// Required-ness and nullability are not in the Rust types (every
    /// property is a [`Field`](dylive_runtime::Field)), so they change only
    /// what a type says about itself as data; a new union variant, field,
    /// type or endpoint adds to `#[non_exhaustive]` types.
    pub fn class(&self) -> Class {
        match self {
            Change::Docs { .. }
            | Change::NowOptional { .. }
            | Change::NowRequired { .. }
            | Change::NowNullable { .. }
            | Change::NoLongerNullable { .. }
            | Change::CallChanged { .. } => Class::Docs,
            Change::NewType { .. }
            | Change::NewField { .. }
            | Change::NewVariant { .. }
            | Change::NewEndpoint { .. } => Class::Additive,
            Change::NewParam { required, .. } => {
                if *required {
                    Class::Breaking
                } else {
                    Class::Additive
                }
            }
            Change::RemovedType
            | Change::TypeKindChanged { .. }
            | Change::RemovedField { .. }
            | Change::NowUnion { .. }
            | Change::NowMap { .. }
            | Change::FieldTypeChanged { .. }
            | Change::RemovedVariant { .. }
            | Change::Renamed { .. }
            | Change::RemovedEndpoint
            | Change::ResponseChanged { .. }
            | Change::RemovedParam { .. }
            | Change::ParamChanged { .. } => Class::Breaking,
        }
    }

    /// The property a new field makes typed: until now every value of it
    /// was kept in the struct's `unknown_fields`, where a consumer may have
    /// read it; from now on it is in the field, and `unknown_fields` no
    /// longer has it.
    pub fn now_typed(&self) -> Option<&str> {
        match self {
            Change::NewField { field, .. } => Some(field),
            _ => None,
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
            Change::Renamed { field, was, now } => write!(f, "field {field}: renamed to `{now}`; was `{was}`"),
            Change::Docs { of: None } => write!(f, "docs"),
            Change::Docs { of: Some(of) } => write!(f, "docs of {of}"),
            Change::NewEndpoint { call, response } => write!(f, "new endpoint: {call}, returning {response}"),
            Change::RemovedEndpoint => write!(f, "removed endpoint"),
            Change::ResponseChanged { was, now } => write!(f, "response now {now}; was {was}"),
            Change::CallChanged { was, now } => write!(f, "now called as {now}; was {was}"),
            Change::NewParam { param, ty, required } => {
                let required = if *required { "required" } else { "optional" };
                write!(f, "new {required} parameter {param}: {ty}")
            }
            Change::RemovedParam { param } => write!(f, "removed parameter {param}"),
            Change::ParamChanged { param, was, now } => write!(f, "parameter {param}: now {now}; was {was}"),
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

    /// The greatest class among the changes; `None` when there are none.
    pub fn class(&self) -> Option<Class> {
        self.iter().map(|(_, change)| change.class()).max()
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
    Ok(diff(&Api::of(&model::load(before)?), &Api::of(&model::load(after)?)))
}

/// The changes from the API `before` to the API `after`.
///
/// ```no_run
/// use dylive_codegen::{api::Api, model};
///
/// let root = std::path::Path::new(".");
/// let before = Api::of(&model::load(root)?);
/// // ... the schemas change ...
/// let after = Api::of(&model::load(root)?);
/// let changes = dylive_codegen::changes::diff(&before, &after);
/// println!("{}", changes.summary());
/// # Ok::<(), dylive_codegen::Error>(())
/// ```
pub fn diff(before: &Api, after: &Api) -> Changes {
    let mut types = Vec::new();
    for new in &after.types {
        let changes = match before.get(&new.name) {
            None => vec![Change::NewType { shape: shape(new) }],
            Some(old) => type_changes(before, old, after, new),
        };
        if !changes.is_empty() {
            types.push(TypeChanges { name: new.name.clone(), endpoint: false, changes });
        }
    }
    for old in &before.types {
        if after.get(&old.name).is_none() {
            types.push(TypeChanges { name: old.name.clone(), endpoint: false, changes: vec![Change::RemovedType] });
        }
    }
    for new in &after.endpoints {
        let changes = match before.endpoint(&new.name) {
            None => vec![Change::NewEndpoint { call: new.call.clone(), response: new.response.clone() }],
            Some(old) => endpoint_changes(old, new),
        };
        if !changes.is_empty() {
            types.push(TypeChanges { name: new.name.clone(), endpoint: true, changes });
        }
    }
    for old in &before.endpoints {
        if after.endpoint(&old.name).is_none() {
            types.push(TypeChanges { name: old.name.clone(), endpoint: true, changes: vec![Change::RemovedEndpoint] });
        }
    }
    Changes { types }
}

fn type_changes(before: &Api, old: &ApiType, after: &Api, new: &ApiType) -> Vec<Change> {
    let mut changes = match (&old.shape, &new.shape) {
        (Shape::Object { fields: old_fields }, Shape::Object { fields: new_fields }) => {
            field_changes(before, old_fields, after, new_fields)
        }
        (Shape::Union { variants: old_variants }, Shape::Union { variants: new_variants }) => {
            let mut changes: Vec<Change> = new_variants
                .iter()
                .filter(|v| !old_variants.contains(v))
                .map(|v| Change::NewVariant { variant: v.ty.clone() })
                .collect();
            changes.extend(
                old_variants
                    .iter()
                    .filter(|o| !new_variants.contains(o))
                    .map(|o| Change::RemovedVariant { variant: o.ty.clone() }),
            );
            changes
        }
        _ => vec![Change::TypeKindChanged { was: shape(old), now: shape(new) }],
    };
    if old.docs != new.docs {
        changes.insert(0, Change::Docs { of: None });
    }
    changes
}

fn field_changes(before: &Api, old_fields: &[ApiField], after: &Api, new_fields: &[ApiField]) -> Vec<Change> {
    let mut changes = Vec::new();
    for new in new_fields {
        let field = new.json.clone();
        let Some(old) = old_fields.iter().find(|old| old.json == new.json) else {
            changes.push(Change::NewField { field, ty: field_type(after, new) });
            continue;
        };
        let before_field = changes.len();
        if old.rust != new.rust {
            changes.push(Change::Renamed { field: field.clone(), was: old.rust.clone(), now: new.rust.clone() });
        }
        if old.ty != new.ty {
            let (was, now) = (old.ty.clone(), new.ty.clone());
            let union_now = named_in(&new.ty).is_some_and(|name| after.is_union(name));
            let union_was = named_in(&old.ty).is_some_and(|name| before.is_union(name));
            let map_now = new.ty.contains("map of ");
            changes.push(if union_now && !union_was {
                Change::NowUnion { field: field.clone(), was, now: with_variants(after, &new.ty) }
            } else if map_now && !old.ty.contains("map of ") {
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
            (false, true) => changes.push(Change::NowNullable { field: field.clone() }),
            (true, false) => changes.push(Change::NoLongerNullable { field: field.clone() }),
            _ => {}
        }
        // A field's docs tell its kind and whether it may be null, so they
        // change with them; only a change of the docs alone is one.
        if old.docs != new.docs && changes.len() == before_field {
            changes.push(Change::Docs { of: Some(field) });
        }
    }
    for old in old_fields {
        if !new_fields.iter().any(|new| new.json == old.json) {
            changes.push(Change::RemovedField { field: old.json.clone(), ty: field_type(before, old) });
        }
    }
    changes
}

fn endpoint_changes(old: &ApiEndpoint, new: &ApiEndpoint) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.response != new.response {
        changes.push(Change::ResponseChanged { was: old.response.clone(), now: new.response.clone() });
    }
    if old.call != new.call {
        changes.push(Change::CallChanged { was: old.call.clone(), now: new.call.clone() });
    }
    if old.summary != new.summary {
        changes.push(Change::Docs { of: None });
    }
    for param in &new.params {
        let Some(was) = old.params.iter().find(|p| p.name == param.name) else {
            changes.push(Change::NewParam {
                param: param.name.clone(),
                ty: param.ty.clone(),
                required: param.required,
            });
            continue;
        };
        if was.ty != param.ty || was.required != param.required || was.rust != param.rust {
            changes.push(Change::ParamChanged {
                param: param.name.clone(),
                was: param_text(was),
                now: param_text(param),
            });
        } else if was.docs != param.docs {
            changes.push(Change::Docs { of: Some(param.name.clone()) });
        }
    }
    for param in &old.params {
        if !new.params.iter().any(|p| p.name == param.name) {
            changes.push(Change::RemovedParam { param: param.name.clone() });
        }
    }
    changes
}

/// A parameter as people read it: `required string` or `optional integer`.
fn param_text(param: &ApiParam) -> String {
    let required = if param.required { "required" } else { "optional" };
    format!("{required} {}", param.ty)
}

/// A field's type, `or null` added when it is nullable.
fn field_type(api: &Api, field: &ApiField) -> String {
    let text = with_variants(api, &field.ty);
    if field.nullable {
        format!("{text} or null")
    } else {
        text
    }
}

/// A type text, with the kinds of the union it names:
/// `BadgeIcons (object | array)`.
fn with_variants(api: &Api, text: &str) -> String {
    let mut text = text.to_owned();
    let Some(name) = named_in(&text).map(str::to_owned) else { return text };
    if let Some(Shape::Union { variants }) = api.get(&name).map(|t| &t.shape) {
        let kinds: Vec<&str> = variants.iter().map(|v| v.ty.as_str()).collect();
        if let Some(at) = text.rfind(name.as_str()) {
            text.insert_str(at + name.len(), &format!(" ({})", kinds.join(" | ")));
        }
    }
    text
}

/// What a type is: `object, 2 fields (a, b)`, `union of integer | string`.
fn shape(def: &ApiType) -> String {
    match &def.shape {
        Shape::Object { fields } => {
            let names: Vec<&str> = fields.iter().map(|f| f.json.as_str()).collect();
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
        Shape::Union { variants } => {
            let kinds: Vec<&str> = variants.iter().map(|v| v.ty.as_str()).collect();
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
                "Extra: docs",
                "Extra: docs of a",
                "Badge: new type: object, 2 fields (label, weight)",
                "Icons: new type: union of array of Image | map of Image",
            ]
        );
        let text = changes.to_string();
        let summary = "schema changes: 2 new types, 2 new fields, 1 field now optional, 1 field now nullable, \
                       1 new union, 1 new map, 1 other type change, 1 removal, 2 docs changes";
        assert_eq!(text.lines().next(), Some(summary), "{text}");
        assert!(text.contains("\nUser\n  field name: now optional\n"), "grouped, indented: {text}");
        assert_eq!(text.lines().filter(|line| !line.starts_with("  ")).count(), 5, "summary and 4 types: {text}");
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
                "Extra: docs",
                "Extra: docs of a",
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
            [
                "User: docs of code",
                "User: docs of tag",
                "Code: new variant: boolean",
                "Tag: now union of string | array of string; was object, 1 field (a)",
            ],
            "{changes}"
        );
    }

    #[test]
    fn each_change_has_the_class_that_decides_the_bump() {
        let class_of = |changes: &Changes, line: &str| {
            changes.iter().find(|(ty, change)| format!("{ty}: {change}") == line).map(|(_, change)| change.class())
        };
        let changes = changes(BEFORE, AFTER);
        assert_eq!(class_of(&changes, "User: new field webcast_uid: string"), Some(Class::Additive));
        assert_eq!(class_of(&changes, "Badge: new type: object, 2 fields (label, weight)"), Some(Class::Additive));
        assert_eq!(class_of(&changes, "User: field name: now optional"), Some(Class::Docs));
        assert_eq!(class_of(&changes, "User: field name: now nullable"), Some(Class::Docs));
        assert_eq!(class_of(&changes, "User: field score: now number; was integer"), Some(Class::Breaking));
        assert_eq!(class_of(&changes, "User: removed field old: boolean"), Some(Class::Breaking));
        assert_eq!(changes.class(), Some(Class::Breaking));
        let typed: Vec<&str> = changes.iter().filter_map(|(_, change)| change.now_typed()).collect();
        assert_eq!(typed, ["webcast_uid", "badge"], "every new field was in unknown_fields before");

        let grown = AFTER.replace(
            r#""webcast_uid": {"type": "string"},"#,
            r#""webcast_uid": {"type": "string"}, "rank": {"type": "integer"},"#,
        );
        let additive = self::changes(AFTER, &grown);
        assert_eq!(lines(&additive), ["User: new field rank: integer"]);
        assert_eq!(additive.class(), Some(Class::Additive));
        let described =
            AFTER.replace(r#""id": {"type": "integer"},"#, r#""id": {"type": "integer", "description": "The id."},"#);
        let docs = self::changes(AFTER, &described);
        assert_eq!(lines(&docs), ["User: docs of id"]);
        assert_eq!(docs.class(), Some(Class::Docs));
        assert_eq!(self::changes(AFTER, AFTER).class(), None);
    }
}
