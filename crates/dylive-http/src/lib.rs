//! The hand-written HTTP runtime under the generated `dylive-client`.
//!
//! [`Transport`] sends one endpoint's request as the manifest describes it
//! ([`EndpointSpec`]), with the credential in a header or the query, and
//! turns every outcome into a typed [`ResponseValue`] or one [`Error`]:
//! transport failures, HTTP statuses, the empty `200` these APIs are known
//! for, bodies that are not JSON, JSON that does not fit the model (with its
//! JSON Pointer and the raw body), and failures the API reports inside a
//! `200`. Retryable errors are retried with exponential backoff and jitter,
//! honouring `Retry-After`; the credential never shows in `Debug`, logs or
//! error texts.

mod envelope;
mod error;
mod retry;
mod transport;

pub use envelope::failure as api_failure;
pub use error::Error;
pub use retry::{RetryPolicy, Sleep, TokioSleep};
pub use transport::{
    Auth, BodyKind, ClientConfig, EndpointSpec, EnvelopeCheck, ParamSpec, ResponseValue, Secret, Transport,
};
