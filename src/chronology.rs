//! The chronology: events and articles merged into one ordered list, linked
//! both ways, checked for duplicate ids and unknown references, with eras,
//! taxonomies and archives indexed once for every page to use.

use std::collections::BTreeMap;
use std::sync::Arc;

// Ids and slugs are looked up tens of thousands of times per build: a fast hasher.
use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Article, Content, Entity, Era, Event, Page, Registry, Source, Status};
use crate::date::{DateRange, chronological};
use crate::error::{Diagnostics, cut};
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
    /// Each entry's terms as it lists them (indexes into `terms`, [`NO_TERM`]
    /// for one with no slug): those of entry `pos` are
    /// `of_entry[starts[pos]..starts[pos + 1]]`.
    of_entry: Vec<u32>,
    starts: Vec<u32>,
}

/// In [`Taxonomy::entry_terms`]: a term written without letters or digits.
pub const NO_TERM: u32 = u32::MAX;

impl Taxonomy {
    /// The terms the entry at `pos` lists, in its order, as indexes into
    /// [`Taxonomy::terms`] ([`NO_TERM`] for one that has no slug).
    pub fn entry_terms(&self, pos: usize) -> &[u32] {
        match (self.starts.get(pos), self.starts.get(pos + 1)) {
            (Some(&a), Some(&b)) => &self.of_entry[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The term with this slug.
    pub fn get(&self, slug: &str) -> Option<&Term> {
        self.by_slug.get(slug).map(|&i| &self.terms[i])
    }

    /// The terms the entry at `pos` lists, in its order, skipping those
    /// with no slug.
    pub fn terms_of(&self, pos: usize) -> impl Iterator<Item = &Term> {
        self.entry_terms(pos)
            .iter()
            .filter(|&&i| i != NO_TERM)
            .map(|&i| &self.terms[i as usize])
    }

    /// The taxonomy of these terms (in any order, each entry's listed by
    /// those indexes), sorted by slug.
    fn new(terms: Vec<Term>, mut of_entry: Vec<u32>, starts: Vec<u32>) -> Taxonomy {
        let mut sorted: Vec<(usize, Term)> = terms.into_iter().enumerate().collect();
        sorted.sort_unstable_by(|a, b| a.1.slug.cmp(&b.1.slug));
        let mut rank = vec![0; sorted.len()];
        for (new, (old, _)) in sorted.iter().enumerate() {
            rank[*old] = new as u32;
        }
        for t in &mut of_entry {
            if *t != NO_TERM {
                *t = rank[*t as usize];
            }
        }
        let terms: Vec<Term> = sorted.into_iter().map(|(_, t)| t).collect();
        let by_slug = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Taxonomy {
            terms,
            by_slug,
            of_entry,
            starts,
        }
    }
}

/// A taxonomy being built: terms as they are first met.
#[derive(Default)]
struct TermsBuilder<'a> {
    terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    /// As written → the term's index, or none when it has no slug.
    written: HashMap<&'a str, Option<usize>>,
    /// Each entry's terms, as in [`Taxonomy`].
    of_entry: Vec<u32>,
    starts: Vec<u32>,
}

impl<'a> TermsBuilder<'a> {
    /// Lists the entry at `pos` under the term written `value`, whose slug
    /// and name `make` gives the first time; false when it has no slug.
    fn add(&mut self, value: &'a str, make: impl FnOnce() -> (String, String), pos: usize) -> bool {
        let index = match self.written.get(value) {
            Some(&i) => i,
            None => {
                let (slug, name) = make();
                let i = (!slug.is_empty()).then(|| match self.by_slug.get(&slug) {
                    Some(&i) => i,
                    None => {
                        self.by_slug.insert(slug.clone(), self.terms.len());
                        self.terms.push(Term {
                            slug,
                            name,
                            entries: Vec::new(),
                        });
                        self.terms.len() - 1
                    }
                });
                self.written.insert(value, i);
                i
            }
        };
        self.of_entry.push(index.map_or(NO_TERM, |i| i as u32));
        let Some(i) = index else { return false };
        let term = &mut self.terms[i];
        if term.entries.last() != Some(&pos) {
            term.entries.push(pos);
        }
        true
    }

    /// Starts the terms of the next entry (entries are added in order).
    fn next_entry(&mut self) {
        self.starts.push(self.of_entry.len() as u32);
    }

    fn finish(mut self) -> Taxonomy {
        self.next_entry();
        Taxonomy::new(self.terms, self.of_entry, self.starts)
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
    pub entries: Arc<Vec<Entry>>,
    /// For each entry: linked entries of the other kind (articles of an
    /// event, events of an article), both directions merged, in order.
    pub links: Arc<Vec<Vec<usize>>>,
    /// For each entry: related events (declared on either side), in order.
    pub related: Arc<Vec<Vec<usize>>>,
    /// For each entry: the era it falls in.
    pub era_of: Arc<Vec<Option<usize>>>,
    /// Tags.
    pub tags: Arc<Taxonomy>,
    /// Actors.
    pub actors: Arc<Taxonomy>,
    /// Places.
    pub places: Arc<Taxonomy>,
    /// Tracks.
    pub tracks: Arc<Taxonomy>,
    /// Entry positions by civil year, then month (0 for entries dated only by year).
    pub years: Arc<Years>,
    /// Whether drafts are included.
    pub drafts: bool,
    position: Arc<HashMap<String, usize>>,
}

/// Entry positions by civil year, then month.
pub type Years = BTreeMap<i32, BTreeMap<u32, Vec<usize>>>;

/// What the chronology derives from the ids, dates, status, terms and
/// references of its entries: their order, links, eras, taxonomies and
/// archives, with what it was derived from. `serve` keeps it between
/// builds: an edit that changes none of those inputs (a title, a summary,
/// an external source) takes it as it was instead of checking, ordering,
/// linking and indexing every entry again.
pub struct Structure {
    /// The configuration it was derived with, written out.
    config: String,
    drafts: bool,
    events: Vec<Arc<Event>>,
    articles: Vec<Arc<Article>>,
    broken_ids: HashSet<String>,
    derived: Derived,
}

/// The parts of a chronology derived from its entries (shared, not copied).
#[derive(Clone, Default)]
struct Derived {
    entries: Arc<Vec<Entry>>,
    position: Arc<HashMap<String, usize>>,
    links: Arc<Vec<Vec<usize>>>,
    related: Arc<Vec<Vec<usize>>>,
    era_of: Arc<Vec<Option<usize>>>,
    tags: Arc<Taxonomy>,
    actors: Arc<Taxonomy>,
    places: Arc<Taxonomy>,
    tracks: Arc<Taxonomy>,
    years: Arc<Years>,
}

impl Structure {
    /// Whether `content` gives the same structure: the same configuration,
    /// no file but events and articles changed, and every event and article
    /// the same one or one whose structural fields are equal.
    fn fits(&self, config: &str, content: &Content, drafts: bool) -> bool {
        content.only_entries_may_differ
            && self.drafts == drafts
            && self.config == config
            && self.broken_ids == content.broken_ids
            && all_alike(&self.events, &content.events, same_event_structure)
            && all_alike(&self.articles, &content.articles, same_article_structure)
    }
}

fn all_alike<T>(old: &[Arc<T>], new: &[Arc<T>], alike: fn(&T, &T) -> bool) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| Arc::ptr_eq(a, b) || alike(a, b))
}

/// Equal in everything the chronology derives from an event: id, dates,
/// whether it is a draft, track, terms, related events and cited articles.
fn same_event_structure(a: &Event, b: &Event) -> bool {
    a.id.value == b.id.value
        && a.dates == b.dates
        && (a.status == Status::Draft) == (b.status == Status::Draft)
        && a.track == b.track
        && same_values(&a.tags, &b.tags)
        && same_values(&a.actors, &b.actors)
        && same_values(&a.places, &b.places)
        && same_values(&a.related, &b.related)
        && cited_articles(a).eq(cited_articles(b))
}

fn cited_articles(e: &Event) -> impl Iterator<Item = &str> {
    e.sources.iter().filter_map(|s| match s {
        Source::Article(slug) => Some(slug.value.as_str()),
        Source::External(_) => None,
    })
}

/// Equal in everything the chronology derives from an article: slug,
/// dates, whether it is a draft, terms and the events it covers.
fn same_article_structure(a: &Article, b: &Article) -> bool {
    a.slug.value == b.slug.value
        && a.dates == b.dates
        && a.draft == b.draft
        && same_values(&a.tags, &b.tags)
        && same_values(&a.actors, &b.actors)
        && same_values(&a.places, &b.places)
        && same_values(&a.events, &b.events)
}

fn same_values(a: &[Located<String>], b: &[Located<String>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value == y.value)
}

/// Checks every reference of `content` and builds the chronology; with
/// `drafts` false, draft events and articles are left out of it.
///
/// With `kept` (serve), the structure a previous build kept is taken when
/// it fits the content, and this build's is kept for the next one. Only a
/// structure whose checks found nothing is kept: the problems of another
/// would be reported where the previous build found them.
pub fn build(
    config: Config,
    content: Content,
    drafts: bool,
    kept: Option<&mut Option<Structure>>,
    diags: &mut Diagnostics,
) -> Chronology {
    let Some(kept) = kept else {
        return derive(config, content, drafts, diags);
    };
    let written = format!("{config:?}");
    let reused = kept
        .as_ref()
        .filter(|s| s.fits(&written, &content, drafts))
        .map(|s| s.derived.clone());
    let broken_ids = content.broken_ids.clone();
    let mut found = Diagnostics::new();
    let chron = match reused {
        Some(derived) => assemble(config, content, drafts, derived),
        None => derive(config, content, drafts, &mut found),
    };
    *kept = found.is_empty().then(|| Structure {
        config: written,
        drafts,
        events: chron.events.clone(),
        articles: chron.articles.clone(),
        broken_ids,
        derived: chron.derived(),
    });
    diags.extend(found);
    chron
}

/// The chronology of `content` with its derived parts given.
fn assemble(config: Config, content: Content, drafts: bool, derived: Derived) -> Chronology {
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
    Chronology {
        config,
        events,
        articles,
        pages,
        actor_registry: actors,
        place_registry: places,
        eras,
        entries: derived.entries,
        links: derived.links,
        related: derived.related,
        era_of: derived.era_of,
        tags: derived.tags,
        actors: derived.actors,
        places: derived.places,
        tracks: derived.tracks,
        years: derived.years,
        drafts,
        position: derived.position,
    }
}

/// Checks `content` and derives its chronology from scratch.
fn derive(config: Config, content: Content, drafts: bool, diags: &mut Diagnostics) -> Chronology {
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
    let derived = Derived {
        entries: Arc::new(entries),
        position: Arc::new(position),
        ..Derived::default()
    };
    let mut chron = assemble(config, content, drafts, derived);
    // Links, eras, taxonomies and archives only read the ordered entries.
    let ((links, era_of), (taxonomies, years)) = rayon::join(
        || rayon::join(|| chron.link(), || chron.attach_eras()),
        || rayon::join(|| chron.index_taxonomies(), || chron.index_years()),
    );
    chron.links = Arc::new(links.0);
    chron.related = Arc::new(links.1);
    chron.era_of = Arc::new(era_of);
    chron.years = Arc::new(years);
    let mut taxonomies = taxonomies.into_iter().map(|(taxonomy, d)| {
        diags.extend(d);
        Arc::new(taxonomy)
    });
    let mut next = || taxonomies.next().unwrap_or_default();
    chron.tags = next();
    chron.actors = next();
    chron.places = next();
    chron.tracks = next();
    chron
}

impl Chronology {
    fn derived(&self) -> Derived {
        Derived {
            entries: Arc::clone(&self.entries),
            position: Arc::clone(&self.position),
            links: Arc::clone(&self.links),
            related: Arc::clone(&self.related),
            era_of: Arc::clone(&self.era_of),
            tags: Arc::clone(&self.tags),
            actors: Arc::clone(&self.actors),
            places: Arc::clone(&self.places),
            tracks: Arc::clone(&self.tracks),
            years: Arc::clone(&self.years),
        }
    }

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

    /// For each entry: its linked entries and its related events, both ways.
    fn link(&self) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let n = self.entries.len();
        // What each entry itself names, resolved in parallel: (linked entries
        // of the other kind, related events).
        let own: Vec<(Vec<usize>, Vec<usize>)> = (0..n)
            .into_par_iter()
            .map(|pos| {
                let (mut linked, mut related) = (Vec::new(), Vec::new());
                if let Some(event) = self.event(pos) {
                    for source in &event.sources {
                        if let Source::Article(slug) = source
                            && let Some(a) = self.position(&slug.value)
                            && self.entries[a].kind == EntryKind::Article
                        {
                            linked.push(a);
                        }
                    }
                    for other in &event.related {
                        if let Some(r) = self.position(&other.value)
                            && self.entries[r].kind == EntryKind::Event
                            && r != pos
                        {
                            related.push(r);
                        }
                    }
                } else if let Some(article) = self.article(pos) {
                    for id in &article.events {
                        if let Some(e) = self.position(&id.value)
                            && self.entries[e].kind == EntryKind::Event
                        {
                            linked.push(e);
                        }
                    }
                }
                (linked, related)
            })
            .collect();
        // Both ways.
        let mut links = vec![Vec::new(); n];
        let mut related = vec![Vec::new(); n];
        for (pos, (l, r)) in own.iter().enumerate() {
            for &other in l {
                links[pos].push(other);
                links[other].push(pos);
            }
            for &other in r {
                related[pos].push(other);
                related[other].push(pos);
            }
        }
        links
            .par_iter_mut()
            .chain(related.par_iter_mut())
            .for_each(|list| {
                list.sort_unstable();
                list.dedup();
            });
        (links, related)
    }

    /// For each entry: the era it falls in.
    fn attach_eras(&self) -> Vec<Option<usize>> {
        (0..self.entries.len())
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
            .collect()
    }

    /// The four taxonomies (tags, actors, places, tracks), one per thread
    /// where there are threads, each with its problems.
    fn index_taxonomies(&self) -> Vec<(Taxonomy, Diagnostics)> {
        let kinds = [
            TermKind::Tags,
            TermKind::Actors,
            TermKind::Places,
            TermKind::Tracks,
        ];
        kinds
            .into_par_iter()
            .map(|kind| self.taxonomy(kind))
            .collect()
    }

    /// One taxonomy: its terms in slug order, each with its entries in
    /// chronology order. A term is looked up by how an entry writes it, and
    /// its slug and name are made when it is first met: entries repeat the
    /// same few hundred terms tens of thousands of times.
    fn taxonomy(&self, kind: TermKind) -> (Taxonomy, Diagnostics) {
        let mut diags = Diagnostics::new();
        let mut terms = TermsBuilder::default();
        for pos in 0..self.entries.len() {
            terms.next_entry();
            let [tags, actors, places] = self.terms(pos);
            match kind {
                TermKind::Tracks => {
                    let Some(e) = self.event(pos) else { continue };
                    let Some(track) = &e.track else { continue };
                    if !terms.add(track, || (slugify(track), track.clone()), pos) {
                        diags.error(
                            e.origin.child(crate::yaml_locate::key("track")).span(),
                            format!(
                                "track \"{track}\" has no letters or digits to make a URL from"
                            ),
                        );
                    }
                }
                TermKind::Tags => {
                    for tag in tags {
                        let v = &tag.value;
                        if !terms.add(v, || (slugify(v), v.clone()), pos) {
                            diags.error(
                                tag.origin.span(),
                                format!("tag \"{v}\" has no letters or digits to make a URL from"),
                            );
                        }
                    }
                }
                TermKind::Actors => {
                    let registry = self.actor_registry.as_ref();
                    for actor in actors {
                        let id = &actor.value;
                        terms.add(id, || (id.clone(), entity_display(registry, id)), pos);
                    }
                }
                TermKind::Places => {
                    let registry = self.place_registry.as_ref();
                    for place in places {
                        let id = &place.value;
                        terms.add(id, || (id.clone(), entity_display(registry, id)), pos);
                    }
                }
            }
        }
        (terms.finish(), diags)
    }

    /// Entry positions by civil year and month.
    fn index_years(&self) -> Years {
        let mut years = Years::new();
        for pos in 0..self.entries.len() {
            let start = self.dates(pos).start();
            years
                .entry(start.year())
                .or_default()
                .entry(start.month().unwrap_or(0))
                .or_default()
                .push(pos);
        }
        years
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
    // The order of `chronological`, by keys taken out once.
    let mut keyed: Vec<_> = entries
        .iter()
        .map(|e| {
            let (dates, id) = key(e);
            (dates.order_key(), id, *e)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut position = HashMap::with_capacity(entries.len());
    for (pos, (_, id, _)) in keyed.iter().enumerate() {
        position.entry(id.to_string()).or_insert(pos);
    }
    let entries = keyed.into_iter().map(|(_, _, e)| e).collect();
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
            format!(
                "\"{}\" is {other_name}, not {}",
                cut(&r.value),
                a_an(wanted)
            )
        } else {
            let hint = did_you_mean(&r.value, ids.keys().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            format!("unknown {wanted} \"{}\"{hint}", cut(&r.value))
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
                    format!("unknown {noun} \"{}\"{hint}", cut(&r.value)),
                );
            }
        }
    };
    let actors = content.actors.as_ref();
    let places = content.places.as_ref();
    // Entry by entry in parallel; the problems are reported in file order.
    let (of_events, of_articles) = rayon::join(
        || {
            // Events that failed to be placed still have their references checked.
            let events: Vec<_> = content
                .events
                .iter()
                .chain(&content.unplaced_events)
                .collect();
            each_checked(&events, |event, diags| {
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
            })
        },
        || {
            let articles: Vec<_> = content
                .articles
                .iter()
                .chain(&content.unplaced_articles)
                .collect();
            each_checked(&articles, |article, diags| {
                for r in &article.events {
                    check(diags, r, "event");
                }
                check_entities(diags, &article.actors, actors, "actor", "actors.yaml");
                check_entities(diags, &article.places, places, "place", "places.yaml");
            })
        },
    );
    for d in of_events.into_iter().chain(of_articles) {
        diags.extend(d);
    }
}

/// The problems `check` finds in each item, checked in parallel, in the
/// items' order.
fn each_checked<T: Sync>(
    items: &[T],
    check: impl Fn(&T, &mut Diagnostics) + Sync,
) -> Vec<Diagnostics> {
    items
        .par_iter()
        .map(|item| {
            let mut diags = Diagnostics::new();
            check(item, &mut diags);
            diags
        })
        .collect()
}

fn a_an(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::ContentCache;
    use std::path::{Path, PathBuf};

    /// A site in a temporary folder, loaded as `serve` loads it: through a
    /// content cache, keeping the chronology's structure between builds.
    struct Session {
        root: PathBuf,
        cache: ContentCache,
        kept: Option<Structure>,
    }

    const EVENTS: &str = "content/events/e.yaml";

    impl Session {
        fn new(name: &str, events: &str) -> Session {
            let root = std::env::temp_dir()
                .join(format!("annals-structure-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("content/events")).unwrap();
            std::fs::write(
                root.join("site.yaml"),
                "title: T\nbase_url: https://example.org/\ntimezone: Europe/Kyiv\n",
            )
            .unwrap();
            std::fs::write(
                root.join("content/actors.yaml"),
                "- id: kyiv-city\n  name: Kyiv City\n",
            )
            .unwrap();
            std::fs::write(root.join(EVENTS), events).unwrap();
            Session {
                root,
                cache: ContentCache::new(),
                kept: None,
            }
        }

        /// Writes `rel` and tells the cache, as the watcher does.
        fn edit(&mut self, rel: &str, text: &str) {
            std::fs::write(self.root.join(rel), text).unwrap();
            self.cache.invalidate(Path::new(rel), true);
        }

        fn build(&mut self) -> (Chronology, Vec<String>) {
            let config = Config::load(&self.root).unwrap();
            let mut diags = Diagnostics::new();
            let content =
                crate::content::load_cached(&self.root, &config, &mut self.cache, &mut diags);
            let chron = build(config, content, false, Some(&mut self.kept), &mut diags);
            let messages = diags.sorted().iter().map(|d| d.to_string()).collect();
            (chron, messages)
        }
    }

    impl Drop for Session {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }

    const TWO: &str = "- id: a\n  date: 2022-03-01\n  title: A\n  tags: [Drones]\n  actors: [kyiv-city]\n  related: [b]\n- id: b\n  date: 2022-02-01\n  title: B\n";

    fn tag_slugs(c: &Chronology) -> Vec<&str> {
        c.tags.terms.iter().map(|t| t.slug.as_str()).collect()
    }

    #[test]
    fn an_edit_to_text_alone_keeps_the_structure() {
        let mut s = Session::new("text", TWO);
        let (first, messages) = s.build();
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(first.id(0), "b");
        s.edit(
            EVENTS,
            &TWO.replace("title: A", "title: A, retitled\n  summary: New text."),
        );
        let (second, _) = s.build();
        assert!(Arc::ptr_eq(&first.links, &second.links));
        assert!(Arc::ptr_eq(&first.tags, &second.tags));
        assert_eq!(second.title(1), "A, retitled");
    }

    #[test]
    fn an_edit_to_what_orders_links_or_indexes_derives_it_again() {
        let edits = [
            ("date", TWO.replace("2022-03-01", "2022-01-01")),
            ("tag", TWO.replace("[Drones]", "[Drones, Shelling]")),
            ("related", TWO.replace("  related: [b]\n", "")),
            ("actor", TWO.replace("  actors: [kyiv-city]\n", "")),
            ("id", TWO.replace("id: b", "id: c").replace("[b]", "[c]")),
            (
                "draft",
                TWO.replace("title: B\n", "title: B\n  status: draft\n"),
            ),
        ];
        for (name, text) in edits {
            let mut s = Session::new(name, TWO);
            let (first, _) = s.build();
            s.edit(EVENTS, &text);
            let (second, messages) = s.build();
            assert!(messages.is_empty(), "{name}: {messages:?}");
            assert!(!Arc::ptr_eq(&first.tags, &second.tags), "{name}");
            // The same as a build with nothing kept.
            let mut fresh = Session::new(&format!("{name}-fresh"), &text);
            let (clean, _) = fresh.build();
            assert_eq!(second.entries, clean.entries, "{name}");
            assert_eq!(second.links, clean.links, "{name}");
            assert_eq!(second.related, clean.related, "{name}");
            assert_eq!(tag_slugs(&second), tag_slugs(&clean), "{name}");
            assert_eq!(
                second.actors.terms.len(),
                clean.actors.terms.len(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_registry_edit_or_a_problem_derives_it_again() {
        let mut s = Session::new("registry", TWO);
        let (first, _) = s.build();
        s.edit(
            "content/actors.yaml",
            "- id: kyiv-city\n  name: City of Kyiv\n",
        );
        let (second, _) = s.build();
        assert!(!Arc::ptr_eq(&first.actors, &second.actors));
        assert_eq!(second.actors.terms[0].name, "City of Kyiv");

        // A structure whose checks found a problem is not kept: the next
        // build reports it again, where it now is.
        let broken = TWO.replace("related: [b]", "related: [nowhere]");
        s.edit(EVENTS, &broken);
        let (_, messages) = s.build();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains(":6:"), "{messages:?}");
        s.edit(EVENTS, &format!("# moved down\n{broken}"));
        let (_, messages) = s.build();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains(":7:"), "{messages:?}");
    }

    fn tag(b: &mut TermsBuilder<'_>, written: &'static str, pos: usize) -> bool {
        b.add(written, || (slugify(written), written.to_string()), pos)
    }

    #[test]
    fn terms_are_found_by_slug_and_by_every_way_they_are_written() {
        let mut b = TermsBuilder::default();
        b.next_entry();
        assert!(tag(&mut b, "Drones", 0));
        assert!(tag(&mut b, "Air strikes", 0));
        b.next_entry();
        assert!(tag(&mut b, "air-strikes", 1));
        // The same entry under the same term twice is listed once.
        assert!(tag(&mut b, "Air strikes", 1));
        b.next_entry();
        assert!(!tag(&mut b, "???", 2));
        b.next_entry();
        b.next_entry();
        assert!(!tag(&mut b, "???", 4));
        b.next_entry();
        for written in ["Air strikes", "air-strikes", "AIR strikes"] {
            assert!(tag(&mut b, written, 5), "{written}");
        }
        let t = b.finish();
        // Each entry's terms as it wrote them, by sorted index.
        assert_eq!(t.entry_terms(0), [1, 0]);
        assert_eq!(t.entry_terms(1), [0, 0]);
        assert_eq!(t.entry_terms(2), [NO_TERM]);
        assert_eq!(t.entry_terms(3), [] as [u32; 0]);
        assert_eq!(t.entry_terms(4), [NO_TERM]);
        // Every way of writing a term finds it.
        assert_eq!(t.entry_terms(5), [0, 0, 0]);
        assert_eq!(t.entry_terms(6), [] as [u32; 0]);
        let slugs: Vec<&str> = t.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["air-strikes", "drones"]);
        // Named as first met; entries in order.
        assert_eq!(t.terms[0].name, "Air strikes");
        assert_eq!(t.terms[0].entries, [0, 1, 5]);
        assert_eq!(t.terms[1].entries, [0]);
        let names = |pos| t.terms_of(pos).map(|t| t.name.as_str()).collect::<Vec<_>>();
        assert_eq!(names(0), ["Drones", "Air strikes"]);
        assert_eq!(t.get("drones").map(|t| t.name.as_str()), Some("Drones"));
        assert!(names(2).is_empty());
        assert!(t.get("tanks").is_none());
    }
}
