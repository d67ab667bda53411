use std::fmt::Write as _;

use serde::de::DeserializeOwned;

/// A body that did not decode: where, why, and the body itself.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Ranks {
///     ranks: Vec<u32>,
/// }
///
/// let error = dylive_runtime::from_str::<Ranks>(r#"{"ranks": [1, "2"]}"#).unwrap_err();
/// assert_eq!(error.pointer(), "/ranks/1");
/// assert!(error.message().contains("expected u32"));
/// assert_eq!(error.body(), br#"{"ranks": [1, "2"]}"#);
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{message} at {location} (line {line}, column {column})", location = self.location())]
pub struct DecodeError {
    pointer: String,
    message: String,
    line: usize,
    column: usize,
    syntax: bool,
    body: Vec<u8>,
}

impl DecodeError {
    fn new(error: serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> Self {
        let pointer = pointer(error.path());
        DecodeError::from_json(error.into_inner(), pointer, body)
    }

    fn from_json(inner: serde_json::Error, pointer: String, body: &[u8]) -> Self {
        let (line, column) = (inner.line(), inner.column());
        let message = message_of(&inner);
        DecodeError { pointer, message, line, column, syntax: inner.is_syntax() || inner.is_eof(), body: body.to_vec() }
    }

    /// An error that no decoding produced: `message` about the value at
    /// `pointer` (a JSON Pointer, empty for the whole body) in `body`. For
    /// test doubles, and for callers that find a body unfit by their own
    /// checks. It is not a syntax error ([`is_syntax`](Self::is_syntax) is
    /// false), and its line and column are 0, for unknown. Decoding the
    /// bytes of a text that is not JSON gives a syntax error instead.
    ///
    /// ```
    /// use dylive_runtime::DecodeError;
    ///
    /// let error = DecodeError::custom("expected an integer", "/data/rank", r#"{"data": {"rank": "1"}}"#);
    /// assert_eq!(error.pointer(), "/data/rank");
    /// assert_eq!(error.message(), "expected an integer");
    /// assert_eq!(error.body(), br#"{"data": {"rank": "1"}}"#);
    /// assert!(!error.is_syntax());
    /// assert_eq!((error.line(), error.column()), (0, 0));
    /// assert_eq!(error.to_string(), "expected an integer at /data/rank (line 0, column 0)");
    /// ```
    pub fn custom(message: impl Into<String>, pointer: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        DecodeError {
            pointer: pointer.into(),
            message: message.into(),
            line: 0,
            column: 0,
            syntax: false,
            body: body.into(),
        }
    }

    /// The JSON Pointer (RFC 6901) of the value that failed; empty for the
    /// whole body.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What was expected and what was found.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line of the body where decoding stopped, from 1; 0 when unknown.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the body where decoding stopped, from 1; 0 when unknown.
    pub fn column(&self) -> usize {
        self.column
    }

    /// True when the body is not JSON at all (or ends too early), false when
    /// it is JSON that does not fit the model.
    pub fn is_syntax(&self) -> bool {
        self.syntax
    }

    /// The raw body that failed to decode.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the raw body out of the error.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    fn location(&self) -> &str {
        if self.pointer.is_empty() {
            "the top level"
        } else {
            &self.pointer
        }
    }
}

/// The JSON Pointer (RFC 6901) of a serde path.
pub(crate) fn pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                let _ = write!(pointer, "/{index}");
            }
            serde_path_to_error::Segment::Map { key } => {
                crate::pointer::push_key(&mut pointer, key);
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}

/// The message of a serde_json error without its " at line L column C".
pub(crate) fn message_of(error: &serde_json::Error) -> String {
    let mut message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    if let Some(stripped) = message.strip_suffix(&suffix) {
        message.truncate(stripped.len());
    }
    message
}

/// Decodes `bytes` into `T`; a value of another kind than the schema says
/// is kept where it is ([`crate::Field::Other`]) and listed by the generated
/// types' `drift()`. What still fails (text that is not JSON, a repeated
/// property) names the JSON Pointer of the offending value and keeps the
/// bytes.
///
/// The first pass takes integers as machine integers, which is exact for
/// every integer that fits 64 bits; a body with any other number (a float,
/// a larger integer, `-0`) is decoded a second time, keeping each number's
/// text. A body with a value of another kind takes a further pass that keeps
/// such values; only a failure pays for a pass that tracks the path.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode(bytes, false)
}

/// Decodes `bytes` into `T` like [`from_slice`], but fails on the first
/// value of another kind than the schema says, naming its JSON Pointer.
///
/// ```
/// let error = dylive_runtime::from_slice_strict::<Vec<dylive_runtime::Int>>(br#"[1, "2"]"#).unwrap_err();
/// assert_eq!(error.pointer(), "/1");
/// ```
pub fn from_slice_strict<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode(bytes, true)
}

/// The passes of [`from_slice`] and [`from_slice_strict`]: machine
/// integers first; exact number text when a number needed it (a float, an
/// integer beyond 64 bits, or one beyond `f64`, which serde_json reports as
/// a syntax error); values of another kind kept when `strict` is false. Only
/// a failure pays for a last pass that tracks the path.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], strict: bool) -> Result<T, DecodeError> {
    decode_slice(bytes, strict).map(|decoded| decoded.value)
}

/// A decoded value, and whether decoding kept values of another kind than
/// the schema says.
#[derive(Debug)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// True when a value of another kind was kept ([`crate::Field::Other`]):
    /// only then can the value's `drift()` list anything.
    pub drifted: bool,
}

/// Decodes `bytes` into `T` like [`from_slice`] (or [`from_slice_strict`]
/// when `strict`), and says whether values of another kind were kept, so
/// that a caller asks for the drift list only when there is one.
///
/// ```
/// use dylive_runtime::{Field, Int};
///
/// let clean = dylive_runtime::decode_slice::<Vec<Field<Int>>>(b"[1, 2]", false)?;
/// assert!(!clean.drifted);
/// let drifted = dylive_runtime::decode_slice::<Vec<Field<Int>>>(br#"[1, "2"]"#, false)?;
/// assert!(drifted.drifted && drifted.value[1].is_other());
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
pub fn decode_slice<T: DeserializeOwned>(bytes: &[u8], strict: bool) -> Result<Decoded<T>, DecodeError> {
    // A body checked as UTF-8 once is read as text: serde_json then checks
    // no string again. One that is not keeps the byte reader, whose error
    // says where.
    passes(bytes, std::str::from_utf8(bytes).ok(), strict)
}

/// [`decode_slice`] of a text known to be UTF-8.
pub(crate) fn decode_text<T: DeserializeOwned>(text: &str, strict: bool) -> Result<T, DecodeError> {
    passes(text.as_bytes(), Some(text), strict).map(|decoded| decoded.value)
}

/// The passes of [`decode_slice`] over `bytes`, read as `text` when it is
/// UTF-8.
fn passes<T: DeserializeOwned>(bytes: &[u8], text: Option<&str>, strict: bool) -> Result<Decoded<T>, DecodeError> {
    let parse = || match text {
        Some(text) => serde_json::from_str::<T>(text),
        None => serde_json::from_slice::<T>(bytes),
    };
    let strict_pass = || crate::pass::run(false, parse);
    let (result, exact) = crate::number::machine_numbers(strict_pass);
    let needs_text = match result {
        Ok(value) if exact => return Ok(Decoded { value, drifted: false }),
        Ok(_) => true,
        Err(error) => error.is_syntax(),
    };
    if needs_text {
        if let Ok(value) = strict_pass() {
            return Ok(Decoded { value, drifted: false });
        }
    }
    if !strict {
        if let Ok(value) = crate::pass::run(true, parse) {
            return Ok(Decoded { value, drifted: true });
        }
    }
    Err(path_error::<T>(bytes, !strict))
}

/// Decodes `bytes` again, tracking the path, to describe why it fails.
///
/// The strict pass streams into every value, so its pointer reaches the
/// failing token; when it stops at a value of another kind that a tolerant
/// decode keeps (`tolerant`), the failure is elsewhere, and the tolerant
/// pass names it (its pointer reaches the property that holds it).
fn path_error<T: DeserializeOwned>(bytes: &[u8], tolerant: bool) -> DecodeError {
    let (error, fatal) = tracked::<T>(bytes, false);
    let kept_by_tolerance = !fatal && !error.syntax;
    if tolerant && kept_by_tolerance {
        return tracked::<T>(bytes, true).0;
    }
    error
}

/// The error of one path-tracking pass, and whether it is one that no
/// kept value mends.
fn tracked<T: DeserializeOwned>(bytes: &[u8], tolerant: bool) -> (DecodeError, bool) {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let (result, fatal) = crate::pass::run(tolerant, || {
        let result = serde_path_to_error::deserialize::<_, T>(&mut deserializer);
        (result, crate::pass::fatal())
    });
    let error = match result {
        Err(error) => DecodeError::new(error, bytes),
        // The value decoded, so what failed is the text after it.
        Ok(_) => match deserializer.end() {
            Err(error) => DecodeError::from_json(error, String::new(), bytes),
            Ok(()) => DecodeError::from_json(
                serde::de::Error::custom("the body decodes only with path tracking"),
                String::new(),
                bytes,
            ),
        },
    };
    (error, fatal)
}

/// Decodes `json` into `T`, like [`from_slice`].
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    from_slice(json.as_bytes())
}
