//! The tokenizer under [`crate::decode`]: a cursor over a JSON text that
//! gives byte spans.
//!
//! A decoder [`Scanner::peek`]s at the next value's first byte, then reads it
//! as its type expects ([`Scanner::string`], [`Scanner::number`],
//! [`Scanner::literal`], [`Scanner::begin_array`] / [`Scanner::next_item`],
//! [`Scanner::begin_object`] / [`Scanner::next_key`]), or [`Scanner::skip`]s
//! it and keeps its exact text. The text is a `str`, so it is UTF-8 already;
//! the grammar is checked in full: structure, numbers, escapes, control
//! characters, and nesting up to [`MAX_DEPTH`].
//!
//! Strings are scanned eight bytes at a time in a `u64` for `"`, `\` and
//! control bytes; a string without an escape is borrowed from the text.

use std::borrow::Cow;
use std::fmt;

/// A byte range of the text.
pub(crate) type Span = std::ops::Range<usize>;

/// How many arrays and objects may nest, as in `dylive_json` (`serde_json`
/// stops at the 128th level).
pub(crate) const MAX_DEPTH: usize = 127;

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    Eof,
    ExpectedValue,
    ExpectedLiteral,
    InvalidNumber,
    ControlCharacter,
    InvalidEscape,
    /// A `\uD800`–`\uDFFF` escape that is not half of a pair: no `str` can
    /// hold it, so [`Scanner::string`] refuses it; [`Scanner::skip`] accepts it
    /// and gives the raw text.
    LoneSurrogate,
    ExpectedColon,
    ExpectedCommaOrEnd,
    KeyMustBeString,
    TrailingComma,
    TrailingCharacters,
    TooDeep,
}

/// An error at a byte offset of the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Error {
    pub(crate) kind: ErrorKind,
    pub(crate) offset: usize,
}

/// The line and column (in characters), both from 1, of the byte at
/// `offset` of `bytes`.
pub(crate) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
    (line, column)
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Eof => "the text ends inside a value",
            ErrorKind::ExpectedValue => "expected a JSON value",
            ErrorKind::ExpectedLiteral => "expected `null`, `true` or `false`",
            ErrorKind::InvalidNumber => "invalid number",
            ErrorKind::ControlCharacter => "control character in a string",
            ErrorKind::InvalidEscape => "invalid escape in a string",
            ErrorKind::LoneSurrogate => "a lone surrogate escape in a string",
            ErrorKind::ExpectedColon => "expected `:`",
            ErrorKind::ExpectedCommaOrEnd => "expected `,` or the end of the array or object",
            ErrorKind::KeyMustBeString => "a property name must be a string",
            ErrorKind::TrailingComma => "a comma before the end of an array or object",
            ErrorKind::TrailingCharacters => "text after the value",
            ErrorKind::TooDeep => "arrays and objects nest too deep",
        })
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// A property name, unescaped, with its first and last eight bytes as
/// [`name_words`] reads them.
pub(crate) struct Key<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) words: (u64, u64),
    /// The offset of its opening quote.
    pub(crate) at: usize,
}

/// The first and the last eight bytes of `name` as little-endian words; a
/// shorter name is both, padded with zeros.
pub(crate) const fn name_words(name: &[u8]) -> (u64, u64) {
    let len = name.len();
    if len < 8 {
        let mut word = 0u64;
        let mut at = 0;
        while at < len {
            word |= (name[at] as u64) << (8 * at);
            at += 1;
        }
        return (word, word);
    }
    let (mut head, mut tail) = (0u64, 0u64);
    let mut at = 0;
    while at < 8 {
        head |= (name[at] as u64) << (8 * at);
        tail |= (name[len - 8 + at] as u64) << (8 * at);
        at += 1;
    }
    (head, tail)
}

/// [`name_words`] of `bytes[start..end]`, read as whole words where the
/// text allows.
#[inline(always)]
fn words_at(bytes: &[u8], start: usize, end: usize) -> (u64, u64) {
    let len = end - start;
    if len >= 8 {
        return (word(&bytes[start..start + 8]), word(&bytes[end - 8..end]));
    }
    match bytes.get(start..start + 8) {
        Some(chunk) => {
            let head = word(chunk) & ((1u64 << (8 * len)) - 1);
            (head, head)
        }
        None => name_words(&bytes[start..end]),
    }
}

/// Eight bytes as a little-endian word.
#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(chunk);
    u64::from_le_bytes(bytes)
}

/// A byte in each of a word's eight bytes.
#[inline]
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of each zero byte of `w` (and maybe of bytes above one).
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(splat(1)) & !w & splat(0x80)
}

/// A cursor over a JSON text.
pub(crate) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Scanner<'a> {
        Scanner { text, bytes: text.as_bytes(), pos: 0 }
    }

    /// The byte offset of the cursor.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// The string whose opening quote is at `offset`, unescaped.
    pub(crate) fn string_at(&self, offset: usize) -> Result<Cow<'a, str>> {
        Scanner { text: self.text, bytes: self.bytes, pos: offset }.string()
    }

    /// Moves the cursor back to `offset`, where a value began.
    #[inline]
    pub(crate) fn rewind(&mut self, offset: usize) {
        self.pos = offset;
    }

    /// The text of a span.
    #[inline]
    pub(crate) fn slice(&self, span: Span) -> &'a str {
        &self.text[span]
    }

    #[cold]
    fn error(&self, kind: ErrorKind, offset: usize) -> Error {
        Error { kind, offset }
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        // Most tokens follow another directly: no byte above a space is one.
        if self.bytes.get(self.pos).is_none_or(|&b| b <= b' ') {
            self.skip_spaces();
        }
    }

    /// Skips whitespace at the cursor. Pretty-printed text has a line
    /// break and a run of indentation before most tokens: the spaces are
    /// skipped eight at a time, the first other byte found exactly.
    #[inline(never)]
    fn skip_spaces(&mut self) {
        let bytes = self.bytes;
        let mut pos = self.pos;
        // The one space after a colon.
        if let (Some(b' '), Some(&next)) = (bytes.get(pos), bytes.get(pos + 1)) {
            if next > b' ' {
                self.pos = pos + 1;
                return;
            }
        }
        loop {
            match bytes.get(pos) {
                Some(b'\n' | b'\r' | b'\t') => pos += 1,
                Some(b' ') => loop {
                    let Some(chunk) = bytes.get(pos..pos + 8) else {
                        while bytes.get(pos) == Some(&b' ') {
                            pos += 1;
                        }
                        break;
                    };
                    let others = word(chunk) ^ splat(b' ');
                    if others != 0 {
                        pos += (others.trailing_zeros() / 8) as usize;
                        break;
                    }
                    pos += 8;
                },
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// The first byte of the next value, after whitespace; not consumed.
    #[inline(always)]
    pub(crate) fn peek(&mut self) -> Result<u8> {
        if let Some(&b) = self.bytes.get(self.pos) {
            if b > b' ' {
                return Ok(b);
            }
        }
        self.skip_spaces();
        match self.bytes.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.error(ErrorKind::Eof, self.pos)),
        }
    }

    /// The end of the text: only whitespace may follow the value.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.skip_whitespace();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.error(ErrorKind::TrailingCharacters, self.pos))
        }
    }

    /// `null`, `true` or `false`, whose first byte [`Scanner::peek`] saw.
    #[inline]
    pub(crate) fn literal(&mut self, first: u8) -> Result<Option<bool>> {
        // The four bytes after the first, as a word: `ull?`, `rue?`, `alse`.
        let (rest, len, value) = match first {
            b'n' => (u32::from_le_bytes(*b"ull\0"), 4, None),
            b't' => (u32::from_le_bytes(*b"rue\0"), 4, Some(true)),
            b'f' => (u32::from_le_bytes(*b"alse"), 5, Some(false)),
            _ => return Err(self.error(ErrorKind::ExpectedValue, self.pos)),
        };
        let mask = if len == 5 { u32::MAX } else { 0x00FF_FFFF };
        let found = match self.bytes.get(self.pos + 1..self.pos + len) {
            Some(found) => found.iter().rev().fold(0u32, |word, &b| (word << 8) | u32::from(b)),
            None => return Err(self.error(ErrorKind::ExpectedLiteral, self.pos)),
        };
        if found & mask != rest {
            return Err(self.error(ErrorKind::ExpectedLiteral, self.pos));
        }
        self.pos += len;
        Ok(value)
    }

    /// A non-negative integer of up to 19 digits, with no fraction or
    /// exponent, read at once; `None`, with the cursor unmoved, for any
    /// other token, which [`Scanner::number`] then reads.
    #[inline]
    pub(crate) fn small_unsigned(&mut self) -> Option<u64> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut pos = start;
        let mut value = 0u64;
        while let Some(&digit @ b'0'..=b'9') = bytes.get(pos) {
            value = value.wrapping_mul(10).wrapping_add(u64::from(digit - b'0'));
            pos += 1;
        }
        let digits = pos - start;
        let plain = !matches!(bytes.get(pos), Some(b'.' | b'e' | b'E'));
        if digits == 0 || digits > 19 || !plain || (digits > 1 && bytes[start] == b'0') {
            return None;
        }
        self.pos = pos;
        Some(value)
    }

    /// The end of the one or more digits from `pos` on.
    #[inline]
    fn digits(&self, start: usize) -> Result<usize> {
        let mut pos = start;
        while matches!(self.bytes.get(pos), Some(b'0'..=b'9')) {
            pos += 1;
        }
        if pos == start {
            return Err(self.error(ErrorKind::InvalidNumber, pos));
        }
        Ok(pos)
    }

    /// A number's exact token text, checked against the JSON grammar.
    #[inline]
    pub(crate) fn number(&mut self) -> Result<&'a str> {
        let start = self.pos;
        let bytes = self.bytes;
        let mut pos = start;
        if bytes.get(pos) == Some(&b'-') {
            pos += 1;
        }
        match bytes.get(pos) {
            Some(b'0') => pos += 1,
            Some(b'1'..=b'9') => {
                pos += 1;
                while matches!(bytes.get(pos), Some(b'0'..=b'9')) {
                    pos += 1;
                }
            }
            _ => return Err(self.error(ErrorKind::InvalidNumber, pos)),
        }
        if bytes.get(pos) == Some(&b'.') {
            pos = self.digits(pos + 1)?;
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            pos = self.digits(pos)?;
        }
        self.pos = pos;
        Ok(&self.text[start..pos])
    }

    /// The end of the string whose content starts at `pos`: the offset of
    /// its closing quote, and whether it holds an escape. Escapes are
    /// checked (a lone surrogate passes) but not decoded.
    #[inline]
    fn string_end(&self, mut pos: usize) -> Result<(usize, bool)> {
        let mut escaped = false;
        loop {
            pos = self.special(pos)?;
            if self.bytes[pos] == b'"' {
                return Ok((pos, escaped));
            }
            escaped = true;
            pos = self.escape(pos, &mut None)?;
        }
    }

    /// The offset of the first `"` or `\` from `pos` on, checking that no
    /// control byte comes before it. Eight bytes at a time: a byte is
    /// flagged when it is `"`, `\` or below 0x20; the lowest flag is exact
    /// (a borrow only flags bytes above a flagged one).
    #[inline(always)]
    fn special(&self, mut pos: usize) -> Result<usize> {
        let bytes = self.bytes;
        while let Some(chunk) = bytes.get(pos..pos + 8) {
            let w = word(chunk);
            let flags = zero_bytes(w ^ splat(b'"'))
                | zero_bytes(w ^ splat(b'\\'))
                | (w.wrapping_sub(splat(0x20)) & !w & splat(0x80));
            if flags != 0 {
                pos += (flags.trailing_zeros() / 8) as usize;
                return self.special_at(pos);
            }
            pos += 8;
        }
        while let Some(&b) = bytes.get(pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return self.special_at(pos);
            }
            pos += 1;
        }
        Err(self.error(ErrorKind::Eof, bytes.len()))
    }

    #[inline(always)]
    fn special_at(&self, pos: usize) -> Result<usize> {
        if self.bytes[pos] < 0x20 {
            Err(self.error(ErrorKind::ControlCharacter, pos))
        } else {
            Ok(pos)
        }
    }

    /// Reads the escape at `pos` (a backslash), pushes its character to
    /// `out` when there is one to push to, and returns the offset after it.
    /// Without `out`, a lone surrogate is accepted.
    fn escape(&self, pos: usize, out: &mut Option<&mut String>) -> Result<usize> {
        let bytes = self.bytes;
        let simple = match bytes.get(pos + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(pos + 2)?;
                let (code, end) = match first {
                    0xD800..=0xDBFF => match (bytes.get(pos + 6..pos + 8), self.hex4(pos + 8)) {
                        (Some(b"\\u"), Ok(second @ 0xDC00..=0xDFFF)) => {
                            (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00), pos + 12)
                        }
                        _ => (u32::MAX, pos + 6),
                    },
                    0xDC00..=0xDFFF => (u32::MAX, pos + 6),
                    _ => (first, pos + 6),
                };
                if let Some(out) = out {
                    match char::from_u32(code) {
                        Some(c) => out.push(c),
                        None => return Err(self.error(ErrorKind::LoneSurrogate, pos)),
                    }
                }
                return Ok(end);
            }
            Some(_) => return Err(self.error(ErrorKind::InvalidEscape, pos + 1)),
            None => return Err(self.error(ErrorKind::Eof, bytes.len())),
        };
        if let Some(out) = out {
            out.push(simple);
        }
        Ok(pos + 2)
    }

    fn hex4(&self, pos: usize) -> Result<u32> {
        let Some(digits) = self.bytes.get(pos..pos + 4) else {
            return Err(self.error(ErrorKind::Eof, self.bytes.len()));
        };
        let mut code = 0;
        for (i, &b) in digits.iter().enumerate() {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error(ErrorKind::InvalidEscape, pos + i)),
            };
            code = code * 16 + u32::from(digit);
        }
        Ok(code)
    }

    /// A string, whose opening quote [`Scanner::peek`] saw, unescaped:
    /// borrowed from the text when it holds no escape.
    #[inline]
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>> {
        let start = self.pos + 1;
        let pos = self.special(start)?;
        if self.bytes[pos] == b'"' {
            self.pos = pos + 1;
            return Ok(Cow::Borrowed(&self.text[start..pos]));
        }
        self.unescape(start, pos).map(Cow::Owned)
    }

    /// The rest of a string with escapes, from its content's `start`; the
    /// first backslash is at `pos`.
    #[cold]
    fn unescape(&mut self, start: usize, mut pos: usize) -> Result<String> {
        let mut out = String::with_capacity(pos - start + 16);
        let mut segment = start;
        loop {
            out.push_str(&self.text[segment..pos]);
            if self.bytes[pos] == b'"' {
                self.pos = pos + 1;
                return Ok(out);
            }
            pos = self.escape(pos, &mut Some(&mut out))?;
            segment = pos;
            pos = self.special(pos)?;
        }
    }

    /// Consumes the `[` that [`Scanner::peek`] saw: whether an item follows.
    #[inline]
    pub(crate) fn begin_array(&mut self) -> Result<bool> {
        self.pos += 1;
        if self.peek()? == b']' {
            self.pos += 1;
            Ok(false)
        } else {
            Ok(true)
        }
    }

    /// After an item: whether another follows (`,`) or the array ends (`]`).
    #[inline]
    pub(crate) fn next_item(&mut self) -> Result<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                if self.peek()? == b']' {
                    return Err(self.error(ErrorKind::TrailingComma, self.pos));
                }
                Ok(true)
            }
            b']' => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.error(ErrorKind::ExpectedCommaOrEnd, self.pos)),
        }
    }

    /// Consumes the `{` that [`Scanner::peek`] saw, and the first key and its
    /// colon when there is one.
    #[inline(always)]
    pub(crate) fn begin_object(&mut self) -> Result<Option<Key<'a>>> {
        if self.open_object()? {
            self.key().map(Some)
        } else {
            Ok(None)
        }
    }

    /// After a member's value: the next key and its colon, or `None` at `}`.
    #[inline(always)]
    pub(crate) fn next_key(&mut self) -> Result<Option<Key<'a>>> {
        if self.next_member()? {
            self.key().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Consumes the `{` that [`Scanner::peek`] saw: whether a member
    /// follows, with the cursor on its name's opening quote.
    #[inline(always)]
    pub(crate) fn open_object(&mut self) -> Result<bool> {
        self.pos += 1;
        match self.peek()? {
            b'}' => {
                self.pos += 1;
                Ok(false)
            }
            b'"' => Ok(true),
            _ => Err(self.error(ErrorKind::KeyMustBeString, self.pos)),
        }
    }

    /// After a member's value: whether another member follows (`,`), with
    /// the cursor on its name's opening quote, or the object ends (`}`).
    #[inline(always)]
    pub(crate) fn next_member(&mut self) -> Result<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                match self.peek()? {
                    b'"' => Ok(true),
                    b'}' => Err(self.error(ErrorKind::TrailingComma, self.pos)),
                    _ => Err(self.error(ErrorKind::KeyMustBeString, self.pos)),
                }
            }
            b'}' => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.error(ErrorKind::ExpectedCommaOrEnd, self.pos)),
        }
    }

    /// Reads the name at the cursor and its colon when the name is `name`
    /// (whose [`name_words`] are `words`, and which needs no escape) and the
    /// colon follows at once; otherwise leaves the cursor where it is.
    #[inline(always)]
    pub(crate) fn name_is(&mut self, name: &str, words: (u64, u64)) -> bool {
        let start = self.pos + 1;
        let end = start + name.len();
        if self.bytes.get(end) != Some(&b'"') || self.bytes.get(end + 1) != Some(&b':') {
            return false;
        }
        let same = if name.len() <= 16 {
            words_at(self.bytes, start, end) == words
        } else {
            &self.bytes[start..end] == name.as_bytes()
        };
        if same {
            self.pos = end + 2;
        }
        same
    }

    /// A property name and its colon; the name's first and last eight bytes
    /// come along, read while the name is in the cache.
    #[inline(always)]
    pub(crate) fn key(&mut self) -> Result<Key<'a>> {
        let start = self.pos + 1;
        let end = self.special(start)?;
        let key = if self.bytes[end] == b'"' {
            self.pos = end + 1;
            Key { name: Cow::Borrowed(&self.text[start..end]), words: words_at(self.bytes, start, end), at: start - 1 }
        } else {
            let name = self.unescape(start, end)?;
            let words = name_words(name.as_bytes());
            Key { name: Cow::Owned(name), words, at: start - 1 }
        };
        if self.peek()? != b':' {
            return Err(self.error(ErrorKind::ExpectedColon, self.pos));
        }
        self.pos += 1;
        Ok(key)
    }

    /// Skips the next value, checking it, and returns its span. Escapes are
    /// checked but not decoded, so a lone surrogate passes. `depth` is how
    /// many arrays and objects hold the value.
    pub(crate) fn skip(&mut self, depth: usize) -> Result<Span> {
        let first = self.peek()?;
        let start = self.pos;
        match first {
            b'[' | b'{' => self.skip_container(depth)?,
            b'"' => self.pos = self.string_end(self.pos + 1)?.0 + 1,
            b'-' | b'0'..=b'9' => {
                self.number()?;
            }
            _ => {
                self.literal(first)?;
            }
        }
        Ok(start..self.pos)
    }

    /// Skips the array or object at the cursor, without recursion: a bit
    /// per level says which of the two is open.
    fn skip_container(&mut self, outer: usize) -> Result<()> {
        let mut objects: u128 = 0;
        let mut depth = 0usize;
        // At the top of the loop the cursor is on a value's first byte.
        loop {
            let first = self.bytes[self.pos];
            let open = match first {
                b'[' => {
                    self.pos += 1;
                    if self.peek()? == b']' {
                        self.pos += 1;
                        false
                    } else {
                        true
                    }
                }
                b'{' => {
                    self.pos += 1;
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            false
                        }
                        b'"' => {
                            self.skip_key()?;
                            true
                        }
                        _ => return Err(self.error(ErrorKind::KeyMustBeString, self.pos)),
                    }
                }
                b'"' => {
                    self.pos = self.string_end(self.pos + 1)?.0 + 1;
                    false
                }
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                    false
                }
                _ => {
                    self.literal(first)?;
                    false
                }
            };
            if open {
                if outer + depth == MAX_DEPTH {
                    return Err(self.error(ErrorKind::TooDeep, self.pos));
                }
                objects = (objects << 1) | u128::from(first == b'{');
                depth += 1;
                self.peek()?;
                continue;
            }
            // After a value: a comma leads to the next one, a bracket closes
            // a level.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let in_object = objects & 1 == 1;
                match (self.peek()?, in_object) {
                    (b',', false) => {
                        self.pos += 1;
                        if self.peek()? == b']' {
                            return Err(self.error(ErrorKind::TrailingComma, self.pos));
                        }
                        break;
                    }
                    (b',', true) => {
                        self.pos += 1;
                        match self.peek()? {
                            b'"' => self.skip_key()?,
                            b'}' => return Err(self.error(ErrorKind::TrailingComma, self.pos)),
                            _ => return Err(self.error(ErrorKind::KeyMustBeString, self.pos)),
                        }
                        self.peek()?;
                        break;
                    }
                    (b']', false) | (b'}', true) => {
                        self.pos += 1;
                        objects >>= 1;
                        depth -= 1;
                    }
                    _ => return Err(self.error(ErrorKind::ExpectedCommaOrEnd, self.pos)),
                }
            }
        }
    }

    fn skip_key(&mut self) -> Result<()> {
        self.pos = self.string_end(self.pos + 1)?.0 + 1;
        if self.peek()? != b':' {
            return Err(self.error(ErrorKind::ExpectedColon, self.pos));
        }
        self.pos += 1;
        Ok(())
    }
}
