//! `dylive check`: does our model understand these captured responses?

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};

use dylive_models::Response;
use dylive_runtime::compare::{self, Json};
use serde::Serialize;
use serde_json::Value;

use crate::{cli_name, embedded, endpoint_name, Paint};

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
struct FileReport {
    file: String,
    endpoint: Option<String>,
    /// Why the file does not decode, when it does not.
    decode_error: Option<Finding>,
    /// Where the re-encoded JSON differs, when it decoded.
    round_trip: Vec<Finding>,
    /// Properties the schema does not know.
    unknown: Vec<Finding>,
    /// Properties the schema marks as always present that are missing.
    missing: Vec<Finding>,
    /// Values whose kind differs from the schema.
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
    fn clean(&self) -> bool {
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

pub fn run(args: Args) -> u8 {
    let forced = match args.endpoint.as_deref().map(|name| (name, endpoint_name(name))) {
        Some((name, None)) => {
            eprintln!("error: no endpoint named `{name}`");
            return 2;
        }
        Some((_, Some(endpoint))) => Some(endpoint),
        None => None,
    };
    let definitions = embedded::definitions();
    let roots: BTreeMap<String, String> =
        dylive_client::ENDPOINTS.iter().map(|e| (e.name.to_owned(), e.response_type.to_owned())).collect();
    let envelopes: BTreeMap<String, Vec<String>> = dylive_client::ENDPOINTS
        .iter()
        .map(|e| (e.name.to_owned(), e.checks.iter().map(|c| c.status.to_owned()).collect()))
        .collect();
    let progress = args.files.len() > 1 && std::io::stderr().is_terminal();
    let mut reports = Vec::new();
    let mut unreadable = false;
    for (index, file) in args.files.iter().enumerate() {
        if progress {
            eprint!("\rchecking {}/{}", index + 1, args.files.len());
        }
        match read(file) {
            Ok(text) => reports.push(check_text(file, &text, forced, &definitions, &roots, &envelopes)),
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

/// The file's text, or the one line that says why it cannot be read:
/// `file:line:column: what`.
fn read(file: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let result = if file == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
    };
    result.map_err(|e| format!("{file}: cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        format!("{file}:{line}:{column}: not UTF-8")
    })?;
    compare::parse(&text).map_err(|e| format!("{file}:{}:{}: not JSON: {}", e.line, e.column, e.message))?;
    Ok(text)
}

/// Checks `text` as the named endpoint's response, or, when none is named,
/// as the endpoint it fits best. The envelope narrows the candidates first:
/// those whose status fields are all present, the more of them the better.
/// Only those left are decoded and walked, and the one that decodes with the
/// least drift wins.
fn check_text(
    file: &str,
    text: &str,
    forced: Option<&'static str>,
    definitions: &BTreeMap<String, Value>,
    roots: &BTreeMap<String, String>,
    envelopes: &BTreeMap<String, Vec<String>>,
) -> FileReport {
    let candidates: Vec<&str> = match forced {
        Some(endpoint) => vec![endpoint],
        None => {
            let tree = compare::parse(text).ok();
            let fit = |endpoint: &str| {
                let fields = envelopes.get(endpoint).map(Vec::as_slice).unwrap_or_default();
                let present = fields.iter().filter(|f| tree.as_ref().and_then(|t| lookup(t, f)).is_some()).count();
                (present == fields.len(), present)
            };
            let best = dylive_models::ENDPOINTS.iter().map(|e| fit(e)).max();
            dylive_models::ENDPOINTS.iter().copied().filter(|e| Some(fit(e)) == best).collect()
        }
    };
    candidates
        .into_iter()
        .map(|endpoint| check_as(file, text, endpoint, definitions, roots))
        .min_by_key(|report| (report.decode_error.is_some(), report.drift()))
        .unwrap_or_default()
}

/// The value at a JSON Pointer.
fn lookup<'j, 'a>(json: &'j Json<'a>, pointer: &str) -> Option<&'j Json<'a>> {
    pointer.split('/').skip(1).try_fold(json, |node, step| match node {
        Json::Object(members) => members.iter().find(|(key, _)| key == step).map(|(_, value)| value),
        _ => None,
    })
}

fn check_as(
    file: &str,
    text: &str,
    endpoint: &str,
    definitions: &BTreeMap<String, Value>,
    roots: &BTreeMap<String, String>,
) -> FileReport {
    let mut report = FileReport { file: file.to_owned(), endpoint: Some(cli_name(endpoint)), ..FileReport::default() };
    match Response::decode(endpoint, text.as_bytes()) {
        Some(Ok(response)) => {
            let encoded = response.to_json().unwrap_or_default();
            if let Ok(differences) = compare::diff(text, &encoded) {
                report.round_trip = differences
                    .into_iter()
                    .map(|d| Finding { pointer: d.pointer, expected: d.expected, found: d.found })
                    .collect();
            }
        }
        Some(Err(error)) => {
            report.decode_error = Some(Finding {
                pointer: error.pointer().to_owned(),
                expected: Some(error.message().to_owned()),
                found: None,
            })
        }
        None => {}
    }
    if let (Some(root), Ok(json)) = (roots.get(endpoint).and_then(|r| definitions.get(r)), compare::parse(text)) {
        Walker { definitions, report: &mut report }.walk(root, &json, &mut String::new());
    }
    report
}

/// Walks a JSON value against its schema and records the drift.
struct Walker<'a> {
    definitions: &'a BTreeMap<String, Value>,
    report: &'a mut FileReport,
}

impl<'a> Walker<'a> {
    fn resolve<'s>(&self, mut schema: &'s Value) -> &'s Value
    where
        'a: 's,
    {
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(target) => match self.definitions.get(target.rsplit('/').next().unwrap_or_default()) {
                    Some(definition) => schema = definition,
                    None => break,
                },
                None => break,
            }
        }
        schema
    }

    fn walk(&mut self, schema: &Value, json: &Json<'_>, pointer: &mut String) {
        let schema = self.resolve(schema);
        if let Some(Value::Array(variants)) = schema.get("oneOf") {
            let variant = variants.iter().map(|v| self.resolve(v)).find(|v| kinds(v).iter().any(|k| accepts(k, json)));
            match variant {
                Some(variant) => self.walk(variant, json, pointer),
                None => self.mismatch(variants.iter().flat_map(|v| kinds(self.resolve(v))).collect(), json, pointer),
            }
            return;
        }
        let expected = kinds(schema);
        if !expected.is_empty() && !expected.iter().any(|k| accepts(k, json)) {
            self.mismatch(expected, json, pointer);
            return;
        }
        match json {
            Json::Object(members) => {
                if let Some(Value::Object(properties)) = schema.get("properties") {
                    for (key, value) in members {
                        let len = pointer.len();
                        push(pointer, key);
                        match properties.get(key.as_ref()) {
                            Some(property) => self.walk(property, value, pointer),
                            None => self.report.unknown.push(Finding {
                                pointer: pointer.clone(),
                                expected: None,
                                found: Some(format!("{}: {}", kind_of(value), example(value))),
                            }),
                        }
                        pointer.truncate(len);
                    }
                    for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                        let Some(name) = required.as_str() else { continue };
                        if !members.iter().any(|(key, _)| key == name) {
                            let mut at = pointer.clone();
                            push(&mut at, name);
                            self.report.missing.push(Finding {
                                pointer: at,
                                expected: Some("present".into()),
                                found: None,
                            });
                        }
                    }
                } else if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    for (key, value) in members {
                        let len = pointer.len();
                        push(pointer, key);
                        self.walk(values, value, pointer);
                        pointer.truncate(len);
                    }
                }
            }
            Json::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        let len = pointer.len();
                        pointer.push_str(&format!("/{index}"));
                        self.walk(item_schema, item, pointer);
                        pointer.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }

    fn mismatch(&mut self, expected: Vec<String>, json: &Json<'_>, pointer: &str) {
        self.report.mismatched.push(Finding {
            pointer: pointer.to_owned(),
            expected: Some(expected.join(" or ")),
            found: Some(format!("{}: {}", kind_of(json), example(json))),
        });
    }
}

fn push(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// The kinds a schema allows; empty for any.
fn kinds(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(kind)) => vec![kind.clone()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(|k| k.as_str().map(str::to_owned)).collect(),
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            vec!["object".into()]
        }
        _ => Vec::new(),
    }
}

fn accepts(kind: &str, json: &Json<'_>) -> bool {
    match (kind, json) {
        ("null", Json::Null) | ("boolean", Json::Bool(_)) | ("string", Json::String(_)) => true,
        ("array", Json::Array(_)) | ("object", Json::Object(_)) | ("number", Json::Number(_)) => true,
        ("integer", Json::Number(text)) => !text.contains(['.', 'e', 'E']),
        _ => false,
    }
}

fn kind_of(json: &Json<'_>) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(text) if text.contains(['.', 'e', 'E']) => "number",
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
