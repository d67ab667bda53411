//! Serde for the generated enums: one variant per kind of JSON value.
//!
//! ```
//! use dylive_runtime::union::{self, JsonUnion};
//! use dylive_runtime::{Int, JsonKind};
//!
//! #[derive(Debug)]
//! enum Code {
//!     Integer(Int),
//!     String(String),
//! }
//!
//! impl JsonUnion for Code {
//!     const EXPECTED: &'static str = "an integer or a string";
//!
//!     fn decode<'de, D: serde::Deserializer<'de>>(
//!         kind: JsonKind,
//!         deserializer: D,
//!     ) -> Option<Result<Self, D::Error>> {
//!         Some(match kind {
//!             JsonKind::Number => serde::Deserialize::deserialize(deserializer).map(Code::Integer),
//!             JsonKind::String => serde::Deserialize::deserialize(deserializer).map(Code::String),
//!             _ => return None,
//!         })
//!     }
//!
//!     fn serialize_variant<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
//!         match self {
//!             Code::Integer(value) => serde::Serialize::serialize(value, serializer),
//!             Code::String(value) => serde::Serialize::serialize(value, serializer),
//!         }
//!     }
//! }
//!
//! dylive_runtime::json_union!(Code);
//!
//! let codes: Vec<Code> = dylive_runtime::from_str(r#"[0, "0", 18446744073709551616]"#)?;
//! assert!(matches!(&codes[1], Code::String(s) if s == "0"));
//! assert_eq!(serde_json::to_string(&codes).unwrap(), r#"[0,"0",18446744073709551616]"#);
//! # Ok::<(), dylive_runtime::DecodeError>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BoolDeserializer, BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::value::{StrDeserializer, StringDeserializer};
use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

use crate::{number, JsonKind, RawJson};

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
pub fn deserialize<'de, T: JsonUnion, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    if number::machine_mode() {
        return deserializer.deserialize_any(UnionVisitor(PhantomData));
    }
    let raw = RawJson::deserialize(deserializer)?;
    let kind = raw.kind();
    let mut inner = serde_json::Deserializer::from_str(raw.get());
    let mut track = serde_path_to_error::Track::new();
    match T::decode(kind, serde_path_to_error::Deserializer::new(&mut inner, &mut track)) {
        None => Err(D::Error::invalid_type(kind.unexpected(), &T::EXPECTED)),
        Some(Ok(value)) => Ok(value),
        Some(Err(error)) => {
            let pointer = crate::error::pointer(&track.path());
            let message = crate::error::message_of(&error);
            if pointer.is_empty() {
                Err(D::Error::custom(message))
            } else {
                Err(D::Error::custom(format_args!("{message} (at {pointer} within this value)")))
            }
        }
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
