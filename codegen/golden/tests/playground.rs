//! Code written against the generated API of the golden case `playground`:
//! properties and parameters named like Rust keywords, like the generated
//! methods, or alike but for case and separators.

use dylive_codegen_golden::playground::client::RunRequest;
use dylive_codegen_golden::playground::models::{Choice, FormField, RunResponse, Type};

const BODY: &str = r#"{"type":"done","@type":"run","match":true,"self":{"message":"hi","drift":["d"],"to_json":"t","Message":"HI"},"ref":"r","async":false,"r#loop":1,"userId":1,"user_id":2,"UserID":3,"user-id":4,"limit":5,"with_limit":true,"drift":0.5,"to_json":"j","unknown_fields":["u"],"new":true,"default":"x","clone":false,"2fa":true,"":"empty","fields":[{"name":"n","default":"v"}],"types":[{"self":"a","Self":"A","super":[{}]}],"option":2,"later":1}"#;

#[test]
fn every_name_reaches_its_own_property() {
    let response = RunResponse::from_slice(BODY.as_bytes()).expect("decodes");
    assert_eq!((response.type_(), response.type__()), (Some("done"), Some("run")));
    assert_eq!(response.match_(), Some(true));
    let outcome = response.self_().expect("self");
    assert_eq!((outcome.message(), outcome.message_()), (Some("hi"), Some("HI")));
    assert_eq!(outcome.drift_(), ["d".to_owned()]);
    assert!(outcome.drift().is_empty());
    assert_eq!(outcome.to_json(), Some("t"));
    let ids = [&response.user_id, &response.user_id_, &response.user_id__, &response.user_id___];
    assert_eq!(ids.map(|id| id.get().and_then(|n| n.as_u64())), [Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!((response.limit().and_then(|n| n.as_u64()), response.with_limit_()), (Some(5), Some(true)));
    assert_eq!(response.drift_().map(ToString::to_string).as_deref(), Some("0.5"));
    assert!(response.drift().is_empty());
    assert_eq!(response.to_json_(), Some("j"));
    assert_eq!(response.unknown_fields_(), ["u".to_owned()]);
    assert_eq!(response.unknown_fields.get("later").map(|raw| raw.get()), Some("1"));
    assert_eq!((response.new_(), response.default_(), response.clone_()), (Some(true), Some("x"), Some(false)));
    assert_eq!(
        (response.x2fa(), response.x(), response.r_loop().and_then(|n| n.as_u64())),
        (Some(true), Some("empty"), Some(1))
    );
    assert_eq!(response.fields()[0].default_(), Some("v"));
    let ty: &Type = &response.types()[0];
    assert_eq!((ty.self_(), ty.self__(), ty.super_().len()), (Some("a"), Some("A"), 1));
    assert!(matches!(response.option(), Some(Choice::Integer(_))));
    assert_eq!(response.clone().to_json(), BODY);
}

#[test]
fn setters_default_and_request_parameters_keep_their_names() {
    let built = RunResponse::default().with_type_("done").with_limit(1u64).with_with_limit_(false).with_drift_(0.5);
    assert_eq!(built.to_json(), r#"{"type":"done","limit":1,"with_limit":false,"drift":0.5}"#);
    let field = FormField::default().with_default_("v");
    assert_eq!(field.default_(), Some("v"));
    let request = RunRequest::new("rust").async_(1).new_(1).params_("-q").user_id("a").user_id_("b");
    assert_eq!(request.type_, "rust");
    assert_eq!(
        request.params(),
        vec![
            ("type", "rust".to_owned()),
            ("async", "1".to_owned()),
            ("new", "1".to_owned()),
            ("params", "-q".to_owned()),
            ("userId", "a".to_owned()),
            ("user_id", "b".to_owned()),
        ]
    );
}
