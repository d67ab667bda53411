//! Where and how to call: the base URL, the credential, timeouts, retries,
//! the body limit and how strictly bodies decode.

use std::fmt;
use std::time::Duration;

use std::sync::Arc;

use crate::hooks::{HookList, Hooks, RetryBudget};
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
/// Start from [`ClientConfig::new`], then set what differs, with the
/// chainable `with_*` setters or by assigning the public fields:
///
/// ```
/// use std::time::Duration;
///
/// use dylive_http::{ClientConfig, RetryPolicy};
///
/// let config = ClientConfig::new("https://api.example.com", "TOKEN")
///     .with_timeout(Duration::from_secs(10))
///     .with_retry(RetryPolicy::default().with_max_retries(2));
/// assert_eq!(config.timeout, Duration::from_secs(10));
///
/// let mut config = ClientConfig::new("https://api.example.com", "TOKEN");
/// config.timeout = Duration::from_secs(10);
/// config.retry.max_retries = 1;
/// assert_eq!(config.connect_timeout, Duration::from_secs(5));
/// assert!(!config.strict, "values of another kind are kept by default");
/// ```
///
/// It is `#[non_exhaustive]`, so that a later version may add a setting: a
/// struct literal does not compile outside this crate.
///
/// ```compile_fail,E0639
/// use std::time::Duration;
///
/// use dylive_http::{ClientConfig, RetryPolicy, Secret};
///
/// let config = ClientConfig {
///     base_url: "https://api.example.com".to_owned(),
///     credential: Secret::new("TOKEN"),
///     connect_timeout: Duration::from_secs(5),
///     timeout: Duration::from_secs(30),
///     retry: RetryPolicy::default(),
///     max_body_bytes: 32 << 20,
///     strict: false,
/// };
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
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
    http_client: Option<reqwest::Client>,
    hooks: HookList,
    retry_budget: Option<RetryBudget>,
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
            http_client: None,
            hooks: HookList::default(),
            retry_budget: None,
        }
    }

    /// The same configuration with [`base_url`](Self::base_url) set.
    #[must_use]
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The same configuration with [`credential`](Self::credential) set.
    ///
    /// ```
    /// let config = dylive_http::ClientConfig::new("https://api.example.com", "old").with_credential("new");
    /// assert_eq!(config.credential.expose(), "new");
    /// ```
    #[must_use]
    pub fn with_credential(mut self, credential: impl Into<String>) -> Self {
        self.credential = Secret::new(credential);
        self
    }

    /// The same configuration with [`connect_timeout`](Self::connect_timeout)
    /// set.
    #[must_use]
    pub fn with_connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// The same configuration with [`timeout`](Self::timeout) set.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same configuration with [`retry`](Self::retry) set.
    ///
    /// ```
    /// use dylive_http::{ClientConfig, RetryPolicy};
    ///
    /// let config = ClientConfig::new("https://api.example.com", "TOKEN").with_retry(RetryPolicy::none());
    /// assert_eq!(config.retry.max_retries, 0);
    /// ```
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same configuration with [`max_body_bytes`](Self::max_body_bytes)
    /// set.
    #[must_use]
    pub fn with_max_body_bytes(mut self, max_body_bytes: usize) -> Self {
        self.max_body_bytes = max_body_bytes;
        self
    }

    /// The same configuration with [`strict`](Self::strict) set.
    #[must_use]
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The same configuration, sending through `client`: a service's own
    /// `reqwest::Client`, with its connection pool, proxy, TLS roots and
    /// default headers.
    ///
    /// The timeouts, retries, credential, hooks and errors behave as with
    /// the client's own, but `connect_timeout`, which only a builder sets,
    /// is `client`'s. Compressed responses are decoded when `client`
    /// decodes them, which reqwest's builder does by default.
    ///
    /// ```
    /// use dylive_http::header::{HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-tenant", HeaderValue::from_static("blue"));
    /// let http = reqwest::Client::builder().default_headers(headers).build()?;
    /// let config = dylive_http::ClientConfig::new("https://api.example.com", "TOKEN").with_http_client(http);
    /// assert!(config.http_client().is_some());
    /// # Ok::<(), reqwest::Error>(())
    /// ```
    #[must_use]
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The `reqwest::Client` given by [`with_http_client`](Self::with_http_client).
    pub fn http_client(&self) -> Option<&reqwest::Client> {
        self.http_client.as_ref()
    }

    /// The same configuration with `hooks` added after those it has; see
    /// [`Hooks`].
    #[must_use]
    pub fn with_hooks(mut self, hooks: Arc<dyn Hooks>) -> Self {
        self.hooks.0.push(hooks);
        self
    }

    /// The hooks, in the order they were added.
    pub fn hooks(&self) -> impl Iterator<Item = &Arc<dyn Hooks>> {
        self.hooks.0.iter()
    }

    /// The same configuration with a budget of retries, shared by every
    /// clone of the client built with it; see [`RetryBudget`].
    #[must_use]
    pub fn with_retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// The retry budget, if one is set.
    pub fn retry_budget(&self) -> Option<&RetryBudget> {
        self.retry_budget.as_ref()
    }
}
