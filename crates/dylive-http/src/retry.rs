//! When to try again, and how to wait.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// When and how often to try again.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
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
        let capped = RetryPolicy { max_retries: 40, ..RetryPolicy::default() };
        assert!(capped.delay(30, None).expect("a retry") <= capped.max_delay);
    }

    #[test]
    fn jitter_varies_and_never_panics_on_tiny_delays() {
        let policy = RetryPolicy::default();
        let mut delays: Vec<Duration> = (0..64).filter_map(|_| policy.delay(0, None)).collect();
        delays.sort();
        delays.dedup();
        assert!(delays.len() > 1, "64 delays, all equal: {delays:?}");
        let zero = RetryPolicy { base_delay: Duration::ZERO, ..RetryPolicy::default() };
        assert_eq!(zero.delay(0, None), Some(Duration::ZERO));
        let one = RetryPolicy { base_delay: Duration::from_nanos(1), ..RetryPolicy::default() };
        assert!(one.delay(0, None).is_some_and(|d| d <= Duration::from_nanos(1)));
        let huge = RetryPolicy { base_delay: Duration::MAX, max_delay: Duration::MAX, ..RetryPolicy::default() };
        assert!(huge.delay(2, None).is_some_and(|d| d >= Duration::MAX / 2));
    }

    #[test]
    fn retry_after_is_honoured_up_to_a_limit() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
        assert_eq!(policy.delay(0, Some(Duration::from_secs(3600))), None);
    }
}
