//! The two spellings of an endpoint's name: the manifest's
//! (`schemas/endpoints.toml`, `ENDPOINTS`, the fixture folders:
//! `room_ranklist`) and the command line's (`dylive check`, `cargo xtask
//! adopt`: `room-ranklist`).
//!
//! ```
//! use dylive_runtime::names::{cli_name, manifest_name};
//!
//! assert_eq!(cli_name("room_ranklist"), "room-ranklist");
//! assert_eq!(manifest_name("room-ranklist"), "room_ranklist");
//! assert_eq!(manifest_name(&cli_name("liveroom_info")), "liveroom_info");
//! ```

/// The command-line spelling of an endpoint's name: `room_ranklist` is
/// `room-ranklist`.
pub fn cli_name(endpoint: &str) -> String {
    endpoint.replace('_', "-")
}

/// The manifest's spelling of an endpoint's name given either way:
/// `room-ranklist` (and `room_ranklist`) is `room_ranklist`.
pub fn manifest_name(name: &str) -> String {
    name.replace('-', "_")
}
