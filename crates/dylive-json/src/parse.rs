//! The parser, built on `serde_json`.
//!
//! `serde_json` checks the whole text once as a [`RawValue`], which keeps
//! the exact text of the value; then each array or object is read again by
//! `serde_json`, one level at a time, its items and member values captured
//! as [`RawValue`]s too. So a number is its own token text, whatever its
//! size, a string is decoded by `serde_json`, and nothing here reads JSON
//! syntax by hand. Nesting is bounded by [`MAX_DEPTH`], so the recursion is.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde_json::de::StrRead;
use serde_json::value::RawValue;

use crate::{Json, Value};

/// How deeply arrays and objects may nest: `serde_json`'s own limit (it
/// stops at the 128th level), so that every text the models decode can be
/// compared.
pub const MAX_DEPTH: usize = 127;

/// A text that is not one JSON value.
///
/// ```
/// let error = dylive_json::parse("{\n  \"a\": 1,\n}").expect_err("a trailing comma");
/// assert_eq!((error.line, error.column), (3, 1));
/// assert_eq!(error.to_string(), "key must be a string at line 3, column 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct ParseError {
    /// What is wrong, in `serde_json`'s words.
    pub message: String,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl ParseError {
    /// The error `message` at byte `index` of `text`; `index` may fall
    /// inside a character.
    fn at(text: &str, index: usize, message: String) -> ParseError {
        let before = text.as_bytes().get(..index).unwrap_or(text.as_bytes());
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |newline| newline + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        // A character starts at every byte that is not a continuation byte.
        let chars = before.get(line_start..).unwrap_or_default().iter().filter(|&&b| b & 0xC0 != 0x80).count();
        ParseError { message, line, column: chars.max(1) }
    }

    /// A `serde_json` error met while reading `part`, a slice of `text`.
    fn from_serde(text: &str, part: &str, error: &serde_json::Error) -> ParseError {
        // serde_json counts lines from 1 and columns in bytes; line 0 means
        // no position.
        let bytes = part.as_bytes();
        let mut index = 0;
        if error.line() > 0 {
            for _ in 1..error.line() {
                match bytes.get(index..).and_then(|rest| rest.iter().position(|&b| b == b'\n')) {
                    Some(newline) => index += newline + 1,
                    None => break,
                }
            }
            index = (index + error.column()).min(bytes.len());
        }
        let full = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&position).unwrap_or(&full).to_owned();
        ParseError::at(text, offset(text, part) + index, message)
    }
}

/// Parses one JSON value, keeping each number's token text and the order of
/// object keys; keys and strings borrow from `text` unless they hold an
/// escape. A key that occurs twice in one object is an error: no model
/// could keep both values.
///
/// Never panics.
///
/// ```
/// use dylive_json::{parse, Value};
///
/// let tree = parse(r#"{"z": 1e999, "a": "\u91d1"}"#)?;
/// assert_eq!(tree.get("z").and_then(Value::as_number), Some("1e999"));
/// assert_eq!(tree.get_str("a"), Some("金"));
/// assert_eq!(tree.members()[0].0, "z");
///
/// let error = parse(r#"{"a": 1, "a": 2}"#).expect_err("a duplicate key");
/// assert_eq!(error.message, r#"duplicate key "a""#);
/// # Ok::<(), dylive_json::ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<Json<'_>, ParseError> {
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| ParseError::from_serde(text, text, &e))?;
    build(text, raw.get(), 0)
}

/// The tree of `raw`, one checked value in `text`, inside `depth` containers.
fn build<'a>(text: &'a str, raw: &'a str, depth: usize) -> Result<Json<'a>, ParseError> {
    match raw.as_bytes().first() {
        Some(b'n') => Ok(Value::Null),
        Some(b't') => Ok(Value::Bool(true)),
        Some(b'f') => Ok(Value::Bool(false)),
        Some(b'"') => string(text, raw).map(Value::String),
        Some(b'[' | b'{') if depth >= MAX_DEPTH => {
            Err(ParseError::at(text, offset(text, raw) + 1, "recursion limit exceeded".to_owned()))
        }
        Some(b'[') => {
            let items = again(text, raw, |de| de.deserialize_seq(Items))?;
            let items = items.into_iter().map(|item| build(text, item.get(), depth + 1));
            items.collect::<Result<_, _>>().map(Value::Array)
        }
        Some(b'{') => {
            let members = again(text, raw, |de| de.deserialize_map(Members))?;
            let members = members.into_iter().map(|(key, value)| Ok((key, build(text, value.get(), depth + 1)?)));
            members.collect::<Result<_, _>>().map(Value::Object)
        }
        _ => Ok(Value::Number(Cow::Borrowed(raw))),
    }
}

/// A checked string token, decoded.
fn string<'a>(text: &'a str, raw: &'a str) -> Result<Cow<'a, str>, ParseError> {
    match raw.strip_prefix('"').and_then(|inner| inner.strip_suffix('"')) {
        // No escape: the characters are the text itself.
        Some(inner) if !inner.contains('\\') => Ok(Cow::Borrowed(inner)),
        _ => again(text, raw, |de| de.deserialize_str(Text)),
    }
}

/// Reads `raw`, a slice of `text`, with a `serde_json` deserializer of its
/// own; errors are placed in `text`.
fn again<'a, T>(
    text: &'a str,
    raw: &'a str,
    read: impl FnOnce(&mut serde_json::Deserializer<StrRead<'a>>) -> Result<T, serde_json::Error>,
) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(raw);
    let value = read(&mut deserializer).and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|e| ParseError::from_serde(text, raw, &e))
}

/// The byte offset of `part` in `text`, of which it is a slice.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr().addr().checked_sub(text.as_ptr().addr()).filter(|&at| at <= text.len()).unwrap_or(0)
}

/// The items of an array, each as its text.
struct Items;

impl<'de> Visitor<'de> for Items {
    type Value = Vec<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

/// The members of an object, each value as its text; a repeated key is an
/// error.
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(Cow<'de, str>, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members: Vec<(Cow<'de, str>, &'de RawValue)> = Vec::new();
        // Small objects are searched; large ones get an index of their keys.
        let mut index: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let repeated = if members.len() < 16 {
                members.iter().any(|(seen, _)| *seen == key)
            } else {
                if index.is_empty() {
                    index.extend(members.iter().map(|(seen, _)| seen.clone()));
                }
                !index.insert(key.clone())
            };
            if repeated {
                return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
            }
            members.push((key, map.next_value()?));
        }
        Ok(members)
    }
}

/// An object key, borrowed when it holds no escape.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(Text)
    }
}

/// A string, borrowed when the deserializer can lend it.
struct Text;

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (usize, usize, String) {
        let error = parse(text).expect_err("not one JSON value");
        (error.line, error.column, error.message)
    }

    #[test]
    fn values_keep_their_text_and_order() {
        let text =
            r#" {"b": [1, -0, 1.50, 2E+3, 18446744073709551616, 1e999999], "a": {"x": null, "y": true, "z": false}} "#;
        let tree = parse(text).expect("valid JSON");
        assert_eq!(
            tree.to_json(),
            r#"{"b":[1,-0,1.50,2E+3,18446744073709551616,1e999999],"a":{"x":null,"y":true,"z":false}}"#
        );
        let numbers: Vec<&str> =
            tree.get("b").map(|b| b.items().iter().filter_map(Value::as_number).collect()).unwrap_or_default();
        assert_eq!(numbers.len(), 6);
    }

    #[test]
    fn strings_are_decoded_and_borrowed_when_plain() {
        let tree = parse(r#"["plain", "a\/b", "\ud83d\ude00", "\u91d1", "\n", "中🌀"]"#).expect("valid JSON");
        let strings: Vec<&str> = tree.items().iter().filter_map(Value::as_str).collect();
        assert_eq!(strings, ["plain", "a/b", "😀", "金", "\n", "中🌀"]);
        assert!(matches!(tree.items()[0], Value::String(Cow::Borrowed(_))));
        assert!(matches!(tree.items()[5], Value::String(Cow::Borrowed(_))));
        let keys = parse(r#"{"k\u0041": 1, "plain": 2}"#).expect("valid JSON");
        assert!(matches!(&keys.members()[0].0, Cow::Owned(key) if key == "kA"));
        assert!(matches!(&keys.members()[1].0, Cow::Borrowed("plain")));
    }

    #[test]
    fn errors_give_line_column_and_message() {
        assert_eq!(error("{\n  \"a\": 1,\n}"), (3, 1, "key must be a string".to_owned()));
        assert_eq!(error(""), (1, 1, "EOF while parsing a value".to_owned()));
        assert_eq!(error("[1] x"), (1, 5, "trailing characters".to_owned()));
        assert_eq!(error("01").2, "invalid number");
        assert_eq!(error("[1,]").2, "expected value");
        assert_eq!(error("\"\u{1}\"").2, "control character (\\u0000-\\u001F) found while parsing a string");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(error("[\"中🌀\", tru]"), (1, 11, "expected ident".to_owned()));
        // An invalid escape before a multi-byte character.
        assert_eq!(error("[\"\\🌀\"]"), (1, 4, "invalid escape".to_owned()));
    }

    #[test]
    fn errors_inside_nested_values_are_placed_in_the_whole_text() {
        // A lone surrogate passes the first check and fails the decoding.
        assert_eq!(error("{\"a\": [1, \"\\ud800\"]}"), (1, 18, "unexpected end of hex escape".to_owned()));
        assert_eq!(error("[\n\"\\udc00\"]"), (2, 7, "lone leading surrogate in hex escape".to_owned()));

        let nested = "{\n  \"a\": {\n    \"b\": 1,\n    \"b\": 2\n  }\n}";
        assert_eq!(error(nested), (4, 7, r#"duplicate key "b""#.to_owned()));
        assert_eq!(error(r#"{"\u0062": 1, "b": 2}"#).2, r#"duplicate key "b""#);
        assert!(parse(r#"[{"b": 1}, {"b": 2}]"#).is_ok());
    }

    #[test]
    fn repeated_keys_are_found_in_large_objects() {
        let members: Vec<String> = (0..1000).map(|i| format!("\"k{i}\": {i}")).collect();
        let object = format!("{{{}}}", members.join(", "));
        assert_eq!(parse(&object).map(|tree| tree.members().len()), Ok(1000));
        for repeated in ["k0", "k15", "k16", "k999"] {
            let text = format!("{{{}, \"{repeated}\": 0}}", members.join(", "));
            assert_eq!(error(&text).2, format!("duplicate key {repeated:?}"));
        }
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for depth in [1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 10_000] {
            let arrays = "[".repeat(depth) + &"]".repeat(depth);
            let objects = "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
            for (open, text) in [('[', arrays), ('{', objects)] {
                let ours = parse(&text);
                let theirs = serde_json::from_str::<serde_json::Value>(&text);
                assert_eq!(ours.is_ok(), theirs.is_ok(), "depth {depth}");
                assert_eq!(ours.is_ok(), depth <= MAX_DEPTH, "depth {depth}");
                if let Err(error) = ours {
                    // At the first container too many, counted in characters from 1.
                    let too_deep = text.match_indices(open).nth(MAX_DEPTH).map(|(at, _)| at + 1);
                    assert_eq!(error.message, "recursion limit exceeded");
                    assert_eq!((error.line, Some(error.column)), (1, too_deep), "depth {depth}");
                }
            }
        }
        assert_eq!(error(&"[".repeat(10_000)).2, "EOF while parsing a list");
    }
}
