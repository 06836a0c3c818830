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
    "sources", "data",
];

/// The event mapping of a record, its ids resolved in the registries.
pub fn fields_of(r: &Record, actors: &mut Registry, places: &mut Registry) -> Mapping {
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
    let mut ids: Vec<String> = Vec::new();
    for a in &r.actors {
        let id = actors.actor(a);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if !ids.is_empty() {
        put("actors", ids.into());
    }
    let mut ids: Vec<String> = Vec::new();
    for p in &r.places {
        let id = places.place(p);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if !ids.is_empty() {
        put("places", ids.into());
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
    if !r.data.is_empty() {
        put("data", Value::Mapping(r.data.clone()));
    }
    m
}

/// A field value's hash (8 hex digits; absent fields hash as null).
pub fn field_hash(v: Option<&Value>) -> String {
    let text = serde_json::to_string(v.unwrap_or(&Value::Null)).unwrap_or_default();
    short_hash(&text)[..8].to_string()
}

/// The hashes of every compared field of a mapping.
pub fn hashes(m: &Mapping) -> Mapping {
    let mut out = Mapping::new();
    for f in FIELDS {
        out.insert(Value::from(*f), field_hash(m.get(*f)).into());
    }
    out
}

/// The `import:` block.
pub fn origin(dataset: &str, key: &str, hashes: Mapping) -> Value {
    let all: String = hashes.values().filter_map(Value::as_str).collect();
    let mut m = Mapping::new();
    m.insert("dataset".into(), dataset.into());
    m.insert("row".into(), key.into());
    m.insert("hash".into(), short_hash(&all).into());
    m.insert("fields".into(), Value::Mapping(hashes));
    Value::Mapping(m)
}

/// A whole new event: id, the fields, the origin.
pub fn new_event(id: &str, fields: &Mapping, dataset: &str, key: &str) -> Value {
    let mut m = Mapping::new();
    m.insert("id".into(), id.into());
    for (k, v) in fields {
        m.insert(k.clone(), v.clone());
    }
    m.insert("import".into(), origin(dataset, key, hashes(fields)));
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
