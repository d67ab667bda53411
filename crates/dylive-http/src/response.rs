//! A decoded response with what came with it.

use std::ops::Deref;

use bytes::Bytes;
use reqwest::header::HeaderMap;

/// A decoded response with its status, headers and raw body.
///
/// It dereferences to the decoded body.
#[derive(Clone, Debug)]
pub struct ResponseValue<T> {
    inner: T,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl<T> ResponseValue<T> {
    /// A response of `status`, with `headers`, whose `body` decoded to
    /// `inner`: what the client returns, built by hand for a test double.
    /// [`header`](crate::header) is reqwest's, re-exported.
    ///
    /// ```
    /// use dylive_http::{header, ResponseValue};
    ///
    /// let mut headers = header::HeaderMap::new();
    /// headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
    /// let response = ResponseValue::new(vec![1, 2], 200, headers, "[1, 2]");
    /// assert_eq!((response.status(), response.len()), (200, 2), "it dereferences to the value");
    /// assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    /// assert_eq!(response.body().as_ref(), b"[1, 2]");
    /// ```
    pub fn new(inner: T, status: u16, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        ResponseValue { inner, status, headers, body: body.into() }
    }

    /// The same response with its body mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue { inner: f(self.inner), status: self.status, headers: self.headers, body: self.body }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}
