//! Prints the gift-giver rank list of a captured `get_room_ranklist` body.
//!
//! `cargo run -p dylive-models --example rank_list -- fixtures/room_ranklist/success.json`

use dylive_models::RoomRanklistResponse;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "fixtures/room_ranklist/success.json".to_owned());
    let body = std::fs::read(&path)?;
    let response = RoomRanklistResponse::from_slice(&body)?;
    let list = response.data.get().and_then(|data| data.data.get());
    for rank in list.map(|list| list.ranks.items()).unwrap_or_default() {
        let user = rank.user.get();
        let nickname = user.and_then(|u| u.nickname.as_deref()).unwrap_or("(no nickname)");
        let rank_text = rank.rank.get().map(ToString::to_string).unwrap_or_default();
        println!("{rank_text:>3}  {nickname}");
    }
    Ok(())
}
