//! One capture checked: detected, decoded, walked, encoded again and
//! compared.

use std::collections::BTreeSet;

use dylive_json::Json;
use dylive_models::Response;
use dylive_runtime::tree::Fold;
use serde::Serialize;

use super::detect::{self, Detection, Envelope, Fit};
use super::walk::{self, Pending, Walker};
use super::What;
use crate::cli_name;

/// Why a capture cannot be checked: it is not UTF-8 or not JSON. Lines and
/// columns count from 1.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bytes are not UTF-8.
    #[error("{line}:{column}: not UTF-8")]
    NotUtf8 {
        /// The line of the first byte that is not.
        line: usize,
        /// Its column.
        column: usize,
    },
    /// The text is not JSON.
    #[error("{line}:{column}: not JSON: {message}")]
    NotJson {
        /// The line of the error.
        line: usize,
        /// Its column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
}

impl ReadError {
    /// What is wrong, without the position: captures that fail alike.
    pub fn what(&self) -> String {
        match self {
            ReadError::NotUtf8 { .. } => "not UTF-8".to_owned(),
            ReadError::NotJson { message, .. } => format!("not JSON: {message}"),
        }
    }
}

/// A capture's text and its parsed tree.
pub(crate) struct Capture<'a> {
    text: &'a str,
    tree: Json<'a>,
    /// The values of the capture, but for those of the envelopes.
    values: usize,
    /// Those a walk meets that takes at most [`SAMPLE`] items of an array.
    sampled: usize,
}

/// The items of an array that detection walks: a long list of objects of
/// one type tells which endpoint it is of in its first items, and the
/// winner is walked whole.
const SAMPLE: usize = 16;

impl<'a> Capture<'a> {
    /// The capture in `bytes`, which must be UTF-8 and JSON.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Capture<'a>, ReadError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            ReadError::NotUtf8 { line, column }
        })?;
        let tree = dylive_json::parse(text).map_err(|e| ReadError::NotJson {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let envelope = Envelope::all();
        let in_envelope = || {
            let counts =
                envelope.pointers().filter_map(|pointer| tree.pointer(pointer)).map(|v| walk::count(v, SAMPLE));
            counts.fold((0, 0), |(all, sampled), (a, s)| (all + a, sampled + s))
        };
        let (all, sampled) = walk::count(&tree, SAMPLE);
        let (envelope_all, envelope_sampled) = in_envelope();
        let (values, sampled) = (all - envelope_all, sampled - envelope_sampled);
        Ok(Capture { text, tree, values, sampled })
    }
}

/// Writes an endpoint's name as the command line spells it.
fn cli_spelling<S: serde::Serializer>(endpoint: &Option<&'static str>, serializer: S) -> Result<S::Ok, S::Error> {
    endpoint.map(cli_name).serialize(serializer)
}

/// What `check` found in one capture.
#[derive(Debug, Default, Serialize)]
pub struct FileReport {
    pub(crate) file: String,
    /// The endpoint, written in command-line spelling.
    #[serde(serialize_with = "cli_spelling")]
    pub(crate) endpoint: Option<&'static str>,
    /// How well the endpoint's types explain the capture.
    pub(crate) fit: Fit,
    /// The second best endpoint, when detected, and its fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) runner_up: Option<RunnerUp>,
    /// Why the file does not decode, when it does not.
    pub(crate) decode_error: Option<Finding>,
    /// How many places the re-encoded JSON differs at.
    pub(crate) round_trip_differences: usize,
    /// The first ten of them, or all with `--verbose`.
    pub(crate) round_trip: Vec<Finding>,
    /// How many properties are new, missing or of another kind.
    pub(crate) counts: Counts,
    /// The findings, one per schema type and property.
    pub(crate) groups: Vec<Group>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RunnerUp {
    pub(crate) endpoint: String,
    pub(crate) fit: Fit,
    pub(crate) close: bool,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct Counts {
    pub(crate) new: usize,
    pub(crate) missing: usize,
    pub(crate) other_kind: usize,
}

/// One difference or decode failure.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Finding {
    pub(crate) pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) found: Option<String>,
}

/// The findings of one property of one schema type, in every place.
#[derive(Debug, Serialize)]
pub(crate) struct Group {
    pub(crate) what: What,
    /// `User.webcast_uid`; `[]` marks an array's items, `{}` a map's values.
    pub(crate) place: String,
    /// The schema type, `User`.
    #[serde(rename = "type")]
    pub(crate) type_name: String,
    /// Places it was found at.
    pub(crate) count: usize,
    /// Places of the type in the capture.
    pub(crate) of: usize,
    /// What the schema expects there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expected: Option<String>,
    /// The kinds of value found.
    pub(crate) kinds: BTreeSet<&'static str>,
    /// One value found, as compact JSON cut to 60 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) example: Option<String>,
    /// The first place, as a JSON Pointer.
    pub(crate) pointer: String,
    /// Every place, with `--verbose`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) pointers: Vec<String>,
}

impl FileReport {
    /// The capture decodes as the endpoint's response type.
    pub fn decoded(&self) -> bool {
        self.decode_error.is_none() && self.endpoint.is_some()
    }

    /// It decoded, and encoding the result gave back the same JSON.
    pub fn lossless(&self) -> bool {
        self.decoded() && self.round_trip_differences == 0
    }

    /// The capture decodes, re-encodes to the same JSON, and has no drift.
    pub fn clean(&self) -> bool {
        self.lossless() && self.groups.is_empty()
    }

    /// The endpoint it was checked as, in the manifest's spelling.
    pub fn endpoint(&self) -> Option<&'static str> {
        self.endpoint
    }

    /// How well the endpoint's types explain the capture.
    pub fn fit(&self) -> Fit {
        self.fit
    }

    /// Properties the schema does not describe, as `Type.property`.
    pub fn new_fields(&self) -> Vec<&str> {
        self.groups.iter().filter(|g| g.what == What::New).map(|g| g.place.as_str()).collect()
    }
}

/// Checks the capture as `forced`, or detects its endpoint: every endpoint's
/// types walk the tree ([`detect::fit`]), and the best fit is decoded; only
/// when it does not decode is the next one tried. The detection is `None`
/// when forced; it has a runner-up when `runner_up` asks for one.
pub(crate) fn check_capture(
    file: &str,
    capture: &Capture<'_>,
    forced: Option<&'static str>,
    verbose: bool,
    runner_up: bool,
) -> (FileReport, Option<Detection>) {
    let envelope = Envelope::all();
    let candidates: &[&'static str] = match forced {
        Some(ref endpoint) => std::slice::from_ref(endpoint),
        None => dylive_models::ENDPOINTS,
    };
    // Detection walks a sample when the capture has long arrays.
    let sample = forced.is_none() && capture.sampled < capture.values;
    let (items, values) = if sample { (Some(SAMPLE), capture.sampled) } else { (None, capture.values) };
    let mut fits: Vec<(&'static str, Fit, Walker<'_>)> = candidates
        .iter()
        .map(|endpoint| {
            let (fit, walker) = detect::fit(endpoint, &capture.tree, values, envelope, verbose, items);
            (*endpoint, fit, walker)
        })
        .collect();
    // Stable: among equals the first in the manifest stays first.
    fits.sort_by_key(|(_, fit, _)| std::cmp::Reverse(fit.rank()));
    let mut error = None;
    let mut response = None;
    for (endpoint, fit, _) in fits.iter_mut() {
        match Response::decode(endpoint, capture.text.as_bytes()) {
            Some(Ok(decoded)) => {
                response = Some(decoded);
                break;
            }
            Some(Err(failure)) => {
                fit.decodes = false;
                error.get_or_insert(Finding {
                    pointer: failure.pointer().to_owned(),
                    expected: Some(failure.message().to_owned()),
                    found: None,
                });
            }
            None => fit.decodes = false,
        }
    }
    if response.is_some() {
        fits.sort_by_key(|(_, fit, _)| std::cmp::Reverse(fit.rank()));
        error = None;
    }
    let mut fits = fits.into_iter();
    let Some((endpoint, mut fit, mut walker)) = fits.next() else {
        return (FileReport { file: file.to_owned(), ..FileReport::default() }, None);
    };
    if sample {
        let decodes = fit.decodes;
        let (full, full_walker) = detect::fit(endpoint, &capture.tree, capture.values, envelope, verbose, None);
        (fit, walker) = (Fit { decodes, ..full }, full_walker);
    }
    let mut report = FileReport { file: file.to_owned(), endpoint: Some(endpoint), fit, ..FileReport::default() };
    report.decode_error = error;
    findings(&mut report, capture, walker, response.as_ref(), verbose);
    round_trip(&mut report, capture, response.as_ref(), verbose);
    if forced.is_some() {
        return (report, None);
    }
    // A corpus report counts winners only: the runner-up is measured for a
    // capture's own report.
    let mut runner_up = fits.next().filter(|_| runner_up).map(|(name, fit, _)| {
        // Its fit as the winner's is: of the whole capture.
        if sample {
            let (full, _) = detect::fit(name, &capture.tree, capture.values, envelope, false, None);
            (name, Fit { decodes: fit.decodes, ..full })
        } else {
            (name, fit)
        }
    });
    let mut detection = Detection { endpoint, fit: report.fit, runner_up };
    // A runner-up close enough to be shown has been decoded too.
    if let Some((name, fit)) = detection.close_runner_up() {
        let decodes = matches!(Response::decode(name, capture.text.as_bytes()), Some(Ok(_)));
        runner_up = Some((name, Fit { decodes, ..fit }));
        detection.runner_up = runner_up;
    }
    report.runner_up = runner_up.map(|(name, fit)| RunnerUp {
        endpoint: cli_name(name),
        fit,
        close: detection.close_runner_up().is_some(),
    });
    (report, Some(detection))
}

/// The findings of the walk and the decoded response's drift list, grouped.
fn findings(
    report: &mut FileReport,
    capture: &Capture<'_>,
    walker: Walker<'_>,
    response: Option<&Response>,
    verbose: bool,
) {
    // A value the model keeps as drift is one of another kind than its
    // type, which the walk meets too: without one, there is no drift to
    // list.
    let drift = match response {
        Some(response) if !walker.other_kind.is_empty() => response.drift(),
        _ => Vec::new(),
    };
    let Walker { groups: [new, missing, mut other_kind], other_kind: places_of, or_null, places, .. } = walker;
    for drift in &drift {
        let (type_name, place) = match places_of.get(drift.pointer()) {
            Some((type_name, place)) => (*type_name, place.clone()),
            None => ("", walk::generic(drift.pointer())),
        };
        let value = capture.tree.pointer(drift.pointer());
        let kind = value.map_or(drift.found().describe(), walk::kind_of);
        match other_kind.get_mut(&place) {
            Some(group) => {
                group.count += 1;
                group.kinds.insert(kind);
                if verbose {
                    group.pointers.push(drift.pointer().to_owned());
                }
            }
            None => {
                let mut expected = drift.expected().to_owned();
                if or_null.contains(drift.pointer()) {
                    expected.push_str(" or null");
                }
                let group = Pending {
                    type_name,
                    expected: Some(expected),
                    kinds: BTreeSet::from([kind]),
                    count: 1,
                    in_data: 1,
                    pointer: drift.pointer().to_owned(),
                    example: value.map(walk::example),
                    pointers: if verbose { vec![drift.pointer().to_owned()] } else { Vec::new() },
                };
                other_kind.insert(place, group);
            }
        }
    }
    for (what, groups) in [(What::New, new), (What::Missing, missing), (What::OtherKind, other_kind)] {
        let mut groups: Vec<(String, Pending)> = groups.into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for (place, group) in groups {
            match what {
                What::New => report.counts.new += 1,
                What::Missing => report.counts.missing += 1,
                What::OtherKind => report.counts.other_kind += 1,
            }
            report.groups.push(Group {
                what,
                of: places.get(group.type_name).copied().unwrap_or(0),
                type_name: group.type_name.to_owned(),
                place,
                count: group.count,
                expected: group.expected,
                kinds: group.kinds,
                example: group.example,
                pointer: group.pointer,
                pointers: group.pointers,
            });
        }
    }
}

/// Where the decoded `response` encodes to other JSON than the capture.
/// The encoded text is first read into a [`Digest`] only: when it equals
/// the capture's, they are the same JSON; only when it does not is the text
/// parsed and compared place by place.
fn round_trip(report: &mut FileReport, capture: &Capture<'_>, response: Option<&Response>, verbose: bool) {
    let Some(response) = response else { return };
    let encoded = response.to_json();
    if dylive_runtime::tree::fold::<Digest>(&encoded).is_ok_and(|digest| digest == Digest::of(&capture.tree)) {
        return;
    }
    // Equal trees have equal digests: these differ somewhere.
    match dylive_json::parse(&encoded) {
        Ok(encoded) => {
            let differences = capture.tree.diff(&encoded);
            report.round_trip_differences = differences.len();
            report.round_trip = differences
                .into_iter()
                .take(if verbose { usize::MAX } else { 10 })
                .map(|d| Finding { pointer: d.pointer, expected: d.expected, found: d.found })
                .collect();
        }
        Err(error) => {
            report.round_trip_differences = 1;
            report.round_trip.push(Finding {
                pointer: String::new(),
                expected: Some("JSON".into()),
                found: Some(error.to_string()),
            });
        }
    }
}

/// A 64-bit digest of a JSON value that does not depend on the order of
/// object keys: an object's is made from the sum of its members' (a key
/// and a value's digest, mixed), an array's from its items' in order, a
/// number's from its exact text. Two values with the same digest are the
/// same JSON but for a collision, one chance in 2^64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Digest(u64);

impl Digest {
    /// The digest of a parsed tree, the same as [`tree::fold`] gives of its
    /// text.
    ///
    /// [`tree::fold`]: dylive_runtime::tree::fold
    fn of(json: &Json<'_>) -> Digest {
        match json {
            Json::Null => Digest::null(),
            Json::Bool(value) => Digest::bool(*value),
            Json::Number(text) => Digest::number(text),
            Json::String(text) => Digest(mix(4, text_hash(text))),
            Json::Array(items) => {
                let mut folded = (0, 0);
                items.iter().for_each(|item| Digest::item(&mut folded, Digest::of(item)));
                Digest::array(folded)
            }
            Json::Object(members) => {
                let mut folded = (0, 0);
                for (name, value) in members {
                    let _ = Digest::member(&mut folded, name.clone(), Digest::of(value));
                }
                Digest::object(folded)
            }
        }
    }
}

impl<'a> Fold<'a> for Digest {
    /// The items' digest so far and their count.
    type Items = (u64, u64);
    /// The sum of the members' digests and their count.
    type Members = (u64, u64);

    fn null() -> Self {
        Digest(mix(1, 0))
    }

    fn bool(value: bool) -> Self {
        Digest(mix(2, u64::from(value)))
    }

    fn number(text: &'a str) -> Self {
        Digest(mix(3, text_hash(text)))
    }

    fn string(text: std::borrow::Cow<'a, str>) -> Self {
        Digest(mix(4, text_hash(&text)))
    }

    fn item((hash, len): &mut (u64, u64), item: Self) {
        *hash = mix(if *len == 0 { 5 } else { *hash }, item.0);
        *len += 1;
    }

    fn array((hash, len): (u64, u64)) -> Self {
        Digest(mix(if len == 0 { 5 } else { hash }, len))
    }

    fn member((sum, len): &mut (u64, u64), name: std::borrow::Cow<'a, str>, value: Self) -> Result<(), String> {
        *sum = sum.wrapping_add(mix(text_hash(&name), value.0));
        *len += 1;
        Ok(())
    }

    fn object((sum, len): (u64, u64)) -> Self {
        Digest(mix(mix(6, sum), len))
    }
}

/// Two words mixed into one, with splitmix64's finalizer.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(29) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A text's hash, eight bytes at a time.
fn text_hash(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hash = mix(0x243F_6A88_85A3_08D3, bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = mix(hash, u64::from_le_bytes(word));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    mix(hash, u64::from_le_bytes(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(text: &str) -> Digest {
        let parsed = dylive_runtime::tree::fold::<Digest>(text).expect("JSON");
        let tree = dylive_json::parse(text).expect("JSON");
        assert_eq!(Digest::of(&tree), parsed, "{text}");
        parsed
    }

    #[test]
    fn a_digest_ignores_key_order_and_nothing_else() {
        assert_eq!(digest(r#"{"a": 1, "b": [true, null, "x"]}"#), digest(r#"{"b":[true,null,"x"],"a":1}"#));
        let differ = [
            (r#"{"a": 1.0}"#, r#"{"a": 1.00}"#),
            (r#"[1, 2]"#, r#"[2, 1]"#),
            (r#"{"a": 1, "b": 2}"#, r#"{"a": 2, "b": 1}"#),
            (r#"{"a": null}"#, r#"{}"#),
            (r#"{"a": []}"#, r#"{"a": {}}"#),
            (r#"{"a": "1"}"#, r#"{"a": 1}"#),
            (r#"[[1], [2]]"#, r#"[[1, 2]]"#),
            (r#"{"ab": "c"}"#, r#"{"a": "bc"}"#),
            (r#""金""#, r#""\u91d1x""#),
        ];
        for (a, b) in differ {
            assert_ne!(digest(a), digest(b), "{a} {b}");
        }
    }
}
