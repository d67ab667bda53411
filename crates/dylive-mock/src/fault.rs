//! Faults the mock injects, one kind at a time or in a seeded mix.

use std::fmt;
use std::str::FromStr;

/// A fault the mock can answer with instead of a response body.
///
/// ```
/// use dylive_mock::Fault;
///
/// assert_eq!(Fault::Status(429).to_string(), "429");
/// assert_eq!(Fault::ServerError.to_string(), "5xx");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// 500, 502, 503 or 504, chosen by the server's seeded generator.
    ServerError,
    /// This status with a short text body; a 429 comes with `Retry-After`
    /// (see [`MockServerBuilder::retry_after`](crate::MockServerBuilder::retry_after)).
    Status(u16),
    /// 200 with an empty body.
    Empty,
    /// 200 with the first half (in characters) of the body that would have
    /// been served: JSON that stops in the middle.
    Truncate,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::ServerError => f.write_str("5xx"),
            Fault::Status(status) => write!(f, "{status}"),
            Fault::Empty => f.write_str("empty"),
            Fault::Truncate => f.write_str("truncate"),
        }
    }
}

/// Faults with the percentage of requests each hits, drawn for every
/// request from the server's seeded generator; the other requests are
/// answered normally.
///
/// It parses from the text `dylive mock --mix` takes: `KIND=PERCENT` items
/// separated by commas, where a kind is `5xx` (500, 502, 503 or 504), a
/// status from 400 to 599 (`429` comes with `Retry-After`), `empty` or
/// `truncate`, and the percentages add up to 100 at most.
///
/// ```
/// use dylive_mock::{Fault, FaultMix};
///
/// let mix: FaultMix = "5xx=10,429=5,empty=5,truncate=5".parse()?;
/// assert_eq!(mix.iter().next(), Some((Fault::ServerError, 10.0)));
/// let same = FaultMix::new()
///     .with(Fault::ServerError, 10.0)?
///     .with(Fault::Status(429), 5.0)?
///     .with(Fault::Empty, 5.0)?
///     .with(Fault::Truncate, 5.0)?;
/// assert_eq!(mix, same);
/// assert!("5xx=80,429=30".parse::<FaultMix>().is_err());
/// # Ok::<(), dylive_mock::MixError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultMix(Vec<(Fault, f64)>);

/// Why a [`FaultMix`] cannot be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MixError {
    /// An item is not `KIND=PERCENT`.
    #[error("`{0}` is not KIND=PERCENT")]
    NotPair(String),
    /// The kind is none the mock knows.
    #[error("unknown fault `{0}`: use 5xx, a status from 400 to 599, empty or truncate")]
    Kind(String),
    /// The percentage is not a number from 0 to 100.
    #[error("`{0}` is not a percentage from 0 to 100")]
    Percent(String),
    /// A kind is given twice.
    #[error("`{0}` is given twice")]
    Twice(String),
    /// The percentages add up to more than 100.
    #[error("the percentages add up to {0}, more than 100")]
    Total(f64),
}

impl FaultMix {
    /// A mix of no faults.
    pub fn new() -> FaultMix {
        FaultMix::default()
    }

    /// The mix with `fault` hitting `percent` percent of the requests
    /// more; an error when the fault is no status from 400 to 599, is
    /// already in the mix, when `percent` is not from 0 to 100 or when the
    /// total passes 100.
    pub fn with(mut self, fault: Fault, percent: f64) -> Result<FaultMix, MixError> {
        if let Fault::Status(status) = fault {
            if !(400..600).contains(&status) {
                return Err(MixError::Kind(status.to_string()));
            }
        }
        if !(0.0..=100.0).contains(&percent) {
            return Err(MixError::Percent(percent.to_string()));
        }
        if self.0.iter().any(|(f, _)| *f == fault) {
            return Err(MixError::Twice(fault.to_string()));
        }
        self.0.push((fault, percent));
        let total = self.total();
        if total > 100.0 + 1e-9 {
            return Err(MixError::Total(total));
        }
        Ok(self)
    }

    /// Each fault with its percentage, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (Fault, f64)> + '_ {
        self.0.iter().copied()
    }

    /// The percentages added up.
    pub fn total(&self) -> f64 {
        self.0.iter().map(|(_, p)| p).sum()
    }

    /// The fault that a roll from 0 to 100 falls on, if any.
    pub(crate) fn pick(&self, roll: f64) -> Option<Fault> {
        let mut upto = 0.0;
        for (fault, share) in &self.0 {
            upto += share;
            if roll < upto {
                return Some(*fault);
            }
        }
        None
    }
}

impl FromStr for FaultMix {
    type Err = MixError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut mix = Vec::new();
        for item in text.split(',').map(str::trim).filter(|item| !item.is_empty()) {
            let (kind, percent) = item.split_once('=').ok_or_else(|| MixError::NotPair(item.to_owned()))?;
            let fault = match kind.trim() {
                "5xx" => Fault::ServerError,
                "empty" => Fault::Empty,
                "truncate" => Fault::Truncate,
                code => match code.parse::<u16>() {
                    Ok(status) if (400..600).contains(&status) => Fault::Status(status),
                    _ => return Err(MixError::Kind(code.to_owned())),
                },
            };
            let share = percent
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| MixError::Percent(percent.trim().to_owned()))?;
            if mix.iter().any(|(f, _)| *f == fault) {
                return Err(MixError::Twice(kind.trim().to_owned()));
            }
            mix.push((fault, share));
        }
        let mix = FaultMix(mix);
        let total = mix.total();
        if total > 100.0 + 1e-9 {
            return Err(MixError::Total(total));
        }
        Ok(mix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mix_parses_and_picks_by_share() {
        let mix: FaultMix = "5xx=10, 429=5,empty=5,truncate=2.5".parse().expect("a mix");
        assert_eq!(
            mix.0,
            vec![(Fault::ServerError, 10.0), (Fault::Status(429), 5.0), (Fault::Empty, 5.0), (Fault::Truncate, 2.5)]
        );
        assert_eq!(mix.pick(0.0), Some(Fault::ServerError));
        assert_eq!(mix.pick(9.99), Some(Fault::ServerError));
        assert_eq!(mix.pick(10.0), Some(Fault::Status(429)));
        assert_eq!(mix.pick(19.0), Some(Fault::Empty));
        assert_eq!(mix.pick(21.0), Some(Fault::Truncate));
        assert_eq!(mix.pick(22.5), None);
        assert_eq!(mix.pick(99.9), None);
        let all: FaultMix = "503=100".parse().expect("a mix");
        assert_eq!(all.pick(99.999), Some(Fault::Status(503)));
    }

    #[test]
    fn a_bad_mix_says_why() {
        for (text, error) in [
            ("5xx", MixError::NotPair("5xx".to_owned())),
            ("slow=5", MixError::Kind("slow".to_owned())),
            ("200=5", MixError::Kind("200".to_owned())),
            ("5xx=ten", MixError::Percent("ten".to_owned())),
            ("5xx=-1", MixError::Percent("-1".to_owned())),
            ("5xx=NaN", MixError::Percent("NaN".to_owned())),
            ("5xx=1,5xx=2", MixError::Twice("5xx".to_owned())),
            ("5xx=60,empty=50", MixError::Total(110.0)),
        ] {
            assert_eq!(text.parse::<FaultMix>(), Err(error), "{text}");
        }
    }

    #[test]
    fn a_mix_built_in_code_is_checked_as_a_parsed_one() {
        assert_eq!(FaultMix::new().with(Fault::Status(200), 5.0), Err(MixError::Kind("200".to_owned())));
        assert_eq!(FaultMix::new().with(Fault::Empty, f64::NAN), Err(MixError::Percent("NaN".to_owned())));
        let twice = FaultMix::new().with(Fault::Empty, 1.0).and_then(|m| m.with(Fault::Empty, 2.0));
        assert_eq!(twice, Err(MixError::Twice("empty".to_owned())));
        let over = FaultMix::new().with(Fault::Empty, 60.0).and_then(|m| m.with(Fault::Truncate, 50.0));
        assert_eq!(over, Err(MixError::Total(110.0)));
    }
}
