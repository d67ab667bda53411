//! An endpoint as the manifest describes it: plain, `Copy` data that the
//! generated client builds in `const` items.
//!
//! These types are not `#[non_exhaustive]`: the generated client, another
//! crate, builds them as literals, so a new field or variant here comes with
//! a new version of the generator.

use std::fmt;

/// The HTTP method of an endpoint.
///
/// ```
/// use dylive_http::Method;
///
/// assert_eq!(Method::Post.as_str(), "POST");
/// assert_eq!(reqwest::Method::from(Method::Get), reqwest::Method::GET);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method's name on the wire, in capitals.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Method> for reqwest::Method {
    fn from(method: Method) -> Self {
        match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        }
    }
}

/// How an endpoint takes the credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// In this request header.
    Header(&'static str),
    /// In this query parameter.
    Query(&'static str),
}

/// How the parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// In the query string.
    Query,
    /// As `multipart/form-data` fields.
    Multipart,
}

/// One check of the status field the API puts in a 2xx body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvelopeCheck {
    /// The JSON Pointer of the status field (`/code`).
    pub status: &'static str,
    /// Its values that mean success, as text (`0`).
    pub success: &'static [&'static str],
    /// JSON Pointers of the message, the first present one is taken.
    pub message: &'static [&'static str],
}

/// One request parameter of an endpoint (the credential is not one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name on the wire.
    pub name: &'static str,
    /// Whether the document marks it required.
    pub required: bool,
}

/// An endpoint as the manifest describes it.
///
/// ```
/// use dylive_http::{Auth, BodyKind, EndpointSpec, EnvelopeCheck, Method, ParamSpec};
///
/// const ENDPOINT: EndpointSpec = EndpointSpec {
///     name: "rank",
///     method: Method::Get,
///     path: "/rank",
///     body: BodyKind::Query,
///     auth: Auth::Query("token"),
///     params: &[ParamSpec { name: "date", required: true }],
///     checks: &[EnvelopeCheck { status: "/code", success: &["0"], message: &["/msg"] }],
///     response_type: "RankResponse",
/// };
/// assert_eq!(ENDPOINT.method.as_str(), "GET");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointSpec {
    /// Its name in the manifest.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL.
    pub path: &'static str,
    /// How the parameters travel.
    pub body: BodyKind,
    /// How the credential travels.
    pub auth: Auth,
    /// The request parameters.
    pub params: &'static [ParamSpec],
    /// The API's own failure reports.
    pub checks: &'static [EnvelopeCheck],
    /// The response type, for error messages.
    pub response_type: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_maps_to_its_own_http_method() {
        assert_eq!(reqwest::Method::from(Method::Get), reqwest::Method::GET);
        assert_eq!(reqwest::Method::from(Method::Post), reqwest::Method::POST);
        for method in [Method::Get, Method::Post] {
            assert_eq!(reqwest::Method::from(method).as_str(), method.as_str());
            assert_eq!(method.to_string(), method.as_str());
        }
        assert_ne!(Method::Get.as_str(), Method::Post.as_str());
    }
}
