//! Which endpoint a capture is of: the one whose types explain the most of
//! its data, and when the data ties, the one whose envelope its status
//! values speak for.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use dylive_http::EnvelopeCheck;
use dylive_json::Json;
use dylive_runtime::info::Ty;
use serde::{Deserialize, Serialize};

use super::walk::{self, Step, Walker};

/// How well one endpoint's response types explain a capture.
///
/// Detection takes the endpoint that ranks highest by, in turn:
/// 1. the capture decodes as its response type;
/// 2. the values its types explain;
/// 3. fewer of its envelope's status fields present with a value the
///    endpoint neither sends on success nor shows in its documented
///    responses (`code` 0 where it answers 200), then more present with one
///    it does: the envelope's values decide when the data ties;
/// 4. fewer findings (they tell how complete our schemas are, not which
///    endpoint answered);
/// 5. its envelope's status fields all present, then how many are;
/// 6. the first in the manifest.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fit {
    /// The capture decodes as the endpoint's response type.
    pub decodes: bool,
    /// Values of the capture (every object, array, string, number, boolean
    /// and `null`, at any depth) that the types describe, with the kind
    /// found, less one for each missing required property.
    pub explained: usize,
    /// Every value of the capture.
    pub values: usize,
    /// Findings in the data: new properties, missing required ones, values
    /// of another kind, counted once a place.
    pub findings: usize,
    /// Status fields of the endpoint's envelope present with one of its
    /// success values or a value its documented responses hold.
    pub status: usize,
    /// Status fields of the endpoint's envelope present with any other
    /// value.
    pub contradicted: usize,
    /// Status fields of the endpoint's envelope present in the capture.
    pub envelope: usize,
    /// Status fields the endpoint's envelope has.
    pub envelope_of: usize,
}

impl Fit {
    /// The share of the capture's values the types explain, 0 to 1.
    pub fn share(&self) -> f64 {
        if self.values == 0 {
            0.0
        } else {
            self.explained as f64 / self.values as f64
        }
    }

    /// Orders fits from worst to best.
    pub(crate) fn rank(&self) -> impl Ord {
        (
            self.decodes,
            self.explained,
            std::cmp::Reverse(self.contradicted),
            self.status,
            std::cmp::Reverse(self.findings),
            self.envelope == self.envelope_of,
            self.envelope,
        )
    }
}

/// The endpoint a capture is of, as detected, and the runner-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The endpoint, as the manifest names it (`room_ranklist`).
    pub endpoint: &'static str,
    /// How well it fits.
    pub fit: Fit,
    /// The second best endpoint and its fit.
    pub runner_up: Option<(&'static str, Fit)>,
}

impl Detection {
    /// The runner-up when it is close: it explains within ten points of the
    /// share the winner explains.
    pub fn close_runner_up(&self) -> Option<(&'static str, Fit)> {
        self.runner_up.filter(|(_, fit)| fit.decodes && self.fit.share() - fit.share() <= 0.10)
    }
}

/// The status and message fields of every endpoint's envelope: they say
/// which envelope a capture came in, not what its data is, so the fit of
/// the data leaves them out.
pub(crate) struct Envelope {
    pointers: HashSet<&'static str>,
    longest: usize,
    /// The most steps a pointer of theirs has.
    depth: usize,
}

impl Envelope {
    /// The envelope fields of every endpoint, made once.
    pub(crate) fn all() -> &'static Envelope {
        static ENVELOPE: OnceLock<Envelope> = OnceLock::new();
        ENVELOPE.get_or_init(|| {
            let checks = dylive_client::ENDPOINTS.iter().flat_map(|spec| spec.checks);
            let pointers: HashSet<&'static str> =
                checks.flat_map(|check| std::iter::once(check.status).chain(check.message.iter().copied())).collect();
            let longest = pointers.iter().map(|p| p.len()).max().unwrap_or(0);
            let depth = pointers.iter().map(|p| p.matches('/').count()).max().unwrap_or(0);
            Envelope { pointers, longest, depth }
        })
    }

    /// Whether `pointer` is one of them.
    pub(crate) fn contains(&self, pointer: &str) -> bool {
        pointer.len() <= self.longest && self.pointers.contains(pointer)
    }

    /// Whether the value at `path` is one of them.
    pub(crate) fn holds(&self, path: &[Step<'_>]) -> bool {
        path.len() <= self.depth && self.contains(&walk::pointer(path))
    }

    /// The pointers.
    pub(crate) fn pointers(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.pointers.iter().copied()
    }
}

/// The envelope checks of `endpoint`.
pub(crate) fn checks(endpoint: &str) -> &'static [EnvelopeCheck] {
    dylive_client::ENDPOINTS.iter().find(|spec| spec.name == endpoint).map(|spec| spec.checks).unwrap_or_default()
}

/// A status field's value as text: a string's content or a number's text.
fn status_text<'j>(json: &'j Json<'_>) -> Option<&'j str> {
    json.as_str().or_else(|| json.as_number())
}

/// The values the documented responses of `endpoint` hold at `status`:
/// success and failure values the documents show.
fn documented(endpoint: &str, status: &str) -> &'static BTreeSet<String> {
    type Values = Vec<(&'static str, &'static str, BTreeSet<String>)>;
    static DOCUMENTED: OnceLock<Values> = OnceLock::new();
    static NONE: BTreeSet<String> = BTreeSet::new();
    let all = DOCUMENTED.get_or_init(|| {
        let mut all: Values = Vec::new();
        for spec in dylive_client::ENDPOINTS {
            for check in spec.checks {
                let values = dylive_models::fixtures::all()
                    .iter()
                    .filter(|fixture| fixture.endpoint == spec.name)
                    .filter_map(|fixture| std::str::from_utf8(fixture.body).ok())
                    .filter_map(|text| dylive_json::parse(text).ok())
                    .filter_map(|tree| tree.pointer(check.status).and_then(status_text).map(str::to_owned))
                    .collect();
                all.push((spec.name, check.status, values));
            }
        }
        all
    });
    all.iter().find(|(name, pointer, _)| *name == endpoint && *pointer == status).map_or(&NONE, |(_, _, v)| v)
}

/// The fit of `tree` to `endpoint`'s types, from a walk of the tree; the
/// walker is returned for the report. `decodes` is left true: only
/// decoding can tell, and detection decodes the best fit first.
pub(crate) fn fit<'e>(
    endpoint: &'static str,
    tree: &Json<'_>,
    values: usize,
    envelope: &'e Envelope,
    verbose: bool,
    items: Option<usize>,
) -> (Fit, Walker<'e>) {
    let mut walker = Walker::new(envelope, verbose);
    walker.items = items;
    if let Some(root) = root_type(endpoint) {
        walker.walk_root(&root, tree);
    }
    let (findings, missing) = walker.findings_in_data();
    let checks = checks(endpoint);
    let (mut status, mut contradicted) = (0, 0);
    for check in checks {
        match tree.pointer(check.status).filter(|v| !v.is_null()).map(status_text) {
            Some(Some(v)) if check.success.contains(&v) || documented(endpoint, check.status).contains(v) => {
                status += 1
            }
            Some(_) => contradicted += 1,
            None => {}
        }
    }
    let fit = Fit {
        decodes: true,
        explained: walker.explained.saturating_sub(missing),
        values,
        findings,
        status,
        contradicted,
        envelope: checks.iter().filter(|check| tree.pointer(check.status).is_some()).count(),
        envelope_of: checks.len(),
    };
    (fit, walker)
}

/// The response type of `endpoint`, as a [`Ty`].
pub(crate) fn root_type(endpoint: &str) -> Option<Ty> {
    let info = dylive_models::Response::type_info(endpoint)?;
    dylive_models::TYPES.iter().find(|type_info| std::ptr::eq(type_info(), info)).map(|type_info| Ty::Type(*type_info))
}
