//! What the tests of the mock share: a server on a runtime of its own, for
//! tests that talk to it from blocking threads, and a raw HTTP/1.1 client
//! that sends bytes as they are and reads the answer as it comes. Each test
//! file uses a part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dylive_client::EndpointSpec;
use dylive_http::{Auth, BodyKind, Method};
use dylive_mock::{MockServer, MockServerBuilder};

/// The panics of this process so far, on any thread (the server's too).
pub static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic, then reports it as the default hook does.
pub fn count_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        report(info);
    }));
}

/// The credential the raw requests carry.
pub const TOKEN: &str = "tok-mock-test";
/// The multipart boundary of the raw requests.
pub const BOUNDARY: &str = "dyliveBoundary7MA4YWxkTrZu0gW";

/// A server running on a runtime of its own (two worker threads), so that
/// blocking threads can talk to it. The server drops first, then its
/// runtime.
pub struct Background {
    /// The server.
    pub server: MockServer,
    /// Its address, `127.0.0.1:PORT`.
    pub address: String,
    runtime: tokio::runtime::Runtime,
}

impl Background {
    /// Starts `builder` on a new runtime.
    pub fn start(builder: MockServerBuilder) -> Background {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
        let server = runtime.block_on(builder.start());
        let address = server.address().to_string();
        Background { server, address, runtime }
    }

    /// Sends `request` and reads the answer.
    pub fn send(&self, request: &[u8]) -> Answer {
        exchange(&self.address, request).expect("an answer")
    }

    /// A well-formed request of the endpoint `name`, its answer.
    pub fn call(&self, name: &str) -> Answer {
        self.send(&valid_request(endpoint(name), &[]))
    }
}

/// The endpoint named `name`.
pub fn endpoint(name: &str) -> &'static EndpointSpec {
    dylive_mock::endpoint(name).expect("an endpoint of the manifest")
}

/// The fixture at `path` under `fixtures/`.
pub fn fixture(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(path))
        .expect("fixture")
}

/// An HTTP answer: the status, the head as text and the body (de-chunked,
/// not decompressed).
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The status line and the headers.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of the header `name`.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }
}

/// Sends `request` on a new connection and reads the answer, up to its
/// `Content-Length`, its last chunk or the end of the stream; `None` when
/// no status line came. With `patience`, a server that has not answered by
/// then gets the sending half closed (a request it still waits for the end
/// of then ends).
pub fn exchange_with(address: &str, request: &[u8], patience: Option<Duration>) -> Option<Answer> {
    let mut stream = TcpStream::connect(address).ok()?;
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_read_timeout(Some(patience.unwrap_or(Duration::from_secs(10))));
    // A server may answer and close before it has read everything.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let mut closed = patience.is_none();
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&chunk[..n]);
                if parse_answer(&raw).is_some_and(|(answer, complete)| complete || answer.status < 200) {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) && !closed => {
                closed = true;
                let _ = stream.shutdown(Shutdown::Write);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            }
            Err(_) => break,
        }
    }
    parse_answer(&raw).map(|(answer, _)| answer)
}

/// [`exchange_with`] for a well-formed request.
pub fn exchange(address: &str, request: &[u8]) -> Option<Answer> {
    exchange_with(address, request, None)
}

/// The answer in `raw`, and whether its body is complete.
pub fn parse_answer(raw: &[u8]) -> Option<(Answer, bool)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let rest = &raw[end + 4..];
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case(name)))
            .map(|(_, v)| v.trim().to_owned())
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let (body, complete) = dechunk(rest);
        return Some((Answer { status, head, body }, complete));
    }
    let mut body = rest.to_vec();
    let length = header("content-length").and_then(|v| v.parse::<usize>().ok());
    let complete = length.is_some_and(|length| body.len() >= length);
    if let Some(length) = length {
        body.truncate(length);
    }
    Some((Answer { status, head, body }, complete))
}

/// The data of a chunked body so far, and whether its last chunk came.
fn dechunk(mut raw: &[u8]) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") else { return (body, false) };
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or_default().trim(), 16) else {
            return (body, false);
        };
        if size == 0 {
            return (body, true);
        }
        let start = line_end + 2;
        let Some(chunk) = raw.get(start..start.saturating_add(size)) else {
            body.extend_from_slice(raw.get(start..).unwrap_or_default());
            return (body, false);
        };
        body.extend_from_slice(chunk);
        raw = raw.get(start.saturating_add(size).saturating_add(2)..).unwrap_or_default();
    }
}

/// A request of `endpoint` as the documents describe it: the credential
/// where it goes, every parameter set, multipart when the endpoint takes
/// it, and `extra` header lines. The same bytes in every run, so that a
/// seed makes the same requests.
pub fn valid_request(endpoint: &EndpointSpec, extra: &[&str]) -> Vec<u8> {
    let values: Vec<(&str, &str)> = endpoint.params.iter().map(|p| (p.name, "7107858435835808546")).collect();
    let mut query: Vec<(&str, &str)> = Vec::new();
    let mut headers = "Host: 127.0.0.1\r\nConnection: close\r\nUser-Agent: dylive-test\r\n".to_owned();
    for line in extra {
        headers.push_str(line);
        headers.push_str("\r\n");
    }
    match endpoint.auth {
        Auth::Header(name) => headers.push_str(&format!("{name}: {TOKEN}\r\n")),
        Auth::Query(name) => query.push((name, TOKEN)),
    }
    let mut body = String::new();
    match endpoint.body {
        BodyKind::Query => query.extend(values.iter().copied()),
        BodyKind::Multipart => {
            for (name, value) in &values {
                body.push_str(&format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                ));
            }
            body.push_str(&format!("--{BOUNDARY}--\r\n"));
            headers.push_str(&format!(
                "Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
    }
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let target =
        if query.is_empty() { endpoint.path.to_owned() } else { format!("{}?{}", endpoint.path, query.join("&")) };
    let method = match endpoint.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    format!("{method} {target} HTTP/1.1\r\n{headers}\r\n{body}").into_bytes()
}
