//! The JSON tools of the dylive project: one tree, one writer, one parser
//! and the strict comparator that proves a round-trip lossless.
//!
//! - [`Value`] is a JSON value that keeps what a round-trip must keep: the
//!   order of object keys and the exact text of every number (`1.50`, `-0`,
//!   ids beyond 2^64, `1e999`). Its strings are `S`: [`Json<'a>`] borrows
//!   from the parsed text where it can (`Cow<'a, str>`), `Value` (that is
//!   `Value<String>`) owns them and is the one to build by hand.
//! - [`parse`] reads one JSON value in one pass with the tokenizer the
//!   generated models decode with (`dylive_runtime::tree`): every syntax
//!   rule, with line and column on an error; a key that occurs twice in one
//!   object is an error as well. It never panics.
//! - [`Value::to_json`] and [`Value::pretty`] are the one writer: compact, or
//!   two spaces a level as the schema files are written.
//! - [`diff`] and [`diff_values`] compare strictly and list each
//!   [`Difference`] by its JSON Pointer.
//!
//! Two JSON texts are equal for the comparator when they are equal as JSON
//! values except for the order of object keys, with numbers compared by their
//! exact token text (`2` is not `2.0`), strings by their decoded characters
//! (`"\/"` is `"/"`), and absent, `null`, `[]` and `{}` all told apart.
//!
//! ```
//! use dylive_json::{diff, parse, Json};
//!
//! assert!(diff(r#"{"a": 1, "b": [true]}"#, r#"{"b":[true],"a":1}"#)?.is_empty());
//! let differences = diff(r#"{"a": {"b": 2}}"#, r#"{"a": {"b": 2.0}}"#)?;
//! assert_eq!(differences[0].to_string(), "/a/b: expected 2, found 2.0");
//!
//! let tree: Json<'_> = parse(r#"{"id": 18446744073709551616, "rate": 1.50}"#)?;
//! assert_eq!(tree.to_json(), r#"{"id":18446744073709551616,"rate":1.50}"#);
//! # Ok::<(), dylive_json::ParseError>(())
//! ```
//!
//! # Tests
//!
//! Besides unit tests, `tests/fuzz.rs` feeds the parser and the comparator
//! inputs made by `dylive_fuzz::Mutator` (the project's dev-only crate
//! `crates/dylive-fuzz`) from every fixture (bytes flipped, inserted and
//! deleted, escapes, lone surrogates, multi-byte characters, huge numbers,
//! deep nesting, values replaced, members added and removed) from a fixed
//! seed. It runs 20,000 inputs; the environment variable
//! `DYLIVE_FUZZ_CASES` sets another count, for this test and for the fuzz
//! tests of the other crates alike, for example
//! `DYLIVE_FUZZ_CASES=1000000 cargo test --release -p dylive-json --test fuzz`.

mod diff;
mod parse;
mod value;
mod write;

pub use diff::{diff, diff_values, Difference};
pub use parse::{parse, ParseError, MAX_DEPTH};
pub use value::{Json, Value};
