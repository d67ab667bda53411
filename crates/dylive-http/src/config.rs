//! Where and how to call: the base URL, the credential, timeouts, retries,
//! the body limit and how strictly bodies decode.

use std::fmt;
use std::time::Duration;

use crate::retry::RetryPolicy;

/// A credential: never printed, by `Debug` or `Display`.
///
/// ```
/// let secret = dylive_http::Secret::new("tok-123");
/// assert_eq!(secret.expose(), "tok-123");
/// assert!(!format!("{secret:?}").contains("tok-123"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, to put on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where and how to call.
///
/// ```
/// use std::time::Duration;
///
/// let mut config = dylive_http::ClientConfig::new("https://api.example.com", "TOKEN");
/// config.timeout = Duration::from_secs(10);
/// config.retry.max_retries = 1;
/// assert_eq!(config.connect_timeout, Duration::from_secs(5));
/// assert!(!config.strict, "values of another kind are kept by default");
/// ```
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The base URL, such as `https://api.example.com`.
    pub base_url: String,
    /// The credential (`Access-Token` or `token`).
    pub credential: Secret,
    /// The longest wait for a connection.
    pub connect_timeout: Duration,
    /// The longest wait for a whole exchange, body included.
    pub timeout: Duration,
    /// Retries of retryable failures.
    pub retry: RetryPolicy,
    /// The largest body accepted.
    pub max_body_bytes: usize,
    /// How a value of another kind than the schema says is met (a string
    /// where an integer is, an array where an object is).
    ///
    /// `false`, the default: the response decodes, the value is kept where
    /// it arrived (its accessor returns `None`, the model's `drift()` lists
    /// its place), and one `tracing` warning per response names the
    /// endpoint, the number of such places and the first of them.
    ///
    /// `true`: the first such value fails the call with
    /// [`Error::Decode`](crate::Error::Decode), naming its JSON Pointer and
    /// keeping the body; it is not retried.
    pub strict: bool,
}

impl ClientConfig {
    /// A configuration with the defaults: 5 s to connect, 30 s in all,
    /// three retries, bodies up to 32 MiB, values of another kind kept
    /// (`strict` is `false`).
    pub fn new(base_url: impl Into<String>, credential: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            credential: Secret::new(credential),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_body_bytes: 32 << 20,
            strict: false,
        }
    }
}
