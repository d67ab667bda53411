//! Every way a call can fail, as one type.

use std::time::Duration;

use bytes::Bytes;
use dylive_runtime::DecodeError;

/// Every way a call can fail.
///
/// URLs in errors have no query string, so the credential never shows.
///
/// The enum and its struct-like variants are `#[non_exhaustive]`: a later
/// version may add a kind of failure or a field to one, so a `match` needs a
/// wildcard arm and a pattern `..`. Outside this crate, values are built
/// with the constructors ([`Error::timeout`], [`Error::api`], …), for test
/// doubles of a client:
///
/// ```
/// use dylive_http::Error;
///
/// let error = Error::http_status(503, "https://api.example.com/rank", None, "busy");
/// let kind = match &error {
///     Error::Status { status, .. } => format!("HTTP {status}"),
///     Error::Api { code, .. } => format!("API code {code}"),
///     other => other.to_string(),
/// };
/// assert_eq!(kind, "HTTP 503");
/// assert!(error.is_retryable());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built (a bad base URL, for one).
    #[error("invalid request: {0}")]
    // Not `#[non_exhaustive]`: the generated client builds it as a literal.
    Request(String),
    /// No connection could be made.
    #[error("could not connect to {url}: {message}")]
    #[non_exhaustive]
    Connect {
        /// The URL, without its query.
        url: String,
        /// What the transport said.
        message: String,
    },
    /// The connection or the whole exchange took too long.
    #[error("no response from {url} within the timeout")]
    #[non_exhaustive]
    Timeout {
        /// The URL, without its query.
        url: String,
    },
    /// Any other failure of the transport.
    #[error("transport failure talking to {url}: {message}")]
    #[non_exhaustive]
    Transport {
        /// The URL, without its query.
        url: String,
        /// What the transport said.
        message: String,
    },
    /// The server answered with a status other than 2xx.
    #[error("HTTP {status} from {url}")]
    #[non_exhaustive]
    Status {
        /// The status code.
        status: u16,
        /// The URL, without its query.
        url: String,
        /// The delay the server asked for with `Retry-After`.
        retry_after: Option<Duration>,
        /// The body, as received.
        body: Bytes,
    },
    /// A 2xx status with an empty body.
    #[error("HTTP {status} with an empty body from {url}")]
    #[non_exhaustive]
    EmptyBody {
        /// The status code.
        status: u16,
        /// The URL, without its query.
        url: String,
    },
    /// The body is larger than the configured limit.
    #[error("the body from {url} exceeds the limit of {limit} bytes")]
    #[non_exhaustive]
    BodyTooLarge {
        /// The URL, without its query.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The body is not JSON; the error keeps the body.
    #[error("the body from {url} is not JSON: {source}")]
    #[non_exhaustive]
    NotJson {
        /// The URL, without its query.
        url: String,
        /// Where parsing stopped, and the body.
        source: Box<DecodeError>,
    },
    /// The body is JSON that does not fit the model (a repeated property,
    /// or, under [`ClientConfig::strict`](crate::ClientConfig::strict), a
    /// value of another kind); the error names the JSON Pointer and what
    /// was expected, and keeps the body.
    #[error("the body from {url} does not fit {type_name}: {source}")]
    #[non_exhaustive]
    Decode {
        /// The URL, without its query.
        url: String,
        /// The model type.
        type_name: &'static str,
        /// The JSON Pointer, what was expected, and the body.
        source: Box<DecodeError>,
    },
    /// A method of a client's trait that this implementation does not
    /// provide: the default body of each method of a generated `Api`
    /// trait, so that a test double implements only what it needs.
    #[error("`{method}` is not implemented by this client")]
    #[non_exhaustive]
    Unimplemented {
        /// The method, such as `room_ranklist`.
        method: &'static str,
    },
    /// The API reported a failure inside a 2xx response; the fields are
    /// those of [`ApiFailure`](crate::ApiFailure), with the body.
    #[error("the API reported a failure: {field} = {code}: {message}")]
    #[non_exhaustive]
    Api {
        /// The JSON Pointer of the status field that reported it.
        field: &'static str,
        /// Its value, as text.
        code: String,
        /// The message the API gave, if any.
        message: String,
        /// The body, as received.
        body: Bytes,
    },
}

impl Error {
    /// An [`Error::Request`]: the request could not be built.
    ///
    /// ```
    /// let error = dylive_http::Error::request("unknown parameter `x`");
    /// assert_eq!(error.to_string(), "invalid request: unknown parameter `x`");
    /// assert!(!error.is_retryable());
    /// ```
    pub fn request(message: impl Into<String>) -> Self {
        Error::Request(message.into())
    }

    /// An [`Error::Connect`]: no connection could be made to `url` (give it
    /// without its query), and the transport said `message`.
    ///
    /// ```
    /// let error = dylive_http::Error::connect("http://127.0.0.1:9/rank", "connection refused");
    /// assert!(matches!(&error, dylive_http::Error::Connect { url, .. } if url == "http://127.0.0.1:9/rank"));
    /// assert!(error.is_retryable());
    /// ```
    pub fn connect(url: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Connect { url: url.into(), message: message.into() }
    }

    /// An [`Error::Timeout`]: no response from `url` (without its query)
    /// within the timeout.
    ///
    /// ```
    /// let error = dylive_http::Error::timeout("https://api.example.com/rank");
    /// assert_eq!(error.to_string(), "no response from https://api.example.com/rank within the timeout");
    /// assert!(error.is_retryable());
    /// ```
    pub fn timeout(url: impl Into<String>) -> Self {
        Error::Timeout { url: url.into() }
    }

    /// An [`Error::Transport`]: any other failure of the transport talking
    /// to `url` (without its query), which said `message`.
    ///
    /// ```
    /// let error = dylive_http::Error::transport("https://api.example.com/rank", "connection reset");
    /// assert!(matches!(&error, dylive_http::Error::Transport { message, .. } if message == "connection reset"));
    /// assert!(error.is_retryable());
    /// ```
    pub fn transport(url: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Transport { url: url.into(), message: message.into() }
    }

    /// An [`Error::Status`]: `url` (without its query) answered with
    /// `status`, other than 2xx, and `body`; `retry_after` is the delay the
    /// server asked for with `Retry-After`, if any.
    ///
    /// (It is not called `status`: [`Error::status`] reads the status of
    /// any error.)
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let error =
    ///     dylive_http::Error::http_status(429, "https://api.example.com/rank", Some(Duration::from_secs(7)), "slow down");
    /// assert_eq!(error.status(), Some(429));
    /// assert_eq!(error.body(), Some(&b"slow down"[..]));
    /// assert!(error.is_retryable());
    /// ```
    pub fn http_status(
        status: u16,
        url: impl Into<String>,
        retry_after: Option<Duration>,
        body: impl Into<Bytes>,
    ) -> Self {
        Error::Status { status, url: url.into(), retry_after, body: body.into() }
    }

    /// An [`Error::EmptyBody`]: `url` (without its query) answered with the
    /// 2xx `status` and an empty body.
    ///
    /// ```
    /// let error = dylive_http::Error::empty_body(200, "https://api.example.com/rank");
    /// assert_eq!(error.status(), Some(200));
    /// assert!(error.is_retryable());
    /// ```
    pub fn empty_body(status: u16, url: impl Into<String>) -> Self {
        Error::EmptyBody { status, url: url.into() }
    }

    /// An [`Error::BodyTooLarge`]: the body from `url` (without its query)
    /// exceeds `limit` bytes.
    ///
    /// ```
    /// let error = dylive_http::Error::body_too_large("https://api.example.com/rank", 1024);
    /// assert!(matches!(error, dylive_http::Error::BodyTooLarge { limit: 1024, .. }));
    /// ```
    pub fn body_too_large(url: impl Into<String>, limit: usize) -> Self {
        Error::BodyTooLarge { url: url.into(), limit }
    }

    /// An [`Error::NotJson`]: the body from `url` (without its query) is not
    /// JSON; `source` says where parsing stopped and keeps the body.
    ///
    /// ```
    /// // Decoding text that is not JSON gives the error the client would.
    /// let source = dylive_runtime::from_slice::<dylive_runtime::RawJson>(b"<html>").unwrap_err();
    /// let error = dylive_http::Error::not_json("https://api.example.com/rank", source);
    /// assert_eq!(error.body(), Some(&b"<html>"[..]));
    /// assert!(!error.is_retryable());
    /// ```
    pub fn not_json(url: impl Into<String>, source: DecodeError) -> Self {
        Error::NotJson { url: url.into(), source: Box::new(source) }
    }

    /// An [`Error::Decode`]: the body from `url` (without its query) is JSON
    /// that does not fit the model `type_name`; `source` names the JSON
    /// Pointer and what was expected, and keeps the body.
    ///
    /// ```
    /// use dylive_runtime::DecodeError;
    ///
    /// let body = br#"{"code": 0, "code": 1}"#;
    /// let source = DecodeError::custom("duplicate field `code`", "/code", &body[..]);
    /// let error = dylive_http::Error::decode("https://api.example.com/rank", "RankResponse", source);
    /// assert!(matches!(&error, dylive_http::Error::Decode { source, .. } if source.pointer() == "/code"));
    /// assert_eq!(error.body(), Some(&body[..]));
    /// ```
    pub fn decode(url: impl Into<String>, type_name: &'static str, source: DecodeError) -> Self {
        Error::Decode { url: url.into(), type_name, source: Box::new(source) }
    }

    /// An [`Error::Api`]: the API reported a failure inside a 2xx `body`,
    /// in the status field at the JSON Pointer `field`, with the value
    /// `code` (as text) and `message` (empty when it gave none). The
    /// arguments are those of an [`ApiFailure`](crate::ApiFailure).
    ///
    /// ```
    /// let body = r#"{"code": 40001, "msg": "token expired"}"#;
    /// let error = dylive_http::Error::api("/code", "40001", "token expired", body);
    /// assert_eq!(error.to_string(), "the API reported a failure: /code = 40001: token expired");
    /// assert_eq!(error.body(), Some(body.as_bytes()));
    /// assert!(!error.is_retryable());
    /// ```
    pub fn api(
        field: &'static str,
        code: impl Into<String>,
        message: impl Into<String>,
        body: impl Into<Bytes>,
    ) -> Self {
        Error::Api { field, code: code.into(), message: message.into(), body: body.into() }
    }

    /// A short name of the error's kind, for logs, metrics and scripts:
    /// `request`, `connect`, `timeout`, `transport`, `status`, `empty-body`,
    /// `body-too-large`, `not-json`, `decode` or `api`.
    ///
    /// ```
    /// let error = dylive_http::Error::timeout("https://api.example.com/rank");
    /// assert_eq!(error.kind(), "timeout");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Request(_) => "request",
            Error::Connect { .. } => "connect",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::Status { .. } => "status",
            Error::EmptyBody { .. } => "empty-body",
            Error::BodyTooLarge { .. } => "body-too-large",
            Error::NotJson { .. } => "not-json",
            Error::Decode { .. } => "decode",
            Error::Api { .. } => "api",
            Error::Unimplemented { .. } => "unimplemented",
        }
    }

    /// The error of a method that an implementation of a client's trait
    /// does not provide.
    ///
    /// ```
    /// let error = dylive_http::Error::unimplemented("room_ranklist");
    /// assert_eq!(error.to_string(), "`room_ranklist` is not implemented by this client");
    /// assert!(!error.is_retryable());
    /// ```
    pub fn unimplemented(method: &'static str) -> Self {
        Error::Unimplemented { method }
    }

    /// True for failures that a later attempt may not meet: the transport,
    /// 429, 5xx, and an empty 2xx body.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect { .. } | Error::Timeout { .. } | Error::Transport { .. } | Error::EmptyBody { .. } => true,
            Error::Status { status, .. } => *status == 429 || (500..600).contains(status),
            Error::Request(_)
            | Error::BodyTooLarge { .. }
            | Error::NotJson { .. }
            | Error::Decode { .. }
            | Error::Api { .. }
            | Error::Unimplemented { .. } => false,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } | Error::EmptyBody { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw body, when one was received.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Status { body, .. } | Error::Api { body, .. } => Some(body),
            Error::NotJson { source, .. } | Error::Decode { source, .. } => Some(source.body()),
            _ => None,
        }
    }

    /// The delay the server asked for, if any.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
