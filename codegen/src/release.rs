//! Versions and changelogs of the generated crates.
//!
//! Each generated crate has a [`History`] in `release/<crate>.toml`: its
//! releases, newest first, and the entries since the last one. `cargo xtask
//! regen` appends an [`Entry`] whenever the API it makes differs from the
//! one recorded in `release/api.json` ([`crate::api`]), with the changes of
//! that crate grouped by [`Class`] and the captures that caused them. The
//! crate's version is the last release's, bumped by the greatest class
//! since ([`History::version`]), and its `CHANGELOG.md` is rendered from
//! the history ([`History::changelog`]). People add entries by hand for
//! changes of the generator or the runtime, in the same file.
//!
//! ```
//! use dylive_codegen::release::{Entry, History};
//!
//! let mut history = History::starting_at("0.2.0");
//! history.unreleased.push(Entry { additive: vec!["User: new field webcast_uid: string".into()], ..Entry::default() });
//! assert_eq!(history.version().map(|v| v.to_string()), Ok("0.2.1".to_owned()));
//! history.unreleased.push(Entry { breaking: vec!["User: field rank: now string; was integer".into()], ..Entry::default() });
//! assert_eq!(history.version().map(|v| v.to_string()), Ok("0.3.0".to_owned()));
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use semver::Version;
use serde::{Deserialize, Serialize};

use crate::changes::{Change, Changes, Class};

/// The part of the API a generated crate holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The model crate: every type, and the endpoints' response types.
    Models,
    /// The client crate: a method and a request type per endpoint; it
    /// re-exports the model crate.
    Client,
}

/// The generated crates' folders, relative to the workspace root, each with
/// the part of the API it holds: the model crate first.
pub fn generated_crates(manifest: &crate::Manifest) -> Vec<(Role, std::path::PathBuf)> {
    let mut crates = vec![(Role::Models, manifest.models.crate_dir.clone().into())];
    crates.extend(manifest.client.as_ref().map(|client| (Role::Client, client.crate_dir.clone().into())));
    crates
}

/// The releases of one crate and the entries since the last one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The entries since the last release, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreleased: Vec<Entry>,
    /// The releases, newest first.
    #[serde(default, rename = "release")]
    pub releases: Vec<Release>,
}

/// One release.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Its version.
    pub version: String,
    /// The day it was made, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Its entries, oldest first.
    #[serde(default, rename = "entry", skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<Entry>,
}

/// One change of a crate: what it brought, by class, each line
/// `Type: what changed` (or free text, for an entry written by hand).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A heading, for an entry written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The captures whose adoption caused it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captures: Vec<String>,
    /// Changes that may break a consumer's build.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaking: Vec<String>,
    /// Properties that were kept in `unknown_fields` until now and are
    /// typed fields from now on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub now_typed: Vec<String>,
    /// Additions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additive: Vec<String>,
    /// Docs, and what types say about themselves as data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
}

impl Entry {
    /// The entry of the crate with `role` for `changes`, `None` when none
    /// of them touches it. `models_breaking` is the model crate's new
    /// version when its own entry is breaking: the client re-exports the
    /// models, so their breaking change is the client's too.
    pub fn for_crate(
        role: Role,
        changes: &Changes,
        captures: &[String],
        models_breaking: Option<(&str, &Version)>,
    ) -> Option<Entry> {
        let mut entry = Entry { captures: captures.to_vec(), ..Entry::default() };
        for group in &changes.types {
            for change in &group.changes {
                if !touches(role, group.endpoint, change) {
                    continue;
                }
                let line = format!("{}: {change}", group.name);
                match change.class() {
                    Class::Breaking => entry.breaking.push(line),
                    Class::Additive => entry.additive.push(line),
                    Class::Docs => entry.docs.push(line),
                }
                if let (Role::Models, Some(field)) = (role, change.now_typed()) {
                    entry.now_typed.push(format!("{}: {field}", group.name));
                }
            }
        }
        if let (Role::Client, Some((name, version))) = (role, models_breaking) {
            entry.breaking.push(format!("the re-exported `{name}` is now {version}, with breaking changes"));
        }
        entry.class().is_some().then_some(entry)
    }

    /// The greatest class of its changes; `None` for an empty entry.
    pub fn class(&self) -> Option<Class> {
        if !self.breaking.is_empty() {
            Some(Class::Breaking)
        } else if !self.additive.is_empty() || !self.now_typed.is_empty() {
            Some(Class::Additive)
        } else if !self.docs.is_empty() {
            Some(Class::Docs)
        } else {
            None
        }
    }
}

/// Whether the crate with `role` has the change: the client has every
/// change of an endpoint, the models every change of a type, and a new,
/// removed or retyped endpoint, whose response type they list.
fn touches(role: Role, endpoint: bool, change: &Change) -> bool {
    match role {
        Role::Client => endpoint,
        Role::Models => {
            !endpoint
                || matches!(
                    change,
                    Change::NewEndpoint { .. } | Change::RemovedEndpoint | Change::ResponseChanged { .. }
                )
        }
    }
}

impl History {
    /// A history whose one release is `version`, with no entries.
    pub fn starting_at(version: &str) -> History {
        History {
            unreleased: Vec::new(),
            releases: vec![Release { version: version.to_owned(), ..Release::default() }],
        }
    }

    /// Reads a history from its TOML text.
    pub fn from_toml(text: &str) -> Result<History, String> {
        let history: History = toml::from_str(text).map_err(|e| e.to_string())?;
        if history.releases.is_empty() {
            return Err("no `[[release]]`: the first release gives the version the others grow from".to_owned());
        }
        for release in &history.releases {
            Version::parse(&release.version).map_err(|e| format!("release `{}`: {e}", release.version))?;
        }
        Ok(history)
    }

    /// The TOML text, after `header` (comment lines).
    pub fn to_toml(&self, header: &str) -> String {
        let body = toml::to_string_pretty(self).unwrap_or_default();
        format!("{header}\n{body}")
    }

    /// The greatest class of the entries since the last release.
    pub fn unreleased_class(&self) -> Option<Class> {
        self.unreleased.iter().filter_map(Entry::class).max()
    }

    /// The version the crate has now: the last release's, bumped by the
    /// greatest class since. While the major version is 0, a breaking
    /// change raises the minor version and anything else the patch; from
    /// 1.0, breaking raises the major, additive the minor and docs the
    /// patch.
    pub fn version(&self) -> Result<Version, String> {
        let last = self.releases.first().ok_or("no release")?;
        let mut version = Version::parse(&last.version).map_err(|e| format!("release `{}`: {e}", last.version))?;
        let Some(class) = self.unreleased_class() else { return Ok(version) };
        let bump = match (version.major, class) {
            (0, Class::Breaking) => 1,
            (0, _) => 2,
            (_, Class::Breaking) => 0,
            (_, Class::Additive) => 1,
            (_, Class::Docs) => 2,
        };
        match bump {
            0 => (version.major, version.minor, version.patch) = (version.major + 1, 0, 0),
            1 => (version.minor, version.patch) = (version.minor + 1, 0),
            _ => version.patch += 1,
        }
        version.pre = semver::Prerelease::EMPTY;
        version.build = semver::BuildMetadata::EMPTY;
        Ok(version)
    }

    /// Makes the entries since the last release a release of the current
    /// version, made on `date`.
    pub fn release(&mut self, date: &str) -> Result<Version, String> {
        let version = self.version()?;
        if self.unreleased.is_empty() {
            return Err(format!("nothing to release: {version} has no entries since it was released"));
        }
        let entries = std::mem::take(&mut self.unreleased);
        self.releases.insert(0, Release { version: version.to_string(), date: Some(date.to_owned()), entries });
        Ok(version)
    }

    /// `CHANGELOG.md` of the crate `name`, after `header` (its first line).
    pub fn changelog(&self, header: &str, name: &str) -> Result<String, String> {
        let mut out = format!("{header}\n# Changelog of {name}\n\n");
        out.push_str(
            "Every change of the generated API, in classes. **Breaking**: a consumer's build that uses what \
             changed may fail; the minor version goes up while the major is 0. **Now typed**: a property that \
             was kept in its struct's `unknown_fields` is a field now, and `unknown_fields` no longer has it. \
             **Added** and **Docs**: no build breaks, since every generated type is `#[non_exhaustive]`; the \
             patch version goes up.\n",
        );
        if !self.unreleased.is_empty() {
            let _ = write!(out, "\n## Unreleased: {}\n", self.version()?);
            for entry in &self.unreleased {
                render_entry(&mut out, entry);
            }
        }
        for release in &self.releases {
            match &release.date {
                Some(date) => {
                    let _ = write!(out, "\n## {} ({date})\n", release.version);
                }
                None => {
                    let _ = write!(out, "\n## {}\n", release.version);
                }
            }
            if release.entries.is_empty() {
                out.push_str("\nThe first version.\n");
            }
            for entry in &release.entries {
                render_entry(&mut out, entry);
            }
        }
        Ok(out)
    }
}

/// One entry: a heading, then a list per class, one item per type.
fn render_entry(out: &mut String, entry: &Entry) {
    let heading = match (&entry.title, entry.captures.as_slice()) {
        (Some(title), _) => title.clone(),
        (None, []) => "Schema changes".to_owned(),
        (None, captures) => {
            let list: Vec<String> = captures.iter().map(|c| format!("`{c}`")).collect();
            format!("Adopted {}", list.join(", "))
        }
    };
    let _ = write!(out, "\n### {heading}\n");
    if entry.title.is_some() && !entry.captures.is_empty() {
        let list: Vec<String> = entry.captures.iter().map(|c| format!("`{c}`")).collect();
        let _ = write!(out, "\nFrom {}.\n", list.join(", "));
    }
    let sections = [
        ("Breaking", &entry.breaking),
        ("Now typed, no longer in `unknown_fields`", &entry.now_typed),
        ("Added", &entry.additive),
        ("Docs", &entry.docs),
    ];
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        let _ = write!(out, "\n#### {title}\n\n");
        for line in by_type(lines) {
            let _ = writeln!(out, "- {line}");
        }
    }
}

/// The lines `Type: change`, one item per type in the order of first
/// mention, its changes joined: ``- `User`: new field a; new field b``.
/// A line without a type prefix is an item of its own.
fn by_type(lines: &[String]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for line in lines {
        match line.split_once(": ") {
            Some((name, change)) if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                let key = format!("`{name}`");
                if !groups.contains_key(&key) {
                    order.push(key.clone());
                }
                groups.entry(key).or_default().push(change);
            }
            _ => order.push(line.clone()),
        }
    }
    order
        .into_iter()
        .map(|key| match groups.get(&key) {
            Some(changes) => format!("{key}: {}", docs_together(changes).join("; ")),
            None => key,
        })
        .collect()
}

/// The changes of one type with every `docs of x` made one: `docs of
/// a, b, c`.
fn docs_together<'a>(changes: &[&'a str]) -> Vec<std::borrow::Cow<'a, str>> {
    let fields: Vec<&str> = changes.iter().filter_map(|c| c.strip_prefix("docs of ")).collect();
    let mut out: Vec<std::borrow::Cow<'a, str>> = Vec::new();
    for change in changes {
        match change.strip_prefix("docs of ") {
            Some(_) if fields.len() > 1 => {
                if !out.iter().any(|c| c.starts_with("docs of ")) {
                    out.push(format!("docs of {}", fields.join(", ")).into());
                }
            }
            _ => out.push((*change).into()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::TypeChanges;

    fn changes() -> Changes {
        Changes {
            types: vec![
                TypeChanges {
                    name: "User".into(),
                    endpoint: false,
                    changes: vec![
                        Change::NewField { field: "webcast_uid".into(), ty: "string".into() },
                        Change::Docs { of: Some("nickname".into()) },
                    ],
                },
                TypeChanges {
                    name: "room_ranklist".into(),
                    endpoint: true,
                    changes: vec![Change::NewParam { param: "cursor".into(), ty: "string".into(), required: false }],
                },
            ],
        }
    }

    #[test]
    fn each_crate_gets_its_changes_by_class() {
        let captures = vec!["fixtures/e/captured.json".to_owned()];
        let models = Entry::for_crate(Role::Models, &changes(), &captures, None).expect("models touched");
        assert_eq!(models.additive, ["User: new field webcast_uid: string"]);
        assert_eq!(models.now_typed, ["User: webcast_uid"]);
        assert_eq!(models.docs, ["User: docs of nickname"]);
        assert_eq!(models.class(), Some(Class::Additive));
        let client = Entry::for_crate(Role::Client, &changes(), &captures, None).expect("client touched");
        assert_eq!(client.additive, ["room_ranklist: new optional parameter cursor: string"]);
        assert!(client.now_typed.is_empty() && client.docs.is_empty());
        let version = Version::new(0, 3, 0);
        let client = Entry::for_crate(Role::Client, &Changes::default(), &[], Some(("dylive-models", &version)))
            .expect("a breaking models change is the client's");
        assert_eq!(client.class(), Some(Class::Breaking));
    }

    #[test]
    fn versions_follow_the_greatest_class_since_the_last_release() {
        let mut history = History::starting_at("0.2.0");
        assert_eq!(history.version(), Ok(Version::new(0, 2, 0)));
        history.unreleased.push(Entry { docs: vec!["User: docs of id".into()], ..Entry::default() });
        assert_eq!(history.version(), Ok(Version::new(0, 2, 1)));
        history.unreleased.push(Entry { now_typed: vec!["User: a".into()], ..Entry::default() });
        assert_eq!(history.version(), Ok(Version::new(0, 2, 1)), "two entries, one release");
        history.unreleased.push(Entry { breaking: vec!["User: removed field a".into()], ..Entry::default() });
        assert_eq!(history.version(), Ok(Version::new(0, 3, 0)));
        assert_eq!(history.release("2026-12-05"), Ok(Version::new(0, 3, 0)));
        assert_eq!(history.version(), Ok(Version::new(0, 3, 0)));
        assert!(history.release("2026-12-06").is_err(), "nothing to release");

        let mut stable = History::starting_at("1.4.2");
        stable.unreleased.push(Entry { additive: vec!["x".into()], ..Entry::default() });
        assert_eq!(stable.version(), Ok(Version::new(1, 5, 0)));
        stable.unreleased.push(Entry { breaking: vec!["y".into()], ..Entry::default() });
        assert_eq!(stable.version(), Ok(Version::new(2, 0, 0)));
    }

    #[test]
    fn the_changelog_groups_by_class_and_type_and_round_trips_as_toml() {
        let mut history = History::starting_at("0.1.0");
        let captures = vec!["fixtures/e/captured.json".to_owned()];
        history.unreleased.extend(Entry::for_crate(Role::Models, &changes(), &captures, None));
        let text = history.to_toml("# header");
        assert_eq!(History::from_toml(&text), Ok(history.clone()), "{text}");
        let changelog = history.changelog("<!-- header -->", "dylive-models").expect("renders");
        for expected in [
            "## Unreleased: 0.1.1\n",
            "### Adopted `fixtures/e/captured.json`\n",
            "#### Now typed, no longer in `unknown_fields`\n\n- `User`: webcast_uid\n",
            "#### Added\n\n- `User`: new field webcast_uid: string\n",
            "#### Docs\n\n- `User`: docs of nickname\n",
            "## 0.1.0\n\nThe first version.\n",
        ] {
            assert!(changelog.contains(expected), "{expected:?} in:\n{changelog}");
        }
        assert!(History::from_toml("unreleased = []").is_err(), "a release is needed");
    }
}
