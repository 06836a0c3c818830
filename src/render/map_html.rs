//! The map page's marks and list items written directly, for a theme whose
//! `partials/map_mark.html` and `partials/map_item.html` are the built-in
//! ones. The map page draws every located entry twice (a mark on the map,
//! an item in its list): ten thousand of each through Tera cost more than
//! the rest of the map put together. A site that overrides either partial
//! gets both through Tera; `tests` below hold the two ways to the same bytes.

use std::fmt::Write;

use crate::i18n::Translations;
use crate::map::page::Mark;

/// What the built-in partials read besides the mark: the frame's view
/// width (the dot's size), the page's way back to the root and the words.
pub struct MapWriter<'a> {
    translations: &'a Translations,
    language: String,
    arabic: bool,
}

impl<'a> MapWriter<'a> {
    /// A writer for a site whose `site` value is `site`.
    pub fn new(translations: &'a Translations, site: &tera::Value) -> MapWriter<'a> {
        let field = |name: &'static str| {
            site.get_from_path(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        MapWriter {
            translations,
            language: field("language").unwrap_or_else(|| "en".to_string()),
            arabic: field("digits").as_deref() == Some("arabic"),
        }
    }

    fn word(&self, key: &str) -> String {
        self.translations
            .text_in(&self.language, key, None, &[], self.arabic)
    }

    /// `partials/map_mark.html`: the mark, a link around a dot (and the
    /// area a coarse location may be anywhere in), titled.
    pub fn mark(&self, m: &Mark, view_width: f64, root: &str) -> String {
        let dot = view_width / 160.0;
        let mut out = String::with_capacity(320);
        out.push_str("<a class=\"mark tone-");
        tone(&mut out, m);
        out.push_str(" p-");
        escape(&mut out, m.precision);
        out.push_str("\" href=\"");
        escape(&mut out, root);
        escape(&mut out, &m.path);
        out.push_str("\" data-count=\"1\">");
        if m.r > dot {
            let _ = write!(
                out,
                "<circle class=\"area\" cx=\"{:?}\" cy=\"{:?}\" r=\"{:?}\" vector-effect=\"non-scaling-stroke\"/>",
                m.x, m.y, m.r
            );
        }
        let _ = write!(
            out,
            "<circle class=\"dot\" cx=\"{:?}\" cy=\"{:?}\" r=\"{:?}\" vector-effect=\"non-scaling-stroke\"/><title>",
            m.x, m.y, dot
        );
        escape(&mut out, &m.title);
        out.push_str(" (");
        escape(&mut out, &m.when);
        out.push_str(")</title></a>");
        out
    }

    /// `partials/map_item.html`: the list item, a short card carrying
    /// what the finder filters on.
    pub fn item(&self, m: &Mark, root: &str) -> String {
        let mut out = String::with_capacity(1200);
        out.push_str("<li id=\"at-");
        escape(&mut out, &m.id);
        out.push_str("\" data-id=\"");
        escape(&mut out, &m.id);
        let _ = write!(
            out,
            "\" data-x=\"{:?}\" data-y=\"{:?}\" data-r=\"{:?}\" data-lat=\"{:?}\" data-lon=\"{:?}\" data-precision=\"",
            m.x, m.y, m.r, m.lat, m.lon
        );
        escape(&mut out, m.precision);
        out.push_str("\" data-track=\"");
        if let Some(t) = &m.track {
            escape(&mut out, &t.slug);
        }
        out.push_str("\" data-tone=\"");
        tone(&mut out, m);
        for (name, value) in [
            ("status", m.status),
            ("kind", m.kind),
            ("start", &m.start),
            ("tags", &m.tags),
            ("actors", &m.actors),
            ("places", &m.places),
            ("title", &m.title),
        ] {
            out.push_str("\" data-");
            out.push_str(name);
            out.push_str("=\"");
            escape(&mut out, value);
        }
        out.push_str("\"><article class=\"entry ");
        out.push_str(if m.kind == "article" { "art" } else { "ev" });
        if let Some(t) = &m.track {
            let _ = write!(out, " tone-{}", t.tone);
        }
        if m.status != "confirmed" {
            out.push_str(" st-");
            escape(&mut out, m.status);
        }
        out.push_str("\"><time class=\"e-when\" datetime=\"");
        escape(&mut out, &m.datetime);
        out.push_str("\" dir=\"auto\">");
        escape(&mut out, &m.when);
        out.push_str("</time><div class=\"e-body\"><h3 class=\"e-title\"><a href=\"");
        escape(&mut out, root);
        escape(&mut out, &m.path);
        out.push_str("\" dir=\"auto\">");
        escape(&mut out, &m.title);
        out.push_str("</a></h3><p class=\"e-meta\">");
        if m.kind == "article" {
            out.push_str("<span class=\"lbl lbl-art\">");
            escape(&mut out, &self.word("label.article"));
            out.push_str("</span>");
        }
        if let Some(t) = &m.track {
            out.push_str("<span class=\"lbl lbl-trk\" dir=\"auto\">");
            escape(&mut out, &t.name);
            out.push_str("</span>");
        }
        if m.kind == "event" || m.status != "confirmed" {
            out.push_str("<span class=\"lbl lbl-st b-");
            escape(&mut out, m.status);
            out.push_str("\"><span class=\"visually-hidden\">");
            escape(&mut out, &self.word("status.label"));
            out.push_str(" </span>");
            escape(&mut out, &self.word(&format!("status.{}", m.status)));
            out.push_str("</span>");
        }
        out.push_str("</p><p class=\"map-where\">");
        if let Some(place) = &m.place {
            out.push_str("<span dir=\"auto\">");
            escape(&mut out, place);
            out.push_str("</span> · ");
        }
        let _ = write!(out, "{:?}, {:?}", m.lat, m.lon);
        if m.precision != "exact" {
            out.push_str(" (");
            escape(&mut out, &self.word(&format!("map.level.{}", m.precision)));
            out.push(')');
        }
        out.push_str("</p></div></article></li>");
        out
    }
}

/// The mark's colour class: its track's tone, `x` without a track.
fn tone(out: &mut String, m: &Mark) {
    match &m.track {
        Some(t) => {
            let _ = write!(out, "{}", t.tone);
        }
        None => out.push('x'),
    }
}

/// Text escaped as Tera escapes what it prints into HTML.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::Theme;
    use crate::render::views::TrackView;

    fn mark(n: usize) -> Mark {
        let tricky = [
            "Kyiv",
            "\"Azovstal\" & <port>",
            "Кривий Ріг",
            "حلب",
            "O'Brien's farm",
        ];
        let text = tricky[n % tricky.len()];
        Mark {
            pos: n,
            id: format!("event-{n}"),
            title: format!("{text}: shelling ({n})"),
            path: format!("events/event-{n}/"),
            lat: 48.5 + n as f64 / 7.0,
            lon: 35.25 - n as f64 / 3.0,
            x: (2629.0 + n as f64).round(),
            y: -4879.0 - n as f64,
            r: [0.0, 3.0, 40.0, 250.0][n % 4],
            precision: ["exact", "near", "settlement", "region", "country"][n % 5],
            place: (n % 3 != 0).then(|| text.to_string()),
            track: (n % 4 != 0).then(|| TrackView::sample(text, n)),
            status: ["confirmed", "reported", "disputed", "debunked"][n % 4],
            kind: if n % 5 == 0 { "article" } else { "event" },
            when: format!("{} March 2022", n % 28 + 1),
            start: format!("2022-03-{:02}T00:00:00+02:00", n % 28 + 1),
            datetime: format!("2022-03-{:02}", n % 28 + 1),
            tags: "ceasefire summit".to_string(),
            actors: if n % 2 == 0 {
                String::new()
            } else {
                "a-b c".to_string()
            },
            places: format!("{text} x"),
        }
    }

    /// The writer gives, byte for byte, what the built-in partials give,
    /// in each language's words and digits.
    #[test]
    fn the_writer_writes_what_the_built_in_partials_render() {
        let empty = std::env::temp_dir().join(format!("annals-map-html-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let theme = Theme::load(&empty).unwrap_or_else(|_| panic!("the built-in theme loads"));
        std::fs::remove_dir_all(&empty).ok();
        for (language, digits) in [("en", "western"), ("uk", "western"), ("ar", "arabic")] {
            let site = tera::Value::from_serializable(&serde_json::json!({
                "language": language, "digits": digits,
            }));
            let writer = MapWriter::new(theme.translations(), &site);
            for view_width in [1600.0, 480.0, 33.3] {
                let frame = tera::Value::from_serializable(&serde_json::json!({
                    "view": [0.0, -5000.0, view_width, 900.0],
                }));
                for n in 0..40 {
                    let m = mark(n);
                    let mut context = tera::Context::new();
                    context.insert_value("site", site.clone());
                    context.insert("root", "../");
                    context.insert("m", &m);
                    context.insert_value("f", frame.clone());
                    let render = |template: &str| {
                        let mut out = Vec::new();
                        theme
                            .render_to(template, &context, &mut out)
                            .unwrap_or_else(|e| panic!("{template}: {}", e.message));
                        String::from_utf8(out).unwrap()
                    };
                    assert_eq!(
                        writer.mark(&m, view_width, "../"),
                        render("partials/map_mark.html"),
                        "mark {n}, {language}, view {view_width}"
                    );
                    assert_eq!(
                        writer.item(&m, "../"),
                        render("partials/map_item.html"),
                        "item {n}, {language}"
                    );
                }
            }
        }
    }
}
