//! The hand-written HTTP runtime under the generated `dylive-client`.
//!
//! [`Transport`] sends one endpoint's request as the manifest describes it
//! ([`EndpointSpec`]), with the credential in a header or the query, and
//! turns every outcome into a typed [`ResponseValue`] or one [`Error`]:
//! transport failures, HTTP statuses, the empty `200` these APIs are known
//! for, bodies that are not JSON, JSON that does not fit the model (with its
//! JSON Pointer and the raw body), and failures the API reports inside a
//! `200`. A value of another kind than the model says is kept and logged
//! with its place, or is an error under [`ClientConfig::strict`].
//! Retryable errors are retried with exponential backoff and jitter,
//! honouring `Retry-After`; the credential never shows in `Debug`, logs or
//! error texts.

mod config;
mod envelope;
mod error;
mod hooks;
mod response;
mod retry;
mod spec;
mod transport;

pub use config::{ClientConfig, Secret};
pub use envelope::{api_failure, api_failure_in, ApiFailure};
pub use error::Error;
pub use hooks::{Attempt, AttemptOutcome, CallOptions, DriftEvent, Hooks, RetryBudget};
/// reqwest's header types, to read [`ResponseValue::headers`] and to build
/// the headers of a [`ResponseValue`] by hand.
pub use reqwest::header;
pub use response::ResponseValue;
pub use retry::{RetryPolicy, Sleep, TokioSleep};
pub use spec::{Auth, BodyKind, EndpointSpec, EnvelopeCheck, Method, ParamSpec};
pub use transport::{decode_body, Transport};
