//! The generated client under load against a `MockServer` on a runtime of
//! its own (two worker threads, as `dylive mock` has), with a seeded fault
//! mix (about 10% 5xx, 5% 429 with `Retry-After`, 5% empty bodies, 5%
//! truncated ones) and latency jitter.
//!
//! Every call must end in a response or a typed error, within a bound
//! derived from the client's timeout and retry policy, without a panic of
//! the clients or the server; afterwards the server must still be serving.
//! The figures (outcomes, p50 and p99 latency, peak memory) are printed as
//! a table.
//!
//! `cargo test` runs 1,000 calls at 50 concurrent; the full run, 20,000
//! at 200, is ignored by default:
//!
//! ```sh
//! cargo test --release -p dylive-mock --test load -- --ignored --nocapture
//! ```

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dylive_client::{
    Attempt, Client, ClientConfig, Error, Hooks, LiveroomInfoRequest, LiveroomRanklistRequest, RankAllRequest,
    RankGoodsRequest, ResponseValue, RetryBudget, RetryPolicy, RoomRanklistRequest,
};
use dylive_mock::MockServer;

mod common;
use common::{count_panics, Background, PANICS};

/// The fault mix, the `Retry-After` of its 429s and the latency of the
/// mock, as `dylive mock` flags.
const MOCK_FLAGS: &str =
    "--mix 5xx=10,429=5,empty=5,truncate=5 --retry-after 1 --latency-ms 1 --jitter-ms 20 --seed 20240611";

/// The mock of [`MOCK_FLAGS`].
fn mock() -> Background {
    Background::start(
        MockServer::builder()
            .mix("5xx=10,429=5,empty=5,truncate=5".parse().expect("a mix"))
            .retry_after(Duration::from_secs(1))
            .latency(Duration::from_millis(1))
            .jitter(Duration::from_millis(20))
            .seed(20240611)
            .disable_request_recording(),
    )
}

/// A client configuration of the load: short timeouts, `retries` retries
/// with short backoff, `Retry-After` honoured up to one second.
fn config(base: &str, retries: u32) -> ClientConfig {
    ClientConfig::new(base, "tok-load")
        .with_connect_timeout(Duration::from_secs(2))
        .with_timeout(Duration::from_secs(5))
        .with_retry(
            RetryPolicy::none()
                .with_max_retries(retries)
                .with_base_delay(Duration::from_millis(20))
                .with_max_delay(Duration::from_millis(100))
                .with_max_retry_after(Duration::from_secs(1)),
        )
}

/// The longest a call may take under `config`: every attempt up to the
/// whole-exchange timeout (which covers connecting), every wait between
/// them at its cap (the backoff's or `Retry-After`'s), and two seconds of
/// slack for a busy machine.
fn bound(config: &ClientConfig) -> Duration {
    let retry = &config.retry;
    let attempts = retry.max_retries + 1;
    let wait = retry.max_delay.max(retry.max_retry_after);
    config.timeout * attempts + wait * retry.max_retries + Duration::from_secs(2)
}

/// What a call came to.
fn outcome<T>(result: &Result<ResponseValue<T>, Error>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(Error::Status { status: 429, retry_after, .. }) => match retry_after {
            Some(wait) => format!("status 429, Retry-After {}s", wait.as_secs()),
            None => "status 429, no Retry-After".to_owned(),
        },
        Err(Error::Status { status, .. }) => format!("status {status}"),
        Err(Error::EmptyBody { .. }) => "empty-body".to_owned(),
        Err(Error::NotJson { .. }) => "not-json".to_owned(),
        Err(Error::Decode { .. }) => "decode".to_owned(),
        Err(Error::Api { .. }) => "api".to_owned(),
        Err(Error::Timeout { .. }) => "timeout".to_owned(),
        Err(Error::Connect { .. }) => "connect".to_owned(),
        Err(Error::Transport { .. }) => "transport".to_owned(),
        Err(Error::BodyTooLarge { .. }) => "body-too-large".to_owned(),
        Err(Error::Request(_)) => "request".to_owned(),
        Err(_) => "other".to_owned(),
    }
}

/// Call number `n`: the endpoints in turn.
async fn call(client: &Client, n: usize) -> String {
    match n % 5 {
        0 => outcome(&client.room_ranklist(&RoomRanklistRequest::new("xzzz", "7107858435835808546")).await),
        1 => outcome(&client.rank_goods(&RankGoodsRequest::new()).await),
        2 => outcome(&client.liveroom_ranklist(&LiveroomRanklistRequest::new(6919375969501465352)).await),
        3 => outcome(&client.rank_all(&RankAllRequest::new()).await),
        _ => outcome(&client.liveroom_info(&LiveroomInfoRequest::new(6843198199583378191)).await),
    }
}

/// The outcomes and latencies of one client's calls.
#[derive(Default)]
struct Tally {
    outcomes: BTreeMap<String, usize>,
    latencies: Vec<Duration>,
}

impl Tally {
    fn count(&self, outcome: &str) -> usize {
        self.outcomes.get(outcome).copied().unwrap_or(0)
    }

    fn matching(&self, test: impl Fn(&str) -> bool) -> usize {
        self.outcomes.iter().filter(|(o, _)| test(o)).map(|(_, n)| n).sum()
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(at).copied().unwrap_or_default()
    }
}

/// The peak resident memory of a process, from `/proc/<pid>/status`.
fn peak_rss(pid: &str) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("VmHWM:")).map(|kb| kb.trim().to_owned())
}

/// Sends `calls` calls, `concurrency` at a time, half through a client
/// without retries and half through one with two; prints the figures and
/// checks what must hold.
fn load(calls: usize, concurrency: usize) {
    count_panics();
    let mock = mock();
    let base = mock.server.base_url().to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let configs = [("no retries", config(&base, 0)), ("2 retries", config(&base, 2))];
    let clients: Vec<(Client, Duration)> = configs
        .iter()
        .map(|(_, config)| (Client::with_config(config.clone()).expect("a client"), bound(config)))
        .collect();
    let started = Instant::now();
    let (tallies, panics) = runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let mut handles = Vec::with_capacity(calls);
        for n in 0..calls {
            let which = n % 2;
            let (client, bound) = clients[which].clone();
            let permits = Arc::clone(&permits);
            handles.push((
                which,
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.expect("the semaphore stays open");
                    let begun = Instant::now();
                    let outcome = match tokio::time::timeout(bound, call(&client, n / 2)).await {
                        Ok(outcome) => outcome,
                        Err(_) => "hang".to_owned(),
                    };
                    (outcome, begun.elapsed())
                }),
            ));
        }
        let mut tallies = [Tally::default(), Tally::default()];
        let mut panics = [0; 2];
        for (which, handle) in handles {
            match handle.await {
                Ok((outcome, latency)) => {
                    *tallies[which].outcomes.entry(outcome).or_default() += 1;
                    tallies[which].latencies.push(latency);
                }
                Err(_) => panics[which] += 1,
            }
        }
        (tallies, panics)
    });
    let elapsed = started.elapsed();

    // Afterwards: the mock accepts connections, and answers a clean request
    // (the mix still applies, so a few tries may meet a fault first).
    let alive = std::net::TcpStream::connect(&mock.address).is_ok();
    let single = Client::with_config(config(&base, 0)).expect("a client");
    let clean = runtime.block_on(async {
        for attempt in 1..=20 {
            if single.rank_all(&RankAllRequest::new()).await.is_ok_and(|r| r.status() == 200 && !r.body().is_empty()) {
                return Some(attempt);
            }
        }
        None
    });
    let rss = peak_rss("self");

    // The table.
    let mut rows: Vec<&String> = tallies.iter().flat_map(|t| t.outcomes.keys()).collect();
    rows.sort_by_key(|row| (row.as_str() != "ok", row.as_str()));
    rows.dedup();
    println!();
    println!("{calls} calls, {concurrency} concurrent, to all five endpoints of a mock as `dylive mock {MOCK_FLAGS}`");
    println!("client: timeout 5 s, connect 2 s, backoff 20 ms doubling up to 100 ms, Retry-After honoured up to 1 s");
    println!("{:<28} {:>12} {:>12} {:>9}", "outcome", configs[0].0, configs[1].0, "share");
    for row in rows {
        let (a, b) = (tallies[0].count(row), tallies[1].count(row));
        println!("{row:<28} {a:>12} {b:>12} {:>8.2}%", 100.0 * (a + b) as f64 / calls as f64);
    }
    println!("{:<28} {:>12} {:>12}", "panicked", panics[0], panics[1]);
    for (label, p) in [("p50 latency", 0.50), ("p99 latency", 0.99), ("max latency", 1.0)] {
        println!("{label:<28} {:>12.1?} {:>12.1?}", tallies[0].percentile(p), tallies[1].percentile(p));
    }
    println!("{:<28} {:>12.1?} {:>12.1?}", "hang bound", clients[0].1, clients[1].1);
    println!("{:<28} {:>12.2?}  ({:.0} calls/s)", "wall time", elapsed, calls as f64 / elapsed.as_secs_f64());
    println!("{:<28} {:>12}", "peak RSS, clients and mock", rss.as_deref().unwrap_or("?"));
    println!("{:<28} {:>12}", "mock alive afterwards", alive);
    println!(
        "{:<28} {:>12}",
        "clean request afterwards",
        clean.map_or("failed".to_owned(), |n| format!("ok, try {n}"))
    );

    // What must hold: outcomes, never timings.
    assert_eq!(panics, [0, 0], "a call panicked");
    assert_eq!(tallies.iter().map(|t| t.outcomes.values().sum::<usize>()).sum::<usize>(), calls);
    for tally in &tallies {
        assert_eq!(tally.count("hang"), 0, "a call outlived its bound: {:?}", tally.outcomes);
        assert_eq!(tally.count("status 429, no Retry-After"), 0, "a 429 lost its Retry-After");
    }
    let bare = &tallies[0];
    assert!(bare.count("ok") > 0 && tallies[1].count("ok") > 0, "no call succeeded: {:?}", bare.outcomes);
    assert!(bare.matching(|o| o.starts_with("status 5")) > 0, "no 5xx seen: {:?}", bare.outcomes);
    assert!(bare.count("status 429, Retry-After 1s") > 0, "no 429 seen: {:?}", bare.outcomes);
    assert!(bare.count("empty-body") > 0, "no empty body seen: {:?}", bare.outcomes);
    assert!(bare.count("not-json") > 0, "no truncated body seen: {:?}", bare.outcomes);
    assert!(
        tallies[1].count("ok") > bare.count("ok"),
        "retries recover calls: {} ok with, {} without",
        tallies[1].count("ok"),
        bare.count("ok")
    );
    let unexpected =
        |t: &Tally| t.matching(|o| !(o == "ok" || o.starts_with("status ") || o == "empty-body" || o == "not-json"));
    assert_eq!(
        unexpected(bare) + unexpected(&tallies[1]),
        0,
        "outcomes the mix does not make: {:?}",
        tallies[1].outcomes
    );
    assert!(alive, "the mock no longer accepts connections");
    assert!(clean.is_some(), "the mock no longer serves a clean request");
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "the mock or a client panicked");
}

/// Counts the requests a client sends, retries included.
#[derive(Debug, Default)]
struct Sent(AtomicUsize);

impl Hooks for Sent {
    fn before_attempt(&self, _: &Attempt, _: &mut dylive_client::header::HeaderMap) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// `calls` calls at `concurrency` through a client of `config` against a
/// fresh mock of [`MOCK_FLAGS`]: the requests sent and the calls that
/// succeeded.
fn requests_sent(config: ClientConfig, calls: usize, concurrency: usize) -> (usize, usize) {
    let mock = mock();
    let sent = Arc::new(Sent::default());
    let client =
        Client::with_config(config.with_base_url(mock.server.base_url()).with_hooks(sent.clone())).expect("a client");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let ok = runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let mut handles = Vec::with_capacity(calls);
        for n in 0..calls {
            let client = client.clone();
            let permits = Arc::clone(&permits);
            handles.push(tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.expect("the semaphore stays open");
                call(&client, n).await == "ok"
            }));
        }
        let mut ok = 0;
        for handle in handles {
            ok += usize::from(handle.await.unwrap_or(false));
        }
        ok
    });
    (sent.0.load(Ordering::Relaxed), ok)
}

/// Under the same mix and seed, a retry budget shared by the client's
/// clones keeps retries from multiplying the requests.
#[test]
fn a_retry_budget_under_the_fault_mix() {
    let (calls, concurrency) = (1_000, 50);
    let retrying = config("http://127.0.0.1:1", 2);
    let (without, ok_without) = requests_sent(retrying.clone(), calls, concurrency);
    let budget = RetryBudget::new(Duration::from_secs(10), 1, 0.1);
    let (with, ok_with) = requests_sent(retrying.with_retry_budget(budget), calls, concurrency);
    println!();
    println!("{calls} calls, {concurrency} concurrent, 2 retries each, against `dylive mock {MOCK_FLAGS}`");
    println!("{:<40} {:>9} {:>9}", "", "requests", "calls ok");
    println!("{:<40} {without:>9} {ok_without:>9}", "without a budget");
    println!("{:<40} {with:>9} {ok_with:>9}", "with RetryBudget::new(10 s, 1/s, 10%)");
    assert!(without > calls + calls / 5, "the mix makes retries: {without} requests for {calls} calls");
    assert!(with < without, "the budget sends fewer requests: {with} with, {without} without");
    assert!(with <= calls + calls / 10 + 20, "retries stay within 10% of the calls and 1 a second: {with}");
}

#[test]
fn client_under_a_fault_mix_small() {
    load(1_000, 50);
}

#[test]
#[ignore = "the full load, 20,000 calls at 200 concurrent: run with --release -- --ignored --nocapture"]
fn client_under_a_fault_mix_full() {
    load(20_000, 200);
}
