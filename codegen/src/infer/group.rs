//! Which places become one type, and its name.

use std::collections::{BTreeSet, HashMap};

use heck::ToPascalCase;

use super::names::{specificity, Names};
use super::shape::{Place, Values};

/// How a type got its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedBy {
    /// The endpoint's root, named in endpoints.toml.
    Manifest,
    /// A key in names.toml.
    NamesFile,
    /// A place of the same or a near-subset shape had the name.
    Shape,
    /// Derived from the property's name.
    Property,
    /// Objects of a type occur at the same property: a place named by
    /// shape or by property joins the type the property keeps.
    Position,
}

/// Places that become one type.
#[derive(Debug)]
pub struct Group {
    pub name: String,
    /// Indices into the places, in the order they joined.
    pub places: Vec<usize>,
    pub named_by: Vec<NamedBy>,
    signature: Signature,
}

impl Group {
    /// The first place in traversal order.
    pub fn first(&self) -> usize {
        self.places.iter().copied().min().unwrap_or(usize::MAX)
    }
}

/// Per property, the kinds of value: `bool`, `string`, `number`, `array`,
/// `map`, `empty`, `object:Type`.
type Signature = Vec<(String, BTreeSet<String>)>;

/// The places grouped into types.
#[derive(Debug, Default)]
pub struct Grouping {
    pub groups: Vec<Group>,
    /// Place key → group index.
    pub of_place: HashMap<String, usize>,
    /// Names given by shape or by property, to write to names.toml, each
    /// under the key `key_for` gives its place.
    pub added: Vec<(String, String)>,
}

impl Grouping {
    /// The type name of the objects at `place_key`.
    pub fn name_of(&self, place_key: &str) -> Option<&str> {
        self.of_place.get(place_key).map(|g| self.groups[*g].name.as_str())
    }
}

/// Groups the places, deepest first so that a place's properties already
/// know the types of their objects.
pub fn group(places: &[Place], names: &Names, roots: &HashMap<String, String>) -> Grouping {
    let mut grouping = Grouping::default();
    let mut named_here = Vec::new();
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(places[i].depth()), i));
    for index in order {
        let place = &places[index];
        let signature = signature(place, &grouping);
        let forced = if place.path.is_empty() {
            roots.get(&place.endpoint).map(|name| (name.clone(), NamedBy::Manifest))
        } else {
            names.lookup(&place.endpoint, &place.path).map(|name| (name.to_owned(), NamedBy::NamesFile))
        };
        let (group, how) = match forced {
            Some((name, how)) => match grouping.groups.iter().position(|g| g.name == name) {
                Some(group) => (group, how),
                None => (new_group(&mut grouping, name), how),
            },
            None => {
                let similar = grouping
                    .groups
                    .iter()
                    .position(|g| !g.named_by.contains(&NamedBy::Manifest) && compatible(&g.signature, &signature));
                match similar {
                    Some(group) => (group, NamedBy::Shape),
                    None => {
                        let name = fallback_name(place, &grouping, names, roots);
                        (new_group(&mut grouping, name), NamedBy::Property)
                    }
                }
            }
        };
        if matches!(how, NamedBy::Shape | NamedBy::Property) {
            named_here.push(index);
        }
        let joined = &mut grouping.groups[group];
        joined.places.push(index);
        joined.named_by.push(how);
        merge_signature(&mut joined.signature, signature);
        grouping.of_place.insert(place.key(), group);
    }
    while join_at_positions(places, &mut grouping) {}
    drop_empty_groups(&mut grouping);
    for index in named_here {
        let key = key_for(places, &grouping, names, index);
        if let Some(&group) = grouping.of_place.get(&places[index].key()) {
            let name = grouping.groups[group].name.clone();
            if !grouping.added.iter().any(|(k, _)| *k == key) {
                grouping.added.push((key, name));
            }
        }
    }
    grouping
}

/// The key that names the place `index` in names.toml: the shortest suffix
/// of its path that holds the property of the object around it and its own
/// (`pay_grade/buff_info`, `data/ranks/[]`) and gives its type to no place of
/// another type in any endpoint; failing that its path from the root, and
/// failing that its path qualified by its endpoint. A key never takes a place
/// from a more specific key already in names.toml. No key is a single
/// property, which would take that property's objects wherever a later
/// fixture shows them.
fn key_for(places: &[Place], grouping: &Grouping, names: &Names, index: usize) -> String {
    let place = &places[index];
    let group = grouping.of_place.get(&place.key());
    let segments: Vec<&str> = place.path.split('/').filter(|s| !s.is_empty()).collect();
    let is_property = |segment: &str| !matches!(segment, "[]" | "{}");
    // The property that made the place, then the one of the object around
    // it; at the root, only the path from the root will do.
    let own = segments.iter().rposition(|s| is_property(s));
    let parent = own.and_then(|own| segments[..own].iter().rposition(|s| is_property(s)));
    let suffixes = parent
        .into_iter()
        .flat_map(|parent| (0..=parent).rev())
        .filter(|&start| is_property(segments[start]))
        .map(|start| segments[start..].join("/"));
    let anchored = std::iter::once(format!("/{}", segments.join("/")));
    let serves_only_its_type = |key: &String| {
        places.iter().all(|other| match specificity(key, &other.endpoint, &other.path) {
            None => true,
            Some(wins) => {
                names.best(&other.endpoint, &other.path).is_some_and(|best| best > wins)
                    || grouping.of_place.get(&other.key()) == group
            }
        })
    };
    suffixes
        .chain(anchored)
        .filter(|key| own.is_some() && !key.contains(':'))
        .find(serves_only_its_type)
        .unwrap_or_else(|| place.key())
}

/// True when names.toml or endpoints.toml names one of the group's places.
fn is_known(group: &Group) -> bool {
    group.named_by.iter().any(|how| matches!(how, NamedBy::NamesFile | NamedBy::Manifest))
}

/// Of the types whose objects occur at one position (`groups`, in the order
/// of their places), the one the schema names there: the first that
/// names.toml or endpoints.toml names, else the first.
pub fn kept_type(groups: &[usize], grouping: &Grouping) -> Option<usize> {
    groups.iter().copied().find(|&g| is_known(&grouping.groups[g])).or(groups.first().copied())
}

/// The places whose objects occur at each position a schema describes: a
/// property of a type (its places' properties merged, in the order
/// `emit::merged_props` merges them), and the items and map values below
/// it.
fn positions(places: &[Place], grouping: &Grouping) -> Vec<Vec<String>> {
    fn walk(values: &Values, at: String, out: &mut Vec<(String, Vec<String>)>) {
        if !values.places.is_empty() {
            let index = match out.iter().position(|(key, _)| *key == at) {
                Some(index) => index,
                None => {
                    out.push((at.clone(), Vec::new()));
                    out.len() - 1
                }
            };
            for place in &values.places {
                if !out[index].1.contains(place) {
                    out[index].1.push(place.clone());
                }
            }
        }
        if let Some(items) = &values.items {
            walk(items, format!("{at}[]"), out);
        }
        if let Some(map_values) = &values.map_values {
            walk(map_values, format!("{at}{{}}"), out);
        }
    }
    let mut all = Vec::new();
    for group in &grouping.groups {
        let mut members = group.places.clone();
        members.sort_unstable();
        let mut here: Vec<(String, Vec<String>)> = Vec::new();
        for &member in &members {
            for (key, prop) in &places[member].props {
                walk(&prop.values, key.clone(), &mut here);
            }
        }
        all.extend(here.into_iter().map(|(_, places)| places));
    }
    all
}

/// Where objects of several types occur at one position, the schema can
/// name only one: the type names.toml or endpoints.toml gives, else the
/// first (`emit::type_at`). Each place there that infer named by itself
/// (by shape or by its property) joins that type, so that the type describes
/// its objects and no type is left that nothing refers to. Places that
/// names.toml names keep their type. True when a place moved.
fn join_at_positions(places: &[Place], grouping: &mut Grouping) -> bool {
    let index: HashMap<String, usize> = places.iter().enumerate().map(|(i, place)| (place.key(), i)).collect();
    let mut moved = false;
    for at in positions(places, grouping) {
        let groups: Vec<usize> = at.iter().filter_map(|place| grouping.of_place.get(place).copied()).collect();
        let Some(kept) = kept_type(&groups, grouping) else { continue };
        for key in &at {
            let (Some(&from), Some(&place)) = (grouping.of_place.get(key), index.get(key)) else { continue };
            if from == kept {
                continue;
            }
            let Some(slot) = grouping.groups[from].places.iter().position(|&p| p == place) else { continue };
            if !matches!(grouping.groups[from].named_by[slot], NamedBy::Shape | NamedBy::Property) {
                continue;
            }
            grouping.groups[from].places.remove(slot);
            grouping.groups[from].named_by.remove(slot);
            grouping.groups[kept].places.push(place);
            grouping.groups[kept].named_by.push(NamedBy::Position);
            grouping.of_place.insert(key.clone(), kept);
            moved = true;
        }
        if moved {
            // The types' properties changed; the positions are found again.
            return true;
        }
    }
    false
}

/// Removes the groups whose places all joined other types.
fn drop_empty_groups(grouping: &mut Grouping) {
    if grouping.groups.iter().all(|g| !g.places.is_empty()) {
        return;
    }
    let mut new_index = Vec::with_capacity(grouping.groups.len());
    let mut kept = 0;
    for group in &grouping.groups {
        new_index.push(kept);
        if !group.places.is_empty() {
            kept += 1;
        }
    }
    grouping.groups.retain(|g| !g.places.is_empty());
    for group in grouping.of_place.values_mut() {
        *group = new_index[*group];
    }
}

fn new_group(grouping: &mut Grouping, name: String) -> usize {
    grouping.groups.push(Group { name, places: Vec::new(), named_by: Vec::new(), signature: Vec::new() });
    grouping.groups.len() - 1
}

fn signature(place: &Place, grouping: &Grouping) -> Signature {
    place.props.iter().map(|(key, prop)| (key.clone(), kinds(&prop.values, grouping))).collect()
}

/// The kinds of value of `values`, objects by their type's name.
pub fn kinds(values: &Values, grouping: &Grouping) -> BTreeSet<String> {
    let mut kinds = BTreeSet::new();
    for (count, kind) in [
        (values.bools, "bool"),
        (values.strings, "string"),
        (values.ints + values.floats, "number"),
        (values.arrays, "array"),
        (values.maps, "map"),
        (values.empty_objects, "empty"),
    ] {
        if count > 0 {
            kinds.insert(kind.to_owned());
        }
    }
    for place in &values.places {
        kinds.insert(format!("object:{}", grouping.name_of(place).unwrap_or("?")));
    }
    kinds
}

fn merge_signature(into: &mut Signature, from: Signature) {
    for (key, kinds) in from {
        match into.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => existing.extend(kinds),
            None => into.push((key, kinds)),
        }
    }
}

/// Two shapes are one type when they have the same keys, or when the
/// smaller has at least three keys and shares four fifths of them with the
/// larger; and in either case every shared key has compatible kinds.
fn compatible(a: &Signature, b: &Signature) -> bool {
    let keys_a: BTreeSet<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
    let keys_b: BTreeSet<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
    let common: Vec<&str> = keys_a.intersection(&keys_b).copied().collect();
    let smaller = keys_a.len().min(keys_b.len());
    let overlapping = keys_a == keys_b || (smaller >= 3 && common.len() * 5 >= smaller * 4);
    overlapping
        && common.iter().all(|key| {
            let kinds =
                |sig: &Signature| sig.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
            kinds_compatible(&kinds(a), &kinds(b))
        })
}

fn kinds_compatible(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let fold = |set: &BTreeSet<String>| -> BTreeSet<String> {
        let has_object = set.iter().any(|k| k.starts_with("object:") || k == "map");
        set.iter().filter(|k| !(has_object && *k == "empty")).cloned().collect()
    };
    let (a, b) = (fold(a), fold(b));
    let only_empty = |s: &BTreeSet<String>| s.is_empty() || (s.len() == 1 && s.contains("empty"));
    only_empty(&a) || only_empty(&b) || a.is_subset(&b) || b.is_subset(&a)
}

/// A name from the property: `ranks[]` → `Rank`, `stream_url` → `StreamUrl`;
/// when taken, prefixed with the parent property's name. A name is taken by
/// a type already made, and by names.toml and the endpoints' roots even
/// before their places are met, so a new place never takes the name of
/// known ones.
fn fallback_name(place: &Place, grouping: &Grouping, names: &Names, roots: &HashMap<String, String>) -> String {
    let label = place.label();
    let base = label.trim_end_matches(['[', ']', '{', '}']);
    let mut name = base.to_pascal_case();
    if label.ends_with("[]") {
        name = singular(&name);
    }
    if name.is_empty() {
        name = "Object".to_owned();
    }
    name = kept_name(&name);
    let taken = |name: &str| {
        grouping.groups.iter().any(|g| g.name == name)
            || names.entries.iter().any(|(_, given)| given == name)
            || roots.values().any(|root| root == name)
    };
    if taken(&name) {
        let segments: Vec<&str> = place.path.split('/').filter(|s| !s.is_empty() && *s != "[]" && *s != "{}").collect();
        if segments.len() >= 2 {
            name = kept_name(&format!("{}{name}", segments[segments.len() - 2].to_pascal_case()));
        }
    }
    let mut unique = name.clone();
    let mut n = 2;
    while taken(&unique) {
        unique = format!("{name}{n}");
        n += 1;
    }
    unique
}

/// `name` as typify keeps a type's title: in PascalCase (of its letters,
/// digits and underscores), starting with a letter (`0x` becomes `X0x`), and
/// not a keyword (`Self` becomes `SelfType`). typify renames any other
/// title, and the generator then no longer finds the schema's type.
fn kept_name(name: &str) -> String {
    let mut name = name.to_owned();
    for _ in 0..4 {
        let mut next = name.replace('\'', "").replace(|c: char| !c.is_alphanumeric() && c != '_', "-").to_pascal_case();
        if !next.starts_with(char::is_alphabetic) {
            next = format!("X{next}").to_pascal_case();
        }
        if syn::parse_str::<syn::Ident>(&next).is_err() {
            next.push_str("Type");
        }
        if next == name {
            break;
        }
        name = next;
    }
    name
}

fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.ends_with("ss") || name.len() <= 3 {
        name.to_owned()
    } else {
        name.strip_suffix('s').unwrap_or(name).to_owned()
    }
}
