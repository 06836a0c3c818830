//! Machine-readable outputs: `timeline.json`, the Atom feeds (entries and
//! corrections) and the sitemap.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Cards;
use crate::chronology::{Chronology, EntryKind};
use crate::config::Config;
use crate::date::Date;

/// How many of the newest entries the feed carries.
pub const FEED_ENTRIES: usize = 50;

/// The address of the schema `timeline.json` follows, published beside it.
pub const SCHEMA_FILE: &str = "timeline.schema.json";

/// The JSON Schema of `timeline.json` (draft 2020-12).
pub const SCHEMA: &str = include_str!("timeline.schema.json");

/// The schema of `timeline.json` when it is a manifest of year files.
pub const MANIFEST_SCHEMA_FILE: &str = "timeline-manifest.schema.json";

/// The JSON Schema of the manifest (draft 2020-12).
pub const MANIFEST_SCHEMA: &str = include_str!("timeline-manifest.schema.json");

/// The schemas published beside `timeline.json`.
pub const SCHEMA_FILES: [(&str, &str); 2] = [
    (SCHEMA_FILE, SCHEMA),
    (MANIFEST_SCHEMA_FILE, MANIFEST_SCHEMA),
];

/// The manifest `timeline.json` is above `timeline_json_max` entries.
#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    site: SiteInfo<'a>,
    count: usize,
    years: Vec<YearFile>,
}

/// One year's file, as the manifest lists it.
#[derive(Serialize)]
struct YearFile {
    year: i32,
    count: usize,
    first: String,
    last: String,
    path: String,
    url: String,
}

#[derive(Serialize)]
struct Timeline<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    site: SiteInfo<'a>,
    entries: Vec<JsonEntry<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: &'a str,
    language: &'a str,
    timezone: &'a str,
}

#[derive(Serialize)]
struct JsonDate<'a> {
    value: &'a str,
    start: String,
    end: String,
    precision: &'static str,
    approximate: bool,
    uncertain: bool,
    display: String,
}

/// An actor, place or track: its id and its name.
#[derive(Serialize)]
struct Named<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Coordinates<'a> {
    lat: f64,
    lon: f64,
    name: Option<&'a str>,
}

impl<'a> JsonDate<'a> {
    fn new(d: &'a Date) -> JsonDate<'a> {
        JsonDate {
            value: d.written(),
            start: d.rfc3339_start(),
            end: crate::date::rfc3339(&d.period_end()),
            precision: d.precision().as_str(),
            approximate: d.approximate(),
            uncertain: d.uncertain(),
            display: d.display(),
        }
    }
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    kind: &'static str,
    id: &'a str,
    language: &'a str,
    title: &'a str,
    summary: Option<String>,
    url: String,
    date: JsonDate<'a>,
    end: Option<JsonDate<'a>>,
    display: String,
    status: &'static str,
    track: Option<&'a str>,
    track_id: Option<String>,
    importance: Option<u8>,
    tags: Vec<&'a str>,
    actors: Vec<Named<'a>>,
    places: Vec<Named<'a>>,
    coordinates: Option<Coordinates<'a>>,
    related: Vec<&'a str>,
    articles: Vec<&'a str>,
    events: Vec<&'a str>,
    /// Window, verification, figures, sources, corrections, warning.
    #[serde(flatten)]
    trust: serde_json::Map<String, serde_json::Value>,
}

/// The files of `timeline.json`: the site and every published entry,
/// pretty-printed, in one file; or, above `timeline_json_max` entries, a
/// manifest there and one file per year (`timeline/2022.json`, the same
/// shape as a whole `timeline.json`), each handed to `put` as soon as it
/// is made. Entries are serialised in parallel, each once; every file is written a chunk of entries at a time, so that
/// neither every entry's fragment nor every year's file is held at once
/// (together they were twice `timeline.json`, the largest data file).
///
/// `keep` is asked first about each file but the manifest, with the
/// positions of the entries it holds: when it keeps the file (the previous
/// build's, whose entries are the same), the file is not made.
pub fn put_timeline_files(
    chron: &Chronology,
    keep: &mut dyn FnMut(&str, &[usize]) -> bool,
    put: &mut dyn FnMut(String, Vec<u8>),
) {
    let (manifest, lists) = timeline_lists(chron, keep);
    if let Some(manifest) = manifest {
        put("timeline.json".to_string(), manifest);
    }
    for list in lists {
        put(list.path, whole_in_chunks(chron, &list.entries));
    }
}

/// How many entries' fragments are made (in parallel) before they are
/// added to the file and let go.
const CHUNK: usize = 2048;

/// A file of `timeline.json` listing `items`, written a chunk at a time.
fn whole_in_chunks(chron: &Chronology, items: &[usize]) -> Vec<u8> {
    list_in_chunks(header_file(chron), items, CHUNK, |pos| {
        timeline_entry(chron, pos)
    })
}

/// What [`with_list`] makes of `head` and the items `make` makes of
/// `items`, with `chunk` items made at a time (in parallel) and let go
/// once added.
fn list_in_chunks(
    head: Vec<u8>,
    items: &[usize],
    chunk: usize,
    make: impl Fn(usize) -> Arc<[u8]> + Sync,
) -> Vec<u8> {
    let mut out = head;
    if items.is_empty() || !out.ends_with(b"[]\n}") {
        out.push(b'\n');
        return out;
    }
    out.truncate(out.len() - b"]\n}".len());
    let mut first = true;
    for (i, part) in items.chunks(chunk.max(1)).enumerate() {
        let made: Vec<Arc<[u8]>> = part.par_iter().map(|&pos| make(pos)).collect();
        if i == 0 {
            // Sized once from the first chunk (a quarter to spare: pages
            // never written are not memory), not doubled as it grows.
            let bytes: usize = made.iter().map(|f| f.len() + 2).sum();
            out.reserve(bytes * items.len() / part.len() * 5 / 4 + 16);
        }
        for item in made {
            out.extend_from_slice(if first { b"\n" } else { b",\n" });
            first = false;
            out.extend_from_slice(&item);
        }
    }
    out.extend_from_slice(b"\n  ]\n}\n");
    out
}

/// `timeline.json`'s header: the schema and the site, with no entries.
fn header_file(chron: &Chronology) -> Vec<u8> {
    let header = Timeline {
        schema: format!("{}{SCHEMA_FILE}", chron.config.base_url),
        site: site_info(chron),
        entries: Vec::new(),
    };
    safe_json(serde_json::to_vec_pretty(&header).unwrap_or_default())
}

/// Each entry in the year it starts in, in the chronology's order.
fn entries_by_year(chron: &Chronology) -> std::collections::BTreeMap<i32, Vec<usize>> {
    // The chronology's index by civil year and month (of each entry's
    // start, as here), its months joined: no entry's dates read again.
    chron
        .years
        .iter()
        .map(|(&year, months)| {
            let mut entries: Vec<usize> = months.values().flatten().copied().collect();
            entries.sort_unstable();
            (year, entries)
        })
        .collect()
}

/// `timeline.json` as the manifest of the year files.
fn manifest_file(
    chron: &Chronology,
    years: &std::collections::BTreeMap<i32, Vec<usize>>,
) -> Vec<u8> {
    let base = &chron.config.base_url;
    let day = |pos: usize| chron.dates(pos).start().rfc3339_start();
    let manifest = Manifest {
        schema: format!("{base}{MANIFEST_SCHEMA_FILE}"),
        site: site_info(chron),
        count: chron.entries.len(),
        years: years
            .iter()
            .map(|(&year, entries)| YearFile {
                year,
                count: entries.len(),
                first: entries.first().map(|&p| day(p)).unwrap_or_default(),
                last: entries.last().map(|&p| day(p)).unwrap_or_default(),
                path: year_path(year),
                url: format!("{base}{}", year_path(year)),
            })
            .collect(),
    };
    let mut bytes = safe_json(serde_json::to_vec_pretty(&manifest).unwrap_or_default());
    bytes.push(b'\n');
    bytes
}

/// The entry at `pos` as `timeline.json` lists it, pretty-printed and
/// indented for its place, made safe as [`safe_json`] says.
pub fn timeline_entry(chron: &Chronology, pos: usize) -> Arc<[u8]> {
    Arc::from(safe_json(indented(&json_entry(chron, pos), 4)))
}

/// JSON made safe to inline and to grep: `</` and the line separators as
/// [`crate::script_safe`] writes them, and every `<` (only ever inside
/// strings) as `\u003c`, so that text the content wrote as HTML stays
/// inert (the same strings to any JSON reader). Each part of
/// `timeline.json` is made safe on its own: no escaped sequence spans two
/// parts, so the whole is what escaping it at once gives.
fn safe_json(bytes: Vec<u8>) -> Vec<u8> {
    super::lt_escaped(crate::script_safe::escape(bytes))
}

fn site_info(chron: &Chronology) -> SiteInfo<'_> {
    SiteInfo {
        title: &chron.config.title,
        base_url: &chron.config.base_url,
        language: &chron.config.language,
        timezone: chron.config.timezone.name(),
    }
}

/// A file of `timeline.json` that lists entries (the whole file, or a year
/// of a large site's), to be made of their fragments: made now by a build,
/// or when a reader asks for it by `serve`.
pub struct TimelineList {
    /// Its output path.
    pub path: String,
    head: Arc<[u8]>,
    entries: Vec<usize>,
}

impl TimelineList {
    /// The file, given each entry's fragment by position
    /// ([`timeline_entry`]).
    pub fn make<'f>(&self, fragment: impl Fn(usize) -> &'f [u8]) -> Vec<u8> {
        with_list(
            self.head.to_vec(),
            self.entries.iter().map(|&p| fragment(p)),
        )
    }
}

/// The files of `timeline.json` left to be made: the manifest (made: it
/// is small) when the site is over `timeline_json_max` entries, and the
/// files that list entries (the whole file, or one per year) but those
/// `keep` keeps, asked with each file's path and its entries' positions.
pub fn timeline_lists(
    chron: &Chronology,
    keep: &mut dyn FnMut(&str, &[usize]) -> bool,
) -> (Option<Vec<u8>>, Vec<TimelineList>) {
    let head: Arc<[u8]> = Arc::from(header_file(chron));
    let n = chron.entries.len();
    if n <= chron.config.timeline_json_max {
        let entries: Vec<usize> = (0..n).collect();
        let path = "timeline.json".to_string();
        if keep(&path, &entries) {
            return (None, Vec::new());
        }
        return (
            None,
            vec![TimelineList {
                path,
                head,
                entries,
            }],
        );
    }
    let years = entries_by_year(chron);
    let manifest = manifest_file(chron, &years);
    let lists = years
        .into_iter()
        .filter_map(|(year, entries)| {
            let path = year_path(year);
            (!keep(&path, &entries)).then(|| TimelineList {
                path,
                head: Arc::clone(&head),
                entries,
            })
        })
        .collect();
    (Some(manifest), lists)
}

/// Where a year's entries go when `timeline.json` is a manifest.
pub fn year_path(year: i32) -> String {
    format!("timeline/{year}.json")
}

/// `value` pretty-printed, every line indented by `indent` spaces.
fn indented<T: Serialize>(value: &T, indent: usize) -> Vec<u8> {
    let text = serde_json::to_vec_pretty(value).unwrap_or_default();
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend(std::iter::repeat_n(b' ', indent));
        out.extend_from_slice(line);
    }
    out
}

/// The pretty-printed `header`, whose last field is an empty list, with
/// `items` (pretty-printed and indented for their place) put in that list:
/// the bytes `serde_json::to_vec_pretty` makes of the whole, and a newline.
#[cfg(test)]
fn pretty_with_list<'b, T: Serialize>(
    header: &T,
    items: impl Iterator<Item = &'b [u8]>,
) -> Vec<u8> {
    let head = serde_json::to_vec_pretty(header).unwrap_or_default();
    with_list(head, items)
}

/// The pretty-printed header `head`, whose last field is an empty list,
/// with `items` (pretty-printed and indented for their place) put in that
/// list: the bytes `serde_json::to_vec_pretty` makes of the whole, and a
/// newline.
fn with_list<'b>(head: Vec<u8>, items: impl Iterator<Item = &'b [u8]>) -> Vec<u8> {
    let items: Vec<&[u8]> = items.collect();
    let mut out = Vec::with_capacity(items.iter().map(|i| i.len() + 2).sum::<usize>() + head.len());
    out.extend_from_slice(&head);
    let mut items = items.into_iter().peekable();
    if items.peek().is_some() && out.ends_with(b"[]\n}") {
        out.truncate(out.len() - b"]\n}".len());
        for (i, item) in items.enumerate() {
            out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(item);
        }
        out.extend_from_slice(b"\n  ]\n}");
    }
    out.push(b'\n');
    out
}

fn json_entry(chron: &Chronology, pos: usize) -> JsonEntry<'_> {
    let base = &chron.config.base_url;
    let dates = chron.dates(pos);
    let linked: Vec<&str> = chron.links[pos].iter().map(|&p| chron.id(p)).collect();
    fn named<'c>(
        chron: &'c Chronology,
        list: &'c [crate::fields::Located<String>],
        actors: bool,
    ) -> Vec<Named<'c>> {
        list.iter()
            .map(|l| Named {
                id: l.value.as_str(),
                name: if actors {
                    chron.actor_name(&l.value)
                } else {
                    chron.place_name(&l.value)
                },
            })
            .collect()
    }
    let mut entry = JsonEntry {
        kind: "event",
        id: chron.id(pos),
        language: &chron.config.language,
        title: chron.title(pos),
        summary: None,
        url: format!("{base}{}", chron.path(pos)),
        date: JsonDate::new(dates.start()),
        end: dates
            .end()
            .filter(|_| !dates.is_window())
            .map(JsonDate::new),
        display: dates.display(),
        status: "confirmed",
        track: None,
        track_id: None,
        importance: None,
        tags: Vec::new(),
        actors: Vec::new(),
        places: Vec::new(),
        coordinates: None,
        related: Vec::new(),
        articles: Vec::new(),
        events: Vec::new(),
        trust: super::trust_data::entry_fields(chron, pos),
    };
    match chron.entries[pos].kind {
        EntryKind::Event => {
            let e = &chron.events[chron.entries[pos].index];
            entry.status = e.status.as_str();
            entry.track = e.track.as_deref();
            entry.track_id = e.track.as_deref().map(crate::slug::slugify);
            entry.importance = Some(e.importance);
            entry.summary = e.summary.as_deref().map(crate::markdown::plain_text);
            entry.tags = values(&e.tags);
            entry.actors = named(chron, &e.actors, true);
            entry.places = named(chron, &e.places, false);
            entry.coordinates = e.location.as_ref().map(|l| Coordinates {
                lat: l.lat,
                lon: l.lon,
                name: l.name.as_deref(),
            });
            entry.related = chron.related[pos].iter().map(|&p| chron.id(p)).collect();
            entry.articles = linked;
        }
        EntryKind::Article => {
            let a = &chron.articles[chron.entries[pos].index];
            entry.kind = "article";
            entry.status = if a.draft { "draft" } else { "confirmed" };
            entry.summary = a.summary.as_deref().map(crate::markdown::plain_text);
            entry.tags = values(&a.tags);
            entry.actors = named(chron, &a.actors, true);
            entry.places = named(chron, &a.places, false);
            entry.events = linked;
        }
    }
    entry
}

fn values(list: &[crate::fields::Located<String>]) -> Vec<&str> {
    list.iter().map(|l| l.value.as_str()).collect()
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`xml_escape`] does.
fn push_xml_escaped(out: &mut String, text: &str) {
    // Most text (every URL path of a site) needs no escaping at all.
    if text.chars().all(|c| xml_escaped(c).is_none()) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match xml_escaped(c) {
            Some(escaped) => out.push_str(escaped),
            None => out.push(c),
        }
    }
}

/// What a character becomes in XML text, if not itself: an entity, or
/// nothing for a control character (not allowed in XML 1.0).
fn xml_escaped(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => Some(""),
        _ => None,
    }
}

/// `feed.xml`: an Atom feed of the newest entries by date. Its `updated` is
/// the newest entry's date, so the same content always gives the same feed.
pub fn atom_feed(chron: &Chronology, cards: &Cards) -> Vec<u8> {
    let c = &chron.config;
    let newest: Vec<usize> = (0..chron.entries.len()).rev().take(FEED_ENTRIES).collect();
    let updated = newest
        .iter()
        .map(|&p| chron.dates(p).start().rfc3339_start())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
    let mut out = String::with_capacity(1024 + newest.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&c.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&c.title)));
    if !c.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(&c.description)
        ));
    }
    out.push_str(&format!(
        "  <link href=\"{0}\"/>\n  <link rel=\"self\" href=\"{0}feed.xml\"/>\n  <id>{0}</id>\n  <updated>{updated}</updated>\n",
        xml_escape(&c.base_url)
    ));
    out.push_str(&format!(
        "  <generator version=\"{}\">annals</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    let w = super::figures::Words::of(chron);
    for &pos in &newest {
        let card = cards.card(pos);
        let url = xml_escape(&format!("{}{}", c.base_url, card.path));
        let when = card.updated.as_ref().map_or_else(
            || chron.dates(pos).start().rfc3339_start(),
            |u| u.start.clone(),
        );
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&card.title)));
        out.push_str(&format!("    <link href=\"{url}\"/>\n    <id>{url}</id>\n"));
        out.push_str(&format!("    <updated>{when}</updated>\n"));
        let author = chron
            .article(pos)
            .and_then(|a| a.author.as_deref().or(a.source.as_deref()))
            .unwrap_or(&c.title);
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(author)
        ));
        let mut summary = card.when.display.clone();
        if let Some(warning) = &card.content_warning {
            summary.push_str(&format!(". {} {warning}", w.text("cw.label", None, &[])));
        }
        if !card.figures.is_empty() {
            let figures = w.text("feed.figures", None, &[("figures", card.figures.clone())]);
            summary.push_str(&format!(". {figures}"));
        }
        if !card.excerpt.is_empty() {
            summary.push_str(": ");
            summary.push_str(&card.excerpt);
        }
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&summary)
        ));
        if card.kind == "event" {
            out.push_str(&format!(
                "    <category term=\"{}\" label=\"{} {}\"/>\n",
                card.status,
                xml_escape(&w.text("status.label", None, &[])),
                xml_escape(&w.text(&format!("status.{}", card.status), None, &[]))
            ));
        }
        if let Some(track) = &card.track {
            out.push_str(&format!(
                "    <category term=\"{}\"/>\n",
                xml_escape(&track.name)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// `corrections.xml`: an Atom feed of every correction, newest first. Its
/// `updated` is the newest correction's date, so the same content always
/// gives the same feed.
pub fn corrections_feed(chron: &Chronology, list: &[super::trust_data::SiteCorrection]) -> Vec<u8> {
    let c = &chron.config;
    let base = xml_escape(&c.base_url);
    let updated = list
        .first()
        .map_or("1970-01-01T00:00:00+00:00", |x| x.instant.as_str());
    let mut out = String::with_capacity(1024 + list.len() * 400);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&c.language)
    ));
    let w = super::figures::Words::of(chron);
    out.push_str(&format!(
        "  <title>{}</title>\n",
        xml_escape(&w.text("feed.corrections_title", None, &[("site", c.title.clone())]))
    ));
    out.push_str(&format!(
        "  <link href=\"{base}corrections/\"/>\n  <link rel=\"self\" href=\"{base}corrections.xml\"/>\n  <id>{base}corrections.xml</id>\n  <updated>{updated}</updated>\n"
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&c.title)
    ));
    for x in list {
        let url = format!("{base}{}", xml_escape(&x.path));
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&w.text("feed.correction", None, &[("title", x.title.clone())]))
        ));
        out.push_str(&format!(
            "    <link href=\"{url}\"/>\n    <id>{url}#correction-{}</id>\n",
            x.number
        ));
        out.push_str(&format!("    <updated>{}</updated>\n", x.instant));
        out.push_str(&format!(
            "    <summary>{}: {}</summary>\n",
            xml_escape(&x.date.display),
            xml_escape(&x.note)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// `sitemap.xml`: every HTML page's canonical URL. On a multilingual site
/// a tree's pages are canonical where [`Config::language_base`] puts its
/// language (the root copy of the default language, not its folder), and
/// each URL names its translations (`xhtml:link` with `hreflang`, and
/// `x-default`), as the pages' heads do.
pub fn sitemap<S: AsRef<str>>(config: &Config, paths: &[S]) -> Vec<u8> {
    let multilingual = config.languages.len() > 1;
    let others: Vec<(String, String)> = if multilingual {
        let mut all: Vec<(String, String)> = config
            .languages
            .iter()
            .map(|l| (l.clone(), xml_escape(&config.language_base(l))))
            .collect();
        if let Some(default) = config.languages.first() {
            all.push((
                "x-default".into(),
                xml_escape(&config.language_base(default)),
            ));
        }
        all
    } else {
        Vec::new()
    };
    let mut out = String::with_capacity(128 + paths.len() * 80 * (1 + others.len()));
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if multilingual {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    let base = xml_escape(&if multilingual {
        config.language_base(&config.language)
    } else {
        config.base_url.clone()
    });
    for path in paths {
        let path = xml_escape(path.as_ref());
        out.push_str("  <url><loc>");
        out.push_str(&base);
        out.push_str(&path);
        out.push_str("</loc>");
        for (lang, other) in &others {
            out.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{other}{path}\"/>"
            ));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// The most URLs one sitemap file may list (the sitemap protocol's limit).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// The sitemap files of a tree: `sitemap.xml` listing every page, or, above
/// [`SITEMAP_MAX_URLS`] pages, `sitemap.xml` as an index of
/// `sitemaps/N.xml` files of that many pages each.
pub fn sitemap_files<S: AsRef<str>>(config: &Config, paths: &[S]) -> Vec<(String, Vec<u8>)> {
    if paths.len() <= SITEMAP_MAX_URLS {
        return vec![("sitemap.xml".to_string(), sitemap(config, paths))];
    }
    let parts: Vec<&[S]> = paths.chunks(SITEMAP_MAX_URLS).collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let base = xml_escape(&config.base_url);
    for i in 1..=parts.len() {
        index.push_str(&format!(
            "  <sitemap><loc>{base}sitemaps/{i}.xml</loc></sitemap>\n"
        ));
    }
    index.push_str("</sitemapindex>\n");
    let mut out = vec![("sitemap.xml".to_string(), index.into_bytes())];
    out.extend(
        parts
            .iter()
            .enumerate()
            .map(|(i, part)| (format!("sitemaps/{}.xml", i + 1), sitemap(config, part))),
    );
    out
}

/// The root `sitemap.xml` of a multilingual site whose default language is
/// not at the root (`default_language_at_root: false`): an index of each
/// language's sitemap, so that `robots.txt`'s `Sitemap:` line finds them.
pub fn sitemap_index(config: &Config) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for lang in &config.languages {
        out.push_str(&format!(
            "  <sitemap><loc>{}sitemap.xml</loc></sitemap>\n",
            xml_escape(&config.language_base(lang))
        ));
    }
    out.push_str("</sitemapindex>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_made_in_chunks_is_the_list_made_at_once() {
        let head = b"{\n  \"site\": 1,\n  \"entries\": []\n}".to_vec();
        let make =
            |pos: usize| -> Arc<[u8]> { Arc::from(format!("    {{\"n\": {pos}}}").into_bytes()) };
        for n in [0, 1, 2, 5, 17] {
            let items: Vec<usize> = (0..n).map(|i| i * 3).collect();
            let made: Vec<Arc<[u8]>> = items.iter().map(|&p| make(p)).collect();
            let at_once = with_list(head.clone(), made.iter().map(|m| &m[..]));
            for chunk in [1, 2, 4, 100] {
                assert_eq!(
                    list_in_chunks(head.clone(), &items, chunk, make),
                    at_once,
                    "{n} items, chunks of {chunk}"
                );
            }
        }
        // A head with no empty list to fill: as with_list, the head alone.
        let other = b"{}".to_vec();
        assert_eq!(
            list_in_chunks(other.clone(), &[1, 2], 1, make),
            with_list(other, [&b"x"[..]].into_iter())
        );
    }

    #[test]
    fn a_sitemap_of_more_than_50000_pages_is_an_index_of_parts() {
        let file = crate::source::SourceFile::from_text(
            "site.yaml",
            "title: T\nbase_url: https://example.org/w/\n",
        );
        let Ok(config) = Config::parse(&file) else {
            panic!("a valid site.yaml");
        };
        let small: Vec<String> = (0..3).map(|i| format!("events/e{i}/")).collect();
        let one = sitemap_files(&config, &small);
        assert_eq!(one.len(), 1);
        assert!(
            String::from_utf8_lossy(&one[0].1)
                .contains("<loc>https://example.org/w/events/e2/</loc>")
        );
        let paths: Vec<String> = (0..SITEMAP_MAX_URLS * 2 + 1)
            .map(|i| format!("events/e{i}/"))
            .collect();
        let files = sitemap_files(&config, &paths);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemaps/1.xml",
                "sitemaps/2.xml",
                "sitemaps/3.xml"
            ]
        );
        let index = String::from_utf8_lossy(&files[0].1);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://example.org/w/sitemaps/3.xml</loc>"));
        let count = |b: &[u8]| String::from_utf8_lossy(b).matches("<url>").count();
        assert_eq!(count(&files[1].1), SITEMAP_MAX_URLS);
        assert_eq!(count(&files[3].1), 1);
        assert!(
            String::from_utf8_lossy(&files[3].1)
                .contains(&format!("events/e{}/", SITEMAP_MAX_URLS * 2))
        );
    }

    fn entry<'a>(id: &'a str, tags: Vec<&'a str>) -> JsonEntry<'a> {
        JsonEntry {
            kind: "event",
            id,
            language: "uk",
            title: "A \"quoted\" title, Київ",
            summary: None,
            url: format!("https://example.org/events/{id}/"),
            date: JsonDate {
                value: "2022-02~",
                start: "2022-02-01T00:00:00+02:00".to_string(),
                precision: "month",
                approximate: true,
                uncertain: false,
                end: "2022-03-01T00:00:00+02:00".to_string(),
                display: "c. February 2022".to_string(),
            },
            end: None,
            display: "c. February 2022".to_string(),
            status: "confirmed",
            track: Some("military"),
            track_id: Some("military".to_string()),
            importance: Some(4),
            tags,
            actors: Vec::new(),
            places: vec![Named {
                id: "kyiv",
                name: "Kyiv",
            }],
            coordinates: None,
            related: Vec::new(),
            articles: Vec::new(),
            events: Vec::new(),
            trust: serde_json::Map::new(),
        }
    }

    #[test]
    fn pieces_make_the_same_document_as_the_whole() {
        let site = || SiteInfo {
            title: "T",
            base_url: "https://example.org/",
            language: "uk",
            timezone: "Europe/Kyiv",
        };
        for entries in [
            vec![],
            vec![entry("a", vec![])],
            vec![entry("a", vec!["x", "y"]), entry("b", vec![])],
        ] {
            let pieces: Vec<Vec<u8>> = entries.iter().map(|e| indented(e, 4)).collect();
            let header = Timeline {
                schema: SCHEMA_FILE.to_string(),
                site: site(),
                entries: Vec::new(),
            };
            let made = pretty_with_list(&header, pieces.iter().map(|p| &p[..]));
            let mut whole = serde_json::to_vec_pretty(&Timeline {
                schema: SCHEMA_FILE.to_string(),
                site: site(),
                entries,
            })
            .unwrap();
            whole.push(b'\n');
            assert_eq!(
                String::from_utf8(made).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }
}
