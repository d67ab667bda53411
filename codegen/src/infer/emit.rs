//! Turns the grouped places into draft-07 definitions and merges them with
//! the schemas as they are, so that what people wrote survives.

use std::collections::{BTreeSet, HashMap};

use heck::ToPascalCase;

use super::group::{kept_type, Grouping};
use super::json::OJson;
use super::names::Names;
use super::shape::{Place, Prop, Values};
use super::Report;

/// A definition to write: its name and schema, with `$ref`s to other
/// definitions written `@Name` until the files are known.
pub struct Definition {
    pub name: String,
    pub schema: OJson,
    /// The group it comes from; `None` for a union.
    pub group: Option<usize>,
    /// The group whose property made the union.
    pub owner: Option<usize>,
    /// Where its objects or values were first found, `endpoint:/path`.
    pub found: String,
}

pub struct Emitter<'a> {
    pub places: &'a [Place],
    pub grouping: &'a Grouping,
    pub names: &'a Names,
    pub report: &'a mut Report,
    pub unions: Vec<Definition>,
    /// Per group, its places' properties merged ([`merged`]).
    pub merged: &'a [Merged],
    /// Per group, the objects of other places that stand as its type.
    pub standing: Vec<Standing>,
}

/// Objects that stand as a type besides those of its own places: `{}`,
/// maps, and objects of another type at a position whose schema names this
/// one. A property is required only when every one of them has it too.
#[derive(Clone, Debug, Default)]
pub struct Standing {
    pub objects: usize,
    /// Per property, in how many of those objects it is present.
    pub present: HashMap<String, usize>,
}

/// A group's places' properties merged, in order of appearance, and the
/// number of objects those places hold.
pub type Merged = (usize, Vec<(String, Prop)>);

/// Each group's [`Merged`] properties, by group index.
pub fn merged(places: &[Place], grouping: &Grouping) -> Vec<Merged> {
    (0..grouping.groups.len()).map(|index| merged_props(places, grouping, index)).collect()
}

/// The properties of group `index`'s places merged, in order of appearance,
/// and the number of objects those places hold.
fn merged_props(places: &[Place], grouping: &Grouping, index: usize) -> Merged {
    let mut members = grouping.groups[index].places.clone();
    members.sort_unstable();
    let total: usize = members.iter().map(|&p| places[p].count).sum();
    let mut props: Vec<(String, Prop)> = Vec::new();
    for &p in &members {
        for (key, prop) in &places[p].props {
            match props.iter_mut().find(|(k, _)| k == key) {
                Some((_, merged)) => {
                    merged.present += prop.present;
                    merged.values.merge(&prop.values);
                }
                None => props.push((key.clone(), prop.clone())),
            }
        }
    }
    (total, props)
}

/// What stands as each group's type beyond its own places' objects, found
/// at every position the schemas will describe: each group's properties as
/// `Emitter::definition` merges them, and the endpoints' roots. At a
/// position whose objects are of several types the schema names the first
/// (as `Emitter::value_schema` does), so the others stand as it; so do the
/// `{}` and the maps met there.
pub fn standing(merged: &[Merged], places: &[Place], grouping: &Grouping, roots: &[(String, Values)]) -> Vec<Standing> {
    let by_key: HashMap<String, &Place> = places.iter().map(|place| (place.key(), place)).collect();
    let mut standing = vec![Standing::default(); grouping.groups.len()];
    for (_, props) in merged {
        for (_, prop) in props {
            stand(&prop.values, grouping, &by_key, &mut standing);
        }
    }
    for (_, values) in roots {
        stand(values, grouping, &by_key, &mut standing);
    }
    standing
}

/// The type the schema names where objects of `values` occur: when they
/// are of several types, the first one that names.toml or endpoints.toml
/// names, else the first, so that a type found in a new capture never
/// takes the place of a known one.
fn type_at(values: &Values, grouping: &Grouping) -> Option<usize> {
    let groups: Vec<usize> = values.places.iter().filter_map(|place| grouping.of_place.get(place).copied()).collect();
    kept_type(&groups, grouping)
}

/// Adds to `standing` what stands as a type at the position of `values`
/// and at the positions of its items and map values that the schemas
/// describe.
fn stand(values: &Values, grouping: &Grouping, by_key: &HashMap<String, &Place>, standing: &mut [Standing]) {
    if let Some(group) = type_at(values, grouping) {
        let into = &mut standing[group];
        into.objects += values.empty_objects + values.maps;
        for key in &values.places {
            if grouping.of_place.get(key) == Some(&group) {
                continue;
            }
            let Some(place) = by_key.get(key) else { continue };
            into.objects += place.count;
            for (name, prop) in &place.props {
                *into.present.entry(name.clone()).or_default() += prop.present;
            }
        }
    } else if values.maps > 0 || values.empty_objects > 0 {
        if let Some(map_values) = values.map_values.as_deref().filter(|v| v.count > 0) {
            stand(map_values, grouping, by_key, standing);
        }
    }
    if values.arrays > 0 {
        if let Some(items) = values.items.as_deref().filter(|v| v.count > 0) {
            stand(items, grouping, by_key, standing);
        }
    }
}

impl Emitter<'_> {
    /// The definition of group `index`, properties in order of appearance.
    pub fn definition(&mut self, index: usize) -> Definition {
        let merged: &[Merged] = self.merged;
        let (total, props) = &merged[index];
        let name = self.grouping.groups[index].name.clone();
        let properties: Vec<(String, OJson)> =
            props.iter().map(|(key, prop)| (key.clone(), self.value_schema(&prop.values, index, key))).collect();
        // Required: present in every object the type stands for, at every
        // position whose schema names it, not only in its own places'.
        let others = &self.standing[index];
        let required: Vec<OJson> = props
            .iter()
            .filter(|(key, prop)| {
                prop.present + others.present.get(key).copied().unwrap_or(0) == total + others.objects
            })
            .map(|(key, _)| OJson::str(key))
            .collect();
        let mut schema = OJson::object([("type", OJson::str("object")), ("properties", OJson::Object(properties))]);
        if !required.is_empty() {
            schema.set("required", OJson::Array(required));
        }
        let found = self.places.get(self.grouping.groups[index].first()).map(|place| place.key()).unwrap_or_default();
        Definition { name, schema, group: Some(index), owner: None, found }
    }

    fn value_schema(&mut self, values: &Values, owner: usize, key: &str) -> OJson {
        let mut kinds: Vec<(&str, OJson)> = Vec::new();
        if values.bools > 0 {
            kinds.push(("boolean", OJson::object([("type", OJson::str("boolean"))])));
        }
        if values.strings > 0 {
            kinds.push(("string", OJson::object([("type", OJson::str("string"))])));
        }
        if values.floats > 0 {
            kinds.push(("number", OJson::object([("type", OJson::str("number"))])));
        } else if values.ints > 0 {
            let mut integer = OJson::object([("type", OJson::str("integer"))]);
            let beyond_i64 = values.int_range.is_some_and(|(_, hi)| hi > i128::from(i64::MAX));
            let within_u64 = values.huge_ints == 0 && values.int_range.is_none_or(|(_, hi)| hi <= i128::from(u64::MAX));
            if beyond_i64 && within_u64 {
                integer.set("format", OJson::str("uint64"));
            }
            kinds.push(("integer", integer));
        }
        let mut refs: Vec<&str> = Vec::new();
        for place in &values.places {
            if let Some(name) = self.grouping.name_of(place) {
                if !refs.contains(&name) {
                    refs.push(name);
                }
            }
        }
        if let Some(kept) = type_at(values, self.grouping).map(|g| self.grouping.groups[g].name.as_str()) {
            refs.retain(|name| *name != kept);
            refs.insert(0, kept);
        }
        if refs.len() > 1 {
            self.report.conflicts.push(format!(
                "{}: objects of several types ({}); the first is kept",
                values.path,
                refs.join(", ")
            ));
        }
        if let Some(name) = refs.first() {
            if values.maps > 0 {
                self.report
                    .conflicts
                    .push(format!("{}: both objects and maps; the maps are not described", values.path));
            }
            kinds.push(("object", OJson::object([("$ref", OJson::String(format!("@{name}")))])));
        } else if values.maps > 0 || values.empty_objects > 0 {
            let map_values = match &values.map_values {
                Some(map_values) if map_values.count > 0 => self.value_schema(map_values, owner, &format!("{key}{{}}")),
                _ => OJson::object([]),
            };
            if values.maps > 0 {
                let to = map_values.get_str("$ref").map_or("any value", |r| r.trim_start_matches('@'));
                self.report.maps.push(format!("{} → {to}", values.path));
            }
            kinds.push((
                "object",
                OJson::object([("type", OJson::str("object")), ("additionalProperties", map_values)]),
            ));
        }
        if values.arrays > 0 {
            let items = match &values.items {
                Some(items) if items.count > 0 => self.value_schema(items, owner, &format!("{key}[]")),
                _ => OJson::object([]),
            };
            kinds.push(("array", OJson::object([("type", OJson::str("array")), ("items", items)])));
        }
        let schema = match kinds.len() {
            // Any value; `null` is the one the fixtures show, if any.
            0 if values.nulls > 0 => return OJson::object([("examples", OJson::Array(vec![OJson::Null]))]),
            0 => return OJson::object([]),
            1 => kinds.pop().map(|(_, schema)| schema).unwrap_or_else(|| OJson::object([])),
            _ => self.union(values, owner, key, kinds),
        };
        let mut schema = if values.nulls > 0 { nullable(schema) } else { schema };
        // Examples go where a value has one kind beside null: a `$ref` or a
        // `oneOf` takes no siblings.
        if !values.examples.is_empty() && schema.get("type").is_some() {
            schema.set("examples", OJson::Array(values.examples.clone()));
        }
        schema
    }

    fn union(&mut self, values: &Values, owner: usize, key: &str, kinds: Vec<(&str, OJson)>) -> OJson {
        let (endpoint, path) = values.path.split_once(':').unwrap_or(("", &values.path));
        let name = self.names.lookup(endpoint, path).map(str::to_owned).unwrap_or_else(|| {
            format!(
                "{}{}",
                self.grouping.groups[owner].name,
                key.trim_end_matches(['[', ']', '{', '}']).to_pascal_case()
            )
        });
        let labels: Vec<&str> = kinds.iter().map(|(label, _)| *label).collect();
        self.report.unions.push(format!("{name} at {}: {}", values.path, labels.join(" | ")));
        let schema = OJson::object([("oneOf", OJson::Array(kinds.into_iter().map(|(_, s)| s).collect()))]);
        match self.unions.iter_mut().find(|u| u.name == name) {
            Some(existing) => {
                // The same union met again: keep every variant once.
                if let (Some(OJson::Array(have)), Some(OJson::Array(more))) =
                    (existing.schema.get("oneOf").cloned(), schema.get("oneOf"))
                {
                    let mut all = have;
                    for variant in more {
                        if !all.contains(variant) {
                            all.push(variant.clone());
                        }
                    }
                    existing.schema.set("oneOf", OJson::Array(all));
                }
            }
            None => self.unions.push(Definition {
                name: name.clone(),
                schema,
                group: None,
                owner: Some(owner),
                found: values.path.clone(),
            }),
        }
        OJson::object([("$ref", OJson::String(format!("@{name}")))])
    }
}

/// `schema` allowing `null` too.
fn nullable(schema: OJson) -> OJson {
    match schema.get("type") {
        Some(OJson::String(kind)) if kind != "object" => {
            let mut schema = schema.clone();
            schema.set("type", OJson::Array(vec![OJson::String(kind.clone()), OJson::str("null")]));
            schema
        }
        _ => OJson::object([("oneOf", OJson::Array(vec![schema, OJson::object([("type", OJson::str("null"))])]))]),
    }
}

/// Annotations that people write and inference keeps.
const KEPT: [&str; 3] = ["title", "description", "$comment"];

/// True for a schema a person marked as written by hand.
pub fn is_override(schema: &OJson) -> bool {
    schema.get_str("$comment").is_some_and(|c| c.trim_start().starts_with("override"))
}

/// Merges an inferred definition with the one in the schemas: a definition
/// or property marked `"$comment": "override…"` stays as written; otherwise
/// the inferred one is taken with the written title, description and
/// comment; properties no fixture shows any more stay.
pub fn merge(name: &str, new: OJson, old: Option<&OJson>, report: &mut Report) -> OJson {
    let Some(old) = old else { return new };
    if is_override(old) {
        return old.clone();
    }
    let mut merged = OJson::Object(Vec::new());
    for key in KEPT {
        if let Some(value) = old.get(key) {
            merged.set(key, value.clone());
        }
    }
    for (key, value) in new.members() {
        if key != "properties" {
            merged.set(key, value.clone());
        } else {
            merged.set("properties", merge_properties(name, value, old.get("properties"), report));
        }
    }
    if let (Some(OJson::Array(old_variants)), Some(OJson::Array(new_variants))) = (old.get("oneOf"), new.get("oneOf")) {
        merged.set("oneOf", OJson::Array(keep_order(old_variants, new_variants)));
    }
    // The order of the inferred keys, then the required list after the
    // properties, in their order.
    if let Some(required) = merged.remove("required") {
        let required = match (required, merged.get("properties")) {
            (OJson::Array(names), Some(properties)) => OJson::Array(in_property_order(names, properties)),
            (required, _) => required,
        };
        merged.set("required", required);
    }
    merged
}

/// The variants of `new`: those also in `old` in their old order, then the
/// others, so that meeting the kinds in another order changes nothing.
fn keep_order(old: &[OJson], new: &[OJson]) -> Vec<OJson> {
    let mut out: Vec<OJson> = old.iter().filter(|variant| new.contains(variant)).cloned().collect();
    out.extend(new.iter().filter(|variant| !old.contains(variant)).cloned());
    out
}

/// The required `names` in the order of `properties`; a name that is not a
/// property (written by a person) keeps its place after them.
fn in_property_order(names: Vec<OJson>, properties: &OJson) -> Vec<OJson> {
    let position =
        |name: &OJson| properties.members().iter().position(|(key, _)| matches!(name, OJson::String(n) if n == key));
    let mut names: Vec<(usize, OJson)> =
        names.into_iter().map(|name| (position(&name).unwrap_or(usize::MAX), name)).collect();
    names.sort_by_key(|(position, _)| *position);
    names.into_iter().map(|(_, name)| name).collect()
}

fn merge_properties(name: &str, new: &OJson, old: Option<&OJson>, report: &mut Report) -> OJson {
    let Some(old) = old else { return new.clone() };
    let mut out = Vec::new();
    let new_keys: BTreeSet<&str> = new.members().iter().map(|(k, _)| k.as_str()).collect();
    for (key, old_schema) in old.members() {
        match new.get(key) {
            Some(_) if is_override(old_schema) => out.push((key.clone(), old_schema.clone())),
            Some(new_schema) => {
                let mut schema = new_schema.clone();
                for annotation in KEPT {
                    if let Some(value) = old_schema.get(annotation) {
                        schema.set(annotation, value.clone());
                    }
                }
                out.push((key.clone(), schema));
            }
            None => {
                report.vanished.push(format!("{name}.{key}"));
                out.push((key.clone(), old_schema.clone()));
            }
        }
    }
    for (key, schema) in new.members() {
        if old.get(key).is_none() {
            report.new_fields.push(format!("{name}.{key}"));
            out.push((key.clone(), schema.clone()));
        }
    }
    debug_assert!(new_keys.iter().all(|k| out.iter().any(|(o, _)| o == k)));
    OJson::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> OJson {
        OJson::Array(list.iter().map(|name| OJson::str(name)).collect())
    }

    fn object_with(properties: &[&str], required: &[&str]) -> OJson {
        let properties = properties.iter().map(|key| (key.to_string(), OJson::object([]))).collect();
        OJson::object([("properties", OJson::Object(properties)), ("required", names(required))])
    }

    #[test]
    fn required_follows_the_order_of_the_properties_as_written() {
        // Written as `b, a`; a fixture met later shows `a` first and a new `c`.
        let old = object_with(&["b", "a"], &["b", "a"]);
        let new = object_with(&["a", "b", "c"], &["a", "b", "c"]);
        let merged = merge("T", new, Some(&old), &mut Report::default());
        let keys: Vec<&str> =
            merged.get("properties").map_or(vec![], |p| p.members().iter().map(|(k, _)| k.as_str()).collect());
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(merged.get("required"), Some(&names(&["b", "a", "c"])));
    }

    #[test]
    fn variants_keep_their_written_order() {
        let variant = |kind: &str| OJson::object([("type", OJson::str(kind))]);
        let old = OJson::object([("oneOf", OJson::Array(vec![variant("string"), variant("integer")]))]);
        let new =
            OJson::object([("oneOf", OJson::Array(vec![variant("boolean"), variant("integer"), variant("string")]))]);
        let merged = merge("U", new, Some(&old), &mut Report::default());
        let expected = OJson::Array(vec![variant("string"), variant("integer"), variant("boolean")]);
        assert_eq!(merged.get("oneOf"), Some(&expected));
    }
}
