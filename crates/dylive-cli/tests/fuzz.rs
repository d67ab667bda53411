//! Mutation fuzzing from a fixed seed: `check`'s reading, detection and
//! walk, fed captures made by `dylive_fuzz::Mutator` from the
//! fixtures, never panic; every capture that decodes round-trips
//! (`lossless()`); a report always serializes; and detection's figures
//! hold together (no more values explained than there are, a share from 0
//! to 1, the endpoint one of the models').
//!
//! Half the captures are branches of the fixtures (deep, with values
//! replaced and members added or removed), half the generic mix. Detecting
//! the endpoint decodes and walks a capture as each of the five endpoints,
//! which is slow in a debug build: the test makes 4,000 captures (20,000
//! decodes and walks), a few seconds. `DYLIVE_FUZZ_CASES` sets how many
//! captures, for example
//! `DYLIVE_FUZZ_CASES=200000 cargo test --release -p dylive-cli --test fuzz`.

use std::path::Path;

use dylive_cli::check::{check_bytes, detect, FileReport};
use dylive_fuzz::{self as fuzz, Mutator};

/// How many captures the test makes unless `DYLIVE_FUZZ_CASES` says: each
/// is decoded and walked as the five endpoints, so this is
/// `fuzz::DEFAULT_CASES` decodes.
const CAPTURES: usize = fuzz::DEFAULT_CASES / 5;

/// What must hold for a report of `check`.
fn check_report(report: &FileReport) -> Result<(), String> {
    if report.decoded() && !report.lossless() {
        return Err(format!("decoded but not lossless: {report:?}"));
    }
    if report.decoded() && !report.endpoint().is_some_and(|e| dylive_models::ENDPOINTS.contains(&e)) {
        return Err(format!("decoded as no endpoint of the models: {report:?}"));
    }
    serde_json::to_string(report).map_err(|e| format!("the report does not serialize: {e}: {report:?}"))?;
    Ok(())
}

/// What must hold for any capture; `Ok(true)` when it decoded. Every
/// fourth capture is also detected alone, and checked as a named endpoint.
fn check(case: usize, input: &[u8]) -> Result<bool, String> {
    let report = match check_bytes("fuzz.json", input, None) {
        Ok(report) => report,
        Err(error) => {
            // Unreadable: the error names a place.
            let shown = error.to_string();
            if !shown.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                return Err(format!("an error without a line: {shown}"));
            }
            return Ok(false);
        }
    };
    check_report(&report)?;
    if case % 4 == 3 {
        let detection = detect(input).map_err(|e| format!("check read it, detect did not: {e}"))?;
        let fit = detection.fit;
        if fit.explained > fit.values || !(0.0..=1.0).contains(&fit.share()) {
            return Err(format!("a fit that does not add up: {fit:?}"));
        }
        if report.decoded() && report.endpoint() != Some(detection.endpoint) {
            return Err(format!("check took {:?}, detect {}", report.endpoint(), detection.endpoint));
        }
        let endpoint = dylive_models::ENDPOINTS[case / 4 % dylive_models::ENDPOINTS.len()];
        let named = check_bytes("fuzz.json", input, Some(endpoint))
            .map_err(|e| format!("read without an endpoint, not with {endpoint}: {e}"))?;
        check_report(&named).map_err(|e| format!("as {endpoint}: {e}"))?;
    }
    Ok(report.decoded())
}

#[test]
fn mutated_captures_never_panic_and_what_decodes_round_trips() {
    let fixtures = fuzz::fixtures(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the fixtures");
    assert!(fixtures.len() >= dylive_models::ENDPOINTS.len(), "fixtures found: {}", fixtures.len());
    let mut mutator = Mutator::new(0xC4EC_5EED, fixtures.into_iter().map(|fixture| fixture.text));
    let cases = fuzz::cases(CAPTURES).expect("a count");
    let mut case = 0;
    let decoded = fuzz::run(
        cases,
        |case| if case % 2 == 0 { mutator.branch() } else { mutator.bytes() },
        |input| {
            case += 1;
            check(case - 1, input)
        },
    )
    .unwrap_or_else(|failure| panic!("{failure}"));
    eprintln!("dylive-cli check: {decoded} of {cases} captures decoded");
    if cases >= 1000 {
        assert!(decoded * 10 > cases && decoded * 10 < cases * 9, "{decoded} of {cases} captures decoded");
    }
}

/// Captures that once broke a reader: an invalid escape before a character
/// of several bytes, lone surrogates, nesting deeper than the reader goes,
/// bytes that are not UTF-8. Each is an error or a report, never a panic.
#[test]
fn hard_captures_never_panic() {
    let deep = format!("{{\"data\":{}{}}}", "[".repeat(200), "]".repeat(200));
    let captures: [&[u8]; 9] = [
        "[\"\\🌀\"]".as_bytes(),
        "{\"msg\": \"\\🌀\"}".as_bytes(),
        b"{\"msg\": \"\\ud800\"}",
        b"{\"code\": 0, \"code\": 1}",
        b"{\"data\": \xff}",
        b"",
        b"{\"data\": {\"data\": {\"ranks\": [{\"rank\": 1e999999}]}}}",
        b"{\"data\":{\"data\":{\"ranks\":[{\"user\":{\"fans_club\":{\"data\":{\"badge\":{\"icons\":{\"5\":{},\"5\":[]}}}}}}]}}}",
        deep.as_bytes(),
    ];
    for (case, capture) in captures.into_iter().enumerate() {
        let shown = String::from_utf8_lossy(capture);
        let outcome = std::panic::catch_unwind(|| check(case * 4 + 3, capture));
        outcome.unwrap_or_else(|_| panic!("panicked on {shown:?}")).unwrap_or_else(|e| panic!("{shown:?}: {e}"));
    }
}
