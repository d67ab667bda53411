//! Maintenance commands: `cargo xtask regen [--check]` and
//! `cargo xtask fixtures [--check] [--seeds DIR]`.

mod fixtures;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write the files, or only compare them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what differs.
    Write,
    /// Write nothing; report what differs.
    Check,
}

const USAGE: &str = "\
usage:
  cargo xtask regen [--check]      generate crates/ from schemas/
  cargo xtask infer [--check] [--skip FILE]...
                                   derive schemas/ from fixtures/
  cargo xtask fixtures [--check] [--seeds DIR]
                                   extract the documented examples of the seeds
                                   (default DIR: ../shared/seeds) into fixtures/";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = if args.iter().any(|a| a == "--check") { Mode::Check } else { Mode::Write };
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(&root, mode),
        Some("infer") => infer(&root, &args, mode),
        Some("fixtures") => {
            let seeds = args
                .iter()
                .position(|a| a == "--seeds")
                .and_then(|i| args.get(i + 1))
                .map_or_else(|| root.join("../shared/seeds"), PathBuf::from);
            fixtures::run(&root, &seeds, mode).map(|stale| (stale, "cargo xtask fixtures"))
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok((0, _)) => ExitCode::SUCCESS,
        Ok((stale, command)) => {
            eprintln!("{stale} file(s) out of date; run `{command}` and commit the result");
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Generates every file; deletes (or, checking, reports) files in the
/// generator's folders that it no longer makes.
fn regen(root: &Path, mode: Mode) -> Result<(usize, &'static str), String> {
    const COMMAND: &str = "cargo xtask regen";
    let output = dylive_codegen::generate(root).map_err(|e| e.to_string())?;
    let mut stale = 0;
    for file in &output.files {
        if !ensure_file_contents(&root.join(&file.path), &file.contents, mode, COMMAND)? {
            stale += 1;
        }
    }
    for dir in &output.owned_dirs {
        for path in files_below(&root.join(dir))? {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            if output.files.iter().any(|f| f.path == relative) {
                continue;
            }
            stale += 1;
            match mode {
                Mode::Check => eprintln!("{}: no schema makes this file any more", relative.display()),
                Mode::Write => {
                    std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    eprintln!("removed {}", relative.display());
                }
            }
        }
    }
    Ok((if mode == Mode::Check { stale } else { 0 }, COMMAND))
}

/// Derives the schemas from the fixtures and prints what it did.
fn infer(root: &Path, args: &[String], mode: Mode) -> Result<(usize, &'static str), String> {
    const COMMAND: &str = "cargo xtask infer";
    let skip: Vec<PathBuf> =
        args.windows(2).filter(|pair| pair[0] == "--skip").map(|pair| PathBuf::from(&pair[1])).collect();
    let inference = dylive_codegen::infer::infer(root, &skip).map_err(|e| e.to_string())?;
    print!("{}", inference.report);
    let mut stale = 0;
    for file in &inference.files {
        let path = root.join(&file.path);
        if mode == Mode::Check {
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            if old != file.contents {
                print_line_diff(&file.path, &old, &file.contents);
            }
        }
        if !ensure_file_contents(&path, &file.contents, mode, COMMAND)? {
            stale += 1;
        }
    }
    Ok((if mode == Mode::Check { stale } else { 0 }, COMMAND))
}

/// Prints the lines only in `old` (`-`) and only in `new` (`+`), in order.
fn print_line_diff(path: &Path, old: &str, new: &str) {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    // Longest common subsequence of lines; the files are small.
    let mut table = vec![vec![0u32; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            table[i][j] = if old[i] == new[j] { table[i + 1][j + 1] + 1 } else { table[i + 1][j].max(table[i][j + 1]) };
        }
    }
    eprintln!("--- {}", path.display());
    let (mut i, mut j, mut shown) = (0, 0, 0);
    while (i < old.len() || j < new.len()) && shown < 60 {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if j < new.len() && (i == old.len() || table[i][j + 1] >= table[i + 1][j]) {
            eprintln!("+{}", new[j]);
            j += 1;
            shown += 1;
        } else {
            eprintln!("-{}", old[i]);
            i += 1;
            shown += 1;
        }
    }
    if shown == 60 {
        eprintln!("(more changes not shown)");
    }
}

fn files_below(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            out.extend(files_below(&path)?);
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Writes `contents` to `path` when it differs; in check mode writes nothing
/// and reports the file. Returns whether the file was up to date.
pub fn ensure_file_contents(path: &Path, contents: &str, mode: Mode, command: &str) -> Result<bool, String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(true);
    }
    let shown = path.display();
    match mode {
        Mode::Check => eprintln!("{shown} is out of date; `{command}` rewrites it"),
        Mode::Write => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(path, contents).map_err(|e| format!("{shown}: {e}"))?;
            eprintln!("wrote {shown}");
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace with one endpoint whose model crate goes to `out/`.
    fn workspace() -> PathBuf {
        let root = std::env::temp_dir().join(format!("dylive-xtask-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("schemas")).expect("temp dir");
        let manifest = r#"
[models]
crate_dir = "out"
shared = []
unknown_fields = "unknown_fields"

[[endpoint]]
name = "e"
summary = "An endpoint."
document = "doc.txt"
method = "GET"
path = "/e"
auth = { query = "token" }
response = "EResponse"
schema = "e.schema.json"
fixtures = "fixtures/e"
"#;
        let schema = r#"{"title": "EResponse", "type": "object", "properties": {"a": {"type": "integer"}}}"#;
        std::fs::write(root.join("schemas/endpoints.toml"), manifest).expect("write");
        std::fs::write(root.join("schemas/e.schema.json"), schema).expect("write");
        root
    }

    #[test]
    fn check_fails_on_stale_and_orphaned_files_and_regen_mends_both() {
        let root = workspace();
        assert_eq!(regen(&root, Mode::Write).map(|r| r.0), Ok(0));
        assert_eq!(regen(&root, Mode::Check).map(|r| r.0), Ok(0), "up to date after a run");

        let orphan = root.join("out/src/old.rs");
        std::fs::write(&orphan, "// left from a removed schema\n").expect("write");
        let lib = root.join("out/src/lib.rs");
        let generated = std::fs::read_to_string(&lib).expect("generated");
        std::fs::write(&lib, format!("{generated}// edited by hand\n")).expect("write");

        assert_eq!(regen(&root, Mode::Check).map(|r| r.0), Ok(2), "one stale, one orphaned");
        assert!(orphan.exists(), "check writes nothing");
        assert_eq!(regen(&root, Mode::Write).map(|r| r.0), Ok(0));
        assert!(!orphan.exists(), "regen deletes the orphan");
        assert_eq!(std::fs::read_to_string(&lib).ok(), Some(generated));
        let _ = std::fs::remove_dir_all(&root);
    }
}
