//! One value of a decoded response, read by JSON Pointer: what a client
//! needs to find the API's own status field without parsing the body again.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Field, Float, Int, RawJson};

/// A decoded value that answers a JSON Pointer (RFC 6901).
///
/// The generated types implement it through [`json_object!`](crate::json_object)
/// and [`json_union!`](crate::json_union), looking a step up among their
/// properties first and their unknown fields next.
///
/// ```
/// use dylive_runtime::lookup::Lookup;
/// use dylive_runtime::{Field, Int};
///
/// let codes: Vec<Field<Int>> = dylive_runtime::from_str(r#"[0, null, 18446744073709551616]"#)?;
/// assert_eq!(codes.lookup("/2").as_deref(), Some("18446744073709551616"));
/// assert_eq!(codes.lookup("/1"), None);
/// assert_eq!(codes.lookup("/3"), None);
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
pub trait Lookup {
    /// The value at `pointer` below this one, as text: a string without its
    /// quotes, any other value as its JSON. `None` when nothing is there, or
    /// `null`.
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>>;
}

/// The first step of a non-empty `pointer`, unescaped, and the rest;
/// `None` for the empty pointer or one that does not start with `/`.
///
/// ```
/// use dylive_runtime::lookup::split;
///
/// assert_eq!(split("/data/status_code"), Some(("data".into(), "/status_code")));
/// assert_eq!(split("/a~1b"), Some(("a/b".into(), "")));
/// assert_eq!(split(""), None);
/// ```
pub fn split(pointer: &str) -> Option<(Cow<'_, str>, &str)> {
    let rest = pointer.strip_prefix('/')?;
    let (step, rest) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    Some((crate::pointer::unescape(step), rest))
}

/// An array index as a JSON Pointer writes it: digits, no leading zero.
fn index(step: &str) -> Option<usize> {
    let digits = !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit());
    if digits && (step == "0" || !step.starts_with('0')) {
        step.parse().ok()
    } else {
        None
    }
}

/// The text of a whole value that has no steps of its own to take: its
/// JSON, as the generated objects answer the empty pointer.
pub fn whole<T: Serialize + ?Sized>(value: &T, pointer: &str) -> Option<Cow<'static, str>> {
    if pointer.is_empty() {
        serde_json::to_string(value).ok().map(Cow::Owned)
    } else {
        None
    }
}

impl<T: Lookup> Lookup for Field<T> {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        match self {
            Field::Value(value) => value.lookup(pointer),
            Field::Other(raw) => raw.lookup(pointer),
            Field::Absent | Field::Null => None,
        }
    }
}

impl<T: Lookup> Lookup for Box<T> {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        (**self).lookup(pointer)
    }
}

impl<T: Lookup> Lookup for Option<T> {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        self.as_ref()?.lookup(pointer)
    }
}

impl<T: Lookup + Serialize> Lookup for Vec<T> {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        let Some((step, rest)) = split(pointer) else { return whole(self, pointer) };
        self.get(index(&step)?)?.lookup(rest)
    }
}

impl<T: Lookup + Serialize> Lookup for BTreeMap<String, T> {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        let Some((step, rest)) = split(pointer) else { return whole(self, pointer) };
        self.get(step.as_ref())?.lookup(rest)
    }
}

impl Lookup for RawJson {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        raw(self.get(), pointer)
    }
}

/// The value at `pointer` in the JSON `text`, each number as its own text.
fn raw<'a>(text: &'a str, pointer: &str) -> Option<Cow<'a, str>> {
    use serde_json::value::RawValue;

    let Some((step, rest)) = split(pointer) else {
        return match crate::JsonKind::of(text) {
            crate::JsonKind::Null => None,
            crate::JsonKind::String => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
            _ => Some(Cow::Borrowed(text.trim())),
        };
    };
    let inner: &RawValue = match crate::JsonKind::of(text) {
        crate::JsonKind::Object => {
            serde_json::from_str::<BTreeMap<String, &RawValue>>(text).ok()?.get(step.as_ref()).copied()?
        }
        crate::JsonKind::Array => {
            let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
            items.get(index(&step)?).copied()?
        }
        _ => return None,
    };
    raw(inner.get(), rest)
}

impl Lookup for serde_json::Value {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        match self.pointer(pointer)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some(Cow::Borrowed(text)),
            other => Some(Cow::Owned(other.to_string())),
        }
    }
}

impl Lookup for String {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        pointer.is_empty().then_some(Cow::Borrowed(self.as_str()))
    }
}

impl Lookup for bool {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        pointer.is_empty().then_some(Cow::Borrowed(if *self { "true" } else { "false" }))
    }
}

impl Lookup for Int {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        pointer.is_empty().then(|| Cow::Owned(self.to_string()))
    }
}

impl Lookup for Float {
    fn lookup(&self, pointer: &str) -> Option<Cow<'_, str>> {
        pointer.is_empty().then(|| Cow::Owned(self.to_string()))
    }
}

impl Lookup for () {
    fn lookup(&self, _: &str) -> Option<Cow<'_, str>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_answer_at_any_depth() {
        let raw = RawJson::from_json(r#"{"a": {"b/c": ["x", 1.50, null]}, "s": "q\"t"}"#).expect("JSON");
        assert_eq!(raw.lookup("/a/b~1c/0").as_deref(), Some("x"));
        assert_eq!(raw.lookup("/a/b~1c/1").as_deref(), Some("1.50"));
        assert_eq!(raw.lookup("/a/b~1c/2"), None);
        assert_eq!(raw.lookup("/s").as_deref(), Some("q\"t"));
        assert_eq!(raw.lookup("/a/x"), None);
        let string = RawJson::from_json(r#""0""#).expect("JSON");
        assert_eq!(string.lookup("").as_deref(), Some("0"));
    }

    #[test]
    fn absent_null_and_other_kinds_of_a_field() {
        assert_eq!(Field::<Int>::Absent.lookup(""), None);
        assert_eq!(Field::<Int>::Null.lookup(""), None);
        let other: Field<Int> = Field::Other(RawJson::from_json(r#""-1""#).expect("JSON"));
        assert_eq!(other.lookup("").as_deref(), Some("-1"));
        assert_eq!(Field::Value(Int::from(7u64)).lookup("").as_deref(), Some("7"));
        assert_eq!(Field::Value(Int::from(7u64)).lookup("/x"), None);
    }

    #[test]
    fn array_indexes_are_digits_without_leading_zeros() {
        let items = vec![true, false];
        assert_eq!(items.lookup("/1").as_deref(), Some("false"));
        assert_eq!(items.lookup("/01"), None);
        assert_eq!(items.lookup("/-"), None);
        assert_eq!(items.lookup("").as_deref(), Some("[true,false]"));
    }
}
