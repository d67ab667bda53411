//! The inference rules on small hand-written samples, each with its golden
//! schemas and report; and the report on the project's own fixtures.

use std::path::Path;

use dylive_codegen::infer::{infer, Inference};

mod common;

use common::Workspace;

/// A workspace whose endpoint `e` has `fixtures` as `fixtures/e/<n>.json`,
/// with `files` besides.
fn workspace(name: &str, fixtures: &[&str], files: &[(&str, &str)]) -> Workspace {
    let workspace = Workspace::new(&format!("infer-{name}"), files);
    for (index, fixture) in fixtures.iter().enumerate() {
        workspace.write(&format!("fixtures/e/{index}.json"), fixture);
    }
    workspace
}

fn run(workspace: &Workspace) -> Inference {
    infer(&workspace.0, &[]).unwrap_or_else(|e| panic!("infers: {e}"))
}

/// Writes what inference produced, as `cargo xtask infer` does.
fn write(workspace: &Workspace, inference: &Inference) {
    for file in &inference.files {
        workspace.write(&file.path.to_string_lossy(), &file.contents);
    }
}

/// The report and every file, for a golden snapshot.
fn golden(inference: &Inference) -> String {
    let mut out = format!("{}", inference.report);
    for file in &inference.files {
        out.push_str(&format!("\n=== {}\n{}", file.path.display(), file.contents));
    }
    out
}

#[test]
fn kinds_ranges_optional_and_nullable() {
    let ws = workspace(
        "kinds",
        &[
            r#"{"id": 1, "big": 9223372036854775808, "ratio": 1, "name": "a", "gone": 1, "maybe": null, "list": []}"#,
            r#"{"id": -2, "big": 18446744073709551615, "ratio": 0.5, "name": "b", "maybe": true, "list": [1]}"#,
        ],
        &[],
    );
    insta::assert_snapshot!(golden(&run(&ws)));
}

#[test]
fn unions_maps_and_empty_containers() {
    let ws = workspace(
        "unions",
        &[
            r#"{"code": 0, "icons": {"0": {"uri": "a", "width": 1}, "7": {"uri": "b", "width": 2}}, "prefer": {}, "seen_empty": []}"#,
            r#"{"code": "0", "icons": [{"uri": "c", "width": 3}], "prefer": [], "seen_empty": []}"#,
        ],
        &[],
    );
    insta::assert_snapshot!(golden(&run(&ws)));
}

#[test]
fn same_and_near_subset_shapes_become_one_type() {
    let image = r#"{"uri": "u", "url_list": ["x"], "width": 1, "height": 2, "avg_color": ""}"#;
    let fixture = format!(
        r#"{{"user": {{"nickname": "n", "avatar_thumb": {image}, "avatar_large": {{"uri": "u", "url_list": [], "width": 1, "height": 2}}}},
            "cover": {image}, "extra": {{"now": 1}}, "stream": {{"extra": {{"fps": 30}}}}}}"#
    );
    let ws = workspace(
        "dedup",
        &[&fixture],
        &[("schemas/names.toml", "[names]\n\"avatar_thumb\" = \"Image\"\n\"user\" = \"User\"\n")],
    );
    let first = run(&ws);
    insta::assert_snapshot!(golden(&first));
    // The names given by shape and by property are written to names.toml,
    // and the next run keeps them.
    write(&ws, &first);
    let second = run(&ws);
    assert_eq!(first.files, second.files);
}

#[test]
fn hand_edits_survive_and_vanished_fields_stay() {
    let ws = workspace("edits", &[r#"{"a": 1, "b": "x"}"#], &[]);
    write(&ws, &run(&ws));
    let schema = ws.0.join("schemas/e.schema.json");
    let text = std::fs::read_to_string(&schema).expect("written");
    // A person documents the type and a property, marks one written by
    // hand, and a later fixture no longer has `b` but has a new `c`.
    let edited = text
        .replacen(r#""title": "EResponse","#, r#""title": "EResponse", "description": "The response.","#, 1)
        .replacen(r#""type": "integer""#, r#""type": "integer", "description": "The a.""#, 1)
        .replacen(
            r#""type": "string""#,
            r#""type": ["string", "integer"], "$comment": "override: b is sometimes a number""#,
            1,
        );
    std::fs::write(&schema, edited).expect("write");
    std::fs::write(ws.0.join("fixtures/e/0.json"), r#"{"a": 2, "c": true}"#).expect("write");
    insta::assert_snapshot!(golden(&run(&ws)));
}

#[test]
fn a_fixture_that_is_not_json_is_refused_with_its_position() {
    let invalid =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audience.invalid.json"))
            .expect("test data");
    let ws = workspace("invalid", &[r#"{"a": 1}"#, &invalid], &[]);
    let error = infer(&ws.0, &[]).map(|_| ()).expect_err("refused").to_string();
    assert_eq!(error.split(": ").next(), Some("fixtures/e/1.json:188:13"), "{error}");
    assert!(error.contains("--skip fixtures/e/1.json"), "{error}");
    let skipped = infer(&ws.0, &[ws.0.join("fixtures/e/1.json")]).expect("goes on when told to skip");
    assert_eq!(skipped.report.skipped, ["fixtures/e/1.json"]);
    assert_eq!(skipped.report.fixtures, ["fixtures/e/0.json"]);
}

/// What inference makes of the project's own fixtures, so that a change of
/// the rules or the fixtures shows in review.
#[test]
fn report_on_the_project_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let inference = infer(root, &[]).expect("infers");
    insta::assert_snapshot!(inference.report.to_string());
    // And the checked-in schemas are what inference makes of them.
    for file in &inference.files {
        let on_disk = std::fs::read_to_string(root.join(&file.path)).unwrap_or_default();
        assert!(on_disk == file.contents, "{} is not what `cargo xtask infer` makes", file.path.display());
    }
}
