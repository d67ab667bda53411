//! Decode, encode and decode+encode of every fixture and of four large
//! responses (200 ranks, about 1 MB, built from the fixtures), with the typed
//! models and with `serde_json::Value` in the same run. The `Value` baseline
//! decodes with `serde_json::from_str` from text checked as UTF-8 once,
//! outside the measure, as the typed `from_slice` reads its body.
//!
//! Every `get_room_ranklist` input (its fixtures, the large response, the
//! large response with 1 and with 50 values of another kind than the schema
//! says, and the large response whose users carry 25 properties the schemas
//! do not know) is also measured against anchors:
//!
//! - `serde_json::Value` through `from_slice`;
//! - the typed decode through `serde_json::from_slice`, as reqwest's
//!   `.json()` and axum's `Json` call it, and through `serde_json::from_str`;
//! - the typed decode through `sonic_rs::from_slice` and
//!   `simd_json::serde::from_slice` (which parses in place: each call gets a
//!   fresh copy of the body, made outside the measure; such a row is timed
//!   call by call, so on a tiny body the clock's own cost shows in it);
//! - the typed encode through `serde_json::to_vec`, beside `to_json`;
//! - the client's path from body to model (`dylive_http::decode_body`): the
//!   decode, the envelope check on the decoded value, and the drift list
//!   when a value was kept;
//! - typify's own, lossy types for the same schemas (`lossy/`, written by
//!   `cargo xtask regen`): the cost of losslessness;
//! - a lossy serde derive reading 5 fields and skipping the rest;
//! - `sonic_rs::Value`, the speed bound of a whole tree;
//! - `serde::de::IgnoredAny`, serde_json validating only: the scan bound.
//!
//! After criterion's own report it prints one table per input: the median
//! MB/s of each case and its ratio to `serde_json::Value` and to typify's
//! lossy types, from the same samples. Each routine runs once before any
//! measuring; one that fails on an input where failing is expected (see
//! [`may_fail`]) is not measured, and its row shows `error: <message>`.
//!
//! `cargo bench -p dylive-models --bench codec [-- FILTER]`
//!
//! For a profiler, `DYLIVE_BENCH_PROFILE="large 2026 (200 ranks):decode/typed:10"`
//! runs one routine on one input that many times and measures nothing.

mod lossy;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;

use criterion::{Bencher, Criterion, SamplingMode, Throughput};
use dylive_json::Json;
use dylive_models::{Response, RoomRanklistResponse};
use serde::Deserialize;

/// A case, an operation and an implementation.
type Key = (String, &'static str, &'static str);

/// Per key: the seconds per iteration of each call, warm-up first, then
/// the samples.
static MEASURED: Mutex<BTreeMap<Key, Vec<f64>>> = Mutex::new(BTreeMap::new());

/// Per key: the message of a routine that failed when checked, and so was
/// not measured.
static FAILED: Mutex<BTreeMap<Key, String>> = Mutex::new(BTreeMap::new());

/// The endpoint whose inputs are measured against the anchors.
const ANCHORED: &str = "room_ranklist";

/// A body at least this long is sampled flat, with fewer samples.
const LARGE: usize = 100_000;

/// The rows of each table: operation, implementation, label. `× Value`
/// divides a row's rate by the rate of the same operation's `Value` row,
/// `× typify` by that of its `typify` row.
const ROWS: &[(&str, &str, &str)] = &[
    ("decode", "Value", "decode  serde_json::Value, from_str"),
    ("decode", "Value-slice", "decode  serde_json::Value, from_slice"),
    ("decode", "typed", "decode  typed, from_slice"),
    ("decode", "typed-serde", "decode  typed, serde_json::from_slice"),
    ("decode", "typed-serde-str", "decode  typed, serde_json::from_str"),
    ("decode", "typed-sonic", "decode  typed, sonic_rs::from_slice"),
    ("decode", "typed-simd", "decode  typed, simd_json::serde::from_slice (copy untimed)"),
    ("decode", "client", "decode  client path: dylive_http::decode_body"),
    ("decode", "typify", "decode  typify lossy"),
    ("decode", "five", "decode  lossy derive, 5 fields read"),
    ("decode", "sonic", "decode  sonic_rs::Value"),
    ("decode", "ignored", "decode  IgnoredAny: the scan bound"),
    ("encode", "Value", "encode  serde_json::to_vec(&Value)"),
    ("encode", "typed", "encode  typed, to_json()"),
    ("encode", "typed-serde", "encode  typed, serde_json::to_vec(&typed)"),
    ("encode", "typify", "encode  typify lossy"),
    ("decode+encode", "Value", "decode+encode  serde_json::Value, from_str"),
    ("decode+encode", "typed", "decode+encode  typed"),
    ("decode+encode", "typify", "decode+encode  typify lossy"),
];

/// Measures the routine of `key` on `prepared`. A parser that writes into
/// its input gets a fresh copy of the body before each call, outside the
/// measure, and is then timed call by call.
fn measure(b: &mut Bencher<'_>, key: Key, prepared: &Prepared<'_>) {
    let (op, imp) = (key.1, key.2);
    let mut input = Vec::new();
    b.iter_custom(|iters| {
        let elapsed = if parses_in_place(imp) {
            let mut elapsed = Duration::ZERO;
            for _ in 0..iters {
                prepared.refill(&mut input);
                let start = Instant::now();
                let _ = prepared.run(op, imp, &mut input);
                elapsed += start.elapsed();
            }
            elapsed
        } else {
            let start = Instant::now();
            for _ in 0..iters {
                let _ = prepared.run(op, imp, &mut input);
            }
            start.elapsed()
        };
        if iters > 0 {
            let mut measured = MEASURED.lock().unwrap_or_else(|e| e.into_inner());
            measured.entry(key.clone()).or_default().push(elapsed.as_secs_f64() / iters as f64);
        }
        elapsed
    });
}

struct Case {
    name: String,
    endpoint: String,
    body: Bytes,
    /// How many values of another kind than the schema says the body holds.
    drift: usize,
    /// Whether typify's lossy types read the body: not with drift, nor a
    /// real capture whose objects lack properties the fixtures always have.
    typify_reads: bool,
}

impl Case {
    /// Samples per routine: fewer for a large body, each sample then
    /// holding a few iterations.
    fn sample_size(&self) -> usize {
        if self.body.len() >= LARGE {
            20
        } else {
            100
        }
    }
}

fn cases() -> Vec<Case> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut cases = Vec::new();
    for endpoint in dylive_models::ENDPOINTS {
        let mut files: Vec<_> = std::fs::read_dir(fixtures.join(endpoint))
            .map(|dir| dir.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for file in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
            let body = std::fs::read(&file).expect("a fixture");
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            cases.push(Case {
                name: format!("{endpoint}/{stem}"),
                endpoint: (*endpoint).to_owned(),
                body: body.into(),
                drift: 0,
                typify_reads: true,
            });
        }
    }
    let large = large(&fixtures);
    cases.push(Case {
        name: "large (200 ranks)".to_owned(),
        endpoint: ANCHORED.to_owned(),
        body: large.to_json().into_bytes().into(),
        drift: 0,
        typify_reads: true,
    });
    for count in [1, 50] {
        cases.push(Case {
            name: format!("large (200 ranks), {count} drift{}", if count == 1 { "" } else { "s" }),
            endpoint: ANCHORED.to_owned(),
            body: with_drift(large.clone(), count).to_json().into_bytes().into(),
            drift: count,
            typify_reads: false,
        });
    }
    let newer = with_2026_fields(large);
    cases.push(Case {
        name: "large 2026 (200 ranks)".to_owned(),
        endpoint: ANCHORED.to_owned(),
        body: newer.to_json().into_bytes().into(),
        drift: 0,
        typify_reads: true,
    });
    // A real 200-rank list (`../shared/real-captures`, beside the
    // workspace), wrapped as `get_room_ranklist` answers, when it is there.
    let capture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/real-captures/20_ranklist_audience_online_2023-09.json");
    if let Ok(text) = std::fs::read_to_string(capture) {
        let body = format!(r#"{{"code":0,"msg":"ok","data":{text}}}"#);
        let drift = RoomRanklistResponse::from_slice(body.as_bytes()).map_or(0, |response| response.drift().len());
        cases.push(Case {
            name: "real 2023-09 (200 ranks)".to_owned(),
            endpoint: ANCHORED.to_owned(),
            body: body.into_bytes().into(),
            drift,
            typify_reads: false,
        });
    }
    cases
}

/// A room rank list of 200 ranks whose users are taken in turn from every
/// user object in the fixtures.
fn large(fixtures: &Path) -> Json<'static> {
    let room = std::fs::read_to_string(fixtures.join("room_ranklist/success.json")).expect("fixture");
    let goods = std::fs::read_to_string(fixtures.join("rank_goods/success.json")).expect("fixture");
    let mut tree = dylive_json::parse(&room).expect("JSON").into_owned();
    let goods_tree = dylive_json::parse(&goods).expect("JSON");
    let mut users = Vec::new();
    collect_users(&tree, &mut users);
    collect_users(&goods_tree, &mut users);
    let users: Vec<Json<'static>> = users.into_iter().map(Json::into_owned).collect();
    let Json::Array(items) = find(&mut tree, &["data", "data", "ranks"]) else { panic!("ranks is an array") };
    let template = items[0].clone();
    *items = (0..200)
        .map(|i| {
            let mut rank = template.clone();
            if let Json::Object(members) = &mut rank {
                for (key, value) in members.iter_mut() {
                    if key == "user" {
                        *value = users[i % users.len()].clone();
                    }
                }
            }
            rank
        })
        .collect();
    tree
}

/// Properties of a user that the schema types as integers, for
/// [`with_drift`].
const INTEGER_PROPERTIES: &[&str] = &[
    "fan_ticket_count",
    "level",
    "pay_score",
    "follow_status",
    "ticket_count",
    "create_time",
    "gender",
    "authorization_info",
];

/// `large` with `count` values of another kind than the schema says: in
/// `count` ranks spread evenly over the list, one integer property of the
/// user written as a string of the same digits (`123` becomes `"123"`),
/// taken in turn from [`INTEGER_PROPERTIES`] (the next one the user has as
/// an integer). The values depend on `count` only, so every run measures
/// the same bytes.
fn with_drift(mut tree: Json<'static>, count: usize) -> Json<'static> {
    let Json::Array(items) = find(&mut tree, &["data", "data", "ranks"]) else { panic!("ranks is an array") };
    let stride = items.len() / count;
    assert!(stride > 0, "at most one value of another kind per rank");
    for k in 0..count {
        let Json::Object(members) = &mut items[k * stride + stride / 2] else { panic!("a rank is an object") };
        let Some((_, Json::Object(user))) = members.iter_mut().find(|(key, _)| key == "user") else {
            panic!("a rank has a user")
        };
        let integer =
            |value: &Json<'_>| matches!(value, Json::Number(text) if text.bytes().all(|b| b.is_ascii_digit()));
        let index = (0..INTEGER_PROPERTIES.len())
            .map(|j| INTEGER_PROPERTIES[(k + j) % INTEGER_PROPERTIES.len()])
            .find_map(|name| user.iter().position(|(key, value)| &**key == name && integer(value)))
            .expect("every user has one of the integer properties");
        let Json::Number(digits) = &user[index].1 else { unreachable!("an integer") };
        user[index].1 = Json::String(digits.clone());
    }
    tree
}

/// `large` with 25 properties the schemas do not know added to every user,
/// as a newer API might send them: strings, integers (ids beyond 2^53 among
/// them), a boolean, arrays and nested objects. The values depend on the
/// rank only, so every run measures the same bytes.
fn with_2026_fields(mut tree: Json<'static>) -> Json<'static> {
    let Json::Array(items) = find(&mut tree, &["data", "data", "ranks"]) else { panic!("ranks is an array") };
    for (i, rank) in items.iter_mut().enumerate() {
        let Json::Object(members) = rank else { continue };
        let Some((_, Json::Object(user))) = members.iter_mut().find(|(k, _)| k == "user") else { continue };
        let text = fields_2026(i as u64);
        let Json::Object(extra) = dylive_json::parse(&text).expect("JSON").into_owned() else { panic!("an object") };
        assert!(
            extra.iter().all(|(key, _)| user.iter().all(|(known, _)| known != key)),
            "the 2026 properties are new to every user"
        );
        user.extend(extra);
    }
    tree
}

/// The 25 properties of the `i`th user, as an object's text.
fn fields_2026(i: u64) -> String {
    let id = 7_300_000_000_000_000_000 + i * 7_919_000_003;
    let room = 7_400_000_000_000_000_000 + i * 104_729;
    let open = 9_007_199_254_740_993 + i * 2;
    let level = i % 50;
    let hex: String = (0..32).map(|k| char::from(b"0123456789abcdef"[((i * 31 + k * 7) % 16) as usize])).collect();
    format!(
        r##"{{
  "open_id": "_000{hex}",
  "union_id": {open},
  "live_room_id_v2": {room},
  "ws_user_id": {id},
  "max_bid_gift_id": {max_gift},
  "ip_location": "IP属地：广东",
  "region_code": "CN-{region}",
  "is_live_anchor": {anchor},
  "fans_level_v2": {level},
  "account_tier": {tier},
  "last_live_at": {last_live},
  "gift_wall_score": {gift_score},
  "interest_tags": ["音乐", "游戏", "tag-{level}"],
  "honor_wall": {{"count": 3, "score": {honor}, "badges": [{{"id": {badge}, "name": "年度守护", "level": {level}}}, {{"id": {badge2}, "name": "连续打卡"}}]}},
  "ecom_entrance": {{"show": true, "url": "https://example.invalid/shop/{i}", "style": 2}},
  "sub_level": {{"level": {sub}, "name": "黄金会员", "expire_at": {expire}}},
  "verify_v2": {{"type": 0, "reason": "", "icon": {{"uri": "verify_{tier}", "width": 24, "height": 24}}}},
  "cover_theme": "dark",
  "signature_lang": "zh-Hans",
  "room_stats_token": "{hex}{hex}",
  "follow_status_v2": {follow},
  "age_range_v2": {age},
  "avatar_frame": {{"uri": "frame_{tier}", "url_list": ["https://example.invalid/frame/{tier}.png"], "avg_color": "#3A2F1C"}},
  "nickname_color": "#{color:06X}",
  "medal_count": {medals}
}}"##,
        max_gift = 6_919_377_588_314_327_816u64 + i,
        region = 100 + i % 30,
        anchor = i.is_multiple_of(7),
        tier = i % 5,
        last_live = 1_767_225_600 + i * 3_600,
        gift_score = i * 1_337 % 100_000,
        honor = i * 97 % 10_000,
        badge = 7_200_000_000_000_000_001u64 + i,
        badge2 = 7_200_000_000_100_000_001u64 + i,
        sub = i % 4,
        expire = 1_798_761_600 + i,
        follow = i % 3,
        age = i % 6,
        color = (i * 2_654_435_761) % 0x0100_0000,
        medals = i % 12,
    )
}

fn collect_users<'a>(value: &Json<'a>, out: &mut Vec<Json<'a>>) {
    match value {
        Json::Object(members) => {
            for (key, value) in members {
                if key == "user" {
                    out.push(value.clone());
                }
                collect_users(value, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|item| collect_users(item, out)),
        _ => {}
    }
}

fn find<'t, 'a>(value: &'t mut Json<'a>, path: &[&str]) -> &'t mut Json<'a> {
    path.iter().fold(value, |node, step| match node {
        Json::Object(members) => &mut members.iter_mut().find(|(k, _)| k == step).expect("the path exists").1,
        _ => panic!("{step}: not an object"),
    })
}

/// A lossy reader of a rank list that keeps 5 fields of each rank (its
/// place, its score, and its user's id, nickname and display id) and skips
/// everything else.
#[derive(Deserialize)]
struct FiveResponse {
    data: Option<FiveData>,
}

#[derive(Deserialize)]
struct FiveData {
    data: Option<FiveList>,
}

#[derive(Deserialize)]
struct FiveList {
    #[serde(default)]
    ranks: Vec<FiveRank>,
}

#[derive(Deserialize)]
struct FiveRank {
    rank: Option<i64>,
    score: Option<i64>,
    user: Option<FiveUser>,
}

#[derive(Deserialize)]
struct FiveUser {
    id: Option<u64>,
    nickname: Option<String>,
    display_id: Option<String>,
}

impl FiveResponse {
    /// How many of the 5 fields are present, over all ranks.
    fn fields_read(&self) -> usize {
        let ranks = self.data.as_ref().and_then(|d| d.data.as_ref()).map(|l| l.ranks.as_slice()).unwrap_or_default();
        ranks
            .iter()
            .map(|r| {
                let user = r.user.as_ref();
                [
                    r.rank.is_some(),
                    r.score.is_some(),
                    user.is_some_and(|u| u.id.is_some()),
                    user.is_some_and(|u| u.nickname.is_some()),
                    user.is_some_and(|u| u.display_id.is_some()),
                ]
                .into_iter()
                .filter(|present| *present)
                .count()
            })
            .sum()
    }
}

/// What the client does with a 2xx body, through the function the client
/// runs: refuse an empty one, decode, read the API's own failure report from
/// the decoded value, and list the drift only when a value was kept.
fn client_path(body: &Bytes) -> Option<RoomRanklistResponse> {
    let endpoint = &dylive_client::RoomRanklistRequest::ENDPOINT;
    dylive_http::decode_body::<RoomRanklistResponse>(endpoint, false, "http://127.0.0.1/bench", 200, body).ok()
}

/// Checks, before measuring, that every implementation reads `case` as
/// expected, so that no case measures a failure: the typed models keep
/// every value of another kind, through their own `from_slice` and through
/// serde_json alike, and typify's types read a body without any.
fn check_anchors(case: &Case) {
    let body = &case.body[..];
    let typed = RoomRanklistResponse::from_slice(body).expect("decodes");
    assert_eq!(typed.drift().len(), case.drift, "{}: the values of another kind", case.name);
    let through_serde: RoomRanklistResponse = serde_json::from_slice(body).expect("decodes through serde_json");
    assert_eq!(through_serde.to_json(), typed.to_json(), "{}: both paths agree", case.name);
    let through_str: RoomRanklistResponse =
        serde_json::from_str(std::str::from_utf8(body).expect("UTF-8")).expect("decodes through serde_json");
    assert_eq!(through_str, through_serde, "{}: from_str and from_slice agree", case.name);
    if case.typify_reads {
        let lossy: lossy::RoomRanklistResponse = serde_json::from_slice(body).expect("typify's types decode it");
        assert!(serde_json::to_vec(&lossy).is_ok());
    }
    let ranks = typed.data().and_then(|d| d.data()).map(|l| l.ranks()).unwrap_or_default();
    let five: FiveResponse = serde_json::from_slice(body).expect("the 5-field reader decodes it");
    assert!(five.fields_read() <= 5 * ranks.len());
    assert!(ranks.is_empty() || five.fields_read() > 0, "{}: the 5-field reader reads", case.name);
    sonic_rs::from_slice::<sonic_rs::Value>(body).expect("sonic-rs reads it");
    let failed = dylive_http::api_failure(body, dylive_client::RoomRanklistRequest::ENDPOINT.checks).is_some();
    assert_eq!(client_path(&case.body).is_some(), !failed, "{}: the client path decodes a success", case.name);
    if case.name.contains("2026") {
        for rank in ranks {
            let unknown = rank.user().map_or(0, |user| user.unknown_fields.len());
            assert!(unknown >= 25, "{}: each user keeps the 2026 properties, found {unknown}", case.name);
        }
    }
}

/// Whether the routine `imp` may fail on a body, its row then showing the
/// error instead of a rate: only typify's types, on a body they do not read
/// (`typify_reads` false: values of another kind, or a real capture). Any
/// other failure, the typed models through sonic-rs and simd-json included,
/// stops the bench.
fn may_fail(imp: &str, typify_reads: bool) -> bool {
    !typify_reads && imp == "typify"
}

/// Whether the routine `imp` parses in place, and so needs a fresh copy of
/// the body for each call ([`Prepared::refill`]).
fn parses_in_place(imp: &str) -> bool {
    imp == "typed-simd"
}

/// The end of a routine: the value is dropped, an error becomes its message.
fn done<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<(), String> {
    match result {
        Ok(value) => {
            drop(black_box(value));
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}

/// A case decoded once by each implementation, for the encode routines.
struct Prepared<'c> {
    case: &'c Case,
    /// The body as text, checked as UTF-8 once.
    text: &'c str,
    typed: Response,
    value: serde_json::Value,
    /// For the anchored endpoint, the typed response and typify's decode
    /// of it (or why that failed).
    room: Option<RoomRanklistResponse>,
    lossy: Option<Result<lossy::RoomRanklistResponse, String>>,
    /// The routines that failed when checked, with their messages.
    failed: Vec<(&'static str, &'static str, String)>,
}

impl<'c> Prepared<'c> {
    /// Decodes `case` for the encode routines, and runs every routine once.
    ///
    /// # Panics
    ///
    /// When a routine fails that [`may_fail`] does not allow to.
    fn new(case: &'c Case) -> Self {
        let anchored = case.endpoint == ANCHORED;
        if anchored {
            check_anchors(case);
        }
        let mut prepared = Prepared {
            case,
            text: std::str::from_utf8(&case.body).expect("UTF-8"),
            typed: Response::decode(&case.endpoint, &case.body).expect("known endpoint").expect("decodes"),
            value: serde_json::from_slice(&case.body).expect("JSON"),
            room: anchored.then(|| RoomRanklistResponse::from_slice(&case.body).expect("checked")),
            lossy: anchored.then(|| serde_json::from_slice(&case.body).map_err(|error| error.to_string())),
            failed: Vec::new(),
        };
        let mut input = Vec::new();
        let failed: Vec<_> = prepared
            .candidates()
            .filter_map(|(op, imp)| {
                prepared.refill(&mut input);
                let error = prepared.run(op, imp, &mut input).err()?;
                assert!(may_fail(imp, case.typify_reads), "{}: {op}/{imp} fails: {error}", case.name);
                Some((op, imp, error))
            })
            .collect();
        prepared.failed = failed;
        prepared
    }

    /// The rows of [`ROWS`] that apply to this case.
    fn candidates(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        let anchored = self.room.is_some();
        ROWS.iter()
            .map(|(op, imp, _)| (*op, *imp))
            .filter(move |(_, imp)| anchored || matches!(*imp, "Value" | "typed"))
    }

    /// The rows of [`ROWS`] measured for this case: those that apply and
    /// did not fail.
    fn rows(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.candidates().filter(|(op, imp)| !self.failed.iter().any(|(o, i, _)| (o, i) == (op, imp)))
    }

    /// Makes `input` a copy of the body, for a parser that writes into it.
    fn refill(&self, input: &mut Vec<u8>) {
        input.clear();
        input.extend_from_slice(&self.case.body);
    }

    /// One call of the routine `op`/`imp`, or its error's message; `input`
    /// is the copy of the body for a parser that writes into it.
    fn run(&self, op: &str, imp: &str, input: &mut [u8]) -> Result<(), String> {
        let bytes = black_box(&self.case.body);
        let body = &bytes[..];
        let text = black_box(self.text);
        let room = || self.room.as_ref().ok_or_else(|| format!("{}: not {ANCHORED}", self.case.name));
        let lossy = || match &self.lossy {
            Some(Ok(lossy)) => Ok(lossy),
            Some(Err(error)) => Err(format!("typify's types do not decode it: {error}")),
            None => Err(format!("{}: not {ANCHORED}", self.case.name)),
        };
        match (op, imp) {
            ("decode", "Value") => done(serde_json::from_str::<serde_json::Value>(text)),
            ("decode", "Value-slice") => done(serde_json::from_slice::<serde_json::Value>(body)),
            ("decode", "typed") => match Response::decode(&self.case.endpoint, body) {
                Some(decoded) => done(decoded),
                None => Err(format!("{}: an unknown endpoint", self.case.endpoint)),
            },
            ("decode", "typed-serde") => done(serde_json::from_slice::<RoomRanklistResponse>(body)),
            ("decode", "typed-serde-str") => done(serde_json::from_str::<RoomRanklistResponse>(text)),
            ("decode", "typed-sonic") => done(sonic_rs::from_slice::<RoomRanklistResponse>(body)),
            ("decode", "typed-simd") => done(simd_json::serde::from_slice::<RoomRanklistResponse>(black_box(input))),
            // An API failure is an outcome of the client path, not an error.
            ("decode", "client") => done(Ok::<_, String>(client_path(bytes))),
            ("decode", "typify") => done(serde_json::from_slice::<lossy::RoomRanklistResponse>(body)),
            ("decode", "five") => done(serde_json::from_slice::<FiveResponse>(body)),
            ("decode", "sonic") => done(sonic_rs::from_slice::<sonic_rs::Value>(body)),
            ("decode", "ignored") => done(serde_json::from_slice::<serde::de::IgnoredAny>(body)),
            ("encode", "Value") => done(serde_json::to_vec(&self.value)),
            ("encode", "typed") => done(Ok::<_, String>(self.typed.to_json())),
            ("encode", "typed-serde") => done(room().map(serde_json::to_vec)?),
            ("encode", "typify") => done(lossy().map(serde_json::to_vec)?),
            ("decode+encode", "Value") => {
                done(serde_json::from_str::<serde_json::Value>(text).and_then(|v| serde_json::to_vec(&v)))
            }
            ("decode+encode", "typed") => match Response::decode(&self.case.endpoint, body) {
                Some(decoded) => done(decoded.map(|r| r.to_json())),
                None => Err(format!("{}: an unknown endpoint", self.case.endpoint)),
            },
            ("decode+encode", "typify") => {
                done(serde_json::from_slice::<lossy::RoomRanklistResponse>(body).and_then(|v| serde_json::to_vec(&v)))
            }
            _ => panic!("no routine {op}/{imp}"),
        }
    }
}

fn bench(c: &mut Criterion, cases: &[Case]) {
    for case in cases {
        let prepared = Prepared::new(case);
        {
            let mut failed = FAILED.lock().unwrap_or_else(|e| e.into_inner());
            for (op, imp, error) in &prepared.failed {
                failed.insert((case.name.clone(), op, imp), error.clone());
            }
        }
        let mut group = c.benchmark_group(case.name.as_str());
        group.throughput(Throughput::Bytes(case.body.len() as u64));
        group.sample_size(case.sample_size());
        if case.body.len() >= LARGE {
            group.sampling_mode(SamplingMode::Flat);
        }
        for (op, imp) in prepared.rows() {
            group.bench_function(format!("{op}/{imp}"), |b| measure(b, (case.name.clone(), op, imp), &prepared));
        }
        group.finish();
    }
}

/// Runs one routine `times` times on one case and nothing else, for a
/// profiler: `valgrind --tool=callgrind --toggle-collect='codec::profiled'`.
/// A parser that writes into its input copies the body before each call,
/// here inside the loop.
#[inline(never)]
fn profiled(prepared: &Prepared<'_>, op: &str, imp: &str, times: u32) {
    let mut input = Vec::new();
    for _ in 0..times {
        if parses_in_place(imp) {
            prepared.refill(&mut input);
        }
        let _ = prepared.run(op, imp, &mut input);
    }
}

fn median(samples: &[f64]) -> Option<f64> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[mid]),
        _ => Some((sorted[mid - 1] + sorted[mid]) / 2.0),
    }
}

fn report(cases: &[Case]) {
    let measured = MEASURED.lock().unwrap_or_else(|e| e.into_inner());
    let failed = FAILED.lock().unwrap_or_else(|e| e.into_inner());
    for case in cases {
        let rate = |op: &'static str, imp: &'static str| {
            let calls = measured.get(&(case.name.clone(), op, imp))?;
            let seconds = median(&calls[calls.len().saturating_sub(case.sample_size())..])?;
            Some(case.body.len() as f64 / seconds / 1e6)
        };
        if !ROWS.iter().any(|(op, imp, _)| rate(op, imp).is_some()) {
            continue;
        }
        println!("\n{} ({} bytes)", case.name, case.body.len());
        println!("  {:<60} {:>10} {:>8} {:>9}", "case", "MB/s", "× Value", "× typify");
        for (op, imp, label) in ROWS {
            if let Some(mbps) = rate(op, imp) {
                let ratio = |imp| match rate(op, imp) {
                    Some(base) => format!("{:.2}", mbps / base),
                    None => "-".to_owned(),
                };
                println!("  {:<60} {:>10.1} {:>8} {:>9}", label, mbps, ratio("Value"), ratio("typify"));
            } else if let Some(error) = failed.get(&(case.name.clone(), op, imp)) {
                // One line: sonic-rs, for one, quotes the text around the error on lines of its own.
                let error = error.split_whitespace().collect::<Vec<_>>().join(" ");
                println!("  {label:<60} error: {error}");
            }
        }
    }
}

fn main() {
    let cases = cases();
    // `DYLIVE_BENCH_PROFILE="large 2026 (200 ranks):decode/typed:10"` runs
    // that routine only, that many times, outside criterion.
    if let Ok(spec) = std::env::var("DYLIVE_BENCH_PROFILE") {
        let mut parts = spec.rsplitn(3, ':');
        let (times, routine, name) = (parts.next(), parts.next(), parts.next());
        let times: u32 = times.and_then(|t| t.parse().ok()).expect("NAME:OP/IMP:TIMES");
        let (op, imp) = routine.and_then(|r| r.split_once('/')).expect("NAME:OP/IMP:TIMES");
        let case = cases.iter().find(|c| Some(c.name.as_str()) == name).expect("a case of that name");
        let prepared = Prepared::new(case);
        // A routine that fails on the case (its row shows `error:`) runs up
        // to its failure.
        let (op, imp) = prepared.candidates().find(|row| *row == (op, imp)).expect("a routine for that case");
        profiled(&prepared, op, imp, times);
        return;
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut criterion, &cases);
    criterion.final_summary();
    report(&cases);
}
