//! The chronology: events and articles merged into one ordered list, linked
//! both ways, checked for duplicate ids and unknown references, with eras,
//! taxonomies and archives indexed once for every page to use.

use std::collections::BTreeMap;
use std::sync::Arc;

// Ids and slugs are looked up tens of thousands of times per build: a fast hasher.
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Article, Content, Entity, Era, Event, Page, Registry, Source, Status};
use crate::date::{DateRange, chronological};
use crate::error::Diagnostics;
use crate::fields::Located;
use crate::slug::slugify;
use crate::suggest::did_you_mean;

/// Whether an entry is a curated event or an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// From `content/events/`.
    Event,
    /// From `content/articles/`.
    Article,
}

/// One published entry: an index into [`Chronology::events`] or [`Chronology::articles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Which list it is in.
    pub kind: EntryKind,
    /// Its index there.
    pub index: usize,
}

/// A term of a taxonomy (a tag, actor, place or track) and its entries.
#[derive(Debug, Clone)]
pub struct Term {
    /// Its URL slug (the id for actors and places).
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// Positions of its entries in the chronology, in order.
    pub entries: Vec<usize>,
}

/// The terms of one taxonomy, sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// The terms used by published entries.
    pub terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
}

impl Taxonomy {
    /// The term with this slug.
    pub fn get(&self, slug: &str) -> Option<&Term> {
        self.by_slug.get(slug).map(|&i| &self.terms[i])
    }

    fn from_map(map: BTreeMap<String, Term>) -> Taxonomy {
        let terms: Vec<Term> = map.into_values().collect();
        let by_slug = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Taxonomy { terms, by_slug }
    }
}

/// The four taxonomies.
#[derive(Debug, Clone, Copy)]
enum TermKind {
    Tags,
    Actors,
    Places,
    Tracks,
}

/// The merged, ordered, cross-linked content of a site.
#[derive(Debug)]
pub struct Chronology {
    /// The site configuration.
    pub config: Config,
    /// Every event read (drafts included).
    pub events: Vec<Arc<Event>>,
    /// Every article read (drafts included).
    pub articles: Vec<Arc<Article>>,
    /// Free pages.
    pub pages: Vec<Page>,
    /// The actors registry, if the site has one.
    pub actor_registry: Option<Registry>,
    /// The places registry, if the site has one.
    pub place_registry: Option<Registry>,
    /// Eras, in chronology order.
    pub eras: Vec<Era>,
    /// Published entries, in chronology order.
    pub entries: Vec<Entry>,
    /// For each entry: linked entries of the other kind (articles of an
    /// event, events of an article), both directions merged, in order.
    pub links: Vec<Vec<usize>>,
    /// For each entry: related events (declared on either side), in order.
    pub related: Vec<Vec<usize>>,
    /// For each entry: the era it falls in.
    pub era_of: Vec<Option<usize>>,
    /// Tags.
    pub tags: Taxonomy,
    /// Actors.
    pub actors: Taxonomy,
    /// Places.
    pub places: Taxonomy,
    /// Tracks.
    pub tracks: Taxonomy,
    /// Entry positions by civil year, then month (0 for entries dated only by year).
    pub years: BTreeMap<i32, BTreeMap<u32, Vec<usize>>>,
    /// Whether drafts are included.
    pub drafts: bool,
    position: HashMap<String, usize>,
}

/// Checks every reference of `content` and builds the chronology; with
/// `drafts` false, draft events and articles are left out of it.
pub fn build(
    config: Config,
    content: Content,
    drafts: bool,
    diags: &mut Diagnostics,
) -> Chronology {
    // The checks only report; the order only reads: both at once.
    let mut checks = Diagnostics::new();
    let ((), (entries, position)) = rayon::join(
        || {
            check_unique_ids(&content, &mut checks);
            check_references(&content, &mut checks);
        },
        || order(&content.events, &content.articles, drafts),
    );
    diags.extend(checks);

    let Content {
        events,
        articles,
        pages,
        actors,
        places,
        mut eras,
        ..
    } = content;
    eras.sort_by(|a, b| chronological(&a.dates, &a.id.value, &b.dates, &b.id.value));

    let mut chron = Chronology {
        config,
        events,
        articles,
        pages,
        actor_registry: actors,
        place_registry: places,
        eras,
        links: Vec::new(),
        related: Vec::new(),
        era_of: Vec::new(),
        tags: Taxonomy::default(),
        actors: Taxonomy::default(),
        places: Taxonomy::default(),
        tracks: Taxonomy::default(),
        years: BTreeMap::new(),
        entries,
        drafts,
        position,
    };
    chron.link();
    chron.attach_eras();
    chron.index_taxonomies(diags);
    chron.index_years();
    chron
}

impl Chronology {
    /// The position of a published entry by id or slug.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.position.get(id).copied()
    }

    /// The id (or slug) of the entry at `pos`.
    pub fn id(&self, pos: usize) -> &str {
        let e = self.entries[pos];
        match e.kind {
            EntryKind::Event => &self.events[e.index].id.value,
            EntryKind::Article => &self.articles[e.index].slug.value,
        }
    }

    /// The title of the entry at `pos`.
    pub fn title(&self, pos: usize) -> &str {
        let e = self.entries[pos];
        match e.kind {
            EntryKind::Event => &self.events[e.index].title,
            EntryKind::Article => &self.articles[e.index].title,
        }
    }

    /// The dates of the entry at `pos`.
    pub fn dates(&self, pos: usize) -> &DateRange {
        let e = self.entries[pos];
        match e.kind {
            EntryKind::Event => &self.events[e.index].dates,
            EntryKind::Article => &self.articles[e.index].dates,
        }
    }

    /// The event at `pos`, if it is one.
    pub fn event(&self, pos: usize) -> Option<&Event> {
        let e = self.entries[pos];
        (e.kind == EntryKind::Event).then(|| &*self.events[e.index])
    }

    /// The article at `pos`, if it is one.
    pub fn article(&self, pos: usize) -> Option<&Article> {
        let e = self.entries[pos];
        (e.kind == EntryKind::Article).then(|| &*self.articles[e.index])
    }

    /// The output path of the entry at `pos`, relative to the site root.
    pub fn path(&self, pos: usize) -> String {
        match self.entries[pos].kind {
            EntryKind::Event => format!("events/{}/", self.id(pos)),
            EntryKind::Article => format!("articles/{}/", self.id(pos)),
        }
    }

    /// The track of the entry at `pos` (articles have none).
    pub fn track(&self, pos: usize) -> Option<&str> {
        self.event(pos).and_then(|e| e.track.as_deref())
    }

    /// The tags, actors and places of the entry at `pos`, as written.
    pub fn terms(&self, pos: usize) -> [&[Located<String>]; 3] {
        let e = self.entries[pos];
        match e.kind {
            EntryKind::Event => {
                let e = &self.events[e.index];
                [&e.tags, &e.actors, &e.places]
            }
            EntryKind::Article => {
                let a = &self.articles[e.index];
                [&a.tags, &a.actors, &a.places]
            }
        }
    }

    /// The display name of an actor id.
    pub fn actor_name<'a>(&'a self, id: &'a str) -> &'a str {
        entity_name(self.actor_registry.as_ref(), &self.actors, id)
    }

    /// The display name of a place id.
    pub fn place_name<'a>(&'a self, id: &'a str) -> &'a str {
        entity_name(self.place_registry.as_ref(), &self.places, id)
    }

    /// The registry entry of a place, when the site has a registry.
    pub fn place_entity(&self, id: &str) -> Option<&Entity> {
        self.place_registry.as_ref().and_then(|r| r.get(id))
    }

    /// The registry entry of an actor, when the site has a registry.
    pub fn actor_entity(&self, id: &str) -> Option<&Entity> {
        self.actor_registry.as_ref().and_then(|r| r.get(id))
    }

    fn link(&mut self) {
        let n = self.entries.len();
        let mut links = vec![Vec::new(); n];
        let mut related = vec![Vec::new(); n];
        for pos in 0..n {
            if let Some(event) = self.event(pos) {
                for source in &event.sources {
                    if let Source::Article(slug) = source
                        && let Some(a) = self.position(&slug.value)
                        && self.entries[a].kind == EntryKind::Article
                    {
                        links[pos].push(a);
                        links[a].push(pos);
                    }
                }
                for other in &event.related {
                    if let Some(r) = self.position(&other.value)
                        && self.entries[r].kind == EntryKind::Event
                        && r != pos
                    {
                        related[pos].push(r);
                        related[r].push(pos);
                    }
                }
            } else if let Some(article) = self.article(pos) {
                for id in &article.events {
                    if let Some(e) = self.position(&id.value)
                        && self.entries[e].kind == EntryKind::Event
                    {
                        links[pos].push(e);
                        links[e].push(pos);
                    }
                }
            }
        }
        for list in links.iter_mut().chain(related.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        self.links = links;
        self.related = related;
    }

    fn attach_eras(&mut self) {
        self.era_of = (0..self.entries.len())
            .map(|pos| {
                let start = self.dates(pos).start_instant();
                self.eras
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, era)| {
                        era.dates.start_instant() <= start
                            && (era.open || start < era.dates.end_instant())
                    })
                    .map(|(i, _)| i)
            })
            .collect();
    }

    /// Builds the four taxonomies, one per thread where there are threads.
    fn index_taxonomies(&mut self, diags: &mut Diagnostics) {
        let kinds = [
            TermKind::Tags,
            TermKind::Actors,
            TermKind::Places,
            TermKind::Tracks,
        ];
        let made: Vec<(Taxonomy, Diagnostics)> = kinds
            .into_par_iter()
            .map(|kind| self.taxonomy(kind))
            .collect();
        let mut made = made.into_iter().map(|(taxonomy, d)| {
            diags.extend(d);
            taxonomy
        });
        let mut next = || made.next().unwrap_or_default();
        self.tags = next();
        self.actors = next();
        self.places = next();
        self.tracks = next();
    }

    /// One taxonomy: its terms in slug order, each with its entries in
    /// chronology order. A term's slug and name are made when it is first
    /// met: entries repeat the same few hundred terms tens of thousands of
    /// times.
    fn taxonomy(&self, kind: TermKind) -> (Taxonomy, Diagnostics) {
        let mut map: BTreeMap<String, Term> = BTreeMap::new();
        let mut diags = Diagnostics::new();
        let mut add = |slug: &str, name: &dyn Fn() -> String, pos: usize| {
            let term = match map.get_mut(slug) {
                Some(term) => term,
                None => map.entry(slug.to_string()).or_insert(Term {
                    slug: slug.to_string(),
                    name: name(),
                    entries: Vec::new(),
                }),
            };
            if term.entries.last() != Some(&pos) {
                term.entries.push(pos);
            }
        };
        let mut slugs: HashMap<&str, String> = HashMap::new();
        for pos in 0..self.entries.len() {
            let [tags, actors, places] = self.terms(pos);
            match kind {
                TermKind::Tracks => {
                    let Some(e) = self.event(pos) else { continue };
                    let Some(track) = &e.track else { continue };
                    let slug = slugs.entry(track).or_insert_with(|| slugify(track));
                    if slug.is_empty() {
                        diags.error(
                            e.origin.child(crate::yaml_locate::key("track")).span(),
                            format!(
                                "track \"{track}\" has no letters or digits to make a URL from"
                            ),
                        );
                    } else {
                        add(slug, &|| track.clone(), pos);
                    }
                }
                TermKind::Tags => {
                    for tag in tags {
                        let slug = slugs
                            .entry(&tag.value)
                            .or_insert_with(|| slugify(&tag.value));
                        if slug.is_empty() {
                            diags.error(
                                tag.origin.span(),
                                format!(
                                    "tag \"{}\" has no letters or digits to make a URL from",
                                    tag.value
                                ),
                            );
                        } else {
                            add(slug, &|| tag.value.clone(), pos);
                        }
                    }
                }
                TermKind::Actors => {
                    for actor in actors {
                        let name = || entity_display(self.actor_registry.as_ref(), &actor.value);
                        add(&actor.value, &name, pos);
                    }
                }
                TermKind::Places => {
                    for place in places {
                        let name = || entity_display(self.place_registry.as_ref(), &place.value);
                        add(&place.value, &name, pos);
                    }
                }
            }
        }
        (Taxonomy::from_map(map), diags)
    }

    fn index_years(&mut self) {
        let mut years: BTreeMap<i32, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
        for pos in 0..self.entries.len() {
            let start = self.dates(pos).start();
            years
                .entry(start.year())
                .or_default()
                .entry(start.month().unwrap_or(0))
                .or_default()
                .push(pos);
        }
        self.years = years;
    }
}

fn entity_name<'a>(registry: Option<&'a Registry>, taxonomy: &'a Taxonomy, id: &'a str) -> &'a str {
    registry
        .and_then(|r| r.get(id))
        .map(|e| e.name.as_str())
        .or_else(|| taxonomy.get(id).map(|t| t.name.as_str()))
        .unwrap_or(id)
}

/// A registry name, or a name made from the id itself when the site keeps
/// no registry ("vladimir-putin" → "Vladimir Putin").
fn entity_display(registry: Option<&Registry>, id: &str) -> String {
    if let Some(e) = registry.and_then(|r| r.get(id)) {
        return e.name.clone();
    }
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The published entries in chronological order, and each id's position
/// (duplicates were reported; the first of each id wins the position).
fn order(
    events: &[Arc<Event>],
    articles: &[Arc<Article>],
    drafts: bool,
) -> (Vec<Entry>, HashMap<String, usize>) {
    let mut entries: Vec<Entry> = Vec::with_capacity(events.len() + articles.len());
    entries.extend(
        events
            .iter()
            .enumerate()
            .filter(|(_, e)| drafts || e.status != Status::Draft)
            .map(|(index, _)| Entry {
                kind: EntryKind::Event,
                index,
            }),
    );
    entries.extend(
        articles
            .iter()
            .enumerate()
            .filter(|(_, a)| drafts || !a.draft)
            .map(|(index, _)| Entry {
                kind: EntryKind::Article,
                index,
            }),
    );
    let key = |e: &Entry| -> (&DateRange, &str) {
        match e.kind {
            EntryKind::Event => (&events[e.index].dates, &events[e.index].id.value),
            EntryKind::Article => (&articles[e.index].dates, &articles[e.index].slug.value),
        }
    };
    entries.sort_by(|a, b| {
        let (da, ia) = key(a);
        let (db, ib) = key(b);
        chronological(da, ia, db, ib)
    });
    let mut position = HashMap::with_capacity(entries.len());
    for (pos, e) in entries.iter().enumerate() {
        position.entry(key(e).1.to_string()).or_insert(pos);
    }
    (entries, position)
}

/// Two entries with one id, or two articles with one slug, are errors naming both files.
fn check_unique_ids(content: &Content, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, (&'static str, &Located<String>)> = HashMap::new();
    let all = content
        .events
        .iter()
        .map(|e| ("event id", &e.id))
        .chain(content.articles.iter().map(|a| ("article slug", &a.slug)));
    for (what, id) in all {
        match seen.get(id.value.as_str()) {
            None => {
                seen.insert(&id.value, (what, id));
            }
            Some((first_what, first)) => {
                let message = if *first_what == what {
                    format!(
                        "duplicate {what} \"{}\": also defined at {}",
                        id.value,
                        first.origin.span()
                    )
                } else {
                    format!(
                        "{what} \"{}\" is already used as an {first_what} at {}: event ids and article slugs share one namespace",
                        id.value,
                        first.origin.span()
                    )
                };
                diags.error(id.origin.span(), message);
            }
        }
    }
    let mut pages: HashMap<&str, &Located<String>> = HashMap::new();
    for page in &content.pages {
        if let Some(first) = pages.insert(&page.slug.value, &page.slug) {
            diags.error(
                page.slug.origin.span(),
                format!(
                    "duplicate page slug \"{}\": also used at {}",
                    page.slug.value,
                    first.origin.span()
                ),
            );
        }
    }
}

/// Every reference to an event, article, actor or place must resolve.
fn check_references(content: &Content, diags: &mut Diagnostics) {
    let event_ids: HashMap<&str, ()> = content
        .events
        .iter()
        .map(|e| (e.id.value.as_str(), ()))
        .collect();
    let article_ids: HashMap<&str, ()> = content
        .articles
        .iter()
        .map(|a| (a.slug.value.as_str(), ()))
        .collect();
    let check = |diags: &mut Diagnostics, r: &Located<String>, wanted: &str| {
        let (ids, other, other_name) = if wanted == "event" {
            (&event_ids, &article_ids, "an article")
        } else {
            (&article_ids, &event_ids, "an event")
        };
        if ids.contains_key(r.value.as_str()) || content.broken_ids.contains(&r.value) {
            return;
        }
        let message = if other.contains_key(r.value.as_str()) {
            format!("\"{}\" is {other_name}, not {}", r.value, a_an(wanted))
        } else {
            let hint = did_you_mean(&r.value, ids.keys().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            format!("unknown {wanted} \"{}\"{hint}", r.value)
        };
        diags.error(r.origin.span(), message);
    };
    let check_entities = |diags: &mut Diagnostics,
                          refs: &[Located<String>],
                          registry: Option<&Registry>,
                          noun: &str,
                          file: &str| {
        let Some(registry) = registry.filter(|r| !r.failed) else {
            return;
        };
        for r in refs {
            if registry.get(&r.value).is_none() && !registry.broken_ids.contains(&r.value) {
                let hint = did_you_mean(&r.value, registry.ids())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_else(|| format!("; add it to content/{file}"));
                diags.error(
                    r.origin.span(),
                    format!("unknown {noun} \"{}\"{hint}", r.value),
                );
            }
        }
    };
    let actors = content.actors.as_ref();
    let places = content.places.as_ref();
    for event in &content.events {
        for source in &event.sources {
            if let Source::Article(slug) = source {
                check(diags, slug, "article");
            }
        }
        for r in &event.related {
            check(diags, r, "event");
            if r.value == event.id.value {
                diags.warning(r.origin.span(), "an event is not related to itself");
            }
        }
        check_entities(diags, &event.actors, actors, "actor", "actors.yaml");
        check_entities(diags, &event.places, places, "place", "places.yaml");
    }
    for article in &content.articles {
        for r in &article.events {
            check(diags, r, "event");
        }
        check_entities(diags, &article.actors, actors, "actor", "actors.yaml");
        check_entities(diags, &article.places, places, "place", "places.yaml");
    }
}

fn a_an(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}
