//! Code written against the generated API of the golden case `weather`:
//! unions of kinds of value, in properties, arrays and `null`s.

use dylive_codegen_golden::weather::client::ForecastRequest;
use dylive_codegen_golden::weather::models::{
    Alert, AlertDetail, Flag, ForecastResponse, Reading, Samples, Status, Wind,
};

const BODY: &str = r#"{"status":"ok","temperature":"n/a","wind":{"speed":3.50,"direction":"NE"},"alerts":["fog",{"headline":"storm","level":2,"update":"gale"}],"samples":{"06":1.0},"rain":1,"humidity":null,"history":[20.5,null,"?"]}"#;

#[test]
fn each_union_takes_the_variant_of_its_kind() {
    let response = ForecastResponse::from_slice(BODY.as_bytes()).expect("decodes");
    assert!(matches!(response.status(), Some(Status::String(s)) if s == "ok"));
    assert!(matches!(response.temperature(), Some(Reading::String(s)) if s == "n/a"));
    assert!(matches!(response.wind(), Some(Wind::WindDetail(detail)) if detail.direction() == Some("NE")));
    let Alert::AlertDetail(detail) = &response.alerts()[1] else { panic!("an object: {:?}", response.alerts()) };
    assert!(matches!(detail.update(), Some(Alert::String(s)) if s == "gale"));
    assert!(matches!(response.samples(), Some(Samples::Object(hours)) if hours.len() == 1));
    assert!(matches!(response.rain(), Some(Flag::Integer(one)) if one.as_u64() == Some(1)));
    assert!(response.humidity.is_null());
    assert!(matches!(response.history(), [Some(Reading::Number(_)), None, Some(Reading::String(_))]));
    assert!(response.drift().is_empty());
    assert_eq!(response.to_json(), BODY);
}

#[test]
fn a_union_converts_from_each_variant() {
    let alert = Alert::from(AlertDetail::default().with_headline("heat").with_update(Alert::from("old".to_owned())));
    let response = ForecastResponse::default().with_status(Status::Integer(0u64.into())).with_alerts(vec![alert]);
    assert_eq!(response.to_json(), r#"{"status":0,"alerts":[{"headline":"heat","update":"old"}]}"#);
    let drifted = ForecastResponse::from_slice(br#"{"status":0,"wind":"calm"}"#).expect("decodes");
    assert_eq!(drifted.drift()[0].pointer(), "/wind");
    assert_eq!(
        ForecastRequest::new("s-1").days(3).params(),
        vec![("station", "s-1".to_owned()), ("days", "3".to_owned())]
    );
}
