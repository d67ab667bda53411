//! `examples/<endpoint>.rs` of the client crate: a program that calls one
//! endpoint and prints the response.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::{request_params, request_type, rust_path};
use crate::manifest::{ClientCrate, Endpoint, Param, ParamType};
use crate::Error;

/// `examples/<endpoint>.rs`: calls the endpoint and prints the response.
pub fn render(client: &ClientCrate, endpoint: &Endpoint) -> Result<TokenStream, Error> {
    let crate_path = rust_path(client, &client.name)?;
    let request = request_type(endpoint);
    let method = format_ident!("{}", endpoint.name);
    let required: Vec<&Param> =
        request_params(endpoint).into_iter().filter(|(p, _)| p.required).map(|(p, _)| p).collect();
    let names: Vec<String> = required.iter().map(|p| p.name.to_uppercase()).collect();
    let prefix = &client.env_prefix;
    let (base_var, token_var) = (format!("{prefix}_BASE_URL"), format!("{prefix}_TOKEN"));
    let usage = format!(
        "usage: {base_var}=URL {token_var}=TOKEN cargo run -p {} --example {} -- {}",
        client.name.replace('_', "-"),
        endpoint.name,
        names.join(" ")
    );
    let args = required.iter().map(|p| {
        let what = format!("{usage} (missing {})", p.name.to_uppercase());
        if p.kind == ParamType::Int {
            quote! { args.next().ok_or(#what)?.parse::<u64>()? }
        } else {
            quote! { args.next().ok_or(#what)? }
        }
    });
    let docs = super::inner_docs(&format!("{}\n\n`{usage}`", endpoint.summary));
    let read_args = (!required.is_empty()).then(|| quote! { let mut args = std::env::args().skip(1); });
    Ok(quote! {
        #docs

        use #crate_path::{Client, #request};

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let base_url = std::env::var(#base_var).map_err(|_| #usage)?;
            let token = std::env::var(#token_var).map_err(|_| #usage)?;
            #read_args
            let request = #request::new(#(#args),*);
            let client = Client::new(base_url, token)?;
            let response = client.#method(&request).await?;
            println!("{}", response.to_json());
            Ok(())
        }
    })
}
