//! `schemas/endpoints.toml`: the endpoints, where the generated crates go,
//! and every word about the project that the generated code prints.
//!
//! Each value with a fixed set of meanings is an enum, so that a wrong one
//! fails at load with the file and the key instead of changing what is sent.

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
    #[serde(rename = "endpoint", default)]
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
    /// The crate's documentation (Markdown; code blocks are doctests).
    #[serde(default)]
    pub docs: String,
}

/// The `[client]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCrate {
    /// The client crate's folder, relative to the workspace root.
    pub crate_dir: String,
    /// The Rust path of the model crate, as the client crate reaches it.
    pub models: String,
    /// The Rust path of the client crate, as its examples reach it; its
    /// package name is the same with `-` for `_`.
    pub name: String,
    /// The prefix of the environment variables the examples read:
    /// `<PREFIX>_BASE_URL` and `<PREFIX>_TOKEN`.
    pub env_prefix: String,
    /// The crate's documentation (Markdown; code blocks are doctests).
    #[serde(default)]
    pub docs: String,
    /// A Markdown file, relative to the workspace root, whose code blocks
    /// the client crate compiles as doctests.
    #[serde(default)]
    pub doctest_file: Option<String>,
}

/// One `[[endpoint]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// A snake_case name, unique among the endpoints.
    pub name: String,
    /// One line on what it returns.
    pub summary: String,
    /// The document it is described in, named in the generated docs.
    pub document: String,
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL.
    pub path: String,
    /// The request body, if the parameters travel in one.
    #[serde(default)]
    pub body: Option<Body>,
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

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// The content type of a request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Body {
    /// `multipart/form-data`: the parameters are form fields.
    #[serde(rename = "multipart/form-data")]
    Multipart,
}

/// How an endpoint takes its credential: `{ header = "Access-Token" }` or
/// `{ query = "token" }`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Auth {
    /// In this request header.
    Header(String),
    /// In this query parameter.
    Query(String),
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

/// One request parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// Where it travels; it must agree with the endpoint's body.
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// Whether the document marks it required.
    pub required: bool,
    /// The type the document gives.
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// The document's description.
    pub description: String,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    /// In the query string.
    Query,
    /// As a field of the form body.
    Form,
}

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Text.
    String,
    /// A whole number (`u64`).
    Int,
}

impl ParamType {
    /// The kind of value, as people read it: `string` or `integer`.
    pub fn describe(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Int => "integer",
        }
    }
}

impl Endpoint {
    /// Where this endpoint's parameters travel.
    pub fn param_location(&self) -> ParamLocation {
        match self.body {
            Some(Body::Multipart) => ParamLocation::Form,
            None => ParamLocation::Query,
        }
    }
}

impl Manifest {
    /// Reads the manifest of the workspace at `root`.
    pub fn load(root: &Path) -> Result<Self, Error> {
        let path = root.join("schemas/endpoints.toml");
        let text = crate::read(&path)?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| Error::Manifest(path.clone(), e.to_string()))?;
        manifest.validate().map_err(|message| Error::Manifest(path, message))?;
        Ok(manifest)
    }

    fn validate(&self) -> Result<(), String> {
        let mut names: Vec<&str> = self.endpoints.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(format!("endpoint `{}` is listed twice", pair[0]));
        }
        for endpoint in &self.endpoints {
            let expected = endpoint.param_location();
            let credential = match &endpoint.auth {
                Auth::Query(name) => Some(name.as_str()),
                Auth::Header(_) => None,
            };
            for param in &endpoint.params {
                if param.location != expected && credential != Some(param.name.as_str()) {
                    return Err(format!(
                        "endpoint `{}`, parameter `{}`: `in = {:?}`, but the endpoint's parameters travel in the {}",
                        endpoint.name,
                        param.name,
                        param.location,
                        match expected {
                            ParamLocation::Query => "query",
                            ParamLocation::Form => "form body",
                        }
                    ));
                }
            }
        }
        Ok(())
    }

    /// The schema files, shared ones first, each once.
    pub fn schema_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self.models.shared.iter().map(String::as_str).collect();
        for endpoint in &self.endpoints {
            if !files.contains(&endpoint.schema.as_str()) {
                files.push(&endpoint.schema);
            }
        }
        files
    }
}
