use std::fmt;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;
use serde::de::{Error as _, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
pub struct RawJson(Box<str>);

impl RawJson {
    /// Parses `json`, which must be one JSON value, and keeps its text.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Encodes `value` and keeps the text.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::to_string(value).map(|text| RawJson(text.into_boxed_str()))
    }

    /// Text the tokenizer checked to be one JSON value.
    pub(crate) fn from_checked(text: &str) -> Self {
        RawJson(text.into())
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        &self.0
    }

    /// The kind of value.
    pub fn kind(&self) -> JsonKind {
        JsonKind::of(self.get())
    }

    /// Decodes the text into `T`, like [`crate::from_str`].
    pub fn decode<T: crate::decode::Decode>(&self) -> Result<T, crate::DecodeError> {
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

impl std::hash::Hash for RawJson {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.get().hash(state);
    }
}

/// In JSON (and every human-readable format) the value is written as
/// itself, byte for byte; in binary formats such as CBOR or MessagePack it is
/// its JSON text, as a string.
///
/// ```
/// use dylive_runtime::RawJson;
///
/// let raw = RawJson::from_json(r#"{"a":1.50}"#)?;
/// assert_eq!(serde_json::to_string(&raw)?, r#"{"a":1.50}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::serde_path::serialize_text(self.get(), serializer)
    }
}

/// The counterpart of the `Serialize` impl: in binary formats the value
/// must be a string holding one JSON value, which is checked.
impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let text = json_text(deserializer, "JSON text as a string")?;
            return crate::decode::decode_text::<RawJson>(&text, false)
                .map(|(raw, _)| raw)
                .map_err(|error| D::Error::custom(format_args!("invalid JSON text: {}", error.message())));
        }
        crate::serde_path::deserialize(deserializer)
    }
}

/// Reads a string from a binary format: the JSON text of a value;
/// `expecting` describes it for errors.
pub(crate) fn json_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<String, D::Error> {
    struct TextVisitor(&'static str);

    impl Visitor<'_> for TextVisitor {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
            Ok(text.to_owned())
        }

        fn visit_string<E: serde::de::Error>(self, text: String) -> Result<String, E> {
            Ok(text)
        }
    }

    deserializer.deserialize_string(TextVisitor(expecting))
}

/// The properties of an object that its schema does not describe, in the
/// order they arrived, each kept as its exact JSON text.
///
/// Looking a property up, setting and removing it cost the same however many
/// there are. Two sets are equal when they hold the same properties in the
/// same order.
///
/// ```
/// use dylive_runtime::{RawJson, UnknownFields};
///
/// let mut unknown = UnknownFields::default();
/// unknown.insert("new_badge", RawJson::from_json("[1, 2]")?);
/// assert_eq!(unknown.get("new_badge").map(RawJson::get), Some("[1, 2]"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct UnknownFields(IndexMap<String, RawJson, FxBuildHasher>);

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
        self.0.get(name)
    }

    /// Sets the property `name`, replacing a previous value in its place;
    /// returns that value.
    pub fn insert(&mut self, name: impl Into<String>, value: RawJson) -> Option<RawJson> {
        self.0.insert(name.into(), value)
    }

    /// Removes the property `name` and returns its value; the others keep
    /// their order.
    pub fn remove(&mut self, name: &str) -> Option<RawJson> {
        self.0.shift_remove(name)
    }

    /// The properties of `entries`, in their order; the first repeated name
    /// when one is.
    pub(crate) fn from_entries(entries: impl ExactSizeIterator<Item = (String, RawJson)>) -> Result<Self, String> {
        let mut map = IndexMap::with_capacity_and_hasher(entries.len(), FxBuildHasher);
        for (key, value) in entries {
            match map.entry(key) {
                indexmap::map::Entry::Occupied(entry) => return Err(entry.key().clone()),
                indexmap::map::Entry::Vacant(entry) => {
                    entry.insert(value);
                }
            }
        }
        Ok(UnknownFields(map))
    }

    /// The properties in the order they arrived.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &RawJson)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }
}

/// Order matters: the same properties in another order are another set.
impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().eq(other.0.iter())
    }
}

impl Eq for UnknownFields {}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = (&'a str, &'a RawJson);
    type IntoIter = Box<dyn ExactSizeIterator<Item = (&'a str, &'a RawJson)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> RawJson {
        RawJson::from_json(json).expect("valid JSON")
    }

    #[test]
    fn properties_keep_their_arrival_order() {
        let mut unknown = UnknownFields::default();
        for (name, value) in [("b", "1"), ("a", "2"), ("c", "3")] {
            assert_eq!(unknown.insert(name, raw(value)), None);
        }
        assert_eq!(unknown.insert("a", raw("[]")), Some(raw("2")));
        let order: Vec<(&str, &str)> = unknown.iter().map(|(k, v)| (k, v.get())).collect();
        assert_eq!(order, [("b", "1"), ("a", "[]"), ("c", "3")]);
        assert_eq!(unknown.remove("b"), Some(raw("1")));
        assert_eq!(unknown.remove("b"), None);
        let order: Vec<&str> = (&unknown).into_iter().map(|(k, _)| k).collect();
        assert_eq!(order, ["a", "c"]);
        assert_eq!(unknown.len(), 2);
        assert!(!unknown.is_empty());
    }

    #[test]
    fn equality_sees_the_order() {
        let build = |pairs: &[(&str, &str)]| {
            let mut unknown = UnknownFields::default();
            pairs.iter().for_each(|(k, v)| drop(unknown.insert(*k, raw(v))));
            unknown
        };
        assert_eq!(build(&[("a", "1"), ("b", "2")]), build(&[("a", "1"), ("b", "2")]));
        assert_ne!(build(&[("a", "1"), ("b", "2")]), build(&[("b", "2"), ("a", "1")]));
        assert_ne!(build(&[("a", "1")]), build(&[("a", "1.0")]));
        assert_ne!(build(&[("a", "1")]), build(&[("a", "1"), ("b", "2")]));
        assert_eq!(UnknownFields::default(), build(&[]));
    }

    #[test]
    fn ten_thousand_properties_decode_in_order() {
        use crate::object::HasUnknownFields;

        #[derive(Default)]
        struct Open {
            unknown_fields: UnknownFields,
        }
        crate::json_object!(Open, unknown_fields;);

        let members: Vec<String> = (0..10_000).map(|i| format!("\"k{}\":{i}", 9_999 - i)).collect();
        let json = format!("{{{}}}", members.join(","));
        let open: Open = crate::from_str(&json).expect("decodes");
        assert_eq!(open.unknown_fields().len(), 10_000);
        assert_eq!(open.unknown_fields().get("k0").map(RawJson::get), Some("9999"));
        assert_eq!(open.unknown_fields().iter().next().map(|(k, _)| k), Some("k9999"));
        assert_eq!(serde_json::to_string(&open).expect("encodes"), json);

        let repeated = format!("{{\"k\":1,{},\"k\":2}}", members.join(","));
        assert!(crate::from_str::<Open>(&repeated).is_err(), "a repeated property is refused");
    }
}

#[cfg(test)]
mod binary_tests {
    use super::*;
    use crate::binary_tests::*;

    #[test]
    fn raw_json_in_binary_formats_is_its_text() {
        let texts = [
            r#"{"a": 1.50, "b": [-0, 18446744073709551616, null, {}, []]}"#,
            "null",
            "[]",
            "{}",
            r#""\u00e9 \"quoted\"""#,
            "-0",
            "1e400",
            "true",
        ];
        for text in texts {
            let raw = RawJson::from_json(text).expect("valid JSON");
            let item: ciborium::Value = from_cbor(&to_cbor(&raw)).expect("a CBOR item");
            assert_eq!(item, ciborium::Value::Text(text.to_owned()));
            let back: RawJson = from_cbor(&to_cbor(&raw)).expect("decodes from CBOR");
            assert_eq!(back.get(), text);

            let packed = rmp_serde::to_vec(&raw).expect("encodes as MessagePack");
            let back: RawJson = rmp_serde::from_slice(&packed).expect("decodes from MessagePack");
            assert_eq!(back.get(), text);
            assert_eq!(serde_json::to_string(&back).expect("encodes"), text);
        }
    }

    #[test]
    fn raw_json_from_binary_formats_is_checked() {
        for bad in ["", "{", "[1,]", "1 2", "'a'", "abc", "NaN"] {
            let error = from_cbor::<RawJson>(&to_cbor(&bad)).expect_err(bad);
            assert!(error.contains("invalid JSON text"), "{bad}: {error}");
            let packed = rmp_serde::to_vec(&bad).expect("encodes as MessagePack");
            assert!(rmp_serde::from_slice::<RawJson>(&packed).is_err(), "{bad}");
        }
        for other in [to_cbor(&1u8), to_cbor(&()), to_cbor(&[1u8]), to_cbor(&true)] {
            let error = from_cbor::<RawJson>(&other).expect_err("not a string");
            assert!(error.contains("invalid type"), "{error}");
        }
    }
}
