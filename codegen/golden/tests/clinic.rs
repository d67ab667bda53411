//! Code written against the generated API of the golden case `clinic`:
//! required and optional properties, each nullable or not.

use dylive_codegen_golden::clinic::client::AppointmentsRequest;
use dylive_codegen_golden::clinic::models::{self, AppointmentsResponse, Doctor, Measure};

const BODY: &str = r#"{"patient":7,"next":null,"note":null,"doctor":{"name":"Ada","phone":null},"visits":[{"at":"mon","minutes":null,"fee":null,"codes":["x",null]}],"slots":null,"scores":[1,null],"referrals":[null,{"name":"Bo","phone":"1"}],"weight":null,"cancelled":null}"#;

#[test]
fn absent_null_and_values_stay_apart() {
    let response = AppointmentsResponse::from_slice(BODY.as_bytes()).expect("decodes");
    assert!(response.next.is_null() && response.note.is_null() && response.room.is_absent());
    assert!(response.insured.is_absent() && response.weight.is_null() && response.cancelled.is_null());
    let doctor = response.doctor().expect("a doctor");
    assert!(doctor.name() == Some("Ada") && doctor.phone.is_null());
    let visit = &response.visits()[0];
    assert!(visit.minutes.is_null() && visit.fee.is_null());
    assert_eq!(visit.codes(), [Some("x".to_owned()), None]);
    assert!(response.slots.is_null() && response.slots().is_empty());
    assert_eq!(response.scores().iter().map(Option::is_some).collect::<Vec<_>>(), [true, false]);
    assert!(matches!(response.referrals(), [None, Some(Doctor { .. })]));
    assert!(response.drift().is_empty());
    assert_eq!(response.to_json(), BODY);
}

#[test]
fn the_description_says_which_are_required_and_nullable() {
    let info = models::Response::type_info("appointments").expect("an endpoint");
    let flags = |name: &str| info.field(name).map(|f| (f.required, f.nullable));
    assert_eq!(flags("patient"), Some((true, false)));
    assert_eq!(flags("next"), Some((true, true)));
    assert_eq!(flags("note"), Some((false, true)));
    assert_eq!(flags("room"), Some((false, false)));
    assert_eq!(flags("doctor"), Some((true, true)));
    let weight = AppointmentsResponse::default().with_weight(Measure::from("unknown".to_owned()));
    assert_eq!(weight.to_json(), r#"{"weight":"unknown"}"#);
    assert_eq!(AppointmentsResponse::default().with_cancelled().to_json(), r#"{"cancelled":null}"#);
    let drifted = AppointmentsResponse::from_slice(br#"{"cancelled":1}"#).expect("decodes");
    assert_eq!(drifted.drift()[0].pointer(), "/cancelled");
    let request = AppointmentsRequest::new(7).after("2024-01-01");
    assert_eq!(request.params(), vec![("patient", "7".to_owned()), ("after", "2024-01-01".to_owned())]);
}
