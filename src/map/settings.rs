//! How precisely a location is known, and the site's `map:` settings
//! (`max_precision`, opt-in raster `tiles`), read from `site.yaml`.

use serde::Serialize;
use serde_yaml::Value;

use crate::error::Diagnostics;
use crate::fields::Fields;
use crate::source::Origin;

/// How precisely a location is known (or may be published), finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// The very spot (the default).
    #[default]
    Exact,
    /// Within a few hundred metres.
    Near,
    /// The town or village.
    Settlement,
    /// The district, oblast or province.
    Region,
    /// Only the country.
    Country,
}

impl Precision {
    /// Every precision, as written in YAML, finest first.
    pub const ALL: [(&'static str, Precision); 5] = [
        ("exact", Precision::Exact),
        ("near", Precision::Near),
        ("settlement", Precision::Settlement),
        ("region", Precision::Region),
        ("country", Precision::Country),
    ];

    /// The precision as written in YAML.
    pub fn as_str(self) -> &'static str {
        Precision::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("exact", |(name, _)| name)
    }

    /// Decimals a coordinate keeps when published at most this precisely:
    /// a hundredth of a degree is about a kilometre (a settlement), a tenth
    /// about ten (a region), a whole degree a hundred (a country).
    pub fn decimals(self) -> Option<i32> {
        match self {
            Precision::Exact => None,
            Precision::Near => Some(3),
            Precision::Settlement => Some(2),
            Precision::Region => Some(1),
            Precision::Country => Some(0),
        }
    }

    /// Radius, in kilometres, of the area this precision leaves open: the
    /// ring or shaded disc drawn around a point.
    pub fn radius_km(self) -> f64 {
        match self {
            Precision::Exact => 0.0,
            Precision::Near => 0.5,
            Precision::Settlement => 3.0,
            Precision::Region => 40.0,
            Precision::Country => 250.0,
        }
    }

    /// Reads a precision, reporting an unknown word (with the closest one).
    pub fn read(text: &str, origin: &Origin, diags: &mut Diagnostics) -> Option<Precision> {
        let wanted = text.trim().to_lowercase();
        if let Some((_, p)) = Precision::ALL.iter().find(|(n, _)| *n == wanted) {
            return Some(*p);
        }
        let names = Precision::ALL.map(|(n, _)| n);
        let hint = crate::suggest::did_you_mean(&wanted, names)
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("use one of {}", names.join(", ")));
        diags.error(
            origin.span(),
            format!("unknown precision \"{text}\": {hint}"),
        );
        None
    }
}

/// Rounds a coordinate to what `max` allows (unchanged when `max` is exact
/// or absent).
pub fn coarsen(value: f64, max: Option<Precision>) -> f64 {
    match max.and_then(Precision::decimals) {
        None => value,
        Some(d) => {
            let scale = 10f64.powi(d);
            let rounded = (value * scale).round() / scale;
            // -0.0 would print as "-0".
            if rounded == 0.0 { 0.0 } else { rounded }
        }
    }
}

/// `map: page_max` when `site.yaml` does not say.
pub const MAP_PAGE_MAX: usize = 5_000;

/// The site's `map:` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapSettings {
    /// Every published coordinate is rounded to this precision.
    pub max_precision: Option<Precision>,
    /// Raster tiles the reader's browser may fetch (`{z}`, `{x}`, `{y}`):
    /// only when the site opts in.
    pub tiles: Option<String>,
    /// Who the tiles come from, shown under the map.
    pub attribution: Option<String>,
    /// The most located entries one map page shows (`page_max`); a site
    /// with more gets a map page per year (and per month of a year with
    /// more), `map/` showing the newest month.
    pub page_max: usize,
}

impl Default for MapSettings {
    fn default() -> MapSettings {
        MapSettings {
            max_precision: None,
            tiles: None,
            attribution: None,
            page_max: MAP_PAGE_MAX,
        }
    }
}

impl MapSettings {
    /// Reads `map:` of site.yaml.
    pub fn read(value: &Value, origin: Origin, diags: &mut Diagnostics) -> MapSettings {
        let Some(mut f) = Fields::new(value, origin, "map setting", diags) else {
            return MapSettings::default();
        };
        let precision_origin = f.origin_of("max_precision");
        let max_precision = f.text("max_precision");
        let tiles_origin = f.origin_of("tiles");
        let tiles = f.text("tiles");
        let attribution = f.text("attribution");
        let page_max = f
            .int_in("page_max", 1, 100_000_000)
            .map_or(MAP_PAGE_MAX, |n| n as usize);
        let whole = f.origin().clone();
        f.finish();
        let max_precision =
            max_precision.and_then(|t| Precision::read(&t, &precision_origin, diags));
        if let Some(url) = &tiles {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
            if !ok {
                diags.error(
                    tiles_origin.span(),
                    format!(
                        "invalid tiles \"{url}\": use an http(s) URL template with {{z}}, {{x}} and {{y}}"
                    ),
                );
            }
            if attribution.as_deref().is_none_or(|a| a.trim().is_empty()) {
                diags.error(
                    whole.span(),
                    "map tiles need an `attribution` naming whose tiles they are",
                );
            }
        }
        MapSettings {
            max_precision,
            tiles,
            attribution,
            page_max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarsening_rounds_to_the_allowed_decimals() {
        assert_eq!(coarsen(50.450_123, Some(Precision::Settlement)), 50.45);
        assert_eq!(coarsen(30.523_9, Some(Precision::Region)), 30.5);
        assert_eq!(coarsen(-0.3, Some(Precision::Country)), 0.0);
        assert_eq!(coarsen(48.0159, Some(Precision::Near)), 48.016);
        assert_eq!(coarsen(48.015_93, None), 48.015_93);
        assert_eq!(coarsen(48.015_93, Some(Precision::Exact)), 48.015_93);
        assert_eq!(
            format!("{}", coarsen(36.999_999, Some(Precision::Settlement))),
            "37"
        );
    }

    #[test]
    fn precisions_order_finest_first() {
        assert!(Precision::Exact < Precision::Settlement);
        assert!(Precision::Region < Precision::Country);
        assert_eq!(Precision::Settlement.as_str(), "settlement");
    }
}
