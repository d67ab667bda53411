//! `cargo xtask infer`: draft-07 schemas derived from the fixtures.
//!
//! Every fixture of every endpoint in `schemas/endpoints.toml` is read, and
//! what it shows at each position is gathered: the kind of each
//! value by its token (an integer is not a float), each integer's range,
//! how often a property is absent and how often `null`, the items of arrays,
//! and objects whose keys are all digits, which are maps. The places where
//! objects occur are then grouped into types: a place named in
//! `schemas/names.toml` takes that name; any other joins a type of the same
//! or a near-subset shape, or gets a name from its property, which is written
//! back to `names.toml` for a person to edit. Where objects of several types
//! occur at one property, those infer named by itself join the type the
//! property keeps (the one names.toml gives, else the first), so that no
//! type is left that nothing refers to. Kinds that differ at one
//! position become a union. Finally the definitions are merged with the
//! schemas as they are: titles, descriptions, comments and
//! anything marked `"$comment": "override…"` stay as written, and a property
//! no fixture shows any more stays until a person removes it. A definition
//! inference adds says where its objects were first found and that no
//! document describes it yet, until a person writes a description.

mod emit;
mod group;
mod json;
mod names;
mod shape;

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Error, GeneratedFile, Manifest};
use emit::{Definition, Emitter};
use group::NamedBy;
use json::OJson;
use names::Names;
use shape::Collector;

/// What inference did, for people to read.
#[derive(Debug, Default)]
pub struct Report {
    /// The fixtures read.
    pub fixtures: Vec<String>,
    /// The fixtures skipped as asked.
    pub skipped: Vec<String>,
    /// Object places found, one type each without deduplication.
    pub places: usize,
    /// Each type with the places it describes and how each got its name.
    pub types: Vec<String>,
    /// Positions whose objects are maps, with the type of their values.
    pub maps: Vec<String>,
    /// Positions with several kinds of value, and the union made for them.
    pub unions: Vec<String>,
    /// Properties the schemas did not have.
    pub new_fields: Vec<String>,
    /// Properties in the schemas that no fixture shows; they stay.
    pub vanished: Vec<String>,
    /// Definitions in the schemas that no fixture shows; they stay.
    pub kept: Vec<String>,
    /// What could not be described exactly.
    pub conflicts: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "read {} fixture(s)", self.fixtures.len())?;
        for skipped in &self.skipped {
            writeln!(f, "skipped {skipped}")?;
        }
        writeln!(f, "{} object places → {} types, {} unions", self.places, self.types.len(), self.unions.len())?;
        let sections: [(&str, &Vec<String>); 7] = [
            ("types", &self.types),
            ("maps", &self.maps),
            ("unions", &self.unions),
            ("new fields", &self.new_fields),
            ("fields no fixture shows (kept)", &self.vanished),
            ("definitions no fixture shows (kept)", &self.kept),
            ("conflicts", &self.conflicts),
        ];
        for (title, lines) in sections {
            if !lines.is_empty() {
                writeln!(f, "{title}:")?;
                for line in lines {
                    writeln!(f, "  {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// The files inference writes and its report.
pub struct Inference {
    /// The schema files and `schemas/names.toml`.
    pub files: Vec<GeneratedFile>,
    /// What was done.
    pub report: Report,
}

/// Infers the schemas of the workspace at `root`; fixtures in `skip` are
/// not read. A fixture that is not JSON is an error naming its file, line
/// and column.
pub fn infer(root: &Path, skip: &[PathBuf]) -> Result<Inference, Error> {
    let manifest = Manifest::load(root)?;
    let names_path = PathBuf::from("schemas/names.toml");
    let mut names = Names::load(&root.join(&names_path))?;
    let mut collector = Collector::default();
    collector.map_hints.clone_from(&names.maps);
    let mut report = Report::default();
    let skip: Vec<PathBuf> = skip.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect();
    for endpoint in &manifest.endpoints {
        for file in fixture_files(&root.join(&endpoint.fixtures))? {
            let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
            if skip.contains(&file.canonicalize().unwrap_or_else(|_| file.clone())) {
                report.skipped.push(shown);
                continue;
            }
            let text = crate::read(&file)?;
            let sample = dylive_json::parse(&text).map_err(|e| Error::Fixture {
                path: shown.clone(),
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            })?;
            collector.add(&endpoint.name, &sample);
            report.fixtures.push(shown);
        }
    }
    report.places = collector.places.len();

    let roots: HashMap<String, String> =
        manifest.endpoints.iter().map(|e| (e.name.clone(), e.response.clone())).collect();
    let grouping = group::group(&collector.places, &names, &roots);
    for group in sorted_groups(&grouping) {
        let mut line = format!("{}: {} place(s)", group.name, group.places.len());
        let mut places: Vec<(usize, NamedBy)> =
            group.places.iter().copied().zip(group.named_by.iter().copied()).collect();
        places.sort_by_key(|(p, _)| *p);
        for (place, how) in places {
            let how = match how {
                NamedBy::Manifest => "endpoints.toml",
                NamedBy::NamesFile => "names.toml",
                NamedBy::Shape => "same shape",
                NamedBy::Property => "new name",
                NamedBy::Position => "same property",
            };
            line.push_str(&format!("\n    {} ({how})", collector.places[place].key()));
        }
        report.types.push(line);
    }

    let merged = emit::merged(&collector.places, &grouping);
    let mut emitter = Emitter {
        places: &collector.places,
        grouping: &grouping,
        names: &names,
        report: &mut report,
        unions: Vec::new(),
        standing: emit::standing(&merged, &collector.places, &grouping, &collector.roots),
        merged: &merged,
    };
    let mut order: Vec<usize> = (0..grouping.groups.len()).collect();
    order.sort_by_key(|&g| grouping.groups[g].first());
    let mut definitions: Vec<Definition> = order.iter().map(|&g| emitter.definition(g)).collect();
    definitions.append(&mut emitter.unions);

    let files = write_schemas(root, &manifest, &collector, &grouping, definitions, &mut report)?;
    let mut out = files;

    for (key, name) in &grouping.added {
        if !names.entries.iter().any(|(k, _)| k == key) {
            names.entries.push((key.clone(), name.clone()));
        }
    }
    out.push(GeneratedFile { path: names_path, contents: names.render() });
    Ok(Inference { files: out, report })
}

fn sorted_groups(grouping: &group::Grouping) -> Vec<&group::Group> {
    let mut groups: Vec<&group::Group> = grouping.groups.iter().collect();
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    groups
}

/// The `*.json` files of the fixture folder `dir`, sorted.
pub(crate) fn fixture_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    let mut files: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    Ok(files)
}

/// One schema file as it is on disk.
struct Existing {
    file: String,
    /// The top-level members other than `definitions`.
    top: OJson,
    definitions: Vec<(String, OJson)>,
}

fn load_existing(root: &Path, file: &str) -> Result<Option<Existing>, Error> {
    let path = root.join("schemas").join(file);
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
    let mut top = OJson::parse(&text).map_err(|e| Error::Schema(path.clone(), e.to_string()))?;
    let definitions = match top.remove("definitions") {
        Some(OJson::Object(definitions)) => definitions,
        _ => Vec::new(),
    };
    Ok(Some(Existing { file: file.to_owned(), top, definitions }))
}

fn write_schemas(
    root: &Path,
    manifest: &Manifest,
    collector: &Collector,
    grouping: &group::Grouping,
    definitions: Vec<Definition>,
    report: &mut Report,
) -> Result<Vec<GeneratedFile>, Error> {
    // Definitions that several endpoints use go to the first shared file.
    let shared_file = manifest.models.shared.first();
    let shared = |name: &str| {
        shared_file.cloned().ok_or_else(|| {
            Error::Manifest(
                root.join("schemas/endpoints.toml"),
                format!("`{name}` serves several endpoints, and `models.shared` names no schema file for it"),
            )
        })
    };
    let mut file_names: Vec<String> = manifest.models.shared.clone();
    file_names.extend(manifest.endpoints.iter().map(|e| e.schema.clone()));
    let mut existing = Vec::new();
    for file in &file_names {
        existing.push(load_existing(root, file)?.unwrap_or(Existing {
            file: file.clone(),
            top: OJson::Object(Vec::new()),
            definitions: Vec::new(),
        }));
    }
    let root_of = |file: &str| manifest.endpoints.iter().find(|e| e.schema == file).map(|e| e.response.as_str());

    // Where each definition goes: where it is, else with its endpoint, else
    // (used by several endpoints) among the shared ones.
    let mut placed: HashMap<String, String> = HashMap::new();
    for existing in &existing {
        for (name, _) in &existing.definitions {
            placed.insert(name.clone(), existing.file.clone());
        }
        if let Some(title) = existing.top.get_str("title").filter(|t| root_of(&existing.file) == Some(*t)) {
            placed.insert(title.to_owned(), existing.file.clone());
        }
    }
    for endpoint in &manifest.endpoints {
        placed.insert(endpoint.response.clone(), endpoint.schema.clone());
    }
    let file_of_group = |g: usize| -> Result<String, Error> {
        let endpoints: BTreeSet<&str> =
            grouping.groups[g].places.iter().map(|&p| collector.places[p].endpoint.as_str()).collect();
        let only = endpoints.iter().next().filter(|_| endpoints.len() == 1);
        match only.and_then(|only| manifest.endpoints.iter().find(|e| e.name == *only)) {
            Some(endpoint) => Ok(endpoint.schema.clone()),
            None => shared(&grouping.groups[g].name),
        }
    };
    for definition in &definitions {
        if placed.contains_key(&definition.name) {
            continue;
        }
        let file = match (definition.group, definition.owner) {
            (Some(g), _) => file_of_group(g)?,
            (None, Some(owner)) => match placed.get(&grouping.groups[owner].name) {
                Some(file) => file.clone(),
                None => file_of_group(owner)?,
            },
            (None, None) => shared(&definition.name)?,
        };
        placed.insert(definition.name.clone(), file);
    }

    // A new definition that a shared one uses is shared too.
    if let Some(shared) = shared_file {
        while share_what_shared_ones_use(&definitions, &existing, manifest, shared, &mut placed) {}
    }

    let mut files = Vec::new();
    for existing in existing {
        let root_name = root_of(&existing.file);
        let produced = |name: &str| definitions.iter().find(|d| d.name == name);
        let mut out_defs: Vec<(String, OJson)> = Vec::new();
        for (name, old) in &existing.definitions {
            match produced(name) {
                Some(definition) => {
                    out_defs.push((name.clone(), emit::merge(name, definition.schema.clone(), Some(old), report)))
                }
                None => {
                    report.kept.push(name.clone());
                    out_defs.push((name.clone(), old.clone()));
                }
            }
        }
        for definition in &definitions {
            let here = placed.get(&definition.name).is_some_and(|f| *f == existing.file);
            let is_root = root_name == Some(definition.name.as_str());
            if here && !is_root && !out_defs.iter().any(|(n, _)| *n == definition.name) {
                // New: it says where it was found, first among its members,
                // where a description that a person writes goes.
                let mut schema = OJson::object([("description", OJson::String(found_description(&definition.found)))]);
                for (key, value) in definition.schema.members() {
                    schema.set(key, value.clone());
                }
                out_defs.push((definition.name.clone(), schema));
            }
        }
        let mut top = OJson::object([
            ("$schema", OJson::str("http://json-schema.org/draft-07/schema#")),
            ("$id", OJson::String(existing.file.clone())),
        ]);
        match root_name {
            Some(name) => {
                let old_root = existing.top.get("properties").is_some().then_some(&existing.top);
                let new_root = produced(name).map(|d| d.schema.clone()).unwrap_or_else(|| OJson::object([]));
                let mut merged = emit::merge(name, new_root, old_root, report);
                merged.set("title", OJson::str(name));
                // The title first, as the name of the file's type.
                let mut ordered = OJson::object([("title", OJson::str(name))]);
                for (key, value) in merged.members() {
                    if key != "title" && key != "$schema" && key != "$id" {
                        ordered.set(key, value.clone());
                    }
                }
                for (key, value) in ordered.members() {
                    top.set(key, value.clone());
                }
            }
            None => {
                for (key, value) in existing.top.members() {
                    if key != "$schema" && key != "$id" {
                        top.set(key, value.clone());
                    }
                }
            }
        }
        if !out_defs.is_empty() {
            top.set("definitions", OJson::Object(out_defs));
        }
        resolve_refs(&mut top, &existing.file, &placed);
        files.push(GeneratedFile { path: PathBuf::from("schemas").join(&existing.file), contents: top.pretty() });
    }
    Ok(files)
}

/// The description of a definition that inference adds: where its objects
/// or values were first found (`endpoint:/path`, in the notation of
/// names.toml), and that no document describes it yet. Later runs keep it
/// as they keep any description, until a person writes a better one.
fn found_description(found: &str) -> String {
    let (endpoint, path) = found.split_once(':').unwrap_or(("", found));
    let path = if path.is_empty() { "/" } else { path };
    let mut text = format!("First found in a response of `{endpoint}`, at `{path}`");
    let segments: Vec<&str> = path.split('/').collect();
    let notation: Vec<&str> = [("[]", "`[]` is any item of an array"), ("{}", "`{}` is any value of a map")]
        .into_iter()
        .filter(|(mark, _)| segments.contains(mark))
        .map(|(_, meaning)| meaning)
        .collect();
    if !notation.is_empty() {
        text.push_str(&format!(" ({})", notation.join(", ")));
    }
    text.push_str("; no document describes it yet.");
    text
}

/// Moves to `shared` each new definition that a definition in `shared`
/// refers to; true when one moved.
fn share_what_shared_ones_use(
    definitions: &[Definition],
    existing: &[Existing],
    manifest: &Manifest,
    shared: &str,
    placed: &mut HashMap<String, String>,
) -> bool {
    let mut moved = false;
    for definition in definitions {
        if placed.get(&definition.name).map(String::as_str) != Some(shared) {
            continue;
        }
        let mut used = Vec::new();
        references(&definition.schema, &mut used);
        for name in used {
            let is_new = !existing.iter().any(|e| e.definitions.iter().any(|(n, _)| *n == name));
            let is_root = manifest.endpoints.iter().any(|e| e.response == name);
            if is_new && !is_root && placed.get(&name).is_some_and(|f| f != shared) {
                placed.insert(name, shared.to_owned());
                moved = true;
            }
        }
    }
    moved
}

/// The names of the definitions `schema` refers to as `@Name`.
fn references(schema: &OJson, out: &mut Vec<String>) {
    match schema {
        OJson::Object(members) => {
            for (key, value) in members {
                match value {
                    OJson::String(target) if key == "$ref" && target.starts_with('@') => {
                        out.push(target[1..].to_owned())
                    }
                    _ => references(value, out),
                }
            }
        }
        OJson::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

/// Turns `@Name` references into `#/definitions/Name`, or
/// `file#/definitions/Name` for a definition in another file.
fn resolve_refs(schema: &mut OJson, file: &str, placed: &HashMap<String, String>) {
    match schema {
        OJson::Object(members) => {
            for (key, value) in members.iter_mut() {
                match value {
                    OJson::String(target) if key == "$ref" && target.starts_with('@') => {
                        let name = &target[1..];
                        *target = match placed.get(name) {
                            Some(other) if other != file => format!("{other}#/definitions/{name}"),
                            _ => format!("#/definitions/{name}"),
                        };
                    }
                    _ => resolve_refs(value, file, placed),
                }
            }
        }
        OJson::Array(items) => items.iter_mut().for_each(|item| resolve_refs(item, file, placed)),
        _ => {}
    }
}
