//! What the fixtures show at each position: kinds of value by token, integer
//! ranges, how often a property is present or `null`, and the objects.

use std::collections::HashMap;

use dylive_json::Json;

use super::json::OJson;

/// The values seen at one position, across all samples.
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub count: usize,
    pub nulls: usize,
    pub bools: usize,
    pub strings: usize,
    pub ints: usize,
    /// Smallest and largest integer, when they fit i128.
    pub int_range: Option<(i128, i128)>,
    /// Integers too large for i128.
    pub huge_ints: usize,
    pub floats: usize,
    pub arrays: usize,
    pub items: Option<Box<Values>>,
    /// Objects with named properties; each is a sample of the place at one
    /// of `places`.
    pub objects: usize,
    pub places: Vec<String>,
    pub empty_objects: usize,
    /// Objects taken as maps: digit keys, or a hint.
    pub maps: usize,
    pub map_values: Option<Box<Values>>,
    /// Where the values were seen, as `endpoint:/json/path` (first only).
    pub path: String,
    /// Up to [`EXAMPLES`] distinct strings, numbers or booleans, in the
    /// order met; long strings cut.
    pub examples: Vec<OJson>,
}

/// The most example values kept at one position.
pub const EXAMPLES: usize = 3;

/// The most characters of a string example; a longer one is cut and ends
/// in `…`.
const EXAMPLE_CHARS: usize = 48;

/// A value as an example: strings cut to [`EXAMPLE_CHARS`]; an array or
/// object only when it is short (`[]`, `{}`, `[1, 2]`) and holds no array
/// or object.
fn example(value: &Json<'_>) -> Option<OJson> {
    const SHORT: usize = 4;
    let plain = |v: &Json<'_>| !matches!(v, Json::Array(_) | Json::Object(_));
    match value {
        Json::Array(items) if items.len() <= SHORT && items.iter().all(plain) => {
            let owned: OJson = value.clone().map_text(&mut |text| text.into_owned());
            (owned.to_json().chars().count() <= EXAMPLE_CHARS).then_some(owned)
        }
        Json::Object(members) if members.len() <= SHORT && members.iter().all(|(_, v)| plain(v)) => {
            let owned: OJson = value.clone().map_text(&mut |text| text.into_owned());
            (owned.to_json().chars().count() <= EXAMPLE_CHARS).then_some(owned)
        }
        Json::Bool(b) => Some(OJson::Bool(*b)),
        Json::Number(text) => Some(OJson::Number(text.to_string())),
        Json::String(text) if text.chars().count() > EXAMPLE_CHARS => {
            let mut cut: String = text.chars().take(EXAMPLE_CHARS).collect();
            cut.push('…');
            Some(OJson::String(cut))
        }
        Json::String(text) => Some(OJson::String(text.to_string())),
        _ => None,
    }
}

fn add_example(examples: &mut Vec<OJson>, example: OJson) {
    if examples.len() < EXAMPLES && !examples.contains(&example) {
        examples.push(example);
    }
}

impl Values {
    fn at(path: String) -> Self {
        Values { path, ..Values::default() }
    }

    /// Folds `other` (the same property seen at another place) into `self`.
    pub fn merge(&mut self, other: &Values) {
        self.count += other.count;
        self.nulls += other.nulls;
        self.bools += other.bools;
        self.strings += other.strings;
        self.ints += other.ints;
        self.int_range = match (self.int_range, other.int_range) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
        self.huge_ints += other.huge_ints;
        self.floats += other.floats;
        self.arrays += other.arrays;
        merge_box(&mut self.items, &other.items);
        self.objects += other.objects;
        for place in &other.places {
            if !self.places.contains(place) {
                self.places.push(place.clone());
            }
        }
        self.empty_objects += other.empty_objects;
        self.maps += other.maps;
        merge_box(&mut self.map_values, &other.map_values);
        if self.path.is_empty() {
            self.path.clone_from(&other.path);
        }
        for example in &other.examples {
            add_example(&mut self.examples, example.clone());
        }
    }
}

fn merge_box(into: &mut Option<Box<Values>>, from: &Option<Box<Values>>) {
    match (into.as_mut(), from) {
        (Some(a), Some(b)) => a.merge(b),
        (None, Some(b)) => *into = Some(b.clone()),
        _ => {}
    }
}

/// A place where objects with named properties occur.
#[derive(Clone, Debug)]
pub struct Place {
    pub endpoint: String,
    /// The JSON path below the endpoint's root, `""` for the root; array
    /// items are `[]`, map values `{}`.
    pub path: String,
    pub count: usize,
    pub props: Vec<(String, Prop)>,
}

impl Place {
    /// `endpoint:/path`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.endpoint, self.path)
    }

    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }

    /// The property whose values made this place, for names: `user`,
    /// `ranks[]`, `icons{}`.
    pub fn label(&self) -> String {
        let mut segments: Vec<&str> = self.path.split('/').filter(|s| !s.is_empty()).collect();
        let mut suffix = String::new();
        while let Some(last) = segments.last() {
            match *last {
                "[]" | "{}" => {
                    suffix.insert_str(0, last);
                    segments.pop();
                }
                _ => break,
            }
        }
        format!("{}{suffix}", segments.last().copied().unwrap_or(""))
    }
}

/// A property of a place.
#[derive(Clone, Debug, Default)]
pub struct Prop {
    /// In how many samples of the place it was present.
    pub present: usize,
    pub values: Values,
}

/// Walks samples and gathers the places.
#[derive(Default)]
pub struct Collector {
    pub places: Vec<Place>,
    index: HashMap<String, usize>,
    /// Path suffixes whose objects are maps whatever their keys.
    pub map_hints: Vec<String>,
    /// The values at each endpoint's root.
    pub roots: Vec<(String, Values)>,
}

impl Collector {
    /// Adds one sample of `endpoint`'s response.
    pub fn add(&mut self, endpoint: &str, sample: &Json<'_>) {
        let mut root = match self.roots.iter().position(|(e, _)| e == endpoint) {
            Some(index) => std::mem::take(&mut self.roots[index].1),
            None => Values::at(format!("{endpoint}:")),
        };
        self.walk(endpoint, "", sample, &mut root);
        match self.roots.iter().position(|(e, _)| e == endpoint) {
            Some(index) => self.roots[index].1 = root,
            None => self.roots.push((endpoint.to_owned(), root)),
        }
    }

    fn walk(&mut self, endpoint: &str, path: &str, value: &Json<'_>, into: &mut Values) {
        into.count += 1;
        if into.examples.len() < EXAMPLES {
            if let Some(example) = example(value) {
                add_example(&mut into.examples, example);
            }
        }
        match value {
            Json::Null => into.nulls += 1,
            Json::Bool(_) => into.bools += 1,
            Json::String(_) => into.strings += 1,
            Json::Number(text) if text.contains(['.', 'e', 'E']) => into.floats += 1,
            Json::Number(text) => {
                into.ints += 1;
                match text.parse::<i128>() {
                    Ok(n) => into.int_range = Some(into.int_range.map_or((n, n), |(lo, hi)| (lo.min(n), hi.max(n)))),
                    Err(_) => into.huge_ints += 1,
                }
            }
            Json::Array(items) => {
                into.arrays += 1;
                let child = format!("{path}/[]");
                let values = into.items.get_or_insert_with(|| Box::new(Values::at(format!("{endpoint}:{child}"))));
                for item in items {
                    self.walk(endpoint, &child, item, values);
                }
            }
            Json::Object(members) if members.is_empty() => into.empty_objects += 1,
            Json::Object(members) if self.is_map(path, members) => {
                into.maps += 1;
                let child = format!("{path}/{{}}");
                let values = into.map_values.get_or_insert_with(|| Box::new(Values::at(format!("{endpoint}:{child}"))));
                for (_, member) in members {
                    self.walk(endpoint, &child, member, values);
                }
            }
            Json::Object(members) => {
                into.objects += 1;
                let key = format!("{endpoint}:{path}");
                if !into.places.contains(&key) {
                    into.places.push(key);
                }
                self.visit_place(endpoint, path, members);
            }
        }
    }

    fn is_map(&self, path: &str, members: &[(std::borrow::Cow<'_, str>, Json<'_>)]) -> bool {
        members.iter().all(|(key, _)| !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()))
            || self.map_hints.iter().any(|hint| super::names::suffix_matches(path, hint))
    }

    fn visit_place(&mut self, endpoint: &str, path: &str, members: &[(std::borrow::Cow<'_, str>, Json<'_>)]) {
        let key = format!("{endpoint}:{path}");
        let index = match self.index.get(&key) {
            Some(index) => *index,
            None => {
                self.places.push(Place {
                    endpoint: endpoint.to_owned(),
                    path: path.to_owned(),
                    count: 0,
                    props: Vec::new(),
                });
                self.index.insert(key, self.places.len() - 1);
                self.places.len() - 1
            }
        };
        self.places[index].count += 1;
        for (name, value) in members {
            let mut child = path.to_owned();
            dylive_runtime::pointer::push_key(&mut child, name);
            let position = match self.places[index].props.iter().position(|(k, _)| k == name.as_ref()) {
                Some(position) => position,
                None => {
                    let values = Values::at(format!("{endpoint}:{child}"));
                    self.places[index].props.push((name.to_string(), Prop { present: 0, values }));
                    self.places[index].props.len() - 1
                }
            };
            // Paths only grow, so the walk below never reaches this place.
            let mut prop = std::mem::take(&mut self.places[index].props[position].1);
            prop.present += 1;
            self.walk(endpoint, &child, value, &mut prop.values);
            self.places[index].props[position].1 = prop;
        }
    }
}
