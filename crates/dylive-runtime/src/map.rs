//! Objects used as maps from strings to values.

use std::borrow::Cow;
use std::collections::btree_map::{self, BTreeMap, Entry};
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::drift::{Drift, Drifted};
use crate::info::{Shaped, Ty};
use crate::lookup::Lookup;

/// A JSON object whose keys are data (`"icons": {"1": {…}, "7": {…}}`),
/// ordered by key.
///
/// It reads as the [`BTreeMap`] it wraps (through `Deref`), and converts to
/// and from one. Unlike a `BTreeMap`, it refuses an object that repeats a
/// key, as the generated structs do, since only one of the values could be
/// kept: decoding fails with `duplicate property` and the JSON Pointer of
/// the object, in every mode (after a value of another kind, which only
/// the tolerant pass reads past, that of a property holding it).
///
/// ```
/// use dylive_runtime::{Int, Map};
///
/// let levels: Map<Int> = dylive_runtime::from_str(r#"{"7": 2, "1": 18446744073709551616}"#)?;
/// assert_eq!(levels.keys().collect::<Vec<_>>(), ["1", "7"]);
/// assert_eq!(levels.get("7").and_then(Int::as_u64), Some(2));
/// assert_eq!(serde_json::to_string(&levels).expect("encodes"), r#"{"1":18446744073709551616,"7":2}"#);
///
/// let error = dylive_runtime::from_str::<Vec<Map<Int>>>(r#"[{"5": 1, "5": 2}]"#).unwrap_err();
/// assert_eq!(error.message(), "duplicate property `5`");
/// assert_eq!(error.pointer(), "/0");
///
/// let built: Map<Int> = [("a".to_owned(), Int::from(1u64))].into_iter().collect();
/// assert_eq!(built.len(), 1);
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Map<T>(BTreeMap<String, T>);

impl<T> Map<T> {
    /// An empty map.
    pub fn new() -> Self {
        Map(BTreeMap::new())
    }

    /// The [`BTreeMap`] inside.
    pub fn into_inner(self) -> BTreeMap<String, T> {
        self.0
    }
}

impl<T> Deref for Map<T> {
    type Target = BTreeMap<String, T>;

    fn deref(&self) -> &BTreeMap<String, T> {
        &self.0
    }
}

impl<T> DerefMut for Map<T> {
    fn deref_mut(&mut self) -> &mut BTreeMap<String, T> {
        &mut self.0
    }
}

impl<T> AsRef<BTreeMap<String, T>> for Map<T> {
    fn as_ref(&self) -> &BTreeMap<String, T> {
        &self.0
    }
}

impl<T> AsMut<BTreeMap<String, T>> for Map<T> {
    fn as_mut(&mut self) -> &mut BTreeMap<String, T> {
        &mut self.0
    }
}

/// Shown as the map of its entries: `{"1": 2}`.
impl<T: fmt::Debug> fmt::Debug for Map<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<T> From<BTreeMap<String, T>> for Map<T> {
    fn from(map: BTreeMap<String, T>) -> Self {
        Map(map)
    }
}

impl<T> From<Map<T>> for BTreeMap<String, T> {
    fn from(map: Map<T>) -> Self {
        map.0
    }
}

impl<T, const N: usize> From<[(String, T); N]> for Map<T> {
    fn from(entries: [(String, T); N]) -> Self {
        Map(BTreeMap::from(entries))
    }
}

/// A key that comes again replaces the value before it, as in
/// [`BTreeMap`].
impl<T> FromIterator<(String, T)> for Map<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(entries: I) -> Self {
        Map(entries.into_iter().collect())
    }
}

impl<T> Extend<(String, T)> for Map<T> {
    fn extend<I: IntoIterator<Item = (String, T)>>(&mut self, entries: I) {
        self.0.extend(entries);
    }
}

impl<T> IntoIterator for Map<T> {
    type Item = (String, T);
    type IntoIter = btree_map::IntoIter<String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Map<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = btree_map::Iter<'a, String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Map<T> {
    type Item = (&'a String, &'a mut T);
    type IntoIter = btree_map::IterMut<'a, String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

/// A JSON object, its keys in order, in every format.
impl<T: Serialize> Serialize for Map<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A JSON object (a map in binary formats); a key that comes twice is an
/// error, `duplicate property`, that no kept value mends.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Map<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
    type Value = Map<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object (a map)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Map<T>, A::Error> {
        let mut map = BTreeMap::new();
        while let Some(key) = access.next_key::<String>()? {
            match map.entry(key) {
                Entry::Vacant(entry) => {
                    entry.insert(access.next_value()?);
                }
                Entry::Occupied(entry) => {
                    return Err(A::Error::custom(format_args!("duplicate property `{}`", entry.key())));
                }
            }
        }
        Ok(Map(map))
    }
}

impl<T: Drifted> Drifted for Map<T> {
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>) {
        self.0.collect_drift(pointer, out);
    }
}

impl<T: Lookup + Serialize> Lookup for Map<T> {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        self.0.lookup(pointer)
    }
}

impl<T: Shaped> Shaped for Map<T> {
    const TY: Ty = <BTreeMap<String, T> as Shaped>::TY;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binary_tests::{from_cbor, from_msgpack, to_cbor};
    use crate::{Field, Int, JsonKind, RawJson};

    /// An object with a map of objects, as the generated code has.
    #[derive(Debug, Default, PartialEq)]
    struct Badge {
        icons: Field<Map<Icon>>,
        unknown_fields: crate::UnknownFields,
    }

    #[derive(Debug, Default, PartialEq)]
    struct Icon {
        uri: Field<String>,
        level: Field<Int>,
        unknown_fields: crate::UnknownFields,
    }

    crate::json_object! {
        Badge, unknown_fields;
        "icons" => icons;
    }

    crate::json_object! {
        Icon, unknown_fields;
        "uri" => uri;
        "level" => level;
    }

    fn badges(json: &str) -> String {
        format!(r#"{{"badges": [{{"icons": {{"0": {{"uri": "z"}}}}}}, {{"icons": {json}}}]}}"#)
    }

    #[derive(Debug, Default, PartialEq)]
    struct Badges {
        badges: Field<Vec<Badge>>,
        unknown_fields: crate::UnknownFields,
    }

    crate::json_object! {
        Badges, unknown_fields;
        "badges" => badges;
    }

    #[test]
    fn a_repeated_key_is_refused_with_the_pointer_of_the_map() {
        let cases = [
            (r#"{"5": {"uri": "a"}, "5": {"uri": "b"}}"#, "5"),
            (r#"{"1": {}, "5": {"uri": "a"}, "5": {"uri": 1}}"#, "5"),
            (r#"{"a/b": {}, "a/b": {}}"#, "a/b"),
            (r#"{"\u0035": {}, "5": {}}"#, "5"),
        ];
        for (icons, key) in cases {
            let json = badges(icons);
            for error in [crate::from_str::<Badges>(&json), crate::from_slice_strict::<Badges>(json.as_bytes())]
                .map(|result| result.expect_err("a repeated key"))
            {
                assert_eq!(error.message(), format!("duplicate property `{key}`"), "{icons}");
                assert_eq!(error.pointer(), "/badges/1/icons", "{icons}");
                assert_eq!(error.body(), json.as_bytes());
            }
            let plain = serde_json::from_str::<Badges>(&json).expect_err("the plain serde path refuses it too");
            assert!(plain.to_string().contains(&format!("duplicate property `{key}`")), "{plain}");
        }
    }

    /// When a value of another kind comes before the repeated key, the
    /// error is found by the pass that keeps such values, whose pointer
    /// reaches the property that holds the map, as it does for a property
    /// repeated in an object.
    #[test]
    fn a_repeated_key_after_drift_is_refused_too() {
        let json = badges(r#"{"1": {"uri": 1}, "5": {}, "5": {}}"#);
        let error = crate::from_str::<Badges>(&json).expect_err("a repeated key");
        assert_eq!(error.message(), "duplicate property `5`");
        assert!("/badges/1/icons".starts_with(error.pointer()) && !error.pointer().is_empty(), "{error}");
        let strict = crate::from_slice_strict::<Badges>(json.as_bytes()).expect_err("drift, and a repeated key");
        assert_eq!(strict.pointer(), "/badges/1/icons/1/uri", "strict decoding stops at the drift first");
    }

    #[test]
    fn a_repeated_key_is_refused_in_a_map_of_raw_values_and_in_binary_formats() {
        let error = crate::from_str::<Field<Map<RawJson>>>(r#"{"a": 1, "b": [], "a": "1"}"#).expect_err("refused");
        assert_eq!(error.message(), "duplicate property `a`");
        let mut cbor = Vec::new();
        // A CBOR map of two entries, both under the key "k".
        cbor.extend([0xA2, 0x61, b'k', 0x01, 0x61, b'k', 0x02]);
        let error = from_cbor::<Map<Int>>(&cbor).expect_err("refused");
        assert!(error.contains("duplicate property `k`"), "{error}");
    }

    #[test]
    fn distinct_keys_decode_and_encode_as_they_came() {
        let json = r#"{"icons":{"10":{"uri":"b","level":18446744073709551616},"9":{"uri":"a","x":[1.50]}}}"#;
        let badge: Badge = crate::from_str(json).expect("decodes");
        let icons = badge.icons.get().expect("a map");
        assert_eq!(icons.keys().collect::<Vec<_>>(), ["10", "9"]);
        assert_eq!(icons.get("9").and_then(|icon| icon.uri.as_deref()), Some("a"));
        assert_eq!(serde_json::to_string(&badge).expect("encodes"), json);
        assert!(badge.drift().is_empty());

        let empty: Badge = crate::from_str(r#"{"icons":{}}"#).expect("decodes");
        assert!(empty.icons.get().is_some_and(|icons| icons.is_empty()));
        assert_eq!(serde_json::to_string(&empty).expect("encodes"), r#"{"icons":{}}"#);
    }

    #[test]
    fn drift_inside_a_map_is_listed_with_its_key() {
        let json = r#"{"icons":{"a/b":{"uri":1},"c":{"uri":"ok","level":"2"}}}"#;
        let badge: Badge = crate::from_str(json).expect("drift is kept");
        let drift: Vec<(String, JsonKind)> =
            badge.drift().iter().map(|d| (d.pointer().to_owned(), d.found())).collect();
        assert_eq!(
            drift,
            [("/icons/a~1b/uri".to_owned(), JsonKind::Number), ("/icons/c/level".to_owned(), JsonKind::String)]
        );
        assert_eq!(serde_json::to_string(&badge).expect("encodes"), json);
        assert!(crate::from_slice_strict::<Badge>(json.as_bytes()).is_err());

        // A map that arrives as an array is kept whole, and named.
        let badge: Badge = crate::from_str(r#"{"icons":[{"uri":"a"}]}"#).expect("drift is kept");
        let drift = badge.drift();
        assert_eq!(
            drift.iter().map(|d| (d.pointer(), d.expected(), d.found())).collect::<Vec<_>>(),
            [("/icons", "an object (a map)", JsonKind::Array)]
        );
    }

    #[test]
    fn it_writes_the_text_serde_writes() {
        let json = r#"{"icons":{"":{"uri":"a\"b"},"10":{"level":18446744073709551616,"x":[1.50]},"9":{}}}"#;
        let badge: Badge = crate::from_str(json).expect("decodes");
        assert_eq!(crate::write::to_string(&badge), json);
        let map: Map<Field<Int>> = crate::from_str(r#"{"b": null, "a": 1}"#).expect("decodes");
        assert_eq!(crate::write::to_string(&map), serde_json::to_string(&map).expect("encodes"));
        assert_eq!(crate::write::to_string(&Map::<Int>::new()), "{}");
    }

    #[test]
    fn binary_formats_carry_a_map_back_equal() {
        let map: Map<Field<Int>> =
            crate::from_str(r#"{"b": null, "a": 18446744073709551616, "c": 3}"#).expect("decodes");
        assert_eq!(from_cbor::<Map<Field<Int>>>(&to_cbor(&map)), Ok(map.clone()));
        let msgpack = rmp_serde::to_vec(&map).expect("encodes as MessagePack");
        assert_eq!(from_msgpack::<Map<Field<Int>>>(&msgpack), Ok(map));
    }

    #[test]
    fn it_reads_and_converts_as_a_btree_map() {
        let mut map = Map::from([("b".to_owned(), 2u8), ("a".to_owned(), 1)]);
        *map.entry("c".to_owned()).or_default() += 3;
        assert_eq!((&map).into_iter().map(|(k, v)| format!("{k}{v}")).collect::<String>(), "a1b2c3");
        for (_, value) in &mut map {
            *value *= 2;
        }
        assert_eq!(format!("{map:?}"), r#"{"a": 2, "b": 4, "c": 6}"#);
        let inner: BTreeMap<String, u8> = map.clone().into();
        assert_eq!(Map::from(inner.clone()), map);
        assert_eq!(map.clone().into_inner(), inner);
        map.extend([("a".to_owned(), 0)]);
        assert_eq!(map.get("a"), Some(&0));
        assert_eq!(map.into_iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(Map::<u8>::new().is_empty() && Map::<u8>::default().is_empty());
    }

    #[test]
    fn it_is_described_and_looked_up_as_a_map() {
        assert!(matches!(<Map<Int> as Shaped>::TY, Ty::Map(Ty::Integer)));
        assert_eq!(<Map<Int> as Shaped>::TY.expected(), "an object (a map)");
        let map: Map<Field<Int>> = crate::from_str(r#"{"a/b": 7, "n": null}"#).expect("decodes");
        assert_eq!(map.lookup("/a~1b").as_deref(), Some("7"));
        assert_eq!(map.lookup("/n"), None);
        assert_eq!(map.lookup("/x"), None);
        assert_eq!(map.lookup("").as_deref(), Some(r#"{"a/b":7,"n":null}"#));
    }
}
