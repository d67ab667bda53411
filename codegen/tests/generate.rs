//! The generator on small schema sets: a golden text for what it writes, and
//! the schemas it refuses with a message.

use std::path::{Path, PathBuf};

use dylive_codegen::{generate, Output};

/// A throwaway workspace holding `endpoints.toml` and the schema files.
struct Workspace(PathBuf);

impl Workspace {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let root = std::env::temp_dir().join(format!("dylive-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("schemas")).expect("temp dir");
        for (file, text) in files {
            std::fs::write(root.join("schemas").join(file), text).expect("write");
        }
        Workspace(root)
    }

    fn generate(&self) -> Result<Output, String> {
        generate(&self.0).map_err(|e| e.to_string())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const MANIFEST: &str = r#"
[models]
crate_dir = "out"
shared = ["shared.schema.json"]
unknown_fields = "unknown_fields"

[[endpoint]]
name = "thing"
summary = "A thing."
document = "doc.txt"
method = "GET"
path = "/thing"
auth = { query = "token" }
envelope = [{ status = "/code", success = ["0"], message = ["/msg"] }]
response = "ThingResponse"
schema = "thing.schema.json"
fixtures = "fixtures/thing"
"#;

const SHARED: &str = r##"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Shared",
  "definitions": {
    "Image": {
      "description": "An image.",
      "type": "object",
      "properties": {
        "uri": { "type": "string", "description": "Where it is." },
        "width": { "type": "integer" },
        "ratio": { "type": "number" },
        "urls": { "type": "array", "items": { "type": "string" } }
      },
      "required": ["uri"]
    },
    "Icons": {
      "oneOf": [
        { "type": "object", "additionalProperties": { "$ref": "#/definitions/Image" } },
        { "type": "array", "items": { "$ref": "#/definitions/Image" } }
      ]
    }
  }
}"##;

fn thing(properties: &str) -> String {
    format!(
        r##"{{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "ThingResponse",
  "description": "The response.",
  "type": "object",
  "properties": {properties}
}}"##
    )
}

fn files(thing_schema: &str) -> Vec<(&'static str, String)> {
    vec![
        ("endpoints.toml", MANIFEST.to_owned()),
        ("shared.schema.json", SHARED.to_owned()),
        ("thing.schema.json", thing_schema.to_owned()),
    ]
}

fn workspace(name: &str, thing_schema: &str) -> Workspace {
    let files = files(thing_schema);
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    Workspace::new(name, &borrowed)
}

#[test]
fn golden_output() {
    let schema = thing(
        r##"{
    "zeta": { "$ref": "#/definitions/Code" },
    "extra": { "$ref": "shared.schema.json#/definitions/Image" },
    "icons": { "$ref": "shared.schema.json#/definitions/Icons" },
    "JAccreditBasic": { "type": "integer" },
    "anything": {},
    "maybe": { "type": ["boolean", "null"] }
  },
  "definitions": { "Code": { "description": "A code.", "type": ["integer", "string"] } }"##,
    );
    let output = workspace("golden", &schema).generate().expect("generates");
    assert_eq!(output.owned_dirs, [Path::new("out/src")]);
    for file in &output.files {
        assert!(file.contents.starts_with(dylive_codegen::HEADER), "{}", file.path.display());
        insta::assert_snapshot!(file.path.display().to_string().replace('/', "__"), file.contents);
    }
}

#[test]
fn output_is_the_same_on_every_run() {
    let schema = thing(r#"{ "a": { "type": "integer" } }"#);
    let ws = workspace("repeat", &schema);
    let first = ws.generate().expect("generates").files;
    let second = ws.generate().expect("generates").files;
    assert_eq!(first, second);
}

#[test]
fn an_inline_object_is_refused_with_a_hint() {
    let schema = thing(r#"{ "inner": { "type": "object", "properties": { "a": { "type": "integer" } } } }"#);
    let error = workspace("inline", &schema).generate().expect_err("refused");
    assert!(error.contains("give it a name under `definitions`"), "{error}");
}

#[test]
fn a_union_of_two_objects_is_refused() {
    let schema = thing(
        r##"{ "u": { "$ref": "#/definitions/U" } },
  "definitions": {
    "U": { "oneOf": [
      { "$ref": "shared.schema.json#/definitions/Image" },
      { "type": "object", "additionalProperties": { "type": "string" } }
    ] }
  }"##,
    );
    let error = workspace("ambiguous", &schema).generate().expect_err("refused");
    assert!(error.contains("two variants of kind Object"), "{error}");
}

#[test]
fn a_name_defined_twice_is_refused() {
    let schema = thing(
        r##"{ "a": { "type": "integer" } },
  "definitions": { "Image": { "type": "object", "properties": {} } }"##,
    );
    let error = workspace("twice", &schema).generate().expect_err("refused");
    assert!(error.contains("`Image` is defined in module `shared` already"), "{error}");
}
