//! One xtask binary, as a target folder shared by several checkouts holds
//! it, works on the checkout it runs in, never on the one it was built from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// Every file below `dir`, by path relative to it, with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .map(|entry| entry.expect("read dir"))
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).expect("below base").to_owned();
            (relative, std::fs::read(entry.path()).expect("read file"))
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, contents) in snapshot(from) {
        let path = to.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
        std::fs::write(path, contents).expect("write");
    }
}

/// A checkout holding this one's `schemas/` (all that regen reads) and a
/// workspace manifest with an `xtask` member, and nothing generated yet.
fn clone_of_this_checkout() -> TempDir {
    let real = xtask::workspace_root().expect("cargo test sets CARGO_MANIFEST_DIR");
    let clone = tempfile::tempdir().expect("temp dir");
    copy_tree(&real.join("schemas"), &clone.path().join("schemas"));
    std::fs::write(clone.path().join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"xtask\"]\n")
        .expect("write");
    std::fs::create_dir_all(clone.path().join("xtask/src")).expect("create dir");
    std::fs::write(
        clone.path().join("xtask/Cargo.toml"),
        "[package]\nname = \"xtask\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n",
    )
    .expect("write");
    std::fs::write(clone.path().join("xtask/src/main.rs"), "fn main() {}\n").expect("write");
    clone
}

/// Runs the one xtask binary the way `cargo xtask` in `checkout` does:
/// `cargo run` sets `CARGO_MANIFEST_DIR` to the checkout's xtask folder. It
/// runs from `cwd`.
fn xtask_in(checkout: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .output()
        .expect("run xtask")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn regen_in_the_second_clone_changes_only_the_second() {
    let first = clone_of_this_checkout();
    let second = clone_of_this_checkout();
    let (first, second) = (first.path(), second.path());

    // Run from the other clone, so that only CARGO_MANIFEST_DIR can point
    // the binary at its checkout.
    let output = xtask_in(first, second, &["regen"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let generated = dylive_codegen::generate(first, &dylive_codegen::header(xtask::REGEN)).expect("generate");
    for file in &generated.files {
        assert!(first.join(&file.path).is_file(), "regen wrote {} in the first clone", file.path.display());
        assert!(!second.join(&file.path).exists(), "regen wrote {} in the second clone", file.path.display());
    }

    // The second clone is at the same commit, then edited by hand.
    copy_tree(first, second);
    let edited = &generated.files[0].path;
    let generated_text = std::fs::read_to_string(first.join(edited)).expect("generated");
    std::fs::write(second.join(edited), format!("{generated_text}// edited by hand\n")).expect("write");
    let orphan = generated.owned_dirs[0].join("left_from_a_removed_schema.rs");
    std::fs::write(second.join(&orphan), "// no schema makes this\n").expect("write");
    let before = snapshot(first);

    let check = xtask_in(second, first, &["regen", "--check"]);
    let report = stderr(&check);
    assert!(!check.status.success(), "the second clone is stale: {report}");
    assert!(report.contains(&format!("{} is out of date; `cargo xtask regen`", edited.display())), "{report}");
    assert!(report.contains(&format!("{}: no schema makes this file", orphan.display())), "{report}");
    assert!(report.contains(&second.display().to_string()), "the report names the checkout: {report}");
    let check = xtask_in(first, second, &["regen", "--check"]);
    assert!(check.status.success(), "the first clone is fresh: {}", stderr(&check));

    let output = xtask_in(second, first, &["regen"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(snapshot(first), before, "the first clone is untouched");
    assert_eq!(snapshot(second), before, "the second clone is mended: the edit undone, the orphan removed");
}

#[test]
fn without_cargo_run_the_workspace_is_the_one_around_the_current_folder() {
    let clone = clone_of_this_checkout();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen"])
        .current_dir(clone.path().join("xtask/src"))
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("run xtask");
    assert!(output.status.success(), "{}", stderr(&output));
    let generated = dylive_codegen::generate(clone.path(), &dylive_codegen::header(xtask::REGEN)).expect("generate");
    for file in &generated.files {
        let written = std::fs::read_to_string(clone.path().join(&file.path)).ok();
        assert!(written.as_deref() == Some(file.contents.as_str()), "regen wrote {} in the clone", file.path.display());
    }
}

#[test]
fn arguments_are_checked() {
    let clone = clone_of_this_checkout();
    for args in [&["--check", "regen"][..], &["regen", "--chek"], &["regen", "extra"], &["fixtures", "--seeds"], &[]] {
        let output = xtask_in(clone.path(), clone.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?} is refused: {}", stderr(&output));
    }
    assert!(snapshot(clone.path()).keys().all(|path| !path.starts_with("crates")), "nothing was generated");
    let help = xtask_in(clone.path(), clone.path(), &["infer", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success() && text.contains("--skip <FILE>") && text.contains("--check"), "{text}");
}
