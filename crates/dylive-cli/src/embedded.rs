//! The fixtures, built into the binary for the mock: those of
//! `dylive_models::fixtures`, as text (the endpoints themselves come from
//! `dylive_client::ENDPOINTS`, the types from `dylive_models`).

/// Every fixture as (endpoint, file name, text), endpoint by endpoint.
pub fn fixtures() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> + Clone {
    dylive_models::fixtures::all()
        .iter()
        .filter_map(|fixture| Some((fixture.endpoint, fixture.name, std::str::from_utf8(fixture.body).ok()?)))
}
