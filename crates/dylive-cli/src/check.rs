//! `dylive check`: does our model understand these captured responses, and
//! which endpoint are they of?
//!
//! A capture is decoded as each endpoint's response type and walked against
//! the generated type descriptions. The endpoint whose types explain the
//! most of the document wins (see [`Fit`]). What the model does not explain
//! is grouped by schema type and property, so a new property of `User` in a
//! 200-rank list is one finding, seen in 200 places.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{self, IsTerminal, Read, Write};

use dylive_json::Json;
use dylive_models::Response;
use dylive_runtime::info::{Shape, Ty, TypeInfo};
use serde::Serialize;

use crate::{cli_name, endpoint_name, Paint};

/// The arguments of `dylive check`.
#[derive(clap::Args)]
pub struct Args {
    /// The endpoint the responses are of (room-ranklist, rank-goods,
    /// liveroom-ranklist, rank-all, liveroom-info); detected when left out.
    #[arg(long)]
    endpoint: Option<String>,
    /// Print a machine-readable JSON report.
    #[arg(long)]
    json: bool,
    /// List every place of each finding, not one example.
    #[arg(long, short)]
    verbose: bool,
    /// The files; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<String>,
}

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

/// How well one endpoint's response types explain a capture. Detection
/// takes the endpoint that explains the most values; ties go to the one
/// with fewer findings, then to the one whose envelope status fields are
/// all present, then to the first in the manifest.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fit {
    /// The capture decodes as the endpoint's response type.
    pub decodes: bool,
    /// Values of the capture (every object, array, string, number, boolean
    /// and `null`, at any depth) that the types describe, with the kind
    /// found, less one for each missing required property.
    pub explained: usize,
    /// Every value of the capture.
    pub values: usize,
    /// Findings: new properties, missing required ones, values of another
    /// kind, counted once a place.
    pub findings: usize,
    /// Status fields of the endpoint's envelope present in the capture.
    pub envelope: usize,
    /// Status fields the endpoint's envelope has.
    pub envelope_of: usize,
}

impl Fit {
    /// The share of the capture's values the types explain, 0 to 1.
    pub fn share(&self) -> f64 {
        if self.values == 0 {
            0.0
        } else {
            self.explained as f64 / self.values as f64
        }
    }

    /// Orders fits from worst to best.
    fn rank(&self) -> (bool, usize, std::cmp::Reverse<usize>, bool, usize) {
        (
            self.decodes,
            self.explained,
            std::cmp::Reverse(self.findings),
            self.envelope == self.envelope_of,
            self.envelope,
        )
    }
}

/// The endpoint a capture is of, as detected, and the runner-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The endpoint, as the manifest names it (`room_ranklist`).
    pub endpoint: &'static str,
    /// How well it fits.
    pub fit: Fit,
    /// The second best endpoint and its fit.
    pub runner_up: Option<(&'static str, Fit)>,
}

impl Detection {
    /// The runner-up when it is close: it explains within ten points of the
    /// share the winner explains.
    pub fn close_runner_up(&self) -> Option<(&'static str, Fit)> {
        self.runner_up.filter(|(_, fit)| fit.decodes && self.fit.share() - fit.share() <= 0.10)
    }
}

/// The endpoint whose response types explain `bytes` best.
///
/// ```
/// let body = std::fs::read("../../fixtures/rank_goods/success.json").expect("a fixture");
/// let detection = dylive_cli::check::detect(&body).expect("JSON");
/// assert_eq!(detection.endpoint, "rank_goods");
/// assert!(detection.fit.share() > 0.99);
/// ```
pub fn detect(bytes: &[u8]) -> Result<Detection, ReadError> {
    let capture = Capture::from_bytes(bytes.to_vec())?;
    let (report, detection) = check_capture("-", &capture, None, false);
    Ok(detection.unwrap_or(Detection {
        endpoint: report.endpoint.unwrap_or_default(),
        fit: report.fit,
        runner_up: None,
    }))
}

/// Checks `bytes` as the response of `endpoint`, or of the detected one
/// when `None`.
///
/// ```
/// let body = std::fs::read("../../fixtures/rank_goods/success.json").expect("a fixture");
/// let report = dylive_cli::check::check_bytes("success.json", &body, None).expect("JSON");
/// assert!(report.clean() && report.lossless());
/// ```
pub fn check_bytes(file: &str, bytes: &[u8], endpoint: Option<&'static str>) -> Result<FileReport, ReadError> {
    let capture = Capture::from_bytes(bytes.to_vec())?;
    Ok(check_capture(file, &capture, endpoint, false).0)
}

/// Writes an endpoint's name as the command line spells it.
fn cli_spelling<S: serde::Serializer>(endpoint: &Option<&'static str>, serializer: S) -> Result<S::Ok, S::Error> {
    endpoint.map(cli_name).serialize(serializer)
}

/// What `check` found in one file.
#[derive(Debug, Default, Serialize)]
pub struct FileReport {
    file: String,
    /// The endpoint, written in command-line spelling.
    #[serde(serialize_with = "cli_spelling")]
    endpoint: Option<&'static str>,
    /// How well the endpoint's types explain the capture.
    fit: Fit,
    /// The second best endpoint, when detected, and its fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    runner_up: Option<RunnerUp>,
    /// Why the file does not decode, when it does not.
    decode_error: Option<Finding>,
    /// How many places the re-encoded JSON differs at.
    round_trip_differences: usize,
    /// The first ten of them, or all with `--verbose`.
    round_trip: Vec<Finding>,
    /// How many properties are new, missing or of another kind.
    counts: Counts,
    /// The findings, one per schema type and property.
    groups: Vec<Group>,
}

#[derive(Debug, Serialize)]
struct RunnerUp {
    endpoint: String,
    fit: Fit,
    close: bool,
}

#[derive(Debug, Default, Serialize)]
struct Counts {
    new: usize,
    missing: usize,
    other_kind: usize,
}

/// One difference or decode failure.
#[derive(Debug, Default, Serialize)]
struct Finding {
    pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<String>,
}

/// What a group of findings is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
enum What {
    /// A property the schema does not describe.
    New,
    /// A required property that is not there.
    Missing,
    /// A value of another kind than the schema's.
    OtherKind,
}

impl What {
    fn title(self) -> &'static str {
        match self {
            What::New => "new",
            What::Missing => "missing",
            What::OtherKind => "other kind",
        }
    }
}

/// The findings of one property of one schema type, in every place.
#[derive(Debug, Serialize)]
struct Group {
    what: What,
    /// `User.webcast_uid`; `[]` marks an array's items, `{}` a map's values.
    place: String,
    /// The schema type, `User`.
    #[serde(rename = "type")]
    type_name: String,
    /// Places it was found at.
    count: usize,
    /// Places of the type in the capture.
    of: usize,
    /// What the schema expects there.
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<String>,
    /// The kinds of value found.
    kinds: BTreeSet<&'static str>,
    /// One value found, as compact JSON cut to 60 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<String>,
    /// The first place, as a JSON Pointer.
    pointer: String,
    /// Every place, with `--verbose`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pointers: Vec<String>,
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

    /// Properties the schema does not describe, as `Type.property`.
    pub fn new_fields(&self) -> Vec<&str> {
        self.groups.iter().filter(|g| g.what == What::New).map(|g| g.place.as_str()).collect()
    }
}

/// Runs `dylive check`; returns the exit code.
pub fn run(args: Args) -> u8 {
    let forced = match args.endpoint.as_deref().map(|name| (name, endpoint_name(name))) {
        Some((name, None)) => {
            say_err!("error: no endpoint named `{name}`");
            return 2;
        }
        Some((_, Some(endpoint))) => Some(endpoint),
        None => None,
    };
    let progress = args.files.len() > 1 && io::stderr().is_terminal();
    let mut reports = Vec::new();
    let mut unreadable = false;
    for (index, file) in args.files.iter().enumerate() {
        if progress {
            let _ = write!(io::stderr(), "\rchecking {}/{}", index + 1, args.files.len());
        }
        match read(file) {
            Ok(capture) => reports.push(check_capture(file, &capture, forced, args.verbose).0),
            Err(line) => {
                if progress {
                    say_err!();
                }
                say_err!("{line}");
                unreadable = true;
            }
        }
    }
    if progress {
        let _ = write!(io::stderr(), "\r\x1b[K");
    }
    let mut out = io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &reports).map_err(io::Error::from).and_then(|()| writeln!(out))
    } else {
        let paint = Paint::stdout();
        reports.iter().try_for_each(|report| print_report(&mut out, report, &paint, args.verbose)).and_then(|()| {
            if reports.len() > 1 {
                print_total(&mut out, &reports)
            } else {
                Ok(())
            }
        })
    };
    if let Err(error) = written.and_then(|()| out.flush()) {
        if error.kind() != io::ErrorKind::BrokenPipe {
            say_err!("error: {error}");
            return 2;
        }
    }
    if unreadable {
        2
    } else if reports.iter().all(FileReport::clean) {
        0
    } else {
        1
    }
}

/// A capture's text and its parsed tree.
struct Capture {
    text: String,
    tree: Json<'static>,
    /// The envelopes' status and message fields (see [`envelope_pointers`]).
    envelope: HashSet<&'static str>,
    /// The values of the capture, but for those of the envelopes.
    values: usize,
}

impl Capture {
    fn from_bytes(bytes: Vec<u8>) -> Result<Capture, ReadError> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            ReadError::NotUtf8 { line, column }
        })?;
        let tree = dylive_json::parse(&text)
            .map_err(|e| ReadError::NotJson { line: e.line, column: e.column, message: e.message.to_string() })?
            .into_owned();
        let envelope = envelope_pointers();
        let envelope_values: usize = envelope.iter().filter_map(|pointer| tree.pointer(pointer)).map(count).sum();
        let values = count(&tree) - envelope_values;
        Ok(Capture { text, tree, envelope, values })
    }
}

/// The file's capture, or the one line that says why it cannot be read:
/// `file:line:column: what`.
fn read(file: &str) -> Result<Capture, String> {
    let bytes = if file == "-" {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(file)
    };
    let bytes = bytes.map_err(|e| format!("{file}: cannot read: {e}"))?;
    Capture::from_bytes(bytes).map_err(|e| format!("{file}:{e}"))
}

/// Checks the capture as `forced`, or as every endpoint, keeping the one
/// that fits best ([`Fit`]); the detection is `None` when forced.
fn check_capture(
    file: &str,
    capture: &Capture,
    forced: Option<&'static str>,
    verbose: bool,
) -> (FileReport, Option<Detection>) {
    if let Some(endpoint) = forced {
        let (mut report, response) = check_as(file, capture, endpoint, verbose);
        round_trip(&mut report, capture, response.as_ref(), verbose);
        return (report, None);
    }
    let mut fits: Vec<(&'static str, FileReport, Option<Response>)> = dylive_models::ENDPOINTS
        .iter()
        .map(|endpoint| {
            let (report, response) = check_as(file, capture, endpoint, verbose);
            (*endpoint, report, response)
        })
        .collect();
    // Stable: among equals the first in the manifest stays first.
    fits.sort_by_key(|fit| std::cmp::Reverse(fit.1.fit.rank()));
    let mut fits = fits.into_iter();
    let Some((endpoint, mut report, response)) = fits.next() else {
        return (FileReport { file: file.to_owned(), ..FileReport::default() }, None);
    };
    // Only the endpoint that wins is encoded again and compared.
    round_trip(&mut report, capture, response.as_ref(), verbose);
    let runner_up = fits.next().map(|(name, other, _)| (name, other.fit));
    let detection = Detection { endpoint, fit: report.fit, runner_up };
    report.runner_up = runner_up.map(|(name, fit)| RunnerUp {
        endpoint: cli_name(name),
        fit,
        close: detection.close_runner_up().is_some(),
    });
    (report, Some(detection))
}

/// Where the decoded `response` encodes to other JSON than the capture.
fn round_trip(report: &mut FileReport, capture: &Capture, response: Option<&Response>, verbose: bool) {
    let Some(response) = response else { return };
    let encoded = response.to_json();
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

/// The capture decoded as the response of `endpoint` and walked against its
/// types: the report but for the round trip, and the decoded response.
fn check_as(file: &str, capture: &Capture, endpoint: &'static str, verbose: bool) -> (FileReport, Option<Response>) {
    let mut report = FileReport { file: file.to_owned(), endpoint: Some(endpoint), ..FileReport::default() };
    let response = match Response::decode(endpoint, capture.text.as_bytes()) {
        Some(Ok(response)) => Some(response),
        Some(Err(error)) => {
            report.decode_error = Some(Finding {
                pointer: error.pointer().to_owned(),
                expected: Some(error.message().to_owned()),
                found: None,
            });
            None
        }
        None => None,
    };
    let drift = response.as_ref().map(Response::drift).unwrap_or_default();
    let mut walker = Walker { envelope: capture.envelope.clone(), ..Walker::default() };
    if let Some(root) = root_type(endpoint) {
        walker.walk(&root, false, &capture.tree, &mut String::new(), &mut String::new());
    }
    let mut findings = walker.findings;
    for drift in &drift {
        let place = walker.other_kind.get(drift.pointer());
        let (type_name, place) = match place {
            Some((type_name, place)) => (type_name.clone(), place.clone()),
            None => (String::new(), generic(drift.pointer())),
        };
        let value = capture.tree.pointer(drift.pointer());
        let mut expected = drift.expected().to_owned();
        if walker.or_null.contains(drift.pointer()) {
            expected.push_str(" or null");
        }
        findings.push(Raw {
            what: What::OtherKind,
            type_name,
            place,
            expected: Some(expected),
            kind: value.map_or(drift.found().describe(), kind_of),
            example: value.map(example),
            pointer: drift.pointer().to_owned(),
        });
    }
    let checks = dylive_client::ENDPOINTS.iter().find(|spec| spec.name == endpoint).map(|spec| spec.checks);
    let checks = checks.unwrap_or_default();
    let in_data = |pointer: &str| !capture.envelope.contains(pointer);
    let missing = findings.iter().filter(|f| f.what == What::Missing && in_data(&f.pointer)).count();
    report.fit = Fit {
        decodes: report.decode_error.is_none(),
        explained: walker.explained.saturating_sub(missing),
        values: capture.values,
        findings: findings.iter().filter(|f| in_data(&f.pointer)).count(),
        envelope: checks.iter().filter(|check| capture.tree.pointer(check.status).is_some()).count(),
        envelope_of: checks.len(),
    };
    report.groups = group(findings, &walker.places, verbose);
    for g in &report.groups {
        match g.what {
            What::New => report.counts.new += 1,
            What::Missing => report.counts.missing += 1,
            What::OtherKind => report.counts.other_kind += 1,
        }
    }
    (report, response)
}

/// The status and message fields of every endpoint's envelope: they say
/// which envelope a capture came in, not what its data is, so the fit of
/// the data leaves them out.
fn envelope_pointers() -> HashSet<&'static str> {
    let checks = dylive_client::ENDPOINTS.iter().flat_map(|spec| spec.checks);
    checks.flat_map(|check| std::iter::once(check.status).chain(check.message.iter().copied())).collect()
}

/// A pointer with its array indexes as `*`, for a place no type names.
fn generic(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|step| if !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()) { "*" } else { step })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every value in `json`, itself included.
fn count(json: &Json<'_>) -> usize {
    1 + json.items().iter().map(count).sum::<usize>() + json.members().iter().map(|(_, v)| count(v)).sum::<usize>()
}

/// Findings grouped by what and place, in the order: new, missing, other
/// kind, each by place.
fn group(findings: Vec<Raw>, places: &HashMap<String, usize>, verbose: bool) -> Vec<Group> {
    let mut groups: BTreeMap<(What, String), Group> = BTreeMap::new();
    for finding in findings {
        let group = groups.entry((finding.what, finding.place.clone())).or_insert_with(|| Group {
            what: finding.what,
            of: places.get(&finding.type_name).copied().unwrap_or(0),
            type_name: finding.type_name.clone(),
            place: finding.place.clone(),
            count: 0,
            expected: finding.expected.clone(),
            kinds: BTreeSet::new(),
            example: finding.example.clone(),
            pointer: finding.pointer.clone(),
            pointers: Vec::new(),
        });
        group.count += 1;
        group.kinds.insert(finding.kind);
        if verbose {
            group.pointers.push(finding.pointer);
        }
    }
    groups.into_values().collect()
}

/// One finding in one place, before grouping.
struct Raw {
    what: What,
    type_name: String,
    place: String,
    expected: Option<String>,
    kind: &'static str,
    example: Option<String>,
    pointer: String,
}

/// The response type of `endpoint`, as a [`Ty`].
fn root_type(endpoint: &str) -> Option<Ty> {
    let info = Response::type_info(endpoint)?;
    dylive_models::TYPES.iter().find(|type_info| std::ptr::eq(type_info(), info)).map(|type_info| Ty::Type(*type_info))
}

/// Walks a JSON value against the generated types' descriptions. It counts
/// the values the types explain and the places of each type, and records
/// what the decoded value's drift list does not hold: properties the schema
/// does not know, required ones that are missing, `null` where the schema
/// does not allow it, and a fraction where it asks for an integer (the model
/// keeps both as they came, so they are not kind drift to it). It goes into
/// a value only where its kind fits; a value of another kind is the drift
/// list's to report, and the walker names its place for the grouping.
#[derive(Default)]
struct Walker {
    findings: Vec<Raw>,
    /// The properties of another kind whose schema also allows `null`.
    or_null: HashSet<String>,
    /// Where each value of another kind is: its pointer, then the type and
    /// place (`User.pay_grade`).
    other_kind: HashMap<String, (String, String)>,
    /// How many objects of each type the capture holds.
    places: HashMap<String, usize>,
    /// Values whose kind the types describe, but for those of the envelope.
    explained: usize,
    /// The envelopes' fields, left out of `explained`.
    envelope: HashSet<&'static str>,
    /// The type of the innermost object walked, for places of arrays' items.
    type_name: String,
}

impl Walker {
    /// A value of type `ty`, or `null` too when `nullable`, at `place`
    /// (`User.badges[]`).
    fn walk(&mut self, ty: &Ty, nullable: bool, json: &Json<'_>, pointer: &mut String, place: &mut String) {
        if nullable && json.is_null() {
            self.explain(pointer);
            return;
        }
        if !ty.accepts(json.kind()) {
            self.other_kind.insert(pointer.clone(), (self.type_name.clone(), place.clone()));
            return;
        }
        let integer = matches!(ty, Ty::Integer | Ty::Nullable(Ty::Integer));
        if integer && json.as_number().is_some_and(is_fraction) {
            let expected = if nullable { format!("{} or null", ty.expected()) } else { ty.expected() };
            self.record(What::OtherKind, place, Some(expected), json, pointer);
            return;
        }
        if !matches!(ty, Ty::Nullable(_) | Ty::Type(_)) {
            self.explain(pointer);
        }
        match ty {
            Ty::Nullable(inner) => self.walk(inner, true, json, pointer, place),
            Ty::Array(item) => {
                let (len, at) = (pointer.len(), place.len());
                place.push_str("[]");
                for (index, value) in json.items().iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    self.walk(item, false, value, pointer, place);
                    pointer.truncate(len);
                }
                place.truncate(at);
            }
            Ty::Map(values) => {
                let at = place.len();
                place.push_str("{}");
                for (key, value) in json.members() {
                    let len = pointer.len();
                    dylive_runtime::pointer::push_key(pointer, key);
                    self.walk(values, false, value, pointer, place);
                    pointer.truncate(len);
                }
                place.truncate(at);
            }
            Ty::Type(info) => self.typed(info(), json, pointer, place),
            Ty::Null | Ty::Bool | Ty::Integer | Ty::Number | Ty::String | Ty::Any => {}
        }
    }

    /// A value of a generated type, of a kind the type takes.
    fn typed(&mut self, info: &'static TypeInfo, json: &Json<'_>, pointer: &mut String, place: &mut String) {
        match info.shape {
            Shape::Union(variants) => {
                if let Some(variant) = variants.iter().find(|v| v.kind == json.kind()) {
                    self.walk(&variant.ty, false, json, pointer, place);
                }
            }
            Shape::Object(fields) => {
                self.explain(pointer);
                *self.places.entry(info.name.to_owned()).or_default() += 1;
                let outer = std::mem::replace(&mut self.type_name, info.name.to_owned());
                let members = json.members();
                for (key, value) in members {
                    let len = pointer.len();
                    dylive_runtime::pointer::push_key(pointer, key);
                    let mut here = format!("{}.{key}", info.name);
                    match info.field(key) {
                        Some(field) => {
                            if !field.ty.accepts(value.kind()) {
                                if !value.is_null() && field.nullable {
                                    self.or_null.insert(pointer.clone());
                                } else if value.is_null() && !field.nullable {
                                    self.record(What::OtherKind, &here, Some(field.ty.expected()), value, pointer);
                                }
                            }
                            self.walk(&field.ty, field.nullable, value, pointer, &mut here);
                        }
                        None => self.record(What::New, &here, None, value, pointer),
                    }
                    pointer.truncate(len);
                }
                for field in fields.iter().filter(|f| f.required) {
                    if !members.iter().any(|(key, _)| key == field.name) {
                        let mut at = pointer.clone();
                        dylive_runtime::pointer::push_key(&mut at, field.name);
                        self.findings.push(Raw {
                            what: What::Missing,
                            type_name: info.name.to_owned(),
                            place: format!("{}.{}", info.name, field.name),
                            expected: Some("present".into()),
                            kind: "absent",
                            example: None,
                            pointer: at,
                        });
                    }
                }
                self.type_name = outer;
            }
        }
    }

    fn explain(&mut self, pointer: &str) {
        if !self.envelope.contains(pointer) {
            self.explained += 1;
        }
    }

    fn record(&mut self, what: What, place: &str, expected: Option<String>, json: &Json<'_>, pointer: &str) {
        self.findings.push(Raw {
            what,
            type_name: self.type_name.clone(),
            place: place.to_owned(),
            expected,
            kind: kind_of(json),
            example: Some(example(json)),
            pointer: pointer.to_owned(),
        });
    }
}

fn is_fraction(number: &str) -> bool {
    number.contains(['.', 'e', 'E'])
}

/// The kind of a value in a finding: an integer is told from a number.
fn kind_of(json: &Json<'_>) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(text) if is_fraction(text) => "number",
        Json::Number(_) => "integer",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// The value as compact JSON, cut to 60 characters.
fn example(json: &Json<'_>) -> String {
    let text = json.to_json();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

fn percent(fit: &Fit) -> String {
    format!("{:.1}%", fit.share() * 100.0)
}

/// The report of one file: the summary line first, then one line a group.
fn print_report(out: &mut impl Write, report: &FileReport, paint: &Paint, verbose: bool) -> io::Result<()> {
    let endpoint = report.endpoint.map_or_else(|| "?".to_owned(), cli_name);
    let verdict = if report.clean() { paint.good("ok") } else { paint.bad("drift") };
    let decode = if report.decode_error.is_some() { "fails" } else { "ok" };
    let round_trip = match (report.decode_error.is_some(), report.round_trip_differences) {
        (true, _) => "-".to_owned(),
        (false, 0) => "lossless".to_owned(),
        (false, n) => format!("{n} difference(s)"),
    };
    let Counts { new, missing, other_kind } = report.counts;
    writeln!(
        out,
        "{}: {endpoint}: {verdict}: decode {decode}, round-trip {round_trip}; {new} new, {missing} missing, \
         {other_kind} other-kind field(s); {} of values explained",
        report.file,
        percent(&report.fit),
    )?;
    if let Some(runner_up) = report.runner_up.as_ref().filter(|r| r.close) {
        writeln!(out, "  runner-up: {} explains {}", runner_up.endpoint, percent(&runner_up.fit))?;
    }
    if let Some(error) = &report.decode_error {
        writeln!(out, "  decode fails at {}: {}", show(&error.pointer), error.expected.as_deref().unwrap_or(""))?;
    }
    for d in &report.round_trip {
        writeln!(
            out,
            "  round-trip {}: expected {}, found {}",
            show(&d.pointer),
            d.expected.as_deref().unwrap_or("(absent)"),
            d.found.as_deref().unwrap_or("(absent)")
        )?;
    }
    if report.round_trip.len() < report.round_trip_differences {
        writeln!(
            out,
            "  round-trip: {} more; --verbose lists them",
            report.round_trip_differences - report.round_trip.len()
        )?;
    }
    for group in &report.groups {
        let kinds = group.kinds.iter().copied().collect::<Vec<_>>().join(" or ");
        let expected = group.expected.as_ref().filter(|_| group.what == What::OtherKind);
        let expected = expected.map(|e| format!(", expected {e}")).unwrap_or_default();
        let places = match (group.of, group.type_name.as_str()) {
            (0, _) | (_, "") => format!("in {} place(s)", group.count),
            (of, type_name) => format!("in {} of {of} {type_name} places", group.count),
        };
        let example = group.example.as_ref().map(|e| format!(", e.g. {e}")).unwrap_or_default();
        writeln!(
            out,
            "  {:<10} {}: {kinds}{expected}, {places}{example} at {}",
            group.what.title(),
            group.place,
            show(&group.pointer)
        )?;
        if verbose {
            for pointer in &group.pointers {
                writeln!(out, "      {}", show(pointer))?;
            }
        }
    }
    Ok(())
}

/// The last line when there are several files: how many are clean.
fn print_total(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let clean = reports.iter().filter(|r| r.clean()).count();
    let failed = reports.iter().filter(|r| !r.decoded()).count();
    writeln!(
        out,
        "{} file(s): {clean} ok, {} drift, {failed} do not decode",
        reports.len(),
        reports.len() - clean - failed
    )
}

fn show(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(top level)"
    } else {
        pointer
    }
}

#[cfg(test)]
mod tests {
    use dylive_json::Value;
    use dylive_runtime::info::{FieldInfo, VariantInfo};
    use dylive_runtime::JsonKind;

    use super::*;

    /// Every fixture as (endpoint, file name, text), endpoint by endpoint.
    fn fixtures() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
        dylive_models::fixtures::all()
            .iter()
            .map(|fixture| (fixture.endpoint, fixture.name, std::str::from_utf8(fixture.body).expect("UTF-8")))
    }

    fn code() -> &'static TypeInfo {
        static INFO: TypeInfo = TypeInfo {
            name: "Code",
            shape: Shape::Union(&[
                VariantInfo { kind: JsonKind::Number, ty: Ty::Integer },
                VariantInfo { kind: JsonKind::String, ty: Ty::String },
            ]),
        };
        &INFO
    }

    fn item() -> &'static TypeInfo {
        static INFO: TypeInfo = TypeInfo {
            name: "Item",
            shape: Shape::Object(&[
                FieldInfo { name: "id", rust_name: "id", ty: Ty::Integer, required: true, nullable: false },
                FieldInfo { name: "code", rust_name: "code", ty: Ty::Type(code), required: false, nullable: true },
                FieldInfo {
                    name: "scores",
                    rust_name: "scores",
                    ty: Ty::Map(&Ty::Nullable(&Ty::Number)),
                    required: false,
                    nullable: false,
                },
                FieldInfo {
                    name: "children",
                    rust_name: "children",
                    ty: Ty::Array(&Ty::Type(item)),
                    required: false,
                    nullable: false,
                },
            ]),
        };
        &INFO
    }

    /// One line a finding of the walk: what, place, pointer, expected, kind.
    fn walked(json: &str) -> (Vec<String>, Walker) {
        let mut walker = Walker::default();
        let tree = dylive_json::parse(json).expect("JSON");
        walker.walk(&Ty::Type(item), false, &tree, &mut String::new(), &mut String::new());
        let lines = walker
            .findings
            .iter()
            .map(|f| {
                let expected = f.expected.as_deref().unwrap_or("-");
                format!("{} {} {} {expected} {}", f.what.title(), f.place, f.pointer, f.kind)
            })
            .collect();
        (lines, walker)
    }

    fn findings(json: &str) -> Vec<String> {
        walked(json).0
    }

    /// The report of checking `json`, its endpoint detected.
    fn checked(json: &str) -> FileReport {
        check_bytes("-", json.as_bytes(), None).expect("JSON")
    }

    /// One line a group: what, place, count of places, kinds.
    fn groups(report: &FileReport) -> Vec<String> {
        report
            .groups
            .iter()
            .map(|g| {
                let kinds: Vec<&str> = g.kinds.iter().copied().collect();
                format!("{} {} {}/{} {}", g.what.title(), g.place, g.count, g.of, kinds.join("|"))
            })
            .collect()
    }

    #[test]
    fn a_value_that_fits_has_no_findings_and_is_explained_whole() {
        let json = r#"{"id": 1, "code": null, "scores": {"a": 1.5, "b": null}, "children": [{"id": 2, "code": "x"}]}"#;
        let (found, walker) = walked(json);
        assert_eq!(found, Vec::<String>::new());
        let tree = dylive_json::parse(json).expect("JSON");
        assert_eq!(walker.explained, count(&tree));
        assert!(walker.envelope.is_empty());
        assert_eq!(walker.places.get("Item"), Some(&2));
    }

    #[test]
    fn the_walk_finds_what_is_not_kind_drift_at_every_depth_and_names_its_place() {
        let json = r#"{"code": true, "scores": {"a/b": "x"}, "children": [{"id": 2.0, "extra": [1]}, 3, [], {"id": null}], "new": {}}"#;
        let (found, walker) = walked(json);
        assert_eq!(
            found,
            [
                "other kind Item.id /children/0/id an integer number",
                "new Item.extra /children/0/extra - array",
                "other kind Item.id /children/3/id an integer null",
                "new Item.new /new - object",
                "missing Item.id /id present absent",
            ]
        );
        let mut kinds: Vec<(&str, &str)> =
            walker.other_kind.iter().map(|(pointer, (_, place))| (pointer.as_str(), place.as_str())).collect();
        kinds.sort();
        assert_eq!(
            kinds,
            [
                ("/children/1", "Item.children[]"),
                ("/children/2", "Item.children[]"),
                ("/children/3/id", "Item.id"),
                ("/code", "Item.code"),
                ("/scores/a~1b", "Item.scores{}"),
            ]
        );
    }

    #[test]
    fn a_value_of_another_kind_is_left_to_the_drift_list() {
        let (found, walker) =
            walked(r#"{"id": 1, "code": [{}], "scores": [], "children": [{"id": 2, "code": {}}, "x"]}"#);
        assert_eq!(found, Vec::<String>::new());
        let mut or_null: Vec<&str> = walker.or_null.iter().map(String::as_str).collect();
        or_null.sort();
        assert_eq!(or_null, ["/children/0/code", "/code"]);
    }

    #[test]
    fn a_union_variant_is_walked_as_its_type() {
        assert_eq!(findings(r#"{"id": 1, "code": 1e3}"#), ["other kind Item.code /code an integer number"]);
    }

    #[test]
    fn other_kinds_come_from_the_drift_list_of_the_decoded_response_grouped_by_place() {
        let json = r#"{"code": true, "msg": 0, "data": {"data": {"has_more": null, "ranks": [{"rank": "1", "user": []}, {"rank": "2"}]}}}"#;
        let report = check_bytes("-", json.as_bytes(), Some("room_ranklist")).expect("JSON");
        assert_eq!(report.endpoint(), Some("room_ranklist"));
        assert!(report.lossless(), "{report:?}");
        let groups: Vec<String> = groups(&report).into_iter().filter(|g| g.starts_with("other kind")).collect();
        assert_eq!(
            groups,
            [
                "other kind RoomRank.rank 2/2 string",
                "other kind RoomRank.user 1/2 array",
                "other kind RoomRanklist.has_more 1/1 null",
                "other kind RoomRanklistResponse.code 1/1 boolean",
                "other kind RoomRanklistResponse.msg 1/1 integer",
            ]
        );
        assert_eq!((report.counts.new, report.counts.other_kind), (0, 5));
    }

    #[test]
    fn a_property_that_also_takes_null_says_so() {
        let report = checked(r#"{"code": 0, "msg": "", "data": 5}"#);
        let group = report.groups.first().expect("a group");
        assert_eq!(report.groups.len(), 1);
        assert_eq!(group.expected.as_deref(), Some("an object (RoomRanklistData) or null"));
        assert_eq!((group.place.as_str(), group.example.as_deref()), ("RoomRanklistResponse.data", Some("5")));
    }

    #[test]
    fn an_example_is_cut_to_sixty_characters() {
        let long = format!(r#"{{"id": 1, "note": "{}"}}"#, "金".repeat(100));
        let (_, walker) = walked(&long);
        let example = walker.findings[0].example.clone().unwrap_or_default();
        assert!(example.ends_with('…') && example.chars().filter(|c| *c == '金').count() == 59, "{example}");
    }

    /// The fixtures that are successful responses, with their endpoints.
    fn successes() -> Vec<(&'static str, &'static str, Value)> {
        fixtures()
            .filter_map(|(endpoint, file, text)| {
                let spec = dylive_client::ENDPOINTS.iter().find(|s| s.name == endpoint)?;
                if dylive_http::api_failure(text.as_bytes(), spec.checks).is_some() {
                    return None;
                }
                Some((endpoint, file, Value::parse(text).expect("fixtures are JSON")))
            })
            .collect()
    }

    fn remove(root: &mut Value, pointer: &str) {
        let Some((parent, key)) = pointer.rsplit_once('/') else { return };
        if let Some(parent) = root.pointer_mut(parent) {
            parent.remove(key);
        }
    }

    fn set(root: &mut Value, pointer: &str, value: Value) {
        let Some((parent, key)) = pointer.rsplit_once('/') else { return };
        if let Some(parent) = root.pointer_mut(parent) {
            parent.set(key, value);
        }
    }

    /// `document` with the envelope of `endpoint` in place of its own: its
    /// status and message fields gone, the other endpoint's set to success.
    fn rewrapped(document: &Value, own: &str, endpoint: &str) -> Value {
        let spec = |name: &str| dylive_client::ENDPOINTS.iter().find(|s| s.name == name).expect("an endpoint");
        let mut document = document.clone();
        for check in spec(own).checks {
            remove(&mut document, check.status);
            check.message.iter().for_each(|pointer| remove(&mut document, pointer));
        }
        for check in spec(endpoint).checks {
            let success = check.success.first().copied().unwrap_or("0");
            set(&mut document, check.status, Value::Number(success.to_owned()));
            if let Some(pointer) = check.message.first() {
                set(&mut document, pointer, Value::str("success"));
            }
        }
        document
    }

    #[test]
    fn the_data_names_the_endpoint_whatever_envelope_it_comes_in() {
        let mut matrix = Vec::new();
        for (endpoint, file, document) in successes() {
            for other in dylive_models::ENDPOINTS {
                let text = rewrapped(&document, endpoint, other).to_json();
                let detection = detect(text.as_bytes()).expect("JSON");
                let own = check_bytes("-", text.as_bytes(), Some(endpoint)).expect("JSON").fit;
                let fit = detection.fit;
                let outcome = if detection.endpoint == endpoint {
                    "its own".to_owned()
                } else if (fit.envelope == fit.envelope_of, fit.envelope)
                    != (own.envelope == own.envelope_of, own.envelope)
                {
                    format!("{}: the data fits both, the envelope decides", detection.endpoint)
                } else {
                    format!("{}: the data and the envelope fit both, the manifest's order decides", detection.endpoint)
                };
                matrix.push(format!("{endpoint}/{file} in {other}'s envelope: {outcome}"));
                // Another endpoint only where the data cannot tell them apart.
                let same = (own.decodes, own.explained, own.findings) == (fit.decodes, fit.explained, fit.findings);
                assert!(detection.endpoint == endpoint || same, "{}", matrix.join("\n"));
            }
        }
        println!("{}", matrix.join("\n"));
        assert!(matrix.len() >= 25, "{matrix:?}");
    }

    /// Adds `count` new properties to the objects of `value`, the first
    /// objects in document order first.
    fn add_fields(value: &mut Value, count: &mut usize) {
        match value {
            Value::Object(members) => {
                let old = members.len();
                if *count > 0 {
                    *count -= 1;
                    let added = match *count % 4 {
                        0 => Value::str("2026"),
                        1 => Value::Number(format!("{}", 9_007_199_254_740_993u64 + *count as u64)),
                        2 => Value::object([("level", Value::Number("3".into())), ("icon", Value::str("x"))]),
                        _ => Value::Array(vec![Value::Bool(true)]),
                    };
                    members.push((format!("added_in_2026_{count}"), added));
                }
                members[..old].iter_mut().for_each(|(_, member)| add_fields(member, count));
            }
            Value::Array(items) => items.iter_mut().for_each(|item| add_fields(item, count)),
            _ => {}
        }
    }

    #[test]
    fn a_dozen_new_fields_do_not_change_the_endpoint() {
        for (endpoint, file, mut document) in successes() {
            let mut count = 12;
            add_fields(&mut document, &mut count);
            assert_eq!(count, 0, "{file}");
            let report = checked(&document.to_json());
            assert_eq!(report.endpoint(), Some(endpoint), "{endpoint}/{file}");
            // Those added to a map are entries, not new properties.
            let new = report.new_fields();
            assert!(new.len() >= 6 && new.iter().all(|f| f.contains(".added_in_2026_")), "{file}: {new:?}");
            assert!(report.lossless(), "{endpoint}/{file}");
        }
    }

    #[test]
    fn every_fixture_is_its_own_endpoint_and_clean() {
        for (endpoint, file, text) in fixtures() {
            let report = checked(text);
            assert_eq!(report.endpoint(), Some(endpoint), "{file}");
            assert!(report.clean(), "{endpoint}/{file}: {:?}", groups(&report));
        }
    }
}
