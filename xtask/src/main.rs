//! `cargo xtask`: maintenance commands of the workspace it runs in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{adopt, Mode};

/// Maintenance commands: generate crates/ from schemas/, derive schemas/
/// from fixtures/, extract fixtures/ from the seed documents, adopt captured
/// responses as fixtures.
///
/// The workspace is the one `cargo` runs this in (CARGO_MANIFEST_DIR, or
/// `cargo locate-project --workspace` from the current folder).
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
#[command(after_help = "Exit status: 0 when done or up to date, 1 when --check finds a file out of date, a \
                        command fails or adopt adopts nothing, 2 on bad arguments.")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generate crates/ from schemas/ (offline).
    ///
    /// Writes the generated crates' files and deletes files in their
    /// generated folders that no schema makes any more.
    #[command(after_help = "Examples:\n  cargo xtask regen\n  cargo xtask regen --check")]
    Regen {
        /// Write nothing; show a diff of each stale or orphaned file and fail
        /// if there is one.
        #[arg(long)]
        check: bool,
    },
    /// Make the changelog entries since the last release of each generated
    /// crate a release of its current version, dated today (UTC).
    ///
    /// regen keeps each generated crate's version at its last release,
    /// bumped by the greatest class of the entries since (breaking: the
    /// minor version while the major is 0; anything else: the patch), and
    /// lists those entries under "Unreleased" in its CHANGELOG.md. This
    /// command dates them and starts a new "Unreleased"; it runs before
    /// publishing.
    #[command(after_help = "Examples:\n  cargo xtask release\n\nBefore it, run `.ci/semver-checks` to have \
                            cargo-semver-checks confirm each version against the last release.")]
    Release,
    /// Derive schemas/ from fixtures/ and schemas/names.toml.
    ///
    /// Prints the types, maps, unions and fields it found, with their JSON
    /// paths.
    #[command(after_help = "Examples:\n  cargo xtask infer\n  cargo xtask infer --check \
                            --skip fixtures/rank_all/broken.json")]
    Infer {
        /// Write nothing; show a diff of each schema that would change and
        /// fail if one would.
        #[arg(long)]
        check: bool,
        /// Leave this fixture out (repeatable).
        #[arg(long, value_name = "FILE")]
        skip: Vec<PathBuf>,
    },
    /// Extract the documented examples of the seed documents into
    /// fixtures/, as fixtures/seeds.toml lists them.
    #[command(after_help = "Examples:\n  cargo xtask fixtures --check\n  cargo xtask fixtures --seeds ~/seeds")]
    Fixtures {
        /// Write nothing; show a diff of each fixture that would change and
        /// fail if one would.
        #[arg(long)]
        check: bool,
        /// The folder of seed documents [default: ../shared/seeds, beside
        /// the workspace].
        #[arg(long, value_name = "DIR")]
        seeds: Option<PathBuf>,
    },
    /// Add captured responses as fixtures, then run infer and regen and
    /// print what changed in the schemas.
    ///
    /// Each FILE must be JSON and differ from every fixture. Its endpoint is
    /// the one `dylive check` detects (the command runs `cargo run -p
    /// dylive-cli -- check --per-file --json`), unless --endpoint names it. It is copied
    /// to the endpoint's fixtures folder as
    /// `captured-YYYY-MM-DD-<file name>.json`, dated by its modification
    /// time (UTC); an existing file is never overwritten (`-2`, `-3`, ... are
    /// added). Then infer and regen run once, and the changes are printed:
    /// new types, new fields, fields now optional or nullable, new unions
    /// and maps, removals, one line each, grouped by type. Should infer or
    /// regen fail, the copies are removed and the schemas restored.
    #[command(after_help = "Examples:\n  cargo xtask adopt ~/captures/ranks.json\n  \
                            cargo xtask adopt --endpoint room-ranklist ranks-1.json ranks-2.json\n  \
                            cargo xtask adopt --corpus ~/captures/2026-12-05/\n\n\
                            Then review `git diff -- schemas crates` and write the new fixtures' snapshots:\n  \
                            INSTA_UPDATE=always cargo test -p dylive-models --test roundtrip\n\n\
                            Exit status: 0 when a file was adopted (files refused beside it are listed), 1 when \
                            none was or a step failed, 2 on bad arguments or an unknown endpoint.")]
    Adopt {
        /// The endpoint of every FILE (room-ranklist or room_ranklist);
        /// detected for each file when left out.
        #[arg(long, value_name = "NAME", conflicts_with = "corpus")]
        endpoint: Option<String>,
        /// FILEs are a corpus (files and folders of captures): adopt only
        /// the fewest captures that together show every finding `dylive
        /// check` has of it, per endpoint, and say why each was picked.
        #[arg(long)]
        corpus: bool,
        /// The captured responses.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

fn mode(check: bool) -> Mode {
    if check {
        Mode::Check
    } else {
        Mode::Write
    }
}

/// Runs `adopt` and prints what it did: what was adopted, the files infer
/// and regen wrote, and the schema changes on standard output; refusals on
/// standard error.
fn adopt(root: &Path, endpoint: Option<&str>, files: &[PathBuf]) -> ExitCode {
    let adoption = match adopt::adopt(root, files, endpoint) {
        Ok(adoption) => adoption,
        Err(error) => {
            eprintln!("error: {error}");
            return match error {
                adopt::Error::UnknownEndpoint { .. } => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            };
        }
    };
    for refused in &adoption.refused {
        eprintln!("{refused}");
    }
    if adoption.failed() {
        eprintln!("nothing adopted");
        return ExitCode::FAILURE;
    }
    for adopted in &adoption.adopted {
        println!("{adopted}");
    }
    for (step, outcome) in [("infer", &adoption.infer), ("regen", &adoption.regen)] {
        if let Some(outcome) = outcome {
            for stale in &outcome.stale {
                println!("{step}: wrote {}", stale.path.display());
            }
        }
    }
    for conflict in &adoption.conflicts {
        println!("infer: conflict: {conflict}");
    }
    if let Some(changes) = &adoption.changes {
        print!("{changes}");
    }
    println!(
        "next: review `git diff -- schemas crates`, then write the snapshot of each new fixture with \
         `INSTA_UPDATE=always cargo test -p dylive-models --test roundtrip`"
    );
    ExitCode::SUCCESS
}

/// `adopt --corpus`: picks the captures that show every finding, says why
/// each was picked, and adopts them.
fn adopt_corpus(root: &Path, paths: &[PathBuf]) -> ExitCode {
    let picks = match adopt::pick(root, paths) {
        Ok(picks) => picks,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if picks.is_empty() {
        println!("nothing to adopt: `dylive check` finds nothing new in the corpus");
        return ExitCode::SUCCESS;
    }
    for pick in &picks {
        println!("{pick}");
    }
    let files: Vec<PathBuf> = picks.into_iter().map(|pick| pick.file).collect();
    adopt(root, None, &files)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match xtask::workspace_root() {
        Ok(root) => root,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Task::Adopt { endpoint, corpus: false, files } => return adopt(&root, endpoint.as_deref(), &files),
        Task::Adopt { corpus: true, files, .. } => return adopt_corpus(&root, &files),
        Task::Regen { check } => xtask::regen(&root, mode(check)),
        Task::Release => {
            let today = humantime::format_rfc3339(std::time::SystemTime::now()).to_string();
            xtask::release::release(&root, today.get(..10).unwrap_or(&today)).map(|released| {
                if released.crates.is_empty() {
                    println!("nothing to release: no crate has entries since its last release");
                }
                for (name, version) in &released.crates {
                    println!("released {name} {version}");
                }
                released.outcome
            })
        }
        Task::Infer { check, skip } => xtask::infer(&root, &skip, mode(check)).map(|inferred| {
            print!("{}", inferred.report);
            inferred.outcome
        }),
        Task::Fixtures { check, seeds } => {
            let seeds = seeds.unwrap_or_else(|| root.join("../shared/seeds"));
            xtask::fixtures::run(&root, &seeds, mode(check))
        }
    };
    match result {
        Ok(outcome) => {
            eprint!("{outcome}");
            if outcome.failed() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
