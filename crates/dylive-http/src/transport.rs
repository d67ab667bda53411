//! Sends an endpoint's request, retries what may succeed later, and turns
//! every outcome into a [`ResponseValue`] or one [`Error`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use dylive_runtime::decode::Decode;
use dylive_runtime::lookup::Lookup;
use dylive_runtime::Drift;
use tracing::Instrument;

use crate::config::ClientConfig;
use crate::envelope::{self, ApiFailure};
use crate::error::Error;
use crate::hooks::{Attempt, AttemptOutcome, CallOptions, DriftEvent};
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
    /// A transport for `config`: through its own `reqwest::Client` when it
    /// has one ([`ClientConfig::with_http_client`]), else through one built
    /// here, with TLS through rustls and gzip, brotli and zstd responses
    /// decoded.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        reqwest::Url::parse(&config.base_url).map_err(|e| Error::request(format!("base URL: {e}")))?;
        let http = match config.http_client() {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .use_rustls_tls()
                .connect_timeout(config.connect_timeout)
                .user_agent(concat!("dylive/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| Error::request(e.without_url().to_string()))?,
        };
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
    pub async fn execute<T: Decode + Lookup>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
    ) -> Result<ResponseValue<T>, Error> {
        self.execute_with(endpoint, params, &CallOptions::default()).await
    }

    /// [`execute`](Self::execute) with `options` over the configuration.
    ///
    /// Each attempt runs the hooks ([`ClientConfig::with_hooks`]) before
    /// and after it; a retry is made only when the retry policy allows it
    /// and the retry budget, if any, can pay for it.
    pub async fn execute_with<T: Decode + Lookup>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
        options: &CallOptions,
    ) -> Result<ResponseValue<T>, Error> {
        let span = tracing::info_span!(
            "dylive.request",
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            path = endpoint.path
        );
        let policy = options.retry.as_ref().unwrap_or(&self.config.retry);
        let budget = self.config.retry_budget();
        async {
            if let Some(budget) = budget {
                budget.deposit();
            }
            let mut retry = 0;
            loop {
                let error = match self.attempt(endpoint, params, options, retry + 1).await {
                    Ok(value) => return Ok(value),
                    Err(error) => error,
                };
                let delay = if error.is_retryable() { policy.delay(retry, error.retry_after()) } else { None };
                let Some(delay) = delay else { return Err(error) };
                if budget.is_some_and(|budget| !budget.withdraw()) {
                    tracing::warn!(retry = retry + 1, %error, "the retry budget is spent; not retrying");
                    return Err(error);
                }
                tracing::warn!(retry = retry + 1, delay_ms = delay.as_millis() as u64, %error, "retrying");
                self.sleeper.sleep(delay).await;
                retry += 1;
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt, numbered from 1, with the hooks around it.
    async fn attempt<T: Decode + Lookup>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
        options: &CallOptions,
        number: u32,
    ) -> Result<ResponseValue<T>, Error> {
        let started = Instant::now();
        let mut status = None;
        let result = self.send(endpoint, params, options, number, &mut status).await;
        let outcome = AttemptOutcome {
            endpoint: endpoint.name,
            number,
            status,
            latency: started.elapsed(),
            error: result.as_ref().err().map(Error::kind),
        };
        for hooks in self.config.hooks() {
            hooks.after_attempt(&outcome);
        }
        result
    }

    async fn send<T: Decode + Lookup>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
        options: &CallOptions,
        number: u32,
        status_seen: &mut Option<u16>,
    ) -> Result<ResponseValue<T>, Error> {
        let base = self.config.base_url.trim_end_matches('/');
        let url = format!("{base}{}", endpoint.path);
        let mut request =
            self.http.request(endpoint.method.into(), &url).timeout(options.timeout.unwrap_or(self.config.timeout));
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
        let mut request = request.build().map_err(|e| transport_error(&url, e))?;
        let attempt = Attempt { endpoint: endpoint.name, number };
        for hooks in self.config.hooks() {
            hooks.before_attempt(&attempt, request.headers_mut());
        }
        let response = self.http.execute(request).await.map_err(|e| transport_error(&url, e))?;
        let status = response.status().as_u16();
        *status_seen = Some(status);
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
        let strict = options.strict.unwrap_or(self.config.strict);
        let (inner, drift) = decode(endpoint, strict, &url, status, &body)?;
        self.report_drift(endpoint, &drift);
        Ok(ResponseValue::new(inner, status, headers, body))
    }

    /// Logs one warning for a response that keeps values of another kind,
    /// and tells the hooks.
    fn report_drift(&self, endpoint: &EndpointSpec, drift: &[Drift]) {
        let Some(first) = drift.first() else { return };
        warn_on_drift(endpoint, drift.len(), first);
        let event = DriftEvent { endpoint: endpoint.name, count: drift.len(), first: first.pointer().to_owned() };
        for hooks in self.config.hooks() {
            hooks.on_drift(&event);
        }
    }

    /// The body, decompressed as it arrives; more than `max_body_bytes`
    /// of it, compressed or not, is [`Error::BodyTooLarge`], and no more is
    /// read.
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
/// use dylive_runtime::RawJson;
///
/// const ENDPOINT: EndpointSpec = EndpointSpec {
///     name: "ranks",
///     method: Method::Get,
///     path: "/ranks",
///     body: BodyKind::Query,
///     auth: Auth::Query("token"),
///     params: &[],
///     checks: &[EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }],
///     response_type: "RawJson",
/// };
/// let body = bytes::Bytes::from_static(br#"{"code": 0, "data": [1]}"#);
/// let ok = decode_body::<RawJson>(&ENDPOINT, false, "http://api/ranks", 200, &body)?;
/// assert_eq!(ok.get(), r#"{"code": 0, "data": [1]}"#);
/// let body = bytes::Bytes::from_static(br#"{"code": 7, "msg": "no"}"#);
/// let failed = decode_body::<RawJson>(&ENDPOINT, false, "http://api/ranks", 200, &body);
/// assert!(matches!(failed, Err(Error::Api { code, .. }) if code == "7"));
/// # Ok::<(), Error>(())
/// ```
pub fn decode_body<T: Decode + Lookup>(
    endpoint: &EndpointSpec,
    strict: bool,
    url: &str,
    status: u16,
    body: &Bytes,
) -> Result<T, Error> {
    let (value, drift) = decode::<T>(endpoint, strict, url, status, body)?;
    if let Some(first) = drift.first() {
        warn_on_drift(endpoint, drift.len(), first);
    }
    Ok(value)
}

/// [`decode_body`], giving the values of another kind the value keeps,
/// recorded as the decoder met them, instead of logging them.
fn decode<T: Decode + Lookup>(
    endpoint: &EndpointSpec,
    strict: bool,
    url: &str,
    status: u16,
    body: &Bytes,
) -> Result<(T, Vec<Drift>), Error> {
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
    Ok((decoded.value, decoded.drift))
}

/// Logs one warning for a response of `endpoint` that keeps `count` values
/// of another kind than its model says, the first at `first`.
fn warn_on_drift(endpoint: &EndpointSpec, count: usize, first: &Drift) {
    tracing::warn!(
        endpoint = endpoint.name,
        drifted = count,
        pointer = first.pointer(),
        expected = first.expected(),
        found = first.found().describe(),
        "kept {count} value(s) of another kind than {} says; the first at {first}",
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
