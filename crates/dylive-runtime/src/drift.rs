//! Kind drift: values whose kind differs from what the schema says, kept
//! where they arrived ([`Field::Other`]) and listed with their place.
//!
//! ```
//! use dylive_runtime::{Drifted, Field, Int, JsonKind};
//!
//! let ranks: Vec<Field<Int>> = dylive_runtime::from_slice(br#"[1, "2", 3]"#).expect("decodes");
//! assert_eq!(ranks[1].other().map(|raw| raw.get()), Some(r#""2""#));
//! assert_eq!(serde_json::to_string(&ranks)?, r#"[1,"2",3]"#);
//! assert!(dylive_runtime::from_slice_strict::<Vec<Field<Int>>>(br#"[1, "2", 3]"#).is_err());
//!
//! let field: Field<Vec<Int>> = dylive_runtime::from_slice::<Vec<_>>(br#"[[1, "2"]]"#).expect("decodes").remove(0);
//! let drift = field.drift();
//! assert_eq!(drift[0].pointer(), "/1");
//! assert_eq!(drift[0].expected(), "an integer");
//! assert_eq!(drift[0].found(), JsonKind::String);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::info::{Shape, Shaped, Ty};
use crate::{Field, Float, Int, JsonKind, RawJson};

/// One value whose kind differs from what the schema says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    pointer: String,
    expected: String,
    found: JsonKind,
}

impl Drift {
    /// The JSON Pointer (RFC 6901) of the value, from the value `drift()`
    /// was called on: `/data/data/ranks/0/rank`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What the schema says, in words: "an integer".
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// The kind of value that arrived.
    pub fn found(&self) -> JsonKind {
        self.found
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = if self.pointer.is_empty() { "the top level" } else { &self.pointer };
        write!(f, "{place}: expected {}, found {}", self.expected, self.found.describe())
    }
}

/// A value that can hold kind drift, and lists it.
pub trait Drifted {
    /// Appends the drift inside this value to `out`, each pointer starting
    /// with `pointer` (the place of this value).
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>);

    /// The drift inside this value, with pointers from it.
    fn drift(&self) -> Vec<Drift> {
        let mut out = Vec::new();
        self.collect_drift(&mut String::new(), &mut out);
        out
    }
}

/// Appends `/key` (escaped as RFC 6901 says) to `pointer`, runs `f`, and
/// takes it off again.
pub fn with_key(pointer: &mut String, key: &str, f: impl FnOnce(&mut String)) {
    let length = pointer.len();
    crate::pointer::push_key(pointer, key);
    f(pointer);
    pointer.truncate(length);
}

fn with_index(pointer: &mut String, index: usize, f: impl FnOnce(&mut String)) {
    use std::fmt::Write as _;
    let length = pointer.len();
    let _ = write!(pointer, "/{index}");
    f(pointer);
    pointer.truncate(length);
}

impl<T: Drifted + Shaped> Drifted for Field<T> {
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>) {
        match self {
            Field::Value(value) => value.collect_drift(pointer, out),
            Field::Other(raw) => walk(raw, T::TY, pointer, out),
            Field::Absent | Field::Null => {}
        }
    }
}

impl<T: Drifted> Drifted for Vec<T> {
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>) {
        for (index, item) in self.iter().enumerate() {
            with_index(pointer, index, |pointer| item.collect_drift(pointer, out));
        }
    }
}

impl<T: Drifted> Drifted for BTreeMap<String, T> {
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>) {
        for (key, value) in self {
            with_key(pointer, key, |pointer| value.collect_drift(pointer, out));
        }
    }
}

impl<T: Drifted> Drifted for Option<T> {
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>) {
        if let Some(value) = self {
            value.collect_drift(pointer, out);
        }
    }
}

impl<T: Drifted> Drifted for Box<T> {
    fn collect_drift(&self, pointer: &mut String, out: &mut Vec<Drift>) {
        (**self).collect_drift(pointer, out);
    }
}

macro_rules! no_drift {
    ($($ty:ty),*) => {
        $(impl Drifted for $ty {
            fn collect_drift(&self, _: &mut String, _: &mut Vec<Drift>) {}
        })*
    };
}

no_drift!((), bool, Int, Float, String, RawJson);

/// Appends the places inside `raw`, a value kept whole, where a kind
/// differs from `ty`: the value itself, or the items, properties and map
/// values deeper inside that did not fit.
pub(crate) fn walk(raw: &RawJson, ty: Ty, pointer: &mut String, out: &mut Vec<Drift>) {
    let start = out.len();
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    let walked = Walk { ty, null_ok: true, pointer, out }.deserialize(&mut deserializer);
    if walked.is_err() || out.len() == start {
        // The text defeats the walk (a number beyond f64), or every kind
        // fits and the value failed for another reason: name it whole.
        out.truncate(start);
        out.push(Drift { pointer: pointer.clone(), expected: ty.expected(), found: raw.kind() });
    }
}

/// Walks one value against `ty`; `null_ok` where a `Field` takes `null`.
struct Walk<'a> {
    ty: Ty,
    null_ok: bool,
    pointer: &'a mut String,
    out: &'a mut Vec<Drift>,
}

impl Walk<'_> {
    /// The type that takes a value of kind `kind`, if `ty` takes it: the
    /// variant's type for a union, the inner type for a nullable one.
    fn target(&self, kind: JsonKind) -> Option<Ty> {
        let mut ty = self.ty;
        loop {
            match ty {
                Ty::Any => return None,
                Ty::Nullable(inner) if kind != JsonKind::Null => ty = *inner,
                Ty::Type(info) => match info().shape {
                    Shape::Union(variants) => {
                        return variants.iter().find(|v| v.kind == kind).map(|v| v.ty);
                    }
                    Shape::Object(_) => return Some(ty),
                },
                _ => return Some(ty),
            }
        }
    }

    /// Records a value of kind `kind` that `ty` does not take; true when it
    /// fits (and its content is to be walked).
    fn fits(&mut self, kind: JsonKind) -> bool {
        if (kind == JsonKind::Null && self.null_ok) || self.ty.accepts(kind) {
            return true;
        }
        self.out.push(Drift { pointer: self.pointer.clone(), expected: self.ty.expected(), found: kind });
        false
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let target = self.target(JsonKind::Object);
        if !self.fits(JsonKind::Object) || target.is_none() {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        while let Some(key) = map.next_key::<String>()? {
            let place = match target {
                Some(Ty::Map(inner)) => Some((*inner, false)),
                Some(Ty::Type(info)) => info().field(&key).map(|field| (field.ty, true)),
                _ => None,
            };
            match place {
                Some((ty, null_ok)) => {
                    let mut result = Ok(());
                    let (pointer, out) = (&mut *self.pointer, &mut *self.out);
                    with_key(pointer, &key, |pointer| {
                        result = map.next_value_seed(Walk { ty, null_ok, pointer, out });
                    });
                    result?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let target = self.target(JsonKind::Array);
        let item = match (self.fits(JsonKind::Array), target) {
            (true, Some(Ty::Array(inner))) => Some(*inner),
            _ => None,
        };
        let mut index = 0;
        loop {
            let next = match item {
                Some(ty) => {
                    let mut next = Ok(None);
                    let (pointer, out) = (&mut *self.pointer, &mut *self.out);
                    with_index(pointer, index, |pointer| {
                        next = seq.next_element_seed(Walk { ty, null_ok: false, pointer, out });
                    });
                    next?
                }
                None => seq.next_element::<IgnoredAny>()?.map(|_| ()),
            };
            if next.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_str<E>(mut self, _: &str) -> Result<(), E> {
        self.fits(JsonKind::String);
        Ok(())
    }

    fn visit_bool<E>(mut self, _: bool) -> Result<(), E> {
        self.fits(JsonKind::Bool);
        Ok(())
    }

    fn visit_u64<E>(mut self, _: u64) -> Result<(), E> {
        self.fits(JsonKind::Number);
        Ok(())
    }

    fn visit_i64<E>(mut self, _: i64) -> Result<(), E> {
        self.fits(JsonKind::Number);
        Ok(())
    }

    fn visit_f64<E>(mut self, _: f64) -> Result<(), E> {
        self.fits(JsonKind::Number);
        Ok(())
    }

    fn visit_unit<E>(mut self) -> Result<(), E> {
        self.fits(JsonKind::Null);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::{FieldInfo, TypeInfo, VariantInfo};

    fn user() -> &'static TypeInfo {
        static INFO: TypeInfo = TypeInfo {
            name: "User",
            shape: Shape::Object(&[
                FieldInfo { name: "id", rust_name: "id", ty: Ty::Integer, required: true, nullable: false },
                FieldInfo { name: "a/b", rust_name: "a_b", ty: Ty::Type(code), required: false, nullable: false },
                FieldInfo {
                    name: "tags",
                    rust_name: "tags",
                    ty: Ty::Map(&Ty::String),
                    required: false,
                    nullable: false,
                },
            ]),
        };
        &INFO
    }

    fn code() -> &'static TypeInfo {
        static INFO: TypeInfo = TypeInfo {
            name: "Code",
            shape: Shape::Union(&[
                VariantInfo { kind: JsonKind::Number, ty: Ty::Integer },
                VariantInfo { kind: JsonKind::Array, ty: Ty::Array(&Ty::String) },
            ]),
        };
        &INFO
    }

    fn drift_of(json: &str, ty: Ty) -> Vec<String> {
        let mut out = Vec::new();
        walk(&RawJson::from_json(json).expect("JSON"), ty, &mut "/x".to_owned(), &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_kept_value_names_each_place_that_does_not_fit() {
        let ty = Ty::Array(&Ty::Type(user));
        let drift = drift_of(
            r#"[{"id": 1, "a/b": [1, "x"], "unknown": true}, "no", {"id": null, "tags": {"k": 1}}, {"id": "2"}]"#,
            ty,
        );
        assert_eq!(
            drift,
            [
                "/x/0/a~1b/0: expected a string, found a number",
                "/x/1: expected an object (User), found a string",
                "/x/2/tags/k: expected a string, found a number",
                "/x/3/id: expected an integer, found a string",
            ]
        );
    }

    #[test]
    fn a_value_that_fits_every_kind_is_named_whole() {
        assert_eq!(drift_of("1e999999", Ty::String), ["/x: expected a string, found a number"]);
        assert_eq!(drift_of("[1]", Ty::Array(&Ty::Integer)), ["/x: expected an array, found an array"]);
    }

    #[test]
    fn fields_list_their_drift() {
        let field: Field<Vec<Int>> = Field::Other(RawJson::from_json(r#"[1, true]"#).expect("JSON"));
        assert_eq!(field.drift().iter().map(Drift::pointer).collect::<Vec<_>>(), ["/1"]);
        assert!(Field::<Int>::Null.drift().is_empty());
        let nested = vec![Field::Value(vec![Field::<String>::Other(RawJson::from_json("2").expect("JSON"))])];
        assert_eq!(nested.drift()[0].pointer(), "/0/0");
    }
}
