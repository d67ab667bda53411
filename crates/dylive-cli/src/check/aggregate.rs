//! The report of a corpus: counts that add up, so that the reports of
//! shards merge into the report of the whole.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::capture::FileReport;
use crate::cli_name;

/// Where a capture came from: a file, or a line of a JSON-lines file.
/// Captures are ordered by file name, then line, so the first example of a
/// finding is the same whichever order the captures were checked in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// The file, as named on the command line or found in a folder.
    pub file: String,
    /// The line, from 1, in a JSON-lines file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// The captures of one endpoint.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Captures detected as (or checked as) the endpoint.
    pub captures: u64,
    /// Those that decode.
    pub decoded: u64,
    /// Those that decode and encode again to the same JSON.
    pub lossless: u64,
    /// Those that decode with findings or round-trip differences.
    pub drift: u64,
}

/// One property of one schema type of one endpoint, over the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The endpoint, in command-line spelling.
    pub endpoint: String,
    /// `new`, `missing` or `other_kind`.
    pub what: String,
    /// `User.webcast_uid`; `[]` marks an array's items, `{}` a map's values.
    pub place: String,
    /// What the schema expects there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The kinds of value found.
    pub kinds: BTreeSet<String>,
    /// Captures it is found in.
    pub captures: u64,
    /// Places it is found at, in all of them.
    pub places: u64,
    /// The first capture it is found in.
    pub first: Origin,
    /// Its first place there, as a JSON Pointer.
    pub pointer: String,
    /// One value found there, as compact JSON cut to 60 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// Captures that fail the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    /// How many.
    pub captures: u64,
    /// The first of them.
    pub first: Origin,
}

impl Failures {
    fn add(&mut self, other: &Failures) {
        self.captures += other.captures;
        if other.first < self.first {
            self.first = other.first.clone();
        }
    }
}

/// What `check` found in a corpus, as counts that add up: [`Aggregate::merge`]
/// of the reports of the parts of a corpus is the report of the whole.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Captures checked, readable or not.
    pub captures: u64,
    /// Their bytes.
    pub bytes: u64,
    /// The captures of each endpoint, by its command-line name.
    pub endpoints: BTreeMap<String, Tally>,
    /// The findings, by endpoint, what and place (`room-ranklist new
    /// User.webcast_uid`).
    pub findings: BTreeMap<String, Summary>,
    /// Captures that do not decode, by endpoint and error.
    pub failures: BTreeMap<String, Failures>,
    /// Captures that cannot be read (not UTF-8, not JSON, no file), by what
    /// is wrong.
    pub unreadable: BTreeMap<String, Failures>,
}

impl Aggregate {
    /// Counts one checked capture of `bytes` bytes.
    pub fn add(&mut self, origin: &Origin, bytes: usize, report: &FileReport) {
        self.captures += 1;
        self.bytes += bytes as u64;
        let endpoint = report.endpoint().map_or_else(|| "?".to_owned(), cli_name);
        let tally = self.endpoints.entry(endpoint.clone()).or_default();
        tally.captures += 1;
        if report.decoded() {
            tally.decoded += 1;
        }
        if report.lossless() {
            tally.lossless += 1;
        }
        if report.decoded() && !report.clean() {
            tally.drift += 1;
        }
        if let Some(error) = &report.decode_error {
            let message = error.expected.as_deref().unwrap_or_default();
            let at = if error.pointer.is_empty() { "(top level)" } else { &error.pointer };
            let key = format!("{endpoint}: {at}: {message}");
            let one = Failures { captures: 1, first: origin.clone() };
            self.failures.entry(key).and_modify(|f| f.add(&one)).or_insert(one);
        }
        for group in &report.groups {
            let what = group.what.key();
            let summary = Summary {
                endpoint: endpoint.clone(),
                what: what.to_owned(),
                place: group.place.clone(),
                expected: group.expected.clone(),
                kinds: group.kinds.iter().map(|k| (*k).to_owned()).collect(),
                captures: 1,
                places: group.count as u64,
                first: origin.clone(),
                pointer: group.pointer.clone(),
                example: group.example.clone(),
            };
            let key = format!("{endpoint} {what} {}", group.place);
            match self.findings.get_mut(&key) {
                Some(found) => found.add(summary),
                None => {
                    self.findings.insert(key, summary);
                }
            }
        }
    }

    /// Counts one capture that cannot be read, for `why` (its position left
    /// out, so that captures failing alike are counted together).
    pub fn add_unreadable(&mut self, origin: &Origin, bytes: usize, why: &str) {
        self.captures += 1;
        self.bytes += bytes as u64;
        let one = Failures { captures: 1, first: origin.clone() };
        self.unreadable.entry(why.to_owned()).and_modify(|f| f.add(&one)).or_insert(one);
    }

    /// Adds the counts of `other`, keeping the first example of each.
    pub fn merge(&mut self, other: Aggregate) {
        self.captures += other.captures;
        self.bytes += other.bytes;
        for (endpoint, tally) in other.endpoints {
            let mine = self.endpoints.entry(endpoint).or_default();
            mine.captures += tally.captures;
            mine.decoded += tally.decoded;
            mine.lossless += tally.lossless;
            mine.drift += tally.drift;
        }
        for (key, summary) in other.findings {
            match self.findings.get_mut(&key) {
                Some(found) => found.add(summary),
                None => {
                    self.findings.insert(key, summary);
                }
            }
        }
        for (map, others) in [(&mut self.failures, other.failures), (&mut self.unreadable, other.unreadable)] {
            for (key, failures) in others {
                map.entry(key).and_modify(|f| f.add(&failures)).or_insert(failures);
            }
        }
    }

    /// Whether every capture was read, decoded, lossless and without drift.
    pub fn clean(&self) -> bool {
        self.unreadable.is_empty()
            && self.endpoints.values().all(|tally| tally.captures == tally.lossless && tally.drift == 0)
    }
}

impl Summary {
    fn add(&mut self, other: Summary) {
        self.captures += other.captures;
        self.places += other.places;
        self.kinds.extend(other.kinds);
        if (&other.first, &other.pointer) < (&self.first, &self.pointer) {
            self.first = other.first;
            self.pointer = other.pointer;
            self.example = other.example;
            self.expected = other.expected;
        }
    }
}
