//! `schemas/endpoints.toml`: the endpoints and where their parts live.

use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// The whole manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Where the model crate goes and what is shared.
    pub models: Models,
    /// Where the client crate goes; no client without it.
    #[serde(default)]
    pub client: Option<ClientCrate>,
    /// The endpoints, in the order the generated code lists them.
    #[serde(rename = "endpoint")]
    pub endpoints: Vec<Endpoint>,
}

/// The `[models]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Models {
    /// The model crate's folder, relative to the workspace root.
    pub crate_dir: String,
    /// Schema files of shared definitions, relative to `schemas/`.
    pub shared: Vec<String>,
    /// The name of the catch-all field of every generated struct.
    pub unknown_fields: String,
}

/// One `[[endpoint]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// A snake_case name, unique among the endpoints.
    pub name: String,
    /// One line on what it returns.
    pub summary: String,
    /// The document it is described in.
    pub document: String,
    /// The HTTP method.
    pub method: String,
    /// The path below the base URL.
    pub path: String,
    /// The request body's content type, if it has a body.
    #[serde(default)]
    pub body: Option<String>,
    /// How the credential is sent.
    pub auth: Auth,
    /// How the API reports a failure inside a 2xx body.
    #[serde(default)]
    pub envelope: Vec<EnvelopeCheck>,
    /// The name of the response's type: the title of its schema.
    pub response: String,
    /// The response schema, relative to `schemas/`.
    pub schema: String,
    /// The folder of captured responses, relative to the workspace root.
    pub fixtures: String,
    /// The request parameters.
    #[serde(default)]
    pub params: Vec<Param>,
}

/// One status field of a response and its values that mean success.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeCheck {
    /// The JSON Pointer of the status field.
    pub status: String,
    /// The values that mean success, as text.
    pub success: Vec<String>,
    /// JSON Pointers of the message; the first present one is taken.
    #[serde(default)]
    pub message: Vec<String>,
}

/// The `[client]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCrate {
    /// The client crate's folder, relative to the workspace root.
    pub crate_dir: String,
}

/// How an endpoint takes its credential.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// A request header carrying the credential.
    #[serde(default)]
    pub header: Option<String>,
    /// A query parameter carrying the credential.
    #[serde(default)]
    pub query: Option<String>,
}

/// One request parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// Where it goes: `query` or `form`.
    #[serde(rename = "in")]
    pub location: String,
    /// Whether the document marks it required.
    pub required: bool,
    /// The type the document gives.
    #[serde(rename = "type")]
    pub kind: String,
    /// The document's description.
    pub description: String,
}

impl Manifest {
    /// Reads the manifest of the workspace at `root`.
    pub fn load(root: &Path) -> Result<Self, Error> {
        let path = root.join("schemas/endpoints.toml");
        let text = crate::read(&path)?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| Error::Manifest(path.clone(), e.to_string()))?;
        let mut names: Vec<&str> = manifest.endpoints.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(Error::Manifest(path, format!("endpoint `{}` is listed twice", pair[0])));
        }
        Ok(manifest)
    }
}
