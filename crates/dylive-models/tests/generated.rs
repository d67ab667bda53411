//! Property test: JSON generated at random from the schemas in `schemas/`
//! (absent and `null` properties, unknown properties, numbers in every
//! spelling, escaped strings, maps and arrays of any length) decodes into
//! the generated types and encodes back losslessly.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use dylive_models::Response;
use dylive_runtime::compare;
use proptest::prelude::*;
use serde_json::Value;

/// A small deterministic generator (SplitMix64), seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

struct Schemas {
    definitions: BTreeMap<String, Value>,
    /// Endpoint name → its response type.
    roots: Vec<(String, String)>,
}

fn schemas() -> Schemas {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("endpoints.toml")).expect("manifest")).expect("TOML");
    let mut definitions = BTreeMap::new();
    let mut roots = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("schemas/").flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(".schema.json") {
            continue;
        }
        let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("schema")).expect("JSON");
        if let Some(Value::Object(defs)) = schema.as_object_mut().and_then(|s| s.remove("definitions")) {
            definitions.extend(defs);
        }
        if let Some(title) = schema.get("title").and_then(Value::as_str).filter(|_| schema.get("properties").is_some())
        {
            definitions.insert(title.to_owned(), schema.clone());
        }
    }
    for endpoint in manifest["endpoint"].as_array().expect("endpoints") {
        let name = endpoint["name"].as_str().expect("name").to_owned();
        roots.push((name, endpoint["response"].as_str().expect("response").to_owned()));
    }
    Schemas { definitions, roots }
}

impl Schemas {
    fn generate(&self, schema: &Value, rng: &mut Rng, depth: usize, out: &mut String) {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let name = target.rsplit('/').next().unwrap_or_default();
            let definition = &self.definitions[name];
            return self.generate(definition, rng, depth + 1, out);
        }
        if let Some(Value::Array(variants)) = schema.get("oneOf") {
            let variant = rng.pick(variants).clone();
            return self.generate(&variant, rng, depth, out);
        }
        let kind = match schema.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            Some(Value::Array(kinds)) => rng.pick(kinds).as_str().unwrap_or("null").to_owned(),
            _ => return any_value(rng, depth, out),
        };
        match kind.as_str() {
            "null" => out.push_str("null"),
            "boolean" => out.push_str(if rng.chance(50) { "true" } else { "false" }),
            "integer" => out.push_str(&integer(rng)),
            "number" => out.push_str(rng.pick::<&str>(&[
                "0.5",
                "1.50",
                "1e3",
                "-0.0",
                "3",
                "2.0",
                "0.30000000000000004",
                "1E-7",
            ])),
            "string" => string(rng, out),
            "array" => {
                let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                let count = if depth > 6 { rng.below(2) } else { rng.below(4) };
                out.push('[');
                for index in 0..count {
                    if index > 0 {
                        out.push(',');
                    }
                    self.generate(&items, rng, depth + 1, out);
                }
                out.push(']');
            }
            "object" => self.object(schema, rng, depth, out),
            other => panic!("a schema type this test does not know: {other}"),
        }
    }

    fn object(&self, schema: &Value, rng: &mut Rng, depth: usize, out: &mut String) {
        out.push('{');
        let mut first = true;
        let mut member = |out: &mut String, key: &str| {
            if !std::mem::take(&mut first) {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(key).expect("a key"));
            out.push(':');
        };
        if let Some(Value::Object(properties)) = schema.get("properties") {
            // Deep inside, most properties stay absent, to keep samples small.
            let absent = if depth > 5 { 80 } else { 20 };
            for (key, property) in properties {
                if rng.chance(absent) {
                    continue;
                }
                member(out, key);
                if rng.chance(5) {
                    out.push_str("null");
                } else {
                    self.generate(property, rng, depth + 1, out);
                }
            }
            for n in 0..rng.below(3) {
                if rng.chance(30) {
                    member(out, &format!("x_unknown_{n}"));
                    any_value(rng, depth + 1, out);
                }
            }
        } else {
            let values = schema.get("additionalProperties").cloned().unwrap_or(Value::Bool(true));
            for n in 0..rng.below(if depth > 6 { 2 } else { 4 }) {
                let key = if rng.chance(50) { n.to_string() } else { format!("key \u{91d1}/{n}") };
                member(out, &key);
                self.generate(&values, rng, depth + 1, out);
            }
        }
        out.push('}');
    }
}

fn integer(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => "18446744073709551615".to_owned(),
        1 => format!("1844674407370955161{}", rng.below(10) + 6),
        2 => format!("-{}", rng.below(u64::MAX)),
        3 => "-0".to_owned(),
        4 => "1.5".to_owned(),
        5 => (rng.next() >> 1).to_string(),
        _ => rng.below(1000).to_string(),
    }
}

fn string(rng: &mut Rng, out: &mut String) {
    let pieces =
        ["a", "金刚", "😀", "\\n", "\\\"", "\\/", "\\u00e9", "\\ud83d\\ude00", " ", "<b>", "\\t", "http://x/y?z=1"];
    out.push('"');
    for _ in 0..rng.below(5) {
        out.push_str(rng.pick::<&str>(&pieces));
    }
    out.push('"');
}

fn any_value(rng: &mut Rng, depth: usize, out: &mut String) {
    match rng.below(if depth > 6 { 5 } else { 7 }) {
        0 => out.push_str("null"),
        1 => out.push_str("true"),
        2 => out.push_str(&integer(rng)),
        3 => out.push_str(rng.pick::<&str>(&["1.50", "1e400", "-0.0", "6.02E23"])),
        4 => string(rng, out),
        5 => {
            out.push('[');
            for index in 0..rng.below(3) {
                if index > 0 {
                    out.push(',');
                }
                any_value(rng, depth + 1, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for index in 0..rng.below(3) {
                if index > 0 {
                    out.push(',');
                }
                let _ = write!(out, "\"k{index}\":");
                any_value(rng, depth + 1, out);
            }
            out.push('}');
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_responses_round_trip(seed in any::<u64>(), endpoint in 0usize..16) {
        let schemas = schemas();
        let (name, root) = &schemas.roots[endpoint % schemas.roots.len()];
        let mut rng = Rng(seed);
        let mut json = String::new();
        schemas.generate(&schemas.definitions[root], &mut rng, 0, &mut json);

        let response = Response::decode(name, json.as_bytes()).expect("a known endpoint");
        let response = response.map_err(|e| TestCaseError::fail(format!("{name}: {e}\n{json}")))?;
        let encoded = response.to_json().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let differences = compare::diff(&json, &encoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(differences.is_empty(), "{name}: {differences:#?}\n{json}");
    }
}
