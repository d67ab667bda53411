//! A tree of any JSON value type, read in one pass by the tokenizer under
//! [`crate::decode`].
//!
//! A tree type says how to make each kind of value ([`Tree`]); [`parse`]
//! reads the text once, checks the whole grammar, and builds the tree bottom
//! up. Numbers are their token text and strings without an escape borrow
//! from the text, so a tree of borrowed text allocates only its arrays and
//! objects and the strings that hold escapes.
//!
//! ```
//! use std::borrow::Cow;
//! use dylive_runtime::tree::{parse, Tree};
//!
//! /// How many values a text holds.
//! struct Count(usize);
//!
//! impl<'a> Tree<'a> for Count {
//!     fn null() -> Self { Count(1) }
//!     fn bool(_: bool) -> Self { Count(1) }
//!     fn number(_: &'a str) -> Self { Count(1) }
//!     fn string(_: Cow<'a, str>) -> Self { Count(1) }
//!     fn array(items: Vec<Self>) -> Self { Count(1 + items.iter().map(|c| c.0).sum::<usize>()) }
//!     fn object(members: Vec<(Cow<'a, str>, Self)>) -> Self {
//!         Count(1 + members.iter().map(|(_, c)| c.0).sum::<usize>())
//!     }
//! }
//!
//! assert_eq!(parse::<Count>(r#"{"a": [1, 2.50, null], "b": "\u91d1"}"#)?.0, 6);
//! let error = parse::<Count>("{\"a\": 1,\n}").err().expect("a trailing comma");
//! assert_eq!((error.line, error.column), (2, 1));
//! assert_eq!(error.to_string(), "a comma before the end of an array or object at line 2, column 1");
//! # Ok::<(), dylive_runtime::tree::SyntaxError>(())
//! ```

use rustc_hash::FxHashSet;
use std::borrow::Cow;

use crate::scan::{self, ErrorKind, Scanner, MAX_DEPTH};

/// A type of JSON values that [`parse`] can build, from the leaves up.
pub trait Tree<'a>: Sized {
    /// `null`.
    fn null() -> Self;
    /// `true` or `false`.
    fn bool(value: bool) -> Self;
    /// A number, as its exact token text.
    fn number(text: &'a str) -> Self;
    /// A string, unescaped; borrowed when it holds no escape.
    fn string(text: Cow<'a, str>) -> Self;
    /// An array of its items.
    fn array(items: Vec<Self>) -> Self;
    /// An object's members in the text's order; no name occurs twice.
    fn object(members: Vec<(Cow<'a, str>, Self)>) -> Self;
}

/// A text that is not one JSON value, or an object that names a property
/// twice.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// The byte offset of the error.
    pub offset: usize,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl SyntaxError {
    fn new(text: &str, message: String, offset: usize) -> SyntaxError {
        let (line, column) = scan::line_column(text.as_bytes(), offset);
        SyntaxError { message, offset, line, column }
    }
}

/// The tree of `text`, which must hold one JSON value and nothing else but
/// whitespace. Arrays and objects nest at most 127 deep, so the recursion
/// is bounded; a property named twice in one object is an error, since no
/// tree of members could keep both values the way a reader means them.
///
/// Never panics.
pub fn parse<'a, T: Tree<'a>>(text: &'a str) -> Result<T, SyntaxError> {
    let mut scanner = Scanner::new(text);
    let mut stacks = Stacks { items: Vec::new(), members: Vec::new() };
    let tree = value(&mut scanner, &mut stacks, 0).and_then(|tree| Ok(scanner.finish().map(|()| tree)?));
    tree.map_err(|error| match error {
        Failure::Syntax(error) => SyntaxError::new(text, error.kind.to_string(), error.offset),
        Failure::Duplicate { name, at } => SyntaxError::new(text, format!("duplicate key {name:?}"), at),
    })
}

enum Failure {
    Syntax(scan::Error),
    Duplicate { name: String, at: usize },
}

impl From<scan::Error> for Failure {
    fn from(error: scan::Error) -> Failure {
        Failure::Syntax(error)
    }
}

/// The items and members read so far of the arrays and objects open at the
/// cursor, one stack each: a container takes its own off the top when it
/// ends, into a vector of just its size, so that no vector grows twice.
struct Stacks<'a, T> {
    items: Vec<T>,
    members: Vec<(Cow<'a, str>, T)>,
}

/// The value at the cursor, inside `depth` arrays and objects.
fn value<'a, T: Tree<'a>>(scanner: &mut Scanner<'a>, stacks: &mut Stacks<'a, T>, depth: usize) -> Result<T, Failure> {
    let first = scanner.peek()?;
    match first {
        b'"' => Ok(T::string(scanner.string()?)),
        b'-' | b'0'..=b'9' => Ok(T::number(scanner.number()?)),
        b'[' | b'{' if depth == MAX_DEPTH => {
            Err(scan::Error { kind: ErrorKind::TooDeep, offset: scanner.offset() }.into())
        }
        b'[' => {
            let mark = stacks.items.len();
            if scanner.begin_array()? {
                loop {
                    let item = value(scanner, stacks, depth + 1)?;
                    stacks.items.push(item);
                    if !scanner.next_item()? {
                        break;
                    }
                }
            }
            Ok(T::array(stacks.items.drain(mark..).collect()))
        }
        b'{' => {
            let mark = stacks.members.len();
            // Small objects are searched for a repeated name; large ones
            // get an index of their names.
            let mut index: FxHashSet<Cow<'a, str>> = FxHashSet::default();
            let mut key = scanner.begin_object()?;
            while let Some(next) = key {
                let members = &stacks.members[mark..];
                let repeated = if members.len() < 16 {
                    members.iter().any(|(seen, _)| *seen == next.name)
                } else {
                    if index.is_empty() {
                        index.extend(members.iter().map(|(seen, _)| seen.clone()));
                    }
                    !index.insert(next.name.clone())
                };
                if repeated {
                    return Err(Failure::Duplicate { name: next.name.into_owned(), at: next.at });
                }
                let member = value(scanner, stacks, depth + 1)?;
                stacks.members.push((next.name, member));
                key = scanner.next_key()?;
            }
            Ok(T::object(stacks.members.drain(mark..).collect()))
        }
        _ => Ok(match scanner.literal(first)? {
            None => T::null(),
            Some(value) => T::bool(value),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text back, compact: a tree that is its own writer.
    struct Compact(String);

    impl<'a> Tree<'a> for Compact {
        fn null() -> Self {
            Compact("null".into())
        }
        fn bool(value: bool) -> Self {
            Compact(value.to_string())
        }
        fn number(text: &'a str) -> Self {
            Compact(text.into())
        }
        fn string(text: Cow<'a, str>) -> Self {
            Compact(serde_json::to_string(&text).unwrap_or_default())
        }
        fn array(items: Vec<Self>) -> Self {
            Compact(format!("[{}]", items.into_iter().map(|c| c.0).collect::<Vec<_>>().join(",")))
        }
        fn object(members: Vec<(Cow<'a, str>, Self)>) -> Self {
            let members: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(&k).unwrap_or_default(), v.0))
                .collect();
            Compact(format!("{{{}}}", members.join(",")))
        }
    }

    fn compact(text: &str) -> Result<String, String> {
        parse::<Compact>(text).map(|c| c.0).map_err(|e| e.to_string())
    }

    #[test]
    fn values_keep_their_text_and_order() {
        assert_eq!(
            compact(" {\"z\" : [1.50, -0, 1e999, true, null], \"a\": \"\\u91d1\\n\"} ").as_deref(),
            Ok(r#"{"z":[1.50,-0,1e999,true,null],"a":"金\n"}"#)
        );
        assert_eq!(compact("[]").as_deref(), Ok("[]"));
        assert_eq!(compact("{}").as_deref(), Ok("{}"));
    }

    #[test]
    fn errors_name_their_place() {
        assert_eq!(compact(""), Err("the text ends inside a value at line 1, column 1".into()));
        assert_eq!(compact("[1,]"), Err("a comma before the end of an array or object at line 1, column 4".into()));
        assert_eq!(compact("{\"a\": 1, \"a\": 2}"), Err("duplicate key \"a\" at line 1, column 10".into()));
        assert_eq!(compact("1 2"), Err("text after the value at line 1, column 3".into()));
        assert_eq!(compact("\"\\ud800\""), Err("a lone surrogate escape in a string at line 1, column 2".into()));
    }

    #[test]
    fn a_repeated_name_is_found_in_a_large_object_too() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str("\"k7\":0}");
        assert_eq!(compact(&text).map_err(|e| e.starts_with("duplicate key \"k7\"")), Err(true));
    }

    #[test]
    fn nesting_is_bounded_and_never_panics() {
        let deep = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(compact(&deep).is_ok());
        let too_deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert_eq!(compact(&too_deep), Err("arrays and objects nest too deep at line 1, column 128".into()));
        assert!(compact(&"[".repeat(100_000)).is_err());
    }
}
