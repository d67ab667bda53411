//! A throwaway workspace for generator tests.

use std::path::PathBuf;

/// A temporary folder with `schemas/endpoints.toml` naming one endpoint `e`
/// (response `EResponse`, schema `e.schema.json`, fixtures in `fixtures/e`),
/// removed on drop.
pub struct Workspace(
    pub PathBuf,
    /// Held for its `Drop`, which removes the folder.
    #[allow(dead_code)]
    tempfile::TempDir,
);

/// The manifest every test workspace starts with.
pub const MANIFEST: &str = r#"
[models]
crate_dir = "out"
shared = ["shared.schema.json"]
unknown_fields = "unknown_fields"

[[endpoint]]
name = "e"
summary = "An endpoint."
document = "doc.txt"
method = "GET"
path = "/e"
auth = { query = "token" }
envelope = [{ status = "/code", success = ["0"], message = ["/msg"] }]
response = "EResponse"
schema = "e.schema.json"
fixtures = "fixtures/e"
"#;

impl Workspace {
    /// A workspace named `name` holding the manifest and `files` (paths
    /// relative to its root).
    pub fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = tempfile::Builder::new().prefix(&format!("dylive-{name}-")).tempdir().expect("temp dir");
        let workspace = Workspace(dir.path().to_owned(), dir);
        workspace.write("schemas/endpoints.toml", MANIFEST);
        std::fs::create_dir_all(workspace.0.join("fixtures/e")).expect("temp dir");
        for (path, text) in files {
            workspace.write(path, text);
        }
        workspace
    }

    /// Writes `text` to `path` below the root.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("temp dir");
        }
        std::fs::write(path, text).expect("write");
    }
}
