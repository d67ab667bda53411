//! Real responses drift from the documented examples. Each case here starts
//! from a fixture, changes it the way real responses do, and states the
//! outcome: a lossless round-trip with the typed view it gives, or an error
//! naming the JSON Pointer and what was expected, with the body kept.

use dylive_json::Json;
use dylive_models::{ApiCode, BadgeIcons, DecodeError, Field, RankGoodsResponse, RoomRanklistResponse};

const ROOM: &str = include_str!("../../../fixtures/room_ranklist/success.json");
const GOODS: &str = include_str!("../../../fixtures/rank_goods/success.json");

/// `fixture` with `edit` applied to its parsed tree, as JSON text.
fn drifted(fixture: &'static str, edit: impl FnOnce(&mut Json<'static>)) -> String {
    let mut tree = dylive_json::parse(fixture).expect("fixtures are JSON");
    edit(&mut tree);
    tree.to_json()
}

fn value(json: &'static str) -> Json<'static> {
    dylive_json::parse(json).expect("test values are JSON")
}

/// The value at `pointer`, which must exist.
fn at<'t>(tree: &'t mut Json<'static>, pointer: &str) -> &'t mut Json<'static> {
    pointer.split('/').skip(1).fold(tree, |node, step| match node {
        Json::Object(members) => {
            &mut members.iter_mut().find(|(key, _)| key == step).unwrap_or_else(|| panic!("no {step} in {pointer}")).1
        }
        Json::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
        _ => panic!("{pointer}: {step} is inside a scalar"),
    })
}

fn set(tree: &mut Json<'static>, pointer: &str, new: Json<'static>) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    match at(tree, parent) {
        Json::Object(members) => match members.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = new,
            None => members.push((key.to_owned().into(), new)),
        },
        other => panic!("{parent} is not an object: {}", other.to_json()),
    }
}

fn remove(tree: &mut Json<'static>, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    if let Json::Object(members) = at(tree, parent) {
        members.retain(|(k, _)| k != key);
    }
}

/// Decodes, re-encodes and proves the round-trip lossless.
fn lossless_room(json: &str) -> RoomRanklistResponse {
    let response = RoomRanklistResponse::from_slice(json.as_bytes()).unwrap_or_else(|e| panic!("decodes: {e}"));
    assert_lossless(json, &response.to_json().expect("encodes"));
    response
}

fn lossless_goods(json: &str) -> RankGoodsResponse {
    let response = RankGoodsResponse::from_slice(json.as_bytes()).unwrap_or_else(|e| panic!("decodes: {e}"));
    assert_lossless(json, &response.to_json().expect("encodes"));
    response
}

fn assert_lossless(input: &str, output: &str) {
    let differences = dylive_json::diff(input, output).expect("JSON on both sides");
    assert!(differences.is_empty(), "not lossless:\n{differences:#?}");
}

fn first_rank(response: &RoomRanklistResponse) -> &dylive_models::RoomRank {
    &response.data.get().and_then(|d| d.data.get()).expect("a list").ranks.items()[0]
}

fn first_user(response: &RoomRanklistResponse) -> &dylive_models::User {
    first_rank(response).user.get().expect("a user")
}

const USER: &str = "/data/data/ranks/0/user";

#[test]
fn unknown_field_at_the_root_is_kept() {
    let json = drifted(ROOM, |t| set(t, "/trace_id", value(r#""2026112201""#)));
    let response = lossless_room(&json);
    assert_eq!(response.unknown_fields.get("trace_id").map(|v| v.get()), Some(r#""2026112201""#));
}

#[test]
fn unknown_field_in_a_rank_is_kept_with_its_number_text() {
    let json = drifted(ROOM, |t| set(t, "/data/data/ranks/0/new_badge", value(r#"{"ratio": 1.50, "n": 2}"#)));
    let response = lossless_room(&json);
    assert_eq!(first_rank(&response).unknown_fields.get("new_badge").map(|v| v.get()), Some(r#"{"ratio":1.50,"n":2}"#));
}

#[test]
fn unknown_field_in_user_is_kept() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/x_huge"), value("123456789012345678901234567890")));
    let response = lossless_room(&json);
    assert_eq!(first_user(&response).unknown_fields.len(), 1);
}

#[test]
fn unknown_field_in_an_image_is_kept() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/avatar_thumb/blurhash"), value(r#""LEHV6nWB2yk8""#)));
    let response = lossless_room(&json);
    let avatar = first_user(&response).avatar_thumb.get().expect("an avatar");
    assert!(avatar.unknown_fields.get("blurhash").is_some());
}

#[test]
fn a_usually_present_field_removed_stays_absent() {
    let json = drifted(ROOM, |t| remove(t, &format!("{USER}/nickname")));
    let response = lossless_room(&json);
    assert!(first_user(&response).nickname.is_absent());
}

#[test]
fn null_where_an_object_usually_is_stays_null() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/avatar_thumb"), Json::Null));
    let response = lossless_room(&json);
    assert!(first_user(&response).avatar_thumb.is_null());
}

#[test]
fn null_where_an_array_usually_is_stays_null() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/badge_image_list_v2"), Json::Null));
    let response = lossless_room(&json);
    assert!(first_user(&response).badge_image_list_v2.is_null());
    assert!(first_user(&response).badge_image_list_v2.items().is_empty());
}

#[test]
fn empty_array_and_empty_object_stay_what_they_were() {
    // `badge_image_list` is `[]` in the fixture and `prefer_data` is `{}`.
    let response = lossless_room(ROOM);
    let user = first_user(&response);
    assert_eq!(user.badge_image_list, Field::Value(vec![]));
    assert!(matches!(
        user.fans_club.get().and_then(|f| f.prefer_data.get()),
        Some(dylive_models::PreferData::Object(map)) if map.is_empty()
    ));
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/fans_club/prefer_data"), value("[]")));
    let response = lossless_room(&json);
    assert!(matches!(
        first_user(&response).fans_club.get().and_then(|f| f.prefer_data.get()),
        Some(dylive_models::PreferData::Array(items)) if items.is_empty()
    ));
}

#[test]
fn code_as_a_string_is_kept_as_a_string() {
    let json = drifted(ROOM, |t| set(t, "/code", value(r#""0""#)));
    let response = lossless_room(&json);
    assert_eq!(response.code, Field::Value(ApiCode::String("0".to_owned())));
}

#[test]
fn fans_club_icons_keyed_1_and_7_are_a_map() {
    let json = drifted(ROOM, |t| {
        let icons = format!("{USER}/fans_club/data/badge/icons");
        let image = at(t, &format!("{icons}/2")).clone();
        set(t, &icons, Json::Object(vec![("1".into(), image.clone()), ("7".into(), image)]));
    });
    let response = lossless_room(&json);
    let badge = first_user(&response).fans_club.get().and_then(|f| f.data.get()).and_then(|d| d.badge.get());
    match badge.and_then(|b| b.icons.get()) {
        Some(BadgeIcons::Object(map)) => assert_eq!(map.keys().collect::<Vec<_>>(), ["1", "7"]),
        other => panic!("expected a map of icons, got {other:?}"),
    }
}

#[test]
fn fans_club_icons_as_an_array_of_images() {
    let json = drifted(ROOM, |t| {
        let icons = format!("{USER}/fans_club/data/badge/icons");
        let image = at(t, &format!("{icons}/2")).clone();
        set(t, &icons, Json::Array(vec![image.clone(), image]));
    });
    let response = lossless_room(&json);
    let badge = first_user(&response).fans_club.get().and_then(|f| f.data.get()).and_then(|d| d.badge.get());
    assert!(matches!(badge.and_then(|b| b.icons.get()), Some(BadgeIcons::Array(items)) if items.len() == 2));
}

#[test]
fn id_of_u64_max_is_exact() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/id"), value("18446744073709551615")));
    let response = lossless_room(&json);
    assert_eq!(first_user(&response).id.get().and_then(|id| id.as_u64()), Some(u64::MAX));
}

#[test]
fn id_beyond_u64_keeps_its_text() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/id"), value("18446744073709551616")));
    let response = lossless_room(&json);
    let id = first_user(&response).id.get().expect("an id");
    assert_eq!(id.as_u64(), None);
    assert_eq!(id.to_string(), "18446744073709551616");
}

#[test]
fn room_ids_above_2_pow_53_are_exact() {
    let response = lossless_goods(GOODS);
    let ranks = response.data.get().expect("data").ranks.items();
    let rooms = ranks[0].user.get().and_then(|u| u.own_room.get()).expect("own_room");
    assert_eq!(rooms.room_ids.items()[0].as_u64(), Some(6919375969501465352));
}

#[test]
fn float_where_an_integer_usually_is_keeps_its_text() {
    let json = drifted(ROOM, |t| {
        set(t, "/data/data/ranks/0/score", value("1.5"));
        set(t, "/data/data/ranks/0/delta", value("2.0"));
        set(t, "/data/data/ranks/0/rank", value("-0"));
    });
    let response = lossless_room(&json);
    let rank = first_rank(&response);
    assert_eq!(rank.score.get().map(|s| (s.as_i64(), s.as_f64())), Some((None, 1.5)));
    assert!(!rank.delta.get().expect("a delta").is_machine_integer());
}

#[test]
fn a_property_named_extra_is_kept() {
    // Unknown in `User`, it lands among the unknown fields...
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/extra"), value(r#"{"now": 1}"#)));
    let response = lossless_room(&json);
    assert!(first_user(&response).unknown_fields.get("extra").is_some());
    // ...and where the schema knows it, it is an ordinary typed field.
    let response = lossless_goods(GOODS);
    assert_eq!(response.extra.get().and_then(|e| e.now.get()).and_then(|n| n.as_u64()), Some(1611055049817));
}

#[test]
fn escaped_strings_round_trip_by_value() {
    let json = drifted(ROOM, |t| set(t, &format!("{USER}/nickname"), value(r#""a\/b \u91d1\ud83d\ude00\n""#)));
    let response = lossless_room(&json);
    assert_eq!(first_user(&response).nickname.as_deref(), Some("a/b 金😀\n"));
}

// The cases below cannot be represented; they fail with the JSON Pointer and
// what was expected, and the body stays reachable.

fn error_of(json: &str) -> DecodeError {
    match RoomRanklistResponse::from_slice(json.as_bytes()) {
        Ok(response) => panic!("expected an error, decoded {response:?}"),
        Err(error) => {
            assert_eq!(error.body(), json.as_bytes(), "the body is kept");
            error
        }
    }
}

#[test]
fn a_string_where_an_integer_is_expected_names_the_path() {
    let error = error_of(&drifted(ROOM, |t| set(t, "/data/data/ranks/1/rank", value(r#""2""#))));
    assert_eq!(error.pointer(), "/data/data/ranks/1/rank");
    assert!(error.message().contains("expected an integer"), "{error}");
    assert!(!error.is_syntax());
}

#[test]
fn an_array_where_an_object_is_expected_names_the_path() {
    let error = error_of(&drifted(ROOM, |t| set(t, &format!("{USER}/pay_grade"), value("[]"))));
    assert_eq!(error.pointer(), format!("{USER}/pay_grade"));
    assert!(error.message().contains("expected an object (PayGrade)"), "{error}");
}

#[test]
fn a_wrong_kind_inside_a_union_names_both_paths() {
    let error =
        error_of(&drifted(ROOM, |t| set(t, &format!("{USER}/fans_club/data/badge/icons/2/width"), value("true"))));
    assert_eq!(error.pointer(), format!("{USER}/fans_club/data/badge/icons"));
    assert!(error.message().contains("at /2/width within this value"), "{error}");
}

#[test]
fn a_property_sent_twice_is_an_error() {
    let json = ROOM.replacen(r#""code": 0,"#, r#""code": 0, "code": 1,"#, 1);
    let error = error_of(&json);
    assert!(error.message().contains("duplicate property `code`"), "{error}");
}

#[test]
fn a_body_that_is_not_json_is_a_syntax_error_with_a_position() {
    for (body, line) in
        [("", 1), ("<html>502 Bad Gateway</html>", 1), (&ROOM[..ROOM.len() / 2], 1), ("{\n\"code\": 0,\n}", 3)]
    {
        let error = error_of(body);
        assert!(error.is_syntax(), "{body:?}: {error}");
        assert_eq!(error.line(), line, "{error}");
    }
}
