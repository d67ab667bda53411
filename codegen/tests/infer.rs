//! The inference rules on small hand-written samples, each with its golden
//! schemas and report; and what adding one capture changes.

use std::path::Path;

use dylive_codegen::infer::{infer, Inference};
use similar::{ChangeTag, TextDiff};

mod common;

use common::{Workspace, MANIFEST};

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

/// The test manifest with a second endpoint `f`, a copy of `e`.
fn two_endpoints() -> String {
    let e = &MANIFEST[MANIFEST.find("[[endpoint]]").expect("the manifest has an endpoint")..];
    let f = e
        .replace(r#"name = "e""#, r#"name = "f""#)
        .replace(r#"path = "/e""#, r#"path = "/f""#)
        .replace("EResponse", "FResponse")
        .replace("e.schema.json", "f.schema.json")
        .replace("fixtures/e", "fixtures/f");
    for part in [r#"name = "f""#, "FResponse", r#""f.schema.json""#, r#""fixtures/f""#] {
        assert!(f.contains(part), "the endpoint `e` of the test manifest changed: {e}");
    }
    format!("{MANIFEST}\n{f}")
}

/// Endpoints `e` and `f` whose users (`User`, named in names.toml) share
/// images and grades, with the fixtures and names of `tests/data/infer`.
fn shared_workspace(name: &str) -> Workspace {
    let manifest = two_endpoints();
    let ws = Workspace::new(
        &format!("infer-{name}"),
        &[("schemas/endpoints.toml", &manifest), ("schemas/names.toml", include_str!("data/infer/names.toml"))],
    );
    ws.write("fixtures/e/documented.json", include_str!("data/infer/e.json"));
    ws.write("fixtures/f/documented.json", include_str!("data/infer/f.json"));
    ws
}

fn read(ws: &Workspace, path: &Path) -> String {
    std::fs::read_to_string(ws.0.join(path)).unwrap_or_default()
}

/// Types shared by two endpoints go to the shared schema file; the names
/// infer gives are keyed by the shortest path suffix that is theirs alone
/// (`avatar`, `ranks/[]`), by the path from the root when the suffix names
/// places of another type too, and by endpoint and path when even that does
/// (`e:/data` and `f:/data` are two types).
#[test]
fn shared_types_across_endpoints() {
    let ws = shared_workspace("shared");
    let first = run(&ws);
    insta::assert_snapshot!(golden(&first));
    write(&ws, &first);
    let second = run(&ws);
    assert_eq!(first.files, second.files, "the names written keep every type as it was");
}

/// Adding a capture whose objects list their keys in another order, with
/// new fields in a shared type, in a new object and at the root, adds lines
/// to the schemas and names.toml and changes or removes none, but in the
/// lists of example values, which the capture's values join.
#[test]
fn adding_a_capture_only_adds_lines() {
    let ws = shared_workspace("capture");
    let base = run(&ws);
    write(&ws, &base);
    let before: Vec<(&Path, String)> =
        base.files.iter().map(|file| (file.path.as_path(), read(&ws, &file.path))).collect();

    // Read before the documented fixture, as `capture` sorts first.
    ws.write("fixtures/e/capture.json", include_str!("data/infer/e.capture.json"));
    let after = run(&ws);
    write(&ws, &after);

    let mut diffs = String::new();
    let mut inserted = Vec::new();
    for (path, old) in &before {
        let new = read(&ws, path);
        let diff = TextDiff::from_lines(old, &new);
        let examples = example_lines(old);
        let mut removed = Vec::new();
        for change in diff.iter_all_changes() {
            match change.tag() {
                ChangeTag::Delete if change.old_index().is_some_and(|at| examples.contains(&at)) => {}
                ChangeTag::Delete => removed.push(change.value().to_owned()),
                ChangeTag::Insert => inserted.push(change.value().trim().to_owned()),
                ChangeTag::Equal => {}
            }
        }
        assert!(removed.is_empty(), "{} lost or changed lines: {removed:?}", path.display());
        if *old != new {
            let name = path.display().to_string();
            diffs.push_str(&diff.unified_diff().context_radius(1).header(&name, &name).to_string());
        }
    }
    for added in [r#""is_vip": {"#, r#""buff_info": {"#, r#""log_id": {"#, r#""grade/buff_info" = "GradeBuffInfo""#] {
        assert!(inserted.iter().any(|line| line.starts_with(added)), "{added} is not in\n{diffs}");
    }
    insta::assert_snapshot!(diffs);
    assert_eq!(run(&ws).files, after.files, "a second run changes nothing");
}

/// The indexes of the lines of `text` inside an `"examples"` list, as the
/// pretty writer lays it out: one item a line, nested lists indented.
fn example_lines(text: &str) -> Vec<usize> {
    let mut depth = 0usize;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if depth == 0 && !line.starts_with(r#""examples": ["#) {
            continue;
        }
        lines.push(index);
        if line.starts_with(']') || line.starts_with('}') {
            depth = depth.saturating_sub(1);
        }
        if line.ends_with('[') || line.ends_with('{') {
            depth += 1;
        }
    }
    lines
}

/// A key infer writes may match a place that a more specific key in
/// names.toml names: that place keeps its name, and the new key serves the
/// other endpoint without being qualified by it.
#[test]
fn a_new_key_leaves_more_specific_keys_their_places() {
    let manifest = two_endpoints();
    let ws = Workspace::new(
        "infer-specific",
        &[
            ("schemas/endpoints.toml", &manifest),
            ("schemas/names.toml", "[names]\n\"e:/room/buff_info\" = \"RoomBuff\"\n"),
        ],
    );
    ws.write("fixtures/e/0.json", r#"{"room": {"buff_info": {"kind": "x"}}}"#);
    ws.write("fixtures/f/0.json", r#"{"room": {"buff_info": {"level": 1, "until": 2}}}"#);
    let first = run(&ws);
    let types = first.report.types.join("\n");
    assert!(types.contains("RoomBuff: 1 place(s)\n    e:/room/buff_info (names.toml)"), "{types}");
    assert!(types.contains("BuffInfo: 1 place(s)\n    f:/room/buff_info (new name)"), "{types}");
    let written = first.files.iter().find(|f| f.path.ends_with("names.toml")).expect("names.toml");
    assert!(written.contents.contains("\n\"room/buff_info\" = \"BuffInfo\"\n"), "{}", written.contents);
    write(&ws, &first);
    let second = run(&ws);
    assert_eq!(first.files, second.files);
    let types = second.report.types.join("\n");
    assert!(types.contains("RoomBuff: 1 place(s)\n    e:/room/buff_info (names.toml)"), "{types}");
    assert!(types.contains("BuffInfo: 1 place(s)\n    f:/room/buff_info (names.toml)"), "{types}");
}

/// Objects under keys that are no Rust type name as they stand (a leading
/// digit, a keyword, a space) get names the generator keeps, so that regen
/// runs on what infer wrote.
#[test]
fn odd_keys_name_types_the_generator_keeps() {
    let ws = workspace(
        "odd-keys",
        &[r#"{"0x": {"a": 1}, "self": {"b": 2}, "k k": {"c": 3}, "Self": {"d": 4}, "9": {"e": 5}}"#],
        &[],
    );
    let inference = run(&ws);
    write(&ws, &inference);
    let output = dylive_codegen::generate(&ws.0, &dylive_codegen::header("cargo xtask regen"))
        .unwrap_or_else(|e| panic!("generates: {e}\n{}", golden(&inference)));
    assert!(!output.files.is_empty());
    let report = inference.report.to_string();
    for name in ["X0x", "SelfType", "Kk", "SelfType2", "X9"] {
        assert!(report.contains(name), "{name}: {report}");
    }
}

/// The required properties of the definition `name` in the schema file
/// `file` that `inference` wrote.
fn required_of(inference: &Inference, file: &str, name: &str) -> Vec<String> {
    let file = inference.files.iter().find(|f| f.path == Path::new(file)).unwrap_or_else(|| panic!("{file} written"));
    let schema = dylive_json::Value::parse(&file.contents).expect("a schema is JSON");
    let definition = schema.pointer(&format!("/definitions/{name}")).unwrap_or_else(|| panic!("{name} in {file:?}"));
    match definition.get("required") {
        Some(dylive_json::Value::Array(names)) => names.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// A property is required only when every object the type stands for has
/// it: a place whose values were `{}` in one fixture and objects in another
/// joins a type by shape, and its `{}` lack the type's properties.
#[test]
fn required_counts_the_empty_objects_where_a_merged_type_stands() {
    let ws = workspace(
        "required-empty",
        &[
            r#"{"stream": {"names": {"HD": "high", "SD": "low", "FULL": "full"}, "urls": {}, "params": {}}}"#,
            r#"{"stream": {"names": {"HD": "high", "SD": "low", "FULL": "full"}, "urls": {"HD": "h", "SD": "s", "FULL": "f"}, "params": {"HD": "x", "SD": "y", "FULL": "z"}}}"#,
        ],
        &[("schemas/names.toml", "[names]\n\"stream/names\" = \"Names\"\n")],
    );
    let inference = run(&ws);
    let types = inference.report.types.join("\n");
    assert!(types.contains("Names: 3 place(s)"), "urls and params join Names by shape:\n{types}");
    assert_eq!(required_of(&inference, "schemas/e.schema.json", "Names"), Vec::<String>::new());
    // Without the `{}`, every object has every name.
    ws.write("fixtures/e/0.json", r#"{"stream": {"names": {"HD": "high", "SD": "low", "FULL": "full"}}}"#);
    assert_eq!(required_of(&run(&ws), "schemas/e.schema.json", "Names"), ["HD", "SD", "FULL"]);
}

/// Objects of another type at a position whose schema names the first type
/// stand as that type: its required properties are those they have too.
#[test]
fn required_counts_objects_of_another_type_at_a_position_of_the_type() {
    let names = "[names]\n\"p\" = \"Holder\"\n\"q\" = \"Holder\"\n\"p/item\" = \"Wide\"\n\"q/item\" = \"Narrow\"\n";
    let ws = workspace(
        "required-other-type",
        &[r#"{"p": {"item": {"x": 1, "y": 2}}, "q": {"item": {"x": 3}}}"#],
        &[("schemas/names.toml", names)],
    );
    let inference = run(&ws);
    assert!(
        inference.report.conflicts.iter().any(|c| c.contains("objects of several types (Wide, Narrow)")),
        "{:?}",
        inference.report.conflicts
    );
    assert_eq!(required_of(&inference, "schemas/e.schema.json", "Wide"), ["x"]);
}

/// Where objects of a known type and of a new one meet, the schema keeps
/// naming the known type, and the new objects join it: a new capture never
/// makes a type unreachable.
#[test]
fn a_known_type_keeps_its_position_against_a_new_one() {
    let names = "[names]\n\"p\" = \"Holder\"\n\"q\" = \"Holder\"\n\"q/item\" = \"Known\"\n";
    let ws = workspace(
        "known-type-kept",
        &[r#"{"p": {"item": {"x": 1, "y": 2, "z": 3}}, "q": {"item": {"a": "s"}}}"#],
        &[("schemas/names.toml", names)],
    );
    let inference = run(&ws);
    let schema = &inference.files.iter().find(|f| f.path == Path::new("schemas/e.schema.json")).expect("written");
    let schema = dylive_json::Value::parse(&schema.contents).expect("JSON");
    let item = schema.pointer("/definitions/Holder/properties/item/$ref").and_then(dylive_json::Value::as_str);
    assert_eq!(item, Some("#/definitions/Known"), "{}", schema.pretty());
    // The new objects join the known type: it describes them, and no type
    // is left that nothing refers to.
    assert!(inference.report.conflicts.is_empty(), "{:?}", inference.report.conflicts);
    assert_eq!(schema.pointer("/definitions/Item"), None, "{}", schema.pretty());
    let types = inference.report.types.join("\n");
    assert!(types.contains("e:/p/item (same property)"), "{types}");
    assert!(schema.pointer("/definitions/Known/properties/x").is_some(), "{}", schema.pretty());
    assert_eq!(required_of(&inference, "schemas/e.schema.json", "Known"), Vec::<String>::new());
}

/// The definitions of `schema` that nothing reachable from its root refers
/// to.
fn unreachable(schema: &dylive_json::Value) -> Vec<String> {
    fn refs(value: &dylive_json::Value, out: &mut Vec<String>) {
        match value {
            dylive_json::Value::Object(members) => {
                for (key, value) in members {
                    match value.as_str() {
                        Some(target) if key == "$ref" => out.extend(target.rsplit('/').next().map(str::to_owned)),
                        _ => refs(value, out),
                    }
                }
            }
            dylive_json::Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
            _ => {}
        }
    }
    let mut root = schema.clone();
    let definitions = match &mut root {
        dylive_json::Value::Object(members) => {
            let at = members.iter().position(|(key, _)| key == "definitions");
            at.map(|at| members.remove(at).1).unwrap_or(dylive_json::Value::Object(Vec::new()))
        }
        _ => dylive_json::Value::Object(Vec::new()),
    };
    let mut seen: Vec<String> = Vec::new();
    let mut todo = Vec::new();
    refs(&root, &mut todo);
    while let Some(name) = todo.pop() {
        if !seen.contains(&name) {
            if let Some(definition) = definitions.get(&name) {
                refs(definition, &mut todo);
            }
            seen.push(name);
        }
    }
    match definitions {
        dylive_json::Value::Object(members) => {
            members.into_iter().map(|(n, _)| n).filter(|n| !seen.contains(n)).collect()
        }
        _ => Vec::new(),
    }
}

/// Two adopts in a row: the first brings objects of another shape at a
/// property a known type already takes (a rank's user's `user_attr`, where
/// the room owner's has `UserAttr`); they join that type, and the name the
/// next run reads from names.toml is that type's. Before, they got a type
/// of their own (`UserUserAttr`) that nothing referred to, and once its
/// name was in names.toml it took the property from `UserAttr`, which
/// nothing referred to then.
#[test]
fn objects_at_a_property_of_a_known_type_join_it_over_two_adopts() {
    let names = "[names]\n\"owner\" = \"User\"\n\"ranks/[]/user\" = \"User\"\n\"owner/user_attr\" = \"UserAttr\"\n";
    let ws = workspace("same-property", &[], &[("schemas/names.toml", names)]);
    ws.write(
        "fixtures/e/documented.json",
        r#"{"room": {"owner": {"name": "a", "user_attr": {"is_admin": false, "is_muted": false, "is_super_admin": false}}}}"#,
    );
    write(&ws, &run(&ws));
    let schema_of = |inference: &Inference| {
        let file = inference.files.iter().find(|f| f.path == Path::new("schemas/e.schema.json")).expect("written");
        dylive_json::Value::parse(&file.contents).expect("JSON")
    };
    // Adopted captures sort before the documented fixture.
    let captures = [
        r#"{"ranks": [{"user": {"name": "b", "user_attr": {"id": 1, "is_admin": true}}}]}"#,
        r#"{"ranks": [{"user": {"name": "c", "user_attr": {"id": 2, "is_admin": false}}}], "total": 1}"#,
    ];
    let mut last = Vec::new();
    for (n, capture) in captures.iter().enumerate() {
        ws.write(&format!("fixtures/e/captured-{n}.json"), capture);
        let adopted = run(&ws);
        let schema = schema_of(&adopted);
        let user_attr = schema.pointer("/definitions/User/properties/user_attr/$ref").and_then(|r| r.as_str());
        assert_eq!(user_attr, Some("#/definitions/UserAttr"), "adopt {n}:\n{}", schema.pretty());
        assert_eq!(unreachable(&schema), Vec::<String>::new(), "adopt {n}:\n{}", schema.pretty());
        assert!(adopted.report.conflicts.is_empty(), "adopt {n}: {:?}", adopted.report.conflicts);
        let mut keys: Vec<&str> = match schema.pointer("/definitions/UserAttr/properties") {
            Some(dylive_json::Value::Object(members)) => members.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        };
        keys.sort_unstable();
        assert_eq!(keys, ["id", "is_admin", "is_muted", "is_super_admin"], "adopt {n}");
        write(&ws, &adopted);
        last = adopted.files;
        let names = std::fs::read_to_string(ws.0.join("schemas/names.toml")).expect("names.toml");
        assert!(!names.contains("UserUserAttr"), "adopt {n}:\n{names}");
    }
    assert_eq!(run(&ws).files, last, "a run after the adopts changes nothing");
}

/// What the fixtures show documents every property that a new capture
/// brings: a new type says where it was first found, a value only ever
/// `null` has that as its example, and an array too long to show whole
/// shows its items'. A description a person writes later stays.
#[test]
fn new_types_and_properties_are_documented_from_the_data() {
    let ws = workspace(
        "documented",
        &[r#"{"never": null, "ids": [18, 17, 12, 14, 16, 5, 1], "stats": {"views": 1}, "list": [{"a": 1}]}"#],
        &[],
    );
    let first = run(&ws);
    write(&ws, &first);
    let schema = std::fs::read_to_string(ws.0.join("schemas/e.schema.json")).expect("written");
    let schema = dylive_json::Value::parse(&schema).expect("JSON");
    let description = |name: &str| {
        schema.pointer(&format!("/definitions/{name}/description")).and_then(|d| d.as_str()).map(str::to_owned)
    };
    assert_eq!(
        description("Stats").as_deref(),
        Some("First found in a response of `e`, at `/stats`; no document describes it yet.")
    );
    assert_eq!(
        description("List").as_deref(),
        Some("First found in a response of `e`, at `/list/[]` (`[]` is any item of an array); no document describes it yet.")
    );
    assert_eq!(schema.pointer("/properties/never").map(|s| s.to_json()).as_deref(), Some(r#"{"examples":[null]}"#));

    let model = dylive_codegen::model::load(&ws.0).unwrap_or_else(|e| panic!("loads: {e}"));
    assert_eq!(dylive_codegen::docs::Coverage::of(&model).nothing, 0, "{model:#?}");
    let root = model.get("EResponse").expect("the root type");
    let dylive_codegen::model::TypeKind::Object(fields) = &root.kind else { panic!("an object") };
    let docs = |name: &str| fields.iter().find(|f| f.json_name == name).map(|f| f.docs.clone()).unwrap_or_default();
    assert!(
        docs("ids").starts_with("JSON `ids`: an array of integers, such as `18`, `17` or `12`;"),
        "{}",
        docs("ids")
    );
    assert!(
        docs("never").starts_with("JSON `never`: any JSON value, kept as its text, such as `null`;"),
        "{}",
        docs("never")
    );

    // A person describes the type; the next run keeps the description.
    let file = ws.0.join("schemas/e.schema.json");
    let text = std::fs::read_to_string(&file).expect("written");
    let edited = text.replace(
        "First found in a response of `e`, at `/stats`; no document describes it yet.",
        "The room's statistics.",
    );
    std::fs::write(&file, edited).expect("write");
    let again = run(&ws);
    let written = again.files.iter().find(|f| f.path == Path::new("schemas/e.schema.json")).expect("written");
    assert!(written.contents.contains(r#""description": "The room's statistics.","#), "{}", written.contents);
    assert!(!written.contents.contains("at `/stats`"), "{}", written.contents);
}
