//! Real responses drift from the documented examples. Each case here starts
//! from a fixture, changes it the way real responses do, and states the
//! outcome. New and missing properties, `null`, number spellings and the
//! kinds a union takes round-trip losslessly with the typed view they give.
//! A value of another kind than the schema says (a string where an integer
//! is) is kept verbatim and listed by `drift()`, and only strict decoding
//! fails on it. What cannot be represented (a repeated property, text that
//! is not JSON) fails in every mode, naming the JSON Pointer and what was
//! expected, with the body kept.

use dylive_json::Json;
use dylive_models::{
    ApiCode, BadgeIcons, DecodeError, Drift, Field, Int, JsonKind, RankGoodsResponse, RawJson, Response,
    RoomRanklistResponse,
};

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

/// Sets the value at `pointer`, which must have a place.
fn set(tree: &mut Json<'static>, pointer: &str, new: Json<'static>) {
    assert!(tree.set_pointer(pointer, new), "no place for {pointer}");
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
    assert_lossless(json, &response.to_json());
    response
}

fn lossless_goods(json: &str) -> RankGoodsResponse {
    let response = RankGoodsResponse::from_slice(json.as_bytes()).unwrap_or_else(|e| panic!("decodes: {e}"));
    assert_lossless(json, &response.to_json());
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

// A value of another kind than the schema says is kept verbatim where it
// arrived: the response decodes (through `from_slice` and through the plain
// serde path alike), the typed accessor gives nothing there, `drift()` names
// the place with what was expected and what came, the response encodes back
// to what was received, and strict decoding fails on the first such place
// with the JSON Pointer and what was expected.

/// One entry of a drift list: pointer, expectation, kind found.
type Place = (String, String, JsonKind);

fn place(pointer: &str, expected: &str, found: JsonKind) -> Place {
    (pointer.to_owned(), expected.to_owned(), found)
}

fn places(drift: &[Drift]) -> Vec<Place> {
    let mut places: Vec<Place> = drift.iter().map(|d| place(d.pointer(), d.expected(), d.found())).collect();
    places.sort_by(|a, b| a.0.cmp(&b.0));
    places
}

/// Decodes `json` in the default mode, both through `from_slice` and through
/// `serde_json::from_str` (what reqwest's `.json()` and axum's `Json` call),
/// proves both re-encode losslessly, and checks that the drift list names
/// exactly `expected` (in any order).
fn kept(json: &str, expected: &[Place]) -> RoomRanklistResponse {
    let response = lossless_room(json);
    let plain: RoomRanklistResponse =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("the plain serde path decodes: {e}"));
    assert_lossless(json, &plain.to_json());
    assert_eq!(plain, response, "both paths give the same value");
    let mut expected = expected.to_vec();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(places(&response.drift()), expected);
    assert_eq!(Response::RoomRanklist(response.clone()).drift(), response.drift());
    response
}

/// The error of strict decoding, which must fail on `json` without being a
/// syntax error, keeping the body.
fn strict_error(json: &str) -> DecodeError {
    match RoomRanklistResponse::from_slice_strict(json.as_bytes()) {
        Ok(response) => panic!("expected strict decoding to fail, decoded {response:?}"),
        Err(error) => {
            assert_eq!(error.body(), json.as_bytes(), "the body is kept");
            assert!(!error.is_syntax(), "{error}");
            error
        }
    }
}

fn list(response: &RoomRanklistResponse) -> &dylive_models::RoomRanklist {
    response.data().and_then(|d| d.data()).expect("a list")
}

#[test]
fn a_string_where_an_integer_is_expected_is_kept_and_listed() {
    let json = drifted(ROOM, |t| set(t, "/data/data/ranks/1/rank", value(r#""2""#)));
    let response = kept(&json, &[place("/data/data/ranks/1/rank", "an integer", JsonKind::String)]);
    let rank = &list(&response).ranks()[1];
    assert_eq!(rank.rank(), None);
    assert_eq!(rank.rank.other().map(RawJson::get), Some(r#""2""#));
    assert_eq!(list(&response).ranks()[0].rank().and_then(Int::as_u64), Some(1), "the other rank is typed");
    // A drift list starts at the value it is asked of.
    assert_eq!(places(&rank.drift()), [place("/rank", "an integer", JsonKind::String)]);
    assert_eq!(places(&list(&response).drift()), [place("/ranks/1/rank", "an integer", JsonKind::String)]);

    let error = strict_error(&json);
    assert_eq!(error.pointer(), "/data/data/ranks/1/rank");
    assert!(error.message().contains("expected an integer"), "{error}");
}

#[test]
fn an_array_where_an_object_is_expected_is_kept_and_listed() {
    let pointer = format!("{USER}/pay_grade");
    let json = drifted(ROOM, |t| set(t, &pointer, value("[]")));
    let response = kept(&json, &[place(&pointer, "an object (PayGrade)", JsonKind::Array)]);
    let user = first_user(&response);
    assert!(user.pay_grade().is_none());
    assert_eq!(user.pay_grade.other().map(RawJson::get), Some("[]"));
    assert_eq!(user.nickname(), Some("金刚"), "the rest of the user is typed");

    let error = strict_error(&json);
    assert_eq!(error.pointer(), pointer);
    assert!(error.message().contains("expected an object (PayGrade)"), "{error}");
}

#[test]
fn a_wrong_kind_inside_a_union_is_listed_at_its_own_place() {
    let icons = format!("{USER}/fans_club/data/badge/icons");
    let json = drifted(ROOM, |t| set(t, &format!("{icons}/2/width"), value("true")));
    let response = kept(&json, &[place(&format!("{icons}/2/width"), "an integer", JsonKind::Bool)]);
    let badge = first_user(&response).fans_club().and_then(|f| f.data()).and_then(|d| d.badge());
    match badge.and_then(|b| b.icons()) {
        Some(BadgeIcons::Object(map)) => {
            let image = map.get("2").expect("icon 2");
            assert_eq!(image.width(), None);
            assert_eq!(image.width.other().map(RawJson::get), Some("true"));
            assert_eq!(map.get("3").and_then(|i| i.width()).and_then(Int::as_u64), Some(0));
        }
        other => panic!("expected the map of icons, got {other:?}"),
    }

    // Strict decoding names the place inside the union.
    let error = strict_error(&json);
    assert_eq!(error.pointer(), format!("{icons}/2/width"));
    assert!(error.message().contains("expected an integer"), "{error}");
}

#[test]
fn true_where_a_union_is_expected_is_kept_and_listed() {
    let json = drifted(ROOM, |t| set(t, "/code", value("true")));
    let response = kept(&json, &[place("/code", "a number or a string", JsonKind::Bool)]);
    assert_eq!(response.code(), None);
    assert_eq!(response.code.other().map(RawJson::get), Some("true"));
    assert_eq!(list(&response).ranks().len(), 2);

    let error = strict_error(&json);
    assert_eq!(error.pointer(), "/code");
    assert!(error.message().contains("expected a number or a string"), "{error}");
}

#[test]
fn a_number_where_a_string_is_expected_keeps_its_text() {
    let pointer = format!("{USER}/nickname");
    let json = drifted(ROOM, |t| set(t, &pointer, value("1.50")));
    let response = kept(&json, &[place(&pointer, "a string", JsonKind::Number)]);
    let user = first_user(&response);
    assert_eq!(user.nickname(), None);
    assert_eq!(user.nickname.other().map(RawJson::get), Some("1.50"));
    assert!(response.to_json().contains(r#""nickname":1.50,"#));

    let error = strict_error(&json);
    assert_eq!(error.pointer(), pointer);
    assert!(error.message().contains("expected a string"), "{error}");
}

#[test]
fn an_object_where_an_array_is_expected_is_kept_and_listed() {
    let pointer = format!("{USER}/badge_image_list_v2");
    let json = drifted(ROOM, |t| {
        let image = at(t, &format!("{pointer}/0")).clone();
        set(t, &pointer, Json::Object(vec![("0".into(), image)]));
    });
    let response = kept(&json, &[place(&pointer, "an array", JsonKind::Object)]);
    let user = first_user(&response);
    assert!(user.badge_image_list_v2().is_empty());
    assert_eq!(user.badge_image_list_v2.other().map(|raw| raw.kind()), Some(JsonKind::Object));

    let error = strict_error(&json);
    assert_eq!(error.pointer(), pointer);
    assert!(error.message().contains("invalid type: an object, expected an array"), "{error}");
}

#[test]
fn a_string_item_keeps_the_array_whole_and_names_the_item() {
    let json = drifted(ROOM, |t| set(t, "/data/data/ranks/1", value(r#""rank withdrawn""#)));
    let response = kept(&json, &[place("/data/data/ranks/1", "an object (RoomRank)", JsonKind::String)]);
    let list = list(&response);
    assert!(list.ranks().is_empty());
    let whole = list.ranks.other().expect("the array is kept whole");
    assert_eq!(whole.kind(), JsonKind::Array);
    let items = dylive_json::parse(whole.get()).expect("JSON").items().to_vec();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].as_str(), Some("rank withdrawn"));
    assert!(list.has_more.get().is_some(), "the properties beside it are typed");

    let error = strict_error(&json);
    assert_eq!(error.pointer(), "/data/data/ranks/1");
    assert!(error.message().contains("expected an object (RoomRank)"), "{error}");
}

#[test]
fn drift_inside_a_value_kept_whole_is_named_precisely() {
    // The string item keeps `ranks` whole; the places inside it that do not
    // fit are still named one by one.
    let json = drifted(ROOM, |t| {
        set(t, "/data/data/ranks/0/rank", value(r#""1""#));
        set(t, &format!("{USER}/pay_grade/level"), value("[60]"));
        let items = at(t, "/data/data/ranks");
        if let Json::Array(items) = items {
            items.push(value("7"));
        }
    });
    let response = kept(
        &json,
        &[
            place("/data/data/ranks/0/rank", "an integer", JsonKind::String),
            place(&format!("{USER}/pay_grade/level"), "an integer", JsonKind::Array),
            place("/data/data/ranks/2", "an object (RoomRank)", JsonKind::Number),
        ],
    );
    assert!(list(&response).ranks().is_empty());

    let error = strict_error(&json);
    assert_eq!(error.pointer(), "/data/data/ranks/0/rank", "the first place in the body");
}

#[test]
fn drift_at_two_places_lists_both() {
    let level = format!("{USER}/pay_grade/level");
    let json = drifted(ROOM, |t| {
        set(t, "/code", value(r#"{"value": 0}"#));
        set(t, &level, value(r#""60""#));
    });
    let response = kept(
        &json,
        &[place("/code", "a number or a string", JsonKind::Object), place(&level, "an integer", JsonKind::String)],
    );
    assert_eq!(response.code(), None);
    let user = first_user(&response);
    assert_eq!(user.pay_grade().map(|grade| grade.level()), Some(None), "the pay grade is typed, its level not");
    assert_eq!(places(&user.drift()), [place("/pay_grade/level", "an integer", JsonKind::String)]);

    let error = strict_error(&json);
    assert_eq!(error.pointer(), "/code", "the first place in the body");
}

#[test]
fn a_number_beyond_f64_is_kept_where_another_kind_is_expected() {
    let nickname = format!("{USER}/nickname");
    let json = drifted(ROOM, |t| set(t, &nickname, value("1e400")));
    let response = kept(&json, &[place(&nickname, "a string", JsonKind::Number)]);
    assert_eq!(first_user(&response).nickname.other().map(RawJson::get), Some("1e400"));

    let json = drifted(ROOM, |t| set(t, "/data/data/ranks/1/is_hidden", value("1e400")));
    kept(&json, &[place("/data/data/ranks/1/is_hidden", "a boolean", JsonKind::Number)]);

    // Where an integer is, a number of any spelling is no drift.
    let json = drifted(ROOM, |t| set(t, "/data/data/ranks/1/rank", value("1e400")));
    let response = kept(&json, &[]);
    assert_eq!(list(&response).ranks()[1].rank().map(ToString::to_string).as_deref(), Some("1e400"));
}

#[test]
fn a_body_that_fits_has_no_drift_in_either_mode() {
    let response = kept(ROOM, &[]);
    let strict = RoomRanklistResponse::from_slice_strict(ROOM.as_bytes()).expect("the fixture fits");
    assert_eq!(strict, response);
}

// What cannot be represented fails in every mode (default, strict and the
// plain serde path) with the JSON Pointer and what was expected, and the
// body stays reachable.

fn error_of(json: &str) -> DecodeError {
    assert!(serde_json::from_str::<RoomRanklistResponse>(json).is_err(), "the plain serde path fails too");
    let strict = match RoomRanklistResponse::from_slice_strict(json.as_bytes()) {
        Ok(response) => panic!("expected strict decoding to fail, decoded {response:?}"),
        Err(error) => error,
    };
    match RoomRanklistResponse::from_slice(json.as_bytes()) {
        Ok(response) => panic!("expected an error, decoded {response:?}"),
        Err(error) => {
            assert_eq!(error.body(), json.as_bytes(), "the body is kept");
            assert_eq!(strict.to_string(), error.to_string(), "both modes give the same error");
            error
        }
    }
}

#[test]
fn a_property_sent_twice_is_an_error() {
    let json = ROOM.replacen(r#""code": 0,"#, r#""code": 0, "code": 1,"#, 1);
    let error = error_of(&json);
    assert!(error.message().contains("duplicate property `code`"), "{error}");
}

#[test]
fn a_property_sent_twice_deep_inside_is_an_error() {
    let json = ROOM.replacen(r#""rank": 2,"#, r#""rank": 2, "rank": 3,"#, 1);
    let error = error_of(&json);
    assert!(error.message().contains("duplicate property `rank`"), "{error}");
    assert_eq!(error.pointer(), "/data/data/ranks/1", "the object that repeats it");
}

#[test]
fn an_unknown_property_sent_twice_deep_inside_is_an_error() {
    let json = ROOM.replacen(r#""rank": 2,"#, r#""rank": 2, "x_new": 1, "x_new": 2,"#, 1);
    let error = error_of(&json);
    assert!(error.message().contains("duplicate property `x_new`"), "{error}");
    assert_eq!(error.pointer(), "/data/data/ranks/1", "the object that repeats it");
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

#[test]
fn a_body_that_is_not_json_after_drift_is_still_a_syntax_error() {
    let json = drifted(ROOM, |t| set(t, "/data/data/ranks/1/rank", value(r#""2""#)));
    let truncated = &json[..json.len() - 1];
    let trailing = format!("{json} x");
    for body in [truncated, &trailing] {
        assert!(serde_json::from_str::<RoomRanklistResponse>(body).is_err());
        let error = RoomRanklistResponse::from_slice(body.as_bytes()).expect_err("not JSON");
        assert!(error.is_syntax(), "{error}");
        assert_eq!(error.pointer(), "", "{error}");
        assert!(RoomRanklistResponse::from_slice_strict(body.as_bytes()).is_err());
    }
}
