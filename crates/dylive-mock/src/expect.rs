//! How many times something is expected to happen, and mounted replies.

use std::fmt;
use std::ops::{Range, RangeFrom, RangeInclusive, RangeTo, RangeToInclusive};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dylive_client::EndpointSpec;

use crate::{MockServer, Reply};

/// How many times an endpoint is expected to be called, or a mounted reply
/// to answer: a count, or a range of counts.
///
/// ```
/// use dylive_mock::Times;
///
/// assert!(Times::from(2).contains(2) && !Times::from(2).contains(3));
/// assert!(Times::from(1..).contains(40));
/// assert!(Times::from(1..=3).contains(3) && !Times::from(1..3).contains(3));
/// assert_eq!(Times::from(..=2).to_string(), "at most 2 times");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    min: u64,
    /// The greatest count allowed; `None` for no limit.
    max: Option<u64>,
}

impl Times {
    /// Whether `count` is allowed.
    pub fn contains(&self, count: u64) -> bool {
        count >= self.min && self.max.is_none_or(|max| count <= max)
    }
}

/// `n time(s)`.
fn times(n: u64) -> String {
    if n == 1 {
        "1 time".to_owned()
    } else {
        format!("{n} times")
    }
}

impl fmt::Display for Times {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "exactly {}", times(max)),
            Some(max) if self.min == 0 => write!(f, "at most {}", times(max)),
            Some(max) => write!(f, "between {} and {}", self.min, times(max)),
            None => write!(f, "at least {}", times(self.min)),
        }
    }
}

impl From<u64> for Times {
    fn from(n: u64) -> Times {
        Times { min: n, max: Some(n) }
    }
}

impl From<RangeInclusive<u64>> for Times {
    fn from(range: RangeInclusive<u64>) -> Times {
        Times { min: *range.start(), max: Some(*range.end()) }
    }
}

impl From<Range<u64>> for Times {
    /// A range without its end; an empty one allows no count.
    fn from(range: Range<u64>) -> Times {
        match range.end.checked_sub(1) {
            Some(max) => Times { min: range.start, max: Some(max) },
            None => Times { min: 1, max: Some(0) },
        }
    }
}

impl From<RangeFrom<u64>> for Times {
    fn from(range: RangeFrom<u64>) -> Times {
        Times { min: range.start, max: None }
    }
}

impl From<RangeTo<u64>> for Times {
    fn from(range: RangeTo<u64>) -> Times {
        Times::from(0..range.end)
    }
}

impl From<RangeToInclusive<u64>> for Times {
    fn from(range: RangeToInclusive<u64>) -> Times {
        Times { min: 0, max: Some(range.end) }
    }
}

/// The start of a [`Mock`]: the endpoint it is for.
#[derive(Debug)]
#[must_use = "a mock does nothing until it has a reply and is mounted"]
pub struct MockBuilder {
    endpoint: &'static EndpointSpec,
}

impl MockBuilder {
    /// The mock answering with `reply`.
    pub fn respond_with(self, reply: Reply) -> Mock {
        Mock { endpoint: self.endpoint, reply, limit: None, expect: None, name: None }
    }
}

/// A reply mounted for some requests of one endpoint, as wiremock's
/// `Mock`: it answers the endpoint's requests that pass the documented
/// checks, up to [`times`](Mock::times) of them; then the next mounted
/// reply of the endpoint applies, or its default. Mounted replies apply in
/// the order they were mounted.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use dylive_mock::{Mock, MockServer, Reply};
///
/// let server = MockServer::start().await;
/// // The first two calls of `rank_all` get a 503, then the fixture; the
/// // server panics on drop unless exactly two were answered so.
/// Mock::given("rank-all").respond_with(Reply::status(503)).times(2).expect(2).mount(&server);
/// # let client = dylive_client::Client::with_config(
/// #     dylive_client::ClientConfig::new(server.base_url(), "t").with_retry(dylive_client::RetryPolicy::none()),
/// # ).expect("a client");
/// # for status in [503, 503] {
/// #     let error = client.rank_all(&dylive_client::RankAllRequest::new()).await.expect_err("a 503");
/// #     assert_eq!(error.status(), Some(status));
/// # }
/// # assert!(client.rank_all(&dylive_client::RankAllRequest::new()).await.is_ok());
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a mock does nothing until it is mounted"]
pub struct Mock {
    pub(crate) endpoint: &'static EndpointSpec,
    pub(crate) reply: Reply,
    pub(crate) limit: Option<u64>,
    pub(crate) expect: Option<Times>,
    pub(crate) name: Option<String>,
}

impl Mock {
    /// A mock of the endpoint named `endpoint`, as in
    /// [`dylive_client::ENDPOINTS`] (`room_ranklist`) or as the command
    /// line spells it (`room-ranklist`).
    ///
    /// # Panics
    ///
    /// When there is no endpoint of that name.
    pub fn given(endpoint: &str) -> MockBuilder {
        MockBuilder { endpoint: crate::known_endpoint(endpoint) }
    }

    /// Answers the first `n` requests only (as wiremock's
    /// `up_to_n_times`); afterwards the next mounted reply or the default
    /// applies.
    #[doc(alias = "up_to_n_times")]
    pub fn times(mut self, n: u64) -> Mock {
        self.limit = Some(n);
        self
    }

    /// Expects to answer `times` requests (`2`, `1..`, `..=3`): checked
    /// when the server is dropped or [verified](MockServer::verify).
    pub fn expect(mut self, times: impl Into<Times>) -> Mock {
        self.expect = Some(times.into());
        self
    }

    /// A name for the messages of its expectation.
    pub fn named(mut self, name: impl Into<String>) -> Mock {
        self.name = Some(name.into());
        self
    }

    /// Mounts it on `server`, after the mocks already mounted.
    pub fn mount(self, server: &MockServer) {
        server.mount(self);
    }
}

/// A mock as the server keeps it: with the count of requests it answered.
#[derive(Debug)]
pub(crate) struct Mounted {
    pub(crate) mock: Mock,
    pub(crate) used: AtomicU64,
}

impl Mounted {
    pub(crate) fn new(mock: Mock) -> Arc<Mounted> {
        Arc::new(Mounted { mock, used: AtomicU64::new(0) })
    }

    /// Takes one use; false when none is left.
    pub(crate) fn take(&self) -> bool {
        let limit = self.mock.limit;
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| limit.is_none_or(|n| used < n).then_some(used + 1))
            .is_ok()
    }

    /// What is wrong with its expectation, if anything.
    pub(crate) fn failure(&self) -> Option<String> {
        let expect = self.mock.expect?;
        let used = self.used.load(Ordering::SeqCst);
        if expect.contains(used) {
            return None;
        }
        let name = self.mock.name.as_ref().map(|name| format!(" `{name}`")).unwrap_or_default();
        Some(format!(
            "the reply{name} mounted for `{}` was expected to answer {expect}, but answered {}",
            self.mock.endpoint.name,
            times(used)
        ))
    }
}

/// What is wrong with an expectation of an endpoint's calls, if anything.
pub(crate) fn endpoint_failure(endpoint: &str, expect: Times, calls: u64) -> Option<String> {
    (!expect.contains(calls))
        .then(|| format!("`{endpoint}` was expected to be called {expect}, but was called {}", times(calls)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_english() {
        assert_eq!(Times::from(1).to_string(), "exactly 1 time");
        assert_eq!(Times::from(0).to_string(), "exactly 0 times");
        assert_eq!(Times::from(2..=4).to_string(), "between 2 and 4 times");
        assert_eq!(Times::from(2..5).to_string(), "between 2 and 4 times");
        assert_eq!(Times::from(1..).to_string(), "at least 1 time");
        assert_eq!(Times::from(..3).to_string(), "at most 2 times");
        assert!(!Times::from(0..0).contains(0), "an empty range allows nothing");
    }

    #[test]
    fn a_mock_is_taken_up_to_its_times() {
        let mounted = Mounted::new(Mock::given("rank_all").respond_with(Reply::empty()).times(2).expect(3));
        assert_eq!([mounted.take(), mounted.take(), mounted.take()], [true, true, false]);
        let failure = mounted.failure().expect("two, not three");
        assert_eq!(
            failure,
            "the reply mounted for `rank_all` was expected to answer exactly 3 times, but answered 2 times"
        );
        let unlimited = Mounted::new(Mock::given("rank-all").respond_with(Reply::empty()).named("all"));
        assert!((0..100).all(|_| unlimited.take()) && unlimited.failure().is_none());
    }

    #[test]
    fn an_endpoint_failure_names_it_and_both_counts() {
        assert_eq!(
            endpoint_failure("rank_goods", Times::from(1), 3).as_deref(),
            Some("`rank_goods` was expected to be called exactly 1 time, but was called 3 times")
        );
        assert_eq!(endpoint_failure("rank_goods", Times::from(1..), 3), None);
    }
}
