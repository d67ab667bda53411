//! The reports as text: one capture in detail, or a corpus in one screen.

use std::io::{self, Write};

use super::aggregate::Aggregate;
use super::capture::{Counts, FileReport};
use super::detect::Fit;
use super::What;
use crate::{cli_name, Paint};

/// Findings a corpus report lists before it says how many more there are,
/// so that it fits a screen.
const FINDING_LINES: usize = 36;

/// Other lines of a kind (failures, unreadable captures) it lists at most.
const OTHER_LINES: usize = 5;

fn percent(fit: &Fit) -> String {
    format!("{:.1}%", fit.share() * 100.0)
}

fn show(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(top level)"
    } else {
        pointer
    }
}

/// `1234567` as `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A size in bytes, in the largest unit that keeps it at 1 or more.
pub(crate) fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} kB", b as f64 / f64::from(1u32 << 10)),
        b => format!("{b} B"),
    }
}

/// The report of one capture: the summary line first, then one line a
/// group.
pub(crate) fn print_report(out: &mut impl Write, report: &FileReport, paint: &Paint, verbose: bool) -> io::Result<()> {
    let endpoint = report.endpoint.map_or_else(|| "?".to_owned(), cli_name);
    let verdict = if report.clean() { paint.good("ok") } else { paint.bad("drift") };
    let decode = if report.decode_error.is_some() { "fails" } else { "ok" };
    let round_trip = match (report.decode_error.is_some(), report.round_trip_differences) {
        (true, _) => "-".to_owned(),
        (false, 0) => "lossless".to_owned(),
        (false, n) => format!("{n} difference(s)"),
    };
    let Counts { new, missing, other_kind } = report.counts;
    writeln!(
        out,
        "{}: {endpoint}: {verdict}: decode {decode}, round-trip {round_trip}; {new} new, {missing} missing, \
         {other_kind} other-kind field(s); {} of values explained",
        report.file,
        percent(&report.fit),
    )?;
    if let Some(runner_up) = report.runner_up.as_ref().filter(|r| r.close) {
        writeln!(out, "  runner-up: {} explains {}", runner_up.endpoint, percent(&runner_up.fit))?;
    }
    if let Some(error) = &report.decode_error {
        writeln!(out, "  decode fails at {}: {}", show(&error.pointer), error.expected.as_deref().unwrap_or(""))?;
    }
    for d in &report.round_trip {
        writeln!(
            out,
            "  round-trip {}: expected {}, found {}",
            show(&d.pointer),
            d.expected.as_deref().unwrap_or("(absent)"),
            d.found.as_deref().unwrap_or("(absent)")
        )?;
    }
    if report.round_trip.len() < report.round_trip_differences {
        writeln!(
            out,
            "  round-trip: {} more; --verbose lists them",
            report.round_trip_differences - report.round_trip.len()
        )?;
    }
    for group in &report.groups {
        let kinds = group.kinds.iter().copied().collect::<Vec<_>>().join(" or ");
        let expected = group.expected.as_ref().filter(|_| group.what == What::OtherKind);
        let expected = expected.map(|e| format!(", expected {e}")).unwrap_or_default();
        let places = match (group.of, group.type_name.as_str()) {
            (0, _) | (_, "") => format!("in {} place(s)", group.count),
            (of, type_name) => format!("in {} of {of} {type_name} places", group.count),
        };
        let example = group.example.as_ref().map(|e| format!(", e.g. {e}")).unwrap_or_default();
        writeln!(
            out,
            "  {:<10} {}: {kinds}{expected}, {places}{example} at {}",
            group.what.title(),
            group.place,
            show(&group.pointer)
        )?;
        if verbose {
            for pointer in &group.pointers {
                writeln!(out, "      {}", show(pointer))?;
            }
        }
    }
    Ok(())
}

/// The last line when there are several files: how many are clean.
pub(crate) fn print_total(out: &mut impl Write, reports: &[&FileReport]) -> io::Result<()> {
    let clean = reports.iter().filter(|r| r.clean()).count();
    let failed = reports.iter().filter(|r| !r.decoded()).count();
    writeln!(
        out,
        "{} file(s): {clean} ok, {} drift, {failed} do not decode",
        reports.len(),
        reports.len() - clean - failed
    )
}

/// The report of a corpus, in one screen: captures per endpoint, then one
/// line per finding (those in the most captures first), then the captures
/// that do not decode and those that cannot be read, by error.
pub(crate) fn print_aggregate(out: &mut impl Write, aggregate: &Aggregate, paint: &Paint) -> io::Result<()> {
    let verdict = if aggregate.clean() { paint.good("ok") } else { paint.bad("drift") };
    writeln!(out, "{} captures ({}): {verdict}", thousands(aggregate.captures), size(aggregate.bytes))?;
    let width = aggregate.endpoints.keys().map(String::len).max().unwrap_or(0);
    for (endpoint, tally) in &aggregate.endpoints {
        writeln!(
            out,
            "  {endpoint:<width$}  {} captures: {} decode, {} lossless, {} drift",
            thousands(tally.captures),
            thousands(tally.decoded),
            thousands(tally.lossless),
            thousands(tally.drift),
        )?;
    }
    if !aggregate.findings.is_empty() {
        writeln!(out, "findings by type and property ({}):", thousands(aggregate.findings.len() as u64))?;
        let mut findings: Vec<_> = aggregate.findings.values().collect();
        findings.sort_by(|a, b| {
            b.captures
                .cmp(&a.captures)
                .then_with(|| (&a.endpoint, &a.what, &a.place).cmp(&(&b.endpoint, &b.what, &b.place)))
        });
        for summary in findings.iter().take(FINDING_LINES) {
            let of = aggregate.endpoints.get(&summary.endpoint).map_or(0, |tally| tally.captures);
            let kinds = summary.kinds.iter().map(String::as_str).collect::<Vec<_>>().join(" or ");
            let expected = match (summary.what.as_str(), &summary.expected) {
                ("other_kind", Some(expected)) => format!(", expected {expected}"),
                _ => String::new(),
            };
            let example = summary.example.as_ref().map(|e| format!(", e.g. {e}")).unwrap_or_default();
            writeln!(
                out,
                "  {} {} {}: {kinds}{expected}, in {} of {} captures ({} places), first in {} at {}{example}",
                summary.endpoint,
                summary.what.replace('_', " "),
                summary.place,
                thousands(summary.captures),
                thousands(of),
                thousands(summary.places),
                summary.first,
                show(&summary.pointer),
            )?;
        }
        if findings.len() > FINDING_LINES {
            writeln!(out, "  {} more; --json lists them all", thousands((findings.len() - FINDING_LINES) as u64))?;
        }
    }
    for (title, failures) in [("do not decode", &aggregate.failures), ("cannot be read", &aggregate.unreadable)] {
        if failures.is_empty() {
            continue;
        }
        let total: u64 = failures.values().map(|f| f.captures).sum();
        writeln!(out, "{} captures {title}, by error ({}):", thousands(total), failures.len())?;
        let mut failures: Vec<_> = failures.iter().collect();
        failures.sort_by(|a, b| b.1.captures.cmp(&a.1.captures).then_with(|| a.0.cmp(b.0)));
        for (why, failure) in failures.iter().take(OTHER_LINES) {
            writeln!(out, "  {why}: {} captures, first {}", thousands(failure.captures), failure.first)?;
        }
        if failures.len() > OTHER_LINES {
            writeln!(out, "  {} more errors; --json lists them all", failures.len() - OTHER_LINES)?;
        }
    }
    Ok(())
}
