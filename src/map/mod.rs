//! Maps: where entries happened, drawn without any network. The base map
//! (Natural Earth outlines, [`base`]) is projected at build time; the map
//! page ([`page`]) puts every located entry on it; `max_precision`
//! ([`settings`]) coarsens every published coordinate where content is
//! loaded, so that no output can leak more than the site allows.

pub mod base;
pub mod coarsen;
pub mod page;
pub mod settings;

use serde::Serialize;

pub use settings::{MapSettings, Precision, coarsen};

use crate::chronology::Chronology;
use base::{Bounds, Projection};

/// Where an entry is: its own `location`, else the first of its places
/// that has coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// How precisely it is known.
    pub precision: Precision,
    /// The place's name, when known.
    pub name: Option<String>,
}

/// The point of the entry at `pos`, if it has one.
pub fn locate(chron: &Chronology, pos: usize) -> Option<Located> {
    chron.point(pos).map(|(lat, lon, precision, name)| Located {
        lat,
        lon,
        precision,
        name: name.map(str::to_string),
    })
}

/// Width of an entry card's small map, in the units of its `viewBox`.
pub const CARD_W: f64 = 90.0;
/// Height of an entry card's small map (three wide by two high).
pub const CARD_H: f64 = 60.0;

/// A window three wide by two high around `view` (x, y, width, height),
/// with a tenth more on each side, in whole map units.
fn card_window(view: [f64; 4]) -> [f64; 4] {
    let [x, y, w, h] = view;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let w = w.max(h * CARD_W / CARD_H) * 1.2;
    let h = w * CARD_H / CARD_W;
    [
        (cx - w / 2.0).round(),
        (cy - h / 2.0).round(),
        w.round(),
        h.round(),
    ]
}

/// The site's map: the area its located entries cover, how it is
/// projected, and the larger area the base map is drawn for (so that
/// panning and zooming out show land around it).
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// Units per degree of longitude (100 per degree of latitude).
    pub x_scale: f64,
    /// The initial view: x, y, width, height in map units.
    pub view: [f64; 4],
    /// The area the base map covers, in map units.
    pub area: [f64; 4],
    /// Width and height, in map units, of a locator map's window.
    pub locator: [f64; 2],
    /// The window of an entry card's small map (`map/card.svg`), in map
    /// units: the initial view and a little more, three wide by two high.
    pub card: [f64; 4],
    /// Radius of a card's dot, in the card's units ([`CARD_W`] across), by
    /// precision: the area a coarse location may be anywhere in, at least
    /// a visible dot.
    pub card_r: std::collections::BTreeMap<&'static str, u32>,
    /// How many entries are located.
    pub located: usize,
    /// Whether they are more than one map page draws (the map's
    /// `page_max`): `map/` then draws the newest month's.
    pub paged: bool,
    /// Their positions in the chronology, in its order (shared by every
    /// clone: a map page per period is drawn in the one frame).
    #[serde(skip)]
    pub positions: std::sync::Arc<[usize]>,
    #[serde(skip)]
    projection: Projection,
    #[serde(skip)]
    view_bounds: Bounds,
    #[serde(skip)]
    area_bounds: Bounds,
}

impl Frame {
    /// The frame of a chronology: every located entry in view. `None` when
    /// no entry is located (the site then has no map page).
    pub fn new(chron: &Chronology) -> Option<Frame> {
        let (positions, points): (Vec<usize>, Vec<(f64, f64)>) = chron
            .located()
            .iter()
            .map(|&(pos, lat, lon)| (pos, (lat, lon)))
            .unzip();
        if points.is_empty() {
            return None;
        }
        let view_bounds = Bounds::around(points.iter().copied());
        let area_bounds = view_bounds.grown(0.5);
        let projection = Projection::for_view(&view_bounds);
        let (x, y, w, h) = projection.rect(&view_bounds);
        let (ax, ay, aw, ah) = projection.rect(&area_bounds);
        let card = card_window([x, y, w, h]);
        let card_r = Precision::ALL
            .iter()
            .map(|&(name, p)| {
                let r = p.radius_km() / 111.0 * 100.0 * CARD_W / card[2];
                (name, r.max(3.0).round() as u32)
            })
            .collect();
        Some(Frame {
            x_scale: (projection.x_scale * 1000.0).round() / 1000.0,
            view: [x, y, w, h],
            area: [ax, ay, aw, ah],
            // A third of the view (enough to see where in it), at least
            // four degrees across.
            locator: {
                let lw = (w.max(h * 1.5) / 3.0).max(400.0).round();
                [lw, (lw * 2.0 / 3.0).round()]
            },
            card,
            card_r,
            located: points.len(),
            paged: points.len() > chron.config.map.page_max,
            positions: positions.into(),
            projection,
            view_bounds,
            area_bounds,
        })
    }

    /// A point in map units, rounded to whole units (a hundredth of a degree).
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let (x, y) = self.projection.point(lat, lon);
        (x.round(), y.round())
    }

    /// The base map's country outlines as SVG `<path>` elements.
    pub fn base_paths(&self) -> String {
        let detail = self.view_bounds.east - self.view_bounds.west;
        base::country_paths(&self.area_bounds, &self.projection, detail)
            .iter()
            .map(|d| format!("<path d=\"{d}\"/>"))
            .collect()
    }

    /// `map/base.svg`: the base map alone, for the small locator maps of
    /// entry pages (one file, cached by the browser).
    pub fn base_svg(&self) -> Vec<u8> {
        let [x, y, w, h] = self.area;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{x} {y} {w} {h}\" width=\"{w}\" height=\"{h}\">\
             <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#dbe7ef\"/>\
             <g fill=\"#f4f1ea\" stroke=\"#a9a196\" stroke-width=\"{stroke}\" stroke-linejoin=\"round\">{paths}</g></svg>\n",
            stroke = (w / 1500.0).max(1.0).round(),
            paths = self.base_paths(),
        )
        .into_bytes()
    }

    /// What the base maps are drawn from (the view's and the area's
    /// bounds, the projection and the cards' window), as bits: equal keys
    /// draw the same base maps.
    pub fn base_key(&self) -> [u64; 13] {
        let (v, a, c) = (&self.view_bounds, &self.area_bounds, &self.card);
        [
            v.west,
            v.south,
            v.east,
            v.north,
            a.west,
            a.south,
            a.east,
            a.north,
            self.projection.x_scale,
            c[0],
            c[1],
            c[2],
            c[3],
        ]
        .map(f64::to_bits)
    }

    /// The base maps, as output files: `map/base.svg` and `map/card.svg`.
    pub fn base_maps(&self) -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("map/base.svg", self.base_svg()),
            ("map/card.svg", self.card_svg()),
        ]
    }

    /// `map/card.svg`: the base map of an entry card's small map, the
    /// window [`Frame::card`] only and drawn coarsely (it is shown some
    /// 70 pixels wide), so that it stays a few kilobytes. Cards draw their
    /// dot over it in a `viewBox` of [`CARD_W`] by [`CARD_H`].
    pub fn card_svg(&self) -> Vec<u8> {
        let [x, y, w, h] = self.card;
        let x_scale = self.projection.x_scale;
        let bounds = Bounds {
            west: (x / x_scale).max(-180.0),
            east: ((x + w) / x_scale).min(180.0),
            north: (-y / 100.0).min(85.0),
            south: (-(y + h) / 100.0).max(-85.0),
        };
        // One kept point per card unit, about a pixel (`country_paths`
        // keeps a point per 700th of `detail`).
        let detail = (bounds.east - bounds.west) * 700.0 / CARD_W;
        let paths: String = base::country_paths(&bounds, &self.projection, detail)
            .iter()
            .map(|d| format!("<path d=\"{d}\"/>"))
            .collect();
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{x} {y} {w} {h}\" preserveAspectRatio=\"none\">\
             <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#dbe7ef\"/>\
             <g fill=\"#f4f1ea\" stroke=\"#a9a196\" stroke-width=\"{stroke}\" stroke-linejoin=\"round\">{paths}</g></svg>\n",
            stroke = (w / 120.0).max(1.0).round(),
        )
        .into_bytes()
    }

    /// Radius, in map units, of the area a precision leaves open.
    pub fn radius(&self, precision: Precision) -> f64 {
        // 111 km to a degree of latitude, which is 100 units.
        (precision.radius_km() / 111.0 * 100.0).round()
    }
}
