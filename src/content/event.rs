//! Hand-curated events: `content/events/**/*.yaml`, one mapping or a sequence of them.

use std::sync::Arc;

use chrono_tz::Tz;
use serde::Serialize;
use serde_yaml::Value;

use crate::date::{Date, DateRange, DateStyle};
use crate::error::{Diagnostic, Diagnostics};
use crate::fields::{Fields, Located, type_name};
use crate::source::{Origin, YamlSource};
use crate::yaml_locate::Seg;

use super::provenance::{
    Evidence, Figure, Revisions, Verification, read_evidence, read_figures, read_revisions,
    read_verification,
};

/// How far an event's account can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Established (the default).
    Confirmed,
    /// Reported by independent sources that agree, not yet confirmed.
    Corroborated,
    /// Reported but not yet verified.
    Unverified,
    /// Sources disagree.
    Disputed,
    /// Shown to be false; kept on the record.
    Debunked,
    /// Not yet reviewed: left out unless building with `--drafts`.
    Draft,
}

impl Status {
    /// Every status, as written in YAML.
    pub const ALL: [(&'static str, Status); 6] = [
        ("confirmed", Status::Confirmed),
        ("corroborated", Status::Corroborated),
        ("unverified", Status::Unverified),
        ("disputed", Status::Disputed),
        ("debunked", Status::Debunked),
        ("draft", Status::Draft),
    ];

    /// The status as written in YAML.
    pub fn as_str(self) -> &'static str {
        Status::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("confirmed", |(name, _)| name)
    }
}

/// A point on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The place's name, if given.
    pub name: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// How precisely the point is known (`precision:`; exact by default).
    #[serde(skip)]
    pub precision: crate::map::settings::Precision,
}

/// Where an event's account comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// An article of this site, by slug.
    Article(Located<String>),
    /// A page elsewhere.
    External(ExternalSource),
}

/// A source outside the site.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalSource {
    /// Its address.
    pub url: String,
    /// Its title, if given.
    pub title: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When the curator read it.
    #[serde(skip)]
    pub accessed: Option<Date>,
    /// Archived copies, publication date, language, kind, capture: boxed
    /// when written, none when not (most sources write none of it).
    #[serde(skip)]
    evidence: Option<Box<Evidence>>,
}

impl ExternalSource {
    /// A source at `url`, with what it preserves and says of itself.
    pub fn new(
        url: String,
        title: Option<String>,
        publisher: Option<String>,
        accessed: Option<Date>,
        evidence: Evidence,
    ) -> ExternalSource {
        ExternalSource {
            url,
            title,
            publisher,
            accessed,
            evidence: (!evidence.is_empty()).then(|| Box::new(evidence)),
        }
    }

    /// Its archived copies, publication date, language, kind and capture.
    pub fn evidence(&self) -> &Evidence {
        static NONE: Evidence = Evidence::NONE;
        self.evidence.as_deref().unwrap_or(&NONE)
    }
}

/// An entry's texts per language (empty on a one-language site).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translations {
    /// Title by language tag.
    pub titles: std::collections::BTreeMap<String, String>,
    /// Summary by language tag.
    pub summaries: std::collections::BTreeMap<String, String>,
}

/// One curated event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Unique id across events and article slugs.
    pub id: Located<String>,
    /// Where the event's mapping is.
    pub origin: Origin,
    /// A digest of the mapping as written and of the file it is in: two
    /// readings with one digest are the same event (a rebuild compares them).
    pub digest: u64,
    /// When it happened.
    pub dates: DateRange,
    /// Plain-text title.
    pub title: String,
    /// Markdown summary.
    pub summary: Option<String>,
    /// The lane it belongs to (military, diplomacy, ...).
    pub track: Option<String>,
    /// 1 (minor) to 5 (major); 3 by default.
    pub importance: u8,
    /// How far it can be trusted.
    pub status: Status,
    /// Free tags.
    pub tags: Vec<Located<String>>,
    /// Actor ids.
    pub actors: Vec<Located<String>>,
    /// Place ids.
    pub places: Vec<Located<String>>,
    /// A point on the map.
    pub location: Option<Point>,
    /// Where the account comes from.
    pub sources: Vec<Source>,
    /// Other event ids.
    pub related: Vec<Located<String>>,
    /// How it was verified, when written (boxed, as the rarer fields
    /// below: every event holds the field, few write it).
    pub verification: Option<Box<Verification>>,
    /// Contested figures: each claim of a number.
    pub figures: Vec<Figure>,
    /// When it was updated and the corrections made.
    pub revisions: Revisions,
    /// A warning shown before its summary and media.
    pub content_warning: Option<String>,
    /// Free data kept with the event (figures, source names, precision
    /// codes of an imported dataset): shown nowhere, carried to the exports.
    pub data: Option<Box<Value>>,
    /// Where an imported event came from (`annals import --format`): read
    /// back by the next import of the same dataset.
    pub import: Option<Box<Value>>,
    /// Its title and summary per language, when written per language
    /// (`title: {uk: ..., en: ...}`).
    pub translations: Translations,
    /// Pictures and videos.
    pub media: Vec<crate::media::item::MediaItem>,
}

/// The events of one file, and the ids of those that had errors (so that
/// references to them do not cascade into more errors).
#[derive(Debug, Clone, Default)]
pub struct EventsFile {
    /// The valid events (shared: `serve` keeps them between builds).
    pub events: Vec<Arc<Event>>,
    /// Ids of events that were reported as invalid.
    pub broken_ids: Vec<String>,
    /// Events whose date or title failed, with a stand-in for what failed:
    /// never published, kept only so that their references are still
    /// checked in the same run.
    pub unplaced: Vec<Arc<Event>>,
}

/// Reads every event of one events file.
pub fn parse_events_file(
    doc: &Arc<YamlSource>,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> EventsFile {
    events_of(doc, doc.parse(), style, diags)
}

/// The events of the file `doc` whose YAML parsed to `parsed` (or failed
/// to): as [`parse_events_file`], with the parsing done already (or taken
/// from a cache of an earlier build's).
pub fn events_of(
    doc: &Arc<YamlSource>,
    parsed: Result<Value, Diagnostic>,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> EventsFile {
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            diags.push(e);
            return EventsFile {
                events: Vec::new(),
                broken_ids: doc.with_text(ids_in_broken_yaml),
                unplaced: Vec::new(),
            };
        }
    };
    let items: Vec<(&Value, Vec<Seg>)> = match &value {
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (item, vec![Seg::Index(i)]))
            .collect(),
        Value::Mapping(_) => vec![(&value, Vec::new())],
        Value::Null => {
            diags.warning(
                doc.span_of(&[]),
                "events file is empty: expected an event (a mapping) or a list of events",
            );
            return EventsFile::default();
        }
        other => {
            diags.error(
                doc.span_of(&[]),
                format!(
                    "expected an event (a mapping) or a list of events, found {}",
                    type_name(other)
                ),
            );
            Vec::new()
        }
    };
    let mut file = EventsFile::default();
    for (item, path) in items {
        match parse_event(item, Origin::new(doc, path), style, diags) {
            Ok(event) => file.events.push(Arc::new(event)),
            Err(Some(shell)) => {
                file.broken_ids.push(shell.id.value.clone());
                file.unplaced.push(Arc::from(shell));
            }
            Err(None) => {}
        }
    }
    file
}

/// The ids a file that is not valid YAML most likely declares (`id: x`
/// lines), so that references to them are not reported as unknown on top of
/// the syntax error.
fn ids_in_broken_yaml(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start().trim_start_matches("- ").trim_start();
            let value = line.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
            crate::fields::is_valid_id(value).then(|| value.to_string())
        })
        .collect()
}

/// Reads one event mapping. On errors, gives back the event with stand-ins
/// for a failed date or title when it had a valid id, so that its other
/// fields can still be checked.
pub fn parse_event(
    value: &Value,
    origin: Origin,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Result<Event, Option<Box<Event>>> {
    let digest = crate::digest::hash_of(&(origin.file(), crate::digest::yaml_hash(value)));
    let mut f = Fields::new(value, origin, "event", diags).ok_or(None)?;
    let id = f.required_id("id");
    let date = f.required_date_or_window("date", style);
    let end = f.date("end", style);
    let (title, titles) = f.translated("title", true);
    let (summary, summaries) = f.translated("summary", false);
    let track = f
        .text("track")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let importance = f.int_in("importance", 1, 5).unwrap_or(3) as u8;
    let short_status = read_status(&mut f);
    let verification = f
        .nested("verification")
        .and_then(|(v, o)| read_verification(v, o, style, f.diags));
    let status = reconcile_status(short_status, verification.as_ref(), f.diags);
    let tags = f.text_list("tags");
    let actors = f.id_list("actors");
    let places = f.id_list("places");
    let location = f
        .nested("location")
        .and_then(|(v, o)| read_point(v, o, f.diags));
    let (sources, written_sources) = match f.nested("sources") {
        Some((v, o)) => (
            read_sources(v, o, style, f.diags),
            v.as_sequence().map_or(0, Vec::len),
        ),
        None => (Vec::new(), 0),
    };
    let related = f.id_list("related");
    let figures = match f.nested("figures") {
        Some((v, o)) => read_figures(v, o, written_sources, style, f.diags),
        None => Vec::new(),
    };
    let revisions = read_revisions(&mut f, style);
    let content_warning = f
        .text("content_warning")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let data = f.nested("data").map(|(v, _)| v.clone());
    let import = f.nested("import").map(|(v, _)| v.clone());
    let media = f
        .nested("media")
        .map(|(v, o)| crate::media::item::read_media(v, o, f.diags))
        .unwrap_or_default();
    let origin = f.origin().clone();
    f.finish();

    let Some(id) = id else { return Err(None) };
    let dates = date.and_then(|(d, window)| match window {
        None => date_range(d, end, diags),
        Some(latest) => window_range(d, latest, end.as_ref(), diags),
    });
    let placed = title.is_some() && dates.is_some();
    let event = Event {
        id,
        origin,
        digest,
        dates: dates.unwrap_or_else(stand_in_dates),
        title: title.unwrap_or_default(),
        summary,
        track,
        importance,
        status,
        tags,
        actors,
        places,
        location,
        sources,
        related,
        verification: verification.map(Box::new),
        figures,
        revisions,
        content_warning,
        data: data.map(Box::new),
        import: import.map(Box::new),
        translations: Translations { titles, summaries },
        media,
    };
    if placed {
        Ok(event)
    } else {
        Err(Some(Box::new(event)))
    }
}

/// The date of an event whose own date failed: the first year annals knows.
pub(crate) fn stand_in_dates() -> DateRange {
    let start = Date::parse("0001", Tz::UTC).unwrap_or_else(|_| unreachable!("a valid year"));
    DateRange::new(start, None).unwrap_or_else(|_| unreachable!("a range without an end"))
}

/// Joins `date` and `end`, reporting an end before the start at the end's line.
pub fn date_range(
    date: Located<Date>,
    end: Option<Located<Date>>,
    diags: &mut Diagnostics,
) -> Option<DateRange> {
    let end_origin = end.as_ref().map(|e| e.origin.clone());
    match DateRange::new(date.value, end.map(|e| e.value)) {
        Ok(range) => Some(range),
        Err(e) => {
            let span = end_origin.unwrap_or(date.origin).span();
            diags.error(span, e.to_string());
            None
        }
    }
}

/// An uncertain window; `end` cannot be added to one.
fn window_range(
    earliest: Located<Date>,
    latest: Date,
    end: Option<&Located<Date>>,
    diags: &mut Diagnostics,
) -> Option<DateRange> {
    if let Some(end) = end {
        diags.error(
            end.origin.span(),
            format!(
                "`end` \"{}\" cannot follow a window date (`date: A..B` is one uncertain date, not a span)",
                end.value.written()
            ),
        );
        return None;
    }
    match DateRange::window(earliest.value, latest) {
        Ok(range) => Some(range),
        Err(e) => {
            diags.error(earliest.origin.span(), e.to_string());
            None
        }
    }
}

/// `status:`, when written (and valid).
fn read_status(f: &mut Fields<'_>) -> Option<Status> {
    let text = f.text("status")?;
    let origin = f.origin_of("status");
    parse_status(&text, &origin, f.diags)
}

/// A status as written; `origin` is only looked up for an error: finding a
/// line builds the index of the whole file's positions, which a valid
/// file never needs (and which every event would otherwise keep alive).
fn parse_status(text: &str, origin: &Origin, diags: &mut Diagnostics) -> Option<Status> {
    let wanted = text.trim().to_lowercase();
    if let Some((_, s)) = Status::ALL.iter().find(|(name, _)| *name == wanted) {
        return Some(*s);
    }
    let names = Status::ALL.map(|(n, _)| n);
    let hint = crate::suggest::did_you_mean(&wanted, names)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| format!("use one of {}", names.join(", ")));
    diags.error(
        origin.span(),
        format!("unknown status \"{}\": {hint}", crate::error::cut(text)),
    );
    None
}

/// The event's status from `status:` (the short form) and
/// `verification.status`: either, or both when they agree.
fn reconcile_status(
    short: Option<Status>,
    verification: Option<&Verification>,
    diags: &mut Diagnostics,
) -> Status {
    let Some(v) = verification else {
        return short.unwrap_or(Status::Confirmed);
    };
    let Some(long) = parse_status(&v.status.value, &v.status.origin, diags) else {
        return short.unwrap_or(Status::Confirmed);
    };
    match short {
        Some(s) if s != long => {
            diags.error(
                v.status.origin.span(),
                format!(
                    "verification status \"{}\" disagrees with `status: {}`: write the status once (`status:` is the short form of `verification: {{status}}`)",
                    long.as_str(),
                    s.as_str()
                ),
            );
            s
        }
        _ => long,
    }
}

fn read_point(value: &Value, origin: Origin, diags: &mut Diagnostics) -> Option<Point> {
    let mut f = Fields::new(value, origin, "location", diags)?;
    let name = f.text("name");
    let lat = f.float_in("lat", -90.0, 90.0);
    let lon = f.float_in("lon", -180.0, 180.0);
    let precision_origin = f.origin_of("precision");
    let precision = f
        .text("precision")
        .map(|t| crate::map::settings::Precision::read(&t, &precision_origin, f.diags));
    let missing = lat.is_none() || lon.is_none();
    let origin = f.origin().clone();
    f.finish();
    if missing && diags_lack_coordinate_error(value) {
        diags.error(origin.span(), "a location needs both `lat` and `lon`");
    }
    Some(Point {
        name,
        lat: lat?,
        lon: lon?,
        precision: precision.flatten().unwrap_or_default(),
    })
}

/// True when a coordinate is absent (rather than present but invalid, which
/// has already been reported).
fn diags_lack_coordinate_error(value: &Value) -> bool {
    ["lat", "lon"]
        .iter()
        .any(|k| value.get(k).is_none_or(Value::is_null))
}

fn read_sources(
    value: &Value,
    origin: Origin,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Vec<Source> {
    let Value::Sequence(items) = value else {
        diags.error(
            origin.span(),
            format!("`sources` must be a list, found {}", type_name(value)),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read_source(item, origin.child(Seg::Index(i)), style, diags))
        .collect()
}

fn read_source(
    value: &Value,
    origin: Origin,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Option<Source> {
    let mut f = Fields::new(value, origin, "source", diags)?;
    let article = f.id("article");
    let url = f.text("url");
    let title = f.text("title");
    let publisher = f.text("publisher");
    // An access date is a calendar day, whatever the site's zone.
    let accessed = f.date(
        "accessed",
        DateStyle {
            tz: Tz::UTC,
            ..style
        },
    );
    let evidence = read_evidence(&mut f, style);
    let origin = f.origin().clone();
    let url_origin = f.origin_of("url");
    f.finish();
    match (article, url) {
        (Some(slug), None) => {
            if title.is_some()
                || publisher.is_some()
                || accessed.is_some()
                || has_evidence(&evidence)
            {
                diags.warning(
                    origin.span(),
                    "an article source takes its title and publisher from the article; `title`, `publisher`, `accessed` and the fields of external sources are ignored",
                );
            }
            Some(Source::Article(slug))
        }
        (None, Some(url)) => {
            let url = url.trim().to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                diags.error(
                    url_origin.span(),
                    format!(
                        "source url \"{}\" must start with https:// or http://",
                        crate::error::cut(&url)
                    ),
                );
                return None;
            }
            Some(Source::External(ExternalSource::new(
                url,
                title,
                publisher,
                accessed.map(|a| a.value),
                evidence,
            )))
        }
        (Some(_), Some(_)) => {
            diags.error(
                origin.span(),
                "a source is either `article: SLUG` or `url: ...`, not both",
            );
            None
        }
        (None, None) => {
            diags.error(
                origin.span(),
                "a source needs `article: SLUG` (an article of this site) or `url: ...`",
            );
            None
        }
    }
}

fn has_evidence(e: &Evidence) -> bool {
    !e.archive.is_empty()
        || e.published.is_some()
        || e.language.is_some()
        || e.kind.is_some()
        || e.kind_type.is_some()
        || e.capture.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_in_broken_yaml() {
        let text = "- id: a-1\n  title: [x\n-   id: 'b'\n  related: [id: c]\nid: Bad\n";
        assert_eq!(ids_in_broken_yaml(text), ["a-1", "b"]);
    }
}
