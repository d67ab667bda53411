//! The tests of `dylive check`.

use dylive_json::Value;
use dylive_runtime::info::{FieldInfo, Shape, Ty, TypeInfo, VariantInfo};
use dylive_runtime::JsonKind;

use super::capture::FileReport;
use super::walk::{count, Walker};
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
fn walked(json: &str) -> (Vec<String>, Walker<'static>) {
    let mut walker = Walker { verbose: true, ..Walker::default() };
    let tree = dylive_json::parse(json).expect("JSON");
    walker.walk_root(&Ty::Type(item), &tree);
    let mut lines = Vec::new();
    for (what, groups) in [What::New, What::Missing, What::OtherKind].into_iter().zip(&walker.groups) {
        let mut groups: Vec<_> = groups.iter().collect();
        groups.sort_by(|a, b| a.0.cmp(b.0));
        for (place, group) in groups {
            let expected = group.expected.as_deref().unwrap_or("-");
            let kinds: Vec<&str> = group.kinds.iter().copied().collect();
            for pointer in &group.pointers {
                lines.push(format!("{} {place} {pointer} {expected} {}", what.title(), kinds.join("|")));
            }
        }
    }
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
    assert_eq!(walker.explained, count(&tree, usize::MAX).0);
    assert!(walker.envelope.is_none());
    assert_eq!(walker.places.get("Item"), Some(&2));
}

#[test]
fn the_walk_finds_what_is_not_kind_drift_at_every_depth_and_names_its_place() {
    let json = r#"{"code": true, "scores": {"a/b": "x"}, "children": [{"id": 2.0, "extra": [1]}, 3, [], {"id": null}], "new": {}}"#;
    let (found, walker) = walked(json);
    assert_eq!(
        found,
        [
            "new Item.extra /children/0/extra - array",
            "new Item.new /new - object",
            "missing Item.id /id present absent",
            "other kind Item.id /children/0/id an integer null|number",
            "other kind Item.id /children/3/id an integer null|number",
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
    let (found, walker) = walked(r#"{"id": 1, "code": [{}], "scores": [], "children": [{"id": 2, "code": {}}, "x"]}"#);
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
    let example =
        walker.groups[What::New as usize].get("Item.note").and_then(|g| g.example.clone()).unwrap_or_default();
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

/// `document` with the envelope of `endpoint` in place of its own: its
/// status and message fields gone, the other endpoint's set to `status`
/// (the first success value of each check when `None`).
fn rewrapped(document: &Value, own: &str, endpoint: &str, status: Option<&str>) -> Value {
    let mut document = document.clone();
    for check in detect::checks(own) {
        remove(&mut document, check.status);
        check.message.iter().for_each(|pointer| remove(&mut document, pointer));
    }
    for check in detect::checks(endpoint) {
        let success = status.or(check.success.first().copied()).unwrap_or("0");
        document.set_pointer(check.status, Value::Number(success.to_owned()));
        if let Some(pointer) = check.message.first() {
            document.set_pointer(pointer, Value::str("success"));
        }
    }
    document
}

/// A status value that is no success value of any check of `endpoint`:
/// another endpoint's.
fn foreign_status(endpoint: &str) -> Option<&'static str> {
    let own: Vec<&str> = detect::checks(endpoint).iter().flat_map(|check| check.success.iter().copied()).collect();
    let all = dylive_client::ENDPOINTS.iter().flat_map(|spec| spec.checks).flat_map(|check| check.success.iter());
    all.copied().find(|value| !own.contains(value))
}

/// Each successful fixture in each endpoint's envelope, with that
/// envelope's success values and with another endpoint's: the data decides;
/// where it ties, the envelope's values do, then the findings, then the
/// manifest's order.
#[test]
fn the_data_names_the_endpoint_and_the_envelope_values_break_a_tie() {
    let mut matrix = Vec::new();
    for (endpoint, file, document) in successes() {
        for other in dylive_models::ENDPOINTS {
            for status in [None, foreign_status(other)] {
                let text = rewrapped(&document, endpoint, other, status).to_json();
                let detection = detect(text.as_bytes()).expect("JSON");
                let own = check_bytes("-", text.as_bytes(), Some(endpoint)).expect("JSON").fit;
                let fit = detection.fit;
                let data = |fit: &Fit| (fit.decodes, fit.explained);
                let values = |fit: &Fit| (std::cmp::Reverse(fit.contradicted), fit.status);
                let outcome = if detection.endpoint == endpoint {
                    "its own".to_owned()
                } else if values(&fit) != values(&own) {
                    format!("{}: the data fits both, the envelope's values decide", detection.endpoint)
                } else if fit.findings != own.findings {
                    format!("{}: the data and the envelope fit both, fewer findings decide", detection.endpoint)
                } else {
                    format!("{}: the data and the envelope fit both, the manifest's order decides", detection.endpoint)
                };
                let status = status.map_or_else(|| "its own success values".to_owned(), |s| format!("status {s}"));
                matrix.push(format!("{endpoint}/{file} in {other}'s envelope, {status}: {outcome}"));
                // Another endpoint only where the data ties, and then only
                // one whose envelope the values speak for at least as well.
                let fair = data(&fit) == data(&own) && values(&fit) >= values(&own);
                assert!(detection.endpoint == endpoint || fair, "{}", matrix.join("\n"));
            }
        }
    }
    println!("{}", matrix.join("\n"));
    assert!(matrix.len() >= 50, "{matrix:?}");
}

/// The held-out case: a real 200-rank list wrapped as `get_room_ranklist`
/// answers (`code` 0). Its data fits `liveroom-ranklist` as well, whose
/// envelope answers `code` 200.
#[test]
fn a_real_rank_list_in_the_room_ranklist_envelope_is_room_ranklist() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/real-captures/20_ranklist_audience_online_2023-09.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("{} is not there; nothing to check", path.display());
        return;
    };
    let body = format!(r#"{{"code":0,"msg":"ok","data":{text}}}"#);
    let detection = detect(body.as_bytes()).expect("JSON");
    assert_eq!(detection.endpoint, "room_ranklist", "{detection:?}");
    let (runner_up, fit) = detection.runner_up.expect("a runner-up");
    assert_eq!((runner_up, fit.explained, fit.contradicted), ("liveroom_ranklist", detection.fit.explained, 1));
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
        // Twelve, or one an object where a document has fewer objects.
        let mut left = 12;
        add_fields(&mut document, &mut left);
        let added = 12 - left;
        assert!(added > 0, "{file}");
        let report = checked(&document.to_json());
        assert_eq!(report.endpoint(), Some(endpoint), "{endpoint}/{file}");
        // Those added to a map are entries, not new properties.
        let new = report.new_fields();
        assert!(new.len() >= added / 2 && new.iter().all(|f| f.contains(".added_in_2026_")), "{file}: {new:?}");
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
