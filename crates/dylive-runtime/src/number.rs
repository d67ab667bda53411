use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
    Text(Box<str>),
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
            IntRepr::Text(text) => text.parse().unwrap_or(f64::NAN),
        }
    }

    /// True when the value fits in `u64` or `i64`; false for larger integers
    /// and for tokens with a fraction or an exponent.
    pub fn is_machine_integer(&self) -> bool {
        !matches!(self.0, IntRepr::Text(_))
    }

    /// The value of a number token the tokenizer checked.
    #[inline]
    pub(crate) fn from_token(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Up to 19 digits always fit `u64`: the common case, read at once.
        if bytes.len() <= 19 && bytes.iter().all(u8::is_ascii_digit) {
            let value = bytes.iter().fold(0u64, |value, &digit| value * 10 + u64::from(digit - b'0'));
            return Int(IntRepr::Unsigned(value));
        }
        let integral = !text.contains(['.', 'e', 'E']);
        let repr = if !integral {
            IntRepr::Text(text.into())
        } else if let Ok(value) = text.parse::<u64>() {
            IntRepr::Unsigned(value)
        } else if let (Ok(value), false) = (text.parse::<i64>(), text == "-0") {
            IntRepr::Negative(value)
        } else {
            IntRepr::Text(text.into())
        };
        Int(repr)
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
            IntRepr::Text(text) => f.write_str(text),
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
            (IntRepr::Text(a), IntRepr::Text(b)) => a == b,
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

/// A machine integer is written as one in every format. Any other number
/// is written as its token in JSON (and every human-readable format) and as
/// its token text, a string, in binary formats such as CBOR or MessagePack.
impl Serialize for Int {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            IntRepr::Unsigned(value) => serializer.serialize_u64(*value),
            IntRepr::Negative(value) => serializer.serialize_i64(*value),
            IntRepr::Text(text) => crate::serde_path::serialize_text(text, serializer),
        }
    }
}

/// The counterpart of the `Serialize` impl: in binary formats a string must
/// be the text of one JSON number, which is checked.
impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return deserializer.deserialize_any(BinaryIntVisitor);
        }
        crate::serde_path::deserialize(deserializer)
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
    Text(f64, Box<str>),
}

impl Float {
    /// The value as the nearest `f64`.
    pub fn as_f64(&self) -> f64 {
        match self.0 {
            FloatRepr::Canonical(value) | FloatRepr::Text(value, _) => value,
        }
    }

    /// The value of a number token the tokenizer checked.
    pub(crate) fn from_token(text: &str) -> Self {
        let value: f64 = text.parse().unwrap_or(f64::NAN);
        let canonical = value.is_finite() && ryu::Buffer::new().format_finite(value) == text;
        Float(if canonical { FloatRepr::Canonical(value) } else { FloatRepr::Text(value, text.into()) })
    }
}

/// The text `serde_json` prints for `value`; `None` when it is not finite.
fn canonical_text(value: f64) -> Option<String> {
    value.is_finite().then(|| ryu::Buffer::new().format_finite(value).to_owned())
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
            FloatRepr::Text(_, text) => f.write_str(text),
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

/// A number whose text is what its `f64` prints is written as that `f64` in
/// every format. Any other is written as its token in JSON (and every
/// human-readable format) and as its token text, a string, in binary formats
/// such as CBOR or MessagePack.
impl Serialize for Float {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            FloatRepr::Canonical(value) => serializer.serialize_f64(*value),
            FloatRepr::Text(_, text) => crate::serde_path::serialize_text(text, serializer),
        }
    }
}

/// The counterpart of the `Serialize` impl: in binary formats a string must
/// be the text of one JSON number, which is checked.
impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return deserializer.deserialize_any(BinaryFloatVisitor);
        }
        crate::serde_path::deserialize(deserializer)
    }
}

/// The text of one JSON number token, exactly (no whitespace around it).
fn number_token(text: &str) -> Option<&str> {
    let number = text.as_bytes().first().is_some_and(|&b| b == b'-' || b.is_ascii_digit());
    (number && crate::decode::decode_text::<Int>(text, false).is_ok() && !text.ends_with(char::is_whitespace))
        .then_some(text)
}

/// An integer that does not fit 64 bits, from a binary format's 128-bit
/// integer: kept as its text.
fn wide_token(value: impl fmt::Display) -> Box<str> {
    value.to_string().into_boxed_str()
}

/// Decodes an [`Int`] from a binary format: a machine integer, or the token
/// text of any other number as a string.
struct BinaryIntVisitor;

impl Visitor<'_> for BinaryIntVisitor {
    type Value = Int;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or the text of a JSON number")
    }

    fn visit_u64<E>(self, value: u64) -> Result<Int, E> {
        Ok(Int::from(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Int, E> {
        Ok(Int::from(value))
    }

    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Int, E> {
        match u64::try_from(value) {
            Ok(value) => Ok(Int::from(value)),
            Err(_) => Ok(Int(IntRepr::Text(wide_token(value)))),
        }
    }

    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Int, E> {
        match (u64::try_from(value), i64::try_from(value)) {
            (Ok(value), _) => Ok(Int::from(value)),
            (_, Ok(value)) => Ok(Int::from(value)),
            _ => Ok(Int(IntRepr::Text(wide_token(value)))),
        }
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Int, E> {
        number_token(text).map(Int::from_token).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

/// Decodes a [`Float`] from a binary format: a machine float, or the token
/// text of any other number as a string.
struct BinaryFloatVisitor;

impl Visitor<'_> for BinaryFloatVisitor {
    type Value = Float;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or the text of a JSON number")
    }

    fn visit_f64<E>(self, value: f64) -> Result<Float, E> {
        Ok(Float::from(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Float, E> {
        self.visit_str(&value.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Float, E> {
        self.visit_str(&value.to_string())
    }

    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Float, E> {
        self.visit_str(&value.to_string())
    }

    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Float, E> {
        self.visit_str(&value.to_string())
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Float, E> {
        number_token(text).map(Float::from_token).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

impl crate::write::WriteJson for Int {
    fn write_json(&self, out: &mut String) {
        match &self.0 {
            IntRepr::Unsigned(value) => out.push_str(itoa::Buffer::new().format(*value)),
            IntRepr::Negative(value) => out.push_str(itoa::Buffer::new().format(*value)),
            IntRepr::Text(text) => out.push_str(text),
        }
    }
}

impl crate::write::WriteJson for Float {
    fn write_json(&self, out: &mut String) {
        match &self.0 {
            FloatRepr::Canonical(value) if value.is_finite() => out.push_str(ryu::Buffer::new().format_finite(*value)),
            FloatRepr::Canonical(_) => out.push_str("null"),
            FloatRepr::Text(_, text) => out.push_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binary_tests::*;

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
    fn one_pass_keeps_machine_integers_and_number_text_side_by_side() {
        let text = "[0, -1, 18446744073709551615, -9223372036854775808, 18446744073709551616, 1.50, -0, 1e2]";
        let ints: Vec<Int> = crate::from_str(text).expect("numbers");
        let machine: Vec<bool> = ints.iter().map(Int::is_machine_integer).collect();
        assert_eq!(machine, [true, true, true, true, false, false, false, false]);
        assert_eq!(serde_json::to_string(&ints).expect("encodes"), text.replace(", ", ","));
        let floats: Vec<Float> = crate::from_str("[3, 0.50, 0.5]").expect("numbers");
        assert_eq!(serde_json::to_string(&floats).expect("encodes"), "[3,0.50,0.5]");
    }

    #[test]
    fn the_entry_points_keep_every_spelling() {
        let text = "[1, 18446744073709551616, 1.50, -0]";
        let ints: Vec<Int> = crate::from_str(text).expect("numbers");
        assert_eq!(serde_json::to_string(&ints).expect("encodes"), "[1,18446744073709551616,1.50,-0]");
    }

    #[test]
    fn integers_in_binary_formats_are_machine_integers_or_their_text() {
        use ciborium::Value;

        let texts = [
            "0",
            "-1",
            "6919375969501465352",
            "18446744073709551615",
            "-9223372036854775808",
            "18446744073709551616",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "-0",
            "1.0",
            "2e3",
        ];
        for text in texts {
            let value = int(text);
            let item = cbor_item(&value);
            if value.is_machine_integer() {
                assert!(matches!(item, Value::Integer(_)), "{text}: {item:?}");
            } else {
                assert_eq!(item, Value::Text(text.to_owned()), "{text}");
            }
            let back: Int = from_cbor(&to_cbor(&value)).expect("decodes from CBOR");
            assert_eq!(back, value, "CBOR: {text}");
            assert_eq!(serde_json::to_string(&back).expect("encodes"), text);

            let packed = rmp_serde::to_vec(&value).expect("encodes as MessagePack");
            let back: Int = from_msgpack(&packed).expect("decodes from MessagePack");
            assert_eq!(back, value, "MessagePack: {text}");
            assert_eq!(serde_json::to_string(&back).expect("encodes"), text);
        }
    }

    #[test]
    fn integers_from_binary_formats_are_checked() {
        for bad in ["", " 1", "1 ", "01", "1.", "+1", "0x10", "NaN", "\"1\"", "[1]", "1 2", "null"] {
            let error = from_cbor::<Int>(&to_cbor(&bad)).expect_err(bad);
            assert!(error.contains("the text of a JSON number"), "{bad}: {error}");
            assert!(from_msgpack::<Int>(&rmp_serde::to_vec(&bad).expect("encodes")).is_err(), "{bad}");
        }
        assert!(from_cbor::<Int>(&to_cbor(&1.5f64)).is_err(), "a machine float is no integer");
        assert!(from_cbor::<Int>(&to_cbor(&true)).is_err());
        assert!(from_cbor::<Int>(&to_cbor(&())).is_err());
        assert!(from_cbor::<Int>(&to_cbor(&[1u8])).is_err());
        // A number written as text by another producer reads as the same number.
        assert_eq!(from_cbor::<Int>(&to_cbor(&"7")).expect("a number's text"), Int::from(7u64));
    }

    #[test]
    fn integers_beyond_64_bits_from_cbor_bignums_keep_their_value() {
        for wide in [u128::from(u64::MAX) + 1, u128::MAX] {
            let value: Int = from_cbor(&to_cbor(&wide)).expect("a bignum");
            assert_eq!(value.to_string(), wide.to_string());
            assert!(!value.is_machine_integer());
        }
        let value: Int = from_cbor(&to_cbor(&i128::MIN)).expect("a negative bignum");
        assert_eq!(value.to_string(), i128::MIN.to_string());
        let value: Int = from_cbor(&to_cbor(&(-5i128))).expect("a small integer");
        assert_eq!(value.as_i64(), Some(-5));
    }

    #[test]
    fn floats_in_binary_formats_are_machine_floats_or_their_text() {
        use ciborium::Value;

        for text in ["0.5", "-0.0", "12.0", "0.50", "3", "1e3", "-0", "1.7976931348623157e309", "1.50"] {
            let value: Float = serde_json::from_str(text).expect("a number token");
            let item = cbor_item(&value);
            if serde_json::to_string(&Float::from(value.as_f64())).expect("encodes") == text {
                assert!(matches!(item, Value::Float(_)), "{text}: {item:?}");
            } else {
                assert_eq!(item, Value::Text(text.to_owned()), "{text}");
            }
            let back: Float = from_cbor(&to_cbor(&value)).expect("decodes from CBOR");
            assert_eq!(back, value, "CBOR: {text}");
            assert_eq!(serde_json::to_string(&back).expect("encodes"), text);

            let packed = rmp_serde::to_vec(&value).expect("encodes as MessagePack");
            let back: Float = from_msgpack(&packed).expect("decodes from MessagePack");
            assert_eq!(back, value, "MessagePack: {text}");
            assert_eq!(serde_json::to_string(&back).expect("encodes"), text);
        }
        let nan: Float = from_cbor(&to_cbor(&Float::from(f64::NAN))).expect("decodes");
        assert_eq!(serde_json::to_string(&nan).expect("encodes"), "null");
    }

    #[test]
    fn floats_from_binary_formats_are_checked() {
        for bad in ["", "1.5 ", ".5", "1e", "Infinity", "\"1.5\"", "{}"] {
            let error = from_cbor::<Float>(&to_cbor(&bad)).expect_err(bad);
            assert!(error.contains("the text of a JSON number"), "{bad}: {error}");
            assert!(from_msgpack::<Float>(&rmp_serde::to_vec(&bad).expect("encodes")).is_err(), "{bad}");
        }
        assert!(from_cbor::<Float>(&to_cbor(&false)).is_err());
        let three: Float = from_cbor(&to_cbor(&3u8)).expect("an integer is a number");
        assert_eq!(serde_json::to_string(&three).expect("encodes"), "3");
    }

    #[test]
    fn numbers_from_a_value_tree_keep_their_text() {
        let value = serde_json::json!({"id": 18446744073709551615u64});
        let id: Int = serde_json::from_value(value["id"].clone()).expect("decodes");
        assert_eq!(id.as_u64(), Some(u64::MAX));
    }
}
