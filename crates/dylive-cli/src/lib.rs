//! The `dylive` tool as a library: `check` (does the model understand a
//! captured response, and which endpoint is it of), `mock` (every endpoint
//! served from captures) and `call` (an endpoint through the generated
//! client). The binary `dylive` is a thin command line over these.

/// Writes a line to standard error, and nothing when it is closed.
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod call;
pub mod check;
pub mod mock;

/// The endpoint named `name` on the command line (`room-ranklist`), as the
/// manifest names it (`room_ranklist`); `None` when there is none.
pub fn endpoint_name(name: &str) -> Option<&'static str> {
    dylive_mock::endpoint(name).map(|endpoint| endpoint.name)
}

/// The command-line spelling of an endpoint name.
pub fn cli_name(endpoint: &str) -> String {
    endpoint.replace('_', "-")
}

/// Styles text for a terminal, or leaves it plain.
struct Paint(bool);

impl Paint {
    fn stdout() -> Paint {
        use std::io::IsTerminal;
        Paint(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
    }

    fn good(&self, text: &str) -> String {
        if self.0 {
            format!("\x1b[32m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bad(&self, text: &str) -> String {
        if self.0 {
            format!("\x1b[31m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}
