//! The schemas and the fixtures, built into the binary (the endpoints
//! themselves come from `dylive_client::ENDPOINTS`).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The schema definitions of every file by name, and each endpoint's root.
pub fn definitions() -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut definitions = std::collections::BTreeMap::new();
    for (_, text) in SCHEMAS {
        let Ok(mut schema) = serde_json::from_str::<serde_json::Value>(text) else { continue };
        if let Some(serde_json::Value::Object(defs)) = schema.as_object_mut().and_then(|s| s.remove("definitions")) {
            definitions.extend(defs);
        }
        if let Some(title) = schema.get("title").and_then(|t| t.as_str()).filter(|_| schema.get("properties").is_some())
        {
            definitions.insert(title.to_owned(), schema.clone());
        }
    }
    definitions
}
