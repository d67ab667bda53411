//! `dylive check` over a corpus of 1 MB captures on every core, beside the
//! models' own decode of the same bytes and `serde_json::Value`'s, measured
//! in the same process; and the peak memory.
//!
//! `cargo bench -p dylive-cli --bench corpus` (`DYLIVE_CORPUS=N` captures,
//! 64 by default). The capture is the real 200-rank list of
//! `../shared/real-captures`, compact and wrapped as `get_room_ranklist`
//! answers, or, without it, the fixture with its ranks repeated to 1 MB.

use std::path::Path;
use std::time::Instant;

use dylive_cli::check::{corpus, Source};

fn capture() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let real = root.join("../shared/real-captures/20_ranklist_audience_online_2023-09.json");
    let value: serde_json::Value = match std::fs::read_to_string(real) {
        Ok(text) => {
            let data: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            serde_json::json!({"code": 0, "msg": "ok", "data": data})
        }
        Err(_) => {
            let text = std::fs::read_to_string(root.join("fixtures/room_ranklist/success.json")).expect("a fixture");
            let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            if let Some(ranks) = value.pointer_mut("/data/data/ranks").and_then(|r| r.as_array_mut()) {
                let one = ranks.clone();
                while serde_json::to_vec(&ranks).map_or(0, |v| v.len()) < 1 << 20 {
                    ranks.extend(one.iter().cloned());
                }
            }
            value
        }
    };
    serde_json::to_vec(&value).expect("JSON")
}

/// MB/s of `f` over `bytes` bytes.
fn rate(bytes: usize, f: impl FnOnce()) -> f64 {
    let started = Instant::now();
    f();
    bytes as f64 / 1e6 / started.elapsed().as_secs_f64()
}

/// The peak resident memory of this process, in MB (Linux).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let count: usize = std::env::var("DYLIVE_CORPUS").ok().and_then(|n| n.parse().ok()).unwrap_or(64);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let body = capture();
    let dir = tempfile::tempdir().expect("a temp dir");
    for i in 0..count {
        std::fs::write(dir.path().join(format!("r-{i:05}.json")), &body).expect("write");
    }
    let total = body.len() * count;
    println!("{count} captures of {:.2} MB, {threads} thread(s)", body.len() as f64 / 1e6);
    let before = peak_mb();

    let sources = [Source::Path(dir.path().display().to_string())];
    let mut decoded = 0;
    let check = rate(total, || {
        let checked = corpus::check(&sources, None, threads, false, false);
        decoded = checked.aggregate.endpoints.values().map(|t| t.decoded).sum::<u64>();
    });
    assert_eq!(decoded as usize, count, "every capture decodes");
    let after_check = peak_mb();

    // The same bytes, read from memory: the models' decode alone, then
    // serde_json's Value, on every core.
    let on_cores = |f: &(dyn Fn(&[u8]) + Sync)| {
        let per = count.div_ceil(threads);
        std::thread::scope(|scope| {
            for t in 0..threads {
                let body = &body;
                scope.spawn(move || (t * per..((t + 1) * per).min(count)).for_each(|_| f(body)));
            }
        });
    };
    let decode = rate(total, || {
        on_cores(&|bytes| {
            let response = dylive_models::Response::decode("room_ranklist", bytes);
            assert!(matches!(response, Some(Ok(_))));
        })
    });
    let value = rate(total, || {
        on_cores(&|bytes| {
            let value: Result<serde_json::Value, _> = serde_json::from_slice(bytes);
            assert!(value.is_ok());
        })
    });
    println!("dylive check (detect, walk, decode, round trip): {check:>7.1} MB/s");
    println!(
        "models' decode alone (Response::decode):         {decode:>7.1} MB/s  check is {:.2}x of it",
        check / decode
    );
    println!(
        "serde_json::from_slice::<Value>:                 {value:>7.1} MB/s  check is {:.2}x of it",
        check / value
    );
    if let (Some(before), Some(after)) = (before, after_check) {
        println!(
            "peak memory: {before:.0} MB before the check, {after:.0} MB after ({:.0} MB for {count} captures)",
            after - before
        );
    }
}
