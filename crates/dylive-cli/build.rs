//! Embeds the fixtures of every endpoint of `schemas/endpoints.toml`, so
//! that the mock serves them from anywhere.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dylive_codegen::Manifest;

fn main() -> ExitCode {
    match embed() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn embed() -> Result<(), String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?;
    let root = Path::new(&crate_dir).join("../..");
    println!("cargo:rerun-if-changed={}", root.join("schemas/endpoints.toml").display());
    let manifest = Manifest::load(&root).map_err(|e| e.to_string())?;

    let mut out = String::from(
        "/// The fixtures: (endpoint, file name, text).\npub const FIXTURES: &[(&str, &str, &str)] = &[\n",
    );
    for endpoint in &manifest.endpoints {
        let dir = root.join(&endpoint.fixtures);
        println!("cargo:rerun-if-changed={}", dir.display());
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut fixtures: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        fixtures.sort();
        for fixture in fixtures.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
            let file = fixture.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let path = fixture.canonicalize().map_err(|e| format!("{}: {e}", fixture.display()))?;
            let _ =
                writeln!(out, "    ({:?}, {file:?}, include_str!({:?})),", endpoint.name, path.display().to_string());
        }
    }
    out.push_str("];\n");
    let target = Path::new(&out_dir).join("embedded.rs");
    std::fs::write(&target, out).map_err(|e| format!("{}: {e}", target.display()))
}
