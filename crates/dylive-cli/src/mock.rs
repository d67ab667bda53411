//! `dylive mock`: every endpoint served from its fixtures or from captures,
//! requests checked as the documents describe them, faults injected on
//! demand: always, for the first N requests, or at random in a seeded mix.
//!
//! No request, however malformed, makes the mock panic: a request that does
//! not fit gets an HTTP error or the documented error envelope.

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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
    /// Serve these captures: a JSON file, or a folder of `*.json` files;
    /// repeatable. Each is served as the endpoint it is detected to be of
    /// (as `dylive check` detects it), or the one named as in
    /// `rank-all=PATH`; several of one endpoint in turn. Endpoints without
    /// a capture keep the fixtures.
    #[arg(long, value_name = "[ENDPOINT=]PATH")]
    from: Vec<PathBuf>,
    /// Wait this long before each answer.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Wait a random extra 0 to MS milliseconds before each answer (from
    /// the --seed generator).
    #[arg(long, value_name = "MS")]
    jitter_ms: Option<u64>,
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
    /// Inject a fault into each request at random, each kind with its
    /// percentage: `5xx` (500, 502, 503 or 504), a status from 400 to 599
    /// (`429` comes with `Retry-After`), `empty`, `truncate`. The other
    /// requests are answered normally. Example: 5xx=10,429=5,empty=5,truncate=5.
    #[arg(long, value_name = "KIND=PERCENT,...", conflicts_with_all = ["status", "rate_limit", "empty", "truncate"])]
    mix: Option<Mix>,
    /// The `Retry-After` of the 429s of --mix.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    retry_after: u64,
    /// Seed the random choices of --mix and --jitter-ms, to replay a run:
    /// the same seed gives the same faults and waits to the same sequence
    /// of requests. Default: a random seed, printed on standard error.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Inject faults into the first N requests only (default: all).
    #[arg(long, value_name = "N")]
    faults: Option<usize>,
}

/// A fault the mock can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Fault {
    /// 500, 502, 503 or 504, chosen at random.
    ServerError,
    /// This status; a 429 comes with `Retry-After`.
    Status(u16),
    /// 200 with an empty body.
    Empty,
    /// 200 with the first half of the body.
    Truncate,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::ServerError => f.write_str("5xx"),
            Fault::Status(status) => write!(f, "{status}"),
            Fault::Empty => f.write_str("empty"),
            Fault::Truncate => f.write_str("truncate"),
        }
    }
}

/// Faults with their percentages, as `--mix` gives them.
#[derive(Clone, Debug, PartialEq)]
struct Mix(Vec<(Fault, f64)>);

/// Why a `--mix` does not parse.
#[derive(Debug, PartialEq, thiserror::Error)]
enum MixError {
    /// An item is not `KIND=PERCENT`.
    #[error("`{0}` is not KIND=PERCENT")]
    NotPair(String),
    /// The kind is none the mock knows.
    #[error("unknown fault `{0}`: use 5xx, a status from 400 to 599, empty or truncate")]
    Kind(String),
    /// The percentage is not a number from 0 to 100.
    #[error("`{0}` is not a percentage from 0 to 100")]
    Percent(String),
    /// A kind is given twice.
    #[error("`{0}` is given twice")]
    Twice(String),
    /// The percentages add up to more than 100.
    #[error("the percentages add up to {0}, more than 100")]
    Total(f64),
}

impl FromStr for Mix {
    type Err = MixError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut mix = Vec::new();
        for item in text.split(',').map(str::trim).filter(|item| !item.is_empty()) {
            let (kind, percent) = item.split_once('=').ok_or_else(|| MixError::NotPair(item.to_owned()))?;
            let fault = match kind.trim() {
                "5xx" => Fault::ServerError,
                "empty" => Fault::Empty,
                "truncate" => Fault::Truncate,
                code => match code.parse::<u16>() {
                    Ok(status) if (400..600).contains(&status) => Fault::Status(status),
                    _ => return Err(MixError::Kind(code.to_owned())),
                },
            };
            let share = percent
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| MixError::Percent(percent.trim().to_owned()))?;
            if mix.iter().any(|(f, _)| *f == fault) {
                return Err(MixError::Twice(kind.trim().to_owned()));
            }
            mix.push((fault, share));
        }
        let total: f64 = mix.iter().map(|(_, p)| p).sum();
        if total > 100.0 + 1e-9 {
            return Err(MixError::Total(total));
        }
        Ok(Mix(mix))
    }
}

impl Mix {
    /// The fault that a roll from 0 to 100 falls on, if any.
    fn pick(&self, roll: f64) -> Option<Fault> {
        let mut upto = 0.0;
        for (fault, share) in &self.0 {
            upto += share;
            if roll < upto {
                return Some(*fault);
            }
        }
        None
    }
}

/// A body the mock serves, and where it comes from.
struct Body {
    text: String,
    source: String,
}

/// An endpoint as the mock serves it: its bodies, served in turn.
struct Served {
    endpoint: &'static EndpointSpec,
    bodies: Vec<Body>,
    captured: bool,
    next: AtomicUsize,
}

impl Served {
    /// The next body in turn.
    fn next_body(&self) -> &str {
        let count = self.bodies.len().max(1);
        let index = self.next.fetch_add(1, Ordering::Relaxed) % count;
        self.bodies.get(index).map_or("{}", |body| body.text.as_str())
    }
}

struct Mock {
    served: Vec<Served>,
    args: Args,
    requests: AtomicUsize,
    rng: Mutex<fastrand::Rng>,
}

/// Runs `dylive mock`; returns the exit code.
pub fn run(args: Args) -> u8 {
    let served = match load(&args.from) {
        Ok(served) => served,
        Err(message) => {
            say_err!("error: {message}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            say_err!("error: {error}");
            return 2;
        }
    };
    runtime.block_on(serve(args, served))
}

/// The endpoints with their bodies: the captures under `paths`, each mapped
/// to the endpoint detected, and the fixtures for the others.
fn load(paths: &[PathBuf]) -> Result<Vec<Served>, String> {
    let mut captures: HashMap<&'static str, Vec<Body>> = HashMap::new();
    for (named, file) in capture_files(paths)? {
        let name = file.display().to_string();
        let bytes = std::fs::read(&file).map_err(|e| format!("{name}: cannot read: {e}"))?;
        // Read as `check` reads it, also when the endpoint is named.
        let detection = crate::check::detect(&bytes).map_err(|e| format!("{name}:{e}"))?;
        let wanted = named.unwrap_or(detection.endpoint);
        let endpoint = dylive_client::ENDPOINTS.iter().find(|endpoint| endpoint.name == wanted).ok_or_else(|| {
            format!("{name}: cannot tell which endpoint this capture is of; name it with --from ENDPOINT=PATH")
        })?;
        let text = String::from_utf8(bytes).map_err(|e| format!("{name}: not UTF-8: {e}"))?;
        captures.entry(endpoint.name).or_default().push(Body { text, source: name });
    }
    Ok(dylive_client::ENDPOINTS
        .iter()
        .map(|endpoint| match captures.remove(endpoint.name) {
            Some(bodies) => Served { endpoint, bodies, captured: true, next: AtomicUsize::new(0) },
            None => {
                // The documented responses first; captures adopted later
                // (`cargo xtask adopt` names them `captured-…`) after them.
                let mut fixtures: Vec<_> = embedded::fixtures().filter(|(name, _, _)| *name == endpoint.name).collect();
                fixtures.sort_by_key(|(_, file, _)| file.starts_with("captured-"));
                let fixtures = fixtures.into_iter();
                let body = fixtures
                    .clone()
                    .find(|(_, _, text)| dylive_http::api_failure(text.as_bytes(), endpoint.checks).is_none())
                    .or_else(|| fixtures.clone().next())
                    .map(|(_, file, text)| Body { text: (*text).to_owned(), source: (*file).to_owned() });
                Served { endpoint, bodies: body.into_iter().collect(), captured: false, next: AtomicUsize::new(0) }
            }
        })
        .collect())
}

/// The capture files `paths` name: a file itself, the `*.json` files of a
/// folder, in order of name; each with the endpoint named before it
/// (`rank-all=PATH`), if any.
fn capture_files(paths: &[PathBuf]) -> Result<Vec<(Option<&'static str>, PathBuf)>, String> {
    let mut files = Vec::new();
    for given in paths {
        let (named, path) = split_endpoint(given);
        let meta = std::fs::metadata(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        if !meta.is_dir() {
            files.push((named, path));
            continue;
        }
        let entries = std::fs::read_dir(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|file| file.is_file() && file.extension().is_some_and(|e| e == "json"))
            .collect();
        if found.is_empty() {
            return Err(format!("{}: no *.json captures in this folder", path.display()));
        }
        found.sort();
        files.extend(found.into_iter().map(|file| (named, file)));
    }
    Ok(files)
}

/// `rank-all=PATH` as the endpoint and the path; any other text (or a file
/// that exists under that very name) as a path alone.
fn split_endpoint(given: &Path) -> (Option<&'static str>, PathBuf) {
    let named = given
        .to_str()
        .filter(|_| !given.exists())
        .and_then(|text| text.split_once('='))
        .and_then(|(name, path)| Some((crate::endpoint_name(name)?, PathBuf::from(path))));
    match named {
        Some((endpoint, path)) => (Some(endpoint), path),
        None => (None, given.to_owned()),
    }
}

/// What the mock serves, one line an endpoint, and the faults.
fn describe(served: &[Served], args: &Args, seed: u64) {
    for s in served {
        let what = if s.captured { "capture" } else { "fixture" };
        let sources: Vec<String> = s.bodies.iter().map(|b| format!("{what} {}", short(&b.source))).collect();
        let turn = if sources.len() > 1 { " (in turn)" } else { "" };
        say_err!(
            "{:<18} {:<4} {:<28} {}{turn}",
            s.endpoint.name,
            s.endpoint.method.as_str(),
            s.endpoint.path,
            sources.join(", ")
        );
    }
    if let Some(mix) = &args.mix {
        let faults: Vec<String> = mix
            .0
            .iter()
            .map(|(fault, share)| match fault {
                Fault::Status(429) => format!("{fault} {share}% (Retry-After: {})", args.retry_after),
                _ => format!("{fault} {share}%"),
            })
            .collect();
        say_err!("fault mix: {}; seed {seed}", faults.join(", "));
    } else if args.jitter_ms.is_some() {
        say_err!("jitter seed {seed}");
    }
}

/// A file name as given, or its last part when it is long.
fn short(source: &str) -> String {
    if source.chars().count() <= 60 {
        return source.to_owned();
    }
    Path::new(source).file_name().map_or_else(|| source.to_owned(), |name| format!("…/{}", name.to_string_lossy()))
}

async fn serve(args: Args, served: Vec<Served>) -> u8 {
    let listener = match tokio::net::TcpListener::bind(&args.addr).await {
        Ok(listener) => listener,
        Err(error) => {
            say_err!("error: cannot listen on {}: {error}", args.addr);
            return 2;
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => {
            say_err!("error: {error}");
            return 2;
        }
    };
    // The base URL goes first; a closed standard output does not stop the
    // mock, which is still reachable at the address it was given.
    {
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "http://{address}").and_then(|()| stdout.flush()).is_err() {
            say_err!("listening on http://{address} (standard output is closed)");
        }
    }
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    describe(&served, &args, seed);
    let state =
        Arc::new(Mock { served, args, requests: AtomicUsize::new(0), rng: Mutex::new(fastrand::Rng::with_seed(seed)) });
    let router = Router::new().fallback(answer).with_state(state);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
        Ok(()) => 0,
        Err(error) => {
            say_err!("error: {error}");
            2
        }
    }
}

/// The extra wait and the fault of one request, drawn in one go so that a
/// seed replays the same sequence.
fn draw(mock: &Mock) -> (u64, Option<Fault>) {
    let args = &mock.args;
    let mut rng = mock.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let jitter = args.jitter_ms.map_or(0, |ms| rng.u64(0..=ms));
    let fault = match &args.mix {
        Some(mix) => match mix.pick(rng.f64() * 100.0) {
            Some(Fault::ServerError) => {
                Some(Fault::Status([500, 502, 503, 504].get(rng.usize(0..4)).copied().unwrap_or(500)))
            }
            other => other,
        },
        None => args
            .status
            .map(Fault::Status)
            .or(args.rate_limit.map(|_| Fault::Status(429)))
            .or(args.empty.then_some(Fault::Empty))
            .or(args.truncate.then_some(Fault::Truncate)),
    };
    (jitter, fault)
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
    let (jitter, fault) = draw(&mock);
    let wait = args.latency_ms.unwrap_or(0).saturating_add(jitter);
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let fault = fault.filter(|_| args.faults.is_none_or(|n| number < n));
    match fault {
        Some(Fault::Status(429)) => {
            let seconds = args.rate_limit.unwrap_or(args.retry_after);
            return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", seconds.to_string())], "slow down")
                .into_response();
        }
        Some(Fault::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, "injected failure").into_response();
        }
        Some(Fault::Empty) => return (StatusCode::OK, "").into_response(),
        Some(Fault::Truncate) => {
            let body = served.next_body();
            let cut = body.char_indices().nth(body.chars().count() / 2).map_or(0, |(at, _)| at);
            return json(body.get(..cut).unwrap_or_default().to_owned());
        }
        Some(Fault::ServerError) => return (StatusCode::INTERNAL_SERVER_ERROR, "injected failure").into_response(),
        None => {}
    }
    match check_request(served, request).await {
        Ok(()) => json(served.next_body().to_owned()),
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
        loop {
            match form.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_owned();
                    let value = field.text().await.map_err(|e| format!("not multipart: {e}"))?;
                    fields.insert(name, value);
                }
                Ok(None) => break,
                Err(error) => return Err(format!("not multipart: {error}")),
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mix_parses_and_picks_by_share() {
        let mix: Mix = "5xx=10, 429=5,empty=5,truncate=2.5".parse().expect("a mix");
        assert_eq!(
            mix.0,
            vec![(Fault::ServerError, 10.0), (Fault::Status(429), 5.0), (Fault::Empty, 5.0), (Fault::Truncate, 2.5)]
        );
        assert_eq!(mix.pick(0.0), Some(Fault::ServerError));
        assert_eq!(mix.pick(9.99), Some(Fault::ServerError));
        assert_eq!(mix.pick(10.0), Some(Fault::Status(429)));
        assert_eq!(mix.pick(19.0), Some(Fault::Empty));
        assert_eq!(mix.pick(21.0), Some(Fault::Truncate));
        assert_eq!(mix.pick(22.5), None);
        assert_eq!(mix.pick(99.9), None);
        let all: Mix = "503=100".parse().expect("a mix");
        assert_eq!(all.pick(99.999), Some(Fault::Status(503)));
    }

    #[test]
    fn a_bad_mix_says_why() {
        for (text, error) in [
            ("5xx", MixError::NotPair("5xx".to_owned())),
            ("slow=5", MixError::Kind("slow".to_owned())),
            ("200=5", MixError::Kind("200".to_owned())),
            ("5xx=ten", MixError::Percent("ten".to_owned())),
            ("5xx=-1", MixError::Percent("-1".to_owned())),
            ("5xx=NaN", MixError::Percent("NaN".to_owned())),
            ("5xx=1,5xx=2", MixError::Twice("5xx".to_owned())),
            ("5xx=60,empty=50", MixError::Total(110.0)),
        ] {
            assert_eq!(text.parse::<Mix>(), Err(error), "{text}");
        }
    }

    #[test]
    fn an_endpoint_may_be_named_before_a_path() {
        let split = |text: &str| split_endpoint(Path::new(text));
        assert_eq!(split("rank-all=a/b.json"), (Some("rank_all"), PathBuf::from("a/b.json")));
        assert_eq!(split("liveroom_info=c=d.json"), (Some("liveroom_info"), PathBuf::from("c=d.json")));
        assert_eq!(split("x=y.json"), (None, PathBuf::from("x=y.json")));
        assert_eq!(split("captures/"), (None, PathBuf::from("captures/")));
    }

    #[test]
    fn every_endpoint_is_served_from_a_fixture_without_captures() {
        let served = load(&[]).expect("the fixtures");
        assert_eq!(served.len(), dylive_client::ENDPOINTS.len());
        for s in &served {
            assert!(!s.captured && !s.bodies.is_empty(), "{}", s.endpoint.name);
            assert!(s.bodies.iter().all(|b| b.text.starts_with('{')), "{}", s.endpoint.name);
        }
    }
}
