//! The accessors: one method a property, named like its field, chaining
//! with `?` through objects, arrays, strings, integers and unions.

use dylive_models::{ApiCode, RoomRanklistResponse};

const SUCCESS: &str = include_str!("../../../fixtures/room_ranklist/success.json");

fn top_level(resp: &RoomRanklistResponse) -> Option<u64> {
    resp.data()?.data()?.ranks().first()?.user()?.pay_grade()?.level()?.as_u64()
}

#[test]
fn a_nested_read_is_one_chain() {
    let response = RoomRanklistResponse::from_slice(SUCCESS.as_bytes()).expect("decodes");
    assert_eq!(top_level(&response), Some(60));
    assert_eq!(response.data().and_then(|d| d.data()).map(|l| l.ranks().len()), Some(2));
    let first = &response.data().and_then(|d| d.data()).expect("a rank list").ranks()[0];
    assert_eq!(first.user().and_then(|u| u.nickname()), Some("金刚"));
    assert!(matches!(response.code(), Some(ApiCode::Integer(code)) if code.as_u64() == Some(0)));
}

#[test]
fn absent_and_null_read_as_none_and_empty() {
    let body = r#"{"code": 0, "data": {"data": {"ranks": [{"user": {"pay_grade": null}}]}}, "msg": null}"#;
    let response = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
    assert_eq!(top_level(&response), None);
    assert_eq!(response.msg(), None);
    assert!(response.msg.is_null());
    let list = response.data().and_then(|d| d.data()).expect("a rank list");
    assert!(list.ranks()[0].user().is_some_and(|u| u.pay_grade().is_none() && u.nickname().is_none()));

    let body = r#"{"code": 0, "data": {"data": {}}}"#;
    let response = RoomRanklistResponse::from_slice(body.as_bytes()).expect("decodes");
    assert!(response.data().and_then(|d| d.data()).is_some_and(|l| l.ranks().is_empty()));
}
