//! What a service fits around the client, against real HTTP servers on
//! 127.0.0.1: its own `reqwest::Client`, hooks on every attempt, options of
//! one call, a retry budget shared by clones, drift reported to a hook,
//! compressed responses (and a compression bomb refused), and the `Api`
//! trait with a test double.

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use dylive_client::*;

const TOKEN: &str = "tok-seams";

const SUCCESS: &str = include_str!("../../../fixtures/room_ranklist/success.json");

/// Serves `router` on an ephemeral port of 127.0.0.1; returns the base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("the server runs") });
    format!("http://{address}")
}

fn request() -> RoomRanklistRequest {
    RoomRanklistRequest::new("wcid", "7107858435835808546")
}

/// A room-ranklist response with `ranks` copies of the fixture's first rank.
fn large_body(ranks: usize) -> String {
    let mut body = dylive_json::parse(SUCCESS).expect("the fixture is JSON").into_owned();
    let first = body.pointer("/data/data/ranks/0").expect("a rank").clone();
    let list = body.pointer_mut("/data/data/ranks").expect("ranks");
    *list = dylive_json::Json::Array(vec![first; ranks]);
    body.to_json()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

/// Answers every request with `body`, compressed as the request's
/// `Accept-Encoding` asks first (gzip, br or zstd), counting the bytes sent.
#[derive(Clone)]
struct Compressing {
    body: Arc<String>,
    sent: Arc<AtomicUsize>,
    encodings: Arc<Mutex<Vec<String>>>,
}

async fn compressing(State(state): State<Compressing>, headers: HeaderMap) -> Response {
    let asked = headers.get("accept-encoding").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    state.encodings.lock().expect("not poisoned").push(asked.clone());
    let plain = state.body.as_bytes();
    let (encoding, bytes) = match asked.split(',').map(str::trim).next().unwrap_or_default() {
        "gzip" => (Some("gzip"), gzip(plain)),
        "br" => {
            let mut out = Vec::new();
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            writer.write_all(plain).expect("in memory");
            drop(writer);
            (Some("br"), out)
        }
        "zstd" => (Some("zstd"), zstd::encode_all(plain, 3).expect("in memory")),
        _ => (None, plain.to_vec()),
    };
    state.sent.fetch_add(bytes.len(), Ordering::Relaxed);
    let mut response = (StatusCode::OK, [("content-type", "application/json")], bytes).into_response();
    if let Some(encoding) = encoding {
        response.headers_mut().insert("content-encoding", encoding.parse().expect("a header value"));
    }
    response
}

async fn compressing_server(body: String) -> (String, Compressing) {
    let state = Compressing {
        body: Arc::new(body),
        sent: Arc::new(AtomicUsize::new(0)),
        encodings: Arc::new(Mutex::new(Vec::new())),
    };
    let router = Router::new().route("/dy/live/get_room_ranklist", post(compressing)).with_state(state.clone());
    (serve(router).await, state)
}

#[tokio::test]
async fn compressed_responses_decode_to_the_same_value_with_fewer_bytes_on_the_wire() {
    let body = large_body(200);
    let (base, server) = compressing_server(body.clone()).await;
    let plain_http = reqwest::Client::builder().no_gzip().no_brotli().no_zstd().build().expect("a client");
    let plain = Client::with_config(ClientConfig::new(&base, TOKEN).with_http_client(plain_http)).expect("a client");
    let identity = plain.room_ranklist(&request()).await.expect("decodes");
    let identity_bytes = server.sent.swap(0, Ordering::Relaxed);
    assert_eq!(identity_bytes, body.len());

    let client = Client::new(&base, TOKEN).expect("a client");
    let compressed = client.room_ranklist(&request()).await.expect("decodes");
    let compressed_bytes = server.sent.load(Ordering::Relaxed);
    let asked = server.encodings.lock().expect("not poisoned").last().cloned().unwrap_or_default();
    for encoding in ["gzip", "br", "zstd"] {
        assert!(asked.contains(encoding), "Accept-Encoding: {asked}");
    }
    assert_eq!(*compressed, *identity, "the same value");
    assert_eq!(compressed.body(), identity.body(), "the body kept is the decoded text");
    assert!(compressed_bytes * 5 < identity_bytes, "{compressed_bytes} bytes compressed, {identity_bytes} plain");
    println!("200 ranks: {identity_bytes} bytes plain; Accept-Encoding: {asked}");

    for encoding in ["gzip", "br", "zstd"] {
        let mut headers = HeaderMap::new();
        headers.insert("accept-encoding", encoding.parse().expect("a header value"));
        let http = reqwest::Client::builder().default_headers(headers).build().expect("a client");
        let client = Client::with_config(ClientConfig::new(&base, TOKEN).with_http_client(http)).expect("a client");
        let before = server.sent.load(Ordering::Relaxed);
        let response = client.room_ranklist(&request()).await.expect("decodes");
        assert_eq!(*response, *identity, "{encoding}");
        let sent = server.sent.load(Ordering::Relaxed) - before;
        assert!(sent * 5 < identity_bytes, "{encoding}: {sent} bytes");
        let asked = server.encodings.lock().expect("not poisoned").last().cloned().unwrap_or_default();
        assert_eq!(asked, encoding, "the service client's Accept-Encoding");
        println!("{encoding}: {sent} bytes");
    }
}

#[tokio::test]
async fn a_compression_bomb_is_refused_at_the_limit_of_decompressed_bytes() {
    let zeros = vec![b' '; 16 << 20];
    let bomb = Arc::new(gzip(&zeros));
    assert!(bomb.len() < 64 << 10, "{} bytes compressed", bomb.len());
    let router = Router::new().route(
        "/dy/live/get_room_ranklist",
        post(move || {
            let bomb = bomb.clone();
            async move { ([("content-encoding", "gzip"), ("content-type", "application/json")], bomb.to_vec()) }
        }),
    );
    let base = serve(router).await;
    let config = ClientConfig::new(&base, TOKEN).with_max_body_bytes(1 << 20).with_retry(RetryPolicy::none());
    let client = Client::with_config(config).expect("a client");
    let error = client.room_ranklist(&request()).await.expect_err("too large once decompressed");
    assert!(matches!(error, Error::BodyTooLarge { limit, .. } if limit == 1 << 20), "{error:?}");
}

/// Records every hook call.
#[derive(Debug, Default)]
struct Recorder {
    before: Mutex<Vec<(String, u32)>>,
    after: Mutex<Vec<AttemptOutcome>>,
    drift: Mutex<Vec<DriftEvent>>,
}

impl Hooks for Recorder {
    fn before_attempt(&self, attempt: &Attempt, headers: &mut header::HeaderMap) {
        headers.insert("x-attempt", attempt.number.to_string().parse().expect("a header value"));
        self.before.lock().expect("not poisoned").push((attempt.endpoint.to_owned(), attempt.number));
    }

    fn after_attempt(&self, outcome: &AttemptOutcome) {
        self.after.lock().expect("not poisoned").push(outcome.clone());
    }

    fn on_drift(&self, drift: &DriftEvent) {
        self.drift.lock().expect("not poisoned").push(drift.clone());
    }
}

/// The `x-attempt` and `x-tenant` headers of each request.
type Seen = Arc<Mutex<Vec<(Option<String>, Option<String>)>>>;

/// Answers 503 to the first `failures` requests, then `body`; records the
/// `x-attempt` and `x-tenant` headers it sees.
#[derive(Clone)]
struct Flaky {
    failures: usize,
    body: Arc<String>,
    seen: Seen,
}

async fn flaky(State(state): State<Flaky>, headers: HeaderMap) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut seen = state.seen.lock().expect("not poisoned");
    seen.push((header("x-attempt"), header("x-tenant")));
    if seen.len() <= state.failures {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    }
    ([("content-type", "application/json")], state.body.to_string()).into_response()
}

async fn flaky_server(failures: usize, body: &str) -> (String, Flaky) {
    let state = Flaky { failures, body: Arc::new(body.to_owned()), seen: Arc::new(Mutex::new(Vec::new())) };
    let router = Router::new()
        .route("/dy/live/get_room_ranklist", post(flaky))
        .route("/douyin/webcast/rank_goods", get(flaky))
        .with_state(state.clone());
    (serve(router).await, state)
}

fn quick_retries(retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(retries)
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(2))
}

#[tokio::test]
async fn hooks_see_every_attempt_and_a_service_client_brings_its_headers() {
    let (base, server) = flaky_server(2, SUCCESS).await;
    let mut headers = header::HeaderMap::new();
    headers.insert("x-tenant", header::HeaderValue::from_static("blue"));
    let http = reqwest::Client::builder().default_headers(headers).build().expect("a client");
    let recorder = Arc::new(Recorder::default());
    let config = ClientConfig::new(&base, TOKEN)
        .with_http_client(http)
        .with_retry(quick_retries(3))
        .with_hooks(recorder.clone());
    let client = Client::with_config(config).expect("a client");
    let response = client.room_ranklist(&request()).await.expect("the third attempt succeeds");
    assert_eq!(response.status(), 200);

    let seen = server.seen.lock().expect("not poisoned").clone();
    let expected: Vec<(Option<String>, Option<String>)> =
        (1..=3).map(|n| (Some(n.to_string()), Some("blue".to_owned()))).collect();
    assert_eq!(seen, expected, "the hook's header and the service client's default header on every attempt");
    let before = recorder.before.lock().expect("not poisoned").clone();
    assert_eq!(
        before,
        [("room_ranklist".to_owned(), 1), ("room_ranklist".to_owned(), 2), ("room_ranklist".to_owned(), 3)]
    );
    let after = recorder.after.lock().expect("not poisoned").clone();
    let summary: Vec<(u32, Option<u16>, Option<&str>)> = after.iter().map(|o| (o.number, o.status, o.error)).collect();
    assert_eq!(summary, [(1, Some(503), Some("status")), (2, Some(503), Some("status")), (3, Some(200), None)]);
    assert!(after.iter().all(|o| o.endpoint == "room_ranklist" && o.latency < Duration::from_secs(5)));
}

#[tokio::test]
async fn per_call_options_override_retries_timeout_and_strictness() {
    let (base, server) = flaky_server(1, SUCCESS).await;
    let client = Client::with_config(ClientConfig::new(&base, TOKEN).with_retry(quick_retries(3))).expect("a client");
    let options = CallOptions::default().with_retry(RetryPolicy::none());
    let error = client.room_ranklist_with(&request(), &options).await.expect_err("no retry for this call");
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.seen.lock().expect("not poisoned").len(), 1);
    client.room_ranklist(&request()).await.expect("the client's own retries are unchanged");

    let drifted = SUCCESS.replacen("\"rank\":1", "\"rank\":\"1\"", 1).replacen("\"rank\": 1", "\"rank\": \"1\"", 1);
    assert_ne!(drifted, SUCCESS, "the fixture has a rank 1");
    let (base, _) = flaky_server(0, &drifted).await;
    let recorder = Arc::new(Recorder::default());
    let client = Client::with_config(ClientConfig::new(&base, TOKEN).with_hooks(recorder.clone())).expect("a client");
    let kept = client.room_ranklist(&request()).await.expect("kept by default");
    assert_eq!(kept.drift().len(), 1);
    let drift = recorder.drift.lock().expect("not poisoned").clone();
    assert_eq!(drift.len(), 1, "one event per drifted response");
    assert_eq!(
        (drift[0].endpoint, drift[0].count, drift[0].first.as_str()),
        ("room_ranklist", 1, "/data/data/ranks/0/rank")
    );
    let strict = client.room_ranklist_with(&request(), &CallOptions::default().with_strict(true)).await;
    assert!(matches!(strict, Err(Error::Decode { .. })), "{strict:?}");

    let slow = Router::new().route(
        "/dy/live/get_room_ranklist",
        post(|| async {
            tokio::time::sleep(Duration::from_secs(2)).await;
            SUCCESS
        }),
    );
    let base = serve(slow).await;
    let client =
        Client::with_config(ClientConfig::new(&base, TOKEN).with_retry(RetryPolicy::none())).expect("a client");
    let started = Instant::now();
    let options = CallOptions::default().with_timeout(Duration::from_millis(200));
    let error = client.room_ranklist_with(&request(), &options).await.expect_err("times out");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "the call's timeout, not the client's 30 s");
}

#[tokio::test]
async fn a_retry_budget_shared_by_clones_keeps_failures_from_multiplying_the_load() {
    let calls = 20;
    let (base, server) = flaky_server(usize::MAX, SUCCESS).await;
    let unbudgeted =
        Client::with_config(ClientConfig::new(&base, TOKEN).with_retry(quick_retries(3))).expect("a client");
    for _ in 0..calls {
        unbudgeted.room_ranklist(&request()).await.expect_err("always 503");
    }
    let without = std::mem::take(&mut *server.seen.lock().expect("not poisoned")).len();
    assert_eq!(without, calls * 4, "each call and its three retries");

    let budget = RetryBudget::new(Duration::from_secs(10), 0, 0.2);
    let config = ClientConfig::new(&base, TOKEN).with_retry(quick_retries(3)).with_retry_budget(budget);
    let client = Client::with_config(config).expect("a client");
    for index in 0..calls {
        let clone = client.clone();
        if index % 2 == 0 {
            clone.room_ranklist(&request()).await.expect_err("always 503");
        } else {
            client.room_ranklist(&request()).await.expect_err("always 503");
        }
    }
    let with = server.seen.lock().expect("not poisoned").len();
    assert!(with <= calls + calls / 5 + 1, "{with} requests for {calls} calls with a budget of one retry in five");
    assert!(with > calls, "some retries are paid for: {with}");
    println!(
        "{calls} calls against a server that always answers 503: {without} requests without a budget, {with} with"
    );
}

/// A test double of the whole API that answers one endpoint.
struct OneEndpoint;

#[async_trait]
impl Api for OneEndpoint {
    async fn rank_goods(&self, _: &RankGoodsRequest) -> Result<ResponseValue<models::RankGoodsResponse>, Error> {
        let body = models::RankGoodsResponse::default().with_status_code(0);
        Ok(ResponseValue::new(body, 200, header::HeaderMap::new(), "{}"))
    }
}

/// A service's own code, written against the trait.
async fn status_of(api: &impl Api) -> Result<String, Error> {
    let response = api.rank_goods(&RankGoodsRequest::new()).await?;
    Ok(response.status_code().map(ToString::to_string).unwrap_or_default())
}

#[tokio::test]
async fn a_test_double_implements_only_what_its_test_needs() {
    assert_eq!(status_of(&OneEndpoint).await.ok().as_deref(), Some("0"));
    let shared: Arc<dyn Api> = Arc::new(OneEndpoint);
    let error = shared.room_ranklist(&request()).await.expect_err("not implemented by the double");
    assert!(matches!(error, Error::Unimplemented { method: "room_ranklist", .. }), "{error:?}");
    assert_eq!(error.kind(), "unimplemented");

    let (base, _) = flaky_server(0, include_str!("../../../fixtures/rank_goods/success.json")).await;
    let real: Arc<dyn Api> = Arc::new(Client::new(&base, TOKEN).expect("a client"));
    let through_trait = real.rank_goods_with(&RankGoodsRequest::new(), &CallOptions::default()).await.expect("decodes");
    assert_eq!(through_trait.status(), 200);
    assert_eq!(status_of(&Client::new(&base, TOKEN).expect("a client")).await.ok().as_deref(), Some("0"));
}

/// Bytes on the wire and time per call over loopback, with and without
/// compression, on a real 200-rank list (`../shared/real-captures`, beside
/// the workspace, wrapped as `get_room_ranklist` answers); the server sends
/// bodies compressed beforehand. Run with
/// `cargo test --release -p dylive-client --test seams -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures; prints figures"]
async fn compression_figures_on_a_real_capture() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/real-captures/20_ranklist_audience_online_2023-09.json");
    let Ok(capture) = std::fs::read_to_string(&path) else {
        println!("{} is not there; nothing measured", path.display());
        return;
    };
    let body = format!(r#"{{"code":0,"msg":"ok","data":{capture}}}"#);
    let plain = body.clone().into_bytes();
    let mut brotli_body = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli_body, 4096, 5, 22);
        writer.write_all(&plain).expect("in memory");
    }
    let bodies: Arc<Vec<(&'static str, Vec<u8>)>> = Arc::new(vec![
        ("identity", plain.clone()),
        ("gzip", gzip(&plain)),
        ("br", brotli_body),
        ("zstd", zstd::encode_all(&plain[..], 3).expect("in memory")),
    ]);
    let served = bodies.clone();
    let router = Router::new().route(
        "/dy/live/get_room_ranklist",
        post(move |headers: HeaderMap| {
            let served = served.clone();
            async move {
                let asked = headers.get("accept-encoding").and_then(|v| v.to_str().ok()).unwrap_or("identity");
                let (encoding, bytes) = served.iter().find(|(name, _)| *name == asked).unwrap_or(&served[0]);
                let mut response = ([("content-type", "application/json")], bytes.clone()).into_response();
                if *encoding != "identity" {
                    response.headers_mut().insert("content-encoding", encoding.parse().expect("a header value"));
                }
                response
            }
        }),
    );
    let base = serve(router).await;
    let mut reference = None;
    for (encoding, bytes) in bodies.iter() {
        let mut headers = HeaderMap::new();
        headers.insert("accept-encoding", encoding.parse().expect("a header value"));
        let http = reqwest::Client::builder().default_headers(headers).build().expect("a client");
        let client = Client::with_config(ClientConfig::new(&base, TOKEN).with_http_client(http)).expect("a client");
        let mut times = Vec::new();
        for _ in 0..21 {
            let started = Instant::now();
            let response = client.room_ranklist(&request()).await.expect("decodes");
            times.push(started.elapsed());
            let value = response.into_inner();
            match &reference {
                None => reference = Some(value),
                Some(first) => assert_eq!(&value, first, "{encoding}: the same value"),
            }
        }
        times.sort();
        println!("{encoding:>8}: {:>9} bytes on the wire, median {:?} a call", bytes.len(), times[times.len() / 2]);
    }
}
