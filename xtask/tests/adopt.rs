//! `cargo xtask adopt` in a throw-away copy of this workspace: a capture
//! with fields the schemas do not know is detected, copied, inferred and
//! generated in one command, after which the checked-in files are fresh
//! and `dylive check` finds the capture clean.
//!
//! The copy builds `dylive-cli` twice (to detect, then to check), in a
//! target folder of its own below this one's: sharing this checkout's would
//! let the copy's artifacts, built from the same relative paths, pass for
//! this checkout's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, UNIX_EPOCH};

use dylive_codegen::model::{Model, TypeKind, TypeRef};
use dylive_json::Value;
use tempfile::TempDir;

/// Copies the workspace's files, leaving out build output and history.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let (path, name) = (entry.path(), entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            if name != "target" && name != ".git" {
                copy_tree(&path, &to.join(&name));
            }
        } else if kind.is_file() {
            std::fs::create_dir_all(to).expect("create dir");
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// This checkout's target folder.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let binary = Path::new(env!("CARGO_BIN_EXE_xtask"));
            binary.parent().and_then(Path::parent).expect("target/<profile>/xtask").to_owned()
        }
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs `command` the way `cargo xtask` in `checkout` does, from `cwd`,
/// with the copy's own target folder for the cargo it runs.
fn xtask(checkout: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .env("CARGO", cargo())
        .env("CARGO_TARGET_DIR", target_dir().join("adopt-clone"))
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The named type of the value at `path` (property names; arrays are
/// looked through) from the response type `root`.
fn type_at(model: &Model, root: &str, path: &[&str]) -> String {
    let mut name = root.to_owned();
    for property in path {
        let Some(TypeKind::Object(fields)) = model.get(&name).map(|t| &t.kind) else { panic!("{name} is an object") };
        let field = fields.iter().find(|f| f.json_name == *property).unwrap_or_else(|| panic!("{name}.{property}"));
        let mut ty = &field.ty;
        while let TypeRef::Array(inner) | TypeRef::Nullable(inner) = ty {
            ty = inner;
        }
        let TypeRef::Named(next) = ty else { panic!("{name}.{property} is a named type: {ty:?}") };
        name = next.clone();
    }
    name
}

/// The report's change lines by type: the lines after each unindented
/// type name.
fn groups(report: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in report.lines().skip_while(|line| !line.starts_with("schema changes: ")).skip(1) {
        match line.strip_prefix("  ") {
            Some(change) => {
                out.entry(current.clone().expect("a type first")).or_default().push(change.to_owned());
            }
            None if line.starts_with("next: ") => break,
            None => current = Some(line.to_owned()),
        }
    }
    out
}

/// The room rank list fixture, with a new string on every user, a new
/// object and a number beyond 2^64 on the first rank.
fn capture_from(fixture: &str) -> String {
    let mut tree = Value::parse(fixture).expect("the fixture is JSON");
    let ranks = tree.pointer_mut("/data/data/ranks").expect("ranks");
    let Value::Array(ranks) = ranks else { panic!("ranks is an array") };
    assert!(ranks.len() >= 2, "the fixture has ranks");
    for (index, rank) in ranks.iter_mut().enumerate() {
        rank.get_mut("user").expect("a user").set("sponsor_uid", Value::str(&format!("uid-{index}")));
    }
    let wall = Value::object([
        ("wall_id", Value::Number("7".to_owned())),
        ("wall_title", Value::str("gift wall")),
        ("wall_levels", Value::Array(vec![Value::Number("1".to_owned()), Value::Number("2".to_owned())])),
    ]);
    ranks[0].set("gift_wall", wall);
    ranks[0].set("giant_score", Value::Number("123456789012345678901234567890".to_owned()));
    tree.pretty()
}

#[test]
fn a_capture_is_adopted_in_one_command_and_checks_clean_afterwards() {
    let real = xtask::workspace_root().expect("cargo test sets CARGO_MANIFEST_DIR");
    let copy = TempDir::new().expect("temp dir");
    let copy = copy.path();
    copy_tree(&real, copy);
    let model = dylive_codegen::model::load(copy).expect("the schemas load");
    let user = type_at(&model, "RoomRanklistResponse", &["data", "data", "ranks", "user"]);
    let rank = type_at(&model, "RoomRanklistResponse", &["data", "data", "ranks"]);

    let fixture_count = || std::fs::read_dir(copy.join("fixtures/room_ranklist")).expect("read dir").count();
    let before = fixture_count();
    let captures = TempDir::new().expect("temp dir");
    let fixture = std::fs::read_to_string(copy.join("fixtures/room_ranklist/success.json")).expect("fixture");
    let body = capture_from(&fixture);
    let capture = captures.path().join("Ranks Capture.json");
    std::fs::write(&capture, &body).expect("write");
    let modified = UNIX_EPOCH + Duration::from_secs(1_714_996_800); // 2024-05-06 12:00 UTC
    std::fs::File::options().write(true).open(&capture).and_then(|f| f.set_modified(modified)).expect("set mtime");

    // The endpoint is left to detection; the file is named relative to
    // the folder the command runs in.
    let adopted = xtask(copy, captures.path(), &["adopt", "Ranks Capture.json"]);
    let (stdout, stderr) = (text(&adopted.stdout), text(&adopted.stderr));
    assert!(adopted.status.success(), "adopt failed:\n{stdout}\n{stderr}");
    let name = "fixtures/room_ranklist/captured-2024-05-06-ranks-capture.json";
    assert!(stdout.starts_with(&format!("adopted {name} as room-ranklist (from Ranks Capture.json)\n")), "{stdout}");
    assert_eq!(std::fs::read_to_string(copy.join(name)).ok().as_deref(), Some(body.as_str()), "copied as it was");

    let summary = stdout.lines().find(|line| line.starts_with("schema changes: ")).expect("a summary line");
    assert!(summary.contains("1 new type") && summary.contains("3 new fields"), "{stdout}");
    let groups = groups(&stdout);
    let user_changes = groups.get(&user).unwrap_or_else(|| panic!("changes of {user}: {stdout}"));
    assert!(user_changes.contains(&"new field sponsor_uid: string".to_owned()), "{stdout}");
    let rank_changes = groups.get(&rank).unwrap_or_else(|| panic!("changes of {rank}: {stdout}"));
    assert!(rank_changes.contains(&"new field giant_score: integer".to_owned()), "{stdout}");
    let wall = rank_changes
        .iter()
        .find_map(|line| line.strip_prefix("new field gift_wall: "))
        .unwrap_or_else(|| panic!("{rank}.gift_wall: {stdout}"));
    assert_eq!(
        groups.get(wall).map(Vec::as_slice),
        Some(&["new type: object, 3 fields (wall_id, wall_title, wall_levels)".to_owned()][..]),
        "{stdout}"
    );
    assert!(stdout.lines().any(|line| line.starts_with("infer: wrote schemas/")), "{stdout}");
    assert!(stdout.lines().any(|line| line.starts_with("regen: wrote crates/dylive-models/src/")), "{stdout}");

    for step in ["regen", "infer"] {
        let check = xtask(copy, copy, &[step, "--check"]);
        assert!(check.status.success(), "{step} --check after adopt:\n{}", text(&check.stderr));
    }

    let checked = Command::new(cargo())
        .args(["run", "-q", "-p", "dylive-cli", "--", "check", "--json", name])
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", target_dir().join("adopt-clone"))
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("run dylive check");
    let report = text(&checked.stdout);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "dylive check finds the capture clean:\n{report}\n{}",
        text(&checked.stderr)
    );
    let report = Value::parse(&report).expect("a JSON report");
    assert_eq!(report.pointer("/0/endpoint").and_then(Value::as_str), Some("room-ranklist"), "{report}");

    let again = xtask(copy, captures.path(), &["adopt", "Ranks Capture.json"]);
    let stderr = text(&again.stderr);
    assert_eq!(again.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("refused Ranks Capture.json: a duplicate of {name}\n")), "{stderr}");
    assert!(stderr.ends_with("nothing adopted\n"), "{stderr}");
    assert_eq!(fixture_count(), before + 1, "only the one adopted was added");
}
