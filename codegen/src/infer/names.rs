//! `schemas/names.toml`: type names for the places where objects occur.

use std::path::Path;

use crate::Error;

/// The naming file.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// (place key, type name), in file order.
    pub entries: Vec<(String, String)>,
    /// Place keys whose objects are maps whatever their keys.
    pub maps: Vec<String>,
}

const HEADER: &str = "\
# Type names for the objects `cargo xtask infer` finds in the fixtures.
#
# A key names a place: property names joined by `/`, `[]` for the items of an
# array, `{}` for the values of a map. A key matches every place whose path
# ends with it; a key starting with `/` matches from the root only, and
# `endpoint:` before it limits it to one endpoint. The most specific key that
# matches wins. Places with one name become one type.
#
# `cargo xtask infer` adds a key for each place it names by itself, by shape or
# by the property's name; change the name to rename the type, or move the
# place into another type. The endpoints' root types are named in
# endpoints.toml.
";

impl Names {
    /// Reads the file; a missing file is an empty one.
    pub fn load(path: &Path) -> Result<Names, Error> {
        let Ok(text) = std::fs::read_to_string(path) else { return Ok(Names::default()) };
        let table: toml::Table = toml::from_str(&text).map_err(|e| Error::Manifest(path.to_owned(), e.to_string()))?;
        let mut names = Names::default();
        if let Some(toml::Value::Table(entries)) = table.get("names") {
            for (key, value) in entries {
                let name = value
                    .as_str()
                    .ok_or_else(|| Error::Manifest(path.to_owned(), format!("names.{key}: expected a type name")))?;
                names.entries.push((key.clone(), name.to_owned()));
            }
        }
        if let Some(places) = table.get("maps").and_then(|m| m.get("places")).and_then(toml::Value::as_array) {
            names.maps = places.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect();
        }
        Ok(names)
    }

    /// The name given to the place `path` of `endpoint`, if any.
    pub fn lookup(&self, endpoint: &str, path: &str) -> Option<&str> {
        self.matching(endpoint, path).max_by_key(|(s, _)| *s).map(|(_, name)| name.as_str())
    }

    /// How specific the key that names the place is, if any matches.
    pub fn best(&self, endpoint: &str, path: &str) -> Option<Specificity> {
        self.matching(endpoint, path).map(|(s, _)| s).max()
    }

    fn matching<'a, 'p>(
        &'a self,
        endpoint: &'p str,
        path: &'p str,
    ) -> impl Iterator<Item = (Specificity, &'a String)> + use<'a, 'p> {
        self.entries.iter().filter_map(move |(key, name)| specificity(key, endpoint, path).map(|s| (s, name)))
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\n[names]\n");
        let mut entries: Vec<&(String, String)> = self.entries.iter().collect();
        entries.sort();
        for (key, name) in entries {
            out.push_str(&format!("{} = {}\n", toml_string(key), toml_string(name)));
        }
        out.push_str("\n[maps]\n# Places whose objects are maps even when their keys are not all digits.\nplaces = [");
        let places: Vec<String> = self.maps.iter().map(|p| toml_string(p)).collect();
        out.push_str(&places.join(", "));
        out.push_str("]\n");
        out
    }
}

/// `text` as a TOML string that may also be a key: on one line, as a key
/// must be, even when it holds a line break.
fn toml_string(text: &str) -> String {
    let rendered = toml::Value::String(text.to_owned()).to_string();
    if !rendered.contains('\n') {
        return rendered;
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How well a key matches a place; the greater wins: anchored at the root,
/// then limited to the endpoint, then the number of segments.
pub type Specificity = (bool, bool, usize);

/// How well `key` matches the place, or `None` when it does not.
pub fn specificity(key: &str, endpoint: &str, path: &str) -> Option<Specificity> {
    let (qualified, key) = match key.split_once(':') {
        Some((only, rest)) if only == endpoint => (true, rest),
        Some(_) => return None,
        None => (false, key),
    };
    let anchored = key.starts_with('/');
    let matches = if anchored { path == key } else { suffix_matches(path, key) };
    matches.then(|| (anchored, qualified, key.split('/').filter(|s| !s.is_empty()).count()))
}

/// True when the segments of `path` end with those of `key`.
pub fn suffix_matches(path: &str, key: &str) -> bool {
    // From the last segment back, without collecting: infer calls this for
    // every pair of places, and a deep capture has many.
    let mut path = path.rsplit('/').filter(|s| !s.is_empty());
    let mut key = key.rsplit('/').filter(|s| !s.is_empty()).peekable();
    key.peek().is_some() && key.all(|segment| path.next() == Some(segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_key_wins() {
        let names = Names {
            entries: vec![
                ("data".into(), "Data".into()),
                ("fans_club/data".into(), "FansClubData".into()),
                ("rank_all:/data".into(), "RankAllData".into()),
                ("icons/{}".into(), "Image".into()),
            ],
            maps: vec![],
        };
        assert_eq!(names.lookup("x", "/a/fans_club/data"), Some("FansClubData"));
        assert_eq!(names.lookup("x", "/data"), Some("Data"));
        assert_eq!(names.lookup("rank_all", "/data"), Some("RankAllData"));
        assert_eq!(names.lookup("rank_all", "/data/data"), Some("Data"));
        assert_eq!(names.lookup("x", "/badge/icons/{}"), Some("Image"));
        assert_eq!(names.lookup("x", "/badge/icons"), None);
    }

    #[test]
    fn keys_with_any_character_are_read_back() {
        let odd = ["a\nb", "dat\u{8}\u{c}\n\r\t/a", "q\"uote", "back\\slash", "nul\u{0}del\u{7f}", "é/🌀", "'''"];
        let names = Names {
            entries: odd.iter().map(|key| ((*key).to_owned(), "T".to_owned())).collect(),
            maps: odd.iter().map(|key| (*key).to_owned()).collect(),
        };
        let path = std::env::temp_dir().join(format!("dylive-names-{}.toml", std::process::id()));
        std::fs::write(&path, names.render()).expect("a temporary file");
        let read = Names::load(&path);
        std::fs::remove_file(&path).expect("removed");
        let read = read.expect("the rendered file is TOML");
        assert_eq!(read.entries.len(), odd.len());
        for key in odd {
            assert!(read.entries.iter().any(|(k, name)| k == key && name == "T"), "{key:?} in {:?}", read.entries);
        }
        assert_eq!(read.maps, names.maps);
    }

    #[test]
    fn suffixes_match_whole_segments_from_the_end() {
        assert!(suffix_matches("/data/user/pay_grade", "user/pay_grade"));
        assert!(suffix_matches("/data/user/pay_grade", "/data/user/pay_grade"));
        assert!(suffix_matches("/a//b/", "a/b"));
        assert!(!suffix_matches("/data/user/pay_grade", "ser/pay_grade"));
        assert!(!suffix_matches("/pay_grade", "user/pay_grade"));
        assert!(!suffix_matches("/data/user", ""));
        assert!(!suffix_matches("", "user"));
    }

    #[test]
    fn best_is_how_specific_the_winning_key_is() {
        let names = Names {
            entries: vec![("user".into(), "User".into()), ("e:/data/user".into(), "DataUser".into())],
            maps: vec![],
        };
        assert_eq!(names.best("e", "/data/user"), Some((true, true, 2)));
        assert_eq!(names.best("f", "/data/user"), Some((false, false, 1)));
        assert_eq!(names.best("f", "/data/owner"), None);
        let new = specificity("data/user", "f", "/data/user");
        assert!(new > names.best("f", "/data/user") && new < names.best("e", "/data/user"));
    }
}
