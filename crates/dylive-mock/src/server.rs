//! The server: its builder, its state and its lifetime.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use dylive_client::EndpointSpec;
use dylive_models::fixtures::Fixture;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;

use crate::expect::{endpoint_failure, Mounted};
use crate::settings::{endpoint_seed, millis};
use crate::{EndpointSettings, Fault, FaultMix, Mock, ReceivedRequest, Reply, Times};

/// How long [`MockServer::shutdown`] waits for the requests in flight.
const GRACE: Duration = Duration::from_secs(5);

/// Locks `mutex`, also after a panic elsewhere (the data stay usable).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The address cannot be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address, as given.
        address: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Faults and waits that apply to every request but those of an endpoint
/// given settings of its own, drawn from the server's seeded generator.
#[derive(Debug)]
pub(crate) struct Chaos {
    pub(crate) fault: Option<Fault>,
    pub(crate) mix: Option<FaultMix>,
    pub(crate) limit: Option<usize>,
    pub(crate) retry_after: Duration,
    pub(crate) latency: Duration,
    pub(crate) jitter_ms: Option<u64>,
}

/// An endpoint as the server serves it.
#[derive(Debug)]
pub(crate) struct Served {
    pub(crate) spec: &'static EndpointSpec,
    /// What it answers when no mounted reply applies.
    pub(crate) default: Reply,
    /// The fixture a truncated reply cuts when the default has no body.
    pub(crate) fixture: Option<&'static Fixture>,
    /// The requests at its path (set to 0 by [`MockServer::reset`]).
    pub(crate) calls: AtomicU64,
    /// The requests at its path, for its own fault limit (never reset).
    pub(crate) seen: AtomicUsize,
    /// Its own faults and waits, if given.
    pub(crate) own: Option<Own>,
}

/// The faults and waits of an endpoint given settings of its own, with its
/// own generator.
#[derive(Debug)]
pub(crate) struct Own {
    pub(crate) settings: EndpointSettings,
    pub(crate) rng: Mutex<fastrand::Rng>,
}

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) endpoints: Vec<Served>,
    pub(crate) mounted: Mutex<Vec<Arc<Mounted>>>,
    pub(crate) expectations: Mutex<Vec<(&'static str, Times)>>,
    pub(crate) chaos: Chaos,
    /// The generator of the endpoints without one of their own.
    pub(crate) rng: Mutex<fastrand::Rng>,
    pub(crate) requests: AtomicUsize,
    pub(crate) received: Option<Mutex<Vec<(usize, ReceivedRequest)>>>,
}

impl Shared {
    /// The generator `served` draws from: its own, or the server's.
    pub(crate) fn rng_of<'a>(&'a self, served: &'a Served) -> &'a Mutex<fastrand::Rng> {
        served.own.as_ref().map_or(&self.rng, |own| &own.rng)
    }

    /// Every expectation not met, as a sentence.
    fn failures(&self) -> Vec<String> {
        let mut failures: Vec<String> = lock(&self.expectations)
            .iter()
            .filter_map(|(name, expect)| {
                let served = self.endpoints.iter().find(|s| s.spec.name == *name)?;
                endpoint_failure(name, *expect, served.calls.load(Ordering::SeqCst))
            })
            .collect();
        failures.extend(lock(&self.mounted).iter().filter_map(|mounted| mounted.failure()));
        failures
    }
}

/// Builds a [`MockServer`]: what each endpoint serves, faults, latency and
/// the seed (for the whole server, or per endpoint with
/// [`endpoint`](Self::endpoint)), expectations, the address. From
/// [`MockServer::builder`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::time::Duration;
///
/// use dylive_mock::{EndpointSettings, MockServer, Reply};
///
/// let server = MockServer::builder()
///     .serve("liveroom-info", Reply::body(r#"{"code":0,"msg":"ok","data":{}}"#))
///     .mix("5xx=10,429=5,empty=5,truncate=5".parse().expect("a mix"))
///     .latency(Duration::from_millis(1))
///     .jitter(Duration::from_millis(20))
///     .endpoint("rank_goods", EndpointSettings::new().mix("503=50".parse().expect("a mix")))
///     .seed(7)
///     .expect("rank_all", 0)
///     .start()
///     .await;
/// assert_eq!(server.seed(), 7);
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a builder does nothing until started"]
pub struct MockServerBuilder {
    address: String,
    defaults: Vec<(&'static str, Reply)>,
    settings: Vec<(&'static str, EndpointSettings)>,
    mocks: Vec<Mock>,
    expectations: Vec<(&'static str, Times)>,
    fault: Option<Fault>,
    mix: Option<FaultMix>,
    limit: Option<usize>,
    retry_after: Duration,
    latency: Duration,
    jitter_ms: Option<u64>,
    seed: Option<u64>,
    record: bool,
    compression: bool,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            address: "127.0.0.1:0".to_owned(),
            defaults: Vec::new(),
            settings: Vec::new(),
            mocks: Vec::new(),
            expectations: Vec::new(),
            fault: None,
            mix: None,
            limit: None,
            retry_after: Duration::from_secs(1),
            latency: Duration::ZERO,
            jitter_ms: None,
            seed: None,
            record: true,
            compression: true,
        }
    }
}

impl MockServerBuilder {
    /// Serves `reply` by default to the endpoint named `endpoint`
    /// (`room_ranklist` or `room-ranklist`), instead of its fixture:
    /// captures ([`Reply::from_path`]), a model value ([`Reply::model`]),
    /// raw bytes or a fault. The last one given for an endpoint wins.
    ///
    /// # Panics
    ///
    /// When there is no endpoint of that name.
    pub fn serve(mut self, endpoint: &str, reply: Reply) -> Self {
        let name = crate::known_endpoint(endpoint).name;
        self.defaults.retain(|(n, _)| *n != name);
        self.defaults.push((name, reply));
        self
    }

    /// Gives the endpoint named `endpoint` (`rank_all` or `rank-all`) faults
    /// and waits of its own: each one set in `settings` overrides the
    /// server's ([`fault`](Self::fault), [`mix`](Self::mix),
    /// [`fault_limit`](Self::fault_limit), [`latency`](Self::latency),
    /// [`jitter`](Self::jitter)) for that endpoint only; the other
    /// endpoints keep the server's. Its random choices come from a
    /// generator of its own, seeded from the [seed](Self::seed) and its
    /// name, so that the same seed replays them to the same sequence of its
    /// requests (see [`EndpointSettings`]). The last settings given for an
    /// endpoint win.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    ///
    /// use dylive_client::{Client, ClientConfig, RankAllRequest, RankGoodsRequest, RetryPolicy};
    /// use dylive_mock::{EndpointSettings, MockServer};
    ///
    /// let server = MockServer::builder()
    ///     .endpoint("rank_all", EndpointSettings::new().mix("503=100".parse()?).latency(Duration::from_millis(5)))
    ///     .seed(7)
    ///     .start()
    ///     .await;
    /// let config = ClientConfig::new(server.base_url(), "any-token").with_retry(RetryPolicy::none());
    /// let client = Client::with_config(config)?;
    /// let error = client.rank_all(&RankAllRequest::new()).await.expect_err("unavailable");
    /// assert_eq!(error.status(), Some(503));
    /// // The other endpoints keep the server's behaviour: no faults here.
    /// assert_eq!(client.rank_goods(&RankGoodsRequest::new()).await?.status(), 200);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// When there is no endpoint of that name.
    pub fn endpoint(mut self, endpoint: &str, settings: EndpointSettings) -> Self {
        let name = crate::known_endpoint(endpoint).name;
        self.settings.retain(|(n, _)| *n != name);
        self.settings.push((name, settings));
        self
    }

    /// Mounts `mock` when the server starts, after those mounted before.
    pub fn mount(mut self, mock: Mock) -> Self {
        self.mocks.push(mock);
        self
    }

    /// Expects the endpoint named `endpoint` to be called `times` (every
    /// request at its path counts, whatever the answer): checked when the
    /// server is dropped or [verified](MockServer::verify).
    ///
    /// # Panics
    ///
    /// When there is no endpoint of that name.
    pub fn expect(mut self, endpoint: &str, times: impl Into<Times>) -> Self {
        self.expectations.push((crate::known_endpoint(endpoint).name, times.into()));
        self
    }

    /// Answers every request (of any endpoint, before its checks) with
    /// `fault`, or the first N with [`fault_limit`](Self::fault_limit).
    /// Replaces a [`mix`](Self::mix). An endpoint given a fault or a mix of
    /// its own ([`endpoint`](Self::endpoint)) has that instead.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self.mix = None;
        self
    }

    /// Answers each request (of any endpoint, before its checks) with a
    /// fault of `mix` at random, from the seeded generator; the others
    /// normally. Replaces a [`fault`](Self::fault). An endpoint given a
    /// fault or a mix of its own ([`endpoint`](Self::endpoint)) has that
    /// instead.
    pub fn mix(mut self, mix: FaultMix) -> Self {
        self.mix = Some(mix);
        self.fault = None;
        self
    }

    /// Injects the faults of [`fault`](Self::fault) or [`mix`](Self::mix)
    /// into the first `n` requests the server receives only (counting every
    /// request, also those of no endpoint). An endpoint given a limit of its
    /// own ([`endpoint`](Self::endpoint)) counts its own requests instead.
    pub fn fault_limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// The `Retry-After` of every 429 but those of
    /// [`Reply::rate_limited`], in whole seconds; 1 second unless set.
    pub fn retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// Waits this long before each answer, but those of an endpoint given
    /// a latency of its own ([`endpoint`](Self::endpoint)).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Waits a random 0 to `jitter` more (in whole milliseconds) before
    /// each answer, from the seeded generator, but those of an endpoint
    /// given a jitter of its own ([`endpoint`](Self::endpoint)).
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter_ms = Some(millis(jitter));
        self
    }

    /// Seeds the random choices (the faults of a mix, a `5xx` status,
    /// jitter): the same seed gives the same choices to the same sequence
    /// of requests. The endpoints without settings of their own share one
    /// generator, so that their choices follow the order of their requests
    /// to the server; an endpoint given settings
    /// ([`endpoint`](Self::endpoint)) has a generator of its own, so that
    /// its choices follow the order of its own requests only. Unless set, a
    /// random seed, which [`MockServer::seed`] tells.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Listens on `address` (such as `127.0.0.1:8080`; port 0 takes a
    /// free one) instead of a free port of 127.0.0.1.
    pub fn bind(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    /// Keeps no record of the requests (for a long-running server):
    /// [`MockServer::received_requests`] is then `None`.
    pub fn disable_request_recording(mut self) -> Self {
        self.record = false;
        self
    }

    /// Whether to compress a response when the request accepts it
    /// (`Accept-Encoding: gzip`, `br` or `zstd`); on unless turned off.
    /// A truncated body is cut before it is compressed, so that it
    /// decompresses to JSON that stops in the middle; an empty one is sent
    /// as it is.
    pub fn compression(mut self, on: bool) -> Self {
        self.compression = on;
        self
    }

    /// Starts the server.
    ///
    /// # Panics
    ///
    /// When the address cannot be bound (see [`try_start`](Self::try_start)),
    /// or outside a Tokio runtime.
    pub async fn start(self) -> MockServer {
        match self.try_start().await {
            Ok(server) => server,
            Err(error) => panic!("dylive-mock: {error}"),
        }
    }

    /// Starts the server; an error when the address cannot be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn try_start(self) -> Result<MockServer, StartError> {
        let listener = tokio::net::TcpListener::bind(&self.address)
            .await
            .map_err(|source| StartError::Bind { address: self.address.clone(), source })?;
        let address =
            listener.local_addr().map_err(|source| StartError::Bind { address: self.address.clone(), source })?;
        let seed = self.seed.unwrap_or_else(|| fastrand::u64(..));
        let mut defaults = self.defaults;
        let mut settings = self.settings;
        let endpoints = dylive_client::ENDPOINTS
            .iter()
            .map(|spec| {
                let fixture = crate::default_fixture(spec.name);
                let given = defaults.iter().position(|(name, _)| *name == spec.name).map(|at| defaults.remove(at).1);
                let default = given.unwrap_or_else(|| match fixture {
                    Some(fixture) => Reply::captures(vec![crate::Capture::new(fixture.body, fixture.name)]),
                    None => Reply::bodies(Vec::<bytes::Bytes>::new()),
                });
                let own = settings.iter().position(|(name, _)| *name == spec.name).map(|at| Own {
                    settings: settings.remove(at).1,
                    rng: Mutex::new(fastrand::Rng::with_seed(endpoint_seed(seed, spec.name))),
                });
                Served { spec, default, fixture, calls: AtomicU64::new(0), seen: AtomicUsize::new(0), own }
            })
            .collect();
        let shared = Arc::new(Shared {
            endpoints,
            mounted: Mutex::new(self.mocks.into_iter().map(Mounted::new).collect()),
            expectations: Mutex::new(self.expectations),
            chaos: Chaos {
                fault: self.fault,
                mix: self.mix,
                limit: self.limit,
                retry_after: self.retry_after,
                latency: self.latency,
                jitter_ms: self.jitter_ms,
            },
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            requests: AtomicUsize::new(0),
            received: self.record.then(|| Mutex::new(Vec::new())),
        });
        let mut router = Router::new().fallback(crate::handle::answer).with_state(Arc::clone(&shared));
        if self.compression {
            router = router.layer(CompressionLayer::new());
        }
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let signal = async {
                let _ = stopped.await;
            };
            // Accepting never fails for good (axum retries), so this ends
            // only with the signal.
            let _ = axum::serve(listener, router).with_graceful_shutdown(signal).await;
        });
        Ok(MockServer {
            shared,
            address,
            base_url: format!("http://{address}"),
            seed,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A mock of every endpoint of [`dylive_client::ENDPOINTS`], on a port of
/// its own, for one test: it serves each endpoint's fixture (the
/// documented success response) unless told otherwise, checks each request
/// as the documents describe it and records it, and stops when dropped.
///
/// Dropping it also checks the expectations (of
/// [`MockServerBuilder::expect`], [`MockServer::expect`] and
/// [`Mock::expect`]) and panics, naming each one not met, unless the
/// thread is already panicking.
///
/// It runs as a task of the Tokio runtime it was started on. On a
/// current-thread runtime (`#[tokio::test]`'s default) it answers while
/// the test awaits, as it does for calls through the client; a test that
/// talks to it from blocking code starts it on a multi-thread runtime.
///
/// ```
/// use dylive_client::{Client, RoomRanklistRequest};
/// use dylive_mock::{Mock, MockServer, Reply};
/// use dylive_models::{Int, RoomRank, RoomRanklist, RoomRanklistData, RoomRanklistResponse, User};
///
/// #[tokio::main]
/// async fn main() -> Result<(), dylive_client::Error> {
///     let server = MockServer::start().await;
///     let ranks = RoomRanklistResponse::default().with_code(Int::from(0)).with_data(
///         RoomRanklistData::default().with_data(
///             RoomRanklist::default().with_ranks([RoomRank::default().with_rank(1).with_user(User::default().with_nickname("Ada"))]),
///         ),
///     );
///     Mock::given("room_ranklist").respond_with(Reply::model(&ranks)).expect(1).mount(&server);
///
///     let client = Client::new(server.base_url(), "any-token")?;
///     let response = client.room_ranklist(&RoomRanklistRequest::new("xzzz", "7107858435835808546")).await?;
///     assert_eq!(*response, ranks);
///
///     let requests = server.received_requests().expect("recorded");
///     assert_eq!(requests[0].endpoint, Some("room_ranklist"));
///     assert!(requests[0].auth);
///     assert_eq!(requests[0].param("room_id"), Some("7107858435835808546"));
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct MockServer {
    shared: Arc<Shared>,
    address: SocketAddr,
    base_url: String,
    seed: u64,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// A server of every endpoint's fixture on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no port can be bound, or outside a Tokio runtime.
    pub async fn start() -> MockServer {
        MockServer::builder().start().await
    }

    /// A builder, to set what the endpoints serve, faults and more.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`: what
    /// [`dylive_client::ClientConfig::new`] takes.
    #[doc(alias = "uri")]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The seed of its random choices.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Mounts `mock`, after the mocks already mounted; the same as
    /// [`Mock::mount`].
    pub fn mount(&self, mock: Mock) {
        lock(&self.shared.mounted).push(Mounted::new(mock));
    }

    /// Expects the endpoint named `endpoint` to be called `times` in all
    /// (every request at its path counts, whatever the answer), as
    /// [`MockServerBuilder::expect`].
    ///
    /// # Panics
    ///
    /// When there is no endpoint of that name.
    pub fn expect(&self, endpoint: &str, times: impl Into<Times>) {
        let name = crate::known_endpoint(endpoint).name;
        lock(&self.shared.expectations).push((name, times.into()));
    }

    /// Every request received so far, in the order they came, once
    /// answered; `None` when recording is
    /// [disabled](MockServerBuilder::disable_request_recording).
    pub fn received_requests(&self) -> Option<Vec<ReceivedRequest>> {
        let received = self.shared.received.as_ref()?;
        let mut requests = lock(received).clone();
        requests.sort_by_key(|(number, _)| *number);
        Some(requests.into_iter().map(|(_, request)| request).collect())
    }

    /// The number of requests at the path of the endpoint named
    /// `endpoint` so far; 0 for an unknown name.
    pub fn calls(&self, endpoint: &str) -> u64 {
        let Some(spec) = crate::endpoint(endpoint) else { return 0 };
        self.shared
            .endpoints
            .iter()
            .find(|served| served.spec.name == spec.name)
            .map_or(0, |served| served.calls.load(Ordering::SeqCst))
    }

    /// Checks the expectations now.
    ///
    /// # Panics
    ///
    /// When one is not met, naming each, with the expected and the actual
    /// count.
    pub fn verify(&self) {
        match self.shared.failures().as_slice() {
            [] => {}
            [failure] => panic!("dylive-mock: {failure}"),
            failures => panic!("dylive-mock: {} expectations not met:\n  {}", failures.len(), failures.join("\n  ")),
        }
    }

    /// Removes every mounted mock and expectation, forgets the requests
    /// received and sets the counts of calls to 0.
    pub fn reset(&self) {
        lock(&self.shared.mounted).clear();
        lock(&self.shared.expectations).clear();
        if let Some(received) = &self.shared.received {
            lock(received).clear();
        }
        for served in &self.shared.endpoints {
            served.calls.store(0, Ordering::SeqCst);
        }
    }

    /// Stops accepting connections, waits for the requests in flight (up
    /// to 5 seconds), then checks the expectations as a drop does.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(GRACE, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // The server task ends by itself, gracefully, once signalled.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if !std::thread::panicking() {
            self.verify();
        }
    }
}
