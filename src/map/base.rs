//! The base map: Natural Earth's country outlines (`data/world-50m.txt`,
//! compiled in), projected and drawn as SVG paths at build time.
//!
//! Projection: equirectangular, longitudes shrunk by the cosine of the
//! view's middle latitude so that shapes look right there. One unit is a
//! hundredth of a degree of latitude, so every coordinate is an integer.

use std::sync::OnceLock;

const WORLD: &str = include_str!("../../data/world-50m.txt");

/// One country: its rings in hundredths of a degree, and their bounds.
struct Country {
    rings: Vec<Ring>,
}

struct Ring {
    points: Vec<(i32, i32)>,
    /// min lon, min lat, max lon, max lat (hundredths of a degree).
    bounds: (i32, i32, i32, i32),
}

fn world() -> &'static [Country] {
    static WORLD_DATA: OnceLock<Vec<Country>> = OnceLock::new();
    WORLD_DATA.get_or_init(|| parse(WORLD))
}

fn parse(text: &str) -> Vec<Country> {
    let mut countries: Vec<Country> = Vec::new();
    for line in text.lines() {
        if line.starts_with("C ") {
            countries.push(Country { rings: Vec::new() });
        } else if let Some(rest) = line.strip_prefix("R ")
            && let Some(country) = countries.last_mut()
        {
            let mut points = Vec::new();
            let (mut x, mut y) = (0i32, 0i32);
            for (i, pair) in rest.split(' ').enumerate() {
                let Some((a, b)) = pair.split_once(',') else {
                    continue;
                };
                let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) else {
                    continue;
                };
                if i == 0 {
                    (x, y) = (a, b);
                } else {
                    x += a;
                    y += b;
                }
                points.push((x, y));
            }
            // Rings that cross the antimeridian jump from 180° to -180°: a
            // line across the whole map. Unwrapped, they go on past the edge.
            let mut shift = 0;
            for i in 1..points.len() {
                let step = points[i].0 + shift - points[i - 1].0;
                if step > 18_000 {
                    shift -= 36_000;
                } else if step < -18_000 {
                    shift += 36_000;
                }
                points[i].0 += shift;
            }
            if points.len() < 3 {
                continue;
            }
            let bounds = points.iter().fold(
                (i32::MAX, i32::MAX, i32::MIN, i32::MIN),
                |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
            );
            country.rings.push(Ring { points, bounds });
        }
    }
    countries
}

/// An area of the earth in degrees: west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Western longitude.
    pub west: f64,
    /// Southern latitude.
    pub south: f64,
    /// Eastern longitude.
    pub east: f64,
    /// Northern latitude.
    pub north: f64,
}

impl Bounds {
    /// The smallest area holding every point, padded so that no point sits
    /// on the edge; the whole world without points.
    pub fn around(points: impl Iterator<Item = (f64, f64)>) -> Bounds {
        let mut b: Option<Bounds> = None;
        for (lat, lon) in points {
            b = Some(match b {
                None => Bounds {
                    west: lon,
                    south: lat,
                    east: lon,
                    north: lat,
                },
                Some(b) => Bounds {
                    west: b.west.min(lon),
                    south: b.south.min(lat),
                    east: b.east.max(lon),
                    north: b.north.max(lat),
                },
            });
        }
        let Some(b) = b else {
            return Bounds {
                west: -180.0,
                south: -60.0,
                east: 180.0,
                north: 80.0,
            };
        };
        // A fifth more on each side, and at least two degrees across.
        let pad_x = ((b.east - b.west) * 0.2).max(1.0);
        let pad_y = ((b.north - b.south) * 0.2).max(1.0);
        Bounds {
            west: (b.west - pad_x).max(-180.0),
            south: (b.south - pad_y).max(-85.0),
            east: (b.east + pad_x).min(180.0),
            north: (b.north + pad_y).min(85.0),
        }
    }

    /// The area grown by `share` of its size on each side, within the world.
    pub fn grown(&self, share: f64) -> Bounds {
        let dx = (self.east - self.west) * share;
        let dy = (self.north - self.south) * share;
        Bounds {
            west: (self.west - dx).max(-180.0),
            south: (self.south - dy).max(-85.0),
            east: (self.east + dx).min(180.0),
            north: (self.north + dy).min(85.0),
        }
    }
}

/// How degrees become map units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// Units per degree of longitude (per degree of latitude: 100).
    pub x_scale: f64,
}

impl Projection {
    /// The projection for a view: longitudes shrunk by the cosine of its
    /// middle latitude.
    pub fn for_view(view: &Bounds) -> Projection {
        let mid = ((view.north + view.south) / 2.0).to_radians();
        Projection {
            x_scale: 100.0 * mid.cos().max(0.2),
        }
    }

    /// Map units of a point (x to the east, y to the south).
    pub fn point(&self, lat: f64, lon: f64) -> (f64, f64) {
        (lon * self.x_scale, -lat * 100.0)
    }

    /// The rectangle of an area in map units: x, y, width, height.
    pub fn rect(&self, b: &Bounds) -> (f64, f64, f64, f64) {
        let (x0, y0) = self.point(b.north, b.west);
        let (x1, y1) = self.point(b.south, b.east);
        (x0.round(), y0.round(), (x1 - x0).round(), (y1 - y0).round())
    }
}

/// SVG path data of the countries that touch `area`, simplified to what a
/// map of `detail` degrees across shows (points closer than about a
/// thousandth of it are dropped). One path per country.
pub fn country_paths(area: &Bounds, projection: &Projection, detail: f64) -> Vec<String> {
    let to = |v: f64| (v * 100.0).round() as i32;
    let (w, s, e, n) = (to(area.west), to(area.south), to(area.east), to(area.north));
    let tolerance = ((detail * 100.0) / 700.0).max(1.0) as i32;
    let mut paths = Vec::new();
    for country in world() {
        let mut d = String::new();
        for ring in &country.rings {
            let (rw, rs, re, rn) = ring.bounds;
            if re < w || rw > e || rn < s || rs > n {
                continue;
            }
            // Rings smaller than the tolerance would be specks.
            if (re - rw).max(rn - rs) < tolerance * 2 {
                continue;
            }
            draw_ring(&mut d, &ring.points, projection, tolerance);
        }
        if !d.is_empty() {
            paths.push(d);
        }
    }
    paths
}

fn draw_ring(d: &mut String, points: &[(i32, i32)], projection: &Projection, tolerance: i32) {
    use std::fmt::Write;
    let project = |(x, y): (i32, i32)| {
        let (px, py) = projection.point(f64::from(y) / 100.0, f64::from(x) / 100.0);
        (px.round() as i64, py.round() as i64)
    };
    let mut last_kept = points[0];
    let (mut px, mut py) = project(points[0]);
    let _ = write!(d, "M{px} {py}");
    let mut drawn = 0;
    for (i, &p) in points.iter().enumerate().skip(1) {
        let far = (p.0 - last_kept.0).abs().max((p.1 - last_kept.1).abs()) >= tolerance;
        if !far && i + 1 != points.len() {
            continue;
        }
        last_kept = p;
        let (x, y) = project(p);
        let (dx, dy) = (x - px, y - py);
        if dx == 0 && dy == 0 {
            continue;
        }
        // Relative moves, with a minus sign doing the separator's job.
        if dy < 0 {
            let _ = write!(d, "l{dx}{dy}");
        } else {
            let _ = write!(d, "l{dx} {dy}");
        }
        (px, py) = (x, y);
        drawn += 1;
    }
    if drawn == 0 {
        return;
    }
    d.push('z');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_is_read() {
        let w = world();
        assert!(w.len() > 200, "{} countries", w.len());
        assert!(w.iter().all(|c| !c.rings.is_empty()));
    }

    #[test]
    fn rings_across_the_antimeridian_are_unwrapped() {
        // 179.5°E to 179.5°W and back: one degree wide, not 359.
        let c = parse("C X\nR 17950,6000 50,0 -35950,0 0,100 35950,0\n");
        let ring = &c[0].rings[0];
        let (w, _, e, _) = ring.bounds;
        assert!(e - w < 300, "{:?}", ring.points);
    }

    #[test]
    fn bounds_pad_and_default_to_the_world() {
        let b = Bounds::around([(50.0, 30.0), (48.0, 38.0)].into_iter());
        assert!(b.west < 30.0 && b.east > 38.0 && b.south < 48.0 && b.north > 50.0);
        let world = Bounds::around(std::iter::empty());
        assert_eq!(world.west, -180.0);
    }

    #[test]
    fn ukraine_draws_small() {
        let view = Bounds {
            west: 22.0,
            south: 44.0,
            east: 40.0,
            north: 53.0,
        };
        let p = Projection::for_view(&view);
        let paths = country_paths(&view.grown(1.0), &p, view.east - view.west);
        let bytes: usize = paths.iter().map(String::len).sum();
        assert!(!paths.is_empty());
        assert!(bytes < 150_000, "{bytes} bytes");
    }
}
