//! The models through self-describing binary formats, CBOR (ciborium) and
//! MessagePack (rmp-serde): every fixture, and bodies built to hold what is
//! hardest to keep (a union holding an integer beyond 64 bits, unknown
//! properties holding `1.50`, `-0`, absent, `null`, `[]` and `{}`), comes
//! back as the value that was written, and that value still encodes to the
//! fixture's JSON.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use dylive_models::{ApiCode, LiveroomInfoResponse, PreferData, RawJson, Response, RoomRanklistResponse, ENDPOINTS};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A self-describing binary format.
#[derive(Clone, Copy, Debug)]
enum Format {
    Cbor,
    MessagePack,
}

const FORMATS: [Format; 2] = [Format::Cbor, Format::MessagePack];

impl Format {
    fn encode<T: Serialize>(self, value: &T) -> Vec<u8> {
        match self {
            Format::Cbor => {
                let mut bytes = Vec::new();
                ciborium::into_writer(value, &mut bytes).expect("encodes as CBOR");
                bytes
            }
            Format::MessagePack => rmp_serde::to_vec(value).expect("encodes as MessagePack"),
        }
    }

    fn decode<T: DeserializeOwned>(self, bytes: &[u8]) -> T {
        match self {
            Format::Cbor => ciborium::from_reader(bytes).unwrap_or_else(|e| panic!("decodes from CBOR: {e}")),
            Format::MessagePack => {
                rmp_serde::from_slice(bytes).unwrap_or_else(|e| panic!("decodes from MessagePack: {e}"))
            }
        }
    }

    /// True when `bytes` hold a map in this format, read without the models.
    fn is_map(self, bytes: &[u8]) -> bool {
        match self {
            Format::Cbor => ciborium::from_reader::<ciborium::Value, _>(bytes).is_ok_and(|value| value.is_map()),
            Format::MessagePack => {
                rmp_serde::from_slice::<serde_json::Value>(bytes).is_ok_and(|value| value.is_object())
            }
        }
    }
}

/// Writes `value` in every format, reads it back, and checks that what was
/// read is `==` what was written and that its JSON is still `body`'s, by the
/// strict comparator (number text, absent versus `null`, `[]`, `{}`).
/// Returns what was read, per format.
fn through_formats<T>(name: &str, value: &T, body: &str, wrap: fn(T) -> Response) -> Vec<Response>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    FORMATS
        .iter()
        .map(|&format| {
            let bytes = format.encode(value);
            assert!(format.is_map(&bytes), "{name}: {format:?} holds a map");
            let back: T = format.decode(&bytes);
            assert!(back == *value, "{name}: the value read back from {format:?} differs from the one written");
            let back = wrap(back);
            let json = back.to_json();
            let differences = dylive_json::diff(body, &json).expect("both sides are JSON");
            assert!(
                differences.is_empty(),
                "{name}: {} difference(s) after {format:?}:\n{}",
                differences.len(),
                differences.iter().map(|d| format!("  {d}\n")).collect::<String>()
            );
            back
        })
        .collect()
}

/// Decodes `body` as `endpoint` and sends the response through every format.
fn check(name: &str, endpoint: &str, body: &str) -> Vec<Response> {
    let response = Response::decode(endpoint, body.as_bytes())
        .unwrap_or_else(|| panic!("{name}: no endpoint {endpoint}; known: {ENDPOINTS:?}"))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let read = match &response {
        Response::RoomRanklist(value) => through_formats(name, value, body, Response::RoomRanklist),
        Response::RankGoods(value) => through_formats(name, value, body, Response::RankGoods),
        Response::LiveroomRanklist(value) => through_formats(name, value, body, Response::LiveroomRanklist),
        Response::RankAll(value) => through_formats(name, value, body, Response::RankAll),
        Response::LiveroomInfo(value) => through_formats(name, value, body, Response::LiveroomInfo),
        other => panic!("{name}: an endpoint this test does not know: {}", other.endpoint()),
    };
    for back in &read {
        assert_eq!(back, &response, "{name}");
    }
    read
}

/// Every `fixtures/<endpoint>/*.json` with its endpoint, sorted.
fn fixtures() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    walkdir::WalkDir::new(root)
        .min_depth(2)
        .max_depth(2)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.expect("a fixture folder"))
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "json"))
        .filter_map(|entry| {
            let endpoint = entry.path().parent()?.file_name()?.to_str()?.to_owned();
            Some((endpoint, entry.into_path()))
        })
        .collect()
}

fn fixture(endpoint: &str, file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(endpoint).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `body` with the one occurrence of `from` replaced by `to`.
fn replace_once(body: &str, from: &str, to: &str) -> String {
    assert_eq!(body.matches(from).count(), 1, "exactly one `{from}` in the body");
    body.replacen(from, to, 1)
}

#[test]
fn every_fixture_round_trips_through_cbor_and_messagepack() {
    let fixtures = fixtures();
    for endpoint in ENDPOINTS {
        assert!(fixtures.iter().any(|(e, _)| e == endpoint), "no fixture for {endpoint}");
    }
    for (endpoint, path) in &fixtures {
        let body = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(&path.display().to_string(), endpoint, &body);
    }
}

#[test]
fn a_union_holding_an_integer_beyond_64_bits_stays_a_number() {
    let huge = "123456789012345678901234567890";
    let body = replace_once(&fixture("room_ranklist", "success.json"), r#""code": 0,"#, &format!(r#""code": {huge},"#));
    for back in check("code beyond 64 bits", "room_ranklist", &body) {
        let Response::RoomRanklist(back) = back else { panic!("another endpoint") };
        assert!(matches!(back.code(), Some(ApiCode::Integer(code)) if code.to_string() == huge), "{:?}", back.code);
    }
    let body = r#"{"code": "123456789012345678901234567890", "data": null}"#;
    for back in check("the same digits as a string", "room_ranklist", body) {
        let Response::RoomRanklist(back) = back else { panic!("another endpoint") };
        assert!(matches!(back.code(), Some(ApiCode::String(code)) if code == huge), "{:?}", back.code);
    }
}

#[test]
fn numbers_keep_their_text() {
    let body = fixture("liveroom_info", "documented.json");
    let body = replace_once(&body, r#""city": 0,"#, r#""city": -0,"#);
    let body = replace_once(&body, r#""my_follow": 0.02,"#, r#""my_follow": 1.50,"#);
    let body = replace_once(&body, r#""other": 0.27,"#, r#""other": 18446744073709551616,"#);
    let body = replace_once(&body, r#""video_detail": 0.71"#, r#""video_detail": -0.0"#);
    let body = replace_once(&body, r#""total_user": 164069,"#, r#""total_user": 18446744073709551616,"#);
    for back in check("numbers", "liveroom_info", &body) {
        let json = back.to_json();
        for text in [
            r#""city":-0,"#,
            r#""my_follow":1.50,"#,
            r#""other":18446744073709551616,"#,
            r#""video_detail":-0.0}"#,
            r#""total_user":18446744073709551616,"#,
        ] {
            assert!(json.contains(text), "{text} in {json}");
        }
    }
}

#[test]
fn unknown_properties_keep_their_json() {
    let open = r#"{"a": 1.50, "b": [-0, 18446744073709551616, null, {}, [], "x"], "c": {"d": null}}"#;
    let body = fixture("room_ranklist", "success.json");
    let body = replace_once(
        &body,
        r#"{ "code": 0,"#,
        &format!(r#"{{ "new_object": {open}, "new_null": null, "new_text": "1.50", "code": 0,"#),
    );
    for back in check("unknown properties", "room_ranklist", &body) {
        let Response::RoomRanklist(back) = back else { panic!("another endpoint") };
        assert_eq!(back.unknown_fields.get("new_object").map(RawJson::get), Some(open));
        assert_eq!(back.unknown_fields.get("new_null").map(RawJson::get), Some("null"));
        assert_eq!(back.unknown_fields.get("new_text").map(RawJson::get), Some(r#""1.50""#));
    }
}

#[test]
fn absent_null_empty_array_and_empty_object_stay_apart() {
    let bodies = [
        r#"{"code": 0}"#,
        r#"{"code": 0, "data": null, "msg": null}"#,
        r#"{"code": 0, "data": {}, "msg": ""}"#,
        r#"{"code": 0, "data": {"data": {"ranks": [], "seats": null}}}"#,
        r#"{"code": 0, "data": {"data": {"ranks": null, "seats": [], "self_info": {}}}}"#,
        r#"{"code": 0, "data": {"data": {"ranks": [{}, {"user": null}, {"user": {}}], "seats": [{}, [], null, 0]}}}"#,
    ];
    let decoded: Vec<RoomRanklistResponse> = bodies
        .iter()
        .map(|body| {
            let back = check(body, "room_ranklist", body);
            let Some(Response::RoomRanklist(back)) = back.into_iter().next() else { panic!("another endpoint") };
            back
        })
        .collect();
    for (i, a) in decoded.iter().enumerate() {
        for b in &decoded[i + 1..] {
            assert_ne!(a, b, "two different bodies read back as one value");
        }
    }

    let body = replace_once(
        &fixture("liveroom_info", "documented.json"),
        "\"prefer_data\": {\n          }",
        r#""prefer_data": []"#,
    );
    for back in check("prefer_data as []", "liveroom_info", &body) {
        let Response::LiveroomInfo(back) = back else { panic!("another endpoint") };
        let prefer = back.data().and_then(|d| d.data()).and_then(|d| d.owner()).and_then(|o| o.fans_club());
        assert!(matches!(prefer.and_then(|f| f.prefer_data()), Some(PreferData::Array(items)) if items.is_empty()));
    }
    let body = fixture("liveroom_info", "documented.json");
    let response = LiveroomInfoResponse::from_slice(body.as_bytes()).expect("decodes");
    let prefer = response.data().and_then(|d| d.data()).and_then(|d| d.owner()).and_then(|o| o.fans_club());
    assert!(matches!(prefer.and_then(|f| f.prefer_data()), Some(PreferData::Object(map)) if map.is_empty()));
}

#[test]
fn json_bytes_are_unchanged() {
    let body = r#"{"code":123456789012345678901234567890,"data":{"data":{"ranks":[{"rank":-0,"score":1.5e3}]}},"x":{"a":1.50}}"#;
    let response = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
    assert_eq!(response.to_json(), body);
}
