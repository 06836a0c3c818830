//! `events.geojson`: every published entry with a point (its `location`,
//! or a place with coordinates) as a GeoJSON Feature (RFC 7946), with its
//! id, dates, title, track, status and page URL as properties.

use serde_json::{Value, json};

use crate::chronology::Chronology;

/// The file's bytes.
pub fn collection(chron: &Chronology) -> Vec<u8> {
    let features: Vec<Value> = (0..chron.entries.len())
        .filter_map(|pos| {
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
        })
        .collect();
    let mut out =
        serde_json::to_vec_pretty(&json!({"type": "FeatureCollection", "features": features}))
            .unwrap_or_default();
    out.push(b'\n');
    out
}
