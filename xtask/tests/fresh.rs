//! The checked-in generated code and schemas are what the commands make
//! from this checkout: `cargo test` fails, naming each stale file and the
//! command that fixes it, exactly when `cargo xtask regen --check` or
//! `cargo xtask infer --check` would.

use xtask::Mode;

fn root() -> std::path::PathBuf {
    xtask::workspace_root().expect("cargo test sets CARGO_MANIFEST_DIR")
}

#[test]
fn generated_code_is_fresh() {
    let outcome = xtask::regen(&root(), Mode::Check).unwrap_or_else(|e| panic!("cargo xtask regen --check: {e}"));
    assert!(outcome.is_clean(), "generated code is out of date:\n{outcome}");
}

#[test]
fn schemas_are_fresh() {
    let inferred = xtask::infer(&root(), &[], Mode::Check).unwrap_or_else(|e| panic!("cargo xtask infer --check: {e}"));
    assert!(inferred.outcome.is_clean(), "schemas are out of date:\n{}", inferred.outcome);
}

#[test]
fn every_property_is_documented() {
    let model = dylive_codegen::model::load(&root()).unwrap_or_else(|e| panic!("the schemas load: {e}"));
    let coverage = dylive_codegen::docs::Coverage::of(&model);
    println!("{coverage:?}");
    let nameless: Vec<String> = model
        .types
        .iter()
        .filter_map(|ty| match &ty.kind {
            dylive_codegen::model::TypeKind::Object(fields) => Some((ty, fields)),
            dylive_codegen::model::TypeKind::Union(_) => None,
        })
        .flat_map(|(ty, fields)| {
            fields
                .iter()
                .filter(|f| f.description.is_none() && f.examples.is_empty())
                .map(move |f| format!("{}.{}: {}", ty.name, f.json_name, f.docs.lines().next().unwrap_or_default()))
        })
        .collect();
    assert_eq!(
        coverage.nothing,
        0,
        "properties with neither a description, an example nor a named type:\n{}",
        nameless.join("\n")
    );
}

/// A checkout made with `core.autocrlf=true`, the default of Git for
/// Windows, is fresh too: `.gitattributes` keeps the generated files,
/// schemas and fixtures LF, and the check compares text with line endings
/// normalized. The checkout is a clone of this repository's last commit.
#[test]
fn a_checkout_with_autocrlf_is_fresh() {
    let root = root();
    if !root.join(".git").exists() {
        println!("{} is not a Git checkout; nothing to clone", root.display());
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clone = dir.path().join("checkout");
    let status = std::process::Command::new("git")
        .args(["-c", "core.autocrlf=true", "clone", "--quiet", "--no-local"])
        .arg(&root)
        .arg(&clone)
        .status()
        .expect("git runs");
    assert!(status.success(), "git clone with core.autocrlf=true");
    let readme = std::fs::read(clone.join("README.md")).expect("the README");
    assert!(readme.windows(2).any(|pair| pair == b"\r\n"), "autocrlf gave CR LF where no attribute keeps LF");
    let outcome = xtask::regen(&clone, Mode::Check).unwrap_or_else(|e| panic!("cargo xtask regen --check: {e}"));
    assert!(outcome.is_clean(), "a CR LF checkout is out of date:\n{outcome}");
    let inferred = xtask::infer(&clone, &[], Mode::Check).unwrap_or_else(|e| panic!("cargo xtask infer --check: {e}"));
    assert!(inferred.outcome.is_clean(), "a CR LF checkout's schemas are out of date:\n{}", inferred.outcome);
}
