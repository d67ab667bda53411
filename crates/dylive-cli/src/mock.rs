//! `dylive mock`: every endpoint served from its fixtures, requests checked
//! as the documents describe them, faults injected on demand.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use dylive_client::EndpointSpec;
use dylive_http::{Auth, BodyKind};
use serde_json::Value;

use crate::embedded;

/// The arguments of `dylive mock`.
#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on; port 0 takes a free one. The first line
    /// printed is the base URL.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Wait this long before each answer.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Answer with this 5xx status.
    #[arg(long, value_parser = clap::value_parser!(u16).range(500..600))]
    status: Option<u16>,
    /// Answer 429 with `Retry-After: SECONDS`.
    #[arg(long, value_name = "SECONDS")]
    rate_limit: Option<u64>,
    /// Answer 200 with an empty body.
    #[arg(long)]
    empty: bool,
    /// Answer 200 with the first half of the body.
    #[arg(long)]
    truncate: bool,
    /// Inject the fault into the first N requests only (default: all).
    #[arg(long, value_name = "N")]
    faults: Option<usize>,
}

/// An endpoint as the mock serves it.
struct Served {
    endpoint: &'static EndpointSpec,
    body: &'static str,
}

struct Mock {
    served: Vec<Served>,
    args: Args,
    requests: AtomicUsize,
}

/// Runs `dylive mock`; returns the exit code.
pub fn run(args: Args) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: {error}");
            return 2;
        }
    };
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> u8 {
    let listener = match tokio::net::TcpListener::bind(&args.addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}: {error}", args.addr);
            return 2;
        }
    };
    let served = dylive_client::ENDPOINTS
        .iter()
        .map(|endpoint| {
            let body = embedded::FIXTURES
                .iter()
                .filter(|(name, _, _)| *name == endpoint.name)
                .map(|(_, _, text)| *text)
                .find(|text| dylive_http::api_failure(text.as_bytes(), endpoint.checks).is_none())
                .unwrap_or("{}");
            Served { endpoint, body }
        })
        .collect();
    match listener.local_addr() {
        Ok(address) => println!("http://{address}"),
        Err(error) => {
            eprintln!("error: {error}");
            return 2;
        }
    }
    let state = Arc::new(Mock { served, args, requests: AtomicUsize::new(0) });
    let router = Router::new().fallback(answer).with_state(state);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("error: {error}");
            2
        }
    }
}

async fn answer(State(mock): State<Arc<Mock>>, request: Request) -> Response {
    let number = mock.requests.fetch_add(1, Ordering::SeqCst);
    let path = request.uri().path().to_owned();
    let Some(served) = mock.served.iter().find(|s| s.endpoint.path == path) else {
        return (StatusCode::NOT_FOUND, format!("no endpoint at {path}")).into_response();
    };
    if *request.method() != axum::http::Method::from(served.endpoint.method) {
        return (StatusCode::METHOD_NOT_ALLOWED, format!("{path} takes {}", served.endpoint.method)).into_response();
    }
    let args = &mock.args;
    if let Some(ms) = args.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if args.faults.is_none_or(|n| number < n) {
        if let Some(status) = args.status {
            return (StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "injected failure")
                .into_response();
        }
        if let Some(seconds) = args.rate_limit {
            return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", seconds.to_string())], "slow down")
                .into_response();
        }
        if args.empty {
            return (StatusCode::OK, "").into_response();
        }
        if args.truncate {
            let cut = served.body.char_indices().nth(served.body.chars().count() / 2).map_or(0, |(at, _)| at);
            return json(served.body[..cut].to_owned());
        }
    }
    match check_request(served, request).await {
        Ok(()) => json(served.body.to_owned()),
        Err(message) => json(failure_body(served, &message)),
    }
}

/// The credential and the required parameters, where the document puts them.
async fn check_request(served: &Served, request: Request) -> Result<(), String> {
    let endpoint = served.endpoint;
    let query: HashMap<String, String> =
        Query::<HashMap<String, String>>::try_from_uri(request.uri()).map(|q| q.0).unwrap_or_default();
    let credential = match endpoint.auth {
        Auth::Header(header) => request.headers().get(header).and_then(|v| v.to_str().ok()).map(str::to_owned),
        Auth::Query(name) => query.get(name).cloned(),
    };
    if credential.is_none_or(|c| c.is_empty()) {
        return Err("missing credential".to_owned());
    }
    let params = if endpoint.body == BodyKind::Multipart {
        let mut form = Multipart::from_request(request, &()).await.map_err(|e| format!("not multipart: {e}"))?;
        let mut fields = HashMap::new();
        while let Ok(Some(field)) = form.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            fields.insert(name, field.text().await.unwrap_or_default());
        }
        fields
    } else {
        query
    };
    for param in endpoint.params.iter().filter(|p| p.required) {
        if params.get(param.name).is_none_or(String::is_empty) {
            return Err(format!("missing parameter {}", param.name));
        }
    }
    Ok(())
}

/// The documented failure envelope: the first check's status field set to
/// -1 and its first message field to `message`.
fn failure_body(served: &Served, message: &str) -> String {
    let mut body = Value::Object(serde_json::Map::new());
    if let Some(check) = served.endpoint.checks.first() {
        set(&mut body, check.status, Value::from(-1));
        if let Some(pointer) = check.message.first() {
            set(&mut body, pointer, Value::from(message));
        }
    }
    body.to_string()
}

fn set(root: &mut Value, pointer: &str, value: Value) {
    let steps: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut node = root;
    for (index, step) in steps.iter().enumerate() {
        let Value::Object(map) = node else { return };
        if index + 1 == steps.len() {
            map.insert((*step).to_owned(), value);
            return;
        }
        node = map.entry((*step).to_owned()).or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
}

fn json(body: String) -> Response {
    ([("content-type", "application/json")], body).into_response()
}
