//! The failure an API reports inside a 2xx body, found by JSON Pointer
//! without decoding the whole body into values.

use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::transport::EnvelopeCheck;

/// The value at `pointer` in `body`, as raw JSON; `None` when any step is
/// missing or not an object.
fn lookup<'a>(body: &'a [u8], pointer: &str) -> Option<&'a RawValue> {
    let mut current: &'a RawValue = serde_json::from_slice(body).ok()?;
    for step in pointer.split('/').skip(1) {
        let step = step.replace("~1", "/").replace("~0", "~");
        let object: HashMap<String, &'a RawValue> = serde_json::from_str(current.get()).ok()?;
        current = object.get(&step).copied()?;
    }
    Some(current)
}

/// A scalar as text: a string without its quotes, anything else as JSON.
fn text(value: &RawValue) -> String {
    match serde_json::from_str::<String>(value.get()) {
        Ok(string) => string,
        Err(_) => value.get().to_owned(),
    }
}

/// The first of `checks` that `body` fails: the status field's pointer, its
/// value and the API's message; `None` when the body reports no failure.
pub fn failure(body: &[u8], checks: &[EnvelopeCheck]) -> Option<(&'static str, String, String)> {
    for check in checks {
        let Some(value) = lookup(body, check.status) else { continue };
        if value.get() == "null" {
            continue;
        }
        let status = text(value);
        if check.success.contains(&status.as_str()) {
            continue;
        }
        let message = check
            .message
            .iter()
            .filter_map(|pointer| lookup(body, pointer))
            .filter(|value| value.get() != "null")
            .map(text)
            .find(|message| !message.is_empty())
            .unwrap_or_default();
        return Some((check.status, status, message));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: EnvelopeCheck = EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] };
    const WEBCAST: EnvelopeCheck =
        EnvelopeCheck { status: "/data/status_code", success: &["0"], message: &["/data/data/message", "/data/data/prompts"] };

    #[test]
    fn code_as_number_or_string() {
        assert_eq!(failure(br#"{"code": 0, "msg": ""}"#, &[CODE]), None);
        assert_eq!(failure(br#"{"code": "0"}"#, &[CODE]), None);
        assert_eq!(
            failure(r#"{"msg":"失败","code":-1,"data":null}"#.as_bytes(), &[CODE]),
            Some(("/code", "-1".to_owned(), "失败".to_owned()))
        );
        assert_eq!(failure(br#"{"code": "-1"}"#, &[CODE]), Some(("/code", "-1".to_owned(), String::new())));
    }

    #[test]
    fn nested_status_and_the_first_message_found() {
        let body = br#"{"code": 200, "data": {"status_code": 10011, "data": {"prompts": "too often"}}}"#;
        assert_eq!(failure(body, &[WEBCAST]), Some(("/data/status_code", "10011".to_owned(), "too often".to_owned())));
        assert_eq!(failure(br#"{"data": {"status_code": 0}}"#, &[WEBCAST]), None);
        assert_eq!(failure(br#"{"data": []}"#, &[WEBCAST]), None);
    }
}
