//! Seeded mutation fuzzing for everything in the project that reads JSON.
//!
//! This crate is a dev-dependency of the crates whose tests use it
//! (`tests/fuzz.rs` in `dylive-json`, `dylive-models`, `dylive-cli`,
//! `dylive-mock` and `dylive-codegen`); it is not published.
//!
//! A [`Mutator`] makes inputs from a corpus of seed texts, from a fixed
//! seed, so that every run makes the same inputs and a failure is found
//! again by running the test again. The corpus is three lists made from the
//! documents it is given (the fixtures):
//!
//! - the documents themselves;
//! - their branches: each document with every array cut to its first item
//!   (its skeleton), then cut down to the path to one array or object,
//!   which is kept whole; so an input is small yet as deep as a real
//!   response, and the types along the path are those of the document;
//! - their small values: every value inside them whose compact text is at
//!   most 200 bytes, compact and pretty.
//!
//! Each input starts from one of them, or from a few small values put into
//! one array or object, and is then changed:
//!
//! - [`Mutator::mutate`] flips, inserts and deletes bytes, copies stretches
//!   elsewhere, nests deeply and drops in [`TOKENS`]: escapes good and bad,
//!   `\u`, lone surrogates, multi-byte characters, numbers no machine type
//!   holds, structure;
//! - [`Mutator::graft`] changes a parsed document where a value is:
//!   replaces it with another value, or with a text that may not be JSON,
//!   removes a member, adds one (a new key, or one already there).
//!
//! [`run`] feeds inputs to a check one at a time, each inside
//! [`std::panic::catch_unwind`], and fails with the case number and the
//! input when the check panics or reports a failure. [`cases`] reads how
//! many inputs to make from `DYLIVE_FUZZ_CASES`, and [`fixtures`] finds and
//! reads the fixtures.
//!
//! ```
//! use dylive_fuzz::{run, Mutator};
//!
//! let documents = [r#"{"code": 0, "data": {"ranks": [{"rank": 1, "user": {"id": 7}}]}}"#.to_owned()];
//! let mut mutator = Mutator::new(7, documents);
//! let parsed = run(500, |_| mutator.text(), |input| {
//!     // What must hold for any input; an `Err` or a panic fails the run.
//!     match dylive_json::parse(input) {
//!         Ok(tree) if dylive_json::diff(input, &tree.to_json()).is_ok_and(|d| d.is_empty()) => Ok(true),
//!         Ok(_) => Err("a round-trip changed the value".to_owned()),
//!         Err(_) => Ok(false),
//!     }
//! })?;
//! assert!(parsed > 0 && parsed < 500);
//! # Ok::<(), dylive_fuzz::FuzzError>(())
//! ```

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use dylive_json::{parse, Json, Value, MAX_DEPTH};

/// The environment variable that sets how many inputs a fuzz test makes.
pub const CASES_VARIABLE: &str = "DYLIVE_FUZZ_CASES";

/// How many inputs a fuzz test makes when [`CASES_VARIABLE`] is not set.
pub const DEFAULT_CASES: usize = 20_000;

/// Texts worth dropping anywhere: escapes good and bad, lone surrogates,
/// multi-byte characters, numbers no machine type holds, structure.
pub const TOKENS: &[&str] = &[
    "\\u",
    "\\u00",
    "\\u0000",
    "\\u001f",
    "\\u007f",
    "\\u2028",
    "\\b\\f\\n\\r\\t\\/",
    "\\uZZZZ",
    "\\ud800",
    "\\udc00",
    "\\ud83d\\ude00",
    "\\ud83d",
    "\"\\ud800\"",
    "\"\\udfff\\ud800\"",
    "\\",
    "\\\"",
    "\"",
    "🌀",
    "中",
    "é",
    "\u{0}",
    "\u{1f}",
    "\u{7f}",
    "1e999999",
    "-1e-999999",
    "123456789012345678901234567890",
    "-123456789012345678901234567890.5e-7",
    "-0",
    "0.0e+0",
    "01",
    "1.",
    ".5",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "null",
    "true",
    "fals",
    "\"k\":",
    "\"k\":1,",
    "[[[[[[[[",
    "]]]]]]]]",
    " ",
    "\n",
    "\t",
];

/// Values that stand where another kind was: empty containers, `null`,
/// numbers at and beyond the machine types' ends, odd strings.
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "\"\"",
    "\"1\"",
    "\"\\ud800\"",
    "\"🌀\"",
    "0",
    "-0",
    "1.0",
    "-1",
    "1.5",
    "1e2",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "1e999999",
    "[null]",
    "[1,\"a\"]",
    "{\"0\":{}}",
    "{\"\":null}",
];

/// Keys that no schema has, or that are odd as keys.
const KEYS: &[&str] = &["k", "", "0", "🌀", "a/b~c", "\u{0}", "\\", "\"", "unknown_fields", "extra"];

/// A failure of the fuzz helpers, or of a fuzz run.
#[derive(Debug, thiserror::Error)]
pub enum FuzzError {
    /// A file or folder could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// No folder named `fixtures` was found.
    #[error("no `fixtures` folder in {} or above it", .start.display())]
    NoFixtures {
        /// Where the search started.
        start: PathBuf,
    },
    /// [`CASES_VARIABLE`] is set to something that is not a count.
    #[error("{CASES_VARIABLE} is {value:?}, not a count")]
    Cases {
        /// Its value.
        value: String,
    },
    /// A check panicked or failed on an input.
    #[error("{0}")]
    Failed(Box<Failure>),
}

/// The input a check panicked or failed on, with what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The number of the input, from 0.
    pub case: usize,
    /// The panic's message, or the check's error.
    pub message: String,
    /// The input.
    pub input: Vec<u8>,
}

impl fmt::Display for Failure {
    /// The case, the message and the input, as a Rust string literal; an
    /// input longer than 2,000 bytes is shown in part.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 2_000;
        let text = String::from_utf8_lossy(&self.input[..self.input.len().min(SHOWN)]).into_owned();
        let more = if self.input.len() > SHOWN { " (the first 2,000 shown)" } else { "" };
        write!(f, "case {}: {}\ninput, {} bytes{more}: {text:?}", self.case, self.message, self.input.len())
    }
}

/// How many inputs to make: [`CASES_VARIABLE`] when it is set, else
/// `default`.
///
/// ```
/// // With DYLIVE_FUZZ_CASES unset, the default.
/// # if std::env::var_os(dylive_fuzz::CASES_VARIABLE).is_none() {
/// assert_eq!(dylive_fuzz::cases(dylive_fuzz::DEFAULT_CASES)?, 20_000);
/// # }
/// # Ok::<(), dylive_fuzz::FuzzError>(())
/// ```
pub fn cases(default: usize) -> Result<usize, FuzzError> {
    match std::env::var(CASES_VARIABLE) {
        Ok(value) => value.trim().parse().map_err(|_| FuzzError::Cases { value }),
        Err(std::env::VarError::NotPresent) => Ok(default),
        Err(std::env::VarError::NotUnicode(value)) => {
            Err(FuzzError::Cases { value: value.to_string_lossy().into_owned() })
        }
    }
}

/// One fixture: a captured response of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The endpoint, the name of the fixture's folder (`room_ranklist`).
    pub endpoint: String,
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// Every fixture, `fixtures/<endpoint>/*.json`, sorted by path, from the
/// first folder named `fixtures` found in `start` or a folder above it (so
/// a crate's tests pass their `CARGO_MANIFEST_DIR`).
///
/// ```
/// let fixtures = dylive_fuzz::fixtures(env!("CARGO_MANIFEST_DIR").as_ref())?;
/// assert!(fixtures.iter().any(|fixture| fixture.endpoint == "room_ranklist"));
/// # Ok::<(), dylive_fuzz::FuzzError>(())
/// ```
pub fn fixtures(start: &Path) -> Result<Vec<Fixture>, FuzzError> {
    let root = start
        .ancestors()
        .map(|folder| folder.join("fixtures"))
        .find(|folder| folder.is_dir())
        .ok_or_else(|| FuzzError::NoFixtures { start: start.to_owned() })?;
    let mut fixtures = Vec::new();
    // Sorted by name at each level, so the files come sorted by path.
    let walk = walkdir::WalkDir::new(&root).min_depth(2).max_depth(2).follow_links(true).sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(&root).to_owned();
            let text = error.to_string();
            FuzzError::Io { path, source: error.into_io_error().unwrap_or_else(|| std::io::Error::other(text)) }
        })?;
        let path = entry.into_path();
        if path.extension().is_some_and(|extension| extension == "json") {
            let endpoint = path.parent().and_then(Path::file_name).map(|name| name.to_string_lossy().into_owned());
            let text = std::fs::read_to_string(&path).map_err(|source| FuzzError::Io { path: path.clone(), source })?;
            fixtures.push(Fixture { endpoint: endpoint.unwrap_or_default(), path, text });
        }
    }
    Ok(fixtures)
}

/// Runs `check` on `count` inputs, the `case`-th made by `input(case)`, each
/// inside [`std::panic::catch_unwind`]. `check` returns `Ok(true)` for an
/// input that got through (it parsed, decoded…), `Ok(false)` for one that
/// was refused as it should be, and `Err` with a message when something
/// that must hold does not. Returns how many got through; the first panic
/// or `Err` stops the run with a [`Failure`].
///
/// The panic's message is printed by the panic hook as well, as with any
/// panic.
pub fn run<I: AsRef<[u8]>>(
    count: usize,
    mut input: impl FnMut(usize) -> I,
    mut check: impl FnMut(&I) -> Result<bool, String>,
) -> Result<usize, FuzzError> {
    let mut passed = 0;
    for case in 0..count {
        let input = input(case);
        let message = match catch_unwind(AssertUnwindSafe(|| check(&input))) {
            Ok(Ok(through)) => {
                passed += usize::from(through);
                continue;
            }
            Ok(Err(message)) => message,
            Err(panic) => {
                let said = panic
                    .downcast_ref::<&str>()
                    .map(|text| (*text).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                format!("panicked: {said}")
            }
        };
        return Err(FuzzError::Failed(Box::new(Failure { case, message, input: input.as_ref().to_vec() })));
    }
    Ok(passed)
}

/// A seeded maker of mutated JSON texts; see the [crate docs](crate).
///
/// ```
/// let mut mutator = dylive_fuzz::Mutator::new(1, [r#"{"a": [1, 2, {"b": "c"}]}"#.to_owned()]);
/// let inputs: Vec<String> = (0..3).map(|_| mutator.text()).collect();
/// // The same seed makes the same inputs.
/// let mut again = dylive_fuzz::Mutator::new(1, [r#"{"a": [1, 2, {"b": "c"}]}"#.to_owned()]);
/// assert_eq!(inputs, (0..3).map(|_| again.text()).collect::<Vec<_>>());
/// ```
#[derive(Debug, Clone)]
pub struct Mutator {
    rng: fastrand::Rng,
    documents: Vec<String>,
    branches: Vec<String>,
    small: Vec<String>,
    keys: Vec<String>,
}

impl Mutator {
    /// A mutator seeded with `seed` whose corpus is made from `documents`;
    /// those that are not JSON are taken as they are, and give no branches
    /// and no small values.
    pub fn new(seed: u64, documents: impl IntoIterator<Item = String>) -> Mutator {
        let documents: Vec<String> = documents.into_iter().collect();
        let (mut branches, mut small, mut keys) = (Vec::new(), Vec::new(), Vec::new());
        for document in &documents {
            if let Ok(tree) = parse(document) {
                branches.extend(cut(&skeleton(&tree)).iter().map(Value::to_json));
                collect(&tree, &mut small, &mut keys);
            }
        }
        for list in [&mut branches, &mut small, &mut keys] {
            list.sort();
            list.dedup();
        }
        keys.extend(KEYS.iter().map(|key| (*key).to_owned()));
        Mutator { rng: fastrand::Rng::with_seed(seed), documents, branches, small, keys }
    }

    /// The documents the corpus is made from.
    pub fn documents(&self) -> &[String] {
        &self.documents
    }

    /// The branches of the documents' skeletons: every array cut to its
    /// first item, then all but the path to one array or object cut away.
    pub fn branches(&self) -> &[String] {
        &self.branches
    }

    /// The small values inside the documents, compact and pretty.
    pub fn small(&self) -> &[String] {
        &self.small
    }

    /// A number below `n` (0 when `n` is 0), from the seeded sequence, for
    /// the choices of a test.
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.usize(..n.max(1))
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }

    /// The next input as bytes; after a byte mutation they may not be UTF-8.
    ///
    /// Most start from small values: one alone (seven in ten), a few in
    /// one array or object (two in ten); one in ten is a
    /// [`Mutator::branch`]; 3 in 1,000 a whole document. All but the
    /// branches then go through [`Mutator::mutate`].
    pub fn bytes(&mut self) -> Vec<u8> {
        let roll = self.below(1000);
        if roll < 3 {
            let document = one(&mut self.rng, &self.documents);
            return self.mutate(document.as_bytes());
        }
        if roll < 103 && !self.branches.is_empty() {
            return self.branch();
        }
        let start = if roll < 303 { self.medley() } else { one(&mut self.rng, &self.small) };
        self.mutate(start.as_bytes())
    }

    /// A branch of a document changed by [`Mutator::graft`]: deep inputs,
    /// for tests of whole responses. Half are left so, and are JSON unless
    /// the graft put in a text that is not; half then go through
    /// [`Mutator::mutate`]. Without branches (no document is JSON), the
    /// next [`Mutator::bytes`].
    pub fn branch(&mut self) -> Vec<u8> {
        if self.branches.is_empty() {
            return self.bytes();
        }
        let branch = one(&mut self.rng, &self.branches);
        let grafted = self.graft(&branch);
        if self.chance(50) {
            grafted.into_bytes()
        } else {
            self.mutate(grafted.as_bytes())
        }
    }

    /// The next input as text: [`Mutator::bytes`], with each byte sequence
    /// that is not UTF-8 replaced by `U+FFFD`.
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    /// A few small values in one array, or under keys of one object (two
    /// keys only, so that some repeat).
    fn medley(&mut self) -> String {
        let parts: Vec<String> = (0..1 + self.below(4)).map(|_| one(&mut self.rng, &self.small)).collect();
        if self.chance(50) {
            format!("[{}]", parts.join(","))
        } else {
            let members: Vec<String> =
                parts.iter().enumerate().map(|(i, part)| format!("\"k{}\":{part}", i % 2)).collect();
            format!("{{{}}}", members.join(","))
        }
    }

    /// `text` changed in one to four places: a byte flipped, a token
    /// inserted, bytes deleted, a stretch copied elsewhere, the whole nested
    /// in up to 300 arrays or objects, or 10,000 `[` inserted.
    pub fn mutate(&mut self, text: &[u8]) -> Vec<u8> {
        let mut bytes = text.to_vec();
        for _ in 0..1 + self.below(4) {
            let at = self.below(bytes.len() + 1);
            match self.below(100) {
                0..=24 => {
                    let byte = if self.chance(50) {
                        let specials = b"\"\\{}[],:0-e.+ nt\x00\x1f\x7f\xff";
                        specials[self.below(specials.len())]
                    } else {
                        self.rng.u8(..)
                    };
                    if let Some(place) = bytes.get_mut(at) {
                        *place = byte;
                    }
                }
                25..=54 => {
                    let token = self.pick_str(TOKENS);
                    bytes.splice(at..at, token.bytes());
                }
                55..=74 => {
                    let end = (at + 1 + self.below(8)).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                75..=97 => {
                    // A copy of a stretch elsewhere: repeated keys, stray structure.
                    let from = self.below(bytes.len() + 1);
                    let end = (from + 1 + self.below(24)).min(bytes.len());
                    let stretch: Vec<u8> = bytes.get(from.min(end)..end).unwrap_or_default().to_vec();
                    bytes.splice(at..at, stretch);
                }
                98 => {
                    let depths = [8, 40, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 300];
                    let depth = depths[self.below(depths.len())];
                    let (open, close) = if self.chance(50) { ("[", "]") } else { ("{\"a\":", "}") };
                    let mut nested = open.repeat(depth).into_bytes();
                    nested.extend_from_slice(&bytes);
                    nested.extend(close.repeat(depth).bytes());
                    bytes = nested;
                }
                _ => {
                    bytes.splice(at..at, "[".repeat(10_000).bytes());
                }
            }
        }
        bytes
    }

    /// `document` changed in one to three places where a value is: the
    /// value replaced by another (of another kind, a small value of the
    /// corpus, or a text that is not JSON, one time in four), or, in an
    /// object, a member removed or one added (a key of the corpus, often
    /// one already there, or an odd one). The result is compact; it is JSON
    /// unless a text that is not JSON was put in. A `document` that is not
    /// JSON comes back as it is.
    pub fn graft(&mut self, document: &str) -> String {
        let Ok(tree) = parse(document) else { return document.to_owned() };
        let mut tree = Value::from(tree);
        let count = nodes(&tree);
        for _ in 0..1 + self.below(3) {
            let mut n = self.below(count);
            let roll = self.below(100);
            let replacement = self.replacement();
            let key = self.key();
            let Some(node) = nth_mut(&mut tree, &mut n) else { continue };
            match (node, roll) {
                (Value::Object(members), 0..=19) if !members.is_empty() => {
                    let at = self.rng.usize(..members.len());
                    members.remove(at);
                }
                (Value::Object(members), 20..=44) => {
                    let key = match members.len() {
                        0 => key,
                        len if self.chance(30) => members[self.rng.usize(..len)].0.clone(),
                        _ => key,
                    };
                    let at = self.rng.usize(..=members.len());
                    members.insert(at, (key, replacement));
                }
                (node, _) => *node = replacement,
            }
        }
        tree.to_json()
    }

    /// A value to put somewhere: written as it is, so it may be any text.
    fn replacement(&mut self) -> Value {
        let text = match self.below(100) {
            0..=29 => self.pick_str(VALUES).to_owned(),
            30..=74 => one(&mut self.rng, &self.small),
            _ => {
                let value = one(&mut self.rng, &self.small);
                String::from_utf8_lossy(&self.mutate(value.as_bytes())).into_owned()
            }
        };
        // A number's text is written as it is.
        Value::Number(text)
    }

    fn key(&mut self) -> String {
        one(&mut self.rng, &self.keys)
    }
}

/// One of `items`, chosen by `rng`; empty when there is none.
fn one(rng: &mut fastrand::Rng, items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        len => items[rng.usize(..len)].clone(),
    }
}

/// `tree` with every array cut to its first item.
fn skeleton(tree: &Json<'_>) -> Value {
    match tree {
        Value::Array(items) => Value::Array(items.iter().take(1).map(skeleton).collect()),
        Value::Object(members) => {
            Value::Object(members.iter().map(|(key, value)| (key.to_string(), skeleton(value))).collect())
        }
        other => Value::from(other.clone()),
    }
}

/// The branches of `tree`: for each array or object inside it, `tree` with
/// all but the path to it cut away, the array or object kept whole.
fn cut(tree: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match tree {
        Value::Array(items) => {
            out.push(tree.clone());
            for item in items {
                out.extend(cut(item).into_iter().map(|branch| Value::Array(vec![branch])));
            }
        }
        Value::Object(members) => {
            out.push(tree.clone());
            for (key, member) in members {
                out.extend(cut(member).into_iter().map(|branch| Value::Object(vec![(key.clone(), branch)])));
            }
        }
        _ => {}
    }
    out
}

/// Every value inside `tree` whose compact text is at most 200 bytes,
/// pretty and compact, into `small`; every key into `keys`.
fn collect(tree: &Json<'_>, small: &mut Vec<String>, keys: &mut Vec<String>) {
    let text = tree.to_json();
    if text.len() <= 200 {
        small.push(tree.pretty());
        small.push(text);
    }
    tree.items().iter().for_each(|item| collect(item, small, keys));
    for (key, member) in tree.members() {
        keys.push(key.to_string());
        collect(member, small, keys);
    }
}

/// How many values `tree` holds, itself included.
fn nodes(tree: &Value) -> usize {
    1 + tree.items().iter().map(nodes).sum::<usize>() + tree.members().iter().map(|(_, v)| nodes(v)).sum::<usize>()
}

/// The `n`-th value of `tree` in document order, itself being the 0th;
/// `n` is counted down on the way.
fn nth_mut<'t>(tree: &'t mut Value, n: &mut usize) -> Option<&'t mut Value> {
    if *n == 0 {
        return Some(tree);
    }
    *n -= 1;
    match tree {
        Value::Array(items) => items.iter_mut().find_map(|item| nth_mut(item, n)),
        Value::Object(members) => members.iter_mut().find_map(|(_, value)| nth_mut(value, n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str =
        r#"{"code": 0, "data": {"ranks": [{"rank": 1, "user": {"id": 7, "name": "é"}}, {"rank": 2}]}}"#;

    #[test]
    fn branches_keep_the_first_item_of_each_array_and_one_path() {
        let mutator = Mutator::new(0, [DOCUMENT.to_owned()]);
        let mut expected = [
            r#"{"code":0,"data":{"ranks":[{"rank":1,"user":{"id":7,"name":"é"}}]}}"#,
            r#"{"data":{"ranks":[{"rank":1,"user":{"id":7,"name":"é"}}]}}"#,
            r#"{"data":{"ranks":[{"user":{"id":7,"name":"é"}}]}}"#,
        ];
        expected.sort_unstable();
        assert_eq!(mutator.branches(), expected);
        assert!(mutator.small().iter().any(|small| small == r#"{"id":7,"name":"é"}"#));
        assert!(mutator.small().iter().any(|small| small == "{\n  \"rank\": 2\n}\n"));
    }

    #[test]
    fn nth_mut_walks_in_document_order() {
        let mut tree = Value::parse(r#"[1, {"a": 2, "b": [3]}, 4]"#).expect("JSON");
        let found: Vec<String> =
            (0..7).filter_map(|n| nth_mut(&mut tree, &mut { n }).map(|value| value.to_json())).collect();
        assert_eq!(found, [r#"[1,{"a":2,"b":[3]},4]"#, "1", r#"{"a":2,"b":[3]}"#, "2", "[3]", "3", "4"]);
        assert_eq!(nodes(&tree), 7);
        assert!(nth_mut(&mut tree, &mut 7).is_none());
    }

    #[test]
    fn grafts_change_documents_and_often_stay_json() {
        let mut mutator = Mutator::new(3, [DOCUMENT.to_owned()]);
        let grafts: Vec<String> = (0..200).map(|_| mutator.graft(DOCUMENT)).collect();
        let json = grafts.iter().filter(|graft| parse(graft).is_ok()).count();
        assert!(grafts.iter().all(|graft| graft != DOCUMENT));
        assert!(json > 100 && json < 200, "{json} of 200 grafts are JSON");
        assert_eq!(mutator.graft("not JSON"), "not JSON");
    }

    #[test]
    fn run_reports_the_failing_case_and_its_input() {
        let error = run(
            10,
            |case| format!("input {case}"),
            |input| {
                assert!(input != "input 4", "four");
                Ok(true)
            },
        )
        .expect_err("case 4 panics");
        let FuzzError::Failed(failure) = error else { panic!("not a failure: {error}") };
        assert_eq!(
            (failure.case, failure.message.as_str(), failure.input.as_slice()),
            (4, "panicked: four", &b"input 4"[..])
        );
        assert_eq!(failure.to_string(), "case 4: panicked: four\ninput, 7 bytes: \"input 4\"");

        let passed = run(10, |case| vec![case as u8], |input| Ok(input[0] % 2 == 0));
        assert_eq!(passed.ok(), Some(5));
        let failed = run(3, |_| "x", |_| Err("no".to_owned())).expect_err("an error");
        assert!(failed.to_string().starts_with("case 0: no\n"), "{failed}");
    }
}
