//! `cargo xtask fixtures`: the documented examples of the seeds as fixtures.
//!
//! `fixtures/seeds.toml` lists, per fixture, the seed document, the text after
//! which its example stands, and the fixture file it becomes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Error, Mode, Outcome};

#[derive(Deserialize)]
struct Plan {
    fixture: Vec<Extract>,
}

#[derive(Deserialize)]
struct Extract {
    seed: String,
    marker: String,
    output: String,
    #[serde(default)]
    repair: Option<String>,
}

/// Extracts the fixtures `fixtures/seeds.toml` lists from the seed
/// documents in `seeds`, writing them into `fixtures/` or, checking,
/// comparing them.
///
/// ```no_run
/// let root = xtask::workspace_root()?;
/// let outcome = xtask::fixtures::run(&root, &root.join("../shared/seeds"), xtask::Mode::Check)?;
/// assert!(outcome.is_clean(), "{outcome}");
/// # Ok::<(), xtask::Error>(())
/// ```
pub fn run(root: &Path, seeds: &Path, mode: Mode) -> Result<Outcome, Error> {
    if !seeds.is_dir() {
        return Err(Error::NoSeeds(seeds.to_owned()));
    }
    let plan_path = root.join("fixtures/seeds.toml");
    let plan: Plan = read_toml(&plan_path)?;
    let mut outcome = Outcome::new("cargo xtask fixtures", mode, root);
    for extract in &plan.fixture {
        let seed_error = |message: String| Error::Seed { seed: extract.seed.clone(), message };
        let seed_path = seeds.join(&extract.seed);
        let seed = std::fs::read_to_string(&seed_path).map_err(|source| Error::Io { path: seed_path, source })?;
        let block = code_block_after(&seed, &extract.marker)
            .ok_or_else(|| seed_error(format!("no code block after {:?}", extract.marker)))?;
        let json = match extract.repair.as_deref() {
            None => block.to_owned(),
            Some("truncated") => {
                repair_truncated(block).map_err(|e| seed_error(format!("after {:?}: {e}", extract.marker)))?
            }
            Some(other) => {
                return Err(Error::Toml { path: plan_path, message: format!("unknown repair {other:?}") });
            }
        };
        outcome.ensure(&PathBuf::from("fixtures").join(&extract.output), &format!("{json}\n"))?;
    }
    Ok(outcome)
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    toml::from_str(&text).map_err(|e| Error::Toml { path: path.to_owned(), message: e.to_string() })
}

/// The text of the first ``` block after `marker`, trimmed; a language tag
/// right after the opening fence is not part of it.
fn code_block_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let after = &text[text.find(marker)? + marker.len()..];
    let open = after.find("```")? + 3;
    let body = &after[open..];
    let body = body.strip_prefix("json").unwrap_or(body);
    let close = body.find("```")?;
    Some(body[..close].trim())
}

/// Repairs a JSON text that the document cut off: cut after the last value
/// that is complete, then close, innermost first, every bracket still open,
/// each closing bracket preceded by one space.
fn repair_truncated(text: &str) -> Result<String, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Open {
        Array,
        ObjectKey,
        ObjectValue,
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut cut: Option<(usize, Vec<Open>)> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        let completed_at = match bytes[pos] {
            b'{' => {
                stack.push(Open::ObjectKey);
                pos += 1;
                None
            }
            b'[' => {
                stack.push(Open::Array);
                pos += 1;
                None
            }
            b'}' | b']' => {
                stack.pop();
                pos += 1;
                if stack.is_empty() {
                    return Err("the text is complete; nothing to repair".to_owned());
                }
                Some(pos)
            }
            b':' => {
                if let Some(top) = stack.last_mut() {
                    *top = Open::ObjectValue;
                }
                pos += 1;
                None
            }
            b',' => {
                if let Some(top @ Open::ObjectValue) = stack.last_mut() {
                    *top = Open::ObjectKey;
                }
                pos += 1;
                None
            }
            b'"' => {
                let mut end = pos + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                if end >= bytes.len() {
                    break;
                }
                pos = end + 1;
                (stack.last() != Some(&Open::ObjectKey)).then_some(pos)
            }
            b if b.is_ascii_whitespace() => {
                pos += 1;
                None
            }
            _ => {
                let end = bytes[pos..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                    .map(|n| pos + n);
                match end {
                    Some(end) => {
                        pos = end;
                        Some(pos)
                    }
                    None => break,
                }
            }
        };
        if let Some(at) = completed_at {
            cut = Some((at, stack.clone()));
        }
    }
    let (at, open) = cut.ok_or("no complete value to cut back to")?;
    let mut out = text[..at].to_owned();
    for bracket in open.iter().rev() {
        out.push_str(if *bracket == Open::Array { " ]" } else { " }" });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::repair_truncated;

    #[test]
    fn cuts_back_to_the_last_complete_value_and_closes() {
        assert_eq!(repair_truncated(r#"{ "a": [ { "b": 1 }, { "c"#).as_deref(), Ok(r#"{ "a": [ { "b": 1 } ] }"#));
        assert_eq!(repair_truncated(r#"{ "a": 1, "b": "x"#).as_deref(), Ok(r#"{ "a": 1 }"#));
        assert_eq!(repair_truncated(r#"{ "a": "}", "b": [ 1, 2"#).as_deref(), Ok(r#"{ "a": "}", "b": [ 1 ] }"#));
        assert!(repair_truncated(r#"{ "a": 1 }"#).is_err());
    }
}
