//! What a service plugs into every call: hooks before and after each
//! attempt and on each drifted response, options for one call, and a retry
//! budget shared by every clone of a client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tower::retry::budget::{Budget, TpsBudget};

use crate::retry::RetryPolicy;

/// Code that runs around every attempt of every call: metrics, audit logs,
/// extra headers. Every method has an empty default, so a hook implements
/// only what it needs, and a later method is not a breaking change.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// use dylive_http::{Attempt, AttemptOutcome, ClientConfig, Hooks};
///
/// #[derive(Debug, Default)]
/// struct Metrics {
///     attempts: AtomicUsize,
/// }
///
/// impl Hooks for Metrics {
///     fn before_attempt(&self, attempt: &Attempt, headers: &mut dylive_http::header::HeaderMap) {
///         headers.insert("x-request-source", dylive_http::header::HeaderValue::from_static("rank-sync"));
///         assert!(attempt.number >= 1);
///     }
///
///     fn after_attempt(&self, outcome: &AttemptOutcome) {
///         self.attempts.fetch_add(1, Ordering::Relaxed);
///         println!("{} #{}: {:?} in {:?}", outcome.endpoint, outcome.number, outcome.status, outcome.latency);
///     }
/// }
///
/// let metrics = Arc::new(Metrics::default());
/// let config = ClientConfig::new("https://api.example.com", "TOKEN").with_hooks(metrics.clone());
/// assert_eq!(config.hooks().count(), 1);
/// ```
pub trait Hooks: Send + Sync {
    /// Before each attempt, retries included, with the request's headers,
    /// which it may add to (the credential is not among them when it
    /// travels in the query).
    fn before_attempt(&self, attempt: &Attempt, headers: &mut HeaderMap) {
        let _ = (attempt, headers);
    }

    /// After each attempt, whatever its outcome.
    fn after_attempt(&self, outcome: &AttemptOutcome) {
        let _ = outcome;
    }

    /// After a response decoded with values of another kind than the model
    /// says (kept, and listed by the model's `drift()`), once per response.
    fn on_drift(&self, drift: &DriftEvent) {
        let _ = drift;
    }
}

/// One attempt about to be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The endpoint, as `EndpointSpec::name` names it.
    pub endpoint: &'static str,
    /// The attempt's number: 1 for the first, 2 for the first retry.
    pub number: u32,
}

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptOutcome {
    /// The endpoint, as `EndpointSpec::name` names it.
    pub endpoint: &'static str,
    /// The attempt's number: 1 for the first, 2 for the first retry.
    pub number: u32,
    /// The HTTP status, when a response came.
    pub status: Option<u16>,
    /// From sending the request to the body read and decoded, or to the
    /// failure.
    pub latency: Duration,
    /// `None` on success, else [`Error::kind`](crate::Error::kind): `status`,
    /// `timeout`, `api`, …
    pub error: Option<&'static str>,
}

/// A response that decoded with values of another kind than the model says.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// use dylive_http::{DriftEvent, Hooks};
///
/// /// Counts drifted values, for an alert; the capture can be adopted later.
/// #[derive(Debug, Default)]
/// struct DriftCounter(AtomicUsize);
///
/// impl Hooks for DriftCounter {
///     fn on_drift(&self, drift: &DriftEvent) {
///         self.0.fetch_add(drift.count, Ordering::Relaxed);
///         eprintln!("{}: {} drifted value(s), the first at {}", drift.endpoint, drift.count, drift.first);
///     }
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriftEvent {
    /// The endpoint, as `EndpointSpec::name` names it.
    pub endpoint: &'static str,
    /// How many values of another kind it keeps.
    pub count: usize,
    /// The JSON Pointer of the first, such as `/data/data/ranks/0/rank`.
    pub first: String,
}

/// The hooks of a configuration, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct HookList(pub(crate) Vec<Arc<dyn Hooks>>);

impl fmt::Debug for HookList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

/// Options of one call, over the client's configuration: another timeout,
/// other retries (none, for a latency-critical call), another strictness.
///
/// ```
/// use std::time::Duration;
///
/// use dylive_http::{CallOptions, RetryPolicy};
///
/// let options = CallOptions::default().with_timeout(Duration::from_millis(300)).with_retry(RetryPolicy::none());
/// assert_eq!(options.timeout, Some(Duration::from_millis(300)));
/// assert_eq!(options.strict, None, "the client's own");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The longest wait for each attempt, body included; the client's
    /// `timeout` when `None`.
    pub timeout: Option<Duration>,
    /// The retries; the client's `retry` when `None`.
    pub retry: Option<RetryPolicy>,
    /// How values of another kind are met; the client's `strict` when
    /// `None`.
    pub strict: Option<bool>,
}

impl CallOptions {
    /// Sets the timeout of each attempt.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retries.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the strictness.
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }
}

/// A budget of retries shared by every call of every clone of a client, so
/// that a burst of 429s or 5xx does not multiply the load on the API: each
/// call deposits, each retry withdraws, and a retry the budget cannot pay
/// for is not made (the call returns its last error).
///
/// It is tower's `TpsBudget`: over a sliding window of `ttl` (1 to 60
/// seconds), retries may add `retry_percent` of the calls (0.2 is one retry
/// for five calls), plus `min_per_sec` a second whatever the calls.
///
/// ```
/// use std::time::Duration;
///
/// use dylive_http::{ClientConfig, RetryBudget};
///
/// let budget = RetryBudget::new(Duration::from_secs(10), 1, 0.2);
/// let config = ClientConfig::new("https://api.example.com", "TOKEN").with_retry_budget(budget.clone());
/// assert!(config.retry_budget().is_some());
/// ```
#[derive(Clone)]
pub struct RetryBudget {
    budget: Arc<TpsBudget>,
    ttl: Duration,
    min_per_sec: u32,
    retry_percent: f32,
}

impl RetryBudget {
    /// A budget over `ttl`, clamped to 1 to 60 seconds, of `min_per_sec`
    /// retries a second plus `retry_percent` (clamped to 0 to 1000) of the
    /// calls.
    pub fn new(ttl: Duration, min_per_sec: u32, retry_percent: f32) -> Self {
        let ttl = ttl.clamp(Duration::from_secs(1), Duration::from_secs(60));
        let min_per_sec = min_per_sec.min(i32::MAX as u32 - 1);
        let retry_percent = if retry_percent.is_finite() { retry_percent.clamp(0.0, 1000.0) } else { 0.0 };
        RetryBudget {
            budget: Arc::new(TpsBudget::new(ttl, min_per_sec, retry_percent)),
            ttl,
            min_per_sec,
            retry_percent,
        }
    }

    /// Records a call. The client deposits once per call; a service that
    /// shares the budget with calls of its own may deposit for them.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let budget = dylive_http::RetryBudget::new(Duration::from_secs(10), 0, 0.5);
    /// for _ in 0..4 {
    ///     budget.deposit();
    /// }
    /// assert!(budget.withdraw() && budget.withdraw(), "half the calls may be retried");
    /// assert!(!budget.withdraw(), "and no more");
    /// ```
    pub fn deposit(&self) {
        self.budget.deposit();
    }

    /// Takes one retry from the budget; false when it has none left.
    pub fn withdraw(&self) -> bool {
        self.budget.withdraw()
    }
}

impl fmt::Debug for RetryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryBudget")
            .field("ttl", &self.ttl)
            .field("min_per_sec", &self.min_per_sec)
            .field("retry_percent", &self.retry_percent)
            .finish()
    }
}
