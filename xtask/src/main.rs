//! `cargo xtask`: maintenance commands of the workspace it runs in.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{Error, Mode, Outcome};

/// Maintenance commands: generate crates/ from schemas/, derive schemas/
/// from fixtures/, extract fixtures/ from the seed documents.
///
/// The workspace is the one `cargo` runs this in (CARGO_MANIFEST_DIR, or
/// `cargo locate-project --workspace` from the current folder).
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
#[command(after_help = "Exit status: 0 when done or up to date, 1 when --check finds a file out of date or a \
                        command fails, 2 on bad arguments.")]
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
}

fn mode(check: bool) -> Mode {
    if check {
        Mode::Check
    } else {
        Mode::Write
    }
}

fn run(task: Task) -> Result<Outcome, Error> {
    let root = xtask::workspace_root()?;
    match task {
        Task::Regen { check } => xtask::regen(&root, mode(check)),
        Task::Infer { check, skip } => {
            let inferred = xtask::infer(&root, &skip, mode(check))?;
            print!("{}", inferred.report);
            Ok(inferred.outcome)
        }
        Task::Fixtures { check, seeds } => {
            let seeds = seeds.unwrap_or_else(|| root.join("../shared/seeds"));
            xtask::fixtures::run(&root, &seeds, mode(check))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
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
