//! The transport against a bare HTTP/1.1 server on 127.0.0.1 that records
//! each request's head: every method goes out as itself, the credential
//! where the spec puts it, and the API's own failure report becomes
//! `Error::Api`.

use std::sync::{Arc, Mutex};

use dylive_http::{Auth, BodyKind, ClientConfig, EndpointSpec, EnvelopeCheck, Error, Method, ParamSpec, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "tok-77e1";

/// Any JSON body, as a model with no kinds to drift from.
#[derive(Debug)]
struct Any(serde_json::Value);

impl dylive_runtime::info::Shaped for Any {
    const TY: dylive_runtime::info::Ty = dylive_runtime::info::Ty::Any;
}

impl dylive_runtime::decode::Decode for Any {
    fn decode(decoder: &mut dylive_runtime::decode::Decoder<'_>) -> Result<Self, dylive_runtime::decode::Error> {
        let raw = decoder.raw()?;
        Ok(Any(serde_json::from_str(raw.get()).expect("the decoder checked the text")))
    }
}

impl dylive_runtime::Drifted for Any {
    fn collect_drift(&self, _: &mut String, _: &mut Vec<dylive_runtime::Drift>) {}
}

impl dylive_runtime::lookup::Lookup for Any {
    fn lookup(&self, pointer: &str) -> Option<std::borrow::Cow<'_, str>> {
        self.0.lookup(pointer)
    }
}

/// Serves `body` with status 200 to every request on an ephemeral port;
/// returns the base URL and the heads of the requests received.
async fn serve(body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("an address");
    let heads = Arc::new(Mutex::new(Vec::new()));
    let recorded = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buffer = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            recorded.lock().expect("not poisoned").push(String::from_utf8_lossy(&head).into_owned());
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    (format!("http://{address}"), heads)
}

const CHECKS: &[EnvelopeCheck] = &[EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }];

const fn spec(method: Method, auth: Auth) -> EndpointSpec {
    EndpointSpec {
        name: "rank",
        method,
        path: "/rank",
        body: BodyKind::Query,
        auth,
        params: &[ParamSpec { name: "date", required: true }],
        checks: CHECKS,
        response_type: "serde_json::Value",
    }
}

fn transport(base: &str) -> Transport {
    let mut config = ClientConfig::new(base, TOKEN);
    config.retry.max_retries = 0;
    Transport::new(config).expect("a transport")
}

#[tokio::test]
async fn every_method_goes_out_as_itself() {
    for (method, line) in [(Method::Get, "GET /rank?"), (Method::Post, "POST /rank?")] {
        let (base, heads) = serve(r#"{"code": 0, "data": [1]}"#).await;
        let endpoint = spec(method, Auth::Query("token"));
        let response =
            transport(&base).execute::<Any>(&endpoint, &[("date", "2024-01-02".to_owned())]).await.expect("a response");
        assert_eq!(response.status(), 200);
        assert_eq!(response.0["data"][0], 1);
        let heads = heads.lock().expect("not poisoned").clone();
        assert_eq!(heads.len(), 1, "{heads:?}");
        let request_line = heads[0].lines().next().unwrap_or_default();
        assert!(request_line.starts_with(line), "{method}: {request_line}");
        assert!(request_line.contains("date=2024-01-02"), "{request_line}");
        assert!(request_line.contains(&format!("token={TOKEN}")), "{request_line}");
    }
}

#[tokio::test]
async fn a_header_credential_stays_out_of_the_query() {
    let (base, heads) = serve(r#"{"code": "0"}"#).await;
    let endpoint = spec(Method::Post, Auth::Header("Access-Token"));
    transport(&base).execute::<Any>(&endpoint, &[("date", "d".to_owned())]).await.expect("a response");
    let head = heads.lock().expect("not poisoned").concat();
    assert!(head.starts_with("POST /rank?date=d HTTP/1.1\r\n"), "{head}");
    let header = head.lines().find(|l| l.to_ascii_lowercase().starts_with("access-token:")).unwrap_or_default();
    assert_eq!(header.split_once(':').map(|(_, v)| v.trim()), Some(TOKEN), "{head}");
}

#[tokio::test]
async fn the_api_failure_report_is_an_error_with_its_fields() {
    let body = r#"{"code": 40001, "msg": "token expired"}"#;
    let (base, heads) = serve(body).await;
    let endpoint = spec(Method::Get, Auth::Query("token"));
    let error =
        transport(&base).execute::<Any>(&endpoint, &[("date", "d".to_owned())]).await.expect_err("an API failure");
    match &error {
        Error::Api { field, code, message, body: received, .. } => {
            assert_eq!((*field, code.as_str(), message.as_str()), ("/code", "40001", "token expired"));
            assert_eq!(received.as_ref(), body.as_bytes());
        }
        other => panic!("not an API failure: {other:?}"),
    }
    assert!(!error.is_retryable());
    assert!(!error.to_string().contains(TOKEN), "{error}");
    assert_eq!(heads.lock().expect("not poisoned").len(), 1, "an API failure is not retried");
}

/// A model with one integer, to meet a value of another kind.
#[derive(Debug, Default)]
struct Rank {
    rank: dylive_runtime::Field<dylive_runtime::Int>,
    unknown_fields: dylive_runtime::UnknownFields,
}

dylive_runtime::json_object! {
    Rank, unknown_fields;
    "rank" => rank, required;
}

#[tokio::test]
async fn a_value_of_another_kind_is_kept_unless_strict() {
    let body = r#"{"code": 0, "rank": "1"}"#;
    let endpoint = spec(Method::Get, Auth::Query("token"));
    let (base, _) = serve(body).await;
    let response =
        transport(&base).execute::<Rank>(&endpoint, &[("date", "d".to_owned())]).await.expect("kept by default");
    assert_eq!(response.rank.other().map(|raw| raw.get()), Some(r#""1""#));
    assert_eq!(response.drift().iter().map(|d| d.pointer()).collect::<Vec<_>>(), ["/rank"]);
    assert_eq!(response.unknown_fields.len(), 1, "the status field is not the model's");

    let (base, heads) = serve(body).await;
    let mut config = ClientConfig::new(base, TOKEN);
    config.retry.max_retries = 0;
    config.strict = true;
    let strict = Transport::new(config).expect("a transport");
    let error = strict.execute::<Rank>(&endpoint, &[("date", "d".to_owned())]).await.expect_err("strict");
    let Error::Decode { source, .. } = &error else { panic!("{error:?}") };
    assert_eq!(source.pointer(), "/rank");
    assert_eq!(error.body(), Some(body.as_bytes()));
    assert_eq!(heads.lock().expect("not poisoned").len(), 1);
}

/// The failure report is read from the decoded model, wherever the model
/// keeps the status (here among its unknown fields); a body the model
/// refuses (strict, a value of another kind) is scanned for one instead, so
/// it is still the API's failure and not a decode error.
#[tokio::test]
async fn the_api_failure_is_read_from_the_model_or_from_a_body_it_refuses() {
    let endpoint = spec(Method::Get, Auth::Query("token"));
    for (body, strict) in [
        (r#"{"code": 40001, "msg": "bad token", "rank": 1}"#, false),
        (r#"{"code": "40001", "msg": "bad token", "rank": "1"}"#, false),
        (r#"{"code": 40001, "msg": "bad token", "rank": "1"}"#, true),
    ] {
        let (base, _) = serve(body).await;
        let mut config = ClientConfig::new(base, TOKEN);
        config.retry.max_retries = 0;
        config.strict = strict;
        let transport = Transport::new(config).expect("a transport");
        let error = transport.execute::<Rank>(&endpoint, &[("date", "d".to_owned())]).await.expect_err("a failure");
        let Error::Api { field, code, message, .. } = &error else { panic!("{body}: {error:?}") };
        assert_eq!((*field, code.as_str(), message.as_str()), ("/code", "40001", "bad token"), "{body}");
        assert_eq!(error.body(), Some(body.as_bytes()));
    }
}
