//! The generated API as a service sees it from another crate: every type is
//! `#[non_exhaustive]`, so values are built with `Default` and the
//! `with_<field>` setters, fields are written directly for the tri-state,
//! and unions are matched with a wildcard arm.

use dylive_models::{
    ApiCode, Field, Int, PayGrade, RankAllResponse, Response, RoomRank, RoomRanklist, RoomRanklistData,
    RoomRanklistResponse, UnknownFields, User,
};

/// A service's own code: the top gift-giver's nickname and pay-grade level.
fn top_giver(response: &RoomRanklistResponse) -> Option<(&str, u64)> {
    let user = response.data()?.data()?.ranks().first()?.user()?;
    Some((user.nickname()?, user.pay_grade()?.level()?.as_u64()?))
}

/// A service's own code: whether the API said it succeeded.
fn succeeded(response: &RoomRanklistResponse) -> bool {
    match response.code() {
        Some(ApiCode::Integer(code)) => *code == 0u64,
        Some(ApiCode::String(code)) => code == "0",
        Some(_) | None => false,
    }
}

fn rank(position: u64, nickname: &str, level: u64) -> RoomRank {
    let user = User::default().with_nickname(nickname).with_pay_grade(PayGrade::default().with_level(level));
    RoomRank::default().with_rank(position).with_score(1_000 / position).with_user(user)
}

#[test]
fn a_service_builds_a_response_for_its_unit_test_in_a_few_lines() {
    let response = RoomRanklistResponse::default().with_code(Int::from(0)).with_msg("ok").with_data(
        RoomRanklistData::default()
            .with_data(RoomRanklist::default().with_ranks([rank(1, "Ada", 31), rank(2, "Bo", 7)])),
    );
    assert_eq!(top_giver(&response), Some(("Ada", 31)));
    assert!(succeeded(&response));
    assert!(!succeeded(&response.clone().with_code("-1".to_owned())));
}

#[test]
fn setters_take_the_natural_types_and_fields_keep_the_tri_state() {
    let mut user = User::default()
        .with_id(18_446_744_073_709_551_615u64)
        .with_id_str(String::from("18446744073709551615"))
        .with_gender(-1i64)
        .with_nickname("Ada");
    assert_eq!(user.id().and_then(Int::as_u64), Some(u64::MAX));
    assert_eq!(user.gender().and_then(Int::as_i64), Some(-1));
    user.nickname = Field::Null;
    user.display_id = Field::Absent;
    assert_eq!(user.nickname(), None);
    assert!(user.nickname.is_null() && user.display_id.is_absent());

    let mut unknown = UnknownFields::default();
    assert!(unknown.is_empty());
    let decoded: User = serde_json::from_str(r#"{"not_in_any_schema":"MS4wLjAB"}"#).expect("decodes");
    unknown.clone_from(&decoded.unknown_fields);
    let user = user.with_unknown_fields(unknown);
    let text = serde_json::to_string(&user).expect("encodes");
    assert_eq!(
        text,
        r#"{"gender":-1,"id":18446744073709551615,"id_str":"18446744073709551615","nickname":null,"not_in_any_schema":"MS4wLjAB"}"#
    );
}

#[test]
fn a_built_response_round_trips_like_a_decoded_one() {
    let response = RoomRanklistResponse::default()
        .with_code(Int::from(0))
        .with_data(RoomRanklistData::default().with_status_code(0).with_data(RoomRanklist::default().with_ranks([])));
    let text = response.to_json();
    assert_eq!(text, r#"{"code":0,"data":{"data":{"ranks":[]},"status_code":0}}"#);
    assert_eq!(RoomRanklistResponse::from_slice(text.as_bytes()).expect("decodes"), response);

    let any = Response::decode("rank_all", br#"{"code":200,"msg":"ok"}"#).expect("known").expect("decodes");
    let described = match &any {
        Response::RankAll(response) => format!("rank_all, code {:?}", response.code().map(Int::to_string)),
        other => format!("another endpoint: {}", other.endpoint()),
    };
    assert_eq!(described, r#"rank_all, code Some("200")"#);
    assert_eq!(any, Response::RankAll(RankAllResponse::default().with_code(200).with_msg("ok")));
}
