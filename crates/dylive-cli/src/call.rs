//! `dylive call`: an endpoint through the generated client.

use std::io::Write;
use std::time::Duration;

use dylive_client::{Client, ClientConfig, Error};
use dylive_json::Json;

use crate::endpoint_name;

/// The arguments of `dylive call`.
#[derive(clap::Args)]
pub struct Args {
    /// The endpoint: room-ranklist, rank-goods, liveroom-ranklist, rank-all,
    /// liveroom-info.
    endpoint: String,
    /// A parameter as NAME=VALUE; repeat for more.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The base URL of the API.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    /// The credential; never printed.
    #[arg(long, env = "DYLIVE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print the ranks as a table instead of the response as JSON.
    #[arg(long)]
    table: bool,
    /// The longest wait for one exchange.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    timeout_ms: u64,
    /// Retries of retryable failures.
    #[arg(long, default_value_t = 3)]
    retries: u32,
}

/// Runs `dylive call`; returns the exit code.
pub fn run(args: Args) -> u8 {
    let Some(endpoint) = endpoint_name(&args.endpoint) else {
        say_err!("error: no endpoint named `{}`", args.endpoint);
        return 2;
    };
    let mut params = Vec::new();
    for param in &args.params {
        let Some((name, value)) = param.split_once('=') else {
            say_err!("error: `{param}` is not NAME=VALUE");
            return 2;
        };
        params.push((name.to_owned(), value.to_owned()));
    }
    let Some(token) = args.token.clone().filter(|t| !t.is_empty()) else {
        say_err!("error: no token: pass --token or set DYLIVE_TOKEN");
        return 2;
    };
    let mut config = ClientConfig::new(args.base.clone(), token);
    config.timeout = Duration::from_millis(args.timeout_ms);
    config.retry.max_retries = args.retries;
    let client = match Client::with_config(config) {
        Ok(client) => client,
        Err(error) => {
            say_err!("error: {error}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            say_err!("error: {error}");
            return 2;
        }
    };
    match runtime.block_on(client.call(endpoint, &params)) {
        Ok(response) => {
            let json = response.to_json();
            let mut out = std::io::stdout().lock();
            let written = if args.table { print_table(&mut out, &json) } else { writeln!(out, "{json}") };
            match written.and_then(|()| out.flush()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                    say_err!("error: {error}");
                    2
                }
                _ => 0,
            }
        }
        Err(error @ Error::Request(_)) => {
            say_err!("error: {error}");
            2
        }
        Err(error) => {
            say_err!("error: {}: {error}", error.kind());
            1
        }
    }
}

/// Every `ranks` array of the response as rows: rank, nickname, score, gap.
fn print_table(out: &mut impl Write, json: &str) -> std::io::Result<()> {
    let Ok(tree) = dylive_json::parse(json) else { return Ok(()) };
    let mut rows = vec![["rank".to_owned(), "nickname".to_owned(), "score".to_owned(), "gap".to_owned()]];
    collect_ranks(&tree, &mut rows);
    let widths: Vec<usize> = (0..4).map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0)).collect();
    for row in &rows {
        let cells: Vec<String> =
            row.iter().zip(&widths).map(|(cell, w)| format!("{cell}{}", " ".repeat(w - width(cell)))).collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

/// Columns a terminal gives `text`: two for East Asian wide characters,
/// none for combining marks and other zero-width characters.
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

fn collect_ranks(json: &Json<'_>, rows: &mut Vec<[String; 4]>) {
    match json {
        Json::Object(members) => {
            for (key, value) in members {
                if let (true, Json::Array(ranks)) = (key == "ranks", value) {
                    for rank in ranks {
                        let field = |path: &[&str]| scalar(path.iter().try_fold(rank, |node, step| get(node, step)));
                        rows.push([
                            field(&["rank"]),
                            field(&["user", "nickname"]),
                            field(&["score"]),
                            field(&["gap_description"]),
                        ]);
                    }
                } else {
                    collect_ranks(value, rows);
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|item| collect_ranks(item, rows)),
        _ => {}
    }
}

fn get<'j, 'a>(json: &'j Json<'a>, key: &str) -> Option<&'j Json<'a>> {
    match json {
        Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn scalar(json: Option<&Json<'_>>) -> String {
    match json {
        Some(Json::String(text)) => text.replace('\n', " "),
        Some(Json::Number(text)) => text.to_string(),
        Some(Json::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_columns_not_characters() {
        // "e" and a combining acute accent take one column; each CJK
        // character, and the full-width "Ａ", two.
        assert_eq!(width("Ame\u{301}lie"), 6);
        assert_eq!(width("中文"), 4);
        assert_eq!(width("Ame\u{301}lie 中文Ａ"), 13);
        assert_eq!(width("\u{1100}\u{1161}\u{11a8}"), 2, "a Hangul syllable of conjoining jamo");
        assert_eq!(width(""), 0);
    }

    #[test]
    fn table_columns_line_up_with_combining_marks_and_cjk() {
        let json = r#"{"data": {"ranks": [
            {"rank": 1, "user": {"nickname": "Ame\u0301lie"}, "score": 10, "gap_description": "a"},
            {"rank": 2, "user": {"nickname": "中文"}, "score": 9, "gap_description": "b"}
        ]}}"#;
        let mut out = Vec::new();
        print_table(&mut out, json).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        let expected = "rank  nickname  score  gap\n\
                        1     Ame\u{301}lie    10     a\n\
                        2     中文      9      b\n";
        assert_eq!(text, expected);
    }
}
