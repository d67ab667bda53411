//! The project's own files: schemas are written back byte for byte, and
//! every fixture survives being written and parsed again.

use std::path::{Path, PathBuf};

use dylive_json::{diff, parse, Value};

/// The files under `folder` (at any depth) whose names end with `suffix`,
/// sorted by path.
fn files(folder: &str, suffix: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(folder);
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.expect("a readable folder"))
        .filter(|entry| !entry.file_type().is_dir() && entry.file_name().to_string_lossy().ends_with(suffix))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("a UTF-8 file")
}

#[test]
fn schema_files_are_written_back_byte_for_byte() {
    let schemas = files("schemas", ".schema.json");
    assert!(schemas.len() >= 2, "schema files found: {schemas:?}");
    for path in schemas {
        let text = read(&path);
        let tree = Value::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(text.contains("\n  \""), "{} is pretty-printed", path.display());
        assert_eq!(tree.pretty(), text, "{}", path.display());
        let borrowed = parse(&text).expect("the same text parses borrowed");
        assert_eq!(borrowed.pretty(), text, "{}", path.display());
    }
}

#[test]
fn fixtures_survive_compact_and_pretty_writing() {
    let fixtures = files("fixtures", ".json");
    assert!(fixtures.len() >= 5, "fixtures found: {fixtures:?}");
    for path in fixtures {
        let text = read(&path);
        let tree = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for written in [tree.to_json(), tree.pretty()] {
            let again = parse(&written).expect("written text parses");
            assert_eq!(again, tree, "{}", path.display());
            assert!(diff(&text, &written).expect("both parse").is_empty(), "{}", path.display());
        }
        assert!(!tree.to_json().contains('\n'), "{}: compact text has no newline", path.display());
    }
}

#[test]
fn an_edited_fixture_differs_at_the_edit() {
    let path = files("fixtures", ".json").into_iter().find(|p| p.ends_with("room_ranklist/success.json"));
    let text = read(&path.expect("the room_ranklist fixture"));
    let mut tree = parse(&text).expect("a fixture parses");
    let Some(Value::Number(rank)) = tree.pointer_mut("/data/data/ranks/0/rank") else {
        panic!("the first rank is a number");
    };
    let was = rank.to_string();
    *rank = format!("{was}.0").into();
    let differences = diff(&text, &tree.to_json()).expect("both parse");
    let shown: Vec<String> = differences.iter().map(ToString::to_string).collect();
    assert_eq!(shown, [format!("/data/data/ranks/0/rank: expected {was}, found {was}.0")]);
}
