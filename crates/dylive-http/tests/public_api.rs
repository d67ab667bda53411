//! What a consumer of the crate builds by hand, from outside it, where
//! `#[non_exhaustive]` applies: every error through its constructor, a
//! configuration and a retry policy through their setters, a response and an
//! API failure through theirs, as a test double of a client would.

use std::time::Duration;

use bytes::Bytes;
use dylive_http::{api_failure, header, ApiFailure, ClientConfig, EnvelopeCheck, Error, ResponseValue, RetryPolicy};
use dylive_runtime::DecodeError;

const URL: &str = "https://api.example.com/rank";

#[test]
fn every_error_is_built_by_its_constructor() {
    let not_json = dylive_runtime::from_slice::<dylive_runtime::RawJson>(b"<html>").expect_err("not JSON");
    let unfit = DecodeError::custom("expected a sequence", "/data/ranks", r#"{"data": {"ranks": {}}}"#);
    let api_body = r#"{"code": 40001, "msg": "token expired"}"#;
    let cases = [
        (Error::request("no endpoint named `x`"), "request", false, None, None),
        (Error::connect(URL, "connection refused"), "connect", true, None, None),
        (Error::timeout(URL), "timeout", true, None, None),
        (Error::transport(URL, "connection reset"), "transport", true, None, None),
        (Error::http_status(503, URL, None, "busy"), "status", true, Some(503), Some(&b"busy"[..])),
        (Error::http_status(404, URL, None, Vec::new()), "status", false, Some(404), Some(&b""[..])),
        (Error::empty_body(200, URL), "empty-body", true, Some(200), None),
        (Error::body_too_large(URL, 1024), "body-too-large", false, None, None),
        (Error::not_json(URL, not_json), "not-json", false, None, Some(&b"<html>"[..])),
        (Error::decode(URL, "RankResponse", unfit), "decode", false, None, Some(&br#"{"data": {"ranks": {}}}"#[..])),
        (Error::api("/code", "40001", "token expired", api_body), "api", false, None, Some(api_body.as_bytes())),
    ];
    for (error, expected_kind, retryable, status, body) in cases {
        assert_eq!(error.kind(), expected_kind, "{error:?}");
        assert_eq!(error.is_retryable(), retryable, "{error:?}");
        assert_eq!(error.status(), status, "{error:?}");
        assert_eq!(error.body(), body, "{error:?}");
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn constructed_errors_keep_their_fields() {
    let error = Error::http_status(429, URL, Some(Duration::from_secs(7)), Bytes::from_static(b"slow down"));
    assert!(
        matches!(&error, Error::Status { status: 429, url, retry_after: Some(wait), body, .. }
            if url == URL && *wait == Duration::from_secs(7) && body.as_ref() == b"slow down"),
        "{error:?}"
    );
    assert_eq!(error.to_string(), format!("HTTP 429 from {URL}"));

    let error = Error::connect(URL, "connection refused");
    assert!(matches!(&error, Error::Connect { url, message, .. } if url == URL && message == "connection refused"));
    assert_eq!(error.to_string(), format!("could not connect to {URL}: connection refused"));

    let error = Error::transport(URL, "reset");
    assert!(matches!(&error, Error::Transport { message, .. } if message == "reset"));

    let error = Error::timeout(URL.to_owned());
    assert!(matches!(&error, Error::Timeout { url, .. } if url == URL));

    let error = Error::empty_body(204, URL);
    assert_eq!(error.to_string(), format!("HTTP 204 with an empty body from {URL}"));

    let error = Error::body_too_large(URL, 1024);
    assert!(matches!(error, Error::BodyTooLarge { limit: 1024, .. }));

    let source = DecodeError::custom("duplicate field `code`", "/code", br#"{"code": 0, "code": 1}"#);
    let error = Error::decode(URL, "RankResponse", source);
    let Error::Decode { url, type_name, source, .. } = &error else { panic!("{error:?}") };
    assert_eq!((url.as_str(), *type_name), (URL, "RankResponse"));
    assert_eq!((source.pointer(), source.message(), source.is_syntax()), ("/code", "duplicate field `code`", false));
    assert_eq!(
        error.to_string(),
        format!("the body from {URL} does not fit RankResponse: duplicate field `code` at /code (line 0, column 0)")
    );

    let source = dylive_runtime::from_slice::<dylive_runtime::RawJson>(b"{\"code\": 0").expect_err("truncated");
    let error = Error::not_json(URL, source);
    let Error::NotJson { source, .. } = &error else { panic!("{error:?}") };
    assert!(source.is_syntax());

    let error = Error::api("/data/status_code", String::from("10011"), "too often", b"{}".to_vec());
    assert!(matches!(&error, Error::Api { field: "/data/status_code", code, message, body, .. }
        if code == "10011" && message == "too often" && body.as_ref() == b"{}"));

    let error = Error::request(String::from("bad base URL"));
    assert!(matches!(&error, Error::Request(message) if message == "bad base URL"));
    assert!(matches!(Error::Request("literal".to_owned()), Error::Request(_)), "the tuple variant stays a literal");
}

#[test]
fn an_api_failure_is_built_and_becomes_an_error() {
    let checks = [EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }];
    let body = r#"{"code": -1, "msg": "bad token"}"#;
    let failure = ApiFailure::new("/code", "-1", "bad token");
    assert_eq!(api_failure(body.as_bytes(), &checks), Some(failure.clone()));
    let error = Error::api(failure.field, failure.code, failure.message, body);
    assert_eq!(error.to_string(), "the API reported a failure: /code = -1: bad token");
}

#[test]
fn a_configuration_is_built_with_setters_and_fields_stay_writable() {
    let retry = RetryPolicy::default()
        .with_max_retries(2)
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(40))
        .with_max_retry_after(Duration::from_secs(3));
    assert_eq!(retry.max_retries, 2);
    assert_eq!(retry.base_delay, Duration::from_millis(10));
    assert_eq!(retry.max_delay, Duration::from_millis(40));
    assert_eq!(retry.max_retry_after, Duration::from_secs(3));
    assert_eq!(retry.delay(0, Some(Duration::from_secs(4))), None);
    assert!(retry.delay(1, None).is_some_and(|d| d <= Duration::from_millis(20)));

    let config = ClientConfig::new("https://old.example.com", "old")
        .with_base_url("https://api.example.com")
        .with_credential("tok-1")
        .with_connect_timeout(Duration::from_secs(1))
        .with_timeout(Duration::from_secs(2))
        .with_retry(retry.clone())
        .with_max_body_bytes(4096)
        .with_strict(true);
    assert_eq!(config.base_url, "https://api.example.com");
    assert_eq!(config.credential.expose(), "tok-1");
    assert!(!format!("{config:?}").contains("tok-1"), "the credential stays hidden");
    assert_eq!((config.connect_timeout, config.timeout), (Duration::from_secs(1), Duration::from_secs(2)));
    assert_eq!(config.retry, retry);
    assert_eq!(config.max_body_bytes, 4096);
    assert!(config.strict);

    let mut config = config;
    config.timeout = Duration::from_secs(9);
    config.retry.max_retries = 0;
    config.strict = false;
    assert_eq!((config.timeout, config.retry.max_retries, config.strict), (Duration::from_secs(9), 0, false));

    assert_eq!(RetryPolicy::none().max_retries, 0);
    assert_eq!(RetryPolicy::none().with_max_retries(3), RetryPolicy::default());
    const NO_RETRIES: RetryPolicy = RetryPolicy::none().with_max_retry_after(Duration::ZERO);
    assert_eq!(NO_RETRIES.delay(0, None), None);
}

#[test]
fn a_transport_takes_a_configuration_built_with_setters() {
    let config = ClientConfig::new("http://127.0.0.1:9", "tok").with_retry(RetryPolicy::none());
    let transport = dylive_http::Transport::new(config).expect("a transport");
    assert_eq!(transport.config().retry.max_retries, 0);
    let error = dylive_http::Transport::new(ClientConfig::new("not a URL", "tok")).expect_err("a bad base URL");
    assert_eq!(error.kind(), "request");
}

#[test]
fn a_response_value_is_built_from_its_parts() {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    let response = ResponseValue::new(vec![1u32, 2, 3], 200, headers, Bytes::from_static(b"[1, 2, 3]"));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    assert_eq!(response.body().as_ref(), b"[1, 2, 3]");
    assert_eq!(response.len(), 3, "it dereferences to the value");
    let mapped = response.map(|ranks| ranks.iter().sum::<u32>());
    assert_eq!((*mapped, mapped.status()), (6, 200));
    assert_eq!(mapped.into_inner(), 6);

    let from_text = ResponseValue::new("ok", 201, header::HeaderMap::default(), "\"ok\"");
    assert_eq!((*from_text, from_text.body().as_ref()), ("ok", &b"\"ok\""[..]));
}
