//! The strict comparator that proves a round-trip lossless.
//!
//! Two JSON texts are equal when they are equal as JSON values except for
//! the order of object keys, with numbers compared by their exact token text
//! (`2` is not `2.0`), strings by their decoded characters (`"\/"` is `"/"`),
//! and absent, `null`, `[]` and `{}` all told apart.
//!
//! ```
//! use dylive_runtime::compare::diff;
//!
//! assert!(diff(r#"{"a": 1, "b": [true]}"#, r#"{"b":[true],"a":1}"#)?.is_empty());
//! let differences = diff(r#"{"a": {"b": 2}}"#, r#"{"a": {"b": 2.0}}"#)?;
//! assert_eq!(differences[0].to_string(), "/a/b: expected 2, found 2.0");
//! # Ok::<(), dylive_runtime::compare::ParseError>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A JSON value with numbers kept as their token text.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as its token text.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object, keys unescaped, in input order.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl Json<'_> {
    /// The value as compact JSON text (numbers as they were).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push_str(&serde_json::Value::String(text.to_owned()).to_string());
}

/// A text that is not one JSON value.
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

/// Parses one JSON value, keeping number tokens as text. A key that occurs
/// twice in one object is an error: no model could keep both values.
pub fn parse(text: &str) -> Result<Json<'_>, ParseError> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos != text.len() {
        return Err(parser.error("trailing characters after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

const MAX_DEPTH: usize = 512;

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> ParseError {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
        ParseError { message: message.to_owned(), line, column }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), ParseError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", byte as char)))
        }
    }

    fn literal(&mut self, word: &str, value: Json<'a>) -> Result<Json<'a>, ParseError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        match self.peek() {
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    self.skip_ws();
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(self.error("expected `,` or `]`")),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members: Vec<(Cow<'a, str>, Json<'a>)> = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                loop {
                    self.skip_ws();
                    let key_at = self.pos;
                    let key = self.string()?;
                    if members.iter().any(|(seen, _)| *seen == key) {
                        self.pos = key_at;
                        return Err(self.error(&format!("duplicate key {key:?}")));
                    }
                    self.skip_ws();
                    self.expect(b':')?;
                    self.skip_ws();
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Json::Object(members));
                        }
                        _ => return Err(self.error("expected `,` or `}`")),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    fn number(&mut self) -> Result<Json<'a>, ParseError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - from
        };
        let mut pos = self.pos;
        if bytes.get(pos) == Some(&b'-') {
            pos += 1;
        }
        let int_start = pos;
        let int_len = digits(&mut pos);
        if int_len == 0 || (int_len > 1 && bytes[int_start] == b'0') {
            self.pos = start;
            return Err(self.error("invalid number"));
        }
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return Err(self.error("invalid number"));
            }
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return Err(self.error("invalid number"));
            }
        }
        self.pos = pos;
        Ok(Json::Number(&self.text[start..pos]))
    }

    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.expect(b'"')?;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        // Fast path: no escapes.
        while let Some(&byte) = bytes.get(self.pos) {
            match byte {
                b'"' => {
                    let text = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                b'\\' => break,
                0x00..=0x1f => return Err(self.error("control character in string")),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let Some(ch) = self.text[self.pos..].chars().next() else {
                return Err(self.error("unterminated string"));
            };
            match ch {
                '"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                '\\' => {
                    self.pos += 1;
                    let escaped = self.peek().ok_or_else(|| self.error("unterminated string"))?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) && self.text[self.pos..].starts_with("\\u") {
                                self.pos += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("invalid surrogate pair"));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            // A lone surrogate has no character; keep it visible.
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                c if (c as u32) < 0x20 => return Err(self.error("control character in string")),
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.text.get(self.pos..self.pos + 4).ok_or_else(|| self.error("invalid \\u escape"))?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(code)
    }
}

/// One place where two JSON texts differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The JSON Pointer of the place.
    pub pointer: String,
    /// The expected value there as compact JSON, `None` when absent.
    pub expected: Option<String>,
    /// The value found there as compact JSON, `None` when absent.
    pub found: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "(absent)".to_owned());
        let pointer = if self.pointer.is_empty() { "(top level)" } else { &self.pointer };
        write!(f, "{pointer}: expected {}, found {}", show(&self.expected), show(&self.found))
    }
}

/// Compares two JSON texts strictly (see the module docs) and lists every
/// place where they differ; an empty list means they are equal.
pub fn diff(expected: &str, found: &str) -> Result<Vec<Difference>, ParseError> {
    let expected = parse(expected)?;
    let found = parse(found)?;
    let mut out = Vec::new();
    diff_values(&expected, &found, &mut String::new(), &mut out);
    Ok(out)
}

/// Compares two parsed values, like [`diff`].
pub fn diff_values(expected: &Json<'_>, found: &Json<'_>, pointer: &mut String, out: &mut Vec<Difference>) {
    match (expected, found) {
        (Json::Array(left), Json::Array(right)) => {
            for index in 0..left.len().max(right.len()) {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                match (left.get(index), right.get(index)) {
                    (Some(a), Some(b)) => diff_values(a, b, pointer, out),
                    (a, b) => out.push(Difference {
                        pointer: pointer.clone(),
                        expected: a.map(Json::to_json),
                        found: b.map(Json::to_json),
                    }),
                }
                pointer.truncate(len);
            }
        }
        (Json::Object(left), Json::Object(right)) => {
            let left: BTreeMap<&str, &Json<'_>> = left.iter().map(|(k, v)| (k.as_ref(), v)).collect();
            let right: BTreeMap<&str, &Json<'_>> = right.iter().map(|(k, v)| (k.as_ref(), v)).collect();
            let mut keys: Vec<&str> = left.keys().chain(right.keys()).copied().collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match (left.get(key), right.get(key)) {
                    (Some(a), Some(b)) => diff_values(a, b, pointer, out),
                    (a, b) => out.push(Difference {
                        pointer: pointer.clone(),
                        expected: a.map(|v| v.to_json()),
                        found: b.map(|v| v.to_json()),
                    }),
                }
                pointer.truncate(len);
            }
        }
        (a, b) if a == b => {}
        (a, b) => {
            out.push(Difference { pointer: pointer.clone(), expected: Some(a.to_json()), found: Some(b.to_json()) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn differs(a: &str, b: &str) -> Vec<String> {
        diff(a, b).expect("valid JSON").iter().map(ToString::to_string).collect()
    }

    #[test]
    fn key_order_is_free_and_array_order_is_not() {
        assert!(differs(r#"{"a":1,"b":2}"#, r#"{"b":2,"a":1}"#).is_empty());
        assert_eq!(differs("[1,2]", "[2,1]"), ["/0: expected 1, found 2", "/1: expected 2, found 1"]);
    }

    #[test]
    fn numbers_compare_by_text() {
        assert_eq!(differs("2", "2.0"), ["(top level): expected 2, found 2.0"]);
        assert_eq!(differs("[6919375969501465352]", "[6919375969501465000]").len(), 1);
        assert_eq!(differs("1e2", "100").len(), 1);
        assert!(differs("-0", "-0").is_empty());
    }

    #[test]
    fn absent_null_and_empty_are_told_apart() {
        assert_eq!(differs(r#"{"a":null}"#, "{}"), ["/a: expected null, found (absent)"]);
        assert_eq!(differs(r#"{"a":[]}"#, r#"{"a":null}"#), ["/a: expected [], found null"]);
        assert_eq!(differs(r#"{"a":{}}"#, r#"{"a":[]}"#), ["/a: expected {}, found []"]);
        assert_eq!(differs("{}", r#"{"b":1}"#), ["/b: expected (absent), found 1"]);
    }

    #[test]
    fn strings_compare_by_characters() {
        assert!(differs(r#""a\/b""#, r#""a/b""#).is_empty());
        assert!(differs(r#""\u91d1""#, r#""金""#).is_empty());
        assert!(differs(r#""\ud83d\ude00""#, r#""😀""#).is_empty());
        assert_eq!(differs(r#""a""#, r#""b""#).len(), 1);
    }

    #[test]
    fn pointers_escape_keys() {
        assert_eq!(differs(r#"{"a/b":{"c~d":1}}"#, r#"{"a/b":{"c~d":2}}"#), ["/a~1b/c~0d: expected 1, found 2"]);
    }

    #[test]
    fn bad_input_is_reported_with_a_position() {
        let error = parse("{\n  \"a\": 1,\n}").expect_err("trailing comma");
        assert_eq!((error.line, error.column), (3, 1));
        assert!(parse(r#"{"a":1,"a":2}"#).is_err());
        assert!(parse("01").is_err());
        assert!(parse("[1] x").is_err());
        assert!(parse(&"[".repeat(1000)).is_err());
    }
}
