//! Mutation fuzzing from a fixed seed: the parser and the comparator never
//! panic, whatever they are fed, and whatever parses is written and parsed
//! back to the same value.
//!
//! The inputs start from every fixture and from the small values inside
//! them; `DYLIVE_FUZZ_CASES` sets how many are made (20,000 unless set).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use dylive_json::{diff, parse, Json, Value, MAX_DEPTH};

/// Texts worth dropping anywhere: escapes good and bad, lone surrogates,
/// multi-byte characters, numbers no machine type holds, structure.
const TOKENS: &[&str] = &[
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

/// A small, fast, seeded source of choices.
struct Dice(fastrand::Rng);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n.max(1))
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The fixtures' texts, and every value inside them whose compact text is
/// short, compact and pretty.
fn seeds() -> (Vec<String>, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut fixtures = Vec::new();
    for endpoint in std::fs::read_dir(&root).expect("the fixtures folder") {
        let endpoint = endpoint.expect("an entry").path();
        if !endpoint.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&endpoint).expect("an endpoint folder") {
            let file = file.expect("an entry").path();
            if file.extension().is_some_and(|e| e == "json") {
                fixtures.push(std::fs::read_to_string(&file).expect("a UTF-8 fixture"));
            }
        }
    }
    fixtures.sort();
    assert!(fixtures.len() >= 5, "fixtures found: {}", fixtures.len());

    let mut small = Vec::new();
    for text in &fixtures {
        collect(&parse(text).expect("fixtures are JSON"), &mut small);
    }
    small.sort();
    small.dedup();
    (fixtures, small)
}

fn collect(value: &Json<'_>, out: &mut Vec<String>) {
    let text = value.to_json();
    if text.len() <= 200 {
        out.push(value.pretty());
        out.push(text);
    }
    value.items().iter().for_each(|item| collect(item, out));
    value.members().iter().for_each(|(_, member)| collect(member, out));
}

/// One mutated input.
fn mutate(dice: &mut Dice, fixtures: &[String], small: &[String]) -> String {
    let mut bytes: Vec<u8> = if dice.below(1000) < 3 {
        dice.pick(fixtures).clone().into_bytes()
    } else if dice.chance(20) {
        // A few small values in one array or under keys, to meet each other.
        let parts: Vec<&String> = (0..1 + dice.below(4)).map(|_| dice.pick(small)).collect();
        if dice.chance(50) {
            format!("[{}]", parts.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")).into_bytes()
        } else {
            let members: Vec<String> = parts.iter().enumerate().map(|(i, p)| format!("\"k{}\":{p}", i % 2)).collect();
            format!("{{{}}}", members.join(",")).into_bytes()
        }
    } else {
        dice.pick(small).clone().into_bytes()
    };
    for _ in 0..1 + dice.below(4) {
        let at = dice.below(bytes.len() + 1);
        match dice.below(100) {
            0..=24 => {
                if let Some(byte) = bytes.get_mut(at) {
                    *byte =
                        if dice.chance(50) { *dice.pick(b"\"\\{}[],:0-e.+ nt\x00\x1f\x7f\xff") } else { dice.0.u8(..) };
                }
            }
            25..=54 => {
                let token = dice.pick(TOKENS);
                bytes.splice(at..at, token.bytes());
            }
            55..=74 => {
                let end = (at + 1 + dice.below(8)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            75..=97 => {
                // A copy of a stretch elsewhere: repeated keys, stray structure.
                let from = dice.below(bytes.len() + 1);
                let end = (from + 1 + dice.below(24)).min(bytes.len());
                let stretch: Vec<u8> = bytes[from.min(end)..end].to_vec();
                bytes.splice(at..at, stretch);
            }
            98 => {
                let depth = *dice.pick(&[8, 40, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 300]);
                let (open, close) = if dice.chance(50) { ("[", "]") } else { ("{\"a\":", "}") };
                let mut nested = open.repeat(depth).into_bytes();
                nested.extend_from_slice(&bytes);
                nested.extend(close.repeat(depth).bytes());
                bytes = nested;
            }
            _ => bytes.splice(at..at, "[".repeat(10_000).bytes()).for_each(drop),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

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

fn cases() -> usize {
    match std::env::var("DYLIVE_FUZZ_CASES") {
        Ok(count) => count.trim().parse().expect("DYLIVE_FUZZ_CASES is a count"),
        Err(_) => 20_000,
    }
}

#[test]
fn mutated_fixtures_never_panic_and_round_trip() {
    let (fixtures, small) = seeds();
    let mut dice = Dice(fastrand::Rng::with_seed(0x5EED_D71E));
    let cases = cases();
    let (mut previous, mut parsed) = (String::new(), 0);
    for case in 0..cases {
        let input = mutate(&mut dice, &fixtures, &small);
        let shown = || input.chars().take(300).collect::<String>();
        match catch_unwind(AssertUnwindSafe(|| check(&input, &previous))) {
            Ok(Ok(ok)) => parsed += usize::from(ok),
            Ok(Err(message)) => panic!("case {case}: {message}\ninput: {:?}", shown()),
            Err(_) => panic!("case {case} panicked\ninput: {:?}", shown()),
        }
        previous = input;
    }
    // Both sides of the parser are reached: some inputs parse, most do not.
    if cases >= 1000 {
        assert!(parsed * 20 > cases && parsed * 20 < cases * 19, "{parsed} of {cases} inputs parsed");
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
