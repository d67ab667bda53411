//! The client against a real HTTP server on 127.0.0.1, started by each test:
//! requests as the documents describe them, every endpoint's fixtures
//! through the typed client, every kind of error, retries and their delays
//! (recorded, not slept), timeouts, body limits, and no token in any text.

use std::collections::HashMap;
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
    }
    .expect("a decoded response encodes"))
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

#[tokio::test]
async fn json_that_does_not_fit_names_the_path_and_keeps_the_body() {
    let body = r#"{"code": 0, "data": {"data": {"ranks": "none"}}}"#;
    let (base, _) = fixed(200, &[], body).await;
    let (client, _) = recording_client(&base);
    let error = client.room_ranklist(&room_request()).await.expect_err("ranks is no array");
    let Error::Decode { source, type_name, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*type_name, "RoomRanklistResponse");
    assert_eq!(source.pointer(), "/data/data/ranks");
    assert!(source.message().contains("expected a sequence"), "{source}");
    assert_eq!(error.body(), Some(body.as_bytes()));
    assert!(!error.is_retryable());
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
