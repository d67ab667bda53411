//! Every fixture under `fixtures/<endpoint>/` decodes into its endpoint's
//! type and encodes back to the same JSON, checked by the strict comparator.
//! A new fixture file is a new snapshot; no code changes. Every fixture fits
//! its schema: nothing in it is of another kind than the schema says.

use std::fmt::Write as _;
use std::path::Path;

use dylive_models::{
    DecodeError, Field, Int, LiveroomInfoResponse, LiveroomRanklistResponse, RankAllResponse, RankGoodsResponse,
    Response, RoomRanklistResponse, ENDPOINTS,
};

#[test]
fn every_fixture_round_trips_losslessly() {
    insta::glob!("../../../fixtures", "*/*.json", |path| {
        insta::assert_snapshot!(report(path));
    });
}

/// Every fixture decodes in the default mode with an empty drift list, and
/// strict decoding and the plain serde path give the same value.
#[test]
fn every_fixture_decodes_without_drift() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut checked = 0;
    for endpoint in ENDPOINTS {
        let Ok(files) = std::fs::read_dir(root.join(endpoint)) else { continue };
        for path in files.flatten().map(|entry| entry.path()) {
            if path.extension().is_none_or(|ext| ext != "json") {
                continue;
            }
            let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let response = Response::decode(endpoint, &body)
                .expect("a known endpoint")
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let drift: Vec<String> = response.drift().iter().map(ToString::to_string).collect();
            assert!(drift.is_empty(), "{}: {drift:#?}", path.display());
            let strict = strict(endpoint, &body).unwrap_or_else(|e| panic!("{}: strict: {e}", path.display()));
            assert_eq!(strict, response, "{}: strict decoding gives another value", path.display());
            let plain = plain(endpoint, &body).unwrap_or_else(|e| panic!("{}: serde_json: {e}", path.display()));
            assert_eq!(plain, response, "{}: the plain serde path gives another value", path.display());
            checked += 1;
        }
    }
    assert!(checked >= ENDPOINTS.len(), "only {checked} fixtures found under {}", root.display());
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

/// Decodes `body` as a response of `endpoint` with `serde_json::from_slice`.
fn plain(endpoint: &str, body: &[u8]) -> Result<Response, serde_json::Error> {
    Ok(match endpoint {
        "room_ranklist" => Response::RoomRanklist(serde_json::from_slice(body)?),
        "rank_goods" => Response::RankGoods(serde_json::from_slice(body)?),
        "liveroom_ranklist" => Response::LiveroomRanklist(serde_json::from_slice(body)?),
        "rank_all" => Response::RankAll(serde_json::from_slice(body)?),
        "liveroom_info" => Response::LiveroomInfo(serde_json::from_slice(body)?),
        other => panic!("no plain decoding for {other}: add the endpoint here"),
    })
}

/// The round-trip verdict and a readable summary of the typed view.
fn report(path: &Path) -> String {
    let endpoint = path.parent().and_then(Path::file_name).and_then(|name| name.to_str()).unwrap_or_default();
    let body = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let response = Response::decode(endpoint, body.as_bytes())
        .unwrap_or_else(|| panic!("fixtures/{endpoint}: no such endpoint; known: {ENDPOINTS:?}"))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let encoded = response.to_json();
    let differences = dylive_json::diff(&body, &encoded).expect("both sides are JSON");
    assert!(
        differences.is_empty(),
        "{}: {} difference(s) after the round-trip:\n{}",
        path.display(),
        differences.len(),
        differences.iter().map(|d| format!("  {d}\n")).collect::<String>()
    );
    let values = count_values(&dylive_json::parse(&body).expect("JSON"));

    let mut out = format!("endpoint: {endpoint}\nround-trip: lossless ({values} values compared, 0 differences)\n");
    summarise(&response, &mut out);
    out
}

fn count_values(value: &dylive_json::Json<'_>) -> usize {
    1 + match value {
        dylive_json::Json::Array(items) => items.iter().map(count_values).sum(),
        dylive_json::Json::Object(members) => members.iter().map(|(_, v)| count_values(v)).sum(),
        _ => 0,
    }
}

fn show<T: ToString>(field: &Field<T>) -> String {
    match field {
        Field::Absent => "(absent)".to_owned(),
        Field::Null => "null".to_owned(),
        Field::Value(value) => value.to_string(),
        Field::Other(raw) => format!("(another kind: {raw})"),
    }
}

fn level(field: &Field<Box<dylive_models::PayGrade>>) -> String {
    field.get().map_or_else(|| "(absent)".to_owned(), |grade| show(&grade.level))
}

fn summarise(response: &Response, out: &mut String) {
    match response {
        Response::RoomRanklist(response) => {
            let code = response.code.as_ref().map(|code| match code {
                dylive_models::ApiCode::Integer(value) => value.to_string(),
                dylive_models::ApiCode::String(value) => format!("{value:?}"),
                other => format!("{other:?}"),
            });
            let _ = writeln!(out, "code: {}  msg: {}", show(&code), show(&response.msg));
            let _ = writeln!(out, "data: {}", if response.data.is_null() { "null" } else { "present" });
            room_ranks(response.data.get().and_then(|data| data.data.as_deref()), out);
        }
        Response::LiveroomRanklist(response) => {
            let _ = writeln!(out, "code: {}  msg: {}", show(&response.code), show(&response.msg));
            room_ranks(response.data.get().and_then(|data| data.data.as_deref()), out);
        }
        Response::RankGoods(response) => {
            let _ = writeln!(out, "status_code: {}", show(&response.status_code));
            let now = response.extra.get().map(|extra| show(&extra.now));
            let _ = writeln!(out, "extra.now: {}", now.unwrap_or_default());
            hourly(response.data.as_deref(), out);
        }
        Response::RankAll(response) => {
            let _ = writeln!(out, "code: {}  msg: {}", show(&response.code), show(&response.msg));
            hourly(response.data.get().and_then(|data| data.data.as_deref()), out);
        }
        Response::LiveroomInfo(response) => {
            let _ = writeln!(out, "code: {}  msg: {}", show(&response.code), show(&response.msg));
            if let Some(room) = response.data.get().and_then(|data| data.data.get()) {
                let owner = room.owner.get().map(|owner| show(&owner.nickname));
                let _ = writeln!(
                    out,
                    "room {}: {}  owner {}",
                    show(&room.id_str),
                    show(&room.title),
                    owner.unwrap_or_default()
                );
                let _ = writeln!(out, "  status {}  user_count {}", show(&room.status), show(&room.user_count));
                if let Some(stats) = room.stats.get() {
                    let _ = writeln!(
                        out,
                        "  stats: likes {}  follows {}",
                        show(&stats.like_count),
                        show(&stats.follow_count)
                    );
                }
            }
        }
        other => {
            let _ = writeln!(out, "endpoint {}", other.endpoint());
        }
    }
}

fn room_ranks(list: Option<&dylive_models::RoomRanklist>, out: &mut String) {
    for rank in list.map(|list| list.ranks.items()).unwrap_or_default() {
        let user = rank.user.get();
        let _ = writeln!(
            out,
            "  rank {}  score {}  delta {}  {}  pay level {}  badges {}",
            show(&rank.rank),
            show(&rank.score),
            show(&rank.delta),
            user.map_or_else(String::new, |u| show(&u.nickname)),
            user.map_or_else(String::new, |u| level(&u.pay_grade)),
            user.map_or(0, |u| u.badge_image_list_v2.items().len()),
        );
    }
}

fn hourly(list: Option<&dylive_models::HourlyRanklist>, out: &mut String) {
    let Some(data) = list else { return };
    let _ = writeln!(out, "{} / {}", show(&data.title), show(&data.subtitle));
    let anchor = data.anchor_info.as_deref().into_iter();
    for (label, rank) in data.ranks.items().iter().map(|r| ("rank", r)).chain(anchor.map(|r| ("anchor", r))) {
        let user = rank.user.get();
        let rooms: Vec<String> = user
            .and_then(|u| u.own_room.get())
            .map(|room| room.room_ids.items().iter().map(Int::to_string).collect())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {label} {}  score {}  {}  rooms {:?}  tags {:?}",
            show(&rank.rank),
            show(&rank.score),
            user.map_or_else(String::new, |u| show(&u.nickname)),
            rooms,
            rank.shop_tags.items(),
        );
    }
}

/// The public types of the crate, so that a rename shows up in review.
#[test]
fn public_type_names() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut names = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&src).expect("src/").flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        let module = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        for line in text.lines() {
            for kind in ["pub struct ", "pub enum "] {
                if let Some(rest) = line.strip_prefix(kind) {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    names.push(format!("{module}::{name} ({})", kind.trim_start_matches("pub ").trim()));
                }
            }
        }
    }
    insta::assert_snapshot!(names.join("\n"));
}
