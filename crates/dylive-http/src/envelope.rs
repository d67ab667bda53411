//! The failure an API reports inside a 2xx body, found by JSON Pointer
//! without decoding the whole body into values.

use std::borrow::Cow;
use std::fmt;

use dylive_runtime::lookup::Lookup;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::spec::EnvelopeCheck;

/// A failure the API reported inside a 2xx body.
///
/// ```
/// use dylive_http::{api_failure, ApiFailure, EnvelopeCheck};
///
/// let checks = [EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }];
/// let failure = api_failure(br#"{"code": -1, "msg": "bad token"}"#, &checks);
/// assert_eq!(failure, Some(ApiFailure::new("/code", "-1", "bad token")));
/// assert_eq!(api_failure(br#"{"code": 0}"#, &checks), None);
/// ```
///
/// It is `#[non_exhaustive]`, so that a later version may add a field:
/// outside this crate, build one with [`ApiFailure::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiFailure {
    /// The JSON Pointer of the status field that reported it (`/code`), as
    /// the failed [`EnvelopeCheck`] names it.
    pub field: &'static str,
    /// The status field's value, as text: a string without its quotes,
    /// any other value as its JSON (`-1`).
    pub code: String,
    /// The API's message: the first non-empty one of the check's message
    /// pointers, or empty when none is there.
    pub message: String,
}

impl ApiFailure {
    /// The failure reported by the status field at the JSON Pointer
    /// `field`, with the value `code` (as text) and `message` (empty when
    /// the API gave none).
    ///
    /// ```
    /// let failure = dylive_http::ApiFailure::new("/data/status_code", "10011", "too often");
    /// assert_eq!((failure.field, failure.code.as_str()), ("/data/status_code", "10011"));
    /// ```
    pub fn new(field: &'static str, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiFailure { field, code: code.into(), message: message.into() }
    }
}

/// Collects, in one pass over the body, the values at `pointers`: it
/// descends only into objects on the way to one of them and skips the rest.
struct Seek<'s, 'de> {
    path: String,
    pointers: &'s [&'static str],
    found: &'s mut Vec<(&'static str, &'de RawValue)>,
}

impl<'de> DeserializeSeed<'de> for Seek<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let mut child = self.path.clone();
            dylive_runtime::pointer::push_key(&mut child, &key);
            if let Some(pointer) = self.pointers.iter().find(|p| **p == child) {
                let value: &'de RawValue = map.next_value()?;
                self.found.push((pointer, value));
            } else if self
                .pointers
                .iter()
                .any(|p| p.strip_prefix(child.as_str()).is_some_and(|rest| rest.starts_with('/')))
            {
                map.next_value_seed(Seek { path: child, pointers: self.pointers, found: &mut *self.found })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A scalar as text: a string without its quotes, anything else as JSON.
fn text(value: &RawValue) -> Cow<'_, str> {
    match serde_json::from_str::<String>(value.get()) {
        Ok(string) => Cow::Owned(string),
        Err(_) => Cow::Borrowed(value.get()),
    }
}

/// The failure reported by the first of `checks` that `body` fails; `None`
/// when the body reports no failure. One pass over the body, which also
/// checks that it is JSON.
pub(crate) fn scan(body: &[u8], checks: &[EnvelopeCheck]) -> Result<Option<ApiFailure>, serde_json::Error> {
    let pointers: Vec<&'static str> =
        checks.iter().flat_map(|check| std::iter::once(check.status).chain(check.message.iter().copied())).collect();
    let mut found = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    Seek { path: String::new(), pointers: &pointers, found: &mut found }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    let at = |pointer: &str| {
        found.iter().find(|(p, _)| *p == pointer).map(|(_, v)| *v).filter(|v| v.get() != "null").map(text)
    };
    Ok(failure(checks, at))
}

/// The failure reported by the first of `checks` that fails, reading the
/// status and message fields through `at` (`None` for absent or `null`).
fn failure<'v>(checks: &[EnvelopeCheck], at: impl Fn(&str) -> Option<Cow<'v, str>>) -> Option<ApiFailure> {
    for check in checks {
        let Some(code) = at(check.status) else { continue };
        if check.success.contains(&code.as_ref()) {
            continue;
        }
        let message =
            check.message.iter().filter_map(|pointer| at(pointer)).find(|m| !m.is_empty()).unwrap_or_default();
        return Some(ApiFailure { field: check.status, code: code.into_owned(), message: message.into_owned() });
    }
    None
}

/// The failure reported by the first of `checks` that a decoded `value`
/// fails, read from the value itself: the same answer as [`api_failure`]
/// gives for the body it was decoded from, without parsing it again.
///
/// ```
/// use dylive_http::{api_failure_in, EnvelopeCheck};
///
/// let checks = [EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }];
/// let body: serde_json::Value = serde_json::from_str(r#"{"code": "-1", "msg": "bad token"}"#)?;
/// let failure = api_failure_in(&body, &checks).expect("a failure");
/// assert_eq!((failure.code.as_str(), failure.message.as_str()), ("-1", "bad token"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn api_failure_in<T: Lookup + ?Sized>(value: &T, checks: &[EnvelopeCheck]) -> Option<ApiFailure> {
    failure(checks, |pointer| value.lookup(pointer))
}

/// The failure reported by the first of `checks` that `body` fails; `None`
/// when the body reports no failure or is not JSON.
///
/// A check whose status field is absent or `null` passes; so does one whose
/// value, as text, is among its `success` values.
pub fn api_failure(body: &[u8], checks: &[EnvelopeCheck]) -> Option<ApiFailure> {
    scan(body, checks).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: EnvelopeCheck = EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] };
    const WEBCAST: EnvelopeCheck = EnvelopeCheck {
        status: "/data/status_code",
        success: &["0"],
        message: &["/data/data/message", "/data/data/prompts"],
    };

    fn failed(field: &'static str, code: &str, message: &str) -> Option<ApiFailure> {
        Some(ApiFailure { field, code: code.to_owned(), message: message.to_owned() })
    }

    #[test]
    fn code_as_number_or_string() {
        assert_eq!(api_failure(br#"{"code": 0, "msg": ""}"#, &[CODE]), None);
        assert_eq!(api_failure(br#"{"code": "0"}"#, &[CODE]), None);
        assert_eq!(
            api_failure(r#"{"msg":"失败","code":-1,"data":null}"#.as_bytes(), &[CODE]),
            failed("/code", "-1", "失败")
        );
        assert_eq!(api_failure(br#"{"code": "-1"}"#, &[CODE]), failed("/code", "-1", ""));
        assert_eq!(api_failure(br#"{"code": 1.5, "msg": 7}"#, &[CODE]), failed("/code", "1.5", "7"));
    }

    #[test]
    fn an_absent_or_null_status_passes() {
        assert_eq!(api_failure(br#"{"msg": "no code"}"#, &[CODE]), None);
        assert_eq!(api_failure(br#"{"code": null, "msg": "null code"}"#, &[CODE]), None);
        assert_eq!(api_failure(b"{}", &[]), None);
    }

    #[test]
    fn nested_status_and_the_first_message_found() {
        let body = br#"{"code": 200, "data": {"status_code": 10011, "data": {"prompts": "too often"}}}"#;
        assert_eq!(api_failure(body, &[WEBCAST]), failed("/data/status_code", "10011", "too often"));
        let both = br#"{"data": {"status_code": 5, "data": {"prompts": "second", "message": "first"}}}"#;
        assert_eq!(api_failure(both, &[WEBCAST]), failed("/data/status_code", "5", "first"));
        let empty_first = br#"{"data": {"status_code": 5, "data": {"message": "", "prompts": "second"}}}"#;
        assert_eq!(api_failure(empty_first, &[WEBCAST]).map(|f| f.message), Some("second".to_owned()));
        assert_eq!(api_failure(br#"{"data": {"status_code": 0}}"#, &[WEBCAST]), None);
        assert_eq!(api_failure(br#"{"data": []}"#, &[WEBCAST]), None);
        assert_eq!(
            api_failure(br#"{"data": {"status_code": 1, "data": [1]}, "x": [{"data": 2}]}"#, &[WEBCAST])
                .map(|f| f.code),
            Some("1".to_owned())
        );
    }

    #[test]
    fn the_first_failing_check_is_reported() {
        let body = br#"{"code": 3, "msg": "outer", "data": {"status_code": 4, "data": {"message": "inner"}}}"#;
        assert_eq!(api_failure(body, &[WEBCAST, CODE]), failed("/data/status_code", "4", "inner"));
        assert_eq!(api_failure(body, &[CODE, WEBCAST]), failed("/code", "3", "outer"));
        let inner_ok = br#"{"code": 3, "data": {"status_code": 0}}"#;
        assert_eq!(api_failure(inner_ok, &[WEBCAST, CODE]), failed("/code", "3", ""));
    }

    #[test]
    fn a_body_that_is_not_json_is_an_error_of_the_scan() {
        assert!(scan(b"{\"code\": 0,}", &[CODE]).is_err());
        assert!(scan(b"{\"code\": 0} x", &[CODE]).is_err());
        assert!(scan(b"[1, {\"code\": 1}]", &[CODE]).is_ok_and(|f| f.is_none()));
        assert_eq!(api_failure(b"{\"code\": 1", &[CODE]), None);
    }

    /// The typed path reads the same failure as the scan of the body, for
    /// every body of these tests, whether the status is a property of the
    /// model or a value it kept whole.
    #[test]
    fn the_decoded_value_reports_what_the_body_does() {
        let bodies: &[&[u8]] = &[
            br#"{"code": 0, "msg": ""}"#,
            br#"{"code": "0"}"#,
            r#"{"msg":"失败","code":-1,"data":null}"#.as_bytes(),
            br#"{"code": "-1"}"#,
            br#"{"code": 1.50, "msg": 7}"#,
            br#"{"code": 18446744073709551616, "msg": ["x"]}"#,
            br#"{"msg": "no code"}"#,
            br#"{"code": null, "msg": "null code"}"#,
            br#"{"code": 200, "data": {"status_code": 10011, "data": {"prompts": "too often"}}}"#,
            br#"{"data": {"status_code": 5, "data": {"prompts": "second", "message": "first"}}}"#,
            br#"{"data": {"status_code": 5, "data": {"message": "", "prompts": "second"}}}"#,
            br#"{"data": {"status_code": 0}}"#,
            br#"{"data": []}"#,
            br#"{"data": {"status_code": "a\"b", "data": {"message": "\u0041"}}}"#,
        ];
        for body in bodies {
            for checks in [&[CODE][..], &[WEBCAST][..], &[CODE, WEBCAST][..]] {
                let scanned = api_failure(body, checks);
                let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
                let raw: dylive_runtime::RawJson = dylive_runtime::from_slice(body).expect("JSON");
                let shown = String::from_utf8_lossy(body);
                // serde_json::Value keeps no number's text (1.50 becomes 1.5).
                if !shown.contains("1.50") && !shown.contains("18446744073709551616") {
                    assert_eq!(api_failure_in(&value, checks), scanned, "{shown}");
                }
                assert_eq!(api_failure_in(&raw, checks), scanned, "{shown}");
            }
        }
    }
}
