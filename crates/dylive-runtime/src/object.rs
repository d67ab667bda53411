//! Serde for the generated structs: known properties into their fields,
//! every other property into [`UnknownFields`], nothing dropped.
//!
//! A generated struct gets [`JsonObject`], [`HasUnknownFields`] and its
//! serde from [`json_object!`](crate::json_object), whose docs show one.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::de::{self, Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

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
    fn decode_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;

    /// Encodes the known properties that are not absent.
    fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// Decodes the next value of `map` into `field`; a property that occurs twice
/// in one object is an error, since only one of its values could be kept.
pub fn decode_field<'de, T, A>(field: &mut Field<T>, key: &str, map: &mut A) -> Result<(), A::Error>
where
    T: DeserializeOwned + crate::info::Shaped,
    A: MapAccess<'de>,
{
    if !field.is_absent() {
        crate::pass::mark_fatal();
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

/// Deserializes a [`JsonObject`] from a JSON object.
///
/// Outside [`crate::from_slice`] (as in `serde_json::from_str`, reqwest's
/// `.json()` or axum's `Json`), the outermost object of a JSON document
/// takes its text and decodes it as `from_slice` does: integers as machine
/// integers, exact number text where needed, and values of another kind
/// kept rather than fatal.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: JsonObject + DeserializeOwned,
    D: Deserializer<'de>,
{
    if crate::pass::active() || !deserializer.is_human_readable() {
        return deserializer.deserialize_map(ObjectVisitor(PhantomData));
    }
    let text = Box::<RawValue>::deserialize(deserializer)?;
    crate::error::decode_text::<T>(text.get(), false).map_err(D::Error::custom)
}

/// Serializes a [`JsonObject`]: its known properties, then the unknown ones.
pub fn serialize<T: JsonObject, S: Serializer>(object: &T, serializer: S) -> Result<S::Ok, S::Error> {
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
        // The unknown properties wait on this thread's stack of pending
        // ones (nested objects push and take theirs in between), so that
        // each object's set is built once, at its size.
        let start = PENDING.with_borrow(Vec::len);
        let mut read = || {
            while let Some(Key(key)) = map.next_key()? {
                if !object.decode_field(&key, &mut map)? {
                    let value: RawJson = map.next_value()?;
                    PENDING.with_borrow_mut(|pending| pending.push((key.into_owned(), value)));
                }
            }
            Ok(())
        };
        let result = read();
        let unknown = PENDING.with_borrow_mut(|pending| {
            let tail = pending.get(start..).map_or(0, <[_]>::len);
            (tail > 0).then(|| UnknownFields::from_entries(pending.drain(start..)))
        });
        result?;
        if let Some(unknown) = unknown {
            *object.unknown_fields_mut() = unknown.map_err(|key| {
                crate::pass::mark_fatal();
                A::Error::custom(format_args!("duplicate property `{key}`"))
            })?;
        }
        Ok(object)
    }
}

thread_local! {
    /// The unknown properties of the objects being decoded on this thread,
    /// outermost first.
    static PENDING: std::cell::RefCell<Vec<(String, RawJson)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}
