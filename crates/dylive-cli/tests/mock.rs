//! `dylive mock` from the command line: captures served with `--from` (and
//! what standard error says of them), the fault flags and the seeded mix,
//! usage errors and exit codes. The server itself, its checks and its
//! faults are tested in `dylive-mock`, its request handling fuzzed there.

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dylive_client::{EndpointSpec, ENDPOINTS};
use tempfile::TempDir;

mod common;
/// The raw requests of the mock library's tests.
#[path = "../../dylive-mock/tests/common/mod.rs"]
mod raw;
use common::Mock;

fn dylive() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dylive"))
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(path)).expect("fixture")
}

fn endpoint(name: &str) -> &'static EndpointSpec {
    ENDPOINTS.iter().find(|e| e.name == name).expect("an endpoint of the manifest")
}

impl MockExt for Mock {
    fn send(&self, request: &[u8]) -> Answer {
        exchange(&self.address, request).expect("an answer")
    }

    fn call(&self, name: &str) -> Answer {
        self.send(&valid_request(endpoint(name)))
    }

    fn assert_healthy(&mut self) {
        let status = self.child.try_wait().expect("try_wait");
        assert!(status.is_none(), "the mock exited ({status:?}): {}", self.stderr());
        let stderr = self.stderr();
        assert!(!stderr.contains("panicked"), "the mock panicked: {stderr}");
    }
}

/// What these tests do with a running mock.
trait MockExt {
    /// Sends `request` and reads the answer.
    fn send(&self, request: &[u8]) -> Answer;

    /// A well-formed request of the endpoint `name`, its answer.
    fn call(&self, name: &str) -> Answer;

    /// Fails when the process has exited or printed a panic.
    fn assert_healthy(&mut self);
}

/// An HTTP answer: the status, the head as text and the body.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }
}

/// Sends `request` on a new connection and reads the answer, up to its
/// `Content-Length` or the end of the stream; `None` when no status line
/// came.
fn exchange(address: &str, request: &[u8]) -> Option<Answer> {
    let mut stream = TcpStream::connect(address).ok()?;
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    // A server may answer and close before it has read everything.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                raw.extend_from_slice(&chunk[..n]);
                if parse_answer(&raw).is_some_and(|(answer, complete)| complete || answer.status < 200) {
                    break;
                }
            }
        }
    }
    parse_answer(&raw).map(|(answer, _)| answer)
}

/// The answer in `raw`, and whether its body is complete.
fn parse_answer(raw: &[u8]) -> Option<(Answer, bool)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let mut body = raw[end + 4..].to_vec();
    let length = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
    let complete = length.is_some_and(|length| body.len() >= length);
    if let Some(length) = length {
        body.truncate(length);
    }
    Some((Answer { status, head, body }, complete))
}

/// A request of `endpoint` as the documents describe it, as the mock's
/// own tests write it.
fn valid_request(endpoint: &EndpointSpec) -> Vec<u8> {
    raw::valid_request(endpoint, &[])
}

/// A folder holding `files` (name, text).
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

/// Runs `dylive mock ARGS` that must exit by itself, with its status and
/// standard error; fails if it is still running after 20 seconds.
fn must_exit(args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("a temp folder");
    let stderr = dir.path().join("stderr.txt");
    let mut child = dylive()
        .args(["mock", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(File::create(&stderr).expect("stderr file"))
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return (status.code(), std::fs::read_to_string(&stderr).unwrap_or_default());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`dylive mock {args:?}` is still running: {}", std::fs::read_to_string(&stderr).unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// --- --from ------------------------------------------------------------------

#[test]
fn from_serves_captures_as_their_endpoints_and_fixtures_for_the_rest() {
    let rank_all = fixture("rank_all/documented.json");
    assert!(rank_all.contains("惠买兄弟"));
    let edited = rank_all.replace("惠买兄弟", "captured-anchor-5d1f");
    let info = fixture("liveroom_info/documented.json");
    let dir = folder(&[("hourly.json", &edited), ("room.json", &info), ("notes.txt", "not a capture")]);
    let path = dir.path().display().to_string();
    let mut mock = Mock::start(&["--from", &path]);

    let answer = mock.call("rank_all");
    assert_eq!(answer.status, 200);
    assert!(
        answer.text().contains("captured-anchor-5d1f") && !answer.text().contains("惠买兄弟"),
        "{:.300}",
        answer.text()
    );
    assert_eq!(answer.text(), edited, "served as it is");
    let answer = mock.call("liveroom_info");
    assert_eq!((answer.status, answer.text()), (200, info));
    let answer = mock.call("rank_goods");
    let fixtures = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rank_goods"))
        .expect("fixtures/rank_goods")
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect::<Vec<_>>();
    assert_eq!(answer.status, 200);
    assert!(fixtures.contains(&answer.text()), "a fixture without captures: {:.200}", answer.text());

    // The request checks still hold for a capture.
    let bare = format!("GET /douyin/webcast/rank_all HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", mock.address);
    let answer = mock.send(bare.as_bytes());
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("JSON");
    assert_eq!(json["code"], -1, "{json}");

    let stderr = mock.stderr();
    let line = |name: &str| stderr.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_owned();
    assert!(line("rank_all").contains("capture") && line("rank_all").contains("hourly.json"), "{stderr}");
    assert!(line("liveroom_info").contains("capture") && line("liveroom_info").contains("room.json"), "{stderr}");
    assert!(line("rank_goods").contains(" fixture ") && !line("rank_goods").contains("capture"), "{stderr}");
    assert!(!stderr.contains("notes.txt"), "{stderr}");
    mock.assert_healthy();
}

#[test]
fn from_serves_several_captures_of_one_endpoint_in_turn_and_faults_still_apply() {
    let rank_all = fixture("rank_all/documented.json");
    let dir = folder(&[
        ("a.json", &rank_all.replace("惠买兄弟", "first-capture")),
        ("b.json", &rank_all.replace("惠买兄弟", "second-capture")),
    ]);
    let a = dir.path().join("a.json").display().to_string();
    let b = dir.path().join("b.json").display().to_string();
    let mock = Mock::start(&["--from", &a, "--from", &b]);
    let served: Vec<&str> = (0..5)
        .map(|_| {
            let text = mock.call("rank_all").text();
            if text.contains("first-capture") {
                "a"
            } else if text.contains("second-capture") {
                "b"
            } else {
                "?"
            }
        })
        .collect();
    assert_eq!(served, ["a", "b", "a", "b", "a"]);
    assert!(mock.stderr().contains("(in turn)"), "{}", mock.stderr());

    let faulty = Mock::start(&["--from", &a, "--truncate", "--faults", "1"]);
    let answer = faulty.call("rank_all");
    let full = rank_all.replace("惠买兄弟", "first-capture");
    assert_eq!(answer.status, 200);
    assert!(!answer.body.is_empty() && full.starts_with(&answer.text()) && answer.text().len() < full.len());
    assert!(serde_json::from_slice::<serde_json::Value>(&answer.body).is_err(), "a truncated capture is not JSON");
    assert_eq!(faulty.call("rank_all").text(), full, "after the first request the capture is whole");
}

#[test]
fn from_takes_an_endpoint_named_before_the_path() {
    let failure = "{\"code\": 40001, \"msg\": \"token expired\", \"data\": null}";
    let dir = folder(&[("expired.json", failure)]);
    let path = dir.path().join("expired.json").display().to_string();
    let mock = Mock::start(&["--from", &format!("room-ranklist={path}")]);
    let answer = mock.call("room_ranklist");
    assert_eq!((answer.status, answer.text()), (200, failure.to_owned()));
    assert!(
        mock.stderr().lines().any(|l| l.starts_with("room_ranklist ") && l.contains("expired.json")),
        "{}",
        mock.stderr()
    );

    let (code, stderr) = must_exit(&["--from", &format!("no-such-endpoint={path}")]);
    assert_eq!(code, Some(2), "not an endpoint, so a path that does not exist: {stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn from_with_an_unreadable_capture_exits_2_with_its_place() {
    let dir = folder(&[
        ("good.json", &fixture("rank_all/documented.json")),
        ("broken.json", "{\"code\": 0,\n  \"data\": [1, }"),
    ]);
    let path = dir.path().display().to_string();
    let (code, stderr) = must_exit(&["--from", &path]);
    assert_eq!(code, Some(2), "{stderr}");
    let broken = dir.path().join("broken.json").display().to_string();
    let place =
        stderr.strip_prefix(&format!("error: {broken}:")).unwrap_or_else(|| panic!("no file:line:column: {stderr}"));
    let mut parts = place.splitn(3, ':');
    let line: usize = parts.next().and_then(|l| l.parse().ok()).unwrap_or_else(|| panic!("no line: {stderr}"));
    let column: usize = parts.next().and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("no column: {stderr}"));
    assert_eq!(line, 2, "{stderr}");
    assert!(column > 1, "{stderr}");

    let not_utf8 = folder(&[("latin1.json", "")]);
    std::fs::write(not_utf8.path().join("latin1.json"), b"{\"msg\": \"caf\xe9\"}").expect("write");
    let (code, stderr) = must_exit(&["--from", &not_utf8.path().display().to_string()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("latin1.json:1:"), "{stderr}");

    let (code, stderr) = must_exit(&["--from", "/no/such/capture.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("/no/such/capture.json: cannot read"), "{stderr}");

    let empty = folder(&[("readme.txt", "no captures here")]);
    let (code, stderr) = must_exit(&["--from", &empty.path().display().to_string()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no *.json captures"), "{stderr}");
}

// --- the fault mix -------------------------------------------------------------

/// The statuses of `count` requests of `rank_all`, one after another.
fn statuses(mock: &Mock, count: usize) -> Vec<(u16, usize)> {
    (0..count)
        .map(|_| {
            let answer = mock.call("rank_all");
            (answer.status, answer.body.len())
        })
        .collect()
}

#[test]
fn a_mix_of_one_fault_gives_it_to_every_request() {
    let whole = Mock::start(&[]).call("rank_all").text();

    let mock = Mock::start(&["--mix", "5xx=100"]);
    let seen: Vec<u16> = statuses(&mock, 24).iter().map(|(status, _)| *status).collect();
    assert!(seen.iter().all(|s| [500, 502, 503, 504].contains(s)), "{seen:?}");
    assert!(seen.iter().any(|s| *s != seen[0]), "5xx varies: {seen:?}");

    let mock = Mock::start(&["--mix", "503=100"]);
    assert!(statuses(&mock, 5).iter().all(|(status, _)| *status == 503));

    let mock = Mock::start(&["--mix", "429=100", "--retry-after", "0"]);
    for _ in 0..5 {
        let answer = mock.call("liveroom_info");
        assert_eq!((answer.status, answer.header("retry-after").as_deref()), (429, Some("0")));
    }
    let mock = Mock::start(&["--mix", "429=100"]);
    assert_eq!(mock.call("rank_all").header("retry-after").as_deref(), Some("1"), "the default Retry-After");

    let mock = Mock::start(&["--mix", "empty=100"]);
    assert!(statuses(&mock, 5).iter().all(|answer| *answer == (200, 0)));

    let mock = Mock::start(&["--mix", "truncate=100"]);
    for _ in 0..3 {
        let answer = mock.call("rank_all");
        assert_eq!(answer.status, 200);
        assert!(!answer.body.is_empty() && answer.body.len() < whole.len() && whole.starts_with(&answer.text()));
    }

    let mock = Mock::start(&["--mix", "5xx=0,empty=0"]);
    assert!(statuses(&mock, 5).iter().all(|answer| *answer == (200, whole.len())), "0% is never");
}

#[test]
fn a_mix_follows_its_seed_and_the_faults_limit() {
    let whole = Mock::start(&[]).call("rank_all").body.len();
    let flags = |seed: &'static str| vec!["--mix", "5xx=30,empty=30", "--jitter-ms", "3", "--seed", seed];
    let first = statuses(&Mock::start(&flags("11")), 40);
    let again = statuses(&Mock::start(&flags("11")), 40);
    let other = statuses(&Mock::start(&flags("12")), 40);
    assert_eq!(first, again, "the same seed, the same faults");
    assert_ne!(first, other, "another seed, other faults");
    assert!(first.iter().any(|(s, _)| (500..600).contains(s)), "{first:?}");
    assert!(first.contains(&(200, 0)) && first.contains(&(200, whole)), "{first:?}");
    assert!(first.iter().all(|a| (500..600).contains(&a.0) || *a == (200, 0) || *a == (200, whole)), "{first:?}");

    let mock = Mock::start(&["--mix", "5xx=100", "--faults", "3", "--seed", "1"]);
    let seen: Vec<u16> = statuses(&mock, 6).iter().map(|(status, _)| *status).collect();
    assert!(seen[..3].iter().all(|s| (500..600).contains(s)) && seen[3..] == [200, 200, 200], "{seen:?}");
    assert!(mock.stderr().contains("fault mix: 5xx 100%; seed 1"), "{}", mock.stderr());
}

#[test]
fn latency_and_jitter_are_waited_and_the_jitter_seed_is_told() {
    let mock = Mock::start(&["--latency-ms", "250", "--jitter-ms", "5", "--seed", "3"]);
    let started = Instant::now();
    assert_eq!(mock.call("rank_all").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
    assert!(mock.stderr().contains("jitter seed 3"), "{}", mock.stderr());
    let mock = Mock::start(&["--jitter-ms", "1"]);
    let told = mock.stderr().lines().find_map(|l| l.strip_prefix("jitter seed ").map(str::to_owned));
    assert!(told.is_some_and(|seed| seed.parse::<u64>().is_ok()), "a random seed is told: {}", mock.stderr());
}

#[test]
fn a_bad_mix_is_a_usage_error() {
    for (args, said) in [
        (vec!["--mix", "5xx=80,429=30"], "more than 100"),
        (vec!["--mix", "slow=5"], "unknown fault `slow`"),
        (vec!["--mix", "5xx"], "is not KIND=PERCENT"),
        (vec!["--mix", "5xx=5", "--status", "503"], "cannot be used with"),
    ] {
        let (code, stderr) = must_exit(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_standard_output_does_not_stop_the_mock() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let address = format!("127.0.0.1:{port}");
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let dir = tempfile::tempdir().expect("a temp folder");
    let stderr = dir.path().join("stderr.txt");
    let child = dylive()
        .args(["mock", "--addr", &address])
        .stdout(writer)
        .stderr(File::create(&stderr).expect("stderr file"))
        .spawn()
        .expect("starts");
    let mut mock = Mock::attach(child, address.clone(), stderr, dir);
    let deadline = Instant::now() + Duration::from_secs(20);
    let answer = loop {
        if let Some(answer) = exchange(&address, &valid_request(endpoint("rank_all"))) {
            break answer;
        }
        assert!(Instant::now() < deadline, "the mock never answered: {}", mock.stderr());
        mock.assert_healthy();
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(answer.status, 200);
    assert!(mock.stderr().contains("standard output is closed"), "{}", mock.stderr());
    mock.assert_healthy();
}
