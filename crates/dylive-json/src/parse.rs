//! The parser: the runtime's tokenizer ([`dylive_runtime::tree`]), the one
//! the generated models decode with, building a [`Json`] tree in one pass.
//!
//! Every syntax rule is checked, a number is its own token text whatever
//! its size, and a string without an escape borrows from the text. Nesting
//! is bounded by [`MAX_DEPTH`], so the recursion is.

use std::borrow::Cow;

use dylive_runtime::tree::{self, Tree};

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
/// assert_eq!(error.to_string(), "a comma before the end of an array or object at line 3, column 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl From<tree::SyntaxError> for ParseError {
    fn from(error: tree::SyntaxError) -> ParseError {
        ParseError { message: error.message, line: error.line, column: error.column }
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
    Ok(tree::parse(text)?)
}

impl<'a> Tree<'a> for Json<'a> {
    fn null() -> Self {
        Value::Null
    }

    fn bool(value: bool) -> Self {
        Value::Bool(value)
    }

    fn number(text: &'a str) -> Self {
        Value::Number(Cow::Borrowed(text))
    }

    fn string(text: Cow<'a, str>) -> Self {
        Value::String(text)
    }

    fn array(items: Vec<Self>) -> Self {
        Value::Array(items)
    }

    fn object(members: Vec<(Cow<'a, str>, Self)>) -> Self {
        Value::Object(members)
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
        assert_eq!(error("{\n  \"a\": 1,\n}"), (3, 1, "a comma before the end of an array or object".to_owned()));
        assert_eq!(error(""), (1, 1, "the text ends inside a value".to_owned()));
        assert_eq!(error("[1] x"), (1, 5, "text after the value".to_owned()));
        assert_eq!(error("01").2, "text after the value");
        assert_eq!(error("[1,]").2, "a comma before the end of an array or object");
        assert_eq!(error("\"\u{1}\"").2, "control character in a string");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(error("[\"中🌀\", tru]"), (1, 8, "expected `null`, `true` or `false`".to_owned()));
        // An invalid escape before a multi-byte character.
        assert_eq!(error("[\"\\🌀\"]"), (1, 4, "invalid escape in a string".to_owned()));
    }

    #[test]
    fn errors_inside_nested_values_are_placed_in_the_whole_text() {
        // A lone surrogate is no character: no tree can hold it.
        assert_eq!(error("{\"a\": [1, \"\\ud800\"]}"), (1, 12, "a lone surrogate escape in a string".to_owned()));
        assert_eq!(error("[\n\"\\udc00\"]"), (2, 2, "a lone surrogate escape in a string".to_owned()));

        let nested = "{\n  \"a\": {\n    \"b\": 1,\n    \"b\": 2\n  }\n}";
        assert_eq!(error(nested), (4, 5, r#"duplicate key "b""#.to_owned()));
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
                    assert_eq!(error.message, "arrays and objects nest too deep");
                    assert_eq!((error.line, Some(error.column)), (1, too_deep), "depth {depth}");
                }
            }
        }
        assert_eq!(error(&"[".repeat(10_000)).2, "arrays and objects nest too deep");
    }
}
