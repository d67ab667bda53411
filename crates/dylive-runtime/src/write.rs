//! Compact JSON text written straight from the models, without serde's
//! serializer in between: the same text `serde_json::to_string` gives, in
//! the same order, escaped by the same rules, faster.
//!
//! The generated types implement [`WriteJson`] through
//! [`json_object!`](crate::json_object) and [`json_union!`](crate::json_union);
//! their `to_json()` calls [`to_string`].

use std::collections::BTreeMap;

use crate::{Field, RawJson};

/// A value that writes itself as compact JSON.
///
/// ```
/// use dylive_runtime::write::{to_string, WriteJson};
/// use dylive_runtime::{Field, Int};
///
/// let values: Vec<Field<Int>> = dylive_runtime::from_str(r#"[18446744073709551616, null, -2]"#)?;
/// assert_eq!(to_string(&values), "[18446744073709551616,null,-2]");
/// assert_eq!(to_string(&"tab\there \"quoted\" 金".to_owned()), r#""tab\there \"quoted\" 金""#);
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
pub trait WriteJson {
    /// Appends the value's compact JSON text to `out`.
    fn write_json(&self, out: &mut String);
}

/// The compact JSON text of `value`.
pub fn to_string<T: WriteJson + ?Sized>(value: &T) -> String {
    let mut out = String::with_capacity(256);
    value.write_json(&mut out);
    out
}

/// Writes a property name and its colon, after a comma unless it is the
/// first (`first` is then cleared).
pub fn key(out: &mut String, first: &mut bool, name: &str) {
    if !std::mem::take(first) {
        out.push(',');
    }
    string(out, name);
    out.push(':');
}

/// True when one of the 8 bytes of `word` must be escaped in a JSON string:
/// a control character, `"` or `\`. Bytes from 0x80 (UTF-8 past ASCII) never
/// are.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (control | zero_byte(word ^ (ONES * b'"' as u64)) | zero_byte(word ^ (ONES * b'\\' as u64))) != 0
}

/// Writes `text` as a JSON string, escaped as serde_json escapes it.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time while none needs escaping.
        if let Some(word) = bytes.get(at..at + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            if !needs_escape(u64::from_le_bytes(eight)) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&text[start..at]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escaped);
        }
        at += 1;
        start = at;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

impl WriteJson for String {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl WriteJson for () {
    fn write_json(&self, out: &mut String) {
        out.push_str("null");
    }
}

impl WriteJson for RawJson {
    fn write_json(&self, out: &mut String) {
        out.push_str(self.get());
    }
}

impl<T: WriteJson> WriteJson for Field<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Field::Value(value) => value.write_json(out),
            Field::Other(raw) => raw.write_json(out),
            Field::Absent | Field::Null => out.push_str("null"),
        }
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: WriteJson> WriteJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        let mut first = true;
        for (name, value) in self {
            key(out, &mut first, name);
            value.write_json(out);
        }
        out.push('}');
    }
}

impl<T: WriteJson> WriteJson for crate::Map<T> {
    fn write_json(&self, out: &mut String) {
        let map: &BTreeMap<String, T> = self;
        map.write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of these bytes is written as serde_json writes it.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut samples: Vec<String> = (0u8..=0x7f).map(|b| format!("ab{}cdefghij", char::from(b))).collect();
        samples.extend(
            ["", "\"", "\\", "金刚 🌀", "0123456789abcdef\u{1f}", "\u{7f}\u{80}é\"\"\\\\ end"].map(str::to_owned),
        );
        for at in 0..20 {
            samples.push(format!("{}\n{}", "x".repeat(at), "y".repeat(20 - at)));
        }
        for sample in samples {
            let mut ours = String::new();
            string(&mut ours, &sample);
            assert_eq!(ours, serde_json::to_string(&sample).expect("a string"), "{sample:?}");
        }
    }

    #[test]
    fn the_eight_byte_check_sees_every_byte_that_needs_escaping() {
        for byte in 0u8..=0xff {
            for at in 0..8 {
                let mut eight = [b'a'; 8];
                eight[at] = byte;
                let expected = byte < 0x20 || byte == b'"' || byte == b'\\';
                assert_eq!(needs_escape(u64::from_le_bytes(eight)), expected, "{byte:#x} at {at}");
            }
        }
    }
}
