//! `lib.rs` of the client crate: a request type and a method per endpoint,
//! over the HTTP runtime `dylive-http`.

use std::path::Path;

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, inner_docs};
use crate::manifest::{Auth, Body, ClientCrate, Endpoint, Param, ParamType};
use crate::model::{member_names, Model};
use crate::Error;

/// The methods of a request type beside its setters.
pub const REQUEST_METHODS: &[&str] = &["new", "params"];

/// The parameters a request type carries, all but the credential, each
/// with its Rust name: the field's, and the setter's of an optional one
/// ([`member_names`]).
pub(crate) fn request_params(endpoint: &Endpoint) -> Vec<(&Param, String)> {
    let credential = match &endpoint.auth {
        Auth::Query(name) => Some(name.as_str()),
        Auth::Header(_) => None,
    };
    let params: Vec<&Param> = endpoint.params.iter().filter(|p| credential != Some(p.name.as_str())).collect();
    let taken = REQUEST_METHODS.iter().map(|m| (*m).to_owned()).collect();
    let names = member_names(params.iter().map(|p| p.name.as_str()), taken, &[]);
    params.into_iter().zip(names).collect()
}

pub(super) fn request_type(endpoint: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}Request", endpoint.name.to_pascal_case())
}

/// The Rust type of a parameter.
pub(super) fn param_type(param: &Param) -> TokenStream {
    match param.kind {
        ParamType::Int => quote! { u64 },
        ParamType::String => quote! { String },
    }
}

/// A Rust path the manifest gives, such as `dylive_models`.
pub(super) fn rust_path(client: &ClientCrate, path: &str) -> Result<syn::Path, Error> {
    syn::parse_str(path).map_err(|e| {
        Error::Unsupported(format!(
            "[client] of endpoints.toml: `{path}` is not a Rust path ({e}); crate `{}`",
            client.crate_dir
        ))
    })
}

/// `lib.rs` of the client crate.
pub fn render(model: &Model, client: &ClientCrate) -> Result<TokenStream, Error> {
    let manifest = &model.manifest;
    let models = rust_path(client, &client.models)?;
    let mut methods = Vec::new();
    let mut dispatch = Vec::new();
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    let mut trait_methods = Vec::new();
    let mut trait_impls = Vec::new();
    for endpoint in &manifest.endpoints {
        let (method, request) = endpoint_items(endpoint)?;
        methods.push(method);
        dispatch.push(dispatch_arm(endpoint));
        let (declared, implemented) = trait_items(endpoint);
        trait_methods.push(declared);
        trait_impls.push(implemented);
        requests.push(request);
        responses.push(format_ident!("{}", endpoint.response));
    }
    let requests_types: Vec<_> = manifest.endpoints.iter().map(request_type).collect();
    let docs = inner_docs(client.docs.trim());
    // Imported only when an endpoint checks its envelope, as warnings are
    // errors in the golden crate.
    let envelope_check = manifest.endpoints.iter().any(|e| !e.envelope.is_empty()).then(|| quote! { EnvelopeCheck, });
    let doctests = client.doctest_file.as_deref().map(|file| {
        let depth = Path::new(&client.crate_dir).join("src").components().count();
        let path = format!("{}{file}", "../".repeat(depth));
        quote! {
            /// The examples of the project's documentation, compiled as doctests.
            #[cfg(doctest)]
            #[doc = include_str!(#path)]
            struct DocumentationDoctests;
        }
    });
    Ok(quote! {
        #docs

        use std::sync::Arc;

        use dylive_http::{Auth, BodyKind, #envelope_check Method, ParamSpec, Transport};
        use #models::{#(#responses),*};

        pub use dylive_http::{
            header, ApiFailure, Attempt, AttemptOutcome, CallOptions, ClientConfig, DriftEvent, EndpointSpec, Error,
            Hooks, ResponseValue, RetryBudget, RetryPolicy, Secret, Sleep, TokioSleep,
        };
        /// The attribute that implements [`Api`] (async methods in a trait
        /// that `dyn Api` can hold), re-exported so that a test double needs
        /// no dependency of its own.
        pub use async_trait::async_trait;
        /// The response models.
        pub use #models as models;

        /// Every endpoint, as the manifest describes it.
        pub const ENDPOINTS: &[EndpointSpec] = &[#(#requests_types::ENDPOINT),*];

        /// A client of every endpoint, cheap to clone and to share.
        ///
        /// The base URL and the credential are set once; the credential goes
        /// where each endpoint takes it (a header or the query) and never
        /// shows in `Debug`, logs or errors.
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: Transport,
        }

        impl Client {
            /// A client with the default timeouts, retries and body limit.
            pub fn new(base_url: impl Into<String>, credential: impl Into<String>) -> Result<Self, Error> {
                Self::with_config(ClientConfig::new(base_url, credential))
            }

            /// A client with the given configuration.
            pub fn with_config(config: ClientConfig) -> Result<Self, Error> {
                Ok(Client { transport: Transport::new(config)? })
            }

            /// Replaces the wait between retries.
            pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleep>) -> Self {
                self.transport = self.transport.with_sleeper(sleeper);
                self
            }

            /// The configuration.
            pub fn config(&self) -> &ClientConfig {
                self.transport.config()
            }

            #(#methods)*

            /// Calls the endpoint named `endpoint` (as in
            /// [`models::ENDPOINTS`]) with parameters given as text, for tools
            /// that take them from a user: an unknown endpoint or parameter, a
            /// missing required one or a number that does not parse is an
            /// [`Error::Request`].
            pub async fn call(
                &self,
                endpoint: &str,
                params: &[(String, String)],
            ) -> Result<ResponseValue<models::Response>, Error> {
                match endpoint {
                    #(#dispatch)*
                    _ => Err(Error::Request(format!("no endpoint named `{endpoint}`"))),
                }
            }
        }

        /// Every endpoint as a method, implemented by [`Client`]: what a
        /// service's code takes, as `&impl Api` or `Arc<dyn Api>`, so that its
        /// tests can give it a test double.
        ///
        /// Each endpoint has two methods. `<endpoint>` calls
        /// `<endpoint>_with` with the client's own options, and
        /// `<endpoint>_with` returns [`Error::Unimplemented`] naming the
        /// endpoint: a test double implements only the methods its test
        /// needs, and an endpoint added later breaks no implementation.
        #[async_trait::async_trait]
        pub trait Api: Send + Sync {
            #(#trait_methods)*
        }

        #[async_trait::async_trait]
        impl Api for Client {
            #(#trait_impls)*
        }

        /// The parameter `name` of `params`, parsed.
        fn param<T: std::str::FromStr>(params: &[(String, String)], name: &str) -> Result<Option<T>, Error> {
            params
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.parse().map_err(|_| Error::Request(format!("parameter `{name}`: cannot read `{value}`"))))
                .transpose()
        }

        /// An error unless every parameter of `params` is in `known`.
        fn only_known(params: &[(String, String)], known: &[&str]) -> Result<(), Error> {
            match params.iter().find(|(key, _)| !known.contains(&key.as_str())) {
                Some((key, _)) => Err(Error::Request(format!("unknown parameter `{key}`; known: {known:?}"))),
                None => Ok(()),
            }
        }

        #(#requests)*

        #doctests
    })
}

/// The methods of endpoint `endpoint` in the trait, with their default
/// bodies, and in its implementation for the client.
fn trait_items(endpoint: &Endpoint) -> (TokenStream, TokenStream) {
    let request = request_type(endpoint);
    let response = format_ident!("{}", endpoint.response);
    let method = format_ident!("{}", endpoint.name);
    let method_with = format_ident!("{}_with", endpoint.name);
    let name = &endpoint.name;
    let summary = format!(" {}", endpoint.summary);
    let plain_doc = format!(" By default, [`{name}_with`](Self::{name}_with) with the client's own options.");
    let with_doc =
        format!(" [`{name}`](Self::{name}) with options; by default, an [`Error::Unimplemented`] naming `{name}`.");
    let declared = quote! {
        #[doc = #summary]
        ///
        #[doc = #plain_doc]
        async fn #method(&self, request: &#request) -> Result<ResponseValue<#response>, Error> {
            self.#method_with(request, &CallOptions::default()).await
        }

        #[doc = #with_doc]
        async fn #method_with(
            &self,
            request: &#request,
            options: &CallOptions,
        ) -> Result<ResponseValue<#response>, Error> {
            let _ = (request, options);
            Err(Error::unimplemented(#name))
        }
    };
    let implemented = quote! {
        async fn #method(&self, request: &#request) -> Result<ResponseValue<#response>, Error> {
            Client::#method(self, request).await
        }

        async fn #method_with(
            &self,
            request: &#request,
            options: &CallOptions,
        ) -> Result<ResponseValue<#response>, Error> {
            Client::#method_with(self, request, options).await
        }
    };
    (declared, implemented)
}

fn endpoint_items(endpoint: &Endpoint) -> Result<(TokenStream, TokenStream), Error> {
    let request = request_type(endpoint);
    let response = format_ident!("{}", endpoint.response);
    let method = format_ident!("{}", endpoint.name);
    let name = &endpoint.name;
    let http_method = endpoint.method.as_str();
    let method_value = format_ident!("{}", format!("{:?}", endpoint.method));
    let path = &endpoint.path;
    let body = match endpoint.body {
        None => quote! { BodyKind::Query },
        Some(Body::Multipart) => quote! { BodyKind::Multipart },
    };
    let auth = match &endpoint.auth {
        Auth::Header(header) => quote! { Auth::Header(#header) },
        Auth::Query(query) => quote! { Auth::Query(#query) },
    };
    let checks = endpoint.envelope.iter().map(|check| {
        let status = &check.status;
        let success = &check.success;
        let message = &check.message;
        quote! { EnvelopeCheck { status: #status, success: &[#(#success),*], message: &[#(#message),*] } }
    });
    let response_name = &endpoint.response;

    let params = request_params(endpoint);
    let param_specs = params.iter().map(|(p, _)| {
        let (wire, required) = (&p.name, p.required);
        quote! { ParamSpec { name: #wire, required: #required } }
    });
    let mut fields = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    let mut setters = Vec::new();
    let mut required_values = Vec::new();
    let mut optional_pushes = Vec::new();
    for (param, rust_name) in &params {
        let ident = format_ident!("{}", rust_name);
        let ty = param_type(param);
        let wire = &param.name;
        let docs = doc_attrs(Some(&format!("`{wire}`: {}", param.description)));
        let is_string = param.kind == ParamType::String;
        let (arg_type, convert) = if is_string {
            (quote! { impl Into<String> }, quote! { #ident.into() })
        } else {
            (ty.clone(), quote! { #ident })
        };
        if param.required {
            fields.push(quote! { #docs pub #ident: #ty, });
            new_args.push(quote! { #ident: #arg_type });
            new_inits.push(if is_string {
                quote! { #ident: #convert, }
            } else {
                quote! { #ident, }
            });
            required_values.push(quote! { (#wire, self.#ident.to_string()) });
        } else {
            fields.push(quote! { #docs pub #ident: Option<#ty>, });
            new_inits.push(quote! { #ident: None, });
            let setter_doc = format!(" Sets `{wire}`: {}", param.description);
            setters.push(quote! {
                #[doc = #setter_doc]
                pub fn #ident(mut self, #ident: #arg_type) -> Self {
                    self.#ident = Some(#convert);
                    self
                }
            });
            optional_pushes.push(quote! {
                if let Some(value) = &self.#ident {
                    params.push((#wire, value.to_string()));
                }
            });
        }
    }
    let summary = format!(" {}", endpoint.summary);
    let wire_doc = format!(" `{http_method} {{base}}{path}`.");
    let request_doc = format!(" The parameters of `{name}`: {}", endpoint.summary);
    let credential = match &endpoint.auth {
        Auth::Header(header) => format!("the `{header}` header"),
        Auth::Query(query) => format!("the `{query}` query parameter"),
    };
    let source_doc = format!(" Sent as `{http_method} {{base}}{path}`, the credential in {credential}.");
    let method_with = format_ident!("{}_with", endpoint.name);
    let with_doc = format!(" [`{name}`](Self::{name}) with options over the client's configuration.");
    let method_item = quote! {
        #[doc = #summary]
        ///
        #[doc = #wire_doc]
        pub async fn #method(&self, request: &#request) -> Result<ResponseValue<#response>, Error> {
            self.transport.execute(&#request::ENDPOINT, &request.params()).await
        }

        #[doc = #with_doc]
        pub async fn #method_with(
            &self,
            request: &#request,
            options: &CallOptions,
        ) -> Result<ResponseValue<#response>, Error> {
            self.transport.execute_with(&#request::ENDPOINT, &request.params(), options).await
        }
    };
    let has_required = params.iter().any(|(p, _)| p.required);
    let new_doc = if has_required { " A request with the required parameters." } else { " A request." };
    let derives = if has_required {
        quote! { #[derive(Clone, Debug, PartialEq, Eq)] }
    } else {
        quote! { #[derive(Clone, Debug, Default, PartialEq, Eq)] }
    };
    let params_body = if optional_pushes.is_empty() {
        quote! { vec![#(#required_values),*] }
    } else {
        quote! {
            let mut params: Vec<(&'static str, String)> = vec![#(#required_values),*];
            #(#optional_pushes)*
            params
        }
    };
    let request_item = quote! {
        #[doc = #request_doc]
        ///
        #[doc = #source_doc]
        #derives
        #[non_exhaustive]
        pub struct #request {
            #(#fields)*
        }

        impl #request {
            /// How the endpoint is called, as the manifest describes it.
            pub const ENDPOINT: EndpointSpec = EndpointSpec {
                name: #name,
                method: Method::#method_value,
                path: #path,
                body: #body,
                auth: #auth,
                params: &[#(#param_specs),*],
                checks: &[#(#checks),*],
                response_type: #response_name,
            };

            #[doc = #new_doc]
            pub fn new(#(#new_args),*) -> Self {
                #request { #(#new_inits)* }
            }

            #(#setters)*

            /// The parameters as they go on the wire.
            pub fn params(&self) -> Vec<(&'static str, String)> {
                #params_body
            }
        }
    };
    Ok((method_item, request_item))
}

/// The arm of `Client::call` for `endpoint`: the typed request from text.
fn dispatch_arm(endpoint: &Endpoint) -> TokenStream {
    let name = &endpoint.name;
    let request = request_type(endpoint);
    let method = format_ident!("{}", endpoint.name);
    let variant = format_ident!("{}", endpoint.name.to_pascal_case());
    let params = request_params(endpoint);
    let known: Vec<&str> = params.iter().map(|(p, _)| p.name.as_str()).collect();
    let required = params.iter().filter(|(p, _)| p.required).map(|(p, _)| {
        let wire = &p.name;
        let ty = param_type(p);
        let missing = format!("`{name}` needs the parameter `{wire}`");
        quote! { param::<#ty>(params, #wire)?.ok_or_else(|| Error::Request(#missing.to_owned()))? }
    });
    let optional = params.iter().filter(|(p, _)| !p.required).map(|(p, rust_name)| {
        let wire = &p.name;
        let ty = param_type(p);
        let setter = format_ident!("{}", rust_name);
        quote! {
            if let Some(value) = param::<#ty>(params, #wire)? {
                request = request.#setter(value);
            }
        }
    });
    let has_optional = params.iter().any(|(p, _)| !p.required);
    let binding = if has_optional {
        quote! { let mut request }
    } else {
        quote! { let request }
    };
    quote! {
        #name => {
            only_known(params, &[#(#known),*])?;
            #binding = #request::new(#(#required),*);
            #(#optional)*
            let response = self.#method(&request).await?;
            Ok(response.map(models::Response::#variant))
        }
    }
}
