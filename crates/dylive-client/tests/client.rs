//! The client against a real HTTP server on 127.0.0.1, started by each test:
//! requests as the documents describe them, every endpoint's fixtures
//! through the typed client, every kind of error, values of another kind
//! (kept with one warning, or an error when strict), retries and their
//! delays (recorded, not slept), timeouts, body limits, and no token in any
//! text.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Multipart, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use dylive_client::*;
use tracing::field::{Field, Visit};
use tracing::instrument::WithSubscriber;
use tracing::{span, Event, Level, Metadata, Subscriber};

const TOKEN: &str = "tok-3f9a1c77-secret";

/// Serves `router` on an ephemeral port of 127.0.0.1; returns the base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("the server runs") });
    format!("http://{address}")
}

/// Records the delays between attempts instead of sleeping.
#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<Duration>>);

impl Sleep for Recorder {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.0.lock().expect("not poisoned").push(duration);
        Box::pin(async {})
    }
}

impl Recorder {
    fn delays(&self) -> Vec<Duration> {
        self.0.lock().expect("not poisoned").clone()
    }
}

fn recording_client(base: &str) -> (Client, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let client = Client::new(base, TOKEN).expect("a client").with_sleeper(recorder.clone());
    (client, recorder)
}

fn fixtures(endpoint: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(endpoint);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).expect("fixtures").flatten().map(|e| e.path()).collect();
    files.retain(|f| f.extension().is_some_and(|e| e == "json"));
    files.sort();
    files
}

/// Asserts `error` shows no token in its text or its debug form.
fn assert_no_token(error: &Error) {
    assert!(!error.to_string().contains(TOKEN), "the token shows in: {error}");
    assert!(!format!("{error:?}").contains(TOKEN), "the token shows in: {error:?}");
}

/// Collects the warnings of `dylive_http`, each as its fields by name (the
/// text as `message`), while a future runs with it as its subscriber.
#[derive(Clone, Debug, Default)]
struct Warnings(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

impl Warnings {
    fn take(&self) -> Vec<BTreeMap<String, String>> {
        std::mem::take(&mut *self.0.lock().expect("not poisoned"))
    }
}

/// Writes each field of an event into a map.
struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Warnings {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let metadata = event.metadata();
        if *metadata.level() == Level::WARN && metadata.target().starts_with("dylive_http") {
            let mut fields = BTreeMap::new();
            event.record(&mut Fields(&mut fields));
            self.0.lock().expect("not poisoned").push(fields);
        }
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

// --- requests as documented, every endpoint's fixtures ---------------------

/// The documented multipart request of get_room_ranklist.
async fn room_ranklist_handler(State(body): State<Arc<String>>, headers: HeaderMap, mut form: Multipart) -> Response {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        return (StatusCode::BAD_REQUEST, format!("content type {content_type}")).into_response();
    }
    if headers.get("Access-Token").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        return (StatusCode::BAD_REQUEST, "no Access-Token").into_response();
    }
    let mut fields = HashMap::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        fields.insert(name, field.text().await.unwrap_or_default());
    }
    let expected: HashMap<String, String> =
        [("wcid", "xzzz"), ("room_id", "7107858435835808546"), ("sec_anchor_id", "MS4wLjABAAAA")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    if fields != expected {
        return (StatusCode::BAD_REQUEST, format!("fields {fields:?}")).into_response();
    }
    ([("content-type", "application/json")], body.as_str().to_owned()).into_response()
}

/// What a test server answers, and the query a GET endpoint must carry.
struct Served {
    body: String,
    query: &'static [(&'static str, &'static str)],
}

/// The documented multipart request of get_room_ranklist.
async fn room_ranklist_served(State(served): State<Arc<Served>>, headers: HeaderMap, form: Multipart) -> Response {
    room_ranklist_handler(State(Arc::new(served.body.clone())), headers, form).await
}

/// A documented GET endpoint: the token and the parameters in the query.
async fn get_handler(
    State(served): State<Arc<Served>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut want: HashMap<String, String> =
        served.query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    want.insert("token".to_owned(), TOKEN.to_owned());
    if query != want {
        (StatusCode::BAD_REQUEST, format!("query {query:?}")).into_response()
    } else if headers.contains_key("Access-Token") {
        (StatusCode::BAD_REQUEST, "a header the document does not name").into_response()
    } else {
        ([("content-type", "application/json")], served.body.clone()).into_response()
    }
}

/// Calls `endpoint` as documented against a server that checks the request
/// and answers with `body`.
async fn call(endpoint: &str, body: String) -> Result<String, Error> {
    let (path, query): (&str, &'static [(&'static str, &'static str)]) = match endpoint {
        "room_ranklist" => ("/dy/live/get_room_ranklist", &[]),
        "rank_goods" => ("/douyin/webcast/rank_goods", &[("sec_anchor_id", "MS4wLjABAAAA")]),
        "liveroom_ranklist" => {
            ("/douyin/liveroom/ranklist", &[("room_id", "6919375969501465352"), ("anchor_id", "98204909466")])
        }
        "rank_all" => ("/douyin/webcast/rank_all", &[]),
        "liveroom_info" => ("/douyin/liveroom/info", &[("room_id", "6843198199583378191")]),
        other => panic!("no test server for endpoint {other}"),
    };
    let route = if endpoint == "room_ranklist" { post(room_ranklist_served) } else { get(get_handler) };
    let router = Router::new().route(path, route);
    let body = Arc::new(Served { body, query });
    let base = serve(router.with_state(body)).await;
    let (client, _) = recording_client(&base);
    Ok(match endpoint {
        "room_ranklist" => {
            let request = RoomRanklistRequest::new("xzzz", "7107858435835808546").sec_anchor_id("MS4wLjABAAAA");
            client.room_ranklist(&request).await?.to_json()
        }
        "rank_goods" => client.rank_goods(&RankGoodsRequest::new().sec_anchor_id("MS4wLjABAAAA")).await?.to_json(),
        "liveroom_ranklist" => {
            let request = LiveroomRanklistRequest::new(6919375969501465352).anchor_id(98204909466);
            client.liveroom_ranklist(&request).await?.to_json()
        }
        "rank_all" => client.rank_all(&RankAllRequest::new()).await?.to_json(),
        "liveroom_info" => client.liveroom_info(&LiveroomInfoRequest::new(6843198199583378191)).await?.to_json(),
        other => panic!("no call for endpoint {other}"),
    })
}

#[tokio::test]
async fn every_endpoint_serves_its_fixtures_through_the_typed_client() {
    for endpoint in dylive_models::ENDPOINTS {
        for fixture in fixtures(endpoint) {
            let body = std::fs::read_to_string(&fixture).expect("a fixture");
            match call(endpoint, body.clone()).await {
                Ok(encoded) => {
                    let differences = dylive_json::diff(&body, &encoded).expect("JSON");
                    assert!(differences.is_empty(), "{}: {differences:?}", fixture.display());
                }
                // The documented error example is a failure the API reports.
                Err(Error::Api { code, message, .. }) if fixture.ends_with("error.json") => {
                    assert_eq!((code.as_str(), message.as_str()), ("-1", "失败"));
                }
                Err(error) => panic!("{}: {error}", fixture.display()),
            }
        }
    }
}

// --- each kind of error ------------------------------------------------------

/// A server answering every request to every path with `status`, `headers`
/// and `body`, counting the requests.
async fn fixed(
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
) -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let router = Router::new().fallback(move |_: Request| {
        let seen = seen.clone();
        async move {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut response = (StatusCode::from_u16(status).expect("a status"), body).into_response();
            for (name, value) in headers {
                response.headers_mut().insert(*name, value.parse().expect("a header value"));
            }
            response
        }
    });
    (serve(router).await, count)
}

fn room_request() -> RoomRanklistRequest {
    RoomRanklistRequest::new("xzzz", "7107858435835808546")
}

#[tokio::test]
async fn connect_failure_is_a_retryable_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);
    let (client, recorder) = recording_client(&base);
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("nothing listens");
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(recorder.delays().len(), 3, "three retries");
    assert_no_token(&error);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_retryable_transport_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        // Accept every connection and close it before answering.
        while let Ok((stream, _)) = listener.accept().await {
            drop(stream);
        }
    });
    let (client, recorder) = recording_client(&base);
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("no answer");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(recorder.delays().len(), 3, "three retries");
    assert_no_token(&error);
}

#[tokio::test]
async fn a_slow_server_trips_the_timeout() {
    let router = Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "{}"
    });
    let base = serve(router).await;
    let mut config = ClientConfig::new(base, TOKEN);
    config.timeout = Duration::from_millis(200);
    config.retry.max_retries = 0;
    let client = Client::with_config(config).expect("a client");
    let started = std::time::Instant::now();
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "the timeout, not the server, ended the call");
    assert!(error.is_retryable());
    assert_no_token(&error);
}

#[tokio::test]
async fn http_statuses_are_classified() {
    let (base, count) = fixed(500, &[], "oops").await;
    let (client, recorder) = recording_client(&base);
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("500");
    assert!(matches!(&error, Error::Status { status: 500, body, .. } if body.as_ref() == b"oops"), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(count.load(Ordering::SeqCst), 4, "one attempt and three retries");
    assert_eq!(recorder.delays().len(), 3);
    assert_no_token(&error);

    let (base, count) = fixed(404, &[], "").await;
    let (client, recorder) = recording_client(&base);
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("404");
    assert!(matches!(error, Error::Status { status: 404, .. }), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(count.load(Ordering::SeqCst), 1, "no retry");
    assert!(recorder.delays().is_empty());
}

#[tokio::test]
async fn an_empty_200_is_retryable() {
    let (base, count) = fixed(200, &[], "").await;
    let (client, _) = recording_client(&base);
    let error = client.room_ranklist(&room_request()).await.expect_err("empty");
    assert!(matches!(error, Error::EmptyBody { status: 200, .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(count.load(Ordering::SeqCst), 4);
    assert_no_token(&error);
}

#[tokio::test]
async fn a_body_that_is_not_json_keeps_the_body() {
    let (base, _) = fixed(200, &[], "<html>busy</html>").await;
    let (client, _) = recording_client(&base);
    let error = client.room_ranklist(&room_request()).await.expect_err("HTML");
    let Error::NotJson { source, .. } = &error else { panic!("{error:?}") };
    assert_eq!((source.line(), source.column()), (1, 1));
    assert_eq!(error.body(), Some(&b"<html>busy</html>"[..]));
    assert!(!error.is_retryable());
    assert_no_token(&error);
}

/// A body whose `ranks` is a string where the model has an array.
const DRIFTED: &str = r#"{"code": 0, "data": {"data": {"ranks": "none"}}}"#;

#[tokio::test]
async fn a_value_of_another_kind_is_kept_listed_and_warned_once() {
    let (base, count) = fixed(200, &[], DRIFTED).await;
    let (client, _) = recording_client(&base);
    assert!(!client.config().strict, "kept by default");
    let warnings = Warnings::default();
    let response = client
        .room_ranklist(&room_request())
        .with_subscriber(warnings.clone())
        .await
        .expect("a value of another kind is kept");
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let list = response.data().and_then(|data| data.data()).expect("the rank list");
    assert!(list.ranks().is_empty());
    let drift = response.drift();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(
        (drift[0].pointer(), drift[0].expected(), drift[0].found()),
        ("/data/data/ranks", "an array", models::JsonKind::String)
    );
    assert_eq!(response.body().as_ref(), DRIFTED.as_bytes());
    let encoded = response.to_json();
    assert!(dylive_json::diff(DRIFTED, &encoded).expect("JSON").is_empty(), "{encoded}");

    let warnings = warnings.take();
    assert_eq!(warnings.len(), 1, "one warning a response: {warnings:?}");
    let warning = &warnings[0];
    for (name, value) in [
        ("endpoint", "room_ranklist"),
        ("drifted", "1"),
        ("pointer", "/data/data/ranks"),
        ("expected", "an array"),
        ("found", "a string"),
    ] {
        assert_eq!(warning.get(name).map(String::as_str), Some(value), "{name} in {warning:?}");
    }
    let message = warning.get("message").map(String::as_str).unwrap_or_default();
    assert!(message.contains("/data/data/ranks"), "{message}");
    assert!(!format!("{warnings:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_response_that_fits_logs_no_warning() {
    let success = fixtures("room_ranklist").into_iter().find(|f| f.ends_with("success.json")).expect("a fixture");
    let fixture: &'static str = Box::leak(std::fs::read_to_string(success).expect("fixture").into_boxed_str());
    let (base, _) = fixed(200, &[], fixture).await;
    let (client, _) = recording_client(&base);
    let warnings = Warnings::default();
    let response = client.room_ranklist(&room_request()).with_subscriber(warnings.clone()).await.expect("fits");
    assert!(response.drift().is_empty());
    assert_eq!(warnings.take(), Vec::<BTreeMap<String, String>>::new());
}

#[tokio::test]
async fn strict_decoding_names_the_path_and_keeps_the_body() {
    let (base, count) = fixed(200, &[], DRIFTED).await;
    let mut config = ClientConfig::new(base, TOKEN);
    config.strict = true;
    let recorder = Arc::new(Recorder::default());
    let client = Client::with_config(config).expect("a client").with_sleeper(recorder.clone());
    let error = client.room_ranklist(&room_request()).await.expect_err("ranks is no array");
    let Error::Decode { source, type_name, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*type_name, "RoomRanklistResponse");
    assert_eq!(source.pointer(), "/data/data/ranks");
    assert!(source.message().contains("expected an array"), "{source}");
    assert_eq!(error.body(), Some(DRIFTED.as_bytes()));
    assert!(!error.is_retryable());
    assert_eq!(count.load(Ordering::SeqCst), 1, "not retried");
    assert!(recorder.delays().is_empty());
    assert_no_token(&error);
}

#[tokio::test]
async fn api_failures_inside_a_200_are_errors() {
    for (body, code, message) in [
        (r#"{"msg":"失败","code":-1,"data":null}"#, "-1", "失败"),
        (r#"{"msg":"token 无效","code":"-1","data":null}"#, "-1", "token 无效"),
    ] {
        let (base, _) = fixed(200, &[], body).await;
        let (client, _) = recording_client(&base);
        let error = client.room_ranklist(&room_request()).await.expect_err("a failure");
        assert!(
            matches!(&error, Error::Api { field: "/code", code: c, message: m, .. } if c == code && m == message),
            "{error:?}"
        );
        assert!(!error.is_retryable());
        assert_no_token(&error);
    }
    let webcast = r#"{"data": {"message": "", "prompts": "请求太频繁"}, "extra": {"now": 1}, "status_code": 10011}"#;
    let (base, _) = fixed(200, &[], webcast).await;
    let (client, _) = recording_client(&base);
    let error = client.rank_goods(&RankGoodsRequest::new()).await.expect_err("a failure");
    assert!(
        matches!(&error, Error::Api { field: "/status_code", code, message, .. } if code == "10011" && message == "请求太频繁"),
        "{error:?}"
    );
    let wrapped = r#"{"code": 200, "msg": "成功", "data": {"data": {"prompts": "房间不存在"}, "status_code": 30003}}"#;
    let (base, _) = fixed(200, &[], wrapped).await;
    let (client, _) = recording_client(&base);
    let error = client.liveroom_info(&LiveroomInfoRequest::new(1)).await.expect_err("a failure");
    assert!(matches!(&error, Error::Api { field: "/data/status_code", code, .. } if code == "30003"), "{error:?}");
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let body: &'static str =
        Box::leak(std::fs::read_to_string(&fixtures("room_ranklist")[1]).expect("fixture").into_boxed_str());
    let (base, _) = fixed(200, &[], body).await;
    let mut config = ClientConfig::new(base, TOKEN);
    config.max_body_bytes = 1024;
    let client = Client::with_config(config).expect("a client");
    let error = client.room_ranklist(&room_request()).await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge { limit: 1024, .. }), "{error:?}");
    assert!(!error.is_retryable());
}

// --- retries -----------------------------------------------------------------

#[tokio::test]
async fn retries_back_off_exponentially_with_jitter_then_succeed() {
    let fixture: &'static str =
        Box::leak(std::fs::read_to_string(&fixtures("rank_all")[0]).expect("fixture").into_boxed_str());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let router = Router::new().fallback(move || {
        let attempt = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            if attempt < 2 {
                (StatusCode::SERVICE_UNAVAILABLE, "").into_response()
            } else {
                fixture.into_response()
            }
        }
    });
    let (client, recorder) = recording_client(&serve(router).await);
    let response = client.rank_all(&RankAllRequest::new()).await.expect("the third attempt succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(count.load(Ordering::SeqCst), 3);
    let policy = RetryPolicy::default();
    let delays = recorder.delays();
    assert_eq!(delays.len(), 2);
    for (retry, delay) in delays.iter().enumerate() {
        let full = policy.base_delay * (1 << retry);
        assert!(*delay >= full / 2 && *delay <= full, "retry {retry}: {delay:?} outside [{:?}, {full:?}]", full / 2);
    }
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (base, count) = fixed(429, &[("retry-after", "7")], "slow down").await;
    let (client, recorder) = recording_client(&base);
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("always 429");
    assert!(
        matches!(error, Error::Status { status: 429, retry_after: Some(d), .. } if d == Duration::from_secs(7)),
        "{error:?}"
    );
    assert_eq!(recorder.delays(), vec![Duration::from_secs(7); 3]);
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn the_token_shows_in_no_debug_output() {
    let client = Client::new("http://127.0.0.1:9", TOKEN).expect("a client");
    assert!(!format!("{client:?}").contains(TOKEN));
    assert!(!format!("{:?}", client.config()).contains(TOKEN));
    assert_eq!(client.config().credential.expose(), TOKEN);
}
