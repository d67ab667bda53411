//! Property test: JSON generated at random from the generated types'
//! descriptions ([`dylive_models::TYPES`]: absent and `null` properties,
//! unknown properties, numbers in every spelling, escaped strings, unions,
//! maps and arrays of any length) decodes into the generated types and
//! encodes back losslessly.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use dylive_models::runtime::info::{Shape, Ty, TypeInfo};
use dylive_models::Response;
use proptest::prelude::*;

/// Nesting beyond this depth is left out: objects are written without
/// properties and arrays empty, so that recursive types end.
const MAX_DEPTH: usize = 40;

/// Writes random JSON for the generated types, and notes the types it wrote.
struct Generator {
    rng: fastrand::Rng,
    /// How many more values this sample writes generously; once spent,
    /// most properties stay absent and containers small, which keeps each
    /// sample small. Some samples are sparse, some reach deep.
    budget: usize,
    written: BTreeSet<&'static str>,
}

impl Generator {
    fn new(seed: u64) -> Generator {
        let mut rng = fastrand::Rng::with_seed(seed);
        let budget = rng.usize(..3000);
        Generator { rng, budget, written: BTreeSet::new() }
    }

    /// Notes one value written.
    fn spend(&mut self) {
        self.budget = self.budget.saturating_sub(1);
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(..100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    /// How many items or entries a container gets.
    fn count(&mut self, depth: usize) -> usize {
        match depth {
            MAX_DEPTH.. => 0,
            _ if self.budget == 0 => self.rng.usize(..2),
            _ => self.rng.usize(..4),
        }
    }

    /// A response of `endpoint`.
    fn response(&mut self, endpoint: &str) -> String {
        let info = Response::type_info(endpoint).expect("every endpoint has a response type");
        let mut out = String::new();
        self.typed(info, 0, &mut out);
        out
    }

    fn value(&mut self, ty: &Ty, depth: usize, out: &mut String) {
        self.spend();
        match ty {
            Ty::Null => out.push_str("null"),
            Ty::Bool => out.push_str(if self.rng.bool() { "true" } else { "false" }),
            Ty::Integer => out.push_str(&self.integer()),
            Ty::Number => {
                out.push_str(self.pick(&["0.5", "1.50", "1e3", "-0.0", "3", "2.0", "0.30000000000000004", "1E-7"]))
            }
            Ty::String => self.string(out),
            Ty::Any => self.any(depth, out),
            Ty::Nullable(inner) => {
                if self.chance(30) {
                    out.push_str("null");
                } else {
                    self.value(inner, depth, out);
                }
            }
            Ty::Array(item) => {
                out.push('[');
                for index in 0..self.count(depth) {
                    if index > 0 {
                        out.push(',');
                    }
                    self.value(item, depth + 1, out);
                }
                out.push(']');
            }
            Ty::Map(values) => {
                out.push('{');
                for n in 0..self.count(depth) {
                    if n > 0 {
                        out.push(',');
                    }
                    let key = if self.rng.bool() { n.to_string() } else { format!("key \u{91d1}/{n}") };
                    key_into(&key, out);
                    self.value(values, depth + 1, out);
                }
                out.push('}');
            }
            Ty::Type(info) => self.typed(info(), depth, out),
        }
    }

    fn typed(&mut self, info: &'static TypeInfo, depth: usize, out: &mut String) {
        self.written.insert(info.name);
        match info.shape {
            Shape::Union(variants) => {
                let variant = &variants[self.rng.usize(..variants.len())];
                self.value(&variant.ty, depth, out);
            }
            Shape::Object(fields) => {
                out.push('{');
                let mut first = true;
                let mut member = |out: &mut String, key: &str| {
                    if !std::mem::take(&mut first) {
                        out.push(',');
                    }
                    key_into(key, out);
                };
                // Any property may be absent, or `null`, a nullable one more
                // often.
                for field in fields {
                    let absent = match depth {
                        MAX_DEPTH.. => 100,
                        _ if self.budget == 0 => 90,
                        _ => 20,
                    };
                    if self.chance(absent) {
                        continue;
                    }
                    member(out, field.name);
                    if self.chance(if field.nullable { 30 } else { 5 }) {
                        out.push_str("null");
                    } else {
                        self.value(&field.ty, depth + 1, out);
                    }
                }
                for n in 0..self.rng.usize(..3) {
                    if depth < MAX_DEPTH && self.chance(30) {
                        member(out, &format!("x_unknown_{n}"));
                        self.any(depth + 1, out);
                    }
                }
                out.push('}');
            }
        }
    }

    fn integer(&mut self) -> String {
        match self.rng.u8(..10) {
            0 => "18446744073709551615".to_owned(),
            1 => format!("1844674407370955161{}", self.rng.u8(6..=9)),
            2 => format!("-{}", self.rng.u64(..)),
            3 => "-0".to_owned(),
            4 => "1.5".to_owned(),
            5 => (self.rng.u64(..) >> 1).to_string(),
            _ => self.rng.u16(..1000).to_string(),
        }
    }

    fn string(&mut self, out: &mut String) {
        let pieces =
            ["a", "金刚", "😀", "\\n", "\\\"", "\\/", "\\u00e9", "\\ud83d\\ude00", " ", "<b>", "\\t", "http://x/y?z=1"];
        out.push('"');
        for _ in 0..self.rng.usize(..5) {
            out.push_str(self.pick(&pieces));
        }
        out.push('"');
    }

    fn any(&mut self, depth: usize, out: &mut String) {
        match self.rng.u8(..if depth > 6 { 5 } else { 7 }) {
            0 => out.push_str("null"),
            1 => out.push_str("true"),
            2 => out.push_str(&self.integer()),
            3 => out.push_str(self.pick(&["1.50", "1e400", "-0.0", "6.02E23"])),
            4 => self.string(out),
            5 => {
                out.push('[');
                for index in 0..self.rng.usize(..3) {
                    if index > 0 {
                        out.push(',');
                    }
                    self.any(depth + 1, out);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                for index in 0..self.rng.usize(..3) {
                    if index > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "\"k{index}\":");
                    self.any(depth + 1, out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes `"key":`.
fn key_into(key: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(key).expect("a key"));
    out.push(':');
}

/// Decodes `json` as a response of `endpoint`, encodes it again, and lists
/// what differs.
fn round_trip(endpoint: &str, json: &str) -> Result<Vec<dylive_json::Difference>, String> {
    let response = Response::decode(endpoint, json.as_bytes()).ok_or_else(|| format!("no endpoint {endpoint}"))?;
    let response = response.map_err(|e| format!("{endpoint}: {e}\n{json}"))?;
    let encoded = response.to_json();
    dylive_json::diff(json, &encoded).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_responses_round_trip(seed in any::<u64>(), endpoint in 0usize..16) {
        let name = dylive_models::ENDPOINTS[endpoint % dylive_models::ENDPOINTS.len()];
        let json = Generator::new(seed).response(name);
        let differences = round_trip(name, &json).map_err(TestCaseError::fail)?;
        prop_assert!(differences.is_empty(), "{name}: {differences:#?}\n{json}");
    }
}

/// The generator reaches every generated type from the endpoints' responses,
/// so the property test above covers them all.
#[test]
fn the_generator_writes_every_type() {
    let mut written = BTreeSet::new();
    for seed in 0..50 {
        for endpoint in dylive_models::ENDPOINTS {
            let mut generator = Generator::new(seed);
            let json = generator.response(endpoint);
            assert_eq!(round_trip(endpoint, &json), Ok(Vec::new()), "seed {seed}");
            written.append(&mut generator.written);
        }
    }
    let all: BTreeSet<&str> = dylive_models::TYPES.iter().map(|info| info().name).collect();
    let missed: Vec<&&str> = all.difference(&written).collect();
    assert!(missed.is_empty(), "never generated: {missed:?}");
}
