//! One module of the model crate a schema file: a struct for each object,
//! an enum for each union, the decode entry points of each endpoint's
//! response, and each type's description as data.
//!
//! The serde plumbing and the description (`JsonObject`, `JsonUnion`,
//! `Described`) come from one runtime macro call a type, one line a
//! property, hidden from rustdoc, so that a type reads as data and its page
//! shows its fields, accessors and docs.

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
}

/// The items of `module`, with its docs and the `use` lines they need.
pub fn module(model: &Model, module: &Module) -> TokenStream {
    let mut uses = Uses::default();
    let mut items = Vec::new();
    let types: Vec<&TypeDef> = model.types.iter().filter(|t| t.module == module.name).collect();
    for ty in &types {
        items.push(match &ty.kind {
            TypeKind::Object(fields) => object(model, ty, fields, &mut uses),
            TypeKind::Union(variants) => union(model, ty, variants, &mut uses),
        });
    }
    for (endpoint, ty) in model.module_roots(&module.name) {
        items.push(root_impl(endpoint, ty, &mut uses));
    }
    let mut lines = Vec::new();
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
    let catch_all = format_ident!("{}", model.manifest.models.unknown_fields);
    let mut members = Vec::new();
    let mut lines = Vec::new();
    for field in fields {
        let value = rust_type(&field.ty, uses);
        let field_type = if model.is_object(&field.ty) {
            quote! { Box<#value> }
        } else {
            value
        };
        let docs = doc_attrs(Some(&field.docs));
        let ident = format_ident!("{}", field.rust_name);
        let json_name = &field.json_name;
        members.push(quote! { #docs pub #ident: Field<#field_type>, });
        let required = field.required.then(|| quote! { , required });
        let nullable = field.nullable.then(|| quote! { , nullable });
        lines.push(quote! { #json_name => #ident #required #nullable; });
    }
    let accessors: Vec<TokenStream> = fields.iter().map(|field| accessor(model, field, uses)).collect();
    let setters: Vec<TokenStream> = fields.iter().map(|field| setter(model, field, uses)).collect();
    uses.runtime.extend(["Field", "UnknownFields"]);
    let docs = doc_attrs(Some(&ty.docs));
    let catch_all_setter = format_ident!("with_{}", model.manifest.models.unknown_fields);
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            /// Properties the schema does not describe, kept verbatim.
            pub #catch_all: UnknownFields,
        }

        impl #name {
            #(#accessors)*

            #(#setters)*

            /// Sets the properties the schema does not describe.
            pub fn #catch_all_setter(mut self, value: UnknownFields) -> Self {
                self.#catch_all = value;
                self
            }
        }

        dylive_runtime::json_object! {
            #name, #catch_all;
            #(#lines)*
        }
    }
}

/// An enum, one variant a kind of value. A variant that holds an object
/// holds it boxed, as a field does, so that a type may reach itself through
/// a union (an object whose property is a union of it and something else).
fn union(model: &Model, ty: &TypeDef, variants: &[Variant], uses: &mut Uses) -> TokenStream {
    let name = format_ident!("{}", ty.name);
    let mut members = Vec::new();
    let mut lines = Vec::new();
    for variant in variants {
        let ident = format_ident!("{}", variant.name);
        let kind = format_ident!("{}", variant_ident(variant.kind));
        let item_type = rust_type(&variant.ty, uses);
        let held = if model.is_object(&variant.ty) {
            quote! { Box<#item_type> }
        } else {
            item_type
        };
        let docs = doc_attrs(Some(&format!("The value as {}.", variant.kind.describe())));
        members.push(quote! { #docs #ident(#held), });
        lines.push(quote! { #kind => #ident; });
    }
    let expected = variants.iter().map(|v| v.kind.describe()).collect::<Vec<_>>().join(" or ");
    let docs = doc_attrs(Some(&ty.docs));
    let froms = variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let item_type = rust_type(&variant.ty, uses);
        let value = if model.is_object(&variant.ty) {
            quote! { Box::new(value) }
        } else {
            quote! { value }
        };
        quote! {
            impl From<#item_type> for #name {
                fn from(value: #item_type) -> Self {
                    #name::#ident(#value)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#members)*
        }

        #(#froms)*

        dylive_runtime::json_union! {
            #name, #expected;
            #(#lines)*
        }
    }
}

/// The method that reads one property, named like its field, returning
/// the value borrowed in its natural form: `Option<&str>` for a string,
/// `&[T]` for an array (empty when there is none), `Option<&T>` otherwise.
fn accessor(model: &Model, field: &FieldDef, uses: &mut Uses) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    let value = rust_type(&field.ty, uses);
    let (returns, body) = match &field.ty {
        TypeRef::String => (quote! { Option<&str> }, quote! { self.#ident.as_deref() }),
        TypeRef::Bool => (quote! { Option<bool> }, quote! { self.#ident.get().copied() }),
        TypeRef::Array(item) => {
            let item = rust_type(item, uses);
            (quote! { &[#item] }, quote! { self.#ident.items() })
        }
        ty if model.is_object(ty) => (quote! { Option<&#value> }, quote! { self.#ident.as_deref() }),
        _ => (quote! { Option<&#value> }, quote! { self.#ident.get() }),
    };
    let docs = doc_attrs(Some(&summary(field)));
    quote! {
        #docs
        pub fn #ident(&self) -> #returns {
            #body
        }
    }
}

/// The first paragraph of a field's docs, for its accessor and setter.
fn summary(field: &FieldDef) -> String {
    field.docs.split("\n\n").next().unwrap_or_default().to_owned()
}

/// The method that sets one property to a value, `with_<field>`, taking
/// the value in its natural form: anything `Into<String>` for a string,
/// `Into<Int>` for an integer (`u64`, `i64`, ...), the struct itself for
/// an object, anything `Into<Vec<T>>` for an array.
fn setter(model: &Model, field: &FieldDef, uses: &mut Uses) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    let name = format_ident!("with_{}", field.rust_name);
    let value = rust_type(&field.ty, uses);
    let (param, set) = match &field.ty {
        TypeRef::Bool => (quote! { bool }, quote! { value }),
        ty if model.is_object(ty) => (quote! { #value }, quote! { Box::new(value) }),
        _ => (quote! { impl Into<#value> }, quote! { value.into() }),
    };
    if field.ty == TypeRef::Null {
        // Its one value: `null`, as it decodes.
        let docs = doc_attrs(Some(&format!("Sets [`{0}`](Self::{0}) to `null`.", field.rust_name)));
        return quote! {
            #docs
            pub fn #name(mut self) -> Self {
                self.#ident = Field::Null;
                self
            }
        };
    }
    let docs = doc_attrs(Some(&format!("Sets [`{0}`](Self::{0}) to a value.", field.rust_name)));
    quote! {
        #docs
        pub fn #name(mut self, value: #param) -> Self {
            self.#ident = Field::Value(#set);
            self
        }
    }
}

/// `from_slice` and `to_json` of an endpoint's response type.
fn root_impl(endpoint: &Endpoint, ty: &TypeDef, uses: &mut Uses) -> TokenStream {
    uses.runtime.insert("DecodeError");
    let name = format_ident!("{}", ty.name);
    let decode_doc = format!(" Decodes a response body of `{}`: {}", endpoint.name, endpoint.summary);
    quote! {
        impl #name {
            #[doc = #decode_doc]
            ///
            /// A value of another kind than the schema says is kept where it
            /// is and listed by `drift()`; what still fails (text that is not
            /// JSON, a repeated property) names its JSON Pointer and keeps
            /// the body.
            pub fn from_slice(body: &[u8]) -> Result<Self, DecodeError> {
                dylive_runtime::from_slice(body)
            }

            /// Decodes a response body like `from_slice`, but fails on the
            /// first value of another kind than the schema says, naming its
            /// JSON Pointer.
            pub fn from_slice_strict(body: &[u8]) -> Result<Self, DecodeError> {
                dylive_runtime::from_slice_strict(body)
            }

            /// Encodes the response as compact JSON: the body it was decoded
            /// from, but for key order and white space. The text is the one
            /// `serde_json::to_string` gives, written without serde's
            /// serializer in between.
            pub fn to_json(&self) -> String {
                dylive_runtime::write::to_string(self)
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
            // By path: a schema may well name a type `Map`.
            let inner = rust_type(inner, uses);
            quote! { dylive_runtime::Map<#inner> }
        }
        TypeRef::Named(name) => {
            uses.types.insert(name.clone());
            let ident = format_ident!("{}", name);
            quote! { #ident }
        }
    }
}
