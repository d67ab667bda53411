//! The generator on small schema sets: the same output on every run, and
//! the schemas it refuses with a message. (The expected output of whole
//! cases is in `golden.rs`.)

use dylive_codegen::{generate, Output};

mod common;

use common::Workspace;

fn generate_in(workspace: &Workspace) -> Result<Output, String> {
    generate(&workspace.0, &dylive_codegen::header("cargo xtask regen")).map_err(|e| e.to_string())
}

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

fn endpoint_schema(properties: &str) -> String {
    format!(
        r##"{{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "EResponse",
  "description": "The response.",
  "type": "object",
  "properties": {properties}
}}"##
    )
}

fn workspace(name: &str, schema: &str) -> Workspace {
    Workspace::new(
        &format!("generate-{name}"),
        &[("schemas/shared.schema.json", SHARED), ("schemas/e.schema.json", schema)],
    )
}

#[test]
fn output_is_the_same_on_every_run() {
    let schema = endpoint_schema(r#"{ "a": { "type": "integer" } }"#);
    let ws = workspace("repeat", &schema);
    let first = generate_in(&ws).expect("generates").files;
    let second = generate_in(&ws).expect("generates").files;
    assert_eq!(first, second);
}

#[test]
fn an_inline_object_is_refused_with_a_hint() {
    let schema = endpoint_schema(r#"{ "inner": { "type": "object", "properties": { "a": { "type": "integer" } } } }"#);
    let error = generate_in(&workspace("inline", &schema)).expect_err("refused");
    assert!(error.contains("give it a name under `definitions`"), "{error}");
}

#[test]
fn a_union_of_two_objects_is_refused() {
    let schema = endpoint_schema(
        r##"{ "u": { "$ref": "#/definitions/U" } },
  "definitions": {
    "U": { "oneOf": [
      { "$ref": "shared.schema.json#/definitions/Image" },
      { "type": "object", "additionalProperties": { "type": "string" } }
    ] }
  }"##,
    );
    let error = generate_in(&workspace("ambiguous", &schema)).expect_err("refused");
    assert!(error.contains("two variants of kind Object"), "{error}");
}

#[test]
fn a_name_defined_twice_is_refused() {
    let schema = endpoint_schema(
        r##"{ "a": { "type": "integer" } },
  "definitions": { "Image": { "type": "object", "properties": {} } }"##,
    );
    let error = generate_in(&workspace("twice", &schema)).expect_err("refused");
    assert!(error.contains("`Image` is defined in module `shared` already"), "{error}");
}

#[test]
fn a_type_named_like_one_the_generated_code_uses_is_refused() {
    let schema = endpoint_schema(
        r##"{ "a": { "$ref": "#/definitions/Field" } },
  "definitions": { "Field": { "type": "object", "properties": { "b": { "type": "string" } } } }"##,
    );
    let error = generate_in(&workspace("reserved", &schema)).expect_err("refused");
    assert!(error.contains("type `Field` (module `e`) has a name the generated code uses"), "{error}");
}
