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

/// The command-line spelling of an endpoint name (`room-ranklist`).
pub use dylive_runtime::names::cli_name;

/// Green: what is clean.
const GOOD: anstyle::Style = anstyle::AnsiColor::Green.on_default();
/// Red: drift, loss, failure.
const BAD: anstyle::Style = anstyle::AnsiColor::Red.on_default();

/// Styles text for a terminal, or leaves it plain.
///
/// Text styled by [`Paint::new`]`(true)` is meant for a stream of
/// `anstream` (`anstream::stdout().lock()`), which passes the styles to a
/// terminal that takes them and strips them everywhere else: a pipe, a
/// file, `NO_COLOR` set, `TERM=dumb`.
struct Paint(bool);

impl Paint {
    /// Styles text when `styled`, else leaves it plain.
    const fn new(styled: bool) -> Paint {
        Paint(styled)
    }

    fn good(&self, text: &str) -> String {
        self.paint(GOOD, text)
    }

    fn bad(&self, text: &str) -> String {
        self.paint(BAD, text)
    }

    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn paint_styles_with_ansi_colours_or_leaves_text_plain() {
        let styled = Paint::new(true);
        assert_eq!(styled.good("ok"), "\x1b[32mok\x1b[0m");
        assert_eq!(styled.bad("drift"), "\x1b[31mdrift\x1b[0m");
        let plain = Paint::new(false);
        assert_eq!((plain.good("ok").as_str(), plain.bad("drift").as_str()), ("ok", "drift"));
    }

    #[test]
    fn a_stream_without_colour_strips_the_styles() {
        let paint = Paint::new(true);
        let mut out = anstream::AutoStream::never(Vec::new());
        write!(out, "{}: {}", paint.good("ok"), paint.bad("drift")).expect("written");
        assert_eq!(out.into_inner(), b"ok: drift");
    }
}
