//! The manifest, the schemas and the fixtures, built into the binary.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

use serde::Deserialize;

/// What the tool needs of `schemas/endpoints.toml`.
#[derive(Debug, Deserialize)]
pub struct Manifest {
    #[serde(rename = "endpoint")]
    pub endpoints: Vec<Endpoint>,
}

/// One endpoint.
#[derive(Debug, Deserialize)]
pub struct Endpoint {
    pub name: String,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub body: Option<String>,
    pub auth: Auth,
    #[serde(default)]
    pub envelope: Vec<Check>,
    pub response: String,
    #[serde(default)]
    pub params: Vec<Param>,
}

/// How the credential travels.
#[derive(Debug, Deserialize)]
pub struct Auth {
    pub header: Option<String>,
    pub query: Option<String>,
}

/// One status field and its values that mean success.
#[derive(Debug, Deserialize)]
pub struct Check {
    pub status: String,
    pub success: Vec<String>,
    #[serde(default)]
    pub message: Vec<String>,
}

/// One request parameter.
#[derive(Debug, Deserialize)]
pub struct Param {
    pub name: String,
    pub required: bool,
}

/// The manifest built into the binary.
pub fn manifest() -> Manifest {
    // Checked at build time: the build script parsed the same text.
    toml::from_str(MANIFEST).unwrap_or_else(|e| panic!("the built-in manifest: {e}"))
}

/// The schema definitions of every file by name, and each endpoint's root.
pub fn definitions() -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut definitions = std::collections::BTreeMap::new();
    for (_, text) in SCHEMAS {
        let Ok(mut schema) = serde_json::from_str::<serde_json::Value>(text) else { continue };
        if let Some(serde_json::Value::Object(defs)) = schema.as_object_mut().and_then(|s| s.remove("definitions")) {
            definitions.extend(defs);
        }
        if let Some(title) = schema.get("title").and_then(|t| t.as_str()).filter(|_| schema.get("properties").is_some()) {
            definitions.insert(title.to_owned(), schema.clone());
        }
    }
    definitions
}
