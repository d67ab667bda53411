//! `dylive check`: does our model understand these captured responses, and
//! which endpoint are they of?
//!
//! A capture is parsed once and walked against every endpoint's generated
//! type descriptions (`walk`); the endpoint whose types explain the most
//! of it wins, its envelope's status values deciding a tie ([`Fit`]), and
//! only that endpoint's model decodes it and encodes it again for the
//! round trip ([`capture`]). What the model does not explain is grouped by
//! schema type and property, so a new property of `User` in a 200-rank list
//! is one finding, seen in 200 places.
//!
//! A corpus (folders, JSON-lines files) is checked on every core
//! ([`corpus`]) into one [`Aggregate`] of counts, which merges with the
//! aggregates of other runs ([`Aggregate::merge`]); `report` prints either.

use std::io::{self, Write};

use serde::Serialize;

use crate::{endpoint_name, Paint};

pub mod aggregate;
pub mod capture;
pub mod corpus;
pub mod detect;
mod report;
mod walk;

#[cfg(test)]
mod tests;

pub use aggregate::{Aggregate, Origin};
pub use capture::{FileReport, ReadError};
pub use corpus::Source;
pub use detect::{Detection, Fit};

/// The arguments of `dylive check`.
#[derive(clap::Args)]
pub struct Args {
    /// The endpoint the responses are of (room-ranklist, rank-goods,
    /// liveroom-ranklist, rank-all, liveroom-info); detected when left out.
    #[arg(long)]
    endpoint: Option<String>,
    /// Print a machine-readable JSON report: the aggregate of a corpus, or
    /// the list of reports with --per-file.
    #[arg(long)]
    json: bool,
    /// Report each capture on its own, not the corpus as a whole.
    #[arg(long)]
    per_file: bool,
    /// List every place of each finding, not one example (with --per-file).
    #[arg(long, short)]
    verbose: bool,
    /// A file of JSON lines, one capture a line; `-` reads standard input
    /// (repeatable).
    #[arg(long, value_name = "PATH")]
    jsonl: Vec<String>,
    /// Merge the --json aggregates named as FILES into one report.
    #[arg(long, conflicts_with_all = ["per_file", "jsonl", "endpoint"])]
    merge: bool,
    /// Threads that check captures [default: every core].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Files and folders (walked for *.json); `-` reads standard input.
    #[arg(required_unless_present = "jsonl")]
    files: Vec<String>,
}

/// What a group of findings is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum What {
    /// A property the schema does not describe.
    New,
    /// A required property that is not there.
    Missing,
    /// A value of another kind than the schema's.
    OtherKind,
}

impl What {
    fn title(self) -> &'static str {
        match self {
            What::New => "new",
            What::Missing => "missing",
            What::OtherKind => "other kind",
        }
    }

    /// Its name in data.
    fn key(self) -> &'static str {
        match self {
            What::New => "new",
            What::Missing => "missing",
            What::OtherKind => "other_kind",
        }
    }
}

/// The endpoint whose response types explain `bytes` best.
///
/// ```
/// let body = std::fs::read("../../fixtures/rank_goods/success.json").expect("a fixture");
/// let detection = dylive_cli::check::detect(&body).expect("JSON");
/// assert_eq!(detection.endpoint, "rank_goods");
/// assert!(detection.fit.share() > 0.99);
/// ```
pub fn detect(bytes: &[u8]) -> Result<Detection, ReadError> {
    let capture = capture::Capture::parse(bytes)?;
    let (report, detection) = capture::check_capture("-", &capture, None, false, true);
    Ok(detection.unwrap_or(Detection {
        endpoint: report.endpoint().unwrap_or_default(),
        fit: report.fit(),
        runner_up: None,
    }))
}

/// Checks `bytes` as the response of `endpoint`, or of the detected one
/// when `None`.
///
/// ```
/// let body = std::fs::read("../../fixtures/rank_goods/success.json").expect("a fixture");
/// let report = dylive_cli::check::check_bytes("success.json", &body, None).expect("JSON");
/// assert!(report.clean() && report.lossless());
/// ```
pub fn check_bytes(file: &str, bytes: &[u8], endpoint: Option<&'static str>) -> Result<FileReport, ReadError> {
    let capture = capture::Capture::parse(bytes)?;
    Ok(capture::check_capture(file, &capture, endpoint, false, true).0)
}

/// The cores to check on.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `dylive check`; returns the exit code.
pub fn run(args: Args) -> u8 {
    if args.merge {
        return merge(&args);
    }
    let forced = match args.endpoint.as_deref().map(|name| (name, endpoint_name(name))) {
        Some((name, None)) => {
            say_err!("error: no endpoint named `{name}`");
            return 2;
        }
        Some((_, Some(endpoint))) => Some(endpoint),
        None => None,
    };
    let mut sources: Vec<Source> = args.files.iter().cloned().map(Source::Path).collect();
    sources.extend(args.jsonl.iter().cloned().map(Source::Lines));
    // One file is one capture: its report is the detailed one.
    let single = args.jsonl.is_empty() && args.files.len() == 1 && !std::path::Path::new(&args.files[0]).is_dir();
    let per_file = args.per_file || single;
    let started = std::time::Instant::now();
    let threads = args.threads.unwrap_or_else(cores);
    let checked = corpus::check(&sources, forced, threads, per_file, args.verbose);
    let seconds = started.elapsed().as_secs_f64();
    let aggregate = &checked.aggregate;
    if aggregate.captures == 0 {
        say_err!("error: no captures: the folders hold no *.json file and the JSON-lines files no line");
        return 2;
    }
    let written =
        output(|out| {
            if !per_file {
                if aggregate.captures > 1 {
                    say_err!(
                        "checked {} captures ({}) in {seconds:.2} s on {threads} thread(s): {:.0} MB/s",
                        report::thousands(aggregate.captures),
                        report::size(aggregate.bytes),
                        aggregate.bytes as f64 / 1e6 / seconds.max(1e-9)
                    );
                }
                return write_aggregate(out, aggregate, args.json);
            }
            let mut reports = Vec::new();
            for report in &checked.reports {
                match report {
                    Ok(report) => reports.push(report),
                    Err(line) => say_err!("{line}"),
                }
            }
            if args.json {
                return json(out, &reports);
            }
            let paint = Paint::new(true);
            reports
                .iter()
                .try_for_each(|report| report::print_report(out, report, &paint, args.verbose))
                .and_then(|()| if reports.len() > 1 { report::print_total(out, &reports) } else { Ok(()) })
        });
    if let Err(code) = written {
        code
    } else if !aggregate.unreadable.is_empty() {
        2
    } else if aggregate.clean() {
        0
    } else {
        1
    }
}

/// Writes to standard output with `write`, through anstream, which passes
/// colour to a terminal that takes it and strips it elsewhere. A closed
/// pipe (`| head`) ends the output quietly; another error is exit code 2.
fn output(write: impl FnOnce(&mut anstream::AutoStream<io::StdoutLock<'static>>) -> io::Result<()>) -> Result<(), u8> {
    let mut out = anstream::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            say_err!("error: {error}");
            Err(2)
        }
        _ => Ok(()),
    }
}

/// The report of a corpus, as JSON or as text.
fn write_aggregate(out: &mut impl Write, aggregate: &Aggregate, as_json: bool) -> io::Result<()> {
    if as_json {
        json(out, aggregate)
    } else {
        report::print_aggregate(out, aggregate, &Paint::new(true))
    }
}

fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

/// `dylive check --merge`: the aggregates in `args.files` as one.
fn merge(args: &Args) -> u8 {
    let mut merged = Aggregate::default();
    for file in &args.files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) => {
                say_err!("{file}: cannot read: {error}");
                return 2;
            }
        };
        match serde_json::from_str::<Aggregate>(&text) {
            Ok(aggregate) => merged.merge(aggregate),
            Err(error) => {
                say_err!("{file}: not a report of `dylive check --json`: {error}");
                return 2;
            }
        }
    }
    if let Err(code) = output(|out| write_aggregate(out, &merged, args.json)) {
        code
    } else if merged.clean() {
        0
    } else {
        1
    }
}
