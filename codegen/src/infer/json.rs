//! The schema tree: a JSON value that keeps object key order and number
//! text, so that schemas are read and written without reordering them.
//! It is `dylive_json`'s tree with owned text, and its one writer.

/// A JSON value with owned text; objects keep their key order.
pub type OJson = dylive_json::Value;
