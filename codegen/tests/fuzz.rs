//! Mutation fuzzing from a fixed seed: `cargo xtask infer`'s reader never
//! panics, whatever JSON the fixtures hold, and always writes schemas that
//! are JSON and a `names.toml` that is TOML.
//!
//! Documents are made by `dylive_fuzz::Mutator` from the fixtures,
//! half of them branches (deep, with values replaced and members added or
//! removed), half the generic mix; those that are JSON are inferred, as
//! fixtures of the project's endpoints, with its `endpoints.toml`,
//! `names.toml` and schemas, in a temporary copy. Infer reads its files on
//! each run, so the documents go in batches of ten, two an endpoint; when a
//! batch panics, each of its documents is inferred alone to name the one
//! that does. Inference of a batch takes tens of milliseconds in a debug
//! build, and seconds for a document nested a hundred levels deep, so the
//! test makes 2,000 documents (about 700 are JSON), a few seconds;
//! `DYLIVE_FUZZ_CASES` sets how many (`DYLIVE_FUZZ_CASES=100000 cargo test
//! --release -p dylive-codegen --test fuzz`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use dylive_codegen::infer::infer;
use dylive_codegen::Manifest;
use dylive_fuzz::{self as fuzz, Mutator};

/// Documents inferred together.
const BATCH: usize = 10;

/// How many documents the test makes unless `DYLIVE_FUZZ_CASES` says.
const DOCUMENTS: usize = 2_000;

/// A copy of the project's schemas with empty fixture folders.
struct Workspace {
    root: PathBuf,
    /// Each endpoint's fixture folder.
    folders: Vec<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::Builder::new().prefix("dylive-infer-fuzz-").tempdir().expect("a temporary folder");
        let root = dir.path().to_owned();
        std::fs::create_dir_all(root.join("schemas")).expect("a folder");
        for entry in std::fs::read_dir(project.join("schemas")).expect("the schemas") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            if name.ends_with(".schema.json") || name == "endpoints.toml" || name == "names.toml" {
                std::fs::copy(&path, root.join("schemas").join(name)).expect("a copy");
            }
        }
        let manifest = Manifest::load(&root).expect("the manifest");
        let folders: Vec<PathBuf> = manifest.endpoints.iter().map(|e| root.join(&e.fixtures)).collect();
        for folder in &folders {
            std::fs::create_dir_all(folder).expect("a folder");
        }
        Workspace { root, folders, _dir: dir }
    }

    /// Infers the schemas from `documents` as the only fixtures, document
    /// `i` one of endpoint `i % endpoints`.
    fn infer(&self, documents: &[String]) -> Result<(), String> {
        for folder in &self.folders {
            for entry in std::fs::read_dir(folder).map_err(|e| e.to_string())? {
                std::fs::remove_file(entry.map_err(|e| e.to_string())?.path()).map_err(|e| e.to_string())?;
            }
        }
        for (index, document) in documents.iter().enumerate() {
            let folder = &self.folders[index % self.folders.len()];
            std::fs::write(folder.join(format!("{index}.json")), document).map_err(|e| e.to_string())?;
        }
        let inference = infer(&self.root, &[]).map_err(|e| format!("infer refused JSON fixtures: {e}"))?;
        for file in &inference.files {
            let name = file.path.display();
            if file.path.extension().is_some_and(|e| e == "json") {
                dylive_json::parse(&file.contents).map_err(|e| format!("{name} is not JSON: {e}"))?;
            } else {
                toml::from_str::<toml::Table>(&file.contents).map_err(|e| format!("{name} is not TOML: {e}"))?;
            }
        }
        let _ = inference.report.to_string();
        Ok(())
    }
}

/// The message of a caught panic.
fn said(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic.downcast_ref::<&str>().map(|text| (*text).to_owned());
    text.or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default()
}

/// Infers `batch`; when that panics or fails, names the document that does
/// so alone, if one does.
fn check(workspace: &Workspace, batch: &[String]) -> Result<(), String> {
    let failure = match catch_unwind(AssertUnwindSafe(|| workspace.infer(batch))) {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(message)) => message,
        Err(panic) => format!("panicked: {}", said(&*panic)),
    };
    for document in batch {
        let alone = std::slice::from_ref(document);
        let message = match catch_unwind(AssertUnwindSafe(|| workspace.infer(alone))) {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => message,
            Err(panic) => format!("panicked: {}", said(&*panic)),
        };
        return Err(format!("{message}\non this document alone, as a fixture of the first endpoint: {document:?}"));
    }
    Err(format!("{failure}\non these documents together, no one alone: {batch:?}"))
}

#[test]
fn mutated_fixtures_never_panic_infer() {
    let fixtures = fuzz::fixtures(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the fixtures");
    assert!(fixtures.len() >= 5, "fixtures found: {}", fixtures.len());
    let mut mutator = Mutator::new(0x1F3E_5EED, fixtures.into_iter().map(|fixture| fixture.text));
    let workspace = Workspace::new();
    let cases = fuzz::cases(DOCUMENTS).expect("a count");
    let (mut batch, mut inferred) = (Vec::new(), 0);
    for case in 0..cases {
        let input = if case % 2 == 0 { mutator.branch() } else { mutator.bytes() };
        let Ok(text) = String::from_utf8(input) else { continue };
        if dylive_json::parse(&text).is_err() {
            continue;
        }
        batch.push(text);
        if batch.len() == BATCH {
            check(&workspace, &batch).unwrap_or_else(|failure| panic!("case {case}: {failure}"));
            inferred += batch.len();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        check(&workspace, &batch).unwrap_or_else(|failure| panic!("the last cases: {failure}"));
        inferred += batch.len();
    }
    eprintln!("dylive-codegen infer: {inferred} of {cases} documents are JSON and were inferred");
    if cases >= 1000 {
        assert!(inferred * 10 > cases && inferred * 10 < cases * 9, "{inferred} of {cases} documents inferred");
    }
}

/// Documents whose keys look like the marks infer's paths use (`[]`, `{}`,
/// `/`, `~`, `:`), that are no object at all, that mix digit keys with
/// others, or that nest deeply: each is inferred alone, and with the others.
#[test]
fn hard_documents_never_panic_infer() {
    let deep_objects = format!("{}1{}", "{\"a\":".repeat(60), "}".repeat(60));
    let deep_arrays = format!("{{\"data\":{}{{\"x\":1}}{}}}", "[".repeat(120), "]".repeat(120));
    let documents = [
        r#"{"[]": {"a": 1}, "{}": {"b": 2}, "data": [{"[]": [{"c": 3}]}]}"#.to_owned(),
        r#"{"a/b": {"~": {"~1": {":": {"rank_all:/data": {"x": 1}}}}}}"#.to_owned(),
        r#"{"": {"": {"": 1}}, "data": {"": [{"": null}]}}"#.to_owned(),
        r#"{"data": {"0": {"a": 1}, "x": {"a": 2}, "1": [], "2": {}}}"#.to_owned(),
        r#"{"data": {"0": {"a": 1}, "1": 2, "2": "3", "3": [4], "4": null}}"#.to_owned(),
        r#"{"data": [1, "a", {"b": 1}, [2], null, true, 1.5, 18446744073709551616, -1e999999]}"#.to_owned(),
        r#"{"code": {"code": {"code": {"code": 0}}}, "data": {"data": {"data": {"data": {}}}}}"#.to_owned(),
        r#"{"user": {"user": {"user": {"nickname": "n"}}}, "ranks": [{"ranks": [{"ranks": []}]}]}"#.to_owned(),
        "[]".to_owned(),
        "[{\"a\": 1}, {\"a\": \"1\"}]".to_owned(),
        "0".to_owned(),
        "null".to_owned(),
        "\"\"".to_owned(),
        "{}".to_owned(),
        deep_objects,
        deep_arrays,
    ];
    let workspace = Workspace::new();
    for document in &documents {
        dylive_json::parse(document).unwrap_or_else(|e| panic!("not JSON: {e}: {document}"));
        check(&workspace, std::slice::from_ref(document)).unwrap_or_else(|failure| panic!("{failure}"));
    }
    check(&workspace, &documents).unwrap_or_else(|failure| panic!("{failure}"));
}
