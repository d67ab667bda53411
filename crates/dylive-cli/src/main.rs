//! `dylive`: check captured responses for drift, serve a mock API, call
//! endpoints.

use dylive_cli::{call, check, mock};

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  check: drift or loss found, or a file does not decode; call: the call failed
  2  unreadable input, a bad argument, or an address that cannot be bound";

/// Check captured responses for drift, serve a mock API, call endpoints.
#[derive(Parser)]
#[command(name = "dylive", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Does our model understand these captured responses?
    #[command(after_help = "\
Examples:
  dylive check fixtures/room_ranklist/success.json
  curl -s \"$URL\" | dylive check --endpoint rank-goods -
  dylive check --json captured/*.json > report.json

Each file is decoded (the endpoint is detected when not named), encoded
again and compared strictly, and walked against the schema: fields the
schema does not know, documented fields that are missing, values of another
kind.")]
    Check(check::Args),
    /// Serve every endpoint from its fixtures, checking requests as documented.
    #[command(after_help = "\
Examples:
  dylive mock                                  # http://127.0.0.1:8080
  dylive mock --addr 127.0.0.1:0               # any free port, printed first
  dylive mock --status 503 --faults 2          # the first two requests fail
  dylive mock --rate-limit 7 | --empty | --truncate | --latency-ms 3000")]
    Mock(mock::Args),
    /// Call an endpoint through the generated client and print the result.
    #[command(after_help = "\
Examples:
  dylive call rank-all --token \"$DYLIVE_TOKEN\"
  dylive call room-ranklist --param wcid=xzzz --param room_id=7107858435835808546 --table
  dylive call liveroom-info --param room_id=6843198199583378191 --base https://api.example.com

The token comes from --token or DYLIVE_TOKEN and is never printed. The base
URL defaults to the address of `dylive mock`.")]
    Call(call::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Mock(args) => mock::run(args),
        Command::Call(args) => call::run(args),
    };
    ExitCode::from(code)
}
