//! `events.geojson`: every published entry with a point (its `location`,
//! or a place with coordinates) as a GeoJSON Feature (RFC 7946), with its
//! id, dates, title, track, status and page URL as properties.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::chronology::Chronology;

/// The collection is written as `serde_json::to_vec_pretty` writes
/// `{"type": ..., "features": [...]}` (its keys in order), and a newline:
/// what comes before the features (empty parts are left out).
pub fn head(out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\n");
    super::json_list_open(out, "features");
}

/// What comes after the features (`any`: whether there was one).
pub fn tail(any: bool, out: &mut Vec<u8>) {
    super::json_list_close(out, any);
    out.extend_from_slice(b",\n  \"type\": \"FeatureCollection\"\n}\n");
}

/// The feature of the entry at `pos`, pretty-printed for its place in
/// the list; empty when the entry has no point.
pub fn feature_bytes(chron: &Chronology, pos: usize) -> Arc<[u8]> {
    match feature(chron, pos) {
        Some(f) => super::json_item(&f),
        None => Arc::from(Vec::new()),
    }
}

fn feature(chron: &Chronology, pos: usize) -> Option<Value> {
    let (place, lat, lon) = super::point(chron, pos)?;
    let dates = chron.dates(pos);
    Some(json!({
        "type": "Feature",
        "id": chron.id(pos),
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": chron.id(pos),
            "kind": if chron.event(pos).is_some() { "event" } else { "article" },
            "date": dates.start().machine(),
            "end": dates.end().map(|e| e.machine()),
            "precision": dates.start().precision().as_str(),
            "display_date": dates.display(),
            "title": chron.title(pos),
            "track": chron.track(pos),
            "status": super::status(chron, pos),
            "place": place,
            "url": super::url(chron, pos),
        }
    }))
}
