//! The `dylive` binary, run as a user runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use tempfile::TempDir;

fn dylive() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dylive"))
}

fn run(args: &[&str]) -> Output {
    dylive().args(args).env_remove("DYLIVE_TOKEN").output().expect("dylive runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The text of `fixtures/<path>`.
fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(path)).expect("fixture")
}

/// Every `fixtures/<endpoint>/*.json`, sorted.
fn fixture_paths() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    walkdir::WalkDir::new(root)
        .min_depth(2)
        .max_depth(2)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.expect("a fixture folder"))
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
        .map(|entry| entry.path().display().to_string())
        .collect()
}

/// A fresh temp folder, removed when dropped.
fn temp_dir() -> TempDir {
    tempfile::Builder::new().prefix("dylive-cli-").tempdir().expect("a temp dir")
}

/// A file named `name` in `dir`.
fn temp_file(dir: &TempDir, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("write");
    path
}

// --- check -------------------------------------------------------------------

#[test]
fn check_passes_every_fixture() {
    let files = fixture_paths();
    let mut args = vec!["check", "--per-file"];
    args.extend(files.iter().map(String::as_str));
    let output = run(&args);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", text(&output.stderr));
    for (file, endpoint) in [
        ("room_ranklist/success.json", "room-ranklist"),
        ("liveroom_ranklist/documented.json", "liveroom-ranklist"),
        ("rank_all/documented.json", "rank-all"),
        ("liveroom_info/documented.json", "liveroom-info"),
        ("rank_goods/success.json", "rank-goods"),
    ] {
        assert!(stdout.contains(&format!("{file}: {endpoint}: ok")), "{file} as {endpoint}:\n{stdout}");
    }
}

/// Every case decodes and re-encodes exactly: kind drift is kept by the
/// model and listed by its drift list, the rest is found by the walk.
#[test]
fn check_reports_drift_with_paths_and_exits_1() {
    let seed = fixture("room_ranklist/success.json");
    let unknown = seed.replacen(r#""nickname": "金刚","#, r#""nickname": "金刚", "vip_badge": {"level": 3},"#, 1);
    let kind = seed.replacen(r#""rank": 1,"#, r#""rank": "1","#, 1);
    let missing = seed.replacen(r#""has_more": false,"#, "", 1);
    let fraction = seed.replacen(r#""rank": 1,"#, r#""rank": 1.5,"#, 1);
    let union = seed.replacen(r#""code": 0,"#, r#""code": true,"#, 1);
    let null = seed.replacen(r#""has_more": false,"#, r#""has_more": null,"#, 1);
    let map = seed.replacen(r#""icons": { "2": {"#, r#""icons": { "1": [], "2": {"#, 1);
    let item = seed.replacen("[ 0, 0, 62, 18 ]", r#"[ 0, "x", 62, 18 ]"#, 1);
    let object = seed.replacen(
        r#""j_accredit_info": { "JAccreditAdvance": 0, "JAccreditBasic": 0, "JAccreditContent": 0, "JAccreditLive": 0 }"#,
        r#""j_accredit_info": []"#,
        1,
    );
    let dir = temp_dir();
    for (name, body, expected) in [
        ("unknown.json", unknown, "new        User.vip_badge: object, in 1 of 2 User places, e.g. {\"level\":3} at /data/data/ranks/0/user/vip_badge"),
        ("kind.json", kind, "other kind RoomRank.rank: string, expected an integer, in 1 of 2 RoomRank places, e.g. \"1\" at /data/data/ranks/0/rank"),
        ("missing.json", missing, "missing    RoomRanklist.has_more: absent, in 1 of 1 RoomRanklist places at /data/data/has_more"),
        ("fraction.json", fraction, "other kind RoomRank.rank: number, expected an integer, in 1 of 2 RoomRank places, e.g. 1.5 at /data/data/ranks/0/rank"),
        ("union.json", union, "other kind RoomRanklistResponse.code: boolean, expected a number or a string, in 1 of 1 RoomRanklistResponse places, e.g. true at /code"),
        ("null.json", null, "other kind RoomRanklist.has_more: null, expected a boolean, in 1 of 1 RoomRanklist places, e.g. null at /data/data/has_more"),
        (
            "map.json",
            map,
            "other kind FansClubBadge.icons{}: array, expected an object (Image), in 1 of 1 FansClubBadge places, e.g. [] at /data/data/ranks/0/user/fans_club/data/badge/icons/1",
        ),
        (
            "item.json",
            item,
            "ImageSetting.setting_list[]: string, expected an integer, in 1 of 8 ImageSetting places, e.g. \"x\" at /data/data/ranks/0/user/badge_image_list_v2/4/flex_setting_list/0/setting_list/1",
        ),
        (
            "object.json",
            object,
            "other kind User.j_accredit_info: array, expected an object (JAccreditInfo), in 1 of 2 User places, e.g. [] at /data/data/ranks/0/user/j_accredit_info",
        ),
    ] {
        assert_ne!(body, seed, "{name}: the fixture changed");
        let path = temp_file(&dir, name, body.as_bytes());
        let output = run(&["check", "--endpoint", "room-ranklist", path.to_str().expect("a path")]);
        let stdout = text(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{name}: {stdout}");
        assert!(stdout.contains(expected), "{name}: expected `{expected}` in\n{stdout}");
        assert!(stdout.contains(": drift: decode ok, round-trip lossless; "), "{name}: decodes exactly:\n{stdout}");
        assert_eq!(stdout.lines().count(), 2, "{name}: one finding:\n{stdout}");
    }
}

/// A drifted response of each endpoint is told apart from the others by its
/// envelope and its drift, decodes, and lists the one place that drifted: a
/// number turned into a string (`None`), or the value replaced by the JSON
/// given.
#[test]
fn check_detects_the_endpoint_of_a_drifted_response() {
    let dir = temp_dir();
    for (file, endpoint, pointer, replacement, expected, kind) in [
        ("room_ranklist/success.json", "room-ranklist", "/data/data/ranks/0/user/id", None, "an integer", "string"),
        ("room_ranklist/error.json", "room-ranklist", "/code", Some("[]"), "a number or a string", "array"),
        ("rank_goods/success.json", "rank-goods", "/data/ranks/0/user/id", None, "an integer", "string"),
        (
            "liveroom_ranklist/documented.json",
            "liveroom-ranklist",
            "/data/data/ranks/0/user/pay_grade",
            Some("[]"),
            "an object (PayGrade)",
            "array",
        ),
        ("rank_all/documented.json", "rank-all", "/data/data/ranks/0/user/id", None, "an integer", "string"),
        ("liveroom_info/documented.json", "liveroom-info", "/data/data/owner/id", None, "an integer", "string"),
    ] {
        let mut tree = dylive_json::Value::parse(&fixture(file)).expect("a fixture is JSON");
        let slot = tree.pointer_mut(pointer).expect("the place is in the fixture");
        *slot = match replacement {
            Some(json) => dylive_json::Value::parse(json).expect("JSON"),
            None => dylive_json::Value::str(slot.as_number().expect("a number")),
        };
        let example = slot.to_json();
        let path = temp_file(&dir, "drifted.json", tree.to_json().as_bytes());
        let output = run(&["check", "--json", path.to_str().expect("a path")]);
        assert_eq!(output.status.code(), Some(1), "{file}: {}", text(&output.stdout));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
        let report = &report[0];
        assert_eq!(report["endpoint"], endpoint, "{file}: {report}");
        assert!(report["decode_error"].is_null(), "{file}: {report}");
        assert_eq!(report["round_trip"], serde_json::json!([]), "{file}: {report}");
        assert_eq!(report["counts"], serde_json::json!({"new": 0, "missing": 0, "other_kind": 1}), "{file}: {report}");
        let group = &report["groups"][0];
        assert_eq!(
            (&group["what"], &group["pointer"], &group["expected"], &group["kinds"], &group["count"]),
            (&"other_kind".into(), &pointer.into(), &expected.into(), &serde_json::json!([kind]), &1.into()),
            "{file}: {report}"
        );
        assert_eq!(group["example"], serde_json::Value::from(example), "{file}: {report}");
        assert!(group.get("pointers").is_none(), "{file}: pointers only with --verbose: {report}");
    }
}

#[test]
fn check_json_report_is_machine_readable() {
    let dir = temp_dir();
    let path = temp_file(&dir, "extra.json", br#"{"code": 0, "msg": "", "data": null, "trace": "t-1"}"#);
    let output = run(&["check", "--json", path.to_str().expect("a path")]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report[0]["endpoint"], "room-ranklist");
    assert_eq!(report[0]["groups"][0]["what"], "new");
    assert_eq!(report[0]["groups"][0]["place"], "RoomRanklistResponse.trace");
    assert_eq!(report[0]["groups"][0]["pointer"], "/trace");
    assert_eq!(report[0]["round_trip"].as_array().map(Vec::len), Some(0));
}

/// A 200-rank list of gift givers as `get_room_ranklist` wraps it, each user
/// with 25 properties the schema does not know (strings, ids beyond 2^53,
/// objects, booleans), as the fixtures' users would carry them in 2026.
fn two_hundred_ranks() -> String {
    use dylive_json::Value;
    let mut tree = Value::parse(&fixture("room_ranklist/success.json")).expect("a fixture is JSON");
    tree.set("msg", Value::str("ok"));
    let ranks = tree.pointer_mut("/data/data/ranks").expect("ranks");
    let seeds = ranks.items().to_vec();
    let mut grown = Vec::new();
    for index in 0..200 {
        let mut rank = seeds[index % seeds.len()].clone();
        rank.set("rank", Value::Number((index + 1).to_string()));
        let user = rank.get_mut("user").expect("a user");
        for field in 0..25 {
            let value = match field % 5 {
                0 => Value::str(&format!("MS4wLjABAAAA{index:04}{field}")),
                1 => Value::Number(format!("{}", 7_300_000_000_000_000_000u64 + (index * 25 + field) as u64)),
                2 => Value::object([("level", Value::Number(field.to_string())), ("url", Value::str("https://p3"))]),
                3 => Value::Bool(index % 2 == 0),
                _ => Value::Array(vec![Value::Number(index.to_string())]),
            };
            user.set(&format!("field_2026_{field:02}"), value);
        }
        grown.push(rank);
    }
    *ranks = Value::Array(grown);
    tree.to_json()
}

/// On a 200-rank capture with 25 new properties a user, the report is the
/// summary line and one line a new property, each with its count; the JSON
/// report is the same groups, with every place only when asked.
#[test]
fn check_groups_findings_by_type_and_property() {
    let dir = temp_dir();
    let path = temp_file(&dir, "ranks-200.json", two_hundred_ranks().as_bytes());
    let path = path.to_str().expect("a path");
    let output = run(&["check", path]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() <= 60, "{} lines:\n{stdout}", lines.len());
    let summary = ": room-ranklist: drift: decode ok, round-trip lossless; 25 new, 0 missing, 0 other-kind field(s); ";
    assert!(lines[0].starts_with(path) && lines[0].contains(summary), "{stdout}");
    let new: Vec<&&str> = lines.iter().filter(|line| line.starts_with("  new ")).collect();
    assert_eq!(new.len(), 25, "{stdout}");
    assert!(
        stdout.contains("  new        User.field_2026_00: string, in 200 of 200 User places, e.g. \"MS4wLjABAAAA00000\" at /data/data/ranks/0/user/field_2026_00\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  new        User.field_2026_01: integer, in 200 of 200 User places, e.g. 7300000000000000001 at "
        ),
        "{stdout}"
    );

    let verbose = run(&["check", "--verbose", path]);
    let listed = text(&verbose.stdout).lines().filter(|line| line.starts_with("      /data/data/ranks/")).count();
    assert_eq!(listed, 25 * 200);

    let json = run(&["check", "--json", path]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    let groups = report[0]["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 25);
    assert_eq!(report[0]["counts"]["new"], 25);
    assert!(groups
        .iter()
        .all(|g| g["count"] == 200 && g["of"] == 200 && g["type"] == "User" && g.get("pointers").is_none()));
    let json = run(&["check", "--json", "--verbose", path]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(report[0]["groups"][3]["pointers"].as_array().map(Vec::len), Some(200));
}

/// `dylive check … | head -1`: the reader goes away after one line and the
/// tool stops quietly, without a panic.
#[test]
fn a_closed_output_pipe_ends_the_output_quietly() {
    let dir = temp_dir();
    let path = temp_file(&dir, "ranks-200.json", two_hundred_ranks().as_bytes());
    let mut child = dylive()
        .args(["check", "--verbose", path.to_str().expect("a path")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("one line");
    let output = child.wait_with_output().expect("exits");
    assert!(first.contains("room-ranklist: drift"), "{first}");
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked") && stderr.is_empty(), "{stderr}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_reads_standard_input() {
    let mut child = dylive().args(["check", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("spawn");
    child.stdin.take().expect("stdin").write_all(r#"{"msg":"失败","code":-1,"data":null}"#.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("exits");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).starts_with("-: room-ranklist: ok"));
}

#[test]
fn unreadable_input_exits_2_with_file_line_and_column() {
    let dir = temp_dir();
    let not_json = temp_file(&dir, "trailing.json", b"{\n  \"code\": 0,\n}");
    let not_utf8 = temp_file(&dir, "latin1.json", b"{\"msg\": \"caf\xe9\"}");
    let repeated = temp_file(&dir, "repeated.json", b"{\"code\": 0,\n \"msg\": \"\", \"code\": 1}");
    let escape = temp_file(&dir, "escape.json", "[\"\\🌀\"]".as_bytes());
    for (path, line) in [
        (&escape, format!("{}:1:4: not JSON: invalid escape", escape.display())),
        (&not_json, format!("{}:3:1: not JSON", not_json.display())),
        (&not_utf8, format!("{}:1:13: not UTF-8", not_utf8.display())),
        (&repeated, format!("{}:2:13: not JSON: duplicate key \"code\"", repeated.display())),
    ] {
        let output = run(&["check", path.to_str().expect("a path")]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with(&line), "expected `{line}` in {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    }
    let output = run(&["check", "/no/such/file.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("/no/such/file.json: cannot read"));
}

// --- mock and call -------------------------------------------------------------

/// A running `dylive mock`, stopped on drop.
struct Mock {
    child: Child,
    base: String,
}

impl Mock {
    fn start(flags: &[&str]) -> Mock {
        let mut child = dylive()
            .args(["mock", "--addr", "127.0.0.1:0"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the mock starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("the base URL");
        Mock { child, base: first.trim().to_owned() }
    }

    fn call(&self, args: &[&str]) -> Output {
        dylive()
            .arg("call")
            .args(args)
            .args(["--base", &self.base, "--retries", "0"])
            .env("DYLIVE_TOKEN", "tok-secret-1f2e")
            .output()
            .expect("dylive call runs")
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn call_against_mock_for_every_endpoint() {
    let mock = Mock::start(&[]);
    for (endpoint, params, expect) in [
        ("room-ranklist", vec!["--param", "wcid=xzzz", "--param", "room_id=7107858435835808546"], "金刚"),
        ("rank-goods", vec![], "陈赫"),
        ("liveroom-ranklist", vec!["--param", "room_id=6919375969501465352"], "ddezf"),
        ("rank-all", vec![], "惠买兄弟"),
        ("liveroom-info", vec!["--param", "room_id=6843198199583378191"], "小鱼家服饰1店"),
    ] {
        let mut args = vec![endpoint];
        args.extend(params.iter().copied());
        let output = mock.call(&args);
        let stdout = text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{endpoint}: {}", text(&output.stderr));
        let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
        assert!(json.is_object() && stdout.contains(expect), "{endpoint}: {stdout:.200}");
    }
    let table = mock.call(&["rank-all", "--table"]);
    assert!(text(&table.stdout).lines().nth(1).is_some_and(|row| row.starts_with("1") && row.contains("惠买兄弟")));
}

#[test]
fn each_fault_of_mock_is_the_right_error_kind_of_call() {
    for (flags, extra, kind) in [
        (vec!["--status", "503"], vec![], "error: status: HTTP 503"),
        (vec!["--rate-limit", "7"], vec![], "error: status: HTTP 429"),
        (vec!["--empty"], vec![], "error: empty-body: "),
        (vec!["--truncate"], vec![], "error: not-json: "),
        (vec!["--latency-ms", "3000"], vec!["--timeout-ms", "300"], "error: timeout: "),
    ] {
        let mock = Mock::start(&flags);
        let mut args = vec!["rank-all"];
        args.extend(extra.iter().copied());
        let output = mock.call(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{flags:?}: {stderr}");
        assert!(stderr.starts_with(kind), "{flags:?}: expected `{kind}` in {stderr}");
        assert!(!stderr.contains("tok-secret-1f2e") && !text(&output.stdout).contains("tok-secret-1f2e"));
    }
}

#[test]
fn a_fault_on_the_first_request_only_is_retried_away() {
    let mock = Mock::start(&["--status", "502", "--faults", "1"]);
    let output = dylive()
        .args(["call", "rank-all", "--base", &mock.base, "--retries", "1"])
        .env("DYLIVE_TOKEN", "t")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn mock_answers_a_request_without_credential_with_the_documented_error() {
    let mock = Mock::start(&[]);
    let address = mock.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connects");
    write!(stream, "GET /douyin/webcast/rank_all HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(json["code"], -1, "{body}");
    assert_eq!(json["msg"], "missing credential");
}

#[test]
fn call_usage_errors_exit_2() {
    assert_eq!(run(&["call", "no-such-endpoint", "--token", "t"]).status.code(), Some(2));
    assert_eq!(run(&["call", "rank-all"]).status.code(), Some(2), "no token");
    let output = run(&["call", "room-ranklist", "--token", "t", "--param", "wcid=x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("needs the parameter `room_id`"));
}

#[test]
fn help_and_version() {
    let help = text(&run(&["--help"]).stdout);
    assert!(help.contains("Exit codes:") && help.contains("check") && help.contains("mock") && help.contains("call"));
    for command in ["check", "mock", "call"] {
        let help = text(&run(&[command, "--help"]).stdout);
        assert!(help.contains("Examples:") && help.contains(&format!("dylive {command}")), "{command}: {help}");
    }
    assert!(text(&run(&["--version"]).stdout).starts_with("dylive "));
}
