//! The captures of a corpus: files, folders walked for `*.json`, and
//! JSON-lines files, read by one thread and checked by every core.
//!
//! The reader hands captures to the checkers through a queue of two per
//! checker, so memory holds at most a few captures a thread, whatever the
//! size of the corpus.

use std::io::{self, BufRead, Read};
use std::path::Path;
use std::sync::mpsc;
use std::sync::Mutex;

use super::aggregate::{Aggregate, Origin};
use super::capture::{check_capture, Capture, FileReport};

/// Where captures come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file holding one capture, or a folder walked for `*.json` files;
    /// `-` is standard input.
    Path(String),
    /// A file holding one capture a line; `-` is standard input.
    Lines(String),
}

/// One capture, or why it cannot be read.
struct Item {
    index: usize,
    origin: Origin,
    bytes: Result<Vec<u8>, String>,
}

/// What checking a corpus gives.
#[derive(Default)]
pub struct Checked {
    /// The aggregate report.
    pub aggregate: Aggregate,
    /// Each capture's report, in the order of the sources, when asked for;
    /// a capture that cannot be read is the line that says why.
    pub reports: Vec<Result<FileReport, String>>,
}

/// The files of `path`: itself, or the `*.json` files under it, sorted.
fn files(path: &str) -> Vec<Result<String, String>> {
    if path == "-" || !Path::new(path).is_dir() {
        return vec![Ok(path.to_owned())];
    }
    walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|entry| match entry {
            Ok(entry) if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "json") => {
                Some(Ok(entry.path().display().to_string()))
            }
            Ok(_) => None,
            Err(error) => Some(Err(format!("{path}: cannot read: {error}"))),
        })
        .collect()
}

/// Reads every capture of `sources` in order and sends it on; returns early
/// when the checkers are gone.
fn read(sources: &[Source], send: &mpsc::SyncSender<Item>) {
    let mut index = 0;
    let mut send = |origin: Origin, bytes: Result<Vec<u8>, String>| {
        let item = Item { index, origin, bytes };
        index += 1;
        send.send(item).is_ok()
    };
    for source in sources {
        match source {
            Source::Path(path) => {
                for file in files(path) {
                    let sent = match file {
                        Ok(file) => {
                            let bytes = if file == "-" {
                                let mut bytes = Vec::new();
                                io::stdin().read_to_end(&mut bytes).map(|_| bytes)
                            } else {
                                std::fs::read(&file)
                            };
                            let bytes = bytes.map_err(|e| format!("cannot read: {e}"));
                            send(Origin { file, line: None }, bytes)
                        }
                        Err(error) => send(Origin { file: path.clone(), line: None }, Err(error)),
                    };
                    if !sent {
                        return;
                    }
                }
            }
            Source::Lines(path) => {
                let reader: io::Result<Box<dyn BufRead>> = if path == "-" {
                    Ok(Box::new(io::stdin().lock()))
                } else {
                    std::fs::File::open(path).map(|file| Box::new(io::BufReader::new(file)) as Box<dyn BufRead>)
                };
                let mut reader = match reader {
                    Ok(reader) => reader,
                    Err(error) => {
                        if !send(Origin { file: path.clone(), line: None }, Err(format!("cannot read: {error}"))) {
                            return;
                        }
                        continue;
                    }
                };
                let mut line = 0u64;
                loop {
                    let mut bytes = Vec::new();
                    line += 1;
                    match reader.read_until(b'\n', &mut bytes) {
                        Ok(0) => break,
                        Ok(_) => {
                            if bytes.iter().all(u8::is_ascii_whitespace) {
                                continue;
                            }
                            if !send(Origin { file: path.clone(), line: Some(line) }, Ok(bytes)) {
                                return;
                            }
                        }
                        Err(error) => {
                            let _ = send(
                                Origin { file: path.clone(), line: Some(line) },
                                Err(format!("cannot read: {error}")),
                            );
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// A capture's report, or why it cannot be read, with its place among the
/// captures.
type Numbered = (usize, Result<FileReport, String>);

/// Checks every capture of `sources` on `threads` threads, as `forced` or
/// detected; keeps each capture's report when `per_file`.
pub fn check(
    sources: &[Source],
    forced: Option<&'static str>,
    threads: usize,
    per_file: bool,
    verbose: bool,
) -> Checked {
    let threads = threads.max(1);
    let (send, receive) = mpsc::sync_channel::<Item>(threads * 2);
    let receive = Mutex::new(receive);
    let parts: Vec<(Aggregate, Vec<Numbered>)> = std::thread::scope(|scope| {
        let checkers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut aggregate = Aggregate::default();
                    let mut reports = Vec::new();
                    loop {
                        let item = match receive.lock() {
                            Ok(receive) => receive.recv(),
                            Err(_) => break,
                        };
                        let Ok(item) = item else { break };
                        let report = checked(&item, forced, verbose, per_file, &mut aggregate);
                        if per_file {
                            reports.push((item.index, report));
                        }
                    }
                    (aggregate, reports)
                })
            })
            .collect();
        read(sources, &send);
        drop(send);
        checkers.into_iter().filter_map(|checker| checker.join().ok()).collect()
    });
    let mut out = Checked::default();
    let mut reports = Vec::new();
    for (aggregate, part) in parts {
        out.aggregate.merge(aggregate);
        reports.extend(part);
    }
    reports.sort_by_key(|(index, _)| *index);
    out.reports = reports.into_iter().map(|(_, report)| report).collect();
    out
}

/// One capture checked and counted in `aggregate`: its report, or the line
/// that says why it cannot be read (`file:line:column: what`).
fn checked(
    item: &Item,
    forced: Option<&'static str>,
    verbose: bool,
    per_file: bool,
    aggregate: &mut Aggregate,
) -> Result<FileReport, String> {
    let name = item.origin.to_string();
    let bytes = match &item.bytes {
        Ok(bytes) => bytes,
        Err(error) => {
            aggregate.add_unreadable(&item.origin, 0, error);
            return Err(format!("{name}: {error}"));
        }
    };
    match Capture::parse(bytes) {
        Ok(capture) => {
            let report = check_capture(&name, &capture, forced, verbose, per_file).0;
            aggregate.add(&item.origin, bytes.len(), &report);
            Ok(report)
        }
        Err(error) => {
            aggregate.add_unreadable(&item.origin, bytes.len(), &error.what());
            Err(format!("{name}:{error}"))
        }
    }
}
