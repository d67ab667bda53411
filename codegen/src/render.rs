//! Renders Rust code from typify's type graph and the schemas' own order,
//! names and descriptions.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use schemars::schema::{Schema, SchemaObject};
use typify::{TypeDetails, TypeEnumVariant, TypeId, TypeSpace};

use crate::manifest::Manifest;
use crate::schema::{Definition, SchemaSet};
use crate::Error;

/// What one generated module needs from elsewhere.
#[derive(Default)]
struct Uses {
    runtime: BTreeSet<&'static str>,
    types: BTreeSet<String>,
    btree_map: bool,
}

pub struct Renderer<'a> {
    pub space: &'a TypeSpace,
    /// The type of each definition, by name.
    pub ids: &'a std::collections::BTreeMap<String, TypeId>,
    pub schemas: &'a SchemaSet,
    pub manifest: &'a Manifest,
}

impl Renderer<'_> {
    /// The items of module `module` with the `use` lines they need.
    pub fn module(&self, module: &str, roots: &[(&str, &str)]) -> Result<TokenStream, Error> {
        let mut uses = Uses::default();
        let mut items = Vec::new();
        for definition in self.schemas.definitions.iter().filter(|d| d.module == module) {
            items.push(self.definition(definition, &mut uses)?);
        }
        for (type_name, endpoint) in roots {
            items.push(root_impl(type_name, endpoint, &mut uses));
        }
        let defined: BTreeSet<&str> =
            self.schemas.definitions.iter().filter(|d| d.module == module).map(|d| d.name.as_str()).collect();
        let mut lines = Vec::new();
        if uses.btree_map {
            lines.push(quote! { use std::collections::BTreeMap; });
        }
        if !uses.runtime.is_empty() {
            let names = uses.runtime.iter().map(|n| format_ident!("{}", n));
            lines.push(quote! { use dylive_runtime::{#(#names),*}; });
        }
        let foreign: Vec<_> =
            uses.types.iter().filter(|t| !defined.contains(t.as_str())).map(|n| format_ident!("{}", n)).collect();
        if !foreign.is_empty() {
            lines.push(quote! { use crate::{#(#foreign),*}; });
        }
        Ok(quote! { #(#lines)* #(#items)* })
    }

    fn type_id_of(&self, name: &str) -> Result<TypeId, Error> {
        self.ids.get(name).cloned().ok_or_else(|| Error::Unsupported(format!("typify made no type named `{name}`")))
    }

    fn definition(&self, definition: &Definition, uses: &mut Uses) -> Result<TokenStream, Error> {
        let id = self.type_id_of(&definition.name)?;
        let ty = self.space.get_type(&id).map_err(typify_error)?;
        let details = ty.details();
        match details {
            TypeDetails::Struct(_) => self.object(definition, &id, uses),
            TypeDetails::Enum(_) => self.union(definition, &id, uses),
            _ => Err(Error::Unsupported(format!(
                "`{}` is neither an object nor a union of kinds of value",
                definition.name
            ))),
        }
    }

    fn object(&self, definition: &Definition, id: &TypeId, uses: &mut Uses) -> Result<TokenStream, Error> {
        let ty = self.space.get_type(id).map_err(typify_error)?;
        let TypeDetails::Struct(details) = ty.details() else { unreachable!("checked by the caller") };
        let typify_props: Vec<(String, TypeId)> =
            details.properties_info().map(|p| (p.name.to_owned(), p.type_id)).collect();
        let name = format_ident!("{}", definition.name);
        let type_name = &definition.name;
        let catch_all = format_ident!("{}", self.manifest.models.unknown_fields);
        let properties = definition.schema.object.as_ref().map(|o| &o.properties);
        let mut fields = Vec::new();
        let mut decode_arms = Vec::new();
        let mut encodes = Vec::new();
        for (json_name, schema) in properties.into_iter().flatten() {
            let rust_name = field_name(json_name);
            if rust_name == self.manifest.models.unknown_fields {
                return Err(Error::Unsupported(format!(
                    "`{type_name}.{json_name}` collides with the catch-all field; rename `unknown_fields` in schemas/endpoints.toml"
                )));
            }
            let (_, prop_id) = typify_props
                .iter()
                .find(|(n, _)| *n == rust_name)
                .ok_or_else(|| Error::Unsupported(format!("typify has no property `{rust_name}` on `{type_name}`")))?;
            let field_type = self.property_type(prop_id, uses)?;
            let docs = doc_attrs(schema_description(schema).as_deref());
            let ident = format_ident!("{}", rust_name);
            fields.push(quote! { #docs pub #ident: Field<#field_type>, });
            decode_arms.push(quote! { #json_name => object::decode_field(&mut self.#ident, key, map)?, });
            encodes.push(quote! { object::encode_field(map, #json_name, &self.#ident)?; });
        }
        uses.runtime.extend(["Field", "UnknownFields", "object"]);
        let docs = doc_attrs(Some(&definition_docs(definition)));
        let decode_body = if decode_arms.is_empty() {
            quote! { let _ = (key, map); Ok(false) }
        } else {
            quote! {
                match key {
                    #(#decode_arms)*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        };
        let encode_body = if encodes.is_empty() {
            quote! { let _ = map; Ok(()) }
        } else {
            quote! { #(#encodes)* Ok(()) }
        };
        Ok(quote! {
            #docs
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #name {
                #(#fields)*
                /// Properties the schema does not describe, kept verbatim.
                pub #catch_all: UnknownFields,
            }

            impl object::JsonObject for #name {
                const TYPE_NAME: &'static str = #type_name;

                fn decode_field<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    key: &str,
                    map: &mut A,
                ) -> Result<bool, A::Error> {
                    #decode_body
                }

                fn encode_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                    #encode_body
                }

            }

            dylive_runtime::json_object!(#name, #catch_all);
        })
    }

    fn union(&self, definition: &Definition, id: &TypeId, uses: &mut Uses) -> Result<TokenStream, Error> {
        let ty = self.space.get_type(id).map_err(typify_error)?;
        let TypeDetails::Enum(details) = ty.details() else { unreachable!("checked by the caller") };
        let name = format_ident!("{}", definition.name);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        let mut encodes = Vec::new();
        let mut kinds: Vec<&'static str> = Vec::new();
        for info in details.variants_info() {
            let TypeEnumVariant::Tuple(items) = &info.details else {
                return Err(Error::Unsupported(format!(
                    "`{}`: only unions of kinds of value are supported, not enumerations of constants",
                    definition.name
                )));
            };
            let [item] = items.as_slice() else {
                return Err(Error::Unsupported(format!("`{}`: a variant must hold one value", definition.name)));
            };
            let kind = self.json_kind(item)?;
            if kinds.contains(&kind) {
                return Err(Error::Unsupported(format!(
                    "`{}` has two variants of kind {kind}; a value could not be told which it is",
                    definition.name
                )));
            }
            kinds.push(kind);
            let variant = format_ident!("{}", info.name);
            let kind_ident = format_ident!("{}", kind);
            let item_type = self.type_ref(item, uses)?;
            let docs = doc_attrs(Some(&format!("The value as {}.", kind_article(kind))));
            variants.push(quote! { #docs #variant(#item_type), });
            arms.push(
                quote! { JsonKind::#kind_ident => serde::Deserialize::deserialize(deserializer).map(Self::#variant), },
            );
            encodes.push(quote! { Self::#variant(value) => serde::Serialize::serialize(value, serializer), });
        }
        let expected = kinds.iter().map(|k| kind_article(k)).collect::<Vec<_>>().join(" or ");
        uses.runtime.extend(["JsonKind", "union"]);
        let docs = doc_attrs(Some(&definition_docs(definition)));
        Ok(quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #(#variants)*
            }

            impl union::JsonUnion for #name {
                const EXPECTED: &'static str = #expected;

                fn decode<'de, D: serde::Deserializer<'de>>(
                    kind: JsonKind,
                    deserializer: D,
                ) -> Option<Result<Self, D::Error>> {
                    Some(match kind {
                        #(#arms)*
                        _ => return None,
                    })
                }

                fn serialize_variant<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#encodes)*
                    }
                }
            }

            dylive_runtime::json_union!(#name);
        })
    }

    /// The type of a property: optional and nullable layers are folded into
    /// one [`Field`], which keeps absent and `null` apart by itself. An object
    /// is boxed, so that a struct holds pointers to its nested objects rather
    /// than the objects: moving a response then copies bytes, not kilobytes.
    fn property_type(&self, id: &TypeId, uses: &mut Uses) -> Result<TokenStream, Error> {
        let mut id = id.clone();
        while let TypeDetails::Option(inner) = self.space.get_type(&id).map_err(typify_error)?.details() {
            id = inner;
        }
        let inner = self.type_ref(&id, uses)?;
        let ty = self.space.get_type(&id).map_err(typify_error)?;
        let is_object = matches!(ty.details(), TypeDetails::Struct(_));
        Ok(if is_object {
            quote! { Box<#inner> }
        } else {
            inner
        })
    }

    fn type_ref(&self, id: &TypeId, uses: &mut Uses) -> Result<TokenStream, Error> {
        let ty = self.space.get_type(id).map_err(typify_error)?;
        let details = ty.details();
        Ok(match details {
            TypeDetails::Struct(_) | TypeDetails::Enum(_) => {
                let name = ty.name();
                if self.schemas.get(&name).is_none() {
                    return Err(Error::Unsupported(format!(
                        "`{name}` comes from an inline schema; give it a name under `definitions` so that it is one shared, reviewed type"
                    )));
                }
                uses.types.insert(name.clone());
                let ident = format_ident!("{}", name);
                quote! { #ident }
            }
            TypeDetails::Option(inner) => {
                let inner = self.type_ref(&inner, uses)?;
                quote! { Option<#inner> }
            }
            TypeDetails::Vec(inner) => {
                let inner = self.type_ref(&inner, uses)?;
                quote! { Vec<#inner> }
            }
            TypeDetails::Map(_, value) => {
                uses.btree_map = true;
                let value = self.type_ref(&value, uses)?;
                quote! { BTreeMap<String, #value> }
            }
            TypeDetails::Box(inner) => {
                let inner = self.type_ref(&inner, uses)?;
                quote! { Box<#inner> }
            }
            TypeDetails::String => quote! { String },
            TypeDetails::Unit => quote! { () },
            TypeDetails::Builtin("bool") => quote! { bool },
            TypeDetails::Builtin(name) => {
                let runtime = builtin_runtime_type(name)
                    .ok_or_else(|| Error::Unsupported(format!("no lossless type for typify's `{name}`")))?;
                uses.runtime.insert(runtime);
                let ident = format_ident!("{}", runtime);
                quote! { #ident }
            }
            TypeDetails::Newtype(_) | TypeDetails::Set(_) | TypeDetails::Tuple(_) | TypeDetails::Array(..) => {
                return Err(Error::Unsupported(format!(
                    "`{}`: constrained strings, sets and tuples are not supported",
                    ty.name()
                )))
            }
        })
    }

    /// The JSON kind a union variant's value has, by the runtime's names.
    fn json_kind(&self, id: &TypeId) -> Result<&'static str, Error> {
        let ty = self.space.get_type(id).map_err(typify_error)?;
        let details = ty.details();
        Ok(match details {
            TypeDetails::Struct(_) | TypeDetails::Map(..) => "Object",
            TypeDetails::Vec(_) => "Array",
            TypeDetails::String => "String",
            TypeDetails::Unit => "Null",
            TypeDetails::Builtin("bool") => "Bool",
            TypeDetails::Builtin(name) if matches!(builtin_runtime_type(name), Some("Int" | "Float")) => "Number",
            _ => {
                return Err(Error::Unsupported(format!(
                    "a union variant of type `{}` does not have one kind of value",
                    ty.name()
                )))
            }
        })
    }
}

fn root_impl(type_name: &str, endpoint: &str, uses: &mut Uses) -> TokenStream {
    uses.runtime.insert("DecodeError");
    let name = format_ident!("{}", type_name);
    let decode_doc = format!(" Decodes a response body of the `{endpoint}` endpoint.");
    quote! {
        impl #name {
            #[doc = #decode_doc]
            ///
            /// The error names the JSON Pointer of the value that did not fit
            /// and keeps the body.
            pub fn from_slice(body: &[u8]) -> Result<Self, DecodeError> {
                dylive_runtime::from_slice(body)
            }

            /// Encodes the response as compact JSON: the body it was decoded
            /// from, but for key order and white space.
            pub fn to_json(&self) -> Result<String, serde_json::Error> {
                serde_json::to_string(self)
            }
        }
    }
}

fn builtin_runtime_type(name: &str) -> Option<&'static str> {
    let name = name.trim_start_matches("::std::num::").trim_start_matches("std::num::");
    match name {
        "f32" | "f64" => Some("Float"),
        "::serde_json::Value" | "serde_json::Value" => Some("RawJson"),
        n if n.starts_with("NonZero") => Some("Int"),
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => Some("Int"),
        _ => None,
    }
}

fn kind_article(kind: &str) -> &'static str {
    match kind {
        "Object" => "an object",
        "Array" => "an array",
        "String" => "a string",
        "Number" => "a number",
        "Bool" => "a boolean",
        _ => "null",
    }
}

fn typify_error(error: typify::Error) -> Error {
    Error::Typify(error.to_string())
}

/// The Rust field name of property `json`, as typify spells it.
pub fn field_name(json: &str) -> String {
    let cleaned: String =
        json.replace('\'', "").chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let mut name = cleaned.to_snake_case();
    match name.chars().next() {
        None => name = "x".to_owned(),
        Some(c) if c.is_alphabetic() || c == '_' => {}
        Some(_) => name = format!("x{name}"),
    }
    if !typify::accept_as_ident(&name) {
        name.push('_');
    }
    name
}

/// The Rust type name of endpoint `name`'s variant.
pub fn variant_name(endpoint: &str) -> String {
    endpoint.to_pascal_case()
}

fn schema_description(schema: &Schema) -> Option<String> {
    match schema {
        Schema::Object(object) => object.metadata.as_ref().and_then(|m| m.description.clone()),
        Schema::Bool(_) => None,
    }
}

fn definition_docs(definition: &Definition) -> String {
    let SchemaObject { metadata, .. } = &definition.schema;
    let title = metadata.as_ref().and_then(|m| m.title.clone());
    let description = metadata.as_ref().and_then(|m| m.description.clone());
    match (title, description) {
        (Some(t), Some(d)) if t != definition.name => format!("{t}\n\n{d}"),
        (_, Some(d)) => d,
        (Some(t), None) if t != definition.name => t,
        _ => format!("`{}`", definition.name),
    }
}

/// `#[doc]` attributes, one a line, so that they print as `///` lines.
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    let lines = text.trim().lines().map(|line| {
        let line = if line.trim().is_empty() { String::new() } else { format!(" {}", line.trim_end()) };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}
