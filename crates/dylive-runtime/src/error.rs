use crate::decode::{self, Decode};

/// A body that did not decode: where, why, and the body itself.
///
/// ```
/// use dylive_runtime::{Int, Map};
///
/// let error = dylive_runtime::from_str::<Map<Vec<Int>>>(r#"{"ranks": [1, "2"]}"#).unwrap_err();
/// assert_eq!(error.pointer(), "/ranks/1");
/// assert_eq!(error.message(), "invalid type: a string, expected an integer");
/// assert_eq!((error.line(), error.column()), (1, 15));
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
    /// The error of a decode of `body`.
    fn new(error: decode::Error, body: &[u8]) -> Self {
        let (line, column) = crate::scan::line_column(body, error.offset());
        DecodeError {
            pointer: error.pointer(),
            message: error.message(),
            line,
            column,
            syntax: error.is_syntax(),
            body: body.to_vec(),
        }
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

/// Decodes `bytes` into `T` in one pass ([`crate::decode`]); a value of
/// another kind than the schema says is kept where it is
/// ([`crate::Field::Other`]) and listed by the generated types' `drift()`.
/// What still fails (text that is not JSON, a repeated property) names the
/// JSON Pointer of the offending value and keeps the bytes.
pub fn from_slice<T: Decode>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_slice(bytes, false).map(|decoded| decoded.value)
}

/// Decodes `bytes` into `T` like [`from_slice`], but fails on the first
/// value of another kind than the schema says, naming its JSON Pointer.
///
/// ```
/// let error = dylive_runtime::from_slice_strict::<Vec<dylive_runtime::Int>>(br#"[1, "2"]"#).unwrap_err();
/// assert_eq!(error.pointer(), "/1");
/// ```
pub fn from_slice_strict<T: Decode>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_slice(bytes, true).map(|decoded| decoded.value)
}

/// A decoded value, and the values of another kind than the schema says
/// that decoding kept.
#[derive(Debug)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// Each value of another kind, recorded where it was met, in the order
    /// of the body: the places the value's `drift()` lists (in the order of
    /// its fields), without walking the value again.
    pub drift: Vec<crate::Drift>,
}

impl<T> Decoded<T> {
    /// True when a value of another kind was kept ([`crate::Field::Other`]).
    pub fn drifted(&self) -> bool {
        !self.drift.is_empty()
    }
}

/// Decodes `bytes` into `T` like [`from_slice`] (or [`from_slice_strict`]
/// when `strict`), and says whether values of another kind were kept, so
/// that a caller asks for the drift list only when there is one.
///
/// ```
/// use dylive_runtime::{Field, Int};
///
/// let clean = dylive_runtime::decode_slice::<Vec<Field<Int>>>(b"[1, 2]", false)?;
/// assert!(!clean.drifted());
/// let drifted = dylive_runtime::decode_slice::<Vec<Field<Int>>>(br#"[1, "2"]"#, false)?;
/// assert!(drifted.drifted() && drifted.value[1].is_other());
/// assert_eq!(drifted.drift[0].pointer(), "/1");
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
pub fn decode_slice<T: Decode>(bytes: &[u8], strict: bool) -> Result<Decoded<T>, DecodeError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|error| DecodeError::new(decode::Error::not_utf8(error.valid_up_to()), bytes))?;
    decode::decode_text::<T>(text, !strict)
        .map(|(value, drift)| Decoded { value, drift })
        .map_err(|error| DecodeError::new(error, bytes))
}

/// Decodes `json` into `T`, like [`from_slice`].
pub fn from_str<T: Decode>(json: &str) -> Result<T, DecodeError> {
    from_slice(json.as_bytes())
}
