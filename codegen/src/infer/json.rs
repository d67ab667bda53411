//! An owned JSON value that keeps object key order and number text, for
//! reading and writing schemas without reordering them.

use dylive_runtime::compare::{self, Json};

/// A JSON value; objects keep their key order.
#[derive(Clone, Debug, PartialEq)]
pub enum OJson {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<OJson>),
    Object(Vec<(String, OJson)>),
}

impl OJson {
    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<OJson, compare::ParseError> {
        compare::parse(text).map(|json| OJson::from(&json))
    }

    /// An object from pairs.
    pub fn object<const N: usize>(pairs: [(&str, OJson); N]) -> OJson {
        OJson::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// A string value.
    pub fn str(text: &str) -> OJson {
        OJson::String(text.to_owned())
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&OJson> {
        match self {
            OJson::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object, as a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(OJson::String(text)) => Some(text),
            _ => None,
        }
    }

    /// The members of an object; empty for any other value.
    pub fn members(&self) -> &[(String, OJson)] {
        match self {
            OJson::Object(members) => members,
            _ => &[],
        }
    }

    /// Sets `key`, keeping its place when it exists.
    pub fn set(&mut self, key: &str, value: OJson) {
        if let OJson::Object(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some((_, slot)) => *slot = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    /// Removes `key` from an object.
    pub fn remove(&mut self, key: &str) -> Option<OJson> {
        match self {
            OJson::Object(members) => {
                let index = members.iter().position(|(k, _)| k == key)?;
                Some(members.remove(index).1)
            }
            _ => None,
        }
    }

    /// Pretty text: two spaces a level, one member or item a line, empty
    /// containers as `{}` and `[]`, non-ASCII characters as they are.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            OJson::Null => out.push_str("null"),
            OJson::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            OJson::Number(text) => out.push_str(text),
            OJson::String(text) => write_string(text, out),
            OJson::Array(items) if items.is_empty() => out.push_str("[]"),
            OJson::Object(members) if members.is_empty() => out.push_str("{}"),
            OJson::Array(items) => {
                out.push_str("[\n");
                for (index, item) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    item.write(out, indent + 2);
                    out.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            OJson::Object(members) => {
                out.push_str("{\n");
                for (index, (key, value)) in members.iter().enumerate() {
                    pad(out, indent + 2);
                    write_string(key, out);
                    out.push_str(": ");
                    value.write(out, indent + 2);
                    out.push_str(if index + 1 < members.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl From<&Json<'_>> for OJson {
    fn from(json: &Json<'_>) -> Self {
        match json {
            Json::Null => OJson::Null,
            Json::Bool(b) => OJson::Bool(*b),
            Json::Number(text) => OJson::Number((*text).to_owned()),
            Json::String(text) => OJson::String(text.to_string()),
            Json::Array(items) => OJson::Array(items.iter().map(OJson::from).collect()),
            Json::Object(members) => {
                OJson::Object(members.iter().map(|(k, v)| (k.to_string(), OJson::from(v))).collect())
            }
        }
    }
}
