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
