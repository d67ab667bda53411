//! typify's own output for the same schemas, as a benchmark's yardstick:
//! plain serde derives that drop unknown properties, fold `null` into
//! absent and read numbers as `i64`/`f64`. The model crate's benchmark
//! measures the generated lossless types against it, as the cost of
//! losslessness.
//!
//! Unlike the other renderers this one does not print the model: it hands
//! the schemas to typify as they are and prints what typify makes of them,
//! so nothing of the lossless generator leaks in.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use schemars::schema::{RootSchema, Schema};
use typify::{TypeSpace, TypeSpaceSettings};

use super::inner_docs;
use crate::model::Model;
use crate::Error;

/// Where the file goes, relative to the workspace root: a folder of its
/// own below the model crate's `benches/`, owned by the generator. `None`
/// when the model crate has no `benches/` folder: then there is nothing to
/// measure against it.
pub fn dir(root: &Path, model: &Model) -> Option<PathBuf> {
    let benches = PathBuf::from(&model.manifest.models.crate_dir).join("benches");
    root.join(&benches).is_dir().then(|| benches.join("lossy"))
}

/// The file's items: every definition of every schema file named by the
/// manifest (and each endpoint's root object), as typify derives them.
pub fn render(root: &Path, model: &Model) -> Result<TokenStream, Error> {
    let mut definitions: Vec<(String, Schema)> = Vec::new();
    for file in model.manifest.schema_files() {
        let path = root.join("schemas").join(file);
        let mut value: serde_json::Value =
            serde_json::from_str(&crate::read(&path)?).map_err(|e| Error::Schema(path.clone(), e.to_string()))?;
        // The model has checked every reference already; here each one
        // only loses its file name, as all definitions share one namespace.
        local_refs(&mut value);
        let parsed: RootSchema =
            serde_json::from_value(value).map_err(|e| Error::Schema(path.clone(), e.to_string()))?;
        if parsed.schema.object.is_some() {
            if let Some(title) = parsed.schema.metadata.as_ref().and_then(|m| m.title.clone()) {
                definitions.push((title, Schema::Object(parsed.schema.clone())));
            }
        }
        definitions.extend(parsed.definitions);
    }
    let mut space = TypeSpace::new(&TypeSpaceSettings::default());
    space.add_ref_types(definitions).map_err(|e| Error::Typify(e.to_string()))?;
    let types = space.to_stream();
    let docs = inner_docs(
        "typify's own serde types for `schemas/`: lossy (unknown properties dropped,\n\
         `null` read as absent, numbers as `i64`/`f64`), the benchmark's yardstick.",
    );
    Ok(quote! {
        #docs
        #![allow(dead_code, clippy::all)]

        #types
    })
}

/// Drops the file part of every `$ref` in `value`.
fn local_refs(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                match member {
                    serde_json::Value::String(reference) if key == "$ref" => {
                        if let Some(at) = reference.find('#') {
                            reference.drain(..at);
                        }
                    }
                    _ => local_refs(member),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(local_refs),
        _ => {}
    }
}
