//! Prints the gift-giver rank list of a captured `get_room_ranklist` body.
//!
//! `cargo run -p dylive-models --example rank_list -- fixtures/room_ranklist/success.json`

use dylive_models::{RoomRanklist, RoomRanklistResponse};

/// The rank list inside the response envelope.
fn rank_list(response: &RoomRanklistResponse) -> Option<&RoomRanklist> {
    response.data()?.data()
}

/// The pay-grade level of the top gift-giver.
fn top_level(response: &RoomRanklistResponse) -> Option<u64> {
    response.data()?.data()?.ranks().first()?.user()?.pay_grade()?.level()?.as_u64()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "fixtures/room_ranklist/success.json".to_owned());
    let body = std::fs::read(&path)?;
    let response = RoomRanklistResponse::from_slice(&body)?;
    for rank in rank_list(&response).map(RoomRanklist::ranks).unwrap_or_default() {
        let nickname = rank.user().and_then(|user| user.nickname()).unwrap_or("(no nickname)");
        let place = rank.rank().map(ToString::to_string).unwrap_or_default();
        println!("{place:>3}  {nickname}");
    }
    if let Some(level) = top_level(&response) {
        println!("top gift-giver's pay grade: {level}");
    }
    Ok(())
}
