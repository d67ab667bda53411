//! What the mock answers an endpoint with: bodies served in turn, or a
//! fault.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use dylive_runtime::write::WriteJson;

use crate::Fault;

/// One response body and where it comes from (a file name, or a word
/// such as `model` for a value given in code), as [`Reply::captures`]
/// serves it.
///
/// ```
/// use dylive_mock::Capture;
///
/// let capture = Capture::new(r#"{"code":0}"#, "ok.json");
/// assert_eq!((capture.body().as_ref(), capture.source()), (&br#"{"code":0}"#[..], "ok.json"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    body: Bytes,
    source: String,
}

impl Capture {
    /// A body, served as it is, from `source`.
    pub fn new(body: impl Into<Bytes>, source: impl Into<String>) -> Capture {
        Capture { body: body.into(), source: source.into() }
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Where it comes from.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Why captures cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// A file or folder cannot be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A folder holds no `*.json` file.
    #[error("{}: no *.json captures in this folder", path.display())]
    NoCaptures {
        /// The folder.
        path: PathBuf,
    },
}

/// The captures at `path`: the file itself, or the `*.json` files of a
/// folder in order of name (not those of its subfolders). Each is named by
/// its path; nothing is checked but that it can be read.
///
/// ```
/// let captures = dylive_mock::read_captures("../../fixtures/rank_all")?;
/// assert!(captures.iter().all(|c| c.source().ends_with(".json")));
/// assert!(dylive_mock::read_captures("no/such/folder").is_err());
/// # Ok::<(), dylive_mock::CaptureError>(())
/// ```
pub fn read_captures(path: impl AsRef<Path>) -> Result<Vec<Capture>, CaptureError> {
    let path = path.as_ref();
    let read_error = |path: &Path| {
        let path = path.to_owned();
        move |source| CaptureError::Read { path, source }
    };
    let meta = std::fs::metadata(path).map_err(read_error(path))?;
    let files = if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(read_error(path))?;
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|file| file.is_file() && file.extension().is_some_and(|e| e == "json"))
            .collect();
        if found.is_empty() {
            return Err(CaptureError::NoCaptures { path: path.to_owned() });
        }
        found.sort();
        found
    } else {
        vec![path.to_owned()]
    };
    files
        .into_iter()
        .map(|file| {
            let body = std::fs::read(&file).map_err(read_error(&file))?;
            Ok(Capture::new(body, file.display().to_string()))
        })
        .collect()
}

/// What a reply serves.
#[derive(Debug)]
pub(crate) enum What {
    /// These bodies in turn (`{}` when there are none), whole or cut in half.
    Bodies { bodies: Vec<Capture>, truncate: bool },
    /// A fault; [`Fault::Truncate`] cuts the endpoint's default body.
    Fault(Fault),
}

/// What the mock answers a request of an endpoint with: response bodies,
/// served in turn, or a fault; optionally after a delay.
///
/// A reply is the default of an endpoint
/// ([`MockServerBuilder::serve`](crate::MockServerBuilder::serve)) or is
/// mounted for some requests of it ([`Mock`](crate::Mock)). Either way it
/// answers only requests that pass the checks the documents describe;
/// the others get the documented error envelope.
///
/// ```
/// use std::time::Duration;
///
/// use dylive_mock::{Fault, Reply};
/// use dylive_models::{Int, RankAllResponse};
///
/// let _model = Reply::model(&RankAllResponse::default().with_code(Int::from(0)));
/// let _raw = Reply::body(r#"{"code": 40001, "msg": "token expired"}"#);
/// let _in_turn = Reply::bodies([r#"{"code":0}"#, r#"{"code":1}"#]);
/// let _cut = Reply::body(r#"{"code":0,"data":{}}"#).truncate();
/// let _busy = Reply::status(503).with_delay(Duration::from_millis(20));
/// let _slow_down = Reply::rate_limited(Duration::from_secs(2));
/// let _empty = Reply::fault(Fault::Empty);
/// ```
pub struct Reply {
    pub(crate) what: What,
    pub(crate) status: Option<u16>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) delay: Duration,
    turn: AtomicUsize,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Reply");
        match &self.what {
            What::Bodies { bodies, truncate } => {
                let sources: Vec<&str> = bodies.iter().map(Capture::source).collect();
                out.field("bodies", &sources).field("truncate", truncate)
            }
            What::Fault(fault) => out.field("fault", fault),
        };
        out.field("status", &self.status).field("retry_after", &self.retry_after).field("delay", &self.delay).finish()
    }
}

impl Reply {
    fn new(what: What) -> Reply {
        Reply { what, status: None, retry_after: None, delay: Duration::ZERO, turn: AtomicUsize::new(0) }
    }

    /// Serves `body` as it is, with status 200 and
    /// `Content-Type: application/json`.
    pub fn body(body: impl Into<Bytes>) -> Reply {
        Reply::captures(vec![Capture::new(body, "body")])
    }

    /// Serves `bodies` in turn, the first to the first request, and after
    /// the last the first again; an empty list serves `{}`.
    pub fn bodies<B: Into<Bytes>>(bodies: impl IntoIterator<Item = B>) -> Reply {
        Reply::captures(bodies.into_iter().map(|body| Capture::new(body, "body")).collect())
    }

    /// Serves `captures` in turn, as [`Reply::bodies`].
    pub fn captures(captures: Vec<Capture>) -> Reply {
        Reply::new(What::Bodies { bodies: captures, truncate: false })
    }

    /// Serves the captures at `path` in turn: a file, or the `*.json`
    /// files of a folder in order of name (see [`read_captures`]). They are
    /// served as they are, whatever they hold.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Reply, CaptureError> {
        read_captures(path).map(Reply::captures)
    }

    /// Serves a generated value (any response type, or any type the
    /// models write), encoded losslessly: what a client decodes from it is
    /// `==` to `value`.
    pub fn model<T: WriteJson + ?Sized>(value: &T) -> Reply {
        Reply::captures(vec![Capture::new(dylive_runtime::write::to_string(value), "model")])
    }

    /// Serves a response of any endpoint, encoded losslessly.
    pub fn response(response: &dylive_models::Response) -> Reply {
        let text = response.to_json();
        Reply::captures(vec![Capture::new(text, "model")])
    }

    /// Answers with `status` and a short text body; a 429 comes with
    /// `Retry-After` (the server's, 1 second unless set).
    pub fn status(status: u16) -> Reply {
        Reply::fault(Fault::Status(status))
    }

    /// Answers 429 with `Retry-After` set to `retry_after`, in whole
    /// seconds.
    pub fn rate_limited(retry_after: Duration) -> Reply {
        let mut reply = Reply::fault(Fault::Status(429));
        reply.retry_after = Some(retry_after);
        reply
    }

    /// Answers 200 with an empty body.
    pub fn empty() -> Reply {
        Reply::fault(Fault::Empty)
    }

    /// Answers 200 with the first half of the endpoint's default body (the
    /// next in turn): JSON that stops in the middle.
    pub fn truncated() -> Reply {
        Reply::fault(Fault::Truncate)
    }

    /// Answers with `fault` on every request it applies to.
    pub fn fault(fault: Fault) -> Reply {
        Reply::new(What::Fault(fault))
    }

    /// This reply with each body cut to its first half (in characters, or
    /// in bytes for a body that is not UTF-8); a reply of a status becomes
    /// [`Reply::truncated`].
    pub fn truncate(mut self) -> Reply {
        match &mut self.what {
            What::Bodies { truncate, .. } => *truncate = true,
            What::Fault(fault) => *fault = Fault::Truncate,
        }
        self
    }

    /// This reply with another status for its bodies (an empty or a cut
    /// body too); a reply of a status keeps its own.
    pub fn with_status(mut self, status: u16) -> Reply {
        self.status = Some(status);
        self
    }

    /// This reply after waiting `delay` (on top of the server's latency).
    pub fn with_delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Where its bodies come from, in the order served; empty for a fault.
    pub fn sources(&self) -> Vec<&str> {
        match &self.what {
            What::Bodies { bodies, .. } => bodies.iter().map(Capture::source).collect(),
            What::Fault(_) => Vec::new(),
        }
    }

    /// The next body in turn, if it serves bodies.
    pub(crate) fn next_body(&self) -> Option<Bytes> {
        let What::Bodies { bodies, .. } = &self.what else { return None };
        let count = bodies.len().max(1);
        let index = self.turn.fetch_add(1, Ordering::Relaxed) % count;
        Some(bodies.get(index).map_or_else(|| Bytes::from_static(b"{}"), |capture| capture.body.clone()))
    }
}

/// The first half of `body`: of its characters when it is UTF-8, of its
/// bytes otherwise.
pub(crate) fn first_half(body: &Bytes) -> Bytes {
    let cut = match std::str::from_utf8(body) {
        Ok(text) => text.char_indices().nth(text.chars().count() / 2).map_or(0, |(at, _)| at),
        Err(_) => body.len() / 2,
    };
    body.slice(..cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_go_in_turn_and_none_is_an_empty_object() {
        let reply = Reply::bodies(["a", "b"]);
        let served: Vec<Bytes> = (0..5).filter_map(|_| reply.next_body()).collect();
        assert_eq!(served, ["a", "b", "a", "b", "a"]);
        assert_eq!(Reply::bodies(Vec::<Bytes>::new()).next_body().as_deref(), Some(&b"{}"[..]));
        assert_eq!(Reply::status(503).next_body(), None);
    }

    #[test]
    fn half_a_body_keeps_whole_characters() {
        assert_eq!(first_half(&Bytes::from("金金金金金")), "金金");
        assert_eq!(first_half(&Bytes::from("{\"a\":\"金金金金金金\"}")), "{\"a\":\"金");
        assert_eq!(first_half(&Bytes::from_static(b"\xff\xfe\xfd\xfc")), &b"\xff\xfe"[..]);
        assert_eq!(first_half(&Bytes::new()), "");
    }

    #[test]
    fn truncate_turns_any_reply_into_a_cut_one() {
        assert!(matches!(Reply::body("{}").truncate().what, What::Bodies { truncate: true, .. }));
        assert!(matches!(Reply::status(500).truncate().what, What::Fault(Fault::Truncate)));
    }
}
