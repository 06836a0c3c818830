//! Views of single pages: an event, an article, a taxonomy term.

use serde::Serialize;
use serde_json::{Value, json};

use super::card_html::{CardHeading, CardHtml};
use super::provenance::{
    CorrectionView, EvidenceView, FigureView, VerificationView, corrections, corroboration,
    evidence_view, figure_views, verification_view,
};
use super::views::{Cards, DateView, EraView, LinkView, track_tone};
use crate::chronology::Chronology;
use crate::content::{Event, Source};
use crate::error::Diagnostic;
use crate::fields::Located;
use crate::markdown;

/// One source of an event, as listed on its page.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// "article" (of this site) or "external".
    pub kind: &'static str,
    /// The title to show.
    pub title: String,
    /// For articles: the path of its page.
    pub path: Option<String>,
    /// For external sources: its address.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When the curator read it.
    pub accessed: Option<DateView>,
    /// For articles: its date.
    pub date: Option<DateView>,
    /// Its number in the event's `sources` (from 0), as figures cite it.
    pub index: usize,
    /// For external sources: archived copies, publication, language,
    /// kind, capture.
    #[serde(flatten)]
    pub evidence: EvidenceView,
}

/// A point on the map, with a link to OpenStreetMap.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView {
    /// Its name, if given.
    pub name: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// An OpenStreetMap link centred on it.
    pub osm_url: String,
    /// How precisely it is known (`exact`, `near`, `settlement`, ...).
    pub precision: &'static str,
    /// The radius of the area it may be anywhere in, in map units (a
    /// hundredth of a degree of latitude), for the locator map.
    pub radius: f64,
}

// By the coordinates' bits: equal views hash alike (fingerprints).
impl std::hash::Hash for LocationView {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.lat.to_bits().hash(state);
        self.lon.to_bits().hash(state);
        self.osm_url.hash(state);
        self.precision.hash(state);
    }
}

impl LocationView {
    /// The view of a point.
    pub fn new(name: Option<String>, lat: f64, lon: f64) -> LocationView {
        LocationView {
            name,
            lat,
            lon,
            osm_url: format!(
                "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=10/{lat}/{lon}"
            ),
            precision: "exact",
            radius: 0.0,
        }
    }

    /// The view with how precisely the point is known.
    pub fn precise(mut self, precision: crate::map::Precision) -> LocationView {
        self.precision = precision.as_str();
        self.radius = (precision.radius_km() / 111.0 * 100.0).round();
        self
    }
}

/// Everything an event page shows beside its card: templates receive the
/// card's fields (id, title, when, track, status, ...) and these as one
/// `event` (see [`EventView::value`]).
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Safe HTML of the summary.
    pub summary_html: String,
    /// Tags.
    pub tags: Vec<LinkView>,
    /// Actors.
    pub actors: Vec<LinkView>,
    /// Places.
    pub places: Vec<LinkView>,
    /// Its point on the map.
    pub location: Option<LocationView>,
    /// Sources: articles of this site first, then external ones, in written order.
    pub sources: Vec<SourceView>,
    /// Articles that cover it (either side declared the link): items
    /// `{entry, html}`, the card and its HTML.
    pub articles: Vec<tera::Value>,
    /// Related events, as items `{entry, html}`.
    pub related: Vec<tera::Value>,
    /// The era it falls in.
    pub era: Option<EraView>,
    /// How it was verified, when written.
    pub verification: Option<VerificationView>,
    /// Each claimed figure (the card's `figures` is them in one line).
    pub claims: Vec<FigureView>,
    /// Its corrections, newest first.
    pub corrections: Vec<CorrectionView>,
    /// How many independent publishers its sources come from.
    pub corroboration: usize,
    /// schema.org `Event` as JSON, safe to print with `| safe` inside
    /// `<script type="application/ld+json">`.
    pub json_ld: String,
    /// "Cite this": CSL-JSON and BibTeX (none when `exports: {cite: false}`).
    pub cite: Option<crate::export::cite::Cite>,
    /// Pictures and videos, with their credits.
    pub media: Vec<crate::media::MediaView>,
}

/// Everything an article page shows beside its card (given to templates
/// as one `article` with the card's fields, like [`EventView`]).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// Its summary (plain text).
    pub summary: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
    /// The original's address.
    pub source_url: Option<String>,
    /// Safe HTML of the body.
    pub body_html: String,
    /// Tags.
    pub tags: Vec<LinkView>,
    /// Actors.
    pub actors: Vec<LinkView>,
    /// Places.
    pub places: Vec<LinkView>,
    /// Events it covers (either side declared the link): their cards.
    pub events: Vec<tera::Value>,
    /// The era it falls in.
    pub era: Option<EraView>,
    /// Its corrections, newest first.
    pub corrections: Vec<CorrectionView>,
    /// schema.org `Article` as JSON, safe to print with `| safe` inside
    /// `<script type="application/ld+json">`.
    pub json_ld: String,
    /// Pictures and videos, with their credits.
    pub media: Vec<crate::media::MediaView>,
}

/// Neighbours of an entry in the chronology.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbours {
    /// The entry before it (its card).
    pub prev: Option<tera::Value>,
    /// The entry after it.
    pub next: Option<tera::Value>,
    /// The entry before it on the same track.
    pub prev_in_track: Option<tera::Value>,
    /// The entry after it on the same track.
    pub next_in_track: Option<tera::Value>,
    /// The entries around it in the chronology (up to [`AROUND`] on each
    /// side), itself included and marked `current`: "where this sits".
    pub around: Vec<tera::Value>,
    /// The archive page of its month (or year, for entries dated by year).
    pub archive: LinkView,
}

/// How many neighbours on each side [`Neighbours::around`] shows.
pub const AROUND: usize = 3;

impl EventView {
    /// The `event` templates receive: the card's fields and the view's.
    pub fn value(&self, card: &tera::Value) -> tera::Value {
        merged(card, tera::Value::from_serializable(self))
    }
}

impl ArticleView {
    /// The `article` templates receive: the card's fields and the view's.
    pub fn value(&self, card: &tera::Value) -> tera::Value {
        merged(card, tera::Value::from_serializable(self))
    }
}

/// The fields of the map `base` with those of the map `extra` added: a
/// shallow copy, whatever `base` shares stays shared.
fn merged(base: &tera::Value, extra: tera::Value) -> tera::Value {
    let extra = extra.into_map().unwrap_or_default();
    let base = base.as_map();
    // Sized once for both: growing a copy of `base` would hash it all again.
    let mut map = tera::Map::with_capacity(base.map_or(0, |b| b.len()) + extra.len());
    if let Some(base) = base {
        map.extend(base.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    map.extend(extra);
    tera::Value::from(map)
}

/// `base` with these fields added or replaced.
pub fn with_fields<const N: usize>(
    base: &tera::Value,
    fields: [(&'static str, tera::Value); N],
) -> tera::Value {
    let mut map = base.as_map().cloned().unwrap_or_default();
    for (key, value) in fields {
        map.insert(key.into(), value);
    }
    tera::Value::from(map)
}

/// The positions of the entries before and after the one at `pos` on its track.
pub fn track_neighbours(chron: &Chronology, pos: usize) -> (Option<usize>, Option<usize>) {
    if let Some(term) = chron.tracks.terms_of(pos).next()
        && let Ok(i) = term.entries.binary_search(&pos)
    {
        let prev = i.checked_sub(1).map(|j| term.entries[j]);
        return (prev, term.entries.get(i + 1).copied());
    }
    (None, None)
}

/// The positions "where this sits" shows around the entry at `pos`.
pub fn around(chron: &Chronology, pos: usize) -> std::ops::Range<usize> {
    pos.saturating_sub(AROUND)..chron.entries.len().min(pos + AROUND + 1)
}

/// The archive page of the month an entry starts in (or of its year, for
/// an entry dated by year only), with its number of entries.
pub fn archive_link(chron: &Chronology, pos: usize) -> LinkView {
    let start = chron.dates(pos).start();
    let year = chron.years.get(&start.year());
    match start.month() {
        Some(m) => LinkView::new(
            super::views::month_label(chron.config.date_names, start.year(), m),
            format!("years/{}/{m:02}/", start.year()),
            year.and_then(|y| y.get(&m)).map(Vec::len),
        ),
        None => LinkView::new(
            start.year().to_string(),
            format!("years/{}/", start.year()),
            year.map(|y| y.values().map(Vec::len).sum()),
        ),
    }
}

impl Neighbours {
    /// The neighbours of the entry at `pos`.
    pub fn new(chron: &Chronology, cards: &Cards, pos: usize) -> Neighbours {
        let card = |p: usize| cards.value(p);
        let (prev_in_track, next_in_track) = track_neighbours(chron, pos);
        let around = around(chron, pos)
            .map(|p| {
                if p == pos {
                    with_fields(&card(p), [("current", tera::Value::from(true))])
                } else {
                    card(p)
                }
            })
            .collect();
        Neighbours {
            prev: pos.checked_sub(1).map(card),
            next: (pos + 1 < cards.len()).then(|| card(pos + 1)),
            prev_in_track: prev_in_track.map(card),
            next_in_track: next_in_track.map(card),
            around,
            archive: archive_link(chron, pos),
        }
    }
}

/// The links to the tag pages of the entry at `pos`.
pub fn tag_links(chron: &Chronology, pos: usize) -> Vec<LinkView> {
    chron
        .tags
        .terms_of(pos)
        .map(|term| {
            LinkView::new(
                term.name.clone(),
                format!("tags/{}/", term.slug),
                Some(term.entries.len()),
            )
        })
        .collect()
}

/// The links to actor pages.
pub fn actor_links(chron: &Chronology, ids: &[Located<String>]) -> Vec<LinkView> {
    ids.iter()
        .map(|id| {
            LinkView::new(
                chron.actor_name(&id.value).to_string(),
                format!("actors/{}/", id.value),
                chron.actors.get(&id.value).map(|t| t.entries.len()),
            )
        })
        .collect()
}

/// The links to place pages.
pub fn place_links(chron: &Chronology, ids: &[Located<String>]) -> Vec<LinkView> {
    ids.iter()
        .map(|id| {
            LinkView::new(
                chron.place_name(&id.value).to_string(),
                format!("places/{}/", id.value),
                chron.places.get(&id.value).map(|t| t.entries.len()),
            )
        })
        .collect()
}

/// The view of the event at `pos`, with its summary rendered for its page.
pub fn event_view(
    chron: &Chronology,
    html: &CardHtml<'_>,
    eras: &[EraView],
    pos: usize,
    event: &Event,
) -> Result<(EventView, Vec<(String, usize)>), Diagnostic> {
    let cards = html.cards();
    let path = chron.path(pos);
    let root = super::root_of(&path);
    let items = |list: &[usize]| -> Result<Vec<tera::Value>, Diagnostic> {
        list.iter()
            .map(|&p| html.item(p, &root, CardHeading::H3))
            .collect()
    };
    let rendered = event
        .summary
        .as_deref()
        .map(|s| markdown::to_html(s, &path, "../../", chron.config.allow_raw_html))
        .unwrap_or_default();
    let mut sources: Vec<SourceView> = Vec::new();
    for (index, source) in event.sources.iter().enumerate() {
        if let Source::Article(slug) = source
            && let Some(p) = chron.position(&slug.value)
            && let Some(a) = chron.article(p)
        {
            sources.push(SourceView {
                kind: "article",
                title: a.title.clone(),
                path: Some(chron.path(p)),
                url: None,
                publisher: a
                    .source
                    .clone()
                    .or_else(|| Some(chron.config.title.clone())),
                accessed: None,
                date: Some(DateView::new(a.dates.start())),
                index,
                evidence: EvidenceView::default(),
            });
        }
    }
    for (index, source) in event.sources.iter().enumerate() {
        if let Source::External(ext) = source {
            sources.push(SourceView {
                kind: "external",
                title: ext.title.clone().unwrap_or_else(|| ext.url.clone()),
                path: None,
                url: Some(ext.url.clone()),
                publisher: ext.publisher.clone(),
                accessed: ext.accessed.as_ref().map(DateView::new),
                date: None,
                index,
                evidence: evidence_view(ext.evidence()),
            });
        }
    }
    let mut view = EventView {
        summary_html: rendered.html,
        tags: tag_links(chron, pos),
        actors: actor_links(chron, &event.actors),
        places: place_links(chron, &event.places),
        location: event
            .location
            .as_ref()
            .map(|l| LocationView::new(l.name.clone(), l.lat, l.lon).precise(l.precision)),
        sources,
        articles: items(&chron.links[pos])?,
        related: items(&chron.related[pos])?,
        era: chron.era_of[pos].map(|i| eras[i].clone()),
        verification: verification_view(chron, event),
        claims: figure_views(chron, event),
        corrections: corrections(&event.revisions),
        corroboration: corroboration(chron, event),
        json_ld: String::new(),
        cite: crate::export::cite::for_entry(chron, pos),
        media: crate::media::views(&event.media, &chron.images),
    };
    view.json_ld = event_json_ld(chron, cards, pos, &view);
    Ok((view, rendered.internal_links))
}

/// The view of the article at `pos`, with its body (`Article::body`)
/// rendered for its page.
pub fn article_view(
    chron: &Chronology,
    cards: &Cards,
    eras: &[EraView],
    pos: usize,
    body: &str,
) -> (ArticleView, Vec<(String, usize)>) {
    let Some(a) = chron.article(pos) else {
        unreachable!("article_view is only called for articles");
    };
    let rendered = markdown::to_html(
        body,
        &chron.path(pos),
        "../../",
        chron.config.allow_raw_html,
    );
    let mut view = ArticleView {
        summary: a.summary.clone(),
        author: a.author.clone(),
        source_url: a.source_url.clone(),
        body_html: rendered.html,
        tags: tag_links(chron, pos),
        actors: actor_links(chron, &a.actors),
        places: place_links(chron, &a.places),
        events: chron.links[pos].iter().map(|&p| cards.value(p)).collect(),
        era: chron.era_of[pos].map(|i| eras[i].clone()),
        corrections: corrections(&a.revisions),
        json_ld: String::new(),
        media: crate::media::views(&a.media, &chron.images),
    };
    view.json_ld = article_json_ld(chron, cards, pos, &view);
    (view, rendered.internal_links)
}

/// schema.org `Event` data of an event page.
fn event_json_ld(chron: &Chronology, cards: &Cards, pos: usize, view: &EventView) -> String {
    let base = &chron.config.base_url;
    let card = cards.card(pos);
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": card.title,
        "startDate": card.when.date.datetime,
        "url": format!("{base}{}", card.path),
    });
    if let Some(end) = &card.when.end {
        data["endDate"] = json!(end.datetime);
    }
    let description = cards.plain(pos);
    if !description.is_empty() {
        data["description"] = json!(description);
    }
    let mut places: Vec<Value> = Vec::new();
    if let Some(l) = &view.location {
        places.push(json!({
            "@type": "Place",
            "name": l.name.clone().or_else(|| view.places.first().map(|p| p.name.clone())),
            "geo": {"@type": "GeoCoordinates", "latitude": l.lat, "longitude": l.lon},
        }));
    }
    for p in view
        .places
        .iter()
        .skip(usize::from(view.location.is_some()))
    {
        places.push(json!({"@type": "Place", "name": p.name, "url": format!("{base}{}", p.path)}));
    }
    if !places.is_empty() {
        data["location"] = Value::Array(places);
    }
    if !view.articles.is_empty() {
        data["subjectOf"] = chron.links[pos]
            .iter()
            .map(|&p| cards.card(p))
            .map(|a| json!({"@type": "Article", "headline": a.title, "url": format!("{base}{}", a.path)}))
            .collect();
    }
    script_json(&data)
}

/// schema.org `Article` data of an article page.
fn article_json_ld(chron: &Chronology, cards: &Cards, pos: usize, view: &ArticleView) -> String {
    let base = &chron.config.base_url;
    let card = cards.card(pos);
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": card.title,
        "datePublished": card.when.date.datetime,
        "url": format!("{base}{}", card.path),
    });
    if let Some(summary) = &view.summary {
        data["description"] = json!(summary);
    }
    if let Some(author) = &view.author {
        data["author"] = json!({"@type": "Person", "name": author});
    }
    if let Some(source) = &card.source {
        data["publisher"] = json!({"@type": "Organization", "name": source});
    }
    if let Some(url) = &view.source_url {
        data["isBasedOn"] = json!(url);
    }
    if let Some(updated) = &card.updated {
        data["dateModified"] = json!(updated.datetime);
    }
    if !view.corrections.is_empty() {
        data["correction"] = view
            .corrections
            .iter()
            .map(|c| json!({"@type": "CorrectionComment", "datePublished": c.date.datetime, "text": c.note}))
            .collect();
    }
    if let Some(warning) = &card.content_warning {
        data["contentRating"] = json!(warning);
    }
    if !view.events.is_empty() {
        data["about"] = chron.links[pos]
            .iter()
            .map(|&p| cards.card(p))
            .map(|e| json!({"@type": "Event", "name": e.title, "startDate": e.when.date.datetime, "url": format!("{base}{}", e.path)}))
            .collect();
    }
    script_json(&data)
}

/// JSON that cannot end the `<script>` element it is printed in.
fn script_json(data: &Value) -> String {
    crate::script_safe::escape_str(serde_json::to_string(data).unwrap_or_default())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A taxonomy term's page header.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TermView {
    /// tags, actors, places or tracks.
    pub taxonomy: &'static str,
    /// Its slug or id.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Path of its page.
    pub path: String,
    /// How many published entries.
    pub count: usize,
    /// How many of them are events.
    pub events: usize,
    /// How many of them are articles.
    pub articles: usize,
    /// The earliest start of its entries.
    pub first: Option<DateView>,
    /// The latest end of its entries (an entry's end when it has one, else its start).
    pub last: Option<DateView>,
    /// "2014 – 2025"-like span of its entries.
    pub span: String,
    /// Registry kind (person, state, city ...).
    pub kind: Option<String>,
    /// Registry description.
    pub description: Option<String>,
    /// Registry aliases.
    pub aliases: Vec<String>,
    /// Coordinates of a place.
    pub location: Option<LocationView>,
    /// Country of a place.
    pub country: Option<String>,
    /// A track's colour (`tone-N`), for tracks only.
    pub tone: Option<u8>,
    /// Its count as a percentage of the largest count in its taxonomy, for bars.
    pub share: u8,
    /// The name of the timeline filter that selects it: tag, actor, place or track.
    pub filter: &'static str,
    /// The figures of its events, totalled as ranges.
    pub totals: super::figures::Totals,
}

/// The view of a term of a taxonomy. Its dates are those of its first and
/// last entries' cards.
pub fn term_view(
    chron: &Chronology,
    cards: &Cards,
    taxonomy: &'static str,
    term: &crate::chronology::Term,
) -> TermView {
    let entity = match taxonomy {
        "actors" => chron.actor_entity(&term.slug),
        "places" => chron.place_entity(&term.slug),
        _ => None,
    };
    let first = term.entries.first().map(|&p| &cards.card(p).when);
    // The span reaches the latest end of any entry, not the start of the
    // last one: an event from 2014 to 2022 keeps the span open to 2022.
    let ends = chron.ends();
    let latest = term.entries.iter().copied().max_by_key(|&p| ends[p]);
    let last = latest.map(|p| {
        let dates = chron.dates(p);
        DateView::new(dates.end().unwrap_or(dates.start()))
    });
    let span = match (first, &last) {
        (Some(f), Some(l)) => {
            let (a, b) = (&f.date.display, &l.display);
            if a == b {
                a.clone()
            } else {
                format!("{a} – {b}")
            }
        }
        (Some(f), _) => f.display.clone(),
        _ => String::new(),
    };
    let articles = term
        .entries
        .iter()
        .filter(|&&p| chron.entries[p].kind == crate::chronology::EntryKind::Article)
        .count();
    TermView {
        taxonomy,
        slug: term.slug.clone(),
        name: term.name.clone(),
        path: format!("{taxonomy}/{}/", term.slug),
        count: term.entries.len(),
        events: term.entries.len() - articles,
        articles,
        first: first.map(|w| w.date.clone()),
        last,
        span,
        kind: entity.and_then(|e| e.kind.clone()),
        description: entity.and_then(|e| e.description.clone()),
        aliases: entity.map(|e| e.aliases.clone()).unwrap_or_default(),
        location: entity.and_then(|e| Some(LocationView::new(None, e.lat?, e.lon?))),
        country: entity.and_then(|e| e.country.clone()),
        tone: (taxonomy == "tracks").then(|| track_tone(chron, &term.slug)),
        share: 100,
        filter: taxonomy.trim_end_matches('s'),
        totals: super::provenance::totals_of(chron, cards, term.entries.iter().copied()),
    }
}
