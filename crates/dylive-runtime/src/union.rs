//! Serde for the generated enums: one variant per kind of JSON value.
//!
//! In JSON a union is the value of its variant. In binary formats such as
//! CBOR or MessagePack it is that value's JSON text, a string: the kind of
//! the value picks the variant, and a binary format would blur kinds (an
//! integer beyond 64 bits travels as text, like a string).
//!
//! A generated enum gets [`JsonUnion`], its decoding ([`crate::decode`])
//! and its serde from [`json_union!`](crate::json_union), whose docs show
//! one.

use serde::ser::Error as _;
use serde::{Deserializer, Serializer};

use crate::decode::Decode;

/// An enum generated from a schema that allows several kinds of value.
pub trait JsonUnion: Sized {
    /// What the value may be, for error messages: "an object or an array".
    const EXPECTED: &'static str;

    /// Serializes the value of the variant.
    fn serialize_variant<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Deserializes a [`JsonUnion`]: in JSON through the one-pass decoder, as
/// [`crate::from_slice`] decodes it; in binary formats from its JSON text, a
/// string (see [`serialize`]), decoded the same way but strictly, since a
/// value of another kind has no form there.
pub fn deserialize<'de, T: JsonUnion + Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    if deserializer.is_human_readable() {
        return crate::serde_path::deserialize(deserializer);
    }
    let text = crate::raw::json_text(deserializer, "JSON text as a string")?;
    crate::decode::decode_text::<T>(&text, false)
        .map(|(value, _)| value)
        .map_err(|error| crate::serde_path::serde_error(&error, " within this value"))
}

/// Serializes a [`JsonUnion`]: in JSON (and every human-readable format) as
/// the value of its variant; in binary formats such as CBOR or MessagePack
/// as its JSON text, a string, so that a number variant holding an integer
/// beyond 64 bits does not come back as a string variant.
pub fn serialize<T: JsonUnion, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        return value.serialize_variant(serializer);
    }
    let text = serde_json::to_string(&Variant(value)).map_err(S::Error::custom)?;
    serializer.serialize_str(&text)
}

/// A union serialized through [`JsonUnion::serialize_variant`].
struct Variant<'a, T>(&'a T);

impl<T: JsonUnion> serde::Serialize for Variant<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_variant(serializer)
    }
}

#[cfg(test)]
mod tests {
    use crate::binary_tests::*;
    use crate::{Float, Int, Map, RawJson};

    /// A number or a string, as a generated union is.
    #[derive(Debug, PartialEq)]
    enum Code {
        Integer(Int),
        String(String),
    }

    crate::json_union! {
        Code, "an integer or a string";
        Number => Integer;
        String => String;
    }

    /// A map or an array of numbers and open values.
    #[derive(Debug, PartialEq)]
    enum Shape {
        Object(Map<RawJson>),
        Array(Vec<Float>),
    }

    crate::json_union! {
        Shape, "an object or an array";
        Object => Object;
        Array => Array;
    }

    const VALUES: [&str; 8] = [
        "0",
        "123456789012345678901234567890",
        "-0",
        r#""123456789012345678901234567890""#,
        r#""""#,
        r#"{"a": 1.50, "b": null, "c": [], "d": {}}"#,
        "[1.50, 3, 0.5, -0.0]",
        "[]",
    ];

    fn decode(json: &str) -> (Option<Code>, Option<Shape>) {
        (crate::from_str(json).ok(), crate::from_str(json).ok())
    }

    #[test]
    fn unions_in_binary_formats_are_their_json_text() {
        for json in VALUES {
            let (code, shape) = decode(json);
            let (bytes, encoded) = match (&code, &shape) {
                (Some(code), None) => (to_cbor(code), serde_json::to_string(code)),
                (None, Some(shape)) => (to_cbor(shape), serde_json::to_string(shape)),
                _ => panic!("{json}: exactly one of the unions takes it"),
            };
            let item: ciborium::Value = from_cbor(&bytes).expect("a CBOR item");
            assert_eq!(item, ciborium::Value::Text(encoded.expect("encodes as JSON")), "{json}");

            if let Some(code) = code {
                let back: Code = from_cbor(&bytes).expect("decodes from CBOR");
                assert_eq!(back, code, "CBOR: {json}");
                let packed = rmp_serde::to_vec(&code).expect("encodes as MessagePack");
                let back: Code = from_msgpack(&packed).expect("decodes from MessagePack");
                assert_eq!(back, code, "MessagePack: {json}");
            }
            if let Some(shape) = shape {
                let back: Shape = from_cbor(&bytes).expect("decodes from CBOR");
                assert_eq!(back, shape, "CBOR: {json}");
                let packed = rmp_serde::to_vec(&shape).expect("encodes as MessagePack");
                let back: Shape = from_msgpack(&packed).expect("decodes from MessagePack");
                assert_eq!(back, shape, "MessagePack: {json}");
            }
        }
    }

    #[test]
    fn a_huge_integer_stays_the_number_variant() {
        let code: Code = crate::from_str("123456789012345678901234567890").expect("decodes");
        let back: Code = from_cbor(&to_cbor(&code)).expect("decodes from CBOR");
        assert!(matches!(&back, Code::Integer(value) if value.to_string() == "123456789012345678901234567890"));
        assert_eq!(serde_json::to_string(&back).expect("encodes"), "123456789012345678901234567890");
        let back: Code = from_msgpack(&rmp_serde::to_vec(&code).expect("encodes")).expect("decodes");
        assert!(matches!(back, Code::Integer(_)), "{back:?}");
    }

    #[test]
    fn json_stays_as_it_was() {
        for json in ["0", "18446744073709551616", r#""0""#, "-0", "1.5"] {
            let code: Code = crate::from_str(json).expect("decodes");
            assert_eq!(serde_json::to_string(&code).expect("encodes"), json);
        }
        let shape: Shape = crate::from_str(r#"{"a":1.50}"#).expect("decodes");
        assert_eq!(serde_json::to_string(&shape).expect("encodes"), r#"{"a":1.50}"#);
    }

    #[test]
    fn unions_from_binary_formats_are_checked() {
        let cases = [
            ("0 1", "text after the value"),
            ("", "the text ends inside a value"),
            ("\"1", "the text ends inside a value"),
            ("true", "expected an integer or a string"),
            ("[1]", "expected an integer or a string"),
            ("abc", "expected"),
        ];
        for (text, message) in cases {
            let error = from_cbor::<Code>(&to_cbor(&text)).expect_err(text);
            assert!(error.contains(message), "{text}: {error}");
            assert!(from_msgpack::<Code>(&rmp_serde::to_vec(&text).expect("encodes")).is_err(), "{text}");
        }
        assert!(from_cbor::<Shape>(&to_cbor(&"{")).expect_err("cut short").contains("the text ends inside a value"));
        let error = from_cbor::<Shape>(&to_cbor(&r#"[1, "x"]"#)).expect_err("a string in an array of numbers");
        assert!(error.contains("at /1 within this value"), "{error}");
        assert!(from_cbor::<Code>(&to_cbor(&7u8)).is_err(), "a bare number is not the text of one");
    }
}
