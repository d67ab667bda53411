//! The tree and its helpers.

use std::borrow::Cow;

use crate::ParseError;

/// A JSON value that keeps the order of object keys and the exact text of
/// every number.
///
/// `S` holds object keys, strings (decoded) and number text. A parsed tree
/// is a [`Json<'a>`], which borrows from the text where no escape had to be
/// decoded; `Value` alone is `Value<String>`, owned, the one to build:
///
/// ```
/// use dylive_json::Value;
///
/// let mut schema = Value::object([("type", Value::str("integer"))]);
/// schema.set("format", Value::str("uint64"));
/// schema.set("type", Value::Array(vec![Value::str("integer"), Value::str("null")]));
/// assert_eq!(schema.to_json(), r#"{"type":["integer","null"],"format":"uint64"}"#);
/// assert_eq!(schema.get_str("format"), Some("uint64"));
/// ```
///
/// Equality (`==`) is exact: it sees the order of keys. The comparator
/// ([`crate::diff_values`]) does not.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value<S = String> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as its token text.
    Number(S),
    /// A string, unescaped.
    String(S),
    /// An array.
    Array(Vec<Value<S>>),
    /// An object: its members in order, keys unescaped.
    Object(Vec<(S, Value<S>)>),
}

/// A parsed JSON value: keys, strings and numbers borrow from the text when
/// they can. [`Json::into_owned`] detaches it.
pub type Json<'a> = Value<Cow<'a, str>>;

impl<S: AsRef<str>> Value<S> {
    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The boolean, for `true` and `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The token text of a number.
    pub fn as_number(&self) -> Option<&str> {
        match self {
            Value::Number(text) => Some(text.as_ref()),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text.as_ref()),
            _ => None,
        }
    }

    /// The items of an array; empty for any other value.
    pub fn items(&self) -> &[Value<S>] {
        match self {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    /// The members of an object, in order; empty for any other value.
    pub fn members(&self) -> &[(S, Value<S>)] {
        match self {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The member `key` of an object (the first, should it occur twice).
    pub fn get(&self, key: &str) -> Option<&Value<S>> {
        self.members().iter().find(|(name, _)| name.as_ref() == key).map(|(_, value)| value)
    }

    /// The member `key` of an object, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value<S>> {
        match self {
            Value::Object(members) => members.iter_mut().find(|(name, _)| name.as_ref() == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// The member `key` of an object, when it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// Removes the member `key` from an object and returns its value; the
    /// other members keep their order.
    pub fn remove(&mut self, key: &str) -> Option<Value<S>> {
        match self {
            Value::Object(members) => {
                let index = members.iter().position(|(name, _)| name.as_ref() == key)?;
                Some(members.remove(index).1)
            }
            _ => None,
        }
    }

    /// The kind of the value, as the models name kinds.
    ///
    /// ```
    /// use dylive_runtime::JsonKind;
    ///
    /// let tree = dylive_json::parse(r#"{"ranks": [1, "2", null]}"#)?;
    /// assert_eq!(tree.kind(), JsonKind::Object);
    /// let kinds: Vec<JsonKind> = tree.pointer("/ranks").map_or(&[][..], |r| r.items()).iter().map(|v| v.kind()).collect();
    /// assert_eq!(kinds, [JsonKind::Number, JsonKind::String, JsonKind::Null]);
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn kind(&self) -> dylive_runtime::JsonKind {
        use dylive_runtime::JsonKind;
        match self {
            Value::Null => JsonKind::Null,
            Value::Bool(_) => JsonKind::Bool,
            Value::Number(_) => JsonKind::Number,
            Value::String(_) => JsonKind::String,
            Value::Array(_) => JsonKind::Array,
            Value::Object(_) => JsonKind::Object,
        }
    }

    /// The value at a JSON Pointer (RFC 6901): `""` is the value itself,
    /// `/a/0` the first item of member `a`, `~1` stands for `/` and `~0`
    /// for `~` in a key.
    ///
    /// ```
    /// let tree = dylive_json::parse(r#"{"data": {"ranks": [{"a/b": 7}]}}"#)?;
    /// assert_eq!(tree.pointer("/data/ranks/0/a~1b").and_then(|v| v.as_number()), Some("7"));
    /// assert!(tree.pointer("/data/ranks/1").is_none());
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn pointer(&self, pointer: &str) -> Option<&Value<S>> {
        steps(pointer)?.try_fold(self, |node, step| match node {
            Value::Object(_) => node.get(&step),
            Value::Array(items) => index(&step).and_then(|at| items.get(at)),
            _ => None,
        })
    }

    /// The value at a JSON Pointer, to change it; see [`Value::pointer`].
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Value<S>> {
        steps(pointer)?.try_fold(self, |node, step| match node {
            Value::Object(_) => node.get_mut(&step),
            Value::Array(items) => index(&step).and_then(|at| items.get_mut(at)),
            _ => None,
        })
    }
}

/// The unescaped steps of a JSON Pointer; `None` when it is not one.
fn steps(pointer: &str) -> Option<impl Iterator<Item = Cow<'_, str>>> {
    let rest = if pointer.is_empty() { None } else { Some(pointer.strip_prefix('/')?) };
    Some(rest.into_iter().flat_map(|rest| rest.split('/')).map(dylive_runtime::pointer::unescape))
}

/// An array index as a pointer writes it: digits, no leading zero.
fn index(step: &str) -> Option<usize> {
    let digits = !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit());
    if digits && (step == "0" || !step.starts_with('0')) {
        step.parse().ok()
    } else {
        None
    }
}

impl<S: AsRef<str> + From<String>> Value<S> {
    /// Sets the member `key` of an object: in its place when it exists, last
    /// otherwise. Does nothing to a value that is not an object.
    pub fn set(&mut self, key: &str, value: Value<S>) {
        if let Value::Object(members) = self {
            match members.iter_mut().find(|(name, _)| name.as_ref() == key) {
                Some((_, slot)) => *slot = value,
                None => members.push((S::from(key.to_owned()), value)),
            }
        }
    }

    /// Sets the value at a JSON Pointer (see [`Value::pointer`]); `false`
    /// when there is no place for it, and then nothing changes.
    ///
    /// The last step is a member of an object, set as [`Value::set`] sets
    /// it (in its place when it exists, last otherwise), or an item of an
    /// array, which must exist (`-` appends one). A member missing on the
    /// way is made, as an empty object; `""` replaces the whole value. There
    /// is no place when the pointer is not one, or a step leads into a
    /// string, number, boolean or `null` or to an array item that is not
    /// there.
    ///
    /// ```
    /// use dylive_json::Value;
    ///
    /// let mut body = Value::parse(r#"{"data": {"ranks": [{"rank": 1}]}}"#)?;
    /// assert!(body.set_pointer("/data/ranks/0/rank", Value::str("1")));
    /// assert!(body.set_pointer("/data/ranks/-", Value::Null));
    /// assert!(body.set_pointer("/extra/a~1b", Value::Bool(true)));
    /// assert_eq!(body.to_json(), r#"{"data":{"ranks":[{"rank":"1"},null]},"extra":{"a/b":true}}"#);
    ///
    /// assert!(!body.set_pointer("/data/ranks/5/rank", Value::Null), "no item 5");
    /// assert!(!body.set_pointer("/extra/a~1b/c", Value::Null), "inside a boolean");
    /// assert!(!body.set_pointer("data", Value::Null), "not a pointer");
    /// assert_eq!(body.to_json(), r#"{"data":{"ranks":[{"rank":"1"},null]},"extra":{"a/b":true}}"#);
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn set_pointer(&mut self, pointer: &str, value: Value<S>) -> bool {
        let Some(steps) = steps(pointer) else { return false };
        let steps: Vec<Cow<'_, str>> = steps.collect();
        let Some((last, path)) = steps.split_last() else {
            *self = value;
            return true;
        };
        // Checked before anything is made, so that a failure changes nothing.
        if !self.has_place(path, last) {
            return false;
        }
        let mut node = self;
        for step in path {
            node = match node {
                Value::Object(members) => {
                    let at = match members.iter().position(|(name, _)| name.as_ref() == step) {
                        Some(at) => at,
                        None => {
                            members.push((S::from(step.to_string()), Value::Object(Vec::new())));
                            members.len() - 1
                        }
                    };
                    &mut members[at].1
                }
                Value::Array(items) => match index(step).and_then(|at| items.get_mut(at)) {
                    Some(item) => item,
                    None => return false,
                },
                _ => return false,
            };
        }
        match node {
            Value::Object(_) => node.set(last, value),
            Value::Array(items) if last == "-" => items.push(value),
            Value::Array(items) => match index(last).and_then(|at| items.get_mut(at)) {
                Some(slot) => *slot = value,
                None => return false,
            },
            _ => return false,
        }
        true
    }

    /// Whether [`Value::set_pointer`] finds a place at `path` then `last`.
    fn has_place(&self, path: &[Cow<'_, str>], last: &str) -> bool {
        let Some((step, rest)) = path.split_first() else {
            return match self {
                Value::Object(_) => true,
                Value::Array(items) => last == "-" || index(last).is_some_and(|at| at < items.len()),
                _ => false,
            };
        };
        match self {
            // A missing member is made as an empty object, where any step has a place.
            Value::Object(_) => self.get(step).is_none_or(|member| member.has_place(rest, last)),
            Value::Array(items) => {
                index(step).and_then(|at| items.get(at)).is_some_and(|item| item.has_place(rest, last))
            }
            _ => false,
        }
    }
}

impl<S> Value<S> {
    /// The same tree with every key, string and number text converted by `f`.
    pub fn map_text<T>(self, f: &mut impl FnMut(S) -> T) -> Value<T> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(value) => Value::Bool(value),
            Value::Number(text) => Value::Number(f(text)),
            Value::String(text) => Value::String(f(text)),
            Value::Array(items) => Value::Array(items.into_iter().map(|item| item.map_text(f)).collect()),
            Value::Object(members) => {
                Value::Object(members.into_iter().map(|(key, value)| (f(key), value.map_text(f))).collect())
            }
        }
    }
}

impl<'a> Json<'a> {
    /// The same tree, owning its text, so that it outlives the text it was
    /// parsed from.
    ///
    /// ```
    /// let tree: dylive_json::Json<'static> = {
    ///     let text = String::from(r#"{"a": [1.0]}"#);
    ///     dylive_json::parse(&text)?.into_owned()
    /// };
    /// assert_eq!(tree.to_json(), r#"{"a":[1.0]}"#);
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn into_owned(self) -> Json<'static> {
        self.map_text(&mut |text: Cow<'a, str>| Cow::Owned(text.into_owned()))
    }
}

impl Value<String> {
    /// An object from pairs, in their order.
    pub fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
        Value::Object(pairs.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
    }

    /// A string value.
    pub fn str(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    /// Parses one JSON value into an owned tree; see [`crate::parse`].
    ///
    /// ```
    /// use dylive_json::Value;
    ///
    /// let schema = Value::parse(r#"{"title": "User", "type": "object"}"#)?;
    /// assert_eq!(schema.members().iter().map(|(key, _)| key.as_str()).collect::<Vec<_>>(), ["title", "type"]);
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Value<String>, ParseError> {
        crate::parse(text).map(Value::from)
    }
}

impl<'a> From<Json<'a>> for Value<String> {
    fn from(json: Json<'a>) -> Self {
        json.map_text(&mut Cow::into_owned)
    }
}

impl From<Value<String>> for Json<'static> {
    fn from(value: Value<String>) -> Self {
        value.map_text(&mut Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Value {
        Value::parse(text).expect("valid JSON")
    }

    #[test]
    fn accessors_read_each_kind() {
        let value = tree(r#"{"n": null, "b": false, "x": 1.50, "s": "\u91d1", "a": [1, 2], "o": {}}"#);
        assert!(value.get("n").is_some_and(Value::is_null));
        assert_eq!(value.get("b").and_then(Value::as_bool), Some(false));
        assert_eq!(value.get("x").and_then(Value::as_number), Some("1.50"));
        assert_eq!(value.get_str("s"), Some("金"));
        assert_eq!(value.get_str("x"), None);
        assert_eq!(value.get("a").map(|a| a.items().len()), Some(2));
        assert_eq!(value.get("o").map(|o| o.members().len()), Some(0));
        assert!(value.get("missing").is_none());
        assert!(value.items().is_empty());
        assert!(Value::<String>::Null.members().is_empty());
    }

    #[test]
    fn set_keeps_the_place_and_remove_the_order() {
        let mut value = tree(r#"{"a": 1, "b": 2, "c": 3}"#);
        value.set("b", Value::str("two"));
        value.set("d", Value::Null);
        assert_eq!(value.to_json(), r#"{"a":1,"b":"two","c":3,"d":null}"#);
        assert_eq!(value.remove("a"), Some(Value::Number("1".to_owned())));
        assert_eq!(value.remove("a"), None);
        assert_eq!(value.to_json(), r#"{"b":"two","c":3,"d":null}"#);
        if let Some(c) = value.get_mut("c") {
            *c = Value::Bool(true);
        }
        assert_eq!(value.to_json(), r#"{"b":"two","c":true,"d":null}"#);

        let mut array = tree("[1]");
        array.set("a", Value::Null);
        assert_eq!(array.remove("a"), None);
        assert_eq!(array.to_json(), "[1]");
    }

    #[test]
    fn pointers_follow_rfc_6901() {
        let value = tree(r#"{"a/b": {"c~d": [10, 11]}, "": {"x": 0}, "01": 1}"#);
        let at = |pointer: &str| value.pointer(pointer).map(Value::to_json);
        assert_eq!(at("").as_deref(), Some(value.to_json().as_str()));
        assert_eq!(at("/a~1b/c~0d/1").as_deref(), Some("11"));
        assert_eq!(at("//x").as_deref(), Some("0"));
        assert_eq!(at("/01").as_deref(), Some("1"));
        assert_eq!(at("/a~1b/c~0d/01"), None);
        assert_eq!(at("/a~1b/c~0d/+1"), None);
        assert_eq!(at("/a~1b/c~0d/2"), None);
        assert_eq!(at("/a~1b/c~0d/0/deeper"), None);
        assert_eq!(at("a"), None);

        let mut value = value;
        if let Some(item) = value.pointer_mut("/a~1b/c~0d/0") {
            *item = Value::Null;
        }
        assert_eq!(value.pointer("/a~1b/c~0d").map(Value::to_json).as_deref(), Some("[null,11]"));
    }

    #[test]
    fn set_pointer_sets_makes_the_way_or_changes_nothing() {
        let mut value = tree(r#"{"a": [{"b": 1}, 2], "s": "x"}"#);
        assert!(value.set_pointer("/a/0/b", Value::str("one")));
        assert!(value.set_pointer("/a/1", Value::Null));
        assert!(value.set_pointer("/a/-", Value::Bool(false)));
        assert!(value.set_pointer("/n/m/~0k", Value::Number("7".to_owned())));
        assert!(value.set_pointer("/a/0/c", Value::Array(Vec::new())));
        assert_eq!(value.to_json(), r#"{"a":[{"b":"one","c":[]},null,false],"s":"x","n":{"m":{"~k":7}}}"#);

        let before = value.clone();
        for pointer in ["/a/3", "/a/01", "/a/x/y", "/a/3/new/deep", "/s/t", "/s/t/u", "/n/m/~0k/v", "a"] {
            assert!(!value.set_pointer(pointer, Value::Null), "{pointer}");
            assert_eq!(value, before, "{pointer} changes nothing");
        }
        assert!(value.set_pointer("", Value::str("whole")));
        assert_eq!(value.to_json(), r#""whole""#);

        let mut borrowed = crate::parse(r#"{"k": {}}"#).expect("valid JSON");
        assert!(borrowed.set_pointer("/k/new/x", Json::Number("1".into())));
        assert_eq!(borrowed.to_json(), r#"{"k":{"new":{"x":1}}}"#);
    }

    #[test]
    fn borrowed_and_owned_trees_convert_both_ways() {
        let text = r#"{"a": "plain", "b": "esc\"aped", "c": [1e5]}"#;
        let json = crate::parse(text).expect("valid JSON");
        assert!(matches!(json.get("a"), Some(Value::String(Cow::Borrowed("plain")))));
        assert!(matches!(json.get("b"), Some(Value::String(Cow::Owned(_)))));
        let owned: Value = json.clone().into();
        assert_eq!(owned, tree(text));
        let back: Json<'static> = owned.into();
        assert_eq!(back, json);
        let detached = json.into_owned();
        assert!(matches!(detached.get("a"), Some(Value::String(Cow::Owned(_)))));
        assert_eq!(detached, back);
    }

    #[test]
    fn map_text_reaches_keys_strings_and_numbers() {
        let value = tree(r#"{"k": ["s", 1, true, null]}"#);
        let upper = value.map_text(&mut |text: String| text.to_uppercase());
        assert_eq!(upper.to_json(), r#"{"K":["S",1,true,null]}"#);
    }
}
