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
  dylive mock --from captures/                 # serve your captures, fixtures for the rest
  dylive mock --status 503 --faults 2          # the first two requests fail
  dylive mock --rate-limit 7 | --empty | --truncate | --latency-ms 3000
  dylive mock --mix 5xx=10,429=5,empty=5,truncate=5 --jitter-ms 50 --seed 7

Captures (--from) are mapped to endpoints as `dylive check` detects them,
or as named (--from rank-all=PATH); standard error lists what each endpoint
serves. Several captures of one endpoint are served in turn. An unreadable
capture exits 2 with file:line:column.

Faults: --status, --rate-limit, --empty and --truncate hit every request;
--mix hits each at random with the given percentages, from the --seed
generator (printed when not given), so that a run can be replayed.
--faults N limits either to the first N requests. --latency-ms is fixed,
--jitter-ms adds a random 0 to N ms.")]
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
