//! A service's own code that calls the Douyin live-streaming APIs through
//! dylive: it takes `&impl Api`, so that its tests can hand it the real
//! client, pointed at a mock, or a test double.

use dylive_client::{Api, Error, RoomRanklistRequest};

/// The top gift-giver of a live room: nickname and pay-grade level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopGiver {
    /// The nickname.
    pub nickname: String,
    /// The pay-grade level, when the API sends it as a machine integer.
    pub level: Option<u64>,
}

/// The top gift-giver of room `room_id`, or `None` when the list is empty.
pub async fn top_giver(api: &impl Api, room_id: &str) -> Result<Option<TopGiver>, Error> {
    let response = api.room_ranklist(&RoomRanklistRequest::new("service-session", room_id)).await?;
    let Some(user) =
        response.data().and_then(|d| d.data()).and_then(|list| list.ranks().first()).and_then(|r| r.user())
    else {
        return Ok(None);
    };
    Ok(Some(TopGiver {
        nickname: user.nickname().unwrap_or_default().to_owned(),
        level: user.pay_grade().and_then(|grade| grade.level()).and_then(|level| level.as_u64()),
    }))
}
