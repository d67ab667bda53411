//! `dylive mock`: the command line over `dylive-mock`. Every endpoint
//! served from its fixtures or from captures, each capture mapped to its
//! endpoint as `check` detects it; faults injected on demand: always, for
//! the first N requests, or at random in a seeded mix.
//!
//! The server, its checks of requests and its faults are those of
//! [`dylive_mock::MockServer`]; no request, however malformed, makes it
//! panic.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dylive_client::EndpointSpec;
use dylive_mock::{Capture, Fault, FaultMix, MockServer, Reply};

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
    mix: Option<FaultMix>,
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

/// The captures of one endpoint.
struct Captured {
    endpoint: &'static EndpointSpec,
    captures: Vec<Capture>,
}

/// Runs `dylive mock`; returns the exit code.
pub fn run(args: Args) -> u8 {
    let captured = match load(&args.from) {
        Ok(captured) => captured,
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
    runtime.block_on(serve(args, captured))
}

/// The captures under `paths`, each mapped to the endpoint detected (or
/// named), grouped by endpoint in the manifest's order.
fn load(paths: &[PathBuf]) -> Result<Vec<Captured>, String> {
    let mut found: Vec<(&'static EndpointSpec, Capture)> = Vec::new();
    for given in paths {
        let (named, path) = split_endpoint(given);
        for capture in dylive_mock::read_captures(&path).map_err(|e| e.to_string())? {
            let name = capture.source().to_owned();
            // Read as `check` reads it, also when the endpoint is named.
            let detection = crate::check::detect(capture.body()).map_err(|e| format!("{name}:{e}"))?;
            let wanted = named.unwrap_or(detection.endpoint);
            let endpoint = dylive_mock::endpoint(wanted).ok_or_else(|| {
                format!("{name}: cannot tell which endpoint this capture is of; name it with --from ENDPOINT=PATH")
            })?;
            std::str::from_utf8(capture.body()).map_err(|e| format!("{name}: not UTF-8: {e}"))?;
            found.push((endpoint, capture));
        }
    }
    Ok(dylive_client::ENDPOINTS
        .iter()
        .filter_map(|endpoint| {
            let captures: Vec<Capture> =
                found.iter().filter(|(e, _)| e.name == endpoint.name).map(|(_, c)| c.clone()).collect();
            (!captures.is_empty()).then_some(Captured { endpoint, captures })
        })
        .collect())
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

/// The server `args` describe, serving `captured`.
fn builder(args: &Args, captured: &[Captured]) -> dylive_mock::MockServerBuilder {
    let mut builder = MockServer::builder().bind(args.addr.clone()).disable_request_recording();
    for Captured { endpoint, captures } in captured {
        builder = builder.serve(endpoint.name, Reply::captures(captures.clone()));
    }
    if let Some(ms) = args.latency_ms {
        builder = builder.latency(Duration::from_millis(ms));
    }
    if let Some(ms) = args.jitter_ms {
        builder = builder.jitter(Duration::from_millis(ms));
    }
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    if let Some(n) = args.faults {
        builder = builder.fault_limit(n);
    }
    builder = builder.retry_after(Duration::from_secs(args.rate_limit.unwrap_or(args.retry_after)));
    let fault = args
        .status
        .map(Fault::Status)
        .or(args.rate_limit.map(|_| Fault::Status(429)))
        .or(args.empty.then_some(Fault::Empty))
        .or(args.truncate.then_some(Fault::Truncate));
    match (&args.mix, fault) {
        (Some(mix), _) => builder.mix(mix.clone()),
        (None, Some(fault)) => builder.fault(fault),
        (None, None) => builder,
    }
}

/// What the mock serves, one line an endpoint, and the faults.
fn describe(captured: &[Captured], args: &Args, seed: u64) {
    for endpoint in dylive_client::ENDPOINTS {
        let sources: Vec<String> = match captured.iter().find(|c| c.endpoint.name == endpoint.name) {
            Some(c) => c.captures.iter().map(|capture| format!("capture {}", short(capture.source()))).collect(),
            None => dylive_mock::default_fixture(endpoint.name)
                .map(|fixture| format!("fixture {}", short(fixture.name)))
                .into_iter()
                .collect(),
        };
        let turn = if sources.len() > 1 { " (in turn)" } else { "" };
        say_err!(
            "{:<18} {:<4} {:<28} {}{turn}",
            endpoint.name,
            endpoint.method.as_str(),
            endpoint.path,
            sources.join(", ")
        );
    }
    if let Some(mix) = &args.mix {
        let faults: Vec<String> = mix
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

async fn serve(args: Args, captured: Vec<Captured>) -> u8 {
    let server = match builder(&args, &captured).try_start().await {
        Ok(server) => server,
        Err(error) => {
            say_err!("error: {error}");
            return 2;
        }
    };
    // What is served goes to standard error before the base URL goes to
    // standard output, so that a caller who has read the URL has both. A
    // closed standard output does not stop the mock, which is still
    // reachable at the address it was given.
    describe(&captured, &args, server.seed());
    {
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "{}", server.base_url()).and_then(|()| stdout.flush()).is_err() {
            say_err!("listening on {} (standard output is closed)", server.base_url());
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_may_be_named_before_a_path() {
        let split = |text: &str| split_endpoint(Path::new(text));
        assert_eq!(split("rank-all=a/b.json"), (Some("rank_all"), PathBuf::from("a/b.json")));
        assert_eq!(split("liveroom_info=c=d.json"), (Some("liveroom_info"), PathBuf::from("c=d.json")));
        assert_eq!(split("x=y.json"), (None, PathBuf::from("x=y.json")));
        assert_eq!(split("captures/"), (None, PathBuf::from("captures/")));
    }

    #[test]
    fn captures_are_grouped_by_the_endpoint_detected_or_named() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let paths = [
            fixtures.join("rank_all"),
            PathBuf::from(format!("liveroom-info={}", fixtures.join("rank_goods/success.json").display())),
            fixtures.join("rank_goods/success.json"),
        ];
        let captured = load(&paths).expect("the captures");
        let names: Vec<(&str, usize)> = captured.iter().map(|c| (c.endpoint.name, c.captures.len())).collect();
        let rank_all = std::fs::read_dir(&paths[0]).expect("a folder").count();
        assert_eq!(names, [("rank_goods", 1), ("rank_all", rank_all), ("liveroom_info", 1)]);
        assert!(load(&[]).expect("nothing").is_empty());
    }
}
