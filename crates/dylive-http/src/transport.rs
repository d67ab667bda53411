use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::retry::{RetryPolicy, Sleep, TokioSleep};
use crate::Error;

/// A credential: never printed, by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, to put on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How an endpoint takes the credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// In this request header.
    Header(&'static str),
    /// In this query parameter.
    Query(&'static str),
}

/// How the parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// In the query string.
    Query,
    /// As `multipart/form-data` fields.
    Multipart,
}

/// One check of the status field the API puts in a 2xx body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvelopeCheck {
    /// The JSON Pointer of the status field (`/code`).
    pub status: &'static str,
    /// Its values that mean success, as text (`0`).
    pub success: &'static [&'static str],
    /// JSON Pointers of the message, the first present one is taken.
    pub message: &'static [&'static str],
}

/// One request parameter of an endpoint (the credential is not one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name on the wire.
    pub name: &'static str,
    /// Whether the document marks it required.
    pub required: bool,
}

/// An endpoint as the manifest describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointSpec {
    /// Its name in the manifest.
    pub name: &'static str,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path below the base URL.
    pub path: &'static str,
    /// How the parameters travel.
    pub body: BodyKind,
    /// How the credential travels.
    pub auth: Auth,
    /// The request parameters.
    pub params: &'static [ParamSpec],
    /// The API's own failure reports.
    pub checks: &'static [EnvelopeCheck],
    /// The response type, for error messages.
    pub response_type: &'static str,
}

/// Where and how to call.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The base URL, such as `https://api.example.com`.
    pub base_url: String,
    /// The credential (`Access-Token` or `token`).
    pub credential: Secret,
    /// The longest wait for a connection.
    pub connect_timeout: Duration,
    /// The longest wait for a whole exchange, body included.
    pub timeout: Duration,
    /// Retries of retryable failures.
    pub retry: RetryPolicy,
    /// The largest body accepted.
    pub max_body_bytes: usize,
}

impl ClientConfig {
    /// A configuration with the defaults: 5 s to connect, 30 s in all,
    /// three retries, bodies up to 32 MiB.
    pub fn new(base_url: impl Into<String>, credential: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            credential: Secret::new(credential),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_body_bytes: 32 << 20,
        }
    }
}

/// A decoded response with its status, headers and raw body.
#[derive(Clone, Debug)]
pub struct ResponseValue<T> {
    inner: T,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl<T> ResponseValue<T> {
    /// The same response with its body mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue { inner: f(self.inner), status: self.status, headers: self.headers, body: self.body }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

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
        reqwest::Url::parse(&config.base_url).map_err(|e| Error::Request(format!("base URL: {e}")))?;
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("dylive/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Request(e.without_url().to_string()))?;
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
    pub async fn execute<T: DeserializeOwned>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
    ) -> Result<ResponseValue<T>, Error> {
        let span = tracing::info_span!(
            "dylive.request",
            endpoint = endpoint.name,
            method = endpoint.method,
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

    async fn attempt<T: DeserializeOwned>(
        &self,
        endpoint: &EndpointSpec,
        params: &[(&'static str, String)],
    ) -> Result<ResponseValue<T>, Error> {
        let base = self.config.base_url.trim_end_matches('/');
        let url = format!("{base}{}", endpoint.path);
        let mut request = match endpoint.method {
            "POST" => self.http.post(&url),
            _ => self.http.get(&url),
        };
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
            return Err(Error::Status { status, url, retry_after, body });
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::EmptyBody { status, url });
        }
        // One pass finds the API's own failure report and proves the body
        // JSON; only a body that is not pays for the error's position.
        let failure = match crate::envelope::scan(&body, endpoint.checks) {
            Ok(failure) => failure,
            Err(_) => match dylive_runtime::from_slice::<serde::de::IgnoredAny>(&body) {
                Err(source) => return Err(Error::NotJson { url, source: Box::new(source) }),
                Ok(_) => None,
            },
        };
        if let Some((field, code, message)) = failure {
            return Err(Error::Api { field, code, message, body });
        }
        let inner = dylive_runtime::from_slice::<T>(&body).map_err(|source| Error::Decode {
            url: url.clone(),
            type_name: endpoint.response_type,
            source: Box::new(source),
        })?;
        Ok(ResponseValue { inner, status, headers, body })
    }

    async fn read_body(&self, url: &str, mut response: reqwest::Response) -> Result<Bytes, Error> {
        let limit = self.config.max_body_bytes;
        let too_large = || Error::BodyTooLarge { url: url.to_owned(), limit };
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

/// A reqwest error as ours, without the URL's query (it may hold the token).
fn transport_error(url: &str, error: reqwest::Error) -> Error {
    let url = url.to_owned();
    let is_timeout = error.is_timeout();
    let is_connect = error.is_connect();
    let message = error.without_url().to_string();
    if is_timeout {
        Error::Timeout { url }
    } else if is_connect {
        Error::Connect { url, message }
    } else {
        Error::Transport { url, message }
    }
}
