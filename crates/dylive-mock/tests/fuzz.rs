//! The mock's request handling fuzzed over raw TCP: valid requests of every
//! endpoint, mangled by the shared mutator and with HTTP-specific changes
//! (huge or negative `Content-Length`, long and many headers, odd
//! `Accept-Encoding`, percent-encoded lone surrogates, broken multipart
//! boundaries), sent to a `MockServer` in this process. None may make it
//! panic or stop serving.
//!
//! It makes `DYLIVE_FUZZ_CASES` requests (4,000 unless set) from a fixed
//! seed, `DYLIVE_FUZZ_SEED` (1 unless set), on `DYLIVE_FUZZ_THREADS`
//! connections at a time (4 unless set).

use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use dylive_client::ENDPOINTS;
use dylive_fuzz::{self as fuzz, Mutator};
use dylive_mock::MockServer;

mod common;
use common::{count_panics, exchange_with, valid_request, Background, BOUNDARY, PANICS};

/// Texts worth dropping into a request: escapes and percent-encodings that
/// are no UTF-8 (lone surrogates), multi-byte characters, numbers no
/// machine type holds, and header lines that break framing.
const REQUEST_TOKENS: &[&str] = &[
    "\\u",
    "\\ud800",
    "%ED%A0%80",
    "%ed%b2%80",
    "%uD800",
    "%F0%9F%8C",
    "%C0%80",
    "%",
    "%zz",
    "%00",
    "🌀",
    "中",
    "é",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "99999999999999999999999999999999999999",
    "-1",
    "1e999999",
    "&token=",
    "&token=%ED%A0%80",
    "?token=a&token=b",
    "&wcid=&room_id=",
    "&&&==",
    "#",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\r\n\r\n",
    "HTTP/1.0",
    "HTTP/9.9",
    "--",
    "--dyliveBoundary7MA4YWxkTrZu0gW--\r\n",
    "\r\n--dyliveBoundary7MA4YWxkTrZu0gW\r\n",
    "Content-Disposition: form-data; name=\"",
    "Content-Disposition: form-data; name=\"wcid\"; filename=\"🌀.bin\"\r\nContent-Type: application/octet-stream\r\n",
];

/// Header lines to insert after a line of the head.
const HEADER_LINES: &[&str] = &[
    "Content-Length: 18446744073709551616\r\n",
    "Content-Length: 99999999999\r\n",
    "Content-Length: 4294967296\r\n",
    "Content-Length: -1\r\n",
    "Content-Length: 5\r\n",
    "Content-Length: 0\r\n",
    "Transfer-Encoding: chunked\r\n",
    "Transfer-Encoding: gzip, chunked\r\n",
    "Access-Token: \r\n",
    "Access-Token: tok\u{1F300}\r\n",
    "Access-Token: \u{ff}\u{fe}\r\n",
    "Content-Type: multipart/form-data; boundary=\r\n",
    "Content-Type: multipart/form-data; boundary=\"🌀\"\r\n",
    "Content-Type: multipart/form-data; boundary=other\r\n",
    "Content-Type: multipart/form-data\r\n",
    "Content-Type: application/json\r\n",
    "Expect: 100-continue\r\n",
    "Connection: keep-alive\r\n",
    "Connection: upgrade\r\nUpgrade: websocket\r\n",
    "Host: \r\n",
    "Accept-Encoding: gzip\r\n",
    "Accept-Encoding: br;q=0.5, zstd;q=1, gzip;q=nan, *;q=-1\r\n",
    "Accept-Encoding: \u{ff}\u{fe}, identity;q=0\r\n",
    ": no-name\r\n",
    "No-Colon\r\n",
    " folded: line\r\n",
];

/// One mangled request: a valid request with HTTP-aware changes (a header
/// line, a long header, many headers, a long query, a token, another
/// boundary, a huge `Content-Length`), then, most of the time, bytes
/// changed by the shared mutator.
fn mangle(mutator: &mut Mutator, valid: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = valid[mutator.below(valid.len())].clone();
    let head_end = |bytes: &[u8]| bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(bytes.len());
    for _ in 0..mutator.below(3) {
        let line_ends: Vec<usize> = bytes[..head_end(&bytes)]
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w == b"\r\n")
            .map(|(i, _)| i + 2)
            .collect();
        let after_line = line_ends.get(mutator.below(line_ends.len())).copied().unwrap_or(0);
        let anywhere = mutator.below(bytes.len() + 1);
        match mutator.below(10) {
            0..=2 => {
                let line = HEADER_LINES[mutator.below(HEADER_LINES.len())];
                bytes.splice(after_line..after_line, line.bytes());
            }
            3..=5 => {
                let token = REQUEST_TOKENS[mutator.below(REQUEST_TOKENS.len())];
                bytes.splice(anywhere..anywhere, token.bytes());
            }
            6 => {
                let sizes = [100, 8_000, 70_000, 500_000];
                let line = format!("X-Long: {}\r\n", "a".repeat(sizes[mutator.below(sizes.len())]));
                bytes.splice(after_line..after_line, line.bytes());
            }
            7 => {
                let count = [50, 101, 1_000][mutator.below(3)];
                let lines: String = (0..count).map(|i| format!("X-Many-{i}: {i}\r\n")).collect();
                bytes.splice(after_line..after_line, lines.bytes());
            }
            8 => {
                // A long query: many pairs, or one long value.
                let query =
                    if mutator.below(2) == 0 { "&a=1".repeat(5_000) } else { format!("&b={}", "9".repeat(20_000)) };
                let at = bytes.iter().position(|b| *b == b' ').map_or(0, |first| {
                    bytes[first + 1..].iter().position(|b| *b == b' ').map_or(first + 1, |second| first + 1 + second)
                });
                bytes.splice(at..at, query.bytes());
            }
            _ => {
                // The boundary of the body no longer matches the header's.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                bytes = text.replacen(&format!("--{BOUNDARY}"), "--brokenBoundary", 1 + mutator.below(2)).into_bytes();
            }
        }
    }
    if mutator.below(10) < 7 {
        bytes = mutator.mutate(&bytes);
    }
    bytes
}

/// What one mangled request came to, by kind.
type Outcomes = std::collections::BTreeMap<String, usize>;

/// The fuzz loop of one thread: `cases` mangled requests from `seed`.
fn fuzz_thread(mock: &Background, seed: u64, cases: usize) -> Result<Outcomes, String> {
    let valid: Vec<Vec<u8>> = ENDPOINTS.iter().map(|endpoint| valid_request(endpoint, &[])).collect();
    let mut mutator = Mutator::new(seed, valid.iter().map(|r| String::from_utf8_lossy(r).into_owned()));
    let mut outcomes = Outcomes::new();
    let result = fuzz::run(
        cases,
        |_| mangle(&mut mutator, &valid),
        |request| {
            let answer = exchange_with(&mock.address, request, Some(Duration::from_millis(100)));
            let answered = answer.is_some();
            let outcome =
                answer.map_or_else(|| "closed without an answer".to_owned(), |a| format!("HTTP {}", a.status));
            *outcomes.entry(outcome).or_default() += 1;
            if PANICS.load(Ordering::SeqCst) > 0 {
                return Err(if answered {
                    "the mock panicked, on another thread's request (this one was answered)".to_owned()
                } else {
                    "the mock panicked, likely on this request (it got no answer)".to_owned()
                });
            }
            if TcpStream::connect(&mock.address).is_err() {
                return Err("the mock no longer accepts connections".to_owned());
            }
            Ok(true)
        },
    );
    result.map(|_| outcomes).map_err(|error| match &error {
        fuzz::FuzzError::Failed(failure) => format!(
            "{error}\nreplay with DYLIVE_FUZZ_THREADS=1 DYLIVE_FUZZ_SEED={seed} DYLIVE_FUZZ_CASES={}",
            failure.case + 1
        ),
        _ => error.to_string(),
    })
}

#[test]
fn mangled_requests_never_panic_the_mock_and_it_keeps_serving() {
    let number = |name: &str, default: u64| std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    let cases = fuzz::cases(4_000).expect("DYLIVE_FUZZ_CASES is a count");
    let seed = number("DYLIVE_FUZZ_SEED", 1);
    let threads = number("DYLIVE_FUZZ_THREADS", 4).max(1);
    count_panics();
    let mock = Background::start(MockServer::builder());
    let started = Instant::now();
    let results: Vec<Result<Outcomes, String>> = std::thread::scope(|scope| {
        let spawned: Vec<_> = (0..threads)
            .map(|t| {
                let share = cases / threads as usize + usize::from((t as usize) < cases % threads as usize);
                let mock = &mock;
                scope.spawn(move || fuzz_thread(mock, seed.wrapping_mul(threads).wrapping_add(t), share))
            })
            .collect();
        spawned.into_iter().map(|t| t.join().unwrap_or_else(|_| Err("a fuzz thread panicked".to_owned()))).collect()
    });
    let mut outcomes = Outcomes::new();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(counts) => {
                counts.into_iter().for_each(|(outcome, count)| *outcomes.entry(outcome).or_default() += count)
            }
            Err(failure) => failures.push(failure),
        }
    }
    failures.sort_by_key(|failure| !failure.contains("likely on this request"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!("{cases} mangled requests (DYLIVE_FUZZ_SEED={seed}, {threads} threads) in {:.1?}:", started.elapsed());
    for (outcome, count) in &outcomes {
        eprintln!("  {count:>7}  {outcome}");
    }
    assert_eq!(outcomes.values().sum::<usize>(), cases);
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "the mock panicked");
    for e in ENDPOINTS {
        let answer = mock.call(e.name);
        let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("a JSON body");
        assert_eq!(answer.status, 200, "{}", e.name);
        assert!(json.is_object() && answer.body.len() > 100, "{}: {json}", e.name);
    }
    assert!(outcomes.keys().filter(|o| o.starts_with("HTTP ")).count() >= 3, "few kinds of answer: {outcomes:?}");
}
