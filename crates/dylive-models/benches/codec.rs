//! Decode, encode and decode+encode of every fixture and of a large response
//! (200 ranks, about 1 MB, built from the fixtures), with the typed models and
//! with `serde_json::Value` in the same run. After criterion's own report it
//! prints a table of MB/s and the typed/Value ratio, from the same samples.
//!
//! `cargo bench -p dylive-models`

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{Bencher, Criterion, Throughput};
use dylive_json::Json;
use dylive_models::Response;

/// A case, an operation and an implementation.
type Key = (String, &'static str, &'static str);

/// Per key: iterations and time measured.
static MEASURED: Mutex<BTreeMap<Key, (u64, Duration)>> = Mutex::new(BTreeMap::new());

fn measure(b: &mut Bencher<'_>, key: Key, mut routine: impl FnMut()) {
    b.iter_custom(|iters| {
        let start = Instant::now();
        for _ in 0..iters {
            routine();
        }
        let elapsed = start.elapsed();
        let mut measured = MEASURED.lock().unwrap_or_else(|e| e.into_inner());
        let entry = measured.entry(key.clone()).or_default();
        entry.0 += iters;
        entry.1 += elapsed;
        elapsed
    });
}

struct Case {
    name: String,
    endpoint: String,
    body: Vec<u8>,
}

fn cases() -> Vec<Case> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut cases = Vec::new();
    for endpoint in dylive_models::ENDPOINTS {
        let mut files: Vec<_> = std::fs::read_dir(fixtures.join(endpoint))
            .map(|dir| dir.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for file in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
            let body = std::fs::read(&file).expect("a fixture");
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            cases.push(Case { name: format!("{endpoint}/{stem}"), endpoint: (*endpoint).to_owned(), body });
        }
    }
    cases.push(large(&fixtures));
    cases
}

/// A room rank list of 200 ranks whose users are taken in turn from every
/// user object in the fixtures.
fn large(fixtures: &Path) -> Case {
    let room = std::fs::read_to_string(fixtures.join("room_ranklist/success.json")).expect("fixture");
    let goods = std::fs::read_to_string(fixtures.join("rank_goods/success.json")).expect("fixture");
    let mut tree = dylive_json::parse(&room).expect("JSON");
    let goods_tree = dylive_json::parse(&goods).expect("JSON");
    let mut users = Vec::new();
    collect_users(&tree, &mut users);
    collect_users(&goods_tree, &mut users);
    let ranks = find(&mut tree, &["data", "data", "ranks"]);
    let Json::Array(items) = ranks else { panic!("ranks is an array") };
    let template = items[0].clone();
    *items = (0..200)
        .map(|i| {
            let mut rank = template.clone();
            if let Json::Object(members) = &mut rank {
                for (key, value) in members.iter_mut() {
                    if key == "user" {
                        *value = users[i % users.len()].clone();
                    }
                }
            }
            rank
        })
        .collect();
    let body = tree.to_json().into_bytes();
    Case { name: "large (200 ranks)".to_owned(), endpoint: "room_ranklist".to_owned(), body }
}

fn collect_users<'a>(value: &Json<'a>, out: &mut Vec<Json<'a>>) {
    match value {
        Json::Object(members) => {
            for (key, value) in members {
                if key == "user" {
                    out.push(value.clone());
                }
                collect_users(value, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|item| collect_users(item, out)),
        _ => {}
    }
}

fn find<'t, 'a>(value: &'t mut Json<'a>, path: &[&str]) -> &'t mut Json<'a> {
    path.iter().fold(value, |node, step| match node {
        Json::Object(members) => &mut members.iter_mut().find(|(k, _)| k == step).expect("the path exists").1,
        _ => panic!("{step}: not an object"),
    })
}

fn bench(c: &mut Criterion, cases: &[Case]) {
    for case in cases {
        let typed = Response::decode(&case.endpoint, &case.body).expect("known endpoint").expect("decodes");
        let value: serde_json::Value = serde_json::from_slice(&case.body).expect("JSON");
        let mut group = c.benchmark_group(case.name.as_str());
        group.throughput(Throughput::Bytes(case.body.len() as u64));
        let key = |op: &'static str, imp: &'static str| (case.name.clone(), op, imp);
        group.bench_function("decode/typed", |b| {
            measure(b, key("decode", "typed"), || {
                black_box(Response::decode(&case.endpoint, black_box(&case.body)));
            })
        });
        group.bench_function("decode/Value", |b| {
            measure(b, key("decode", "Value"), || {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(&case.body)).ok());
            })
        });
        group.bench_function("encode/typed", |b| {
            measure(b, key("encode", "typed"), || {
                black_box(typed.to_json().ok());
            })
        });
        group.bench_function("encode/Value", |b| {
            measure(b, key("encode", "Value"), || {
                black_box(serde_json::to_vec(&value).ok());
            })
        });
        group.bench_function("decode+encode/typed", |b| {
            measure(b, key("decode+encode", "typed"), || {
                let decoded = Response::decode(&case.endpoint, black_box(&case.body));
                black_box(decoded.and_then(Result::ok).map(|r| r.to_json().ok()));
            })
        });
        group.bench_function("decode+encode/Value", |b| {
            measure(b, key("decode+encode", "Value"), || {
                let decoded = serde_json::from_slice::<serde_json::Value>(black_box(&case.body)).ok();
                black_box(decoded.map(|v| serde_json::to_vec(&v).ok()));
            })
        });
        group.finish();
    }
}

fn report(cases: &[Case]) {
    let measured = MEASURED.lock().unwrap_or_else(|e| e.into_inner());
    let rate = |case: &Case, op: &'static str, imp: &'static str| {
        measured.get(&(case.name.clone(), op, imp)).filter(|(iters, _)| *iters > 0).map(|(iters, time)| {
            let seconds = time.as_secs_f64() / *iters as f64;
            case.body.len() as f64 / seconds / 1e6
        })
    };
    println!(
        "\n{:<28} {:>8}  {:<14} {:>11} {:>11} {:>8}",
        "case", "bytes", "operation", "typed MB/s", "Value MB/s", "ratio"
    );
    for case in cases {
        for op in ["decode", "encode", "decode+encode"] {
            if let (Some(typed), Some(value)) = (rate(case, op, "typed"), rate(case, op, "Value")) {
                println!(
                    "{:<28} {:>8}  {:<14} {:>11.1} {:>11.1} {:>7.2}x",
                    case.name,
                    case.body.len(),
                    op,
                    typed,
                    value,
                    typed / value
                );
            }
        }
    }
}

fn main() {
    let cases = cases();
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &cases);
    criterion.final_summary();
    report(&cases);
}
