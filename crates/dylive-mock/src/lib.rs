//! A mock server of the Douyin live-streaming data APIs, for the tests of a
//! service that uses `dylive-client`, in the manner of wiremock.
//!
//! [`MockServer::start`] serves every endpoint of
//! [`dylive_client::ENDPOINTS`] on a free port of 127.0.0.1, each from its
//! documented fixture. Each test starts its own; it stops when dropped.
//! Requests are checked as the documents describe them (method, path, the
//! `Access-Token` header or `token` query, required parameters, multipart
//! for `room_ranklist`); one that fails gets the documented error envelope,
//! and no request, however malformed, makes the server panic.
//!
//! - What an endpoint serves, instead of its fixture
//!   ([`MockServerBuilder::serve`]), or for some requests ([`Mock`]): a
//!   capture file or a folder of them, served in turn
//!   ([`Reply::from_path`]), a generated model value encoded losslessly
//!   ([`Reply::model`]), raw bytes, a status, a 429 with `Retry-After`, an
//!   empty or a truncated body.
//! - Faults on every request or in a seeded random mix, latency and
//!   jitter ([`MockServerBuilder::mix`], [`FaultMix`]), for the whole
//!   server or per endpoint ([`MockServerBuilder::endpoint`],
//!   [`EndpointSettings`]).
//! - Every request is recorded, without the credential
//!   ([`MockServer::received_requests`]); expectations of how often an
//!   endpoint is called or a reply answers are checked on drop.
//! - Responses are compressed (gzip, brotli, zstd) when the request accepts
//!   it.
//!
//! ```
//! use dylive_client::{Client, ClientConfig, Error, RankAllRequest, RetryPolicy};
//! use dylive_mock::{Mock, MockServer, Reply};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Error> {
//!     let server = MockServer::start().await;
//!     // The first call is rate limited, then the fixture is served.
//!     Mock::given("rank_all").respond_with(Reply::status(429)).times(1).mount(&server);
//!     server.expect("rank_all", 2);
//!
//!     let config = ClientConfig::new(server.base_url(), "any-token").with_retry(RetryPolicy::none());
//!     let client = Client::with_config(config)?;
//!     let error = client.rank_all(&RankAllRequest::new()).await.expect_err("rate limited");
//!     assert_eq!(error.status(), Some(429));
//!     let response = client.rank_all(&RankAllRequest::new()).await?;
//!     assert_eq!(response.status(), 200);
//!     Ok(())
//! } // `server` is dropped: `rank_all` was called twice, as expected.
//! ```

mod expect;
mod fault;
mod handle;
mod reply;
mod server;
mod settings;

pub use expect::{Mock, MockBuilder, Times};
pub use fault::{Fault, FaultMix, MixError};
pub use handle::ReceivedRequest;
pub use reply::{read_captures, Capture, CaptureError, Reply};
pub use server::{MockServer, MockServerBuilder, StartError};
pub use settings::EndpointSettings;

use dylive_client::EndpointSpec;
use dylive_models::fixtures::Fixture;

/// The endpoint named `name`, as [`dylive_client::ENDPOINTS`] names it
/// (`room_ranklist`) or as the command line spells it (`room-ranklist`).
///
/// ```
/// let endpoint = dylive_mock::endpoint("rank-all").expect("an endpoint");
/// assert_eq!((endpoint.name, endpoint.path), ("rank_all", "/douyin/webcast/rank_all"));
/// assert!(dylive_mock::endpoint("rank").is_none());
/// ```
pub fn endpoint(name: &str) -> Option<&'static EndpointSpec> {
    let wanted = dylive_runtime::names::manifest_name(name);
    dylive_client::ENDPOINTS.iter().find(|endpoint| endpoint.name == wanted)
}

/// [`endpoint`], for names given in code.
fn known_endpoint(name: &str) -> &'static EndpointSpec {
    match endpoint(name) {
        Some(endpoint) => endpoint,
        None => {
            let names: Vec<&str> = dylive_client::ENDPOINTS.iter().map(|e| e.name).collect();
            panic!("dylive-mock: no endpoint named `{name}`; the endpoints are {}", names.join(", "))
        }
    }
}

/// The fixture an endpoint serves unless told otherwise: of its fixtures
/// (see [`dylive_models::fixtures`]), the documented ones before captures
/// adopted later (named `captured-…`), the first that reports no failure,
/// or else the first; `None` for an unknown endpoint or one without
/// fixtures.
///
/// ```
/// let fixture = dylive_mock::default_fixture("room-ranklist").expect("a fixture");
/// assert_eq!(fixture.name, "success.json");
/// ```
pub fn default_fixture(endpoint: &str) -> Option<&'static Fixture> {
    let spec = self::endpoint(endpoint)?;
    let mut fixtures: Vec<&'static Fixture> = dylive_models::fixtures::of(spec.name).collect();
    fixtures.sort_by_key(|fixture| fixture.name.starts_with("captured-"));
    fixtures
        .iter()
        .find(|fixture| dylive_http::api_failure(fixture.body, spec.checks).is_none())
        .or_else(|| fixtures.first())
        .copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_endpoint_has_a_default_fixture_of_json() {
        for endpoint in dylive_client::ENDPOINTS {
            let fixture = super::default_fixture(endpoint.name).expect("a fixture");
            assert!(fixture.body.starts_with(b"{"), "{}", endpoint.name);
            assert_eq!(fixture.endpoint, endpoint.name);
            assert!(dylive_http::api_failure(fixture.body, endpoint.checks).is_none(), "{}", fixture.path);
        }
    }
}
