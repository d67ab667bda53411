//! The fixtures, built into the binary for the mock (the endpoints
//! themselves come from `dylive_client::ENDPOINTS`, the types from
//! `dylive_models`).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
