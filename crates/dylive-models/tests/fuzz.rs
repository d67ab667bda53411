//! Mutation fuzzing from a fixed seed: every endpoint's response type, fed
//! bodies made by `dylive_fuzz::Mutator` from the fixtures, never
//! panics; what decodes encodes back to the same JSON (the comparator's
//! equality: all but the order of keys), decodes again to an equal value,
//! and lists in `drift()` only places that hold a value of the kind it
//! says; strict decoding fails exactly when there is drift; the plain serde
//! path finds the same drift; and any JSON object decodes, as every
//! endpoint.
//!
//! Half the bodies are branches of the fixtures (deep, with values replaced
//! and members added or removed), half the generic mix. Each body is
//! decoded as each of the five endpoints, and each decode is checked
//! several ways, which is slow in a debug build: the test makes 4,000
//! bodies (20,000 decodes), a few seconds. `DYLIVE_FUZZ_CASES` sets how many
//! bodies, for example
//! `DYLIVE_FUZZ_CASES=200000 cargo test --release -p dylive-models --test fuzz`.

use std::fmt::Debug;
use std::path::Path;

use dylive_fuzz::{self as fuzz, Mutator};
use dylive_json::Json;
use dylive_models::runtime::Drifted;
use dylive_models::{
    Drift, LiveroomInfoResponse, LiveroomRanklistResponse, RankAllResponse, RankGoodsResponse, Response,
    RoomRanklistResponse, ENDPOINTS,
};
use serde::de::DeserializeOwned;

/// `text` with each escape of a lone surrogate (`\ud800` not followed by
/// a low one, `\udc00` alone) made `\ufffd`. Such strings are JSON text
/// but not Unicode: the models keep them verbatim where they keep text
/// (unknown properties, values of another kind), and the comparator, which
/// decodes strings, refuses them; with this done to both sides, it compares
/// all the rest. `text` has been checked as JSON syntax.
fn lone_surrogates_replaced(text: &str) -> String {
    let surrogate = |hex: &str| u16::from_str_radix(hex, 16).ok().filter(|unit| (0xD800..0xE000).contains(unit));
    let escape_at = |index: usize| {
        let escape = text.get(index..index + 6)?;
        escape.strip_prefix("\\u").and_then(surrogate)
    };
    let (mut out, mut index, mut in_string) = (String::with_capacity(text.len()), 0, false);
    while let Some(c) = text[index..].chars().next() {
        match c {
            '"' => in_string = !in_string,
            '\\' if in_string => {
                let (escape, replaced) = match escape_at(index) {
                    Some(0xD800..0xDC00) if escape_at(index + 6).is_some_and(|low| low >= 0xDC00) => (12, None),
                    Some(_) => (6, Some("\\ufffd")),
                    // Any other escape is two characters, or `\u` and four digits.
                    None => (2, None),
                };
                match (replaced, text.get(index..index + escape)) {
                    (Some(replaced), _) => out.push_str(replaced),
                    (None, Some(escape)) => out.push_str(escape),
                    (None, None) => break,
                }
                index += escape;
                continue;
            }
            _ => {}
        }
        out.push(c);
        index += c.len_utf8();
    }
    out
}

/// Each drift place holds, in the body, a value of the kind it names.
fn drift_is_in_the_body(drift: &[Drift], tree: &Json<'_>) -> Result<(), String> {
    for place in drift {
        match tree.pointer(place.pointer()) {
            Some(value) if value.kind() == place.found() => {}
            Some(value) => return Err(format!("drift at {place} where the body has {}", value.to_json())),
            None => return Err(format!("drift at {place}, a place the body does not have")),
        }
    }
    Ok(())
}

/// How closely an encoded response was compared with its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Compared {
    /// By the comparator: all but the order of keys.
    Strictly,
    /// As `serde_json::Value`s (numbers as `f64`): the body repeats a key
    /// inside a value the models keep verbatim, which the comparator
    /// refuses.
    Loosely,
    /// Not at all: a repeated key and a number beyond `f64`, or arrays and
    /// objects nested deeper than the comparator reads, inside a value the
    /// models keep verbatim. The encoded text still decodes to an equal
    /// value.
    Not,
}

/// What must hold for one endpoint: `decoded` is `Response::decode`'s value
/// for a body whose text, with lone surrogates replaced, is `comparable`.
fn check_response(endpoint: &str, comparable: Option<&str>, decoded: &Response) -> Result<Compared, String> {
    let encoded = decoded.to_json();
    let through_serde = match decoded {
        Response::RoomRanklist(value) => serde_json::to_string(value),
        Response::RankGoods(value) => serde_json::to_string(value),
        Response::LiveroomRanklist(value) => serde_json::to_string(value),
        Response::RankAll(value) => serde_json::to_string(value),
        Response::LiveroomInfo(value) => serde_json::to_string(value),
        other => return Err(format!("{endpoint}: an endpoint this test does not know: {}", other.endpoint())),
    };
    if through_serde.as_deref().ok() != Some(encoded.as_str()) {
        return Err(format!("{endpoint}: to_json and serde_json::to_string differ: {encoded} / {through_serde:?}"));
    }
    match Response::decode(endpoint, encoded.as_bytes()) {
        Some(Ok(redecoded)) if redecoded == *decoded => {}
        other => return Err(format!("{endpoint}: the encoded text decodes to another value: {other:?}")),
    }
    let comparable = comparable.ok_or_else(|| format!("{endpoint}: decoded a body that is not JSON"))?;
    let encoded_comparable = lone_surrogates_replaced(&encoded);
    let tree = match dylive_json::parse(comparable) {
        Ok(tree) => tree,
        Err(error) if ["duplicate key", "recursion limit"].iter().any(|m| error.message.starts_with(m)) => {
            let loose = |text: &str| serde_json::from_str::<serde_json::Value>(text);
            return match (loose(comparable), loose(&encoded_comparable)) {
                (Ok(body), Ok(encoded)) if body == encoded => Ok(Compared::Loosely),
                (Ok(_), Ok(_)) => Err(format!("{endpoint}: the encoded text is another value: {encoded}")),
                _ => Ok(Compared::Not),
            };
        }
        Err(error) => return Err(format!("{endpoint}: decoded a body the comparator refuses: {error}")),
    };
    let again = dylive_json::parse(&encoded_comparable)
        .map_err(|e| format!("{endpoint}: the encoded text is not JSON: {e}: {encoded}"))?;
    let differences = tree.diff(&again);
    if !differences.is_empty() {
        let shown: Vec<String> = differences.iter().take(5).map(ToString::to_string).collect();
        return Err(format!("{endpoint}: the encoded text is another value: {}\nencoded: {encoded}", shown.join("; ")));
    }
    drift_is_in_the_body(&decoded.drift(), &tree).map_err(|e| format!("{endpoint}: {e}"))?;
    Ok(Compared::Strictly)
}

/// The same body through one response type directly: the drift recorded
/// while decoding is what `drift()` lists, strict decoding fails exactly
/// when there is drift, and the plain serde path, when it decodes, finds
/// the same drift.
fn check_type<T>(name: &str, input: &[u8], lenient: Option<&T>) -> Result<(), String>
where
    T: DeserializeOwned + dylive_models::runtime::decode::Decode + Drifted + PartialEq + Debug,
{
    if let Ok(decoded) = dylive_models::runtime::decode_slice::<T>(input, false) {
        // The same places; `drift()` lists them in the order of the
        // struct's fields, the decoder in the order of the body.
        let sorted = |mut drift: Vec<Drift>| {
            drift.sort_by(|a, b| a.pointer().cmp(b.pointer()));
            drift
        };
        let walked = sorted(decoded.value.drift());
        if sorted(decoded.drift.clone()) != walked || decoded.drifted() == walked.is_empty() {
            return Err(format!(
                "{name}: the drift recorded while decoding {:?} is not drift() {walked:?}",
                decoded.drift
            ));
        }
    }
    let strict = dylive_models::runtime::from_slice_strict::<T>(input);
    let serde = serde_json::from_slice::<T>(input);
    match (lenient, &strict) {
        (None, Ok(value)) => return Err(format!("{name}: strict decoding took what lenient refused: {value:?}")),
        (Some(lenient), Ok(strict)) if lenient != strict || !lenient.drift().is_empty() => {
            return Err(format!("{name}: strict decoding took a body with drift {:?}", lenient.drift()))
        }
        (Some(lenient), Err(error)) if lenient.drift().is_empty() => {
            return Err(format!("{name}: strict decoding refused a body without drift: {error}"))
        }
        _ => {}
    }
    if let (Some(lenient), Ok(serde)) = (lenient, &serde) {
        let pointers =
            |drift: Vec<Drift>| drift.iter().map(|d| (d.pointer().to_owned(), d.found())).collect::<Vec<_>>();
        if pointers(lenient.drift()) != pointers(serde.drift()) {
            return Err(format!(
                "{name}: the serde path finds other drift: {:?}, not {:?}",
                serde.drift(),
                lenient.drift()
            ));
        }
    }
    Ok(())
}

/// What must hold for any body: how closely the least closely compared
/// endpoint's response was compared, `None` when no endpoint decoded it.
fn check(input: &[u8]) -> Result<Option<Compared>, String> {
    let text = std::str::from_utf8(input).ok();
    let strict_tree = text.and_then(|text| dylive_json::parse(text).ok());
    // The text with lone surrogates made readable, when it is JSON syntax.
    let syntax = text.filter(|text| serde_json::from_str::<&serde_json::value::RawValue>(text).is_ok());
    let comparable = syntax.map(lone_surrogates_replaced);
    let mut least = None;
    for &endpoint in ENDPOINTS {
        let outcome = Response::decode(endpoint, input).ok_or_else(|| format!("{endpoint}: not an endpoint"))?;
        let decoded = match outcome {
            Ok(decoded) => decoded,
            Err(error) => {
                let shown = format!("{error} {} {:?} {:?}", error.pointer(), error.line(), error.column());
                if let Some(Json::Object(_)) = &strict_tree {
                    return Err(format!("{endpoint}: refused a JSON object: {shown}"));
                }
                check_types(endpoint, input, None)?;
                continue;
            }
        };
        let compared = check_response(endpoint, comparable.as_deref(), &decoded)?;
        least = least.max(Some(compared));
        check_types(endpoint, input, Some(&decoded))?;
    }
    Ok(least)
}

/// [`check_type`] with the response type of `endpoint`; `decoded` is what
/// `Response::decode` gave.
fn check_types(endpoint: &str, input: &[u8], decoded: Option<&Response>) -> Result<(), String> {
    match (endpoint, decoded) {
        ("room_ranklist", Some(Response::RoomRanklist(value))) => check_type(endpoint, input, Some(value)),
        ("room_ranklist", _) => check_type::<RoomRanklistResponse>(endpoint, input, None),
        ("rank_goods", Some(Response::RankGoods(value))) => check_type(endpoint, input, Some(value)),
        ("rank_goods", _) => check_type::<RankGoodsResponse>(endpoint, input, None),
        ("liveroom_ranklist", Some(Response::LiveroomRanklist(value))) => check_type(endpoint, input, Some(value)),
        ("liveroom_ranklist", _) => check_type::<LiveroomRanklistResponse>(endpoint, input, None),
        ("rank_all", Some(Response::RankAll(value))) => check_type(endpoint, input, Some(value)),
        ("rank_all", _) => check_type::<RankAllResponse>(endpoint, input, None),
        ("liveroom_info", Some(Response::LiveroomInfo(value))) => check_type(endpoint, input, Some(value)),
        ("liveroom_info", _) => check_type::<LiveroomInfoResponse>(endpoint, input, None),
        _ => Err(format!("{endpoint}: an endpoint this test does not know")),
    }
}

/// How many bodies the test makes unless `DYLIVE_FUZZ_CASES` says: each is
/// decoded five times, so this is `fuzz::DEFAULT_CASES` decodes.
const BODIES: usize = fuzz::DEFAULT_CASES / 5;

#[test]
fn mutated_bodies_never_panic_and_what_decodes_round_trips() {
    let fixtures = fuzz::fixtures(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the fixtures");
    assert!(fixtures.len() >= ENDPOINTS.len(), "fixtures found: {}", fixtures.len());
    let mut mutator = Mutator::new(0xD0DE_C0DE, fixtures.into_iter().map(|fixture| fixture.text));
    let cases = fuzz::cases(BODIES).expect("a count");
    let mut tally = [0; 3];
    let decoded = fuzz::run(
        cases,
        |case| if case % 2 == 0 { mutator.branch() } else { mutator.bytes() },
        |input| {
            let compared = check(input)?;
            if let Some(compared) = compared {
                tally[compared as usize] += 1;
            }
            Ok(compared.is_some())
        },
    )
    .unwrap_or_else(|failure| panic!("{failure}"));
    let [strictly, loosely, not] = tally;
    eprintln!(
        "dylive-models: {decoded} of {cases} bodies decoded; compared strictly {strictly}, as serde_json values \
         {loosely}, not at all {not}"
    );
    if cases >= 1000 {
        assert!(decoded * 10 > cases && decoded * 10 < cases * 9, "{decoded} of {cases} bodies decoded");
        assert!(strictly * 10 > decoded * 9, "only {strictly} of {decoded} decoded bodies compared strictly");
    }
}

/// Bodies that are hard to read, through `check`: every endpoint, each
/// response type's strict decoding and its plain serde path.
#[test]
fn hard_bodies_never_panic_through_any_path() {
    let bodies: [&[u8]; 10] = [
        "[\"\\🌀\"]".as_bytes(),
        "{\"code\": \"\\🌀\"}".as_bytes(),
        b"{\"code\": \"\\ud800\"}",
        b"{\"extra\": \"\\ud800\"}",
        b"{\"data\": {\"data\": {\"ranks\": [{\"rank\": 1e999999}]}}}",
        b"{\"code\": 0, \"code\": 1}",
        b"{\"data\": \xff}",
        b"",
        b"{\"data\":{\"data\":{\"ranks\":[{\"user\":{\"pay_grade\":{\"level\":123456789012345678901234567890}}}]}}}",
        b"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    ];
    for body in bodies {
        let outcome = std::panic::catch_unwind(|| check(body));
        let shown = String::from_utf8_lossy(body);
        outcome.unwrap_or_else(|_| panic!("panicked on {shown:?}")).unwrap_or_else(|e| panic!("{shown:?}: {e}"));
    }
}

/// A map with a repeated key is refused, as an object with one is: its
/// first value is neither dropped nor its drift lost. The error names the
/// map, whatever came before the repeated key.
#[test]
fn a_repeated_key_in_a_map_is_not_dropped() {
    let icons = |icons: &str| {
        format!(
            r#"{{"data":{{"data":{{"ranks":[{{"user":{{"fans_club":{{"data":{{"badge":{{"icons":{icons}}}}}}}}}}}]}}}}}}"#
        )
    };
    let at_icons = "/data/data/ranks/0/user/fans_club/data/badge/icons";
    let bodies = [
        ("room_ranklist", icons(r#"{"5":{"uri":"a"},"5":{"uri":"b"}}"#), "5", at_icons),
        ("room_ranklist", icons(r#"{"5":{"uri":"a"},"5":{"uri":{}}}"#), "5", at_icons),
        ("room_ranklist", icons(r#"{"5":{"uri":{}},"5":{"uri":"b"}}"#), "5", at_icons),
        (
            "liveroom_info",
            r#"{"data":{"data":{"AnchorABMap":{"a":1,"a":2}}}}"#.to_owned(),
            "a",
            "/data/data/AnchorABMap",
        ),
    ];
    for (endpoint, body, key, place) in bodies {
        let error = match Response::decode(endpoint, body.as_bytes()) {
            Some(Ok(response)) => panic!("{body} decoded, and became {:?}", response.to_json()),
            Some(Err(error)) => error,
            None => panic!("{endpoint}: not an endpoint"),
        };
        assert_eq!(error.message(), format!("duplicate property `{key}`"), "{body}");
        assert_eq!(error.pointer(), place, "{body}");
    }
}

/// The runtime's tokenizer takes exactly the texts serde_json takes, on
/// mutated bodies and on the generic mix: a body is JSON for one when it is
/// for the other (nesting beyond 127 levels aside, where serde_json stops
/// at 128), and the text kept is the body's.
#[test]
fn the_tokenizer_takes_exactly_what_serde_json_takes() {
    let fixtures = fuzz::fixtures(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the fixtures");
    let mut mutator = Mutator::new(0x70C3_1A7E, fixtures.into_iter().map(|fixture| fixture.text));
    let cases = fuzz::cases(fuzz::DEFAULT_CASES).expect("a count");
    let mut accepted = 0;
    for case in 0..cases {
        let input = if case % 3 == 0 { mutator.branch() } else { mutator.bytes() };
        let ours = dylive_models::runtime::from_slice::<dylive_models::RawJson>(&input);
        // A body must be UTF-8 as a whole (serde_json's byte reader does
        // not look inside strings it skips).
        let theirs = std::str::from_utf8(&input)
            .map_err(|error| error.to_string())
            .and_then(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|error| error.to_string()));
        match (&ours, &theirs) {
            (Ok(raw), Ok(_)) => {
                accepted += 1;
                assert_eq!(
                    raw.get(),
                    String::from_utf8_lossy(&input).trim_matches([' ', '\n', '\r', '\t']),
                    "case {case}"
                );
            }
            (Err(_), Err(_)) => {}
            (Err(error), Ok(_)) if error.message().contains("nest too deep") => {}
            _ => panic!(
                "case {case}: runtime {:?}, serde_json {:?}, on {:?}",
                ours.as_ref().map(|raw| raw.get().len()),
                theirs.as_ref().map(|_| ()),
                String::from_utf8_lossy(&input)
            ),
        }
    }
    assert!(accepted > cases / 20, "too few bodies are JSON: {accepted} of {cases}");
}
