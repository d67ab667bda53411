//! One request: routed to its endpoint, checked as the documents describe
//! it, recorded, and answered by a fault, the documented error envelope, a
//! mounted reply or the endpoint's default.
//!
//! Nothing here panics on any request: a request that does not fit gets an
//! HTTP error or the documented error envelope.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use dylive_client::EndpointSpec;
use dylive_http::{Auth, BodyKind};
use dylive_json::Value;

use crate::expect::Mounted;
use crate::reply::{first_half, What};
use crate::server::{lock, Served, Shared};
use crate::settings::Faults;
use crate::{Fault, Reply};

/// One request the server received, as [`MockServer::received_requests`]
/// lists it. The credential is never kept: its query parameter and its
/// header are left out, only whether it was there.
///
/// [`MockServer::received_requests`]: crate::MockServer::received_requests
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The endpoint whose path it was sent to, as
    /// [`dylive_client::ENDPOINTS`] names it; `None` for another path.
    pub endpoint: Option<&'static str>,
    /// The HTTP method, such as `GET`.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query parameters, then (for a multipart endpoint) the form
    /// fields, in the order sent, without the credential.
    pub params: Vec<(String, String)>,
    /// Whether the credential was there, not empty, where the endpoint
    /// takes it (the `Access-Token` header or the `token` query).
    pub auth: bool,
    /// The headers (names in lower case), without the credential's.
    pub headers: Vec<(String, String)>,
    /// The status it was answered with.
    pub status: u16,
    /// Why it failed the documented checks (and got the error envelope),
    /// such as `missing parameter room_id`; `None` when it passed or was
    /// not checked (another path, another method, a fault of the server).
    pub rejection: Option<String>,
}

impl ReceivedRequest {
    /// The first value of the parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The first value of the header `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// Whether `name` is a query parameter that carries a credential.
fn credential_param(name: &str) -> bool {
    dylive_client::ENDPOINTS.iter().any(|e| matches!(e.auth, Auth::Query(param) if param == name))
}

/// Whether `name` is a header that carries a credential.
fn credential_header(name: &str) -> bool {
    dylive_client::ENDPOINTS.iter().any(|e| matches!(e.auth, Auth::Header(header) if header.eq_ignore_ascii_case(name)))
}

/// A request, read: what the checks need and what the record keeps.
struct Parsed {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    /// The query, as the checks read it (a repeated name: the last value).
    query: HashMap<String, String>,
    /// The query, pair by pair.
    pairs: Vec<(String, String)>,
    credential: Option<String>,
    /// The form fields of a multipart endpoint, or why they cannot be read.
    form: Option<Result<Vec<(String, String)>, String>>,
}

impl Parsed {
    /// Reads the head of `request` and, for a multipart `endpoint`, when
    /// `body` is set, its form.
    async fn read(endpoint: Option<&EndpointSpec>, request: Request, body: bool) -> Parsed {
        let uri = request.uri();
        let query = Query::<HashMap<String, String>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        let credential = endpoint.and_then(|endpoint| match endpoint.auth {
            Auth::Header(name) => request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned),
            Auth::Query(name) => query.get(name).cloned(),
        });
        let headers = request
            .headers()
            .iter()
            .filter(|(name, _)| !credential_header(name.as_str()))
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let method = request.method().as_str().to_owned();
        let path = uri.path().to_owned();
        let multipart = endpoint.is_some_and(|e| e.body == BodyKind::Multipart);
        let form = if multipart && body { Some(read_form(request).await) } else { None };
        Parsed { method, path, headers, query, pairs, credential, form }
    }

    /// Whether the credential is there, not empty.
    fn auth(&self) -> bool {
        self.credential.as_deref().is_some_and(|c| !c.is_empty())
    }

    /// The credential and the required parameters, where the document puts
    /// them.
    fn check(&self, endpoint: &EndpointSpec) -> Result<(), String> {
        if !self.auth() {
            return Err("missing credential".to_owned());
        }
        let fields: HashMap<&str, &str>;
        let params: HashMap<&str, &str> = match &self.form {
            Some(Ok(form)) => {
                fields = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                fields
            }
            Some(Err(error)) => return Err(error.clone()),
            None => self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        };
        for param in endpoint.params.iter().filter(|p| p.required) {
            if params.get(param.name).is_none_or(|value| value.is_empty()) {
                return Err(format!("missing parameter {}", param.name));
            }
        }
        Ok(())
    }

    /// The record of the request.
    fn into_received(self, endpoint: Option<&'static str>, status: u16, rejection: Option<String>) -> ReceivedRequest {
        let auth = self.auth();
        let mut params: Vec<(String, String)> = self.pairs.into_iter().filter(|(k, _)| !credential_param(k)).collect();
        if let Some(Ok(form)) = self.form {
            params.extend(form);
        }
        ReceivedRequest {
            endpoint,
            method: self.method,
            path: self.path,
            params,
            auth,
            headers: self.headers,
            status,
            rejection,
        }
    }
}

/// The fields of a `multipart/form-data` body, or why it is not one.
async fn read_form(request: Request) -> Result<Vec<(String, String)>, String> {
    let mut form = Multipart::from_request(request, &()).await.map_err(|e| format!("not multipart: {e}"))?;
    let mut fields = Vec::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let value = field.text().await.map_err(|e| format!("not multipart: {e}"))?;
                fields.push((name, value));
            }
            Ok(None) => return Ok(fields),
            Err(error) => return Err(format!("not multipart: {error}")),
        }
    }
}

/// Answers one request.
pub(crate) async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let number = shared.requests.fetch_add(1, Ordering::SeqCst);
    let path = request.uri().path().to_owned();
    let Some(served) = shared.endpoints.iter().find(|s| s.spec.path == path) else {
        let response = (StatusCode::NOT_FOUND, format!("no endpoint at {path}")).into_response();
        let parsed = Parsed::read(None, request, false).await;
        shared.record(number, parsed.into_received(None, response.status().as_u16(), None));
        return response;
    };
    served.calls.fetch_add(1, Ordering::SeqCst);
    let seen = served.seen.fetch_add(1, Ordering::SeqCst);
    let endpoint = served.spec;
    if request.method().as_str() != endpoint.method.as_str() {
        let response = (StatusCode::METHOD_NOT_ALLOWED, format!("{path} takes {}", endpoint.method)).into_response();
        let parsed = Parsed::read(Some(endpoint), request, false).await;
        shared.record(number, parsed.into_received(Some(endpoint.name), response.status().as_u16(), None));
        return response;
    }
    let (wait, fault) = shared.draw(served, number, seen);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let parsed = Parsed::read(Some(endpoint), request, true).await;
    let (response, rejection) = match fault {
        Some(fault) => (shared.fault_response(fault, served, None), None),
        None => match parsed.check(endpoint) {
            Err(message) => (json(StatusCode::OK, Bytes::from(failure_body(endpoint, &message))), Some(message)),
            Ok(()) => {
                let mounted = shared.take_mounted(endpoint);
                let reply = mounted.as_ref().map_or(&served.default, |m| &m.mock.reply);
                if !reply.delay.is_zero() {
                    tokio::time::sleep(reply.delay).await;
                }
                (shared.reply_response(reply, served), None)
            }
        },
    };
    shared.record(number, parsed.into_received(Some(endpoint.name), response.status().as_u16(), rejection));
    response
}

impl Shared {
    /// The wait and the fault of one request of `served`, the `number`th
    /// the server received and the `seen`th at its path: its own settings
    /// where given, the server's otherwise. Drawn in one go from its
    /// generator, so that a seed replays the same sequence.
    fn draw(&self, served: &Served, number: usize, seen: usize) -> (Duration, Option<Fault>) {
        let chaos = &self.chaos;
        let own = served.own.as_ref().map(|own| &own.settings);
        let latency = own.and_then(|o| o.latency).unwrap_or(chaos.latency);
        let jitter_ms = own.and_then(|o| o.jitter_ms).or(chaos.jitter_ms);
        let mut rng = lock(self.rng_of(served));
        let jitter = jitter_ms.map_or(0, |ms| rng.u64(0..=ms));
        let fault = match own.and_then(|o| o.faults.as_ref()) {
            Some(Faults::Mix(mix)) => mix.pick(rng.f64() * 100.0),
            Some(Faults::One(fault)) => Some(*fault),
            None => match &chaos.mix {
                Some(mix) => mix.pick(rng.f64() * 100.0),
                None => chaos.fault,
            },
        };
        let fault = match fault {
            Some(Fault::ServerError) => Some(Fault::Status(server_error(&mut rng))),
            other => other,
        };
        let within = match own.and_then(|o| o.limit) {
            Some(limit) => seen < limit,
            None => chaos.limit.is_none_or(|limit| number < limit),
        };
        (latency.saturating_add(Duration::from_millis(jitter)), fault.filter(|_| within))
    }

    /// The first mounted reply of `endpoint` with a use left, that use
    /// taken.
    fn take_mounted(&self, endpoint: &EndpointSpec) -> Option<Arc<Mounted>> {
        lock(&self.mounted).iter().find(|m| m.mock.endpoint.name == endpoint.name && m.take()).cloned()
    }

    /// The answer of `reply` for `served`.
    fn reply_response(&self, reply: &Reply, served: &Served) -> Response {
        match &reply.what {
            What::Bodies { truncate, .. } => {
                let body = reply.next_body().unwrap_or_default();
                let body = if *truncate { first_half(&body) } else { body };
                json(reply.status.map_or(StatusCode::OK, status_code), body)
            }
            What::Fault(fault) => self.fault_response(*fault, served, Some(reply)),
        }
    }

    /// The answer of `fault` for `served`, with the status and
    /// `Retry-After` of `reply`, if given.
    fn fault_response(&self, fault: Fault, served: &Served, reply: Option<&Reply>) -> Response {
        let ok = reply.and_then(|r| r.status).map_or(StatusCode::OK, status_code);
        match fault {
            Fault::Status(429) => {
                let seconds = reply.and_then(|r| r.retry_after).unwrap_or(self.chaos.retry_after).as_secs();
                (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, seconds.to_string())], "slow down")
                    .into_response()
            }
            Fault::Status(status) => (status_code(status), "injected failure").into_response(),
            Fault::ServerError => {
                let status = server_error(&mut lock(self.rng_of(served)));
                (status_code(status), "injected failure").into_response()
            }
            Fault::Empty => (ok, "").into_response(),
            Fault::Truncate => {
                let body = served
                    .default
                    .next_body()
                    .or_else(|| served.fixture.map(|f| Bytes::from_static(f.body)))
                    .unwrap_or_default();
                json(ok, first_half(&body))
            }
        }
    }

    /// Keeps `request`, unless recording is off.
    fn record(&self, number: usize, request: ReceivedRequest) {
        if let Some(received) = &self.received {
            lock(received).push((number, request));
        }
    }
}

/// 500, 502, 503 or 504.
fn server_error(rng: &mut fastrand::Rng) -> u16 {
    [500, 502, 503, 504].get(rng.usize(0..4)).copied().unwrap_or(500)
}

/// `status` as a status code; 500 when it is none.
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The documented failure envelope: the first check's status field set to
/// -1 and its first message field to `message`, the objects on the way made.
fn failure_body(endpoint: &EndpointSpec, message: &str) -> String {
    let mut body = Value::Object(Vec::new());
    if let Some(check) = endpoint.checks.first() {
        body.set_pointer(check.status, Value::Number("-1".to_owned()));
        if let Some(pointer) = check.message.first() {
            body.set_pointer(pointer, Value::str(message));
        }
    }
    body.to_json()
}

/// A JSON answer.
fn json(status: StatusCode, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_envelope_sets_the_first_check() {
        for endpoint in dylive_client::ENDPOINTS {
            let body = failure_body(endpoint, "missing credential");
            let failure = dylive_http::api_failure(body.as_bytes(), endpoint.checks).expect("a failure");
            assert_eq!((failure.code.as_str(), failure.message.as_str()), ("-1", "missing credential"), "{body}");
        }
    }
}
