//! Every way a service decodes and encodes the models through serde gives
//! what `from_slice` and `to_json` give: `serde_json`'s `from_slice`,
//! `from_str` and `from_reader` (what reqwest's `.json()` and axum's `Json`
//! call), its `StreamDeserializer` over JSON lines, `from_value`, a model
//! inside a consumer's own struct, and the other fast JSON crates' serde
//! support (sonic-rs, simd-json), on the fixtures and on a real 200-rank
//! capture (`../shared/real-captures`, beside the workspace).

use std::path::{Path, PathBuf};

use dylive_models::{LiveroomRanklistResponse, RoomRanklistResponse};
use serde::{Deserialize, Serialize};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fixtures of `get_room_ranklist`, and the real capture wrapped as that
/// endpoint answers, when it is there.
fn bodies() -> Vec<(String, String)> {
    let dir = root().join("fixtures/room_ranklist");
    let mut bodies: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the fixtures")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| (path.display().to_string(), std::fs::read_to_string(&path).expect("a fixture")))
        .collect();
    bodies.sort();
    let capture = root().join("../shared/real-captures/20_ranklist_audience_online_2023-09.json");
    if let Ok(text) = std::fs::read_to_string(&capture) {
        bodies.push((capture.display().to_string(), format!(r#"{{"code":0,"msg":"ok","data":{text}}}"#)));
    }
    bodies
}

/// The body with one integer made a string: a value of another kind.
fn drifted(body: &str) -> Option<String> {
    let at = body.find(r#""rank": "#).or_else(|| body.find(r#""rank":"#))?;
    let start = body[at..].find(':')? + at + 1;
    let value_start = start + body[start..].len() - body[start..].trim_start().len();
    let end = value_start + body[value_start..].find(|c: char| !c.is_ascii_digit())?;
    (end > value_start).then(|| format!("{}\"{}\"{}", &body[..value_start], &body[value_start..end], &body[end..]))
}

fn same_json(a: &str, b: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(a).ok() == serde_json::from_str::<serde_json::Value>(b).ok()
}

#[test]
fn serde_json_entry_points_decode_exactly_what_from_slice_decodes() {
    for (name, body) in bodies() {
        let own = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
        let from_slice: RoomRanklistResponse = serde_json::from_slice(body.as_bytes()).expect(&name);
        let from_str: RoomRanklistResponse = serde_json::from_str(&body).expect(&name);
        let from_reader: RoomRanklistResponse = serde_json::from_reader(body.as_bytes()).expect(&name);
        let value = serde_json::from_str::<serde_json::Value>(&body).expect("JSON");
        let from_value: RoomRanklistResponse = serde_json::from_value(value).expect(&name);
        for (path, decoded) in [("from_slice", &from_slice), ("from_str", &from_str), ("from_reader", &from_reader)] {
            assert_eq!(decoded, &own, "{name}: {path}");
            assert_eq!(decoded.to_json(), own.to_json(), "{name}: {path}");
        }
        // A Value keeps no number's spelling beyond what f64 and 64-bit
        // integers hold, so only the JSON it means is the same.
        assert!(same_json(&from_value.to_json(), &body), "{name}: from_value");
    }
}

#[test]
fn values_of_another_kind_are_kept_on_the_serde_path() {
    for (name, body) in bodies() {
        let Some(body) = drifted(&body) else { continue };
        let own = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
        assert_eq!(own.drift().len(), 1, "{name}");
        let through_serde: RoomRanklistResponse = serde_json::from_str(&body).expect(&name);
        assert_eq!(through_serde, own, "{name}");
        assert_eq!(through_serde.to_json(), own.to_json(), "{name}");
        assert!(RoomRanklistResponse::from_slice_strict(body.as_bytes()).is_err(), "{name}");
    }
}

#[test]
fn a_stream_of_json_lines_decodes_one_model_a_line() {
    let bodies = bodies();
    let lines: Vec<String> = bodies
        .iter()
        .map(|(_, body)| {
            serde_json::to_string(&serde_json::from_str::<serde_json::Value>(body).expect("JSON")).expect("compact")
        })
        .collect();
    let text = lines.join("\n");
    let stream = serde_json::Deserializer::from_str(&text).into_iter::<RoomRanklistResponse>();
    let decoded: Vec<RoomRanklistResponse> = stream.collect::<Result<_, _>>().expect("every line decodes");
    assert_eq!(decoded.len(), lines.len());
    for (response, line) in decoded.iter().zip(&lines) {
        let own = RoomRanklistResponse::from_slice(line.as_bytes()).expect("decodes");
        assert!(*response == own && response.to_json() == own.to_json(), "a line decodes as from_slice decodes it");
    }
}

/// A consumer's own record, holding a model beside its own fields.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Logged {
    endpoint: String,
    received_ms: u64,
    response: RoomRanklistResponse,
    previous: Option<Box<RoomRanklistResponse>>,
}

#[test]
fn a_model_inside_a_consumers_struct_round_trips() {
    for (name, body) in bodies() {
        let response = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
        let logged = Logged { endpoint: "room_ranklist".into(), received_ms: 1, response, previous: None };
        let text = serde_json::to_string(&logged).expect("encodes");
        let back: Logged = serde_json::from_str(&text).expect(&name);
        assert_eq!(back, logged, "{name}");
        let pretty = serde_json::to_string_pretty(&logged).expect("encodes");
        assert!(pretty.contains("\n  \"endpoint\""), "{name}: the pretty writer is used");
        let back: Logged = serde_json::from_str(&pretty).expect(&name);
        assert_eq!(back, logged, "{name}: through the pretty writer");
    }
}

#[test]
fn encoding_through_serde_json_writes_what_to_json_writes() {
    for (name, body) in bodies() {
        let response = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
        let through_serde = serde_json::to_vec(&response).expect("encodes");
        assert_eq!(String::from_utf8(through_serde).expect("UTF-8"), response.to_json(), "{name}");
        let value = serde_json::to_value(&response).expect("encodes");
        assert!(same_json(&value.to_string(), &body), "{name}: to_value");
        let pretty = serde_json::to_string_pretty(&response).expect("encodes");
        assert!(same_json(&pretty, &body), "{name}: pretty");
    }
}

#[test]
fn sonic_rs_and_simd_json_decode_through_serde() {
    for (name, body) in bodies() {
        let own = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
        let sonic: RoomRanklistResponse =
            sonic_rs::from_slice(body.as_bytes()).unwrap_or_else(|e| panic!("{name}: sonic-rs: {e}"));
        let mut bytes = body.clone().into_bytes();
        let simd: RoomRanklistResponse =
            simd_json::serde::from_slice(&mut bytes).unwrap_or_else(|e| panic!("{name}: simd-json: {e}"));
        for (crate_name, decoded) in [("sonic-rs", &sonic), ("simd-json", &simd)] {
            assert!(same_json(&decoded.to_json(), &body), "{name}: {crate_name}");
            assert_eq!(decoded.drift(), own.drift(), "{name}: {crate_name}");
        }
    }
}

#[test]
fn sonic_rs_and_simd_json_keep_values_of_another_kind() {
    for (name, body) in bodies() {
        let Some(body) = drifted(&body) else { continue };
        let sonic: RoomRanklistResponse = sonic_rs::from_str(&body).unwrap_or_else(|e| panic!("{name}: sonic-rs: {e}"));
        assert_eq!(sonic.drift().len(), 1, "{name}");
        let mut bytes = body.clone().into_bytes();
        let simd: RoomRanklistResponse = simd_json::serde::from_slice(&mut bytes).expect(&name);
        assert_eq!(simd.drift().len(), 1, "{name}");
    }
}

#[test]
fn the_webcast_envelope_decodes_through_every_path_too() {
    let dir = root().join("fixtures/liveroom_ranklist");
    for entry in std::fs::read_dir(dir).expect("the fixtures").flatten() {
        let body = std::fs::read_to_string(entry.path()).expect("a fixture");
        let own = LiveroomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
        let serde: LiveroomRanklistResponse = serde_json::from_str(&body).expect("decodes");
        let sonic: LiveroomRanklistResponse = sonic_rs::from_str(&body).expect("decodes");
        assert_eq!(serde, own);
        assert!(same_json(&sonic.to_json(), &body));
    }
}
