//! `cargo xtask adopt`: captured responses become fixtures in one step.
//!
//! For each capture, [`adopt`]:
//!
//! 1. refuses it unless it is JSON and differs from every fixture of every
//!    endpoint;
//! 2. finds its endpoint the way `dylive check` does, by running it
//!    (`cargo run -p dylive-cli -- check --per-file --json`), or takes the one named;
//! 3. copies it to the endpoint's fixtures folder as
//!    `captured-YYYY-MM-DD-<name>.json` (the date of its modification, UTC),
//!    never over another file;
//!
//! then runs `infer` and `regen` once, and compares the models before and
//! after ([`dylive_codegen::changes`]). Should infer or regen fail, the
//! copies are removed and the schemas restored, so that nothing is half
//! adopted.
//!
//! ```no_run
//! let root = xtask::workspace_root()?;
//! let adoption = xtask::adopt::adopt(&root, &["ranks.json".into()], Some("room-ranklist"))?;
//! for adopted in &adoption.adopted {
//!     println!("{adopted}");
//! }
//! if let Some(changes) = &adoption.changes {
//!     print!("{changes}");
//! }
//! # Ok::<(), xtask::adopt::Error>(())
//! ```
//!
//! `dylive check` needs the generated models to compile; `--endpoint`
//! (`endpoint` here) skips it, so that adopting works whatever state the
//! models are in.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use dylive_codegen::api::Api;
use dylive_codegen::changes::Changes;
use dylive_codegen::manifest::Endpoint;
use dylive_codegen::Manifest;
use dylive_runtime::names::cli_name;

use crate::{Mode, Outcome};

/// Why adopting stopped before anything was adopted.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `--endpoint` names no endpoint of `schemas/endpoints.toml`.
    #[error("no endpoint named `{name}`; the endpoints are {known}")]
    UnknownEndpoint {
        /// The name given.
        name: String,
        /// The endpoints, in command-line spelling.
        known: String,
    },
    /// `dylive check` could not be run, or could not read a capture.
    #[error("cannot detect the endpoints with `{command}`: {message}")]
    Detect {
        /// The command run.
        command: String,
        /// What went wrong, with what the command printed.
        message: String,
    },
    /// Inference or generation failed after the captures were copied; the
    /// copies were removed and the schemas restored.
    #[error("{source}\nnothing was adopted: the fixtures and schemas are as they were")]
    RolledBack {
        /// The failure.
        source: Box<crate::Error>,
    },
    /// Reading the workspace, or loading its schemas, failed.
    #[error(transparent)]
    Workspace(#[from] crate::Error),
}

impl From<dylive_codegen::Error> for Error {
    fn from(error: dylive_codegen::Error) -> Self {
        Error::Workspace(crate::Error::Codegen(error))
    }
}

/// A capture copied into `fixtures/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    /// The file as it was named.
    pub source: PathBuf,
    /// The fixture, relative to the workspace root.
    pub fixture: PathBuf,
    /// The endpoint, as `endpoints.toml` names it (`room_ranklist`).
    pub endpoint: String,
}

impl fmt::Display for Adopted {
    /// `adopted fixtures/room_ranklist/captured-2025-01-31-ranks.json as
    /// room-ranklist (from ranks.json)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = cli_name(&self.endpoint);
        write!(f, "adopted {} as {endpoint} (from {})", self.fixture.display(), self.source.display())
    }
}

/// A capture that was not adopted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The file as it was named.
    pub source: PathBuf,
    /// Why.
    pub reason: Refusal,
}

/// Why a capture was not adopted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It could not be read.
    Unreadable(String),
    /// It is not UTF-8 JSON.
    NotJson {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A fixture, or an earlier capture of the same run, has the same bytes.
    Duplicate {
        /// That fixture, relative to the workspace root, or that capture.
        of: PathBuf,
    },
    /// `dylive check` found no endpoint it fits.
    Undetected,
    /// `dylive check` named an endpoint `endpoints.toml` does not list.
    UnknownEndpoint(String),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = self.source.display();
        match &self.reason {
            Refusal::Unreadable(error) => write!(f, "refused {source}: cannot read it: {error}"),
            Refusal::NotJson { line, column, message } => {
                write!(f, "refused {source}:{line}:{column}: not JSON: {message}")
            }
            Refusal::Duplicate { of } => write!(f, "refused {source}: a duplicate of {}", of.display()),
            Refusal::Undetected => {
                write!(f, "refused {source}: `dylive check` cannot tell its endpoint; name it with --endpoint NAME")
            }
            Refusal::UnknownEndpoint(name) => {
                write!(f, "refused {source}: `dylive check` says `{name}`, which schemas/endpoints.toml does not list")
            }
        }
    }
}

/// What [`adopt`] did.
#[derive(Debug)]
pub struct Adoption {
    /// The captures copied, in the order given.
    pub adopted: Vec<Adopted>,
    /// The captures refused, in the order given.
    pub refused: Vec<Refused>,
    /// The schema files infer wrote; `None` when nothing was adopted.
    pub infer: Option<Outcome>,
    /// What infer could not describe exactly, one line each.
    pub conflicts: Vec<String>,
    /// The generated files regen wrote; `None` when nothing was adopted.
    pub regen: Option<Outcome>,
    /// What changed in the schemas; `None` when nothing was adopted.
    pub changes: Option<Changes>,
}

impl Adoption {
    /// Whether the command should fail: nothing was adopted.
    pub fn failed(&self) -> bool {
        self.adopted.is_empty()
    }
}

/// A capture that passed the checks that need no endpoint.
struct Candidate {
    source: PathBuf,
    absolute: PathBuf,
    bytes: Vec<u8>,
    modified: Option<SystemTime>,
}

/// Adopts `files` as fixtures of the workspace at `root`: of the endpoint
/// `endpoint` (`room-ranklist` or `room_ranklist`), or each of the one
/// `dylive check` detects. Then runs infer and regen, and compares the
/// models before and after.
///
/// A file that cannot be adopted is [`Refused`], and the others still are;
/// an [`Error`] means nothing was.
pub fn adopt(root: &Path, files: &[PathBuf], endpoint: Option<&str>) -> Result<Adoption, Error> {
    let manifest = Manifest::load(root)?;
    let forced = endpoint.map(|name| find_endpoint(&manifest, name)).transpose()?;
    let before = Api::of(&dylive_codegen::model::load(root)?);

    let mut refused = Vec::new();
    let mut known: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for endpoint in &manifest.endpoints {
        for path in crate::files_below(&root.join(&endpoint.fixtures))? {
            let bytes = std::fs::read(&path).map_err(|source| crate::Error::Io { path: path.clone(), source })?;
            known.push((path.strip_prefix(root).unwrap_or(&path).to_owned(), bytes));
        }
    }
    let mut candidates = Vec::new();
    for file in files {
        match candidate(file, &known) {
            Ok(candidate) => {
                known.push((candidate.source.clone(), candidate.bytes.clone()));
                candidates.push(candidate);
            }
            Err(reason) => refused.push(Refused { source: file.clone(), reason }),
        }
    }

    let endpoints: Vec<Option<String>> = match forced {
        Some(endpoint) => vec![Some(endpoint.name.clone()); candidates.len()],
        None if candidates.is_empty() => Vec::new(),
        None => {
            let paths: Vec<PathBuf> = candidates.iter().map(|c| c.absolute.clone()).collect();
            detect(root, &paths)?
        }
    };
    let mut chosen: Vec<(Candidate, &Endpoint)> = Vec::new();
    for (candidate, name) in candidates.into_iter().zip(endpoints) {
        let reason = match name {
            None => Refusal::Undetected,
            Some(name) => match find_endpoint(&manifest, &name) {
                Ok(endpoint) => {
                    chosen.push((candidate, endpoint));
                    continue;
                }
                Err(_) => Refusal::UnknownEndpoint(name),
            },
        };
        refused.push(Refused { source: candidate.source, reason });
    }
    refused.sort_by_key(|r| files.iter().position(|f| *f == r.source));

    let mut adoption =
        Adoption { adopted: Vec::new(), refused, infer: None, conflicts: Vec::new(), regen: None, changes: None };
    if chosen.is_empty() {
        return Ok(adoption);
    }
    let schemas = snapshot(&root.join("schemas"))?;
    for (candidate, endpoint) in &chosen {
        match copy(root, candidate, endpoint) {
            Ok(fixture) => adoption.adopted.push(Adopted {
                source: candidate.source.clone(),
                fixture,
                endpoint: endpoint.name.clone(),
            }),
            Err(error) => return Err(roll_back(root, &adoption.adopted, &schemas, error)),
        }
    }
    match infer_and_regen(root, &mut adoption) {
        Ok(after) => {
            adoption.changes = Some(dylive_codegen::changes::diff(&before, &after));
            Ok(adoption)
        }
        Err(error) => Err(roll_back(root, &adoption.adopted, &schemas, error)),
    }
}

/// The endpoint `name` names, in either spelling.
fn find_endpoint<'m>(manifest: &'m Manifest, name: &str) -> Result<&'m Endpoint, Error> {
    let wanted = dylive_runtime::names::manifest_name(name);
    manifest.endpoints.iter().find(|e| e.name == wanted).ok_or_else(|| Error::UnknownEndpoint {
        name: name.to_owned(),
        known: manifest.endpoints.iter().map(|e| cli_name(&e.name)).collect::<Vec<_>>().join(", "),
    })
}

/// Reads `file` and checks what needs no endpoint: it is JSON and not a
/// copy of one of `known`.
fn candidate(file: &Path, known: &[(PathBuf, Vec<u8>)]) -> Result<Candidate, Refusal> {
    let bytes = std::fs::read(file).map_err(|e| Refusal::Unreadable(e.to_string()))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Refusal::NotJson { line, column, message: "not UTF-8".to_owned() }
    })?;
    if let Err(e) = dylive_json::parse(text) {
        return Err(Refusal::NotJson { line: e.line, column: e.column, message: e.message });
    }
    if let Some((of, _)) = known.iter().find(|(_, other)| *other == bytes) {
        return Err(Refusal::Duplicate { of: of.clone() });
    }
    let metadata = std::fs::metadata(file).map_err(|e| Refusal::Unreadable(e.to_string()))?;
    let absolute = file.canonicalize().map_err(|e| Refusal::Unreadable(e.to_string()))?;
    Ok(Candidate { source: file.to_owned(), absolute, bytes, modified: metadata.modified().ok() })
}

/// The endpoint of each file, as `dylive check --per-file --json` in the workspace
/// at `root` detects it (in its command-line spelling), or `None`.
fn detect(root: &Path, files: &[PathBuf]) -> Result<Vec<Option<String>>, Error> {
    eprintln!("detecting the endpoint of {} capture(s) with `dylive check`", files.len());
    let report = check_per_file(root, files)?;
    let names: Vec<String> = files.iter().map(|f| f.to_string_lossy().into_owned()).collect();
    endpoints_of(&report, &names).map_err(|message| Error::Detect { command: CHECK.to_owned(), message })
}

/// How `dylive check` is run in the workspace, as shown in errors.
const CHECK: &str = "cargo run -q -p dylive-cli -- check --per-file --json PATH...";

/// The per-file report of `dylive check --per-file --json PATHS` (files or
/// folders), run in the workspace at `root` so that its models are the
/// workspace's own.
fn check_per_file(root: &Path, paths: &[PathBuf]) -> Result<String, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let fail = |message: String| Error::Detect { command: CHECK.to_owned(), message };
    let output = Command::new(&cargo)
        .arg("run")
        .arg("-q")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["-p", "dylive-cli", "--", "check", "--per-file", "--json"])
        .args(paths)
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fail(format!("cannot run it: {e}")))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        // 1 is drift, which is what a capture worth adopting has.
        Some(0 | 1) => {}
        Some(2) => return Err(fail(format!("it cannot read a capture:\n{}", stderr.trim_end()))),
        _ => {
            return Err(fail(format!(
                "{}:\n{}\nname the endpoint with --endpoint NAME to adopt without it",
                output.status,
                stderr.trim_end()
            )))
        }
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// A capture of a corpus picked for adoption, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// The capture.
    pub file: PathBuf,
    /// Its endpoint, in command-line spelling.
    pub endpoint: String,
    /// Its size in bytes.
    pub size: u64,
    /// The findings (`new User.webcast_uid`) no capture picked before it
    /// shows.
    pub covers: Vec<String>,
}

impl fmt::Display for Pick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, more) =
            (self.covers.iter().take(5).cloned().collect::<Vec<_>>(), self.covers.len().saturating_sub(5));
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        write!(
            f,
            "picked {} ({}, {} bytes): {} finding(s) no earlier pick shows: {}{more}",
            self.file.display(),
            self.endpoint,
            self.size,
            self.covers.len(),
            shown.join(", ")
        )
    }
}

/// One capture's findings, from a per-file report.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The capture.
    pub file: PathBuf,
    /// Its endpoint, in command-line spelling.
    pub endpoint: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its findings, as `what Type.property`.
    pub findings: BTreeSet<String>,
}

/// The captures of a per-file report of `dylive check --per-file --json` that decode,
/// with their findings; `size` gives each file's size.
pub fn shown_in(report: &str, size: impl Fn(&Path) -> u64) -> Result<Vec<Shown>, String> {
    let tree = reports(report)?;
    let mut shown = Vec::new();
    for report in tree.items() {
        let (Some(file), Some(endpoint)) = (report.get_str("file"), report.get_str("endpoint")) else { continue };
        if report.get("decode_error").is_some_and(|e| !e.is_null()) {
            continue;
        }
        let groups = report.get("groups").map(dylive_json::Value::items).unwrap_or_default();
        let findings = groups
            .iter()
            .filter_map(|group| Some(format!("{} {}", group.get_str("what")?, group.get_str("place")?)))
            .collect();
        let file = PathBuf::from(file);
        shown.push(Shown { size: size(&file), file, endpoint: endpoint.to_owned(), findings });
    }
    Ok(shown)
}

/// The per-file report of `dylive check --per-file --json`: an array of
/// one object a capture.
fn reports(report: &str) -> Result<dylive_json::Json<'_>, String> {
    let tree = dylive_json::parse(report).map_err(|e| format!("its report is not JSON: {e}"))?;
    match tree {
        dylive_json::Value::Array(_) => Ok(tree),
        _ => Err("its report is not an array".to_owned()),
    }
}

/// The fewest captures that, together, show every finding of `captures`,
/// endpoint by endpoint, picked greedily: the capture showing the most
/// findings not yet shown, the smaller on a tie, then the first by name.
/// A set cover is hard to find exactly; the greedy pick is within a factor
/// of the logarithm of the number of findings of the smallest.
pub fn cover(captures: &[Shown]) -> Vec<Pick> {
    let mut picks = Vec::new();
    let endpoints: BTreeSet<&str> = captures.iter().map(|c| c.endpoint.as_str()).collect();
    for endpoint in endpoints {
        let of: Vec<&Shown> = captures.iter().filter(|c| c.endpoint == endpoint).collect();
        let mut left: BTreeSet<&String> = of.iter().flat_map(|c| &c.findings).collect();
        while !left.is_empty() {
            let best = of
                .iter()
                .map(|c| (c.findings.iter().filter(|f| left.contains(f)).count(), c))
                .filter(|(covered, _)| *covered > 0)
                .max_by(|(a, x), (b, y)| a.cmp(b).then(y.size.cmp(&x.size)).then(y.file.cmp(&x.file)));
            let Some((_, capture)) = best else { break };
            let covers: Vec<String> = capture.findings.iter().filter(|f| left.contains(f)).cloned().collect();
            covers.iter().for_each(|f| {
                left.remove(f);
            });
            picks.push(Pick { file: capture.file.clone(), endpoint: endpoint.to_owned(), size: capture.size, covers });
        }
    }
    picks
}

/// The captures under `paths` (files or folders) that together show every
/// finding `dylive check` has of them, as [`cover`] picks them.
pub fn pick(root: &Path, paths: &[PathBuf]) -> Result<Vec<Pick>, Error> {
    let absolute: Vec<PathBuf> = paths.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect();
    eprintln!("checking the corpus with `dylive check`");
    let report = check_per_file(root, &absolute)?;
    let size = |file: &Path| std::fs::metadata(file).map_or(0, |m| m.len());
    let shown = shown_in(&report, size).map_err(|message| Error::Detect { command: CHECK.to_owned(), message })?;
    Ok(cover(&shown))
}

/// The endpoint of each of `files` in the report `dylive check --per-file --json`
/// printed: an array of objects with `"file"` and `"endpoint"`.
pub fn endpoints_of(report: &str, files: &[String]) -> Result<Vec<Option<String>>, String> {
    let tree = reports(report)?;
    let mut found = BTreeMap::new();
    for report in tree.items() {
        if let Some(file) = report.get_str("file") {
            found.insert(file.to_owned(), report.get_str("endpoint").map(str::to_owned));
        }
    }
    files.iter().map(|file| found.get(file).cloned().ok_or_else(|| format!("its report leaves out {file}"))).collect()
}

/// Copies the capture into the endpoint's fixtures folder, under a name
/// no file has; returns the fixture's path relative to `root`.
fn copy(root: &Path, candidate: &Candidate, endpoint: &Endpoint) -> Result<PathBuf, crate::Error> {
    let dir = root.join(&endpoint.fixtures);
    std::fs::create_dir_all(&dir).map_err(|source| crate::Error::Io { path: dir.clone(), source })?;
    let date = candidate.modified.and_then(utc_date).unwrap_or_else(|| "undated".to_owned());
    let stem = candidate.source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let base = format!("captured-{date}-{}", slug(&stem));
    let mut n = 1u64;
    loop {
        let name = if n == 1 { format!("{base}.json") } else { format!("{base}-{n}.json") };
        let path = dir.join(&name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(&candidate.bytes).map_err(|source| crate::Error::Io { path: path.clone(), source })?;
                return Ok(Path::new(&endpoint.fixtures).join(name));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(source) => return Err(crate::Error::Io { path, source }),
        }
    }
}

/// Runs infer and regen, and loads the model they leave.
fn infer_and_regen(root: &Path, adoption: &mut Adoption) -> Result<Api, crate::Error> {
    let inferred = crate::infer(root, &[], Mode::Write)?;
    adoption.conflicts = section(&inferred.report, "conflicts:");
    adoption.infer = Some(inferred.outcome);
    let after = Api::of(&dylive_codegen::model::load(root)?);
    let captures: Vec<String> =
        adoption.adopted.iter().map(|a| a.fixture.to_string_lossy().replace('\\', "/")).collect();
    adoption.regen = Some(crate::regen_with(root, Mode::Write, &captures)?);
    Ok(after)
}

/// The indented lines under `title` in infer's report.
fn section(report: &str, title: &str) -> Vec<String> {
    report
        .lines()
        .skip_while(|line| *line != title)
        .skip(1)
        .take_while(|line| line.starts_with(' '))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Every file below `dir` with its contents.
fn snapshot(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, crate::Error> {
    crate::files_below(dir)?
        .into_iter()
        .map(|path| match std::fs::read(&path) {
            Ok(bytes) => Ok((path, bytes)),
            Err(source) => Err(crate::Error::Io { path, source }),
        })
        .collect()
}

/// Removes the copies and puts the schemas back as they were; returns the
/// error to report.
fn roll_back(root: &Path, adopted: &[Adopted], schemas: &[(PathBuf, Vec<u8>)], error: crate::Error) -> Error {
    let mut trouble = Vec::new();
    for adopted in adopted {
        let path = root.join(&adopted.fixture);
        if let Err(e) = std::fs::remove_file(&path) {
            trouble.push(format!("cannot remove {}: {e}", path.display()));
        }
    }
    if let Ok(now) = crate::files_below(&root.join("schemas")) {
        for path in now.iter().filter(|path| !schemas.iter().any(|(p, _)| p == *path)) {
            if let Err(e) = std::fs::remove_file(path) {
                trouble.push(format!("cannot remove {}: {e}", path.display()));
            }
        }
    }
    for (path, bytes) in schemas {
        if std::fs::read(path).ok().as_ref() != Some(bytes) {
            if let Err(e) = std::fs::write(path, bytes) {
                trouble.push(format!("cannot restore {}: {e}", path.display()));
            }
        }
    }
    if trouble.is_empty() {
        Error::RolledBack { source: Box::new(error) }
    } else {
        let message = format!("{error}\nand undoing the adoption failed too:\n  {}", trouble.join("\n  "));
        Error::Workspace(crate::Error::Workspace(message))
    }
}

/// The UTC date `YYYY-MM-DD` of `time`; `None` for a time before 1970 or
/// after 9999, which the calendar of RFC 3339 does not write.
fn utc_date(time: SystemTime) -> Option<String> {
    let seconds = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    if seconds >= 253_402_300_800 {
        return None;
    }
    let stamp = humantime::format_rfc3339_seconds(time).to_string();
    stamp.get(..10).map(str::to_owned)
}

/// A file stem made fit for a fixture's name: lowercase ASCII letters,
/// digits and single dashes, at most 60 characters, without the prefix an
/// adopted fixture already has; `capture` when nothing is left.
fn slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut rest = out.as_str();
    while let Some(after) = rest.strip_prefix("captured-").and_then(strip_date) {
        rest = after;
    }
    let mut slug: String = rest.chars().take(60).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "capture".to_owned()
    } else {
        slug
    }
}

/// `text` after a leading `YYYY-MM-DD-`.
fn strip_date(text: &str) -> Option<&str> {
    let (date, rest) = (text.get(..11)?, text.get(11..)?);
    let shape =
        date.bytes().enumerate().all(|(i, b)| if matches!(i, 4 | 7 | 10) { b == b'-' } else { b.is_ascii_digit() });
    shape.then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A per-file report as `dylive check --per-file --json` writes it.
    fn report(captures: &[(&str, &str, &[&str])]) -> String {
        let reports: Vec<String> = captures
            .iter()
            .map(|(file, endpoint, findings)| {
                let groups: Vec<String> = findings
                    .iter()
                    .map(|f| {
                        let (what, place) = f.split_once(' ').unwrap_or_default();
                        format!(r#"{{"what":"{what}","place":"{place}","count":1}}"#)
                    })
                    .collect();
                format!(
                    r#"{{"file":"{file}","endpoint":"{endpoint}","decode_error":null,"groups":[{}]}}"#,
                    groups.join(",")
                )
            })
            .collect();
        format!("[{}]", reports.join(","))
    }

    fn picked(captures: &[(&str, &str, &[&str])], size: impl Fn(&Path) -> u64) -> Vec<(String, Vec<String>)> {
        let shown = shown_in(&report(captures), size).expect("a report");
        cover(&shown).into_iter().map(|pick| (pick.file.display().to_string(), pick.covers)).collect()
    }

    #[test]
    fn a_corpus_with_three_kinds_of_change_is_covered_by_three_captures() {
        // 300 captures: every third is clean, the others show one of three
        // changes; sizes vary, and the smallest of each kind is picked.
        let names: Vec<String> = (0..300).map(|i| format!("r-{i:03}.json")).collect();
        let kinds: [&[&str]; 4] = [&[], &["new User.webcast_uid"], &["new Rank.gift_wall"], &["other_kind Rank.rank"]];
        let captures: Vec<(&str, &str, &[&str])> =
            names.iter().enumerate().map(|(i, name)| (name.as_str(), "room-ranklist", kinds[i % 4])).collect();
        let size = |file: &Path| {
            let i: u64 = file.display().to_string()[2..5].parse().unwrap_or(0);
            1_000 + (i * 7919) % 1_000
        };
        let picks = picked(&captures, size);
        assert_eq!(picks.len(), 3, "{picks:?}");
        for (file, covers) in &picks {
            assert_eq!(covers.len(), 1, "{file}: {covers:?}");
            let kind = captures.iter().find(|c| c.0 == file).map(|c| c.2).unwrap_or_default();
            let smallest = captures.iter().filter(|c| c.2 == kind).map(|c| size(Path::new(c.0))).min();
            assert_eq!(Some(size(Path::new(file))), smallest, "{file}");
        }
    }

    #[test]
    fn the_capture_showing_the_most_is_picked_first_and_endpoints_are_covered_apart() {
        let captures: [(&str, &str, &[&str]); 5] = [
            ("a.json", "room-ranklist", &["new User.a"]),
            ("b.json", "room-ranklist", &["new User.b"]),
            ("ab.json", "room-ranklist", &["new User.a", "new User.b"]),
            ("c.json", "rank-goods", &["new User.a"]),
            ("clean.json", "rank-goods", &[]),
        ];
        let picks = picked(&captures, |_| 10);
        assert_eq!(
            picks,
            [
                ("c.json".to_owned(), vec!["new User.a".to_owned()]),
                ("ab.json".to_owned(), vec!["new User.a".to_owned(), "new User.b".to_owned()]),
            ]
        );
        // A capture that does not decode is not picked.
        let failing = r#"[{"file":"x.json","endpoint":"rank-all","decode_error":{"pointer":""},"groups":[{"what":"new","place":"A.b"}]}]"#;
        assert!(cover(&shown_in(failing, |_| 1).expect("a report")).is_empty());
    }

    #[test]
    fn dates_are_utc_dates_of_the_modification_time() {
        let at = |seconds: u64| utc_date(UNIX_EPOCH + std::time::Duration::from_secs(seconds));
        assert_eq!(at(0).as_deref(), Some("1970-01-01"));
        assert_eq!(at(86_399).as_deref(), Some("1970-01-01"));
        assert_eq!(at(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(at(1_700_000_000).as_deref(), Some("2023-11-14"));
        assert_eq!(at(253_402_300_800), None);
        assert_eq!(utc_date(UNIX_EPOCH - std::time::Duration::from_secs(1)), None);
    }

    #[test]
    fn slugs_keep_what_names_the_capture() {
        assert_eq!(slug("Ranks 200 (full)"), "ranks-200-full");
        assert_eq!(slug("room_info.2023"), "room-info-2023");
        assert_eq!(slug("--直播--"), "capture");
        assert_eq!(slug(""), "capture");
        assert_eq!(slug("captured-2024-05-06-ranks"), "ranks");
        assert_eq!(slug("captured-2024-05-06-captured-2024-05-07-ranks-2"), "ranks-2");
        assert_eq!(slug("captured-ranks"), "captured-ranks");
        assert_eq!(slug(&"a-".repeat(40)).len(), 59, "cut to 60, then the dash");
    }

    #[test]
    fn the_report_of_check_gives_each_file_its_endpoint() {
        let report = r#"[
            {"file": "/a.json", "endpoint": "room-ranklist", "fit": {"decodes": true}},
            {"file": "/b.json", "endpoint": null, "counts": {"new": 3}}
        ]"#;
        let files = ["/b.json".to_owned(), "/a.json".to_owned()];
        assert_eq!(endpoints_of(report, &files), Ok(vec![None, Some("room-ranklist".to_owned())]));
        let missing = endpoints_of(report, &["/c.json".to_owned()]).expect_err("no report for c");
        assert!(missing.contains("/c.json"), "{missing}");
        assert!(endpoints_of("{}", &files).is_err());
        assert!(endpoints_of("[1,", &files).is_err());
    }

    /// A workspace with one endpoint `e_list`, whose fixtures folder holds
    /// one response, its schemas inferred and its crate generated.
    fn workspace() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        let manifest = r#"
[models]
crate_dir = "out"
shared = []
unknown_fields = "unknown_fields"

[[endpoint]]
name = "e_list"
summary = "An endpoint."
document = "doc.txt"
method = "GET"
path = "/e"
auth = { query = "token" }
response = "EResponse"
schema = "e.schema.json"
fixtures = "fixtures/e_list"
"#;
        std::fs::create_dir_all(root.path().join("schemas")).expect("schemas dir");
        std::fs::create_dir_all(root.path().join("fixtures/e_list")).expect("fixtures dir");
        std::fs::write(root.path().join("schemas/endpoints.toml"), manifest).expect("write");
        std::fs::write(root.path().join("schemas/e.schema.json"), r#"{"title": "EResponse"}"#).expect("write");
        let first = r#"{"code": 0, "item": {"id": 1, "name": "a"}}"#;
        std::fs::write(root.path().join("fixtures/e_list/first.json"), first).expect("write");
        std::fs::create_dir_all(root.path().join("out")).expect("crate dir");
        let cargo = "[package]\nname = \"e-models\"\nversion = \"0.3.0\"\nedition = \"2021\"\n";
        std::fs::write(root.path().join("out/Cargo.toml"), cargo).expect("write");
        crate::infer(root.path(), &[], Mode::Write).expect("infer");
        crate::regen(root.path(), Mode::Write).expect("regen");
        root
    }

    fn today() -> String {
        utc_date(SystemTime::now()).unwrap_or_default()
    }

    #[test]
    fn a_kind_change_is_breaking_and_check_fails_on_a_stale_version_or_changelog() {
        let dir = workspace();
        let root = dir.path();
        let captures = tempfile::tempdir().expect("temp dir");
        let capture = captures.path().join("string-id.json");
        std::fs::write(&capture, r#"{"code": 0, "item": {"id": "2", "name": "b"}}"#).expect("write");
        let adoption = adopt(root, std::slice::from_ref(&capture), Some("e_list")).expect("adopt");
        let changes = adoption.changes.as_ref().expect("changes");
        assert_eq!(changes.class(), Some(dylive_codegen::changes::Class::Breaking), "{changes}");
        let manifest = std::fs::read_to_string(root.join("out/Cargo.toml")).expect("manifest");
        assert!(manifest.contains("version = \"0.4.0\""), "a breaking change raises the minor version: {manifest}");
        let changelog = std::fs::read_to_string(root.join("out/CHANGELOG.md")).expect("changelog");
        assert!(
            changelog
                .contains("#### Breaking\n\n- `Item`: field id: now a union, ItemId (string | integer); was integer\n"),
            "{changelog}"
        );
        assert!(crate::regen(root, Mode::Check).expect("regen").is_clean());

        // A version or changelog that the history does not make fails the check, naming the file.
        std::fs::write(root.join("out/Cargo.toml"), manifest.replace("0.4.0", "0.3.1")).expect("write");
        let check = crate::regen(root, Mode::Check).expect("regen");
        assert_eq!(check.stale.iter().map(|s| s.path.clone()).collect::<Vec<_>>(), [PathBuf::from("out/Cargo.toml")]);
        assert!(check.to_string().contains("-version = \"0.3.1\"\n+version = \"0.4.0\""), "{check}");
        std::fs::write(root.join("out/CHANGELOG.md"), changelog.replace("Breaking", "Added")).expect("write");
        let check = crate::regen(root, Mode::Check).expect("regen");
        assert_eq!(check.stale.len(), 2, "{check}");
        // A changed schema that no regen recorded: the record, history and changelog are stale (the
        // version is not: docs add to a release that is breaking already).
        assert!(!crate::regen(root, Mode::Write).expect("regen").is_clean());
        let schema = root.join("schemas/e.schema.json");
        let text = std::fs::read_to_string(&schema).expect("schema");
        std::fs::write(
            &schema,
            text.replacen(r#""type": "object","#, r#""type": "object", "description": "The response.","#, 1),
        )
        .expect("write");
        let check = crate::regen(root, Mode::Check).expect("regen");
        for stale in ["release/api.json", "release/e-models.toml", "out/CHANGELOG.md"] {
            assert!(check.stale.iter().any(|s| s.path == Path::new(stale)), "{stale}: {check}");
        }
        crate::regen(root, Mode::Write).expect("regen");
        let manifest = std::fs::read_to_string(root.join("out/Cargo.toml")).expect("manifest");
        assert!(manifest.contains("version = \"0.4.0\""), "docs add to the breaking release: {manifest}");
        assert!(crate::regen(root, Mode::Check).expect("regen").is_clean());
    }

    #[test]
    fn a_capture_is_copied_inferred_and_generated_and_its_changes_listed() {
        let dir = workspace();
        let root = dir.path();
        let captures = tempfile::tempdir().expect("temp dir");
        let capture = captures.path().join("Second Try.json");
        let body = r#"{"code": 0, "item": {"id": 2, "label": "new"}, "page": {"next": 12345678901234567890123}}"#;
        std::fs::write(&capture, body).expect("write");
        let before = std::fs::read_to_string(root.join("out/src/e.rs")).expect("generated");

        let adoption = adopt(root, std::slice::from_ref(&capture), Some("e-list")).expect("adopt");
        assert!(!adoption.failed() && adoption.refused.is_empty(), "{:?}", adoption.refused);
        let fixture = PathBuf::from(format!("fixtures/e_list/captured-{}-second-try.json", today()));
        assert_eq!(
            adoption.adopted,
            [Adopted { source: capture.clone(), fixture: fixture.clone(), endpoint: "e_list".into() }]
        );
        assert_eq!(
            adoption.adopted[0].to_string(),
            format!("adopted {} as e-list (from {})", fixture.display(), capture.display())
        );
        assert_eq!(std::fs::read_to_string(root.join(&fixture)).ok().as_deref(), Some(body));

        let changes = adoption.changes.as_ref().expect("changes").to_string();
        let lines: Vec<&str> = changes.lines().collect();
        assert_eq!(
            lines,
            [
                "schema changes: 1 new type, 2 new fields, 1 field now optional, 1 docs change",
                "EResponse",
                "  new field page: Page",
                "Item",
                "  docs of id",
                "  field name: now optional",
                "  new field label: string",
                "Page",
                "  new type: object, 1 field (next)",
            ],
            "{changes}"
        );

        // New properties are additive: a patch, with an entry naming them and the capture.
        let manifest = std::fs::read_to_string(root.join("out/Cargo.toml")).expect("manifest");
        assert!(manifest.contains("version = \"0.3.1\""), "{manifest}");
        let changelog = std::fs::read_to_string(root.join("out/CHANGELOG.md")).expect("changelog");
        for expected in [
            "## Unreleased: 0.3.1\n",
            &format!("### Adopted `{}`\n", fixture.display()),
            "#### Now typed, no longer in `unknown_fields`\n\n- `EResponse`: page\n- `Item`: label\n",
            "#### Added\n\n- `EResponse`: new field page: Page\n- `Item`: new field label: string\n- `Page`: new type",
            "#### Docs\n\n- `Item`: docs of id; field name: now optional\n",
            "## 0.3.0\n",
        ] {
            assert!(changelog.contains(expected), "{expected:?} in\n{changelog}");
        }
        let infer = adoption.infer.as_ref().expect("infer ran");
        assert!(infer.stale.iter().any(|s| s.path == Path::new("schemas/e.schema.json")), "{infer}");
        assert!(adoption.regen.as_ref().is_some_and(|regen| !regen.is_clean()));
        assert_ne!(std::fs::read_to_string(root.join("out/src/e.rs")).ok(), Some(before), "regen ran");
        assert!(crate::infer(root, &[], Mode::Check).expect("infer").outcome.is_clean());
        assert!(crate::regen(root, Mode::Check).expect("regen").is_clean());

        // The same bytes again, under another name, are a duplicate.
        let again = captures.path().join("again.json");
        std::fs::write(&again, body).expect("write");
        let adoption = adopt(root, &[again.clone(), capture.clone()], Some("e_list")).expect("adopt");
        assert!(adoption.failed() && adoption.adopted.is_empty() && adoption.changes.is_none());
        let reasons: Vec<String> = adoption.refused.iter().map(ToString::to_string).collect();
        let expected = format!("refused {}: a duplicate of {}", again.display(), fixture.display());
        assert_eq!(
            reasons,
            [expected.clone(), expected.replace(&again.display().to_string(), &capture.display().to_string())]
        );
    }

    #[test]
    fn names_are_never_reused_and_bad_captures_are_refused_one_by_one() {
        let dir = workspace();
        let root = dir.path();
        let captures = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, body: &str| {
            let path = captures.path().join(name);
            std::fs::write(&path, body).expect("write");
            path
        };
        let taken = root.join(format!("fixtures/e_list/captured-{}-x.json", today()));
        std::fs::write(&taken, r#"{"code": 0}"#).expect("write");
        let files = [
            write("x.json", r#"{"code": 1}"#),
            write("broken.json", "{\"code\": 0,\n  \"item\": }"),
            write("latin1.json", "\"caf\u{e9}\""),
            captures.path().join("absent.json"),
            write("y.json", r#"{"code": 1}"#),
            write("x.txt", r#"{"code": 2}"#),
        ];
        std::fs::write(&files[2], b"\"caf\xe9\"").expect("write");
        let adoption = adopt(root, &files, Some("e_list")).expect("adopt");
        let fixtures: Vec<String> = adoption.adopted.iter().map(|a| a.fixture.display().to_string()).collect();
        let date = today();
        assert_eq!(
            fixtures,
            [format!("fixtures/e_list/captured-{date}-x-2.json"), format!("fixtures/e_list/captured-{date}-x-3.json")]
        );
        assert_eq!(std::fs::read_to_string(&taken).ok().as_deref(), Some(r#"{"code": 0}"#), "never overwritten");
        let reasons: Vec<String> = adoption.refused.iter().map(ToString::to_string).collect();
        let shown = |i: usize| files[i].display().to_string();
        assert_eq!(reasons.len(), 4, "{reasons:#?}");
        assert!(reasons[0].starts_with(&format!("refused {}:2:11: not JSON: ", shown(1))), "{reasons:#?}");
        assert_eq!(reasons[1], format!("refused {}:1:5: not JSON: not UTF-8", shown(2)));
        assert!(reasons[2].starts_with(&format!("refused {}: cannot read it: ", shown(3))), "{reasons:#?}");
        assert_eq!(reasons[3], format!("refused {}: a duplicate of {}", shown(4), shown(0)));
    }

    #[test]
    fn an_unknown_endpoint_is_an_error_naming_the_known_ones() {
        let dir = workspace();
        let capture = dir.path().join("c.json");
        std::fs::write(&capture, "{}").expect("write");
        let error = adopt(dir.path(), &[capture], Some("e-lists")).expect_err("no such endpoint");
        assert_eq!(error.to_string(), "no endpoint named `e-lists`; the endpoints are e-list");
        assert_eq!(crate::files_below(&dir.path().join("fixtures/e_list")).expect("list").len(), 1);
    }

    #[test]
    fn a_failure_after_copying_undoes_the_adoption() {
        let dir = workspace();
        let root = dir.path();
        let schema = std::fs::read(root.join("schemas/e.schema.json")).expect("schema");
        let names = std::fs::read(root.join("schemas/names.toml")).expect("names");
        // An object under a property named like a type the generated code
        // uses: infer names its type `Field`, regen refuses the name.
        let capture = root.join("clash.json");
        std::fs::write(&capture, r#"{"code": 0, "field": {"a": 1}}"#).expect("write");
        let error = adopt(root, &[capture], Some("e_list")).expect_err("regen refuses the schema");
        let text = error.to_string();
        assert!(matches!(error, Error::RolledBack { .. }), "{text}");
        assert!(text.contains("Field") && text.ends_with("the fixtures and schemas are as they were"), "{text}");
        assert_eq!(crate::files_below(&root.join("fixtures/e_list")).expect("list").len(), 1, "the copy is gone");
        assert_eq!(std::fs::read(root.join("schemas/e.schema.json")).ok(), Some(schema));
        assert_eq!(std::fs::read(root.join("schemas/names.toml")).ok(), Some(names));
    }
}
