//! The strict comparator that proves a round-trip lossless.

use std::collections::BTreeMap;
use std::fmt;

use crate::{parse, ParseError, Value};

/// One place where two JSON values differ.
///
/// It displays as `/a/b: expected 2, found 2.0`, with `(top level)` for the
/// empty pointer and `(absent)` for a missing side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The JSON Pointer of the place.
    pub pointer: String,
    /// The expected value there as compact JSON, `None` when absent.
    pub expected: Option<String>,
    /// The value found there as compact JSON, `None` when absent.
    pub found: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "(absent)".to_owned());
        let pointer = if self.pointer.is_empty() { "(top level)" } else { &self.pointer };
        write!(f, "{pointer}: expected {}, found {}", show(&self.expected), show(&self.found))
    }
}

/// Compares two JSON texts strictly (see the [crate] docs) and lists every
/// place where they differ, objects' members in the order of their keys;
/// an empty list means they are equal. Fails when either text is not one
/// JSON value.
///
/// ```
/// let differences = dylive_json::diff(r#"{"a": null, "b": [1]}"#, r#"{"b": [1, 2], "c": {}}"#)?;
/// let shown: Vec<String> = differences.iter().map(ToString::to_string).collect();
/// assert_eq!(shown, ["/a: expected null, found (absent)", "/b/1: expected (absent), found 2", "/c: expected (absent), found {}"]);
/// # Ok::<(), dylive_json::ParseError>(())
/// ```
pub fn diff(expected: &str, found: &str) -> Result<Vec<Difference>, ParseError> {
    let expected = parse(expected)?;
    let found = parse(found)?;
    Ok(expected.diff(&found))
}

/// Compares two trees like [`diff`], appending what differs below `pointer`
/// to `out`. The trees may hold their text differently (a parsed
/// [`crate::Json`] and a built [`Value`]).
pub fn diff_values<A: AsRef<str>, B: AsRef<str>>(
    expected: &Value<A>,
    found: &Value<B>,
    pointer: &mut String,
    out: &mut Vec<Difference>,
) {
    let differ = |pointer: &String, expected: Option<&Value<A>>, found: Option<&Value<B>>| Difference {
        pointer: pointer.clone(),
        expected: expected.map(Value::to_json),
        found: found.map(Value::to_json),
    };
    match (expected, found) {
        (Value::Array(left), Value::Array(right)) => {
            for index in 0..left.len().max(right.len()) {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                match (left.get(index), right.get(index)) {
                    (Some(a), Some(b)) => diff_values(a, b, pointer, out),
                    (a, b) => out.push(differ(pointer, a, b)),
                }
                pointer.truncate(len);
            }
        }
        (Value::Object(left), Value::Object(right)) => {
            let left: BTreeMap<&str, &Value<A>> = left.iter().map(|(key, value)| (key.as_ref(), value)).collect();
            let right: BTreeMap<&str, &Value<B>> = right.iter().map(|(key, value)| (key.as_ref(), value)).collect();
            let mut keys: Vec<&str> = left.keys().chain(right.keys()).copied().collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let len = pointer.len();
                dylive_runtime::pointer::push_key(pointer, key);
                match (left.get(key), right.get(key)) {
                    (Some(a), Some(b)) => diff_values(a, b, pointer, out),
                    (a, b) => out.push(differ(pointer, a.copied(), b.copied())),
                }
                pointer.truncate(len);
            }
        }
        (Value::Null, Value::Null) => {}
        (Value::Bool(a), Value::Bool(b)) if a == b => {}
        (Value::Number(a), Value::Number(b)) | (Value::String(a), Value::String(b)) if a.as_ref() == b.as_ref() => {}
        (a, b) => out.push(differ(pointer, Some(a), Some(b))),
    }
}

impl<S: AsRef<str>> Value<S> {
    /// The places where `found` differs from this value, like [`diff`].
    ///
    /// ```
    /// use dylive_json::{parse, Value};
    ///
    /// let expected = Value::object([("id", Value::Number("7".to_owned()))]);
    /// let found = parse(r#"{"id": 7.0}"#)?;
    /// assert_eq!(expected.diff(&found)[0].to_string(), "/id: expected 7, found 7.0");
    /// # Ok::<(), dylive_json::ParseError>(())
    /// ```
    pub fn diff<T: AsRef<str>>(&self, found: &Value<T>) -> Vec<Difference> {
        let mut out = Vec::new();
        diff_values(self, found, &mut String::new(), &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn differs(a: &str, b: &str) -> Vec<String> {
        diff(a, b).expect("valid JSON").iter().map(ToString::to_string).collect()
    }

    #[test]
    fn key_order_is_free_and_array_order_is_not() {
        assert!(differs(r#"{"a":1,"b":2}"#, r#"{"b":2,"a":1}"#).is_empty());
        assert_eq!(differs("[1,2]", "[2,1]"), ["/0: expected 1, found 2", "/1: expected 2, found 1"]);
        assert_eq!(differs("[1]", "[1,[]]"), ["/1: expected (absent), found []"]);
    }

    #[test]
    fn numbers_compare_by_text() {
        assert_eq!(differs("2", "2.0"), ["(top level): expected 2, found 2.0"]);
        assert_eq!(differs("[6919375969501465352]", "[6919375969501465000]").len(), 1);
        assert_eq!(differs("1e2", "100").len(), 1);
        assert_eq!(differs("1E2", "1e2").len(), 1);
        assert!(differs("-0", "-0").is_empty());
        assert!(differs("1e999999", "1e999999").is_empty());
        assert_eq!(differs("\"1\"", "1"), ["(top level): expected \"1\", found 1"]);
    }

    #[test]
    fn absent_null_and_empty_are_told_apart() {
        assert_eq!(differs(r#"{"a":null}"#, "{}"), ["/a: expected null, found (absent)"]);
        assert_eq!(differs(r#"{"a":[]}"#, r#"{"a":null}"#), ["/a: expected [], found null"]);
        assert_eq!(differs(r#"{"a":{}}"#, r#"{"a":[]}"#), ["/a: expected {}, found []"]);
        assert_eq!(differs("{}", r#"{"b":1}"#), ["/b: expected (absent), found 1"]);
        assert_eq!(differs("false", "null"), ["(top level): expected false, found null"]);
        assert!(differs("[true, null]", "[true,null]").is_empty());
    }

    #[test]
    fn strings_compare_by_characters() {
        assert!(differs(r#""a\/b""#, r#""a/b""#).is_empty());
        assert!(differs(r#""\u91d1""#, r#""金""#).is_empty());
        assert!(differs(r#""\ud83d\ude00""#, r#""😀""#).is_empty());
        assert_eq!(differs(r#""a""#, r#""b""#), [r#"(top level): expected "a", found "b""#]);
        assert_eq!(differs(r#"{"\n":"x"}"#, r#"{"\n":"y"}"#), ["/\n: expected \"x\", found \"y\""]);
    }

    #[test]
    fn pointers_escape_keys() {
        assert_eq!(differs(r#"{"a/b":{"c~d":1}}"#, r#"{"a/b":{"c~d":2}}"#), ["/a~1b/c~0d: expected 1, found 2"]);
    }

    #[test]
    fn members_are_listed_in_key_order() {
        assert_eq!(
            differs(r#"{"b":1,"a":1,"c":1}"#, r#"{"c":2,"b":2,"a":2}"#),
            ["/a: expected 1, found 2", "/b: expected 1, found 2", "/c: expected 1, found 2"]
        );
    }

    #[test]
    fn bad_input_on_either_side_is_an_error() {
        assert!(diff("{", "{}").is_err());
        assert!(diff("{}", r#"{"a":1,"a":2}"#).is_err());
        assert_eq!(
            diff("[]", "[1,]").map_err(|e| e.message),
            Err("a comma before the end of an array or object".to_owned())
        );
    }

    #[test]
    fn trees_of_both_kinds_compare() {
        let built = Value::object([("a", Value::Array(vec![Value::str("x")]))]);
        let parsed = parse(r#"{"a":["x"]}"#).expect("valid JSON");
        assert!(built.diff(&parsed).is_empty());
        assert!(parsed.diff(&built).is_empty());
        let mut out = Vec::new();
        diff_values(&built, &parse(r#"{"a":["y"]}"#).expect("valid JSON"), &mut "/top".to_owned(), &mut out);
        assert_eq!(out[0].to_string(), r#"/top/a/0: expected "x", found "y""#);
    }
}
