//! The map page's data (`map/`): every located entry as a mark on the base
//! map, with what the finder filters on, and the legend of tracks.

use serde::Serialize;

use super::{Frame, locate};
use crate::chronology::Chronology;
use crate::render::views::{Cards, TrackView, track_link};

/// One located entry on the map.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// Its position in the chronology (not shown).
    #[serde(skip)]
    pub pos: usize,
    /// Event id or article slug.
    pub id: String,
    /// Plain-text title.
    pub title: String,
    /// Path of its page.
    pub path: String,
    /// Latitude and longitude, as published (coarsened).
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Its place in map units.
    pub x: f64,
    /// Its place in map units.
    pub y: f64,
    /// The radius of the area it may be anywhere in (0 for an exact point).
    pub r: f64,
    /// How precisely it is known.
    pub precision: &'static str,
    /// The place's name.
    pub place: Option<String>,
    /// Its track, with its colour.
    pub track: Option<std::sync::Arc<TrackView>>,
    /// Its status.
    pub status: &'static str,
    /// "event" or "article".
    pub kind: &'static str,
    /// When, for people.
    pub when: String,
    /// Start, RFC 3339 (the finder's dates compare it).
    pub start: String,
    /// The date as written, for `<time datetime>` ("2022-02").
    pub datetime: String,
    /// Slugs of its tags, actors and places, space-separated (the finder's filters).
    pub tags: String,
    /// Actor slugs.
    pub actors: String,
    /// Place slugs.
    pub places: String,
}

/// What `map.html` receives as `map`.
#[derive(Debug, Clone, Serialize)]
pub struct MapPage {
    /// The frame: projection, initial view, base map area.
    pub frame: Frame,
    /// The base map's country outlines, as SVG paths (safe HTML).
    pub base_html: String,
    /// Every located entry, in chronology order. Not in the template's
    /// `map`: each mark reaches the page through its partials
    /// (`marks_html`, `list_html`), and a copy of ten thousand marks as
    /// template values would cost more than the page itself.
    #[serde(skip)]
    pub marks: Vec<Mark>,
    /// How many located entries the page shows (its marks).
    pub located: usize,
    /// The tracks of the located entries, for the legend.
    pub tracks: Vec<TrackView>,
    /// Entries of the whole site without a place on the map.
    pub unlocated: usize,
    /// Opt-in raster tiles (URL template) and their attribution.
    pub tiles: Option<String>,
    /// Whose tiles they are.
    pub attribution: Option<String>,
    /// The site's `max_precision`, when it coarsens coordinates.
    pub max_precision: Option<&'static str>,
}

/// The data of a map page in `frame` (the chronology's own frame) showing
/// the entries at `shown` (positions, in chronology order: every located
/// entry, or those of one period of a large site's). It reads every entry
/// it shows (where each one is).
pub fn map_page_in(frame: Frame, chron: &Chronology, cards: &Cards, shown: &[usize]) -> MapPage {
    let slugs = |terms: &crate::chronology::Taxonomy, pos: usize| -> String {
        terms
            .terms_of(pos)
            .map(|t| t.slug.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let marks: Vec<Mark> = shown
        .iter()
        .filter_map(|&pos| {
            let at = locate(chron, pos)?;
            let card = cards.card(pos);
            let (x, y) = frame.project(at.lat, at.lon);
            Some(Mark {
                pos,
                id: card.id.clone(),
                title: card.title.clone(),
                path: card.path.clone(),
                lat: at.lat,
                lon: at.lon,
                x,
                y,
                r: frame.radius(at.precision),
                precision: at.precision.as_str(),
                place: at.name,
                track: card.track.clone(),
                status: card.status,
                kind: card.kind,
                when: card.when.display.clone(),
                start: card.when.date.start.clone(),
                datetime: card.when.date.datetime.clone(),
                tags: slugs(&chron.tags, pos),
                actors: slugs(&chron.actors, pos),
                places: slugs(&chron.places, pos),
            })
        })
        .collect();
    let mut tracks: Vec<TrackView> = Vec::new();
    for m in &marks {
        if let Some(t) = &m.track
            && !tracks.iter().any(|k| k.slug == t.slug)
        {
            tracks.push(track_link(chron, &t.name));
        }
    }
    tracks.sort_by(|a, b| a.name.cmp(&b.name));
    let settings = &chron.config.map;
    MapPage {
        base_html: frame.base_paths(),
        unlocated: chron.entries.len() - frame.located,
        located: marks.len(),
        marks,
        tracks,
        tiles: settings.tiles.clone(),
        attribution: settings.attribution.clone(),
        max_precision: settings
            .max_precision
            .filter(|p| *p != super::Precision::Exact)
            .map(super::Precision::as_str),
        frame,
    }
}
