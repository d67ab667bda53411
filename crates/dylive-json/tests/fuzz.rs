//! Mutation fuzzing from a fixed seed: the parser and the comparator never
//! panic, whatever they are fed, and whatever parses is written and parsed
//! back to the same value.
//!
//! The inputs are made by `dylive_fuzz::Mutator` from every fixture;
//! `DYLIVE_FUZZ_CASES` sets how many are made (20,000 unless set).

use std::panic::catch_unwind;
use std::path::Path;

use dylive_fuzz::{self as fuzz, Mutator};
use dylive_json::{diff, parse, Value};

/// What must hold for any input.
fn check(input: &str, previous: &str) -> Result<bool, String> {
    let parsed = parse(input);
    let theirs = serde_json::from_str::<serde_json::Value>(input);
    let tree = match parsed {
        Err(error) => {
            // serde_json's own tree accepts repeated keys and nothing else we refuse.
            if theirs.is_ok() && !error.message.starts_with("duplicate key") {
                return Err(format!("refused what serde_json accepts: {error}"));
            }
            if error.line == 0 || error.column == 0 {
                return Err(format!("no position: {error}"));
            }
            let _ = diff(input, previous);
            return Ok(false);
        }
        Ok(tree) => tree,
    };
    if let Err(error) = &theirs {
        if !error.to_string().starts_with("number out of range") {
            return Err(format!("accepted what serde_json refuses: {error}"));
        }
    }
    let compact = tree.to_json();
    let again = parse(&compact).map_err(|e| format!("compact text does not parse: {e}: {compact}"))?;
    let differences = tree.diff(&again);
    if !differences.is_empty() || again != tree || again.to_json() != compact {
        return Err(format!("compact text is another value: {differences:?}"));
    }
    let pretty = tree.pretty();
    if parse(&pretty).map_err(|e| format!("pretty text does not parse: {e}"))? != tree {
        return Err("pretty text is another value".to_owned());
    }
    match diff(input, &compact) {
        Ok(differences) if differences.is_empty() => {}
        other => return Err(format!("the input differs from its own compact text: {other:?}")),
    }
    let owned: Value = tree.clone().into();
    if owned.to_json() != compact || !owned.diff(&tree).is_empty() {
        return Err("the owned tree is another value".to_owned());
    }
    let _ = diff(previous, input);
    Ok(true)
}

#[test]
fn mutated_fixtures_never_panic_and_round_trip() {
    let fixtures = fuzz::fixtures(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the fixtures");
    assert!(fixtures.len() >= 5, "fixtures found: {}", fixtures.len());
    let mut mutator = Mutator::new(0x5EED_D71E, fixtures.into_iter().map(|fixture| fixture.text));
    let cases = fuzz::cases(fuzz::DEFAULT_CASES).expect("a count");
    let mut previous = String::new();
    let parsed = fuzz::run(
        cases,
        |_| mutator.text(),
        |input| {
            let outcome = check(input, &previous);
            previous.clone_from(input);
            outcome
        },
    )
    .unwrap_or_else(|failure| panic!("{failure}"));
    eprintln!("dylive-json: {parsed} of {cases} inputs parsed");
    // Both sides of the parser are reached: some inputs parse, most do not.
    if cases >= 1000 {
        assert!(parsed * 20 > cases && parsed * 20 < cases * 19, "{parsed} of {cases} inputs parsed");
    }
}

/// An escape that is not one, followed by a character of several bytes,
/// once made the comparator slice inside that character.
#[test]
fn an_invalid_escape_before_a_multibyte_character_is_an_error() {
    let invalid = [
        "[\"\\🌀\"]",
        "[\"\\中\"]",
        "[\"\\é\"]",
        "{\"\\🌀\": 1}",
        "{\"a\": \"x\\🌀y\"}",
        "\"\\u🌀\"",
        "\"\\u00🌀\"",
        "\"\\ud800\\u🌀\"",
        "[\"\\🌀",
        "\"\\\u{80}\"",
    ];
    for input in invalid {
        let outcome = catch_unwind(|| {
            let parsed = parse(input).map(|tree| tree.to_json());
            (parsed, Value::parse(input).is_err(), diff(input, "[]"), diff("[]", input), diff(input, input))
        });
        let (parsed, owned_refused, left, right, both) = outcome.unwrap_or_else(|_| panic!("panicked on {input:?}"));
        let error = parsed.expect_err(input);
        assert!(error.line >= 1 && error.column >= 1, "{input:?}: {error}");
        assert!(error.message.contains("escape"), "{input:?}: {error}");
        assert!(owned_refused, "{input:?}");
        for compared in [left, right, both] {
            assert_eq!(compared.expect_err(input), error, "{input:?}");
        }
    }
}

#[test]
fn known_hard_inputs_never_panic() {
    let inputs = [
        "[\"\\🌀\"]",
        "[\"\\中\"]",
        "\"\\u🌀\"",
        "\"\\ud800\"",
        "\"\\ud800\\u🌀\"",
        "{\"\\ud800\": 1}",
        "\"\\",
        "\"🌀",
        "[1e999999, -1e999999, 123456789012345678901234567890]",
        "\u{feff}{}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}",
        "",
        " ",
        "-",
        "[-]",
        "1e",
        "\"\u{1}\"",
    ];
    let deep = ["[".repeat(10_000), "[".repeat(10_000) + &"]".repeat(10_000), "{\"a\":".repeat(10_000)];
    for input in inputs.iter().copied().chain(deep.iter().map(String::as_str)) {
        let outcome = catch_unwind(|| (parse(input).map(|tree| tree.to_json()), diff(input, input)));
        let (parsed, compared) = outcome.unwrap_or_else(|_| panic!("panicked on {input:?}"));
        assert_eq!(parsed.is_ok(), compared.is_ok(), "{input:?}");
        if let Ok(compared) = compared {
            assert!(compared.is_empty(), "{input:?}");
        }
    }
}
