//! The generator behind `cargo xtask regen`.
//!
//! It works in two steps, as a compiler does:
//!
//! 1. [`model::load`] reads `schemas/endpoints.toml` ([`manifest`]) and the
//!    draft-07 schemas it names, once, and builds the intermediate
//!    [`model::Model`]: types, fields (JSON and Rust name, type, required,
//!    nullable, docs), unions, maps and endpoints. typify resolves the
//!    schemas; the model keeps the schemas' order and docs beside typify's
//!    types.
//! 2. The renderers of [`render`] print the model: each module of the model
//!    crate, its `lib.rs`, the client crate and its examples. Every struct
//!    keeps unknown properties and tells absent from `null`, every number
//!    keeps its text, and each type carries its description as data for
//!    tools. The output is formatted with prettyplease, so no rustfmt is
//!    needed, and is the same on every run.
//!
//! [`infer`] is the third tool: it derives the schemas from the fixtures.

pub mod api;
pub mod changes;
pub mod docs;
pub mod infer;
pub mod manifest;
pub mod model;
pub mod release;
pub mod render;

use std::path::{Path, PathBuf};

pub use manifest::Manifest;
pub use model::field_name;
pub use render::HEADER;

/// A failure to generate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The manifest is not as expected.
    #[error("{path}: {message}", path = .0.display(), message = .1)]
    Manifest(PathBuf, String),
    /// A schema file is not as expected.
    #[error("{path}: {message}", path = .0.display(), message = .1)]
    Schema(PathBuf, String),
    /// typify refused the schemas.
    #[error("typify: {0}")]
    Typify(String),
    /// The schemas use something the generator has no lossless form for.
    #[error("{0}")]
    Unsupported(String),
    /// A fixture is not JSON.
    #[error("{path}:{line}:{column}: {message}; fix it, or pass `--skip {path}`")]
    Fixture {
        /// The file, relative to the workspace root.
        path: String,
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The generated code does not parse (a bug in the generator).
    #[error("generated code does not parse: {0}")]
    Syntax(String),
}

/// One file the generator writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path, relative to the workspace root.
    pub path: PathBuf,
    /// The full contents.
    pub contents: String,
}

/// Everything the generator writes, and the folders it owns: a file in one
/// of them that is not among `files` has lost its source.
#[derive(Debug)]
pub struct Output {
    /// The files, in a stable order.
    pub files: Vec<GeneratedFile>,
    /// Folders whose every file is generated, relative to the root.
    pub owned_dirs: Vec<PathBuf>,
    /// The API the files make, to compare with the one recorded at the
    /// current version.
    pub api: api::Api,
    /// The generated crates' folders, relative to the root, each with the
    /// part of the API it holds: the model crate first.
    pub crates: Vec<(release::Role, PathBuf)>,
}

pub(crate) fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

/// Generates every file from the schemas of the workspace at `root`.
pub fn generate(root: &Path) -> Result<Output, Error> {
    let model = model::load(root)?;
    let models_src = PathBuf::from(&model.manifest.models.crate_dir).join("src");
    let mut files = Vec::new();
    for module in &model.modules {
        files.push(GeneratedFile {
            path: models_src.join(format!("{}.rs", module.name)),
            contents: render::format_file(render::models::module(&model, module))?,
        });
    }
    files.push(GeneratedFile {
        path: models_src.join("fixtures.rs"),
        contents: render::format_file(render::fixtures::render(root, &model)?)?,
    });
    files.push(GeneratedFile {
        path: models_src.join("lib.rs"),
        contents: render::format_file(render::lib_rs::render(&model))?,
    });
    let mut owned_dirs = vec![models_src];
    if let Some(lossy) = render::lossy::dir(root, &model) {
        files.push(GeneratedFile {
            path: lossy.join("mod.rs"),
            contents: render::format_file(render::lossy::render(root, &model)?)?,
        });
        owned_dirs.push(lossy);
    }
    if let Some(client) = &model.manifest.client {
        let dir = PathBuf::from(&client.crate_dir);
        files.push(GeneratedFile {
            path: dir.join("src/lib.rs"),
            contents: render::format_file(render::client::render(&model, client)?)?,
        });
        for endpoint in &model.manifest.endpoints {
            files.push(GeneratedFile {
                path: dir.join("examples").join(format!("{}.rs", endpoint.name)),
                contents: render::format_file(render::examples::render(client, endpoint)?)?,
            });
        }
        owned_dirs.extend([dir.join("src"), dir.join("examples")]);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let crates = release::generated_crates(&model.manifest);
    Ok(Output { files, owned_dirs, api: api::Api::of(&model), crates })
}
