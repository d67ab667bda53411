//! Serde for the generated enums: one variant per kind of JSON value.
//!
//! In JSON a union is the value of its variant. In binary formats such as
//! CBOR or MessagePack it is that value's JSON text, a string: the kind of
//! the value picks the variant, and a binary format would blur kinds (an
//! integer beyond 64 bits travels as text, like a string).
//!
//! A generated enum gets [`JsonUnion`] and its serde from
//! [`json_union!`](crate::json_union), whose docs show one.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BoolDeserializer, BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::value::{StrDeserializer, StringDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

use crate::{number, raw, JsonKind, RawJson};

/// An enum generated from a schema that allows several kinds of value.
pub trait JsonUnion: Sized {
    /// What the value may be, for error messages: "an object or an array".
    const EXPECTED: &'static str;

    /// Decodes a value of kind `kind` from `deserializer` into the variant
    /// for that kind; `None` when no variant takes this kind.
    fn decode<'de, D: Deserializer<'de>>(kind: JsonKind, deserializer: D) -> Option<Result<Self, D::Error>>;

    /// Serializes the value of the variant.
    fn serialize_variant<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Deserializes a [`JsonUnion`].
///
/// While integers are taken as machine integers (the first pass of
/// [`crate::from_slice`]), the value streams straight into its variant. In
/// the default mode the value is captured as text first, so that a number
/// variant keeps its exact text, and a failure inside names its own path.
/// In binary formats the value is its JSON text, a string (see
/// [`serialize`]), decoded the same way.
pub fn deserialize<'de, T: JsonUnion, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    if !deserializer.is_human_readable() {
        let text = raw::json_text(deserializer, "JSON text as a string")?;
        return decode_text(JsonKind::of(&text), &text, true);
    }
    if number::machine_mode() {
        return deserializer.deserialize_any(UnionVisitor(PhantomData));
    }
    let raw = RawJson::deserialize(deserializer)?;
    decode_text(raw.kind(), raw.get(), false)
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

/// Decodes the JSON text `text`, a value of kind `kind`; `whole` checks that
/// nothing follows the value (text that is not already known to be one
/// value).
fn decode_text<T: JsonUnion, E: serde::de::Error>(kind: JsonKind, text: &str, whole: bool) -> Result<T, E> {
    let mut inner = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let result = match T::decode(kind, serde_path_to_error::Deserializer::new(&mut inner, &mut track)) {
        None => return Err(E::invalid_type(kind.unexpected(), &T::EXPECTED)),
        Some(result) => result,
    };
    let error = match result {
        Ok(value) if !whole => return Ok(value),
        Ok(value) => match inner.end() {
            Ok(()) => return Ok(value),
            Err(error) => error,
        },
        Err(error) => error,
    };
    let pointer = crate::error::pointer(&track.path());
    let message = crate::error::message_of(&error);
    if pointer.is_empty() {
        Err(E::custom(message))
    } else {
        Err(E::custom(format_args!("{message} (at {pointer} within this value)")))
    }
}

struct UnionVisitor<T>(PhantomData<T>);

impl<T: JsonUnion> UnionVisitor<T> {
    fn decode<'de, D, E>(kind: JsonKind, deserializer: D) -> Result<T, E>
    where
        D: Deserializer<'de, Error = E>,
        E: serde::de::Error,
    {
        T::decode(kind, deserializer).unwrap_or_else(|| Err(E::invalid_type(kind.unexpected(), &T::EXPECTED)))
    }

    /// A number, as JSON text; integers that arrive as machine integers
    /// print back exactly.
    fn number<E: serde::de::Error>(text: &str) -> Result<T, E> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Self::decode(JsonKind::Number, &mut deserializer).map_err(E::custom)
    }
}

impl<'de, T: JsonUnion> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        Self::decode(JsonKind::Object, MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        Self::decode(JsonKind::Array, SeqAccessDeserializer::new(seq))
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, value: &'de str) -> Result<T, E> {
        Self::decode(JsonKind::String, BorrowedStrDeserializer::new(value))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Self::decode(JsonKind::String, StrDeserializer::new(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Self::decode(JsonKind::String, StringDeserializer::new(value))
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<T, E> {
        Self::decode(JsonKind::Bool, BoolDeserializer::new(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        Self::number(&value.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        Self::number(&value.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<T, E> {
        // The token's text is lost: this pass is inexact and will be redone.
        number::mark_inexact();
        Self::number("0")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Err(E::invalid_type(JsonKind::Null.unexpected(), &T::EXPECTED))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::binary_tests::*;
    use crate::{Float, Int};

    /// A number or a string, as a generated union is.
    #[derive(Debug, PartialEq)]
    enum Code {
        Integer(Int),
        String(String),
    }

    impl JsonUnion for Code {
        const EXPECTED: &'static str = "an integer or a string";

        fn decode<'de, D: Deserializer<'de>>(kind: JsonKind, deserializer: D) -> Option<Result<Self, D::Error>> {
            Some(match kind {
                JsonKind::Number => Deserialize::deserialize(deserializer).map(Code::Integer),
                JsonKind::String => Deserialize::deserialize(deserializer).map(Code::String),
                _ => return None,
            })
        }

        fn serialize_variant<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Code::Integer(value) => value.serialize(serializer),
                Code::String(value) => value.serialize(serializer),
            }
        }
    }

    /// A map or an array of numbers and open values.
    #[derive(Debug, PartialEq)]
    enum Shape {
        Object(BTreeMap<String, RawJson>),
        Array(Vec<Float>),
    }

    impl JsonUnion for Shape {
        const EXPECTED: &'static str = "an object or an array";

        fn decode<'de, D: Deserializer<'de>>(kind: JsonKind, deserializer: D) -> Option<Result<Self, D::Error>> {
            Some(match kind {
                JsonKind::Object => Deserialize::deserialize(deserializer).map(Shape::Object),
                JsonKind::Array => Deserialize::deserialize(deserializer).map(Shape::Array),
                _ => return None,
            })
        }

        fn serialize_variant<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Shape::Object(value) => value.serialize(serializer),
                Shape::Array(value) => value.serialize(serializer),
            }
        }
    }

    macro_rules! serde_through_union {
        ($($ty:ident),*) => {$(
            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    deserialize(deserializer)
                }
            }

            impl Serialize for $ty {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serialize(self, serializer)
                }
            }
        )*};
    }

    serde_through_union!(Code, Shape);

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
            ("0 1", "trailing characters"),
            ("", "EOF"),
            ("\"1", "EOF"),
            ("true", "expected an integer or a string"),
            ("[1]", "expected an integer or a string"),
            ("abc", "expected"),
        ];
        for (text, message) in cases {
            let error = from_cbor::<Code>(&to_cbor(&text)).expect_err(text);
            assert!(error.contains(message), "{text}: {error}");
            assert!(from_msgpack::<Code>(&rmp_serde::to_vec(&text).expect("encodes")).is_err(), "{text}");
        }
        assert!(from_cbor::<Shape>(&to_cbor(&"{")).expect_err("cut short").contains("EOF"));
        let error = from_cbor::<Shape>(&to_cbor(&r#"[1, "x"]"#)).expect_err("a string in an array of numbers");
        assert!(error.contains("at /1 within this value"), "{error}");
        assert!(from_cbor::<Code>(&to_cbor(&7u8)).is_err(), "a bare number is not the text of one");
    }
}
