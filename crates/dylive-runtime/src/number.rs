use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{Error as _, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::raw::JsonKind;

thread_local! {
    /// How [`Int`] and [`Float`] decode on this thread: see [`machine_numbers`].
    static MODE: Cell<Mode> = const { Cell::new(Mode::Text) };
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every number is captured as its token text; exact, one allocation each.
    Text,
    /// Numbers arrive as serde_json's `u64`, `i64` or `f64`: no allocation,
    /// and exact for every integer token that fits 64 bits.
    Machine,
    /// As `Machine`, after a number arrived as `f64`, whose text is lost.
    MachineInexact,
}

/// Runs `decode` with integers taken as machine integers, and tells whether
/// that was exact. ([`Float`] keeps its text in every mode.)
///
/// serde_json hands over an integer token that fits 64 bits as `u64` or
/// `i64`, which prints back as the same text; everything else (a fraction,
/// an exponent, an integer beyond 64 bits, `-0`) arrives as `f64`, whose text
/// is lost. Such a number marks the pass inexact, and the caller decodes
/// again in the default mode, which captures each number's text.
pub(crate) fn machine_numbers<T>(decode: impl FnOnce() -> T) -> (T, bool) {
    struct Restore(Mode);
    impl Drop for Restore {
        fn drop(&mut self) {
            MODE.set(self.0);
        }
    }
    let restore = Restore(MODE.replace(Mode::Machine));
    let value = decode();
    let exact = MODE.get() == Mode::Machine;
    drop(restore);
    (value, exact)
}

pub(crate) fn machine_mode() -> bool {
    MODE.get() != Mode::Text
}

/// A number arrived as `f64` in machine mode: the pass is inexact.
pub(crate) fn mark_inexact() {
    MODE.set(Mode::MachineInexact);
}

/// Decodes a number token in machine mode; `expected` names it for errors.
struct MachineVisitor(&'static str);

impl Visitor<'_> for MachineVisitor {
    type Value = Option<Int>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_u64<E>(self, value: u64) -> Result<Option<Int>, E> {
        Ok(Some(Int::from(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Option<Int>, E> {
        Ok(Some(Int::from(value)))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Option<Int>, E> {
        mark_inexact();
        Ok(None)
    }
}

/// A JSON number where the schema expects an integer, kept by its exact text.
///
/// Integers that fit in `u64` or `i64` are stored as machine integers; any
/// other number token (an id beyond 2^64, `-0`, or a float that arrived where
/// an integer usually is) is kept as its text, so that nothing is rounded and
/// the value encodes exactly as it was received.
///
/// ```
/// use dylive_runtime::Int;
///
/// let id: Int = serde_json::from_str("6919375969501465352")?;
/// assert_eq!(id.as_u64(), Some(6919375969501465352));
/// let huge: Int = serde_json::from_str("18446744073709551616")?;
/// assert_eq!(huge.as_u64(), None);
/// assert_eq!(serde_json::to_string(&huge)?, "18446744073709551616");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct Int(IntRepr);

#[derive(Clone)]
enum IntRepr {
    /// Zero and positive integers up to `u64::MAX`.
    Unsigned(u64),
    /// Negative integers down to `i64::MIN`.
    Negative(i64),
    /// Any other number token, verbatim.
    Text(Box<RawValue>),
}

impl Int {
    /// The value as `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            IntRepr::Unsigned(value) => i64::try_from(value).ok(),
            IntRepr::Negative(value) => Some(value),
            IntRepr::Text(_) => None,
        }
    }

    /// The value as `u64`, if it is an integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            IntRepr::Unsigned(value) => Some(value),
            IntRepr::Negative(_) | IntRepr::Text(_) => None,
        }
    }

    /// The value as the nearest `f64`.
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            IntRepr::Unsigned(value) => *value as f64,
            IntRepr::Negative(value) => *value as f64,
            // A number token always parses as f64 (possibly to infinity).
            IntRepr::Text(raw) => raw.get().parse().unwrap_or(f64::NAN),
        }
    }

    /// True when the value fits in `u64` or `i64`; false for larger integers
    /// and for tokens with a fraction or an exponent.
    pub fn is_machine_integer(&self) -> bool {
        !matches!(self.0, IntRepr::Text(_))
    }

    fn from_raw(raw: Box<RawValue>) -> Result<Self, JsonKind> {
        let text = raw.get();
        match JsonKind::of(text) {
            JsonKind::Number => {}
            other => return Err(other),
        }
        let integral = !text.contains(['.', 'e', 'E']);
        let repr = if !integral {
            IntRepr::Text(raw)
        } else if let Ok(value) = text.parse::<u64>() {
            IntRepr::Unsigned(value)
        } else if let (Ok(value), false) = (text.parse::<i64>(), text == "-0") {
            IntRepr::Negative(value)
        } else {
            IntRepr::Text(raw)
        };
        Ok(Int(repr))
    }
}

impl Default for Int {
    fn default() -> Self {
        Int(IntRepr::Unsigned(0))
    }
}

impl From<u64> for Int {
    fn from(value: u64) -> Self {
        Int(IntRepr::Unsigned(value))
    }
}

impl From<i64> for Int {
    fn from(value: i64) -> Self {
        match u64::try_from(value) {
            Ok(unsigned) => Int(IntRepr::Unsigned(unsigned)),
            Err(_) => Int(IntRepr::Negative(value)),
        }
    }
}

impl From<u32> for Int {
    fn from(value: u32) -> Self {
        Int::from(u64::from(value))
    }
}

impl From<i32> for Int {
    fn from(value: i32) -> Self {
        Int::from(i64::from(value))
    }
}

/// Prints the number exactly as JSON has it.
impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            IntRepr::Unsigned(value) => fmt::Display::fmt(value, f),
            IntRepr::Negative(value) => fmt::Display::fmt(value, f),
            IntRepr::Text(raw) => f.write_str(raw.get()),
        }
    }
}

impl fmt::Debug for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Two numbers are equal when their JSON text is equal.
impl PartialEq for Int {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (IntRepr::Unsigned(a), IntRepr::Unsigned(b)) => a == b,
            (IntRepr::Negative(a), IntRepr::Negative(b)) => a == b,
            (IntRepr::Text(a), IntRepr::Text(b)) => a.get() == b.get(),
            _ => false,
        }
    }
}

impl Eq for Int {}

impl Hash for Int {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_string().hash(state);
    }
}

impl PartialEq<u64> for Int {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}

impl PartialEq<i64> for Int {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            IntRepr::Unsigned(value) => serializer.serialize_u64(*value),
            IntRepr::Negative(value) => serializer.serialize_i64(*value),
            IntRepr::Text(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if machine_mode() {
            // In an inexact pass the value is thrown away; any will do.
            let int = deserializer.deserialize_any(MachineVisitor("an integer"))?;
            return Ok(int.unwrap_or_default());
        }
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Int::from_raw(raw).map_err(|kind| D::Error::invalid_type(kind.unexpected(), &"an integer"))
    }
}

/// A JSON number where the schema expects a float, kept by its exact text.
///
/// A number whose text is what `serde_json` prints for its `f64` (`0.5`, `12.0`) is stored as
/// `f64`; any other token (`1.50`, `1e3`, `3`) keeps its text as well, so
/// the value encodes exactly as it was received.
///
/// ```
/// use dylive_runtime::Float;
///
/// let ratio: Float = serde_json::from_str("0.50")?;
/// assert_eq!(ratio.as_f64(), 0.5);
/// assert_eq!(serde_json::to_string(&ratio)?, "0.50");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct Float(FloatRepr);

#[derive(Clone)]
enum FloatRepr {
    Canonical(f64),
    Text(f64, Box<RawValue>),
}

impl Float {
    /// The value as the nearest `f64`.
    pub fn as_f64(&self) -> f64 {
        match self.0 {
            FloatRepr::Canonical(value) | FloatRepr::Text(value, _) => value,
        }
    }

    fn from_raw(raw: Box<RawValue>) -> Result<Self, JsonKind> {
        let text = raw.get();
        match JsonKind::of(text) {
            JsonKind::Number => {}
            other => return Err(other),
        }
        let value: f64 = text.parse().unwrap_or(f64::NAN);
        let canonical = canonical_text(value).is_some_and(|printed| printed == text);
        Ok(Float(if canonical { FloatRepr::Canonical(value) } else { FloatRepr::Text(value, raw) }))
    }
}

/// The text `serde_json` prints for `value`; `None` when it is not finite.
fn canonical_text(value: f64) -> Option<String> {
    serde_json::Number::from_f64(value).map(|number| number.to_string())
}

impl Default for Float {
    fn default() -> Self {
        Float(FloatRepr::Canonical(0.0))
    }
}

impl From<f64> for Float {
    /// Non-finite values have no JSON form; they encode as `null`, as
    /// `serde_json` does.
    fn from(value: f64) -> Self {
        Float(FloatRepr::Canonical(value))
    }
}

/// Prints the number exactly as JSON has it.
impl fmt::Display for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            FloatRepr::Canonical(value) => f.write_str(canonical_text(*value).as_deref().unwrap_or("null")),
            FloatRepr::Text(_, raw) => f.write_str(raw.get()),
        }
    }
}

impl fmt::Debug for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Two numbers are equal when their JSON text is equal.
impl PartialEq for Float {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Serialize for Float {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            FloatRepr::Canonical(value) => serializer.serialize_f64(*value),
            FloatRepr::Text(_, raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Floats are few: each keeps its text in every mode, so that a body
        // with floats needs no second pass.
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Float::from_raw(raw).map_err(|kind| D::Error::invalid_type(kind.unexpected(), &"a number"))
    }
}

impl JsonKind {
    pub(crate) fn unexpected(self) -> Unexpected<'static> {
        match self {
            JsonKind::Null => Unexpected::Unit,
            JsonKind::Bool => Unexpected::Other("a boolean"),
            JsonKind::Number => Unexpected::Other("a number"),
            JsonKind::String => Unexpected::Other("a string"),
            JsonKind::Array => Unexpected::Seq,
            JsonKind::Object => Unexpected::Map,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str) -> Int {
        serde_json::from_str(text).expect("a number token")
    }

    #[test]
    fn integers_keep_their_text() {
        for text in [
            "0",
            "-1",
            "6919375969501465352",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "-0",
            "1.0",
            "2e3",
        ] {
            let value = int(text);
            assert_eq!(value.to_string(), text);
            assert_eq!(serde_json::to_string(&value).expect("encodes"), text);
        }
    }

    #[test]
    fn integers_in_range_are_machine_integers() {
        assert_eq!(int("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(int("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(int("18446744073709551616").as_u64(), None);
        assert!(!int("-0").is_machine_integer());
        assert!(!int("1.5").is_machine_integer());
        assert_eq!(int("1.5").as_f64(), 1.5);
        assert_eq!(Int::from(-3i64), int("-3"));
    }

    #[test]
    fn integers_reject_other_kinds() {
        let error = serde_json::from_str::<Int>(r#""0""#).expect_err("a string is no integer");
        assert!(error.to_string().contains("expected an integer"), "{error}");
        assert!(serde_json::from_str::<Int>("null").is_err());
        assert!(serde_json::from_str::<Int>("[1]").is_err());
    }

    #[test]
    fn floats_keep_their_text() {
        for text in ["0.5", "0.50", "3", "1e3", "-0.0", "12.0", "1.7976931348623157e309"] {
            let value: Float = serde_json::from_str(text).expect("a number token");
            assert_eq!(serde_json::to_string(&value).expect("encodes"), text);
        }
        let half: Float = serde_json::from_str("0.5").expect("a number token");
        assert_eq!(half, Float::from(0.5));
    }

    #[test]
    fn machine_mode_is_exact_for_64_bit_integers_and_says_when_it_is_not() {
        let decode = |text: &str| machine_numbers(|| serde_json::from_str::<Vec<Int>>(text).expect("numbers"));
        let (ints, exact) = decode("[0, -1, 18446744073709551615, -9223372036854775808]");
        assert!(exact);
        assert_eq!(serde_json::to_string(&ints).expect("encodes"), "[0,-1,18446744073709551615,-9223372036854775808]");
        for inexact in ["[1.5]", "[18446744073709551616]", "[-0]", "[1e2]"] {
            assert!(!decode(inexact).1, "{inexact}");
        }
        let (floats, exact) = machine_numbers(|| serde_json::from_str::<Vec<Float>>("[3, 0.50]").expect("numbers"));
        assert!(exact, "floats keep their text in machine mode too");
        assert_eq!(serde_json::to_string(&floats).expect("encodes"), "[3,0.50]");
        assert!(!machine_mode(), "the mode is restored");
    }

    #[test]
    fn the_entry_points_decode_again_when_machine_mode_was_inexact() {
        let text = "[1, 18446744073709551616, 1.50, -0]";
        let ints: Vec<Int> = crate::from_str(text).expect("numbers");
        assert_eq!(serde_json::to_string(&ints).expect("encodes"), "[1,18446744073709551616,1.50,-0]");
    }

    #[test]
    fn numbers_from_a_value_tree_keep_their_text() {
        let value = serde_json::json!({"id": 18446744073709551615u64});
        let id: Int = serde_json::from_value(value["id"].clone()).expect("decodes");
        assert_eq!(id.as_u64(), Some(u64::MAX));
    }
}
