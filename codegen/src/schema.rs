//! Loads the schema files and merges them into one set of definitions.

use std::path::Path;

use schemars::schema::{RootSchema, Schema, SchemaObject};

use crate::Error;

/// One named definition and the module (schema file) it comes from.
pub struct Definition {
    /// The type name: the key under `definitions`, or the root's `title`.
    pub name: String,
    /// The module of the generated crate it goes to.
    pub module: String,
    /// The schema.
    pub schema: SchemaObject,
}

/// A schema file turned into a module of the generated crate.
pub struct Module {
    /// The module name: the file name without `.schema.json`.
    pub name: String,
    /// The file, relative to `schemas/`.
    pub file: String,
    /// The file's root `title` and `description`, for the module's docs.
    pub title: Option<String>,
    /// The file's root description.
    pub description: Option<String>,
}

/// All definitions of all schema files, in file order.
pub struct SchemaSet {
    /// The modules, in the order the files were given.
    pub modules: Vec<Module>,
    /// The definitions.
    pub definitions: Vec<Definition>,
}

impl SchemaSet {
    /// Loads `files` (relative to `schema_dir`). A `$ref` to another of the
    /// files (`douyin.schema.json#/definitions/User`) becomes a local one, so
    /// that all definitions share one namespace; a name defined twice is an
    /// error.
    pub fn load(schema_dir: &Path, files: &[String]) -> Result<Self, Error> {
        let mut set = SchemaSet { modules: Vec::new(), definitions: Vec::new() };
        for file in files {
            let path = schema_dir.join(file);
            let mut text = crate::read(&path)?;
            for other in files {
                text = text.replace(&format!("\"{other}#/"), "\"#/");
            }
            let root: RootSchema =
                serde_json::from_str(&text).map_err(|e| Error::Schema(path.clone(), e.to_string()))?;
            let module = file.trim_end_matches(".json").trim_end_matches(".schema").replace('-', "_");
            let metadata = root.schema.metadata.as_deref();
            let title = metadata.and_then(|m| m.title.clone());
            let description = metadata.and_then(|m| m.description.clone());
            if root.schema.object.is_some() {
                let name = title.clone().ok_or_else(|| {
                    Error::Schema(path.clone(), "a root object schema needs a `title` to name its type".into())
                })?;
                set.push(&path, name, &module, root.schema.clone())?;
            }
            for (name, schema) in root.definitions {
                let Schema::Object(schema) = schema else {
                    return Err(Error::Schema(path.clone(), format!("definition `{name}` is a boolean schema")));
                };
                set.push(&path, name, &module, schema)?;
            }
            set.modules.push(Module { name: module, file: file.clone(), title, description });
        }
        Ok(set)
    }

    fn push(&mut self, path: &Path, name: String, module: &str, schema: SchemaObject) -> Result<(), Error> {
        if let Some(existing) = self.definitions.iter().find(|d| d.name == name) {
            return Err(Error::Schema(
                path.to_owned(),
                format!("`{name}` is defined in module `{}` already", existing.module),
            ));
        }
        self.definitions.push(Definition { name, module: module.to_owned(), schema });
        Ok(())
    }

    /// The definition named `name`.
    pub fn get(&self, name: &str) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.name == name)
    }
}
