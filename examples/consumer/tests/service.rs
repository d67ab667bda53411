//! The service's tests, as a crate outside the dylive workspace writes them:
//! a mock serving its own capture, a test double of one endpoint, its own
//! `reqwest::Client`, hooks on each attempt, and a gzip-compressed response
//! from a plain HTTP server.

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use dylive_client::models::{PayGrade, RoomRank, RoomRanklist, RoomRanklistData, RoomRanklistResponse, User};
use dylive_client::{
    async_trait, header, Api, Attempt, AttemptOutcome, Client, ClientConfig, Error, Hooks, ResponseValue, RetryPolicy,
    RoomRanklistRequest,
};
use dylive_consumer_example::{top_giver, TopGiver};
use dylive_mock::{Mock, MockServer, Reply};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const TOKEN: &str = "service-token";

fn capture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures/room_ranklist.json")
}

fn ada() -> Option<TopGiver> {
    Some(TopGiver { nickname: "Ada".to_owned(), level: Some(31) })
}

#[tokio::test]
async fn a_mock_serves_the_services_own_capture() {
    let reply = Reply::from_path(capture()).expect("the capture reads");
    let server = MockServer::builder().serve("room_ranklist", reply).expect("room_ranklist", 2).start().await;
    let client = Client::new(server.base_url(), TOKEN).expect("a client");
    assert_eq!(top_giver(&client, "7107858435835808546").await.expect("the call succeeds"), ada());

    let response = client.room_ranklist(&RoomRanklistRequest::new("s", "1")).await.expect("typed");
    assert!(response.unknown_fields.get("trace_id").is_some(), "an unknown property is kept");
    let requests = server.received_requests().expect("recorded");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].endpoint, Some("room_ranklist"));
    assert_eq!(requests[0].param("room_id"), Some("7107858435835808546"));
    assert!(requests.iter().all(|r| r.auth && r.method == "POST"), "{requests:?}");
} // dropped: called twice, as expected, or the test fails here

/// A test double that answers the one endpoint the service calls.
struct OneRoom;

#[async_trait]
impl Api for OneRoom {
    async fn room_ranklist(&self, request: &RoomRanklistRequest) -> Result<ResponseValue<RoomRanklistResponse>, Error> {
        assert_eq!(request.room_id, "9");
        let user = User::default().with_nickname("Ada").with_pay_grade(PayGrade::default().with_level(31));
        let list = RoomRanklist::default().with_ranks([RoomRank::default().with_rank(1).with_user(user)]);
        let response = RoomRanklistResponse::default().with_data(RoomRanklistData::default().with_data(list));
        Ok(ResponseValue::new(response, 200, header::HeaderMap::new(), "{}"))
    }
}

#[tokio::test]
async fn a_test_double_stubs_one_endpoint() {
    assert_eq!(top_giver(&OneRoom, "9").await.expect("the double answers"), ada());
    let shared: Arc<dyn Api> = Arc::new(OneRoom);
    let other = shared.rank_goods(&dylive_client::RankGoodsRequest::new()).await;
    assert!(matches!(other, Err(Error::Unimplemented { method: "rank_goods", .. })), "{other:?}");
}

#[tokio::test]
async fn the_services_own_reqwest_client_reaches_the_mock() {
    let server = MockServer::start().await;
    let mut headers = header::HeaderMap::new();
    headers.insert("x-tenant", header::HeaderValue::from_static("blue"));
    let http = reqwest::Client::builder().default_headers(headers).build().expect("a client");
    let client =
        Client::with_config(ClientConfig::new(server.base_url(), TOKEN).with_http_client(http)).expect("a client");
    let response = client.room_ranklist(&RoomRanklistRequest::new("s", "1")).await.expect("the fixture");
    assert_eq!(response.status(), 200);
    let requests = server.received_requests().expect("recorded");
    assert_eq!(requests[0].header("x-tenant"), Some("blue"));
}

/// An attempt's number, status and error kind.
type Outcome = (u32, Option<u16>, Option<&'static str>);

/// Records each attempt as a service's metrics would.
#[derive(Default)]
struct Attempts {
    before: AtomicU32,
    after: Mutex<Vec<Outcome>>,
}

impl Hooks for Attempts {
    fn before_attempt(&self, _: &Attempt, _: &mut header::HeaderMap) {
        self.before.fetch_add(1, Ordering::Relaxed);
    }

    fn after_attempt(&self, outcome: &AttemptOutcome) {
        self.after.lock().expect("not poisoned").push((outcome.number, outcome.status, outcome.error));
    }
}

#[tokio::test]
async fn a_hook_fires_on_each_attempt() {
    let server = MockServer::start().await;
    Mock::given("room_ranklist").respond_with(Reply::status(503)).times(1).expect(1).mount(&server);
    let attempts = Arc::new(Attempts::default());
    let retry = RetryPolicy::default().with_base_delay(std::time::Duration::from_millis(5));
    let config = ClientConfig::new(server.base_url(), TOKEN).with_retry(retry).with_hooks(attempts.clone());
    let client = Client::with_config(config).expect("a client");
    client.room_ranklist(&RoomRanklistRequest::new("s", "1")).await.expect("the retry succeeds");
    assert_eq!(attempts.before.load(Ordering::Relaxed), 2);
    let after = attempts.after.lock().expect("not poisoned").clone();
    assert_eq!(after, [(1, Some(503), Some("status")), (2, Some(200), None)]);
}

#[tokio::test]
async fn a_gzip_response_from_a_plain_http_server_decodes() {
    let body = std::fs::read(capture()).expect("the capture reads");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&body).expect("in memory");
    let gzipped = encoder.finish().expect("in memory");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("an address");
    let sent = gzipped.len();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = stream.read(&mut buffer).await.expect("the request");
            assert!(read > 0, "the request ended early");
            request.extend_from_slice(&buffer[..read]);
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            gzipped.len()
        );
        stream.write_all(head.as_bytes()).await.expect("the head");
        stream.write_all(&gzipped).await.expect("the body");
        String::from_utf8_lossy(&request).to_lowercase()
    });
    let client = Client::new(format!("http://{address}"), TOKEN).expect("a client");
    assert_eq!(top_giver(&client, "1").await.expect("decoded"), ada());
    let request = server.await.expect("the server ran");
    assert!(request.contains("accept-encoding:") && request.contains("gzip"), "{request}");
    assert!(sent < body.len(), "{sent} bytes gzipped, {} plain", body.len());
}
