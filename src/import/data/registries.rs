//! The actor and place registries as the import sees them: existing
//! entries found by name or alias (case, accents and punctuation aside),
//! places of one name told apart by distance or kind, and new entries
//! appended to the file as text, so what curators wrote stays as written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml::Value;

use super::problem::Problem;
use super::record::PlaceRef;

/// Two points of one name closer than this are the same place.
const SAME_PLACE_KM: f64 = 30.0;

/// One entry, as far as matching needs it.
#[derive(Debug, Clone)]
struct Known {
    id: String,
    kind: Option<String>,
    coords: Option<(f64, f64)>,
}

/// A new entry, written as the registry's own format.
#[derive(Debug, Clone, Serialize)]
struct NewEntry {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
}

/// One registry file and what the import adds to it.
#[derive(Debug, Default)]
pub struct Registry {
    /// Its path relative to the site root.
    pub path: PathBuf,
    text: String,
    entries: Vec<Known>,
    by_name: HashMap<String, Vec<usize>>,
    /// Actor names as a dataset writes them, to their ids (a dataset repeats
    /// a few names on every row: each is normalised once).
    actor_ids: HashMap<String, String>,
    ids: HashSet<String>,
    added: Vec<NewEntry>,
}

/// Case, accents, punctuation and spacing aside: "Military Forces of
/// Ukraine (2019-)" and "military forces of ukraine 2019" are one name.
pub fn normalise(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Registry {
    /// Loads `content/NAME.yaml` (or `.yml`); a missing file is an empty registry.
    pub fn load(root: &Path, name: &str) -> Result<Registry, Problem> {
        let yml = PathBuf::from(format!("content/{name}.yml"));
        let path = if root.join(&yml).is_file() {
            yml
        } else {
            PathBuf::from(format!("content/{name}.yaml"))
        };
        let mut reg = Registry {
            path: path.clone(),
            ..Registry::default()
        };
        let full = root.join(&path);
        if !full.is_file() {
            return Ok(reg);
        }
        reg.text = super::table::read_text(&full)?;
        let value: Value = serde_yaml::from_str(&reg.text).map_err(|e| {
            Problem::at(
                &path,
                e.location().map_or(0, |l| l.line()),
                format!("cannot read the registry: {e}"),
            )
        })?;
        let items = match value {
            Value::Sequence(items) => items,
            Value::Null => Vec::new(),
            _ => return Err(Problem::file(&path, "the registry is not a list")),
        };
        for item in items {
            let Some(id) = item.get("id").and_then(Value::as_str) else {
                continue;
            };
            let coords = match (
                item.get("lat").and_then(Value::as_f64),
                item.get("lon").and_then(Value::as_f64),
            ) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            let i = reg.entries.len();
            reg.entries.push(Known {
                id: id.to_string(),
                kind: item.get("kind").and_then(Value::as_str).map(str::to_string),
                coords,
            });
            reg.ids.insert(id.to_string());
            let mut names: Vec<String> = item
                .get("name")
                .and_then(Value::as_str)
                .map(normalise)
                .into_iter()
                .collect();
            if let Some(Value::Sequence(aliases)) = item.get("aliases") {
                names.extend(aliases.iter().filter_map(Value::as_str).map(normalise));
            }
            names.push(normalise(id));
            names.sort();
            names.dedup();
            for n in names {
                reg.by_name.entry(n).or_default().push(i);
            }
        }
        Ok(reg)
    }

    /// How many entries this import adds.
    pub fn added(&self) -> usize {
        self.added.len()
    }

    /// The id of an actor named so, added when unknown.
    pub fn actor(&mut self, name: &str) -> String {
        if let Some(id) = self.actor_ids.get(name) {
            return id.clone();
        }
        let id = self.actor_uncached(name);
        self.actor_ids.insert(name.to_string(), id.clone());
        id
    }

    fn actor_uncached(&mut self, name: &str) -> String {
        let key = normalise(name);
        if let Some(&i) = self.by_name.get(&key).and_then(|v| v.first()) {
            return self.entries[i].id.clone();
        }
        let id = self.free_id(&[crate::slug::slugify(name)]);
        self.add(
            key,
            NewEntry {
                id: id.clone(),
                name: name.trim().to_string(),
                kind: None,
                lat: None,
                lon: None,
                country: None,
            },
        );
        id
    }

    /// The id of a place, added when unknown. Of the entries with its name,
    /// one near its coordinates, else one of its kind (a region is not the
    /// town it is named after), else, for a point without coordinates, any.
    pub fn place(&mut self, p: &PlaceRef) -> String {
        let key = normalise(&p.name);
        if let Some(found) = self.by_name.get(&key).and_then(|c| self.pick(c, p)) {
            return found;
        }
        let base = crate::slug::slugify(&p.name);
        let suffix = match p.kind.as_deref() {
            Some("admin1") => Some("region".to_string()),
            Some("admin2") => Some("district".to_string()),
            Some("admin3") => Some("community".to_string()),
            _ => p.within.as_deref().map(crate::slug::slugify),
        };
        let mut candidates = vec![base.clone()];
        if let Some(s) = suffix.filter(|s| !s.is_empty()) {
            candidates.push(format!("{base}-{s}"));
        }
        let id = self.free_id(&candidates);
        self.add(
            key,
            NewEntry {
                id: id.clone(),
                name: p.name.trim().to_string(),
                kind: p.kind.clone(),
                lat: p.coords.map(|c| c.0),
                lon: p.coords.map(|c| c.1),
                country: p.country.clone(),
            },
        );
        id
    }

    fn pick(&self, candidates: &[usize], p: &PlaceRef) -> Option<String> {
        let known = candidates.iter().map(|&i| &self.entries[i]);
        if let Some((lat, lon)) = p.coords {
            return known
                .clone()
                .filter_map(|k| k.coords.map(|c| (km(c, (lat, lon)), k)))
                .filter(|(d, _)| *d <= SAME_PLACE_KM)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| k.id.clone())
                .or_else(|| {
                    known
                        .clone()
                        .find(|k| k.coords.is_none() && same_kind(k, p))
                        .map(|k| k.id.clone())
                });
        }
        known
            .clone()
            .find(|k| k.kind.is_some() && k.kind == p.kind)
            .or_else(|| known.clone().find(|k| k.kind.is_none() && !is_admin(p)))
            .or_else(|| {
                known.clone().find(|k| {
                    !is_admin(p) && !k.kind.as_deref().is_some_and(|x| x.starts_with("admin"))
                })
            })
            .map(|k| k.id.clone())
    }

    fn free_id(&self, candidates: &[String]) -> String {
        let candidates: Vec<&String> = candidates.iter().filter(|c| !c.is_empty()).collect();
        for c in &candidates {
            if !self.ids.contains(c.as_str()) {
                return (*c).clone();
            }
        }
        let base = candidates
            .last()
            .map_or("entry".to_string(), |c| (*c).clone());
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| !self.ids.contains(c))
            .unwrap_or(base)
    }

    fn add(&mut self, key: String, e: NewEntry) {
        let i = self.entries.len();
        self.entries.push(Known {
            id: e.id.clone(),
            kind: e.kind.clone(),
            coords: e.lat.zip(e.lon),
        });
        self.ids.insert(e.id.clone());
        self.by_name.entry(key).or_default().push(i);
        self.added.push(e);
    }

    /// The file's new text when entries were added: the new entries appended
    /// to what was there (rewritten whole only when the file is a flow list).
    pub fn new_text(&self) -> Option<String> {
        if self.added.is_empty() {
            return None;
        }
        let appended = serde_yaml::to_string(&self.added).unwrap_or_default();
        let old = self.text.trim_end();
        if old.is_empty()
            || old.trim_start().starts_with('[')
            || old.trim() == "null"
            || old.trim() == "~"
        {
            if old.trim_start().starts_with('[') {
                let mut all: Vec<Value> = serde_yaml::from_str(old).unwrap_or_default();
                all.extend(
                    self.added
                        .iter()
                        .filter_map(|e| serde_yaml::to_value(e).ok()),
                );
                return serde_yaml::to_string(&all).ok();
            }
            return Some(appended);
        }
        Some(format!("{old}\n{appended}"))
    }
}

fn is_admin(p: &PlaceRef) -> bool {
    p.kind
        .as_deref()
        .is_some_and(|k| k.starts_with("admin") || k == "country")
}

fn same_kind(k: &Known, p: &PlaceRef) -> bool {
    k.kind.is_none() || k.kind == p.kind
}

/// Great-circle distance in kilometres.
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(text: &str) -> Registry {
        let dir =
            std::env::temp_dir().join(format!("annals-reg-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/places.yaml"), text).unwrap();
        let r = Registry::load(&dir, "places").unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        r
    }

    #[test]
    fn matches_by_alias_distance_and_kind() {
        let mut r = reg(
            "# hand-written\n- id: kharkiv\n  name: Kharkiv\n  aliases: [Харків]\n  lat: 49.99\n  lon: 36.23\n",
        );
        let at = |name: &str, kind: &str, coords| PlaceRef {
            name: name.into(),
            kind: Some(kind.into()),
            coords,
            country: Some("Ukraine".into()),
            within: Some("Kharkiv".into()),
        };
        assert_eq!(
            r.place(&at("KHARKIV", "location", Some((50.0, 36.2)))),
            "kharkiv"
        );
        assert_eq!(r.place(&at("Харків", "location", None)), "kharkiv");
        assert_eq!(r.place(&at("Kharkiv", "admin1", None)), "kharkiv-region");
        assert_eq!(r.place(&at("Kharkiv", "admin1", None)), "kharkiv-region");
        // A village of the same name far away is another place.
        let far = r.place(&at("Kharkiv", "location", Some((45.0, 30.0))));
        assert_eq!(far, "kharkiv-kharkiv");
        assert_eq!(
            r.place(&at("Kharkiv", "location", Some((45.01, 30.01)))),
            far
        );
        let text = r.new_text().unwrap();
        assert!(
            text.starts_with("# hand-written\n- id: kharkiv\n"),
            "{text}"
        );
        let back: Vec<Value> = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(
            normalise("Military Forces of Ukraine (2019-)"),
            "military forces of ukraine 2019"
        );
    }
}
