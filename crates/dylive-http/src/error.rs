//! Every way a call can fail, as one type.

use std::time::Duration;

use bytes::Bytes;
use dylive_runtime::DecodeError;

/// Every way a call can fail.
///
/// URLs in errors have no query string, so the credential never shows.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request could not be built (a bad base URL, for one).
    #[error("invalid request: {0}")]
    Request(String),
    /// No connection could be made.
    #[error("could not connect to {url}: {message}")]
    Connect {
        /// The URL, without its query.
        url: String,
        /// What the transport said.
        message: String,
    },
    /// The connection or the whole exchange took too long.
    #[error("no response from {url} within the timeout")]
    Timeout {
        /// The URL, without its query.
        url: String,
    },
    /// Any other failure of the transport.
    #[error("transport failure talking to {url}: {message}")]
    Transport {
        /// The URL, without its query.
        url: String,
        /// What the transport said.
        message: String,
    },
    /// The server answered with a status other than 2xx.
    #[error("HTTP {status} from {url}")]
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
    EmptyBody {
        /// The status code.
        status: u16,
        /// The URL, without its query.
        url: String,
    },
    /// The body is larger than the configured limit.
    #[error("the body from {url} exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The URL, without its query.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The body is not JSON; the error keeps the body.
    #[error("the body from {url} is not JSON: {source}")]
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
    Decode {
        /// The URL, without its query.
        url: String,
        /// The model type.
        type_name: &'static str,
        /// The JSON Pointer, what was expected, and the body.
        source: Box<DecodeError>,
    },
    /// The API reported a failure inside a 2xx response; the fields are
    /// those of [`ApiFailure`](crate::ApiFailure), with the body.
    #[error("the API reported a failure: {field} = {code}: {message}")]
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
            | Error::Api { .. } => false,
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
