//! Entry cards written directly, for a theme whose
//! `partials/entry_card.html` is the built-in one. A card is shown on some
//! ten pages of a build; through Tera it needed the card as a template
//! value (kept for every entry: most of a build's memory) and cost more
//! than the rest of a list page. Written here from the typed card, it needs
//! neither, so a build makes each card where a page shows it and keeps
//! none. A site that overrides the partial gets it through Tera; `tests`
//! below hold the two ways to the same bytes.

use std::io::Write;

use crate::i18n::Translations;

use super::views::EntryCard;

/// A card's dot on its small map (`card_dot` in the partial).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CardDot {
    /// Its centre, in the units of `map/card.svg`.
    pub cx: i64,
    /// See `cx`.
    pub cy: i64,
    /// Its radius.
    pub r: u32,
}

/// The built-in card partial's words in the site's language, looked up once.
pub struct CardWriter<'a> {
    translations: &'a Translations,
    language: String,
    arabic: bool,
    article: String,
    major: String,
    status: String,
    warning: String,
    /// `status.NAME` for each status a card may have.
    statuses: Vec<(&'static str, String)>,
}

/// The statuses a card can show (events' five, and articles' draft).
const STATUSES: [&str; 6] = [
    "confirmed",
    "corroborated",
    "unverified",
    "disputed",
    "debunked",
    "draft",
];

impl<'a> CardWriter<'a> {
    /// A writer for a site whose `site` value is `site`.
    pub fn new(translations: &'a Translations, site: &tera::Value) -> CardWriter<'a> {
        let field = |name: &'static str| {
            site.get_from_path(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let language = field("language").unwrap_or_else(|| "en".to_string());
        let arabic = field("digits").as_deref() == Some("arabic");
        let word = |key: &str| translations.text_in(&language, key, None, &[], arabic);
        CardWriter {
            article: word("label.article"),
            major: word("label.major"),
            status: word("status.label"),
            warning: word("cw.label"),
            statuses: STATUSES
                .iter()
                .map(|s| (*s, word(&format!("status.{s}"))))
                .collect(),
            translations,
            language,
            arabic,
        }
    }

    /// The word for a status (looked up when it is not one of [`STATUSES`]).
    fn status_word(&self, status: &str) -> String {
        match self.statuses.iter().find(|(s, _)| *s == status) {
            Some((_, w)) => w.clone(),
            None => self.translations.text_in(
                &self.language,
                &format!("status.{status}"),
                None,
                &[],
                self.arabic,
            ),
        }
    }

    /// `partials/entry_card.html` for `entry` on a page whose way back to
    /// the site root is `root`, under a heading of `level`, with its dot.
    pub fn card(&self, entry: &EntryCard, root: &str, level: u8, dot: Option<CardDot>) -> String {
        let mut out = Vec::with_capacity(640 + entry.excerpt.len() + entry.title.len());
        out.extend_from_slice("<article class=\"entry ".as_bytes());
        out.extend_from_slice(if entry.kind == "article" {
            b"art"
        } else {
            b"ev"
        });
        if let Some(t) = &entry.track {
            let _ = write!(out, " tone-{}", t.tone);
        }
        if entry.major {
            out.extend_from_slice(" major".as_bytes());
        } else if entry.importance < 3 {
            out.extend_from_slice(" minor".as_bytes());
        }
        if entry.status != "confirmed" {
            out.extend_from_slice(" st-".as_bytes());
            escape(&mut out, entry.status);
        }
        out.extend_from_slice("\"><time class=\"e-when\" datetime=\"".as_bytes());
        escape(&mut out, &entry.when.date.datetime);
        out.extend_from_slice("\" dir=\"auto\">".as_bytes());
        escape(&mut out, &entry.when.display);
        out.extend_from_slice("</time><div class=\"e-body\">".as_bytes());
        if let (Some(loc), Some(dot)) = (&entry.loc, dot) {
            out.extend_from_slice(
                "<svg class=\"e-loc\" viewBox=\"0 0 90 60\" role=\"img\"><title>".as_bytes(),
            );
            let title = self.translations.text_in(
                &self.language,
                "map.card",
                None,
                &[("place", loc.label.clone())],
                self.arabic,
            );
            escape(&mut out, &title);
            out.extend_from_slice("</title><circle class=\"p-".as_bytes());
            escape(&mut out, loc.precision);
            let _ = write!(
                out,
                "\" cx=\"{}\" cy=\"{}\" r=\"{}\"/></svg>",
                dot.cx, dot.cy, dot.r
            );
        }
        let _ = write!(out, "<h{level} class=\"e-title\"><a href=\"");
        escape(&mut out, root);
        escape(&mut out, &entry.path);
        out.extend_from_slice("\" dir=\"auto\">".as_bytes());
        escape(&mut out, &entry.title);
        let _ = write!(out, "</a></h{level}><p class=\"e-meta\">");
        if entry.kind == "article" {
            out.extend_from_slice("<span class=\"lbl lbl-art\">".as_bytes());
            escape(&mut out, &self.article);
            if let Some(source) = entry.source.as_deref().filter(|s| !s.is_empty()) {
                out.extend_from_slice(" · <bdi>".as_bytes());
                escape(&mut out, source);
                out.extend_from_slice("</bdi>".as_bytes());
            }
            out.extend_from_slice("</span>".as_bytes());
        }
        if let Some(t) = &entry.track {
            out.extend_from_slice("<span class=\"lbl lbl-trk\" dir=\"auto\">".as_bytes());
            escape(&mut out, &t.name);
            out.extend_from_slice("</span>".as_bytes());
        }
        if entry.major {
            out.extend_from_slice("<span class=\"lbl lbl-major\">".as_bytes());
            escape(&mut out, &self.major);
            out.extend_from_slice("</span>".as_bytes());
        }
        if entry.kind == "event" || entry.status != "confirmed" {
            out.extend_from_slice("<span class=\"lbl lbl-st b-".as_bytes());
            escape(&mut out, entry.status);
            out.extend_from_slice("\"><span class=\"visually-hidden\">".as_bytes());
            escape(&mut out, &self.status);
            out.extend_from_slice(" </span>".as_bytes());
            escape(&mut out, &self.status_word(entry.status));
            out.extend_from_slice("</span>".as_bytes());
        }
        out.extend_from_slice("</p>".as_bytes());
        if !entry.figures.is_empty() {
            out.extend_from_slice("<p class=\"e-fig\" dir=\"auto\">".as_bytes());
            escape(&mut out, &entry.figures);
            out.extend_from_slice("</p>".as_bytes());
        }
        if !entry.excerpt.is_empty() && entry.importance > 2 {
            match entry.content_warning.as_deref().filter(|w| !w.is_empty()) {
                Some(warning) => {
                    out.extend_from_slice("<details class=\"cw\"><summary>".as_bytes());
                    escape(&mut out, &self.warning);
                    out.extend_from_slice(" <span dir=\"auto\">".as_bytes());
                    escape(&mut out, warning);
                    out.extend_from_slice(
                        "</span></summary><p class=\"e-sum\" dir=\"auto\">".as_bytes(),
                    );
                    escape(&mut out, &entry.excerpt);
                    out.extend_from_slice("</p></details>".as_bytes());
                }
                None => {
                    out.extend_from_slice("<p class=\"e-sum\" dir=\"auto\">".as_bytes());
                    escape(&mut out, &entry.excerpt);
                    out.extend_from_slice("</p>".as_bytes());
                }
            }
        }
        out.extend_from_slice("</div></article>\n".as_bytes());
        // Every piece above is UTF-8: the conversion only checks it.
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Text escaped as Tera escapes what it prints into HTML (by Tera's own
/// escaping, fast on long text without anything to escape).
fn escape(out: &mut Vec<u8>, text: &str) {
    // Writing to a vector cannot fail.
    let _ = tera::escape_html(text, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::Theme;
    use crate::render::views::{CardLoc, DateView, TrackView, WhenView};

    fn card(n: usize) -> EntryCard {
        let tricky = [
            "Kyiv",
            "\"Azovstal\" & <port>",
            "Кривий Ріг",
            "حلب",
            "O'Brien's farm",
        ];
        let text = tricky[n % tricky.len()];
        let date = DateView {
            value: "2022-03-01".to_string(),
            display: format!("{} March 2022 & <c>", n % 28 + 1),
            datetime: format!("2022-03-{:02}", n % 28 + 1),
            start: "2022-03-01T00:00:00+02:00".to_string(),
            precision: "day",
            approximate: false,
            uncertain: false,
        };
        let article = n % 5 == 0;
        EntryCard {
            kind: if article { "article" } else { "event" },
            id: format!("e{n}"),
            title: format!("{text}: shelling ({n})"),
            path: format!("events/e-{n}/"),
            when: WhenView {
                display: date.display.clone(),
                date,
                end: None,
                window: false,
            },
            track: (n % 4 != 0).then(|| TrackView::sample(text, n)),
            importance: (n % 5 + 1) as u8,
            major: n % 5 >= 3,
            status: STATUSES[n % STATUSES.len()],
            status_label: "",
            figures: if n % 3 == 0 {
                String::new()
            } else {
                format!("12–40 killed ({text})")
            },
            spans: Vec::new(),
            content_warning: match n % 4 {
                0 => Some(format!("graphic <{text}>")),
                1 => Some(String::new()),
                _ => None,
            },
            updated: None,
            correction_count: 0,
            excerpt: if n % 7 == 0 {
                String::new()
            } else {
                format!("{text} excerpt…")
            },
            era: None,
            source: match n % 3 {
                0 => Some(format!("{text} Times")),
                1 => Some(String::new()),
                _ => None,
            },
            current: false,
            loc: (n % 2 == 1).then(|| CardLoc {
                lat: 48.5,
                lon: 35.25,
                precision: ["exact", "near", "settlement", "region", "country"][n % 5],
                label: text.to_string(),
            }),
        }
    }

    /// The writer gives, byte for byte, what the built-in partial gives,
    /// in each language's words and digits, at both heading levels.
    #[test]
    fn the_writer_writes_what_the_built_in_partial_renders() {
        let empty = std::env::temp_dir().join(format!("annals-card-html-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let theme = Theme::load(&empty).unwrap_or_else(|_| panic!("the built-in theme loads"));
        std::fs::remove_dir_all(&empty).ok();
        for (language, digits) in [("en", "latin"), ("uk", "latin"), ("ar", "arabic")] {
            let site = tera::Value::from_serializable(&serde_json::json!({
                "language": language, "digits": digits,
            }));
            let writer = CardWriter::new(theme.translations(), &site);
            for n in 0..60 {
                let entry = card(n);
                let dot = (n % 3 != 2).then_some(CardDot {
                    cx: n as i64 - 20,
                    cy: 7,
                    r: 3,
                });
                for (root, level) in [("../../", 4u8), ("./", 3), ("../", 4)] {
                    let mut context = tera::Context::new();
                    context.insert_value("site", site.clone());
                    context.insert("root", root);
                    context.insert("entry", &entry);
                    context.insert("card_heading", &level);
                    if let Some(dot) = dot {
                        context.insert("card_dot", &dot);
                    }
                    let mut out = Vec::new();
                    theme
                        .render_to(crate::render::card_html::CARD_TEMPLATE, &context, &mut out)
                        .unwrap_or_else(|e| panic!("{}", e.message));
                    assert_eq!(
                        writer.card(&entry, root, level, dot),
                        String::from_utf8(out).unwrap(),
                        "card {n}, {language}, {root}"
                    );
                }
            }
        }
    }
}
