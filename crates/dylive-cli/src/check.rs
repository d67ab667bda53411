//! `dylive check`: does our model understand these captured responses?

use std::collections::HashSet;
use std::io::{IsTerminal, Read};

use dylive_json::Json;
use dylive_models::{Drift, Response};
use dylive_runtime::info::{Shape, Ty, TypeInfo};
use dylive_runtime::JsonKind;
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
    /// The files; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<String>,
}

/// What `check` found in one file.
#[derive(Debug, Default, Serialize)]
pub struct FileReport {
    file: String,
    endpoint: Option<String>,
    /// Why the file does not decode, when it does not.
    decode_error: Option<Finding>,
    /// Where the re-encoded JSON differs, when it decoded.
    round_trip: Vec<Finding>,
    /// Properties the model does not know.
    unknown: Vec<Finding>,
    /// Properties the model marks as always present that are missing.
    missing: Vec<Finding>,
    /// Values of another kind than the schema says: the decoded response's
    /// drift list, then what the walk adds (`null` where the schema does not
    /// allow it, a fraction where it asks for an integer).
    mismatched: Vec<Finding>,
}

#[derive(Debug, Default, Serialize)]
struct Finding {
    pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<String>,
}

impl FileReport {
    /// The capture decodes as the endpoint's response type.
    pub fn decoded(&self) -> bool {
        self.decode_error.is_none() && self.endpoint.is_some()
    }

    /// It decoded, and encoding the result gave back the same JSON.
    pub fn lossless(&self) -> bool {
        self.decoded() && self.round_trip.is_empty()
    }

    /// The capture decodes, re-encodes to the same JSON, and has no drift.
    pub fn clean(&self) -> bool {
        self.decode_error.is_none()
            && self.round_trip.is_empty()
            && self.unknown.is_empty()
            && self.missing.is_empty()
            && self.mismatched.is_empty()
    }

    fn drift(&self) -> usize {
        self.unknown.len() + self.missing.len() + self.mismatched.len()
    }
}

/// Runs `dylive check`; returns the exit code.
pub fn run(args: Args) -> u8 {
    let forced = match args.endpoint.as_deref().map(|name| (name, endpoint_name(name))) {
        Some((name, None)) => {
            eprintln!("error: no endpoint named `{name}`");
            return 2;
        }
        Some((_, Some(endpoint))) => Some(endpoint),
        None => None,
    };
    let progress = args.files.len() > 1 && std::io::stderr().is_terminal();
    let mut reports = Vec::new();
    let mut unreadable = false;
    for (index, file) in args.files.iter().enumerate() {
        if progress {
            eprint!("\rchecking {}/{}", index + 1, args.files.len());
        }
        match read(file) {
            Ok(text) => reports.push(check_text(file, &text, forced)),
            Err(line) => {
                if progress {
                    eprintln!();
                }
                eprintln!("{line}");
                unreadable = true;
            }
        }
    }
    if progress {
        eprint!("\r\x1b[K");
    }
    if args.json {
        match serde_json::to_string_pretty(&reports) {
            Ok(json) => println!("{json}"),
            Err(error) => eprintln!("error: {error}"),
        }
    } else {
        let paint = Paint::stdout();
        for report in &reports {
            print_report(report, &paint);
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

/// The endpoint a capture is of, as detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// The endpoint, as the manifest names it (`room_ranklist`).
    pub endpoint: &'static str,
}

/// The endpoint whose response types explain `bytes` best.
///
/// ```
/// let body = br#"{"data": {"lists": [], "total": 0}, "extra": {"now": 1}, "status_code": 0}"#;
/// let detection = dylive_cli::check::detect(body).expect("JSON");
/// assert_eq!(detection.endpoint, "rank_goods");
/// ```
pub fn detect(bytes: &[u8]) -> Result<Detection, ReadError> {
    let text = Text::from_bytes(bytes.to_vec())?;
    let report = check_text("-", &text, None);
    let endpoint = report.endpoint.as_deref().and_then(endpoint_name).unwrap_or_default();
    Ok(Detection { endpoint })
}

/// Checks `bytes` as the response of `endpoint`, or of the detected one
/// when `None`.
pub fn check_bytes(file: &str, bytes: &[u8], endpoint: Option<&'static str>) -> Result<FileReport, ReadError> {
    let text = Text::from_bytes(bytes.to_vec())?;
    Ok(check_text(file, &text, endpoint))
}

/// A file's text and its parsed tree.
struct Text {
    text: String,
    tree: Json<'static>,
}

/// The file's text, or the one line that says why it cannot be read:
/// `file:line:column: what`.
fn read(file: &str) -> Result<Text, String> {
    let mut bytes = Vec::new();
    let result = if file == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
    };
    result.map_err(|e| format!("{file}: cannot read: {e}"))?;
    Text::from_bytes(bytes).map_err(|e| format!("{file}:{e}"))
}

impl Text {
    fn from_bytes(bytes: Vec<u8>) -> Result<Text, ReadError> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            ReadError::NotUtf8 { line, column }
        })?;
        let tree = dylive_json::parse(&text)
            .map_err(|e| ReadError::NotJson { line: e.line, column: e.column, message: e.message.to_string() })?
            .into_owned();
        Ok(Text { text, tree })
    }
}

/// Checks `text` as the named endpoint's response, or, when none is named,
/// as the endpoint it fits best. The envelope narrows the candidates first:
/// those whose status fields are all present, the more of them the better.
/// Only those left are decoded and walked, and the one that decodes with the
/// least drift wins.
fn check_text(file: &str, text: &Text, forced: Option<&'static str>) -> FileReport {
    let candidates: Vec<&str> = match forced {
        Some(endpoint) => vec![endpoint],
        None => {
            let fit = |endpoint: &str| {
                let checks = dylive_client::ENDPOINTS
                    .iter()
                    .find(|spec| spec.name == endpoint)
                    .map(|spec| spec.checks)
                    .unwrap_or_default();
                let present = checks.iter().filter(|check| text.tree.pointer(check.status).is_some()).count();
                (present == checks.len(), present)
            };
            let best = dylive_models::ENDPOINTS.iter().map(|e| fit(e)).max();
            dylive_models::ENDPOINTS.iter().copied().filter(|e| Some(fit(e)) == best).collect()
        }
    };
    candidates
        .into_iter()
        .map(|endpoint| check_as(file, text, endpoint))
        .min_by_key(|report| (report.decode_error.is_some(), report.drift()))
        .unwrap_or_default()
}

fn check_as(file: &str, text: &Text, endpoint: &str) -> FileReport {
    let mut report = FileReport { file: file.to_owned(), endpoint: Some(cli_name(endpoint)), ..FileReport::default() };
    let drift = match Response::decode(endpoint, text.text.as_bytes()) {
        Some(Ok(response)) => {
            let encoded = response.to_json().unwrap_or_default();
            if let Ok(encoded) = dylive_json::parse(&encoded) {
                report.round_trip = text
                    .tree
                    .diff(&encoded)
                    .into_iter()
                    .map(|d| Finding { pointer: d.pointer, expected: d.expected, found: d.found })
                    .collect();
            }
            response.drift()
        }
        Some(Err(error)) => {
            report.decode_error = Some(Finding {
                pointer: error.pointer().to_owned(),
                expected: Some(error.message().to_owned()),
                found: None,
            });
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut or_null = HashSet::new();
    if let Some(root) = root_type(endpoint) {
        Walker { report: &mut report, or_null: &mut or_null }.walk(&root, false, &text.tree, &mut String::new());
    }
    let kinds = drift.iter().map(|drift| other_kind(drift, &text.tree, or_null.contains(drift.pointer())));
    report.mismatched.splice(0..0, kinds);
    report
}

/// The finding for one place of the drift list; `or_null` when the schema
/// also allows `null` there.
fn other_kind(drift: &Drift, tree: &Json<'_>, or_null: bool) -> Finding {
    let expected = if or_null { format!("{} or null", drift.expected()) } else { drift.expected().to_owned() };
    let found = match tree.pointer(drift.pointer()) {
        Some(value) => found(value),
        None => drift.found().describe().to_owned(),
    };
    Finding { pointer: drift.pointer().to_owned(), expected: Some(expected), found: Some(found) }
}

/// The response type of `endpoint`, as a [`Ty`].
fn root_type(endpoint: &str) -> Option<Ty> {
    let info = Response::type_info(endpoint)?;
    dylive_models::TYPES.iter().find(|type_info| std::ptr::eq(type_info(), info)).map(|type_info| Ty::Type(*type_info))
}

/// Walks a JSON value against the generated types' descriptions and records
/// what the decoded value's drift list does not hold: properties the schema
/// does not know, required ones that are missing, `null` where the schema
/// does not allow it, and a fraction where it asks for an integer (the model
/// keeps both as they came, so they are not kind drift to it). It goes into
/// a value only where its kind fits; a value of another kind is the drift
/// list's to report.
struct Walker<'a> {
    report: &'a mut FileReport,
    /// The properties of another kind whose schema also allows `null`.
    or_null: &'a mut HashSet<String>,
}

impl Walker<'_> {
    /// A value of type `ty`, or `null` too when `nullable`.
    fn walk(&mut self, ty: &Ty, nullable: bool, json: &Json<'_>, pointer: &mut String) {
        if (nullable && json.is_null()) || !ty.accepts(kind(json)) {
            return;
        }
        let integer = matches!(ty, Ty::Integer | Ty::Nullable(Ty::Integer));
        if integer && json.as_number().is_some_and(is_fraction) {
            let expected = if nullable { format!("{} or null", ty.expected()) } else { ty.expected() };
            self.mismatch(expected, json, pointer);
            return;
        }
        match ty {
            Ty::Nullable(inner) => self.walk(inner, true, json, pointer),
            Ty::Array(item) => {
                for (index, value) in json.items().iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    self.walk(item, false, value, pointer);
                    pointer.truncate(len);
                }
            }
            Ty::Map(values) => {
                for (key, value) in json.members() {
                    let len = pointer.len();
                    push(pointer, key);
                    self.walk(values, false, value, pointer);
                    pointer.truncate(len);
                }
            }
            Ty::Type(info) => self.typed(info(), json, pointer),
            Ty::Null | Ty::Bool | Ty::Integer | Ty::Number | Ty::String | Ty::Any => {}
        }
    }

    /// A value of a generated type, of a kind the type takes.
    fn typed(&mut self, info: &'static TypeInfo, json: &Json<'_>, pointer: &mut String) {
        match info.shape {
            Shape::Union(variants) => {
                if let Some(variant) = variants.iter().find(|v| v.kind == kind(json)) {
                    self.walk(&variant.ty, false, json, pointer);
                }
            }
            Shape::Object(fields) => {
                let members = json.members();
                for (key, value) in members {
                    let len = pointer.len();
                    push(pointer, key);
                    match info.field(key) {
                        Some(field) => {
                            if !field.ty.accepts(kind(value)) {
                                if !value.is_null() && field.nullable {
                                    self.or_null.insert(pointer.clone());
                                } else if value.is_null() && !field.nullable {
                                    self.mismatch(field.ty.expected(), value, pointer);
                                }
                            }
                            self.walk(&field.ty, field.nullable, value, pointer);
                        }
                        None => self.report.unknown.push(Finding {
                            pointer: pointer.clone(),
                            expected: None,
                            found: Some(found(value)),
                        }),
                    }
                    pointer.truncate(len);
                }
                for field in fields.iter().filter(|f| f.required) {
                    if !members.iter().any(|(key, _)| key == field.name) {
                        let mut at = pointer.clone();
                        push(&mut at, field.name);
                        self.report.missing.push(Finding {
                            pointer: at,
                            expected: Some("present".into()),
                            found: None,
                        });
                    }
                }
            }
        }
    }

    fn mismatch(&mut self, expected: String, json: &Json<'_>, pointer: &str) {
        self.report.mismatched.push(Finding {
            pointer: pointer.to_owned(),
            expected: Some(expected),
            found: Some(found(json)),
        });
    }
}

fn push(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

fn is_fraction(number: &str) -> bool {
    number.contains(['.', 'e', 'E'])
}

fn kind(json: &Json<'_>) -> JsonKind {
    match json {
        Json::Null => JsonKind::Null,
        Json::Bool(_) => JsonKind::Bool,
        Json::Number(_) => JsonKind::Number,
        Json::String(_) => JsonKind::String,
        Json::Array(_) => JsonKind::Array,
        Json::Object(_) => JsonKind::Object,
    }
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

/// A value in a finding: its kind and the value, `string: "1"`.
fn found(json: &Json<'_>) -> String {
    format!("{}: {}", kind_of(json), example(json))
}

/// The value as compact JSON, cut to 60 characters.
fn example(json: &Json<'_>) -> String {
    let text = json.to_json();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

fn print_report(report: &FileReport, paint: &Paint) {
    let endpoint = report.endpoint.as_deref().unwrap_or("?");
    let verdict = if report.clean() { paint.good("ok") } else { paint.bad("drift") };
    println!("{}: {endpoint}: {verdict}", report.file);
    match &report.decode_error {
        Some(error) => {
            println!("  decode: fails at {}: {}", show(&error.pointer), error.expected.as_deref().unwrap_or(""))
        }
        None if report.round_trip.is_empty() => println!("  decode: ok; round-trip: lossless"),
        None => {
            println!("  decode: ok; round-trip: {} difference(s)", report.round_trip.len());
            for d in &report.round_trip {
                println!(
                    "    {}: expected {}, found {}",
                    show(&d.pointer),
                    or_absent(&d.expected),
                    or_absent(&d.found)
                );
            }
        }
    }
    for (title, findings) in
        [("unknown field", &report.unknown), ("missing field", &report.missing), ("other kind", &report.mismatched)]
    {
        for finding in findings {
            let detail = match (&finding.expected, &finding.found) {
                (Some(expected), Some(found)) => format!(": expected {expected}, found {found}"),
                (None, Some(found)) => format!(": {found}"),
                _ => String::new(),
            };
            println!("  {title} {}{detail}", show(&finding.pointer));
        }
    }
}

fn show(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(top level)"
    } else {
        pointer
    }
}

fn or_absent(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(absent)")
}

#[cfg(test)]
mod tests {
    use dylive_runtime::info::{FieldInfo, VariantInfo};

    use super::*;

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

    /// One line a finding: unknown, missing, then other kinds.
    fn lines(report: &FileReport) -> Vec<String> {
        let mut lines = Vec::new();
        for (title, found) in [("unknown", &report.unknown), ("missing", &report.missing), ("kind", &report.mismatched)]
        {
            for f in found {
                let expected = f.expected.as_deref().unwrap_or("-");
                lines.push(format!("{title} {} {expected} {}", f.pointer, f.found.as_deref().unwrap_or("-")));
            }
        }
        lines
    }

    /// The findings of walking `json` as an `Item`, one line each, and the
    /// properties of another kind that also take `null`.
    fn walked(json: &str) -> (Vec<String>, HashSet<String>) {
        let mut report = FileReport::default();
        let mut or_null = HashSet::new();
        let tree = dylive_json::parse(json).expect("JSON");
        Walker { report: &mut report, or_null: &mut or_null }.walk(&Ty::Type(item), false, &tree, &mut String::new());
        (lines(&report), or_null)
    }

    fn findings(json: &str) -> Vec<String> {
        walked(json).0
    }

    /// The report of checking `json`, its endpoint detected.
    fn checked(json: &str) -> FileReport {
        let text = Text { text: json.to_owned(), tree: dylive_json::parse(json).expect("JSON").into_owned() };
        check_text("-", &text, None)
    }

    #[test]
    fn a_value_that_fits_has_no_findings() {
        let json = r#"{"id": 1, "code": null, "scores": {"a": 1.5, "b": null}, "children": [{"id": 2, "code": "x"}]}"#;
        assert_eq!(findings(json), Vec::<String>::new());
    }

    #[test]
    fn the_walk_finds_what_is_not_kind_drift_at_every_depth() {
        let json = r#"{"code": true, "scores": {"a/b": "x"}, "children": [{"id": 2.0, "extra": [1]}, 3, [], {"id": null}], "new": {}}"#;
        assert_eq!(
            findings(json),
            [
                "unknown /children/0/extra - array: [1]",
                "unknown /new - object: {}",
                "missing /id present -",
                "kind /children/0/id an integer number: 2.0",
                "kind /children/3/id an integer null: null",
            ]
        );
    }

    #[test]
    fn a_value_of_another_kind_is_left_to_the_drift_list() {
        let (found, or_null) =
            walked(r#"{"id": 1, "code": [{}], "scores": [], "children": [{"id": 2, "code": {}}, "x"]}"#);
        assert_eq!(found, Vec::<String>::new());
        assert_eq!(or_null, HashSet::from(["/code".to_owned(), "/children/0/code".to_owned()]));
    }

    #[test]
    fn a_union_variant_is_walked_as_its_type() {
        assert_eq!(findings(r#"{"id": 1, "code": 1e3}"#), ["kind /code an integer number: 1e3"]);
    }

    #[test]
    fn other_kinds_come_from_the_drift_list_of_the_decoded_response() {
        let report = checked(
            r#"{"code": true, "msg": 0, "data": {"data": {"has_more": null, "ranks": [{"rank": "1", "user": []}]}}}"#,
        );
        assert_eq!(report.endpoint.as_deref(), Some("room-ranklist"));
        assert!(report.decode_error.is_none() && report.round_trip.is_empty(), "{report:?}");
        let kinds: Vec<String> = lines(&report).into_iter().filter(|line| line.starts_with("kind ")).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                "kind /code a number or a string boolean: true",
                "kind /data/data/has_more a boolean null: null",
                "kind /data/data/ranks/0/rank an integer string: \"1\"",
                "kind /data/data/ranks/0/user an object (User) array: []",
                "kind /msg a string integer: 0",
            ]
        );
        assert_eq!(kinds.last().map(String::as_str), Some("kind /data/data/has_more a boolean null: null"));
    }

    #[test]
    fn a_property_that_also_takes_null_says_so() {
        let report = checked(r#"{"code": 0, "msg": "", "data": 5}"#);
        assert_eq!(lines(&report), ["kind /data an object (RoomRanklistData) or null integer: 5"]);
        assert!(report.decode_error.is_none() && report.round_trip.is_empty(), "{report:?}");
    }

    #[test]
    fn an_example_is_cut_to_sixty_characters() {
        let long = format!(r#"{{"id": 1, "note": "{}"}}"#, "金".repeat(100));
        let found = findings(&long);
        assert_eq!(found.len(), 1);
        assert!(found[0].ends_with('…') && found[0].chars().filter(|c| *c == '金').count() == 59, "{found:?}");
    }
}
