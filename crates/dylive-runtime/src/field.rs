use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::RawJson;

/// One property of a JSON object: absent, `null`, a value, or a value of
/// another kind than the schema says.
///
/// The APIs behind these models leave properties out, send `null` in places
/// where they usually send a value, and now and then change a value's kind
/// (`"rank": "1"`). `Field` keeps these cases apart, so that a decoded
/// object encodes to exactly what was received; the drift list of a
/// generated type (`drift()`) names each [`Field::Other`].
///
/// ```
/// use dylive_runtime::Field;
///
/// let name: Field<String> = Field::Value("金刚".to_owned());
/// assert_eq!(name.as_deref(), Some("金刚"));
/// assert!(Field::<String>::Null.get().is_none());
/// assert!(Field::<String>::default().is_absent());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    /// The property is not in the object.
    #[default]
    Absent,
    /// The property is present with the value `null`.
    Null,
    /// The property is present with a value.
    Value(T),
    /// The property is present with a value of another kind than the
    /// schema says (a string where an integer is), kept verbatim.
    Other(RawJson),
}

impl<T> Field<T> {
    /// The value, if the property holds one.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null | Field::Other(_) => None,
        }
    }

    /// The value of another kind, if the property holds one.
    pub fn other(&self) -> Option<&RawJson> {
        match self {
            Field::Other(raw) => Some(raw),
            Field::Absent | Field::Null | Field::Value(_) => None,
        }
    }

    /// True when the property holds a value of another kind than the schema
    /// says.
    pub fn is_other(&self) -> bool {
        matches!(self, Field::Other(_))
    }

    /// The value, mutably, if the property holds one.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null | Field::Other(_) => None,
        }
    }

    /// The value, if the property holds one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null | Field::Other(_) => None,
        }
    }

    /// True when the property is not in the object.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// True when the property is present and `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// True when the property holds a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Field::Value(_))
    }

    /// A `Field` of a reference to the value.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
            Field::Other(raw) => Field::Other(raw.clone()),
        }
    }

    /// The value dereferenced (`&str` for a `Field<String>`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.get().map(|value| &**value)
    }

    /// Applies `f` to the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(f(value)),
            Field::Other(raw) => Field::Other(raw),
        }
    }
}

impl<T> Field<Vec<T>> {
    /// The items; empty when the property is absent, `null` or of another
    /// kind.
    pub fn items(&self) -> &[T] {
        self.get().map(Vec::as_slice).unwrap_or_default()
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `None` becomes `null`.
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Value)
    }
}

/// Encodes a value as itself, a value of another kind as it came, and
/// both absent and `null` as `null`; the generated objects leave absent
/// properties out before this is reached. A value of another kind has no
/// faithful form in binary formats, so writing one there is an error.
impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(value) => serializer.serialize_some(value),
            Field::Absent | Field::Null => serializer.serialize_none(),
            Field::Other(raw) if serializer.is_human_readable() => raw.serialize(serializer),
            Field::Other(raw) => Err(S::Error::custom(format_args!(
                "a value of another kind than the schema says ({}) is kept only in JSON",
                raw.kind().describe()
            ))),
        }
    }
}

/// Decodes `null` as [`Field::Null`] and anything else as a value; a
/// property that never shows up stays [`Field::Absent`].
///
/// Through serde a value of another kind is an error, as for any serde
/// type. The generated structs keep it instead: they decode their
/// properties with the one-pass decoder ([`crate::decode`]), which makes it
/// [`Field::Other`].
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Field::Null, Field::Value))
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    /// A type with no `Default` of its own still has an absent `Field`.
    struct NoDefault;

    #[test]
    fn absent_is_the_default_for_any_type() {
        assert!(Field::<NoDefault>::default().is_absent());
    }
}
