//! When to try again, and how to wait.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// When and how often to try again.
///
/// Start from [`RetryPolicy::default`] (three retries) or
/// [`RetryPolicy::none`], then set what differs, with the chainable `with_*`
/// setters or by assigning the public fields. It is `#[non_exhaustive]`, so
/// that a later version may add a setting: a struct literal does not compile
/// outside this crate.
///
/// ```
/// use std::time::Duration;
///
/// use dylive_http::RetryPolicy;
///
/// let policy = RetryPolicy::default().with_max_retries(2).with_base_delay(Duration::from_millis(100));
/// assert_eq!((policy.max_retries, policy.max_delay), (2, Duration::from_secs(8)));
///
/// let mut policy = RetryPolicy::default();
/// policy.max_retry_after = Duration::from_secs(5);
/// assert_eq!(policy.delay(0, Some(Duration::from_secs(9))), None, "too long a wait ends the retries");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts after the first; 0 turns retries off.
    pub max_retries: u32,
    /// The delay before the first retry; it doubles with each retry.
    pub base_delay: Duration,
    /// The longest delay between attempts.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Three retries, after 250 ms doubling up to 8 s, and a `Retry-After`
    /// of up to 60 s honoured.
    fn default() -> Self {
        RetryPolicy::none().with_max_retries(3)
    }
}

impl RetryPolicy {
    /// No retries: the first failure is the answer. The delays are the
    /// default ones, for a policy that sets
    /// [`max_retries`](Self::max_retries) afterwards.
    ///
    /// ```
    /// use dylive_http::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::none().delay(0, None), None);
    /// assert_eq!(RetryPolicy::none().with_max_retries(3), RetryPolicy::default());
    /// ```
    pub const fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }

    /// The same policy with [`max_retries`](Self::max_retries) set.
    #[must_use]
    pub const fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The same policy with [`base_delay`](Self::base_delay) set.
    #[must_use]
    pub const fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// The same policy with [`max_delay`](Self::max_delay) set.
    #[must_use]
    pub const fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The same policy with [`max_retry_after`](Self::max_retry_after) set.
    #[must_use]
    pub const fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// The delay before retry number `retry` (from 0): the server's
    /// `Retry-After` when it sent one, else `base_delay * 2^retry` capped at
    /// `max_delay`, of which a random part up to half is taken off (jitter),
    /// so that clients that failed together do not retry together. `None`
    /// when no retry is left or the server asks for too long a wait.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if retry >= self.max_retries {
            return None;
        }
        if let Some(wait) = retry_after {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let full = self.base_delay.saturating_mul(1u32 << retry.min(20)).min(self.max_delay);
        let half = full / 2;
        let jitter = Duration::from_nanos(fastrand::u64(0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX)));
        Some(half.saturating_add(jitter).min(full))
    }
}

/// Waits between attempts; tests replace it to run without real sleeps.
pub trait Sleep: Send + Sync + std::fmt::Debug {
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Sleeps with tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_with_jitter_and_stop() {
        let policy = RetryPolicy::default();
        for retry in 0..3 {
            let full = policy.base_delay * (1 << retry);
            let delay = policy.delay(retry, None).expect("a retry is left");
            assert!(delay >= full / 2 && delay <= full, "retry {retry}: {delay:?} not in [{:?}, {full:?}]", full / 2);
        }
        assert_eq!(policy.delay(3, None), None);
        let capped = RetryPolicy::default().with_max_retries(40);
        assert!(capped.delay(30, None).expect("a retry") <= capped.max_delay);
    }

    #[test]
    fn jitter_varies_and_never_panics_on_tiny_delays() {
        let policy = RetryPolicy::default();
        let mut delays: Vec<Duration> = (0..64).filter_map(|_| policy.delay(0, None)).collect();
        delays.sort();
        delays.dedup();
        assert!(delays.len() > 1, "64 delays, all equal: {delays:?}");
        let zero = RetryPolicy::default().with_base_delay(Duration::ZERO);
        assert_eq!(zero.delay(0, None), Some(Duration::ZERO));
        let one = RetryPolicy::default().with_base_delay(Duration::from_nanos(1));
        assert!(one.delay(0, None).is_some_and(|d| d <= Duration::from_nanos(1)));
        let huge = RetryPolicy::default().with_base_delay(Duration::MAX).with_max_delay(Duration::MAX);
        assert!(huge.delay(2, None).is_some_and(|d| d >= Duration::MAX / 2));
    }

    #[test]
    fn retry_after_is_honoured_up_to_a_limit() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
        assert_eq!(policy.delay(0, Some(Duration::from_secs(3600))), None);
    }
}
