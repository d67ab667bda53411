//! `fixtures.rs` of the model crate, behind its `fixtures` feature: every
//! fixture of every endpoint as bytes, for consumers' tests and the mock.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Model;
use crate::Error;

/// The fixtures of each endpoint, as infer reads them, with their paths
/// relative to the workspace root; an endpoint without a folder has none.
pub fn files(root: &Path, model: &Model) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out = Vec::new();
    for endpoint in &model.manifest.endpoints {
        let dir = root.join(&endpoint.fixtures);
        if !dir.is_dir() {
            continue;
        }
        for file in crate::infer::fixture_files(&dir)? {
            let relative = file.strip_prefix(root).map(Path::to_owned).unwrap_or(file);
            out.push((endpoint.name.clone(), relative));
        }
    }
    Ok(out)
}

/// The module: `Fixture`s with their bytes included from the fixtures
/// folders, found from the model crate's folder.
pub fn render(root: &Path, model: &Model) -> Result<TokenStream, Error> {
    let depth = Path::new(&model.manifest.models.crate_dir).join("src").components().count();
    let up = "../".repeat(depth);
    let files = files(root, model)?;
    let example = files.first().map(|(endpoint, _)| endpoint.as_str()).unwrap_or("endpoint");
    let module_docs = super::inner_docs(&format!(
        "The fixtures every model is tested on, as bytes by endpoint and as\n\
         decoded values: the documented examples first, then captured\n\
         responses. Enabled by the `fixtures` feature, for a service's own\n\
         tests and for a mock of the API.\n\n\
         ```\n\
         use {krate}::fixtures;\n\n\
         for fixture in fixtures::of({example:?}) {{\n    \
             let response = fixture.decode()?;\n    \
             assert_eq!(response.endpoint(), {example:?});\n\
         }}\n\
         assert!(fixtures::all().iter().all(|f| f.decode().is_ok()));\n\
         # Ok::<(), {krate}::DecodeError>(())\n\
         ```",
        krate = model.manifest.models.crate_dir.rsplit('/').next().unwrap_or_default().replace('-', "_"),
    ));
    let entries = files.into_iter().map(|(endpoint, path)| {
        let relative = path.to_string_lossy().replace('\\', "/");
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let include = format!("{up}{relative}");
        quote! { Fixture { endpoint: #endpoint, name: #name, path: #relative, body: include_bytes!(#include) }, }
    });
    Ok(quote! {
        #module_docs

        use crate::{DecodeError, Response};

        /// One fixture: a response body of one endpoint.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Fixture {
            /// The endpoint it is a response of, as [`crate::ENDPOINTS`] names it.
            pub endpoint: &'static str,
            /// Its file name.
            pub name: &'static str,
            /// Its path in the repository, from the workspace root.
            pub path: &'static str,
            /// The body, as captured.
            pub body: &'static [u8],
        }

        impl Fixture {
            /// The body decoded as its endpoint's response.
            pub fn decode(&self) -> Result<Response, DecodeError> {
                Response::decode(self.endpoint, self.body).unwrap_or_else(|| {
                    Err(DecodeError::custom(format!("no endpoint named `{}`", self.endpoint), "", self.body))
                })
            }
        }

        /// Every fixture, endpoint by endpoint in the manifest's order, each
        /// endpoint's by file name.
        pub fn all() -> &'static [Fixture] {
            FIXTURES
        }

        /// The fixtures of the endpoint named `endpoint`; none for an
        /// unknown name.
        pub fn of(endpoint: &str) -> impl Iterator<Item = &'static Fixture> + '_ {
            FIXTURES.iter().filter(move |fixture| fixture.endpoint == endpoint)
        }

        const FIXTURES: &[Fixture] = &[#(#entries)*];
    })
}
