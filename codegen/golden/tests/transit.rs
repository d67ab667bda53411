//! Code written against the generated API of the golden case `transit`:
//! types shared across schema files and endpoints, and a catch-all field
//! of another name.

use dylive_codegen_golden::transit::client::{DeparturesRequest, TripRequest, ENDPOINTS};
use dylive_codegen_golden::transit::models::{self, DeparturesResponse, Fare, Stop, TripResponse, Zone};

#[test]
fn a_shared_type_is_one_type_in_every_endpoint() {
    let departures = DeparturesResponse::from_slice(
        br#"{"error":{"code":0},"stop":{"id":"s1","fare_zone":"A"},"departures":[{"line":"4","at":"9:00","towards":{"id":"s2"},"fare":{"amount":2.5,"zones":[1,"B"]}}],"v":2}"#,
    )
    .expect("decodes");
    let trip = TripResponse::from_slice(
        br#"{"error":{"code":0},"legs":[{"board":{"line":"4","at":"9:00"},"alight":{"id":"s2","at":{"lat":1.0,"lon":2.0}}}],"by_stop":{"s1":{"id":"s1"}}}"#,
    )
    .expect("decodes");
    let stops: Vec<&Stop> = vec![
        departures.stop().expect("a stop"),
        departures.departures()[0].towards().expect("a stop"),
        trip.legs()[0].alight().expect("a stop"),
        &trip.by_stop().expect("stops")["s1"],
    ];
    assert_eq!(stops.iter().map(|s| s.id()).collect::<Vec<_>>(), [Some("s1"), Some("s2"), Some("s2"), Some("s1")]);
    assert!(matches!(stops[0].fare_zone(), Some(Zone::String(z)) if z == "A"));
    let fare: &Fare = departures.departures()[0].fare().expect("a fare");
    assert_eq!(fare.zones().len(), 2);
    assert_eq!(trip.legs()[0].board().and_then(|d| d.line()), Some("4"));
    assert_eq!(departures.rest.get("v").map(|raw| raw.get()), Some("2"));
    assert_eq!(departures.error().and_then(|e| e.code()).and_then(|c| c.as_u64()), Some(0));
}

#[test]
fn shared_types_are_described_once() {
    let names: Vec<&str> = models::TYPES.iter().map(|info| info().name).collect();
    assert_eq!(
        names,
        ["Stop", "Point", "ApiError", "Zone", "Fare", "DeparturesResponse", "Departure", "TripResponse", "Leg"]
    );
    assert_eq!(ENDPOINTS.len(), 2);
    assert_eq!(TripRequest::new("a", "b").params(), vec![("from", "a".to_owned()), ("to", "b".to_owned())]);
    assert_eq!(DeparturesRequest::new("s1").params(), vec![("stop", "s1".to_owned())]);
}
