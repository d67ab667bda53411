use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
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
        let jitter = Duration::from_nanos(random() % (half.as_nanos() as u64).max(1));
        Some(half + jitter)
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

/// A non-cryptographic random number for jitter (SplitMix64 over a counter
/// seeded by the clock).
fn random() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut z = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
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
    fn retry_after_is_honoured_up_to_a_limit() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
        assert_eq!(policy.delay(0, Some(Duration::from_secs(3600))), None);
    }
}
