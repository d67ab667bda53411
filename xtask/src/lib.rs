//! The maintenance commands behind `cargo xtask`: `regen` generates the
//! crates from `schemas/`, `infer` derives `schemas/` from `fixtures/`,
//! `fixtures` extracts the documented examples of the seeds into
//! `fixtures/`, and [`adopt`] adds captured responses to `fixtures/` and runs
//! the other two.
//!
//! Each command writes what differs, or, in [`Mode::Check`], writes nothing
//! and reports each file that differs with a unified diff. The same functions
//! serve the binary and the tests that keep the checked-in files fresh:
//!
//! ```no_run
//! let root = xtask::workspace_root()?;
//! let outcome = xtask::regen(&root, xtask::Mode::Check)?;
//! assert!(outcome.is_clean(), "{outcome}");
//! # Ok::<(), xtask::Error>(())
//! ```

pub mod adopt;
pub mod fixtures;
pub mod release;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The command that generates the crates, as their headers name it.
pub const REGEN: &str = "cargo xtask regen";

/// The most lines of diff shown for one file.
const DIFF_LINES: usize = 40;

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what differs.
    Write,
    /// Write nothing; report what differs.
    Check,
}

/// A failure of a command, as opposed to a file that is out of date.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The workspace could not be found.
    #[error("cannot find the workspace: {0}")]
    Workspace(String),
    /// A TOML file is not as expected.
    #[error("{}: {message}", .path.display())]
    Toml {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The folder of seed documents does not exist.
    #[error("{}: no such folder of seed documents; pass `--seeds DIR`", .0.display())]
    NoSeeds(PathBuf),
    /// A seed has no usable documented example.
    #[error("{seed}: {message}")]
    Seed {
        /// The seed file, as the plan names it.
        seed: String,
        /// What is wrong.
        message: String,
    },
    /// The generator or inference failed.
    #[error(transparent)]
    Codegen(#[from] dylive_codegen::Error),
}

/// How one file differs from what a command makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The file does not exist.
    Missing,
    /// The file's contents differ; a unified diff from the file to what the
    /// command makes, cut to a few dozen lines.
    Changed {
        /// The diff.
        diff: String,
    },
    /// The file lies in a folder the generator owns, but nothing makes it.
    Orphaned,
}

/// One file that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The path, relative to the workspace root.
    pub path: PathBuf,
    /// How it differs.
    pub difference: Difference,
}

/// What a command found (in [`Mode::Check`]) or changed (in [`Mode::Write`]).
///
/// Its `Display` is the report: in check mode, each file's diff, then the
/// file and the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The command that writes the files, such as `cargo xtask regen`.
    pub command: &'static str,
    /// Whether the files were written or only compared.
    pub mode: Mode,
    /// The workspace root.
    pub root: PathBuf,
    /// The files that differed, in a stable order.
    pub stale: Vec<Stale>,
}

impl Outcome {
    fn new(command: &'static str, mode: Mode, root: &Path) -> Self {
        Self { command, mode, root: root.to_owned(), stale: Vec::new() }
    }

    /// Whether every file was already what the command makes.
    ///
    /// ```
    /// let outcome = xtask::Outcome {
    ///     command: "cargo xtask regen",
    ///     mode: xtask::Mode::Check,
    ///     root: ".".into(),
    ///     stale: vec![],
    /// };
    /// assert!(outcome.is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
    }

    /// Whether a check found files out of date: the command should fail.
    pub fn failed(&self) -> bool {
        self.mode == Mode::Check && !self.is_clean()
    }

    fn ensure(&mut self, relative: &Path, contents: &str) -> Result<(), Error> {
        if let Some(difference) = ensure_file_contents(&self.root, relative, contents, self.mode)? {
            self.stale.push(Stale { path: relative.to_owned(), difference });
        }
        Ok(())
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let command = self.command;
        for stale in &self.stale {
            let path = stale.path.display();
            match (self.mode, &stale.difference) {
                (Mode::Write, Difference::Orphaned) => writeln!(f, "removed {path}")?,
                (Mode::Write, _) => writeln!(f, "wrote {path}")?,
                (Mode::Check, Difference::Missing) => writeln!(f, "{path} is missing; `{command}` writes it")?,
                (Mode::Check, Difference::Changed { diff }) => {
                    write!(f, "{diff}")?;
                    writeln!(f, "{path} is out of date; `{command}` rewrites it")?;
                }
                (Mode::Check, Difference::Orphaned) => {
                    writeln!(f, "{path}: no schema makes this file any more; `{command}` removes it")?;
                }
            }
        }
        if self.failed() {
            let count = self.stale.len();
            let root = self.root.display();
            writeln!(f, "{count} file(s) out of date in {root}; run `{command}` and commit the result")?;
        }
        Ok(())
    }
}

/// The root of the workspace to work on, found when the command runs, never
/// when it was built: one binary in a shared target folder serves every
/// checkout.
///
/// It is the parent of `CARGO_MANIFEST_DIR`, which `cargo run` and
/// `cargo test` set to the xtask package's folder; without that variable it
/// is the folder of the workspace manifest `cargo locate-project --workspace`
/// finds from the current folder.
///
/// ```no_run
/// let root = xtask::workspace_root()?;
/// assert!(root.join("schemas/endpoints.toml").exists());
/// # Ok::<(), xtask::Error>(())
/// ```
pub fn workspace_root() -> Result<PathBuf, Error> {
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => Path::new(&dir).parent().map(Path::to_owned).ok_or_else(|| {
            Error::Workspace(format!("CARGO_MANIFEST_DIR ({}) has no parent", Path::new(&dir).display()))
        }),
        None => locate_workspace(),
    }
}

fn locate_workspace() -> Result<PathBuf, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let output = Command::new(&cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .map_err(|e| Error::Workspace(format!("cannot run `{} locate-project`: {e}", cargo.to_string_lossy())))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Workspace(format!("`cargo locate-project --workspace` failed: {}", stderr.trim())));
    }
    let manifest = String::from_utf8_lossy(&output.stdout);
    let manifest = Path::new(manifest.trim());
    manifest
        .parent()
        .filter(|dir| dir.is_absolute())
        .map(Path::to_owned)
        .ok_or_else(|| Error::Workspace(format!("`cargo locate-project` printed {:?}", manifest.display())))
}

/// Generates every file from `schemas/`; deletes (or, checking, reports)
/// files in the generator's folders that it no longer makes.
///
/// ```no_run
/// let root = xtask::workspace_root()?;
/// let outcome = xtask::regen(&root, xtask::Mode::Check)?;
/// for stale in &outcome.stale {
///     println!("{}", stale.path.display());
/// }
/// # Ok::<(), xtask::Error>(())
/// ```
pub fn regen(root: &Path, mode: Mode) -> Result<Outcome, Error> {
    regen_with(root, mode, &[])
}

/// [`regen`], naming `captures` (paths relative to the root) as the cause
/// of what changed in the API: the changelog entry lists them.
pub fn regen_with(root: &Path, mode: Mode, captures: &[String]) -> Result<Outcome, Error> {
    let output = dylive_codegen::generate(root, &dylive_codegen::header(REGEN))?;
    let mut outcome = Outcome::new(REGEN, mode, root);
    release::update(root, &output.api, &output.crates, captures, &mut outcome)?;
    for file in &output.files {
        outcome.ensure(&file.path, &file.contents)?;
    }
    for dir in &output.owned_dirs {
        for path in files_below(&root.join(dir))? {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            if output.files.iter().any(|f| f.path == relative) {
                continue;
            }
            if mode == Mode::Write {
                std::fs::remove_file(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
            }
            outcome.stale.push(Stale { path: relative.to_owned(), difference: Difference::Orphaned });
        }
    }
    Ok(outcome)
}

/// What `infer` did: its report and the schema files it wrote or compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    /// The inference's account of what it found: types, places, unions,
    /// new and vanished fields.
    pub report: String,
    /// The schema files that differed.
    pub outcome: Outcome,
}

/// Derives the schemas from the fixtures, leaving out the fixtures in
/// `skip`.
///
/// ```no_run
/// let root = xtask::workspace_root()?;
/// let inferred = xtask::infer(&root, &[], xtask::Mode::Check)?;
/// print!("{}", inferred.report);
/// assert!(inferred.outcome.is_clean(), "{}", inferred.outcome);
/// # Ok::<(), xtask::Error>(())
/// ```
pub fn infer(root: &Path, skip: &[PathBuf], mode: Mode) -> Result<Inferred, Error> {
    let inference = dylive_codegen::infer::infer(root, skip)?;
    let mut outcome = Outcome::new("cargo xtask infer", mode, root);
    for file in &inference.files {
        outcome.ensure(&file.path, &file.contents)?;
    }
    Ok(Inferred { report: inference.report.to_string(), outcome })
}

/// Every file below `dir`, sorted; none when `dir` does not exist.
fn files_below(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.depth() == 0 && e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {
                return Ok(out)
            }
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_owned();
                let text = e.to_string();
                return Err(Error::Io {
                    path,
                    source: e.into_io_error().unwrap_or_else(|| std::io::Error::other(text)),
                });
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        if entry.depth() == 0 {
            let source = std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder");
            return Err(Error::Io { path: dir.to_owned(), source });
        }
        out.push(entry.into_path());
    }
    Ok(out)
}

/// Makes the file at `relative` below `root` hold `contents`: writes it when
/// it differs, or, in check mode, only tells how it differs. `None` when it
/// was up to date.
fn ensure_file_contents(root: &Path, relative: &Path, contents: &str, mode: Mode) -> Result<Option<Difference>, Error> {
    let path = &root.join(relative);
    let difference = match std::fs::read(path) {
        // A checkout that turns line feeds into CR LF (`core.autocrlf`, the
        // default of Git for Windows) holds the same text.
        Ok(old) if same_text(&old, contents) => return Ok(None),
        Ok(old) => Difference::Changed { diff: unified_diff(relative, &String::from_utf8_lossy(&old), contents) },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Difference::Missing,
        Err(source) => return Err(Error::Io { path: path.to_owned(), source }),
    };
    if mode == Mode::Write {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io { path: parent.to_owned(), source })?;
        }
        std::fs::write(path, contents).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    }
    Ok(Some(difference))
}

/// Whether the bytes `old` are the text `new`, line endings aside.
fn same_text(old: &[u8], new: &str) -> bool {
    old == new.as_bytes()
        || std::str::from_utf8(old).is_ok_and(|old| old.replace("\r\n", "\n") == new.replace("\r\n", "\n"))
}

/// The unified diff from `old` to `new`, cut after [`DIFF_LINES`] lines.
fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let shown = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new);
    let full = diff.unified_diff().context_radius(2).header(&shown, &format!("{shown} (generated)")).to_string();
    let total = full.lines().count();
    if total <= DIFF_LINES {
        return full;
    }
    let mut cut: String = full.lines().take(DIFF_LINES).flat_map(|line| [line, "\n"]).collect();
    cut.push_str(&format!("... {} more line(s) of diff\n", total - DIFF_LINES));
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace with one endpoint whose model crate goes to `out/`.
    fn workspace() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join("schemas")).expect("schemas dir");
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
        std::fs::write(root.path().join("schemas/endpoints.toml"), manifest).expect("write");
        std::fs::write(root.path().join("schemas/e.schema.json"), schema).expect("write");
        root
    }

    fn paths(outcome: &Outcome) -> Vec<(String, &Difference)> {
        outcome.stale.iter().map(|s| (s.path.display().to_string(), &s.difference)).collect()
    }

    #[test]
    fn check_fails_on_stale_and_orphaned_files_and_regen_mends_both() {
        let dir = workspace();
        let root = dir.path();
        let first = regen(root, Mode::Write).expect("regen");
        assert!(!first.failed(), "writing never fails a check");
        assert!(paths(&first).contains(&("out/src/lib.rs".to_owned(), &Difference::Missing)), "{first}");
        let check = regen(root, Mode::Check).expect("check");
        assert!(check.is_clean(), "up to date after a run: {check}");

        let orphan = root.join("out/src/old.rs");
        std::fs::write(&orphan, "// left from a removed schema\n").expect("write");
        let lib = root.join("out/src/lib.rs");
        let generated = std::fs::read_to_string(&lib).expect("generated");
        std::fs::write(&lib, format!("{generated}// edited by hand\n")).expect("write");

        let check = regen(root, Mode::Check).expect("check");
        assert!(check.failed());
        let found = paths(&check);
        assert_eq!(found.len(), 2, "one stale, one orphaned: {check}");
        assert_eq!(found[1], ("out/src/old.rs".to_owned(), &Difference::Orphaned));
        let Difference::Changed { diff } = found[0].1 else { panic!("lib.rs changed: {check}") };
        assert_eq!(found[0].0, "out/src/lib.rs");
        assert!(diff.contains("\n-// edited by hand\n"), "the diff removes the edit: {diff}");
        let report = check.to_string();
        assert!(report.contains("out/src/lib.rs is out of date; `cargo xtask regen` rewrites it"), "{report}");
        assert!(report.contains("out/src/old.rs: no schema makes this file any more"), "{report}");
        assert!(report.contains("2 file(s) out of date"), "{report}");
        assert!(orphan.exists(), "check writes nothing");

        let mended = regen(root, Mode::Write).expect("regen");
        assert_eq!(mended.stale.len(), 2, "{mended}");
        assert!(!orphan.exists(), "regen deletes the orphan");
        assert_eq!(std::fs::read_to_string(&lib).ok(), Some(generated));
        assert!(regen(root, Mode::Check).expect("check").is_clean());
    }

    #[test]
    fn a_checkout_with_cr_lf_line_endings_is_fresh() {
        let dir = workspace();
        let root = dir.path();
        regen(root, Mode::Write).expect("regen");
        let lib = root.join("out/src/lib.rs");
        let generated = std::fs::read_to_string(&lib).expect("generated");
        std::fs::write(&lib, generated.replace('\n', "\r\n")).expect("write");
        assert!(regen(root, Mode::Check).expect("check").is_clean(), "CR LF is the same text");
        std::fs::write(&lib, generated.replace('\n', "\r\n").replacen("\r\n", "\r\n// edited\r\n", 1)).expect("write");
        assert!(regen(root, Mode::Check).expect("check").failed(), "an edit is still one");
    }

    #[test]
    fn a_long_diff_is_cut() {
        let old: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..200).map(|i| format!("line {}\n", i * 2)).collect();
        let diff = unified_diff(Path::new("f.rs"), &old, &new);
        assert!(diff.starts_with("--- f.rs\n+++ f.rs (generated)\n"), "{diff}");
        assert_eq!(diff.lines().count(), DIFF_LINES + 1, "{diff}");
        assert!(diff.ends_with(" more line(s) of diff\n"), "{diff}");
        let short = unified_diff(Path::new("f.rs"), "a\nb\n", "a\nc\n");
        assert!(short.contains("\n-b\n+c\n"), "{short}");
        assert!(!short.contains("more line(s)"), "{short}");
    }
}
