//! `dylive check` over a corpus: folders and JSON lines on every core, one
//! report of counts that a test counts again on its own, and reports of
//! shards that merge into the report of the whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dylive")).args(args).output().expect("dylive runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The successful documented responses the corpus is made of, by endpoint
/// (command-line spelling).
fn sources() -> Vec<(&'static str, Value)> {
    let read = |path: &str| -> Value {
        let text = std::fs::read_to_string(root().join(path)).expect("a fixture");
        serde_json::from_str(&text).expect("JSON")
    };
    let mut sources = vec![
        ("room-ranklist", read("fixtures/room_ranklist/success.json")),
        ("rank-goods", read("fixtures/rank_goods/success.json")),
        ("liveroom-info", read("fixtures/liveroom_info/documented.json")),
    ];
    // A real capture, wrapped as `get_room_ranklist` answers, when it is
    // there (../shared/real-captures, beside the workspace).
    let real = root().join("../shared/real-captures/20_ranklist_audience_online_2023-09.json");
    if let Ok(text) = std::fs::read_to_string(real) {
        let data: Value = serde_json::from_str(&text).expect("JSON");
        sources.push(("room-ranklist", json!({"code": 0, "msg": "ok", "data": data})));
    }
    sources
}

/// One capture of the corpus: what it is made as, so that the test can
/// count what `check` must find.
struct Made {
    name: String,
    endpoint: &'static str,
    text: String,
    /// The property added at the top level, when one was.
    added: Option<&'static str>,
    /// The text is cut short: not JSON.
    broken: bool,
}

/// `count` captures: every source in turn; one in 5 has a property the
/// schemas do not know at the top level (one of two names), one in 50 is
/// cut short. The real capture, being large, comes once in 100.
fn corpus(count: usize) -> Vec<Made> {
    let sources = sources();
    let (small, large): (Vec<_>, Vec<_>) = sources.iter().partition(|(_, v)| v.to_string().len() < 100_000);
    (0..count)
        .map(|i| {
            let (endpoint, value) = match large.first() {
                Some(large) if i % 100 == 99 => *large,
                _ => small[i % small.len()],
            };
            let mut value = value.clone();
            let added = match i % 5 {
                0 => Some(["added_in_2026", "added_in_2027"][i % 2]),
                _ => None,
            };
            if let (Some(name), Some(object)) = (added, value.as_object_mut()) {
                object.insert(name.to_owned(), json!({"since": i}));
            }
            let mut text = value.to_string();
            let broken = i % 50 == 7;
            if broken {
                text.truncate(text.len() / 2);
            }
            Made { name: format!("r-{i:05}.json"), endpoint, text, added, broken }
        })
        .collect()
}

/// Writes the captures into `dir`: the first half as files in two
/// subfolders, the rest as one JSON-lines file; returns the arguments that
/// name them.
fn write(dir: &Path, made: &[Made]) -> Vec<String> {
    let half = made.len() / 2;
    for (i, capture) in made[..half].iter().enumerate() {
        let folder = dir.join(if i % 2 == 0 { "a" } else { "b/deeper" });
        std::fs::create_dir_all(&folder).expect("a folder");
        std::fs::write(folder.join(&capture.name), &capture.text).expect("write");
    }
    let lines: String = made[half..].iter().map(|capture| format!("{}\n", capture.text)).collect();
    let jsonl = dir.join("captures.jsonl");
    std::fs::write(&jsonl, lines).expect("write");
    vec![dir.display().to_string(), "--jsonl".into(), jsonl.display().to_string()]
}

fn aggregate(args: &[String]) -> Value {
    let mut all = vec!["check", "--json"];
    all.extend(args.iter().map(String::as_str));
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(2),
        "some captures are cut short: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

#[test]
fn a_corpus_gets_one_report_whose_counts_add_up() {
    let made = corpus(2_000);
    let dir = tempfile::tempdir().expect("a temp dir");
    let args = write(dir.path(), &made);
    let report = aggregate(&args);

    // The counts, made again from what the corpus was made of.
    let readable: Vec<&Made> = made.iter().filter(|m| !m.broken).collect();
    assert_eq!(report["captures"], 2_000);
    let unreadable: u64 =
        report["unreadable"].as_object().expect("a map").values().map(|f| f["captures"].as_u64().unwrap_or(0)).sum();
    assert_eq!(unreadable, (made.len() - readable.len()) as u64);
    let mut per_endpoint: BTreeMap<&str, u64> = BTreeMap::new();
    for capture in &readable {
        *per_endpoint.entry(capture.endpoint).or_default() += 1;
    }
    for (endpoint, count) in &per_endpoint {
        let tally = &report["endpoints"][endpoint];
        assert_eq!(tally["captures"], *count, "{endpoint}: {tally}");
        assert_eq!(tally["decoded"], *count, "{endpoint}: {tally}");
        assert_eq!(tally["lossless"], *count, "{endpoint}: {tally}");
        let added = readable.iter().filter(|m| m.endpoint == *endpoint && m.added.is_some()).count() as u64;
        // The fixtures are clean, so the captures with a new property are
        // those that drift, but for the real capture, which drifts anyway.
        assert!(tally["drift"].as_u64() >= Some(added), "{endpoint}: {tally}");
    }
    assert_eq!(report["endpoints"].as_object().map(|e| e.len()), Some(per_endpoint.len()), "{}", report["endpoints"]);
    let findings = report["findings"].as_object().expect("a map");
    for name in ["added_in_2026", "added_in_2027"] {
        for endpoint in per_endpoint.keys() {
            let expected = readable.iter().filter(|m| m.endpoint == *endpoint && m.added == Some(name)).count() as u64;
            let found: Vec<&Value> = findings
                .values()
                .filter(|f| {
                    f["endpoint"] == *endpoint
                        && f["what"] == "new"
                        && f["place"].as_str().is_some_and(|p| p.ends_with(&format!(".{name}")))
                })
                .collect();
            assert_eq!(found.len(), 1, "{endpoint} {name}: {found:?}");
            assert_eq!(found[0]["captures"], expected, "{endpoint} {name}");
            assert_eq!(found[0]["places"], expected, "{endpoint} {name}");
            // The first, whatever order the threads took them in.
            let first =
                readable.iter().find(|m| m.endpoint == *endpoint && m.added == Some(name)).map(|m| m.name.as_str());
            let shown = found[0]["first"]["file"].as_str().unwrap_or_default();
            assert!(
                first.is_some_and(|first| shown.ends_with(first)) || found[0]["first"]["line"].is_number(),
                "{shown}"
            );
        }
    }

    // The text report fits a screen.
    let mut all = vec!["check"];
    all.extend(args.iter().map(String::as_str));
    let output = run(&all);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().count() <= 60, "{text}");
    assert!(text.starts_with("2,000 captures"), "{text}");
    assert!(text.contains("added_in_2026: object, in "), "{text}");
    assert!(text.contains("captures cannot be read, by error"), "{text}");
}

#[test]
fn the_reports_of_three_shards_merge_into_the_report_of_the_whole() {
    let made = corpus(300);
    let dir = tempfile::tempdir().expect("a temp dir");
    let files: Vec<String> = made
        .iter()
        .map(|capture| {
            let path = dir.path().join("corpus").join(&capture.name);
            std::fs::create_dir_all(dir.path().join("corpus")).expect("a folder");
            std::fs::write(&path, &capture.text).expect("write");
            path.display().to_string()
        })
        .collect();
    let whole = aggregate(&[dir.path().join("corpus").display().to_string()]);

    let mut shards = Vec::new();
    for shard in 0..3 {
        let part: Vec<String> = files.iter().skip(shard).step_by(3).cloned().collect();
        let report = aggregate(&part);
        let path = dir.path().join(format!("shard-{shard}.json"));
        std::fs::write(&path, report.to_string()).expect("write");
        shards.push(path.display().to_string());
    }
    let mut args = vec!["check", "--merge", "--json"];
    args.extend(shards.iter().map(String::as_str));
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let merged: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(merged, whole);

    // The text of the merge is the text of the whole.
    let whole_text = run(&["check", &dir.path().join("corpus").display().to_string()]).stdout;
    let mut args = vec!["check", "--merge"];
    args.extend(shards.iter().map(String::as_str));
    assert_eq!(String::from_utf8_lossy(&run(&args).stdout), String::from_utf8_lossy(&whole_text));
}

#[test]
fn an_empty_corpus_is_an_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let output = run(&["check", &dir.path().display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no captures"));
}
