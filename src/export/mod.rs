//! Data exports written by every build, each switchable off in site.yaml's
//! `exports:`: `events.csv` ([`csv`](mod@csv)), `timeline.ics` ([`ics`]),
//! `timelinejs.json` ([`timelinejs`]), `events.geojson` ([`geojson`]),
//! `events.gpx` ([`gpx`]); and
//! the "cite this" data of event pages ([`cite`]).
//!
//! Each takes the chronology (and its configuration) and gives bytes; the
//! render stage only lists them among its outputs.

pub mod cite;
pub mod csv;
pub mod geojson;
pub mod gpx;
pub mod ics;
pub mod timelinejs;

use crate::chronology::Chronology;
use crate::content::event::Source;

/// Every export the configuration asks for, as (output path, bytes).
pub fn files(chron: &Chronology) -> Vec<(&'static str, Vec<u8>)> {
    let on = chron.config.exports;
    let mut out = Vec::new();
    if on.csv {
        out.push(("events.csv", csv::events_csv(chron)));
    }
    if on.ics {
        out.push(("timeline.ics", ics::calendar(chron)));
    }
    if on.timelinejs {
        out.push(("timelinejs.json", timelinejs::timeline(chron)));
    }
    if on.geojson {
        out.push(("events.geojson", geojson::collection(chron)));
    }
    if on.gpx {
        out.push(("events.gpx", gpx::waypoints(chron)));
    }
    out
}

/// The absolute URL of the entry at `pos`.
pub fn url(chron: &Chronology, pos: usize) -> String {
    format!("{}{}", chron.config.base_url, chron.path(pos))
}

/// The point of the entry at `pos`: the event's `location`, else the first
/// of its places with coordinates in the registry. (name, lat, lon).
pub fn point(chron: &Chronology, pos: usize) -> Option<(String, f64, f64)> {
    let [_, _, places] = chron.terms(pos);
    if let Some(l) = chron.event(pos).and_then(|e| e.location.as_ref()) {
        let name = l
            .name
            .clone()
            .or_else(|| {
                places
                    .first()
                    .map(|p| chron.place_name(&p.value).to_string())
            })
            .unwrap_or_default();
        return Some((name, l.lat, l.lon));
    }
    places.iter().find_map(|p| {
        let e = chron.place_entity(&p.value)?;
        Some((e.name.clone(), e.lat?, e.lon?))
    })
}

/// The status of the entry at `pos` (articles: "confirmed").
pub fn status(chron: &Chronology, pos: usize) -> &'static str {
    chron.event(pos).map_or("confirmed", |e| e.status.as_str())
}

/// The addresses of the entry's sources: external URLs, and the pages of
/// the articles it cites (an article's own original for articles).
pub fn source_urls(chron: &Chronology, pos: usize) -> Vec<String> {
    if let Some(a) = chron.article(pos) {
        return a.source_url.iter().cloned().collect();
    }
    let Some(e) = chron.event(pos) else {
        return Vec::new();
    };
    e.sources
        .iter()
        .filter_map(|s| match s {
            Source::External(x) => Some(x.url.clone()),
            Source::Article(slug) => chron.position(&slug.value).map(|p| url(chron, p)),
        })
        .collect()
}

/// The killed figure of an event: its first claim of kind `killed`
/// without a note (the overall one, before any per-side claims), as (low,
/// best, high).
pub fn killed(chron: &Chronology, pos: usize) -> Option<(Option<u64>, Option<u64>, Option<u64>)> {
    let e = chron.event(pos)?;
    let f = e
        .figures
        .iter()
        .filter(|f| f.kind == "killed")
        .min_by_key(|f| f.note.is_some())?;
    Some((f.low, f.best, f.high))
}

/// A text value kept in an event's `data` (e.g. `media.url`).
pub fn data_text<'a>(chron: &'a Chronology, pos: usize, path: &[&str]) -> Option<&'a str> {
    let mut v = chron.event(pos)?.data.as_ref()?;
    for k in path {
        v = v.get(*k)?;
    }
    v.as_str()
}
