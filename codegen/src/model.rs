//! The intermediate model: everything the renderers print, built once from
//! `schemas/` and `endpoints.toml`.
//!
//! The schemas are read in one place, [`load`]. References between files are
//! resolved on the parsed schemas, typify resolves every definition and
//! every property schema into its graph of types, and the two meet here by
//! reference: each property's schema is handed to typify, whose answer is its
//! type. Order, names, `required` and docs come from the schemas; kinds,
//! nullability and union variants from typify. Nothing after this module
//! looks at JSON Schema.

use std::path::{Path, PathBuf};

use dylive_runtime::JsonKind;
use heck::{ToSnakeCase, ToUpperCamelCase};
use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};
use typify::{TypeDetails, TypeEnumVariant, TypeId, TypeSpace, TypeSpaceSettings};

use crate::manifest::{Endpoint, Manifest};
use crate::Error;

/// The whole model.
#[derive(Debug)]
pub struct Model {
    /// The manifest it was built with.
    pub manifest: Manifest,
    /// One module a schema file, shared files first.
    pub modules: Vec<Module>,
    /// Every named type, module by module, in the schemas' order.
    pub types: Vec<TypeDef>,
}

/// A schema file, printed as one module of the model crate.
#[derive(Debug)]
pub struct Module {
    /// The module name: the file name without `.schema.json`.
    pub name: String,
    /// The file, relative to `schemas/`.
    pub file: String,
    /// The module's docs: the file's heading and description.
    pub docs: Vec<String>,
}

/// A named type: an object or a union of kinds of value.
#[derive(Debug)]
pub struct TypeDef {
    /// The Rust and schema name.
    pub name: String,
    /// The module it is printed in.
    pub module: String,
    /// What people wrote about it: the schema's title and description;
    /// empty when they wrote nothing.
    pub description: String,
    /// Its rustdoc: the description and the endpoints that return it
    /// ([`crate::docs`]).
    pub docs: String,
    /// What it is.
    pub kind: TypeKind,
    /// The endpoint whose response it is, if any.
    pub endpoint: Option<usize>,
}

/// What a named type is.
#[derive(Debug)]
pub enum TypeKind {
    /// A struct, one field a property, in the schema's order.
    Object(Vec<FieldDef>),
    /// An enum, one variant a kind of JSON value.
    Union(Vec<Variant>),
}

/// One property of an object.
#[derive(Debug)]
pub struct FieldDef {
    /// The name in JSON.
    pub json_name: String,
    /// The Rust field (and accessor) name.
    pub rust_name: String,
    /// The type of its value.
    pub ty: TypeRef,
    /// Whether the schema lists it in `required`.
    pub required: bool,
    /// Whether the schema allows `null`.
    pub nullable: bool,
    /// What people wrote about it: the schema's `description`.
    pub description: Option<String>,
    /// Example values the fixtures show (the schema's `examples`), as
    /// compact JSON text; for an array without examples of its own, those
    /// of its items.
    pub examples: Vec<String>,
    /// Its rustdoc: the description, then the JSON name, kind, examples and
    /// endpoints ([`crate::docs`]).
    pub docs: String,
}

/// One variant of a union.
#[derive(Debug)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The kind of JSON value it takes.
    pub kind: JsonKind,
    /// The type of its value.
    pub ty: TypeRef,
}

/// The type of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// `null` only.
    Null,
    /// `true` or `false`.
    Bool,
    /// An integer, of any size.
    Integer,
    /// A number.
    Number,
    /// A string.
    String,
    /// Any JSON value, kept as its text.
    Any,
    /// A value or `null`, inside an array or a map.
    Nullable(Box<TypeRef>),
    /// An array of values.
    Array(Box<TypeRef>),
    /// An object used as a map from strings to values.
    Map(Box<TypeRef>),
    /// A named type of the model.
    Named(String),
}

impl Model {
    /// The type named `name`.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// True when `ty` names a struct (printed boxed in a field).
    pub fn is_object(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(name) if matches!(self.get(name).map(|t| &t.kind), Some(TypeKind::Object(_))))
    }

    /// The endpoints with the name of their response type.
    pub fn roots(&self) -> impl Iterator<Item = (&Endpoint, &TypeDef)> {
        self.types.iter().filter_map(|t| t.endpoint.map(|index| (&self.manifest.endpoints[index], t)))
    }

    /// The endpoints of module `module` with their response type.
    pub fn module_roots<'a>(&'a self, module: &'a str) -> impl Iterator<Item = (&'a Endpoint, &'a TypeDef)> + 'a {
        self.roots().filter(move |(_, t)| t.module == module)
    }
}

/// The name of the runtime's `JsonKind` variant for `kind`.
pub fn variant_ident(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Null => "Null",
        JsonKind::Bool => "Bool",
        JsonKind::Number => "Number",
        JsonKind::String => "String",
        JsonKind::Array => "Array",
        JsonKind::Object => "Object",
    }
}

/// The methods every generated struct has beside its accessors.
pub const TYPE_METHODS: &[&str] = &["drift"];

/// The methods a response type has beside its accessors.
pub const ROOT_METHODS: &[&str] = &["from_slice", "from_slice_strict", "to_json"];

/// Names the generated model code uses unqualified: the runtime's types it
/// imports, the items of the model crate's `lib.rs`, and the standard
/// library's types it names. A schema type of one of these names would be
/// hidden by them, or hide them, so it is refused.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "DecodeError",
    "Drift",
    "Field",
    "Float",
    "Int",
    "JsonKind",
    "RawJson",
    "UnknownFields",
    "Response",
    "Described",
    "TypeInfo",
    "Box",
    "From",
    "Option",
    "Result",
    "String",
    "Vec",
];

/// Names the client crate defines or imports beside the response types
/// it imports; a response type may not take one of them.
pub const CLIENT_NAMES: &[&str] = &[
    "Api",
    "Arc",
    "Auth",
    "BodyKind",
    "Client",
    "EnvelopeCheck",
    "Method",
    "ParamSpec",
    "Transport",
    "ApiFailure",
    "Attempt",
    "AttemptOutcome",
    "CallOptions",
    "ClientConfig",
    "DriftEvent",
    "EndpointSpec",
    "Error",
    "Hooks",
    "ResponseValue",
    "RetryBudget",
    "RetryPolicy",
    "Secret",
    "Sleep",
    "TokioSleep",
];

/// Methods callers expect of any type: those of the derived traits,
/// reached by the type's name or on a value (`Type::default()`,
/// `value.clone()`), which an inherent accessor of the same name would
/// hide, and the constructor `new`.
pub const COMMON_METHODS: &[&str] = &["clone", "default", "new"];

/// The Rust names of the members of one type (the properties of an
/// object, the parameters of a request), in order: each the
/// [`field_name`] of its JSON name, with `_` added until neither it nor a
/// method it brings (the name behind each of `prefixes`, such as the setter
/// `with_<name>`) is among the names `taken` (the type's other fields and
/// methods) or those of the members before it. `userId` and `user_id`
/// become `user_id` and `user_id_`; a property `drift` becomes `drift_`,
/// as a property `type` becomes `type_`.
pub fn member_names<'a>(
    json_names: impl IntoIterator<Item = &'a str>,
    mut taken: Vec<String>,
    prefixes: &[&str],
) -> Vec<String> {
    let mut names = Vec::new();
    for json in json_names {
        let mut name = field_name(json);
        let brings = |name: &str| -> Vec<String> { prefixes.iter().map(|prefix| format!("{prefix}{name}")).collect() };
        while taken.contains(&name) || brings(&name).iter().any(|method| taken.contains(method)) {
            name.push('_');
        }
        taken.extend(brings(&name));
        taken.push(name.clone());
        names.push(name);
    }
    names
}

/// The Rust field name of property `json`: snake case, made a valid
/// identifier (`x` before a leading digit, `_` after a keyword).
pub fn field_name(json: &str) -> String {
    let cleaned: String =
        json.replace('\'', "").chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let mut name = cleaned.to_snake_case();
    match name.chars().next() {
        None => name = "x".to_owned(),
        Some(c) if c.is_alphabetic() || c == '_' => {}
        Some(_) => name = format!("x{name}"),
    }
    if !typify::accept_as_ident(&name) {
        name.push('_');
    }
    name
}

/// One schema file, parsed, with references to the other files made local.
struct SchemaFile {
    module: String,
    file: String,
    path: PathBuf,
    root: RootSchema,
}

/// Builds the model of the workspace at `root`.
pub fn load(root: &Path) -> Result<Model, Error> {
    let manifest = Manifest::load(root)?;
    let names: Vec<String> = manifest.schema_files().into_iter().map(str::to_owned).collect();
    let mut files = Vec::new();
    for file in &names {
        let path = root.join("schemas").join(file);
        let text = crate::read(&path)?;
        let mut parsed: RootSchema =
            serde_json::from_str(&text).map_err(|e| Error::Schema(path.clone(), e.to_string()))?;
        localize_root(&mut parsed, &names).map_err(|message| Error::Schema(path.clone(), message))?;
        let module = file.trim_end_matches(".json").trim_end_matches(".schema").replace('-', "_");
        files.push(SchemaFile { module, file: file.clone(), path, root: parsed });
    }

    // Every definition of every file, in one namespace.
    let mut definitions: Vec<(String, usize, SchemaObject)> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let mut push = |name: String, schema: SchemaObject| -> Result<(), Error> {
            if let Some((_, other, _)) = definitions.iter().find(|(n, _, _)| *n == name) {
                return Err(Error::Schema(
                    file.path.clone(),
                    format!("`{name}` is defined in module `{}` already", files[*other].module),
                ));
            }
            definitions.push((name, index, schema));
            Ok(())
        };
        if file.root.schema.object.is_some() {
            let title = file.root.schema.metadata.as_ref().and_then(|m| m.title.clone()).ok_or_else(|| {
                Error::Schema(file.path.clone(), "a root object schema needs a `title` to name its type".into())
            })?;
            push(title, file.root.schema.clone())?;
        }
        for (name, schema) in &file.root.definitions {
            let Schema::Object(schema) = schema else {
                return Err(Error::Schema(file.path.clone(), format!("definition `{name}` is a boolean schema")));
            };
            push(name.clone(), schema.clone())?;
        }
    }

    let mut settings = TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    let mut space = TypeSpace::new(&settings);
    space
        .add_ref_types(definitions.iter().map(|(name, _, schema)| (name.clone(), Schema::Object(schema.clone()))))
        .map_err(typify_error)?;
    let known: Vec<String> = definitions.iter().map(|(name, _, _)| name.clone()).collect();
    let mut resolver = Resolver { space, known: &known };

    let mut types = Vec::new();
    for (name, file_index, schema) in &definitions {
        let file = &files[*file_index];
        let endpoint = manifest.endpoints.iter().position(|e| e.schema == file.file && e.response == *name);
        let is_root = file.root.schema.object.is_some()
            && file.root.schema.metadata.as_ref().and_then(|m| m.title.as_deref()) == Some(name.as_str());
        let reference = Schema::Object(SchemaObject::new_ref(format!("#/definitions/{name}")));
        let id = resolver.space.add_type(&reference).map_err(typify_error)?;
        let kind = resolver.type_kind(name, schema, &id)?;
        types.push(TypeDef {
            name: name.clone(),
            module: file.module.clone(),
            description: definition_docs(name, schema),
            docs: String::new(),
            kind,
            endpoint: endpoint.filter(|_| is_root),
        });
    }
    for endpoint in &manifest.endpoints {
        let found = types.iter().any(|t| t.endpoint.is_some() && t.name == endpoint.response);
        if !found {
            return Err(Error::Schema(
                PathBuf::from(&endpoint.schema),
                format!("the root object needs the title `{}`, as endpoints.toml names it", endpoint.response),
            ));
        }
    }
    for ty in &types {
        let client_name = ty.endpoint.is_some() && CLIENT_NAMES.contains(&ty.name.as_str());
        if RESERVED_TYPE_NAMES.contains(&ty.name.as_str()) || client_name {
            return Err(Error::Unsupported(format!(
                "type `{}` (module `{}`) has a name the generated code uses for one of its own; rename it (its title, its name under `definitions`, or schemas/names.toml)",
                ty.name, ty.module
            )));
        }
    }
    for ty in &mut types {
        if let TypeKind::Object(fields) = &mut ty.kind {
            let catch_all = &manifest.models.unknown_fields;
            let mut taken: Vec<String> = vec![catch_all.clone(), format!("with_{catch_all}")];
            taken.extend(TYPE_METHODS.iter().chain(COMMON_METHODS).map(|m| (*m).to_owned()));
            if ty.endpoint.is_some() {
                taken.extend(ROOT_METHODS.iter().map(|m| (*m).to_owned()));
            }
            let names = member_names(fields.iter().map(|f| f.json_name.as_str()), taken, &["with_"]);
            for (field, name) in fields.iter_mut().zip(names) {
                field.rust_name = name;
            }
        }
    }

    let modules = files
        .iter()
        .map(|file| {
            let metadata = file.root.schema.metadata.as_deref();
            let title = metadata.and_then(|m| m.title.as_deref());
            // An endpoint schema's title names its root type; only a shared
            // schema's title is a heading of its own.
            let heading = title.filter(|title| !known.iter().any(|k| k == title));
            let mut docs: Vec<String> = heading.into_iter().map(str::to_owned).collect();
            docs.extend(metadata.and_then(|m| m.description.clone()));
            docs.push(format!("Generated from `schemas/{}`.", file.file));
            Module { name: file.module.clone(), file: file.file.clone(), docs }
        })
        .collect();
    let mut model = Model { manifest, modules, types };
    crate::docs::fill(&mut model);
    Ok(model)
}

struct Resolver<'a> {
    space: TypeSpace,
    known: &'a [String],
}

impl Resolver<'_> {
    fn type_kind(&mut self, name: &str, schema: &SchemaObject, id: &TypeId) -> Result<TypeKind, Error> {
        let variants: Option<Vec<(String, Vec<TypeId>)>> =
            match self.space.get_type(id).map_err(typify_error)?.details() {
                TypeDetails::Struct(_) => None,
                TypeDetails::Enum(details) => Some(
                    details
                        .variants_info()
                        .map(|info| match &info.details {
                            TypeEnumVariant::Tuple(items) => Ok((info.name.to_owned(), items.clone())),
                            _ => Err(Error::Unsupported(format!(
                                "`{name}`: only unions of kinds of value are supported, not enumerations of constants"
                            ))),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => {
                    return Err(Error::Unsupported(format!(
                        "`{name}` is neither an object nor a union of kinds of value"
                    )))
                }
            };
        match variants {
            None => self.object(name, schema),
            Some(variants) => {
                let mut out: Vec<Variant> = Vec::new();
                for (variant, items) in variants {
                    let [item] = items.as_slice() else {
                        return Err(Error::Unsupported(format!("`{name}`: a variant must hold one value")));
                    };
                    let ty = self.type_ref(item)?;
                    let kind = match &ty {
                        TypeRef::Named(inner) if self.is_union(inner) => None,
                        TypeRef::Named(_) => Some(JsonKind::Object),
                        TypeRef::Null => Some(JsonKind::Null),
                        TypeRef::Bool => Some(JsonKind::Bool),
                        TypeRef::Integer | TypeRef::Number => Some(JsonKind::Number),
                        TypeRef::String => Some(JsonKind::String),
                        TypeRef::Array(_) => Some(JsonKind::Array),
                        TypeRef::Map(_) => Some(JsonKind::Object),
                        TypeRef::Any | TypeRef::Nullable(_) => None,
                    }
                    .ok_or_else(|| {
                        Error::Unsupported(format!(
                            "`{name}`: a union variant of type {ty:?} does not have one kind of value"
                        ))
                    })?;
                    if out.iter().any(|v| v.kind == kind) {
                        return Err(Error::Unsupported(format!(
                            "`{name}` has two variants of kind {}; a value could not be told which it is",
                            variant_ident(kind)
                        )));
                    }
                    out.push(Variant { name: variant, kind, ty });
                }
                Ok(TypeKind::Union(out))
            }
        }
    }

    fn is_union(&self, name: &str) -> bool {
        self.space.iter_types().any(|t| t.name() == name && matches!(t.details(), TypeDetails::Enum(_)))
    }

    /// The fields of object `name`, in the schema's order, each property's
    /// schema resolved by typify.
    fn object(&mut self, name: &str, schema: &SchemaObject) -> Result<TypeKind, Error> {
        let Some(object) = schema.object.as_deref() else { return Ok(TypeKind::Object(Vec::new())) };
        let mut fields = Vec::new();
        for (json_name, property) in &object.properties {
            // A hint, so that typify names an inline object instead of
            // failing; `type_ref` then refuses it for having no definition.
            let hint = format!("{name}{}", json_name.to_upper_camel_case());
            let id = self.space.add_type_with_name(property, Some(hint)).map_err(|e| {
                Error::Unsupported(format!("`{name}.{json_name}`: {e}; give it a name under `definitions`"))
            })?;
            let (ty, nullable) = self.property_type(&id)?;
            let metadata = match property {
                Schema::Object(object) => object.metadata.as_deref(),
                Schema::Bool(_) => None,
            };
            let description = metadata.and_then(|m| m.description.clone());
            let mut examples: Vec<String> =
                metadata.map(|m| m.examples.iter().map(|e| e.to_string()).collect()).unwrap_or_default();
            if examples.is_empty() {
                examples = item_examples(property);
            }
            fields.push(FieldDef {
                json_name: json_name.clone(),
                // Made unique among the type's members once every type is
                // known ([`member_names`]).
                rust_name: field_name(json_name),
                ty,
                required: object.required.contains(json_name),
                nullable: nullable || allows_null(property),
                description,
                examples,
                docs: String::new(),
            });
        }
        Ok(TypeKind::Object(fields))
    }

    /// A property's type with its `null` layers folded into the flag.
    fn property_type(&self, id: &TypeId) -> Result<(TypeRef, bool), Error> {
        let mut id = id.clone();
        let mut nullable = false;
        while let TypeDetails::Option(inner) = self.space.get_type(&id).map_err(typify_error)?.details() {
            id = inner;
            nullable = true;
        }
        Ok((self.type_ref(&id)?, nullable))
    }

    fn type_ref(&self, id: &TypeId) -> Result<TypeRef, Error> {
        let ty = self.space.get_type(id).map_err(typify_error)?;
        let details = ty.details();
        Ok(match details {
            TypeDetails::Struct(_) | TypeDetails::Enum(_) => {
                let name = ty.name();
                if !self.known.contains(&name) {
                    return Err(Error::Unsupported(format!(
                        "`{name}` comes from an inline schema; give it a name under `definitions` so that it is one shared, reviewed type"
                    )));
                }
                TypeRef::Named(name)
            }
            TypeDetails::Option(inner) => TypeRef::Nullable(Box::new(self.type_ref(&inner)?)),
            TypeDetails::Vec(inner) => TypeRef::Array(Box::new(self.type_ref(&inner)?)),
            TypeDetails::Map(_, value) => TypeRef::Map(Box::new(self.type_ref(&value)?)),
            TypeDetails::Box(inner) => self.type_ref(&inner)?,
            TypeDetails::String => TypeRef::String,
            TypeDetails::Unit => TypeRef::Null,
            TypeDetails::Builtin("bool") => TypeRef::Bool,
            TypeDetails::Builtin(builtin) => {
                let builtin = builtin.trim_start_matches("::std::num::").trim_start_matches("std::num::");
                match builtin {
                    "f32" | "f64" => TypeRef::Number,
                    "::serde_json::Value" | "serde_json::Value" => TypeRef::Any,
                    n if n.starts_with("NonZero") => TypeRef::Integer,
                    "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => TypeRef::Integer,
                    other => return Err(Error::Unsupported(format!("no lossless type for typify's `{other}`"))),
                }
            }
            TypeDetails::Newtype(_) | TypeDetails::Set(_) | TypeDetails::Tuple(_) | TypeDetails::Array(..) => {
                return Err(Error::Unsupported(format!(
                    "`{}`: constrained strings, sets and tuples are not supported",
                    ty.name()
                )))
            }
        })
    }
}

/// True when the schema's `type` lists `null`.
fn allows_null(schema: &Schema) -> bool {
    match schema {
        Schema::Object(SchemaObject { instance_type: Some(SingleOrVec::Vec(types)), .. }) => {
            types.contains(&InstanceType::Null)
        }
        Schema::Object(SchemaObject { instance_type: Some(SingleOrVec::Single(single)), .. }) => {
            **single == InstanceType::Null
        }
        _ => false,
    }
}

/// The examples of the items of an array property that has none of its
/// own (its arrays were all too long to show whole): `18`, `17` or `12` of
/// an array of integers.
fn item_examples(property: &Schema) -> Vec<String> {
    let Schema::Object(object) = property else { return Vec::new() };
    match object.array.as_deref().and_then(|array| array.items.as_ref()) {
        Some(SingleOrVec::Single(items)) => match items.as_ref() {
            Schema::Object(items) => items
                .metadata
                .as_deref()
                .map(|m| m.examples.iter().map(|e| e.to_string()).collect())
                .unwrap_or_default(),
            Schema::Bool(_) => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn definition_docs(name: &str, schema: &SchemaObject) -> String {
    let title = schema.metadata.as_ref().and_then(|m| m.title.clone());
    let description = schema.metadata.as_ref().and_then(|m| m.description.clone());
    match (title, description) {
        (Some(t), Some(d)) if t != name => format!("{t}\n\n{d}"),
        (_, Some(d)) => d,
        (Some(t), None) if t != name => t,
        _ => String::new(),
    }
}

/// Makes every reference of `root` to a definition of one of `files`
/// local (`douyin.schema.json#/definitions/User` becomes
/// `#/definitions/User`), so that all definitions share one namespace; a
/// reference to anything else is an error.
fn localize_root(root: &mut RootSchema, files: &[String]) -> Result<(), String> {
    localize(&mut root.schema, files)?;
    for schema in root.definitions.values_mut() {
        if let Schema::Object(object) = schema {
            localize(object, files)?;
        }
    }
    Ok(())
}

fn localize(schema: &mut SchemaObject, files: &[String]) -> Result<(), String> {
    if let Some(reference) = &mut schema.reference {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference.as_str(), ""));
        if !fragment.starts_with("/definitions/") || (!file.is_empty() && !files.iter().any(|f| f == file)) {
            return Err(format!("`$ref: {reference}` points outside the schema files of endpoints.toml"));
        }
        *reference = format!("#{fragment}");
    }
    let mut children: Vec<&mut Schema> = Vec::new();
    if let Some(subschemas) = schema.subschemas.as_deref_mut() {
        for list in [&mut subschemas.all_of, &mut subschemas.any_of, &mut subschemas.one_of].into_iter().flatten() {
            children.extend(list.iter_mut());
        }
        children.extend(subschemas.not.as_deref_mut());
    }
    if let Some(array) = schema.array.as_deref_mut() {
        match &mut array.items {
            Some(SingleOrVec::Single(item)) => children.push(item),
            Some(SingleOrVec::Vec(items)) => children.extend(items.iter_mut()),
            None => {}
        }
        children.extend(array.additional_items.as_deref_mut());
    }
    if let Some(object) = schema.object.as_deref_mut() {
        children.extend(object.properties.values_mut());
        children.extend(object.additional_properties.as_deref_mut());
        children.extend(object.pattern_properties.values_mut());
    }
    for child in children {
        if let Schema::Object(child) = child {
            localize(child, files)?;
        }
    }
    Ok(())
}

fn typify_error(error: typify::Error) -> Error {
    Error::Typify(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::member_names;

    #[test]
    fn properties_whose_names_meet_in_snake_case_get_fields_of_their_own() {
        let json = ["distance", "_distance", "distance_", "Distance", "type"];
        assert_eq!(
            member_names(json, Vec::new(), &["with_"]),
            ["distance", "distance_", "distance__", "distance___", "type_"]
        );
    }
}
