//! The generated API as data: every name a consumer of the generated crates
//! can reach, with its type and docs, built from the [`Model`] and nothing
//! else.
//!
//! `cargo xtask regen` records it in `release/api.json` at each version, so
//! that the next regen compares the API it makes against the one consumers
//! have ([`crate::changes::diff`]). Types are written as people read them
//! (`integer`, `array of Image`, `map of string or null`), so the record
//! reads well in a review and its diff is the change.

use serde::{Deserialize, Serialize};

use crate::model::{Model, TypeKind, TypeRef};
use crate::render::client::request_params;

/// The generated API: the model crate's types and the client's endpoints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Api {
    /// Every named type, in the model's order.
    pub types: Vec<ApiType>,
    /// Every endpoint, in the manifest's order.
    pub endpoints: Vec<ApiEndpoint>,
}

/// A struct or a union of the model crate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiType {
    /// The Rust and schema name.
    pub name: String,
    /// Its rustdoc.
    pub docs: String,
    /// Its fields or variants.
    #[serde(flatten)]
    pub shape: Shape,
}

/// What a type holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Shape {
    /// A struct: one field a property.
    Object {
        /// The fields, in the schema's order.
        fields: Vec<ApiField>,
    },
    /// An enum: one variant a kind of JSON value.
    Union {
        /// The variants.
        variants: Vec<ApiVariant>,
    },
}

/// One field of a struct, with its accessor and setter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiField {
    /// The property's name in JSON.
    pub json: String,
    /// The Rust field, accessor and setter name.
    pub rust: String,
    /// Its type, as people read it.
    pub ty: String,
    /// Whether the schema lists it in `required`.
    pub required: bool,
    /// Whether the schema allows `null`.
    pub nullable: bool,
    /// Its rustdoc.
    pub docs: String,
}

/// One variant of a union.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiVariant {
    /// The Rust variant name.
    pub name: String,
    /// The type of its value, as people read it.
    pub ty: String,
}

/// One endpoint: a method of the client, its request type and its
/// response type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiEndpoint {
    /// The endpoint's name, which is the client's method.
    pub name: String,
    /// Its one-line summary.
    pub summary: String,
    /// `GET /path` below the base URL.
    pub call: String,
    /// The response type.
    pub response: String,
    /// The parameters of its request type.
    pub params: Vec<ApiParam>,
}

/// One parameter of a request type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiParam {
    /// The name on the wire.
    pub name: String,
    /// The Rust field and setter name.
    pub rust: String,
    /// `string` or `integer`.
    pub ty: String,
    /// Required parameters are arguments of the request's `new`.
    pub required: bool,
    /// Its description.
    pub docs: String,
}

impl Api {
    /// The API that `model` generates.
    pub fn of(model: &Model) -> Api {
        let types = model
            .types
            .iter()
            .map(|def| ApiType {
                name: def.name.clone(),
                docs: def.docs.clone(),
                shape: match &def.kind {
                    TypeKind::Object(fields) => Shape::Object {
                        fields: fields
                            .iter()
                            .map(|field| ApiField {
                                json: field.json_name.clone(),
                                rust: field.rust_name.clone(),
                                ty: type_text(&field.ty),
                                required: field.required,
                                nullable: field.nullable,
                                docs: field.docs.clone(),
                            })
                            .collect(),
                    },
                    TypeKind::Union(variants) => Shape::Union {
                        variants: variants
                            .iter()
                            .map(|v| ApiVariant { name: v.name.clone(), ty: type_text(&v.ty) })
                            .collect(),
                    },
                },
            })
            .collect();
        let endpoints = model
            .manifest
            .endpoints
            .iter()
            .map(|endpoint| ApiEndpoint {
                name: endpoint.name.clone(),
                summary: endpoint.summary.clone(),
                call: format!("{} {}", endpoint.method.as_str(), endpoint.path),
                response: endpoint.response.clone(),
                params: request_params(endpoint)
                    .into_iter()
                    .map(|(p, rust)| ApiParam {
                        name: p.name.clone(),
                        rust,
                        ty: p.kind.describe().to_owned(),
                        required: p.required,
                        docs: p.description.clone(),
                    })
                    .collect(),
            })
            .collect();
        Api { types, endpoints }
    }

    /// The type named `name`.
    pub fn get(&self, name: &str) -> Option<&ApiType> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The endpoint named `name`.
    pub fn endpoint(&self, name: &str) -> Option<&ApiEndpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }

    /// True when `name` is a union.
    pub fn is_union(&self, name: &str) -> bool {
        matches!(self.get(name).map(|t| &t.shape), Some(Shape::Union { .. }))
    }
}

/// A type as people read it: `string`, `array of Image`, `map of integer`,
/// `array of string or null`.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Null => "null".to_owned(),
        TypeRef::Bool => "boolean".to_owned(),
        TypeRef::Integer => "integer".to_owned(),
        TypeRef::Number => "number".to_owned(),
        TypeRef::String => "string".to_owned(),
        TypeRef::Any => "any value".to_owned(),
        TypeRef::Nullable(inner) => format!("{} or null", type_text(inner)),
        TypeRef::Array(inner) => format!("array of {}", type_text(inner)),
        TypeRef::Map(inner) => format!("map of {}", type_text(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

/// The named type a type text ends in, through arrays, maps and `or null`:
/// `Image` for `array of Image or null`.
pub fn named_in(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        if let Some(inner) = rest.strip_prefix("array of ").or_else(|| rest.strip_prefix("map of ")) {
            rest = inner;
        } else if let Some(inner) = rest.strip_suffix(" or null") {
            rest = inner;
        } else {
            break;
        }
    }
    rest.starts_with(|c: char| c.is_ascii_uppercase()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_texts_read_back_to_their_named_type() {
        let ty = TypeRef::Array(Box::new(TypeRef::Map(Box::new(TypeRef::Nullable(Box::new(TypeRef::Named(
            "Image".into(),
        )))))));
        assert_eq!(type_text(&ty), "array of map of Image or null");
        assert_eq!(named_in(&type_text(&ty)), Some("Image"));
        assert_eq!(named_in("array of integer"), None);
        assert_eq!(named_in("any value"), None);
    }
}
