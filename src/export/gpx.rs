//! `events.gpx`: every published entry with a point as a GPX 1.1 waypoint,
//! for GPS tools and GIS programs that read GPX rather than GeoJSON. A
//! waypoint reads as a measured fix, so each point is rounded to the
//! precision it is known to (a place known to the settlement keeps two
//! decimals, about a kilometre), on top of the site's `max_precision`.

use std::fmt::Write;
use std::sync::Arc;

use crate::chronology::Chronology;
use crate::date::Precision as DatePrecision;
use crate::map::{coarsen, locate};

/// What comes before the waypoints: the declaration, `<gpx>` and the
/// site's metadata.
pub fn head(chron: &Chronology, out: &mut Vec<u8>) {
    let c = &chron.config;
    let mut text = String::with_capacity(512);
    text.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        text,
        "<gpx version=\"1.1\" creator=\"annals {}\" xmlns=\"http://www.topografix.com/GPX/1/1\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        text,
        "<metadata><name>{}</name>{}<link href=\"{}\"><text>{}</text></link></metadata>",
        escape(&c.title),
        if c.description.is_empty() {
            String::new()
        } else {
            format!("<desc>{}</desc>", escape(&c.description))
        },
        escape(&c.base_url),
        escape(&c.title),
    );
    out.extend_from_slice(text.as_bytes());
}

/// What comes after the waypoints.
pub const TAIL: &[u8] = b"</gpx>\n";

/// The waypoint of the entry at `pos` (empty when it has no point).
pub fn waypoint_bytes(chron: &Chronology, pos: usize) -> Arc<[u8]> {
    let mut out = String::new();
    {
        let Some(at) = locate(chron, pos) else {
            return Arc::from(Vec::new());
        };
        let lat = coarsen(at.lat, Some(at.precision));
        let lon = coarsen(at.lon, Some(at.precision));
        let dates = chron.dates(pos);
        let start = dates.start();
        let _ = write!(out, "<wpt lat=\"{lat}\" lon=\"{lon}\">");
        // A moment only where the day is known; a year or month alone is not one.
        if matches!(
            start.precision(),
            DatePrecision::Day | DatePrecision::Minute | DatePrecision::Second
        ) && (1..=9999).contains(&start.year())
        {
            let _ = write!(out, "<time>{}</time>", start.rfc3339_start());
        }
        let url = super::url(chron, pos);
        let mut desc = vec![dates.display()];
        desc.extend(chron.track(pos).map(str::to_string));
        desc.push(super::status(chron, pos).to_string());
        desc.extend(at.name.clone());
        desc.push(format!("precision: {}", at.precision.as_str()));
        let _ = writeln!(
            out,
            "<name>{title}</name><desc>{desc}</desc><link href=\"{url}\"><text>{title}</text></link><type>{kind}</type></wpt>",
            title = escape(chron.title(pos)),
            desc = escape(&desc.join(" · ")),
            url = escape(&url),
            kind = if chron.event(pos).is_some() {
                "event"
            } else {
                "article"
            },
        );
    }
    Arc::from(out.into_bytes())
}

/// Text for XML content and attributes; characters XML 1.0 cannot carry
/// (controls other than tab and line breaks) are left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_and_stray_controls_dropped() {
        assert_eq!(
            escape("A & B <\"c\"> \u{1}d\te"),
            "A &amp; B &lt;&quot;c&quot;&gt; d\te"
        );
    }
}
