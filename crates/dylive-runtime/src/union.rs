//! Serde for the generated enums: one variant per JSON kind, chosen by the
//! first character of the value, so that numbers inside keep their text.
//!
//! ```
//! use dylive_runtime::union::{self, JsonUnion};
//! use dylive_runtime::{DecodeError, Int, JsonKind};
//!
//! enum Code {
//!     Integer(Int),
//!     String(String),
//! }
//!
//! impl JsonUnion for Code {
//!     const EXPECTED: &'static str = "an integer or a string";
//!
//!     fn decode_variant(kind: JsonKind, json: &str) -> Option<Result<Self, DecodeError>> {
//!         Some(match kind {
//!             JsonKind::Number => union::variant(json).map(Code::Integer),
//!             JsonKind::String => union::variant(json).map(Code::String),
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
//! dylive_runtime::union_serde!(Code);
//!
//! let code: Code = dylive_runtime::from_str(r#""0""#)?;
//! assert!(matches!(&code, Code::String(s) if s == "0"));
//! assert_eq!(serde_json::to_string(&code).unwrap(), r#""0""#);
//! # Ok::<(), DecodeError>(())
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

use crate::{DecodeError, JsonKind, RawJson};

/// An enum generated from a schema that allows several kinds of value.
pub trait JsonUnion: Sized {
    /// What the value may be, for error messages: "an object or an array".
    const EXPECTED: &'static str;

    /// Decodes `json`, a value of kind `kind`, into the variant for that
    /// kind; `None` when no variant takes this kind.
    fn decode_variant(kind: JsonKind, json: &str) -> Option<Result<Self, DecodeError>>;

    /// Serializes the value of the variant.
    fn serialize_variant<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Decodes the JSON text of one variant.
pub fn variant<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    crate::from_str(json)
}

/// Deserializes a [`JsonUnion`].
pub fn deserialize<'de, T: JsonUnion, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let raw = RawJson::deserialize(deserializer)?;
    let kind = raw.kind();
    match T::decode_variant(kind, raw.get()) {
        Some(Ok(value)) => Ok(value),
        Some(Err(error)) if error.pointer().is_empty() => Err(D::Error::custom(error.message())),
        Some(Err(error)) => Err(D::Error::custom(format_args!(
            "{} (at {} within this value)",
            error.message(),
            error.pointer()
        ))),
        None => Err(D::Error::invalid_type(kind.unexpected(), &T::EXPECTED)),
    }
}
