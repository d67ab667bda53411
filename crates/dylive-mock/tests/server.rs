//! The mock as a service's tests use it: a server per test, what each
//! endpoint serves (fixtures, captures in turn, model values, faults),
//! replies for some requests, the record of requests, expectations checked
//! on drop, compression, the seeded fault mix, and shutdown.

use std::io::Read as _;
use std::panic::catch_unwind;
use std::time::{Duration, Instant};

use dylive_client::{
    Client, ClientConfig, Error, LiveroomInfoRequest, RankAllRequest, RankGoodsRequest, RetryPolicy,
    RoomRanklistRequest,
};
use dylive_mock::{Fault, Mock, MockServer, Reply, Times};
use dylive_models::{RankAllResponse, Response};

mod common;
use common::{endpoint, exchange, fixture, valid_request, Background, TOKEN};

/// A client of `server` that does not retry.
fn client(server: &MockServer) -> Client {
    Client::with_config(ClientConfig::new(server.base_url(), TOKEN).with_retry(RetryPolicy::none())).expect("a client")
}

/// The required parameters of `name`, each with a value that fits.
fn params(name: &str) -> Vec<(String, String)> {
    endpoint(name)
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.name.to_owned(), "7107858435835808546".to_owned()))
        .collect()
}

/// The `msg` of a `rank_all` response.
fn msg(response: &RankAllResponse) -> String {
    response.msg().unwrap_or_default().to_owned()
}

/// A folder holding `files` (name, text).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

/// The message of a panic.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload.downcast::<&str>().map(|text| (*text).to_owned()).unwrap_or_default(),
    }
}

/// Runs `test` on a runtime of its own, for tests that catch its panic.
fn on_runtime(test: impl std::future::Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(test);
}

// --- what is served ------------------------------------------------------------

#[tokio::test]
async fn every_endpoint_serves_its_documented_fixture_through_the_client() {
    let server = MockServer::start().await;
    assert_eq!(server.base_url(), format!("http://{}", server.address()));
    assert!(server.address().ip().is_loopback());
    let client = client(&server);
    for spec in dylive_client::ENDPOINTS {
        let response =
            client.call(spec.name, &params(spec.name)).await.unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let fixture = dylive_mock::default_fixture(spec.name).expect("a fixture");
        assert_eq!(response.status(), 200, "{}", spec.name);
        assert_eq!(response.body().as_ref(), fixture.body, "{}: {}", spec.name, fixture.path);
        assert_eq!(response.endpoint(), spec.name);
        assert_eq!(server.calls(spec.name), 1, "{}", spec.name);
    }
    assert_eq!(dylive_mock::default_fixture("room_ranklist").map(|f| f.name), Some("success.json"));
}

#[tokio::test]
async fn servers_run_in_parallel_each_with_its_own_replies() {
    let servers: Vec<MockServer> = futures_join(8, |n| async move {
        let model = RankAllResponse::default().with_code(200).with_msg(format!("server {n}"));
        MockServer::builder().serve("rank_all", Reply::model(&model)).expect("rank_all", 1).start().await
    })
    .await;
    let mut ports: Vec<u16> = servers.iter().map(|s| s.address().port()).collect();
    ports.sort();
    ports.dedup();
    assert_eq!(ports.len(), 8, "each on a port of its own");
    let calls = servers.iter().enumerate().map(|(n, server)| {
        let client = client(server);
        async move { (n, client.rank_all(&RankAllRequest::new()).await.expect("a response")) }
    });
    for (n, response) in futures_all(calls).await {
        assert_eq!(msg(&response), format!("server {n}"));
    }
    for server in &servers {
        assert_eq!(server.received_requests().expect("recorded").len(), 1);
    }
}

/// Runs `make(0..count)` concurrently, in order of `n`.
async fn futures_join<F, T>(count: usize, make: impl Fn(usize) -> F) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = (0..count).map(|n| tokio::spawn(make(n))).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("the task ends"));
    }
    out
}

/// Awaits `futures` together, in order.
async fn futures_all<T>(futures: impl IntoIterator<Item = impl std::future::Future<Output = T>>) -> Vec<T> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<T>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, slot) in pinned.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *slot = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

#[tokio::test]
async fn a_capture_folder_is_served_in_turn_and_the_other_endpoints_keep_their_fixtures() {
    let rank_all = fixture("rank_all/documented.json");
    let dir = folder(&[
        ("a.json", &rank_all.replace("成功", "first-capture")),
        ("b.json", &rank_all.replace("成功", "second-capture")),
        ("notes.txt", "not a capture"),
    ]);
    let reply = Reply::from_path(dir.path()).expect("the captures");
    assert_eq!(reply.sources().len(), 2);
    assert!(reply.sources()[0].ends_with("a.json") && reply.sources()[1].ends_with("b.json"));
    let server = MockServer::builder().serve("rank-all", reply).start().await;
    let client = client(&server);
    let mut served = Vec::new();
    for _ in 0..5 {
        served.push(msg(&client.rank_all(&RankAllRequest::new()).await.expect("a response")));
    }
    assert_eq!(served, ["first-capture", "second-capture", "first-capture", "second-capture", "first-capture"]);
    let goods = client.rank_goods(&RankGoodsRequest::new()).await.expect("a response");
    assert_eq!(goods.body().as_ref(), fixture("rank_goods/success.json").as_bytes());

    // One file is served as it is, whatever it holds.
    let one = dir.path().join("a.json");
    let captures = dylive_mock::read_captures(&one).expect("a capture");
    assert_eq!(captures.len(), 1);
    assert_eq!(captures[0].body().as_ref(), rank_all.replace("成功", "first-capture").as_bytes());

    let empty = folder(&[("readme.txt", "no captures here")]);
    let error = dylive_mock::read_captures(empty.path()).expect_err("no captures");
    assert!(error.to_string().ends_with("no *.json captures in this folder"), "{error}");
    let error = Reply::from_path("/no/such/capture.json").expect_err("no file");
    assert!(error.to_string().starts_with("/no/such/capture.json: cannot read: "), "{error}");
}

#[tokio::test]
async fn a_model_value_comes_back_identical_through_the_client() {
    // A value that only a lossless encoding keeps: a property the schema
    // does not know, an integer beyond 2^64, a value of another kind.
    let text = fixture("rank_all/documented.json")
        .replacen("\"code\": 200", "\"code\": 200, \"trace_id\": 18446744073709551616123", 1)
        .replacen("\"level\": 0", "\"level\": \"0\"", 1);
    let value = RankAllResponse::from_slice(text.as_bytes()).expect("decodes");
    assert!(!value.drift().is_empty() && !value.unknown_fields.is_empty());
    let server = MockServer::start().await;
    Mock::given("rank_all").respond_with(Reply::model(&value)).times(1).mount(&server);
    let any = Response::decode("rank_all", text.as_bytes()).expect("an endpoint").expect("decodes");
    Mock::given("rank_all").respond_with(Reply::response(&any)).times(1).mount(&server);
    let client = client(&server);

    let response = client.rank_all(&RankAllRequest::new()).await.expect("a response");
    assert_eq!(*response, value);
    assert_eq!(response.body().as_ref(), value.to_json().as_bytes());
    assert!(std::str::from_utf8(response.body()).expect("UTF-8").contains("18446744073709551616123"));
    let again = client.rank_all(&RankAllRequest::new()).await.expect("a response");
    assert_eq!(Response::RankAll(again.into_inner()), any);
}

// --- faults and replies ----------------------------------------------------------

#[tokio::test]
async fn a_status_or_a_fault_per_endpoint_shows_as_its_error() {
    let server = MockServer::builder()
        .serve("rank_goods", Reply::status(503))
        .serve("liveroom_info", Reply::rate_limited(Duration::from_secs(7)))
        .serve("rank_all", Reply::empty())
        .serve("liveroom_ranklist", Reply::truncated())
        .serve("room_ranklist", Reply::body(r#"{"code":0}"#).with_status(502))
        .start()
        .await;
    let client = client(&server);
    let error = client.rank_goods(&RankGoodsRequest::new()).await.expect_err("503");
    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
    let error = client.liveroom_info(&LiveroomInfoRequest::new(6843198199583378191)).await.expect_err("429");
    assert!(
        matches!(error, Error::Status { status: 429, retry_after: Some(wait), .. } if wait == Duration::from_secs(7)),
        "{error:?}"
    );
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("empty");
    assert!(matches!(error, Error::EmptyBody { .. }), "{error:?}");
    let error = client.call("liveroom_ranklist", &params("liveroom_ranklist")).await.expect_err("cut");
    assert!(matches!(error, Error::NotJson { .. }), "{error:?}");
    let cut = error.body().expect("the body kept").to_vec();
    let whole = dylive_mock::default_fixture("liveroom_ranklist").expect("a fixture").body;
    assert!(!cut.is_empty() && cut.len() < whole.len() && whole.starts_with(&cut), "the first half of the fixture");
    let error = client.room_ranklist(&RoomRanklistRequest::new("xzzz", "1")).await.expect_err("502");
    assert!(matches!(error, Error::Status { status: 502, .. }), "{error:?}");

    // Any fault, and a cut of a body of one's own.
    let server = MockServer::builder()
        .serve("rank_goods", Reply::fault(Fault::ServerError))
        .serve("rank_all", Reply::body(fixture("rank_all/documented.json")).truncate())
        .retry_after(Duration::from_secs(3))
        .serve("liveroom_info", Reply::status(429))
        .start()
        .await;
    let client = self::client(&server);
    let error = client.rank_goods(&RankGoodsRequest::new()).await.expect_err("5xx");
    assert!(matches!(error.status(), Some(500 | 502 | 503 | 504)), "{error:?}");
    let error = client.rank_all(&RankAllRequest::new()).await.expect_err("cut");
    assert!(matches!(error, Error::NotJson { .. }), "{error:?}");
    let error = client.liveroom_info(&LiveroomInfoRequest::new(1)).await.expect_err("429");
    assert!(
        matches!(error, Error::Status { retry_after: Some(wait), .. } if wait == Duration::from_secs(3)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_reply_applies_its_times_then_the_next_then_the_default() {
    let server = MockServer::start().await;
    Mock::given("rank_all").respond_with(Reply::status(503)).times(1).expect(1).mount(&server);
    let second = RankAllResponse::default().with_code(200).with_msg("second");
    Mock::given("rank-all").respond_with(Reply::model(&second)).times(2).expect(2).named("second").mount(&server);
    Mock::given("rank_goods").respond_with(Reply::status(500)).expect(0).mount(&server);
    let client = client(&server);
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(match client.rank_all(&RankAllRequest::new()).await {
            Ok(response) => msg(&response),
            Err(error) => error.status().map_or_else(|| error.to_string(), |s| s.to_string()),
        });
    }
    assert_eq!(seen, ["503", "second", "second", "成功", "成功"]);
    assert_eq!(server.calls("rank_all"), 5);
    server.verify();
}

#[test]
fn a_request_that_fails_the_checks_gets_the_envelope_and_leaves_the_reply_for_the_next() {
    let mock = Background::start(
        MockServer::builder().mount(Mock::given("rank_all").respond_with(Reply::status(503)).times(1)),
    );
    let bare = format!("GET /douyin/webcast/rank_all HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", mock.address);
    let answer = mock.send(bare.as_bytes());
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("JSON");
    assert_eq!(
        (answer.status, json["code"].as_i64(), json["msg"].as_str()),
        (200, Some(-1), Some("missing credential"))
    );
    let no_room = "POST /dy/live/get_room_ranklist HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccess-Token: t\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 50\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"wcid\"\r\n\r\n";
    let answer = mock.send(no_room.as_bytes());
    assert!(
        answer.text().contains("not multipart") || answer.text().contains("missing parameter"),
        "{}",
        answer.text()
    );
    assert_eq!(mock.call("rank_all").status, 503, "the reply is still there");
    assert_eq!(mock.call("rank_all").status, 200);
    let wrong_method =
        "POST /douyin/webcast/rank_all HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(mock.send(wrong_method.as_bytes()).status, 405);
    assert_eq!(mock.send(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 404);
}

#[test]
fn a_fault_of_the_server_comes_before_the_checks_and_a_mix_follows_its_seed() {
    let whole = fixture("rank_all/documented.json").len();
    let statuses = |mock: &Background, count: usize| -> Vec<(u16, usize)> {
        (0..count).map(|_| mock.call("rank_all")).map(|a| (a.status, a.body.len())).collect()
    };
    let seeded = |seed: u64| {
        let mix = "5xx=30,empty=30".parse().expect("a mix");
        Background::start(MockServer::builder().mix(mix).jitter(Duration::from_millis(3)).seed(seed))
    };
    let first = statuses(&seeded(11), 40);
    assert_eq!(first, statuses(&seeded(11), 40), "the same seed, the same faults");
    assert_ne!(first, statuses(&seeded(12), 40), "another seed, other faults");
    assert!(first.iter().all(|a| (500..505).contains(&a.0) || *a == (200, 0) || *a == (200, whole)), "{first:?}");
    assert!(
        first.iter().any(|a| a.0 >= 500) && first.contains(&(200, 0)) && first.contains(&(200, whole)),
        "{first:?}"
    );

    let mock = Background::start(MockServer::builder().fault(Fault::Status(503)).fault_limit(2));
    let bare = b"GET /douyin/webcast/rank_all HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_eq!(mock.send(bare).status, 503, "a fault of the server answers before the checks");
    assert_eq!(statuses(&mock, 3), [(503, "injected failure".len()), (200, whole), (200, whole)]);
    let requests = mock.server.received_requests().expect("recorded");
    assert_eq!(requests.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200, 200]);
    assert_eq!(requests[0].rejection, None, "not checked");

    let mock = Background::start(MockServer::builder().fault(Fault::Status(429)).retry_after(Duration::from_secs(9)));
    assert_eq!(mock.call("liveroom_info").header("retry-after").as_deref(), Some("9"));
    let mock = Background::start(MockServer::builder().fault(Fault::Truncate));
    let cut = mock.call("rank_all");
    assert!(
        !cut.body.is_empty() && cut.body.len() < whole && fixture("rank_all/documented.json").starts_with(&cut.text())
    );
}

#[tokio::test]
async fn latency_and_a_reply_delay_are_waited() {
    let server = MockServer::builder().latency(Duration::from_millis(60)).start().await;
    Mock::given("rank_all").respond_with(Reply::empty().with_delay(Duration::from_millis(90))).mount(&server);
    let client = client(&server);
    let started = Instant::now();
    client.rank_goods(&RankGoodsRequest::new()).await.expect("a response");
    assert!(started.elapsed() >= Duration::from_millis(60));
    let started = Instant::now();
    let _ = client.rank_all(&RankAllRequest::new()).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
}

// --- the record ------------------------------------------------------------------

#[test]
fn received_requests_tell_endpoint_params_and_auth_without_the_credential() {
    let mock = Background::start(MockServer::builder());
    let client = client(&mock.server);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let request = RoomRanklistRequest::new("xzzz", "7107858435835808546").sec_anchor_id("MS4wLjABAAAA");
        client.room_ranklist(&request).await.expect("a response");
        client.liveroom_info(&LiveroomInfoRequest::new(6843198199583378191)).await.expect("a response");
    });
    let lines = [
        "GET /douyin/webcast/rank_all HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        "GET /douyin/webcast/rank_all?token=&x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        format!("GET /elsewhere?token={TOKEN}&a=b HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccess-Token: {TOKEN}\r\n\r\n"),
    ];
    for line in &lines {
        exchange(&mock.address, line.as_bytes()).expect("an answer");
    }
    let requests = mock.server.received_requests().expect("recorded");
    assert_eq!(requests.len(), 5, "{requests:#?}");
    assert!(!format!("{requests:?}").contains(TOKEN), "the credential is never kept: {requests:#?}");

    let room = &requests[0];
    assert_eq!(
        (room.endpoint, room.method.as_str(), room.path.as_str()),
        (Some("room_ranklist"), "POST", "/dy/live/get_room_ranklist")
    );
    let names: Vec<&str> = room.params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["wcid", "room_id", "sec_anchor_id"]);
    assert_eq!((room.param("wcid"), room.param("sec_anchor_id")), (Some("xzzz"), Some("MS4wLjABAAAA")));
    assert!(room.auth && room.header("access-token").is_none() && room.header("content-type").is_some());
    assert_eq!((room.status, room.rejection.as_deref()), (200, None));

    let info = &requests[1];
    assert_eq!((info.endpoint, info.method.as_str()), (Some("liveroom_info"), "GET"));
    assert_eq!(info.params, [("room_id".to_owned(), "6843198199583378191".to_owned())], "no token among them");
    assert!(info.auth);

    let bare = &requests[2];
    assert_eq!(
        (bare.endpoint, bare.auth, bare.rejection.as_deref()),
        (Some("rank_all"), false, Some("missing credential"))
    );
    let empty = &requests[3];
    assert_eq!(
        (empty.auth, empty.params.clone()),
        (false, vec![("x".to_owned(), "1".to_owned())]),
        "an empty token is none"
    );
    let elsewhere = &requests[4];
    assert_eq!((elsewhere.endpoint, elsewhere.status, elsewhere.auth), (None, 404, false));
    assert_eq!(elsewhere.param("a"), Some("b"));
    assert!(elsewhere.param("token").is_none() && elsewhere.header("access-token").is_none());
    assert_eq!(mock.server.calls("rank_all"), 2);

    mock.server.reset();
    assert_eq!((mock.server.received_requests().map(|r| r.len()), mock.server.calls("rank_all")), (Some(0), 0));
    let quiet = Background::start(MockServer::builder().disable_request_recording());
    assert_eq!(quiet.call("rank_all").status, 200);
    assert!(quiet.server.received_requests().is_none());
}

// --- expectations --------------------------------------------------------------

#[tokio::test]
#[should_panic(expected = "`rank_goods` was expected to be called exactly 2 times, but was called 1 time")]
async fn an_endpoint_called_too_few_times_panics_on_drop() {
    let server = MockServer::builder().expect("rank-goods", 2).start().await;
    client(&server).rank_goods(&RankGoodsRequest::new()).await.expect("a response");
}

#[test]
fn every_expectation_not_met_is_named_when_the_server_drops() {
    let result = catch_unwind(|| {
        on_runtime(async {
            let server = MockServer::start().await;
            Mock::given("rank_all").respond_with(Reply::empty()).times(2).expect(2).named("two empties").mount(&server);
            Mock::given("rank_all").respond_with(Reply::status(500)).expect(1..).mount(&server);
            server.expect("liveroom_info", 1..=3);
            server.expect("rank_all", ..=1);
            let client = client(&server);
            let _ = client.rank_all(&RankAllRequest::new()).await;
            let _ = client.rank_all(&RankAllRequest::new()).await;
            let _ = client.rank_all(&RankAllRequest::new()).await;
        })
    });
    let message = panic_message(result.expect_err("expectations not met"));
    assert!(message.starts_with("dylive-mock: 2 expectations not met:\n"), "{message}");
    assert!(
        message.contains("`liveroom_info` was expected to be called between 1 and 3 times, but was called 0 times"),
        "{message}"
    );
    assert!(
        message.contains("`rank_all` was expected to be called at most 1 time, but was called 3 times"),
        "{message}"
    );
    assert!(!message.contains("two empties"), "answered twice, as expected: {message}");
    assert!(!message.contains("`rank_all` was expected to answer"), "the second answered once: {message}");

    let result = catch_unwind(|| {
        on_runtime(async {
            let server = MockServer::start().await;
            Mock::given("rank_all").respond_with(Reply::empty()).times(1).expect(2).named("two empties").mount(&server);
            let _ = client(&server).rank_all(&RankAllRequest::new()).await;
        })
    });
    let message = panic_message(result.expect_err("an expectation not met"));
    assert_eq!(
        message,
        "dylive-mock: the reply `two empties` mounted for `rank_all` was expected to answer exactly 2 times, but answered 1 time"
    );
}

#[test]
fn a_test_that_already_panics_keeps_its_own_message() {
    let result = catch_unwind(|| {
        on_runtime(async {
            let _server = MockServer::builder().expect("rank_all", 1).start().await;
            panic!("the test's own failure");
        })
    });
    assert_eq!(panic_message(result.expect_err("the test panicked")), "the test's own failure");
}

#[tokio::test]
async fn expectations_met_pass_and_verify_checks_them_early() {
    let server = MockServer::builder().expect("rank_all", Times::from(1..)).expect("rank_goods", 0).start().await;
    let client = client(&server);
    client.rank_all(&RankAllRequest::new()).await.expect("a response");
    server.verify();
    server.expect("liveroom_info", 1);
    let early = catch_unwind(std::panic::AssertUnwindSafe(|| server.verify()));
    assert!(panic_message(early.expect_err("not yet called")).contains("`liveroom_info`"));
    client.liveroom_info(&LiveroomInfoRequest::new(1)).await.expect("a response");
}

#[test]
fn an_unknown_endpoint_name_panics_with_the_names() {
    let result = catch_unwind(|| Mock::given("rank-everything"));
    let message = panic_message(result.expect_err("no such endpoint"));
    assert!(message.contains("no endpoint named `rank-everything`") && message.contains("room_ranklist"), "{message}");
    assert!(dylive_mock::endpoint("rank-everything").is_none());
    assert_eq!(dylive_mock::endpoint("liveroom-ranklist").map(|e| e.name), Some("liveroom_ranklist"));
}

// --- compression -----------------------------------------------------------------

/// `body` gunzipped.
fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body).read_to_end(&mut out).expect("gzip");
    out
}

/// `body` decoded as its `Content-Encoding` says.
fn decode(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "gzip" => return gunzip(body),
        "br" => brotli::Decompressor::new(body, 4096).read_to_end(&mut out).map(drop).expect("brotli"),
        "zstd" => out = zstd::stream::decode_all(body).expect("zstd"),
        other => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

#[test]
fn a_response_is_compressed_when_the_request_accepts_it() {
    let whole = fixture("rank_all/documented.json");
    let mock = Background::start(MockServer::builder());
    let rank_all = endpoint("rank_all");
    let answer = mock.send(&valid_request(rank_all, &["Accept-Encoding: gzip"]));
    assert_eq!((answer.status, answer.header("content-encoding").as_deref()), (200, Some("gzip")));
    assert!(answer.body.len() < whole.len() / 2, "compressed: {} bytes", answer.body.len());
    assert_eq!(gunzip(&answer.body), whole.as_bytes());
    for (accepted, encoding) in [("br", "br"), ("zstd", "zstd"), ("gzip;q=0.5, zstd;q=1", "zstd")] {
        let answer = mock.send(&valid_request(rank_all, &[&format!("Accept-Encoding: {accepted}")]));
        assert_eq!(answer.header("content-encoding").as_deref(), Some(encoding), "{accepted}");
        assert_eq!(decode(encoding, &answer.body), whole.as_bytes(), "{accepted}");
    }
    let plain = mock.call("rank_all");
    assert_eq!((plain.header("content-encoding"), plain.text()), (None, whole.clone()));
    let room = mock.send(&valid_request(endpoint("room_ranklist"), &["Accept-Encoding: gzip"]));
    assert_eq!(room.header("content-encoding").as_deref(), Some("gzip"), "a multipart POST too");

    let off = Background::start(MockServer::builder().compression(false));
    let answer = off.send(&valid_request(rank_all, &["Accept-Encoding: gzip"]));
    assert_eq!((answer.header("content-encoding"), answer.text()), (None, whole));
}

#[test]
fn a_truncated_body_decompresses_to_cut_json_and_an_empty_one_stays_empty() {
    let whole = fixture("rank_all/documented.json");
    let gzip = ["Accept-Encoding: gzip"];
    let truncated = Background::start(MockServer::builder().fault(Fault::Truncate));
    let answer = truncated.send(&valid_request(endpoint("rank_all"), &gzip));
    assert_eq!(answer.header("content-encoding").as_deref(), Some("gzip"));
    let cut = gunzip(&answer.body);
    assert!(!cut.is_empty() && cut.len() < whole.len() && whole.as_bytes().starts_with(&cut));
    assert!(serde_json::from_slice::<serde_json::Value>(&cut).is_err(), "JSON that stops in the middle");

    let mounted = Background::start(MockServer::builder().serve("rank_all", Reply::truncated()));
    let cut = gunzip(&mounted.send(&valid_request(endpoint("rank_all"), &gzip)).body);
    assert!(!cut.is_empty() && whole.as_bytes().starts_with(&cut) && cut.len() < whole.len());

    let empty = Background::start(MockServer::builder().fault(Fault::Empty));
    let answer = empty.send(&valid_request(endpoint("rank_all"), &gzip));
    assert_eq!((answer.status, answer.header("content-encoding"), answer.body.len()), (200, None, 0));
}

// --- shutdown --------------------------------------------------------------------

#[tokio::test]
async fn the_server_stops_on_shutdown_and_on_drop() {
    let server = MockServer::start().await;
    let address = server.address();
    assert!(tokio::net::TcpStream::connect(address).await.is_ok());
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(address).await.is_err(), "no longer listening after shutdown");

    let server = MockServer::start().await;
    let address = server.address();
    drop(server);
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(address).await.is_ok() {
        assert!(Instant::now() < deadline, "still listening after drop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[test]
fn a_busy_address_is_an_error_to_start() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("an address").to_string();
    on_runtime(async move {
        let error = MockServer::builder().bind(address.clone()).try_start().await.expect_err("in use");
        assert!(error.to_string().starts_with(&format!("cannot listen on {address}: ")), "{error}");
    });
}
