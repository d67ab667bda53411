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
pub mod decode;
pub mod drift;
mod error;
mod field;
pub mod info;
pub mod lookup;
mod map;
pub mod names;
mod number;
pub mod object;
pub mod pointer;
mod raw;
mod scan;
mod serde_path;
pub mod tree;
pub mod union;
pub mod write;

pub use drift::{Drift, Drifted};
pub use error::{decode_slice, from_slice, from_slice_strict, from_str, DecodeError, Decoded};

#[doc(hidden)]
pub use serde as __serde;

/// Implements everything a generated struct needs beside its fields and
/// accessors, from one line a property: [`object::JsonObject`] (known
/// properties into their fields), [`object::HasUnknownFields`] over the
/// catch-all field, `Deserialize` and `Serialize` through
/// [`object::deserialize`] and [`object::serialize`], the struct's
/// description as data ([`info::Described`], [`info::Shaped`]), and its
/// drift list ([`Drifted`], and a method `drift()`).
///
/// A line is `"json name" => field` with `, required` when the schema lists
/// the property as always present and `, nullable` when it allows `null`;
/// the field's type says the rest.
///
/// ```
/// use dylive_runtime::{Field, Int, UnknownFields};
///
/// #[derive(Default)]
/// struct Follow {
///     follower_count: Field<Int>,
///     remark: Field<String>,
///     unknown_fields: UnknownFields,
/// }
///
/// dylive_runtime::json_object! {
///     Follow, unknown_fields;
///     "follower_count" => follower_count, required;
///     "remark" => remark, nullable;
/// }
///
/// let follow: Follow = serde_json::from_str(r#"{"follower_count": 3, "remark_name": ""}"#)?;
/// assert_eq!(follow.follower_count.get().and_then(Int::as_u64), Some(3));
/// assert_eq!(follow.unknown_fields.len(), 1);
/// assert_eq!(serde_json::to_string(&follow)?, r#"{"follower_count":3,"remark_name":""}"#);
/// let info = <Follow as dylive_runtime::info::Described>::type_info();
/// assert!(info.field("remark").is_some_and(|f| f.nullable && !f.required));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! json_object {
    ($ty:ident, $unknown:ident; $($json:literal => $field:ident $(, $flag:ident)* ;)*) => {
        #[doc(hidden)]
        impl $crate::object::JsonObject for $ty {
            const TYPE_NAME: &'static str = ::core::stringify!($ty);

            #[allow(unreachable_code)]
            fn decode_field<'de, A: $crate::__serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::core::result::Result<bool, A::Error> {
                match key {
                    $($json => $crate::object::decode_field(&mut self.$field, key, map)?,)*
                    _ => {
                        let _ = map;
                        return ::core::result::Result::Ok(false);
                    }
                }
                ::core::result::Result::Ok(true)
            }

            fn encode_fields<M: $crate::__serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::core::result::Result<(), M::Error> {
                $($crate::object::encode_field(map, $json, &self.$field)?;)*
                let _ = map;
                ::core::result::Result::Ok(())
            }
        }

        #[doc(hidden)]
        impl $crate::decode::DecodeObject for $ty {
            fn members() -> &'static $crate::decode::Members<Self> {
                static MEMBERS: $crate::decode::Members<$ty> = $crate::decode::Members::new(&[$(
                    ($json, |object: &mut $ty, decoder: &mut $crate::decode::Decoder<'_>| {
                        $crate::decode::member(&mut object.$field, $json, decoder)
                    }),
                )*]);
                &MEMBERS
            }
        }

        #[doc(hidden)]
        impl $crate::decode::Decode for $ty {
            fn decode(decoder: &mut $crate::decode::Decoder<'_>) -> ::core::result::Result<Self, $crate::decode::Error> {
                $crate::decode::object(decoder)
            }
        }

        #[doc(hidden)]
        impl $crate::object::HasUnknownFields for $ty {
            fn unknown_fields(&self) -> &$crate::UnknownFields {
                &self.$unknown
            }

            fn unknown_fields_mut(&mut self) -> &mut $crate::UnknownFields {
                &mut self.$unknown
            }
        }

        #[doc(hidden)]
        impl $crate::info::Described for $ty {
            fn type_info() -> &'static $crate::info::TypeInfo {
                static INFO: $crate::info::TypeInfo = $crate::info::TypeInfo {
                    name: ::core::stringify!($ty),
                    shape: $crate::info::Shape::Object(&[$($crate::info::FieldInfo {
                        name: $json,
                        rust_name: ::core::stringify!($field),
                        ty: $crate::info::field_ty(|value: &$ty| &value.$field),
                        required: $crate::__json_flag!(required; $($flag)*),
                        nullable: $crate::__json_flag!(nullable; $($flag)*),
                    },)*]),
                };
                &INFO
            }
        }

        #[doc(hidden)]
        impl $crate::write::WriteJson for $ty {
            fn write_json(&self, out: &mut ::std::string::String) {
                out.push('{');
                let mut first = true;
                $(if !self.$field.is_absent() {
                    const PLAIN: bool = $crate::write::plain($json);
                    if PLAIN {
                        if !::core::mem::take(&mut first) {
                            out.push(',');
                        }
                        out.push_str(::core::concat!("\"", $json, "\":"));
                    } else {
                        $crate::write::key(out, &mut first, $json);
                    }
                    $crate::write::WriteJson::write_json(&self.$field, out);
                })*
                for (name, value) in self.$unknown.iter() {
                    $crate::write::key(out, &mut first, name);
                    $crate::write::WriteJson::write_json(value, out);
                }
                out.push('}');
            }
        }

        #[doc(hidden)]
        impl $crate::lookup::Lookup for $ty {
            fn lookup(&self, pointer: &str) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                let ::core::option::Option::Some((step, rest)) = $crate::lookup::split(pointer) else {
                    return $crate::lookup::whole(self, pointer);
                };
                match &*step {
                    $($json => $crate::lookup::Lookup::lookup(&self.$field, rest),)*
                    _ => $crate::lookup::Lookup::lookup(self.$unknown.get(&step)?, rest),
                }
            }
        }

        #[doc(hidden)]
        impl $crate::Drifted for $ty {
            fn collect_drift(&self, pointer: &mut ::std::string::String, out: &mut ::std::vec::Vec<$crate::Drift>) {
                $($crate::drift::with_key(pointer, $json, |pointer| self.$field.collect_drift(pointer, out));)*
                let _ = (pointer, out);
            }
        }

        $crate::__json_shared!($ty, $crate::object);
    };
}

/// Implements everything a generated enum needs beside its variants, from
/// the words for what it expects and one line a variant, `Kind => Variant`
/// with the [`JsonKind`] it takes: [`union::JsonUnion`],
/// `Deserialize` and `Serialize` through [`union::deserialize`] and
/// [`union::serialize`], and its description as data.
///
/// ```
/// use dylive_runtime::Int;
///
/// #[derive(Debug)]
/// enum Code {
///     Integer(Int),
///     String(String),
/// }
///
/// dylive_runtime::json_union! {
///     Code, "a number or a string";
///     Number => Integer;
///     String => String;
/// }
///
/// let codes: Vec<Code> = dylive_runtime::from_str(r#"[0, "0", 18446744073709551616]"#)?;
/// assert!(matches!(&codes[1], Code::String(s) if s == "0"));
/// assert_eq!(serde_json::to_string(&codes).unwrap(), r#"[0,"0",18446744073709551616]"#);
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
#[macro_export]
macro_rules! json_union {
    ($ty:ident, $expected:literal; $($kind:ident => $variant:ident;)*) => {
        #[doc(hidden)]
        impl $crate::union::JsonUnion for $ty {
            const EXPECTED: &'static str = $expected;

            fn serialize_variant<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::__serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        #[doc(hidden)]
        impl $crate::decode::Decode for $ty {
            fn decode(decoder: &mut $crate::decode::Decoder<'_>) -> ::core::result::Result<Self, $crate::decode::Error> {
                let first = decoder.peek()?;
                #[allow(unreachable_patterns)]
                match decoder.kind()? {
                    $($crate::JsonKind::$kind => $crate::decode::Decode::decode(decoder).map(Self::$variant),)*
                    _ => ::core::result::Result::Err(decoder.invalid_expecting(first, $expected)),
                }
            }
        }

        #[doc(hidden)]
        impl $crate::info::Described for $ty {
            fn type_info() -> &'static $crate::info::TypeInfo {
                static INFO: $crate::info::TypeInfo = $crate::info::TypeInfo {
                    name: ::core::stringify!($ty),
                    shape: $crate::info::Shape::Union(&[$($crate::info::VariantInfo {
                        kind: $crate::JsonKind::$kind,
                        ty: $crate::info::variant_ty($ty::$variant),
                    },)*]),
                };
                &INFO
            }
        }

        #[doc(hidden)]
        impl $crate::write::WriteJson for $ty {
            fn write_json(&self, out: &mut ::std::string::String) {
                match self {
                    $(Self::$variant(value) => $crate::write::WriteJson::write_json(value, out),)*
                }
            }
        }

        #[doc(hidden)]
        impl $crate::lookup::Lookup for $ty {
            fn lookup(&self, pointer: &str) -> ::core::option::Option<::std::borrow::Cow<'_, str>> {
                match self {
                    $(Self::$variant(value) => $crate::lookup::Lookup::lookup(value, pointer),)*
                }
            }
        }

        #[doc(hidden)]
        impl $crate::Drifted for $ty {
            fn collect_drift(&self, pointer: &mut ::std::string::String, out: &mut ::std::vec::Vec<$crate::Drift>) {
                match self {
                    $(Self::$variant(value) => value.collect_drift(pointer, out),)*
                }
            }
        }

        $crate::__json_shared!($ty, $crate::union);
    };
}

/// What [`json_object!`] and [`json_union!`] share: serde through the
/// module's `deserialize` and `serialize`, and the type's [`info::Ty`].
#[doc(hidden)]
#[macro_export]
macro_rules! __json_shared {
    ($ty:ident, $module:path) => {
        impl $ty {
            /// The values inside whose kind differs from what the schema
            /// says, kept as they came, each with its JSON Pointer from
            /// this value; empty when everything fits.
            #[allow(dead_code)]
            pub fn drift(&self) -> ::std::vec::Vec<$crate::Drift> {
                $crate::Drifted::drift(self)
            }
        }

        #[doc(hidden)]
        impl $crate::info::Shaped for $ty {
            const TY: $crate::info::Ty = $crate::info::Ty::Type(<$ty as $crate::info::Described>::type_info);
        }

        #[doc(hidden)]
        impl<'de> $crate::__serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__serde::Deserializer<'de>,
            {
                use $module as module;
                module::deserialize(deserializer)
            }
        }

        #[doc(hidden)]
        impl $crate::__serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                use $module as module;
                module::serialize(self, serializer)
            }
        }
    };
}

/// `true` when the flag `$want` is among the flags that follow it.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_flag {
    ($want:ident;) => {
        false
    };
    (required; required $($rest:ident)*) => {
        true
    };
    (nullable; nullable $($rest:ident)*) => {
        true
    };
    ($want:ident; $other:ident $($rest:ident)*) => {
        $crate::__json_flag!($want; $($rest)*)
    };
}

pub use field::Field;
pub use map::Map;
pub use number::{Float, Int};
pub use raw::{JsonKind, RawJson, UnknownFields};
