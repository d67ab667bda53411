//! Embeds `schemas/` and the fixtures of every endpoint of
//! `schemas/endpoints.toml`, so that the binary works from anywhere.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let schemas = root.join("schemas");
    let manifest_path = schemas.join("endpoints.toml");
    println!("cargo:rerun-if-changed={}", schemas.display());
    let manifest: toml::Table = std::fs::read_to_string(&manifest_path)
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_else(|| panic!("{} is readable TOML", manifest_path.display()));

    let mut out = String::new();
    out.push_str("/// The schema files: (file name, text).\npub const SCHEMAS: &[(&str, &str)] = &[\n");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&schemas).expect("schemas/").flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files.iter().filter(|f| f.to_string_lossy().ends_with(".schema.json")) {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", abs(file));
    }
    out.push_str(
        "];\n/// The fixtures: (endpoint, file name, text).\npub const FIXTURES: &[(&str, &str, &str)] = &[\n",
    );
    for endpoint in manifest.get("endpoint").and_then(|e| e.as_array()).into_iter().flatten() {
        let name = endpoint.get("name").and_then(|n| n.as_str()).unwrap_or_default();
        let dir = root.join(endpoint.get("fixtures").and_then(|f| f.as_str()).unwrap_or_default());
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut fixtures: Vec<PathBuf> =
            std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        fixtures.sort();
        for fixture in fixtures.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
            let file = fixture.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let _ = writeln!(out, "    ({name:?}, {file:?}, include_str!({:?})),", abs(fixture));
        }
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded.rs");
    std::fs::write(target, out).expect("write embedded.rs");
}

fn abs(path: &Path) -> String {
    path.canonicalize().unwrap_or_else(|_| path.to_owned()).display().to_string()
}
