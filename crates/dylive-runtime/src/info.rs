//! What the schemas say about each generated type, as plain data.
//!
//! `cargo xtask regen` prints a [`TypeInfo`] for every generated type, so
//! that tools (drift reports, property tests, mock servers) walk JSON
//! against the schemas without reading JSON Schema themselves.
//!
//! ```
//! use dylive_runtime::info::{Described, FieldInfo, Shape, Ty, TypeInfo};
//!
//! struct Follow;
//!
//! impl Described for Follow {
//!     fn type_info() -> &'static TypeInfo {
//!         static INFO: TypeInfo = TypeInfo {
//!             name: "Follow",
//!             shape: Shape::Object(&[FieldInfo {
//!                 name: "follower_count",
//!                 rust_name: "follower_count",
//!                 ty: Ty::Integer,
//!                 required: true,
//!                 nullable: false,
//!             }]),
//!         };
//!         &INFO
//!     }
//! }
//!
//! let info = Follow::type_info();
//! assert_eq!(info.field("follower_count").map(|f| f.ty.expected()), Some("an integer".to_owned()));
//! ```

use std::fmt;

use crate::JsonKind;

/// A generated type's description.
#[derive(Debug)]
pub struct TypeInfo {
    /// The type's name.
    pub name: &'static str,
    /// An object or a union.
    pub shape: Shape,
}

/// What a type is.
#[derive(Debug)]
pub enum Shape {
    /// A struct: its properties, in the schema's order.
    Object(&'static [FieldInfo]),
    /// An enum: one variant a kind of JSON value.
    Union(&'static [VariantInfo]),
}

/// One property of an object.
#[derive(Debug)]
pub struct FieldInfo {
    /// The name in JSON.
    pub name: &'static str,
    /// The Rust field and accessor name.
    pub rust_name: &'static str,
    /// The type of its value.
    pub ty: Ty,
    /// Whether the schema lists it as always present.
    pub required: bool,
    /// Whether the schema allows `null`.
    pub nullable: bool,
}

/// One variant of a union.
#[derive(Debug)]
pub struct VariantInfo {
    /// The kind of JSON value it takes.
    pub kind: JsonKind,
    /// The type of its value.
    pub ty: Ty,
}

/// The type of a value.
#[derive(Clone, Copy)]
pub enum Ty {
    /// `null` only.
    Null,
    /// `true` or `false`.
    Bool,
    /// An integer of any size.
    Integer,
    /// A number.
    Number,
    /// A string.
    String,
    /// Any value.
    Any,
    /// A value of the inner type, or `null`.
    Nullable(&'static Ty),
    /// An array.
    Array(&'static Ty),
    /// An object used as a map from strings to values.
    Map(&'static Ty),
    /// A generated type.
    Type(fn() -> &'static TypeInfo),
}

impl fmt::Debug for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Null => f.write_str("Null"),
            Ty::Bool => f.write_str("Bool"),
            Ty::Integer => f.write_str("Integer"),
            Ty::Number => f.write_str("Number"),
            Ty::String => f.write_str("String"),
            Ty::Any => f.write_str("Any"),
            Ty::Nullable(inner) => f.debug_tuple("Nullable").field(inner).finish(),
            Ty::Array(inner) => f.debug_tuple("Array").field(inner).finish(),
            Ty::Map(inner) => f.debug_tuple("Map").field(inner).finish(),
            Ty::Type(info) => f.debug_tuple("Type").field(&info().name).finish(),
        }
    }
}

/// A type whose values a [`Ty`] describes: the scalars of the runtime, the
/// containers of them, and every generated type.
///
/// ```
/// use dylive_runtime::info::{Shaped, Ty};
/// use dylive_runtime::Int;
///
/// assert_eq!(<Vec<Option<Int>> as Shaped>::TY.expected(), "an array");
/// assert!(matches!(<Vec<Option<Int>> as Shaped>::TY, Ty::Array(Ty::Nullable(Ty::Integer))));
/// ```
pub trait Shaped {
    /// The description.
    const TY: Ty;
}

impl Shaped for () {
    const TY: Ty = Ty::Null;
}

impl Shaped for bool {
    const TY: Ty = Ty::Bool;
}

impl Shaped for crate::Int {
    const TY: Ty = Ty::Integer;
}

impl Shaped for crate::Float {
    const TY: Ty = Ty::Number;
}

impl Shaped for String {
    const TY: Ty = Ty::String;
}

impl Shaped for crate::RawJson {
    const TY: Ty = Ty::Any;
}

impl<T: Shaped> Shaped for Option<T> {
    const TY: Ty = Ty::Nullable(&T::TY);
}

impl<T: Shaped> Shaped for Vec<T> {
    const TY: Ty = Ty::Array(&T::TY);
}

impl<T: Shaped> Shaped for std::collections::BTreeMap<String, T> {
    const TY: Ty = Ty::Map(&T::TY);
}

/// A property is described as its value, or `null`.
impl<T: Shaped> Shaped for crate::Field<T> {
    const TY: Ty = Ty::Nullable(&T::TY);
}

/// A boxed value is described as the value.
impl<T: Shaped> Shaped for Box<T> {
    const TY: Ty = T::TY;
}

/// The description of a struct field's type, from a function that reads the
/// field: `field_ty(|user: &User| &user.nickname)`.
pub const fn field_ty<S, T: Shaped>(_: fn(&S) -> &crate::Field<T>) -> Ty {
    T::TY
}

/// The description of the value of an enum's tuple variant, from its
/// constructor: `variant_ty(Code::Integer)`.
pub const fn variant_ty<T: Shaped, E>(_: fn(T) -> E) -> Ty {
    T::TY
}

/// A generated type that knows its [`TypeInfo`].
pub trait Described {
    /// The type's description.
    fn type_info() -> &'static TypeInfo;
}

impl TypeInfo {
    /// The property named `name` (as in JSON), if this is an object.
    pub fn field(&self, name: &str) -> Option<&'static FieldInfo> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The properties; empty for a union.
    pub fn fields(&self) -> &'static [FieldInfo] {
        match self.shape {
            Shape::Object(fields) => fields,
            Shape::Union(_) => &[],
        }
    }
}

impl Ty {
    /// True when a JSON value of kind `kind` fits this type at its top level
    /// (`null` fits only [`Ty::Null`], [`Ty::Nullable`] and [`Ty::Any`]).
    pub fn accepts(&self, kind: JsonKind) -> bool {
        match self {
            Ty::Any => true,
            Ty::Null => kind == JsonKind::Null,
            Ty::Bool => kind == JsonKind::Bool,
            Ty::Integer | Ty::Number => kind == JsonKind::Number,
            Ty::String => kind == JsonKind::String,
            Ty::Nullable(inner) => kind == JsonKind::Null || inner.accepts(kind),
            Ty::Array(_) => kind == JsonKind::Array,
            Ty::Map(_) => kind == JsonKind::Object,
            Ty::Type(info) => match info().shape {
                Shape::Object(_) => kind == JsonKind::Object,
                Shape::Union(variants) => variants.iter().any(|v| v.kind == kind),
            },
        }
    }

    /// What the type expects, in words: "an integer", "an object (User)",
    /// "a number or a string".
    pub fn expected(&self) -> String {
        match self {
            Ty::Null => "null".to_owned(),
            Ty::Bool => "a boolean".to_owned(),
            Ty::Integer => "an integer".to_owned(),
            Ty::Number => "a number".to_owned(),
            Ty::String => "a string".to_owned(),
            Ty::Any => "any value".to_owned(),
            Ty::Nullable(inner) => format!("{} or null", inner.expected()),
            Ty::Array(_) => "an array".to_owned(),
            Ty::Map(_) => "an object (a map)".to_owned(),
            Ty::Type(info) => {
                let info = info();
                match info.shape {
                    Shape::Object(_) => format!("an object ({})", info.name),
                    Shape::Union(variants) => {
                        variants.iter().map(|v| v.kind.describe()).collect::<Vec<_>>().join(" or ")
                    }
                }
            }
        }
    }

    /// The generated type, if this is one.
    pub fn type_info(&self) -> Option<&'static TypeInfo> {
        match self {
            Ty::Type(info) => Some(info()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> &'static TypeInfo {
        static INFO: TypeInfo = TypeInfo {
            name: "Image",
            shape: Shape::Object(&[FieldInfo {
                name: "uri",
                rust_name: "uri",
                ty: Ty::String,
                required: false,
                nullable: false,
            }]),
        };
        &INFO
    }

    fn code() -> &'static TypeInfo {
        static INFO: TypeInfo = TypeInfo {
            name: "Code",
            shape: Shape::Union(&[
                VariantInfo { kind: JsonKind::Number, ty: Ty::Integer },
                VariantInfo { kind: JsonKind::String, ty: Ty::String },
            ]),
        };
        &INFO
    }

    #[test]
    fn kinds_are_accepted_as_the_type_says() {
        assert!(Ty::Type(image).accepts(JsonKind::Object));
        assert!(!Ty::Type(image).accepts(JsonKind::Array));
        assert!(Ty::Type(code).accepts(JsonKind::String));
        assert!(!Ty::Type(code).accepts(JsonKind::Bool));
        assert!(Ty::Nullable(&Ty::Integer).accepts(JsonKind::Null));
        assert!(!Ty::Integer.accepts(JsonKind::Null));
        assert!(Ty::Any.accepts(JsonKind::Array));
    }

    #[test]
    fn expectations_read_as_words() {
        assert_eq!(Ty::Type(image).expected(), "an object (Image)");
        assert_eq!(Ty::Type(code).expected(), "a number or a string");
        assert_eq!(Ty::Array(&Ty::String).expected(), "an array");
        assert_eq!(format!("{:?}", Ty::Array(&Ty::Type(image))), "Array(Type(\"Image\"))");
    }
}
