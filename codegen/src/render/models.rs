//! One module of the model crate a schema file: a struct for each object,
//! an enum for each union, the decode entry points of each endpoint's
//! response, and each type's description as data.
//!
//! The serde plumbing (`JsonObject`, `JsonUnion`, `Described`) is hidden from
//! rustdoc, so that a type's page shows its fields and docs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use crate::manifest::Endpoint;
use crate::model::{variant_ident, FieldDef, Model, Module, TypeDef, TypeKind, TypeRef, Variant};

/// What one generated module needs from elsewhere.
#[derive(Default)]
struct Uses {
    runtime: BTreeSet<&'static str>,
    types: BTreeSet<String>,
    btree_map: bool,
}

/// The items of `module`, with its docs and the `use` lines they need.
pub fn module(model: &Model, module: &Module) -> TokenStream {
    let mut uses = Uses::default();
    let mut items = Vec::new();
    let types: Vec<&TypeDef> = model.types.iter().filter(|t| t.module == module.name).collect();
    for ty in &types {
        items.push(match &ty.kind {
            TypeKind::Object(fields) => object(model, ty, fields, &mut uses),
            TypeKind::Union(variants) => union(ty, variants, &mut uses),
        });
    }
    for (endpoint, ty) in model.module_roots(&module.name) {
        items.push(root_impl(endpoint, ty, &mut uses));
    }
    let mut lines = Vec::new();
    if uses.btree_map {
        lines.push(quote! { use std::collections::BTreeMap; });
    }
    if !uses.runtime.is_empty() {
        let names = uses.runtime.iter().map(|n| format_ident!("{}", n));
        lines.push(quote! { use dylive_runtime::{#(#names),*}; });
    }
    let foreign: Vec<_> = uses
        .types
        .iter()
        .filter(|name| !types.iter().any(|t| t.name == **name))
        .map(|n| format_ident!("{}", n))
        .collect();
    if !foreign.is_empty() {
        lines.push(quote! { use super::{#(#foreign),*}; });
    }
    let docs = super::inner_docs(&module.docs.join("\n\n"));
    quote! { #docs #(#lines)* #(#items)* }
}

fn object(model: &Model, ty: &TypeDef, fields: &[FieldDef], uses: &mut Uses) -> TokenStream {
    let name = format_ident!("{}", ty.name);
    let type_name = &ty.name;
    let catch_all = format_ident!("{}", model.manifest.models.unknown_fields);
    let mut members = Vec::new();
    let mut decode_arms = Vec::new();
    let mut encodes = Vec::new();
    let mut infos = Vec::new();
    for field in fields {
        let value = rust_type(&field.ty, uses);
        let field_type = if model.is_object(&field.ty) {
            quote! { Box<#value> }
        } else {
            value
        };
        let docs = doc_attrs(field.docs.as_deref());
        let ident = format_ident!("{}", field.rust_name);
        let json_name = &field.json_name;
        members.push(quote! { #docs pub #ident: Field<#field_type>, });
        decode_arms.push(quote! { #json_name => object::decode_field(&mut self.#ident, key, map)?, });
        encodes.push(quote! { object::encode_field(map, #json_name, &self.#ident)?; });
        let (rust_name, required, nullable) = (&field.rust_name, field.required, field.nullable);
        let info_ty = info_ty(&field.ty);
        infos.push(quote! {
            info::FieldInfo { name: #json_name, rust_name: #rust_name, ty: #info_ty, required: #required, nullable: #nullable },
        });
    }
    let accessors: Vec<TokenStream> = fields.iter().map(|field| accessor(model, field, uses)).collect();
    uses.runtime.extend(["Field", "UnknownFields", "info", "object"]);
    let docs = doc_attrs(Some(&ty.docs));
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
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#members)*
            /// Properties the schema does not describe, kept verbatim.
            pub #catch_all: UnknownFields,
        }

        impl #name {
            #(#accessors)*
        }

        #[doc(hidden)]
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

        #[doc(hidden)]
        impl info::Described for #name {
            fn type_info() -> &'static info::TypeInfo {
                static INFO: info::TypeInfo = info::TypeInfo {
                    name: #type_name,
                    shape: info::Shape::Object(&[#(#infos)*]),
                };
                &INFO
            }
        }

        dylive_runtime::json_object!(#name, #catch_all);
    }
}

fn union(ty: &TypeDef, variants: &[Variant], uses: &mut Uses) -> TokenStream {
    let name = format_ident!("{}", ty.name);
    let type_name = &ty.name;
    let mut members = Vec::new();
    let mut arms = Vec::new();
    let mut encodes = Vec::new();
    let mut infos = Vec::new();
    for variant in variants {
        let ident = format_ident!("{}", variant.name);
        let kind = format_ident!("{}", variant_ident(variant.kind));
        let item_type = rust_type(&variant.ty, uses);
        let docs = doc_attrs(Some(&format!("The value as {}.", variant.kind.describe())));
        members.push(quote! { #docs #ident(#item_type), });
        arms.push(quote! { JsonKind::#kind => serde::Deserialize::deserialize(deserializer).map(Self::#ident), });
        encodes.push(quote! { Self::#ident(value) => serde::Serialize::serialize(value, serializer), });
        let info_ty = info_ty(&variant.ty);
        infos.push(quote! { info::VariantInfo { kind: JsonKind::#kind, ty: #info_ty }, });
    }
    let expected = variants.iter().map(|v| v.kind.describe()).collect::<Vec<_>>().join(" or ");
    uses.runtime.extend(["JsonKind", "info", "union"]);
    let docs = doc_attrs(Some(&ty.docs));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#members)*
        }

        #[doc(hidden)]
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

        #[doc(hidden)]
        impl info::Described for #name {
            fn type_info() -> &'static info::TypeInfo {
                static INFO: info::TypeInfo = info::TypeInfo {
                    name: #type_name,
                    shape: info::Shape::Union(&[#(#infos)*]),
                };
                &INFO
            }
        }

        dylive_runtime::json_union!(#name);
    }
}

/// The method that reads one property, named like its field, returning
/// the value borrowed in its natural form: `Option<&str>` for a string,
/// `&[T]` for an array (empty when there is none), `Option<&T>` otherwise.
fn accessor(model: &Model, field: &FieldDef, uses: &mut Uses) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    let value = rust_type(&field.ty, uses);
    let (returns, body, none) = match &field.ty {
        TypeRef::String => (quote! { Option<&str> }, quote! { self.#ident.as_deref() }, "`None`"),
        TypeRef::Bool => (quote! { Option<bool> }, quote! { self.#ident.get().copied() }, "`None`"),
        TypeRef::Array(item) => {
            let item = rust_type(item, uses);
            (quote! { &[#item] }, quote! { self.#ident.items() }, "empty")
        }
        ty if model.is_object(ty) => (quote! { Option<&#value> }, quote! { self.#ident.as_deref() }, "`None`"),
        _ => (quote! { Option<&#value> }, quote! { self.#ident.get() }, "`None`"),
    };
    let summary = field
        .docs
        .as_deref()
        .and_then(|docs| docs.lines().next())
        .map_or_else(|| format!("`{}`.", field.json_name), |line| format!("`{}`: {line}", field.json_name));
    let docs = doc_attrs(Some(&format!("{summary}\n\n{} when the property is absent or `null`.", capitalize(none))));
    quote! {
        #docs
        pub fn #ident(&self) -> #returns {
            #body
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `from_slice` and `to_json` of an endpoint's response type.
fn root_impl(endpoint: &Endpoint, ty: &TypeDef, uses: &mut Uses) -> TokenStream {
    uses.runtime.insert("DecodeError");
    let name = format_ident!("{}", ty.name);
    let decode_doc = format!(" Decodes a response body of the `{}` endpoint.", endpoint.name);
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

/// The Rust type of a value.
fn rust_type(ty: &TypeRef, uses: &mut Uses) -> TokenStream {
    match ty {
        TypeRef::Null => quote! { () },
        TypeRef::Bool => quote! { bool },
        TypeRef::Integer => {
            uses.runtime.insert("Int");
            quote! { Int }
        }
        TypeRef::Number => {
            uses.runtime.insert("Float");
            quote! { Float }
        }
        TypeRef::String => quote! { String },
        TypeRef::Any => {
            uses.runtime.insert("RawJson");
            quote! { RawJson }
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, uses);
            quote! { Option<#inner> }
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, uses);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            uses.btree_map = true;
            let inner = rust_type(inner, uses);
            quote! { BTreeMap<String, #inner> }
        }
        TypeRef::Named(name) => {
            uses.types.insert(name.clone());
            let ident = format_ident!("{}", name);
            quote! { #ident }
        }
    }
}

/// The runtime's description of a value's type (`info::Ty`).
fn info_ty(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Null => quote! { info::Ty::Null },
        TypeRef::Bool => quote! { info::Ty::Bool },
        TypeRef::Integer => quote! { info::Ty::Integer },
        TypeRef::Number => quote! { info::Ty::Number },
        TypeRef::String => quote! { info::Ty::String },
        TypeRef::Any => quote! { info::Ty::Any },
        TypeRef::Nullable(inner) => {
            let inner = info_ty(inner);
            quote! { info::Ty::Nullable(&#inner) }
        }
        TypeRef::Array(inner) => {
            let inner = info_ty(inner);
            quote! { info::Ty::Array(&#inner) }
        }
        TypeRef::Map(inner) => {
            let inner = info_ty(inner);
            quote! { info::Ty::Map(&#inner) }
        }
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote! { info::Ty::Type(<#ident as info::Described>::type_info) }
        }
    }
}
