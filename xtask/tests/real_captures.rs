//! `cargo xtask adopt` keeps the suite green on real data: in a throw-away
//! copy of this workspace, every capture of `../shared/real-captures/` that
//! fits an endpoint is adopted, wrapped in the envelope that endpoint
//! answers with; the snapshots of the new fixtures are written as adopt
//! says to; then `cargo test --workspace` passes in the copy.
//!
//! The captures are read where they are and never copied into this
//! repository; without the folder the test says so and passes.
//!
//! The copy builds the whole workspace and its tests, so this is the
//! costly test of the suite. Its target folder is its own, below this
//! checkout's (`real-captures/`): sharing this checkout's would let the
//! copy's artifacts, built from the same relative paths under the same
//! names, replace this checkout's while its tests run. That folder stays
//! between runs, so only the first run builds the dependencies; the copy
//! builds without debug information and incremental state, which it would
//! never use, to keep it small.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use dylive_json::Value;
use tempfile::TempDir;

/// Set in the copy, whose suite holds this test too.
const NESTED: &str = "DYLIVE_REAL_CAPTURES_COPY";

/// How a capture fits an endpoint: the endpoint, and the response it
/// answers with around the capture's part.
struct Fit {
    file: &'static str,
    endpoint: &'static str,
    wrap: fn(Value) -> Value,
}

fn number(text: &str) -> Value {
    Value::Number(text.to_owned())
}

fn part(capture: &Value, pointer: &str) -> Value {
    capture.pointer(pointer).cloned().unwrap_or_else(|| panic!("the capture has {pointer}"))
}

/// `liveroom_info` answers `{code: 200, msg, data: {data: room, extra,
/// status_code}}`, the raw Douyin body inside the vendor's envelope
/// (`fixtures/liveroom_info/documented.json`).
fn room_info(room: Value, extra: Option<Value>, status: Value) -> Value {
    let mut data = Value::object([("data", room)]);
    if let Some(extra) = extra {
        data.set("extra", extra);
    }
    data.set("status_code", status);
    Value::object([("code", number("200")), ("msg", Value::str("success")), ("data", data)])
}

/// A bare room object (no envelope) as `liveroom_info`'s room.
fn bare_room(room: Value) -> Value {
    room_info(room, None, number("0"))
}

/// A raw audience rank list as `liveroom_ranklist`'s `data`.
fn audience_ranks(capture: Value) -> Value {
    Value::object([("code", number("200")), ("msg", Value::str("成功")), ("data", capture)])
}

/// The captures that fit an endpoint, by `SOURCES.md`. Left out: 13 (a
/// user alone; no endpoint answers with one) and 14 (chat messages).
const FITS: &[Fit] = &[
    // Raw `webcast/room/reflow/info`: `{data: {room, user}, extra, status_code}`.
    Fit {
        file: "16_webcast_room_reflow_info_2023-12.json",
        endpoint: "liveroom_info",
        wrap: |c| room_info(part(&c, "/data/room"), c.get("extra").cloned(), part(&c, "/status_code")),
    },
    // One element of `webcast/ranklist/hot`'s `data.ranks`: a rank of
    // `rank_all`'s list, `{code: 200, msg, data: {data: {ranks}, status_code}}`.
    Fit {
        file: "17_hot_live_rank_item_2021-01.json",
        endpoint: "rank_all",
        wrap: |c| {
            let list = Value::object([("ranks", Value::Array(vec![c]))]);
            let data = Value::object([("data", list), ("status_code", number("0"))]);
            Value::object([("code", number("200")), ("msg", Value::str("成功")), ("data", data)])
        },
    },
    // Huoshan feed items: a room with its owner.
    Fit { file: "18_huoshan_live_feed_item_2018-01.json", endpoint: "liveroom_info", wrap: bare_room },
    Fit { file: "19_huoshan_live_feed_item_2019-04.json", endpoint: "liveroom_info", wrap: bare_room },
    // Raw `webcast/ranklist/audience`, `{data: {ranks, …}, extra, status_code}`:
    // the `data` of `liveroom_ranklist`, `{code: 200, msg, data}`. (As the
    // `data` of `room_ranklist`, `{code: 0, msg, data}`, `dylive check`
    // takes it for `liveroom_ranklist`, whose types are the same.)
    Fit { file: "20_ranklist_audience_online_2023-09.json", endpoint: "liveroom_ranklist", wrap: audience_ranks },
    Fit { file: "21_ranklist_audience_anonymous_2023-09.json", endpoint: "liveroom_ranklist", wrap: audience_ranks },
    // Bare room objects.
    Fit { file: "22_room_web_state_room_2024-06.json", endpoint: "liveroom_info", wrap: bare_room },
    Fit { file: "23_room_render_data_room_2023-08.json", endpoint: "liveroom_info", wrap: bare_room },
    // `webcast/room/web/enter` as a vendor relays it,
    // `{data: {data: [room], enter_room_id, user, room_status}, status_code}`:
    // its room as `liveroom_info`'s.
    Fit {
        file: "24_room_web_enter_via_tikhub_2025-08.json",
        endpoint: "liveroom_info",
        wrap: |c| room_info(part(&c, "/data/data/0"), None, part(&c, "/status_code")),
    },
];

/// Copies the workspace's files, leaving out build output and history.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let (path, name) = (entry.path(), entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            if name != "target" && name != ".git" {
                copy_tree(&path, &to.join(&name));
            }
        } else if kind.is_file() {
            std::fs::create_dir_all(to).expect("create dir");
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// This checkout's target folder.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let binary = Path::new(env!("CARGO_BIN_EXE_xtask"));
            binary.parent().and_then(Path::parent).expect("target/<profile>/xtask").to_owned()
        }
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The environment of every command run in the copy.
fn in_copy<'c>(command: &'c mut Command, copy: &Path) -> &'c mut Command {
    command
        .current_dir(copy)
        .env("CARGO_MANIFEST_DIR", copy.join("xtask"))
        .env("CARGO", cargo())
        .env("CARGO_TARGET_DIR", target_dir().join("real-captures"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env(NESTED, "1")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `command`, printing how long it took; panics with its output when
/// it fails.
fn run(what: &str, command: &mut Command) -> Output {
    let started = Instant::now();
    let output = command.output().unwrap_or_else(|e| panic!("{what}: cannot run it: {e}"));
    println!("{what}: {:.0?}", started.elapsed());
    assert!(output.status.success(), "{what} failed:\n{}\n{}", text(&output.stdout), text(&output.stderr));
    output
}

#[test]
fn every_real_capture_is_adopted_and_the_suite_passes() {
    if std::env::var_os(NESTED).is_some() {
        println!("in the copy this test makes; not again");
        return;
    }
    let real = xtask::workspace_root().expect("cargo test sets CARGO_MANIFEST_DIR");
    let captures = real.join("../shared/real-captures");
    if !captures.is_dir() {
        println!("{} is absent; no real captures to adopt", captures.display());
        return;
    }
    let started = Instant::now();
    let copy = TempDir::new().expect("temp dir");
    let copy = copy.path();
    copy_tree(&real, copy);

    // The wrapped captures, under their own names, outside the copy.
    let wrapped = TempDir::new().expect("temp dir");
    let mut endpoints: Vec<(&str, Vec<PathBuf>)> = Vec::new();
    for fit in FITS {
        let source = captures.join(fit.file);
        let body = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let capture = Value::parse(&body).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let path = wrapped.path().join(fit.file);
        std::fs::write(&path, (fit.wrap)(capture).pretty()).expect("write");
        match endpoints.iter_mut().find(|(endpoint, _)| *endpoint == fit.endpoint) {
            Some((_, files)) => files.push(path),
            None => endpoints.push((fit.endpoint, vec![path])),
        }
    }

    for (endpoint, files) in &endpoints {
        let output = run(
            &format!("cargo xtask adopt --endpoint {endpoint} ({} file(s))", files.len()),
            in_copy(
                Command::new(env!("CARGO_BIN_EXE_xtask")).args(["adopt", "--endpoint", endpoint]).args(files),
                copy,
            ),
        );
        let stdout = text(&output.stdout);
        let adopted = stdout.lines().filter(|line| line.starts_with("adopted ")).count();
        assert_eq!(adopted, files.len(), "every capture of {endpoint} is adopted:\n{stdout}\n{}", text(&output.stderr));
        print!(
            "{}",
            stdout.lines().filter(|line| !line.starts_with("  ")).map(|l| format!("{l}\n")).collect::<String>()
        );
    }
    for step in ["infer", "regen"] {
        run(
            &format!("cargo xtask {step} --check"),
            in_copy(Command::new(env!("CARGO_BIN_EXE_xtask")).args([step, "--check"]), copy),
        );
    }

    // What adopt prints as the next step: the new fixtures' snapshots.
    run(
        "INSTA_UPDATE=always cargo test -p dylive-models --test roundtrip",
        in_copy(Command::new(cargo()).args(["test", "-p", "dylive-models", "--test", "roundtrip"]), copy)
            .env("INSTA_UPDATE", "always"),
    );
    run(
        "cargo test --workspace --no-fail-fast",
        in_copy(Command::new(cargo()).args(["test", "--workspace", "--no-fail-fast"]), copy).env("INSTA_UPDATE", "no"),
    );
    println!("in all: {:.0?}", started.elapsed());
}
