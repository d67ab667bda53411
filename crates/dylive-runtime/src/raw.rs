use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// The kind of a JSON value, told by its first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonKind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// a number
    Number,
    /// a string
    String,
    /// an array
    Array,
    /// an object
    Object,
}

impl JsonKind {
    /// The kind of the JSON text `json`, which must be one valid value.
    pub fn of(json: &str) -> JsonKind {
        match json.trim_start().as_bytes().first() {
            Some(b'n') => JsonKind::Null,
            Some(b't' | b'f') => JsonKind::Bool,
            Some(b'"') => JsonKind::String,
            Some(b'[') => JsonKind::Array,
            Some(b'{') => JsonKind::Object,
            _ => JsonKind::Number,
        }
    }

    /// The kind with an article, for messages: "an object".
    pub fn describe(self) -> &'static str {
        match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        }
    }
}

/// Any JSON value, kept as its exact text.
///
/// Used for values the schema leaves open (the items of an array that was
/// only ever seen empty) and for properties the schema does not know.
///
/// ```
/// use dylive_runtime::{JsonKind, RawJson};
///
/// let raw: RawJson = serde_json::from_str(r#"{"a": 1.50}"#)?;
/// assert_eq!(raw.kind(), JsonKind::Object);
/// assert_eq!(raw.get(), r#"{"a": 1.50}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Parses `json`, which must be one JSON value, and keeps its text.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Encodes `value` and keeps the text.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(RawJson)
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The kind of value.
    pub fn kind(&self) -> JsonKind {
        JsonKind::of(self.get())
    }

    /// Decodes the text into `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, crate::DecodeError> {
        crate::from_str(self.get())
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

/// Two values are equal when their text is equal.
impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson)
    }
}

/// The properties of an object that its schema does not describe, in the
/// order they arrived, each kept as its exact JSON text.
///
/// ```
/// use dylive_runtime::{RawJson, UnknownFields};
///
/// let mut unknown = UnknownFields::default();
/// unknown.insert("new_badge", RawJson::from_json("[1, 2]")?);
/// assert_eq!(unknown.get("new_badge").map(RawJson::get), Some("[1, 2]"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownFields(Vec<(String, RawJson)>);

impl UnknownFields {
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The value of the property `name`.
    pub fn get(&self, name: &str) -> Option<&RawJson> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value)
    }

    /// Sets the property `name`, replacing a previous value; returns that.
    pub fn insert(&mut self, name: impl Into<String>, value: RawJson) -> Option<RawJson> {
        let name = name.into();
        match self.0.iter_mut().find(|(key, _)| *key == name) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.0.push((name, value));
                None
            }
        }
    }

    /// Removes the property `name` and returns its value.
    pub fn remove(&mut self, name: &str) -> Option<RawJson> {
        let index = self.0.iter().position(|(key, _)| key == name)?;
        Some(self.0.remove(index).1)
    }

    /// The properties in the order they arrived.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawJson)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }
}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = (&'a str, &'a RawJson);
    type IntoIter = Box<dyn ExactSizeIterator<Item = (&'a str, &'a RawJson)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
