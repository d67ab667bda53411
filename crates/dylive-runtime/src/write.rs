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

/// True when `name` needs no escaping in a JSON string, so that a property
/// name known when compiling is written as one piece (`"name":`).
///
/// ```
/// assert!(dylive_runtime::write::plain("pay_grade"));
/// assert!(!dylive_runtime::write::plain("a\"b"));
/// ```
pub const fn plain(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte < 0x20 || byte == b'"' || byte == b'\\' {
            return false;
        }
        at += 1;
    }
    true
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

/// The bytes of `word` (little-endian) that must be escaped in a JSON
/// string, a control character, `"` or `\\`, marked by their high bit; the
/// lowest mark is exact, those above it may not be. Bytes from 0x80 (UTF-8
/// past ASCII) are never marked.
fn escape_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    control | zero_byte(word ^ (ONES * b'"' as u64)) | zero_byte(word ^ (ONES * b'\\' as u64))
}

/// The first byte at or after `from` that must be escaped, eight bytes at a
/// time.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut offset = from;
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        let mask = escape_mask(word);
        if mask != 0 {
            return Some(offset + (mask.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let tail = chunks.remainder();
    tail.iter().position(|&b| b < 0x20 || b == b'"' || b == b'\\').map(|at| offset + at)
}

/// Writes `text` as a JSON string, escaped as serde_json escapes it.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(at) = next_escape(bytes, start) {
        // `at` is an ASCII byte, so both slices end on a character.
        out.push_str(text.get(start..at).unwrap_or_default());
        let byte = bytes[at];
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
        start = at + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
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
                let mask = escape_mask(u64::from_le_bytes(eight));
                assert_eq!(mask != 0, expected, "{byte:#x} at {at}");
                if expected {
                    assert_eq!(mask.trailing_zeros() / 8, at as u32, "{byte:#x} at {at}");
                }
            }
        }
    }
}
