//! Property test: a fixture with the kind of a few values changed (a string
//! where an integer is, an array where an object is, `true` where a union
//! is) still decodes. `drift()` names exactly the changed places, with what
//! the schema expects there and the kind that came; the response encodes
//! back to the changed body; and strict decoding fails.
//!
//! The places are those the generated types' descriptions
//! ([`dylive_models::Response::type_info`]) describe: known properties of
//! objects, items of arrays and values of maps, wherever a fixture has a
//! value that is not `null`. A new value is only ever of a kind the type
//! there does not take, so a union that takes it and places open to any
//! value are never changed.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use dylive_json::Json;
use dylive_models::runtime::info::{Shape, Ty, TypeInfo};
use dylive_models::{
    DecodeError, JsonKind, LiveroomInfoResponse, LiveroomRanklistResponse, RankAllResponse, RankGoodsResponse,
    Response, RoomRanklistResponse, ENDPOINTS,
};
use proptest::prelude::*;

/// Values of every kind but `null`, to put where another kind is expected:
/// numbers in spellings that must survive, strings that look like numbers,
/// empty and non-empty containers.
const VALUES: &[&str] = &[
    r#""x""#,
    r#""1""#,
    r#""金刚 \"\u00e9\"""#,
    "1.50",
    "18446744073709551616",
    "-7",
    "0",
    "true",
    "false",
    "[]",
    r#"[1, "x", null]"#,
    "[{}]",
    "{}",
    r#"{"k": 1.50}"#,
    r#"{"0": "x", "rank": "1"}"#,
];

/// A fixture, parsed, with the places whose kind can change.
struct Fixture {
    endpoint: &'static str,
    name: String,
    tree: Json<'static>,
    places: Vec<Place>,
}

/// A value of a fixture that is not `null`, the type there, and what holds
/// it: "a property", "an item" or "a map value".
#[derive(Clone, Copy)]
struct Place {
    index: usize,
    ty: Ty,
    within: &'static str,
}

/// Every fixture under `fixtures/<endpoint>/`, with its places; the
/// pointers of all places live in `pointers`, indexed by `Place::index`.
struct Fixtures {
    fixtures: Vec<Fixture>,
    pointers: Vec<String>,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut all = Fixtures { fixtures: Vec::new(), pointers: Vec::new() };
        for endpoint in ENDPOINTS {
            let Ok(files) = std::fs::read_dir(root.join(endpoint)) else { continue };
            let mut paths: Vec<_> = files.flatten().map(|entry| entry.path()).collect();
            paths.sort();
            for path in paths.into_iter().filter(|path| path.extension().is_some_and(|ext| ext == "json")) {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let tree = dylive_json::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())).into_owned();
                let info = Response::type_info(endpoint).expect("every endpoint has a response type");
                let mut places = Vec::new();
                let mut walk = Walk { pointers: &mut all.pointers, places: &mut places, pointer: String::new() };
                walk.object(&tree, info);
                all.fixtures.push(Fixture { endpoint, name: format!("{endpoint}/{}", file_name(&path)), tree, places });
            }
        }
        all
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_owned()
}

/// Walks a fixture along its type, noting every value that is not `null` at
/// a place the type describes.
struct Walk<'a> {
    pointers: &'a mut Vec<String>,
    places: &'a mut Vec<Place>,
    pointer: String,
}

impl Walk<'_> {
    /// Notes `value`, at `step` below the current place, as a place of type
    /// `ty`, and walks inside it.
    fn at(&mut self, within: &'static str, step: &str, value: &Json<'_>, ty: Ty) {
        let length = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(&step.replace('~', "~0").replace('/', "~1"));
        if !value.is_null() && !matches!(ty, Ty::Any) {
            self.places.push(Place { index: self.pointers.len(), ty, within });
            self.pointers.push(self.pointer.clone());
        }
        self.inside(value, ty);
        self.pointer.truncate(length);
    }

    /// Walks the values inside `value`, which is of type `ty`.
    fn inside(&mut self, value: &Json<'_>, ty: Ty) {
        match (ty, value) {
            (Ty::Nullable(inner), _) => self.inside(value, *inner),
            (Ty::Array(item), Json::Array(items)) => {
                for (index, value) in items.iter().enumerate() {
                    self.at("an item", &index.to_string(), value, *item);
                }
            }
            (Ty::Map(inner), Json::Object(members)) => {
                for (key, value) in members {
                    self.at("a map value", key, value, *inner);
                }
            }
            (Ty::Type(info), _) => self.object(value, info()),
            _ => {}
        }
    }

    /// Walks the values inside `value`, which is of the generated type
    /// `info`: the known properties of an object, the value of a union.
    fn object(&mut self, value: &Json<'_>, info: &'static TypeInfo) {
        match info.shape {
            Shape::Object(_) => {
                for (key, value) in value.members() {
                    // Unknown properties are no place of the schema.
                    if let Some(field) = info.field(key) {
                        self.at("a property", key, value, field.ty);
                    }
                }
            }
            Shape::Union(variants) => {
                if let Some(variant) = variants.iter().find(|variant| variant.kind == value.kind()) {
                    self.inside(value, variant.ty);
                }
            }
        }
    }
}

/// One changed place: its pointer, what the schema expects there, and the
/// kind of the new value.
type Change = (String, String, JsonKind);

/// Changes the kind of 1 to 3 values of a fixture chosen by `seed`, none
/// inside another; returns the fixture, the changed body and the changes,
/// sorted by pointer.
fn mutate(seed: u64) -> (&'static Fixture, String, Vec<Change>) {
    let all = fixtures();
    let mut rng = fastrand::Rng::with_seed(seed);
    let fixture = &all.fixtures[rng.usize(..all.fixtures.len())];
    let mut tree = fixture.tree.clone();
    let mut changes: Vec<Change> = Vec::new();
    let wanted = rng.usize(1..=3);
    for _ in 0..wanted * 8 {
        if changes.len() == wanted || fixture.places.is_empty() {
            break;
        }
        let place = fixture.places[rng.usize(..fixture.places.len())];
        let pointer = &all.pointers[place.index];
        let nested = |other: &str| other == pointer || is_inside(other, pointer) || is_inside(pointer, other);
        if changes.iter().any(|(other, _, _)| nested(other)) {
            continue;
        }
        let fitting: Vec<&str> = VALUES.iter().copied().filter(|text| !place.ty.accepts(JsonKind::of(text))).collect();
        let text = fitting[rng.usize(..fitting.len())];
        let slot = tree.pointer_mut(pointer).unwrap_or_else(|| panic!("{}: no {pointer}", fixture.name));
        *slot = dylive_json::parse(text).expect("test values are JSON").into_owned();
        changes.push((pointer.clone(), place.ty.expected(), JsonKind::of(text)));
    }
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    (fixture, tree.to_json(), changes)
}

/// True when the value at `inner` lies inside the value at `outer`.
fn is_inside(inner: &str, outer: &str) -> bool {
    inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'))
}

/// Decodes `body` as a response of `endpoint` with `from_slice_strict`.
fn strict(endpoint: &str, body: &[u8]) -> Result<Response, DecodeError> {
    match endpoint {
        "room_ranklist" => RoomRanklistResponse::from_slice_strict(body).map(Response::RoomRanklist),
        "rank_goods" => RankGoodsResponse::from_slice_strict(body).map(Response::RankGoods),
        "liveroom_ranklist" => LiveroomRanklistResponse::from_slice_strict(body).map(Response::LiveroomRanklist),
        "rank_all" => RankAllResponse::from_slice_strict(body).map(Response::RankAll),
        "liveroom_info" => LiveroomInfoResponse::from_slice_strict(body).map(Response::LiveroomInfo),
        other => panic!("no strict decoding for {other}: add the endpoint here"),
    }
}

/// Decodes `body` as a response of `endpoint` with `serde_json::from_str`.
fn plain(endpoint: &str, body: &str) -> Result<Response, serde_json::Error> {
    Ok(match endpoint {
        "room_ranklist" => Response::RoomRanklist(serde_json::from_str(body)?),
        "rank_goods" => Response::RankGoods(serde_json::from_str(body)?),
        "liveroom_ranklist" => Response::LiveroomRanklist(serde_json::from_str(body)?),
        "rank_all" => Response::RankAll(serde_json::from_str(body)?),
        "liveroom_info" => Response::LiveroomInfo(serde_json::from_str(body)?),
        other => panic!("no plain decoding for {other}: add the endpoint here"),
    })
}

/// Checks every promise for the changed body of `seed`.
fn check(seed: u64) -> Result<(), String> {
    let (fixture, body, changes) = mutate(seed);
    let name = &fixture.name;
    if changes.is_empty() {
        return Err(format!("{name}: no place to change"));
    }
    let shown = |changes: &[Change]| changes.iter().map(|c| format!("\n  {c:?}")).collect::<String>();
    let context = || format!("{name}, changed:{}", shown(&changes));

    let response = Response::decode(fixture.endpoint, body.as_bytes())
        .expect("a known endpoint")
        .map_err(|e| format!("{}\ndoes not decode: {e}", context()))?;
    let mut drift: Vec<Change> =
        response.drift().iter().map(|d| (d.pointer().to_owned(), d.expected().to_owned(), d.found())).collect();
    drift.sort_by(|a, b| a.0.cmp(&b.0));
    if drift != changes {
        return Err(format!("{}\ndrift lists:{}", context(), shown(&drift)));
    }

    let encoded = response.to_json();
    let differences = dylive_json::diff(&body, &encoded).map_err(|e| e.to_string())?;
    if !differences.is_empty() {
        let differences: String = differences.iter().map(|d| format!("\n  {d}")).collect();
        return Err(format!("{}\nnot lossless:{differences}", context()));
    }

    let plain = plain(fixture.endpoint, &body).map_err(|e| format!("{}\nserde_json fails: {e}", context()))?;
    if plain != response {
        return Err(format!("{}\nserde_json gives another value", context()));
    }

    match strict(fixture.endpoint, body.as_bytes()) {
        Ok(_) => Err(format!("{}\nstrict decoding succeeds", context())),
        // Strict decoding names a changed place, or the union around it.
        Err(error)
            if error.is_syntax()
                || !changes
                    .iter()
                    .any(|(pointer, _, _)| pointer == error.pointer() || is_inside(pointer, error.pointer())) =>
        {
            Err(format!("{}\nstrict decoding fails elsewhere: {error}", context()))
        }
        Err(_) => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn changed_kinds_are_kept_listed_and_round_trip(seed in any::<u64>()) {
        check(seed).map_err(TestCaseError::fail)?;
    }
}

/// The places cover every fixture, the kinds of type the schemas use most,
/// and properties, items and map values, so the property test above changes
/// values of each.
#[test]
fn places_cover_every_fixture_and_kind_of_type() {
    let all = fixtures();
    assert!(all.fixtures.len() >= ENDPOINTS.len(), "fixtures: {}", all.fixtures.len());
    let mut kinds = BTreeSet::new();
    let mut holders = BTreeSet::new();
    for fixture in &all.fixtures {
        assert!(!fixture.places.is_empty(), "{}: no place", fixture.name);
        for place in &fixture.places {
            holders.insert(place.within);
            kinds.insert(match place.ty {
                Ty::Nullable(_) => "nullable",
                Ty::Null => "null",
                Ty::Bool => "boolean",
                Ty::Integer => "integer",
                Ty::Number => "number",
                Ty::String => "string",
                Ty::Any => "any",
                Ty::Array(_) => "array",
                Ty::Map(_) => "map",
                Ty::Type(info) => match info().shape {
                    Shape::Object(_) => "object",
                    Shape::Union(_) => "union",
                },
            });
        }
    }
    for kind in ["boolean", "integer", "string", "array", "object", "union"] {
        assert!(kinds.contains(kind), "no place of kind {kind}: {kinds:?}");
    }
    for holder in ["a property", "an item", "a map value"] {
        assert!(holders.contains(holder), "no place held by {holder}: {holders:?}");
    }
}

/// A few fixed seeds, so that a change to the runtime meets the same cases
/// on every run.
#[test]
fn fixed_seeds() {
    for seed in 0..32 {
        if let Err(failure) = check(seed) {
            panic!("seed {seed}: {failure}");
        }
    }
}
