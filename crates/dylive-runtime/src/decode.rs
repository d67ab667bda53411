//! How a body becomes a model: one pass over the text, its state in one
//! value.
//!
//! # The pass
//!
//! [`crate::from_slice`] checks once that the body is UTF-8, then a
//! [`Decoder`] walks it from the first byte to the last, once. The decoder
//! holds everything a decode knows: the cursor of the tokenizer (`scan.rs`,
//! which checks the JSON grammar in full and hands out byte spans), whether
//! values of another kind are kept or fatal, those kept so far, the path to
//! the value being read, and the order in which each struct's properties
//! came. Nothing else steers a decode: no thread-local flag, no
//! global mode, no second pass.
//!
//! Each type reads itself through [`Decode::decode`], from the value's first
//! byte:
//!
//! - a generated struct ([`json_object!`](crate::json_object)) reads the
//!   members of an object. Objects of one type tend to list their
//!   properties in one order, so the name that followed the previous
//!   property last time is compared whole with the body first. Otherwise
//!   the name is scanned and finds its field through a hash table built
//!   when compiling ([`Members`]): one hash of its length and first and last
//!   eight bytes, one comparison. An unknown property is skipped and kept as
//!   its exact text ([`crate::RawJson`]); a property met twice is an error,
//!   since only one of its values could be kept;
//! - a generated enum ([`json_union!`](crate::json_union)) looks at the
//!   first byte and reads the variant for that kind of value;
//! - [`crate::Int`] takes the number token and keeps a machine integer when
//!   that is exact, and the token's text otherwise (an id beyond 2^64,
//!   `-0`, `1.0`); [`crate::Float`] keeps the text unless its `f64` prints
//!   back the same;
//! - strings are borrowed from the body while they are read, and copied
//!   once into the model; arrays, maps and boxes read their items.
//!
//! # Values of another kind
//!
//! Every property is a [`crate::Field`], and that is where drift is kept. A
//! field first looks at the value's first byte: `null` is
//! [`crate::Field::Null`]; a kind its type cannot take is skipped and kept
//! whole as [`crate::Field::Other`]. A kind it can take is read; should a
//! value deeper inside not fit where no field can keep it (the string item
//! of an array of objects), the field goes back to where its value began,
//! skips it and keeps it whole. That reads one value twice, never the body.
//!
//! Each value kept whole is recorded at once with its JSON Pointer and what
//! was expected there ([`crate::Decoded::drift`]). The decoder knows where
//! it is: a step for each array and object it is in, an item's index or
//! the offset of a property's name, which is read again only to name a
//! place.
//!
//! A strict decode ([`crate::from_slice_strict`]) runs the same code and
//! fails instead, at the first value that does not fit: the cost of a
//! clean body is the same in both modes.
//!
//! # Errors
//!
//! An error ([`Error`]) starts where the value that failed begins. On its
//! way out, each array and object it passes adds its step, so the JSON
//! Pointer costs nothing until something fails. [`crate::DecodeError`] adds
//! the line, the column and the body.
//!
//! # The serde path
//!
//! `Deserialize` on a generated type (`serde_json::from_str`, reqwest's
//! `.json()`, axum's `Json`, a model inside a consumer's own struct) asks
//! the deserializer for the value's text, the way `serde_json`'s `RawValue`
//! does, and runs this decoder on it. A deserializer that cannot hand over
//! text gives the value as a tree; its text is written out and decoded the
//! same way (`serde.rs`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use rustc_hash::FxHashMap;

use crate::info::Shaped;
use crate::scan::{self, Key, Scanner, MAX_DEPTH};
use crate::{Drift, Field, JsonKind, Map, RawJson, UnknownFields};

/// A type that reads itself from JSON text in one pass; see the [module
/// docs](self). The generated types implement it through
/// [`json_object!`](crate::json_object) and [`json_union!`](crate::json_union);
/// a type of one's own builds on the runtime's:
///
/// ```
/// use dylive_runtime::decode::{Decode, Decoder, Error};
/// use dylive_runtime::info::{Shaped, Ty};
/// use dylive_runtime::Field;
///
/// /// A version such as "1.2", kept as its text.
/// struct Version(String);
///
/// impl Shaped for Version {
///     const TY: Ty = Ty::String;
/// }
///
/// impl Decode for Version {
///     fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
///         String::decode(decoder).map(Version)
///     }
/// }
///
/// let decoded = dylive_runtime::decode_slice::<Vec<Field<Version>>>(br#"["1.2", 2]"#, false)?;
/// assert_eq!(decoded.value[0].get().map(|v| v.0.as_str()), Some("1.2"));
/// assert!(decoded.value[1].is_other());
/// assert_eq!(decoded.drift[0].pointer(), "/1");
/// # Ok::<(), dylive_runtime::DecodeError>(())
/// ```
pub trait Decode: Shaped + Sized {
    /// Reads the next value of `decoder`.
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error>;
}

/// A decode in progress: the tokenizer's cursor and the decode's state.
pub struct Decoder<'a> {
    scan: Scanner<'a>,
    tolerant: bool,
    depth: usize,
    /// Where the walk is: a step for each array and object it is in.
    path: Vec<Place>,
    /// The values of another kind kept so far, each with its place.
    drift: Vec<Drift>,
    /// For each kind of struct met (by the address of its [`Members`]), where
    /// its part of `orders` starts.
    kinds: FxHashMap<usize, usize>,
    /// Per kind of struct, for each property (and, last, the start of an
    /// object), 1 + the index of the known property that came next the last
    /// time, or 0: objects of one type tend to list their properties in the
    /// same order, so the next name is tried as a whole before it is
    /// scanned and looked up.
    orders: Vec<u16>,
}

impl<'a> Decoder<'a> {
    /// A decoder at the start of `text`; `tolerant` keeps values of another
    /// kind than the schema says instead of failing.
    pub fn new(text: &'a str, tolerant: bool) -> Self {
        Decoder {
            scan: Scanner::new(text),
            tolerant,
            depth: 0,
            path: Vec::new(),
            drift: Vec::new(),
            kinds: FxHashMap::default(),
            orders: Vec::new(),
        }
    }

    /// Decodes the one value of the text, which nothing but whitespace may
    /// follow.
    pub fn decode_all<T: Decode>(&mut self) -> Result<T, Error> {
        let value = T::decode(self)?;
        self.scan.finish().map_err(Error::syntax)?;
        Ok(value)
    }

    /// True once a value of another kind was kept.
    pub fn drifted(&self) -> bool {
        !self.drift.is_empty()
    }

    /// The values of another kind kept so far, in the order of the body,
    /// each with its JSON Pointer and what was expected there: the places
    /// the decoded value's `drift()` lists.
    pub fn drift(&self) -> &[Drift] {
        &self.drift
    }

    /// The JSON Pointer of the value at the cursor.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for place in &self.path {
            match *place {
                Place::Key(at) => {
                    let key = self.scan.string_at(at).unwrap_or_default();
                    crate::pointer::push_key(&mut pointer, &key);
                }
                Place::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(itoa::Buffer::new().format(index));
                }
            }
        }
        pointer
    }

    /// The first byte of the next value, after whitespace.
    #[inline]
    pub fn peek(&mut self) -> Result<u8, Error> {
        self.scan.peek().map_err(Error::syntax)
    }

    /// The kind of the next value; an error when no value starts there.
    #[inline]
    pub fn kind(&mut self) -> Result<JsonKind, Error> {
        let first = self.peek()?;
        match first {
            b'n' | b't' | b'f' | b'"' | b'[' | b'{' | b'-' | b'0'..=b'9' => Ok(kind_of(first)),
            _ => Err(self.not_a_value()),
        }
    }

    /// Checks that the next value starts with `first`, as a `T` does.
    #[inline(always)]
    fn expect<T: Shaped>(&mut self, first: u8) -> Result<(), Error> {
        let found = self.peek()?;
        if found == first {
            Ok(())
        } else {
            Err(self.invalid_type::<T>(found))
        }
    }

    /// The error for the value starting with `first` where `T` was
    /// expected, at the cursor.
    #[cold]
    pub fn invalid_type<T: Shaped>(&self, first: u8) -> Error {
        self.invalid(first, T::TY.expected())
    }

    /// The error for the value starting with `first` where `expected` (in
    /// words: "a number or a string") was expected, at the cursor.
    #[cold]
    pub fn invalid_expecting(&self, first: u8, expected: &str) -> Error {
        self.invalid(first, expected.to_owned())
    }

    #[cold]
    fn invalid(&self, first: u8, expected: String) -> Error {
        match first {
            b'n' | b't' | b'f' | b'"' | b'[' | b'{' | b'-' | b'0'..=b'9' => {
                Error::new(What::Type { found: kind_of(first), expected }, self.scan.offset())
            }
            _ => self.not_a_value(),
        }
    }

    #[cold]
    fn not_a_value(&self) -> Error {
        Error::syntax(scan::Error { kind: scan::ErrorKind::ExpectedValue, offset: self.scan.offset() })
    }

    /// The error for a property met twice in one object.
    #[cold]
    fn duplicate(&self, key: &str) -> Error {
        Error::new(What::Duplicate(key.to_owned()), self.scan.offset())
    }

    /// Reads a string, whose opening quote [`Decoder::peek`] saw.
    #[inline]
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.scan.string().map_err(Error::syntax)
    }

    /// Reads a number token, whose first byte [`Decoder::peek`] saw.
    #[inline]
    fn number(&mut self) -> Result<&'a str, Error> {
        self.scan.number().map_err(Error::syntax)
    }

    /// Skips the next value, checking it, and keeps its text.
    #[inline]
    pub fn raw(&mut self) -> Result<RawJson, Error> {
        self.scan.peek().map_err(Error::syntax)?;
        let span = self.scan.skip(self.depth).map_err(Error::syntax)?;
        Ok(RawJson::from_checked(self.scan.slice(span)))
    }

    /// Keeps the next value whole, as a value of another kind where `T`
    /// was expected, and records the places inside it that do not fit.
    #[cold]
    fn other<T: Shaped>(&mut self) -> Result<RawJson, Error> {
        let raw = self.raw()?;
        let mut pointer = self.pointer();
        crate::drift::walk(&raw, T::TY, &mut pointer, &mut self.drift);
        Ok(raw)
    }

    /// Where the property order of the struct whose table is `members`
    /// starts in `orders`; room is made the first time.
    fn order_of<T>(&mut self, members: &'static Members<T>) -> usize {
        let kind = std::ptr::from_ref(members) as usize;
        if let Some(&start) = self.kinds.get(&kind) {
            return start;
        }
        let start = self.orders.len();
        self.orders.resize(start + members.entries.len() + 1, 0);
        self.kinds.insert(kind, start);
        start
    }

    /// One more level of arrays and objects.
    #[inline]
    fn enter(&mut self) -> Result<(), Error> {
        if self.depth == MAX_DEPTH {
            return Err(Error::syntax(scan::Error { kind: scan::ErrorKind::TooDeep, offset: self.scan.offset() }));
        }
        self.depth += 1;
        self.path.push(Place::Index(0));
        Ok(())
    }

    /// The step to the value the walk reads next, in the array or object it
    /// is in.
    #[inline(always)]
    fn step(&mut self, place: Place) {
        if let Some(last) = self.path.last_mut() {
            *last = place;
        }
    }

    /// One level of arrays and objects less.
    #[inline]
    fn leave(&mut self) {
        self.depth -= 1;
        self.path.pop();
    }

    /// Reads the object whose `{` [`Decoder::peek`] saw, calling `member`
    /// with each property name; `member` reads the value.
    #[inline]
    pub fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.members(|decoder, key| member(decoder, key.name))
    }

    /// [`Decoder::object`], with each name's words for [`Members`].
    #[inline]
    fn members(&mut self, mut member: impl FnMut(&mut Self, Key<'a>) -> Result<(), Error>) -> Result<(), Error> {
        self.enter()?;
        let mut key = self.scan.begin_object().map_err(Error::syntax)?;
        while let Some(name) = key {
            self.step(Place::Key(name.at));
            member(self, name)?;
            key = self.scan.next_key().map_err(Error::syntax)?;
        }
        self.leave();
        Ok(())
    }

    /// Reads the array whose `[` [`Decoder::peek`] saw, calling `item` with
    /// the index of each item; `item` reads it.
    #[inline]
    pub fn array(&mut self, mut item: impl FnMut(&mut Self, usize) -> Result<(), Error>) -> Result<(), Error> {
        self.enter()?;
        let mut more = self.scan.begin_array().map_err(Error::syntax)?;
        let mut index = 0;
        while more {
            self.step(Place::Index(index));
            item(self, index)?;
            index += 1;
            more = self.scan.next_item().map_err(Error::syntax)?;
        }
        self.leave();
        Ok(())
    }
}

/// The kind of the value whose first byte is `first`.
#[inline]
fn kind_of(first: u8) -> JsonKind {
    match first {
        b'n' => JsonKind::Null,
        b't' | b'f' => JsonKind::Bool,
        b'"' => JsonKind::String,
        b'[' => JsonKind::Array,
        b'{' => JsonKind::Object,
        _ => JsonKind::Number,
    }
}

/// Why a decode failed, where, and the JSON Pointer of the value.
pub struct Error(Box<Inner>);

struct Inner {
    what: What,
    offset: usize,
    /// The steps from the value that failed out to the top, innermost
    /// first.
    steps: Vec<Step>,
}

enum What {
    Syntax(scan::ErrorKind),
    NotUtf8,
    Type { found: JsonKind, expected: String },
    Duplicate(String),
}

enum Step {
    Key(String),
    Index(usize),
}

/// A step of the path to the value being read: a property, by the offset
/// of its name in the text (read again only to name a place), or an item.
#[derive(Clone, Copy)]
enum Place {
    Key(usize),
    Index(usize),
}

impl Error {
    fn new(what: What, offset: usize) -> Self {
        Error(Box::new(Inner { what, offset, steps: Vec::new() }))
    }

    #[cold]
    fn syntax(error: scan::Error) -> Self {
        Error::new(What::Syntax(error.kind), error.offset)
    }

    /// A body that is not UTF-8, from its first byte that is not.
    #[cold]
    pub(crate) fn not_utf8(offset: usize) -> Self {
        Error::new(What::NotUtf8, offset)
    }

    /// The error, seen from the object that holds the value at `key`.
    #[cold]
    pub fn at_key(mut self, key: &str) -> Self {
        if !self.is_syntax() {
            self.0.steps.push(Step::Key(key.to_owned()));
        }
        self
    }

    /// The error, seen from the array that holds the value at `index`.
    #[cold]
    pub fn at_index(mut self, index: usize) -> Self {
        if !self.is_syntax() {
            self.0.steps.push(Step::Index(index));
        }
        self
    }

    /// True when the text is not JSON (or not UTF-8), false when it is JSON
    /// that does not fit.
    pub fn is_syntax(&self) -> bool {
        matches!(self.0.what, What::Syntax(_) | What::NotUtf8)
    }

    /// True when keeping a value whole would mend the failure: a value of
    /// another kind, not broken text or a repeated property.
    fn is_kind(&self) -> bool {
        matches!(self.0.what, What::Type { .. })
    }

    /// The byte offset in the text where the failure was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// The JSON Pointer of the value that failed; empty for the whole text,
    /// and for text that is not JSON.
    pub fn pointer(&self) -> String {
        let mut pointer = String::new();
        for step in self.0.steps.iter().rev() {
            match step {
                Step::Key(key) => crate::pointer::push_key(&mut pointer, key),
                Step::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(itoa::Buffer::new().format(*index));
                }
            }
        }
        pointer
    }

    /// What was expected and what was found.
    pub fn message(&self) -> String {
        match &self.0.what {
            What::Syntax(kind) => kind.to_string(),
            What::NotUtf8 => "the body is not UTF-8".to_owned(),
            What::Type { found, expected } => format!("invalid type: {}, expected {expected}", found.describe()),
            What::Duplicate(key) => format!("duplicate property `{key}`"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = self.pointer();
        if pointer.is_empty() {
            write!(f, "{} at byte {}", self.message(), self.0.offset)
        } else {
            write!(f, "{} at {pointer} (byte {})", self.message(), self.0.offset)
        }
    }
}

/// The members of a generated struct: each property's name and the
/// function that reads its value into its field, found by name through a
/// hash table built when compiling.
///
/// A name is hashed from its length and its first and last eight bytes;
/// the table keeps these three for each known name, so that a name of up to
/// sixteen bytes is told apart from every other by comparing them alone.
pub struct Members<T: 'static> {
    entries: &'static [(&'static str, Member<T>)],
    /// Slot → 1 + the index of an entry, 0 for an empty slot.
    table: [u16; TABLE],
    /// The first and last eight bytes of each entry's name.
    words: [(u64, u64); MAX_MEMBERS],
    /// Whether each entry's name needs no escape in JSON, so that the
    /// bytes of a name in a body can be compared with it as they are.
    plain: [bool; MAX_MEMBERS],
}

/// Reads the value of one property into its field.
pub type Member<T> = fn(&mut T, &mut Decoder<'_>) -> Result<(), Error>;

/// The bits of a slot: the table has 1024 slots, so that it stays at
/// most half full with [`MAX_MEMBERS`] properties. A room object of the
/// real API has more than 170.
const SLOT_BITS: u32 = 10;
const TABLE: usize = 1 << SLOT_BITS;

/// The most properties a generated struct may have.
pub const MAX_MEMBERS: usize = TABLE / 2;

impl<T> Members<T> {
    /// The table of `entries`; at most [`MAX_MEMBERS`] properties, with
    /// names unique.
    pub const fn new(entries: &'static [(&'static str, Member<T>)]) -> Self {
        assert!(entries.len() <= MAX_MEMBERS, "at most 512 properties a struct");
        let mut table = [0u16; TABLE];
        let mut words = [(0, 0); MAX_MEMBERS];
        let mut plain = [false; MAX_MEMBERS];
        let mut index = 0;
        while index < entries.len() {
            let name = entries[index].0.as_bytes();
            let (head, tail) = scan::name_words(name);
            words[index] = (head, tail);
            plain[index] = crate::write::plain(entries[index].0);
            let mut slot = slot(name.len(), head, tail);
            while table[slot] != 0 {
                assert!(!eq(entries[table[slot] as usize - 1].0.as_bytes(), name), "a name twice");
                slot = (slot + 1) % TABLE;
            }
            table[slot] = index as u16 + 1;
            index += 1;
        }
        Members { entries, table, words, plain }
    }

    /// The index of the property `name`, whose first and last eight bytes
    /// are `words`.
    #[inline]
    fn index(&self, name: &str, (head, tail): (u64, u64)) -> Option<usize> {
        let bytes = name.as_bytes();
        let mut slot = slot(bytes.len(), head, tail);
        loop {
            let entry = usize::from(self.table[slot]);
            if entry == 0 {
                return None;
            }
            let known = self.entries[entry - 1].0;
            if known.len() == bytes.len()
                && self.words[entry - 1] == (head, tail)
                && (bytes.len() <= 16 || known.as_bytes() == bytes)
            {
                return Some(entry - 1);
            }
            slot = (slot + 1) % TABLE;
        }
    }
}

/// The slot of a name, from its length and its two words, mixed by one
/// multiplication.
#[inline]
const fn slot(len: usize, head: u64, tail: u64) -> usize {
    let mixed = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - SLOT_BITS)) as usize
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut at = 0;
    while at < a.len() {
        if a[at] != b[at] {
            return false;
        }
        at += 1;
    }
    true
}

/// A generated struct, with the table of its known properties.
pub trait DecodeObject: crate::object::JsonObject + 'static {
    /// The known properties.
    fn members() -> &'static Members<Self>;
}

/// Reads a generated struct from an object.
pub fn object<T: DecodeObject>(decoder: &mut Decoder<'_>) -> Result<T, Error> {
    let first = decoder.peek()?;
    if first != b'{' {
        return Err(decoder.invalid(first, format!("an object ({})", T::TYPE_NAME)));
    }
    let members = T::members();
    let count = members.entries.len();
    let order = decoder.order_of(members);
    let mut object = T::default();
    let mut unknown: Vec<(String, RawJson)> = Vec::new();
    decoder.enter()?;
    let mut more = decoder.scan.open_object().map_err(Error::syntax)?;
    // The property before, `count` at the start.
    let mut previous = count;
    while more {
        decoder.step(Place::Key(decoder.scan.offset()));
        let guess = usize::from(decoder.orders[order + previous]);
        let index = if guess != 0 && decoder.scan.name_is(members.entries[guess - 1].0, members.words[guess - 1]) {
            Some(guess - 1)
        } else {
            let key = decoder.scan.key().map_err(Error::syntax)?;
            match members.index(&key.name, key.words) {
                Some(index) => {
                    if members.plain[index] {
                        decoder.orders[order + previous] = index as u16 + 1;
                    }
                    Some(index)
                }
                None => {
                    let value = decoder.raw().map_err(|error| error.at_key(&key.name))?;
                    unknown.push((key.name.into_owned(), value));
                    None
                }
            }
        };
        if let Some(index) = index {
            (members.entries[index].1)(&mut object, decoder)?;
            previous = index;
        }
        more = decoder.scan.next_member().map_err(Error::syntax)?;
    }
    decoder.leave();
    if !unknown.is_empty() {
        *object.unknown_fields_mut() =
            UnknownFields::from_entries(unknown.into_iter()).map_err(|key| decoder.duplicate(&key))?;
    }
    Ok(object)
}

/// Reads the value of the property `key` into `field`; a property met twice
/// in one object is an error.
#[inline(always)]
pub fn member<T: Decode>(field: &mut Field<T>, key: &str, decoder: &mut Decoder<'_>) -> Result<(), Error> {
    if !field.is_absent() {
        return Err(decoder.duplicate(key));
    }
    *field = Field::decode(decoder).map_err(|error| error.at_key(key))?;
    Ok(())
}

/// `null` is [`Field::Null`]; a value of another kind is kept whole when
/// the decode is tolerant (see the [module docs](self)).
impl<T: Decode> Decode for Field<T> {
    #[inline(always)]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        let first = decoder.peek()?;
        if first == b'n' {
            decoder.scan.literal(first).map_err(Error::syntax)?;
            return Ok(Field::Null);
        }
        if !decoder.tolerant {
            return T::decode(decoder).map(Field::Value);
        }
        let (start, depth, drift) = (decoder.scan.offset(), decoder.depth, decoder.drift.len());
        match T::decode(decoder) {
            Ok(value) => Ok(Field::Value(value)),
            Err(error) if error.is_kind() => {
                decoder.scan.rewind(start);
                decoder.depth = depth;
                decoder.path.truncate(depth);
                decoder.drift.truncate(drift);
                decoder.other::<T>().map(Field::Other)
            }
            Err(error) => Err(error),
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        let first = decoder.peek()?;
        if first == b'n' {
            decoder.scan.literal(first).map_err(Error::syntax)?;
            return Ok(None);
        }
        T::decode(decoder).map(Some)
    }
}

impl<T: Decode> Decode for Box<T> {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        T::decode(decoder).map(Box::new)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        decoder.expect::<Self>(b'[')?;
        let mut items = Vec::new();
        decoder.array(|decoder, index| {
            items.push(T::decode(decoder).map_err(|error| error.at_index(index))?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl<T: Decode> Decode for Map<T> {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        decoder.expect::<Self>(b'{')?;
        let mut map = BTreeMap::new();
        decoder.object(|decoder, key| {
            if map.contains_key(&*key) {
                return Err(decoder.duplicate(&key));
            }
            let value = T::decode(decoder).map_err(|error| error.at_key(&key))?;
            map.insert(key.into_owned(), value);
            Ok(())
        })?;
        Ok(Map::from(map))
    }
}

impl Decode for String {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        decoder.expect::<Self>(b'"')?;
        decoder.string().map(Cow::into_owned)
    }
}

impl Decode for bool {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        let first = decoder.peek()?;
        match first {
            b't' | b'f' => Ok(decoder.scan.literal(first).map_err(Error::syntax)? == Some(true)),
            _ => Err(decoder.invalid_type::<Self>(first)),
        }
    }
}

/// `null`, the one value of a property that is always `null`.
impl Decode for () {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        let first = decoder.peek()?;
        match first {
            b'n' => decoder.scan.literal(first).map(|_| ()).map_err(Error::syntax),
            _ => Err(decoder.invalid_type::<Self>(first)),
        }
    }
}

impl Decode for RawJson {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        decoder.raw()
    }
}

impl Decode for crate::Int {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        let first = decoder.peek()?;
        if first != b'-' && !first.is_ascii_digit() {
            return Err(decoder.invalid_type::<Self>(first));
        }
        if let Some(value) = decoder.scan.small_unsigned() {
            return Ok(crate::Int::from(value));
        }
        decoder.number().map(crate::Int::from_token)
    }
}

impl Decode for crate::Float {
    #[inline]
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Error> {
        let first = decoder.peek()?;
        if first != b'-' && !first.is_ascii_digit() {
            return Err(decoder.invalid_type::<Self>(first));
        }
        decoder.number().map(crate::Float::from_token)
    }
}

/// Decodes the whole of `text` into `T`: the value and whether a value of
/// another kind was kept.
pub(crate) fn decode_text<T: Decode>(text: &str, tolerant: bool) -> Result<(T, Vec<Drift>), Error> {
    let mut decoder = Decoder::new(text, tolerant);
    let value = decoder.decode_all::<T>()?;
    Ok((value, decoder.drift))
}
