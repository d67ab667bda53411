//! The rustdoc of every generated type and field, written once into the
//! model, so that the renderers print it and the API record
//! ([`crate::api`]) compares it.
//!
//! A field says what its schema's `description` says. Below it, or alone
//! where people have not described the property, comes what the fixtures
//! show: the JSON name and kind, up to three example values (the schema's
//! `examples`, which `cargo xtask infer` writes; for an array without
//! examples of its own, those of its items), and the endpoints whose
//! responses hold the type:
//!
//! ```text
//! /// JSON `follow_status`: an integer, such as `0` or `1`; in the responses of `room_ranklist`.
//! ```
//!
//! A type says its description, then the endpoints that return it.

use std::collections::BTreeSet;

use crate::model::{FieldDef, Model, TypeKind, TypeRef};

/// How the fields of a model are documented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Fields whose schema has a `description` written by people.
    pub described: usize,
    /// Fields without one, documented from the fixtures: kind, endpoints
    /// and example values.
    pub examples: usize,
    /// Fields without a description or examples, whose value is a named
    /// type that documents itself.
    pub by_type: usize,
    /// Fields with nothing but their kind: no description, no example and
    /// no named type.
    pub nothing: usize,
}

impl Coverage {
    /// The counts of `model`.
    pub fn of(model: &Model) -> Coverage {
        let mut coverage = Coverage::default();
        for ty in &model.types {
            let TypeKind::Object(fields) = &ty.kind else { continue };
            for field in fields {
                let named =
                    named(&field.ty).is_some_and(|name| model.get(name).is_some_and(|t| !t.description.is_empty()));
                match (&field.description, field.examples.is_empty(), named) {
                    (Some(_), _, _) => coverage.described += 1,
                    (None, false, _) => coverage.examples += 1,
                    (None, true, true) => coverage.by_type += 1,
                    (None, true, false) => coverage.nothing += 1,
                }
            }
        }
        coverage
    }
}

/// Fills the docs of every type and field of `model`.
pub(crate) fn fill(model: &mut Model) {
    let reach: Vec<Vec<String>> = model.types.iter().map(|ty| endpoints_reaching(model, &ty.name)).collect();
    let lines: Vec<Vec<String>> = model
        .types
        .iter()
        .zip(&reach)
        .map(|(ty, endpoints)| match &ty.kind {
            TypeKind::Object(fields) => fields.iter().map(|field| field_docs(model, field, endpoints)).collect(),
            TypeKind::Union(_) => Vec::new(),
        })
        .collect();
    for ((ty, endpoints), docs) in model.types.iter_mut().zip(&reach).zip(lines) {
        ty.docs = type_docs(&ty.description, &ty.name, endpoints);
        if let TypeKind::Object(fields) = &mut ty.kind {
            for (field, docs) in fields.iter_mut().zip(docs) {
                field.docs = docs;
            }
        }
    }
}

fn type_docs(description: &str, name: &str, endpoints: &[String]) -> String {
    let mut docs = if description.is_empty() { format!("`{name}`.") } else { description.to_owned() };
    if let Some(list) = in_responses(endpoints) {
        docs.push_str(&format!("\n\nIn {list}."));
    }
    docs
}

/// `the responses of `a` and `b``, or `None` for no endpoint.
fn in_responses(endpoints: &[String]) -> Option<String> {
    let names: Vec<String> = endpoints.iter().map(|e| format!("`{e}`")).collect();
    (!names.is_empty()).then(|| format!("the responses of {}", join_with(&names, "and")))
}

fn field_docs(model: &Model, field: &FieldDef, endpoints: &[String]) -> String {
    let mut line = format!("JSON `{}`: {}", field.json_name, kind(model, &field.ty));
    if field.nullable {
        line.push_str(", or `null`");
    }
    if !field.examples.is_empty() {
        let examples: Vec<String> = field.examples.iter().map(|e| code(e)).collect();
        line.push_str(&format!(", such as {}", join(&examples)));
    }
    if let Some(list) = in_responses(endpoints) {
        line.push_str(&format!("; in {list}"));
    }
    line.push('.');
    match &field.description {
        Some(description) => format!("{}\n\n{line}", description.trim()),
        None => line,
    }
}

/// `text` as a code span, with enough backticks around it.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// `a`, `a or b`, `a, b or c` (with `or` as `conjunction`).
fn join_with(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

fn join(items: &[String]) -> String {
    join_with(items, "or")
}

/// What a value is, with a link to a named type: `an integer`,
/// `an array of [`Image`] objects`, `an integer or a string ([`ApiCode`])`.
fn kind(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Null => "always `null`".to_owned(),
        TypeRef::Bool => "a boolean".to_owned(),
        TypeRef::Integer => "an integer".to_owned(),
        TypeRef::Number => "a number".to_owned(),
        TypeRef::String => "a string".to_owned(),
        TypeRef::Any => "any JSON value, kept as its text".to_owned(),
        TypeRef::Nullable(inner) => format!("{}, or `null`", kind(model, inner)),
        TypeRef::Array(inner) => format!("an array of {}", plural(model, inner)),
        TypeRef::Map(inner) => format!("a map of {}", plural(model, inner)),
        TypeRef::Named(name) => match model.get(name).map(|t| &t.kind) {
            Some(TypeKind::Union(variants)) => {
                let kinds: Vec<String> = variants.iter().map(|v| v.kind.describe().to_owned()).collect();
                format!("{} ([`{name}`])", join(&kinds))
            }
            _ => format!("an object, [`{name}`]"),
        },
    }
}

/// [`kind`] for many: `integers`, `[`Image`] objects`.
fn plural(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Null => "`null`s".to_owned(),
        TypeRef::Bool => "booleans".to_owned(),
        TypeRef::Integer => "integers".to_owned(),
        TypeRef::Number => "numbers".to_owned(),
        TypeRef::String => "strings".to_owned(),
        TypeRef::Any => "JSON values, each kept as its text".to_owned(),
        TypeRef::Nullable(inner) => format!("{} or `null`s", plural(model, inner)),
        TypeRef::Array(inner) => format!("arrays of {}", plural(model, inner)),
        TypeRef::Map(inner) => format!("maps of {}", plural(model, inner)),
        TypeRef::Named(name) => match model.get(name).map(|t| &t.kind) {
            Some(TypeKind::Union(_)) => format!("[`{name}`] values"),
            _ => format!("[`{name}`] objects"),
        },
    }
}

/// The named type a type ends in, through arrays, maps and `null`.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) | TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner),
        _ => None,
    }
}

/// The endpoints whose response type holds `name`, at any depth, in the
/// manifest's order.
fn endpoints_reaching(model: &Model, name: &str) -> Vec<String> {
    model
        .roots()
        .filter(|(_, root)| reaches(model, &root.name, name, &mut BTreeSet::new()))
        .map(|(endpoint, _)| endpoint.name.clone())
        .collect()
}

fn reaches<'a>(model: &'a Model, from: &'a str, to: &str, seen: &mut BTreeSet<&'a str>) -> bool {
    if from == to {
        return true;
    }
    if !seen.insert(from) {
        return false;
    }
    let Some(ty) = model.get(from) else { return false };
    let mut next: Vec<&str> = Vec::new();
    match &ty.kind {
        TypeKind::Object(fields) => next.extend(fields.iter().filter_map(|f| named(&f.ty))),
        TypeKind::Union(variants) => next.extend(variants.iter().filter_map(|v| named(&v.ty))),
    }
    next.into_iter().any(|inner| reaches(model, inner, to, seen))
}
