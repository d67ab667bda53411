//! Lossless JSON building blocks shared by the generated dylive crates.
//!
//! The generated models decode a response and encode it again to the same
//! JSON, except for the order of object keys. Everything that makes that
//! possible lives here, written by hand and tested on its own:
//!
//! - [`Field`] keeps *absent*, `null` and a value apart on every property;
//! - [`Int`] and [`Float`] keep each number's exact text (ids beyond 2^64,
//!   `1.50`, `-0`), without `serde_json`'s `arbitrary_precision`;
//! - [`RawJson`] and [`UnknownFields`] keep values the schema does not
//!   describe, byte for byte;
//! - [`object`] and [`union`] implement serde for generated structs and enums;
//! - [`from_slice`] and [`from_str`] return a [`DecodeError`] naming the JSON Pointer of the
//!   failure and keeping the raw body.
//!
//! ```
//! use dylive_runtime::{Field, Int};
//!
//! let values: Vec<Field<Int>> = dylive_runtime::from_str("[18446744073709551616, null, 2]")?;
//! assert_eq!(values[0].get().map(Int::to_string).as_deref(), Some("18446744073709551616"));
//! assert!(values[1].is_null());
//! assert_eq!(serde_json::to_string(&values)?, "[18446744073709551616,null,2]");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(test)]
mod binary_tests;
mod error;
mod field;
pub mod info;
mod number;
pub mod object;
mod raw;
pub mod union;

pub use error::{from_slice, from_str, DecodeError};

#[doc(hidden)]
pub use serde as __serde;

/// Completes a generated struct that implements [`object::JsonObject`]:
/// [`object::HasUnknownFields`] over its catch-all field, and
/// `Deserialize` and `Serialize` through [`object::deserialize`] and
/// [`object::serialize`].
#[macro_export]
macro_rules! json_object {
    ($ty:ident, $unknown:ident) => {
        impl $crate::object::HasUnknownFields for $ty {
            fn unknown_fields(&self) -> &$crate::UnknownFields {
                &self.$unknown
            }

            fn unknown_fields_mut(&mut self) -> &mut $crate::UnknownFields {
                &mut self.$unknown
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__serde::Deserializer<'de>,
            {
                $crate::object::deserialize(deserializer)
            }
        }

        impl $crate::__serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                $crate::object::serialize(self, serializer)
            }
        }
    };
}

/// Implements `Deserialize` and `Serialize` for [`union::JsonUnion`] types
/// through [`union::deserialize`] and [`union::serialize`].
#[macro_export]
macro_rules! json_union {
    ($ty:ident) => {
        impl<'de> $crate::__serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__serde::Deserializer<'de>,
            {
                $crate::union::deserialize(deserializer)
            }
        }

        impl $crate::__serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                $crate::union::serialize(self, serializer)
            }
        }
    };
}
pub use field::Field;
pub use number::{Float, Int};
pub use raw::{JsonKind, RawJson, UnknownFields};
