//! Sends an endpoint's request, retries what may succeed later, and turns
//! every outcome into a [`ResponseValue`] or one [`Error`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use dylive_runtime::lookup::Lookup;
use dylive_runtime::Drifted;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::ClientConfig;
use crate::envelope::{self, ApiFailure};
use crate::error::Error;
use crate::response::ResponseValue;
use crate::retry::{Sleep, TokioSleep};
use crate::spec::{Auth, BodyKind, EndpointSpec};

/// Sends requests and interprets responses; shared by every endpoint.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    sleeper: Arc<dyn Sleep>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `config`; TLS through rustls.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        reqwest::Url::parse(&config.base_url).map_err(|e| Error::request(format!("base URL: {e}")))?;
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("dylive/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::request(e.without_url().to_string()))?;
        Ok(Transport { http, config: Arc::new(config), sleeper: Arc::new(TokioSleep) })
    }

    /// Replaces the wait between attempts (tests use one that records).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleep>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Calls `endpoint` with `params`, retrying retryable failures.
    ///
    /// A body with values of another kind than the model says decodes
    /// with them kept, and logs one warning, unless
    /// [`ClientConfig::strict`] makes it an [`Error::Decode`].
    pub async fn execute<T: DeserializeOwned + Drifted + Lookup>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
    ) -> Result<ResponseValue<T>, Error> {
        let span = tracing::info_span!(
            "dylive.request",
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            path = endpoint.path
        );
        async {
            let mut retry = 0;
            loop {
                let result = self.attempt(endpoint, params).await;
                let error = match result {
                    Ok(value) => return Ok(value),
                    Err(error) => error,
                };
                let delay =
                    if error.is_retryable() { self.config.retry.delay(retry, error.retry_after()) } else { None };
                let Some(delay) = delay else { return Err(error) };
                tracing::warn!(retry = retry + 1, delay_ms = delay.as_millis() as u64, %error, "retrying");
                self.sleeper.sleep(delay).await;
                retry += 1;
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt<T: DeserializeOwned + Drifted + Lookup>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
    ) -> Result<ResponseValue<T>, Error> {
        let base = self.config.base_url.trim_end_matches('/');
        let url = format!("{base}{}", endpoint.path);
        let mut request = self.http.request(endpoint.method.into(), &url);
        request = match endpoint.auth {
            Auth::Header(name) => request.header(name, self.config.credential.expose()),
            Auth::Query(name) => request.query(&[(name, self.config.credential.expose())]),
        };
        request = match endpoint.body {
            BodyKind::Query => request.query(params),
            BodyKind::Multipart => {
                let form = params
                    .iter()
                    .fold(reqwest::multipart::Form::new(), |form, (name, value)| form.text(*name, value.clone()));
                request.multipart(form)
            }
        };
        let response = request.send().await.map_err(|e| transport_error(&url, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = self.read_body(&url, response).await?;
        tracing::debug!(status, bytes = body.len(), "response");

        if !(200..300).contains(&status) {
            let retry_after = headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(Error::http_status(status, url, retry_after, body));
        }
        let inner = decode_body::<T>(endpoint, self.config.strict, &url, status, &body)?;
        Ok(ResponseValue::new(inner, status, headers, body))
    }

    async fn read_body(&self, url: &str, mut response: reqwest::Response) -> Result<Bytes, Error> {
        let limit = self.config.max_body_bytes;
        let too_large = || Error::body_too_large(url, limit);
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(url, e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(body))
    }
}

/// The model in a 2xx `body` of `endpoint`: what the client does with every
/// body it receives, in one parse. The body is decoded (strictly when
/// `strict`); the API's own failure report is read from the decoded value;
/// only a body the model refuses is scanned for one, so that a failure
/// report in an unexpected shape is still [`Error::Api`]. Kept values of
/// another kind are logged once (see [`Transport::execute`]).
///
/// The errors carry `url`, and `status` and `body` where they say them.
///
/// ```
/// use dylive_http::{decode_body, BodyKind, EndpointSpec, EnvelopeCheck, Error, Method, Auth};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Any(serde_json::Value);
/// impl dylive_runtime::Drifted for Any {
///     fn collect_drift(&self, _: &mut String, _: &mut Vec<dylive_runtime::Drift>) {}
/// }
/// impl dylive_runtime::lookup::Lookup for Any {
///     fn lookup(&self, pointer: &str) -> Option<std::borrow::Cow<'_, str>> {
///         self.0.lookup(pointer)
///     }
/// }
///
/// const ENDPOINT: EndpointSpec = EndpointSpec {
///     name: "ranks",
///     method: Method::Get,
///     path: "/ranks",
///     body: BodyKind::Query,
///     auth: Auth::Query("token"),
///     params: &[],
///     checks: &[EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }],
///     response_type: "Any",
/// };
/// let body = bytes::Bytes::from_static(br#"{"code": 0, "data": [1]}"#);
/// let ok = decode_body::<Any>(&ENDPOINT, false, "http://api/ranks", 200, &body)?;
/// assert_eq!(ok.0["data"][0], 1);
/// let body = bytes::Bytes::from_static(br#"{"code": 7, "msg": "no"}"#);
/// let failed = decode_body::<Any>(&ENDPOINT, false, "http://api/ranks", 200, &body);
/// assert!(matches!(failed, Err(Error::Api { code, .. }) if code == "7"));
/// # Ok::<(), Error>(())
/// ```
pub fn decode_body<T: DeserializeOwned + Drifted + Lookup>(
    endpoint: &EndpointSpec,
    strict: bool,
    url: &str,
    status: u16,
    body: &Bytes,
) -> Result<T, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::empty_body(status, url));
    }
    let decoded = match dylive_runtime::decode_slice::<T>(body, strict) {
        Ok(decoded) => decoded,
        Err(source) => {
            return Err(match envelope::scan(body, endpoint.checks) {
                Ok(Some(ApiFailure { field, code, message })) => Error::api(field, code, message, body.clone()),
                Err(_) if source.is_syntax() => Error::not_json(url, source),
                _ => Error::decode(url, endpoint.response_type, source),
            });
        }
    };
    if let Some(ApiFailure { field, code, message }) = envelope::api_failure_in(&decoded.value, endpoint.checks) {
        return Err(Error::api(field, code, message, body.clone()));
    }
    if decoded.drifted {
        warn_on_drift(endpoint, &decoded.value);
    }
    Ok(decoded.value)
}

/// Logs one warning when `value` keeps values of another kind than the
/// model of `endpoint` says: how many, and the first with its place.
fn warn_on_drift(endpoint: &EndpointSpec, value: &impl Drifted) {
    let drift = value.drift();
    let Some(first) = drift.first() else { return };
    tracing::warn!(
        endpoint = endpoint.name,
        drifted = drift.len(),
        pointer = first.pointer(),
        expected = first.expected(),
        found = first.found().describe(),
        "kept {} value(s) of another kind than {} says; the first at {first}",
        drift.len(),
        endpoint.response_type,
    );
}

/// A reqwest error as ours, without the URL's query (it may hold the token).
fn transport_error(url: &str, error: reqwest::Error) -> Error {
    let is_timeout = error.is_timeout();
    let is_connect = error.is_connect();
    let message = error.without_url().to_string();
    if is_timeout {
        Error::timeout(url)
    } else if is_connect {
        Error::connect(url, message)
    } else {
        Error::transport(url, message)
    }
}
