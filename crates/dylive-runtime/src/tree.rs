//! A tree of any JSON value type, read in one pass by the tokenizer under
//! [`crate::decode`].
//!
//! A tree type says how to make each kind of value ([`Tree`]); [`parse`]
//! reads the text once, checks the whole grammar, and builds the tree bottom
//! up. [`fold`] reads it the same way into any value computed as it goes
//! ([`Fold`]), with no tree at all. Numbers are their token text and strings without an escape borrow
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

use std::borrow::Cow;

use rustc_hash::FxHashSet;

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

/// A value computed from a JSON text in one pass, without a tree: each
/// array and object gathers its items or members into an accumulator of
/// its own choosing as they are read ([`fold`]).
pub trait Fold<'a>: Sized {
    /// What an array gathers of its items.
    type Items: Default;
    /// What an object gathers of its members.
    type Members: Default;
    /// `null`.
    fn null() -> Self;
    /// `true` or `false`.
    fn bool(value: bool) -> Self;
    /// A number, as its exact token text.
    fn number(text: &'a str) -> Self;
    /// A string, unescaped; borrowed when it holds no escape.
    fn string(text: Cow<'a, str>) -> Self;
    /// Takes the next item of an array.
    fn item(items: &mut Self::Items, item: Self);
    /// The array, once its last item is taken.
    fn array(items: Self::Items) -> Self;
    /// Takes the next member of an object; an error message refuses it
    /// (a name met twice, say), and the fold stops there.
    fn member(members: &mut Self::Members, name: Cow<'a, str>, value: Self) -> Result<(), String>;
    /// The object, once its last member is taken.
    fn object(members: Self::Members) -> Self;
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
    fold::<Built<T>>(text).map(|built| built.0)
}

/// The fold of `text`, which must hold one JSON value and nothing else but
/// whitespace, with the grammar checked in full and nesting bounded as in
/// [`parse`]. Names met twice are the fold's to refuse.
///
/// Never panics.
///
/// ```
/// use std::borrow::Cow;
/// use dylive_runtime::tree::{fold, Fold};
///
/// /// The deepest nesting of a text.
/// struct Depth(usize);
///
/// impl<'a> Fold<'a> for Depth {
///     type Items = usize;
///     type Members = usize;
///     fn null() -> Self { Depth(0) }
///     fn bool(_: bool) -> Self { Depth(0) }
///     fn number(_: &'a str) -> Self { Depth(0) }
///     fn string(_: Cow<'a, str>) -> Self { Depth(0) }
///     fn item(deepest: &mut usize, item: Self) { *deepest = (*deepest).max(item.0) }
///     fn array(deepest: usize) -> Self { Depth(deepest + 1) }
///     fn member(deepest: &mut usize, _: Cow<'a, str>, value: Self) -> Result<(), String> {
///         *deepest = (*deepest).max(value.0);
///         Ok(())
///     }
///     fn object(deepest: usize) -> Self { Depth(deepest + 1) }
/// }
///
/// assert_eq!(fold::<Depth>(r#"{"a": [[1], {"b": []}]}"#)?.0, 4);
/// # Ok::<(), dylive_runtime::tree::SyntaxError>(())
/// ```
pub fn fold<'a, F: Fold<'a>>(text: &'a str) -> Result<F, SyntaxError> {
    let mut scanner = Scanner::new(text);
    let folded = value(&mut scanner, 0).and_then(|folded| Ok(scanner.finish().map(|()| folded)?));
    folded.map_err(|error| match error {
        Failure::Syntax(error) => SyntaxError::new(text, error.kind.to_string(), error.offset),
        Failure::Refused { message, at } => SyntaxError::new(text, message, at),
    })
}

enum Failure {
    Syntax(scan::Error),
    Refused { message: String, at: usize },
}

impl From<scan::Error> for Failure {
    fn from(error: scan::Error) -> Failure {
        Failure::Syntax(error)
    }
}

/// The value at the cursor, inside `depth` arrays and objects.
fn value<'a, F: Fold<'a>>(scanner: &mut Scanner<'a>, depth: usize) -> Result<F, Failure> {
    let first = scanner.peek()?;
    match first {
        b'"' => Ok(F::string(scanner.string()?)),
        b'-' | b'0'..=b'9' => Ok(F::number(scanner.number()?)),
        b'[' | b'{' if depth == MAX_DEPTH => {
            Err(scan::Error { kind: ErrorKind::TooDeep, offset: scanner.offset() }.into())
        }
        b'[' => {
            let mut items = F::Items::default();
            if scanner.begin_array()? {
                loop {
                    F::item(&mut items, value(scanner, depth + 1)?);
                    if !scanner.next_item()? {
                        break;
                    }
                }
            }
            Ok(F::array(items))
        }
        b'{' => {
            let mut members = F::Members::default();
            let mut key = scanner.begin_object()?;
            while let Some(next) = key {
                let member = value(scanner, depth + 1)?;
                F::member(&mut members, next.name, member)
                    .map_err(|message| Failure::Refused { message, at: next.at })?;
                key = scanner.next_key()?;
            }
            Ok(F::object(members))
        }
        _ => Ok(match scanner.literal(first)? {
            None => F::null(),
            Some(value) => F::bool(value),
        }),
    }
}

/// A [`Tree`] as a [`Fold`]: vectors of items and members, and a name met
/// twice in one object refused.
struct Built<T>(T);

/// An object's members so far, with an index of their names once there
/// are many.
struct Members<'a, T> {
    members: Vec<(Cow<'a, str>, T)>,
    index: FxHashSet<Cow<'a, str>>,
}

impl<T> Default for Members<'_, T> {
    fn default() -> Self {
        Members { members: Vec::new(), index: FxHashSet::default() }
    }
}

impl<'a, T: Tree<'a>> Fold<'a> for Built<T> {
    type Items = Vec<T>;
    type Members = Members<'a, T>;

    fn null() -> Self {
        Built(T::null())
    }

    fn bool(value: bool) -> Self {
        Built(T::bool(value))
    }

    fn number(text: &'a str) -> Self {
        Built(T::number(text))
    }

    fn string(text: Cow<'a, str>) -> Self {
        Built(T::string(text))
    }

    fn item(items: &mut Vec<T>, item: Self) {
        items.push(item.0);
    }

    fn array(items: Vec<T>) -> Self {
        Built(T::array(items))
    }

    fn member(members: &mut Members<'a, T>, name: Cow<'a, str>, value: Self) -> Result<(), String> {
        // Small objects are searched for a repeated name; large ones get an
        // index of their names.
        let repeated = if members.members.len() < 16 {
            members.members.iter().any(|(seen, _)| *seen == name)
        } else {
            if members.index.is_empty() {
                members.index.extend(members.members.iter().map(|(seen, _)| seen.clone()));
            }
            !members.index.insert(name.clone())
        };
        if repeated {
            return Err(format!("duplicate key {name:?}"));
        }
        members.members.push((name, value.0));
        Ok(())
    }

    fn object(members: Members<'a, T>) -> Self {
        Built(T::object(members.members))
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
