//! The walk of a capture's tree against the generated types' descriptions.
//!
//! The walk keeps the path to the current value as a stack of steps and
//! writes a JSON Pointer only where one is reported, and it groups its
//! findings by what and place as it goes, so a clean value costs no
//! allocation.

use std::collections::{BTreeSet, HashSet};

use dylive_json::Json;
use dylive_runtime::info::{Shape, Ty, TypeInfo};
use rustc_hash::FxHashMap;

use super::detect::Envelope;
use super::What;

/// One step of the path to a value.
#[derive(Clone, Copy)]
pub(crate) enum Step<'j> {
    Key(&'j str),
    Index(usize),
}

/// The JSON Pointer of `path`.
pub(crate) fn pointer(path: &[Step<'_>]) -> String {
    let mut pointer = String::new();
    let mut index = itoa::Buffer::new();
    for step in path {
        match step {
            Step::Key(key) => dylive_runtime::pointer::push_key(&mut pointer, key),
            Step::Index(at) => {
                pointer.push('/');
                pointer.push_str(index.format(*at));
            }
        }
    }
    pointer
}

/// The findings of one property of one schema type, as the walk gathers
/// them.
#[derive(Debug)]
pub(crate) struct Pending {
    /// The schema type, `User`; empty where no type names the place.
    pub(crate) type_name: &'static str,
    /// What the schema expects there.
    pub(crate) expected: Option<String>,
    /// The kinds of value found.
    pub(crate) kinds: BTreeSet<&'static str>,
    /// Places it was found at.
    pub(crate) count: usize,
    /// Of those, the places in the data, not in an envelope's fields.
    pub(crate) in_data: usize,
    /// The first place, as a JSON Pointer.
    pub(crate) pointer: String,
    /// One value found, as compact JSON cut to 60 characters.
    pub(crate) example: Option<String>,
    /// Every place, when asked for.
    pub(crate) pointers: Vec<String>,
}

/// Walks a JSON value against the generated types' descriptions. It counts
/// the values the types explain and the places of each type, and records
/// what the decoded value's drift list does not hold: properties the schema
/// does not know, required ones that are missing, `null` where the schema
/// does not allow it, and a fraction where it asks for an integer (the model
/// keeps both as they came, so they are not kind drift to it). It goes into
/// a value only where its kind fits; a value of another kind is the drift
/// list's to report, and the walker names its place for the grouping.
#[derive(Default)]
pub(crate) struct Walker<'e> {
    /// The findings by what ([`What`] as an index) and place
    /// (`User.webcast_uid`).
    pub(crate) groups: [FxHashMap<String, Pending>; 3],
    /// The properties of another kind whose schema also allows `null`.
    pub(crate) or_null: HashSet<String>,
    /// Where each value of another kind is: its pointer, then the type and
    /// place (`User.pay_grade`).
    pub(crate) other_kind: FxHashMap<String, (&'static str, String)>,
    /// How many objects of each type the capture holds.
    pub(crate) places: FxHashMap<&'static str, usize>,
    /// Values whose kind the types describe, but for those of the envelope.
    pub(crate) explained: usize,
    /// The envelopes' fields, left out of `explained`.
    pub(crate) envelope: Option<&'e Envelope>,
    /// Every place of each finding is kept, not only the first.
    pub(crate) verbose: bool,
    /// The items of an array walked, at most: a sample for detection.
    pub(crate) items: Option<usize>,
    /// The type of the innermost object walked, for places of arrays' items.
    pub(crate) type_name: &'static str,
}

impl<'e> Walker<'e> {
    /// A walker that leaves the values at `envelope`'s pointers out of
    /// `explained`.
    pub(crate) fn new(envelope: &'e Envelope, verbose: bool) -> Walker<'e> {
        Walker { envelope: Some(envelope), verbose, ..Walker::default() }
    }

    /// Whether the value at `path` is in the data, not an envelope's status
    /// or message field.
    fn in_data(&self, path: &[Step<'_>]) -> bool {
        self.envelope.is_none_or(|envelope| !envelope.holds(path))
    }

    /// Whether the value at `pointer` is in the data.
    pub(crate) fn pointer_in_data(&self, pointer: &str) -> bool {
        self.envelope.is_none_or(|envelope| !envelope.contains(pointer))
    }

    /// Findings in the data: every place of every group, and the values of
    /// another kind; then those of them that are missing properties.
    pub(crate) fn findings_in_data(&self) -> (usize, usize) {
        let groups: usize = self.groups.iter().flat_map(|groups| groups.values()).map(|g| g.in_data).sum();
        let other_kind = self.other_kind.keys().filter(|pointer| self.pointer_in_data(pointer)).count();
        let missing = self.groups[What::Missing as usize].values().map(|g| g.in_data).sum();
        (groups + other_kind, missing)
    }

    /// Walks `json`, the whole capture, as a value of type `ty`.
    pub(crate) fn walk_root(&mut self, ty: &Ty, json: &Json<'_>) {
        self.walk(ty, false, json, &mut Vec::new(), &mut String::new());
    }

    /// A value of type `ty`, or `null` too when `nullable`, at `place`
    /// (`User.badges[]`).
    fn walk<'j>(&mut self, ty: &Ty, nullable: bool, json: &'j Json<'_>, path: &mut Vec<Step<'j>>, place: &mut String) {
        if nullable && json.is_null() {
            self.explain(path);
            return;
        }
        if !ty.accepts(json.kind()) {
            self.other_kind.insert(pointer(path), (self.type_name, place.clone()));
            return;
        }
        let integer = matches!(ty, Ty::Integer | Ty::Nullable(Ty::Integer));
        if integer && json.as_number().is_some_and(is_fraction) {
            let expected = if nullable { format!("{} or null", ty.expected()) } else { ty.expected() };
            self.record(What::OtherKind, place, Some(expected), json, path);
            return;
        }
        if !matches!(ty, Ty::Nullable(_) | Ty::Type(_)) {
            self.explain(path);
        }
        match ty {
            Ty::Nullable(inner) => self.walk(inner, true, json, path, place),
            Ty::Array(item) => {
                let at = place.len();
                place.push_str("[]");
                let items = json.items();
                let items = &items[..self.items.map_or(items.len(), |most| most.min(items.len()))];
                for (i, value) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    self.walk(item, false, value, path, place);
                    path.pop();
                }
                place.truncate(at);
            }
            Ty::Map(values) => {
                let at = place.len();
                place.push_str("{}");
                for (key, value) in json.members() {
                    path.push(Step::Key(key));
                    self.walk(values, false, value, path, place);
                    path.pop();
                }
                place.truncate(at);
            }
            Ty::Type(info) => self.typed(info(), json, path, place),
            Ty::Null | Ty::Bool | Ty::Integer | Ty::Number | Ty::String | Ty::Any => {}
        }
    }

    /// A value of a generated type, of a kind the type takes.
    fn typed<'j>(&mut self, info: &'static TypeInfo, json: &'j Json<'_>, path: &mut Vec<Step<'j>>, place: &mut String) {
        match info.shape {
            Shape::Union(variants) => {
                if let Some(variant) = variants.iter().find(|v| v.kind == json.kind()) {
                    self.walk(&variant.ty, false, json, path, place);
                }
            }
            Shape::Object(fields) => {
                self.explain(path);
                *self.places.entry(info.name).or_default() += 1;
                let outer = std::mem::replace(&mut self.type_name, info.name);
                let members = json.members();
                let mut here = String::with_capacity(info.name.len() + 24);
                // Objects of one type mostly list their properties in the
                // schema's order: the field after the last one found is
                // tried first.
                let mut next = 0;
                let mut seen = 0usize;
                for (key, value) in members {
                    path.push(Step::Key(key));
                    here.clear();
                    here.push_str(info.name);
                    here.push('.');
                    here.push_str(key);
                    let field = match fields.get(next) {
                        Some(field) if field.name == key => Some((next, field)),
                        _ => fields.iter().enumerate().find(|(_, f)| f.name == key),
                    };
                    match field {
                        Some((at, field)) => {
                            next = at + 1;
                            seen += usize::from(field.required);
                            if !field.ty.accepts(value.kind()) {
                                if !value.is_null() && field.nullable {
                                    self.or_null.insert(pointer(path));
                                } else if value.is_null() && !field.nullable {
                                    self.record(What::OtherKind, &here, Some(field.ty.expected()), value, path);
                                }
                            }
                            self.walk(&field.ty, field.nullable, value, path, &mut here);
                        }
                        None => self.record(What::New, &here, None, value, path),
                    }
                    path.pop();
                }
                // No name occurs twice in a parsed object: when every
                // required property was counted, none is missing.
                if seen < fields.iter().filter(|f| f.required).count() {
                    for field in fields.iter().filter(|f| f.required) {
                        if !members.iter().any(|(key, _)| key == field.name) {
                            path.push(Step::Key(field.name));
                            here.clear();
                            here.push_str(info.name);
                            here.push('.');
                            here.push_str(field.name);
                            self.add(What::Missing, &here, info.name, Some("present"), "absent", None, path);
                            path.pop();
                        }
                    }
                }
                self.type_name = outer;
            }
        }
    }

    fn explain(&mut self, path: &[Step<'_>]) {
        if self.in_data(path) {
            self.explained += 1;
        }
    }

    fn record(&mut self, what: What, place: &str, expected: Option<String>, json: &Json<'_>, path: &[Step<'_>]) {
        let type_name = self.type_name;
        self.add(what, place, type_name, expected.as_deref(), kind_of(json), Some(json), path);
    }

    /// Counts a finding at `path` in its group; the first of a group keeps
    /// its pointer and an example of its value.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        what: What,
        place: &str,
        type_name: &'static str,
        expected: Option<&str>,
        kind: &'static str,
        json: Option<&Json<'_>>,
        path: &[Step<'_>],
    ) {
        let in_data = usize::from(self.in_data(path));
        let verbose = self.verbose;
        let groups = &mut self.groups[what as usize];
        match groups.get_mut(place) {
            Some(group) => {
                group.count += 1;
                group.in_data += in_data;
                group.kinds.insert(kind);
                if verbose {
                    group.pointers.push(pointer(path));
                }
            }
            None => {
                let first = pointer(path);
                let group = Pending {
                    type_name,
                    expected: expected.map(str::to_owned),
                    kinds: BTreeSet::from([kind]),
                    count: 1,
                    in_data,
                    pointers: if verbose { vec![first.clone()] } else { Vec::new() },
                    pointer: first,
                    example: json.map(example),
                };
                groups.insert(place.to_owned(), group);
            }
        }
    }
}

pub(crate) fn is_fraction(number: &str) -> bool {
    number.contains(['.', 'e', 'E'])
}

/// The kind of a value in a finding: an integer is told from a number.
pub(crate) fn kind_of(json: &Json<'_>) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(text) if is_fraction(text) => "number",
        Json::Number(_) => "integer",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// The value as compact JSON, cut to 60 characters.
pub(crate) fn example(json: &Json<'_>) -> String {
    let mut text = String::new();
    bounded(json, &mut text, 256);
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Writes `json` compact to `out`, stopping once `out` holds `limit`
/// bytes, so that an example of a large value costs no more than a small
/// one.
fn bounded(json: &Json<'_>, out: &mut String, limit: usize) {
    let (open, close) = match json {
        Json::Array(_) => ('[', ']'),
        Json::Object(_) => ('{', '}'),
        leaf => return out.push_str(&leaf.to_json()),
    };
    out.push(open);
    for (at, item) in json.items().iter().enumerate() {
        if out.len() >= limit {
            return;
        }
        if at > 0 {
            out.push(',');
        }
        bounded(item, out, limit);
    }
    for (at, (key, value)) in json.members().iter().enumerate() {
        if out.len() >= limit {
            return;
        }
        if at > 0 {
            out.push(',');
        }
        out.push_str(&Json::String(key.clone()).to_json());
        out.push(':');
        bounded(value, out, limit);
    }
    out.push(close);
}

/// Every value in `json`, itself included; then those a walk that takes at
/// most `items` items of an array meets.
pub(crate) fn count(json: &Json<'_>, items: usize) -> (usize, usize) {
    let (mut all, mut sampled) = (1, 1);
    for (at, item) in json.items().iter().enumerate() {
        let (a, s) = count(item, items);
        all += a;
        if at < items {
            sampled += s;
        }
    }
    for (_, value) in json.members() {
        let (a, s) = count(value, items);
        all += a;
        sampled += s;
    }
    (all, sampled)
}

/// A pointer with its array indexes as `*`, for a place no type names.
pub(crate) fn generic(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|step| if !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()) { "*" } else { step })
        .collect::<Vec<_>>()
        .join("/")
}
