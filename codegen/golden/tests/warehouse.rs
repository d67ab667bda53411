//! Code written against the generated API of the golden case `warehouse`:
//! maps of numbers, of nullable numbers, of objects, arrays and maps.

use dylive_codegen_golden::warehouse::models::runtime::Map;
use dylive_codegen_golden::warehouse::models::{Bin, Quantity, StockResponse};

const BODY: &str = r#"{"ok":true,"counts":{"a-1":18446744073709551617,"b-2":0},"prices":{"a-1":9.90,"b-2":null},"bins":{"x":{"shelf":"3","sizes":{"h":2},"children":{"y":{"shelf":"3b"}}}},"labels":null,"zones":{"cold":["a-1"]},"levels":{"a-1":{"min":1}},"quantities":{"a-1":5,"b-2":"many"},"attributes":{"k":[1,{}]},"history":[{},{"a-1":1}]}"#;

#[test]
fn maps_keep_their_keys_values_and_nulls() {
    let response = StockResponse::from_slice(BODY.as_bytes()).expect("decodes");
    let counts = response.counts().expect("counts");
    assert_eq!(counts.get("a-1").map(ToString::to_string).as_deref(), Some("18446744073709551617"));
    let prices = response.prices().expect("prices");
    assert_eq!(prices.get("a-1").and_then(|p| p.as_ref()).map(ToString::to_string).as_deref(), Some("9.90"));
    assert_eq!(prices.get("b-2"), Some(&None));
    let bin = &response.bins().expect("bins")["x"];
    assert_eq!(bin.shelf(), Some("3"));
    assert_eq!(bin.children().and_then(|c| c.get("y")).and_then(Bin::shelf), Some("3b"));
    assert!(response.labels.is_null());
    assert_eq!(response.zones().and_then(|z| z.get("cold")).map(Vec::len), Some(1));
    assert!(matches!(response.quantities().and_then(|q| q.get("b-2")), Some(Quantity::String(s)) if s == "many"));
    assert_eq!(response.attributes().and_then(|a| a.get("k")).map(|raw| raw.get()), Some("[1,{}]"));
    assert_eq!(response.history().len(), 2);
    assert_eq!(response.to_json(), BODY);
}

#[test]
fn a_map_is_built_and_a_drifted_value_is_kept() {
    let mut bins = Map::new();
    bins.insert("z".to_owned(), Bin::default().with_shelf("9"));
    let response = StockResponse::default().with_ok(true).with_bins(bins);
    assert_eq!(response.to_json(), r#"{"ok":true,"bins":{"z":{"shelf":"9"}}}"#);
    let drifted = StockResponse::from_slice(br#"{"ok":true,"counts":[]}"#).expect("decodes");
    assert_eq!(drifted.drift()[0].pointer(), "/counts");
    assert_eq!(drifted.to_json(), r#"{"ok":true,"counts":[]}"#);
}
