//! Faults and waits of one endpoint, instead of the server's.

use std::time::Duration;

use crate::{Fault, FaultMix};

/// The faults an endpoint is answered with: one on every request, or a
/// seeded mix.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Faults {
    /// This fault.
    One(Fault),
    /// A fault of this mix at random, or none.
    Mix(FaultMix),
}

/// Faults and waits of one endpoint, given to
/// [`MockServerBuilder::endpoint`](crate::MockServerBuilder::endpoint):
/// each one set here overrides the server's for that endpoint; those not
/// set are the server's. The other endpoints keep the server's.
///
/// An endpoint given settings draws its random choices (its jitter, the
/// faults of its mix, a `5xx` status) from a generator of its own, seeded
/// from the server's seed and the endpoint's name: the same seed gives the
/// same choices to the same sequence of that endpoint's requests, whatever
/// the other endpoints receive in between.
///
/// What the endpoint serves is set apart: by default with
/// [`MockServerBuilder::serve`](crate::MockServerBuilder::serve) (a capture
/// file or folder, a model value, a status or a fault), for some requests
/// with a [`Mock`](crate::Mock) (and how many times it applies with
/// [`Mock::times`](crate::Mock::times)).
///
/// ```
/// use std::time::Duration;
///
/// use dylive_mock::{EndpointSettings, Fault};
///
/// // Half of the requests get a 503, after 20 ms and up to 10 ms more.
/// let flaky = EndpointSettings::new()
///     .mix("503=50".parse()?)
///     .latency(Duration::from_millis(20))
///     .jitter(Duration::from_millis(10));
/// // The first two requests are rate limited, then none.
/// let limited = EndpointSettings::new().fault(Fault::Status(429)).fault_limit(2);
/// assert_ne!(flaky, limited);
/// # Ok::<(), dylive_mock::MixError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use = "settings do nothing until given to MockServerBuilder::endpoint"]
pub struct EndpointSettings {
    pub(crate) faults: Option<Faults>,
    pub(crate) limit: Option<usize>,
    pub(crate) latency: Option<Duration>,
    pub(crate) jitter_ms: Option<u64>,
}

impl EndpointSettings {
    /// Settings that override nothing: the endpoint has the server's
    /// faults and waits (but a generator of its own).
    ///
    /// ```
    /// use dylive_mock::EndpointSettings;
    ///
    /// assert_eq!(EndpointSettings::new(), EndpointSettings::default());
    /// ```
    pub fn new() -> EndpointSettings {
        EndpointSettings::default()
    }

    /// Answers every request of the endpoint (before its checks) with
    /// `fault`, or the first N with [`fault_limit`](Self::fault_limit),
    /// instead of the server's fault or mix. Replaces a [`mix`](Self::mix).
    ///
    /// ```
    /// use dylive_mock::{EndpointSettings, Fault};
    ///
    /// let unavailable = EndpointSettings::new().fault(Fault::Status(503));
    /// let cut = EndpointSettings::new().mix("empty=100".parse()?).fault(Fault::Truncate);
    /// assert_eq!(cut, EndpointSettings::new().fault(Fault::Truncate), "the last one given wins");
    /// # let _ = unavailable;
    /// # Ok::<(), dylive_mock::MixError>(())
    /// ```
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults = Some(Faults::One(fault));
        self
    }

    /// Answers each request of the endpoint (before its checks) with a
    /// fault of `mix` at random, from the endpoint's seeded generator; the
    /// others normally. It is instead of the server's fault or mix: an
    /// empty mix keeps the endpoint free of the server's faults. Replaces a
    /// [`fault`](Self::fault).
    ///
    /// ```
    /// use dylive_mock::{EndpointSettings, Fault, FaultMix};
    ///
    /// let flaky = EndpointSettings::new().mix(FaultMix::new().with(Fault::ServerError, 50.0)?);
    /// let clean = EndpointSettings::new().mix(FaultMix::new());
    /// # let _ = (flaky, clean);
    /// # Ok::<(), dylive_mock::MixError>(())
    /// ```
    pub fn mix(mut self, mix: FaultMix) -> Self {
        self.faults = Some(Faults::Mix(mix));
        self
    }

    /// Injects the faults of the endpoint (its own, or the server's) into
    /// its first `n` requests only, counting every request at its path,
    /// instead of the server's limit of the server's first requests.
    ///
    /// ```
    /// use dylive_mock::{EndpointSettings, Fault};
    ///
    /// // The first three requests of the endpoint get a 502.
    /// let settings = EndpointSettings::new().fault(Fault::Status(502)).fault_limit(3);
    /// # let _ = settings;
    /// ```
    pub fn fault_limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Waits this long before each answer of the endpoint, instead of the
    /// server's latency (a [`Reply::with_delay`](crate::Reply::with_delay)
    /// comes on top).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// use dylive_mock::EndpointSettings;
    ///
    /// let slow = EndpointSettings::new().latency(Duration::from_millis(250));
    /// let no_wait = EndpointSettings::new().latency(Duration::ZERO).jitter(Duration::ZERO);
    /// # let _ = (slow, no_wait);
    /// ```
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = Some(latency);
        self
    }

    /// Waits a random 0 to `jitter` more (in whole milliseconds) before
    /// each answer of the endpoint, from its seeded generator, instead of
    /// the server's jitter.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// use dylive_mock::EndpointSettings;
    ///
    /// let uneven = EndpointSettings::new().latency(Duration::from_millis(5)).jitter(Duration::from_millis(40));
    /// # let _ = uneven;
    /// ```
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter_ms = Some(millis(jitter));
        self
    }
}

/// `duration` in whole milliseconds, at most `u64::MAX`.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The seed of the generator of the endpoint named `name`, from the
/// server's `seed`: the same for the same two, whatever else the server
/// serves (FNV-1a of the name, mixed into the seed).
pub(crate) fn endpoint_seed(seed: u64, name: &str) -> u64 {
    let hash = name
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3));
    seed ^ hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_seed_depends_on_the_seed_and_the_name_only() {
        assert_eq!(endpoint_seed(7, "rank_all"), endpoint_seed(7, "rank_all"));
        assert_ne!(endpoint_seed(7, "rank_all"), endpoint_seed(8, "rank_all"));
        assert_ne!(endpoint_seed(7, "rank_all"), endpoint_seed(7, "rank_goods"));
        // FNV-1a of the empty name is its offset basis.
        assert_eq!(endpoint_seed(0, ""), 0xcbf2_9ce4_8422_2325);
    }

    #[test]
    fn a_fault_and_a_mix_replace_each_other() {
        let mix: FaultMix = "5xx=10".parse().expect("a mix");
        let settings = EndpointSettings::new().fault(Fault::Empty).mix(mix.clone());
        assert_eq!(settings.faults, Some(Faults::Mix(mix)));
        assert_eq!(EndpointSettings::new().jitter(Duration::from_micros(2500)).jitter_ms, Some(2));
    }
}
