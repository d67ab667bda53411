//! Serde for the generated structs: known properties into their fields,
//! every other property into [`UnknownFields`], nothing dropped.
//!
//! A generated struct gets [`JsonObject`], [`HasUnknownFields`] and its
//! serde from [`json_object!`](crate::json_object), whose docs show one.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::serde_path::Text;
use crate::{Field, RawJson, UnknownFields};

/// A struct with a catch-all field for the properties its schema does not
/// describe.
pub trait HasUnknownFields {
    /// The properties the schema does not describe.
    fn unknown_fields(&self) -> &UnknownFields;

    /// The properties the schema does not describe, mutably.
    fn unknown_fields_mut(&mut self) -> &mut UnknownFields;
}

/// A struct generated from an object schema.
pub trait JsonObject: Default + HasUnknownFields {
    /// The name of the type, for error messages.
    const TYPE_NAME: &'static str;

    /// Decodes the value of the property `key` into its field and returns
    /// true, or returns false without reading the value when `key` is not a
    /// known property.
    /// (Binary formats.)
    fn decode_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;

    /// Encodes the known properties that are not absent.
    fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// Decodes the next value of `map` into `field` (binary formats); a
/// property that occurs twice in one object is an error, since only one of
/// its values could be kept.
pub fn decode_field<'de, T, A>(field: &mut Field<T>, key: &str, map: &mut A) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if !field.is_absent() {
        return Err(A::Error::custom(format_args!("duplicate property `{key}`")));
    }
    *field = map.next_value()?;
    Ok(())
}

/// Encodes `field` under `key` unless it is absent.
pub fn encode_field<M: SerializeMap, T: Serialize>(map: &mut M, key: &str, field: &Field<T>) -> Result<(), M::Error> {
    match field {
        Field::Absent => Ok(()),
        Field::Null => map.serialize_entry(key, &()),
        Field::Value(value) => map.serialize_entry(key, value),
        Field::Other(_) => map.serialize_entry(key, field),
    }
}

/// Deserializes a [`JsonObject`].
///
/// In JSON (as in `serde_json::from_str`, reqwest's `.json()` or axum's
/// `Json`) the object's text goes through the one-pass decoder
/// ([`crate::decode`]), exactly as [`crate::from_slice`] decodes it, values
/// of another kind kept. In binary formats such as CBOR or MessagePack the
/// properties stream in one by one.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: JsonObject + crate::decode::Decode,
    D: Deserializer<'de>,
{
    if deserializer.is_human_readable() {
        return crate::serde_path::deserialize(deserializer);
    }
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Serializes a [`JsonObject`]: its known properties, then the unknown
/// ones. `serde_json`'s compact writer gets the object's text in one piece,
/// written by [`crate::write`].
pub fn serialize<T, S>(object: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: JsonObject + crate::write::WriteJson,
    S: Serializer,
{
    if crate::serde_path::compact_json::<S>() {
        return crate::serde_path::serialize_raw(&crate::write::to_string(object), serializer);
    }
    let mut map = serializer.serialize_map(None)?;
    object.encode_fields(&mut map)?;
    for (key, value) in object.unknown_fields().iter() {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: JsonObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::TYPE_NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        let mut unknown = Vec::new();
        while let Some(Text(key)) = map.next_key()? {
            if !object.decode_field(&key, &mut map)? {
                let value: RawJson = map.next_value()?;
                unknown.push((key.into_owned(), value));
            }
        }
        if !unknown.is_empty() {
            *object.unknown_fields_mut() = UnknownFields::from_entries(unknown.into_iter())
                .map_err(|key| A::Error::custom(format_args!("duplicate property `{key}`")))?;
        }
        Ok(object)
    }
}
