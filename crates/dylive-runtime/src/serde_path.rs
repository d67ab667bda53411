//! Serde for the runtime's types, on the one decoder of [`crate::decode`].
//!
//! **Decoding.** In a human-readable format, a type asks the deserializer
//! for the text of its value with the token of `serde_json`'s `RawValue`:
//! `serde_json` (`from_str`, `from_slice`, `from_reader`, its
//! `StreamDeserializer`, and a `Value` through `from_value`) hands over the
//! exact text, and the decoder reads it, keeping every number's spelling.
//! Any other deserializer (sonic-rs, simd-json, a buffered `#[serde(flatten)]`
//! field) gives the value itself; it is read into a `serde_json::Value`,
//! written out and decoded the same way, so it decodes, exact wherever that
//! deserializer keeps a number exact (integers within 64 bits; a float
//! comes back as its shortest spelling).
//!
//! **Encoding.** `serde_json`'s compact writer takes a generated type's
//! text as written by [`crate::write`], in one piece; every other
//! serializer gets it property by property. Text kept verbatim (unknown
//! properties, values of another kind, numbers kept as text) is written as
//! itself by `serde_json`, as the value it spells by other human-readable
//! serializers, and as a string of JSON text by binary ones.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeStruct, Serializer};
use serde::Deserialize;

use crate::decode::{self, Decode};

/// The name `serde_json` gives its raw values.
const TOKEN: &str = "$serde_json::private::RawValue";

/// Deserializes a `T` from a human-readable deserializer through its text,
/// keeping values of another kind.
pub(crate) fn deserialize<'de, T: Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let text = deserializer.deserialize_newtype_struct(TOKEN, TextVisitor)?;
    decode::decode_text::<T>(&text, true).map(|(value, _)| value).map_err(|error| serde_error(&error, ""))
}

/// A decode error as a serde error: the message, and the JSON Pointer
/// (followed by `within`) unless the error is at the top.
pub(crate) fn serde_error<E: de::Error>(error: &decode::Error, within: &str) -> E {
    let pointer = error.pointer();
    if pointer.is_empty() {
        E::custom(error.message())
    } else {
        E::custom(format_args!("{} at {pointer}{within}", error.message()))
    }
}

/// The text of one value: borrowed from the input when the deserializer
/// lends it.
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // serde_json hands over the text as the one entry of a map.
        let Some(key) = map.next_key::<Text<'de>>()? else {
            return Ok(Cow::Borrowed("{}"));
        };
        if key.0 == TOKEN {
            return map.next_value::<Text<'de>>().map(|text| text.0);
        }
        let mut object = serde_json::Map::new();
        object.insert(key.0.into_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            object.insert(key, value);
        }
        Ok(tree(&serde_json::Value::Object(object)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        serde_json::Value::deserialize(deserializer).map(|value| tree(&value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<serde_json::Value>()? {
            items.push(item);
        }
        Ok(tree(&serde_json::Value::Array(items)))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.visit_newtype_struct(deserializer)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed("null"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed("null"))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(if value { "true" } else { "false" }))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_string()))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_string()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(tree(&serde_json::Value::from(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(tree(&serde_json::Value::from(value)))
    }
}

/// The text of a value given as a tree.
fn tree(value: &serde_json::Value) -> Cow<'static, str> {
    Cow::Owned(value.to_string())
}

/// A string (an object key, a raw value's text), borrowed from the input
/// when it can be.
pub(crate) struct Text<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// True when `S` is `serde_json`'s writer with its compact formatter, which
/// writes a raw value's text as it is, so that a generated type's own
/// compact text can go in one piece. The name of the type is the only
/// sign; when it does not match, the type is serialized property by
/// property, which is correct for every serializer.
pub(crate) fn compact_json<S: Serializer>() -> bool {
    let name = std::any::type_name::<S>();
    // The default formatter is left out of the name.
    name.starts_with("&mut serde_json::ser::Serializer<")
        && (name.ends_with("serde_json::ser::CompactFormatter>") || !name.contains("Formatter"))
}

/// True when `S` is one of `serde_json`'s serializers (a writer with any
/// formatter, or the one that builds a `Value`), which take the raw-value
/// token.
fn serde_json_serializer<S: Serializer>() -> bool {
    let name = std::any::type_name::<S>();
    name.starts_with("&mut serde_json::ser::Serializer<") || name.starts_with("serde_json::value::ser::")
}

/// Serializes `text`, one JSON value kept verbatim: as itself for
/// `serde_json`, as the value it spells for other human-readable
/// serializers, and as a string of JSON text for binary ones.
pub(crate) fn serialize_text<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if serde_json_serializer::<S>() {
        return serialize_raw(text, serializer);
    }
    if !serializer.is_human_readable() {
        return serializer.serialize_str(text);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(S::Error::custom)?;
    serde::Serialize::serialize(&value, serializer)
}

/// Serializes `text` with the raw-value token; only for `serde_json`.
pub(crate) fn serialize_raw<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let mut raw = serializer.serialize_struct(TOKEN, 1)?;
    raw.serialize_field(TOKEN, text)?;
    raw.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `serializer` is taken for the compact writer.
    fn compact<S: Serializer>(_: S) -> bool {
        compact_json::<S>()
    }

    /// Whether `serializer` is taken for one of serde_json's.
    fn any_serde_json<S: Serializer>(_: S) -> bool {
        serde_json_serializer::<S>()
    }

    #[test]
    fn the_compact_writer_is_recognized_and_nothing_else() {
        let mut out = Vec::new();
        assert!(compact(&mut serde_json::Serializer::new(&mut out)));
        assert!(compact(&mut serde_json::Serializer::new(std::io::sink())));
        let formatter = serde_json::ser::CompactFormatter;
        assert!(compact(&mut serde_json::Serializer::with_formatter(&mut out, formatter)));
        assert!(!compact(&mut serde_json::Serializer::pretty(&mut out)));
        assert!(!compact(serde_json::value::Serializer));
        assert!(any_serde_json(&mut serde_json::Serializer::pretty(&mut out)));
        assert!(any_serde_json(serde_json::value::Serializer));
    }
}
