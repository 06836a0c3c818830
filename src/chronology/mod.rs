//! The chronology: events and articles merged into one ordered list, linked
//! both ways, checked for duplicate ids and unknown references, with eras,
//! taxonomies and archives indexed once for every page to use.

mod checks;
pub mod folders;
pub mod languages;
mod taxonomy;

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

use taxonomy::TermsBuilder;
pub use taxonomy::{NO_TERM, Taxonomy, Term};

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
    /// What the chronology derives from its entries: their order, links,
    /// eras, taxonomies and archives. Shared, not copied, by the trees of
    /// a multilingual site and by rebuilds whose structure did not change;
    /// read through the chronology (`chron.entries`, `chron.tags`).
    pub derived: Derived,
    /// Whether drafts are included.
    pub drafts: bool,
    /// The local images of the entries' media, with their sizes and
    /// variants, once published (empty until then, and for `check`'s
    /// measuring, the sizes only).
    pub images: Arc<crate::media::item::Images>,
    /// Every located entry's position and point, found when first asked
    /// for ([`Chronology::located`]).
    located: std::sync::OnceLock<Arc<LocatedEntries>>,
    /// Every entry's exclusive end instant, in UTC, found when first asked
    /// for ([`Chronology::ends`]).
    ends: std::sync::OnceLock<Arc<Vec<chrono::NaiveDateTime>>>,
}

/// Every located entry's position, latitude and longitude, in chronology
/// order ([`Chronology::located`]).
pub type LocatedEntries = Vec<(usize, f64, f64)>;

/// Entry positions by civil year, then month.
pub type Years = BTreeMap<i32, BTreeMap<u32, Vec<usize>>>;

/// The parts of a chronology derived from its entries (shared, not copied).
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// Published entries, in chronology order.
    pub entries: Arc<Vec<Entry>>,
    position: Arc<HashMap<String, usize>>,
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
    /// Which folder each entry page goes in.
    pub folders: Arc<folders::Folders>,
}

impl std::ops::Deref for Chronology {
    type Target = Derived;

    /// The derived parts read as the chronology's own.
    fn deref(&self) -> &Derived {
        &self.derived
    }
}

/// Checks every reference of `content` and builds the chronology; with
/// `drafts` false, draft events and articles are left out of it.
pub fn build(
    config: Config,
    content: Content,
    drafts: bool,
    diags: &mut Diagnostics,
) -> Chronology {
    derive(config, content, drafts, diags)
}

/// The chronology of `content` with its derived parts given.
pub fn assemble(config: Config, content: Content, drafts: bool, derived: Derived) -> Chronology {
    // Coordinates are published no more precisely than the site allows.
    let mut content = content;
    crate::map::coarsen::coarsen_content(&mut content, &config.map);
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
        derived,
        drafts,
        images: Arc::default(),
        located: std::sync::OnceLock::new(),
        ends: std::sync::OnceLock::new(),
    }
}

/// Checks `content` and derives its chronology from scratch.
fn derive(config: Config, content: Content, drafts: bool, diags: &mut Diagnostics) -> Chronology {
    // The checks only report; the order only reads: both at once.
    let mut checks = Diagnostics::new();
    let ((), (entries, position)) = rayon::join(
        || {
            checks::check_unique_ids(&content, &mut checks);
            checks::check_references(&content, &mut checks);
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
    chron.derived.links = Arc::new(links.0);
    chron.derived.related = Arc::new(links.1);
    chron.derived.era_of = Arc::new(era_of);
    chron.derived.years = Arc::new(years);
    let mut taxonomies = taxonomies.into_iter().map(|(taxonomy, d)| {
        diags.extend(d);
        Arc::new(taxonomy)
    });
    let mut next = || taxonomies.next().unwrap_or_default();
    chron.derived.tags = next();
    chron.derived.actors = next();
    chron.derived.places = next();
    chron.derived.tracks = next();
    let folders = Arc::new(folders::Folders::of(&chron));
    chron.derived.folders = folders;
    chron
}

impl Chronology {
    /// The parts derived from its entries (shared, not copied).
    pub fn derived(&self) -> Derived {
        self.derived.clone()
    }

    /// The position of a published entry by id or slug.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.derived.position.get(id).copied()
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
        crate::reads::note(pos);
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

    /// When the entry at `pos` was last touched: its `updated` date when
    /// written, else the end (or start) of what it records.
    pub fn touched(&self, pos: usize) -> chrono::DateTime<chrono::FixedOffset> {
        let e = self.entries[pos];
        let updated = match e.kind {
            EntryKind::Event => self.events[e.index].revisions.last_change(),
            EntryKind::Article => self.articles[e.index].revisions.last_change(),
        };
        updated.map_or_else(|| self.dates(pos).end_instant(), |d| d.period_end())
    }

    /// The `n` entries touched last, the latest first (see [`Chronology::touched`]).
    pub fn latest(&self, n: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..self.entries.len()).collect();
        all.sort_by(|&a, &b| self.touched(b).cmp(&self.touched(a)).then(b.cmp(&a)));
        all.truncate(n);
        all
    }

    /// The event at `pos`, if it is one.
    pub fn event(&self, pos: usize) -> Option<&Event> {
        crate::reads::note(pos);
        let e = self.entries[pos];
        (e.kind == EntryKind::Event).then(|| &*self.events[e.index])
    }

    /// The article at `pos`, if it is one.
    pub fn article(&self, pos: usize) -> Option<&Article> {
        crate::reads::note(pos);
        let e = self.entries[pos];
        (e.kind == EntryKind::Article).then(|| &*self.articles[e.index])
    }

    /// The output path of the entry at `pos`, relative to the site root.
    /// `events/ID/` (`articles/SLUG/`), or in a dated folder on a site
    /// above its `folder_limit` ([`folders`]).
    pub fn path(&self, pos: usize) -> String {
        self.folders.path(
            self.entries[pos].kind,
            self.id(pos),
            self.dates(pos).start(),
        )
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

    /// Where the entry at `pos` is: its own `location`, else the first of
    /// its places that has coordinates in the registry (which stands for a
    /// settlement or larger). Latitude, longitude, how precisely it is
    /// known, and the place's name.
    pub fn point(
        &self,
        pos: usize,
    ) -> Option<(f64, f64, crate::map::settings::Precision, Option<&str>)> {
        use crate::map::settings::Precision;
        if let Some(p) = self.event(pos).and_then(|e| e.location.as_ref()) {
            return Some((p.lat, p.lon, p.precision, p.name.as_deref()));
        }
        let [_, _, places] = self.terms(pos);
        places.iter().find_map(|id| {
            let place = self.place_entity(&id.value)?;
            let precision = self
                .config
                .map
                .max_precision
                .unwrap_or(Precision::Settlement)
                .max(Precision::Settlement);
            Some((place.lat?, place.lon?, precision, Some(place.name.as_str())))
        })
    }

    /// Every located entry ([`Chronology::point`]): its position, latitude
    /// and longitude, in chronology order. Found once, then shared by what
    /// a render draws of the map (its frame, its pages, the base maps).
    pub fn located(&self) -> &[(usize, f64, f64)] {
        self.located_shared()
    }

    /// [`Chronology::located`], shared (`serve` keeps it for the next
    /// rebuild: [`Chronology::preset_located`]).
    pub fn located_shared(&self) -> &Arc<LocatedEntries> {
        self.located.get_or_init(|| {
            Arc::new(
                (0..self.entries.len())
                    .into_par_iter()
                    .filter_map(|pos| self.point(pos).map(|(lat, lon, ..)| (pos, lat, lon)))
                    .collect(),
            )
        })
    }

    /// Sets what [`Chronology::located`] answers, before it is first asked:
    /// a rebuild of the same structure gives the last one's, with the
    /// entries that changed looked at again. False when it was asked already.
    pub fn preset_located(&self, located: Arc<LocatedEntries>) -> bool {
        self.located.set(located).is_ok()
    }

    /// Every entry's exclusive end instant (`DateRange::end_instant`) in
    /// UTC, by position: one array that lists' spans read in order (the
    /// latest end of a term's entries), rather than each entry's dates.
    pub fn ends(&self) -> &[chrono::NaiveDateTime] {
        self.ends_shared()
    }

    /// [`Chronology::ends`], shared: they are of the entries' dates alone,
    /// so a rebuild of the same structure takes the last one's
    /// ([`Chronology::preset_ends`]).
    pub fn ends_shared(&self) -> &Arc<Vec<chrono::NaiveDateTime>> {
        self.ends.get_or_init(|| {
            Arc::new(
                (0..self.entries.len())
                    .into_par_iter()
                    .map(|pos| self.dates(pos).end_instant().naive_utc())
                    .collect(),
            )
        })
    }

    /// Sets what [`Chronology::ends`] answers, before it is first asked;
    /// false when it was asked already.
    pub fn preset_ends(&self, ends: Arc<Vec<chrono::NaiveDateTime>>) -> bool {
        ends.len() == self.entries.len() && self.ends.set(ends).is_ok()
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
                                "track \"{}\" has no letters or digits to make a URL from",
                                crate::error::cut(track)
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
                                format!(
                                    "tag \"{}\" has no letters or digits to make a URL from",
                                    crate::error::cut(v)
                                ),
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
