//! The writer: one for compact and pretty text.

use std::fmt;

use crate::Value;

impl<S: AsRef<str>> Value<S> {
    /// Compact JSON text: no space anywhere, numbers as they came.
    ///
    /// ```
    /// let tree = dylive_json::parse("{ \"a\" : [ 1.50, \"\\u00e9\\n\" ] }")?;
    /// assert_eq!(tree.to_json(), "{\"a\":[1.50,\"é\\n\"]}");
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// Appends the compact text to `out`.
    pub fn write_json(&self, out: &mut String) {
        write(self, out, None);
    }

    /// Pretty JSON text, as a file holds it: two spaces a level, one member
    /// or item a line, `": "` after a key, empty containers as `{}` and `[]`,
    /// non-ASCII characters as they are, and a newline at the end.
    ///
    /// ```
    /// let tree = dylive_json::Value::parse(r#"{"type":"object","required":["id"],"properties":{}}"#)?;
    /// assert_eq!(tree.pretty(), "{\n  \"type\": \"object\",\n  \"required\": [\n    \"id\"\n  ],\n  \"properties\": {}\n}\n");
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        write(self, &mut out, Some(0));
        out.push('\n');
        out
    }
}

/// Compact text.
impl<S: AsRef<str>> fmt::Display for Value<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// Writes `value` compactly when `indent` is `None`, else pretty at that
/// indent.
fn write<S: AsRef<str>>(value: &Value<S>, out: &mut String, indent: Option<usize>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Value::Number(text) => out.push_str(text.as_ref()),
        Value::String(text) => write_string(text.as_ref(), out),
        Value::Array(items) => {
            write_container(out, indent, ('[', ']'), items, |item, out, indent| write(item, out, indent))
        }
        Value::Object(members) => write_container(out, indent, ('{', '}'), members, |(key, value), out, indent| {
            write_string(key.as_ref(), out);
            out.push_str(if indent.is_some() { ": " } else { ":" });
            write(value, out, indent);
        }),
    }
}

fn write_container<T>(
    out: &mut String,
    indent: Option<usize>,
    (open, close): (char, char),
    entries: &[T],
    mut entry: impl FnMut(&T, &mut String, Option<usize>),
) {
    out.push(open);
    if let (Some(level), false) = (indent, entries.is_empty()) {
        let inner = level + 2;
        for (index, item) in entries.iter().enumerate() {
            out.push_str(if index == 0 { "\n" } else { ",\n" });
            out.extend(std::iter::repeat_n(' ', inner));
            entry(item, out, Some(inner));
        }
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', level));
    } else {
        for (index, item) in entries.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            entry(item, out, None);
        }
    }
    out.push(close);
}

/// A JSON string, escaped as `serde_json` escapes it: the runtime's one
/// escaper, [`dylive_runtime::write::string`].
fn write_string(text: &str, out: &mut String) {
    dylive_runtime::write::string(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> String {
        let mut out = String::new();
        write_string(text, &mut out);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        for text in [every_ascii.as_str(), "", "plain", "金🌀", "a\"b\\c/d", "\u{7f}\u{80}\u{2028}", "\u{1f}x"] {
            let expected = serde_json::to_string(text).expect("a string encodes");
            assert_eq!(string(text), expected, "{text:?}");
        }
    }

    #[test]
    fn compact_and_pretty_share_one_layout() {
        let value = Value::object([
            ("a", Value::Array(vec![Value::Number("1".to_owned()), Value::Object(Vec::new())])),
            ("b", Value::Object(vec![("c".to_owned(), Value::Array(Vec::new()))])),
            ("d", Value::Bool(true)),
        ]);
        assert_eq!(value.to_json(), r#"{"a":[1,{}],"b":{"c":[]},"d":true}"#);
        assert_eq!(value.to_string(), value.to_json());
        assert_eq!(
            value.pretty(),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {\n    \"c\": []\n  },\n  \"d\": true\n}\n"
        );
        assert_eq!(Value::<String>::Null.pretty(), "null\n");
    }

    #[test]
    fn pretty_text_is_what_serde_json_writes() {
        let text = r#"{"b": [1, [], {}, {"x": "é\u0001"}], "a": {"n": null, "t": false}}"#;
        let ours = Value::parse(text).expect("valid JSON").pretty();
        let theirs: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        // serde_json's map sorts the keys: write the tree of its sorted text.
        let sorted = Value::parse(&theirs.to_string()).expect("valid JSON").pretty();
        let expected = serde_json::to_string_pretty(&theirs).expect("encodes") + "\n";
        assert_eq!(sorted, expected);
        assert_ne!(ours, sorted, "the tree keeps the order of keys");
    }
}
