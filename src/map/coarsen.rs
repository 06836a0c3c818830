//! `max_precision`: every coordinate of the content rounded as it is
//! loaded, before any output is made from it.

use super::settings::{MapSettings, Precision, coarsen};
use crate::content::Content;

/// Rounds every coordinate of the content (events' locations, places of the
/// registry) to the site's `max_precision`, and marks the points as known
/// no better than that. Done once, as content is loaded: every output
/// (pages, JSON, GeoJSON, JSON-LD, CSV) reads the coarsened values.
pub fn coarsen_content(content: &mut Content, settings: &MapSettings) {
    let Some(max) = settings.max_precision else {
        return;
    };
    if max == Precision::Exact {
        return;
    }
    for event in &mut content.events {
        let Some(point) = &event.location else {
            continue;
        };
        let lat = coarsen(point.lat, Some(max));
        let lon = coarsen(point.lon, Some(max));
        let precision = point.precision.max(max);
        if lat == point.lat && lon == point.lon && precision == point.precision {
            continue;
        }
        // Shared with the parsed-file cache: only the published copy changes.
        if let Some(point) = &mut std::sync::Arc::make_mut(event).location {
            point.lat = lat;
            point.lon = lon;
            point.precision = precision;
        }
    }
    if let Some(places) = &mut content.places {
        for place in &mut places.entities {
            place.lat = place.lat.map(|v| coarsen(v, Some(max)));
            place.lon = place.lon.map(|v| coarsen(v, Some(max)));
        }
    }
}
