//! `lib.rs` of the model crate: the crate docs from the manifest, the
//! modules, and the `Response` enum that reaches every endpoint by name.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, inner_docs};
use crate::model::Model;

/// The Rust name of endpoint `name`'s variant of `Response`.
pub fn variant_name(endpoint: &str) -> String {
    endpoint.to_pascal_case()
}

/// The file's items.
pub fn render(model: &Model) -> TokenStream {
    let modules: Vec<_> = model.modules.iter().map(|m| format_ident!("{}", m.name)).collect();
    let roots: Vec<_> = model.roots().collect();
    let variants: Vec<_> = roots.iter().map(|(e, _)| format_ident!("{}", variant_name(&e.name))).collect();
    let types: Vec<_> = roots.iter().map(|(_, t)| format_ident!("{}", t.name)).collect();
    let names: Vec<&str> = roots.iter().map(|(e, _)| e.name.as_str()).collect();
    let variant_docs = roots
        .iter()
        .map(|(e, _)| doc_attrs(Some(&format!("`{}` ({} `{}`): {}", e.name, e.method.as_str(), e.path, e.summary))));
    let all_types = model.types.iter().map(|t| format_ident!("{}", t.name));
    let docs = inner_docs(model.manifest.models.docs.trim());
    quote! {
        #docs
        #![allow(clippy::large_enum_variant)]

        #(pub mod #modules;)*
        #(pub use #modules::*;)*
        #[cfg(feature = "fixtures")]
        pub mod fixtures;

        pub use dylive_runtime::{DecodeError, Drift, Field, Float, Int, JsonKind, RawJson, UnknownFields};
        /// The runtime the generated types are built on.
        pub use dylive_runtime as runtime;

        use dylive_runtime::info::{Described, TypeInfo};

        /// The names of the endpoints whose responses this crate models.
        pub const ENDPOINTS: &[&str] = &[#(#names),*];

        /// The description of every generated type, in the schemas' order:
        /// its properties with their JSON names, types, and whether they are
        /// required or nullable.
        pub const TYPES: &[fn() -> &'static TypeInfo] = &[#(<#all_types as Described>::type_info),*];

        /// A response of any endpoint, for tools that handle them all.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Response {
            #(#variant_docs #variants(#types),)*
        }

        impl Response {
            /// Decodes `body` as a response of the endpoint named `endpoint`
            /// (one of [`ENDPOINTS`]); `None` for an unknown name.
            pub fn decode(endpoint: &str, body: &[u8]) -> Option<Result<Self, DecodeError>> {
                Some(match endpoint {
                    #(#names => #types::from_slice(body).map(Self::#variants),)*
                    _ => return None,
                })
            }

            /// The name of the endpoint this response is of.
            pub fn endpoint(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => #names,)*
                }
            }

            /// The description of the response type of the endpoint named
            /// `endpoint`; `None` for an unknown name.
            pub fn type_info(endpoint: &str) -> Option<&'static TypeInfo> {
                match endpoint {
                    #(#names => Some(<#types as Described>::type_info()),)*
                    _ => None,
                }
            }

            /// The values inside whose kind differs from what the schema
            /// says, each with its JSON Pointer; empty when everything fits.
            pub fn drift(&self) -> Vec<Drift> {
                match self {
                    #(Self::#variants(response) => response.drift(),)*
                }
            }

            /// Encodes the response as compact JSON.
            pub fn to_json(&self) -> String {
                match self {
                    #(Self::#variants(response) => response.to_json(),)*
                }
            }
        }
    }
}
