//! The template contract: the typed values every built-in or overriding
//! template receives. Each page gets `site`, `root` (the way back to the
//! site root, e.g. `../../`, to prefix every `path`), `page` ([`PageMeta`])
//! and the data of its kind, listed on each template in `docs/templates.md`.
//!
//! Every `path` is relative to the site root and ends in `/` for pages.
//! Text is plain (templates escape it); fields named `*_html` are safe HTML.

use foldhash::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::chronology::{Chronology, EntryKind};
use crate::chunked::Chunked;
use crate::config::Config;
use crate::content::Era;
use crate::date::{Date, DateRange};
use crate::date_names::DateNames;
use crate::markdown;

/// The site as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// BCP 47 language tag.
    pub language: String,
    /// Absolute base URL, ending in `/`.
    pub base_url: String,
    /// IANA name of the site time zone.
    pub timezone: String,
    /// Free pages, for the navigation.
    pub pages: Vec<LinkView>,
    /// "annals VERSION".
    pub generator: String,
    /// Whether this build includes drafts.
    pub drafts: bool,
    /// The names of the theme's stylesheet and script (fingerprinted).
    pub assets: crate::assets::Assets,
    /// Writing direction of `language`: `ltr` or `rtl`.
    pub dir: &'static str,
    /// `latin` or `arabic`: the digits of numbers (the `num` filter, `t()` counts).
    pub digits: &'static str,
    /// `oldest` or `newest`: the order lists show entries in.
    pub order: &'static str,
    /// Absolute URL of the default link-preview image, if any.
    pub image: Option<String>,
    /// The way from a tree's root to the site's root, for the files published
    /// once at the root (`""`, or `"../"` in a language's folder).
    pub up: &'static str,
    /// The prefix of approximate dates, trimmed ("c.").
    pub circa: String,
    /// The finder's words and the month names, as JSON for the script
    /// (safe to print inside `<script type="application/json">`).
    pub script_words: String,
    /// The path of the methodology page (`site.yaml` `methodology:`), which
    /// every status badge's explanation links to.
    pub methodology: Option<String>,
    /// The site's map (`map/`), when an entry is located: its projection
    /// (`x_scale`) and the area of `map/base.svg` (`area`), for locators.
    pub map: Option<crate::map::Frame>,
}

impl SiteView {
    /// The site view of a chronology.
    pub fn new(
        chron: &Chronology,
        assets: crate::assets::Assets,
        words: &crate::i18n::Translations,
    ) -> SiteView {
        let c: &Config = &chron.config;
        let mut script = words.script_table(&c.language);
        script["months"] = serde_json::json!(c.date_names.months);
        script["lang"] = serde_json::json!(c.language);
        script["digits"] = serde_json::json!(c.arabic_digits);
        let script_words = serde_json::to_string(&script)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            language: c.language.clone(),
            base_url: c.base_url.clone(),
            timezone: c.timezone.name().to_string(),
            pages: chron
                .pages
                .iter()
                .map(|p| LinkView::new(p.title.clone(), format!("{}/", p.slug.value), None))
                .collect(),
            generator: format!("annals {}", env!("CARGO_PKG_VERSION")),
            drafts: chron.drafts,
            assets,
            dir: crate::i18n::dir_of(&c.language),
            digits: if c.arabic_digits { "arabic" } else { "latin" },
            order: if c.newest_first { "newest" } else { "oldest" },
            image: c.image.as_ref().map(|i| absolute_url(&c.base_url, i)),
            script_words,
            circa: c.date_names.circa.trim().to_string(),
            up: if c.tree.is_empty() { "" } else { "../" },
            methodology: c.methodology.as_ref().map(|m| format!("{m}/")),
            map: crate::map::Frame::new(chron),
        }
    }
}

/// A URL as given, or a path from the site root made absolute.
fn absolute_url(base: &str, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        url.to_string()
    } else {
        format!("{base}{}", url.trim_start_matches('/'))
    }
}

/// What every page says about itself.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The page title (without the site title).
    pub title: String,
    /// A one-line description for meta tags.
    pub description: String,
    /// The page's path relative to the site root (`events/x/`; empty for the home page).
    pub path: String,
    /// Its absolute URL, for the canonical link and Open Graph.
    pub canonical: String,
    /// Which section it belongs to: timeline, event, article, archive, tags, actors, places, tracks, page, 404, embed.
    pub section: String,
    /// The page in every language of a multilingual site (empty otherwise),
    /// for `hreflang` links and the language switcher.
    pub alternates: Vec<Alternate>,
    /// The URL for readers of no listed language (`hreflang="x-default"`):
    /// the page in the default language's folder, the canonical one.
    pub x_default: Option<String>,
    /// The name of the language an untranslated entry is shown in, if it is.
    pub untranslated: Option<String>,
}

/// The same page in one language of a multilingual site.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// BCP 47 tag.
    pub lang: String,
    /// The language's own name ("Українська").
    pub name: String,
    /// Absolute URL.
    pub url: String,
    /// Relative link from the page.
    pub path: String,
    /// Whether it is this page.
    pub current: bool,
}

/// A date as templates see it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct DateView {
    /// As written, markers included ("2022-02~").
    pub value: String,
    /// For people ("c. February 2022").
    pub display: String,
    /// For `<time datetime>` ("2022-02").
    pub datetime: String,
    /// The start instant, RFC 3339.
    pub start: String,
    /// year, month, day, minute or second.
    pub precision: &'static str,
    /// Written with `~` or `%`.
    pub approximate: bool,
    /// Written with `?` or `%`.
    pub uncertain: bool,
}

impl DateView {
    /// The view of a date.
    pub fn new(d: &Date) -> DateView {
        DateView {
            value: d.written().to_string(),
            display: d.display(),
            datetime: d.machine(),
            start: d.rfc3339_start(),
            precision: d.precision().as_str(),
            approximate: d.approximate(),
            uncertain: d.uncertain(),
        }
    }
}

/// When an entry happened: its date, its end, and both as one phrase.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct WhenView {
    /// The whole span for people ("23–24 June 2023").
    pub display: String,
    /// The start.
    pub date: DateView,
    /// The end, when one was written (for a window: its latest bound);
    /// boxed, as most entries have none.
    pub end: Option<Box<DateView>>,
    /// True for an uncertain window (`date: A..B`): one date known only to
    /// lie between `date` and `end`.
    pub window: bool,
}

impl WhenView {
    /// The view of a date range.
    pub fn new(r: &DateRange) -> WhenView {
        WhenView {
            display: r.display(),
            date: DateView::new(r.start()),
            end: r.end().map(|d| Box::new(DateView::new(d))),
            window: r.is_window(),
        }
    }
}

/// A link to a page with a name (a tag, an actor, a free page...).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct LinkView {
    /// Display name.
    pub name: String,
    /// The last segment of its path (a slug or id), for CSS classes and anchors.
    pub slug: String,
    /// Path relative to the site root.
    pub path: String,
    /// How many entries it has, where that is meaningful.
    pub count: Option<usize>,
}

impl LinkView {
    /// A link; its slug is the last segment of `path`.
    pub fn new(name: String, path: String, count: Option<usize>) -> LinkView {
        let slug = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        LinkView {
            name,
            slug,
            path,
            count,
        }
    }
}

/// An era as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct EraView {
    /// Its id (also the anchor `era-ID` on the timeline).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its span; an open era shows "since ...".
    pub when: WhenView,
    /// True when it has no end yet.
    pub open: bool,
    /// Safe HTML of its description.
    pub description_html: String,
}

impl EraView {
    /// The view of an era.
    pub fn new(era: &Era, allow_raw_html: bool, since: impl Fn(&str) -> String) -> EraView {
        let mut when = WhenView::new(&era.dates);
        if era.open {
            when.display = since(&when.display);
        }
        EraView {
            id: era.id.value.clone(),
            title: era.title.clone(),
            when,
            open: era.open,
            description_html: era
                .description
                .as_deref()
                .map(|d| markdown::to_html(d, "", "./", allow_raw_html).html)
                .unwrap_or_default(),
        }
    }
}

/// An entry in a list: enough to show it in a timeline, no more.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct EntryCard {
    /// "event" or "article".
    pub kind: &'static str,
    /// Event id or article slug.
    pub id: String,
    /// Plain-text title.
    pub title: String,
    /// Path of its page.
    pub path: String,
    /// When.
    pub when: WhenView,
    /// Its track (events only).
    pub track: Option<Arc<TrackView>>,
    /// 1 to 5 (articles: 3).
    pub importance: u8,
    /// importance 4 or 5.
    pub major: bool,
    /// confirmed, corroborated, unverified, disputed, debunked or draft
    /// (articles: confirmed, or draft).
    pub status: &'static str,
    /// The status as its badge reads ("Disputed").
    pub status_label: &'static str,
    /// Every claimed figure in one line, as ranges
    /// ("12–40 killed (UN OHCHR); 85 (Ministry of Health)"); empty without.
    pub figures: String,
    /// Per kind of figure, the range the event's claims span (for totals).
    pub spans: Vec<super::figures::KindSpan>,
    /// A warning shown before the summary, which is hidden until opened.
    pub content_warning: Option<String>,
    /// When it was last updated or corrected.
    pub updated: Option<Box<DateView>>,
    /// How many corrections it has.
    pub correction_count: usize,
    /// A short plain-text excerpt of its summary.
    pub excerpt: String,
    /// The id of the era it falls in.
    pub era: Option<String>,
    /// The publisher, for articles.
    pub source: Option<String>,
    /// In a list of neighbours: whether it is the entry whose page this is.
    pub current: bool,
    /// Where it is, for the card's small locator map (coordinates as
    /// published, so already coarsened).
    pub loc: Option<CardLoc>,
}

/// Where an entry is, as its card shows it: a dot on the site's small
/// map (`map/card.svg`), placed by the template from `site.map`, so that a
/// card stays the same while only the site's frame moves.
#[derive(Debug, Clone, Serialize)]
pub struct CardLoc {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// exact, near, settlement, region or country.
    pub precision: &'static str,
    /// The place's name, else its coordinates: the map's text alternative.
    pub label: String,
}

impl std::hash::Hash for CardLoc {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.lat.to_bits().hash(state);
        self.lon.to_bits().hash(state);
        self.precision.hash(state);
        self.label.hash(state);
    }
}

impl CardLoc {
    /// The location of the entry at `pos`, if it has one.
    pub fn new(chron: &Chronology, pos: usize) -> Option<CardLoc> {
        let l = crate::map::locate(chron, pos)?;
        Some(CardLoc {
            label: l
                .name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| format!("{}, {}", l.lat, l.lon)),
            lat: l.lat,
            lon: l.lon,
            precision: l.precision.as_str(),
        })
    }
}

/// One entry's card and what is derived from it, made once and shared by
/// the twenty-odd pages of a build that show the entry.
pub struct CardParts {
    /// The card.
    pub typed: EntryCard,
    /// An event's summary as plain text (Markdown removed), for excerpts,
    /// structured data and the search index; empty for articles. `None`
    /// when it is the card's excerpt (a summary short enough): not held twice.
    plain: Option<String>,
}

impl CardParts {
    /// The card of the entry at `pos` and what is derived from it; `tracks`
    /// holds the views of tracks cards share.
    pub fn new(chron: &Chronology, pos: usize, tracks: &TrackViews) -> CardParts {
        let plain = chron
            .event(pos)
            .and_then(|e| e.summary.as_deref())
            .map(markdown::plain_text)
            .unwrap_or_default();
        let typed = EntryCard::new(chron, pos, &plain, tracks);
        let plain = (plain != typed.excerpt).then_some(plain);
        CardParts { typed, plain }
    }

    /// An event's summary as plain text; empty for articles.
    pub fn plain(&self) -> &str {
        self.plain.as_deref().unwrap_or(&self.typed.excerpt)
    }
}

/// The view of each track, made once and shared by the cards of its
/// entries (each card held its own copy).
#[derive(Default)]
pub struct TrackViews(HashMap<String, Arc<TrackView>>);

impl TrackViews {
    /// The view of every track the chronology's events name.
    pub fn of(chron: &Chronology) -> TrackViews {
        let mut views = HashMap::default();
        for e in &chron.events {
            if let Some(t) = &e.track
                && !views.contains_key(t)
            {
                views.insert(t.clone(), Arc::new(track_link(chron, t)));
            }
        }
        TrackViews(views)
    }

    /// The view of `track`: the shared one, or one of its own.
    pub fn get(&self, chron: &Chronology, track: &str) -> Arc<TrackView> {
        self.0
            .get(track)
            .map_or_else(|| Arc::new(track_link(chron, track)), Arc::clone)
    }
}

/// Every entry's card, by chronology position.
pub struct Cards {
    parts: Chunked<CardParts>,
    /// Whether each card has figures: the totals over a list read the
    /// cards of only those (a list's other cards are not visited).
    figured: Vec<bool>,
    /// This set's number for the values kept per thread (`recent`).
    set: u64,
}

impl Cards {
    /// The cards of every entry, made in parallel.
    pub fn new(chron: &Chronology) -> Cards {
        let tracks = TrackViews::of(chron);
        let parts = Chunked::from_fn(chron.entries.len(), |pos| {
            Arc::new(CardParts::new(chron, pos, &tracks))
        });
        Cards::from_parts(parts, None)
    }

    /// Cards made elsewhere, one per entry by position; `last`, the cards
    /// of an earlier render whose figure flags hold for the cards it
    /// shares with these.
    pub fn from_parts(parts: Chunked<CardParts>, last: Option<&Cards>) -> Cards {
        let changed = last
            .filter(|last| last.parts.len() == parts.len())
            .map(|last| (last, parts.changed_from(&last.parts)))
            .filter(|(_, changed)| changed.len() <= parts.len() / 8);
        let figured = match changed {
            Some((last, changed)) => {
                let mut figured = last.figured.clone();
                for pos in changed {
                    figured[pos] = !parts[pos].typed.spans.is_empty();
                }
                figured
            }
            None => (0..parts.len())
                .into_par_iter()
                .map(|pos| !parts[pos].typed.spans.is_empty())
                .collect(),
        };
        Cards {
            figured,
            parts,
            set: super::recent::new_set(),
        }
    }

    /// Every card and what is derived from it, shared.
    pub fn all_parts(&self) -> &Chunked<CardParts> {
        &self.parts
    }

    /// The figures' spans of the card at `pos` (empty without figures),
    /// its card read only when it has some.
    pub fn spans(&self, pos: usize) -> &[super::figures::KindSpan] {
        if self.figured[pos] {
            &self.card(pos).spans
        } else {
            crate::reads::note(pos);
            &[]
        }
    }

    /// The card at `pos`.
    pub fn card(&self, pos: usize) -> &EntryCard {
        crate::reads::note(pos);
        &self.parts[pos].typed
    }

    /// The plain-text summary of the event at `pos` (empty for articles).
    pub fn plain(&self, pos: usize) -> &str {
        crate::reads::note(pos);
        self.parts[pos].plain()
    }

    /// The template value of the card at `pos`, made when asked for (or
    /// taken from the few this thread made last): kept for every entry,
    /// the values were most of a build's memory (Tera's maps), and mostly
    /// the pages near an entry read it.
    pub fn value(&self, pos: usize) -> tera::Value {
        crate::reads::note(pos);
        super::recent::value(self.set, pos, || {
            tera::Value::from_serializable(&self.parts[pos].typed)
        })
    }

    /// How many cards.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl EntryCard {
    /// The card of the entry at `pos`; `plain` is an event's summary as
    /// plain text, `tracks` the views of tracks its cards share.
    pub fn new(chron: &Chronology, pos: usize, plain: &str, tracks: &TrackViews) -> EntryCard {
        let entry = chron.entries[pos];
        let era = chron.era_of[pos].map(|i| chron.eras[i].id.value.clone());
        let base = EntryCard {
            kind: "event",
            id: chron.id(pos).to_string(),
            title: chron.title(pos).to_string(),
            path: chron.path(pos),
            when: WhenView::new(chron.dates(pos)),
            track: None,
            importance: 3,
            major: false,
            status: "confirmed",
            status_label: "Confirmed",
            figures: String::new(),
            spans: Vec::new(),
            content_warning: None,
            updated: None,
            correction_count: 0,
            excerpt: String::new(),
            era,
            source: None,
            current: false,
            loc: CardLoc::new(chron, pos),
        };
        match entry.kind {
            EntryKind::Event => {
                let e = &chron.events[entry.index];
                EntryCard {
                    track: e.track.as_deref().map(|t| tracks.get(chron, t)),
                    importance: e.importance,
                    major: e.importance >= 4,
                    status: e.status.as_str(),
                    status_label: super::figures::status_label(e.status.as_str()),
                    figures: super::figures::figures_text(chron, &e.figures),
                    spans: super::figures::kind_spans(&e.figures),
                    content_warning: e.content_warning.clone(),
                    updated: e
                        .revisions
                        .last_change()
                        .map(|d| Box::new(DateView::new(d))),
                    correction_count: e.revisions.corrections.len(),
                    excerpt: markdown::excerpt(plain, 220),
                    ..base
                }
            }
            EntryKind::Article => {
                let a = &chron.articles[entry.index];
                EntryCard {
                    kind: "article",
                    status: if a.draft { "draft" } else { "confirmed" },
                    status_label: if a.draft { "Draft" } else { "Confirmed" },
                    content_warning: a.content_warning.clone(),
                    updated: a
                        .revisions
                        .last_change()
                        .map(|d| Box::new(DateView::new(d))),
                    correction_count: a.revisions.corrections.len(),
                    excerpt: a
                        .summary
                        .as_deref()
                        .map(|s| markdown::excerpt(s, 220))
                        .unwrap_or_default(),
                    source: a.source.clone(),
                    ..base
                }
            }
        }
    }
}

/// A track as templates see it: a link with the colour it is drawn in.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TrackView {
    /// Display name.
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Path of its page.
    pub path: String,
    /// How many entries it has.
    pub count: Option<usize>,
    /// Its colour, 0 to 8, for the CSS class `tone-N`; always shown beside its name.
    pub tone: u8,
}

/// How many track colours the theme defines (`tone-0` to `tone-8`).
pub const TONES: u8 = 9;

/// Track names that get a colour of their own, so that "military" is drawn
/// in the same colour on every site.
const KNOWN_TONES: [(&str, u8); 9] = [
    ("military", 0),
    ("diplomacy", 1),
    ("humanitarian", 2),
    ("politics", 3),
    ("economy", 4),
    ("energy", 5),
    ("legal", 6),
    ("cyber", 7),
    ("information", 8),
];

/// The colour of a track: its own for well-known names; otherwise the first
/// colour no earlier track (in slug order) took, so that a site's tracks stay
/// apart as long as there are colours left.
pub fn track_tone(chron: &Chronology, slug: &str) -> u8 {
    let known = |s: &str| KNOWN_TONES.iter().find(|(name, _)| *name == s).map(|k| k.1);
    if let Some(tone) = known(slug) {
        return tone;
    }
    let mut taken = [false; TONES as usize];
    for term in &chron.tracks.terms {
        if let Some(tone) = known(&term.slug) {
            taken[usize::from(tone)] = true;
        }
    }
    for term in chron
        .tracks
        .terms
        .iter()
        .filter(|t| known(&t.slug).is_none())
    {
        if taken.iter().all(|t| *t) {
            taken = [false; TONES as usize];
        }
        let tone = taken.iter().position(|t| !*t).unwrap_or(0);
        if term.slug == slug {
            return tone as u8;
        }
        taken[tone] = true;
    }
    // A track no published entry uses: any stable colour.
    (slug.bytes().map(u32::from).sum::<u32>() % u32::from(TONES)) as u8
}

/// The link to a track's page, with its colour.
pub fn track_link(chron: &Chronology, track: &str) -> TrackView {
    let slug = crate::slug::slugify(track);
    TrackView {
        name: track.to_string(),
        path: format!("tracks/{slug}/"),
        count: chron.tracks.get(&slug).map(|t| t.entries.len()),
        tone: track_tone(chron, &slug),
        slug,
    }
}

#[cfg(test)]
impl TrackView {
    /// A made-up track, `n`-th of its kind, for the writers' tests.
    pub(crate) fn sample(text: &str, n: usize) -> Arc<TrackView> {
        Arc::new(TrackView {
            name: format!("{text} track"),
            slug: format!("track-{n}"),
            path: format!("tracks/track-{n}/"),
            count: Some(n),
            tone: (n % 9) as u8,
        })
    }
}

/// Entries of one month (or of a year, for entries dated by year only).
#[derive(Debug, Clone, Serialize)]
pub struct MonthGroup {
    /// 1 to 12; 0 for entries dated only by year.
    pub month: u32,
    /// "February 2022", or "2022" for year-only entries.
    pub label: String,
    /// Anchor id: `y2022-02`, or `y2022-all` for year-only entries.
    pub anchor: String,
    /// How many entries of the page come before this month: long pages
    /// leave the rendering of later months to the browser until they are
    /// scrolled near.
    pub offset: usize,
    /// The entries, in order: items `{entry, html, era_start}`, the card,
    /// its HTML and, on the timeline, the era that begins with it.
    pub entries: Vec<tera::Value>,
}

/// Entries of one year.
#[derive(Debug, Clone, Serialize)]
pub struct YearGroup {
    /// The year.
    pub year: i32,
    /// Anchor id: `y2022`.
    pub anchor: String,
    /// Its months, in order.
    pub months: Vec<MonthGroup>,
}

/// Page numbers of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages.
    pub total: usize,
    /// The previous page's path.
    pub prev: Option<String>,
    /// The next page's path.
    pub next: Option<String>,
    /// The pages the pager links: every page while there are at most
    /// [`PAGER_ALL`], else the first, the last and those near this one
    /// (so that each page's pager stays the same size at any site size).
    pub pages: Vec<PageLink>,
}

/// Up to this many pages, every page's pager lists them all.
pub const PAGER_ALL: usize = 20;

/// How many pages on each side of the current one a long pager lists.
const PAGER_NEAR: usize = 3;

impl Pagination {
    /// The pager of page `current` (from 0) of `all`: all of them, or for
    /// more than [`PAGER_ALL`] the first, the last and the [`PAGER_NEAR`]
    /// on each side of it, each after a skipped page marked `gap`.
    pub fn window(all: &[PageLink], current: usize) -> Vec<PageLink> {
        let last = all.len().saturating_sub(1);
        let near = |i: usize| {
            all.len() <= PAGER_ALL || i == 0 || i == last || i.abs_diff(current) <= PAGER_NEAR
        };
        let mut pages: Vec<PageLink> = Vec::new();
        for (i, p) in all.iter().enumerate().filter(|&(i, _)| near(i)) {
            pages.push(PageLink {
                current: i == current,
                gap: pages.last().is_some_and(|q| q.number + 1 != p.number),
                ..p.clone()
            });
        }
        pages
    }
}

/// One page of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// Its number, from 1.
    pub number: usize,
    /// Its path.
    pub path: String,
    /// Whether it is the page being shown.
    pub current: bool,
    /// The date range its entries cover ("February 2022 – June 2023").
    pub label: String,
    /// Whether pages before it are left out of the pager.
    pub gap: bool,
}

/// "February 2022" in the site's language, or "2022" for month 0.
pub fn month_label(names: &DateNames, year: i32, month: u32) -> String {
    match month {
        1..=12 => names.month_year(month as usize - 1, year),
        _ => year.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::error::Diagnostics;

    /// The chronology of a small site written to a temporary folder.
    fn chronology(name: &str, events: &str) -> Chronology {
        let root = crate::testing::small_site("views", name, &[("content/events/e.yaml", events)]);
        let config = Config::load(&root).unwrap();
        let mut diags = Diagnostics::new();
        let content = crate::content::load(&root, &config, crate::content::Texts::Held, &mut diags);
        let chron = crate::chronology::build(config, content, false, &mut diags);
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        chron
    }

    #[test]
    fn a_plain_summary_is_held_once_and_read_the_same_either_way() {
        let long = "Word ".repeat(80);
        let chron = chronology(
            "plain",
            &format!(
                "- id: short\n  date: 2022-03-01\n  title: Short\n  summary: \"**Bold** and [a link](https://example.org/).\"\n  track: Military\n\
                 - id: long\n  date: 2022-03-02\n  title: Long\n  summary: \"*{}*\"\n  track: Military\n\
                 - id: none\n  date: 2022-03-03\n  title: None\n  track: Diplomacy\n",
                long.trim_end()
            ),
        );
        let cards = Cards::new(&chron);
        let at = |id: &str| {
            (0..chron.entries.len())
                .find(|&p| chron.id(p) == id)
                .unwrap()
        };
        let (short, long_at, none) = (at("short"), at("long"), at("none"));
        // Short enough: the excerpt is the plain text, held once.
        assert!(cards.parts[short].plain.is_none());
        assert_eq!(cards.plain(short), "Bold and a link.");
        assert_eq!(cards.card(short).excerpt, "Bold and a link.");
        // Longer than an excerpt: both held, the plain text whole.
        assert_eq!(cards.plain(long_at), long.trim_end());
        assert!(cards.card(long_at).excerpt.ends_with('…'));
        assert!(cards.card(long_at).excerpt.chars().count() <= 221);
        assert_eq!(cards.plain(none), "");
        // One view per track, shared by its entries' cards.
        let track = |pos: usize| cards.card(pos).track.clone().unwrap();
        assert!(Arc::ptr_eq(&track(short), &track(long_at)));
        assert!(!Arc::ptr_eq(&track(short), &track(none)));
        assert_eq!(track(none).path, "tracks/diplomacy/");
        assert_eq!(track(short).count, Some(2));
    }
}
