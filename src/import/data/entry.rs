//! A record as an event's YAML mapping, and the `import:` block that
//! remembers where it came from: the dataset, the row id and a hash of
//! each field as imported, so a later import can tell a curator's edit
//! from a change upstream.

use serde_yaml::{Mapping, Value};

use super::record::{Record, short_hash};

use super::registries::Registry;

/// The fields an import writes and later compares, in the order written.
pub const FIELDS: &[&str] = &[
    "date", "end", "title", "summary", "track", "status", "tags", "actors", "places", "location",
    "sources", "figures", "data",
];

/// The registry ids of a record's actors and places (added when unknown).
pub fn resolve(
    r: &Record,
    actors: &mut Registry,
    places: &mut Registry,
) -> (Vec<String>, Vec<String>) {
    let mut a: Vec<String> = Vec::new();
    for name in &r.actors {
        let id = actors.actor(name);
        if !a.contains(&id) {
            a.push(id);
        }
    }
    let mut p: Vec<String> = Vec::new();
    for place in &r.places {
        let id = places.place(place);
        if !p.contains(&id) {
            p.push(id);
        }
    }
    (a, p)
}

/// The event mapping of a record, with its actors' and places' ids.
pub fn fields_of(r: &Record, actor_ids: Vec<String>, place_ids: Vec<String>) -> Mapping {
    let mut m = Mapping::new();
    let mut put = |k: &str, v: Value| {
        m.insert(Value::from(k), v);
    };
    put("date", r.date.clone().into());
    if let Some(e) = &r.end {
        put("end", e.clone().into());
    }
    put("title", r.title.clone().into());
    if let Some(s) = &r.summary {
        put("summary", s.clone().into());
    }
    if let Some(t) = &r.track {
        put("track", t.clone().into());
    }
    if let Some(s) = &r.status {
        put("status", s.clone().into());
    }
    if !r.tags.is_empty() {
        put("tags", r.tags.clone().into());
    }
    if !actor_ids.is_empty() {
        put("actors", actor_ids.into());
    }
    if !place_ids.is_empty() {
        put("places", place_ids.into());
    }
    if let Some((name, lat, lon)) = &r.location {
        let mut l = Mapping::new();
        l.insert("name".into(), name.clone().into());
        l.insert("lat".into(), (*lat).into());
        l.insert("lon".into(), (*lon).into());
        put("location", Value::Mapping(l));
    }
    if !r.sources.is_empty() {
        let list: Vec<Value> = r
            .sources
            .iter()
            .map(|s| {
                let mut m = Mapping::new();
                m.insert("url".into(), s.url.clone().into());
                if let Some(t) = &s.title {
                    m.insert("title".into(), t.clone().into());
                }
                if let Some(p) = &s.publisher {
                    m.insert("publisher".into(), p.clone().into());
                }
                Value::Mapping(m)
            })
            .collect();
        put("sources", list.into());
    }
    if !r.figures.is_empty() {
        put("figures", Value::Sequence(r.figures.clone()));
    }
    if !r.data.is_empty() {
        put("data", Value::Mapping(r.data.clone()));
    }
    m
}

/// A field value's hash (8 hex digits; absent fields hash as null): FNV-1a
/// over its JSON text, streamed (no text is built).
pub fn field_hash(v: Option<&Value>) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let _ = serde_json::to_writer(&mut h, v.unwrap_or(&Value::Null));
    format!("{:016x}", h.0)[..8].to_string()
}

/// FNV-1a 64 as a writer (the same digest as [`short_hash`] of the bytes).
struct Fnv(u64);

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The hash of an absent field.
pub fn absent_hash() -> &'static str {
    static ABSENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ABSENT.get_or_init(|| field_hash(None))
}

/// The hashes of every compared field of a mapping, in [`FIELDS`] order.
pub fn hashes(m: &Mapping) -> Vec<(&'static str, String)> {
    FIELDS.iter().map(|f| (*f, field_hash(m.get(*f)))).collect()
}

/// The hashes as written in `import.fields`: `date=1a2b3c4d title=...`,
/// present fields only (one line, so that the block stays small).
pub fn hashes_text(hashes: &[(&str, String)]) -> String {
    hashes
        .iter()
        .filter(|(_, h)| h != absent_hash())
        .map(|(f, h)| format!("{f}={h}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The recorded hash of each field, from `import.fields`; a field not
/// listed was absent when imported.
pub fn parse_hashes(text: &str) -> Vec<(&'static str, String)> {
    FIELDS
        .iter()
        .map(|f| {
            let h = text
                .split_whitespace()
                .find_map(|p| p.strip_prefix(*f).and_then(|r| r.strip_prefix('=')))
                .unwrap_or(absent_hash());
            (*f, h.to_string())
        })
        .collect()
}

/// The `import:` block.
pub fn origin(dataset: &str, key: &str, fields_text: String) -> Value {
    let mut m = Mapping::new();
    m.insert("dataset".into(), dataset.into());
    m.insert("row".into(), key.into());
    m.insert("hash".into(), short_hash(&fields_text).into());
    m.insert("fields".into(), fields_text.into());
    Value::Mapping(m)
}

/// A whole new event: id, the fields, the origin.
pub fn new_event(id: &str, fields: Mapping, dataset: &str, key: &str, hashes: String) -> Value {
    let mut m = Mapping::with_capacity(fields.len() + 2);
    m.insert("id".into(), id.into());
    m.extend(fields);
    m.insert("import".into(), origin(dataset, key, hashes));
    Value::Mapping(m)
}

/// A value shown in one line, for conflict reports.
pub fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".to_string(),
        Some(Value::String(s)) => {
            let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let cut: String = one.chars().take(120).collect();
            if cut.len() < one.len() {
                format!("\"{cut}…\"")
            } else {
                format!("\"{cut}\"")
            }
        }
        Some(other) => {
            let t = serde_json::to_string(other).unwrap_or_default();
            let cut: String = t.chars().take(120).collect();
            if cut.len() < t.len() {
                format!("{cut}…")
            } else {
                cut
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn streamed_hash_is_the_text_hash() {
        let v = serde_yaml::Value::from("a b");
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(super::field_hash(Some(&v)), super::short_hash(&text)[..8]);
    }
}
